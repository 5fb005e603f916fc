"""The music video as a file (studio/video.py): H.264 + AAC in MP4 that decodes, lasts as
long as the song, carries the song's audio, shows a waveform that moves while the cover
stands still, and draws each lyric line while it is sung, the sung words in the accent
colour. Measured by decoding the file with PyAV."""
import av
import numpy as np
import pytest
from PIL import Image

from studio import video
from tests.audio import decode
from tests.video import (
    LINE,
    RATE,
    SECONDS,
    accent_pixels,
    aligned_correlation,
    bright,
    dimmed,
    frame_at,
    frames_of,
    lyric_band,
    rows,
    song_samples,
)

# the video file is made and decoded here: no row, no job (.ci/run runs it once, in the SQLite pass)
pytestmark = pytest.mark.db_agnostic

BLUE = (40, 90, 230)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    samples = song_samples()
    song = video.Song(samples=samples, rate=RATE, title="River", author="Ada",
                      domain="studio.example", cover=Image.new("RGB", (256, 256), BLUE),
                      lines=[LINE])
    path = tmp_path_factory.mktemp("video") / "river.mp4"
    shares = []
    duration = video.render(song, path, progress=shares.append)
    return {"path": path, "samples": samples, "duration": duration, "shares": shares,
            "frames": frames_of(path)}


def test_the_file_holds_h264_video_and_aac_audio_as_long_as_the_song(made):
    with av.open(str(made["path"])) as container:
        [picture] = container.streams.video
        [sound] = container.streams.audio
        assert picture.codec_context.name == "h264"
        assert (picture.codec_context.width, picture.codec_context.height) == (640, 640)
        assert sound.codec_context.name == "aac"
        assert sound.codec_context.sample_rate == RATE and sound.codec_context.channels == 2
        assert abs(container.duration / 1e6 - SECONDS) < 0.1
    assert made["duration"] == pytest.approx(SECONDS)
    assert len(made["frames"]) == pytest.approx(SECONDS * video.FPS, abs=1)
    assert abs(made["frames"][-1][0] - SECONDS) < 0.1
    assert made["shares"][-1] == 1.0 and made["shares"] == sorted(made["shares"])


def test_the_sound_is_the_songs_own(made):
    heard, rate = decode(made["path"])
    assert rate == RATE
    assert abs(len(heard) / rate - SECONDS) < 0.1
    correlation, lag = aligned_correlation(heard[:, 0], made["samples"][0])
    assert abs(lag) <= RATE * 0.005  # in step with the song, within 5 ms
    assert correlation > 0.95, (correlation, lag)


def test_the_waveform_moves_while_the_cover_stands_still(made):
    early, later = frame_at(made["frames"], 1.0), frame_at(made["frames"], 1.6)
    wave_change = np.abs(rows(early, 0.63, 0.77) - rows(later, 0.63, 0.77)).mean()
    cover_change = np.abs(rows(early, 0.05, 0.5) - rows(later, 0.05, 0.5)).mean()
    assert wave_change > 8 and cover_change < 1.5, (wave_change, cover_change)
    # Every second of the song looks different there: nothing is a frozen picture.
    bands = [rows(frame_at(made["frames"], t), 0.63, 0.77) for t in (0.5, 1.5, 2.5, 3.5, 4.5)]
    assert all(np.abs(x - y).mean() > 4 for x, y in zip(bands, bands[1:], strict=False))


def test_a_line_is_drawn_while_it_is_sung_and_gone_in_the_instrumental_after(made):
    sung, gap = lyric_band(frame_at(made["frames"], 1.6)), lyric_band(frame_at(made["frames"], 4.0))
    assert bright(sung) > 400 and bright(gap) < 20, (bright(sung), bright(gap))
    # Before it is sung it shows dimmed, as the line to come.
    ahead = lyric_band(frame_at(made["frames"], 0.3))
    assert dimmed(ahead) > 400 and bright(ahead) < 20 and dimmed(gap) < 20


def test_the_sung_words_turn_the_accent_colour_word_by_word(made):
    start, middle, end = (accent_pixels(lyric_band(frame_at(made["frames"], t))) for t in (1.05, 1.6, 2.3))
    assert start < middle < end, (start, middle, end)
    assert end > 300


def test_an_instrumental_without_a_cover_still_makes_a_video(tmp_path):
    path = tmp_path / "plain.mp4"
    video.render(video.Song(samples=song_samples(1.0)[:1], rate=RATE), path)
    with av.open(str(path)) as container:
        assert len(container.streams.video) == len(container.streams.audio) == 1
        assert abs(container.duration / 1e6 - 1.0) < 0.1
    frame = frames_of(path)[10][1].astype(np.int32)
    assert bright(lyric_band(frame)) < 20  # no lyrics, no text where they would be


def test_the_author_and_the_site_name_are_drawn_when_given(tmp_path):
    def first_frame(**fields):
        path = tmp_path / f"{len(fields)}.mp4"
        video.render(video.Song(samples=song_samples(0.5), rate=RATE, title="River",
                                cover=Image.new("RGB", (64, 64), BLUE), **fields), path)
        return frames_of(path)[0][1].astype(np.int32)

    plain, signed = first_frame(), first_frame(author="Ada Lovelace", domain="music.example.com")
    author_rows = (0.58, 0.62)  # under the title
    corner = np.s_[int(0.95 * 640):, int(0.6 * 640):]  # the bottom right
    assert bright(rows(signed, *author_rows)) + dimmed(rows(signed, *author_rows)) > 100
    assert bright(rows(plain, *author_rows)) + dimmed(rows(plain, *author_rows)) < 10
    assert np.abs(signed[corner] - plain[corner]).mean() > 3
    assert np.abs(rows(signed, 0.05, 0.5) - rows(plain, 0.05, 0.5)).mean() < 1.5  # same cover
