"""The OpenAI-compatible Videos API (/v1): shapes, mapping of OpenAI's parameters, and the error envelope."""

import base64
import io

import pytest
from django.test import Client
from PIL import Image

from vidora.app.api.models import ApiKey
from vidora.app.studio.models import Generation

from .test_social import finished

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(make_user) -> Client:
    user = make_user("ada")
    client = Client(headers={"Authorization": f"Bearer {ApiKey.issue(user, 'sdk')[1]}"})
    client.user = user
    return client


def png(size=(16, 16)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (250, 10, 10)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "first.png"
    return buffer


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"} and error["message"]
    return error


def test_create_maps_openai_parameters_onto_the_engine(ada):
    # The openai package sends multipart form fields, seconds as a string.
    video = ada.post("/v1/videos", {"prompt": "a red ball", "model": "sora-2-pro", "seconds": "8", "size": "1280x720"})
    assert video.status_code == 200, video.content
    body = video.json()
    assert body["object"] == "video" and body["id"].startswith("video_") and body["model"] == "vidora"
    assert (body["status"], body["progress"], body["seconds"], body["size"]) == ("queued", 0, "8", "1280x720")
    assert body["remixed_from_video_id"] is None and body["error"] is None and isinstance(body["created_at"], int)
    g = Generation.objects.get(pk=body["id"])
    assert (g.task, g.options) == ("text", {"seconds": 8.0, "size": [1280, 720]})

    default = ada.post("/v1/videos", {"prompt": "a ball"}, content_type="application/json").json()
    assert (default["seconds"], default["size"]) == ("4", "auto")  # OpenAI's default length; the model's own size
    assert Generation.objects.get(pk=default["id"]).options == {"seconds": 4.0}

    upload = ada.post("/v1/videos", {"prompt": "a ball", "input_reference": png(), "seconds": "1"})
    assert Generation.objects.get(pk=upload.json()["id"]).task == "image"
    data_url = "data:image/png;base64," + base64.b64encode(png().read()).decode()
    as_json = ada.post("/v1/videos", {"prompt": "a ball", "input_reference": {"image_url": data_url}},
                       content_type="application/json")
    assert Generation.objects.get(pk=as_json.json()["id"]).input_image
    nested_form = ada.post("/v1/videos", {"prompt": "a ball", "input_reference[image_url]": data_url})
    assert Generation.objects.get(pk=nested_form.json()["id"]).task == "image"


@pytest.mark.parametrize("fields, param, words", [
    ({"prompt": ""}, "prompt", "at least 1 character"),
    ({"prompt": "x", "model": "gpt-4o"}, "model", "unknown model 'gpt-4o'"),
    ({"prompt": "x", "size": "big"}, "size", "WIDTHxHEIGHT"),
    ({"prompt": "x", "size": "0x720"}, "size", "WIDTHxHEIGHT"),
    ({"prompt": "x", "seconds": "four"}, "seconds", "number of seconds"),
    ({"prompt": "x", "seconds": "-4"}, "seconds", "more than 0"),
    ({"prompt": "x", "seconds": "inf"}, "seconds", "more than 0"),
    ({"prompt": "x", "input_reference[file_id]": "file-1"}, "input_reference", "no Files API"),
    ({"prompt": "x", "input_reference[image_url]": "https://example.com/a.png"}, "input_reference", "data: URL"),
])
def test_bad_create_requests_are_400_with_the_parameter(ada, fields, param, words):
    error = error_of(ada.post("/v1/videos", fields), 400)
    assert (error["type"], error["param"]) == ("invalid_request_error", param) and words in error["message"]
    assert not Generation.objects.exists()


def test_an_image_that_is_not_one_is_refused(ada):
    fake = io.BytesIO(b"not an image at all")
    fake.name = "x.png"
    error = error_of(ada.post("/v1/videos", {"prompt": "x", "input_reference": fake}), 400)
    assert error["param"] == "input_reference" and "not a readable image" in error["message"]


def test_retrieve_list_delete_and_someone_elses_videos(ada, make_user):
    made = [ada.post("/v1/videos", {"prompt": f"ball {i}", "seconds": "1"}).json()["id"] for i in range(3)]
    page = ada.get("/v1/videos?limit=2").json()
    assert page["object"] == "list" and [v["id"] for v in page["data"]] == made[:0:-1] and page["has_more"]
    assert (page["first_id"], page["last_id"]) == (made[2], made[1])
    rest = ada.get(f"/v1/videos?limit=2&after={page['last_id']}").json()
    assert [v["id"] for v in rest["data"]] == [made[0]] and not rest["has_more"]
    assert [v["id"] for v in ada.get("/v1/videos?order=asc").json()["data"]] == made

    bob = Client(headers={"Authorization": f"Bearer {ApiKey.issue(make_user('bob'), 'k')[1]}"})
    for response in (bob.get(f"/v1/videos/{made[0]}"), bob.delete(f"/v1/videos/{made[0]}"),
                     bob.get(f"/v1/videos/{made[0]}/content"), bob.post(f"/v1/videos/{made[0]}/remix", {"prompt": "x"},
                                                                         content_type="application/json")):
        assert error_of(response, 404)["code"] == "not_found"
    assert bob.get("/v1/videos").json()["data"] == []
    assert error_of(ada.get("/v1/videos?after=video_nope"), 404)["param"] == "after"
    assert error_of(ada.get("/v1/videos?order=sideways"), 400)["param"] == "order"
    assert error_of(ada.get("/v1/videos?limit=0"), 400)["param"] == "limit"

    assert ada.delete(f"/v1/videos/{made[0]}").json() == {"id": made[0], "object": "video.deleted", "deleted": True}
    assert error_of(ada.get(f"/v1/videos/{made[0]}"), 404)["message"] == f"No video found with id '{made[0]}'."


def test_content_remix_and_extension_need_a_completed_video(ada, tmp_path):
    queued = ada.post("/v1/videos", {"prompt": "a ball", "seconds": "1"}).json()
    assert "status is queued" in error_of(ada.get(f"/v1/videos/{queued['id']}/content"), 404)["message"]
    remix = ada.post(f"/v1/videos/{queued['id']}/remix", {"prompt": "in blue"}, content_type="application/json")
    assert "only a finished video" in error_of(remix, 400)["message"]

    (tmp_path / "media" / "thumbnails").mkdir(parents=True)
    (tmp_path / "media" / "thumbnails" / "x.png").write_bytes(b"\x89PNG")
    done = finished(ada.user, seconds=2.0, width=32, height=32, completed_at="2025-01-01T00:00:00Z")
    video = ada.get(f"/v1/videos/{done.id}").json()
    assert (video["status"], video["seconds"], video["size"], video["completed_at"]) == ("completed", "2", "32x32", 1735689600)
    thumbnail = ada.get(f"/v1/videos/{done.id}/content?variant=thumbnail")
    assert thumbnail["Content-Type"] == "image/png" and b"".join(thumbnail.streaming_content) == b"\x89PNG"
    assert error_of(ada.get(f"/v1/videos/{done.id}/content?variant=spritesheet"), 404)["param"] == "variant"
    assert error_of(ada.get(f"/v1/videos/{done.id}/content?variant=gif"), 400)["param"] == "variant"

    remixed = ada.post(f"/v1/videos/{done.id}/remix", {"prompt": "in blue"}, content_type="application/json").json()
    assert (remixed["remixed_from_video_id"], remixed["seconds"]) == (done.id, "2")
    extended = ada.post("/v1/videos/extensions", {"prompt": "it rolls on", "seconds": "4", "video[id]": done.id}).json()
    assert extended["seconds"] == "6" and Generation.objects.get(pk=extended["id"]).options == {"seconds": 4.0,
                                                                                               "direction": "forward"}
    as_json = ada.post("/v1/videos/extensions", {"prompt": "on", "seconds": 4, "video": {"id": done.id}},
                       content_type="application/json")
    assert as_json.status_code == 200
    clip = io.BytesIO(b"\x00\x00\x00\x18ftypmp42")
    clip.name = "mine.mp4"
    uploaded = ada.post("/v1/videos/extensions", {"prompt": "on", "seconds": "4", "video": clip})
    assert error_of(uploaded, 400)["param"] == "video"
    assert error_of(ada.post("/v1/videos/extensions", {"prompt": "on", "seconds": "4", "video[id]": "video_x"}),
                    404)["param"] == "video"


def test_a_failed_video_carries_the_reason(ada):
    g = Generation.objects.create(owner=ada.user, prompt="x", options={"size": [64, 48]}, status="failed",
                                  error_code="invalid_request", error="size: this model makes 32x32 video, got 64x48")
    assert ada.get(f"/v1/videos/{g.id}").json()["error"] == {"code": "invalid_request",
                                                             "message": "size: this model makes 32x32 video, got 64x48"}


def test_keys_errors_and_limits(client, ada, settings):
    assert error_of(client.get("/v1/videos"), 401)["code"] == "missing_api_key"
    wrong = error_of(client.get("/v1/videos", headers={"Authorization": "Bearer sk-openai-key"}), 401)
    assert (wrong["type"], wrong["code"]) == ("authentication_error", "invalid_api_key")
    client.force_login(ada.user)
    assert error_of(client.get("/v1/videos"), 401)  # /v1 takes API keys only, not the browser session
    assert error_of(client.get("/v1/nothing"), 404)["code"] == "not_found"
    assert error_of(ada.post("/v1/videos", "{oops", content_type="application/json"), 400)
    assert error_of(ada.post("/v1/videos", "[1, 2]", content_type="application/json"), 400)
    not_allowed = error_of(ada.put("/v1/videos"), 405)
    assert not_allowed["code"] == "method_not_allowed" and "GET, POST" in not_allowed["message"]

    settings.VIDORA = {**settings.VIDORA, "RATES": {**settings.VIDORA["RATES"], "generate": "1/h"}}
    assert ada.post("/v1/videos", {"prompt": "a ball"}).status_code == 200
    limited = error_of(ada.post("/v1/videos", {"prompt": "a ball"}), 429)
    assert (limited["type"], limited["code"]) == ("rate_limit_error", "rate_limit_exceeded")


def test_the_openapi_schema_is_served(client):
    schema = client.get("/v1/openapi.json").json()
    assert set(schema["paths"]) == {"/v1/videos", "/v1/videos/{video_id}", "/v1/videos/{video_id}/content",
                                    "/v1/videos/{video_id}/remix", "/v1/videos/extensions", "/v1/videos/characters",
                                    "/v1/videos/characters/{character_id}"}
