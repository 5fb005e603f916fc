"""Measuring a music video in tests: its frames decoded by PyAV, and the bands of a frame
where the waveform and the lyrics are drawn."""
from __future__ import annotations

import av
import numpy as np

RATE = 44100
SECONDS = 5.0
LINE = {"text": "hold the night my friend", "start": 1.0, "end": 2.2,
        "words": [["hold", 1.0, 1.3], ["the", 1.3, 1.45], ["night", 1.45, 1.8],
                  ["my", 1.8, 1.95], ["friend", 1.95, 2.2]]}


def song_samples(seconds=SECONDS) -> np.ndarray:
    """A chord whose loudness swells and falls, with seeded noise: nothing periodic for a
    correlation to lock onto at the wrong lag."""
    t = np.arange(int(seconds * RATE)) / RATE
    chord = sum(np.sin(2 * np.pi * f * t) for f in (196.0, 246.9, 293.7)) / 3
    swell = 0.25 + 0.75 * np.abs(np.sin(2 * np.pi * 0.4 * t))
    noise = np.random.default_rng(7).normal(0, 0.05, t.size)
    left = (0.4 * chord * swell + noise).astype(np.float32)
    return np.stack([left, np.roll(left, 50)])


def frames_of(path) -> list[tuple[float, np.ndarray]]:
    with av.open(str(path)) as container:
        return [(frame.time, frame.to_ndarray(format="rgb24"))
                for frame in container.decode(container.streams.video[0])]


def frame_at(frames, t) -> np.ndarray:
    """The decoded frame shown at `t` seconds, as int32 (so differences do not wrap)."""
    return min(frames, key=lambda pair: abs(pair[0] - t))[1].astype(np.int32)


def rows(frame, top, bottom) -> np.ndarray:
    """A horizontal band of the frame, by share of its height."""
    size = frame.shape[0]
    return frame[int(top * size):int(bottom * size)]


def lyric_band(frame):
    return rows(frame, 0.8, 0.94)


def bright(band) -> int:
    return int(np.sum(band.mean(axis=2) > 170))


def dimmed(band) -> int:
    luma = band.mean(axis=2)
    return int(np.sum((luma > 90) & (luma < 170)))


def accent_pixels(band) -> int:
    """Pixels lit in the cover's blue (the sung words), not white (the words still to come)."""
    r, b = band[..., 0], band[..., 2]
    return int(np.sum((b > 150) & (b - r > 60)))


def aligned_correlation(heard: np.ndarray, sent: np.ndarray) -> tuple[float, int]:
    """(Pearson correlation, lag in samples) of two mono signals at the lag that lines them
    up best, found by FFT cross-correlation; the ends (encoder priming, padding) left out."""
    n = min(heard.size, sent.size) - 4096
    a, b = heard[2048:n], sent[2048:n]
    size = 2 * a.size
    spectrum = np.fft.irfft(np.fft.rfft(a, size) * np.conj(np.fft.rfft(b, size)), size)
    lag = int(np.argmax(np.abs(spectrum)))
    lag = lag - size if lag > a.size else lag
    shifted = np.roll(b, lag)
    return float(np.corrcoef(a[2048:-2048], shifted[2048:-2048])[0, 1]), lag
