"""A synthetic singer: source-filter formant synthesis, Klatt's cascade kind.

The source is a band-limited glottal pulse train (a wavetable read at the sung pitch) with a
little aspiration noise. Its pitch scoops up into a note sung from silence, glides from the
previous note when legato, drifts a few cents and settles into vibrato after the attack.

The filter is four formant resonators in cascade (Klatt 1980: y = A·x + B·y₁ + C·y₂ with
unity gain at DC), so a vowel's spectrum envelope comes out of the formant frequencies alone.
Formants move: from the consonant or the previous vowel into the vowel, through a diphthong
("night" is a→i, "day" e→i, "home" o→u), and into a nasal, l or r that closes a syllable. The
filter runs segment by segment along those paths with its state carried over, merged where
nothing moves, so the cost is a few dozen filter calls per sung note.

Consonants that are noise (s, sh, f, th; the bursts of p, t, k, b, d, g; the breath of h)
are added around the voiced part, before the vowel for an onset and after it for a coda.

It is still a synthetic voice, in tune and on time, not a human singer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, sosfilt

from .composer import Note
from .instruments import SR, mix_in, mtof
from .singer import Singer

# F1–F4 (Hz) for an adult male voice; the female voice scales them up. n, m, l and r are the
# targets of those consonants (the mouth shape the voice passes through), not vowels to hold.
TARGETS = {"a": (730, 1090, 2440, 3400), "e": (530, 1840, 2480, 3500), "i": (300, 2250, 3000, 3700),
           "o": (570, 840, 2410, 3300), "u": (320, 900, 2300, 3300), "r": (490, 1350, 1690, 3300),
           "n": (260, 1450, 2450, 3300), "m": (260, 1000, 2300, 3300), "l": (380, 880, 2600, 3300)}
BANDWIDTHS = (80, 90, 120, 180)
SIBILANTS = {"s": (4500, 9000, 0.30), "z": (4500, 9000, 0.2), "c": (4500, 9000, 0.3), "x": (4500, 9000, 0.3),
             "sh": (2200, 6000, 0.32), "ch": (2200, 6000, 0.3), "f": (1500, 8000, 0.1), "v": (1500, 8000, 0.08),
             "th": (1500, 8000, 0.08), "kh": (900, 3200, 0.22),  # kh: German's back ch ("Nacht")
             "zh": (2200, 6000, 0.22)}  # French and Portuguese j ("jour", "já")
PLOSIVES = {"p": 0.35, "t": 0.45, "k": 0.4, "q": 0.4, "b": 0.2, "d": 0.25, "g": 0.22, "j": 0.25}
VOICED_INTO = {"m": "m", "n": "n", "l": "l", "r": "r", "w": "u", "y": "i"}  # onset → its formant target
NOTE_TAIL_SECONDS = 0.04  # a sung note rings on past its written end
LEGATO_GAP_SECONDS = 0.08  # notes closer than this glide into each other
STEP = 882  # formant paths are sampled every 20 ms (the filter state carries across steps)

_TABLE = 2048


def _glottal_table(max_f0: float, tilt: float = 1.25) -> np.ndarray:
    nh = int(min(60, 9000 // max_f0))
    k = np.arange(1, nh + 1)
    ph = np.arange(_TABLE) / _TABLE
    # a -7.5 dB/octave source tilt (1.25) with a slightly stronger fundamental is a relaxed
    # voice; a smaller tilt is brighter, a larger one darker
    t = ((1.0 / k ** tilt)[:, None] * np.sin(2 * np.pi * k[:, None] * ph[None, :])).sum(0)
    return (t / np.abs(t).max()).astype(np.float32)


def _cascade(formants: np.ndarray, bw_scale: float) -> np.ndarray:
    """(steps, 4) formant frequencies → (steps, 4, 6) second-order sections, unity DC gain."""
    f = np.asarray(formants, dtype=np.float64)
    bw = np.asarray(BANDWIDTHS, dtype=np.float64) * bw_scale
    c = -np.exp(-2 * np.pi * bw / SR)
    b = 2 * np.exp(-np.pi * bw / SR) * np.cos(2 * np.pi * np.minimum(f, SR / 2 - 500) / SR)
    a = 1 - b - c
    sos = np.zeros(f.shape + (6,))
    sos[..., 0], sos[..., 3], sos[..., 4], sos[..., 5] = a, 1.0, -b, -c
    return sos


def _path(n: int, start, vowel, glide, coda) -> np.ndarray:
    """Formant targets every STEP samples over a note of n samples."""
    k = -(-n // STEP)
    v = np.array(TARGETS[vowel], dtype=np.float64)
    path = np.repeat(v[None, :], k, axis=0)
    pos = np.arange(k) / max(k - 1, 1)  # 0..1 through the note
    if start is not None:  # in from a consonant's shape or the previous vowel, over ~60 ms
        s = np.array(TARGETS[start], dtype=np.float64)
        w = np.clip(np.arange(k) / 3.0, 0, 1)[:, None]
        path = s * (1 - w) + path * w
    if glide:
        g = np.array(TARGETS[glide], dtype=np.float64)
        w = np.clip((pos - 0.45) / 0.4, 0, 1)[:, None]
        path = path * (1 - w) + g * w
    if coda:
        c = np.array(TARGETS[coda], dtype=np.float64)
        w = np.clip((pos - 0.72) / 0.2, 0, 1)[:, None]
        path = path * (1 - w) + c * w
    return path


def _filter(src: np.ndarray, sos_path: np.ndarray) -> np.ndarray:
    """Run src through the cascade whose coefficients follow sos_path (one row per STEP),
    carrying the state across, one call per run of identical steps."""
    out = np.empty_like(src)
    zi = np.zeros((sos_path.shape[1], 2))
    k = sos_path.shape[0]
    i = 0
    while i < k:
        j = i + 1
        while j < k and np.array_equal(sos_path[j], sos_path[i]):
            j += 1
        a, b = i * STEP, min(len(src), j * STEP)
        if a < b:
            out[a:b], zi = sosfilt(sos_path[i], src[a:b], zi=zi)
        i = j
    return out


def _letters(cluster: str) -> str:
    return "".join(ch for ch in cluster if ch not in "aeiouy")


# Onset spellings of one sound, as the voice sounds them: "whale" is a w, "write" an r, "know"
# and "gnome" an n, "ghost" a g, "school" an s and a k (at a word's start); "phone" an f,
# "quiet" a k and a w (anywhere).
_SPELT_AT_START = (("sch", "sk"), ("chr", "kr"), ("wh", "w"), ("wr", "r"), ("kn", "n"), ("gn", "n"), ("gh", "g"),
                   ("rh", "r"), ("x", "z"))
_SPELT_ANYWHERE = (("ph", "f"), ("ck", "k"), ("qu", "kw"), ("q", "k"))
# Other spellings' onsets, read before English's (patterns over the onset, "_" and the vowel
# letter): German w is a v and its v an f ("Welt", "viel"), its j a y (its sch, st, sp, ch
# and z are respelt as they sound before: lyrics.german_sounds); Spanish and Portuguese "qu"
# a k ("que"), their h silent ("hola"; not in "ch"), a Spanish j, and g before e or i, a breath
# ("jardín", "gente") and ll a y, Portuguese ch an sh ("chuva"); Italian "ch" a k ("che"), c
# before e or i a ch ("cielo") and g a j ("giorno"), sc an sh; French "ch" an sh. (Each is
# respelt first where its letters sound otherwise: lyrics.RESPELT.)
_SILENT_H = (r"(?<![csz])h", "")  # not in ch, sh, or a respelt zh
_SPELT_IN = {
    "de": (("v", "f"), ("w", "v"), ("j", "y")),  # its sch, st and sp are respelt: lyrics.german_sounds
    "es": (("qu", "k"), ("ll", "y"), _SILENT_H, ("j", "h"), ("g(?=_[ei])", "h")),
    "pt": (("qu", "k"), ("ch", "sh"), _SILENT_H),  # its lh and nh are respelt: lyrics.portuguese_sounds
    "it": (("ch", "k"), ("gh", "g"), ("sc(?=_[ei])", "sh"), ("c(?=_[ei])", "ch"), ("g(?=_[ei])", "j"),
           _SILENT_H),
    "fr": (("ch", "sh"),),
}


def _onset(syl) -> tuple[str, ...]:
    """The consonant sounds before `syl`'s vowel, in order ("str" is s, t, r; "sh" is one):
    a c is an s right before e, i or y ("city") and a k elsewhere ("come", "cold", "cry",
    once sung as an s)."""
    vowel = syl.text[len(syl.onset):len(syl.onset) + 1].lower()
    spelt = f"{syl.onset.lower()}_{vowel}"
    for pattern, sound in _SPELT_IN.get(syl.language, ()):
        spelt = re.sub(pattern, sound, spelt)
    letters = spelt.partition("_")[0]
    for written, sound in _SPELT_AT_START:
        if letters.startswith(written):
            letters = sound + letters[len(written):]
    for written, sound in _SPELT_ANYWHERE:
        letters = letters.replace(written, sound)
    if vowel in ("e", "i", "y"):
        letters = re.sub(r"s?c$", "s", letters)  # "city", "scene": one s
    letters = re.sub(r"c(?!h)", "k", letters)  # "come", "cry", "scar"
    sounds = re.findall(r"sh|ch|th|kh|zh|[^aeiou]", letters)  # a y before a vowel is a consonant
    return tuple(sounds)


# Coda spellings of one sound, or of none: "catch", "edge", "back", "night" (a silent gh),
# "climb", "graph", "sing" (an ng is one nasal, its g not released), "box" (a k and an s).
_CODA_SPELLINGS = (("tch", "ch"), ("dg", "j"), ("ck", "k"), ("gh", ""), ("mb", "m"), ("ph", "f"), ("ng", "n"),
                   ("x", "ks"))


def _coda(syl, after) -> tuple[str, ...]:
    """The consonant sounds `syl` closes with, in order ("first" is r, s, t; "hearts" r, t,
    s): inside a word too ("win-dow", "sis-ter"), where a doubled letter is one sound that
    the next syllable begins ("kit-ten", "sum-mer": one t, one m). A c that closes a
    syllable, or comes before another consonant, is a k ("mu-sic", "act"); before a silent
    e it is an s ("dance"). A doubled letter is one sound ("kiss", "ball")."""
    letters = _letters(syl.coda)
    if syl.coda.endswith("c"):
        letters = letters[:-1] + "k"
    for written, sound in _CODA_SPELLINGS:
        letters = letters.replace(written, sound)
    letters = re.sub(r"c(?=[^h])", "k", letters)
    found = re.findall(r"sh|ch|th|kh|zh|[^h]", letters)
    sounds = [sound for k, sound in enumerate(found) if k == 0 or sound != found[k - 1]]  # "kiss": one s
    if sounds and not syl.word_end and after is not None and _onset(after)[:1] == (sounds[-1],):
        sounds.pop()  # "kit-ten": the t begins the next syllable ("ac-cent" keeps its k and s)
    return tuple(sounds)


def _noise_consonant(kind: str, rng, noise_filters, n: int) -> np.ndarray:
    lo, hi, gain = SIBILANTS[kind]
    sos = noise_filters.get(kind)
    if sos is None:
        sos = noise_filters[kind] = butter(2, [lo, min(hi, SR / 2 - 500)], "bandpass", fs=SR, output="sos")
    x = sosfilt(sos, rng.standard_normal(n)).astype(np.float32)
    return x * np.hanning(n).astype(np.float32) * np.float32(gain)


def _burst(rng, n_burst: int, gain: float, bp) -> np.ndarray:
    x = sosfilt(bp, rng.standard_normal(n_burst)).astype(np.float32)
    return x * np.exp(-np.arange(n_burst) / (0.005 * SR)).astype(np.float32) * np.float32(gain)


def sing(notes: list[Note], *, gender: str, seed: int, length: int,
         singer: Singer | None = None) -> np.ndarray:
    """The sung line: each note a glottal source at its pitch, shaped by its syllable's
    formant path, enveloped, then its consonants; the line peaks at half scale. `singer` is
    the voice (singer.py); without one, the gender's stock voice sings."""
    out = np.zeros(length, dtype=np.float32)
    if not notes:
        return out
    singer = _Singer(notes, singer or Singer.stock(gender), seed=seed)
    for note, after in zip(notes, [*notes[1:], None], strict=True):
        singer.sing(note, out, after.syllable if after is not None else None)
    peak = np.abs(out).max()
    return out / peak * 0.5 if peak > 0 else out


@dataclass(frozen=True)
class _Sounds:
    """What a syllable asks of the voice: the vowel (and its glide), the consonants heard
    before it and after it."""

    vowel: str
    glide: str
    onset: tuple[str, ...]  # the sounds before the vowel (_onset)
    coda: tuple[str, ...]  # and after it (_coda)

    @classmethod
    def of(cls, syl, after=None) -> _Sounds:
        """`syl`'s sounds; `after` is the syllable sung next, if any."""
        if syl is None:
            return cls("a", "", (), ())
        return cls(syl.vowel, syl.glide, _onset(syl), _coda(syl, after))

    @property
    def first(self) -> str:
        """The sound right before the vowel."""
        return self.onset[-1] if self.onset else ""

    @property
    def hiss(self) -> str | None:
        """The noise the onset begins with (s, sh, f, th...), or that its first stop opens
        into (an affricate: German "Zeit" t-s, "Pferd" p-f), if any."""
        onset = self.onset
        if onset and onset[0] in SIBILANTS:
            return onset[0]
        return onset[1] if self.affricate else None

    @property
    def affricate(self) -> bool:
        """The onset is a stop opening into a noise (t-s, p-f): the burst, then the hiss."""
        onset = self.onset
        return len(onset) > 1 and onset[0] in PLOSIVES and onset[1] in SIBILANTS and onset[1] != "v"

    @property
    def plosive(self) -> str | None:
        """The onset's stop, burst just before the vowel or its r, l or w ("tree", "play",
        "street": each was sung without its t, p or k)."""
        return next((sound for sound in self.onset if sound in PLOSIVES), None)

    @property
    def coda_shape(self) -> str | None:
        """The voiced consonant (m, n, l, r) the vowel closes into, if any."""
        return next((VOICED_INTO[ch] for ch in self.coda[:1] if ch in ("m", "n", "l", "r")), None)


class _Singer:
    """One voice singing one line. It keeps what carries from note to note: the random
    stream (its draws happen in a fixed order, so a seed always sings the same), the glottal
    table, breath noise, filter caches, and the note before (legato glides from its pitch,
    formant paths from its vowel)."""

    def __init__(self, notes: list[Note], voice: Singer, *, seed: int):
        self.rng = np.random.default_rng(seed)
        self.voice = voice
        self.scale = voice.formant_scale
        self.bw_scale = voice.bandwidth_scale
        self.table = _glottal_table(mtof(max(n.pitch for n in notes)), voice.tilt)
        self.breath = (self.rng.standard_normal(SR * 4) * voice.breath).astype(np.float32)
        self.burst_bp = butter(2, [1200, 6000], "bandpass", fs=SR, output="sos")
        self.noise_filters: dict = {}
        self.sos_cache: dict = {}
        self.prev_f, self.prev_end, self.prev_vowel = None, -1.0, None

    def sing(self, note: Note, out: np.ndarray, after=None) -> None:
        """Mix `note` into `out`; `after` is the syllable sung next (None: none, or a hum)."""
        s = int(np.floor(note.start * SR))
        n = int((note.dur + NOTE_TAIL_SECONDS) * SR)
        if s >= len(out) or n <= 0 or s + n <= 0:
            return
        n = min(n, len(out) - s)
        f = mtof(note.pitch)
        legato = self.prev_f is not None and note.start - self.prev_end < LEGATO_GAP_SECONDS
        src = self._source(self._pitch(f, n, legato), n)
        sounds = _Sounds.of(note.syllable, after)
        start = VOICED_INTO.get(sounds.first) or (self.prev_vowel if legato else None)
        if sounds.first == "h":
            src = self._breath_onset(src, n)
        y = self._vowel(src, n, sounds, start)
        y *= _envelope(n, sounds)
        y *= np.float32(1.0 / max(float(np.sqrt(np.mean(y * y))), 1e-6) * 0.2)  # even level across vowels
        mix_in(out, s, y * note.vel)
        self._consonants(out, s, n, sounds, note.vel)
        self.prev_f, self.prev_end = f, note.start + note.dur
        self.prev_vowel = (sounds.glide or sounds.vowel) if note.syllable else "a"

    def _pitch(self, f: float, n: int, legato: bool) -> np.ndarray:
        """The note's frequency over time: a glide from the last note (legato) or a small
        scoop up into it, a slow drift of a few cents, and vibrato that settles in after the
        attack."""
        rng = self.rng
        t = np.arange(n, dtype=np.float32) / np.float32(SR)
        cents = np.zeros(n, dtype=np.float32)
        if legato:
            g = int(min(n, 0.05 * SR))
            cents[:g] = 1200 * np.log2(self.prev_f / f) * (1 - np.arange(g, dtype=np.float32) / g)
        else:
            g = int(min(n, 0.07 * SR))
            cents[:g] = -35 * (1 - np.arange(g, dtype=np.float32) / g) ** 2
        cents += 5 * np.sin(2 * np.pi * (0.7 + 0.5 * rng.random()) * t + 6.3 * rng.random())
        v = self.voice
        rate = v.vibrato_rate + v.vibrato_spread * (2 * rng.random() - 1)
        cents += np.clip((t - 0.18) / 0.25, 0, 1) * v.vibrato_depth * np.sin(2 * np.pi * rate * t)
        return f * np.exp2(cents.astype(np.float64) / 1200)

    def _source(self, f0: np.ndarray, n: int) -> np.ndarray:
        """The glottal pulse train at that pitch, with breath noise under it."""
        phase = np.cumsum(f0) / SR + self.rng.random()
        src = self.table[((phase % 1.0) * _TABLE).astype(np.int32)]
        breath = self.breath
        off = int(self.rng.integers(0, len(breath) - n)) if n < len(breath) else 0
        return src + breath[off:off + n] if n < len(breath) else src + breath[np.arange(n) % len(breath)]

    def _breath_onset(self, src: np.ndarray, n: int) -> np.ndarray:
        """An h: breath before the voice."""
        h = min(n, int(0.05 * SR))
        src[:h] = src[:h] * np.linspace(0.1, 1, h, dtype=np.float32) + \
            (self.rng.standard_normal(h) * 0.25).astype(np.float32) * np.linspace(1, 0, h, dtype=np.float32)
        return src

    def _vowel(self, src: np.ndarray, n: int, sounds: _Sounds, start: str | None) -> np.ndarray:
        """The source through the formants of the syllable's path: in from the consonant or
        the last vowel, through the vowel and its glide, into a voiced coda."""
        key = (sounds.vowel, sounds.glide, start, sounds.coda_shape, n // STEP)
        sos_path = self.sos_cache.get(key)
        if sos_path is None:
            path = _path(n, start, sounds.vowel, sounds.glide, sounds.coda_shape)
            sos_path = self.sos_cache[key] = _cascade(path * self.scale, self.bw_scale)
        src = np.diff(src, prepend=src[:1])  # lip radiation: +6 dB/octave
        return _filter(src.astype(np.float64), sos_path).astype(np.float32)

    def _consonants(self, out: np.ndarray, s: int, n: int, sounds: _Sounds, vel: float) -> None:
        """Noise consonants: onsets just before the vowel ("st", "sl", "sk": the hiss, then
        the burst or the voiced shape), codas after it."""
        coda, kind, stop, affricate = sounds.coda, sounds.hiss, sounds.plosive, sounds.affricate
        m = int(0.075 * SR)
        a = max(0, s - m + int(0.015 * SR) - (int(0.03 * SR) if len(sounds.onset) > 1 and not affricate else 0))
        if kind:
            mix_in(out, a, _noise_consonant(kind, self.rng, self.noise_filters, m) * vel)
        if stop:
            k = int(0.012 * SR)
            x = _burst(self.rng, k + (int(0.02 * SR) if stop in "ptkq" else 0), PLOSIVES[stop], self.burst_bp)
            mix_in(out, max(0, (a if affricate else s) - k), x * vel)  # an affricate's opens its hiss
        at = s + n - int(0.03 * SR)  # as the vowel stops, each of the coda's noises in turn
        for sound in coda:
            if sound in SIBILANTS and sound != "v":
                m = int(0.09 * SR)
                mix_in(out, at, _noise_consonant(sound, self.rng, self.noise_filters, m) * vel)
                at += int(0.06 * SR)
            elif sound in PLOSIVES:
                x = _burst(self.rng, int(0.015 * SR), PLOSIVES[sound] * 0.7, self.burst_bp)
                mix_in(out, at + int(0.02 * SR), x * vel)
                at += int(0.035 * SR)


def _envelope(n: int, sounds: _Sounds) -> np.ndarray:
    """Attack (slower into a voiced consonant's shape), release, a nasal onset's hum, and a
    nasal coda's fade."""
    att, rel = int((0.04 if sounds.first in VOICED_INTO else 0.022) * SR), int(0.05 * SR)
    env = np.ones(n, dtype=np.float32)
    env[: min(att, n)] = np.linspace(0, 1, min(att, n))
    env[-min(rel, n):] *= np.linspace(1, 0, min(rel, n))
    if sounds.first in ("m", "n"):  # a nasal onset hums quietly before the mouth opens
        h = min(n, int(0.06 * SR))
        env[:h] *= np.linspace(0.45, 1, h, dtype=np.float32)
    if sounds.coda_shape in ("m", "n"):
        h = min(n, int(0.3 * n))
        env[-h:] *= np.linspace(1, 0.5, h, dtype=np.float32)
    return env
