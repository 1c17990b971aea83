"""A generation: one request to the engine, its place in the queue, and the files it made."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


def new_video_id() -> str:
    return f"video_{secrets.token_hex(12)}"


class Generation(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        IN_PROGRESS = "in_progress"
        COMPLETED = "completed"
        FAILED = "failed"
        # Made, but output moderation flagged it: only a moderator sees it until they release or take it down.
        HELD = "held"

    class Task(models.TextChoices):
        TEXT = "text", "text to video"
        IMAGE = "image", "image to video"
        REMIX = "remix", "remix"
        EXTEND = "extend", "extension"
        STORYBOARD = "storyboard", "storyboard"

    id = models.CharField(primary_key=True, max_length=40, default=new_video_id, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generations")
    prompt = models.TextField(max_length=2000, blank=True)
    task = models.CharField(max_length=12, choices=Task.choices, default=Task.TEXT)
    # Engine options as given (seconds, style, speed, seed, steps, direction, strength, shots, size).
    options = models.JSONField(default=dict, blank=True)
    input_image = models.ImageField(upload_to="inputs/", blank=True)
    # A video the owner uploaded to remix or extend; like input_image it is an input only, never shown.
    input_video = models.FileField(upload_to="inputs/", blank=True)
    # The video holds frames someone uploaded (an extension of an upload, or of such an extension):
    # its owner can download it, but only generated videos are posted.
    uploaded_frames = models.BooleanField(default=False)
    source = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derived")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True)
    # Higher runs first: credit-backed generations (quotas) jump ahead of free ones.
    priority = models.PositiveSmallIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    error = models.TextField(blank=True)
    error_code = models.CharField(max_length=32, blank=True)  # why it failed, for machines: see tasks.py
    video = models.FileField(upload_to="videos/", blank=True)
    thumbnail = models.FileField(upload_to="thumbnails/", blank=True)
    spritesheet = models.FileField(upload_to="spritesheets/", blank=True)
    seconds = models.FloatField(null=True, blank=True)  # of the finished video
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.id} ({self.status})"

    def stored_files(self) -> list:
        """Every file the generation keeps (its video and pictures, and the inputs uploaded for it)."""
        files = (getattr(self, f.name) for f in self._meta.fields if isinstance(f, models.FileField))
        return [file for file in files if file]

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.FAILED, self.Status.HELD)

    def queue_position(self) -> int | None:
        """1 for the next job to start; None once it has started."""
        if self.status != self.Status.QUEUED:
            return None
        return Generation.objects.filter(status=self.Status.QUEUED).filter(outranks(self)).count() + 1


QUEUE_ORDER = ("-priority", "created_at", "id")  # the order workers take queued generations in


def outranks(generation: Generation) -> models.Q:
    """The generations that run before ``generation`` when both are queued."""
    return (models.Q(priority__gt=generation.priority)
            | models.Q(priority=generation.priority, created_at__lt=generation.created_at)
            | models.Q(priority=generation.priority, created_at=generation.created_at, id__lt=generation.id))
