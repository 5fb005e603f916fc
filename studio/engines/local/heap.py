"""Process memory for song-sized arrays.

glibc hands any freed block over its mmap threshold (at most 32 MB by default) back to the
kernel, so each new 21 MB channel or 42 MB stereo buffer is faulted in and zeroed page by
page: about a third of a render's time went there (10,000 page faults per job; ~100 with
the heap kept). `keep()` raises the mmap and trim thresholds, so freed memory stays in the
heap for the next array; `grow()` then faults in a working set once, at a worker's
warm-up, so that its first job is as quick as the later ones. The price: a worker (and its
variation helper) holds about 400 MB between jobs, until a quiet spell ends the worker
(generation/quiet.py); `settle()` gives memory back after a job
that left more than KEEP_MB resident (an 8-minute song, or a heap fragmented by many sizes).
Elsewhere than glibc all of this does nothing.
"""
from __future__ import annotations

import ctypes
import os

import numpy as np

GROW_MB = 256  # a 2-minute take's arrays come to about 270 MB above the imports
KEEP_MB = 640  # above this resident size after a job, freed memory goes back to the kernel

_kept = None


def keep() -> bool:
    """Raise glibc's mmap and trim thresholds once per process; False when not on glibc."""
    global _kept
    if _kept is None:
        try:
            mallopt = ctypes.CDLL(None).mallopt
        except (OSError, AttributeError):
            _kept = False
        else:
            M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
            _kept = bool(mallopt(M_TRIM_THRESHOLD, 1 << 30)) and bool(mallopt(M_MMAP_THRESHOLD, 1 << 30))
    return _kept


def grow(mb: int = GROW_MB) -> None:
    """Fault in `mb` of heap and free it again: it stays mapped for the arrays to come."""
    if keep():
        block = np.ones(mb << 18, dtype=np.float32)  # written, so every page is really there
        del block


def resident_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def settle(limit_mb: float = KEEP_MB) -> None:
    """After a job: keep the heap for the next one, unless a long song (or fragmentation)
    has grown it past `limit_mb`; then hand the free part back, as glibc would have."""
    if _kept and resident_mb() > limit_mb:
        trim()


def trim() -> None:
    """Give freed heap pages back (before a fork, so parent and child share less)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass
