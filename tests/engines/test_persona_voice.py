"""A persona's singer, heard in songs: the local engine sings a request with a persona's kept
voice, so two songs with persona A share its vibrato and stay in its range, and persona B's
song is measurably another singer. Measured on the exact vocal stem (stems.separate) with
librosa's YIN pitch track, which shares nothing with the engine."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from studio.engines.local.modes import GenerateJob
from studio.engines.local.singer import Singer
from studio.engines.local.stems import separate
from studio.generation.jobs import engine_request
from studio.generation.rules import GenerationRequest

pytestmark = pytest.mark.slow
SR = 44100
RATE, HOP = 16000, 128  # the pitch track's: 125 frames a second
# Short lines at a slow tempo: held notes, where vibrato settles in and can be measured.
WORDS_1 = "[Verse]\nHold on\nStay here\nNight falls\nSlow down\n[Chorus]\nCome home\nCome home\n"
WORDS_2 = "[Verse]\nRain song\nOld town\nBlue moon\nLong road\n[Chorus]\nBe mine\nBe mine\n"


def request(lyrics: str, style: str, seed: int, *, persona: dict | None = None, gender="f"):
    fields = {"customMode": True, "prompt": lyrics, "style": style, "title": "Take",
              "vocalGender": gender, "_duration": 16}
    return engine_request(GenerationRequest.from_params("generate", fields), seed=seed,
                          workdir=Path("/nonexistent"), persona=persona)


def singer_of_take(seed: int) -> dict:
    """The singer a take of `seed` sings with (what its analysis records for a persona)."""
    job = GenerateJob(request(WORDS_1, "pop", seed))
    job.prepare()
    return job.singer.as_dict()


def notes_sung(vocal: np.ndarray) -> list[np.ndarray]:
    """The pitch (cents re A4) of each sung note, frame by frame: librosa's YIN over the
    voiced frames, a second pass held within 10 semitones of the first's median (a sung line's
    span) so no octave slip is read as a note, cut at every onset librosa hears and wherever
    the pitch jumps."""
    import librosa
    y = librosa.resample(vocal, orig_sr=SR, target_sr=RATE)
    rms = librosa.feature.rms(y=y, frame_length=512, hop_length=HOP)[0]
    first = librosa.yin(y, fmin=80, fmax=1000, sr=RATE, frame_length=1024, hop_length=HOP)
    n = min(len(first), len(rms))
    voiced = rms[:n] > 0.2 * np.percentile(rms[:n], 95)
    middle = float(np.median(first[:n][voiced]))
    f0 = librosa.yin(y, fmin=middle / 1.8, fmax=middle * 1.8, sr=RATE, frame_length=1024,
                     hop_length=HOP)[:n]
    cents = 1200 * np.log2(f0 / 440)
    onsets = set(librosa.onset.onset_detect(y=y, sr=RATE, hop_length=HOP, units="frames"))
    notes, run = [], []
    for i in range(n):
        joins = run and i not in onsets and abs(cents[i] - cents[run[-1]]) < 50
        if voiced[i] and (joins or not run):
            run.append(i)
            continue
        if run:
            notes.append(cents[run])
        run = [i] if voiced[i] else []
    return notes + ([cents[run]] if run else [])


def vibrato_rate(vocal: np.ndarray) -> float:
    """The vibrato's rate (Hz): the peak in 3.5–8 Hz of the summed spectra of each held note's
    pitch (from 0.3 s in, a quadratic drift removed), interpolated between bins."""
    frames = RATE / HOP
    size = 4096
    freqs = np.fft.rfftfreq(size, 1 / frames)
    power = np.zeros(len(freqs))
    for note in notes_sung(vocal):
        c = note[int(0.3 * frames):-int(0.06 * frames)]
        if len(c) < 0.25 * frames:
            continue
        x = np.arange(len(c))
        c = c - np.polyval(np.polyfit(x, c, 2), x)
        power += np.abs(np.fft.rfft(c * np.hanning(len(c)), size)) ** 2
    band = (freqs > 3.5) & (freqs < 8)
    k = np.flatnonzero(band)[np.argmax(power[band])]
    a, b, c = np.log(power[k - 1:k + 2] + 1e-12)
    return float(freqs[k] + 0.5 * (a - c) / (a - 2 * b + c) * (freqs[1] - freqs[0]))


def sung_range(vocal: np.ndarray) -> tuple[float, float]:
    """The lowest and highest sung note (MIDI), each note's pitch its median over 0.1 s or
    more of it."""
    pitches = [69 + float(np.median(note)) / 100 for note in notes_sung(vocal)
               if len(note) >= 0.1 * RATE / HOP]
    return min(pitches), max(pitches)


@pytest.fixture(scope="module")
def voices():
    """Persona A and B: the singers of two takes, both female voices."""
    a, b = singer_of_take(8), singer_of_take(13)
    # Two distinct singers to tell apart (their kept vibrato rates differ by 0.4 Hz).
    assert abs(a["vibrato_rate"] - b["vibrato_rate"]) > 0.3
    return a, b


@pytest.fixture(scope="module")
def songs(voices):
    """Vocal stems: two different songs with persona A, a third song with persona B."""
    a, b = voices
    made = {"a1": request(WORDS_1, "ballad, 70 bpm", 101, persona=a),
            "a2": request(WORDS_2, "soul ballad, 66 bpm in E minor", 202, persona=a),
            "b1": request(WORDS_1, "folk, 80 bpm in D major", 303, persona=b)}
    return {name: separate(req, 0)["vocals"].mean(axis=0) for name, req in made.items()}


def test_two_songs_with_a_persona_have_its_vibrato_and_another_persona_does_not(voices, songs):
    a, b = voices
    rates = {name: vibrato_rate(vocal) for name, vocal in songs.items()}
    # each song's vibrato is its persona's kept rate (measured ±0.05 Hz here)
    assert abs(rates["a1"] - a["vibrato_rate"]) < 0.15, rates
    assert abs(rates["a2"] - a["vibrato_rate"]) < 0.15, rates
    assert abs(rates["b1"] - b["vibrato_rate"]) < 0.15, rates
    # B's singer is clearly another: farther from both of A's songs than they are apart
    assert min(abs(rates["b1"] - rates["a1"]), abs(rates["b1"] - rates["a2"])) > 0.3, rates


def test_persona_songs_stay_in_the_personas_range(voices, songs):
    a, b = voices
    for name, voice in (("a1", a), ("a2", a), ("b1", b)):
        low, high = sung_range(songs[name])
        assert voice["low"] - 0.5 <= low and high <= voice["high"] + 0.5, (name, low, high, voice)


def test_a_persona_overrides_the_requested_gender_and_keeps_its_singer(voices):
    a, _b = voices
    job = GenerateJob(request(WORDS_2, "rock", 7, persona=a, gender="m"))
    job.prepare()
    assert job.singer == Singer.from_dict(a) and job.gender == "f"


def test_without_a_persona_the_seed_draws_the_singer_in_the_asked_gender():
    male = [Singer.drawn("m", seed) for seed in range(20)]
    female = [Singer.drawn("f", seed) for seed in range(20)]
    assert Singer.drawn("m", 3) == Singer.drawn("m", 3)
    assert len({s.vibrato_rate for s in male}) == 20  # every seed its own singer
    # every male voice's formants sit below every female voice's
    assert max(s.formant_scale for s in male) < min(s.formant_scale for s in female)
    assert all(s.high - s.low == 19 for s in male + female)


def test_a_take_made_before_singers_were_drawn_reads_back_as_the_stock_voice():
    old = {"engine": "local", "gender": "m", "lyrics_timing": {"lines": []}}
    assert Singer.of_take(old) is None  # nothing sung: no singer to keep
    old["lyrics_timing"] = {"lines": [{"words": [["la", 1.0, 2.0]]}]}
    assert Singer.of_take(old) == Singer.stock("m")
    assert Singer.of_take({"engine": "local", "gender": "f"}) is None  # an instrumental
    assert replace(Singer.stock("f"), tilt=1.3).tilt == 1.3
