"""A synthetic singer: source-filter formant synthesis.

A band-limited glottal pulse train (wavetable read at the sung pitch, with vibrato that settles
in after the attack, a short glide from the previous note and a little jitter) goes through
three parallel formant resonators set for the syllable's vowel; onsets get consonant noise
(sibilants, plosive bursts, nasal murmurs). It is an honest robot choir-of-one, in tune and
on time, not a human voice. Each syllable is filtered as one segment, so cost scales with the
number of syllables, not with Python per sample.
"""
from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfilt

from .composer import Note
from .instruments import SR, mtof

# F1, F2, F3 (Hz) for an adult male voice; the female voice scales them up.
VOWELS = {"a": (730, 1090, 2440), "e": (530, 1840, 2480), "i": (300, 2250, 2900), "o": (570, 840, 2410),
          "u": (320, 920, 2300)}
GAINS = (1.0, 0.5, 0.28)
SIBILANT = set("szcfx") | {"sh", "ch", "th"}
PLOSIVE = set("tkpdbgqj")
NASAL = set("mn")

_TABLE = 2048


def _glottal_table(max_f0: float) -> np.ndarray:
    nh = int(min(60, 9000 // max_f0))
    k = np.arange(1, nh + 1)
    ph = np.arange(_TABLE) / _TABLE
    # -12 dB/octave-ish source tilt with a slightly stronger fundamental, like a relaxed voice
    t = ((1.0 / k ** 1.25)[:, None] * np.sin(2 * np.pi * k[:, None] * ph[None, :])).sum(0)
    return (t / np.abs(t).max()).astype(np.float32)


def _resonator_sos(freqs, bw_scale: float):
    sos = []
    for f in freqs:
        bw = (60 + 0.06 * f) * bw_scale
        lo, hi = max(50.0, f - bw / 2), min(SR / 2 - 100, f + bw / 2)
        sos.append(butter(1, [lo, hi], "bandpass", fs=SR, output="sos"))
    return sos


def sing(notes: list[Note], *, gender: str, seed: int, length: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.zeros(length, dtype=np.float32)
    if not notes:
        return out
    scale = 1.0 if gender == "m" else 1.17
    table = _glottal_table(mtof(max(n.pitch for n in notes)))
    cache: dict = {}
    hp = butter(2, 3500, "highpass", fs=SR, output="sos")
    bp = butter(2, [1500, 5000], "bandpass", fs=SR, output="sos")
    prev_f = None
    prev_end = -1.0
    for note in notes:
        s = int(note.start * SR)
        n = int((note.dur + 0.04) * SR)
        if s >= length or n <= 0:
            continue
        n = min(n, length - s)
        t = np.arange(n) / SR
        f = mtof(note.pitch)
        f0 = np.full(n, f)
        if prev_f is not None and note.start - prev_end < 0.08:  # legato: glide in from the last note
            g = int(min(n, 0.05 * SR))
            f0[:g] = prev_f * (f / prev_f) ** (np.arange(g) / g)
        vib = np.clip((t - 0.18) / 0.25, 0, 1) * 0.012 * np.sin(2 * np.pi * (5.3 + 0.4 * rng.random()) * t)
        f0 = f0 * (1 + vib + 0.002 * rng.standard_normal() )
        phase = np.cumsum(f0) / SR + rng.random()
        src = table[((phase % 1.0) * _TABLE).astype(np.int32)]
        src = src + 0.04 * rng.standard_normal(n).astype(np.float32)  # breath
        syl = note.syllable
        vowel = syl.vowel if syl else "a"
        key = vowel
        if key not in cache:
            cache[key] = _resonator_sos([v * scale for v in VOWELS[vowel]], 1.0 + 0.3 * (gender != "m"))
        y = np.zeros(n, dtype=np.float32)
        for sos, gain in zip(cache[key], GAINS):
            y += gain * sosfilt(sos, src).astype(np.float32)
        att, rel = int(0.025 * SR), int(0.05 * SR)
        env = np.ones(n, dtype=np.float32)
        env[: min(att, n)] = np.linspace(0, 1, min(att, n))
        env[-min(rel, n):] *= np.linspace(1, 0, min(rel, n))
        y *= env
        onset = (syl.onset if syl else "")[:2]
        if onset:
            c = onset[0]
            lead = int(0.05 * SR)
            a = max(0, s - lead)
            m = s - a
            if onset in SIBILANT or c in SIBILANT:
                burst = sosfilt(hp, rng.standard_normal(m + int(0.02 * SR))).astype(np.float32)
                burst *= np.hanning(len(burst)).astype(np.float32) * 0.35
            elif c in PLOSIVE:
                k = int(0.015 * SR)
                burst = np.zeros(m + k, dtype=np.float32)
                burst[m - k // 2: m + k // 2] = sosfilt(bp, rng.standard_normal(k // 2 * 2)).astype(np.float32) * \
                    np.exp(-np.arange(k // 2 * 2) / (0.004 * SR)) * 0.5
            elif c in NASAL:
                tt = np.arange(int(0.06 * SR)) / SR
                burst = (0.25 * np.sin(2 * np.pi * f * tt) * np.hanning(len(tt))).astype(np.float32)
                burst = np.concatenate([np.zeros(max(0, m - len(tt) // 2), np.float32), burst])
            else:
                burst = None
            if burst is not None:
                e = min(length, a + len(burst))
                out[a:e] += burst[: e - a]
        out[s:s + n] += y * note.vel
        prev_f, prev_end = f, note.start + note.dur
    peak = np.abs(out).max()
    return out / peak * 0.5 if peak > 0 else out
