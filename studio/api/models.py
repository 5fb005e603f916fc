"""What the API keeps of its own: keys, each user's webhook secret, callback deliveries and
the rate-limit counters. Generations and tracks stay in their own apps."""
from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

KEY_BYTES = 32  # 256 random bits: a fast hash is enough, nobody brute-forces that space


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)

    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A bearer key. Only its hash is stored; the key itself is shown once, when made."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8)  # the key's first characters, to tell keys apart
    hashed = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, owner, name: str) -> tuple[ApiKey, str]:
        """A new key for `owner`: the row, and the key itself (never stored)."""
        raw = secrets.token_hex(KEY_BYTES)
        key = cls.objects.create(owner=owner, name=name[:100] or "API key", prefix=raw[:8],
                                 hashed=hash_key(raw))
        return key, raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class WebhookSecret(models.Model):
    """The per-user key that signs callbacks (X-Webhook-Signature), shown on the keys page."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="webhook_secret")
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"webhook secret {self.secret[:4]}…"

    @classmethod
    def for_user(cls, user) -> WebhookSecret:
        return cls.for_owner(user.pk)

    @classmethod
    def for_owner(cls, owner_id) -> WebhookSecret:
        secret, _ = cls.objects.get_or_create(
            owner_id=owner_id, defaults={"secret": secrets.token_urlsafe(32)})
        return secret

    def rotate(self) -> None:
        self.secret = secrets.token_urlsafe(32)
        self.created_at = timezone.now()
        self.save(update_fields=["secret", "created_at"])


class Stage(models.TextChoices):
    TEXT = "text", "Text"
    FIRST = "first", "First take"
    COMPLETE = "complete", "Complete"
    ERROR = "error", "Error"


STAGE_ORDER = [Stage.TEXT, Stage.FIRST, Stage.COMPLETE, Stage.ERROR]


class CallbackDeliveryQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(generation__owner=user)

    def failed(self):
        return self.filter(failed_at__isnull=False)

    def unfinished(self):
        return self.filter(delivered_at__isnull=True, failed_at__isnull=True)


class CallbackDelivery(models.Model):
    """One callback POST of one stage of one generation: at most one per stage."""

    generation = models.ForeignKey("generation.Generation", on_delete=models.CASCADE,
                                   related_name="callback_deliveries")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    url = models.URLField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A failed attempt that will be tried again: not before this time (a task is queued for
    # it), and the stages after it wait, so they still arrive in order. The sweep sets it to
    # when it queued a lost attempt again (callbacks.sweep).
    retry_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    # Studio would not call this URL (a private or local address, or not http(s)): the
    # delivery failed without a connection; last_error says why.
    refused = models.BooleanField(default=False)

    objects = CallbackDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["generation", "stage"],
                                               name="one_callback_per_stage")]
        # The sweep looks for lost attempts every minute among the few unfinished rows.
        indexes = [models.Index(fields=["created_at"], name="unfinished_callbacks",
                                condition=models.Q(delivered_at__isnull=True,
                                                   failed_at__isnull=True))]

    def __str__(self):
        return f"{self.stage} callback ({self.attempts} attempts)"

    @property
    def is_finished(self) -> bool:
        return self.delivered_at is not None or self.failed_at is not None


class FeatureCallback(models.Model):
    """The single callback of a feature task (lyrics, WAV, stems, MIDI, video, cover art)
    waiting for its next attempt: written when the task ends (stems, MIDI, video, cover art:
    callbacks.owe, `attempts` 0) or when an attempt fails and may be retried, removed when one
    is delivered or the last fails. The next attempt's task is queued for `retry_at`; the row
    lets the sweep make that attempt if the task is lost (callbacks.sweep)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    task_id = models.CharField(max_length=200)
    url = models.URLField(max_length=1000)
    payload = models.TextField()  # the JSON sent, the same at every attempt
    attempts = models.PositiveSmallIntegerField()
    retry_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self):
        return f"callback of {self.task_id} ({self.attempts} attempts)"


class RateWindow(models.Model):
    """Creates counted per key per fixed window; the database makes it shared by every
    web process, and the counter moves by an UPDATE so concurrent requests cannot both
    slip under the limit."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="rate_windows")
    window = models.BigIntegerField()  # unix time // window length
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"],
                                               name="one_counter_per_key_window")]

    def __str__(self):
        return f"{self.count} in window {self.window}"


class ApiRequest(models.Model):
    """How an API client asked for a generation: the body exactly as sent (record-info
    echoes it as `param`) and the base URL it used (links in its callbacks). Transport, kept
    here: the generation itself holds only the validated request."""

    generation = models.OneToOneField("generation.Generation", on_delete=models.CASCADE,
                                      primary_key=True, related_name="api_request")
    body = models.JSONField(default=dict)
    base_url = models.CharField(max_length=300)
    # Why Studio will not call the client's callBackUrl ("" when it will): each stage's
    # delivery is then recorded as refused, and nothing connects.
    callback_refused = models.TextField(blank=True)

    def __str__(self):
        return f"API request for {self.generation_id}"
