"""Chromium can decode and play what write_mp4 writes (H.264 + AAC in MP4).

Needs Debian's Chromium at /usr/bin/chromium and the `playwright` Python
package; the browser that `playwright install` would download is not used.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from vidora.media import write_mp4

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

BACKGROUND = (40, 60, 110)  # the field behind conftest.moving_square's square

PAGE = """<!doctype html>
<html><body><video id="v" muted playsinline preload="auto" src="clip.mp4"></video></body></html>
"""

# Plays the video for half a second and reports what Chromium saw. Polls with
# deadlines instead of awaiting events, so a file Chromium rejects (whose
# error event may fire before we listen) gives a report rather than a hang.
PLAY_AND_REPORT = """
async () => {
  const v = document.getElementById("v");
  const waitUntil = (done, ms) => new Promise((resolve) => {
    const deadline = performance.now() + ms;
    const poll = () => (done() || performance.now() > deadline) ? resolve() : setTimeout(poll, 50);
    poll();
  });
  await waitUntil(() => v.readyState >= 1 || v.error, 10000);
  const startTime = v.currentTime;
  if (!v.error) {
    await v.play().catch(() => {});
    await waitUntil(() => v.currentTime >= 0.5 || v.ended || v.error, 10000);
  }
  // Colour of the bottom-right pixel, which the moving square never reaches.
  let corner = null;
  if (v.videoWidth > 0) {
    const canvas = document.createElement("canvas");
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    const context = canvas.getContext("2d");
    context.drawImage(v, 0, 0);
    const pixel = context.getImageData(v.videoWidth - 1, v.videoHeight - 1, 1, 1).data;
    corner = Array.from(pixel.slice(0, 3));
  }
  return {
    error: v.error ? v.error.code + " " + v.error.message : null,
    canPlay: v.canPlayType('video/mp4; codecs="avc1.640016, mp4a.40.2"'),
    width: v.videoWidth,
    height: v.videoHeight,
    duration: v.duration,
    startTime: startTime,
    currentTime: v.currentTime,
    videoFrames: v.getVideoPlaybackQuality().totalVideoFrames,
    audioBytes: v.webkitAudioDecodedByteCount,
    corner: corner,
  };
}
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        """Keep request logs out of the test output."""


@pytest.fixture
def served_dir(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A directory served over HTTP on 127.0.0.1 from a background thread, and its URL."""
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.browser
def test_chromium_plays_written_mp4(served_dir, make_frames, make_clicks):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright not installed (pip install playwright)"
    )
    root, url = served_dir
    fps, count, height, width = 24, 48, 144, 256
    audio = make_clicks(round(count / fps * 16000), [4000, 20000])
    write_mp4(root / "clip.mp4", make_frames(count, height, width), fps, audio)
    (root / "index.html").write_text(PAGE)

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url + "index.html")
            seen = page.evaluate(PLAY_AND_REPORT)
        finally:
            browser.close()

    assert seen["canPlay"] == "probably", seen
    assert seen["error"] is None, seen
    assert (seen["width"], seen["height"]) == (width, height)
    assert seen["duration"] == pytest.approx(count / fps, abs=1 / fps)
    assert seen["currentTime"] > seen["startTime"] + 0.25, seen
    assert seen["videoFrames"] > 0, seen
    assert seen["audioBytes"] > 0, seen
    # The BT.709 tag is honoured: the background comes out in its own colour.
    assert np.abs(np.array(seen["corner"]) - BACKGROUND).max() <= 6, seen
