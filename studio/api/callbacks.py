"""Stage callbacks to a client's callBackUrl: text → first → complete, or error.

On every status move (`stage_reached`) a generation with a callBackUrl gets one delivery row
per stage — the unique constraint makes "once per stage" hold even if a stage is reported
twice — and a django-q2 task, enqueued on commit, posts it. The render never waits for a
client's server: delivery runs in its own task, with a 15 s timeout per attempt and up to
3 attempts with backoff. A generation has at most one delivery in flight, so its stages
arrive in order; the task that finishes a stage takes the next one that is due.

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

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from studio.generation.models import Generation, Mode, Status

from . import outbound, records
from .models import STAGE_ORDER, CallbackDelivery, Stage, WebhookSecret

log = logging.getLogger("studio.api.callbacks")
TIMEOUT = 15  # seconds per attempt, as the vendors give their receivers
ATTEMPTS = 3
# A delivery claimed longer ago than this belongs to a worker that died.
STALE_CLAIM = timedelta(seconds=ATTEMPTS * TIMEOUT + 60)
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


def _claim_next(generation_id) -> CallbackDelivery | None:
    """The next stage due for `generation_id`, claimed for this task; None if there is none
    or an earlier one is still in flight (its task will take this one after it)."""
    now = timezone.now()
    stale = now - STALE_CLAIM
    rows = sorted(CallbackDelivery.objects.filter(generation_id=generation_id),
                  key=lambda d: STAGE_ORDER.index(d.stage))
    for delivery in rows:
        if delivery.is_finished:
            continue
        if delivery.claimed_at and delivery.claimed_at > stale:
            return None  # in flight elsewhere
        won = (CallbackDelivery.objects.filter(pk=delivery.pk, delivered_at__isnull=True,
                                               failed_at__isnull=True)
               .filter(models.Q(claimed_at__isnull=True) | models.Q(claimed_at__lt=stale))
               .update(claimed_at=now))
        return delivery if won else None
    return None


def deliver_all(generation_id) -> None:
    while (delivery := _claim_next(generation_id)) is not None:
        deliver(delivery)


def deliver(delivery: CallbackDelivery) -> bool:
    """POST one stage, with retries; record the outcome. True if the receiver took it."""
    generation = (Generation.objects.select_related("source_track", "upload")
                  .get(pk=delivery.generation_id))
    payload = json.dumps(records.callback_payload(generation, delivery.stage),
                         ensure_ascii=False).encode()
    secret = WebhookSecret.for_user(generation.owner).secret
    backoff = list(settings.STUDIO_CALLBACK_BACKOFF)
    for attempt in range(1, ATTEMPTS + 1):
        status_code, problem, blocked = _attempt(delivery.url, payload, secret,
                                                 generation.task_id)
        done = not problem
        final = done or blocked or attempt == ATTEMPTS
        now = timezone.now()
        fields = {"attempts": attempt, "last_status_code": status_code, "last_error": problem,
                  "refused": blocked}
        if done:
            fields["delivered_at"] = now
        elif final:
            fields["failed_at"] = now
        CallbackDelivery.objects.filter(pk=delivery.pk).update(**fields)
        if done:
            return True
        log.info("callback %s for %s attempt %d failed: %s", delivery.stage,
                 generation.task_id, attempt, problem)
        if final:
            return False
        time.sleep(backoff[min(attempt - 1, len(backoff) - 1)] if backoff else 0)
    return False



def _attempt(url: str, payload: bytes, secret: str, task_id: str):
    """One signed POST: (HTTP status or None, what went wrong or "", refused by the guard)."""
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", "X-Webhook-Timestamp": timestamp,
               "X-Webhook-Signature": sign(secret, task_id, timestamp)}
    status_code, problem, blocked = None, "", False
    try:
        with outbound.client(timeout=TIMEOUT) as http:
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


def post_once(url: str, document: dict, owner, task_id: str) -> str:
    """The single callback of a feature task (lyrics, WAV): signed and retried like a
    stage's, through the same outbound guard. "" when delivered, else why not."""
    payload = json.dumps(document, ensure_ascii=False).encode()
    secret = WebhookSecret.for_user(owner).secret
    backoff = list(settings.STUDIO_CALLBACK_BACKOFF)
    problem = ""
    for attempt in range(1, ATTEMPTS + 1):
        _status, problem, blocked = _attempt(url, payload, secret, task_id)
        if not problem:
            return ""
        log.info("callback for %s attempt %d failed: %s", task_id, attempt, problem)
        if blocked or attempt == ATTEMPTS:
            break
        time.sleep(backoff[min(attempt - 1, len(backoff) - 1)] if backoff else 0)
    return problem


# -- stems: one `complete` (or error) callback per vocal-removal task (suno_api.md §4.3) -------

def on_stems_finished(sender, stems, **kwargs) -> None:
    if not stems.callback_url:
        return
    from studio import delayed

    transaction.on_commit(lambda: delayed.run(
        "studio.api.tasks.deliver_stems_callback", str(stems.pk),
        task_name=f"stems-callback-{stems.pk}", sync=settings.JOBS_SYNC))


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
    """POST the stems callback, signed and retried as every callback; logged, not listed."""
    from studio.library.models import Stems

    stems = Stems.objects.select_related("track__generation", "owner").get(pk=stems_id)
    document = stems_payload(stems, records.base_url(stems.track.generation))
    return not post_once(stems.callback_url, document, stems.owner, stems.task_id)
