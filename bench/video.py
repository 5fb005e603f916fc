"""Benchmark the music video (studio/video.py): encode time against the song's length, the
share the drawing takes, and the file's size. Prints numbers; asserts nothing.

Seconds depend on the machine and on whatever else runs on it, so the encode time is also
given as a ratio to a baseline measured in the same run, right after it: LAME encoding the
same audio to MP3 as studio.mp3 sets it up (bench/engine.py's baseline), and as CPU time,
which a busy neighbour moves less than wall time. Figures are medians.

    .venv/bin/python bench/video.py [--runs 3] [--seconds 60]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import lame_seconds  # noqa: E402  (bench/engine.py, beside this file)


def song(seconds: float):
    """A swelling chord with noise, a line sung every 4 s, and a drawn cover."""
    import numpy as np

    from studio import art, video

    rate = 44100
    t = np.arange(int(seconds * rate)) / rate
    chord = sum(np.sin(2 * np.pi * f * t) for f in (196.0, 246.9, 293.7)) / 3
    mono = (0.4 * chord * (0.3 + 0.7 * np.abs(np.sin(2 * np.pi * 0.3 * t)))
            + np.random.default_rng(1).normal(0, 0.03, t.size)).astype(np.float32)
    words = "we walk along the river while the night is young".split()
    lines = []
    for start in np.arange(2.0, seconds - 3, 4.0):
        step = 2.8 / len(words)
        timed = [[w, float(start + k * step), float(start + (k + 1) * step)]
                 for k, w in enumerate(words)]
        lines.append({"text": " ".join(words), "start": timed[0][1], "end": timed[-1][2],
                      "words": timed})
    return video.Song(samples=np.stack([mono, mono]), rate=rate, title="Bench River",
                      author="Studio", domain="studio.example", lines=lines,
                      cover=art.draw(3, "synthwave, upbeat"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()

    from studio import video

    piece = song(args.seconds)
    painter = video._Painter(piece, video.SIZE, video.FPS)
    frames = int(args.seconds * video.FPS)
    encode, cpu, baseline, drawing, size = [], [], [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.mp4"
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            video.render(piece, path)
            encode.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)  # every thread's, x264's included
            baseline.append(lame_seconds(piece.samples))
            t = time.perf_counter()
            for index in range(0, frames, 5):  # a fifth of the frames is enough to time
                painter.frame(index / video.FPS)
            drawing.append((time.perf_counter() - t) * 5)
            size = path.stat().st_size
    med = statistics.median
    print(f"song {args.seconds:.0f} s, {video.SIZE}x{video.SIZE} at {video.FPS} fps "
          f"({frames} frames), {args.runs} runs, medians")
    print(f"video (draw + H.264 + AAC + mux): {med(encode):7.2f} s = "
          f"{med(encode) / args.seconds:.3f} s per song second")
    print(f"  CPU time (all threads):         {med(cpu):7.2f} s = "
          f"{med(cpu) / args.seconds:.3f} CPU s per song second")
    print(f"baseline LAME MP3 of the audio:   {med(baseline):7.2f} s")
    print(f"ratio video / baseline:           {med(encode) / med(baseline):7.1f}")
    print(f"drawing alone:                    {med(drawing):7.2f} s "
          f"({100 * med(drawing) / med(encode):.0f} % of the video's time, "
          f"{1000 * med(drawing) / frames:.1f} ms a frame)")
    print(f"file: {size / 1e6:.2f} MB ({size * 8 / args.seconds / 1000:.0f} kbit/s)")


if __name__ == "__main__":
    main()
