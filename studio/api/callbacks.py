"""Stage callbacks to a client's callBackUrl: text → first → complete, or error.

On every status move (`stage_reached`) a generation with a callBackUrl gets one delivery row
per stage — the unique constraint makes "once per stage" hold even if a stage is reported
twice — and a django-q2 task, enqueued on commit, posts it. Neither the render nor a worker
waits for a client's server: a task makes one attempt (15 s at most, 5 of them to connect).
A failed one is recorded (attempts, last_error, last_status_code), its claim released, and
the next attempt queued for after its backoff (STUDIO_CALLBACK_BACKOFF; up to 3 attempts):
the broker holds it (studio/delayed.py), so receivers that keep failing never keep workers
from generation jobs. A generation has at most one delivery in flight or waiting for its
retry, so its stages arrive in order; the task that ends a stage (delivered, or failed for
good) takes the next one that is due.

A feature task's single callback (lyrics, WAV, stems, MIDI, video, cover art) is signed,
guarded and retried the same way; its outcome is logged. It is owed when its task ends
(`owe`): its FeatureCallback row is written in the transaction that ends the task, and a task
for its first attempt queued on commit, as a stage's. The row waits there until an attempt is
delivered or the last one fails.

A queued task can be lost: a Redis broker flushed, a worker killed, a crash between recording
an attempt and queuing the next. So every minute django-q2's scheduler runs `sweep`, which
queues again each attempt overdue by GRACE that no task holds, a first one as a retry, once;
the claims make a task that was only late, not lost, harmless.

A callBackUrl Studio will not call (a private or local address: real clients send
placeholders such as https://localhost/callback because kie requires the field) does not stop
the song. The intake stores why on the ApiRequest (callback_refused); each stage's delivery is then recorded as
refused, with that reason, and no task is queued, so nothing connects. A URL refused only at
delivery (a name that now resolves to a private address) is recorded the same way.

record-info keeps the generation's real status whatever happened to its callbacks; it never
says CALLBACK_EXCEPTION for them. The vendors document that status only as "error during
callback", and real clients — polling because their callBackUrl is a placeholder — treat it
as a failed task and drop the song; they work against kie, whose callbacks to such URLs fail
every time, so kie evidently keeps SUCCESS there too. The refusal is shown where it helps the
person who can fix it: on the keys page, with its reason.

Each POST is signed as kie signs its webhooks: `X-Webhook-Timestamp` (unix seconds) and
`X-Webhook-Signature` = base64(HMAC-SHA256(secret, f"{task_id}.{timestamp}")), with the
owner's webhook secret shown on the keys page.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from studio.generation.models import Generation, Mode, Status

from . import outbound, records
from .models import STAGE_ORDER, CallbackDelivery, FeatureCallback, Stage, WebhookSecret

log = logging.getLogger("studio.api.callbacks")
TIMEOUT = 15  # seconds for a whole attempt, as the vendors give their receivers
CONNECT = 5  # of which connecting: a host that does not answer is given up sooner
ATTEMPTS = 3
# A delivery claimed longer ago than this belongs to a worker that died during its attempt.
STALE_CLAIM = timedelta(seconds=TIMEOUT + 60)
# An attempt still not made this long after it was due lost its task (the sweep's rule): a
# busy queue delays a task by less, and a late one that runs after all finds it made.
GRACE = timedelta(minutes=2)
STAGES = {Status.TEXT_SUCCESS: Stage.TEXT, Status.FIRST_SUCCESS: Stage.FIRST,
          Status.SUCCESS: Stage.COMPLETE, Status.CREATE_TASK_FAILED: Stage.ERROR,
          Status.GENERATE_AUDIO_FAILED: Stage.ERROR, Status.SENSITIVE_WORD_ERROR: Stage.ERROR,
          Status.CALLBACK_EXCEPTION: Stage.ERROR}
# Replace section calls back once, when it is complete (or failed), as its vendors do.
ONLY_FINAL = {Mode.REPLACE_SECTION}


def sign(secret: str, task_id: str, timestamp: str) -> str:
    digest = hmac.new(secret.encode(), f"{task_id}.{timestamp}".encode(), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def on_stage_reached(sender, generation: Generation, status: str, **kwargs) -> None:
    stage = STAGES.get(status)
    if stage is None or not generation.callback_url:
        return
    if generation.mode in ONLY_FINAL and stage in (Stage.TEXT, Stage.FIRST):
        return
    refused = getattr(getattr(generation, "api_request", None), "callback_refused", "")
    outcome = {"refused": True, "failed_at": timezone.now(), "last_error": refused} if refused else {}
    try:
        with transaction.atomic():
            CallbackDelivery.objects.create(generation=generation, stage=stage,
                                            url=generation.callback_url, **outcome)
    except IntegrityError:  # this stage was reported before: it is delivered once
        return
    if not refused:
        transaction.on_commit(lambda: enqueue(generation.pk))


def enqueue(generation_id) -> None:
    from studio import delayed

    delayed.run("studio.api.tasks.deliver_callbacks", str(generation_id),
                task_name=f"callbacks-{generation_id}", sync=settings.JOBS_SYNC)


def _unheld(now) -> Q:
    """No live task holds it: never claimed, released, or claimed by a worker that died."""
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_CLAIM)


def _claim(delivery: CallbackDelivery, now) -> bool:
    """Take `delivery` for this task if it is unfinished, no live task holds it and no other
    attempt was made since it was read."""
    return bool(CallbackDelivery.objects.unfinished()
                .filter(_unheld(now), pk=delivery.pk, attempts=delivery.attempts)
                .update(claimed_at=now))


def _next_stage(generation_id) -> CallbackDelivery | None:
    """The earliest unfinished stage of `generation_id`: the only one that may be sent."""
    return min(CallbackDelivery.objects.unfinished().filter(generation_id=generation_id),
               key=lambda d: STAGE_ORDER.index(d.stage), default=None)


def _claim_next(generation_id) -> CallbackDelivery | None:
    """The next stage due for `generation_id`, claimed for this task; None if there is none,
    or an earlier one is in flight or waiting for its retry (whose task takes this one
    after it)."""
    now = timezone.now()
    delivery = _next_stage(generation_id)
    if delivery is None:
        return None
    if delivery.claimed_at and delivery.claimed_at > now - STALE_CLAIM:
        return None  # in flight elsewhere
    if delivery.retry_at and delivery.retry_at > now:
        return None
    return delivery if _claim(delivery, now) else None


def deliver_all(generation_id) -> None:
    while (delivery := _claim_next(generation_id)) is not None:
        deliver(delivery)


def deliver_again(delivery_id, attempt: int) -> None:
    """A stage's scheduled retry, attempt number `attempt` (once: a task run twice finds the
    attempt made), then the stages that waited behind it."""
    delivery = CallbackDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        return
    if delivery.attempts == attempt - 1 and _claim(delivery, timezone.now()):
        deliver(delivery)
    deliver_all(delivery.generation_id)


def deliver(delivery: CallbackDelivery) -> bool:
    """One attempt at one claimed stage, recorded. A failure that may be retried releases the
    claim and queues the next attempt for after its backoff: the broker waits, never a
    worker, which generation jobs need. True if the receiver took it."""
    generation = (Generation.objects.select_related("source_track", "upload")
                  .get(pk=delivery.generation_id))
    payload = json.dumps(records.callback_payload(generation, delivery.stage),
                         ensure_ascii=False).encode()
    secret = WebhookSecret.for_user(generation.owner).secret
    attempt = delivery.attempts + 1
    status_code, problem, blocked = _attempt(delivery.url, payload, secret, generation.task_id)
    now = timezone.now()
    fields = {"attempts": attempt, "last_status_code": status_code, "last_error": problem,
              "refused": blocked}
    wait = None
    if not problem:
        fields["delivered_at"] = now
    elif blocked or attempt >= ATTEMPTS:
        fields["failed_at"] = now
    else:
        wait = backoff(attempt)
        fields.update(claimed_at=None, retry_at=now + timedelta(seconds=wait))
    CallbackDelivery.objects.filter(pk=delivery.pk).update(**fields)
    if problem:
        log.info("callback %s for %s attempt %d failed: %s", delivery.stage,
                 generation.task_id, attempt, problem)
    if wait is not None:
        _later(wait, "studio.api.tasks.deliver_callback_again", delivery.pk, attempt + 1,
               task_name=f"callback-{delivery.pk}-{attempt + 1}")
    return not problem


def backoff(attempt: int) -> float:
    """Seconds between attempt number `attempt` and the next (STUDIO_CALLBACK_BACKOFF)."""
    steps = settings.STUDIO_CALLBACK_BACKOFF
    return steps[min(attempt - 1, len(steps) - 1)] if steps else 0


def _later(wait: float, func: str, *args, task_name: str) -> None:
    from studio import delayed

    delayed.run_at(time.time() + wait, func, *args, task_name=task_name, sync=settings.JOBS_SYNC)


def _attempt(url: str, payload: bytes, secret: str, task_id: str):
    """One signed POST: (HTTP status or None, what went wrong or "", refused by the guard)."""
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", "X-Webhook-Timestamp": timestamp,
               "X-Webhook-Signature": sign(secret, task_id, timestamp)}
    status_code, problem, blocked = None, "", False
    try:
        with outbound.client(timeout=httpx.Timeout(TIMEOUT, connect=CONNECT),
                             whole=TIMEOUT) as http:
            response = http.post(url, content=payload, headers=headers)
        status_code = response.status_code
        if not 200 <= status_code < 300:
            problem = f"the receiver answered HTTP {status_code}"
    except outbound.Blocked as error:
        # A forbidden address stays forbidden: retrying would only repeat the refusal.
        problem, blocked = error.message, True
    except outbound.OutboundError as error:
        problem = error.message
    except Exception as error:  # network trouble of any kind: record it, try again
        problem = f"{type(error).__name__}: {error}"[:500]
    return status_code, problem, blocked


def owe(url: str, document: dict, owner_id, task_id: str) -> FeatureCallback:
    """The single callback of a feature task that has just ended (lyrics, WAV, stems, MIDI,
    video, cover art), owed to `url`: its row, due now, written in the caller's transaction
    (the one that ends the task, so the callback is owed exactly when the task has ended),
    and the task of its first attempt queued on commit. Should that task be lost, the sweep
    queues it again as it does a lost retry; one that is only late finds the attempt made,
    or held."""
    from studio import delayed

    waiting = FeatureCallback.objects.create(
        owner_id=owner_id, task_id=task_id, url=url, attempts=0, retry_at=timezone.now(),
        payload=json.dumps(document, ensure_ascii=False))
    transaction.on_commit(lambda: delayed.run(
        "studio.api.tasks.deliver_feature_callback_again", waiting.pk, 1,
        task_name=f"callback-{task_id}-1", sync=settings.JOBS_SYNC))
    return waiting


def post_once(url: str, document: dict, owner, task_id: str) -> str:
    """A first attempt at a feature task's callback made at once, with no row before it: as
    Studio made them before every callback was owed (`owe`) when its task ended, for the
    first-attempt tasks a broker may still hold after an upgrade. Signed like a stage's,
    through the same outbound guard; a failure that may be retried waits in a FeatureCallback
    row and queues the next attempt. Each outcome is logged. "" when delivered, else why this
    attempt failed."""
    return post_attempt(url, json.dumps(document, ensure_ascii=False), owner.pk, task_id, 1)


def post_again(waiting_id, attempt: int) -> None:
    """Attempt number `attempt` at the feature callback waiting in row `waiting_id`: its
    first (`owe`) or a scheduled retry (once: a task run twice finds the attempt made, or
    held, or the row gone)."""
    now = timezone.now()
    if FeatureCallback.objects.filter(_unheld(now), pk=waiting_id,
                                      attempts=attempt - 1).update(claimed_at=now):
        waiting = FeatureCallback.objects.get(pk=waiting_id)
        post_attempt(waiting.url, waiting.payload, waiting.owner_id, waiting.task_id, attempt,
                     waiting=waiting)


def post_attempt(url: str, payload: str, owner_id, task_id: str, attempt: int,
                 waiting: FeatureCallback | None = None) -> str:
    """Attempt number `attempt` of a feature task's callback of `payload` (its JSON);
    `waiting`: its row, claimed, from the attempt before."""
    secret = WebhookSecret.for_owner(owner_id).secret
    _status, problem, blocked = _attempt(url, payload.encode(), secret, task_id)
    if not problem or blocked or attempt >= ATTEMPTS:
        if waiting is not None:
            waiting.delete()
        if blocked:
            log.info("callback for %s refused: %s", task_id, problem)
        elif problem:
            log.info("callback for %s attempt %d failed, the last: %s", task_id, attempt, problem)
        return problem
    wait = backoff(attempt)
    fields = {"attempts": attempt, "retry_at": timezone.now() + timedelta(seconds=wait),
              "claimed_at": None, "last_error": problem}
    if waiting is None:
        waiting = FeatureCallback.objects.create(owner_id=owner_id, task_id=task_id, url=url,
                                                 payload=payload, **fields)
    else:
        FeatureCallback.objects.filter(pk=waiting.pk).update(**fields)
    log.info("callback for %s attempt %d failed, retried in %s s: %s", task_id, attempt, wait,
             problem)
    _later(wait, "studio.api.tasks.deliver_feature_callback_again", waiting.pk, attempt + 1,
           task_name=f"callback-{task_id}-{attempt + 1}")
    return problem


# -- the sweep: attempts whose task was lost ---------------------------------------------------

def sweep() -> int:
    """Queue again each callback attempt overdue by GRACE that no task holds: a stage's
    (only a generation's next stage: the ones after it wait for it, as always) and a feature
    task's, its first or a retry. Each is queued once: its retry_at becomes now, so the next
    sweep gives it another GRACE. How many were queued."""
    now = timezone.now()
    cutoff = now - GRACE
    queued = 0
    for delivery in CallbackDelivery.objects.unfinished().filter(
            _unheld(now), Q(retry_at__lte=cutoff) | Q(retry_at__isnull=True,
                                                      created_at__lte=cutoff)):
        if delivery != _next_stage(delivery.generation_id):
            continue
        if CallbackDelivery.objects.filter(_unheld(now), pk=delivery.pk, attempts=delivery.attempts,
                                           retry_at=delivery.retry_at).update(retry_at=now):
            log.warning("callback %s for generation %s queued again: its task was lost",
                        delivery.stage, delivery.generation_id)
            enqueue(delivery.generation_id)
            queued += 1
    for waiting in FeatureCallback.objects.filter(_unheld(now), retry_at__lte=cutoff):
        if FeatureCallback.objects.filter(_unheld(now), pk=waiting.pk, attempts=waiting.attempts,
                                          retry_at=waiting.retry_at).update(retry_at=now):
            log.warning("callback for %s queued again: its task was lost", waiting.task_id)
            attempt = waiting.attempts + 1
            _later(0, "studio.api.tasks.deliver_feature_callback_again", waiting.pk, attempt,
                   task_name=f"callback-{waiting.task_id}-{attempt}")
            queued += 1
    return queued


SCHEDULE = "Queue again callbacks whose task was lost"


def ensure_schedule(using="default", **kwargs) -> None:
    """Keep the sweep on django-q2's scheduler, every minute, as the reaper is (post_migrate)."""
    from studio import delayed

    delayed.every(SCHEDULE, "studio.api.tasks.sweep_callbacks", minutes=1, using=using)


# -- stems: one `complete` (or error) callback per vocal-removal task (suno_api.md §4.3) -------

def on_stems_finished(sender, stems, **kwargs) -> None:
    """Owe the callback, in the transaction that ended the request (generation/derive.py)."""
    if not stems.callback_url:
        return
    owe(stems.callback_url, stems_payload(stems, records.base_url(stems.track.generation)),
        stems.owner_id, stems.task_id)


def stems_payload(stems, base: str) -> dict:
    """The vendors' stems callback: snake_case vocal_removal_info with every stem's link."""
    from studio.library.models import Stems

    from .derived import stems_record

    if stems.status != Stems.Status.SUCCESS:
        return {"code": 500, "msg": stems.error_message or "Stem separation failed",
                "data": {"task_id": stems.task_id, "vocal_removal_info": None}}
    response = stems_record(stems, base)["response"]
    info = {_snake(key): url for key, url in response.items()}
    return {"code": 200, "msg": "vocal Removal generated successfully.",
            "data": {"task_id": stems.task_id, "vocal_removal_info": info}}


def _snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


def deliver_stems(stems_id) -> bool:
    """POST the stems callback, signed and retried as every callback; logged, not listed.
    The first attempt as Studio queued it before it had its row (a broker may still hold one
    after an upgrade)."""
    from studio.library.models import Stems

    stems = Stems.objects.select_related("track__generation", "owner").get(pk=stems_id)
    document = stems_payload(stems, records.base_url(stems.track.generation))
    return not post_once(stems.callback_url, document, stems.owner, stems.task_id)
