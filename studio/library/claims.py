"""The life of a request a worker fulfils (a music video, new cover art, stems, a WAV, API
lyrics): a worker claims the row with a conditional UPDATE, the request is ended once (only a
PENDING row is ended, so a second worker or a late vendor step changes nothing), and the
reaper fails the rows no one will finish — or, for a kind that says how to queue its job
again (WAV, lyrics: `again`), first gives each such row to a new job, once. Each kind of
request says only what differs: its failed status, its words and the signal that tells
whoever cares (the API's callback) that it is final.

A request its vendor fulfils (connections/derived.py) is claimed when it is sent there
(`vendor_sent_at`): it waits on the vendor, not a worker, so its own deadline applies."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

log = logging.getLogger(__name__)
PENDING, SUCCESS = "PENDING", "SUCCESS"  # the vendors' successFlag words, every kind's


def claim(model, pk) -> bool:
    """Whether this worker took the queued request `pk` (no other worker has)."""
    return bool(model.objects.filter(pk=pk, status=PENDING, claimed_at__isnull=True)
                .update(claimed_at=timezone.now()))


def finish(model, pk, finished: Callable, **fields) -> bool:
    """End the request `pk` with `fields` if it is still PENDING; then `finished(pk)`, in the
    same transaction: what it writes (the API's callback, owed) stands or falls with the end.
    Whether this call ended it."""
    with transaction.atomic():
        won = model.objects.filter(pk=pk, status=PENDING).update(completed_at=timezone.now(),
                                                                 **fields)
        if won:
            finished(pk)
    return bool(won)


def fulfil(model, pk, make: Callable, *, failed: str, words: str, finished: Callable,
           claimed: bool = False) -> bool:
    """Claim the request `pk` (`claimed`: the caller holds it already) and end it with
    `make(row)`'s fields (SUCCESS). Any exception fails it, `words` and the problem as its
    message (a broken audio or cover file: said, not tried again). Whether this call ended
    it."""
    if not claimed and not claim(model, pk):
        return False
    rows = model.objects.select_related("track") if hasattr(model, "track") else model.objects
    row = rows.get(pk=pk)
    try:
        fields = {"status": SUCCESS, **make(row)}
    except Exception as problem:
        log.exception("%s %s failed", model._meta.verbose_name, pk)
        fields = {"status": failed, "error_message": f"{words}: {problem}"[:500]}
    return finish(model, pk, finished, **fields)


def reap(model, *, failed: str, words: str, finished: Callable,
         again: Callable | None = None) -> int:
    """Fail the requests whose worker died (claimed longer ago than a job may run), whose job
    was lost before a worker took it, or whose vendor was asked longer ago than its deadline
    allows; how many. The page then offers to ask again.

    With `again` (what queues the kind's job for a request id; its rows have `requeued_at`),
    such a request is first given to a new job instead (`requeue`), once: its job makes it
    afresh, or reads its vendor's answer once more and, past the deadline, gives up saying
    why. Only a request lost again after that is failed."""
    now = timezone.now()
    limit = now - timedelta(seconds=settings.Q_CLUSTER["retry"])
    vendor_limit = now - timedelta(seconds=settings.STUDIO_UPSTREAM_DEADLINE + 60)
    stuck = model.objects.filter(status=PENDING).filter(
        (models.Q(claimed_at__lt=limit) & models.Q(vendor_sent_at__isnull=True))
        | models.Q(claimed_at__isnull=True, created_at__lt=limit)
        | models.Q(vendor_sent_at__lt=vendor_limit))
    if again is not None:  # queued again lately: that job may still be waiting its turn
        stuck = stuck.exclude(requeued_at__gte=limit)
    reaped = 0
    for row in list(stuck.values("pk", "claimed_at", *(("requeued_at",) if again else ()))):
        pk = row["pk"]
        if again is not None and row["requeued_at"] is None:
            if requeue(model, pk, row["claimed_at"], again):
                log.warning("%s %s queued again: its job was lost or its worker died",
                            model._meta.verbose_name, pk)
                reaped += 1
        elif finish(model, pk, finished, status=failed, error_message=words):
            log.warning("%s %s abandoned: no one finished it", model._meta.verbose_name, pk)
            reaped += 1
    return reaped


def requeue(model, pk, claimed_at, again: Callable) -> bool:
    """Give the request `pk`, claimed at `claimed_at` (None: never) by a job that is gone,
    to a new one: its claim released for that job to take, `requeued_at` set (a request is
    given a new job once) and `again(pk)` queued on commit. False if its claim moved
    meanwhile (a late job took it, another reaper requeued it) or it has ended."""
    moved = model.objects.filter(pk=pk, status=PENDING, claimed_at=claimed_at,
                                 requeued_at__isnull=True).update(claimed_at=None,
                                                                  requeued_at=timezone.now())
    if moved:
        transaction.on_commit(lambda: again(pk))
    return bool(moved)
