"""A generation made at a vendor: submitted once by a short job, then tracked without any
worker waiting — the vendor's callbacks and a scheduled poller, whichever comes first, merge
what they learn through the generation's status machine (forward only, so a duplicate, late
or out-of-order event changes nothing).

Exactly once: the marker (`UpstreamTask.create_sent_at`) is committed before the create call
is sent. A job that finds it set without a vendor task id does not send again: the earlier
call may have reached the vendor (a worker killed mid-call), so once that call cannot still
be in flight the generation fails saying the vendor may have charged.

Files are ours: a take the vendor calls final is downloaded through the outbound guard
(size-capped, sniffed as audio), measured (duration, peaks) and stored as a Track, with its
cover; nothing Studio shows links to the vendor.
"""
from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from studio import media
from studio.api import files, records
from studio.engines.upstream import (
    FAILURES,
    FIRST,
    MAY_HAVE_CHARGED,
    SUCCESS,
    TEXT,
    TIMEOUT,
    VendorError,
    VendorEvent,
    VendorTake,
)
from studio.generation import jobs
from studio.generation.models import FINAL, Generation, Mode, Status
from studio.generation.rules import TAKES
from studio.library.models import Persona

from . import keep as keep_module
from .models import (
    Connection,
    KeyUnreadable,
    PollerAlarm,
    ReceivedCallback,
    UpstreamTask,
    connection_for,
)

log = logging.getLogger("studio.upstream")
BATCH = 50
# The vendors' limit: at most 3 status queries per second per task, whatever the settings say.
MIN_PAUSE = 1 / 3
# A batch polls what falls due this soon, too: due times a few ms apart share one job.
WINDOW = timedelta(seconds=0.25)
# A connection whose callbacks arrived this recently is trusted to send the next ones.
TRUSTED = timedelta(minutes=10)
# An armed batch this long overdue was lost (a broker flushed): arm another.
LOST_ALARM = timedelta(seconds=30)


def create_in_flight() -> timedelta:
    """The longest a create call can live: each attempt is over within its connect, write and
    read timeouts (the outbound client cuts the whole exchange to their sum), there are the
    retries and their pauses, and a margin for the moment between the marker and the send.
    A marker older than this without a task id belongs to a call that is over."""
    attempt = TIMEOUT.connect + TIMEOUT.write + settings.STUDIO_UPSTREAM_TIMEOUT
    backoff = settings.STUDIO_UPSTREAM_BACKOFF
    return timedelta(seconds=attempt * (len(backoff) + 1) + sum(backoff) + 5)


def callback_url(task: UpstreamTask) -> str:
    """Where the vendor reports this task: Studio's public base URL (STUDIO_BASE_URL) and an
    unguessable per-generation token."""
    path = reverse("connections:callback", args=[task.callback_token])
    return records.base_url(task.generation) + path


def _task_for(generation: Generation) -> UpstreamTask | None:
    connection = connection_for(generation.engine)
    if connection is None:
        return None
    task, _ = UpstreamTask.objects.get_or_create(generation=generation,
                                                 defaults={"connection": connection})
    return task


# --- submit ---------------------------------------------------------------------------------

def submit(generation_id) -> None:
    """The short job: send the create call once, record the vendor's task id, and leave."""
    generation = (Generation.objects.select_related("source_track", "upload")
                  .filter(pk=generation_id).first())
    if generation is None or generation.is_final:
        return
    task = _task_for(generation)
    if task is None:
        generation.fail("The connection this song was made through no longer exists.",
                        code=500, status=Status.CREATE_TASK_FAILED)
        return
    if task.vendor_task_id:
        return  # submitted already: a repeated job changes nothing
    if task.create_sent_at is not None:
        _settle_unanswered(task)
        return
    if (slot := _create_slot_at(task.connection)) is not None:
        if not settings.JOBS_SYNC:  # the broker holds the job until then, not a worker
            from studio import delayed

            delayed.run_at(slot, jobs.UPSTREAM_JOB, str(generation.pk),
                           task_name=f"generation-{generation.pk}-{time.time_ns()}")
            return
        time.sleep(max(0.0, slot - time.time()))  # inline jobs (debugging): no worker to free
    marked = UpstreamTask.objects.filter(pk=task.pk, create_sent_at__isnull=True).update(
        create_sent_at=timezone.now())
    if not marked:
        return  # a twin job took it
    try:
        engine = task.connection.engine()
        request = vendor_request(generation, engine)
        vendor_task_id = engine.submit(request, callback_url(task))
    except (VendorError, KeyUnreadable) as error:
        message = getattr(error, "message", str(error))
        generation.fail(message, code=getattr(error, "code", 500),
                        status=getattr(error, "status", Status.CREATE_TASK_FAILED))
        task.last_error = message[:2000]
        task.save(update_fields=["last_error"])
        log.warning("upstream create for %s failed: %s", generation.pk, message)
        return
    except Exception:
        generation.fail("Studio hit an internal error while sending this song to the vendor; "
                        "it has been logged. " + MAY_HAVE_CHARGED, code=500,
                        status=Status.CREATE_TASK_FAILED)
        log.exception("upstream create for %s crashed", generation.pk)
        return
    now = timezone.now()
    step, seconds = pause(task, moved=True, trusted=callbacks_arrive(task.connection))
    UpstreamTask.objects.filter(pk=task.pk).update(
        vendor_task_id=vendor_task_id, submitted_at=now, progress_at=now, poll_step=step,
        next_poll_at=now + timedelta(seconds=seconds))
    Generation.objects.filter(pk=generation.pk).update(engine_task_id=vendor_task_id[:100])
    arm()


def _settle_unanswered(task: UpstreamTask) -> None:
    """A marker without a task id: the call may still be in flight (leave it), or is over
    with no answer recorded (fail: it may have reached the vendor)."""
    if timezone.now() - task.create_sent_at < create_in_flight():
        return
    task.generation.fail(MAY_HAVE_CHARGED, code=500, status=Status.CREATE_TASK_FAILED)


CREATE_WINDOW = timedelta(seconds=10)


def _create_slot_at(connection: Connection) -> float | None:
    """The vendors take 20 creates per 10 s per key (STUDIO_UPSTREAM_CREATES): None when a
    create may go now, else the unix time the oldest create in the window leaves it."""
    limit = settings.STUDIO_UPSTREAM_CREATES
    recent = list(UpstreamTask.objects.filter(
        connection=connection, create_sent_at__gte=timezone.now() - CREATE_WINDOW)
        .order_by("-create_sent_at").values_list("create_sent_at", flat=True)[:limit])
    if len(recent) < limit:
        return None
    # A margin: the marker is written a moment before the vendor receives (and counts) a call.
    return (recent[-1] + CREATE_WINDOW).timestamp() + 0.5


def vendor_request(generation: Generation, engine):
    """The engine request with the fields as this vendor must get them: the source take's
    vendor id for an extension, a URL the vendor can fetch for an upload."""
    request = jobs.engine_request(generation.request, seed=generation.seed,
                                  workdir=Path(tempfile.gettempdir()))
    fields = {k: v for k, v in request.fields.items() if not k.startswith("_")}
    if generation.source_track_id and "audioId" in fields:
        fields["audioId"] = generation.source_track.engine_id
    if generation.source_track_id and "taskId" in fields:  # replace-section: its vendor task
        fields["taskId"] = generation.source_track.generation.engine_task_id
    if "uploadUrl" in fields:
        fields["uploadUrl"] = upload_url_for(generation, engine)
    if "uploadUrlList" in fields:  # a mashup's two songs
        fields["uploadUrlList"] = [upload_url_for(generation, engine, upload)
                                   for upload in (generation.upload, generation.second_upload)]
    if fields.get("personaId"):  # the vendor knows its persona by its own id
        persona = Persona.objects.filter(owner_id=generation.owner_id,
                                         pk=fields["personaId"]).first()
        if persona is not None and persona.vendor_persona_id:
            fields["personaId"] = persona.vendor_persona_id
    return replace(request, fields=fields)


def upload_url_for(generation: Generation, engine, upload=None) -> str:
    """The vendor's file-upload API when the connection has one, else Studio's signed link
    under STUDIO_BASE_URL (the vendor must be able to reach it): of `upload`, else of the
    generation's upload or source track."""
    upload = upload or generation.upload
    if upload is not None:
        stored, name, kind, pk = upload.file, upload.name, files.UPLOAD, upload.id
    else:
        track = generation.source_track
        stored, name, kind, pk = track.audio, f"{track.title or 'track'}.mp3", files.AUDIO, track.id
    if getattr(engine.vendor, "upload_base_url", ""):
        with media.read_field(stored) as path:
            return engine.upload(path, name)
    return settings.STUDIO_BASE_URL + files.path(kind, pk)


# --- merging what the vendor says -----------------------------------------------------------

def apply(task: UpstreamTask, event: VendorEvent) -> bool:
    """Merge `event` into the generation; True if anything moved. Safe to call with the same
    event twice, or with an older one after a newer.

    Merging is quick (a few rows): a take the vendor lists plays through Studio's stream link
    at once (preview.py passes the vendor's file on), and FIRST_SUCCESS means a take can be
    heard, be it kept yet or only streaming. Keeping the files (download, sniff, decode,
    peaks, cover) is a keep job's work (`keep_soon`); SUCCESS waits for it."""
    generation = task.generation
    if generation.is_final:
        return False
    before = (generation.status, task.playable_at)
    if event.status in FAILURES:
        jobs._discard(list(generation.tracks.all()))
        generation.fail(event.message or "The vendor failed to make the song.",
                        code=event.code or 501, status=event.status)
        return True
    if event.status in (TEXT, FIRST, SUCCESS) and generation.status == Status.PENDING:
        generation.advance(Status.TEXT_SUCCESS, plan=_plan(event))
    known = _note_takes(task, event) if event.takes else list(task.previews)
    heard = [p for p in known if p.get("audio") or p.get("stream")]
    if (event.status in (FIRST, SUCCESS) and heard
            and generation.status in (Status.PENDING, Status.TEXT_SUCCESS)):
        generation.advance(Status.FIRST_SUCCESS)
    if (event.status == SUCCESS and task.playable_at is None
            and len(known) >= takes_due(generation, known)
            and all(p.get("audio") for p in known)):
        task.playable_at = timezone.now()
        UpstreamTask.objects.filter(pk=task.pk, playable_at__isnull=True).update(
            playable_at=task.playable_at)
    if _unkept(generation, known):
        keep_soon(task)
        if settings.JOBS_SYNC:  # kept inline: the keep moved it
            generation.refresh_from_db(fields=["status"])
    else:
        _finish(task, generation)
    return (generation.status, task.playable_at) != before


def _unkept(generation: Generation, known: list[dict]) -> bool:
    """Whether a take the vendor has made final is not in the library yet (while it has
    room for one)."""
    final = {p["id"] for p in known if p.get("audio")}
    if not final:
        return False
    stored = set(generation.tracks.values_list("engine_id", flat=True))
    return len(stored) < TAKES and bool(final - stored)


# Modes the vendors answer with one take or two (suno_api.md §2 row 7: replace-section);
# every other mode makes exactly TAKES, and a song with fewer is not finished.
ONE_OR_TWO = (Mode.REPLACE_SECTION,)


def takes_due(generation: Generation, known: list[dict]) -> int:
    """How many takes the generation is finished with: TAKES, or for a mode the vendors answer
    with one or two, as many as the vendor listed once it said SUCCESS."""
    if generation.mode in ONE_OR_TWO:
        return min(TAKES, max(1, len(known)))
    return TAKES


def _finish(task: UpstreamTask, generation: Generation) -> None:
    """SUCCESS once the vendor said so for every take and every take is kept."""
    if task.playable_at is not None and \
            generation.tracks.count() >= takes_due(generation, task.previews):
        generation.advance(Status.FIRST_SUCCESS)
        generation.advance(Status.SUCCESS)


def _note_takes(task: UpstreamTask, event: VendorEvent) -> list[dict]:
    """Record the vendor's takes (their order fixes each one's variation), their stream URLs
    as they become known and, once final, what keeping them needs; the takes in variation
    order."""
    with transaction.atomic():
        previews = list(UpstreamTask.objects.select_for_update().filter(pk=task.pk)
                        .values_list("previews", flat=True).first() or [])
        known = [dict(p) for p in previews]
        for take in event.takes:
            found = next((p for p in known if p["id"] == take.id), None)
            if found is None and len(known) < TAKES:
                found = {"id": take.id, "stream": ""}
                known.append(found)
            if found is None:
                continue
            if take.stream_audio_url:
                found["stream"] = take.stream_audio_url
            if take.audio_url and not found.get("audio"):
                found.update(audio=take.audio_url, image=take.image_url, title=take.title,
                             tags=take.tags, lyrics=take.lyrics, model=take.model_name,
                             duration=take.duration)
        if known != previews:
            UpstreamTask.objects.filter(pk=task.pk).update(previews=known)
    task.previews = known
    return known


# --- keeping the files ------------------------------------------------------------------------

KEEP_JOB = "studio.connections.tasks.keep"
# How long a keep job holds a task: far more than keeping two takes takes (each download is
# bounded by STUDIO_FETCH_TIMEOUT), so only a dead worker's lease lapses.
KEEP_LEASE = timedelta(minutes=5)


def keep_soon(task: UpstreamTask) -> None:
    """Have the final takes kept: a keep job queued once this transaction commits (at once
    inline: tests, STUDIO_JOBS_SYNC). One per task at a time (the lease), so a callback and
    a poll that both see SUCCESS download each file once."""
    if settings.JOBS_SYNC:
        keep(task.pk)
        return
    # Asked of the database, never of the row as loaded: a keep job that released its lease
    # meanwhile looked for new takes before this merge wrote them (its release waited for
    # this transaction, so either the lease is taken here or the job sees the takes).
    leased = UpstreamTask.objects.filter(pk=task.pk).filter(
        models.Q(keeping_until__isnull=True) | models.Q(keeping_until__lte=timezone.now())
    ).update(keeping_until=timezone.now() + KEEP_LEASE)
    if leased:
        _queue_keep(task.pk)


def _queue_keep(task_id, at: float | None = None) -> None:
    from studio import delayed

    name = f"keep-{task_id}-{time.time_ns()}"
    transaction.on_commit(lambda: delayed.run_at(at or 0.0, KEEP_JOB, str(task_id),
                                                 task_name=name))


def keep(generation_id) -> int:
    """The keep job: download, check and store each final take not kept yet, then SUCCESS if
    the vendor said so; how many takes were kept now. A file that could not be fetched this
    time is asked for again later (ATTEMPTS in all); one that is not audio fails the song."""
    task = (UpstreamTask.objects.select_related("generation", "connection")
            .filter(pk=generation_id).first())
    if task is None or task.generation.is_final:
        return 0
    generation = task.generation
    before = generation.tracks.count()
    try:
        for _look in range(TAKES):  # a take the vendor finished meanwhile is kept too
            final = [_vendor_take(p) for p in task.previews if p.get("audio")]
            order = [p["id"] for p in task.previews]
            kept = keep_module.takes(generation, tuple(final), order)
            task.refresh_from_db(fields=["previews", "playable_at"])
            if not _unkept(generation, task.previews):
                break
    except keep_module.Unkeepable as error:
        jobs._discard(list(generation.tracks.all()))
        generation.fail(str(error), code=501, status=Status.GENERATE_AUDIO_FAILED)
        _release(task)
        return 0
    except keep_module.NotYet as error:
        UpstreamTask.objects.filter(pk=task.pk).update(
            download_failures=models.F("download_failures") + 1, last_error=str(error)[:2000])
        task.refresh_from_db(fields=["download_failures"])
        if task.download_failures >= keep_module.ATTEMPTS:
            jobs._discard(list(generation.tracks.all()))
            generation.fail(f"{error} Studio tried {keep_module.ATTEMPTS} times.", code=501,
                            status=Status.GENERATE_AUDIO_FAILED)
            _release(task)
        elif not settings.JOBS_SYNC:  # inline, the poller's next look asks again
            _queue_keep(task.pk, time.time() + keep_module.RETRY * task.download_failures)
        return generation.tracks.count() - before
    generation.refresh_from_db(fields=["status"])
    if generation.failed:  # the vendor failed the song while its files were being fetched
        jobs._discard(list(generation.tracks.all()))
        _release(task)
        return 0
    if kept >= 1:
        generation.advance(Status.FIRST_SUCCESS)
    _finish(task, generation)
    _release(task)
    task.refresh_from_db(fields=["previews", "playable_at"])
    if not generation.is_final and _unkept(generation, task.previews):
        keep_soon(task)  # what a merge added between the last look and the release
    if generation.is_final:
        UpstreamTask.objects.filter(pk=task.pk).update(next_poll_at=None)
    return kept - before


def _release(task: UpstreamTask) -> None:
    task.keeping_until = None
    UpstreamTask.objects.filter(pk=task.pk).update(keeping_until=None)


def _vendor_take(known: dict) -> VendorTake:
    return VendorTake(id=known["id"], audio_url=known["audio"],
                      stream_audio_url=known.get("stream", ""), image_url=known.get("image", ""),
                      title=known.get("title", ""), tags=known.get("tags", ""),
                      lyrics=known.get("lyrics", ""), model_name=known.get("model", ""),
                      duration=known.get("duration"))


def _plan(event: VendorEvent) -> dict:
    takes = event.takes[:TAKES]
    return {"titles": [t.title for t in takes], "styles": [t.tags for t in takes],
            "lyrics": [t.lyrics for t in takes]} if takes else {}


def _after(task: UpstreamTask, moved: bool, vendor_status: str = "", *,
           by_callback: bool = False, arm_next: bool = True) -> None:
    """Record a merge (a callback counted) and when to ask the vendor next (`pause`), and arm
    the poller for then (a poll batch arms it once, at its end)."""
    generation = task.generation
    generation.refresh_from_db(fields=["status"])
    now = timezone.now()
    changes = {"vendor_status": vendor_status[:30] or task.vendor_status}
    if by_callback:
        changes["callbacks"] = models.F("callbacks") + 1
    if generation.is_final:
        changes["next_poll_at"] = None
    elif task.playable_at is not None:
        # The vendor has said all it will: no more questions. The poller looks once more
        # when a keep job's lease would lapse, to queue a keep that was lost.
        changes["next_poll_at"] = now + KEEP_LEASE
    else:
        trusted = by_callback or callbacks_arrive(task.connection)
        step, seconds = pause(task, moved=moved, trusted=trusted)
        changes.update(poll_step=step, next_poll_at=now + timedelta(seconds=seconds))
    if moved:
        changes["progress_at"] = now
    UpstreamTask.objects.filter(pk=task.pk).update(**changes)
    if arm_next and not generation.is_final:
        arm(changes["next_poll_at"])  # only this task's time moved


def pause(task: UpstreamTask, *, moved: bool, trusted: bool) -> tuple[int, float]:
    """The one rule for when to ask the vendor next: (step in STUDIO_UPSTREAM_POLL, seconds).

    While the connection's callbacks arrive, polling is only the safety net: the longest
    pause. Otherwise the ladder: its first step after any progress (the vendor is busy with
    the song: after TEXT_SUCCESS the takes come soon), one step slower each time nothing
    changed. Never more often than MIN_PAUSE."""
    ladder = settings.STUDIO_UPSTREAM_POLL
    last = len(ladder) - 1
    if trusted:
        step = last
    else:
        step = 0 if moved else min(task.poll_step + 1, last)
    return step, max(ladder[step], MIN_PAUSE)


def callbacks_arrive(connection: Connection) -> bool:
    seen = connection.last_callback_at
    return seen is not None and seen > timezone.now() - TRUSTED


def receive_callback(generation_id, payload, *, arm_next: bool = True) -> None:
    """Merge one kept callback (a tracking batch), read with the connection's dialect."""
    task = (UpstreamTask.objects.select_related("generation", "connection")
            .filter(pk=generation_id).first())
    if task is None:
        return
    event = task.connection.engine().from_callback(payload)
    if event.task_id != task.vendor_task_id:
        return  # not this task's (the view checked; a late re-submit could differ)
    merge_callback(task, event, arm_next=arm_next)


def merge_callback(task: UpstreamTask, event: VendorEvent, *, arm_next: bool = True) -> None:
    """Merge a callback's event into its task (loaded with its generation and connection)."""
    moved = apply(task, event)
    _after(task, moved, event.status, by_callback=True, arm_next=arm_next)


def _claim_callbacks(limit: int) -> list[ReceivedCallback]:
    """Take up to `limit` received callbacks, oldest first; each goes to one batch only. One
    lost with its worker is caught up by the poller (its safety-net poll)."""
    rows = list(ReceivedCallback.objects.order_by("pk")[:limit])
    return [row for row in rows if ReceivedCallback.objects.filter(pk=row.pk).delete()[0]]


def _merge(callbacks: list[ReceivedCallback]) -> None:
    for row in callbacks:  # oldest first: each task's in the order they came
        try:
            receive_callback(row.task_id, row.payload, arm_next=False)
        except Exception:  # one bad merge must not drop the rest of the batch
            log.exception("merging a callback for %s failed", row.task_id)


def merge_callbacks(limit: int = BATCH) -> int:
    """Merge the callbacks received so far (inline jobs: tests, STUDIO_JOBS_SYNC)."""
    callbacks = _claim_callbacks(limit)
    _merge(callbacks)
    return len(callbacks)


# --- the poller ------------------------------------------------------------------------------

def poll(limit: int = BATCH) -> int:
    """One tracking batch: merge the callbacks received, ask the vendors about the tasks that
    are due, settle the stalled ones, and arm the next batch; how many callbacks and tasks it
    handled.

    No worker waits between batches: `arm` queues the next one for the time the soonest task
    falls due, or at once when callbacks wait (delayed.run_at: the broker holds it); once this
    batch has taken its share, what else waits is armed at once, so another worker takes it
    meanwhile. The minutely schedule only re-arms a lost alarm."""
    now = timezone.now()
    PollerAlarm.objects.filter(at__lte=now + WINDOW).update(at=None)  # this is that batch
    settle_stalled()
    callbacks = _claim_callbacks(limit)
    batch = []
    for task in (UpstreamTask.objects.due(now + WINDOW)
                 .select_related("generation", "connection")[:limit]):
        # Lease the task for a minute, so a second poller running now skips it.
        leased = UpstreamTask.objects.filter(pk=task.pk, next_poll_at=task.next_poll_at).update(
            next_poll_at=now + timedelta(seconds=60), polls=models.F("polls") + 1)
        if leased:
            batch.append(task)
    arm()  # what waits beyond this batch goes to another worker meanwhile
    _merge(callbacks)
    for task in batch:
        if task.playable_at is not None:  # the vendor said all: only the keeping is left
            try:
                keep_soon(task)
            except Exception:
                log.exception("keeping %s failed", task.vendor_task_id)
            _after(task, False, arm_next=False)
            continue
        try:
            event = task.connection.engine().status(task.vendor_task_id)
        except (VendorError, KeyUnreadable) as error:
            UpstreamTask.objects.filter(pk=task.pk).update(
                last_error=getattr(error, "message", str(error))[:2000])
            _after(task, False, arm_next=False)
            continue
        except Exception:
            log.exception("polling %s failed", task.vendor_task_id)
            _after(task, False, arm_next=False)
            continue
        moved = apply(task, event)
        _after(task, moved, event.status, arm_next=False)
    arm()
    return len(callbacks) + len(batch)


def arm(soonest=None) -> None:
    """Queue a tracking batch for when the soonest task in flight falls due, or at once when
    callbacks wait. One alarm at a time (PollerAlarm), moved only earlier, so a thousand songs
    in flight are one pending job; jobs run inline (tests, STUDIO_JOBS_SYNC) leave polling to
    whoever calls poll(). `soonest`: the one time that changed (a merge moved one task's next
    poll), so the alarm need only be moved if that is earlier."""
    if settings.JOBS_SYNC:
        return
    if soonest is not None:
        pass
    elif ReceivedCallback.objects.exists():
        soonest = timezone.now()
    else:
        soonest = UpstreamTask.objects.in_flight().aggregate(
            at=models.Min("next_poll_at"))["at"]
    if soonest is None:
        return
    now = timezone.now()
    at = max(soonest, now)
    armed = PollerAlarm.objects.filter(pk=1).filter(
        models.Q(at__isnull=True) | models.Q(at__gt=at + WINDOW)
        | models.Q(at__lt=now - LOST_ALARM)).update(at=at)
    if not armed and not PollerAlarm.objects.filter(pk=1).exists():
        try:
            with transaction.atomic():
                PollerAlarm.objects.create(pk=1, at=at)
            armed = True
        except IntegrityError:  # another process made it: its alarm stands
            pass
    if armed:
        from studio import delayed

        transaction.on_commit(lambda: delayed.run_at(
            at.timestamp(), "studio.connections.tasks.poll", task_name=f"poll-{time.time_ns()}"))


def settle_stalled() -> int:
    """The one rule for vendor tasks nobody will finish: a create that never got an answer,
    and a task without progress past STUDIO_UPSTREAM_DEADLINE, fail with their reason. Run
    by each poll batch and by the reaper (every minute and at every job's start), so it holds
    even if the poller's jobs were lost."""
    return _fail_unanswered_creates() + _fail_stalled()


def _fail_unanswered_creates() -> int:
    """Creates whose worker died between the marker and the vendor's answer."""
    stale = timezone.now() - create_in_flight()
    failed = 0
    for task in (UpstreamTask.objects.select_related("generation")
                 .filter(vendor_task_id="", create_sent_at__lt=stale)
                 .exclude(generation__status__in=FINAL)):
        failed += task.generation.fail(MAY_HAVE_CHARGED, code=500,
                                       status=Status.CREATE_TASK_FAILED)
    return failed


def _fail_stalled() -> int:
    limit = timedelta(seconds=settings.STUDIO_UPSTREAM_DEADLINE)
    failed = 0
    for task in (UpstreamTask.objects.select_related("generation")
                 .exclude(vendor_task_id="").filter(progress_at__lt=timezone.now() - limit)
                 .exclude(generation__status__in=FINAL)):
        jobs._discard(list(task.generation.tracks.all()))
        failed += task.generation.fail(
            f"The vendor reported no progress for {int(limit.total_seconds() // 60)} minutes "
            f"(last seen: {task.vendor_status or 'nothing'}), so Studio stopped waiting.",
            code=408, status=Status.GENERATE_AUDIO_FAILED)
        UpstreamTask.objects.filter(pk=task.pk).update(next_poll_at=None)
    return failed


def callback_arrived(task: UpstreamTask, event: VendorEvent, payload) -> None:
    """Merge a checked callback at once, in the view's own request: merging is a few rows
    (keeping files is a keep job's), so a take the vendor calls ready plays through Studio
    as soon as its callback lands, with no job queued behind others to wait for (the
    upstream benchmark: 500 songs finishing together queued their merges for minutes). A
    merge the database refuses now (locked past its timeout) is kept for the next tracking
    batch instead, which is armed at once."""
    seen = task.connection.last_callback_at
    if seen is None or seen < timezone.now() - timedelta(seconds=60):
        # Callbacks through this connection arrive: the poller can stay the safety net.
        Connection.objects.filter(pk=task.connection_id).update(last_callback_at=timezone.now())
    try:
        with transaction.atomic():
            merge_callback(task, event)
    except DatabaseError:
        log.warning("callback for %s kept for the next tracking batch", task.pk, exc_info=True)
        ReceivedCallback.objects.create(task_id=task.pk, payload=payload)
        transaction.on_commit(merge_callbacks if settings.JOBS_SYNC else arm)
