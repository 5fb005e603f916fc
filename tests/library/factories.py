"""Library rows in bulk (for browsing at scale) and chains of extensions with real audio."""
from __future__ import annotations

import io
from datetime import timedelta

import numpy as np
from django.core.files.base import ContentFile
from django.utils import timezone
from pedalboard.io import AudioFile

from studio.generation.models import Generation, Mode, Status
from studio.library.models import Track
from tests.factories import make_track, png_bytes

STYLES = ["folk, acoustic", "synthwave, upbeat", "lofi hip hop", "jazz, smoky", "metal"]
MODES = [Mode.GENERATE, Mode.INSTRUMENTAL, Mode.EXTEND, Mode.UPLOAD_COVER]


def bulk_tracks(owner, count: int, *, same_time_every: int = 7) -> list[Track]:
    """`count` tracks, two per generation, sharing one real MP3 and cover on disk.

    Every `same_time_every` tracks share a timestamp, so pagination must break ties by id.
    """
    template = make_track(owner, title="Template")
    now = timezone.now()
    generations = Generation.objects.bulk_create([
        Generation(owner=owner, params={"prompt": f"idea {i}", "model": "V4_5"},
                   status=Status.SUCCESS if i % 5 else Status.FIRST_SUCCESS,
                   mode=MODES[i % len(MODES)], model=["V4", "V4_5", "V5"][i % 3])
        for i in range((count + 1) // 2)])
    tracks = []
    for i in range(count):
        tracks.append(Track(
            owner=owner, generation=generations[i // 2], variation=i % 2,
            title=f"Song {i:05d}", style=STYLES[i % len(STYLES)],
            lyrics="" if i % 3 == 0 else f"[Verse]\nline {i} about the sea",
            duration=30 + (i * 37) % 200, peaks=[0.5] * 200,
            audio=template.audio.name, cover=template.cover.name,
            created_at=now - timedelta(seconds=(i // same_time_every) * 60)))
    Track.objects.bulk_create(tracks, batch_size=500)
    return tracks


def tone_mp3(seconds: float, freq: float, rate: int = 44100, *, prefix: np.ndarray | None = None):
    """(MP3 bytes, the samples encoded) of a sine at `freq`, after an optional prefix."""
    t = np.arange(int(seconds * rate)) / rate
    mono = (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    if prefix is not None:
        mono = np.concatenate([prefix, mono])
    buffer = io.BytesIO()
    with AudioFile(buffer, "w", rate, 2, format="mp3", quality=192) as out:
        out.write(np.stack([mono, mono]))
    return buffer.getvalue(), mono


def audio_track(owner, mp3: bytes, seconds: float, *, title: str, parent=None,
                continue_at=None, analysis=None) -> Track:
    generation = Generation.objects.create(
        owner=owner, params={"title": title, "continueAt": continue_at} if parent else
        {"title": title}, status=Status.SUCCESS, mode=Mode.EXTEND if parent else Mode.GENERATE,
        source_track=parent)
    track = Track(owner=owner, generation=generation, variation=0, title=title, style="folk",
                  duration=seconds, peaks=[0.5] * 10, parent=parent, continue_at=continue_at,
                  analysis=analysis or {})
    track.audio.save("audio.mp3", ContentFile(mp3), save=False)
    track.cover.save("cover.png", ContentFile(png_bytes((30, 120, 200))), save=False)
    track.save()
    return track


def text_track(owner, title: str, *, style: str = "", lyrics: str = "", **fields) -> Track:
    """A track for searching: its words matter, its files do not (no audio is read)."""
    generation = Generation.objects.create(owner=owner, params={"prompt": title},
                                           status=Status.SUCCESS)
    return Track.objects.create(owner=owner, generation=generation, variation=0, title=title,
                                style=style, lyrics=lyrics, duration=fields.pop("duration", 60),
                                audio="tracks/none.mp3", **fields)
