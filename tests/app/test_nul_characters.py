"""A NUL character anywhere in a request is a 400 that says where, on every database (PostgreSQL cannot store it)."""

import pytest
from django.test import Client

from vidora.app.api.models import ApiKey
from vidora.app.social.models import Comment
from vidora.app.social.services import publish
from vidora.app.studio.models import Generation

from .test_social import finished

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(make_user) -> Client:
    user = make_user("ada")
    client = Client(headers={"Authorization": f"Bearer {ApiKey.issue(user, 'tests')[1]}"})
    client.user = user
    return client


def test_the_apis_refuse_nul_with_the_parameter_named(ada):
    post = publish(finished(ada.user))
    requests = [
        (ada.get("/api/posts/a%00b"), "path"),
        (ada.get("/api/users/x%00"), "path"),
        (ada.get("/v1/videos?after=a%00b"), "after"),
        (ada.post("/api/generations", {"prompt": "a\x00b"}, content_type="application/json"), "prompt"),
        (ada.post("/api/generations", {"prompt": "a ball", "storyboard": [{"prompt": "x\x00", "seconds": 1}]},
                  content_type="application/json"), "storyboard.0.prompt"),
        (ada.post(f"/api/posts/{post.pk}/comments", {"text": "nice\x00"}, content_type="application/json"), "text"),
        (ada.post("/v1/videos", {"prompt": "a\x00b", "seconds": "1"}), "prompt"),  # multipart, as the openai package sends
    ]
    for response, param in requests:
        assert response.status_code == 400, response.content
        error = response.json()["error"]
        assert (error["param"], error["type"]) == (param, "invalid_request_error") and "NUL character" in error["message"]
    assert not Generation.objects.exclude(pk=post.generation_id).exists() and not Comment.objects.exists()


def test_pages_refuse_nul_too(client, make_user):
    ada = make_user("ada")
    post = publish(finished(ada))
    client.force_login(ada)
    for response in (client.get("/p/a%00b/"), client.get("/feed/?offset=1%00"),
                     client.post(f"/p/{post.pk}/comment/", {"text": "nice\x00"})):
        assert response.status_code == 400 and "NUL character" in response.content.decode()
    assert not Comment.objects.exists()


def test_unreadable_form_data_is_a_400_and_a_body_over_the_limit_still_a_413(ada, settings):
    broken = ada.generic("POST", "/v1/videos", b"--x\r\nnot a part", content_type="multipart/form-data")
    assert broken.status_code == 400 and broken.json()["error"]["message"].startswith("The form data could not be read")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    big = ada.post("/api/generations", {"prompt": "a ball " * 50}, content_type="application/json")
    assert big.status_code == 413 and big.json()["error"]["code"] == "request_too_large"
