"""MP3 encoding: LAME through lameenc, with a LAME "Info" tag so every decoder is gapless.

Why lameenc rather than pedalboard's writer: at CBR 192 kbps with LAME's fast algorithm
(quality 7) it encodes 120 s of stereo in about 0.45 s against 0.8–1.1 s, and it releases
the GIL while it works. What it lacks is the tag LAME writes at the head of a file: the
encoder delay (576 samples) and the end padding that decoders (mpg123, FFmpeg, browsers)
trim, so the decoded audio is exactly the samples encoded — which extension seams, stitched
songs and tests measuring durations rely on. The tag is a silent first frame whose side
information is zero (a decoder that ignores it plays 26 ms of silence) carrying "Info"
(CBR's Xing header: frame count, byte count, a linear seek table) and the LAME extension
with delay/padding, protected by a CRC-16.
"""
from __future__ import annotations

import logging
import os
import struct
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

KBPS = 192
QUALITY = 7  # LAME's algorithm quality: 7 is its fast path, transparent enough at 192 kbps
ENCODER_DELAY = 576  # samples LAME puts before the audio (at 44.1/48 kHz, no resampling)
SAMPLES_PER_FRAME = 1152  # MPEG-1 Layer III
_BITRATES = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_RATES = (44100, 48000, 32000)
CHUNK = 1 << 18  # samples per call into the encoder: bounds the int16 copy to about 1 MB
FIRST_CHUNK = 1 << 16  # the first 1.5 s go out on their own, so a stream starts sooner


def _crc16(data: bytes) -> int:
    """CRC-16/ARC (polynomial 0x8005, reflected), as the LAME tag specifies."""
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def frames_for(samples: int) -> int:
    """How many frames LAME's CBR stream has for `samples` input samples: the 576-sample
    delay plus the end padding always come to one frame more than the audio needs (checked
    against the encoder in the tests, from 1 sample to 10 minutes)."""
    return -(-samples // SAMPLES_PER_FRAME) + 1


def stream_size(frames: int, rate: int) -> int:
    """Bytes of `frames` CBR frames. A frame is 144·bitrate/rate bytes, whole; LAME carries
    the fraction in a counter that starts one fraction up (lame_init_params sets slot_lag to
    it) and pads a frame by a byte each time the counter goes below zero — so the first
    frame is never padded and, after it, ⌈(frames − 1)·fraction⌉ frames are."""
    size, rem = divmod(144 * KBPS * 1000, rate)
    return size * frames + (max(frames - 1, 0) * rem + rate - 1) // rate


def _frame_count(stream: bytes, rate: int) -> int:
    """Count the MPEG-1 Layer III frames of a CBR stream by walking their headers."""
    i = count = 0
    while i + 4 <= len(stream):
        if stream[i] != 0xFF or stream[i + 1] & 0xE0 != 0xE0:
            raise ValueError(f"lost MP3 frame sync at byte {i}")
        kbps = _BITRATES[stream[i + 2] >> 4]
        i += 144 * kbps * 1000 // rate + ((stream[i + 2] >> 1) & 1)
        count += 1
    if i != len(stream):
        raise ValueError("truncated MP3 frame")
    return count


def _info_frame(header: bytes, frames: int, audio_bytes: int, samples: int, rate: int) -> bytes:
    size = 144 * KBPS * 1000 // rate
    padding = frames * SAMPLES_PER_FRAME - ENCODER_DELAY - samples
    if not 0 <= padding < 4096 or not 0 <= ENCODER_DELAY < 4096:
        raise ValueError("MP3 delay/padding out of the LAME tag's range")
    total = size + audio_bytes
    f = bytearray(size)
    f[0:4] = bytes((header[0], header[1], header[2] & 0xFD, header[3]))  # same format, no padding slot
    o = 4 + (17 if header[3] >> 6 == 3 else 32)  # after the header and the (zero) side information
    f[o:o + 4] = b"Info"
    struct.pack_into(">III", f, o + 4, 0x0F, frames, total)  # frames, bytes, TOC and quality present
    f[o + 16:o + 116] = bytes(i * 256 // 100 for i in range(100))  # CBR: a linear seek table
    struct.pack_into(">I", f, o + 116, 100 - QUALITY * 10)
    lame = o + 120
    f[lame:lame + 9] = b"LAME3.100"
    f[lame + 9] = 0x01  # tag revision 0, CBR
    f[lame + 10] = 195  # lowpass / 100 Hz (informational)
    f[lame + 20] = min(KBPS, 255)
    f[lame + 21:lame + 24] = bytes((ENCODER_DELAY >> 4, (ENCODER_DELAY & 0xF) << 4 | padding >> 8, padding & 0xFF))
    struct.pack_into(">I", f, lame + 28, total)
    struct.pack_into(">H", f, lame + 34, _crc16(bytes(f[:lame + 34])))  # CRC of everything before it
    return bytes(f)


def encode(audio: np.ndarray, rate: int = 44100, out=None) -> bytes:
    """(channels, samples) float audio in [-1, 1] → a gapless CBR MP3 as bytes.

    With `out` (a callable taking bytes), the file is also handed over piece by piece while it
    is encoded, head first: a player can start on the first seconds while the rest is still
    being encoded. The head (the Info tag) is computed from the sample count before the audio
    exists, and checked against the finished stream; the returned bytes are the whole file."""
    import lameenc

    audio = np.atleast_2d(audio)
    channels, n = audio.shape
    if channels not in (1, 2):
        raise ValueError("MP3 holds one or two channels")
    if rate not in _RATES:
        raise ValueError(f"MP3 (MPEG-1) needs 32, 44.1 or 48 kHz, not {rate}")
    if n == 0:
        raise ValueError("no samples to encode")
    enc = lameenc.Encoder()
    enc.set_bit_rate(KBPS)
    enc.set_in_sample_rate(rate)
    enc.set_channels(channels)
    enc.set_quality(QUALITY)
    out_buf = bytearray()
    head = None
    frames = frames_for(n)
    s = 0
    while s < n or head is None:
        step = FIRST_CHUNK if s == 0 else CHUNK
        block = np.clip(audio[:, s:s + step], -1.0, 1.0) * 32767.0
        s += step
        pcm = np.empty((block.shape[1], channels), dtype=np.int16)
        pcm[:] = np.rint(block.T)
        piece = enc.encode(pcm.tobytes()) if pcm.size else b""
        if s >= n:
            piece += enc.flush()
        if head is None and len(out_buf) + len(piece) >= 4:
            first = bytes(out_buf + piece)[:4]
            head = _info_frame(first, frames, stream_size(frames, rate), n, rate)
            if out is not None:
                out(head)
                if out_buf:
                    out(bytes(out_buf))
        out_buf += piece
        if out is not None and head is not None and piece:
            out(piece)
        if s >= n and head is None:
            raise ValueError("the encoder returned no MP3 frames")
    stream = bytes(out_buf)
    actual = _info_frame(stream[:4], _frame_count(stream, rate), len(stream), n, rate)
    if actual != head:  # the prediction missed: the file is right, a streamed copy's head is not
        log.warning("MP3 head predicted wrong (%d samples); streamed copies differ in the tag", n)
    return actual + stream
def write(path: Path, audio: np.ndarray, rate: int = 44100) -> bytes:
    """Encode to `path` through a temporary name (a reader never sees half a file); returns
    the bytes written, so a caller can verify them without reading the file back."""
    data = encode(audio, rate)
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return data
