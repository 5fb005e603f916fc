"""Measuring audio in tests, with a decoder independent of the engine's encoder."""
from __future__ import annotations

import av
import numpy as np


def decode(path) -> tuple[np.ndarray, int]:
    """(samples as float32 [n, channels], sample rate), decoded by FFmpeg through PyAV."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        resampler = av.AudioResampler(format="flt", layout="stereo", rate=rate)
        chunks = []
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1, 2))
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1, 2))
    return np.concatenate(chunks), rate


def duration(path) -> float:
    samples, rate = decode(path)
    return len(samples) / rate


def rms_dbfs(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(samples))) + 1e-12))
