"""Files a take leaves behind: MP3 (and WAV) masters and cover art (the waveform's peaks come from
studio.audio, as every decoded file's do)."""
from __future__ import annotations

import colorsys
import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .style import rng_for

SR = 44100


def write_mp3(path: Path, audio: np.ndarray, sr: int = SR) -> bytes:
    """Gapless CBR 192 kbps (studio.mp3); returns the bytes for verification."""
    from studio import mp3
    return mp3.write(path, audio, sr)


def stream_mp3(path: Path, audio: np.ndarray, sr: int = SR) -> bytes:
    """Encode to ``<path>.part``, each piece written out as soon as LAME returns it, so the
    stream view can serve the first seconds while the rest is encoded; returns the bytes."""
    from studio import mp3
    part = path.with_name(path.name + ".part")
    with open(part, "wb") as fh:
        def out(piece: bytes) -> None:
            fh.write(piece)
            fh.flush()
        return mp3.encode(audio, sr, out=out)


def publish_stream(path: Path, replacement: Path | None = None) -> Path:
    """The streamed take is final: ``<path>.part`` becomes ``<path>``, or, when the take was
    encoded again after the stream (a true-peak retry), the new file takes its place."""
    part = path.with_name(path.name + ".part")
    if replacement is None:
        os.replace(part, path)
        return path
    import shutil
    tmp = path.with_name(path.name + ".new")
    shutil.copyfile(replacement, tmp)
    os.replace(tmp, path)
    part.unlink(missing_ok=True)
    return path


def write_wav(path: Path, audio: np.ndarray, sr: int = SR) -> None:
    import soundfile as sf
    tmp = path.with_name(path.name + ".part.wav")
    sf.write(str(tmp), np.ascontiguousarray(audio.T), sr, subtype="PCM_16")
    os.replace(tmp, path)


# -- cover art --------------------------------------------------------------------------------

def _font(size: int, bold=True):
    for name in ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf",
                 "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def _wrap(draw, text, font, width):
    words, lines, cur = text.split(), [], ""
    for w in words:
        trial = (cur + " " + w).strip()
        if draw.textlength(trial, font=font) <= width or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines[:3]


def cover(path: Path, title: str, style: str, seed: int, *, energy: float = 0.5, mode: str = "major",
          size: int = 512) -> None:
    """Album art from title + style: a two-hue gradient, soft shapes, a grain layer, the title."""
    rng = rng_for("cover", title, style, seed)
    base_h = (rng_for("hue", style).random() + 0.15 * rng.random()) % 1.0
    sat = 0.45 + 0.4 * energy
    val = 0.55 if mode == "minor" else 0.8
    c1 = np.array(colorsys.hsv_to_rgb(base_h, sat, val)) * 255
    c2 = np.array(colorsys.hsv_to_rgb((base_h + 0.25 + 0.3 * rng.random()) % 1, sat, val * 0.55)) * 255
    yy, xx = np.mgrid[0:size, 0:size] / size
    ang = rng.uniform(0, 2 * np.pi)
    tgrad = np.clip(0.5 + (xx - 0.5) * np.cos(ang) + (yy - 0.5) * np.sin(ang), 0, 1)[..., None]
    img = (c1 * (1 - tgrad) + c2 * tgrad).astype(np.uint8)
    im = Image.fromarray(img, "RGB")
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    kind = int(rng.integers(3))
    for _ in range(int(rng.integers(5, 11))):
        h = (base_h + rng.uniform(-0.2, 0.4)) % 1
        col = tuple(int(v * 255) for v in colorsys.hsv_to_rgb(h, sat, 0.95)) + (int(rng.integers(50, 140)),)
        cx, cy, r = rng.uniform(0, size), rng.uniform(0, size), rng.uniform(size * .05, size * .35)
        if kind == 0:
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=col)
        elif kind == 1:
            d.polygon([(cx + r * np.cos(a), cy + r * np.sin(a)) for a in rng.uniform(0, 2 * np.pi, 3)], fill=col)
        else:
            w = int(rng.integers(2, 10))
            for k in range(int(rng.integers(3, 8))):
                rr = r * (1 - k * 0.12)
                if rr > 2:
                    d.ellipse([cx - rr, cy - rr, cx + rr, cy + rr], outline=col, width=w)
    layer = layer.filter(ImageFilter.GaussianBlur(radius=float(rng.uniform(0, 6))))
    im = Image.alpha_composite(im.convert("RGBA"), layer)
    grain = (rng.standard_normal((size, size)) * 10 + 128).clip(0, 255).astype(np.uint8)
    im = Image.blend(im, Image.merge("RGBA", [Image.fromarray(grain)] * 3 + [Image.new("L", (size, size), 255)]), 0.06)
    d = ImageDraw.Draw(im)
    band_y = int(size * (0.62 if rng.random() < 0.5 else 0.08))
    d.rectangle([0, band_y, size, band_y + int(size * 0.3)], fill=(0, 0, 0, 90))
    f1, f2 = _font(int(size * 0.085)), _font(int(size * 0.04), bold=False)
    y = band_y + int(size * 0.03)
    for line in _wrap(d, title or "Untitled", f1, size * 0.88):
        d.text((size * 0.06, y), line, font=f1, fill=(255, 255, 255, 255))
        y += int(size * 0.095)
    if style:
        d.text((size * 0.06, y + 4), style[:48], font=f2, fill=(235, 235, 235, 230))
    tmp = path.with_name(path.name + ".part")
    # JPEG: a tenth of the PNG's size and a twentieth of its encoding time, and the format
    # MP3 cover tags expect; the grain layer hides JPEG's blocking.
    im.convert("RGB").save(tmp, "JPEG", quality=90)
    os.replace(tmp, path)
