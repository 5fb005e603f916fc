"""The life of a request a worker fulfils for a track (a music video, new cover art, stems):
a worker claims the row with a conditional UPDATE, the request is ended once (only a PENDING
row is ended, so a second worker or a late vendor step changes nothing), and the reaper fails
the rows no one will finish. Each kind of request says only what differs: its failed status,
its words and the signal that tells whoever cares (the API's callback) that it is final.

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


def fulfil(model, pk, make: Callable, *, failed: str, words: str, finished: Callable) -> bool:
    """Claim the request `pk` and end it with `make(row)`'s fields (SUCCESS). Any exception
    fails it, `words` and the problem as its message (a broken audio or cover file: said, not
    tried again). Whether this call ended it."""
    if not claim(model, pk):
        return False
    row = model.objects.select_related("track").get(pk=pk)
    try:
        fields = {"status": SUCCESS, **make(row)}
    except Exception as problem:
        log.exception("%s %s failed", model._meta.verbose_name, pk)
        fields = {"status": failed, "error_message": f"{words}: {problem}"[:500]}
    return finish(model, pk, finished, **fields)


def reap(model, *, failed: str, words: str, finished: Callable) -> int:
    """Fail the requests whose worker died (claimed longer ago than a job may run), whose job
    was lost before a worker took it, or whose vendor was asked longer ago than its deadline
    allows; how many. The page then offers to ask again."""
    now = timezone.now()
    limit = now - timedelta(seconds=settings.Q_CLUSTER["retry"])
    vendor_limit = now - timedelta(seconds=settings.STUDIO_UPSTREAM_DEADLINE + 60)
    stuck = model.objects.filter(status=PENDING).filter(
        (models.Q(claimed_at__lt=limit) & models.Q(vendor_sent_at__isnull=True))
        | models.Q(claimed_at__isnull=True, created_at__lt=limit)
        | models.Q(vendor_sent_at__lt=vendor_limit))
    reaped = 0
    for pk in list(stuck.values_list("pk", flat=True)):
        if finish(model, pk, finished, status=failed, error_message=words):
            log.warning("%s %s abandoned: no one finished it", model._meta.verbose_name, pk)
            reaped += 1
    return reaped
