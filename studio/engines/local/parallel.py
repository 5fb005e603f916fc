"""The second take renders in a helper process while this one renders the first.

numpy and scipy release the GIL only in their larger kernels, so threads would serialise much
of the rendering. The helper is a bare ``os.fork()`` child, not a multiprocessing.Process: it
works inside django-q2's daemonic workers (multiprocessing forbids daemonic processes to have
children), and it leaves only through ``os._exit``, so no atexit handler or ``finally`` block
of Django, pytest or django-q2 runs in it.

It is forked while the heap is still small (at the worker's warm-up, or at the first job of a
cold worker: generation/quiet.py), and then serves every job: the lead sends the
prepared job down one pipe and reads the pickled take, or its error, from the other. Forking
per job was measured to cost more than the take itself: after a fork both processes share
every page of the lead's heap copy-on-write, and a render writes into about 200 MB of it,
which came to 50,000 page copies and doubled each render (0.28 s alone, 0.8 s after the
fork). A long-lived helper keeps its own heap and tables warm like the lead does.

If the helper dies, stalls or fails to answer, the lead renders the take itself (slower, never
wrong) and the next job starts a new helper. When the lead exits, the helper reads end of file
and exits too.

(Splitting the first take's rendering between the two processes was tried: the first take came
about 0.1 s sooner and both takes 0.3–0.9 s later, so each process keeps one whole take.)
"""
from __future__ import annotations

import gc
import logging
import os
import pickle
import selectors
import signal
import struct
import threading
import time
import warnings

from django.conf import settings

from ..base import EngineError, Take
from . import heap

log = logging.getLogger(__name__)


def enabled() -> bool:
    """STUDIO_ENGINE_PARALLEL=0 turns the helper off; one core turns it off by itself."""
    if not settings.STUDIO_ENGINE_PARALLEL:
        return False
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


MIN_WAIT = 60.0  # seconds: the least the lead waits for the helper's take before making it itself
WAIT_FACTOR = 8.0  # ...or this many times what its own take took

_HEADER = struct.Struct("!Q")


def _write_msg(fd: int, data: bytes) -> None:
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes | None:
    """n bytes from fd, or None at end of file or when the deadline passes."""
    buf = bytearray()
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while len(buf) < n:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    return None
            try:
                b = os.read(fd, min(n - len(buf), 1 << 20))
            except InterruptedError:
                continue
            if not b:
                return None
            buf += b
    return bytes(buf)


def _read_msg(fd: int, deadline: float | None = None) -> bytes | None:
    head = _read_exact(fd, _HEADER.size, deadline)
    if head is None:
        return None
    return _read_exact(fd, _HEADER.unpack(head)[0], deadline)


class Helper:
    """The lead's handle on its helper process."""

    def __init__(self, pid: int, to_fd: int, from_fd: int):
        self.pid, self.to_fd, self.from_fd = pid, to_fd, from_fd
        self.owner = os.getpid()
        self.busy = False

    def send(self, request, job, texts) -> bool:
        try:
            _write_msg(self.to_fd, pickle.dumps((request, job, texts), protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as e:
            log.warning("variation helper unreachable (%s); rendering in-process", e)
            stop()
            return False
        self.busy = True
        return True

    def result(self, timeout: float) -> Take | None:
        """The second take; None when the helper was lost (the caller renders it)."""
        try:
            data = _read_msg(self.from_fd, time.monotonic() + timeout)
        except OSError:
            data = None
        self.busy = False
        status, payload = "lost", None
        if data:
            try:
                status, payload = pickle.loads(data)
            except Exception:  # noqa: BLE001 - a torn message: treat the helper as lost
                status = "lost"
        if status == "lost":
            log.warning("variation helper process lost; rendering in-process")
            stop()
            return None
        if status == "ok":
            return payload
        message, code = payload
        raise EngineError(message, code=code)

    def abort(self) -> None:
        """The lead failed while the helper was rendering: stop it (the next job forks anew)."""
        if self.busy:
            stop()

    def close(self, kill: bool) -> None:
        for fd in (self.to_fd, self.from_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        if kill:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        while True:
            try:
                os.waitpid(self.pid, 0)
                return
            except InterruptedError:
                continue
            except ChildProcessError:  # already reaped (someone waited on all children)
                return


_helper: Helper | None = None


def stop() -> int | None:
    """Stop this process's helper and reap it; its process id, None if it had none (tests use
    it to start from a clean slate; the engine's `rest` when the worker leaves)."""
    global _helper
    h, _helper = _helper, None
    if h is not None and h.owner == os.getpid():
        h.close(kill=True)
        return h.pid
    return None


def helper(finish, grow: bool = False) -> Helper | None:
    """This process's helper, forked now if it has none (``finish`` makes a take from a mix).
    ``grow``: a helper forked ahead of time (the warm-up) faults its working set in before
    its first take; one forked for a job has a take waiting, which faults in what it needs."""
    global _helper
    if _helper is not None and _helper.owner == os.getpid():
        return _helper
    _helper = None  # a forked child never uses its parent's helper
    try:
        down_r, down_w = os.pipe()
    except OSError:
        return None
    try:
        up_r, up_w = os.pipe()
    except OSError:
        os.close(down_r)
        os.close(down_w)
        return None
    heap.trim()
    # The helper must never run the garbage collector over the lead's objects: a PyAV filter
    # graph left for collection frees a thread pool whose threads exist only in the lead, and
    # the helper then waits forever on a condition variable (seen in the tests). Frozen
    # objects are never collected; what the helper makes itself is collected as usual.
    gc.freeze()
    # The kernel's parent-death signal follows the forking *thread*: only a helper forked by
    # the lead's main thread (a worker's) can use it without dying with a web request's thread.
    prctl = _prctl() if threading.current_thread() is threading.main_thread() else None
    lead = os.getpid()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork in a threaded worker: the child only computes
            pid = os.fork()
    except OSError:
        gc.unfreeze()
        for fd in (down_r, down_w, up_r, up_w):
            os.close(fd)
        return None
    if pid == 0:  # the helper
        code = 1
        try:
            os.close(down_w)
            os.close(up_r)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the lead, which reaps us
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # don't run the worker's shutdown handler
            if prctl:
                _die_with(lead, prctl)
            _serve(down_r, up_w, finish, grow)
            code = 0
        finally:
            os._exit(code)
    gc.unfreeze()
    os.close(down_r)
    os.close(up_w)
    _helper = Helper(pid, down_w, up_r)
    return _helper


def _prctl():
    """Linux's prctl(), looked up in the lead: a forked child must not load libraries."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux: the pipe's end of file still stops helpers
        return None


def _die_with(lead: int, prctl) -> None:
    """Have the kernel kill this helper the moment its lead dies (PR_SET_PDEATHSIG). End of
    file on the pipe would stop it too, but only after the take it is rendering: a stopped or
    killed worker must not leave a process computing for nobody."""
    prctl(1, signal.SIGKILL)
    if os.getppid() != lead:  # the lead died before the request above took effect
        os._exit(0)


def submit(request, job, texts, finish) -> Helper | None:
    """Hand take 1 of a prepared job to the helper; None if there is no helper to take it."""
    h = helper(finish)
    if h is None or not h.send(request, job, texts):
        return None
    return h


def _serve(fd_in: int, fd_out: int, finish, grow: bool) -> None:
    """The helper's loop: one job in, one take (or error) out, until the lead goes away."""
    if grow:
        heap.grow()  # its own working set, faulted in now rather than during its first take
    while True:
        data = _read_msg(fd_in)
        if data is None:
            return
        _write_msg(fd_out, _one(data, finish))
        del data
        heap.settle()


def _one(data: bytes, finish) -> bytes:
    """Render take 1 of the pickled job; the pickled answer (the job dies with this frame)."""
    from .texts import readable
    try:
        request, job, texts = pickle.loads(data)
        return pickle.dumps(("ok", finish(request, job, 1, job.render(1), texts)), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as e:  # noqa: BLE001 - reported to the lead as a readable error (also a take that cannot be pickled)
        err = readable(e)
        return pickle.dumps(("error", (err.message, err.code)))
