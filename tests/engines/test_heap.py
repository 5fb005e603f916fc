"""heap.py: a kept heap serves the next song-sized array without page faults, and a heap
grown past the limit is given back after a job. Run in a fresh interpreter: it changes the
process's allocator settings."""
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent("""
    import resource
    import numpy as np
    from studio.engines.local import heap

    def faults():
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

    def fill(mb):  # a song-sized array written once, then freed
        a = np.ones(mb << 18, dtype=np.float32)
        del a

    f = faults(); fill(160); cold = faults() - f          # glibc default: mmap'd, faulted in
    assert heap.keep()
    heap.grow(200)
    f = faults(); fill(160); kept = faults() - f          # from the kept heap: no new pages
    before = heap.resident_mb()
    heap.settle(limit_mb=before + 50)                      # under the limit: kept
    kept_after = heap.resident_mb()
    heap.settle(limit_mb=before - 100)                     # over it: handed back
    print(cold, kept, round(before), round(kept_after), round(heap.resident_mb()))
""")


def test_kept_heap_is_reused_then_given_back_past_the_limit():
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=Path(__file__).resolve().parents[2],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    cold, kept, before, kept_after, after = (float(v) for v in out.stdout.split())
    # 160 MB is 40,960 faults of 4 KB pages, or ~600 when numpy gets transparent huge pages
    assert cold > 50 and kept * 20 < cold
    assert kept_after >= before - 5
    assert after < before - 150
