"""studio.mp3: what two independent decoders (mpg123 through libsndfile, FFmpeg through PyAV)
and mutagen's tag parser read back from our MP3s — exact length, no shift, the LAME tag."""
from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf
from mutagen.mp3 import MP3

from studio import mp3
from tests.audio import decode as ffmpeg_decode

# MP3 encoding, decoded back: no row, no job (.ci/run runs it once, in the SQLite pass)
pytestmark = pytest.mark.db_agnostic

SR = 44100


def music(seconds: float, rate: int = SR, seed: int = 0) -> np.ndarray:
    """Plucked notes with a click at a known place, so any shift shows."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    t = np.arange(n) / rate
    x = np.zeros((2, n))
    for start in np.arange(0.05, seconds, 0.25):
        f = 220 * 2 ** (rng.integers(0, 12) / 12)
        env = np.where(t >= start, np.exp(-(t - start) * 6), 0.0)
        x[0] += 0.3 * env * np.sin(2 * np.pi * f * t)
        x[1] += 0.25 * env * np.sin(2 * np.pi * f * 1.5 * t)
    return x.astype(np.float32)


def best_lag(a: np.ndarray, b: np.ndarray, reach: int = 3000) -> int:
    a, b = a[reach:reach + 40000], b[reach:reach + 40000]
    lags = range(-reach, reach + 1, 1)
    # coarse by correlation over a window; exact enough to see the 1105-sample LAME/decoder delay
    scores = [float(np.dot(a, np.roll(b, lag))) for lag in lags]
    return list(lags)[int(np.argmax(scores))]


@pytest.mark.parametrize("seconds", [3.0, 10.0 + 123 / SR])
def test_both_decoders_return_exactly_the_encoded_samples(tmp_path, seconds):
    x = music(seconds)
    path = tmp_path / "a.mp3"
    data = mp3.write(path, x)
    assert path.read_bytes() == data and not list(tmp_path.glob("*.part"))

    via_mpg123, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    via_ffmpeg, rate2 = ffmpeg_decode(path)
    assert rate == rate2 == SR
    for decoded in (via_mpg123, via_ffmpeg):
        assert decoded.shape == (x.shape[1], 2)  # gapless: the LAME tag's delay and padding honoured
        assert best_lag(decoded[:, 0], x[0]) == 0
        err = decoded.T - x
        snr = 10 * np.log10(np.sum(x ** 2) / np.sum(err ** 2))
        assert snr > 20, snr  # the same music, not merely the same length


def test_info_tag_is_well_formed(tmp_path):
    x = music(5.0)
    data = mp3.encode(x)
    frame = data[: 144 * mp3.KBPS * 1000 // SR]
    assert frame[36:40] == b"Info" and frame[156:165] == b"LAME3.100"
    assert int.from_bytes(frame[190:192], "big") == mp3._crc16(frame[:190])
    frames = int.from_bytes(frame[44:48], "big")
    assert frames == mp3._frame_count(data[len(frame):], SR)
    delay_padding = int.from_bytes(frame[177:180], "big")
    assert delay_padding >> 12 == mp3.ENCODER_DELAY
    assert frames * mp3.SAMPLES_PER_FRAME - (delay_padding >> 12) - (delay_padding & 0xFFF) == x.shape[1]
    path = tmp_path / "t.mp3"
    path.write_bytes(data)
    info = MP3(str(path)).info  # mutagen reads the tag as any player would
    assert info.bitrate == mp3.KBPS * 1000
    assert info.length == pytest.approx(x.shape[1] / SR, abs=0.001)


def test_mono_and_48k_also_round_trip():
    x = music(2.0, rate=48000)[:1]
    data = mp3.encode(x, 48000)
    decoded, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    assert rate == 48000 and decoded.shape == (x.shape[1], 1)


def test_unsupported_input_is_refused():
    with pytest.raises(ValueError, match="22050"):
        mp3.encode(np.zeros((2, 100), dtype=np.float32), 22050)
    with pytest.raises(ValueError, match="channels"):
        mp3.encode(np.zeros((3, 100), dtype=np.float32))
    with pytest.raises(ValueError, match="no samples"):
        mp3.encode(np.zeros((2, 0), dtype=np.float32), out=lambda piece: None)


@pytest.mark.parametrize("rate, channels", [(44100, 2), (44100, 1), (48000, 2), (32000, 1)])
def test_the_head_is_known_before_the_audio_so_a_stream_is_the_file(rate, channels):
    """The Info tag goes out first, computed from the sample count alone; the streamed pieces
    put together are byte for byte the finished file, at every length around frame edges."""
    rng = np.random.default_rng(1)
    for n in (1, 575, 576, 577, 1151, 1152, 1153, 2879, 2880, 44100, 65535, 65536, 65537, 262_144, 299_970,
              300_001, 5_292_000 if channels == 2 and rate == 44100 else 7):
        audio = (rng.standard_normal((channels, n)) * 0.1).astype(np.float32)
        pieces = []
        data = mp3.encode(audio, rate, out=pieces.append)
        assert b"".join(pieces) == data, (rate, channels, n)
        assert len(pieces) > 1 and len(pieces[0]) == 144 * mp3.KBPS * 1000 // rate  # the tag alone first
        stream = data[len(pieces[0]):]
        assert mp3._frame_count(stream, rate) == mp3.frames_for(n)
        assert len(stream) == mp3.stream_size(mp3.frames_for(n), rate)


def test_a_long_take_streams_in_pieces_of_seconds():
    audio = music(20.0)
    pieces = []
    mp3.encode(audio, SR, out=pieces.append)
    # the tag, then the first 1.5 s on their own, then the rest in pieces of a few seconds
    sizes = [len(p) for p in pieces[1:]]
    seconds = [s * 8 / (mp3.KBPS * 1000) for s in sizes]
    assert 1.0 < seconds[0] < 2.0 and len(pieces) >= 5 and max(seconds) < 7.0
