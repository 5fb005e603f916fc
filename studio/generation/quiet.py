"""A quiet worker leaves, and a cold one takes its place.

While jobs flow, a django-q2 worker keeps what makes its next job quick: the engine's warm
state (the local engine's variation helper and kept heap, engines/local) and every page of the
cluster's shared memory that a job has written to. The cluster's parent loads the engine
before it forks (qcluster.py), so each worker starts out sharing those pages; but CPython
writes to an object whenever it uses it (its reference count), and each page a job touches is
copied into the worker for good: about 60 MB per worker after a few songs, even with its
helper stopped and its heap handed back (bench/idle.py). Only a new process shares them all
again.

So once a worker has had no job for STUDIO_ENGINE_IDLE_SECONDS, it leaves: the engine stops
what it runs beside the worker (its `rest`), and the worker ends the way django-q2's own
recycling does (timer -2: the sentinel logs "recycled worker", not a death). The sentinel forks
a new one in its place from its own, untouched pages (about 6 MB of its own), and that one
stays cold, with no warm-up, until a job comes: the job warms it as it goes (bench/idle.py
times the first job after a quiet spell against a warm one). A worker that has not run a job
since it started cold does not leave: it has nothing to give back. Housekeeping (the tasks
of django-q2's scheduler, such as the reaper every minute) neither warms a worker nor ends
its quiet spell: a warm worker would otherwise never be quiet for a minute.

The quiet spell is timed where the worker waits for its next task anyway: the task queue's
`get`, given a timeout. It returns a task read whole, under the queue's read lock, or nothing,
so a worker never leaves holding a task: one it did not read stays for the other workers.

`install` is called by `manage.py qcluster` in the cluster's parent, before anything forks.
"""
from __future__ import annotations

import logging
import multiprocessing
import queue
import time

from django.conf import settings

log = logging.getLogger(__name__)

_left = None  # multiprocessing.Value: workers that left; each one's replacement starts cold


def install() -> None:
    """Have django-q2's sentinel spawn `worker` (below) for each of its workers."""
    global _left
    from django_q import cluster

    if getattr(cluster.worker, "__wrapped__", None) is None:
        worker.__wrapped__ = cluster.worker
        cluster.worker = worker  # spawn_worker and spawn_process both read this name
    _left = multiprocessing.get_context("fork").Value("i", 0)


class _Quiet:
    """The task queue as django-q2's worker reads it (`iter(queue.get, "STOP")`), except that
    a quiet spell reads as "STOP" once this worker has something to give back. Each call
    comes once the task it last returned has ended."""

    def __init__(self, tasks, *, warm: bool, seconds: float):
        self.tasks, self.seconds = tasks, seconds
        self.since = time.monotonic() if warm else None  # its last job's end; None: cold
        self.running = None
        self.left = False

    def get(self):
        if self.running is not None and not housekeeping(self.running):
            self.since = time.monotonic()
        self.running = None
        while True:
            wait = None  # cold, or told to keep every worker: wait for a task, however long
            if self.since is not None and self.seconds > 0:
                wait = self.since + self.seconds - time.monotonic()
                if wait <= 0:
                    self.left = True
                    return "STOP"
            try:
                task = self.tasks.get(timeout=wait)
            except queue.Empty:
                continue
            if isinstance(task, dict):
                self.running = task
            return task


def housekeeping(task: dict) -> bool:
    """A task of django-q2's scheduler (the reaper every minute, the connections' poll): it
    neither warms a worker nor ends its quiet spell. The scheduler puts each in the group
    named after its schedule; Studio queues no other task in a group."""
    return "group" in task


def worker(task_queue, result_queue, timer, *args, **kwargs):
    """One django-q2 worker process: warm up (unless it replaces a worker that left while
    quiet), run django-q2's own loop over the task queue, and leave after a quiet spell."""
    from studio.engines import registry

    with _left.get_lock():
        cold = _left.value > 0
        if cold:
            _left.value -= 1
    engine = None
    try:
        engine = registry.get(settings.STUDIO_ENGINE)
        if not cold and hasattr(engine, "warm_up"):
            engine.warm_up()
    except Exception:  # noqa: BLE001 - a cold first job is slower, not broken
        log.exception("engine warm-up failed in %s", multiprocessing.current_process().name)
    seconds = settings.STUDIO_ENGINE_IDLE_SECONDS
    tasks = _Quiet(task_queue, warm=not cold, seconds=seconds)
    worker.__wrapped__(tasks, result_queue, timer, *args, **kwargs)
    if not tasks.left:
        return  # stopped by the cluster, recycled or timed out: django-q2's own way
    if engine is not None and hasattr(engine, "rest"):
        try:
            engine.rest()
        except Exception:  # noqa: BLE001 - the process ends anyway, and its helpers with it
            log.exception("engine rest failed")
    with _left.get_lock():
        _left.value += 1
    with timer.get_lock():
        timer.value = -2  # recycled: the sentinel starts a new worker and logs it as such
    log.info("worker quiet for %g s: leaving; a cold one takes its place", seconds)
