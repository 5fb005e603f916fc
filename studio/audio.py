"""Reading audio and drawing its waveform: the one decoder and the one peaks function that
uploads, downloads, whole-song stitching and the local engine's takes all use.

Two decoders sit behind decode(), chosen by the file's first bytes:
- libsndfile (mpg123 inside) for MP3s that start with a Xing/Info frame, as Studio's own do
  (studio/mp3.py): it honours the LAME tag's delay and padding and decodes twice as fast as
  FFmpeg, which matters to the engine verifying every take it encodes. Without that frame
  mpg123 guesses the length from the first frame's bitrate and stops there, losing the end
  of a VBR file, so untagged MP3s go to FFmpeg.
- FFmpeg (through PyAV) for everything else: WAV, FLAC, OGG, M4A and untagged MP3s.
Whichever refuses a file, the other gets a try. Both stop at `max_seconds`: a compressed file
can hold hours of audio in a megabyte, and decoding it all only to refuse it costs seconds.

numpy (and libsndfile, PyAV) are imported by the functions that decode or measure, so that
importing this module, as web processes do for DecodeError and these names, stays cheap.
"""
from __future__ import annotations

import errno
import io
import itertools
import math
import os
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    import numpy as np

WAVEFORM_POINTS = 200  # bars in a track's waveform

Source = str | os.PathLike | bytes | BinaryIO


class DecodeError(ValueError):
    """Neither decoder could read the file as audio."""


def decode(source: Source, *, max_seconds: float | None = None) -> tuple[np.ndarray, int]:
    """(float32 samples [channels, n], sample rate) of a file: a path, its bytes, or an open
    binary file read from its start. With `max_seconds`, at most that much from the start,
    and no more of the file is decoded than that needs."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(source)
    elif not hasattr(source, "read"):
        source = os.fspath(source)
        if not os.path.exists(source):  # a missing file is not bad audio (a 404, not a 500)
            raise FileNotFoundError(errno.ENOENT, "No such audio file", source)
    decoders = (_by_libsndfile, _by_ffmpeg) if _starts_with_length_frame(source) \
        else (_by_ffmpeg, _by_libsndfile)
    problems = []
    for by in decoders:
        try:
            return by(_rewound(source), max_seconds)
        except DecodeError as problem:
            problems.append(str(problem))
    raise DecodeError("; ".join(problems))


def peaks(samples: np.ndarray, count: int = WAVEFORM_POINTS) -> list[float]:
    """`count` levels for a waveform, each the loudest sample of its stretch in any channel,
    scaled so that the loudest is 1; samples are [channels, n]."""
    import numpy as np

    loudest = np.max(np.abs(np.atleast_2d(samples)), axis=0)
    if len(loudest) == 0:
        return [0.0] * count
    starts = np.linspace(0, len(loudest), count + 1).astype(int)[:-1]
    levels = np.maximum.reduceat(loudest, np.minimum(starts, len(loudest) - 1))
    levels = np.clip(levels / max(float(levels.max()), 1e-9), 0, 1)
    return [round(float(v), 4) for v in levels]


def _by_libsndfile(source, max_seconds: float | None) -> tuple[np.ndarray, int]:
    import numpy as np
    import soundfile

    try:
        with soundfile.SoundFile(source) as file:
            frames = file.frames
            if max_seconds is not None:
                frames = min(frames, _count(max_seconds, file.samplerate))
            data = file.read(frames, dtype="float32", always_2d=True)
            return np.ascontiguousarray(data.T), int(file.samplerate)
    except (RuntimeError, ValueError, OSError) as problem:  # LibsndfileError is a RuntimeError
        raise DecodeError(f"libsndfile: {problem}") from problem


def _by_ffmpeg(source, max_seconds: float | None) -> tuple[np.ndarray, int]:
    import av
    import numpy as np

    chunks, decoded, rate = [], 0, 0
    try:
        with av.open(source) as container:
            if not container.streams.audio:
                raise ValueError("no audio stream")
            stream = container.streams.audio[0]
            # Planar float in the file's own layout and rate: FFmpeg scales every sample format.
            to_float = av.AudioResampler(format="fltp")
            for frame in itertools.chain(container.decode(stream), [None]):  # None: flush
                for out in to_float.resample(frame):
                    chunks.append(out.to_ndarray())
                    decoded += out.samples
                    rate = out.sample_rate
                if max_seconds is not None and rate and decoded >= _count(max_seconds, rate):
                    break
            rate = rate or stream.codec_context.sample_rate or stream.rate
            channels = stream.codec_context.channels or 1
    except (av.FFmpegError, ValueError, OSError, EOFError) as problem:
        raise DecodeError(f"FFmpeg: {problem}") from problem
    if not rate:
        raise DecodeError("FFmpeg: no sample rate")
    if not chunks:
        return np.zeros((channels, 0), np.float32), int(rate)
    samples = np.concatenate(chunks, axis=1)
    if max_seconds is not None:
        samples = samples[:, :_count(max_seconds, rate)]
    return np.ascontiguousarray(samples), int(rate)


def _count(seconds: float, rate: int) -> int:
    return math.ceil(seconds * rate)


def _rewound(source):
    if hasattr(source, "seek"):
        source.seek(0)
    return source


def _starts_with_length_frame(source) -> bool:
    """Whether the file is an MP3 whose first frame, after any ID3 tag, is a Xing/Info frame
    (which says how many frames follow, and the LAME tag the gapless delay and padding)."""
    def read(at: int, size: int) -> bytes:
        if isinstance(source, str):
            with open(source, "rb") as file:
                file.seek(at)
                return file.read(size)
        source.seek(at)
        return source.read(size)

    try:
        head = read(0, 10)
        at = 0
        if head[:3] == b"ID3" and len(head) == 10:
            size = sum((b & 0x7F) << 7 * (3 - i) for i, b in enumerate(head[6:10]))  # 7 bits a byte
            at = 10 + size + (10 if head[5] & 0x10 else 0)  # a footer follows when flagged
        frame = read(at, 64)  # the tag sits after the side information: 13 to 40 bytes in
    except OSError:
        return False
    return (len(frame) == 64 and frame[0] == 0xFF and frame[1] & 0xE0 == 0xE0
            and (b"Xing" in frame or b"Info" in frame))
