"""Who sings a take: the voice's parameters, kept so a persona can sing with them again.

Every sung take has a singer drawn from its request's seed within the asked-for gender:
where its formants sit (the size of the vocal tract), how wide they are, how bright the
glottal source is, how breathy, how fast and how wide its vibrato, and its range. The take's
analysis records it (``analysis["singer"]``); a persona made from the take keeps that record,
and a later request with the persona sings with exactly those parameters, its melody written
in the new song's key inside the persona's range.

Takes rendered before singers were drawn sang with the gender's stock voice
(`Singer.stock`), which is what `Singer.of_take` reads back for them.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

MALE_FORMANT_SCALE, FEMALE_FORMANT_SCALE = 1.0, 1.17  # a female voice's formants sit higher
MALE_BANDWIDTH_SCALE, FEMALE_BANDWIDTH_SCALE = 1.0, 1.3
STOCK_RANGE = {"m": (45, 64), "f": (57, 76)}  # MIDI notes
# How far a drawn singer strays from the gender's stock voice.
FORMANT_SPREAD = 0.10  # octaves either way: ±7 %, so no male voice reaches a female one's
BANDWIDTH_RANGE = (0.85, 1.2)
TILT_RANGE = (1.05, 1.5)  # the glottal source's harmonics fall as k^-tilt
BREATH_RANGE = (0.02, 0.05)
VIBRATO_RATE_RANGE = (4.6, 6.4)  # Hz
VIBRATO_DEPTH_RANGE = (14.0, 32.0)  # cents
RANGE_SHIFT = 2  # semitones either way


@dataclass(frozen=True)
class Singer:
    gender: str  # m | f
    formant_scale: float  # formant frequencies × this (1.0: the adult male table)
    bandwidth_scale: float
    tilt: float  # source slope: harmonic k at k^-tilt
    breath: float  # aspiration noise under the voice
    vibrato_rate: float  # Hz
    vibrato_spread: float  # ± Hz from note to note
    vibrato_depth: float  # cents
    low: int  # the lowest and highest MIDI notes it sings
    high: int

    @classmethod
    def stock(cls, gender: str) -> Singer:
        """The gender's stock voice: what every take sang with before singers were drawn."""
        male = gender == "m"
        low, high = STOCK_RANGE["m" if male else "f"]
        return cls(gender="m" if male else "f",
                   formant_scale=MALE_FORMANT_SCALE if male else FEMALE_FORMANT_SCALE,
                   bandwidth_scale=MALE_BANDWIDTH_SCALE if male else FEMALE_BANDWIDTH_SCALE,
                   tilt=1.25, breath=0.035, vibrato_rate=5.5, vibrato_spread=0.2,
                   vibrato_depth=20.0, low=low, high=high)

    @classmethod
    def drawn(cls, gender: str, seed: int) -> Singer:
        """A singer of `gender` that `seed` picks: the same seed, the same voice."""
        from .style import rng_for  # numpy: drawn by the engine, never by a web process

        base = cls.stock(gender)
        rng = rng_for("singer", base.gender, seed)
        shift = int(rng.integers(-RANGE_SHIFT, RANGE_SHIFT + 1))
        return cls(gender=base.gender,
                   formant_scale=round(base.formant_scale * 2 ** (FORMANT_SPREAD * rng.uniform(-1, 1)), 4),
                   bandwidth_scale=round(base.bandwidth_scale * rng.uniform(*BANDWIDTH_RANGE), 4),
                   tilt=round(rng.uniform(*TILT_RANGE), 4), breath=round(rng.uniform(*BREATH_RANGE), 4),
                   vibrato_rate=round(rng.uniform(*VIBRATO_RATE_RANGE), 3), vibrato_spread=0.1,
                   vibrato_depth=round(rng.uniform(*VIBRATO_DEPTH_RANGE), 2),
                   low=base.low + shift, high=base.high + shift)

    @classmethod
    def from_dict(cls, data: Mapping) -> Singer:
        """A recorded singer (a take's analysis, a persona's voice) back as the value."""
        names = {f.name for f in fields(cls)}
        known = {k: v for k, v in data.items() if k in names}
        return cls(**{**cls.stock(str(known.get("gender", "f"))).as_dict(), **known})

    @classmethod
    def of_take(cls, analysis: Mapping) -> Singer | None:
        """The singer a local take sang with, from its analysis; None if it sang nothing the
        engine synthesised (an instrumental, an uploaded vocal, a vendor's take)."""
        if isinstance(analysis.get("singer"), Mapping):
            return cls.from_dict(analysis["singer"])
        sung = (analysis.get("lyrics_timing") or {}).get("lines")
        if analysis.get("engine") == "local" and analysis.get("gender") in ("m", "f") and sung:
            return cls.stock(analysis["gender"])
        return None

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def range(self) -> tuple[int, int]:
        return self.low, self.high
