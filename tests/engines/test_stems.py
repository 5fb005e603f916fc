"""A local take's stems are its own parts, rendered again and mastered with the take's gains:
they sum back to the WAV master the take was given when it was made."""
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from studio.engines.base import EngineError
from studio.engines.local.stems import separate
from studio.generation.jobs import engine_request
from studio.generation.rules import GenerationRequest
from tests.engines.conftest import run_engine

SUNG = {"customMode": True, "instrumental": False, "model": "V4_5", "title": "River",
        "prompt": "[Verse]\nHold the night, my friend!\nWe walk along the river\n[Chorus]\nShine on me"}


def db(x: float) -> float:
    return 10 * np.log10(max(x, 1e-30))


@pytest.mark.parametrize("style", ["lofi hip hop, piano", "rock, guitar, 120 bpm"])
def test_stems_sum_to_the_takes_master_within_60_db(tmp_path, style):
    params = {**SUNG, "style": style, "_duration": 20.0}
    sink = run_engine(tmp_path / "take", params=params, wav=True, seed=5)
    for take in sink.takes:
        master, rate = sf.read(str(take.wav_path), dtype="float32", always_2d=True)
        request = engine_request(GenerationRequest.from_params("generate", params), seed=5,
                                 workdir=tmp_path / "again")
        stems = separate(request, take.index)
        stems.pop("_mix")
        assert {"vocals", "drums", "bass"} <= set(stems)
        total = np.sum(list(stems.values()), axis=0).T
        assert total.shape == master.shape
        residual = db(np.mean((total - master) ** 2) / np.mean(master ** 2))
        assert residual < -60, residual
        # Each stem is a real part, not a share of the mix: the voice is loud where it sings
        # and the drums are not the voice.
        for name, stem in stems.items():  # the lo-fi crackle (fx) is quiet by design
            assert db(np.mean(stem ** 2) / np.mean(master ** 2)) > (-60 if name == "fx" else -40), name
        vocal, drums = stems["vocals"].mean(axis=0), stems["drums"].mean(axis=0)
        corr = float(np.dot(vocal, drums) / np.sqrt(np.dot(vocal, vocal) * np.dot(drums, drums)))
        assert abs(corr) < 0.2, corr


def test_only_songs_the_engine_composed_whole_can_be_separated(tmp_path):
    request = engine_request(GenerationRequest.from_params("extend", {
        "defaultParamFlag": False, "audioId": "x"}), seed=1, workdir=Path(tmp_path))
    with pytest.raises(EngineError, match="can separate only songs it composed itself"):
        separate(request, 0)


def test_a_loops_stems_are_wrapped_as_it_is_and_sum_to_its_master(tmp_path):
    """sounds: a loop's tail is laid over its first bar after the parts are mixed; the wrap
    is linear, so each stem is wrapped alike and mastered with the loop (three copies, the
    middle kept), and the stems sum to the loop's WAV master."""
    params = {"prompt": "deep house groove, warm bass", "style": "deep house groove, warm bass",
              "model": "V5", "instrumental": True, "soundLoop": True, "soundTempo": 120}
    sink = run_engine(tmp_path / "take", mode="sounds", params=params, wav=True, seed=3)
    for take in sink.takes:
        master, rate = sf.read(str(take.wav_path), dtype="float32", always_2d=True)
        assert len(master) == 8 * 2 * rate  # 8 bars of 2 s
        request = engine_request(GenerationRequest.from_params("sounds", params), seed=3,
                                 workdir=tmp_path / "again")
        stems = separate(request, take.index)
        stems.pop("_mix")
        assert {"drums", "bass"} <= set(stems) and "vocals" not in stems
        total = np.sum(list(stems.values()), axis=0).T
        assert total.shape == master.shape
        assert db(np.mean((total - master) ** 2) / np.mean(master ** 2)) < -60
