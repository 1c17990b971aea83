"""What moderation keeps: refused prompts, drafts held by output checks, users' reports, and takedowns."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from vidora.app.social.models import Post
from vidora.app.studio.models import Generation


class RefusedPrompt(models.Model):
    """A prompt refused before any compute, kept so moderators can see patterns of abuse."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="refused_prompts")
    prompt = models.TextField()
    category = models.CharField(max_length=32)
    layer = models.CharField(max_length=16)  # "terms" or "classifier"
    term = models.CharField(max_length=100, blank=True)
    score = models.FloatField()
    teen = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user}: {self.category}"


class HeldDraft(models.Model):
    """A finished generation whose sampled frames were flagged: its owner sees it only if a moderator releases it."""

    generation = models.OneToOneField(Generation, on_delete=models.CASCADE, related_name="held")
    score = models.FloatField()  # the highest NSFW probability among the sampled frames
    frame = models.IntegerField()
    frames_checked = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score"]

    def __str__(self) -> str:
        return f"{self.generation_id} (score {self.score:.2f})"


class Report(models.Model):
    """A user's report of a post; open reports are the moderator queue."""

    class Reason(models.TextChoices):
        SEXUAL = "sexual", "sexual content"
        MINORS = "minors", "involves a minor"
        VIOLENCE = "violence", "graphic violence"
        HARASSMENT = "harassment", "harassment or bullying"
        SELF_HARM = "self_harm", "self-harm"
        REAL_PERSON = "real_person", "uses my likeness or a real person without consent"
        MISINFORMATION = "misinformation", "political deception or misinformation"
        OTHER = "other", "something else"

    class State(models.TextChoices):
        OPEN = "open"
        DISMISSED = "dismissed"
        TAKEN_DOWN = "taken_down", "taken down"

    post = models.ForeignKey(Post, null=True, on_delete=models.SET_NULL, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.CharField(max_length=1000, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], condition=models.Q(state="open"),
                                               name="one_open_report_per_reporter")]

    def __str__(self) -> str:
        return f"report of {self.post_id}: {self.get_reason_display()}"


class Takedown(models.Model):
    """The audit record of a removed video: it outlives the video, its files and its author's account."""

    video_id = models.CharField(max_length=40, db_index=True)
    post_id = models.CharField(max_length=16, blank=True)
    author_handle = models.CharField(max_length=30)
    prompt = models.TextField()
    files = models.JSONField(default=dict)  # stored name -> SHA-256 of each removed file
    reason = models.CharField(max_length=200)
    reports = models.ManyToManyField(Report, blank=True, related_name="takedowns")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    moderator_handle = models.CharField(max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"takedown of {self.video_id} by @{self.moderator_handle}"
