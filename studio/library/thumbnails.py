"""Cover art in fixed sizes, made once on first request and kept beside the cover.

The file name carries a digest of the cover's name, and so does the URL (`?v=`): a new cover
gets new thumbnails and a new URL, which is why they can be cached for a year as immutable.
"""
from __future__ import annotations

import hashlib
import io

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

SIZES = (96, 320, 640)


def version(track) -> str:
    """Changes whenever the stored cover changes (storage never reuses a name)."""
    return hashlib.sha1(track.cover.name.encode()).hexdigest()[:10] if track.cover else ""


def thumbnail_name(track, size: int) -> str:
    return f"{track.folder}/cover-{size}-{version(track)}.webp"


def thumbnail(track, size: int) -> str:
    """The storage name of the square `size` px thumbnail, made now if it does not exist."""
    if size not in SIZES:
        raise ValueError(f"no thumbnail size {size}")
    name = thumbnail_name(track, size)
    storage = track.cover.storage
    if storage.exists(name):
        return name
    with track.cover.open("rb") as fh, Image.open(fh) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        square = ImageOps.fit(image, (size, size), method=Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    square.save(buffer, "WEBP", quality=82, method=4)
    # Two requests racing here both write the same bytes; whichever lands, the name is right.
    if not storage.exists(name):
        storage.save(name, ContentFile(buffer.getvalue()))
    return name
