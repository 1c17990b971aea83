"""Uploaded videos are inputs only: checked by content, remixed into a generated video that can be posted, or
extended into one that keeps the uploaded frames and so can be downloaded but not posted."""

import io

import av
import httpx2
import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from django.test import Client
from django.urls import reverse
from openai import OpenAI

from vidora.app import uploads
from vidora.app.api.models import ApiKey
from vidora.app.social.services import SocialError, publish
from vidora.app.studio.models import Generation
from vidora.app.uploads import validate_video
from vidora.media import write_mp4

pytestmark = pytest.mark.django_db


def mp4(tmp_path, frames=8, size=(32, 32), fps=16, name="clip.mp4") -> SimpleUploadedFile:
    width, height = size
    clip = np.random.default_rng(0).integers(0, 255, (frames, height, width, 3), dtype=np.uint8)
    path = write_mp4(tmp_path / name, clip, fps)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="video/mp4")


def matroska(frames=4) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="matroska") as container:
        stream = container.add_stream("mpeg4", rate=8)
        stream.width, stream.height, stream.pix_fmt = 32, 32, "yuv420p"
        for _ in range(frames):
            container.mux(stream.encode(av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), np.uint8), format="rgb24")))
        container.mux(stream.encode())
    return SimpleUploadedFile("clip.mp4", buffer.getvalue(), content_type="video/mp4")  # the name and type lie


def long_sound(seconds=25) -> SimpleUploadedFile:
    """One frame of video over ``seconds`` of silence: a few kilobytes that decode to much more."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=8)
        video.width, video.height, video.pix_fmt = 32, 32, "yuv420p"
        sound = container.add_stream("aac", rate=8000)
        sound.layout = "mono"
        container.mux(video.encode(av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), np.uint8), format="rgb24")))
        container.mux(video.encode())
        for start in range(0, seconds * 8000, 1024):
            frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
            frame.sample_rate, frame.pts = 8000, start
            container.mux(sound.encode(frame))
        container.mux(sound.encode())
    return SimpleUploadedFile("clip.mp4", buffer.getvalue(), content_type="video/mp4")


def test_videos_are_checked_by_content_length_size_and_decoded_size(tmp_path, monkeypatch):
    upload = mp4(tmp_path)
    validate_video(upload)
    assert upload.tell() == 0
    whole = mp4(tmp_path).read()
    cases = [
        (matroska(), r"not a usable video: not an MP4 file \(looks like matroska,webm\)\. Videos must be MP4"),
        (SimpleUploadedFile("x.mp4", b"hello, not a video"), r"not a usable video: not a video file\. Videos"),
        (SimpleUploadedFile("x.mp4", whole[: len(whole) // 2]), "usable video"),
        (mp4(tmp_path, frames=21, fps=1), "21.0 s long; the limit is 20 s"),
        (mp4(tmp_path, frames=1, size=(1922, 16)), "1922x16; the limit is 1920"),
        (SimpleUploadedFile("x.mp4", bytes(uploads.MAX_VIDEO_BYTES + 1)), "the limit is 10 MB"),
        (long_sound(), "sound runs over 20 s"),
    ]
    for bad, message in cases:
        with pytest.raises(ValidationError, match=message):
            validate_video(bad)
    monkeypatch.setattr(uploads, "MAX_VIDEO_DECODED_BYTES", 32 * 32 * 3 * 7)  # the worker decodes every frame
    with pytest.raises(ValidationError, match="too many pixels to use .8 frames of 32x32"):
        validate_video(mp4(tmp_path))


def test_the_studio_remixes_an_upload_into_a_postable_video_and_extends_one_into_a_download(
        client, make_user, model, eager_jobs, django_capture_on_commit_callbacks, tmp_path):
    client.force_login(make_user("ada"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("studio:home"), {"prompt": "a red ball", "seconds": 2, "video": mp4(tmp_path),
                                             "video_use": "remix"})
    remix = Generation.objects.get()
    assert remix.task == "remix" and remix.input_video and not remix.uploaded_frames
    assert remix.status == "completed", remix.error
    assert publish(remix).generation == remix  # every frame is the model's

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("studio:home"), {"prompt": "it keeps going", "seconds": 2, "video": mp4(tmp_path),
                                             "video_use": "forward"})
    longer = Generation.objects.exclude(pk=remix.pk).get()
    assert longer.task == "extend" and longer.options["direction"] == "forward" and longer.uploaded_frames
    assert longer.status == "completed" and longer.seconds == pytest.approx(0.5 + 2, abs=0.1), longer.error
    with pytest.raises(SocialError, match="continues one you uploaded"):
        publish(longer)
    card = client.get(reverse("studio:status", args=[longer.id])).content.decode()
    assert "Holds frames you uploaded" in card and 'class="publish"' not in card
    again = client.post(reverse("studio:extend", args=[longer.id]))  # an extension of it holds them too
    assert again.status_code == 302 and Generation.objects.get(source=longer).uploaded_frames

    both = client.post(reverse("studio:home"), {"prompt": "a red ball", "seconds": 2, "video": mp4(tmp_path),
                                                "storyboard": "2 | a red ball"}).content.decode()
    assert both.count("not from video and storyboard") == 1  # said once, above the form


def test_the_apis_take_an_uploaded_mp4(make_user, tmp_path):
    user = make_user("ada")
    api = Client(headers={"Authorization": f"Bearer {ApiKey.issue(user, 'tests')[1]}"})
    made = api.post("/api/generations", {"prompt": "on and on", "video": mp4(tmp_path), "extend": "backward",
                                         "seconds": "2"})
    assert made.status_code == 201, made.content
    assert (made.json()["task"], made.json()["options"]["direction"], made.json()["uploaded_frames"]) == ("extend", "backward", True)
    refused = [
        (api.post("/api/generations", {"prompt": "x", "video": mp4(tmp_path), "strength": "0.2"}), "strength: a video you upload"),
        (api.post("/api/generations", {"prompt": "x", "video": matroska()}), "video: That file is not a usable video"),
        (api.post("/api/generations", {"prompt": "x", "extend": "forward"}), "extend: needs a video"),
    ]
    for response, message in refused:
        assert response.status_code == 400 and response.json()["error"]["message"].startswith(message), response.content

    bad = api.post("/v1/videos/extensions", {"prompt": "x", "seconds": "4", "video": matroska()})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "video"


@pytest.mark.filterwarnings("ignore:The Sora API:DeprecationWarning")  # the package's notice about OpenAI's service
def test_openais_package_extends_an_uploaded_mp4(make_user, tmp_path, keep_the_test_connection):
    key = ApiKey.issue(make_user("ada"), "tests")[1]
    server = httpx2.Client(transport=httpx2.WSGITransport(app=get_wsgi_application()))  # the package's HTTP client
    client = OpenAI(base_url="http://testserver/v1", api_key=key, http_client=server)
    video = client.videos.extend(prompt="it keeps bouncing", seconds="4", video=("clip.mp4", mp4(tmp_path).read(), "video/mp4"))
    assert video.status == "queued"
    assert Generation.objects.get(pk=video.id).uploaded_frames
