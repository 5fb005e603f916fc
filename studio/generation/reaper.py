"""Generations nobody is making any more: each is retried once, or failed with a reason.

A job can end without finishing its generation: its worker was killed (out of memory, a
deploy, `kill -9`), or its task was refused because a worker that has since died still held
the claim (a redelivered task that waited over a minute in a worker's prefetch buffer), or
its task was lost with a Redis broker. Nothing would ever move such a row again.

The reaper finds them by their claim (models.GenerationQuerySet.overdue and held_here): past
the longest a job may run, or held by a worker of this machine that has exited. It runs every
minute on django-q2's scheduler (ensure_schedule) and at the start of every job, so a
restarted cluster picks up what its previous workers left. A generation claimed fewer than
MAX_ATTEMPTS times goes back in the queue; one whose worker died on each attempt is failed
and cleaned up.

The requests a worker fulfils for a track or through the API have their own rule
(library/claims.py `reap`), run here too: stems, videos and cover art whose job was lost or
whose worker died are failed (the page offers them again); API lyrics and WAV tasks, which a
client waits on by record-info or callback, are given to a new job once, and failed only when
lost again.

A generation made at a vendor waits on it without a worker once the vendor has taken it
(its engine_task_id is set), so no claim can tell whether it is stuck: its engine's own rule
does (`waiting_elsewhere`; the connections app adds tracking.settle_stalled, the same rule
its poller applies), run here too so it holds even when the poller's jobs are lost. Before the
vendor has taken it, its submit job is a job like any other and is retried as above.
"""
from __future__ import annotations

import logging

from django.db import transaction

from studio import delayed

from . import jobs
from .models import MAX_ATTEMPTS, Generation, is_gone

log = logging.getLogger("studio.reaper")

GAVE_UP = ("Studio stopped while making this song, and again on a second try, "
           "so it was abandoned. Please try again later.")


# Rules of engines that make music elsewhere: each fails its generations that will never
# finish and says how many.
_elsewhere: list = []


def waiting_elsewhere(settle_stalled):
    if settle_stalled not in _elsewhere:
        _elsewhere.append(settle_stalled)
    return settle_stalled


def reap() -> int:
    """Retry or fail every generation, and every request a worker fulfils, that no worker (or
    vendor) is making any more; how many."""
    orphans = list(Generation.objects.overdue())
    orphans += [g for g in Generation.objects.held_here().exclude(pk__in=[o.pk for o in orphans])
                if is_gone(g.claimed_by)]
    for generation in orphans:
        settle(generation)
    from studio.library import cover_art, videos, wavs

    from . import writing
    from .derive import reap_stems
    return (len(orphans) + sum(settle_stalled() for settle_stalled in _elsewhere)
            + reap_stems() + videos.reap() + cover_art.reap() + wavs.reap() + writing.reap())


def settle(generation: Generation) -> None:
    """Put an abandoned generation back in the queue, or fail it after its last attempt."""
    if generation.attempts >= MAX_ATTEMPTS:
        if generation.fail(GAVE_UP, code=500):
            jobs.discard_takes(generation)
            log.error("generation %s abandoned after %s attempts (last held by %r)",
                      generation.pk, generation.attempts, generation.claimed_by)
        return
    holder = generation.claimed_by
    if generation.requeue():  # False: a redelivered task or another reaper got there first
        log.warning("generation %s requeued: its worker (%r) is gone", generation.pk, holder)
        transaction.on_commit(lambda: jobs.enqueue(generation.pk))


SCHEDULE = "Reap generations no worker is making"


def ensure_schedule(using="default", **kwargs) -> None:
    """Keep the reaper on django-q2's scheduler: every minute, on any cluster (post_migrate)."""
    delayed.every(SCHEDULE, "studio.generation.tasks.reap_generations", minutes=1, using=using)
