"""Rows with real files behind them, for tests that are not about making music."""
from __future__ import annotations

import io

import numpy as np
from django.core.files.base import ContentFile
from pedalboard.io import AudioFile
from PIL import Image

from studio.generation.models import Generation, Status
from studio.library.models import Track


def mp3_bytes(seconds: float = 2.0, rate: int = 44100) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    chord = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.18, 329.63)) / 4
    buffer = io.BytesIO()
    with AudioFile(buffer, "w", rate, 2, format="mp3", quality=128) as out:
        out.write(np.stack([chord, chord]).astype(np.float32))
    return buffer.getvalue()


def png_bytes(color=(200, 90, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), color).save(buffer, "PNG")
    return buffer.getvalue()


def make_track(owner, *, title="Lighthouse", variation=0, generation=None, **fields) -> Track:
    generation = generation or Generation.objects.create(
        owner=owner, params={"prompt": title}, status=Status.SUCCESS)
    track = Track(owner=owner, generation=generation, variation=variation, title=title,
                  style="folk", duration=2.0, peaks=[0.5] * 10, **fields)
    track.audio.save("audio.mp3", ContentFile(mp3_bytes()), save=False)
    track.cover.save("cover.png", ContentFile(png_bytes()), save=False)
    track.save()
    return track
