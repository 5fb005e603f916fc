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


MINOR_SCALE = (0, 2, 3, 5, 7, 8, 10)  # natural minor, semitones above the tonic
MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)


def tune_samples(*, bpm: float, tonic: int, scale=MAJOR_SCALE, seconds: float, seed: int = 1,
                 rate: int = 44100) -> np.ndarray:
    """A song with a beat and a tune, at a known tempo and in a known key: a kick on every
    beat and a note of the scale (three harmonics) on every beat. The tune leans on the tonic
    (thrice), its third and fifth (twice), so its key is the one named, not a neighbour that
    shares six of its notes. `tonic` is a MIDI note (69 is A4)."""
    rng = np.random.default_rng(seed)
    leaning = (*scale, scale[0], scale[0], scale[2], scale[4])
    beat, n = 60 / bpm, int(seconds * rate)
    out, t = np.zeros(n), np.arange(n) / rate
    for k in range(int(seconds / beat)):
        s = int(k * beat * rate)
        m = min(int(0.15 * rate), n - s)
        out[s:s + m] += 0.5 * np.sin(2 * np.pi * 55 * t[:m] * (1 + 2 * np.exp(-t[:m] * 30))) \
            * np.exp(-t[:m] * 20)
        f = 440 * 2 ** ((tonic + rng.choice(leaning) - 69) / 12)
        m = min(int(0.9 * beat * rate), n - s)
        env = np.minimum(1, t[:m] / 0.01) * np.exp(-t[:m] * 1.5)
        out[s:s + m] += 0.3 * env * sum(g * np.sin(2 * np.pi * h * f * t[:m])
                                        for h, g in ((1, 1), (2, 0.3), (3, 0.15)))
    return (0.8 * out / np.abs(out).max()).astype(np.float32)


def tune_bytes(**kwargs) -> bytes:
    """tune_samples() as a WAV file."""
    import soundfile

    buffer = io.BytesIO()
    soundfile.write(buffer, tune_samples(**kwargs), kwargs.get("rate", 44100), format="WAV")
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
