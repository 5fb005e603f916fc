"""The second take renders in a forked helper process while this one renders the first.

numpy and scipy release the GIL only in their larger kernels, so threads would serialise much
of the rendering; a fork shares the imported modules and the prepared job for free. The helper
is a bare ``os.fork()`` child, not a multiprocessing.Process: it works inside django-q2's
daemonic workers (multiprocessing forbids daemonic processes to have children), and it leaves
only through ``os._exit``, so no atexit handler or ``finally`` block of Django, pytest or
django-q2 runs in it. It answers on a pipe with the pickled take or its error. If it dies or
stalls, this process renders the take itself: slower, never wrong.

(Splitting the first take's rendering between the two processes was tried: on this 2-vCPU
machine the first take came about 0.1 s sooner and both takes 0.3–0.9 s later, so each
process keeps one whole take.)
"""
from __future__ import annotations

import gc
import logging
import os
import pickle
import selectors
import signal
import time
import warnings

from ..base import EngineError, Take

log = logging.getLogger(__name__)


def enabled() -> bool:
    """STUDIO_ENGINE_PARALLEL=0 turns the helper off; one core turns it off by itself."""
    if os.environ.get("STUDIO_ENGINE_PARALLEL", "1").strip().lower() in ("0", "false", "no", "off"):
        return False
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


MIN_WAIT = 60.0  # seconds: the least this process waits for the helper's take before making it itself
WAIT_FACTOR = 8.0  # ...or this many times what its own take took


class Helper:
    """The lead's handle on a forked helper."""

    def __init__(self, pid: int, fd: int):
        self.pid, self.fd = pid, fd

    def _read(self, timeout: float) -> bytes | None:
        """Everything until end of file, or None on timeout."""
        deadline, buf = time.monotonic() + timeout, bytearray()
        with selectors.DefaultSelector() as sel:
            sel.register(self.fd, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    return None
                try:
                    b = os.read(self.fd, 1 << 20)
                except InterruptedError:
                    continue
                if not b:
                    break
                buf += b
        return bytes(buf)

    def result(self, timeout: float) -> Take | None:
        """The second take; None when the helper was lost (the caller renders it)."""
        if self.fd is None:
            return None
        try:
            data = self._read(timeout)
        except OSError:
            data = None
        finally:
            self._close()
        self._reap(kill=not data)
        status, payload = "lost", None
        if data:
            try:
                status, payload = pickle.loads(data)
            except Exception:  # noqa: BLE001 - a torn message: treat the helper as lost
                status, payload = "lost", None
        if status == "ok":
            return payload
        if status == "error":
            message, permanent = payload
            raise EngineError(message, permanent=permanent)
        log.warning("variation helper process lost; rendering in-process")
        return None

    def abort(self) -> None:
        """Stop the helper and reap it (the lead failed, or the helper stalled)."""
        try:
            self._reap(kill=True)
        finally:
            self._close()

    def _close(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)

    def _reap(self, kill: bool) -> None:
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        if kill:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        while True:
            try:
                os.waitpid(pid, 0)
                return
            except InterruptedError:
                continue
            except ChildProcessError:  # already reaped (someone waited on all children)
                return


def fork(request, job, texts, finish) -> Helper | None:
    """Start the helper rendering take 1 (``finish`` makes a take from a mix)."""
    try:
        r, w = os.pipe()
    except OSError:
        return None
    # The helper must never run the garbage collector over the parent's objects: a PyAV
    # filter graph left for collection frees a thread pool whose threads exist only in the
    # parent, and the helper then waits forever on a condition variable (seen in the tests).
    # Frozen objects are not collected; the helper also turns collection off altogether.
    gc.freeze()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork in a threaded worker: the child only computes
            pid = os.fork()
    except OSError:
        gc.unfreeze()
        os.close(r)
        os.close(w)
        return None
    if pid == 0:  # the helper
        try:
            gc.disable()
            os.close(r)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which reaps us
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # don't run the worker's shutdown handler
        except BaseException:  # noqa: BLE001
            os._exit(1)
        _helper_main(request, job, texts, finish, w)
        os._exit(1)  # not reached
    gc.unfreeze()
    os.close(w)
    return Helper(pid, r)


def _helper_main(request, job, texts, finish, fd: int) -> None:
    """Runs in the helper. Never returns: always leaves through os._exit."""
    code = 0
    try:
        try:
            msg = ("ok", finish(request, job, 1, job.render(1), texts))
        except EngineError as e:
            msg = ("error", (e.message, e.permanent))
        except MemoryError:
            msg = ("error", ("The local engine ran out of memory for this request.", False))
        except BaseException as e:  # noqa: BLE001 - reported to the parent as a readable error
            msg = ("error", (f"The local engine could not make this track: {type(e).__name__}: {e}", True))
        data = pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except BaseException:  # noqa: BLE001 - nothing useful left to do but say so by exit code
        code = 1
    finally:
        os._exit(code)
