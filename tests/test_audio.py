"""studio.audio: every file Studio reads comes out as [channels, samples] at its own rate, our
own MP3s exactly as encoded, a long file only as far as asked, and one waveform for all."""
from __future__ import annotations

import io

import av
import numpy as np
import pytest
import soundfile

from studio import audio, mp3
from studio.generation import uploads
from studio.generation.models import Upload
from tests.factories import audio_bytes
from tests.test_mp3 import music

SR = 44100
TWO_HOURS = 2 * 60 * 60


class FurthestRead(io.BytesIO):
    """A file that remembers how far into it anyone has read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.furthest = 0

    def read(self, size=-1):
        data = super().read(size)
        self.furthest = max(self.furthest, self.tell())
        return data

    def readinto(self, buffer):
        count = super().readinto(buffer)
        self.furthest = max(self.furthest, self.tell())
        return count


@pytest.fixture(scope="module")
def two_hours_of_flac() -> bytes:
    """Two hours of silence, mono at 8 kHz: FLAC keeps it in under 200 KB."""
    buffer = io.BytesIO()
    with soundfile.SoundFile(buffer, "w", 8000, 1, format="FLAC") as file:
        for _ in range(TWO_HOURS // 60):
            file.write(np.zeros(8000 * 60, np.float32))
    return buffer.getvalue()


def test_our_mp3s_decode_to_exactly_the_samples_encoded_from_a_path_or_bytes(tmp_path):
    x = music(3.0 + 123 / SR)
    path = tmp_path / "take.mp3"
    data = mp3.write(path, x)
    for source in (path, data):
        samples, rate = audio.decode(source)
        assert rate == SR and samples.shape == x.shape and samples.dtype == np.float32
        err = samples - x
        assert 10 * np.log10(np.sum(x ** 2) / np.sum(err ** 2)) > 20  # no shift, same music


@pytest.mark.parametrize("fmt", ["mp3", "wav", "flac", "ogg", "m4a"])
def test_every_upload_format_decodes_to_channels_by_samples(fmt):
    samples, rate = audio.decode(audio_bytes(fmt, 3.0))
    assert rate == SR and samples.shape[0] == 1 and samples.dtype == np.float32
    assert abs(samples.shape[1] / rate - 3.0) < 0.05
    assert 0.3 < np.max(np.abs(samples)) <= 1.0


def test_an_mp3_without_a_length_frame_is_decoded_to_its_end():
    """Without a Xing/Info frame, mpg123 guesses a VBR file's length from its first frame."""
    t = np.arange(SR * 20) / SR
    noisy_at_times = np.random.default_rng(0).standard_normal(len(t)) * (t % 4 < 1)
    y = (0.2 * np.sin(2 * np.pi * 440 * t) + 0.1 * noisy_at_times).astype(np.float32)
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp3", options={"write_xing": "0"}) as out:
        stream = out.add_stream("libmp3lame", rate=SR, layout="mono")
        stream.codec_context.qscale = 4  # a variable bitrate, by quality
        stream.codec_context.flags |= av.codec.context.Flags.qscale
        for start in range(0, len(y), 1152):
            frame = av.AudioFrame.from_ndarray(y[None, start:start + 1152], format="fltp",
                                               layout="mono")
            frame.sample_rate = SR
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    samples, rate = audio.decode(buffer.getvalue())
    assert abs(samples.shape[1] / rate - 20) < 0.1


def test_decoding_stops_at_max_seconds():
    data = mp3.encode(music(4.0))
    by_libsndfile, _ = audio.decode(data, max_seconds=1.5)
    by_ffmpeg, _ = audio.decode(audio_bytes("wav", 4.0), max_seconds=1.5)
    assert by_libsndfile.shape == (2, int(1.5 * SR)) and by_ffmpeg.shape == (1, int(1.5 * SR))


def test_two_hours_of_flac_are_read_only_as_far_as_asked(two_hours_of_flac):
    file = FurthestRead(two_hours_of_flac)
    samples, rate = audio.decode(file, max_seconds=8 * 60 + 1)
    assert rate == 8000 and samples.shape == (1, (8 * 60 + 1) * 8000)
    # 8 minutes are a fifteenth of the file: reading stopped long before its end
    assert file.furthest < len(two_hours_of_flac) / 4, (file.furthest, len(two_hours_of_flac))


@pytest.mark.django_db
def test_an_upload_holding_two_hours_is_refused_and_nothing_is_kept(owner, two_hours_of_flac):
    with pytest.raises(uploads.UploadError,
                       match=r"^The audio is longer than 8:00; trim it to 8:00 or less"):
        uploads.accept(owner, io.BytesIO(two_hours_of_flac), "long.flac")
    assert not Upload.objects.exists()


def test_what_is_not_audio_is_a_decode_error():
    with pytest.raises(audio.DecodeError):
        audio.decode(b"%PDF-1.7 not a song at all" * 20)


def test_peaks_are_the_loudest_of_each_stretch_in_any_channel_with_the_loudest_at_one():
    n = SR * 2
    quiet_then_loud = np.zeros((2, n), np.float32)
    quiet_then_loud[1, : n // 2] = 0.1  # only the right channel sounds in the first half
    quiet_then_loud[0, n // 2:] = -0.4
    levels = audio.peaks(quiet_then_loud)
    assert len(levels) == audio.WAVEFORM_POINTS
    assert levels[:100] == [0.25] * 100 and levels[100:] == [1.0] * 100


def test_peaks_of_silence_or_of_a_few_samples_still_fill_the_waveform():
    assert audio.peaks(np.zeros((2, 0), np.float32), 50) == [0.0] * 50
    assert audio.peaks(np.zeros((2, 1000), np.float32), 50) == [0.0] * 50
    assert len(audio.peaks(np.ones((1, 7), np.float32), 50)) == 50
