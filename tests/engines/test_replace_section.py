"""Replace section in the local engine: a window made again with new words, everything
outside it kept bit for bit, seams without clicks, the take as long as its source.

Measured on the take's WAV master (the lossless audio the library's WAV download serves) and
on the decoded MP3, against the source's own decoded MP3 written to PCM as its WAV download
writes it."""
from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf

from studio.audio import decode as studio_decode
from studio.engines.local.replace import WINDOW_CROSSFADE_SECONDS
from studio.generation.rules import Context, Source, validate

from .conftest import decode, integrated_lufs, run_engine, run_request, source_from

START, END = 8.6, 17.4
SOURCE_WORDS = ("[Verse]\nHold the night a little longer\nCity lights are burning slow\n"
                "Every window tells a story\nEvery story lets me go\n"
                "[Chorus]\nStay with me until the morning\nStay with me and let it show\n")
NEW_WORDS = "[Verse]\nPaper boats along the river\nCarry all the words we know\n"


@pytest.fixture(scope="module")
def sung_source(tmp_path_factory):
    return run_engine(tmp_path_factory.mktemp("replace-src"), params={
        "customMode": True, "title": "Night Lights", "style": "synth pop, 110 bpm",
        "prompt": SOURCE_WORDS, "model": "V4_5", "_duration": 28}, seed=5).takes[0]


@pytest.fixture(scope="module")
def replaced(sung_source, tmp_path_factory):
    request = validate("replace_section", {
        "taskId": "t", "audioId": "a", "prompt": NEW_WORDS, "tags": sung_source.style,
        "title": "Night Lights (new verse)", "infillStartS": START, "infillEndS": END},
        Context(source=Source(sung_source.duration)))
    sink = run_request(tmp_path_factory.mktemp("replace"), request, seed=9,
                       source=source_from(sung_source))
    return sung_source, sink


def _as_downloaded_wav(mp3_path) -> np.ndarray:
    """The source as the library's WAV download makes it: decoded, written to PCM 16."""
    samples, rate = studio_decode(mp3_path)
    buffer = io.BytesIO()
    sf.write(buffer, samples.T, rate, subtype="PCM_16", format="WAV")
    buffer.seek(0)
    return sf.read(buffer, dtype="int16", always_2d=True)[0]


def test_the_take_keeps_the_source_bit_for_bit_outside_the_window(replaced):
    source, sink = replaced
    take = sink.takes[0]
    kept = _as_downloaded_wav(source.audio_path)
    made = sf.read(str(take.wav_path), dtype="int16", always_2d=True)[0]
    a, b = round(START * 44100), round(END * 44100)
    assert made.shape == kept.shape
    assert np.array_equal(made[:a], kept[:a])
    assert np.array_equal(made[b:], kept[b:])
    # the MP3 is an encoding of that master: close to the source's own outside the window
    src, sr = decode(source.audio_path)
    mp3, _ = decode(take.audio_path)
    outside = np.r_[0:a - 2048, b + 2048:len(src)]
    error = mp3[outside] - src[outside]
    assert 10 * np.log10(np.sum(src[outside] ** 2) / np.sum(error ** 2)) > 20


def test_the_window_is_new_music(replaced):
    source, sink = replaced
    kept = _as_downloaded_wav(source.audio_path).astype(np.float32)
    made = sf.read(str(sink.takes[0].wav_path), dtype="int16", always_2d=True)[0].astype(np.float32)
    a, b = round(START * 44100), round(END * 44100)
    x, y = kept[a:b, 0], made[a:b, 0]
    correlation = np.corrcoef(x, y)[0, 1]
    assert abs(correlation) < 0.5
    # and as loud as the music around it, not a hole or a blast
    sr = 44100
    around = np.concatenate([kept[a - 6 * sr:a], kept[b:b + 6 * sr]]) / 32768
    assert integrated_lufs(made[a:b] / 32768, sr) == pytest.approx(integrated_lufs(around, sr), abs=3)


def test_the_seams_do_not_click(replaced):
    """Across each crossfade (inside the window, at its edges) no step between samples is
    far above the steps of the music within two seconds of it."""
    _source, sink = replaced
    made, sr = decode(sink.takes[0].wav_path)
    fade = int(WINDOW_CROSSFADE_SECONDS * sr)
    a, b = round(START * sr), round(END * sr)
    for channel in (0, 1):
        jumps = np.abs(np.diff(made[:, channel]))
        for lo, hi in ((a - 64, a + fade + 64), (b - fade - 64, b + 64)):
            local = np.concatenate([jumps[lo - 2 * sr:lo], jumps[hi:hi + 2 * sr]])
            assert jumps[lo:hi].max() <= 1.2 * np.percentile(local, 99.9)


def test_each_edge_of_the_window_steps_as_the_source_steps_there(replaced):
    """The window's first and last samples are the source's own (the fades start and end on
    it), so the step into and out of the window is the step the source had: no jump."""
    source, sink = replaced
    kept = _as_downloaded_wav(source.audio_path).astype(np.int32)
    made = sf.read(str(sink.takes[0].wav_path), dtype="int16", always_2d=True)[0].astype(np.int32)
    for edge in (round(START * 44100), round(END * 44100)):
        step_made = made[edge] - made[edge - 1]
        step_kept = kept[edge] - kept[edge - 1]
        assert np.abs(step_made - step_kept).max() <= 2  # PCM 16 steps


def test_the_take_is_as_long_as_its_source(replaced):
    source, sink = replaced
    src, sr = decode(source.audio_path)
    for take in sink.takes:
        mp3, _ = decode(take.audio_path)
        assert len(mp3) == len(src)
        assert take.duration == pytest.approx(source.duration, abs=1e-3)


def test_the_new_words_are_sung_inside_the_window_and_the_old_ones_around_it(replaced):
    source, sink = replaced
    take = sink.takes[0]
    lines = take.analysis["lyrics_timing"]["lines"]
    inside = [line["text"] for line in lines if START <= line["start"] < END]
    assert "Paper boats along the river" in inside
    kept = [line for line in source.analysis["lyrics_timing"]["lines"] if line["end"] <= START]
    assert kept and lines[:len(kept)] == kept
    after = [line for line in source.analysis["lyrics_timing"]["lines"] if line["start"] >= END]
    assert after and lines[-len(after):] == after
    assert "Paper boats along the river" in take.lyrics and "Hold the night" in take.lyrics
    assert take.analysis["replaced"] == [START, END]
    assert take.analysis["tempo"] == source.analysis["tempo"]
