"""Changing a track's cover: another generated image, a fresh one, or the owner's own picture.

Generated images come from studio.art with the track's style and mood, as the engine drew
the first one. The alternatives a page offers are numbered 1..CHOICES and drawn from the
track, the cover they were offered against (its version) and their number, so a chosen
preview becomes exactly that cover, and each new cover brings new alternatives.
"""
from __future__ import annotations

import hashlib
import io
import secrets

from django import forms
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

from studio import art

CHOICES = 4
PREVIEW_SIZE = 320
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 6000 × 6000 photo fits; a decompression bomb does not
MIN_SIDE = 64
# What a cover may be uploaded as: what browsers show and Pillow reads.
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "BMP": "BMP"}


class UploadForm(forms.Form):
    image = forms.FileField(label="Your own image", help_text="JPEG, PNG, WebP, GIF or BMP, up to "
                            f"{MAX_UPLOAD_BYTES // 2**20} MB; the middle square is used.")

    def clean_image(self) -> Image.Image:
        return from_upload(self.cleaned_data["image"])


def choice_seed(track, version: str, number: int) -> int:
    digest = hashlib.sha256(f"cover-choice\x1f{track.pk}\x1f{version}\x1f{number}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


def generated(track, seed: int, size: int = art.SIZE) -> Image.Image:
    """The image studio.art draws for `track` from `seed`."""
    return art.draw(seed, track.style, art.Mood.of(track.analysis), size=size)


def valid_version(text: str) -> bool:
    """A cover version as the page shows it (thumbnails.version, or "0" for no cover)."""
    return text == "0" or (0 < len(text) <= 10 and all(c in "0123456789abcdef" for c in text))


def fresh_seed() -> int:
    return secrets.randbelow(2**31)


def jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    art.save(image, buffer)
    return buffer.getvalue()


def from_upload(file) -> Image.Image:
    """The uploaded file as a square cover, or a ValidationError saying what is wrong with it.

    The bytes are sniffed by Pillow, whatever the file's name or declared type.
    """
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"This file is {file.size / 2**20:.1f} MB; a cover image can be at "
                              f"most {MAX_UPLOAD_BYTES // 2**20} MB.", code="too_large")
    not_an_image = ValidationError(
        "This file is not an image. Upload a JPEG, PNG, WebP, GIF or BMP picture.", code="not_image")
    try:
        file.seek(0)
        with Image.open(file) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in FORMATS:
                raise not_an_image
            if width * height > MAX_PIXELS:
                raise ValidationError(f"This image is {width} × {height} pixels; a cover can be at "
                                      f"most {MAX_PIXELS // 1_000_000} megapixels.", code="too_many_pixels")
            if min(width, height) < MIN_SIDE:
                raise ValidationError(f"This image is {width} × {height} pixels; a cover needs at "
                                      f"least {MIN_SIDE} pixels on each side.", code="too_small")
            probe.verify()  # reads the whole file: a truncated or corrupt one fails here
        file.seek(0)
        with Image.open(file) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    # The middle square, at the size generated covers have.
    return ImageOps.fit(image, (art.SIZE, art.SIZE), method=Image.Resampling.LANCZOS)
