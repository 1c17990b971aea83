"""Moderation's rules: prompts checked before any compute, frames checked before a draft is shown,
reports, and takedowns that remove the files and keep an audit record.

Cameos hook: ``check_prompts(user, texts, cameo_handles)`` takes the @handles of the cameos the prompt
uses *with permission* (the cameos app decides that); those mentions are read as "a person", so a
verified person's own cameo is not refused as a named real person. Everything else in the prompt is
checked as usual. ``prompt_categories(text)`` gives the classifier's per-category probabilities, for
rules such as a cameo owner's "no political content".
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Collection, Iterable
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vidora.app.moderation.models import HeldDraft, RefusedPrompt, Report, Takedown
from vidora.app.studio.models import Generation
from vidora.app.studio.services import GenerationRequestError, delete_generation

MODERATION_BLOCKED = "moderation_blocked"  # OpenAI's code for a request its safety system refused


class PromptRefused(GenerationRequestError):
    """A prompt the content rules refuse; the message says which rule."""

    code = MODERATION_BLOCKED
    param = "prompt"


@lru_cache(maxsize=1)
def prompt_moderator():
    from vidora.safety import PromptModerator

    return PromptModerator.from_pretrained(extra_terms=settings.VIDORA["MODERATION"]["TERMS"])


def load_prompt_moderation_in_background() -> threading.Thread:
    """Load the prompt moderator and its sentence model (MiniLM) in a thread, as a web process starts, so that its
    first prompt does not wait for them. In a thread, because the load can take longer than gunicorn lets a worker
    take to boot; a prompt that comes meanwhile waits for this load."""
    def load():
        from vidora.safety.classifier import sentence_model

        prompt_moderator()
        sentence_model()

    thread = threading.Thread(target=load, name="load-prompt-moderation", daemon=True)
    thread.start()
    return thread


def check_prompts(user, texts: Iterable[str], cameo_handles: Collection[str] = ()) -> None:
    """Raise PromptRefused for the first text the rules refuse (teens get the stricter lists and threshold);
    the refusal is logged for moderators."""
    texts = [t for t in texts if t.strip()]
    teen = user.is_teen
    for text, verdict in zip(texts, prompt_moderator().check_many(texts, teen=teen, cameo_handles=cameo_handles)):
        if not verdict.allowed:
            RefusedPrompt.objects.create(user=user, prompt=text, category=verdict.category, layer=verdict.layer,
                                         term=verdict.term or "", score=verdict.score, teen=teen)
            raise PromptRefused(verdict.message)


def prompt_categories(text: str) -> dict[str, float]:
    """The classifier's probability of each label (benign included) for ``text``."""
    from vidora.safety.classifier import embed

    classifier = prompt_moderator().classifier
    return dict(zip(classifier.labels, map(float, classifier.probabilities(embed([text]))[0])))


def check_output(generation: Generation, frames):
    """Score sampled frames of a finished video (None when output moderation is off)."""
    config = settings.VIDORA["MODERATION"]
    if not config["OUTPUT"]:
        return None
    from vidora.safety.frames import check_frames

    threshold = config["OUTPUT_THRESHOLD_TEEN" if generation.owner.is_teen else "OUTPUT_THRESHOLD"]
    return check_frames(frames, threshold, config["OUTPUT_FRAMES"])


def hold(generation: Generation, verdict) -> None:
    """Keep a flagged draft from its owner until a moderator looks at it."""
    HeldDraft.objects.update_or_create(generation=generation, defaults={
        "score": verdict.score, "frame": verdict.frame, "frames_checked": verdict.frames_checked})


@transaction.atomic
def release(held: HeldDraft, moderator) -> None:
    """A moderator found a held draft fine: its owner gets it."""
    Generation.objects.filter(pk=held.generation_id, status=Generation.Status.HELD).update(
        status=Generation.Status.COMPLETED)
    held.released_by, held.released_at = moderator, timezone.now()
    held.save(update_fields=["released_by", "released_at"])


class ReportError(ValueError):
    """A report that cannot be filed; the message says why."""


def report(post, reporter, reason: str, details: str = "") -> Report:
    if reason not in Report.Reason.values:
        raise ReportError(f"reason: must be one of {', '.join(Report.Reason.values)}")
    if post.author_id == reporter.pk:
        raise ReportError("You cannot report your own video; delete it instead.")
    existing = Report.objects.filter(post=post, reporter=reporter, state=Report.State.OPEN).first()
    if existing is not None:  # reporting twice changes nothing: one open report per person per post
        return existing
    return Report.objects.create(post=post, reporter=reporter, reason=reason, details=details.strip()[:1000])


def _digest(field) -> str:
    sha = hashlib.sha256()
    with field.open("rb") as f:
        for chunk in f.chunks():
            sha.update(chunk)
    return sha.hexdigest()


@transaction.atomic
def take_down(generation: Generation, moderator, reason: str) -> Takedown:
    """Remove a video (post, files, row) and keep the audit record; its open reports are closed with it."""
    post = getattr(generation, "post", None)
    files = {}
    for file in generation.stored_files():  # inputs included
        try:
            files[file.name] = _digest(file)
        except FileNotFoundError:
            files[file.name] = "missing"
    takedown = Takedown.objects.create(
        video_id=generation.pk, post_id=post.pk if post else "", author_handle=generation.owner.handle,
        prompt=generation.prompt, files=files, reason=reason, moderator=moderator, moderator_handle=moderator.handle)
    if post is not None:
        reports = list(post.reports.filter(state=Report.State.OPEN))
        takedown.reports.set(reports)
        Report.objects.filter(pk__in=[r.pk for r in reports]).update(
            state=Report.State.TAKEN_DOWN, resolved_by=moderator, resolved_at=timezone.now())
    delete_generation(generation)
    return takedown


def dismiss(reports: Iterable[Report], moderator) -> int:
    return Report.objects.filter(pk__in=[r.pk for r in reports], state=Report.State.OPEN).update(
        state=Report.State.DISMISSED, resolved_by=moderator, resolved_at=timezone.now())
