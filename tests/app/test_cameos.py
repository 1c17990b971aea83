"""Making cameos (a verified recording, a character, the world's characters), what the engine receives, and the
owner's view of every video that uses theirs."""

import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from vidora.app.cameos import services
from vidora.app.cameos.models import Cameo, CameoEvent, Challenge
from vidora.app.moderation.models import RefusedPrompt
from vidora.app.social.models import Post
from vidora.app.social.services import publish
from vidora.app.studio import engine
from vidora.app.studio.models import Generation
from vidora.app.studio.services import create_generation
from vidora.cameos import face_embeddings
from vidora.world.characters import by_name, sprite

from ..cameos.recordings import OTHER_PHRASE, PHRASE, astronaut, clip, hopper, verified_once
from .test_cameo_permissions import api_client, fast_passwords, png  # noqa: F401 (an autouse fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def verify_each_recording_once(monkeypatch):
    from vidora.app.cameos import tasks

    monkeypatch.setattr(tasks, "verify_recording", verified_once)


def recorded(user, face="hopper", said=PHRASE, client=None, django_capture_on_commit_callbacks=None):
    """``user`` records ``face`` reading ``said`` for the challenge PHRASE and sends it; the job runs."""
    Challenge.objects.filter(user=user).update(phrase=PHRASE)
    with open(clip(face, said), "rb") as f:
        upload = SimpleUploadedFile("cameo.mp4", f.read(), content_type="video/mp4")
    with django_capture_on_commit_callbacks(execute=True):
        if client is None:
            services.issue_challenge(user)
            Challenge.objects.filter(user=user).update(phrase=PHRASE)
            services.submit_recording(user, upload)
        else:
            response = client.post(reverse("cameos:record"), {"recording": upload})
            assert response.status_code == 302, response.content.decode()[-2000:]
    return Cameo.objects.get(owner=user, kind="person")


def test_record_in_the_browser_flow_verifies_in_a_job(client, make_user, eager_jobs, django_capture_on_commit_callbacks):
    ada = make_user("ada")
    client.force_login(ada)
    page = client.get(reverse("cameos:record")).content.decode()
    phrase = Challenge.objects.get(user=ada).phrase
    assert phrase in page and "cameo-recorder.js" in page and 'type="file"' in page
    cameo = recorded(ada, client=client, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert cameo.status == "active" and cameo.handle == "ada" and cameo.problems == []
    assert len(cameo.embedding) == 128 and cameo.reference and not cameo.recording  # the recording is not kept
    assert not Challenge.objects.filter(user=ada).exists()  # one recording per phrase
    assert list(cameo.events.values_list("action", flat=True)) == ["verified", "created"]
    home = client.get(reverse("cameos:home")).content.decode()
    assert "@ada" in home and "Create your cameo" not in home
    picture = client.get(reverse("cameos:reference", args=["ada"]))
    assert picture["Content-Type"] == "image/png"


def test_a_failed_recording_says_what_to_redo(client, make_user, eager_jobs, django_capture_on_commit_callbacks):
    ada = make_user("ada")
    cameo = recorded(ada, said=OTHER_PHRASE, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert cameo.status == "failed" and "did not hear the phrase" in cameo.problems[0] and cameo.embedding is None
    client.force_login(ada)
    page = client.get(reverse("cameos:home")).content.decode()
    assert "did not hear the phrase" in page and "Record again" in page
    services.issue_challenge(ada)
    again = services.submit_recording(ada, SimpleUploadedFile("take2.webm", b"..."))  # replaces the failed try
    assert again.status == "verifying" and list(Cameo.objects.filter(owner=ada)) == [again]


def test_one_face_one_cameo_across_accounts(make_user, eager_jobs, django_capture_on_commit_callbacks):
    first = recorded(make_user("ada"), django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    copy = recorded(make_user("bob"), django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert first.status == "active" and copy.status == "failed" and copy.embedding is None
    assert "already has a cameo on another account" in copy.problems[0]
    other = recorded(make_user("cyd"), face="astronaut", django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert other.status == "active"


def test_recording_needs_a_fresh_challenge_and_one_person_cameo(make_user):
    ada = make_user("ada")
    upload = SimpleUploadedFile("cameo.webm", b"x")
    with pytest.raises(services.CameoError, match="ask for a challenge"):
        services.submit_recording(ada, upload)
    services.issue_challenge(ada)
    Challenge.objects.update(created_at=Challenge.objects.get().created_at.replace(year=2000))
    with pytest.raises(services.CameoError, match="ask for a challenge"):
        services.submit_recording(ada, upload)
    Cameo.objects.create(owner=ada, handle="ada", kind="person", status="active")
    services.issue_challenge(ada)
    with pytest.raises(services.CameoError, match="already have a cameo of yourself"):
        services.submit_recording(ada, upload)


def test_verification_over_the_api(make_user, eager_jobs, django_capture_on_commit_callbacks):
    ada = make_user("ada")
    api = api_client(ada)
    assert api.post("/api/cameos/verify", {"recording": io.BytesIO(b"x")}).json()["error"]["param"] == "challenge"
    challenge = api.post("/api/cameos/challenge").json()
    assert len(challenge["phrase"].split()) == 5 and challenge["expires_at"]
    Challenge.objects.update(phrase=PHRASE)
    with open(clip("hopper"), "rb") as f, django_capture_on_commit_callbacks(execute=True):
        sent = api.post("/api/cameos/verify", {"recording": f, "handle": "ada_live"})
    assert sent.status_code == 202 and sent.json()["status"] == "verifying"
    body = api.get("/api/cameos/ada_live").json()
    assert body["status"] == "active" and body["audience"] == "only_me" and body["reference_url"]
    assert api.post("/api/cameos/verify", {"recording": io.BytesIO(b"x")}).json()["error"]["param"] == "challenge"


def test_character_cameos_from_an_image_or_clip_with_their_own_handles(client, make_user):
    ada = make_user("ada")
    make_user("bob")
    client.force_login(ada)
    response = client.post(reverse("cameos:character"), {"handle": "@Biscuit", "name": "Biscuit", "file": png()})
    assert response.status_code == 302
    cameo = Cameo.objects.get(handle="biscuit")
    assert (cameo.kind, cameo.status, cameo.audience, cameo.owner) == ("character", "active", "only_me", ada)
    page = client.post(reverse("cameos:character"), {"handle": "bob", "file": png()}).content.decode()
    assert "someone else&#x27;s account handle" in page
    page = client.post(reverse("cameos:character"), {"handle": "gajuta", "file": png()}).content.decode()
    assert "@gajuta is taken" in page
    api = api_client(ada)
    bad = api.post("/api/cameos/characters", {"handle": "rock", "file": io.BytesIO(b"not media")})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "file"
    made = api.post("/api/cameos/characters", {"handle": "rock", "name": "Rock", "file": png((90, 90, 90))})
    assert made.status_code == 201 and made.json()["kind"] == "character"
    assert [c["handle"] for c in api.get("/api/cameos?mine=true").json()["items"]] == ["biscuit", "rock"]


def test_the_cameo_forms_say_an_error_once(client, make_user):
    client.force_login(make_user("ada"))
    page = client.post(reverse("cameos:character"), {"handle": "gajuta", "file": png()}).content.decode()
    assert page.count("@gajuta is taken") == 1
    page = client.post(reverse("cameos:record"), {"recording": SimpleUploadedFile("cameo.webm", b"x")}).content.decode()
    assert page.count("ask for a challenge phrase first") == 1  # no challenge was asked for


def test_a_character_cannot_be_a_verified_persons_face(make_user):
    ada, bob = make_user("ada"), make_user("bob")
    verified = verified_once(clip("hopper"), PHRASE)  # Ada's verified cameo
    Cameo.objects.create(owner=ada, handle="ada", kind="person", status="active", embedding=verified.embedding)
    photo = io.BytesIO()
    Image.fromarray(hopper()).save(photo, format="JPEG")  # a photo of her from elsewhere
    upload = lambda: SimpleUploadedFile("grace.jpg", photo.getvalue())  # noqa: E731
    with pytest.raises(services.CameoError, match="face of someone with a verified cameo"):
        services.create_character(bob, "grace", upload())
    with pytest.raises(services.CameoError, match="your own face: use your verified cameo @ada"):
        services.create_character(ada, "me_again", upload())
    assert not Cameo.objects.filter(kind="character").exists()
    # A drawn face is not a person's: Kisu's sprite has one (dlib finds it) and stays a character.
    drawn = Image.fromarray(sprite(by_name("Kisu").index, 256), "RGBA")
    assert face_embeddings(drawn)
    kisu = services.create_character(bob, "kisu2", SimpleUploadedFile("kisu.png", services.png_bytes(drawn)))
    assert kisu.kind == "character" and kisu.status == "active"


def test_a_character_cannot_be_a_real_person(client, make_user):
    """Nobody here has a cameo: a photo or a clip of a person is still refused, and told to make a cameo instead."""
    from skimage import data

    ada = make_user("ada")
    photo = io.BytesIO()
    Image.fromarray(astronaut()).save(photo, format="JPEG")
    refusal = "real person's face.*make a cameo of yourself instead"
    with pytest.raises(services.CameoError, match=refusal):
        services.create_character(ada, "eileen", SimpleUploadedFile("eileen.jpg", photo.getvalue()))
    with open(clip("hopper"), "rb") as f, pytest.raises(services.CameoError, match=refusal):
        services.create_character(ada, "grace", SimpleUploadedFile("grace.mp4", f.read()))
    client.force_login(ada)
    page = client.post(reverse("cameos:character"), {"handle": "eileen", "file": io.BytesIO(photo.getvalue())})
    assert page.content.decode().count("make a cameo of yourself instead") == 1
    bad = api_client(ada).post("/api/cameos/characters", {"handle": "eileen", "file": io.BytesIO(photo.getvalue())})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "file"
    assert not Cameo.objects.filter(kind="character").exists()
    cat = io.BytesIO()
    Image.fromarray(data.chelsea()).save(cat, format="JPEG")  # a pet's photo is a character
    assert services.create_character(ada, "chelsea", SimpleUploadedFile("chelsea.jpg", cat.getvalue())).kind == "character"


def test_a_characters_name_cannot_be_a_real_persons(make_user):
    """The engine reads a character's name wherever its @handle is, so the name passes prompt moderation."""
    ada = make_user("ada")
    with pytest.raises(services.CameoError, match="name: .*refused"):
        services.create_character(ada, "dtr", SimpleUploadedFile("dt.png", png().getvalue()), "Donald Trump")
    bad = api_client(ada).post("/api/cameos/characters", {"handle": "taylorswift", "file": png()})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "name"
    assert not Cameo.objects.filter(kind="character").exists()
    assert RefusedPrompt.objects.filter(user=ada, category="real_person").count() == 2  # moderators see both


def test_world_characters_are_everyones_cameos(make_user):
    ada = make_user("ada")
    gajuta = Cameo.objects.get(handle="gajuta")
    assert (gajuta.kind, gajuta.owner, gajuta.name) == ("world", None, "Gajuta") and services.may_use(gajuta, ada)
    assert Cameo.objects.filter(kind="world").count() == 64
    picture = services.picture(gajuta)
    assert np.array_equal(np.asarray(picture), sprite(by_name("Gajuta").index, 256))
    assert api_client(ada).get("/api/cameos?limit=100").json()["count"] == 64


def test_the_engine_receives_the_cameos_picture_and_name(make_user, monkeypatch):
    ada = make_user("ada")
    calls = []
    monkeypatch.setattr(engine, "pipeline", lambda: lambda **kwargs: calls.append(kwargs))
    world = create_generation(ada, "@gajuta rolls on the grass")
    engine.run(world, lambda fraction: None)
    assert calls[-1]["prompt"] == "Gajuta rolls on the grass"
    assert np.array_equal(calls[-1]["reference"], sprite(by_name("Gajuta").index, 256))

    mine = services.create_character(ada, "biscuit", SimpleUploadedFile("b.png", png().getvalue()), "Biscuit")
    shots = [{"prompt": "a ball", "seconds": 1}, {"prompt": "@biscuit jumps", "seconds": 1}]
    board = create_generation(ada, "", Generation.Task.STORYBOARD, {"shots": shots})
    engine.run(board, lambda fraction: None)
    assert [shot.prompt for shot in calls[-1]["storyboard"]] == ["a ball", "Biscuit jumps"]
    assert calls[-1]["reference"].shape == (48, 48, 4) and calls[-1]["reference"][0, 0, 0] == 200
    plain = create_generation(ada, "a red ball, mail me at a@b.example")
    engine.run(plain, lambda fraction: None)
    assert "reference" not in calls[-1] and not plain.cameo_uses.exists()
    assert mine.uses.count() == 1


def test_the_owner_sees_and_removes_every_use(client, make_user):
    ada, bob = make_user("ada"), make_user("bob")
    biscuit = services.create_character(ada, "biscuit", SimpleUploadedFile("b.png", png().getvalue()), "Biscuit")
    services.set_permissions(biscuit, ada, audience=Cameo.Audience.EVERYONE)
    draft = create_generation(bob, "@biscuit sleeps")
    shown = create_generation(bob, "@biscuit jumps")
    Generation.objects.filter(pk=shown.pk).update(status="completed", video="videos/x.mp4", thumbnail="thumbnails/x.png")
    shown.refresh_from_db()
    post = publish(shown)
    client.force_login(ada)
    page = client.get(reverse("cameos:detail", args=["biscuit"])).content.decode()
    assert draft.id in page and shown.id in page and "@bob" in page and "posted" in page
    assert {u["generation_id"] for u in api_client(ada).get("/api/cameos/biscuit/uses").json()["items"]} == {draft.id, shown.id}

    assert client.post(reverse("cameos:remove", args=["biscuit", shown.id])).status_code == 302
    assert not Generation.objects.filter(pk=shown.id).exists() and not Post.objects.filter(pk=post.pk).exists()
    removal = CameoEvent.objects.get(action="removed")
    assert removal.generation_id == shown.id and removal.actor == ada and "@bob (posted): @biscuit jumps" in removal.detail
    assert api_client(ada).delete(f"/api/cameos/biscuit/uses/{draft.id}").status_code == 204
    assert not Generation.objects.filter(owner=bob).exists()
    # Someone else cannot remove, nor see, the uses.
    assert api_client(bob).get("/api/cameos/biscuit/uses").status_code == 404
    client.force_login(bob)
    assert client.get(reverse("cameos:detail", args=["biscuit"])).status_code == 404


def test_permissions_page_and_api(client, make_user):
    ada, bob = make_user("ada"), make_user("bob")
    biscuit = services.create_character(ada, "biscuit", SimpleUploadedFile("b.png", png().getvalue()), "Biscuit")
    client.force_login(ada)
    saved = client.post(reverse("cameos:detail", args=["biscuit"]),
                        {"audience": "approved", "approved": "@bob", "restrictions": "no alcohol"})
    assert saved.status_code == 302
    biscuit.refresh_from_db()
    assert biscuit.audience == "approved" and list(biscuit.approved.all()) == [bob] and biscuit.restrictions == "no alcohol"
    bad = client.post(reverse("cameos:detail", args=["biscuit"]), {"audience": "everyone", "approved": "@nobody"})
    assert "No such account: @nobody" in bad.content.decode()
    api = api_client(ada)
    changed = api.patch("/api/cameos/biscuit", {"audience": "mutuals", "approved": []}, content_type="application/json")
    assert changed.json()["cameo"]["audience"] == "mutuals" and changed.json()["cameo"]["approved"] == []
    assert api.post("/api/cameos/biscuit/revoke").json()["cameo"]["revoked"] is True
    assert api.post("/api/cameos/biscuit/restore").json()["revoked"] is False
    log = [e["action"] for e in api.get("/api/cameos/biscuit/events").json()["items"]]
    assert {"created", "permissions", "revoked", "restored"} == set(log)
    # What others see: no audience or approved list, and nothing at all without permission.
    assert api_client(bob).get("/api/cameos/biscuit").status_code == 404
    client.force_login(bob)
    assert client.get(reverse("cameos:reference", args=["biscuit"])).status_code == 404
