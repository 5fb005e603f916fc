"""Upload & cover takes whatever a person uploads: any length the model allows, any sample rate,
mono to multichannel, and silence, a tone, speech, noise or a full mix. Each upload is made
with numpy and written as a real file; the cover is rendered by the engine as a job would.

A plain 14 s mono tone once failed every time ("operands could not be broadcast"): sound from
the first instant puts the first note before the song's first beat, and quantising it to the
beat grid moved it before 0 s.
"""
from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from studio.engines.base import EngineError, SourceAudio
from studio.engines.local.modes import FADE_OUT_SECONDS

from .conftest import decode, run_engine


def _t(seconds, sr):
    return np.arange(int(seconds * sr)) / sr


def tone(seconds, sr):
    return 0.3 * np.sin(2 * np.pi * 220 * _t(seconds, sr))


def silence(seconds, sr):
    return np.zeros(int(seconds * sr))


def noise(seconds, sr):
    return 0.2 * np.random.default_rng(3).standard_normal(int(seconds * sr))


# Formants (Hz) of a few vowels, for speech made the way a voice makes it: a pulse train at a
# falling pitch through three resonators, syllables of 120-300 ms with gaps and a hiss.
VOWELS = {"a": (730, 1090, 2440), "i": (270, 2290, 3010), "u": (300, 870, 2240),
          "e": (530, 1840, 2480), "o": (570, 840, 2410)}


def speech(seconds, sr):
    from scipy.signal import butter, lfilter, sosfilt
    rng = np.random.default_rng(5)
    out = np.zeros(int(seconds * sr))
    at = 0.0
    while at < seconds - 0.4:
        dur = rng.uniform(0.12, 0.3)
        t = _t(dur, sr)
        f0 = 130 * (1 - 0.15 * t / dur) * (1 + 0.03 * np.sin(2 * np.pi * 4 * t))
        pulses = (np.diff(np.floor(np.cumsum(f0) / sr), prepend=0) > 0).astype(float)
        voice = np.zeros_like(pulses)
        for formant, gain in zip(VOWELS[rng.choice(list(VOWELS))], (1.0, 0.5, 0.25), strict=False):
            r = np.exp(-np.pi * 90 / sr)
            a = [1, -2 * r * np.cos(2 * np.pi * formant / sr), r * r]
            voice += gain * lfilter([1 - r], a, pulses)
        voice *= np.hanning(len(voice))
        s = int(at * sr)
        out[s:s + len(voice)] += voice[: len(out) - s]
        if rng.random() < 0.4:  # a fricative before the next syllable
            n = int(0.08 * sr)
            hiss = sosfilt(butter(2, [3000, min(7000, sr / 2 - 100)], "bandpass", fs=sr, output="sos"),
                           rng.standard_normal(n)) * np.hanning(n) * 0.3
            e = min(len(out), s + len(voice) + n)
            out[s + len(voice):e] += hiss[: e - s - len(voice)]
        at += dur + (rng.uniform(0.3, 0.7) if rng.random() < 0.2 else rng.uniform(0.02, 0.1))
    return 0.5 * out / np.abs(out).max()


def full_mix(seconds, sr):
    """Drums, bass, chords and a melody at 112 bpm, from the first instant."""
    rng = np.random.default_rng(8)
    t = _t(seconds, sr)
    beat = 60 / 112
    out = np.zeros_like(t)
    for k in range(int(seconds / beat) + 1):
        s = int(k * beat * sr)
        n = min(int(0.3 * sr), len(t) - s)
        if n <= 0:
            break
        tt = t[:n]
        if k % 2 == 0:
            out[s:s + n] += 0.6 * np.sin(2 * np.pi * 60 * tt * (1 + 2 * np.exp(-tt * 30))) * np.exp(-tt * 12)
        else:
            out[s:s + n] += 0.3 * rng.standard_normal(n) * np.exp(-tt * 25)
    roots = [45, 41, 48, 43]  # A, F, C, G
    for bar, root in enumerate(np.resize(roots, int(seconds / (4 * beat)) + 1)):
        s, e = int(bar * 4 * beat * sr), min(len(t), int((bar + 1) * 4 * beat * sr))
        tt = t[: e - s]
        for interval, gain in ((0, 0.25), (12 + 0, 0.08), (12 + 4, 0.08), (12 + 7, 0.08)):
            f = 440 * 2 ** ((root + interval - 69) / 12)
            out[s:e] += gain * np.sin(2 * np.pi * f * tt)
    for k in range(int(seconds / beat)):
        s, n = int(k * beat * sr), int(0.9 * beat * sr)
        f = 440 * 2 ** ((rng.choice([69, 72, 74, 76, 79]) - 69) / 12)
        tt = t[: min(n, len(t) - s)]
        out[s:s + len(tt)] += 0.15 * np.sign(np.sin(2 * np.pi * f * tt)) * np.exp(-tt * 3)
    return 0.8 * out / np.abs(out).max()


CONTENTS = {"tone": tone, "speech": speech, "noise": noise, "full mix": full_mix}


def upload(tmp_path, content, seconds, sr, channels=1, subtype="PCM_16"):
    mono = CONTENTS[content](seconds, sr) if content != "silence" else silence(seconds, sr)
    # each channel a little different, as real stereo is
    data = np.stack([np.roll(mono, 7 * c) * (1 - 0.1 * c) for c in range(channels)], axis=1)
    path = tmp_path / f"{content.replace(' ', '_')}-{seconds}s-{sr}-{channels}ch.wav"
    sf.write(str(path), data.astype(np.float32), sr, subtype=subtype)
    return path


def cover(tmp_path, path, *, sung=False, seed=1):
    params = {"customMode": True, "instrumental": not sung, "style": "pop", "title": "Cover",
              "model": "V4_5"}
    if sung:
        params["prompt"] = "[Verse]\nHold the line and sing it back\nEvery word along the track"
    return run_engine(tmp_path / "out", mode="upload_cover", params=params, seed=seed,
                      source=SourceAudio(path, 0))


def assert_a_whole_cover(song, seconds):
    assert len(song.takes) == 2
    for take in song.takes:
        data, sr = decode(take.audio_path)
        assert np.isfinite(data).all()
        assert take.duration >= seconds - 0.5 and len(data) / sr >= seconds - 0.5
        assert np.sqrt(np.mean(data ** 2)) > 0.01  # music, not silence
        assert_an_ending_of_a_fade_and_less_than_a_bar(take, seconds)


def assert_an_ending_of_a_fade_and_less_than_a_bar(take, seconds):
    """The cover's bars hold the upload and an ending at least as long as the fade-out, less
    than a bar more (a whole bar more made a 12 s upload an 18 s cover)."""
    ending = take.analysis["sections"][-1][2] - seconds
    assert FADE_OUT_SECONDS <= ending < FADE_OUT_SECONDS + take.analysis["bar_sec"], ending


def test_a_short_melody_is_covered_with_a_short_ending(tmp_path):
    """Twenty notes over 12 s, heard at 83 bpm: 6 bars (18.45 s) became 5 (about 15 s)."""
    sr, beat = 44100, 60 / 100
    out = np.zeros(12 * sr)
    for k, m in enumerate([60, 62, 64, 65, 67, 65, 64, 62, 60, 64, 67, 72, 71, 69, 67, 65, 64, 62, 60, 62]):
        s, n = int(k * beat * 0.6 * sr), int(beat * 0.55 * sr)
        t = np.arange(n) / sr
        out[s:s + n] += 0.4 * np.sin(2 * np.pi * 440 * 2 ** ((m - 69) / 12) * t) * np.minimum(1, t * 50) \
            * np.exp(-t * 1.5)
    path = tmp_path / "melody.wav"
    sf.write(str(path), out.astype(np.float32), sr)
    assert_a_whole_cover(cover(tmp_path, path), 12)


@pytest.mark.parametrize("sr", [22050, 44100])
@pytest.mark.parametrize("seconds", [14, 16])
def test_a_plain_mono_tone_of_14_seconds_or_more_is_covered(tmp_path, sr, seconds):
    assert_a_whole_cover(cover(tmp_path, upload(tmp_path, "tone", seconds, sr)), seconds)


def test_a_tone_is_covered_with_lyrics_sung(tmp_path):
    assert_a_whole_cover(cover(tmp_path, upload(tmp_path, "tone", 14, 44100), sung=True), 14)


@pytest.mark.parametrize("content", ["tone", "speech", "noise", "full mix"])
@pytest.mark.parametrize("sung", [False, True], ids=["instrumental", "sung"])
def test_every_kind_of_sound_is_covered(tmp_path, content, sung):
    assert_a_whole_cover(cover(tmp_path, upload(tmp_path, content, 10, 44100), sung=sung), 10)


@pytest.mark.parametrize("sr", [8000, 16000, 22050, 44100, 48000, 96000])
def test_every_sample_rate_is_covered(tmp_path, sr):
    assert_a_whole_cover(cover(tmp_path, upload(tmp_path, "full mix", 6, sr)), 6)


@pytest.mark.parametrize("channels", [1, 2, 3, 6])
def test_mono_stereo_and_multichannel_uploads_are_covered(tmp_path, channels):
    assert_a_whole_cover(cover(tmp_path, upload(tmp_path, "speech", 6, 44100, channels)), 6)


@pytest.mark.parametrize("seconds", [0.6, 1, 2.5, 5, 14.2, 20])
def test_short_and_middling_lengths_are_covered(tmp_path, seconds):
    assert_a_whole_cover(cover(tmp_path, upload(tmp_path, "tone", seconds, 22050)), seconds)


@pytest.mark.parametrize("seed", range(4))
def test_whatever_beat_phase_the_upload_has_the_first_note_is_kept(tmp_path, seed):
    """The mix sounds from its first instant; its first note lands wherever the beat grid
    puts it, before 0 s included, played or sung, for any take seed."""
    path = upload(tmp_path, "full mix", 8, 44100)
    assert_a_whole_cover(cover(tmp_path, path, sung=seed % 2 == 1, seed=seed), 8)


@pytest.mark.parametrize("subtype", ["PCM_U8", "PCM_24", "FLOAT"])
def test_sample_formats_are_covered(tmp_path, subtype):
    assert_a_whole_cover(cover(tmp_path, upload(tmp_path, "tone", 5, 22050, subtype=subtype)), 5)


def test_a_silent_upload_is_refused_with_a_reason(tmp_path):
    with pytest.raises(EngineError, match="The upload is silent"):
        cover(tmp_path, upload(tmp_path, "silence", 14, 44100))


@pytest.mark.slow
@pytest.mark.parametrize("content,seconds", [("full mix", 60), ("speech", 150), ("tone", 479)])
def test_long_uploads_are_covered(tmp_path, content, seconds):
    assert_a_whole_cover(cover(tmp_path, upload(tmp_path, content, seconds, 22050)), seconds)


def _levels_db(samples, sr, window=0.01):
    """RMS level (dBFS) of each `window` seconds of `samples` [n, channels]."""
    w = int(window * sr)
    n = len(samples) // w
    chunks = samples[: n * w].mean(axis=1).reshape(n, w)
    return 20 * np.log10(np.sqrt(np.mean(chunks ** 2, axis=1)) + 1e-12)


def assert_ends_in_a_fade_of_music(take):
    """No silent tail: most of the last half second sounds (above −60 dBFS), and the level
    falls over the last second and a half to a whisper at the very end (a fade, not a cut)."""
    data, sr = decode(take.audio_path)
    last = _levels_db(data[-int(0.5 * sr):], sr)
    assert np.mean(last > -60) > 0.6, np.round(last)
    before = _levels_db(data[-int(2.0 * sr): -int(1.5 * sr)], sr)
    assert np.median(before) > -35  # music is still playing as the fade begins
    assert last[-2:].max() < np.median(before) - 20  # and the fade has taken it down at the end


@pytest.mark.parametrize("content", ["tone", "full mix"])
def test_a_cover_ends_in_a_fade_not_in_silence(tmp_path, content):
    song = cover(tmp_path, upload(tmp_path, content, 10, 44100))
    for take in song.takes:
        assert_ends_in_a_fade_of_music(take)
    assert_a_whole_cover(song, 10)


@pytest.mark.parametrize("content", ["tone", "full mix"])
def test_an_added_instrumental_ends_in_a_fade_not_in_silence(tmp_path, content):
    song = run_engine(tmp_path / "out", mode="add_instrumental", seed=2,
                      params={"tags": "pop", "title": "Backing", "negativeTags": "", "model": "V4_5"},
                      source=SourceAudio(upload(tmp_path, content, 10, 44100), 0))
    for take in song.takes:
        assert_ends_in_a_fade_of_music(take)
        assert take.duration >= 9.5


def test_words_written_for_a_short_upload_are_the_lines_its_tune_sings(tmp_path):
    """A cover of an upload (its words unknown) is sung in words written from the idea. A
    12 s upload showed a whole song's sheet (two verses, two choruses) and sang its first
    few lines; its sheet is now the lines it sings, each of them sung. The same idea over a
    longer upload keeps more of the song."""
    from studio.engines.local import lyrics as ly
    from studio.engines.local.songwriter import write_lyrics

    idea = "a dreamy synthwave cover about the harbour lights"
    params = {"customMode": False, "instrumental": False, "prompt": idea, "model": "V4_5"}
    written = [line for line in write_lyrics(idea, 4).splitlines() if line.strip()]

    def sheet_and_sung(seconds):
        song = run_engine(tmp_path / f"out-{seconds}", mode="upload_cover", params=params, seed=4,
                          source=SourceAudio(upload(tmp_path, "full mix", seconds, 44100), seconds))
        sheets, sung = set(), []
        for take in song.takes:
            sheets.add(take.lyrics)
            sung.append({line["text"] for line in take.analysis["lyrics_timing"]["lines"]})
        assert len(sheets) == 1
        (sheet,) = sheets
        return sheet, sung

    short_sheet, short_sung = sheet_and_sung(12)
    lines = [line for line in short_sheet.splitlines() if line.strip()]
    assert lines == written[:len(lines)]  # the song's own beginning, markers and all
    shown = {line for line in lines if not line.startswith("[")}
    assert shown == set.union(*short_sung)  # every line shown is sung, in one take or the other
    assert len(lines) < len(written)
    assert sum(len(ly.line_syllables(line)) for line in shown) < len(ly.line_syllables(" ".join(
        line for line in written if not line.startswith("["))))
    long_sheet, _ = sheet_and_sung(40)
    assert len(long_sheet.splitlines()) > len(short_sheet.splitlines())
