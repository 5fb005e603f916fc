"""Mashup (suno_api.md §2 row 8): two uploads made one song. The songs are made here with
numpy, at tempos and in keys known exactly, and the takes are measured with librosa: the
first song's tempo and length, and the second song's tune moved into the first one's notes."""
from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from studio.engines.base import EngineError, SourceAudio
from tests.factories import MAJOR_SCALE, MINOR_SCALE, tune_samples

from .conftest import decode, librosa_tempo, run_engine

SR = 44100
A_MINOR, MAJOR = MINOR_SCALE, MAJOR_SCALE


def tune(path, **kwargs):
    sf.write(str(path), tune_samples(**kwargs), SR)
    return path


def in_scale(path, tonic: int, scale) -> float:
    """The share of the harmonic part's chroma on the scale's pitch classes."""
    import librosa
    x, sr = decode(path)
    chroma = librosa.feature.chroma_cqt(y=librosa.effects.harmonic(x.mean(axis=1)), sr=sr)
    total = chroma.sum(axis=1)
    return float(total[[(tonic + d) % 12 for d in scale]].sum() / total.sum())


def mashup(tmp_path, first, second, *, sung=False, seed=3):
    params = {"customMode": True, "instrumental": not sung, "style": "pop", "title": "Mash",
              "model": "V4_5", "uploadUrlList": ["first", "second"]}
    if sung:
        params["prompt"] = "[Verse]\nTwo songs meet in the middle\nOne beat and one key"
    return run_engine(tmp_path / "out", mode="mashup", params=params, seed=seed,
                      source=SourceAudio(first, 30), second_source=SourceAudio(second, 40))


@pytest.fixture(scope="module")
def songs(tmp_path_factory):
    d = tmp_path_factory.mktemp("mashup")
    first = tune(d / "first.wav", bpm=120, tonic=69, scale=A_MINOR, seconds=30, seed=1)  # A minor
    second = tune(d / "second.wav", bpm=90, tonic=64, scale=MAJOR, seconds=40, seed=2)  # E major
    return d, first, second


@pytest.fixture(scope="module")
def made(songs):
    d, first, second = songs
    return mashup(d, first, second)


def test_the_first_song_sets_the_tempo_and_the_length(made):
    assert len(made.takes) == 2
    for take in made.takes:
        data, sr = decode(take.audio_path)
        assert librosa_tempo(data, sr) == pytest.approx(120, rel=0.03)
        assert 29 <= len(data) / sr <= 36  # whole bars past the first song's 30 s, and a fade
        assert np.sqrt(np.mean(data ** 2)) > 0.05


def test_the_second_song_is_heard_in_the_first_ones_key_on_its_beat(made):
    """E major at 90 BPM, under A minor at 120: moved to C major (A minor's own notes), its
    beat laid on the first's (three of its seconds in four)."""
    for take in made.takes:
        second = take.analysis["mashup"]
        assert second["tempo"] == pytest.approx(90, rel=0.02)
        assert (second["key"], second["mode"]) == ("E", "major")
        assert second["transpose"] == -4  # E to C
        assert second["time_scale"] == pytest.approx(0.75, rel=0.02)
        assert second["melody_notes"] >= 30  # a note a beat for 40 s at 90 BPM, mostly kept
    assert [t.analysis["mashup"]["tune"] for t in made.takes] == ["first", "second"]


def test_both_tunes_keep_to_the_first_songs_notes(songs, made):
    _d, first, second = songs
    as_uploaded = in_scale(second, 9, A_MINOR)  # the second song is mostly off A minor
    assert as_uploaded < 0.62
    for take in made.takes:
        assert in_scale(take.audio_path, 9, A_MINOR) > max(0.7, in_scale(first, 9, A_MINOR))


def test_the_two_takes_lead_with_different_tunes(made):
    a, _ = decode(made.takes[0].audio_path)
    b, _ = decode(made.takes[1].audio_path)
    n = min(len(a), len(b))
    assert np.corrcoef(a[:n, 0], b[:n, 0])[0, 1] < 0.5


def test_sung_mashup_sings_the_words(songs):
    d, first, second = songs
    made = mashup(d / "sung", first, second, sung=True)
    for take in made.takes:
        assert take.analysis.get("singer")
        assert take.analysis.get("lyrics_timing", {}).get("lines")


def test_a_silent_second_song_is_refused_with_a_reason(songs):
    d, first, _ = songs
    silent = d / "silent.wav"
    sf.write(str(silent), np.zeros(SR * 10, dtype=np.float32), SR)
    with pytest.raises(EngineError, match="second song is silent"):
        mashup(d / "silent", first, silent)


def test_a_second_song_without_a_tune_is_refused_with_a_reason(songs):
    d, first, _ = songs
    noise = d / "noise.wav"
    rng = np.random.default_rng(4)
    sf.write(str(noise), (0.2 * rng.standard_normal(SR * 10)).astype(np.float32), SR)
    with pytest.raises(EngineError, match="no melody"):
        mashup(d / "noise", first, noise)


def test_the_counter_line_has_a_voice_of_its_own_in_each_take(made):
    """The tune under the lead is played by an instrument the song does not play already
    (it was always a pluck, even in a song whose lead was one), and each take by another."""
    from studio.engines.local.instruments import Voices

    voices = [take.analysis["mashup"]["counter_instrument"] for take in made.takes]
    assert len(set(voices)) == 2 and set(voices) <= set(Voices.RELEASE), voices
