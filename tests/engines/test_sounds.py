"""sounds (suno_api.md §2 row 25), heard: the tempo and key asked are the measured ones; a
loop is exactly its whole bars, with no fade, and its end joins its start with no step
sharper than the music's own; a one-shot keeps its tail and fades to silence; a tempo over
what the arranger writes for plays in half time."""
from pathlib import Path

import numpy as np
import pytest

from studio.engines.local.instruments import SR
from studio.generation import rules

from .conftest import decode, integrated_lufs, librosa_key, librosa_tempo, run_request


def made(tmp_path: Path, seed=3, **fields):
    request = rules.validate(rules.SOUNDS, {"prompt": "deep house groove, warm bass",
                                            "model": "V5", **fields})
    return run_request(tmp_path, request, seed=seed).takes


def off_by(tempo, target):
    """Relative distance, forgiving the tracker's half- and double-time readings."""
    return min(abs(t - target) for t in (tempo, tempo / 2, tempo * 2)) / target


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    return made(tmp_path_factory.mktemp("loop"), soundLoop=True, soundTempo=120, soundKey="F#m")


def test_a_loop_is_its_whole_bars_at_the_tempo_and_in_the_key_asked(loop):
    for take in loop:
        data, sr = decode(take.audio_path)
        assert take.analysis["bars"] == 8 and take.analysis["loop"] is True
        assert len(data) / sr == pytest.approx(8 * 4 * 60 / 120, abs=0.005)  # 16 s, to 5 ms
        assert off_by(librosa_tempo(data, sr), 120) <= 0.03
        assert librosa_key(data, sr) == ("F#", "minor")
        assert integrated_lufs(data, sr) == pytest.approx(-14, abs=1.0)


def test_a_loops_end_joins_its_start(loop):
    for take in loop:
        data, sr = decode(take.audio_path)
        mono = data.mean(axis=1)
        steps = np.abs(np.diff(mono))
        join = abs(float(mono[0] - mono[-1]))
        # No click: the step from the last sample to the first is no sharper than the
        # music's own sharpest 1 % (mastered alone, the loop jumped by 0.3 here, nearly 4x that).
        assert join <= np.percentile(steps, 99), (join, np.percentile(steps, 99))
        # No fade: the last half second is as loud as the loop's typical half second.
        half = sr // 2
        levels = [np.sqrt(np.mean(mono[i:i + half] ** 2)) for i in range(0, len(mono) - half, half)]
        assert 20 * np.log10(levels[-1] / np.median(levels)) > -6


@pytest.mark.parametrize("seed", [1, 2, 4])
def test_a_loops_join_is_no_sharper_than_its_own_bar_lines(tmp_path, seed):
    """The join is a downbeat, heard at every bar line inside the loop too: across seeds it
    is never a sharper step than the sharpest of those (measured over 24 loops at 90, 120 and
    140 BPM: at most 0.88 of it; one join was 1.13 of the music's 99th-percentile step, so
    that bound holds for the seed above, not for every seed)."""
    for take in made(tmp_path, seed=seed, prompt="lo-fi hip hop beat", soundLoop=True,
                     soundTempo=90):
        mono = decode(take.audio_path)[0].mean(axis=1)
        steps = np.abs(np.diff(mono))
        bar, near = len(mono) // take.analysis["bars"], int(0.002 * SR)
        at_bars = [steps[k * bar - near:k * bar + near].max()
                   for k in range(1, take.analysis["bars"])]
        assert abs(float(mono[0] - mono[-1])) <= max(at_bars), (seed, take.index)


def test_the_two_takes_are_two_variations(loop):
    a, b = (decode(take.audio_path)[0] for take in loop)
    assert a.shape == b.shape and not np.allclose(a, b, atol=1e-3)


def test_a_one_shot_at_300_bpm_plays_in_half_time_and_fades_out(tmp_path):
    take = made(tmp_path, soundTempo=300, soundKey="D")[0]
    data, sr = decode(take.audio_path)
    assert take.analysis["tempo"] == 150 and take.analysis["tempo_asked"] == 300
    assert off_by(librosa_tempo(data, sr), 150) <= 0.03
    assert librosa_key(data, sr) == ("D", "major")
    bars = take.analysis["bars"]
    assert len(data) / sr == pytest.approx(bars * 4 * 60 / 150 + 2.5, abs=0.01)  # with its tail
    assert np.max(np.abs(data[-int(0.05 * sr):])) < 1e-3  # faded to silence
    assert SR == sr


def test_auto_tempo_and_any_key_are_the_descriptions(tmp_path):
    take = made(tmp_path, prompt="slow sad piano in A minor, 70 bpm", soundLoop=True)[0]
    data, sr = decode(take.audio_path)
    assert take.analysis["tempo_asked"] is None and take.analysis["key_asked"] == ""
    assert off_by(librosa_tempo(data, sr), 70) <= 0.03
    assert librosa_key(data, sr) == ("A", "minor")
    assert len(data) / sr == pytest.approx(take.analysis["bars"] * 4 * 60 / 70, abs=0.005)
