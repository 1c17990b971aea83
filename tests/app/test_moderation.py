"""Moderation in the app: prompts refused before any compute on every way in, held drafts, reports,
the moderator queue and takedowns that remove the files and keep an audit record."""

import hashlib
import importlib
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from vidora.app.moderation import services
from vidora.app.moderation.models import HeldDraft, RefusedPrompt, Report, Takedown
from vidora.app.quotas.models import DailyUsage
from vidora.app.social import services as social
from vidora.app.studio.models import Generation
from vidora.app.studio.services import create_generation
from vidora.app.studio.tasks import run_generation
from vidora.world.clip import render_clip
from vidora.world.sampler import SceneSampler

from .test_api import as_user  # noqa: F401 (fixture)
from .test_social import finished

pytestmark = pytest.mark.django_db
REFUSED_PROMPT = "a nude woman on the beach"


def test_a_web_process_loads_prompt_moderation_as_it_starts(monkeypatch):
    started = []
    monkeypatch.setattr(services, "load_prompt_moderation_in_background", lambda: started.append(True))
    monkeypatch.delitem(sys.modules, "vidora.app.wsgi", raising=False)
    importlib.import_module("vidora.app.wsgi")  # what gunicorn imports in each web process
    assert started == [True]


def test_loading_in_the_background_makes_the_classifier_ready():
    from vidora.safety.classifier import _load_sentence_model

    services.load_prompt_moderation_in_background().join()
    assert services.prompt_moderator.cache_info().currsize == _load_sentence_model.cache_info().currsize == 1


def test_the_studio_refuses_a_prompt_before_queueing(client, make_user):
    client.force_login(make_user("ada"))
    page = client.post(reverse("studio:home"), {"prompt": REFUSED_PROMPT, "seconds": 2}).content.decode()
    assert "refused because it asks for sexual content" in page
    assert not Generation.objects.exists() and not DailyUsage.objects.exists()  # nothing spent
    refused = RefusedPrompt.objects.get()
    assert (refused.category, refused.layer, refused.prompt) == ("sexual", "terms", REFUSED_PROMPT)


def test_the_apis_refuse_with_the_moderation_code(as_user):  # noqa: F811
    ada = as_user("ada")
    native = ada.post("/api/generations", {"prompt": "a ball", "storyboard": [{"prompt": "a ball", "seconds": 1},
                                                                              {"prompt": "Barack Obama dancing", "seconds": 1}]},
                      content_type="application/json")
    openai = ada.post("/v1/videos", {"prompt": "s3xy p0rn scene"}, content_type="application/json")
    for response in (native, openai):
        error = response.json()["error"]
        assert response.status_code == 400
        assert (error["type"], error["code"], error["param"]) == ("invalid_request_error", "moderation_blocked", "prompt")
    assert not Generation.objects.exists()


def test_remixes_and_edits_of_queued_jobs_are_checked_too(as_user):  # noqa: F811
    ada = as_user("ada")
    source = finished(ada.user)
    remix = ada.post(f"/v1/videos/{source.pk}/remix", {"prompt": "make it gory, blood splatter everywhere"},
                     content_type="application/json")
    assert remix.json()["error"]["code"] == "moderation_blocked"
    queued = create_generation(ada.user, "a red ball")
    edit = ada.patch(f"/api/generations/{queued.pk}", {"prompt": "Taylor Swift sings"}, content_type="application/json")
    assert edit.json()["error"]["code"] == "moderation_blocked"
    queued.refresh_from_db()
    assert queued.prompt == "a red ball"


def test_teens_get_stricter_checks(make_user):
    teen = make_user("tia", birth_year=timezone.now().year - 15)
    adult = make_user("ada")
    create_generation(adult, "a woman in a bikini on the beach")
    with pytest.raises(services.PromptRefused, match="sexual"):
        create_generation(teen, "a woman in a bikini on the beach")
    assert RefusedPrompt.objects.get().teen


def test_prompt_categories_for_other_rules():
    scores = services.prompt_categories("a fake video of the president cancelling the election")
    assert max(scores, key=scores.get) == "political_deception" and abs(sum(scores.values()) - 1) < 1e-4


@pytest.fixture
def flag_everything(settings):
    settings.VIDORA = {**settings.VIDORA, "MODERATION": {**settings.VIDORA["MODERATION"], "OUTPUT_THRESHOLD": 0.0}}


def test_a_flagged_draft_is_held_until_a_moderator_releases_it(client, make_user, model, flag_everything):
    ada = make_user("ada")
    g = create_generation(ada, "a red ball bounces", options={"steps": 1})
    run_generation(g.id)
    g.refresh_from_db()
    held = HeldDraft.objects.get(generation=g)
    assert g.status == "held" and g.video and held.frames_checked >= 1
    client.force_login(ada)
    assert client.get(reverse("studio:content", args=[g.pk, "video"])).status_code == 404
    assert "Held for review" in client.get(reverse("studio:status", args=[g.pk])).content.decode()
    with pytest.raises(social.SocialError):
        social.publish(g)
    services.release(held, make_user("mod"))
    g.refresh_from_db()
    assert g.status == "completed" and client.get(reverse("studio:content", args=[g.pk, "video"])).status_code == 200


def test_teens_drafts_are_checked_with_the_stricter_frame_threshold(make_user, settings):
    frames = render_clip(SceneSampler().sample(3)).frames
    adult, teen = finished(make_user("ada")), finished(make_user("tia", birth_year=timezone.now().year - 15))
    score = services.check_output(adult, frames).score  # the frames' worst NSFW score
    settings.VIDORA = {**settings.VIDORA, "MODERATION": {**settings.VIDORA["MODERATION"],
                                                         "OUTPUT_THRESHOLD": score + 0.01, "OUTPUT_THRESHOLD_TEEN": score}}
    assert not services.check_output(adult, frames).flagged
    assert services.check_output(teen, frames).flagged  # the same frames, above the teen threshold


def test_a_held_video_is_failed_with_the_moderation_code_in_the_openai_api(as_user):  # noqa: F811
    ada = as_user("ada")
    g = finished(ada.user)
    Generation.objects.filter(pk=g.pk).update(status=Generation.Status.HELD)
    body = ada.get(f"/v1/videos/{g.pk}").json()
    assert body["status"] == "failed" and body["error"]["code"] == "moderation_blocked"
    assert ada.get(f"/api/generations/{g.pk}/content").status_code == 404


def test_reports_the_queue_and_a_takedown_that_keeps_an_audit_record(client, make_user, settings, tmp_path):
    ada, bob, cy = make_user("ada"), make_user("bob"), make_user("cy")
    video, start = Path(settings.MEDIA_ROOT) / "videos" / "x.mp4", Path(settings.MEDIA_ROOT) / "inputs" / "start.png"
    for path in (video, start):
        path.parent.mkdir(parents=True)
        path.write_bytes(b"not really a video")
    post = social.publish(finished(ada, input_image="inputs/start.png"), "mine")
    for reporter in (bob, cy):
        client.force_login(reporter)
        client.post(reverse("moderation:report", args=[post.pk]), {"reason": "sexual", "details": "look at 0:01"})
    client.post(reverse("moderation:report", args=[post.pk]), {"reason": "sexual"})  # again: still one
    assert Report.objects.filter(state="open").count() == 2
    with pytest.raises(services.ReportError, match="own"):
        services.report(post, ada, "other")

    moderator = make_user("mod")
    moderator.is_staff = moderator.is_superuser = True
    moderator.save()
    client.force_login(moderator)
    queue = client.get(reverse("admin:moderation_report_changelist")).content.decode()
    assert queue.count(post.pk) >= 2
    response = client.post(reverse("admin:moderation_report_changelist"),
                           {"action": "take_down", "_selected_action": [r.pk for r in Report.objects.all()]})
    assert response.status_code == 302
    takedown = Takedown.objects.get()
    assert (takedown.video_id, takedown.post_id, takedown.author_handle, takedown.moderator_handle) == (
        post.generation_id, post.pk, "ada", "mod")
    digest = hashlib.sha256(b"not really a video").hexdigest()
    assert takedown.files == {"videos/x.mp4": digest, "thumbnails/x.png": "missing", "inputs/start.png": digest}
    assert takedown.reports.count() == 2
    assert not video.exists() and not start.exists() and not Generation.objects.exists()
    assert set(Report.objects.values_list("state", flat=True)) == {"taken_down"}
    assert client.get(reverse("admin:moderation_takedown_changelist")).status_code == 200


def test_reporting_in_the_api(as_user, make_user):  # noqa: F811
    bob = as_user("bob")
    post = social.publish(finished(make_user("ada")), "")
    response = bob.post(f"/api/posts/{post.pk}/report", {"reason": "harassment"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["state"] == "open"
    bad = bob.post(f"/api/posts/{post.pk}/report", {"reason": "boring"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "reason"
