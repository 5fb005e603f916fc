"""Benchmark the local engine: real-time factors per stage and end to end, time to first
take, peak memory. Prints numbers; asserts nothing.

    .venv/bin/python bench/engine.py [--seconds 120] [--style "synthwave, upbeat"] [--vocals]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")  # the engine reads its settings


def timed(fn, *args):
    """fn(*args) and the seconds it took."""
    t = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--style", default="synthwave, upbeat, 808")
    ap.add_argument("--vocals", action="store_true")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3, help="warm jobs after the cold one")
    ap.add_argument("--stages", action="store_true", help="also time each stage separately")
    a = ap.parse_args()

    t_import = time.perf_counter()
    from studio.engines.base import EngineRequest
    from studio.engines.local.engine import LocalEngine
    t_import = time.perf_counter() - t_import

    lyrics = ("[Verse]\nCity lights are calling out my name tonight\nEvery window glowing like a star\n"
              "[Chorus]\nOh we run, we run into the light\nHold on, hold on to the night\n") * 2
    fields = dict(mode="generate", model="V4_5", model_name="chirp-auk", max_seconds=480.0, style=a.style,
                  title="Bench", instrumental=not a.vocals, lyrics=lyrics if a.vocals else "",
                  target_seconds=a.seconds)

    class Sink:
        def __init__(self):
            self.t0 = time.perf_counter()
            self.events = []

        def planned(self, plan):
            self.events.append(("planned", time.perf_counter() - self.t0))

        def take(self, take):
            self.events.append((f"take {take.index}", time.perf_counter() - self.t0, take.duration))

    def watch(path: Path, t0: float, found: list, stop: threading.Event):
        """When the first take's stream file first holds audio (as the stream view sees it)."""
        part = path.with_name(path.name + ".part")
        while not stop.is_set():
            try:
                if part.stat().st_size > 4096 or path.exists():
                    found.append(time.perf_counter() - t0)
                    return
            except FileNotFoundError:
                pass
            time.sleep(0.002)

    def one(seed):
        with tempfile.TemporaryDirectory() as wd, tempfile.TemporaryDirectory() as sd:
            req = EngineRequest(**fields, seed=seed, workdir=Path(wd), stream_dir=Path(sd))
            sink = Sink()
            found, stop = [], threading.Event()
            t = time.perf_counter()
            w = threading.Thread(target=watch, args=(Path(sd) / "take-0.mp3", t, found, stop), daemon=True)
            w.start()
            LocalEngine().generate(req, sink)
            wall = time.perf_counter() - t
            stop.set()
            w.join()
            sink.stream = found[0] if found else float("nan")
            return wall, sink, req

    # The first job in a fresh process pays for imports and tables; django-q2 workers pay that
    # at spawn (LocalEngine.warm_up), so the warm runs are what a user's job sees.
    cold, sink, req = one(a.seed)
    runs = [one(a.seed + k) for k in range(1, a.runs + 1)]
    audio_s = sum(e[2] for e in sink.events if len(e) == 3)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from studio.engines.local import parallel
    helper = parallel._helper
    child_mb = _peak_rss_mb(helper.pid) if helper else 0.0
    walls = sorted(r[0] for r in runs)
    firsts = sorted(r[1].events[1][1] for r in runs)
    streams = sorted(r[1].stream for r in runs)
    wall, first, stream = walls[len(walls) // 2], firsts[len(firsts) // 2], streams[len(streams) // 2]
    print(f"import            {t_import:6.2f} s")
    print(f"cold job          {cold:6.2f} s   first take at {sink.events[1][1]:.2f} s   (a fresh process, no warm-up)")
    print(f"warm jobs         {' '.join(f'{w:.2f}' for w in walls)} s   (median of {len(walls)}, seeds differ)")
    print(f"end to end        {wall:6.2f} s for {audio_s:.1f} s of audio -> {audio_s / wall:5.1f}x real time")
    print(f"target            {audio_s / 100:6.2f} s (100x real time)   ratio to target {wall / (audio_s / 100):.2f}")
    print(f"first take        {first:6.2f} s after the job started: encoded, verified, in the library")
    print(f"first playable    {stream:6.2f} s after the job started: its stream is serving audio   "
          f"ratio to the 1 s target {stream / 1.0:.2f}   ({' '.join(f'{s:.2f}' for s in streams)})")
    print(f"peak RSS          {peak_mb:6.0f} MB (engine process), {child_mb:.0f} MB (variation-1 helper)")

    if a.stages:
        from studio.audio import decode
        from studio.engines.local.mastering import loudness, true_peak_db
        from studio.engines.local.modes import GenerateJob
        from studio.engines.local.output import write_mp3
        job = GenerateJob(req)
        job.prepare()
        _, tc = timed(job.compose, 0)
        mix, tr = timed(job.render, 0)
        out, tm = timed(job.master, 0, mix)
        with tempfile.TemporaryDirectory() as wd:
            p = Path(wd) / "x.mp3"
            _, te = timed(write_mp3, p, out)
            (dec, sr), td = timed(decode, p)
        _, tl = timed(loudness, dec, sr)
        _, tt = timed(true_peak_db, dec)
        n = out.shape[1] / 44100
        for name, v in [("compose", tc), ("render (incl compose)", tr), ("master", tm), ("encode mp3", te),
                        ("decode", td), ("loudness", tl), ("true peak", tt)]:
            print(f"  {name:<22} {v:6.3f} s  {n / max(v, 1e-9):7.1f}x")


def _peak_rss_mb(pid: int) -> float:
    """A live process's peak resident memory (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


if __name__ == "__main__":
    main()
