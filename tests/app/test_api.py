"""The native JSON API (/api/): what the site does, signed in with an API key or the browser session."""

import base64
import io

import pytest
from django.test import Client
from PIL import Image

from vidora.app.api.models import ApiKey
from vidora.app.social.models import Notification, Post
from vidora.app.studio.models import Generation

from .test_social import finished

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(make_user):
    """A test client that sends ``handle``'s API key (the user is created on first use)."""

    def client_for(handle: str) -> Client:
        user = make_user(handle)
        _, secret = ApiKey.issue(user, "tests")
        client = Client(headers={"Authorization": f"Bearer {secret}"})
        client.user = user
        return client

    return client_for


def png_data_url(colour=(10, 200, 30), size=(16, 16)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_generations_text_image_storyboard_and_their_refusals(as_user):
    ada = as_user("ada")
    text = ada.post("/api/generations", {"prompt": "a red ball", "seconds": 2, "style": "pixel", "seed": 4},
                    content_type="application/json")
    assert text.status_code == 201, text.json()
    body = text.json()
    assert (body["task"], body["status"], body["queue_position"]) == ("text", "queued", 1)
    assert body["options"] == {"seconds": 2, "style": "pixel", "seed": 4}

    image = ada.post("/api/generations", {"prompt": "a ball", "image": png_data_url()}, content_type="application/json")
    assert image.json()["task"] == "image" and Generation.objects.get(pk=image.json()["id"]).input_image
    upload = io.BytesIO(base64.b64decode(png_data_url().split(",")[1]))
    upload.name = "first.png"
    multipart = ada.post("/api/generations", {"prompt": "a ball", "seconds": "1.5", "image": upload})
    assert multipart.status_code == 201 and multipart.json()["task"] == "image"
    assert multipart.json()["options"] == {"seconds": 1.5}

    board = ada.post("/api/generations", {"storyboard": [{"prompt": "a ball rolls", "seconds": 1},
                                                         {"prompt": "it falls", "seconds": 0.5}]},
                     content_type="application/json")
    assert board.json()["task"] == "storyboard" and len(board.json()["options"]["shots"]) == 2

    for bad, param in [({"prompt": "x", "style": "oil"}, "style"), ({"prompt": "x", "seconds": -1}, "seconds"),
                       ({"prompt": "x", "image": "data:image/png;base64,AAAA"}, "image"),
                       ({"prompt": "x", "image": "https://example.com/a.png"}, "image")]:
        response = ada.post("/api/generations", bad, content_type="application/json")
        error = response.json()["error"]
        assert response.status_code == 400 and error["param"] == param and error["type"] == "invalid_request_error"
        assert error["message"].startswith(f"{param}: ")
    empty = ada.post("/api/generations", {"prompt": "  "}, content_type="application/json")
    assert empty.status_code == 400 and "describe the video" in empty.json()["error"]["message"]
    both = ada.post("/api/generations", {"image": png_data_url(), "storyboard": [{"prompt": "a", "seconds": 1}]},
                    content_type="application/json")
    assert both.status_code == 400 and "storyboard" in both.json()["error"]["message"]
    assert Generation.objects.count() == 4

    listed = ada.get("/api/generations?limit=2").json()
    assert listed["count"] == 4 and len(listed["items"]) == 2 and listed["items"][0]["task"] == "storyboard"


def test_someone_elses_generation_is_a_404_and_content_downloads(as_user, tmp_path):
    ada, bob = as_user("ada"), as_user("bob")
    (tmp_path / "media" / "videos").mkdir(parents=True)
    (tmp_path / "media" / "videos" / "x.mp4").write_bytes(bytes(range(50)))
    draft = finished(ada.user)
    mine = ada.get(f"/api/generations/{draft.id}").json()
    assert mine["video_url"] == f"/api/generations/{draft.id}/content?variant=video"
    video = ada.get(mine["video_url"], headers={"Range": "bytes=0-9"})
    assert video.status_code == 206 and b"".join(video.streaming_content) == bytes(range(10))
    assert ada.get(f"/api/generations/{draft.id}/content?variant=spritesheet").status_code == 404
    for method, url in [("get", f"/api/generations/{draft.id}"), ("get", mine["video_url"]),
                        ("delete", f"/api/generations/{draft.id}"), ("post", f"/api/generations/{draft.id}/extend")]:
        response = getattr(bob, method)(url, {}, content_type="application/json")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert ada.delete(f"/api/generations/{draft.id}").status_code == 204
    assert not Generation.objects.exists()


def test_extend_and_publish_then_the_social_graph(as_user):
    ada, bob = as_user("ada"), as_user("bob")
    source = finished(ada.user, seconds=2.0)
    queued = ada.post("/api/generations", {"prompt": "a ball"}, content_type="application/json").json()
    assert ada.post(f"/api/generations/{queued['id']}/extend", {}, content_type="application/json").status_code == 400
    longer = ada.post(f"/api/generations/{source.id}/extend", {"direction": "backward", "seconds": 1},
                      content_type="application/json").json()
    assert (longer["task"], longer["source_id"], longer["options"]) == ("extend", source.id,
                                                                         {"seconds": 1.0, "direction": "backward"})

    post = ada.post(f"/api/generations/{source.id}/publish", {"caption": "hello"}, content_type="application/json")
    assert post.status_code == 201
    post = post.json()
    assert post["url"] == f"http://testserver/p/{post['id']}/" and post["author"] == "ada" and not post["liked"]
    again = ada.post(f"/api/generations/{source.id}/publish", {}, content_type="application/json")
    assert again.status_code == 400 and "already posted" in again.json()["error"]["message"]

    assert bob.put(f"/api/posts/{post['id']}/like").json() == {"liked": True, "like_count": 1}
    assert bob.put(f"/api/posts/{post['id']}/like").json() == {"liked": True, "like_count": 1}  # idempotent
    assert bob.get(f"/api/posts/{post['id']}").json()["liked"] is True
    top = bob.post(f"/api/posts/{post['id']}/comments", {"text": "lovely"}, content_type="application/json").json()
    reply = ada.post(f"/api/posts/{post['id']}/comments", {"text": "thanks", "parent": top["id"]},
                     content_type="application/json").json()
    deeper = bob.post(f"/api/posts/{post['id']}/comments", {"text": "!", "parent": reply["id"]},
                      content_type="application/json").json()
    assert reply["parent_id"] == top["id"] and deeper["parent_id"] == top["id"]  # one level of replies
    threads = Client().get(f"/api/posts/{post['id']}/comments").json()  # public
    assert threads["count"] == 1 and [r["text"] for r in threads["items"][0]["replies"]] == ["thanks", "!"]
    assert bob.post(f"/api/posts/{post['id']}/comments", {"text": "x", "parent": 999},
                    content_type="application/json").status_code == 404

    assert bob.put("/api/users/ada/follow").status_code == 204
    profile = bob.get("/api/users/ada").json()
    assert (profile["followers"], profile["posts"], profile["followed_by_you"]) == (1, 1, True)
    assert bob.put("/api/users/bob/follow").json()["error"]["message"] == "You cannot follow yourself."
    following = bob.get("/api/feed/following").json()
    assert [p["id"] for p in following["items"]] == [post["id"]] and following["items"][0]["liked"]
    assert Client().get("/api/feed/following").json()["count"] == 0  # anonymous: nobody followed
    assert Client().get("/api/feed/for-you").json()["items"][0]["id"] == post["id"]
    assert bob.post(f"/api/feed/see-less/{post['id']}").status_code == 204
    assert bob.get("/api/feed/for-you").json()["count"] == 0

    assert bob.post(f"/api/posts/{post['id']}/views").json() == {"counted": True, "view_count": 1}
    assert bob.post(f"/api/posts/{post['id']}/views").json() == {"counted": False, "view_count": 1}

    kinds = sorted(n["kind"] for n in ada.get("/api/notifications?unread=true").json()["items"])
    assert kinds == ["comment", "comment", "follow", "like"]
    assert ada.post("/api/notifications/read").status_code == 204
    assert ada.get("/api/notifications?unread=true").json()["count"] == 0

    assert bob.delete(f"/api/posts/{post['id']}/like").json() == {"liked": False, "like_count": 0}
    assert bob.delete("/api/users/ada/follow").status_code == 204
    assert bob.get("/api/users/ada").json()["followers"] == 0


def test_remix_chain_is_navigable_both_ways(as_user):
    ada, bob = as_user("ada"), as_user("bob")
    source = Post.objects.get(pk=ada.post(f"/api/generations/{finished(ada.user).id}/publish", {},
                                          content_type="application/json").json()["id"])
    queued = bob.post(f"/api/posts/{source.pk}/remix", {"prompt": "the same, in blue", "strength": 0.4},
                      content_type="application/json").json()
    assert (queued["task"], queued["source_id"], queued["options"]) == ("remix", source.generation_id, {"strength": 0.4})
    assert bob.post(f"/api/posts/{source.pk}/remix", {"prompt": "x", "strength": 3},
                    content_type="application/json").json()["error"]["param"] == "strength"
    Generation.objects.filter(pk=queued["id"]).update(status="completed", video="videos/y.mp4")
    remix = bob.post(f"/api/generations/{queued['id']}/publish", {}, content_type="application/json").json()
    assert remix["remix_of_id"] == source.pk  # up the chain
    down = Client().get(f"/api/posts/{source.pk}/remixes").json()
    assert [p["id"] for p in down["items"]] == [remix["id"]] and Client().get(f"/api/posts/{source.pk}").json()["remix_count"] == 1
    assert Notification.objects.filter(recipient=ada.user, kind="remix").exists()


def test_own_profile_avatar_and_invites(as_user):
    ada = as_user("ada")
    me = ada.patch("/api/me", {"display_name": " Ada L. ", "bio": "I make balls bounce"}, content_type="application/json")
    assert me.json()["display_name"] == "Ada L." and me.json()["is_teen"] is False
    assert ada.patch("/api/me", {"bio": "x" * 281}, content_type="application/json").json()["error"]["param"] == "bio"
    buffer = io.BytesIO(b"GIF89a not really")
    buffer.name = "a.gif"
    bad = ada.post("/api/me/avatar", {"avatar": buffer})
    assert bad.status_code == 400 and bad.json()["error"]["message"].startswith("avatar: That file is not a readable image")
    good = io.BytesIO(base64.b64decode(png_data_url().split(",")[1]))
    good.name = "me.png"
    assert ada.post("/api/me/avatar", {"avatar": good}).json()["avatar_url"].startswith("/media/avatars/")
    invites = ada.get("/api/me/invites").json()
    assert len(invites) == 3 and invites[0]["signup_url"].startswith("http://testserver/accounts/signup/?invite=")


def test_session_auth_needs_the_csrf_token(make_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user("ada"))
    assert browser.get("/api/me").json()["handle"] == "ada"
    refused = browser.post("/api/generations", {"prompt": "a ball"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["type"] == "permission_error"
    browser.get("/accounts/settings/")  # sets the CSRF cookie, as any page does
    token = browser.cookies["csrftoken"].value
    allowed = browser.post("/api/generations", {"prompt": "a ball"}, content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert allowed.status_code == 201


def test_no_key_bad_key_and_unknown_paths_are_json(client, make_user):
    missing = client.get("/api/generations")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "missing_api_key"
    wrong = client.get("/api/generations", headers={"Authorization": "Bearer vk-nope"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_api_key"
    unknown = client.get("/api/nothing-here")
    assert unknown.status_code == 404 and "No such endpoint" in unknown.json()["error"]["message"]
    assert client.get("/api/posts/nope").json()["error"]["code"] == "not_found"
    malformed = client.post("/api/generations", "{not json", content_type="application/json",
                            headers={"Authorization": f"Bearer {ApiKey.issue(make_user('ada'), 'k')[1]}"})
    assert malformed.status_code == 400


def test_generation_limits_are_shared_by_the_studio_and_the_apis(as_user, client, settings):
    settings.VIDORA = {**settings.VIDORA, "RATES": {**settings.VIDORA["RATES"], "generate": "2/h"}}
    ada = as_user("ada")
    assert ada.post("/api/generations", {"prompt": "a ball"}, content_type="application/json").status_code == 201
    client.force_login(ada.user)
    assert client.post("/studio/", {"prompt": "a ball", "seconds": 2}).status_code == 302
    limited = ada.post("/api/generations", {"prompt": "a ball"}, content_type="application/json")
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limit_exceeded"


def test_api_docs_and_schema_are_served(client):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert "/api/generations" in schema["paths"] and "multipart/form-data" in \
        schema["paths"]["/api/generations"]["post"]["requestBody"]["content"]


def test_staff_mint_invites(as_user, client):
    ada = as_user("ada")
    assert ada.post("/api/me/invites", {"count": 2}, content_type="application/json").status_code == 403
    ada.user.is_staff = True
    ada.user.save()
    minted = ada.post("/api/me/invites", {"count": 2}, content_type="application/json")
    assert minted.status_code == 201 and len(minted.json()) == 2
    assert ada.post("/api/me/invites", {"count": 500}, content_type="application/json").json()["error"]["param"] == "count"
    client.force_login(ada.user)
    assert "Mint invites" in client.get("/accounts/settings/").content.decode()
    client.post("/accounts/invites/mint/", {"count": 3})
    assert ada.user.invites.count() == 3 + 2 + 3
