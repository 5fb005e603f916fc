"""Add vocals and upload & extend, measured on real audio.

The upload is an instrumental made with numpy at a known grid (96 bpm, first beat at 0.25 s)
and key (E minor: Em C G D): kick and bass, chords of sine tones below 250 Hz, hats above
7 kHz. Between 350 Hz and 3 kHz it is silent, so whatever sounds there in an add-vocals take
is the added voice, measured without subtracting anything (mastering changes the gain of the
whole take from moment to moment, which a subtraction would leave behind).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from scipy.signal import butter, sosfiltfilt

from studio.engines.base import SourceAudio
from studio.generation.rules import Context, Source, validate

from .conftest import NAMES, T_MAJOR, T_MINOR, decode, integrated_lufs, librosa_tempo, run_request, true_peak_dbtp

SR = 44100
BEAT = 60 / 96
START = 0.25  # the first beat
SECONDS = 20.0
E_MINOR = {4, 6, 7, 9, 11, 0, 2}  # its pitch classes (G major's)
VOCAL_BAND = (350, 3000)
LYRICS = ("[Verse]\nSoft light on the water\nwe drift along the shore\nthe tide is turning slowly\n"
          "and calling me once more\n\n[Chorus]\nHold on, hold on\nthe night is ours tonight")


def instrumental(path: Path, seconds: float = SECONDS) -> Path:
    t = np.arange(int(seconds * SR)) / SR
    y = np.zeros_like(t)
    chords = [(40, [52, 55, 59]), (36, [48, 52, 55]), (43, [50, 55, 59]), (38, [50, 54, 57])]
    bar = 4 * BEAT
    for k in range(int((seconds - START) / bar) + 1):
        root, triad = chords[k % 4]
        s, e = int((START + k * bar) * SR), min(len(t), int((START + (k + 1) * bar) * SR))
        tt = t[: e - s]
        env = np.minimum(1, tt / 0.02) * np.minimum(1, (bar - tt) / 0.02)
        for m in [root, *triad]:
            y[s:e] += 0.1 * env * np.sin(2 * np.pi * 440 * 2 ** ((m - 69) / 12) * tt)
    hats = sosfiltfilt(butter(4, 7000, "highpass", fs=SR, output="sos"),
                       np.random.default_rng(1).standard_normal(len(t)))
    for k in range(int((seconds - START) / (BEAT / 2)) + 1):
        s = int((START + k * BEAT / 2) * SR)
        n = min(int(0.25 * SR), len(t) - s)
        tt = t[:n]
        if k % 2 == 0:
            y[s:s + n] += 0.5 * np.sin(2 * np.pi * 50 * tt * (1 + np.exp(-tt * 40))) * np.exp(-tt * 14)
        y[s:s + n] += 0.15 * hats[s:s + n] * np.exp(-tt * 60)
    sf.write(str(path), (0.5 * y / np.abs(y).max()).astype(np.float32), SR)
    return path


def band(y, low, high=None):
    sos = butter(6, [low, high] if high else low, "bandpass" if high else "lowpass", fs=SR, output="sos")
    return sosfiltfilt(sos, y)


def off_grid(times, step):
    """Each time's distance (s) to the nearest line of the upload's grid of `step` seconds."""
    return np.abs((np.asarray(times) - START + step / 2) % step - step / 2)


def key_of(y):
    """The key by librosa's chroma and Temperley's profiles (no harmonic separation: these
    signals are clean, and it would cost seconds)."""
    import librosa
    chroma = librosa.feature.chroma_stft(y=y, sr=SR, hop_length=2048).mean(axis=1)
    scores = {(NAMES[k], mode): np.corrcoef(chroma, np.roll(profile, k))[0, 1]
              for mode, profile in (("major", T_MAJOR), ("minor", T_MINOR)) for k in range(12)}
    return max(scores, key=scores.get)


def sung_pitch_classes(y):
    """The pitch class of each sung frame (librosa's YIN, where the band is within 30 dB of
    its loudest)."""
    import librosa
    f0 = librosa.yin(y, fmin=200, fmax=1000, sr=SR, frame_length=2048, hop_length=512)
    rms = librosa.feature.rms(y=y, frame_length=2048, hop_length=512)[0][: len(f0)]
    voiced = rms > rms.max() * 10 ** (-30 / 20)
    return np.round(69 + 12 * np.log2(f0[voiced] / 440)).astype(int) % 12


def onsets(y):
    import librosa
    env = librosa.onset.onset_strength(y=y, sr=SR, hop_length=128)
    return librosa.onset.onset_detect(onset_envelope=env, sr=SR, hop_length=128, units="time")


@pytest.fixture(scope="module")
def upload(tmp_path_factory):
    return instrumental(tmp_path_factory.mktemp("upload") / "instrumental.wav")


@pytest.fixture(scope="module")
def with_vocals(upload, tmp_path_factory):
    request = validate("add_vocals", {"uploadUrl": "u", "prompt": LYRICS, "title": "Shore", "style": "pop",
                                      "negativeTags": "", "vocalGender": "f"}, Context(source=Source(SECONDS)))
    return run_request(tmp_path_factory.mktemp("vocals"), request, seed=3, source=SourceAudio(upload, SECONDS))


def _vocal_and_upload(take, upload):
    x, _ = decode(upload)
    y, _ = decode(take.audio_path)
    n = min(len(x), len(y)) - int(2 * SR)  # before the fade-out
    return y[:n].mean(axis=1), x[:n].mean(axis=1)


def test_the_take_is_the_upload_with_a_voice_added(with_vocals, upload):
    assert key_of(decode(upload)[0].mean(axis=1)) == ("E", "minor")  # the upload is what it claims
    for take in with_vocals.takes:
        y, x = _vocal_and_upload(take, upload)
        # the upload plays as it was: below the voice it is the same signal
        assert np.corrcoef(band(x, 250), band(y, 250))[0, 1] > 0.95
        assert np.corrcoef(x, y)[0, 1] > 0.6
        # and where it was silent, a voice now sounds: the vocal band rises by tens of dB
        gain = np.sqrt(np.sum(y ** 2) / np.sum(x ** 2))
        rise = 10 * np.log10(np.sum(band(y, *VOCAL_BAND) ** 2) / np.sum(band(gain * x, *VOCAL_BAND) ** 2))
        assert rise > 20, rise
        assert take.lyrics == LYRICS and take.title == "Shore"
        data, _ = decode(take.audio_path)
        assert integrated_lufs(data, SR) == pytest.approx(-14, abs=1) and true_peak_dbtp(data) <= -1.0
        assert take.duration == pytest.approx(SECONDS, abs=0.5)


def test_the_voice_sings_in_the_uploads_key(with_vocals, upload):
    for take in with_vocals.takes:
        y, _ = _vocal_and_upload(take, upload)
        pcs = sung_pitch_classes(band(y, *VOCAL_BAND))
        assert len(pcs) > 250  # seconds of singing, not a stray note
        assert np.isin(pcs, list(E_MINOR)).mean() > 0.9
        # the measure can fail: the same line a semitone up is mostly out of the key
        assert np.isin((pcs + 1) % 12, list(E_MINOR)).mean() < 0.6
        assert {take.analysis["key"], take.analysis["mode"]} in ({"E", "minor"}, {"G", "major"})


def test_the_voice_sings_on_the_uploads_beat(with_vocals, upload):
    for take in with_vocals.takes:
        y, _ = _vocal_and_upload(take, upload)
        sung = onsets(band(y, *VOCAL_BAND))
        assert len(sung) > 20
        assert np.mean(off_grid(sung, BEAT / 4) < 0.035) > 0.7  # on the upload's sixteenths
        # a line a thirty-second off the grid would not pass
        assert np.mean(off_grid(sung + BEAT / 8, BEAT / 4) < 0.035) < 0.4
        assert take.analysis["tempo"] == pytest.approx(96, abs=0.5)


# -- upload & extend ----------------------------------------------------------------------------

CONTINUE_AT = 12.0


@pytest.fixture(scope="module")
def extended(upload, tmp_path_factory):
    request = validate("upload_extend", {"uploadUrl": "u", "continueAt": CONTINUE_AT, "style": "pop",
                                         "title": "Tide", "instrumental": True, "_duration": 15},
                       Context(source=Source(SECONDS)))
    return run_request(tmp_path_factory.mktemp("extended"), request, seed=3,
                       source=SourceAudio(upload, SECONDS, title="instrumental.wav"))


def test_upload_extend_keeps_the_upload_up_to_continue_at(extended, upload):
    x, _ = decode(upload)
    c = int(CONTINUE_AT * SR)
    for take in extended.takes:
        y, _ = decode(take.audio_path)
        err = y[:c] - x[:c]
        assert 10 * np.log10(np.sum(x[:c] ** 2) / np.sum(err ** 2)) > 20  # only MP3 re-encoding noise
        # then about the new part asked for (15 s), ending in whole bars and a fade
        assert CONTINUE_AT + 12 < take.duration < CONTINUE_AT + 20
        assert take.title == "Tide" and take.analysis["continued_from"] == CONTINUE_AT
        assert true_peak_dbtp(y) <= -1.0


def test_upload_extend_continues_at_the_uploads_tempo_and_key(extended, upload):
    for take in extended.takes:
        y, _ = decode(take.audio_path)
        new = y[int((CONTINUE_AT + 0.5) * SR): len(y) - int(2 * SR)]
        hits = onsets(new.mean(axis=1)) + CONTINUE_AT + 0.5
        assert len(hits) > 20
        # the new part's onsets fall on the upload's grid, carried on past the seam: the same
        # tempo and phase (a tempo 1 % off would drift 30 ms in 12 s)
        assert np.mean(off_grid(hits, BEAT / 4) < 0.03) > 0.8
        assert np.mean(off_grid(hits + BEAT / 8, BEAT / 4) < 0.03) < 0.4
        tonic, mode = key_of(new.mean(axis=1))
        relative = (NAMES.index(tonic) + (0 if mode == "minor" else 9)) % 12
        assert NAMES[relative] == "E"  # E minor, or G major: the same notes
    assert librosa_tempo(decode(extended.takes[0].audio_path)[0][int(CONTINUE_AT * SR):], SR) == \
        pytest.approx(96, rel=0.03)
