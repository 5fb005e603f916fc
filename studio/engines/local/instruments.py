"""Synth voices: note events → numpy audio.

Speed comes from two habits: oscillators are band-limited single-cycle wavetables read by
phase (one table lookup per sample instead of one sine per partial), and every rendered note
is cached by (instrument, pitch, length) so a chord or a bass line that repeats costs one
render plus array adds. Nothing loops per sample in Python; Karplus-Strong is avoided
because its lfilter cost grows with the period (slow for low notes).
"""
from __future__ import annotations

import numpy as np
from pedalboard import HighpassFilter, LowpassFilter, Pedalboard, Reverb

from .composer import Hit, Part, Score

SR = 44100
TABLE = 4096
_PH = np.arange(TABLE) / TABLE
_tables: dict = {}


def mtof(m: float) -> float:
    return 440.0 * 2 ** ((m - 69) / 12)


def table(shape: str, f: float, cutoff: float = 16000.0) -> np.ndarray:
    """A band-limited single cycle: partials stop below ~16 kHz for this fundamental, and
    `cutoff` rolls them off gently like a synth's low-pass (bright saws smear a key's chroma:
    the 7th, 11th and 13th harmonics are not in the scale)."""
    nh = int(max(1, min(48, 16000 // max(f, 1.0))))
    kc = round(float(np.clip(cutoff / max(f, 1.0), 1.0, 64.0)), 1)
    key = (shape, nh, kc) if shape != "sine" else ("sine", 1, 1.0)
    t = _tables.get(key)
    if t is None:
        k = np.arange(1, nh + 1)
        if shape == "saw":
            a = 1.0 / k
        elif shape == "square":
            a = np.where(k % 2 == 1, 1.0 / k, 0.0)
        elif shape == "soft":  # rounded saw: the dark end of a filter sweep
            a = 1.0 / k ** 2.2
        elif shape == "organ":
            a = np.zeros(nh)
            for h, amp in ((1, 1), (2, .7), (3, .5), (4, .35), (6, .25), (8, .2)):
                if h <= nh:
                    a[h - 1] = amp
        elif shape == "flute":
            a = np.array([1, .25, .12, .05][:nh] + [0] * max(0, nh - 4))
        elif shape == "brass":
            a = 1.0 / k ** 1.3
        else:
            a = (k == 1).astype(float)
        a = a / (1 + (k / kc) ** 4)
        t = (a[:, None] * np.sin(2 * np.pi * k[:, None] * _PH[None, :])).sum(0)
        t = (t / np.max(np.abs(t))).astype(np.float32)
        _tables[key] = t
    return t


def _tables_for(n: int) -> tuple[np.ndarray, np.ndarray]:
    ramp = np.arange(n, dtype=np.uint32)
    secs = (ramp / SR).astype(np.float32)
    ramp.flags.writeable = secs.flags.writeable = False  # shared by every note: views stay read-only
    return ramp, secs


_RAMP, _SECS = _tables_for(30 * SR)


def _ramp(n: int) -> np.ndarray:
    """0, 1, …, n−1 as uint32 (a view of a shared table: notes allocate nothing for it)."""
    global _RAMP, _SECS
    if n > len(_RAMP):
        _RAMP, _SECS = _tables_for(max(n, 2 * len(_RAMP)))
    return _RAMP[:n]


def secs(n: int) -> np.ndarray:
    """Sample times in seconds, float32 (a read-only view of a shared table)."""
    _ramp(n)
    return _SECS[:n]


_BITS = 32 - int(np.log2(TABLE))


def osc(shape: str, f: float, n: int, *, vib: float = 0.0, vib_rate: float = 5.5, detune_cents: float = 0.0,
        phase0: float = 0.0, cutoff: float = 16000.0) -> np.ndarray:
    """A wavetable read by a 32-bit phase accumulator: the uint32 product wraps exactly once
    per cycle, so the phase stays exact over any note length and the table index is a shift."""
    f = f * 2 ** (detune_cents / 1200)
    ph = _ramp(n) * np.uint32(int(round(f / SR * 2 ** 32)) & 0xFFFFFFFF)
    if phase0:
        ph += np.uint32(int(phase0 % 1.0 * 2 ** 32))
    if vib:
        t = secs(n)
        # vibrato fades in, like a player who settles on the note first; ±1 % frequency swing
        # (about ±17 cents) at depth 1: phase amplitude = Δf / (2π·rate) cycles
        amp = np.float32(vib * 0.01 * f / (2 * np.pi * vib_rate) * 2 ** 32)
        wob = np.sin(np.float32(2 * np.pi * vib_rate) * t) * np.minimum(np.float32(1), t * np.float32(1 / 0.35))
        ph += (wob * amp).astype(np.int64).astype(np.uint32)
    return table(shape, f, cutoff)[ph >> np.uint32(_BITS)]


def adsr(n: int, hold: int, a: float, d: float, s: float, r: float) -> np.ndarray:
    """Attack ramp, exponential decay to the sustain level, exponential release after `hold`."""
    t = secs(n)
    na = min(n, int(a * SR))
    env = np.empty(n, dtype=np.float32)
    env[:na] = t[:na] * np.float32(1 / max(a, 1e-4))
    env[na:] = np.float32(s) + np.float32(1 - s) * np.exp((t[na:] - np.float32(a)) * np.float32(-1 / max(d, 1e-4)))
    if hold < n:
        level = env[hold] if hold >= 0 else np.float32(0)
        env[hold:] = level * np.exp(t[: n - hold] * np.float32(-4 / max(r, 1e-4)))
    return env


def _decay(n, tau):
    return np.exp(-np.arange(n) / (SR * tau)).astype(np.float32)


class Voices:
    """Renders single notes; results are cached for the whole song."""

    RELEASE = {"pad": .8, "strings": .6, "organ": .08, "piano": .5, "epiano": .5, "guitar": .3, "dist_guitar": .15,
               "bass": .1, "synth_bass": .08, "808": .15, "upright": .15, "lead": .15, "square_lead": .12,
               "pluck": .2, "bell": 1.2, "flute": .12, "brass": .12}

    def __init__(self, brightness: float = 0.55):
        self.bright = brightness
        self.cache: dict = {}

    def note(self, instrument: str, pitch: float, dur: float) -> np.ndarray:
        hold = max(1, int(dur * SR))
        key = (instrument, round(float(pitch), 2), hold // 64)
        x = self.cache.get(key)
        if x is None:
            n = hold + int(self.RELEASE.get(instrument, .2) * SR)
            x = getattr(self, "_" + instrument, self._lead)(mtof(pitch), n, hold)
            x = x.astype(np.float32)
            fade = min(256, n)
            x[-fade:] *= np.linspace(1, 0, fade, dtype=np.float32)
            self.cache[key] = x
        return x

    # -- voices: (frequency, total samples, held samples) → mono float32 ---------------------
    def _pad(self, f, n, hold):
        fc = 1200 + 2500 * self.bright
        x = osc("saw", f, n, detune_cents=-7, cutoff=fc) + osc("saw", f, n, detune_cents=7, phase0=.3, cutoff=fc)
        dark = osc("soft", f, n, detune_cents=3)
        b = 0.25 + 0.5 * self.bright
        return (b * 0.5 * x + (1 - b) * dark) * adsr(n, hold, .35, 1.0, .8, .8) * 0.45

    def _strings(self, f, n, hold):
        fc = 1500 + 2500 * self.bright
        x = osc("saw", f, n, vib=1.0, vib_rate=5.2, cutoff=fc) * 0.5 + \
            osc("saw", f, n, vib=1.0, vib_rate=4.7, detune_cents=5, cutoff=fc) * 0.5
        dark = osc("soft", f, n, vib=1.0)
        b = 0.2 + 0.4 * self.bright
        return (b * x + (1 - b) * dark) * adsr(n, hold, .18, .5, .85, .6) * 0.5

    def _organ(self, f, n, hold):
        t = secs(n)
        trem = 1 + np.float32(0.12) * np.sin(np.float32(2 * np.pi * 6.1) * t)
        return osc("organ", f, n) * trem * adsr(n, hold, .01, .2, .9, .08) * 0.4

    def _piano(self, f, n, hold):
        t = secs(n)
        x = np.zeros(n, dtype=np.float32)
        tau0 = 1.8 * (220 / f) ** 0.4
        for k in range(1, 9):
            fk = f * k * np.sqrt(1 + 0.0004 * k * k)  # stiff strings: partials run sharp
            if fk > 16000:
                break
            rate = k ** 0.8 / tau0
            m = min(n, int(7.0 / rate * SR) + 1)  # computed until it has decayed by 60 dB
            x[:m] += osc("sine", fk, m) * np.exp(t[:m] * np.float32(-rate)) * np.float32(1.0 / k ** 1.6)
        env = adsr(n, hold, .003, 10, 1, .35)
        return x * env * 0.5

    def _epiano(self, f, n, hold):
        t = np.arange(n) / SR
        idx = 1.4 * np.exp(-t / 0.4) + 0.15
        x = np.sin(2 * np.pi * f * t + idx * np.sin(2 * np.pi * f * t))
        x += 0.12 * np.sin(2 * np.pi * f * 14 * t) * np.exp(-t / 0.05) if f * 14 < 18000 else 0
        return x * np.exp(-t / (1.6 * (220 / f) ** 0.3)) * adsr(n, hold, .004, 10, 1, .4) * 0.45

    def _guitar(self, f, n, hold):
        t = secs(n)
        x = np.zeros(n, dtype=np.float32)
        for k in range(1, 11):
            if f * k > 15000:
                break
            a = abs(np.sin(k * np.pi * 0.18)) / k  # plucked near the bridge
            rate = (1.2 + 0.9 * k) / (0.9 + 0.3 * self.bright)
            m = min(n, int(7.0 / rate * SR) + 1)  # computed until it has decayed by 60 dB
            x[:m] += osc("sine", f * k, m) * np.exp(t[:m] * np.float32(-rate)) * np.float32(a)
        return x * adsr(n, hold, .002, 10, 1, .2) * 0.8

    def _dist_guitar(self, f, n, hold):
        # clean and bright here; the distortion runs on the whole guitar bus so power chords intermodulate
        x = osc("saw", f, n) * 0.6 + osc("square", f, n, detune_cents=6) * 0.4
        return x * adsr(n, hold, .004, .6, .7, .12) * 0.5

    def _bass(self, f, n, hold):
        t = secs(n)
        x = osc("sine", f, n) + osc("sine", 2 * f, n) * np.exp(t * np.float32(-1 / .25)) * np.float32(0.35) \
            + osc("sine", 3 * f, n) * np.exp(t * np.float32(-1 / .12)) * np.float32(0.15)
        return x * adsr(n, hold, .004, .8, .6, .1) * 0.7

    def _upright(self, f, n, hold):
        t = secs(n)
        x = osc("sine", f, n) + osc("sine", 2 * f, n) * np.exp(t * np.float32(-1 / .15)) * np.float32(0.25)
        return x * adsr(n, hold, .012, .45, .35, .15) * 0.75

    def _synth_bass(self, f, n, hold):
        env = _decay(n, 0.12)
        x = osc("saw", f, n, cutoff=400 + 600 * self.bright) * (0.15 + 0.45 * self.bright) * env + \
            osc("soft", f, n, cutoff=300) * (1 - 0.4 * env)
        return x * adsr(n, hold, .003, .4, .75, .08) * 0.6

    def _808(self, f, n, hold):
        t = np.arange(n) / SR
        fr = f * (1 + 1.0 * np.exp(-t / 0.03))
        ph = 2 * np.pi * np.cumsum(fr) / SR
        x = np.tanh(1.2 * np.sin(ph)) * np.exp(-t / max(0.4, hold / SR))
        return x * adsr(n, hold, .002, 10, 1, .15) * 0.75

    def _lead(self, f, n, hold):
        fc = 2000 + 4000 * self.bright
        x = osc("saw", f, n, vib=1.0, cutoff=fc) * 0.5 + osc("saw", f, n, vib=1.0, detune_cents=9, cutoff=fc) * 0.3 + \
            osc("soft", f * 0.5, n) * 0.25
        dark = osc("soft", f, n, vib=1.0)
        b = 0.3 + 0.5 * self.bright
        return (b * x + (1 - b) * dark) * adsr(n, hold, .01, .3, .8, .15) * 0.45

    def _square_lead(self, f, n, hold):
        return osc("square", f, n, vib=0.7) * adsr(n, hold, .005, .25, .6, .12) * 0.35

    def _pluck(self, f, n, hold):
        env = _decay(n, 0.09)
        x = osc("saw", f, n, cutoff=2500 + 3000 * self.bright) * env + osc("soft", f, n) * (1 - env) * 0.8
        return x * _decay(n, 0.35 + 0.2 * self.bright) * 0.5

    def _bell(self, f, n, hold):
        t = np.arange(n) / SR
        # a whole-number ratio keeps the sidebands on the harmonic series (3.5 sprays foreign pitches)
        mod = 2.2 * np.exp(-t / 0.6) * np.sin(2 * np.pi * f * 4.0 * t)
        return np.sin(2 * np.pi * f * t + mod) * np.exp(-t / 1.1) * adsr(n, n, .002, 10, 1, .1) * 0.35

    def _flute(self, f, n, hold):
        x = osc("flute", f, n, vib=1.2, vib_rate=5.0)
        return x * adsr(n, hold, .06, .3, .85, .12) * 0.5

    def _brass(self, f, n, hold):
        env = 1 - _decay(n, 0.07)
        x = osc("brass", f, n, vib=0.6) * (0.4 + 0.6 * env * self.bright) + osc("soft", f, n) * 0.4
        return x * adsr(n, hold, .03, .4, .8, .12) * 0.4


def mix_in(out: np.ndarray, at: int, x: np.ndarray) -> None:
    """Add `x` into `out` from sample `at`, dropping whatever falls outside `out`.

    A note may begin before 0 s: a cover quantises the upload's first note to the beat grid,
    and when the upload sounds from its first instant the nearest grid point can be earlier
    than the song. Such a note is heard from 0 s on, as if it had begun before."""
    lo, hi = max(at, 0), min(at + len(x), len(out))
    if hi > lo:
        out[lo:hi] += x[lo - at:hi - at]


def render_part(voices: Voices, part: Part, length: int, detune: float = 0.0) -> np.ndarray:
    """A part's notes added into one mono buffer; `detune` (semitones) shifts every note."""
    buf = np.zeros(length, dtype=np.float32)
    for nt in part.notes:
        s = int(np.floor(nt.start * SR))
        if s >= length or nt.dur <= 0:
            continue
        mix_in(buf, s, voices.note(part.instrument, nt.pitch + detune, nt.dur) * nt.vel)
    return buf


# -- drums ------------------------------------------------------------------------------------

def drum_kit(seed: int, groove: str, bright: float, tonic: int = 9, variant: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    from scipy.signal import butter, sosfilt

    def noise(n):
        return rng.standard_normal(n).astype(np.float32)

    def hp(x, fc):
        return sosfilt(butter(2, fc, "highpass", fs=SR, output="sos"), x).astype(np.float32)

    def bp(x, lo, hi):
        return sosfilt(butter(2, [lo, hi], "bandpass", fs=SR, output="sos"), x).astype(np.float32)

    kit = {}
    t = np.arange(int(0.5 * SR)) / SR
    big = groove in ("trap", "halftime")
    # The kick's body is tuned to the song's tonic (an octave up when too low), as producers
    # do; an untuned kick puts a foreign pitch class under every beat.
    tune = mtof(24 + tonic)
    tune = tune * 2 if tune < 40 else tune
    length = rng.uniform(0.8, 1.25)
    # each variation gets its own kick: a different pitch sweep and body on the same note
    sweep, drop = (0.03, 90) if variant % 2 == 0 else (0.05, 160)
    kf = tune + drop * np.exp(-t / (sweep * (1.5 if big else 1.0)))
    kit["kick"] = (np.sin(2 * np.pi * np.cumsum(kf) / SR) * np.exp(-t / ((0.28 if big else 0.16) * length))
                   + 0.3 * np.exp(-t / 0.003) * noise(len(t))[: len(t)] * 0.3).astype(np.float32)
    ts = t[: int(0.3 * SR)]
    kit["snare"] = (0.6 * bp(noise(len(ts)), 1500, 9000) * np.exp(-ts / 0.09) +
                    0.5 * np.sin(2 * np.pi * mtof(48 + tonic + (7 if rng.random() < .5 else 0)) * ts)
                    * np.exp(-ts / 0.05)).astype(np.float32)
    th = t[: int(0.08 * SR)]
    kit["hat"] = (hp(noise(len(th)), 7000) * np.exp(-th / 0.018) * (0.5 + 0.4 * bright)).astype(np.float32)
    to = t[: int(0.4 * SR)]
    kit["openhat"] = (hp(noise(len(to)), 6500) * np.exp(-to / 0.12) * 0.45).astype(np.float32)
    kit["ride"] = (hp(noise(len(to)), 5000) * np.exp(-to / 0.25) * 0.22 +
                   0.05 * np.sin(2 * np.pi * 4200 * to) * np.exp(-to / .3)).astype(np.float32)
    tc = np.arange(int(1.6 * SR)) / SR
    kit["crash"] = (hp(noise(len(tc)), 4000) * np.exp(-tc / 0.55) * 0.4).astype(np.float32)
    clap = np.zeros(int(0.25 * SR), dtype=np.float32)
    for k, off in enumerate((0, 0.011, 0.022)):
        s = int(off * SR)
        seg = np.arange(len(clap) - s) / SR
        clap[s:] += bp(noise(len(seg)), 900, 5000) * np.exp(-seg / (0.012 if k < 2 else 0.08))
    kit["clap"] = clap * 0.7
    tr = t[: int(0.06 * SR)]
    kit["rim"] = (bp(noise(len(tr)), 1500, 4500) * np.exp(-tr / 0.01) * 0.6 +
                  0.4 * np.sin(2 * np.pi * 1700 * tr) * np.exp(-tr / 0.012)).astype(np.float32)
    tsh = t[: int(0.07 * SR)]
    kit["shaker"] = (hp(noise(len(tsh)), 5000) * np.sin(np.pi * tsh / tsh[-1]) * 0.25).astype(np.float32)
    return kit


_DRUM_PAN = {"kick": 0, "snare": 0.02, "clap": 0, "hat": 0.3, "openhat": 0.3, "ride": -0.3, "crash": -0.25,
             "rim": 0.2, "shaker": 0.35}
_DRUM_GAIN = {"kick": 1.0, "snare": 0.6, "clap": 0.55, "hat": 0.35, "openhat": 0.35, "ride": 0.4, "crash": 0.4,
              "rim": 0.45, "shaker": 0.4}


def render_drums(hits: list[Hit], kit: dict, length: int) -> tuple[np.ndarray, np.ndarray]:
    """(stereo drums without the kick, kick alone) — the kick drives sidechain ducking."""
    st = np.zeros((2, length), dtype=np.float32)
    kick = np.zeros(length, dtype=np.float32)
    for h in hits:
        x = kit.get(h.name)
        s = int(h.start * SR)
        if x is None or s >= length:
            continue
        e = min(length, s + len(x))
        g = h.vel * _DRUM_GAIN[h.name]
        if h.name == "kick":
            kick[s:e] += x[: e - s] * g
            continue
        p = _DRUM_PAN[h.name]
        st[0, s:e] += x[: e - s] * g * np.sqrt(0.5 * (1 - p))
        st[1, s:e] += x[: e - s] * g * np.sqrt(0.5 * (1 + p))
    return st, kick


def duck_envelope(hits: list[Hit], length: int, depth: float = 0.55) -> np.ndarray:
    env = np.ones(length, dtype=np.float32)
    shape = 1 - depth * np.exp(-np.arange(int(0.3 * SR)) / (0.09 * SR)).astype(np.float32)
    for h in hits:
        if h.name != "kick":
            continue
        s = int(h.start * SR)
        e = min(length, s + len(shape))
        if s < length:
            env[s:e] = np.minimum(env[s:e], shape[: e - s])
    return env


def pan(mono: np.ndarray, p: float, gain: float = 1.0) -> np.ndarray:
    return np.stack([mono * (gain * np.sqrt(0.5 * (1 - p))), mono * (gain * np.sqrt(0.5 * (1 + p)))])


SEND = {"pad": .5, "strings": .5, "organ": .25, "piano": .3, "epiano": .35, "guitar": .3, "dist_guitar": .15,
        "bass": 0, "synth_bass": 0, "808": 0, "upright": .05, "lead": .35, "square_lead": .3, "pluck": .45,
        "bell": .55, "flute": .4, "brass": .3}


_DOWN = None


def reverb(send: np.ndarray, room: float) -> np.ndarray:
    """Freeverb on a mono send, at a quarter of the sample rate: a reverb tail above 5 kHz is
    mostly hiss, and the quarter-rate tail costs a third of a full-rate one (Freeverb's two
    channels are tuned apart, so the tail is wide from a mono input). A 24-tap FIR decimates
    (upfirdn computes only the kept samples), the 200 Hz high-pass runs at the low rate, and
    linear interpolation brings the tail back up (its images are damped by the tail's own
    darkness)."""
    from scipy.signal import firwin, upfirdn
    global _DOWN
    if _DOWN is None:
        _DOWN = firwin(24, 4500, fs=SR).astype(np.float32)
    n = len(send)
    m = -(-n // 4)
    low = upfirdn(_DOWN, send, 1, 4)[3:3 + m].astype(np.float32, copy=False)  # 11.5-sample delay ≈ 3 out
    low = HighpassFilter(200)(np.ascontiguousarray(np.stack([low, low])), SR / 4)
    wet = Reverb(room_size=room, damping=0.5, wet_level=1.0, dry_level=0.0, width=1.0)(low, SR / 4)
    nxt = np.concatenate([wet[:, 1:], wet[:, -1:]], axis=1)
    out = np.empty((2, m * 4), dtype=np.float32)
    for k in range(4):
        out[:, k::4] = wet * np.float32(1 - k / 4) + nxt * np.float32(k / 4)
    return out[:, :n]


def _acc(dst: np.ndarray, src: np.ndarray, gain: float, scratch: np.ndarray) -> None:
    """dst += src · gain, through a reused scratch buffer instead of a new song-sized array."""
    if gain:
        tmp = np.multiply(src, np.float32(gain), out=scratch[: len(src)])
        dst += tmp


def render_score(score: Score, style, seed: int, *, vocal: np.ndarray | None = None,
                 only: set[str] | None = None, drums: bool = True, fx: bool = True,
                 vocal_gain: float | None = None) -> np.ndarray:
    """The whole arrangement, mixed to stereo float32 (not yet mastered). Parts are added in
    place into the mix and into one mono reverb send: a song-sized temporary costs more in
    page faults than in arithmetic.

    Stems (stems.py) render a subset: `only` the named parts, with or without the drums and
    the lo-fi crackle (`fx`), the singer at the `vocal_gain` the whole mix gave it. Every step
    after the parts is linear in them, so the subsets of a partition sum to the whole mix.
    The singer's gain is kept in ``render_score.last_vocal_gain``."""
    length = int(score.duration * SR)
    voices = Voices(style.brightness)
    mix = np.zeros((2, length), dtype=np.float32)
    send = np.zeros(length, dtype=np.float32)
    tmp = np.empty(length, dtype=np.float32)
    duck = duck_envelope(score.drums, length) if "sidechain" in style.flavors else None
    d = int(0.013 * SR)  # a short inter-channel delay widens a pad without a chorus unit
    for name, part in score.parts.items():
        if not part.notes or (only is not None and name not in only):
            continue
        mono = render_part(voices, part, length)
        if part.instrument == "dist_guitar":
            # tanh drive (22 dB), the curve pedalboard's Distortion computes 30x slower
            driven = np.tanh(mono * np.float32(10 ** (22 / 20)))[None]
            mono = Pedalboard([LowpassFilter(4500), HighpassFilter(90)])(driven, SR)[0] * np.float32(0.35)
        if duck is not None and (name in ("chords", "bass", "arp") or name.startswith("extra")):
            mono *= duck
        gl, gr = part.gain * np.sqrt(0.5 * (1 - part.pan)), part.gain * np.sqrt(0.5 * (1 + part.pan))
        _acc(send, mono, (gl + gr) * SEND.get(part.instrument, 0.3), tmp)
        if "chorus" in style.flavors and name == "chords":
            # an ensemble chorus: a copy 7 cents flat on the left, 7 sharp on the right; the
            # copies beat against the dry part like a chorus unit's swept delay, at the price
            # of re-reading cached notes instead of interpolating a delay line
            for ch, cents in ((0, -7), (1, 7)):
                _acc(mix[ch], render_part(voices, part, length, cents / 100), 0.45 * (gl, gr)[ch], tmp)
        _acc(mix[0], mono, gl, tmp)
        if part.instrument in ("pad", "strings"):
            mono[d:] = 0.6 * mono[d:] + 0.4 * mono[:-d]
        _acc(mix[1], mono, gr, tmp)
        del mono
    if vocal is not None:
        v = np.zeros(length, dtype=np.float32)
        v[: min(length, len(vocal))] = vocal[:length]
        # The singer leads: where it sings, its level sits a little above the band's.
        if vocal_gain is None:
            vocal_gain = 1.0
            on = np.abs(v) > 1e-3
            if on.any():
                band = float(np.sqrt(np.mean(mix[:, on] ** 2)))
                voc = float(np.sqrt(np.mean(v[on] ** 2)))
                vocal_gain = 1.3 * band / max(voc, 1e-9)
        render_score.last_vocal_gain = vocal_gain
        v *= np.float32(vocal_gain)
        for ch in mix:
            _acc(ch, v, np.sqrt(0.5), tmp)
        _acc(send, v, 0.7 * np.sqrt(0.5), tmp)
    if score.drums and drums:
        kit = drum_kit(seed, style.groove, style.brightness, style.tonic, score.variant)
        st, kick = render_drums(score.drums, kit, length)
        mix += st
        for ch in range(2):
            _acc(mix[ch], kick, np.sqrt(0.5), tmp)
            _acc(send, st[ch], 0.12, tmp)
        del st, kick
    if style.reverb > 0:
        mix += reverb(send, 0.45 + 0.5 * style.reverb) * np.float32(0.25 + 0.45 * style.reverb)
    del send
    if "lofi" in style.flavors:
        mix = Pedalboard([LowpassFilter(4200)])(mix, SR)
        rng = np.random.default_rng(seed ^ 0x5EED)
        crackle = (rng.random(length) < 0.0004) * rng.standard_normal(length) * 0.08
        if fx:
            mix += crackle.astype(np.float32)[None, :]
    return mix
