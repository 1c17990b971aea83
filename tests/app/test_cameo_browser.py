"""The cameo recorder in headless Chromium: its fake camera and microphone play the test recording (a face that
reads the challenge and turns), the page records it with MediaRecorder and sends it, and the job verifies it."""

from __future__ import annotations

import re
import wave

import av
import numpy as np
import pytest

from vidora.app.cameos.models import Cameo, Challenge
from vidora.media import read_mp4

from ..cameos.recordings import PHRASE, clip
from .test_e2e_browser import CHROMIUM, CHROMIUM_ARGS, PASSWORD, TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fake_devices(folder) -> list[str]:
    """Chromium flags that make the test recording its camera (Y4M) and microphone (WAV)."""
    recording = read_mp4(clip("hopper"))
    camera, microphone = folder / "camera.y4m", folder / "microphone.wav"
    with av.open(str(camera), "w", format="yuv4mpegpipe") as container:
        stream = container.add_stream("rawvideo", rate=int(recording.fps))
        stream.width, stream.height, stream.pix_fmt = recording.frames.shape[2], recording.frames.shape[1], "yuv420p"
        for image in recording.frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    with wave.open(str(microphone), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(recording.audio_rate)
        out.writeframes((np.clip(recording.audio, -1, 1) * 32767).astype("<i2").tobytes())
    return ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={camera}", f"--use-file-for-fake-audio-capture={microphone}"]


def test_record_a_cameo_in_the_browser(live_server, make_user, eager_jobs, tmp_path, monkeypatch):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ada = make_user("ada")
    seconds = len(read_mp4(clip("hopper")).frames) / 10
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + fake_devices(tmp_path))
        page = browser.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "ada")
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button.primary")
        page.goto(f"{live_server.url}/cameos/record/")
        assert page.inner_text("#challenge") == Challenge.objects.get(user=ada).phrase
        Challenge.objects.filter(user=ada).update(phrase=PHRASE)  # what the fake microphone says
        page.click("#camera")
        page.wait_for_selector("#start:not([disabled])", timeout=TIMEOUT_MS)
        page.click("#start")
        # The fake devices loop the clip from wherever it was: twice its length holds one whole take.
        page.wait_for_timeout(2 * seconds * 1000)
        page.click("#stop")
        page.wait_for_function("document.getElementById('recorder-status').textContent.startsWith('Recorded')",
                               timeout=TIMEOUT_MS)
        assert page.eval_on_selector("#recording-form input[type=file]", "input => input.files[0].type").startswith("video/")
        with page.expect_navigation(url=re.compile(r"/cameos/$"), timeout=5 * TIMEOUT_MS):
            # The job runs as the upload commits (eager here): the answer comes once the recording is verified.
            page.click("#recording-form button.primary", no_wait_after=True)
        assert "Permissions and uses" in page.content()
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)  # the page's pictures are served before the server stops
        browser.close()
    cameo = Cameo.objects.get(owner=ada)
    assert cameo.status == "active", cameo.problems
    assert cameo.reference and len(cameo.embedding) == 128
