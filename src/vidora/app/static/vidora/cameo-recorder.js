// The cameo recorder: camera and microphone through MediaRecorder; the finished clip goes into the form's file
// field, and the form posts it like any upload.
(function () {
  const preview = document.getElementById("preview");
  const cameraButton = document.getElementById("camera");
  const startButton = document.getElementById("start");
  const stopButton = document.getElementById("stop");
  const status = document.getElementById("recorder-status");
  const input = document.querySelector("#recording-form input[type=file]");
  const MAX_SECONDS = 20;
  let stream = null, recorder = null, timer = null;

  function say(text) { status.textContent = text; }

  function mimeType() {
    const kinds = ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"];
    return kinds.find((kind) => window.MediaRecorder && MediaRecorder.isTypeSupported(kind)) || "";
  }

  cameraButton.addEventListener("click", async () => {
    if (!navigator.mediaDevices || !window.MediaRecorder) {
      say("This browser cannot record here: film a short clip and choose it below.");
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true });
    } catch (error) {
      say("No camera or microphone (" + error.name + "): allow them, or choose a clip below.");
      return;
    }
    preview.srcObject = stream;
    startButton.disabled = false;
    say("Ready. Press Record, read the phrase, then turn your head left and right.");
  });

  startButton.addEventListener("click", () => {
    const chunks = [];
    const type = mimeType();
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    recorder.ondataavailable = (event) => { if (event.data.size) chunks.push(event.data); };
    recorder.onstop = () => {
      clearTimeout(timer);
      const kind = recorder.mimeType || type || "video/webm";
      const file = new File(chunks, kind.includes("mp4") ? "cameo.mp4" : "cameo.webm", { type: kind });
      const files = new DataTransfer();
      files.items.add(file);
      input.files = files.files;
      preview.srcObject = null;
      preview.src = URL.createObjectURL(file);
      preview.muted = false;
      preview.controls = true;
      startButton.disabled = false;
      stopButton.disabled = true;
      say("Recorded " + Math.round(file.size / 1024) + " KB. Watch it back, then send it (or record again).");
    };
    recorder.start();
    startButton.disabled = true;
    stopButton.disabled = false;
    say("Recording… read the phrase aloud, then turn your head.");
    timer = setTimeout(() => recorder.state === "recording" && recorder.stop(), MAX_SECONDS * 1000);
  });

  stopButton.addEventListener("click", () => recorder && recorder.state === "recording" && recorder.stop());
})();
