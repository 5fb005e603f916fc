"""Files a take leaves behind: MP3 (and WAV) masters and cover art (the waveform's peaks come from
studio.audio, as every decoded file's do)."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

SR = 44100


def write_mp3(path: Path, audio: np.ndarray, sr: int = SR) -> bytes:
    """Gapless CBR 192 kbps (studio.mp3); returns the bytes for verification."""
    from studio import mp3
    return mp3.write(path, audio, sr)


def stream_mp3(path: Path, audio: np.ndarray, sr: int = SR, relay=None) -> bytes:
    """Encode to ``<path>.part``, each piece written out as soon as LAME returns it, so the
    stream view can serve the first seconds while the rest is encoded; returns the bytes.
    With `relay` (a studio.relay.Writer) each piece is also appended to its Redis stream,
    for listeners on hosts that do not share this disk."""
    from studio import mp3
    part = path.with_name(path.name + ".part")
    with open(part, "wb") as fh:
        def out(piece: bytes) -> None:
            fh.write(piece)
            fh.flush()
            if relay is not None:
                relay.append(piece)
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

def cover(path: Path, style: str, seed: int, mood) -> None:
    """The take's cover (studio.art: no text, so a rename never leaves it stale)."""
    from studio import art
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh:
        art.save(art.draw(seed, style, mood), fh)
    os.replace(tmp, path)
