"""A quiet worker gives its memory back.

While jobs flow, a worker keeps its variation helper (parallel.py) and its kept heap (heap.py)
so that each job starts at full speed; together they hold about 600 MB per worker between
jobs (bench/idle.py). Once no job has come for STUDIO_ENGINE_IDLE_SECONDS, a watcher thread
stops the helper and hands the heap's free pages back to the kernel. The imports, wavetables
and caches stay: the next job only forks a new helper (from the now small heap, which is
cheap) and faults its arrays in again, as the warm-up did.

Jobs and the watcher take turns under one lock: a job never finds its helper stopped under it,
and the helper is only ever forked while the lock is held, so never while the watcher thread is
inside the allocator or a logging handler (a forked child keeps only the forking thread, and
any lock another thread held stays locked in it forever).

The watcher runs in worker processes, started by the engine's warm-up; a process that renders
inline (STUDIO_JOBS_SYNC, the tests) keeps what it has.
"""
from __future__ import annotations

import gc
import logging
import os
import threading
import time
from contextlib import contextmanager

from django.conf import settings

from . import heap, parallel

log = logging.getLogger(__name__)

_lock = threading.Lock()
_last = time.monotonic()  # when the last job (or the warm-up) ended
_released = False  # given back since then
_watcher: tuple[int, threading.Thread] | None = None  # (pid, thread): a forked child has none


@contextmanager
def busy():
    """Hold off the watcher for a job (or a warm-up); the quiet time counts from its end."""
    global _last, _released
    with _lock:
        _released = False
        try:
            yield
        finally:
            _last = time.monotonic()


def watch() -> bool:
    """Start this process's watcher, once; False when STUDIO_ENGINE_IDLE_SECONDS is 0 (keep
    everything, always)."""
    global _watcher
    seconds = settings.STUDIO_ENGINE_IDLE_SECONDS
    if seconds <= 0:
        return False
    if _watcher is None or _watcher[0] != os.getpid() or not _watcher[1].is_alive():
        thread = threading.Thread(target=_watch, args=(seconds,), name="studio-engine-idle",
                                  daemon=True)
        _watcher = (os.getpid(), thread)
        thread.start()
    return True


def _watch(seconds: float) -> None:
    while True:
        wait = seconds if _released else _last + seconds - time.monotonic()
        if wait > 0:
            time.sleep(min(wait, seconds))
            continue
        with _lock:  # a running job ends first; then _last has moved and we wait again
            if not _released and time.monotonic() - _last >= seconds:
                release()


def release() -> None:
    """Stop the helper and give the free heap back (under the lock, or in a process that runs
    no job)."""
    global _released
    before = heap.resident_mb()
    pid = parallel.stop()
    gc.collect()
    heap.trim()
    _released = True
    log.info("engine quiet for %g s: helper %s stopped, %.0f of %.0f MB resident given back",
             settings.STUDIO_ENGINE_IDLE_SECONDS, pid or "(none)", before - heap.resident_mb(),
             before)
