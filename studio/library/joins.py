"""The whole song's audio: a chain of extensions (`studio.library.stitch`, which says what
the chain is and when joining is refused) decoded and joined into one stretch of samples.

Kept apart from the chain's rules so that a web process, which asks only those to show a
track, loads numpy only when someone stitches (`studio.generation.stitching`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from studio import media
from studio.audio import decode

from .models import Track
from .stitch import StitchError, holds_whole_song

FADE_SECONDS = 0.006  # a few ms of crossfade at each joint: no click, no audible overlap


def _already_whole(track: Track) -> StitchError:
    return StitchError(f"“{track.title or 'Untitled'}” already is the whole song: it starts with "
                       "its source, then carries on. There is nothing to join.")


def _stereo(samples: np.ndarray) -> np.ndarray:
    return np.repeat(samples, 2, axis=1) if samples.shape[1] == 1 else samples[:, :2]


def _resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    if rate == target or not len(samples):
        return samples
    n = int(round(len(samples) * target / rate))
    x = np.linspace(0, len(samples) - 1, n)
    return np.stack([np.interp(x, np.arange(len(samples)), samples[:, c])
                     for c in range(samples.shape[1])], axis=1).astype(np.float32)


def sounds_alike(a: np.ndarray, b: np.ndarray, rate: int) -> bool:
    """Whether two stretches are the same audio, allowing a codec's small time shift."""
    from scipy.signal import correlate

    slack = int(0.05 * rate)
    a, b = a.mean(axis=1), b.mean(axis=1)
    if len(a) < rate // 4 or len(b) < len(a):
        return False
    if np.sqrt(np.sum(a**2)) < 1e-3:  # silence matches anything: no evidence either way
        return False
    core = a[slack:-slack] if len(a) > 3 * slack else a
    scores = correlate(b, core, mode="valid", method="fft")
    windows = np.sqrt(np.convolve(b**2, np.ones(len(core)), mode="valid"))
    best = float(np.max(scores / (windows * np.sqrt(np.sum(core**2)) + 1e-9)))
    return best > 0.8


def includes_source(extension: Track, song: np.ndarray, offset: int, samples: np.ndarray,
                    rate: int) -> bool:
    flag = (extension.analysis or {}).get("includes_source")
    if flag is not None:
        return bool(flag)
    cut = int(extension.continue_at * rate)
    # Listen to the second before the seam (away from any fade the engine put there).
    start, end = max(0, cut - int(1.5 * rate)), max(0, cut - int(0.25 * rate))
    if end - start < rate // 4 or len(samples) < end:
        return False
    return sounds_alike(song[offset + start: offset + end], samples[start: end], rate)


def _join(song: np.ndarray, cut: int, tail: np.ndarray, rate: int) -> np.ndarray:
    """song[:cut] + tail, with an equal-power crossfade that keeps the length exact."""
    n = min(int(FADE_SECONDS * rate), len(song) - cut, len(tail))
    if n > 1:
        t = np.linspace(0, np.pi / 2, n, dtype=np.float32)[:, None]
        tail = tail.copy()
        tail[:n] = song[cut:cut + n] * np.cos(t) + tail[:n] * np.sin(t)
    return np.concatenate([song[:cut], tail])


def stitch_audio(chain: list[Track]) -> tuple[np.ndarray, int]:
    """The whole song's samples [n, 2] and rate, from the chain's stored MP3s: each source up
    to its extension's `continue_at`, then the extension's new music."""
    if holds_whole_song(chain):
        raise _already_whole(chain[-1])
    with media.read_field(chain[0].audio) as path:
        song, rate = decode(path)
    song = _stereo(song.T)
    offset = 0  # where the current track's own timeline starts within the song
    every_one_held = True
    for extension in chain[1:]:
        with media.read_field(extension.audio) as path:
            samples, own_rate = decode(path)
        samples = _resample(_stereo(samples.T), own_rate, rate)
        cut = min(offset + int(round(extension.continue_at * rate)), len(song))
        if includes_source(extension, song, offset, samples, rate):
            skip = min(int(round(extension.continue_at * rate)), len(samples))
        else:
            skip, offset = 0, cut
            every_one_held = False
        song = _join(song, cut, samples[skip:], rate)
    if every_one_held:  # heard, not said: the last track was the whole song all along
        raise _already_whole(chain[-1])
    return song, rate


def write_mp3(samples: np.ndarray, rate: int, path: Path) -> float:
    """Encode, then measure the duration of what was written."""
    from studio import mp3

    mp3.write(path, samples.T, rate)
    # Measured as a player decodes it (honouring the encoder's delay and padding).
    written, written_rate = decode(path)
    return written.shape[1] / written_rate
