"""The adversarial permission suite: every way to use someone else's cameo without permission is refused.

Alice owns the character cameo @biscuit. Mallory, who has no permission, tries each way in; Carol is someone Alice
approves. Every refusal is checked where it shows: a form error, the native API's and the OpenAI-compatible API's
403 with code ``cameo_permission_denied``, or a job that fails with that code and delivers nothing.
"""

import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from vidora.app.api.models import ApiKey
from vidora.app.cameos import services
from vidora.app.cameos.models import Cameo, CameoEvent
from vidora.app.provenance import provenance_settings
from vidora.app.quotas import services as quotas
from vidora.app.social.models import Post
from vidora.app.social.services import follow, publish
from vidora.app.studio import engine
from vidora.app.studio.models import Generation
from vidora.app.studio.services import create_generation, new_generation
from vidora.app.studio.tasks import run_generation
from vidora.cameos import face_embeddings
from vidora.media import read_mp4, write_mp4
from vidora.provenance import AudioFingerprint, VideoFingerprint, stamp

from ..cameos.recordings import hopper
from ..provenance.conftest import world_clip
from .test_social import finished

pytestmark = pytest.mark.django_db
DENIED = "cameo_permission_denied"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # accounts are not under test


def png(colour=(200, 120, 40)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGBA", (48, 48), colour + (255,)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "biscuit.png"
    return buffer


def api_client(user) -> Client:
    _, secret = ApiKey.issue(user, "tests")
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def mallory(make_user):
    return make_user("mallory")


@pytest.fixture
def biscuit(alice) -> Cameo:
    """Alice's cameo, shared with nobody."""
    return services.create_character(alice, "biscuit", SimpleUploadedFile("biscuit.png", png().getvalue()), "Biscuit")


def shared_with_everyone(cameo: Cameo) -> Cameo:
    services.set_permissions(cameo, cameo.owner, audience=Cameo.Audience.EVERYONE)
    return cameo


def denied(response) -> dict:
    assert response.status_code == 403, response.content
    error = response.json()["error"]
    assert error["code"] == DENIED and error["type"] == "permission_error"
    return error


def failed_for_consent(generation: Generation) -> None:
    generation.refresh_from_db()
    assert generation.status == "failed" and generation.error_code == DENIED and not generation.video


# --- asking for a new video ---------------------------------------------------------------------------------------


def test_studio_form_refuses_someone_elses_cameo(client, mallory, biscuit):
    client.force_login(mallory)
    page = client.post(reverse("studio:home"), {"prompt": "@biscuit chases a red ball", "seconds": 2})
    assert page.status_code == 200 and "@biscuit: you may not use this cameo" in page.content.decode()
    assert not Generation.objects.exists()


def test_native_api_refuses_it(mallory, biscuit):
    error = denied(api_client(mallory).post("/api/generations", {"prompt": "a cat, @Biscuit, on the sea"},
                                            content_type="application/json"))
    assert error["param"] == "prompt" and "@biscuit" in error["message"]
    assert not Generation.objects.exists()


def test_openai_compatible_api_refuses_it_with_the_code(mallory, biscuit):
    denied(api_client(mallory).post("/v1/videos", {"prompt": "@biscuit runs", "model": "sora-2", "seconds": "4"}))
    own = finished(mallory)
    denied(api_client(mallory).post(f"/v1/videos/{own.id}/remix", {"prompt": "now with @biscuit"},
                                    content_type="application/json"))
    denied(api_client(mallory).post("/v1/videos/extensions", {"prompt": "@biscuit arrives", "seconds": "2",
                                                              "video": {"id": own.id}}, content_type="application/json"))
    assert Generation.objects.count() == 1


def test_storyboard_shots_are_checked_too(client, mallory, biscuit):
    client.force_login(mallory)
    board = "1 | a red ball rolls\n1 | @biscuit catches it"
    page = client.post(reverse("studio:home"), {"prompt": "", "seconds": 2, "storyboard": board})
    assert page.status_code == 200 and "@biscuit: you may not use this cameo" in page.content.decode()
    shots = [{"prompt": "a red ball rolls", "seconds": 1}, {"prompt": "@biscuit catches it", "seconds": 1}]
    denied(api_client(mallory).post("/api/generations", {"storyboard": shots}, content_type="application/json"))
    with pytest.raises(services.CameoPermissionDenied):
        new_generation(mallory, "", shots=shots)


def test_mentions_of_unknown_or_deleted_cameos_are_refused_the_same_way(mallory, biscuit):
    error = denied(api_client(mallory).post("/api/generations", {"prompt": "@nobody_here dances"},
                                            content_type="application/json"))
    assert "@nobody_here" in error["message"]
    assert "@biscuit" in denied(api_client(mallory).post("/api/generations", {"prompt": "@biscuit dances"},
                                                         content_type="application/json"))["message"]


# --- remixing and extending videos that show a cameo --------------------------------------------------------------


@pytest.fixture
def carols_post(make_user, biscuit):
    """Carol, whom Alice approves, made and posted a video starring @biscuit."""
    carol = make_user("carol")
    services.set_permissions(biscuit, biscuit.owner, audience=Cameo.Audience.APPROVED, approved=[carol])
    video = create_generation(carol, "@biscuit naps in the sun")
    Generation.objects.filter(pk=video.pk).update(status="completed", video="videos/x.mp4", thumbnail="thumbnails/x.png")
    video.refresh_from_db()
    return publish(video)


def test_remixing_a_post_that_shows_the_cameo_is_refused(client, mallory, carols_post):
    error = denied(api_client(mallory).post(f"/api/posts/{carols_post.pk}/remix", {"prompt": "the same, at night"},
                                            content_type="application/json"))
    assert "shows the cameo @biscuit" in error["message"]
    client.force_login(mallory)
    page = client.post(reverse("social:remix", args=[carols_post.pk]), {"prompt": "the same, at night"}, follow=True)
    assert "shows the cameo @biscuit, which you may not use" in page.content.decode()
    assert Generation.objects.filter(owner=mallory).count() == 0
    # Carol, who may use @biscuit, can remix it; her remix is a use of @biscuit too.
    remix = create_generation(carols_post.author, "the same, at night", Generation.Task.REMIX, source=carols_post.generation)
    assert [use.cameo.handle for use in remix.cameo_uses.all()] == ["biscuit"]


def test_editing_a_queued_job_to_add_the_cameo_is_refused(mallory, biscuit):
    queued = create_generation(mallory, "a red ball bounces")
    error = denied(api_client(mallory).patch(f"/api/generations/{queued.id}", {"prompt": "@biscuit bounces"},
                                             content_type="application/json"))
    assert error["param"] == "prompt"
    queued.refresh_from_db()
    assert queued.prompt == "a red ball bounces" and not queued.cameo_uses.exists()
    # Changed behind the services' back (the admin, the database): the worker asks again before it starts.
    Generation.objects.filter(pk=queued.pk).update(prompt="@biscuit bounces")
    run_generation(queued.id)
    failed_for_consent(queued)


def test_editing_is_for_queued_jobs_only_and_keeps_the_rules(mallory, make_user):
    queued = create_generation(mallory, "a red ball")
    assert api_client(mallory).patch(f"/api/generations/{queued.id}", {"prompt": "a blue ball"},
                                     content_type="application/json").json()["prompt"] == "a blue ball"
    done = finished(mallory)
    response = api_client(mallory).patch(f"/api/generations/{done.id}", {"prompt": "x"}, content_type="application/json")
    assert response.status_code == 400 and "only a queued generation" in response.json()["error"]["message"]
    other = api_client(make_user("zed")).patch(f"/api/generations/{queued.id}", {"prompt": "x"},
                                               content_type="application/json")
    assert other.status_code == 404


# --- consent withdrawn ---------------------------------------------------------------------------------------------


def test_after_revocation_queued_jobs_are_cancelled_and_new_ones_refused(mallory, biscuit):
    shared_with_everyone(biscuit)
    queued = create_generation(mallory, "@biscuit sails")
    own = create_generation(biscuit.owner, "@biscuit sails")
    assert set(services.revoke(biscuit, biscuit.owner)) == {queued.id, own.id}  # revoked: nobody, owner included
    failed_for_consent(queued)
    assert "Cancelled" in Generation.objects.get(pk=queued.pk).error
    assert CameoEvent.objects.filter(action="cancelled", generation_id=queued.id).exists()
    denied(api_client(mallory).post("/api/generations", {"prompt": "@biscuit sails"}, content_type="application/json"))
    run_generation(queued.id)  # the job message still arrives: it does nothing
    failed_for_consent(queued)


def test_the_owners_revoke_and_delete_buttons(client, mallory, biscuit):
    shared_with_everyone(biscuit)
    queued = create_generation(mallory, "@biscuit sails")
    client.force_login(mallory)  # not hers: nothing happens
    assert client.post(reverse("cameos:revoke", args=["biscuit"])).status_code == 404
    assert client.post(reverse("cameos:delete", args=["biscuit"])).status_code == 404
    client.force_login(biscuit.owner)
    page = client.post(reverse("cameos:revoke", args=["biscuit"]), follow=True).content.decode()
    assert "1 queued or running video(s) with it were cancelled" in page
    failed_for_consent(queued)
    client.post(reverse("cameos:restore", args=["biscuit"]))
    again = create_generation(mallory, "@biscuit sails")
    client.post(reverse("cameos:delete", args=["biscuit"]), {"remove_videos": "on"})
    assert not Generation.objects.filter(pk=again.pk).exists()
    assert list(CameoEvent.objects.filter(generation_id=again.pk).values_list("action", flat=True)) == ["removed", "cancelled"]
    assert Cameo.objects.get(pk=biscuit.pk).status == "deleted"


def test_a_cancelled_job_gives_back_what_it_cost(mallory, biscuit):
    shared_with_everyone(biscuit)
    quotas.grant(mallory, 1)
    free, paid = create_generation(mallory, "@biscuit sails"), create_generation(mallory, "@biscuit naps", use_credit=True)
    spent = quotas.quota_status(mallory)
    assert (spent.free_left, spent.credits) == (spent.free_daily - 1, 0)
    services.revoke(biscuit, biscuit.owner)
    for job_id in (free.id, paid.id, free.id):  # the job messages still arrive: nothing is given back twice
        run_generation(job_id)
        back = quotas.quota_status(mallory)
        assert (back.free_left, back.credits) == (back.free_daily, 1)


def test_a_running_job_stops_when_the_cameo_is_revoked(mallory, biscuit, monkeypatch):
    shared_with_everyone(biscuit)
    job = create_generation(mallory, "@biscuit sails")

    def revoked_midway(generation, on_progress):
        services.revoke(biscuit, biscuit.owner)
        on_progress(0.5)  # the next progress step notices
        raise AssertionError("the job should have stopped")

    monkeypatch.setattr(engine, "run", revoked_midway)
    run_generation(job.id)
    failed_for_consent(job)


def test_a_finished_job_is_not_delivered_after_revocation(mallory, biscuit, model, monkeypatch):
    shared_with_everyone(biscuit)
    job = create_generation(mallory, "@biscuit sails", options={"steps": 1})
    real_run = engine.run

    def revoked_at_the_end(generation, on_progress):
        result = real_run(generation, lambda fraction: None)
        services.revoke(biscuit, biscuit.owner)
        return result

    monkeypatch.setattr(engine, "run", revoked_at_the_end)
    run_generation(job.id)
    failed_for_consent(job)


def test_narrowing_the_audience_cancels_only_the_jobs_it_no_longer_allows(mallory, biscuit):
    shared_with_everyone(biscuit)
    theirs, own = create_generation(mallory, "@biscuit sails"), create_generation(biscuit.owner, "@biscuit sails")
    assert services.set_permissions(biscuit, biscuit.owner, audience=Cameo.Audience.ONLY_ME) == [theirs.id]
    failed_for_consent(theirs)
    own.refresh_from_db()
    assert own.status == "queued"


def test_after_the_owner_deletes_the_cameo(mallory, biscuit, carols_post):
    shared_with_everyone(biscuit)
    queued = create_generation(mallory, "@biscuit sails")
    remix = create_generation(mallory, "at night", Generation.Task.REMIX, source=carols_post.generation)
    assert api_client(biscuit.owner).delete("/api/cameos/biscuit").status_code == 204
    failed_for_consent(queued)
    failed_for_consent(remix)
    denied(api_client(mallory).post("/api/generations", {"prompt": "@biscuit sails"}, content_type="application/json"))
    denied(api_client(mallory).post(f"/api/posts/{carols_post.pk}/remix", {"prompt": "again"},
                                    content_type="application/json"))
    denied(api_client(carols_post.author).post(f"/api/generations/{carols_post.generation_id}/extend", {},
                                               content_type="application/json"))
    tombstone = Cameo.objects.get(pk=biscuit.pk)
    assert tombstone.status == "deleted" and not tombstone.reference and tombstone.handle != "biscuit"


# --- audiences and restrictions ------------------------------------------------------------------------------------


def test_audiences(make_user, mallory, biscuit):
    carol = make_user("carol")
    allowed = lambda user: services.may_use(Cameo.objects.get(pk=biscuit.pk), user)  # noqa: E731
    assert allowed(biscuit.owner) and not allowed(mallory) and not allowed(carol)
    services.set_permissions(biscuit, biscuit.owner, audience=Cameo.Audience.APPROVED, approved=[carol])
    assert allowed(carol) and not allowed(mallory)
    services.set_permissions(biscuit, biscuit.owner, audience=Cameo.Audience.MUTUALS)
    follow(mallory, biscuit.owner)
    assert not allowed(mallory)  # following is not enough: mutuals follow each other
    follow(biscuit.owner, mallory)
    assert allowed(mallory) and not allowed(carol)
    assert [c.handle for c in services.usable_cameos(mallory).filter(kind="character")] == ["biscuit"]
    services.set_permissions(biscuit, biscuit.owner, audience=Cameo.Audience.EVERYONE)
    assert allowed(carol)


def test_the_owners_restrictions_are_enforced_on_prompts_that_use_it(mallory, biscuit):
    shared_with_everyone(biscuit)
    services.set_permissions(biscuit, biscuit.owner, restrictions="no political content\nno swimming")
    client = api_client(mallory)
    error = denied(client.post("/api/generations", {"prompt": "@biscuit waves at an election rally"},
                               content_type="application/json"))
    assert "no political content" in error["message"]
    assert "no swimming" in denied(client.post("/v1/videos", {"prompt": "@biscuit swims in the sea"}))["message"]
    assert client.post("/api/generations", {"prompt": "@biscuit rolls a red ball"},
                       content_type="application/json").status_code == 201
    # A restriction added later cancels the queued jobs it refuses.
    queued = create_generation(mallory, "@biscuit drinks a beer")
    services.set_permissions(biscuit, biscuit.owner, restrictions="no alcohol")
    failed_for_consent(queued)


def test_one_cameo_per_video(make_user, biscuit):
    shared_with_everyone(biscuit)
    with pytest.raises(services.CameoPermissionDenied, match="a video can star one cameo"):
        create_generation(make_user("zed"), "@biscuit meets @gajuta")


# --- uploads: a copy of a video that shows the cameo, or a verified person's face -----------------------------------


def uploaded(data: bytes, name: str = "copy.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="video/mp4" if name.endswith(".mp4") else "image/png")


def copy_of(generation: Generation, tmp_path, watermark: bool = True) -> bytes:
    """A video as someone would download it from this instance: made as ``generation`` (watermarked and indexed by
    the worker's own ``stamp``); with ``watermark=False``, one whose mark is gone but that the index still knows."""
    clip = world_clip(7, frames=17)
    if watermark:
        return stamp(clip, tmp_path / "made.mp4", video_id=generation.id, handle=generation.owner.handle,
                     model="builtin", settings=provenance_settings()).path.read_bytes()
    provenance_settings().index.add(generation.id, VideoFingerprint.of(clip.frames, clip.fps),
                                    AudioFingerprint.of(clip.audio, clip.audio_rate))
    return write_mp4(tmp_path / "plain.mp4", clip.frames, clip.fps, clip.audio, clip.audio_rate).read_bytes()


def still_of(video: bytes, tmp_path) -> bytes:
    """One frame of the video, as a PNG."""
    (tmp_path / "video.mp4").write_bytes(video)
    buffer = io.BytesIO()
    Image.fromarray(read_mp4(tmp_path / "video.mp4").frames[8]).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_uploaded_copy_of_a_video_with_the_cameo_is_refused_on_every_way_in(client, mallory, carols_post, tmp_path):
    copy = copy_of(carols_post.generation, tmp_path)
    client.force_login(mallory)
    page = client.post(reverse("studio:home"), {"prompt": "the same, at night", "seconds": 2, "video": uploaded(copy),
                                                "video_use": "remix"})
    assert ("The video you uploaded is a copy of a Vidora video that shows the cameo @biscuit, which you may not use"
            in page.content.decode())
    api = api_client(mallory)
    assert denied(api.post("/api/generations", {"prompt": "at night", "video": uploaded(copy)}))["param"] == "video"
    denied(api.post("/v1/videos/extensions", {"prompt": "it goes on", "seconds": "4", "video": uploaded(copy)}))
    still = uploaded(still_of(copy, tmp_path), "still.png")  # a frame of it carries the watermark too
    error = denied(api.post("/v1/videos", {"prompt": "it moves", "model": "sora-2", "input_reference": still}))
    assert error["param"] == "image" and "The image you uploaded is a copy" in error["message"]
    # Alice removes Carol's video from Vidora: its copies still show @biscuit.
    services.remove_use(carols_post.generation.cameo_uses.get().cameo, carols_post.generation, carols_post.generation.owner)
    denied(api.post("/api/generations", {"prompt": "at night", "video": uploaded(copy)}))
    assert not Generation.objects.filter(owner=mallory).exists()


def test_a_copy_whose_watermark_is_gone_is_found_by_reverse_search(mallory, carols_post, tmp_path):
    copy = copy_of(carols_post.generation, tmp_path, watermark=False)
    error = denied(api_client(mallory).post("/api/generations", {"prompt": "at night", "video": uploaded(copy)}))
    assert "copy of a Vidora video that shows the cameo @biscuit" in error["message"]


def test_with_permission_the_upload_is_a_use_the_owner_sees_and_can_revoke(carols_post, tmp_path):
    carol, biscuit = carols_post.author, carols_post.generation.cameo_uses.get().cameo
    copy = copy_of(carols_post.generation, tmp_path)
    remix = new_generation(carol, "the same, at night", video=uploaded(copy))
    use = remix.cameo_uses.get()
    assert (use.cameo, use.in_input, use.named) == (biscuit, True, False)
    assert remix.pk in {u.generation_id for u in services.uses_of(biscuit.owner)}
    edited = api_client(carol).patch(f"/api/generations/{remix.id}", {"prompt": "the same, at dawn"},
                                     content_type="application/json")
    assert edited.status_code == 200 and remix.cameo_uses.get().in_input  # an edit keeps what the upload showed
    assert services.revoke(biscuit, biscuit.owner) == [remix.id]
    failed_for_consent(remix)
    services.delete_cameo(biscuit, biscuit.owner)  # as for a remix, a deleted cameo's videos are not to be reused
    with pytest.raises(services.CameoPermissionDenied, match="is a copy of a Vidora video that shows the cameo"):
        new_generation(carol, "the same, at noon", video=uploaded(copy))


@pytest.fixture
def adas_face(make_user) -> Cameo:
    """Ada's verified cameo of herself (her face's embedding as verification keeps it), shared with nobody."""
    face = face_embeddings(Image.fromarray(hopper()))[0]
    return Cameo.objects.create(owner=make_user("ada"), handle="ada", kind="person", status="active", embedding=face)


def test_a_verified_persons_face_cannot_come_in_through_an_upload(client, mallory, adas_face, tmp_path):
    photo = io.BytesIO()
    Image.fromarray(hopper()).save(photo, format="PNG")
    error = denied(api_client(mallory).post("/api/generations", {"prompt": "she waves",
                                                                 "image": uploaded(photo.getvalue(), "photo.png")}))
    assert error["param"] == "image"
    assert "shows the face of the person with the verified cameo @ada, which you may not use" in error["message"]
    frames = np.repeat(np.asarray(Image.fromarray(hopper()).resize((320, 384)))[None], 2, axis=0)
    video = write_mp4(tmp_path / "ada.mp4", frames, 8).read_bytes()
    client.force_login(mallory)
    page = client.post(reverse("studio:home"), {"prompt": "she waves", "seconds": 2, "video": uploaded(video),
                                                "video_use": "remix"})
    assert "shows the face of the person with the verified cameo @ada" in page.content.decode()
    assert not Generation.objects.filter(owner=mallory).exists()
    # Her own face is hers to use, and counts as a use of her cameo.
    own = new_generation(adas_face.owner, "she waves", video=uploaded(video))
    assert [(u.cameo, u.in_input) for u in own.cameo_uses.all()] == [(adas_face, True)]
