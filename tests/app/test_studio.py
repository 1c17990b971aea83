import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from vidora.app.studio.models import Generation
from vidora.app.studio.services import GenerationRequestError, create_generation
from vidora.app.studio.tasks import run_generation
from vidora.media import probe

pytestmark = pytest.mark.django_db


def png(colour=(200, 30, 30), size=(32, 32)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return SimpleUploadedFile("first.png", buffer.getvalue(), content_type="image/png")


def test_generate_from_the_studio_end_to_end(client, make_user, model, eager_jobs, django_capture_on_commit_callbacks):
    client.force_login(make_user("ada"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("studio:home"), {"prompt": "a red ball bounces", "seconds": 2, "seed": 3})
    assert response.status_code == 302
    g = Generation.objects.get()
    assert g.status == "completed" and g.progress == 100 and g.error == ""
    info = probe(g.video.path)
    assert (info.video_codec, info.audio_codec) == ("h264", "aac") and g.seconds == pytest.approx(2.0)
    page = client.get(reverse("studio:status", args=[g.id])).content.decode()
    assert "<video" in page and "hx-trigger" not in page  # finished: no more polling
    video = client.get(reverse("studio:content", args=[g.id, "video"]))
    assert video["Content-Type"] == "video/mp4" and b"ftyp" in b"".join(video.streaming_content)[:64]


def test_image_to_video_keeps_the_given_first_frame(make_user, model, settings):
    settings.VIDORA = {**settings.VIDORA, "VISIBLE_WATERMARK": False}  # at 32x32 the visible mark covers much of the frame
    g = create_generation(make_user("ada"), "a ball", Generation.Task.IMAGE, {"steps": 1}, input_image=png())
    run_generation(g.id)
    g.refresh_from_db()
    assert g.status == "completed"
    from vidora.media import read_mp4

    first = read_mp4(g.video.path).frames[0].astype(int)
    assert np.abs(first.mean(axis=(0, 1)) - (200, 30, 30)).max() < 12  # H.264 keeps the colour near enough


def test_engine_refusals_fail_the_job_with_the_reason(make_user, model):
    g = create_generation(make_user("ada"), "a ball", options={"size": [64, 48]})
    run_generation(g.id)
    g.refresh_from_db()
    assert g.status == "failed" and "size: this model makes 32x32" in g.error and not g.video


def test_bad_requests_are_refused_before_queueing(make_user):
    user = make_user("ada")
    for prompt, options, message in [("", {}, "prompt"), ("x" * 2001, {}, "2001 characters"),
                                     ("a ball", {"style": "oil"}, "style"), ("a ball", {"seconds": 0}, "seconds")]:
        with pytest.raises(GenerationRequestError, match=message):
            create_generation(user, prompt, options=options)
    assert not Generation.objects.exists()


def test_queue_position_and_a_deleted_job_does_nothing(make_user):
    user = make_user("ada")
    first, second = (create_generation(user, f"ball {i}") for i in range(2))
    assert (first.queue_position(), second.queue_position()) == (1, 2)
    Generation.objects.filter(pk=first.pk).delete()
    run_generation(first.id)  # the job arrives after the delete
    assert second.queue_position() == 1


def test_a_job_that_finds_the_database_locked_comes_back_instead_of_leaving_its_generation_queued(make_user, model,
                                                                                                   monkeypatch):
    from django.db import OperationalError

    from vidora.app.studio import tasks

    job = create_generation(make_user("ada"), "a red ball bounces", options={"steps": 1})
    claim, attempts = tasks.claim_next, []

    def locked_once(generation_id):
        attempts.append(generation_id)
        if len(attempts) == 1:
            raise OperationalError("database table is locked")
        return claim(generation_id)

    monkeypatch.setattr(tasks, "claim_next", locked_once)
    run_generation.apply(args=[job.id])
    job.refresh_from_db()
    assert attempts == [job.id, job.id] and job.status == "completed"


def test_the_card_shows_queue_position_then_progress_then_the_failure_and_stops_polling(client, make_user):
    ada = make_user("ada")
    client.force_login(ada)
    ahead, mine = (create_generation(ada, f"ball {i}") for i in range(2))
    card = lambda: client.get(reverse("studio:status", args=[mine.id])).content.decode()  # noqa: E731
    page = card()
    assert "Queued · position 2" in page and 'hx-trigger="every 1s"' in page
    Generation.objects.filter(pk=ahead.pk).update(status=Generation.Status.IN_PROGRESS)
    assert "Queued · position 1" in card()
    Generation.objects.filter(pk=mine.pk).update(status=Generation.Status.IN_PROGRESS, progress=40)
    page = card()
    assert "Generating · 40%" in page and '<progress max="100" value="40">' in page and "hx-trigger" in page
    Generation.objects.filter(pk=mine.pk).update(status=Generation.Status.FAILED, error="size: this model makes 32x32")
    page = card()
    assert "Failed: size: this model makes 32x32" in page and "hx-trigger" not in page
    studio = client.get(reverse("studio:home")).content.decode()  # the studio page lists the same cards
    assert "Failed: size: this model makes 32x32" in studio and "Generating · 0%" in studio


def test_someone_elses_generation_is_a_404(client, make_user):
    mine = create_generation(make_user("ada"), "a ball")
    client.force_login(make_user("bob"))
    for url in (reverse("studio:status", args=[mine.id]), reverse("studio:content", args=[mine.id, "video"])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("studio:delete", args=[mine.id])).status_code == 404
    assert Generation.objects.filter(pk=mine.pk).exists()


def test_studio_needs_login(client):
    response = client.get(reverse("studio:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_storyboard_from_the_studio_form(client, make_user, model, eager_jobs, django_capture_on_commit_callbacks):
    client.force_login(make_user("ada"))
    board = "0.5 | a red ball rolls left\n\n1 | a blue star falls"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("studio:home"), {"prompt": "", "seconds": 2, "storyboard": board})
    g = Generation.objects.get()
    assert g.task == "storyboard" and g.options["shots"] == [{"prompt": "a red ball rolls left", "seconds": 0.5},
                                                               {"prompt": "a blue star falls", "seconds": 1.0}]
    assert g.status == "completed" and g.seconds == pytest.approx(1.5)
    for bad, message in [("two | a ball", "Line 1"), ("2 a ball", "Line 1"), ("", "Describe the video")]:
        response = client.post(reverse("studio:home"), {"prompt": "", "seconds": 2, "storyboard": bad})
        assert message in response.content.decode()


def test_extend_a_finished_draft(client, make_user, model, eager_jobs, django_capture_on_commit_callbacks):
    client.force_login(make_user("ada"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("studio:home"), {"prompt": "a ball", "seconds": 2})
    source = Generation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("studio:extend", args=[source.id]))
    longer = Generation.objects.exclude(pk=source.pk).get()
    assert longer.task == "extend" and longer.source == source and longer.status == "completed", longer.error
    assert longer.seconds == pytest.approx(source.seconds + 2)
