"""Connections to vendors' APIs, and the tracking state of each generation made through one.

A connection is a dialect (v1 or legacy), a vendor family (whose code table applies), a base
URL, an API key kept encrypted (Fernet, with a key derived from STUDIO_ENCRYPTION_KEY or
SECRET_KEY) and, for v1, an optional file-upload base URL. A user's own connections are
theirs alone; the operator's (owner NULL, from environment variables) serve everyone.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import uuid

import httpx
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models
from django.utils import timezone

from studio.engines import registry
from studio.engines.upstream import KIE, LEGACY, SUNOAPI, TIMEOUT, V1, Vendor

ENGINE_PREFIX = "upstream:"


class Family(models.TextChoices):
    # Which vendor family: the dialect follows from it, and its code table applies.
    SUNOAPI = SUNOAPI, "sunoapi.org family (v1 API)"
    KIE = KIE, "kie.ai family (v1 API)"
    LEGACY = LEGACY, "sunoapi.co / sunosay (legacy API)"


DIALECTS = {SUNOAPI: V1, KIE: V1, LEGACY: LEGACY}


def _fernet() -> Fernet:
    material = settings.STUDIO_ENCRYPTION_KEY or settings.SECRET_KEY
    digest = hashlib.sha256(b"studio.connections.api-key:" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise KeyUnreadable("The stored API key cannot be read (the encryption key changed); "
                            "remove this connection and add it again.") from None


class KeyUnreadable(Exception):
    pass


class ConnectionQuerySet(models.QuerySet):
    def usable_by(self, user):
        """The user's own connections and the operator's, not removed."""
        from .operator import sync

        sync()
        return self.filter(models.Q(owner=user) | models.Q(owner__isnull=True),
                           removed_at__isnull=True)

    def owned_by(self, user):
        return self.filter(owner=user, removed_at__isnull=True)


class Connection(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.CASCADE, related_name="connections")
    name = models.CharField(max_length=60)
    family = models.CharField(max_length=10, choices=Family.choices, default=Family.SUNOAPI)
    base_url = models.URLField(max_length=300)
    upload_base_url = models.URLField(max_length=300, blank=True)
    api_key_encrypted = models.TextField()
    # kie's optional webhook HMAC key (its "webhookHmacKey"), encrypted like the API key:
    # when set, a callback must carry a fresh signature made with it (webhooks.py).
    webhook_key_encrypted = models.TextField(blank=True)
    # Set for connections configured by the operator (the name in STUDIO_CONNECTIONS).
    operator_name = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # What the last "Test" found: the balance (None where the dialect cannot tell).
    tested_at = models.DateTimeField(null=True, blank=True)
    credits = models.IntegerField(null=True, blank=True)
    test_error = models.TextField(blank=True)
    # When a callback through this connection last arrived: while they do, the poller only
    # checks now and then (tracking.pause).
    last_callback_at = models.DateTimeField(null=True, blank=True)
    # Removed connections stay, so generations in flight through them can still be tracked.
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = ConnectionQuerySet.as_manager()

    class Meta:
        ordering = ["owner_id", "name"]
        constraints = [models.UniqueConstraint(
            fields=["operator_name"], condition=~models.Q(operator_name=""),
            name="one_row_per_operator_connection")]

    def __str__(self):
        return self.name

    @property
    def dialect(self) -> str:
        return DIALECTS[self.family]

    @property
    def engine_name(self) -> str:
        """What Generation.engine records for a song made through this connection."""
        return f"{ENGINE_PREFIX}{self.pk}"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.get_family_display().split(' (')[0]})"

    def set_api_key(self, key: str) -> None:
        self.api_key_encrypted = encrypt(key)

    def set_webhook_key(self, key: str) -> None:
        self.webhook_key_encrypted = encrypt(key) if key else ""

    def webhook_key(self) -> str:
        """The webhook HMAC key, or "" when callbacks are not signed."""
        return decrypt(self.webhook_key_encrypted) if self.webhook_key_encrypted else ""

    def vendor(self) -> Vendor:
        return Vendor(dialect=self.dialect, base_url=self.base_url,
                      api_key=decrypt(self.api_key_encrypted), family=self.family,
                      upload_base_url=self.upload_base_url)

    def engine(self, **options):
        """This connection's engine, calling out only through the outbound guard."""
        from studio.api import outbound

        options.setdefault("backoff", tuple(settings.STUDIO_UPSTREAM_BACKOFF))
        options.setdefault("timeout", httpx.Timeout(
            connect=TIMEOUT.connect, read=settings.STUDIO_UPSTREAM_TIMEOUT,
            write=TIMEOUT.write, pool=TIMEOUT.pool))
        return registry.upstream(self.vendor(), lambda timeout: outbound.client(timeout=timeout),
                                 **options)


def connection_for(engine_name: str) -> Connection | None:
    """The connection a Generation.engine value names, or None for the local engine."""
    pk = engine_name.removeprefix(ENGINE_PREFIX)
    if not engine_name.startswith(ENGINE_PREFIX) or not pk.isdigit():
        return None
    return Connection.objects.filter(pk=pk).first()


def _token() -> str:
    return secrets.token_urlsafe(32)


class UpstreamTaskQuerySet(models.QuerySet):
    def in_flight(self):
        """Submitted and waiting for the vendor: each has a next poll time."""
        from studio.generation.models import FINAL

        return (self.filter(next_poll_at__isnull=False).exclude(vendor_task_id="")
                .exclude(generation__status__in=FINAL))

    def due(self, now=None):
        """Submitted, unfinished tasks whose next poll time has come, oldest first."""
        return (self.in_flight().filter(next_poll_at__lte=now or timezone.now())
                .order_by("next_poll_at"))


class UpstreamTask(models.Model):
    """A generation made at a vendor: the exactly-once marker, the vendor's task id, the
    callback token, and when to ask the vendor next."""

    generation = models.OneToOneField("generation.Generation", on_delete=models.CASCADE,
                                      primary_key=True, related_name="upstream")
    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="tasks")
    # In the callback URL: whoever knows it may report this task's progress.
    callback_token = models.CharField(max_length=64, unique=True, default=_token)
    # The marker: written (and committed) before the create call is sent, cleared only when
    # the call certainly did not reach the vendor. Set without a task id = "may have reached".
    create_sent_at = models.DateTimeField(null=True, blank=True)
    vendor_task_id = models.CharField(max_length=100, blank=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    poll_step = models.PositiveSmallIntegerField(default=0)  # index into STUDIO_UPSTREAM_POLL
    polls = models.PositiveIntegerField(default=0)
    callbacks = models.PositiveIntegerField(default=0)
    vendor_status = models.CharField(max_length=30, blank=True)
    progress_at = models.DateTimeField(default=timezone.now)  # last time anything moved
    download_failures = models.PositiveSmallIntegerField(default=0)
    # The vendor's takes in the order it first listed them, the index being the take's
    # variation here, so its stream link and its kept track agree: {"id", "stream"} and,
    # once final, "audio", "image", "title", "tags", "lyrics", "model", "duration". The URLs
    # are the vendor's: only preview.py (to pass the bytes on) and keep.py (to download
    # them) read them.
    previews = models.JSONField(default=list, blank=True)
    # When every take could be heard whole through Studio's links (the vendor said SUCCESS
    # and named each take's file); the takes are then kept by a keep job.
    playable_at = models.DateTimeField(null=True, blank=True)
    # A keep job's lease: another keep of this task waits until then (a worker that died
    # keeping lets it lapse, and the poller's next look queues the keep again).
    keeping_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    objects = UpstreamTaskQuerySet.as_manager()

    def __str__(self):
        return f"vendor task {self.vendor_task_id or '(not sent)'}"


class DefaultEngine(models.Model):
    """The engine that serves a user's API requests and is preselected on the create form:
    a connection, or the local engine (no row, or connection NULL)."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 primary_key=True, related_name="default_engine")
    connection = models.ForeignKey(Connection, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    def __str__(self):
        return f"default engine of user {self.owner_id}"


class ReceivedCallback(models.Model):
    """A vendor's callback, checked by the view and waiting for the next tracking batch: one
    job merges every callback received meanwhile (tracking.merge_callbacks), instead of one
    job each."""

    task = models.ForeignKey(UpstreamTask, on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"callback {self.pk}"


class PollerAlarm(models.Model):
    """When the next poll batch is queued to run (one row): a batch is queued only for a time
    earlier than the one already armed, so tasks in flight cost one pending job, not one
    each (tracking.arm)."""

    at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"poller alarm at {self.at}"


class VendorMidi(models.Model):
    """A v1 vendor's take's MIDI, asked of that vendor (connections/derived.py `midi`): the
    vendor makes MIDI from a finished separation task of its own (suno_api.md §2 row 16), so
    the row names the take's vendor separation (sent first when there is none) and then the
    vendor's MIDI task. The notes are kept beside the track as the local engine's are."""

    class Status(models.TextChoices):  # the vendors' successFlag 0 / 1 / 2 / 3
        PENDING = "PENDING", "Writing"
        SUCCESS = "SUCCESS", "Done"
        CREATE_TASK_FAILED = "CREATE_TASK_FAILED", "Refused"
        GENERATE_MIDI_FAILED = "GENERATE_MIDI_FAILED", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    track = models.ForeignKey("library.Track", on_delete=models.CASCADE, related_name="+")
    stems = models.ForeignKey("library.Stems", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.PENDING)
    error_message = models.TextField(blank=True)
    vendor_task_id = models.CharField(max_length=100, blank=True)
    vendor_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"vendor MIDI {self.id}"
