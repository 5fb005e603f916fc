"""Helpers for engine tests: run the engine with a recording sink, and measure its audio with
tools that share nothing with the engine (librosa, pyloudnorm, soundfile)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from studio.engines.base import SourceAudio
from studio.engines.local.engine import LocalEngine
from studio.generation.jobs import engine_request
from studio.generation.rules import GenerationRequest


def pytest_collection_modifyitems(config, items):
    """The engine's tests check music and vendor calls, never a database row: they run once
    (.ci/run leaves `db_agnostic` out of its PostgreSQL + Redis pass)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.db_agnostic)


class RecordingSink:
    def __init__(self):
        self.calls = []
        self.plan = None
        self.takes = []

    def planned(self, plan):
        self.calls.append("planned")
        self.plan = plan

    def take(self, take):
        self.calls.append(f"take{take.index}")
        self.takes.append(take)


def run_engine(workdir, mode="generate", params=None, seed=1, source=None, wav=False, stream_dir=None,
               second_source=None):
    """Render a request given in the API's field names (as a generation stores it)."""
    return run_request(workdir, GenerationRequest.from_params(mode, params or {}), seed=seed, source=source,
                       wav=wav, stream_dir=stream_dir, second_source=second_source)


def run_request(workdir, request, seed=1, source=None, wav=False, stream_dir=None, second_source=None):
    """Render a validated GenerationRequest, as a job hands it to the engine."""
    workdir.mkdir(parents=True, exist_ok=True)
    sink = RecordingSink()
    LocalEngine().generate(engine_request(request, seed=seed, workdir=workdir, source=source, wav=wav,
                                          stream_dir=stream_dir, second_source=second_source), sink)
    return sink


def source_from(take) -> SourceAudio:
    return SourceAudio(path=take.audio_path, duration=take.duration, title=take.title, style=take.style,
                       lyrics=take.lyrics, analysis=take.analysis)


def decode(path):
    data, sr = sf.read(str(path), dtype="float32", always_2d=True)
    return data, sr


def integrated_lufs(data, sr):
    import pyloudnorm
    return pyloudnorm.Meter(sr).integrated_loudness(data)


def true_peak_dbtp(data):
    from scipy.signal import resample_poly
    up = resample_poly(data, 4, 1, axis=0)
    return 20 * np.log10(np.max(np.abs(up)))


def librosa_tempo(data, sr):
    import librosa
    y = data.mean(axis=1)
    env = librosa.onset.onset_strength(y=y, sr=sr, hop_length=128)
    return float(np.atleast_1d(librosa.feature.tempo(onset_envelope=env, sr=sr, hop_length=128))[0])


# Temperley (Kostka–Payne) key profiles
T_MAJOR = np.array([5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0])
T_MINOR = np.array([5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0])
NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def librosa_key(data, sr):
    import librosa
    y = data.mean(axis=1)
    harm = librosa.effects.harmonic(y)
    chroma = librosa.feature.chroma_stft(y=harm, sr=sr).mean(axis=1)
    best, key = -2, None
    for mode, prof in (("major", T_MAJOR), ("minor", T_MINOR)):
        for k in range(12):
            r = np.corrcoef(chroma, np.roll(prof, k))[0, 1]
            if r > best:
                best, key = r, (NAMES[k], mode)
    return key


@pytest.fixture(scope="session")
def house_song(tmp_path_factory):
    """One short render shared by the measuring tests (rendering is the slow part)."""
    wd = tmp_path_factory.mktemp("house")
    return run_engine(wd, params={"customMode": True, "instrumental": True, "title": "Night Drive",
                                  "style": "house, 124 bpm, in A minor", "model": "V4_5", "_duration": 30},
                      seed=11, wav=True)
