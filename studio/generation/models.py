"""A generation is one request for music; it yields two tracks (variations).

Its status follows one machine, forward only:
    PENDING -> TEXT_SUCCESS -> FIRST_SUCCESS -> SUCCESS
    or, from any non-final status, one of the four failures.
Every move is a conditional UPDATE, so a duplicate or late event changes nothing.
"""
from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from .rules import MODELS, GenerationRequest


class Status(models.TextChoices):
    PENDING = "PENDING", "Queued"
    TEXT_SUCCESS = "TEXT_SUCCESS", "Writing music"
    FIRST_SUCCESS = "FIRST_SUCCESS", "First take ready"
    SUCCESS = "SUCCESS", "Done"
    CREATE_TASK_FAILED = "CREATE_TASK_FAILED", "Could not start"
    GENERATE_AUDIO_FAILED = "GENERATE_AUDIO_FAILED", "Failed"
    CALLBACK_EXCEPTION = "CALLBACK_EXCEPTION", "Callback failed"
    SENSITIVE_WORD_ERROR = "SENSITIVE_WORD_ERROR", "Refused"


PROGRESS = [Status.PENDING, Status.TEXT_SUCCESS, Status.FIRST_SUCCESS, Status.SUCCESS]
FAILURES = frozenset({Status.CREATE_TASK_FAILED, Status.GENERATE_AUDIO_FAILED,
                      Status.CALLBACK_EXCEPTION, Status.SENSITIVE_WORD_ERROR})
FINAL = FAILURES | {Status.SUCCESS}
RUNNING = frozenset(Status) - FINAL
# When each status was reached, by the field that records it.
STAGE_FIELD = {Status.TEXT_SUCCESS: "text_at", Status.FIRST_SUCCESS: "first_at"}


# A generation is claimed by one worker at a time, at most this often: the first try and one
# retry after a worker died under it. A third death fails it (reaper.py).
MAX_ATTEMPTS = 2
# `claimed_by` of a generation the reaper put back in the queue: held by no running worker.
REQUEUED = "queue"


def holding_limit() -> timedelta:
    """How long a claim can belong to a live worker: django-q2 stops a job at JOB_TIMEOUT and
    kills its process 3 s later, so past this margin the claimant is certainly gone."""
    return timedelta(seconds=settings.JOB_TIMEOUT + settings.JOB_RETRY_MARGIN)


def this_worker() -> str:
    """Who is claiming: the machine, its process-id namespace and this process's id. A
    container has its own namespace, so a pid is only compared with pids of the same one."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")  # "pid:[4026531836]"
    except OSError:
        namespace = "?"  # no way to tell the namespace: the pid is never judged (is_gone)
    return f"{socket.gethostname()[:100]} {namespace} {os.getpid()}"


def is_gone(worker: str) -> bool:
    """True only when `worker` ran on this machine (same pid namespace) and has exited.

    A worker elsewhere, or a pid that was reused, counts as alive: its claim then expires
    by time (holding_limit) instead."""
    try:
        host, namespace, pid = worker.split(" ")
        pid = int(pid)
    except ValueError:  # REQUEUED, or a claim written before claims named their worker
        return False
    if namespace == "?" or [host, namespace] != this_worker().split(" ")[:2]:
        return False
    try:
        with open(f"/proc/{pid}/stat") as fh:  # a killed worker not yet reaped is a zombie
            return fh.read().rpartition(")")[2].split()[0] == "Z"
    except FileNotFoundError:
        return True
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def predecessors(status: str) -> list[str]:
    """The statuses from which a move to `status` is allowed."""
    if status in FAILURES:
        return [s.value for s in PROGRESS if s != Status.SUCCESS]
    rank = PROGRESS.index(status)
    return [s.value for s in PROGRESS[:rank]]


class Mode(models.TextChoices):
    GENERATE = "generate", "Song"
    INSTRUMENTAL = "instrumental", "Instrumental"
    EXTEND = "extend", "Extension"
    UPLOAD_COVER = "upload_cover", "Cover"
    ADD_INSTRUMENTAL = "add_instrumental", "Added instrumental"
    REPLACE_SECTION = "replace_section", "Replaced section"
    ADD_VOCALS = "add_vocals", "Added vocals"
    UPLOAD_EXTEND = "upload_extend", "Upload extension"
    SOUNDS = "sounds", "Sound"
    MASHUP = "mashup", "Mashup"


class GenerationQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)

    def running(self):
        # Named, not "not final": an index on (owner, status) then reads just the running
        # rows instead of every generation the owner ever made.
        return self.filter(status__in=RUNNING)

    def overdue(self, now=None):
        """Unfinished, and longer claimed (or queued, unclaimed) than any job may run. Not
        those an engine elsewhere has taken (its task id recorded): they wait on that engine,
        not on a worker, and its own deadline settles them (reaper.waiting_elsewhere)."""
        limit = (now or timezone.now()) - holding_limit()
        return self.running().filter(engine_task_id="").filter(
            models.Q(claimed_at__lt=limit) | models.Q(claimed_at__isnull=True,
                                                     created_at__lt=limit))

    def held_here(self):
        """Unfinished and claimed by a worker on this machine (is_gone() can judge those)."""
        return self.running().filter(claimed_by__startswith=this_worker().rpartition(" ")[0] + " ")


class Generation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed by the composite indexes that lead with it (Meta.indexes), not on its own.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="generations", db_index=False)
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.GENERATE)
    # The validated request in the seeds' field names (prompt, style, title...): read it as
    # the typed value, `generation.request`.
    params = models.JSONField(default=dict)
    model = models.CharField(max_length=12, default="V4_5")
    seed = models.BigIntegerField(default=0)
    # The three sources are indexed only where set (Meta.indexes): most generations have
    # none, and an index of NULLs was three more B-trees written by every create.
    source_track = models.ForeignKey("library.Track", null=True, blank=True, db_index=False,
                                     on_delete=models.SET_NULL, related_name="derived")

    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Which worker holds the claim (this_worker()), or REQUEUED; see claim().
    claimed_by = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    text_at = models.DateTimeField(null=True, blank=True)
    first_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error_code = models.PositiveIntegerField(null=True, blank=True)
    error_message = models.TextField(blank=True)

    # The form's one-time token: a double click submits it twice but makes one generation.
    client_token = models.CharField(max_length=64, blank=True)
    engine = models.CharField(max_length=40, default="local")
    upload = models.ForeignKey("Upload", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="generations", db_index=False)
    # A mashup's second song (its first is `upload`).
    second_upload = models.ForeignKey("Upload", null=True, blank=True, db_index=False,
                                      on_delete=models.SET_NULL, related_name="+")
    # Where an API client wants stage callbacks, and which dialect it spoke (web | v1 | legacy).
    callback_url = models.URLField(max_length=1000, blank=True)
    origin = models.CharField(max_length=10, default="web")
    engine_task_id = models.CharField(max_length=100, blank=True)
    # What the text stage decided, per take: {"titles": [...], "styles": [...], "lyrics": [...]}
    # (the API lists streaming takes with these before the tracks exist).
    plan = models.JSONField(default=dict, blank=True)

    objects = GenerationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"]),
                   models.Index(fields=["owner", "status"]),
                   *(models.Index(fields=[source], name=f"generation_{source}_set",
                                  condition=models.Q(**{f"{source}__isnull": False}))
                     for source in ("source_track", "upload", "second_upload"))]
        constraints = [models.UniqueConstraint(
            fields=["owner", "client_token"], condition=~models.Q(client_token=""),
            name="one_generation_per_form_token")]

    def __str__(self):
        return f"{self.get_mode_display()} {self.id.hex[:8]} ({self.status})"

    @property
    def task_id(self) -> str:
        return self.id.hex

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    @property
    def failed(self) -> bool:
        return self.status in FAILURES

    @cached_property
    def request(self) -> GenerationRequest:
        """The request as the typed value the validator made (stored as `params`)."""
        return GenerationRequest.from_params(self.mode, self.params or {})

    @property
    def model_label(self) -> str:
        """The model as creators know it (V4.5+, not V4_5PLUS)."""
        return MODELS[self.model].label if self.model in MODELS else self.model

    @property
    def title(self) -> str:
        """The title asked for, else the one the text stage wrote, else the idea's start."""
        planned = (self.plan or {}).get("titles") or [""]
        return self.request.title or planned[0] or self.request.prompt[:60] or "Untitled"

    @property
    def idea(self) -> str:
        """The non-custom description, shown under a title the engine made up."""
        if self.request.title or not (self.plan or {}).get("titles"):
            return ""
        return self.request.idea[:200]

    @property
    def lyrics(self) -> str:
        """The words being sung, for the page while the song renders: as written (custom
        mode, an extension's new part), else the first take's once the text stage wrote
        them; "" for an instrumental or before then."""
        if not self.request.sung:
            return ""
        planned = (self.plan or {}).get("lyrics") or [""]
        return self.request.lyrics or planned[0] or ""

    def advance(self, status: str, **fields) -> bool:
        """Move to `status` if that is forward from the stored status; True if it moved.

        The condition is evaluated by the database, so two processes racing to report the
        same stage cannot both win, and a late event never moves a generation backwards.
        """
        now = timezone.now()
        changes = {"status": status, **fields}
        if field := STAGE_FIELD.get(status):
            changes[field] = now
        if status in FINAL:
            changes["finished_at"] = now
        moved = Generation.objects.filter(pk=self.pk, status__in=predecessors(status)).update(
            **changes)
        if moved:
            for name, value in changes.items():
                setattr(self, name, value)
            stage_reached.send(sender=Generation, generation=self, status=status)
        else:
            self.refresh_from_db(fields=["status", "text_at", "first_at", "finished_at",
                                         "error_code", "error_message"])
        return bool(moved)

    def fail(self, message: str, *, code: int = 501,
             status: str = Status.GENERATE_AUDIO_FAILED) -> bool:
        return self.advance(status, error_code=code, error_message=message[:2000])

    def claim(self) -> bool:
        """Take this generation for this worker; False if a live worker holds it, or if it was
        claimed MAX_ATTEMPTS times already (then the reaper fails it).

        A claim is free when nobody holds it, when the reaper put the generation back in the
        queue, when its worker exited on this machine (killed; its task is then redelivered,
        however soon), or when it is older than any job may run (its worker died elsewhere).
        """
        now = timezone.now()
        free = (models.Q(claimed_at__isnull=True) | models.Q(claimed_by=REQUEUED)
                | models.Q(claimed_at__lt=now - holding_limit()))
        if self.claimed_by and is_gone(self.claimed_by):
            free |= models.Q(claimed_by=self.claimed_by, claimed_at=self.claimed_at)
        won = (Generation.objects.filter(pk=self.pk, attempts__lt=MAX_ATTEMPTS)
               .exclude(status__in=FINAL).filter(free)
               .update(claimed_at=now, claimed_by=this_worker(),
                       attempts=models.F("attempts") + 1))
        if won:
            self.refresh_from_db(fields=["claimed_at", "claimed_by", "attempts", "status"])
        return bool(won)

    def requeue(self) -> bool:
        """Release a claim whose worker is gone, so that the next task for it may claim it; False
        if the claim changed meanwhile (a redelivered task took it, or another reaper did)."""
        now = timezone.now()
        moved = (Generation.objects.filter(pk=self.pk, claimed_at=self.claimed_at,
                                           claimed_by=self.claimed_by)
                 .exclude(status__in=FINAL).update(claimed_at=now, claimed_by=REQUEUED))
        if moved:
            self.claimed_at, self.claimed_by = now, REQUEUED
        return bool(moved)


def _upload_path(upload: Upload, filename: str) -> str:
    return f"uploads/{upload.owner_id}/{upload.id}/{filename}"


class UploadQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)


class Upload(models.Model):
    """Audio a user brought: the source of a cover or an upload extension, the vocal stem for
    add-instrumental, the instrumental for add-vocals.
    Kept and reusable across forms; accepted by content, never by file name."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="uploads")
    file = models.FileField(upload_to=_upload_path, max_length=300)
    name = models.CharField(max_length=200)  # the file name as the user knew it
    format = models.CharField(max_length=10)  # mp3 | wav | flac | ogg | m4a, sniffed
    size = models.PositiveBigIntegerField()
    duration = models.FloatField()
    # What Studio heard in it: tempo, key, mode (shown before submitting).
    analysis = models.JSONField(default=dict, blank=True)
    # SHA-256 of the file: the same file under the same name is kept once (uploads.accept).
    digest = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    objects = UploadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "digest"], name="upload_owner_digest")]

    def __str__(self):
        return self.name


# Sent after every status move, once the row is written. The API app delivers callbacks
# from it; generation itself never imports the API.
from django.dispatch import Signal  # noqa: E402

stage_reached = Signal()  # sender=Generation, generation=..., status=...


class LyricsStatus(models.TextChoices):
    """The vendors' lyrics statuses (suno_api.md §3.4)."""
    PENDING = "PENDING"
    SUCCESS = "SUCCESS"
    CREATE_TASK_FAILED = "CREATE_TASK_FAILED"
    GENERATE_LYRICS_FAILED = "GENERATE_LYRICS_FAILED"
    SENSITIVE_WORD_ERROR = "SENSITIVE_WORD_ERROR"


class LyricsTaskQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)


class LyricsTask(models.Model):
    """Lyrics written from an idea (`POST /api/v1/lyrics`): several sheets to choose from.
    Its id is the taskId; the sheets arrive from a job (generation/writing.py), then one
    callback."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="lyrics_tasks")
    prompt = models.TextField()
    param = models.JSONField(default=dict)  # the body as sent: record-info echoes it
    callback_url = models.URLField(max_length=1000, blank=True)
    status = models.CharField(max_length=30, choices=LyricsStatus.choices,
                              default=LyricsStatus.PENDING)
    variants = models.JSONField(default=list)  # [{"title": ..., "text": ...}]
    error_message = models.TextField(blank=True)
    # "local", or the v1 connection (its engine name) that writes them: the owner's default
    # engine when the task was made (connections/derived.py), with its task there.
    engine = models.CharField(max_length=40, default="local")
    vendor_task_id = models.CharField(max_length=100, blank=True)
    vendor_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Taken by its job, or sent to its vendor; given to a new job by the reaper once its job
    # was lost or its worker died (library/claims.py).
    claimed_at = models.DateTimeField(null=True, blank=True)
    requeued_at = models.DateTimeField(null=True, blank=True)

    objects = LyricsTaskQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"lyrics {self.id}"

    @property
    def task_id(self) -> str:
        return str(self.id)
