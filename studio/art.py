"""Cover art: an abstract poster drawn from a seed and the music's style and mood.

No text is drawn: the title lives beside the art (and may be renamed), so art never goes
stale and nothing is cut off under a play button. Everything is large, flat shapes on a
two-colour ground, so a 96 px thumbnail reads as clearly as the full image:

- the style's words pick the colour family (lofi muted dusk, synthwave magenta and cyan,
  metal near-black and red ...); an unknown style gets a hue of its own from its text;
- energy sets how saturated the colours are and how many shapes there are, a minor key
  darkens the ground, a fast tempo favours hard edges over round ones;
- the seed picks the composition and places its shapes, so each take looks different.

Used by the local engine for each take and by the library for alternatives and regenerating.
numpy is imported by the drawing itself: a web process that only stores an uploaded cover
(save) never loads it.
"""
from __future__ import annotations

import colorsys
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw

if TYPE_CHECKING:
    import numpy as np

SIZE = 1024  # the stored cover: the 640 px thumbnail and a 1000 px MP3 tag come from it
_SUPERSAMPLE = 2  # shapes are drawn at twice the size, then reduced: smooth edges

# (words, hue in turns, saturation, brightness): the colour family a style word calls for.
FAMILIES = [
    (("lofi", "lo-fi", "chill", "chillhop", "study"), 0.07, 0.35, 0.75),
    (("synthwave", "retrowave", "vaporwave", "80s", "outrun"), 0.87, 0.85, 0.9),
    (("metal", "hardcore", "punk", "grunge", "industrial"), 0.99, 0.8, 0.45),
    (("jazz", "blues", "soul", "swing", "smoky", "noir"), 0.09, 0.7, 0.6),
    (("folk", "acoustic", "country", "americana", "bluegrass"), 0.22, 0.45, 0.65),
    (("ambient", "dream", "dreamy", "drone", "new age", "ethereal"), 0.55, 0.35, 0.8),
    (("house", "techno", "trance", "edm", "dance", "disco", "club"), 0.78, 0.9, 0.95),
    (("pop", "kpop", "k-pop", "bubblegum", "happy", "upbeat"), 0.93, 0.7, 0.97),
    (("hip hop", "hiphop", "rap", "trap", "drill", "boombap"), 0.13, 0.85, 0.9),
    (("rock", "indie", "garage", "alternative"), 0.02, 0.7, 0.8),
    (("classical", "orchestral", "piano", "cinematic", "score"), 0.6, 0.45, 0.55),
    (("reggae", "dub", "ska", "tropical", "latin", "salsa", "afrobeat"), 0.3, 0.8, 0.85),
    (("sad", "melancholy", "dark", "gloomy"), 0.66, 0.4, 0.45),
]
COMPOSITIONS = ("sun", "orbits", "stripes", "hills", "blocks")
_ROUND, _HARD = ("sun", "orbits", "hills"), ("stripes", "blocks")


@dataclass(frozen=True)
class Mood:
    """What the music is like, as far as the art cares (all optional)."""
    energy: float | None = None  # 0 calm … 1 driving
    minor: bool | None = None
    tempo: float | None = None  # beats per minute

    @classmethod
    def of(cls, analysis: dict | None) -> Mood:
        """The mood an engine's analysis records (the local engine's keys)."""
        a = analysis or {}
        energy = a.get("energy")
        tempo = a.get("tempo")
        return cls(energy=float(energy) if isinstance(energy, int | float) else None,
                   minor=(a.get("mode") == "minor") if a.get("mode") in ("major", "minor") else None,
                   tempo=float(tempo) if isinstance(tempo, int | float) else None)


def _hash(*parts) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()[:8], "little")


def family(style: str) -> tuple[float, float, float]:
    """(hue, saturation, brightness) of the style's colour family: the first style word that
    names one (in the order written), else a hue of the style's own."""
    text = f" {_words(style)} "
    found = []
    for words, hue, sat, val in FAMILIES:
        for word in words:
            at = text.find(f" {word} ")
            if at >= 0:
                found.append((at, hue, sat, val))
    if found:
        _, hue, sat, val = min(found)
        return hue, sat, val
    return (_hash("hue", text.strip()) % 1000) / 1000, 0.6, 0.8


def _words(style: str) -> str:
    """The style's words, lower case, one space apart: how it is written does not matter."""
    return " ".join(re.sub(r"[^a-z0-9 -]+", " ", (style or "").lower()).split())


def _rgb(h: float, s: float, v: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, min(max(s, 0), 1), min(max(v, 0), 1))
    return int(r * 255), int(g * 255), int(b * 255)


class _Palette:
    def __init__(self, style: str, mood: Mood, rng: np.random.Generator):
        hue, sat, val = family(style)
        hue += rng.uniform(-0.04, 0.04)  # takes of one style are kin, not twins
        energy = 0.5 if mood.energy is None else mood.energy
        sat = sat * (0.75 + 0.45 * energy)
        dark = 0.6 if mood.minor else 1.0
        # the ground: two shades of the family's hue, dark enough for light shapes to stand out
        self.ground = (_rgb(hue, sat * 0.9, val * 0.42 * dark), _rgb(hue + 0.06, sat, val * 0.22 * dark))
        # the shapes: the family's colour, a complement and a light accent
        turn = rng.choice([0.5, 0.42, 0.58, 0.12])
        # shapes stay bright whatever the family, so they read against the ground at 96 px
        self.shapes = [_rgb(hue, sat, max(0.8, val)), _rgb(hue + turn, sat * 0.9, 0.95),
                       _rgb(hue + 0.08, sat * 0.35, 0.98), _rgb(hue - 0.08, sat, max(0.7, val * 0.8))]

    def pick(self, rng, alpha=255):
        return (*self.shapes[int(rng.integers(len(self.shapes)))], alpha)


def draw(seed: int, style: str = "", mood: Mood = Mood(), size: int = SIZE) -> Image.Image:
    """The cover for (seed, style, mood): the same three always give the same image."""
    import numpy as np

    rng = np.random.default_rng(_hash("art", seed, _words(style)))
    palette = _Palette(style, mood, rng)
    big = size * _SUPERSAMPLE
    ground = _ground(palette, rng, size)
    energy = 0.5 if mood.energy is None else mood.energy
    kinds = list(_HARD if (mood.tempo or 100) >= 125 else _ROUND) + list(COMPOSITIONS)
    kind = kinds[int(rng.integers(len(kinds)))]
    layer = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    DRAWINGS[kind](ImageDraw.Draw(layer), palette, rng, big, energy)
    # Averaged in premultiplied form, so edges fade into the ground without a dark fringe
    # (a tenth of the time a Lanczos resize of the whole picture takes).
    layer = layer.convert("RGBa").reduce(_SUPERSAMPLE).convert("RGBA")
    return Image.alpha_composite(ground, layer).convert("RGB")


def save(image: Image.Image, path) -> None:
    """JPEG: a tenth of a PNG's size, and the format MP3 cover tags expect."""
    image.convert("RGB").save(path, "JPEG", quality=90, optimize=True)


def _ground(palette: _Palette, rng, size: int) -> Image.Image:
    """A diagonal gradient between the two ground shades."""
    import numpy as np

    n = 256
    yy, xx = np.mgrid[0:n, 0:n] / n
    angle = rng.uniform(0, 2 * np.pi)
    t = np.clip(0.5 + (xx - 0.5) * np.cos(angle) + (yy - 0.5) * np.sin(angle), 0, 1)[..., None]
    a, b = np.array(palette.ground, dtype=float)
    small = Image.fromarray((a * (1 - t) + b * t).astype(np.uint8), "RGB")
    return small.resize((size, size), Image.Resampling.BILINEAR).convert("RGBA")


def _sun(d: ImageDraw.ImageDraw, p: _Palette, rng, s: int, energy: float) -> None:
    horizon = s * rng.uniform(0.55, 0.72)
    r = s * rng.uniform(0.2, 0.3)
    cx = s * rng.uniform(0.3, 0.7)
    cy = horizon - r * rng.uniform(0.2, 0.8)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=p.pick(rng))
    bands = 2 + int(round(energy * 3))
    band = (s - horizon) / bands
    for k in range(bands):
        top = horizon + k * band
        d.rectangle([0, top, s, top + band + 1], fill=(*p.shapes[(k + 1) % len(p.shapes)], 150 + 20 * k))


def _orbits(d, p, rng, s, energy):
    for _ in range(2 + int(round(energy * 2))):
        r = s * rng.uniform(0.18, 0.38)
        cx, cy = s * rng.uniform(0.2, 0.8), s * rng.uniform(0.2, 0.8)
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=p.pick(rng, alpha=int(rng.integers(150, 220))))
    r = s * rng.uniform(0.08, 0.14)  # a small bright moon
    cx, cy = s * rng.uniform(0.15, 0.85), s * rng.uniform(0.15, 0.85)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(*p.shapes[2], 235))


def _stripes(d, p, rng, s, energy):
    count = 3 + int(round(energy * 3))
    width = s / count * 0.55
    slope = rng.choice([-1, 1]) * rng.uniform(0.5, 1.2)
    for k in range(count):
        x = (k + 0.5) * s / count * 1.6 - 0.3 * s
        d.polygon([(x, 0), (x + width, 0), (x + width + slope * s, s), (x + slope * s, s)],
                  fill=p.pick(rng, alpha=int(rng.integers(170, 240))))
    r = s * rng.uniform(0.14, 0.22)
    cx, cy = s * rng.uniform(0.3, 0.7), s * rng.uniform(0.3, 0.7)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(*p.shapes[2], 245))


def _hills(d, p, rng, s, energy):
    import numpy as np

    layers = 3 + int(round(energy * 2))
    xs = np.linspace(0, s, 64)
    for k in range(layers):
        base = s * (0.4 + 0.5 * k / layers)
        amp = s * rng.uniform(0.04, 0.12)
        phase, freq = rng.uniform(0, 2 * np.pi), rng.uniform(1.0, 2.5)
        ys = base + amp * np.sin(xs / s * 2 * np.pi * freq + phase)
        color = p.shapes[k % len(p.shapes)]
        shade = 0.45 + 0.55 * (k + 1) / layers  # nearer hills are brighter
        fill = (*(int(c * shade) for c in color), 255)
        d.polygon([(0, s), *zip(xs.tolist(), ys.tolist(), strict=True), (s, s)], fill=fill)
    r = s * rng.uniform(0.07, 0.12)
    cx, cy = s * rng.uniform(0.2, 0.8), s * rng.uniform(0.12, 0.3)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(*p.shapes[2], 240))


def _blocks(d, p, rng, s, energy):
    n = 2 if energy < 0.5 else 3
    cell = s / n
    for i in range(n):
        for j in range(n):
            x, y = i * cell, j * cell
            if rng.random() < 0.25:
                continue  # an empty cell lets the ground through
            color = p.pick(rng, alpha=int(rng.integers(190, 250)))
            shape = int(rng.integers(3))
            if shape == 0:  # a quarter disc from one corner
                corner = int(rng.integers(4))
                ox, oy = x + cell * (corner % 2), y + cell * (corner // 2)
                start = (0, 90, 270, 180)[corner]  # the quadrant that lies inside the cell
                d.pieslice([ox - cell, oy - cell, ox + cell, oy + cell], start, start + 90, fill=color)
            elif shape == 1:
                m = cell * 0.1
                d.ellipse([x + m, y + m, x + cell - m, y + cell - m], fill=color)
            else:
                corner = int(rng.integers(2))
                tri = [(x, y), (x + cell, y + cell), (x, y + cell)] if corner else \
                    [(x, y), (x + cell, y), (x + cell, y + cell)]
                d.polygon(tri, fill=color)


DRAWINGS = {"sun": _sun, "orbits": _orbits, "stripes": _stripes, "hills": _hills, "blocks": _blocks}
