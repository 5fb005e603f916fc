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
                  **{"style": "folk", "duration": 2.0, "peaks": [0.5] * 10, **fields})
    track.audio.save("audio.mp3", ContentFile(mp3_bytes()), save=False)
    track.cover.save("cover.png", ContentFile(png_bytes()), save=False)
    track.save()
    return track


def tone(seconds: float, rate: int = 44100, freqs=(220.0, 277.18, 329.63)) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (sum(np.sin(2 * np.pi * f * t) for f in freqs) / 4).astype(np.float32)


def audio_bytes(fmt: str, seconds: float = 3.0, rate: int = 44100, silent=False) -> bytes:
    """A real file of `fmt` (mp3 wav flac ogg m4a) holding a chord, or silence."""
    import tempfile
    from pathlib import Path

    import av
    import soundfile

    samples = np.zeros(int(seconds * rate), np.float32) if silent else tone(seconds, rate)
    if fmt == "mp3":
        buffer = io.BytesIO()
        with AudioFile(buffer, "w", rate, 1, format="mp3", quality=128) as out:
            out.write(samples[None, :])
        return buffer.getvalue()
    if fmt in ("wav", "flac", "ogg"):
        buffer = io.BytesIO()
        soundfile.write(buffer, samples, rate, format=fmt.upper() if fmt != "ogg" else "OGG")
        return buffer.getvalue()
    if fmt == "m4a":
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "a.m4a"
            with av.open(str(path), "w", format="mp4") as container:
                stream = container.add_stream("aac", rate=rate, layout="mono")
                frame_size = 1024
                pcm = samples
                for start in range(0, len(pcm), frame_size):
                    chunk = pcm[start:start + frame_size][None, :]
                    frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
                    frame.sample_rate = rate
                    for packet in stream.encode(frame):
                        container.mux(packet)
                for packet in stream.encode(None):
                    container.mux(packet)
            return path.read_bytes()
    raise ValueError(fmt)
