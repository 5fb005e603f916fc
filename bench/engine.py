"""Benchmark the local engine: end to end, time to first take, per stage, peak memory.
Prints numbers; asserts nothing.

Seconds depend on the machine and on whatever else runs on it, so every figure is also given
as a ratio to a baseline measured in the same run: LAME (lameenc, CBR 192 kbps, quality 7, as
studio.mp3 uses it) encoding the same audio the engine made. Each warm run is followed by its
own baseline, and every figure is the median over at least 5 runs, so a ratio means the same
on any machine of this kind and a busy neighbour moves it little.

    .venv/bin/python bench/engine.py [--runs 5] [--seconds 120] [--style "synthwave, upbeat"] [--vocals]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
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


MIN_RUNS = 5


def lame_seconds(audio) -> float:
    """The baseline: plain LAME encoding `audio` [2, n] at 44.1 kHz the way studio.mp3 sets it
    up (one call, no tag, no streaming), in seconds."""
    import lameenc
    import numpy as np

    from studio import mp3

    pcm = np.empty((audio.shape[1], 2), dtype=np.int16)
    pcm[:] = np.rint(np.clip(audio, -1.0, 1.0).T * 32767.0)
    data = pcm.tobytes()
    t = time.perf_counter()
    enc = lameenc.Encoder()
    enc.set_bit_rate(mp3.KBPS)
    enc.set_in_sample_rate(44100)
    enc.set_channels(2)
    enc.set_quality(mp3.QUALITY)
    enc.encode(data)
    enc.flush()
    return time.perf_counter() - t


def median(values) -> float:
    return statistics.median(values)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--style", default="synthwave, upbeat, 808")
    ap.add_argument("--vocals", action="store_true")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=MIN_RUNS, help=f"warm jobs after the cold one (at least {MIN_RUNS})")
    ap.add_argument("--stages", action="store_true", help="also time each stage separately")
    a = ap.parse_args()
    if a.runs < MIN_RUNS:
        ap.error(f"--runs must be at least {MIN_RUNS}: the figures are medians")

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
            self.paths = []

        def planned(self, plan):
            self.events.append(("planned", time.perf_counter() - self.t0))

        def take(self, take):
            self.events.append((f"take {take.index}", time.perf_counter() - self.t0, take.duration))
            self.paths.append(take.audio_path)

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
            # The same-run baseline: LAME encoding both takes' audio, right after the job.
            from studio.audio import decode
            sink.lame = sum(lame_seconds(decode(p)[0]) for p in sink.paths)
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
    walls = [r[0] for r in runs]
    firsts = [r[1].events[1][1] for r in runs]
    streams = [r[1].stream for r in runs]
    lames = [r[1].lame for r in runs]
    wall, first, stream, lame = median(walls), median(firsts), median(streams), median(lames)
    # Each run's ratio to its own baseline, then the median of those.
    r_wall = median(w / b for w, b in zip(walls, lames, strict=True))
    r_first = median(f / b for f, b in zip(firsts, lames, strict=True))
    r_stream = median(s / b for s, b in zip(streams, lames, strict=True))

    def listed(values):
        return " ".join(f"{v:.2f}" for v in values)

    print(f"runs              {len(runs)} warm (seeds differ), medians below; baseline = LAME encoding the "
          "same two takes in the same run")
    print(f"import            {t_import:6.2f} s")
    print(f"cold job          {cold:6.2f} s   first take at {sink.events[1][1]:.2f} s   (a fresh process, no warm-up)")
    print(f"LAME baseline     {lame:6.2f} s   ({listed(lames)})   for {audio_s:.1f} s of audio")
    print(f"end to end        {wall:6.2f} s   ({listed(walls)})   ratio to LAME {r_wall:5.2f}   "
          f"{audio_s / wall:5.1f}x real time")
    print(f"first take        {first:6.2f} s   ({listed(firsts)})   ratio to LAME {r_first:5.2f}   "
          "encoded, verified, in the library")
    print(f"first playable    {stream:6.2f} s   ({listed(streams)})   ratio to LAME {r_stream:5.2f}   "
          "its stream is serving audio")
    print(f"peak RSS          {peak_mb:6.0f} MB (engine process), {child_mb:.0f} MB (variation-1 helper)")

    if a.stages:
        from studio import art
        from studio.audio import decode
        from studio.engines.local.mastering import loudness, true_peak_db
        from studio.engines.local.modes import GenerateJob
        from studio.engines.local.output import write_mp3
        stages: dict[str, list[float]] = {}
        ratios: dict[str, list[float]] = {}
        for k in range(a.runs):
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
            _, ta = timed(art.draw, k, a.style)
            base = lame_seconds(out)
            n = out.shape[1] / 44100
            for name, v in [("compose", tc), ("render (incl compose)", tr), ("master", tm), ("encode mp3", te),
                            ("decode", td), ("loudness", tl), ("true peak", tt), ("cover art", ta)]:
                stages.setdefault(name, []).append(v)
                ratios.setdefault(name, []).append(v / base)
        print(f"stages, one {n:.0f} s take, medians of {a.runs} (ratio to LAME encoding that take in the same run):")
        for name, values in stages.items():
            v = median(values)
            print(f"  {name:<22} {v:6.3f} s  ratio to LAME {median(ratios[name]):5.2f}  {n / max(v, 1e-9):7.1f}x")


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
