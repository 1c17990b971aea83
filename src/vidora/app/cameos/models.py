"""Cameos: a verified person's, a pet's, an object's or a drawn character's likeness, its owner's consent
(who may use it, on what terms) and every video that uses it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from vidora.app.accounts.models import HANDLE_RULE


class Cameo(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "you (verified)"
        CHARACTER = "character", "a pet, object or drawn character"
        WORLD = "world", "a Vidora world character"

    class Status(models.TextChoices):
        VERIFYING = "verifying"
        ACTIVE = "active"
        FAILED = "failed"
        DELETED = "deleted"  # a tombstone: videos that show it can no longer be remixed or extended

    class Audience(models.TextChoices):
        ONLY_ME = "only_me", "only me"
        APPROVED = "approved", "people I approve"
        MUTUALS = "mutuals", "mutuals (we follow each other)"
        EVERYONE = "everyone", "everyone"

    handle = models.CharField(max_length=30, unique=True, validators=[HANDLE_RULE],
                              error_messages={"unique": "That cameo handle is taken."})
    name = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # None: the platform's own (world characters).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="cameos")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.ONLY_ME)
    approved = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="approved_cameos")
    restrictions = models.TextField(max_length=1000, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)  # consent withdrawn: nobody may use it until restored
    reference = models.ImageField(upload_to="cameos/", blank=True)  # what the engine receives
    world_character = models.PositiveSmallIntegerField(null=True, blank=True)  # roster index (kind WORLD)
    # Verification of a person (kind PERSON): the recording is deleted once it has been checked.
    recording = models.FileField(upload_to="cameo-recordings/", blank=True)
    challenge = models.CharField(max_length=100, blank=True)
    problems = models.JSONField(default=list, blank=True)  # what to redo, when verification failed
    embedding = models.JSONField(null=True, blank=True)  # the verified face (128 numbers): one face, one cameo
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "handle"]
        constraints = [
            # One likeness per person: a second recording replaces the first only after it is deleted.
            models.UniqueConstraint(fields=["owner"], condition=models.Q(kind="person") & ~models.Q(status="deleted"),
                                    name="one_person_cameo_per_owner"),
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.ACTIVE and self.revoked_at is None


class Challenge(models.Model):
    """A phrase shown to someone about to record their cameo; it is good once, for CHALLENGE_MINUTES."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cameo_challenges")
    phrase = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)


class CameoUse(models.Model):
    """A generation that shows a cameo: named by @handle in its prompt or shots, or inherited from the video it
    remixes or extends, or shown by an image or video its requester uploaded."""

    cameo = models.ForeignKey(Cameo, on_delete=models.CASCADE, related_name="uses")
    generation = models.ForeignKey("studio.Generation", on_delete=models.CASCADE, related_name="cameo_uses")
    named = models.BooleanField(default=True)  # by @handle (its picture goes to the engine), else inherited
    # The upload is a copy of a video that shows it, or shows its person's face: rechecked with every consent change.
    in_input = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["cameo", "generation"], name="one_use_per_generation")]


class CameoEvent(models.Model):
    """The audit log of consent: revocations, permission changes, cancelled jobs, removals, deletions."""

    class Action(models.TextChoices):
        CREATED = "created"
        VERIFIED = "verified"
        VERIFICATION_FAILED = "verification_failed"
        PERMISSIONS = "permissions", "permissions changed"
        REVOKED = "revoked"
        RESTORED = "restored"
        CANCELLED = "cancelled", "job cancelled"
        REMOVED = "removed", "video removed"
        DELETED = "deleted"

    cameo = models.ForeignKey(Cameo, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    handle = models.CharField(max_length=30)  # kept when the cameo is deleted
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    generation_id = models.CharField(max_length=40, blank=True)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"@{self.handle} {self.action}"
