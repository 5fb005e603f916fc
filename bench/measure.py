"""What the benchmarks that start their own servers share: a free loopback port, and the
median time of a call. Imported as `measure` by the scripts beside it (run as
`python bench/<name>.py`, this folder is on the path)."""
from __future__ import annotations

import socket
import statistics
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def median_ms(fn, n: int) -> float:
    """The median of `n` timed calls of `fn`, in milliseconds."""
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000
