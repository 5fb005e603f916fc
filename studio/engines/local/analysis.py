"""Listening to audio: decoding and validating uploads, tempo and beats, key, melody.

numpy/scipy only (no librosa/numba in the app): tempo from a spectral-flux onset envelope and
its autocorrelation; beat phase by folding that envelope on the beat period; key from an STFT
chroma correlated with Krumhansl–Kessler profiles; melody from a vectorised YIN (all frames'
difference functions at once through FFT autocorrelation) segmented into notes.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.ndimage import median_filter
from scipy.signal import resample_poly

from ..base import EngineError

SR = 44100
SILENCE_DBFS = -60.0

MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def load_audio(path: Path, *, max_seconds: float, what: str = "upload") -> np.ndarray:
    """Decode any supported file to stereo float32 at 44.1 kHz, or explain why not."""
    from studio import audio
    p = Path(path)
    if not p.exists() or p.stat().st_size == 0:
        raise EngineError(f"The {what} is empty: the file has no data.")
    try:
        # a second past the limit is enough to know the file is too long
        x, sr = audio.decode(p, max_seconds=max_seconds + 1)
    except audio.DecodeError:
        raise EngineError(f"The {what} could not be read as audio. Supported formats: MP3, WAV, FLAC, "
                          "OGG and M4A.") from None
    if x.size == 0 or x.shape[1] < sr * 0.5:
        raise EngineError(f"The {what} is empty: it contains less than half a second of audio.")
    if x.shape[1] / sr > max_seconds + 0.5:
        limit = f"{max_seconds / 60:g} minute" + ("s" if max_seconds != 60 else "")
        raise EngineError(f"The {what} is longer than this model accepts: at most {limit}.")
    x = np.nan_to_num(x.astype(np.float32))
    peak = float(np.abs(x).max())
    if peak <= 10 ** (SILENCE_DBFS / 20):
        raise EngineError(f"The {what} is silent: no sound above {SILENCE_DBFS:g} dBFS.")
    if sr != SR:
        g = np.gcd(int(sr), SR)
        x = resample_poly(x, SR // g, int(sr) // g, axis=1).astype(np.float32)
    if x.shape[0] == 1:
        x = np.repeat(x, 2, axis=0)
    return x[:2]


def _frames(x: np.ndarray, n: int, hop: int) -> np.ndarray:
    if len(x) < n:
        x = np.pad(x, (0, n - len(x)))
    count = 1 + (len(x) - n) // hop
    return np.lib.stride_tricks.as_strided(x, (count, n), (x.strides[0] * hop, x.strides[0]))


@dataclass
class Rhythm:
    tempo: float
    period: float  # seconds per beat
    phase: float  # time of the first beat, 0 <= phase < period
    beats: np.ndarray


def onset_envelope(mono: np.ndarray, sr: int = SR, hop: int = 512) -> tuple[np.ndarray, float]:
    y = mono[::2] if sr == SR else mono  # 22 kHz is plenty for onsets
    rate = sr / 2 if sr == SR else sr
    h = hop // 2
    fr = _frames(np.ascontiguousarray(y), 1024, h) * np.hanning(1024).astype(np.float32)
    mag = np.log1p(100 * np.abs(np.fft.rfft(fr, axis=1)))
    flux = np.maximum(0, np.diff(mag, axis=0)).sum(axis=1)
    flux = np.concatenate([[0], flux])
    flux -= median_filter(flux, 9)  # keep peaks, drop the slow loudness swell
    return np.maximum(flux, 0), rate / h


def tempo_and_beats(mono: np.ndarray, *, lo: float = 60, hi: float = 200) -> Rhythm:
    env, fps = onset_envelope(mono)
    e = env - env.mean()
    n = len(e)
    ac = np.fft.irfft(np.abs(np.fft.rfft(e, 2 * n)) ** 2)[:n]
    lags = np.arange(1, n)
    bpm = 60 * fps / lags
    ok = (bpm >= lo) & (bpm <= hi)
    prior = np.exp(-0.5 * (np.log2(bpm / 110) / 0.9) ** 2)
    score = np.where(ok, ac[1:] * prior, -np.inf)
    # a lag that also has strength at twice its value is the beat, not a subdivision
    score2 = score + np.where(ok, 0.5 * ac[np.minimum(2 * lags, n - 1)] * prior, 0)
    k = int(np.argmax(score2)) + 1
    if 1 < k < n - 1:
        a, b, c = ac[k - 1], ac[k], ac[k + 1]
        k = k + 0.5 * (a - c) / (a - 2 * b + c) if (a - 2 * b + c) != 0 else k
    period = k / fps
    tempo = 60 / period
    # beat phase and a finer period: fold the envelope on candidate grids, keep the strongest
    t = np.arange(n) / fps + 512 / (SR / 2)  # a frame's flux belongs to its centre
    best = (-1.0, period, 0.0)
    for p in period * np.linspace(0.992, 1.008, 33):
        grid = np.arange(0, t[-1] - p, p)
        offs = np.linspace(0, p, 48, endpoint=False)
        vals = np.interp(grid[None, :] + offs[:, None], t, env).sum(axis=1) / max(1, len(grid))
        k = int(np.argmax(vals))
        if vals[k] > best[0]:
            best = (float(vals[k]), float(p), float(offs[k]))
    _, period, phase = best
    tempo = 60 / period
    beats = np.arange(phase, len(mono) / SR, period)
    return Rhythm(tempo=float(tempo), period=float(period), phase=phase, beats=beats)


def heard(source, *, seconds: float = 120.0) -> tuple[float, int, str]:
    """(tempo in bpm, tonic, mode) heard in the first `seconds` of audio Studio did not
    compose (a path or an open file), as the engine hears an upload it follows."""
    from studio import audio
    x, sr = audio.decode(source, max_seconds=seconds)
    mono = np.nan_to_num(x.astype(np.float32)).mean(axis=0)
    if sr != SR:
        g = np.gcd(int(sr), SR)
        mono = resample_poly(mono, SR // g, int(sr) // g).astype(np.float32)
    tonic, mode = key_of(mono)
    return tempo_and_beats(mono).tempo, tonic, mode


def chroma(mono: np.ndarray, sr: int = SR) -> np.ndarray:
    y = mono[::2]
    rate = sr / 2
    fr = _frames(np.ascontiguousarray(y), 4096, 2048) * np.hanning(4096).astype(np.float32)
    mag = np.abs(np.fft.rfft(fr, axis=1))
    freqs = np.fft.rfftfreq(4096, 1 / rate)
    sel = (freqs > 55) & (freqs < 4200)
    pc = np.round(12 * np.log2(freqs[sel] / 440.0) + 69).astype(int) % 12
    # per-frame normalisation so loud passages do not dominate the key decision
    m = mag[:, sel]
    m = m / (m.sum(axis=1, keepdims=True) + 1e-9)
    c = np.zeros(12)
    np.add.at(c, pc, np.sqrt(m).sum(axis=0))
    return c


def key_of(mono: np.ndarray) -> tuple[int, str]:
    return key_from_chroma(chroma(mono))


def key_from_chroma(c: np.ndarray) -> tuple[int, str]:
    best, who = -2.0, (0, "major")
    for mode, prof in (("major", MAJOR), ("minor", MINOR)):
        for k in range(12):
            r = np.corrcoef(c, np.roll(prof, k))[0, 1]
            if r > best:
                best, who = r, (k, mode)
    return who


def yin(mono: np.ndarray, *, fmin: float = 70, fmax: float = 1000, hop_s: float = 0.01,
        threshold: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    """(times, f0 Hz with 0 for unvoiced), all frames at once."""
    y = resample_poly(mono, 1, 2).astype(np.float32)  # 22.05 kHz
    sr = SR / 2
    W = int(sr / fmin) * 2
    hop = int(hop_s * sr)
    fr = _frames(np.ascontiguousarray(y), W, hop).astype(np.float32)
    tmax = int(sr / fmin)
    tmin = max(2, int(sr / fmax))
    spec = np.fft.rfft(fr, 2 * W, axis=1)
    acf = np.fft.irfft(spec * np.conj(spec), axis=1)[:, : tmax + 1]
    sq = np.cumsum(np.concatenate([np.zeros((len(fr), 1), np.float32), fr * fr], axis=1), axis=1)
    tau = np.arange(tmax + 1)
    e0 = sq[:, W - tau]  # sum of x_j^2 for j < W - tau
    et = sq[:, W][:, None] - sq[:, tau]  # sum for j >= tau
    d = e0 + et - 2 * acf
    d[:, 0] = 0
    cm = np.cumsum(d[:, 1:], axis=1)
    dn = np.ones_like(d)
    dn[:, 1:] = d[:, 1:] * tau[1:] / np.maximum(cm, 1e-12)
    dn[:, :tmin] = 1.0
    below = dn < threshold
    has = below.any(axis=1)
    first = np.argmax(below, axis=1)
    # walk to the local minimum after the first dip below threshold
    idx = first.copy()
    for _ in range(8):
        nxt = np.minimum(idx + 1, tmax)
        move = has & (dn[np.arange(len(dn)), nxt] < dn[np.arange(len(dn)), idx])
        idx = np.where(move, nxt, idx)
    i = np.clip(idx, 1, tmax - 1)
    r = np.arange(len(dn))
    a, b, c = dn[r, i - 1], dn[r, i], dn[r, i + 1]
    den = a - 2 * b + c
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.where(np.abs(den) > 1e-9, 0.5 * (a - c) / den, 0)
    f0 = sr / (i + shift)
    rms = np.sqrt(fr.var(axis=1) + 1e-12)
    loud = 20 * np.log10(rms / rms.max())
    f0 = np.where(has & (loud > -35), f0, 0.0)
    times = (np.arange(len(fr)) * hop + W / 2) / sr
    return times, f0


def melody_notes(mono: np.ndarray, *, min_dur: float = 0.08) -> list[tuple[float, float, int]]:
    """(start s, duration s, MIDI) notes from the YIN track: median-smoothed, rounded, grouped."""
    times, f0 = yin(mono)
    midi = np.where(f0 > 0, 69 + 12 * np.log2(np.maximum(f0, 1) / 440), 0)
    midi = median_filter(midi, 5)
    q = np.where(midi > 0, np.round(midi), 0).astype(int)
    notes = []
    start = 0
    hop = times[1] - times[0] if len(times) > 1 else 0.01
    for k in range(1, len(q) + 1):
        if k == len(q) or q[k] != q[start]:
            if q[start] > 0 and (k - start) * hop >= min_dur:
                notes.append((float(times[start] - hop / 2), float((k - start) * hop), int(q[start])))
            start = k
    return notes


def fit_chords(notes, bar_starts: np.ndarray, bar_sec: float, tonic: int, mode: str) -> list:
    """Per bar, the diatonic triad that best covers the melody's pitch classes (by duration)."""
    weights = []
    for b0 in bar_starts:
        w = np.zeros(12)
        for s, d, m in notes:
            ov = min(s + d, b0 + bar_sec) - max(s, b0)
            if ov > 0:
                w[m % 12] += ov
        weights.append(w)
    return chords_for(weights, tonic, mode)


def bar_weights(mono: np.ndarray, bar_starts: np.ndarray, bar_sec: float) -> list[np.ndarray]:
    """Per bar, the pitch classes that stand out in the audio's chroma (an instrumental's
    harmony): each bar's chroma share above its median, zero where nothing stands out."""
    out = []
    for b0 in bar_starts:
        a, b = int(max(0.0, b0) * SR), int(min(len(mono) / SR, b0 + bar_sec) * SR)
        if b - a < 8192:  # under 0.2 s of audio in this bar: nothing to hear
            out.append(np.zeros(12))
            continue
        c = chroma(mono[a:b])
        c = c / max(float(c.sum()), 1e-12)
        out.append(np.maximum(c - np.median(c), 0))
    return out


def chords_for(weights: list[np.ndarray], tonic: int, mode: str) -> list:
    """Per bar, the diatonic triad that best covers that bar's pitch-class weights; a bar with
    none keeps the chord before it."""
    from .composer import chord_pcs
    from .style import Style
    st = Style(tempo=120, beats_per_bar=4, tonic=tonic, mode=mode, palette={}, extras=(), groove="pop",
               energy=.5, swing=0, brightness=.5, reverb=.3, sevenths=False, flavors=frozenset())
    triads = [chord_pcs(st, d, False) for d in range(7)]
    pref = [3, 0, 1, 1, 2, 2, 0] if mode == "major" else [3, 0, 1, 2, 1, 2, 1]
    out, last = [], 0
    for w in weights:
        if w.sum() == 0:
            out.append(triads[last])
            continue
        scores = [sum(w[pc] for pc in tri[1]) + 0.05 * pref[k] * w.sum() + (0.02 * w.sum() if k == last else 0)
                  for k, tri in enumerate(triads)]
        last = int(np.argmax(scores))
        out.append(triads[last])
    return out
