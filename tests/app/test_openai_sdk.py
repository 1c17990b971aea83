"""The official `openai` package against a live Vidora server, with a real Celery worker and the tiny model."""

import io

import openai
import pytest
from celery.contrib.testing.worker import start_worker
from PIL import Image

from vidora.app.api.models import ApiKey
from vidora.app.celery import celery_app

# The package marks its Videos API deprecated (OpenAI is retiring Sora); Vidora keeps it.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.filterwarnings("ignore::DeprecationWarning")]

SECONDS = "0.5"  # within one chunk of the tiny model (9 frames at 16 fps): quick


@pytest.fixture
def sdk(live_server, make_user, model):
    _, secret = ApiKey.issue(make_user("ada"), "sdk")
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield openai.OpenAI(base_url=f"{live_server.url}/v1", api_key=secret, max_retries=0, timeout=120)


def test_the_openai_package_drives_vidora(sdk, live_server):
    video = sdk.videos.create_and_poll(model="sora-2", prompt="a red ball bounces on the grass", seconds=SECONDS,
                                       poll_interval_ms=200)
    assert video.status == "completed", video.error
    assert (video.object, video.model, video.progress, video.size, video.seconds) == ("video", "vidora", 100, "32x32", "0.5")
    assert video.completed_at >= video.created_at and video.error is None
    assert sdk.videos.retrieve(video.id).status == "completed"

    mp4 = sdk.videos.download_content(video.id).read()
    assert mp4[4:8] == b"ftyp"
    for variant in ("thumbnail", "spritesheet"):
        assert sdk.videos.download_content(video.id, variant=variant).read()[:8] == b"\x89PNG\r\n\x1a\n"

    buffer = io.BytesIO()
    Image.new("RGB", (48, 48), (230, 20, 20)).save(buffer, format="PNG")
    from_image = sdk.videos.create_and_poll(prompt="the red square slides", seconds=SECONDS, poll_interval_ms=200,
                                            input_reference=("first.png", buffer.getvalue(), "image/png"))
    assert from_image.status == "completed", from_image.error

    remix = sdk.videos.poll(sdk.videos.remix(video.id, prompt="a blue ball bounces").id, poll_interval_ms=200)
    assert remix.status == "completed" and remix.remixed_from_video_id == video.id
    # videos.extend() in openai 3.54 refuses video={"id": ...} before sending (it wants a file there), so the
    # extension goes through the package's generic post, as JSON.
    extension = sdk.post("/videos/extensions", cast_to=openai.types.Video,
                         body={"prompt": "it keeps bouncing", "seconds": SECONDS, "video": {"id": video.id}})
    longer = sdk.videos.poll(extension.id, poll_interval_ms=200)
    assert longer.status == "completed" and float(longer.seconds) == pytest.approx(1.0, abs=0.1)

    listed = list(sdk.videos.list(limit=2))  # two pages, followed by the package through `after`
    assert [v.id for v in listed] == [longer.id, remix.id, from_image.id, video.id]
    assert [v.id for v in sdk.videos.list(order="asc", limit=10).data] == [video.id, from_image.id, remix.id, longer.id]

    deleted = sdk.videos.delete(remix.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (remix.id, "video.deleted", True)
    with pytest.raises(openai.NotFoundError) as unknown:
        sdk.videos.retrieve(remix.id)
    assert unknown.value.code == "not_found" and remix.id in unknown.value.message


def test_errors_reach_the_package_as_its_exceptions(sdk, live_server):
    with pytest.raises(openai.AuthenticationError) as bad_key:
        openai.OpenAI(base_url=f"{live_server.url}/v1", api_key="sk-not-a-vidora-key", max_retries=0).videos.list()
    assert bad_key.value.code == "invalid_api_key"
    with pytest.raises(openai.BadRequestError) as bad_size:
        sdk.videos.create(prompt="a ball", size="huge")
    assert bad_size.value.param == "size" and bad_size.value.type == "invalid_request_error"
    with pytest.raises(openai.BadRequestError) as bad_model:
        sdk.videos.create(prompt="a ball", model="dall-e-3")
    assert bad_model.value.param == "model"

    # A well-formed size this model cannot make: the engine refuses it and says which size it makes.
    refused = sdk.videos.create_and_poll(prompt="a ball", size="1280x720", seconds=SECONDS, poll_interval_ms=200)
    assert refused.status == "failed" and refused.error.code == "invalid_request"
    assert "size: this model makes 32x32 video, got 1280x720" in refused.error.message
