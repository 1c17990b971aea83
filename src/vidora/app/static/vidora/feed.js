// The vertical feed: the video in view plays (muted until the viewer turns sound on),
// j/k or the arrow keys move one video, and scroll/swipe snap to the next.
(() => {
  const feed = document.getElementById("feed");
  const soundButton = document.getElementById("sound");
  let soundOn = false;

  const visible = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const video = entry.target;
      if (entry.isIntersecting) {
        video.muted = !soundOn;
        video.play().catch(() => {}); // autoplay can be refused; the poster stays
      } else {
        video.pause();
      }
    }
  }, { threshold: 0.6 });

  const watch = (root) => root.querySelectorAll("video").forEach((v) => visible.observe(v));
  watch(feed);
  document.body.addEventListener("htmx:afterSwap", () => watch(feed)); // observing twice is harmless

  soundButton.addEventListener("click", () => {
    soundOn = !soundOn;
    soundButton.setAttribute("aria-pressed", String(soundOn));
    soundButton.textContent = soundOn ? "Sound on" : "Sound off";
    feed.querySelectorAll("video").forEach((v) => { v.muted = !soundOn; });
  });

  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea")) return;
    const step = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    feed.scrollBy({ top: step * feed.clientHeight, behavior: "smooth" });
  });
})();
