"""A boosted style is heard: rendered by the local engine, its stated bpm is the measured
tempo whatever the seed, where the short style's tempo was the seed's to choose."""
import re

from studio.engines.local.style import boost_style

from .conftest import decode, librosa_tempo, run_engine


def measured_tempo(tmp_path, style, seed):
    song = run_engine(tmp_path / f"{len(style)}-{seed}", params={
        "customMode": True, "instrumental": True, "style": style, "title": "Boost",
        "_duration": 16}, seed=seed)
    data, sr = decode(song.takes[0].audio_path)
    return librosa_tempo(data, sr)


def off_by(tempo, target):
    """Relative distance, forgiving the tracker's half- and double-time readings."""
    return min(abs(t - target) for t in (tempo, tempo / 2, tempo * 2)) / target


def test_the_boosted_bpm_is_what_plays_and_the_short_style_played_otherwise(tmp_path):
    short = "sad piano"
    boosted = boost_style(short)
    bpm = float(re.search(r"(\d+) bpm", boosted).group(1))
    for seed in (1, 2):
        assert off_by(measured_tempo(tmp_path, boosted, seed), bpm) <= 0.03
    # Seed 1's own reading of the short style is 89 bpm: audibly another song.
    assert off_by(measured_tempo(tmp_path, short, 1), bpm) > 0.10
