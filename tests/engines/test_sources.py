"""Modes that start from audio: extend, upload & cover, add instrumental, and bad uploads."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from studio.engines.base import EngineError, SourceAudio

from .conftest import decode, integrated_lufs, librosa_tempo, run_engine, run_request, source_from, true_peak_dbtp

SR = 44100
BEAT = 0.6  # 100 bpm
START = 0.3
D_MAJOR = [62, 64, 66, 67, 69, 71, 73, 74]


def sung_line(path: Path, pitches, *, sr=SR, fmt=None) -> Path:
    """A vocal-like stem: harmonic tones with vibrato, one per beat, starting at START."""
    n = int((START + BEAT * len(pitches) + 1) * sr)
    y = np.zeros(n, np.float32)
    t = np.arange(int(BEAT * sr)) / sr
    for i, p in enumerate(pitches):
        f = 440 * 2 ** ((p - 69) / 12)
        ph = 2 * np.pi * f * t + 0.3 * np.sin(2 * np.pi * 5.5 * t)
        tone = sum(np.sin(k * ph) / k ** 1.5 for k in range(1, 8))
        tone *= np.minimum(1, t / 0.02) * np.minimum(1, (BEAT - t) / 0.05)
        s = int((START + i * BEAT) * sr)
        y[s:s + len(t)] += 0.3 * tone
    sf.write(str(path), y, sr, format=fmt)
    return path


def melody(seed, n=24):
    return [int(x) for x in np.random.default_rng(seed).choice(D_MAJOR, n)]


# -- extend -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def extended(house_song, tmp_path_factory):
    src = house_song.takes[0]
    s = run_engine(tmp_path_factory.mktemp("ext"), mode="extend",
                   params={"continueAt": 17.3, "model": "V4_5", "_duration": 20}, seed=2, source=source_from(src))
    return src, s


def test_extend_inheriting_the_source_continues_from_its_end(house_song, tmp_path):
    """defaultParamFlag=false: the validator decides the continue point is the source's end
    (its stored length); the engine keeps all of the source and adds the new part after it."""
    from studio.generation.rules import Context, Source, validate

    src = house_song.takes[0]
    request = validate("extend", {"audioId": "a", "defaultParamFlag": False, "_duration": 10},
                       Context(source=Source(src.duration)))
    s = run_request(tmp_path, request, seed=4, source=source_from(src))
    a, sr = decode(src.audio_path)
    b, _ = decode(s.takes[0].audio_path)
    n = len(a) - int(0.1 * sr)  # up to the seam
    snr = 10 * np.log10(np.sum(a[:n] ** 2) / np.sum((b[:n] - a[:n]) ** 2))
    assert snr > 20 and len(b) / sr > src.duration + 5
    assert s.takes[0].analysis["tempo"] == src.analysis["tempo"]


def test_extend_keeps_the_source_up_to_continue_at(extended):
    src, s = extended
    a, sr = decode(src.audio_path)
    b, _ = decode(s.takes[0].audio_path)
    c = int(17.3 * sr)
    err = b[:c] - a[:c]
    snr = 10 * np.log10(np.sum(a[:c] ** 2) / np.sum(err ** 2))
    assert snr > 20  # only MP3 re-encoding noise
    assert 17.3 + 15 < s.takes[0].duration <= 480


def test_extend_seam_has_no_click(extended):
    src, s = extended
    b, sr = decode(s.takes[0].audio_path)
    c = int(17.3 * sr)
    jumps = np.abs(np.diff(b[:, 0]))
    around = jumps[c - 2 * sr:c + 2 * sr]
    assert jumps[c - 256:c + 2048].max() <= 1.2 * np.percentile(np.concatenate([around[:sr], around[-sr:]]), 99.9)
    # spectral flux at the seam is no spike compared with the beats around it
    import librosa
    S = np.abs(librosa.stft(b[c - 4 * sr:c + 4 * sr, 0], n_fft=1024, hop_length=256))
    flux = np.maximum(0, np.diff(np.log1p(S), axis=1)).sum(axis=0)
    seam = flux[(4 * sr) // 256 - 3:(4 * sr) // 256 + 4].max()
    assert seam <= np.max(np.delete(flux, np.s_[(4 * sr) // 256 - 3:(4 * sr) // 256 + 4]))


def test_extension_keeps_tempo_loudness_and_peak(extended):
    src, s = extended
    b, sr = decode(s.takes[0].audio_path)
    new = b[int(17.3 * sr):]
    assert librosa_tempo(new, sr) == pytest.approx(124, rel=0.02)
    assert integrated_lufs(b, sr) == pytest.approx(-14, abs=1)
    assert true_peak_dbtp(b) <= -1.0
    assert s.takes[0].analysis["tempo"] == 124 and s.takes[0].analysis["key"] == "A"


def test_extend_analyses_a_source_without_analysis(tmp_path):
    stem = sung_line(tmp_path / "s.wav", melody(3))
    s = run_engine(tmp_path / "o", mode="extend", params={"continueAt": 8.0, "_duration": 20, "style": "pop"},
                   source=SourceAudio(stem, 15.7))
    b, sr = decode(s.takes[0].audio_path)
    assert librosa_tempo(b[int(8 * sr):], sr) == pytest.approx(100, rel=0.02)


# -- cover ------------------------------------------------------------------------------------

def _pitch_class_agreement(audio, sr, notes, fmin=250):
    import librosa
    f0, voiced, _ = librosa.pyin(audio, fmin=fmin, fmax=1200, sr=sr, frame_length=2048, hop_length=512)
    times = librosa.times_like(f0, sr=sr, hop_length=512)
    idx = np.clip(((times - START) / BEAT).astype(int), 0, len(notes) - 1)
    want = np.array(notes, float)[idx]
    ok = voiced & (times > START) & (times < START + BEAT * len(notes))
    got = 69 + 12 * np.log2(f0[ok] / 440)
    return np.mean(np.abs((got - want[ok] + 6) % 12 - 6) < 0.5)


def test_cover_plays_the_uploaded_melody(tmp_path):
    src = melody(1)
    stem = sung_line(tmp_path / "tune.wav", src)
    s = run_engine(tmp_path / "o", mode="upload_cover", params={"customMode": True, "instrumental": True,
                                                               "style": "synthwave", "title": "c",
                                                               "audioWeight": 0.8}, seed=1,
                   source=SourceAudio(stem, 15.7))
    data, sr = decode(s.takes[0].audio_path)
    mono = data.mean(axis=1)
    same = _pitch_class_agreement(mono, sr, src)
    other = _pitch_class_agreement(mono, sr, melody(99))
    assert same > 0.4 and same > 4 * other
    assert integrated_lufs(data, sr) == pytest.approx(-14, abs=1) and true_peak_dbtp(data) <= -1.0


def test_a_cover_with_lyrics_sings_the_uploaded_melody(tmp_path):
    """Not instrumental: the voice sings the upload's tune with the lyrics, in place of the
    lead instrument the instrumental cover plays it on."""
    src = melody(1)
    stem = sung_line(tmp_path / "tune.wav", src)
    lyrics = "[Verse]\nOh the lighthouse calls me home tonight\nAcross the silver water we will ride"
    params = {"customMode": True, "style": "ambient", "title": "c", "vocalGender": "f", "audioWeight": 0.8}
    sung = run_engine(tmp_path / "s", mode="upload_cover", params={**params, "instrumental": False, "prompt": lyrics},
                      seed=1, source=SourceAudio(stem, 15.7))
    played = run_engine(tmp_path / "p", mode="upload_cover", params={**params, "instrumental": True},
                        seed=1, source=SourceAudio(stem, 15.7))
    assert sung.takes[0].lyrics == lyrics and played.takes[0].lyrics == ""
    data, sr = decode(sung.takes[0].audio_path)
    mono = data.mean(axis=1)
    # a female voice sings from 220 Hz (A3): the tracker listens from 180 Hz
    same, other = _pitch_class_agreement(mono, sr, src, 180), _pitch_class_agreement(mono, sr, melody(99), 180)
    assert same > 0.4 and same > 4 * other
    assert integrated_lufs(data, sr) == pytest.approx(-14, abs=1) and true_peak_dbtp(data) <= -1.0
    d2, _ = decode(played.takes[0].audio_path)
    n = min(len(data), len(d2))
    assert np.corrcoef(mono[:n], d2[:n].mean(axis=1))[0, 1] < 0.9


def test_audio_weight_sets_how_much_original_timing_survives(tmp_path):
    """A melody sung slightly off the grid: at audioWeight 1 the onsets stay where they were
    sung, at 0 they snap to sixteenths."""
    import librosa
    src = melody(5, 16)
    stem = sung_line(tmp_path / "t.wav", src)
    y, _ = sf.read(str(stem), dtype="float32")
    y = np.roll(y, int(0.045 * SR))  # 45 ms late: off the sixteenth grid at 100 bpm (150 ms)
    sf.write(str(stem), y, SR)
    offsets = []
    for w in (0.0, 1.0):
        s = run_engine(tmp_path / str(w), mode="upload_cover", params={"customMode": True, "instrumental": True,
                                                                       "style": "ambient", "title": "c",
                                                                       "audioWeight": w}, seed=1,
                       source=SourceAudio(stem, 11))
        data, sr = decode(s.takes[0].audio_path)
        env = librosa.onset.onset_strength(y=data.mean(axis=1), sr=sr, hop_length=128)
        on = librosa.onset.onset_detect(onset_envelope=env, sr=sr, hop_length=128, units="time")
        offsets.append(on)
    assert offsets[0].tolist() != offsets[1].tolist()


# -- add instrumental -------------------------------------------------------------------------

def test_add_instrumental_backing_lands_on_the_stems_beats(tmp_path):
    import librosa
    stem = sung_line(tmp_path / "vox.wav", melody(7, 30))
    s = run_engine(tmp_path / "o", mode="add_instrumental", params={"tags": "rock", "title": "v",
                                                                   "model": "V4_5PLUS"}, seed=4,
                   source=SourceAudio(stem, 19.3))
    data, sr = decode(s.takes[0].audio_path)
    assert integrated_lufs(data, sr) == pytest.approx(-14, abs=1) and true_peak_dbtp(data) <= -1.0
    y = data.mean(axis=1)
    env = librosa.onset.onset_strength(y=y, sr=sr, hop_length=128)
    _, beats = librosa.beat.beat_track(onset_envelope=env, sr=sr, hop_length=128, units="time")
    beats = beats[(beats > 1) & (beats < 18)]
    err = np.abs((beats - START + BEAT / 2) % BEAT - BEAT / 2)
    assert len(beats) > 10 and np.median(err) < 0.035
    # the stem is still in the mix: its melody is heard
    assert _pitch_class_agreement(y, sr, melody(7, 30)) > 0.3


# -- bad uploads ------------------------------------------------------------------------------

def _cover(tmp_path, path, model="V4_5"):
    return run_engine(tmp_path / "o", mode="upload_cover", params={"customMode": True, "instrumental": True,
                                                                  "style": "pop", "title": "x", "model": model},
                      source=SourceAudio(path, 0))


def test_empty_upload_is_refused(tmp_path):
    p = tmp_path / "empty.mp3"
    p.write_bytes(b"")
    with pytest.raises(EngineError, match="The upload is empty"):
        _cover(tmp_path, p)


def test_text_file_is_not_audio(tmp_path):
    p = tmp_path / "notes.mp3"
    p.write_text("this is not a song\n" * 100)
    with pytest.raises(EngineError, match="could not be read as audio"):
        _cover(tmp_path, p)


def test_silent_upload_is_refused(tmp_path):
    p = tmp_path / "quiet.wav"
    sf.write(str(p), np.full(SR * 3, 1e-4, np.float32), SR)
    with pytest.raises(EngineError, match=r"The upload is silent: no sound above -60 dBFS\."):
        _cover(tmp_path, p)


def test_upload_over_eight_minutes_is_refused(tmp_path):
    p = tmp_path / "long.wav"
    sr = 8000
    sf.write(str(p), (np.sin(np.arange(sr * 482) * 0.3) * 0.3).astype(np.float32), sr, subtype="PCM_16")
    with pytest.raises(EngineError, match="at most 8 minutes"):
        _cover(tmp_path, p)


def test_v4_5all_accepts_one_minute_at_most(tmp_path):
    p = tmp_path / "minute.flac"
    sf.write(str(p), (np.sin(np.arange(8000 * 62) * 0.3) * 0.3).astype(np.float32), 8000)
    with pytest.raises(EngineError, match="at most 1 minute"):
        _cover(tmp_path, p, model="V4_5ALL")


def test_m4a_upload_is_decoded(tmp_path):
    import av
    wav = sung_line(tmp_path / "a.wav", melody(2, 10))
    y, sr = sf.read(str(wav), dtype="float32")
    m4a = tmp_path / "a.m4a"
    with av.open(str(m4a), "w") as out:
        st = out.add_stream("aac", rate=sr)
        st.layout = "mono"
        frame = av.AudioFrame.from_ndarray(y[None, :], format="fltp", layout="mono")
        frame.sample_rate = sr
        for packet in st.encode(frame):
            out.mux(packet)
        for packet in st.encode(None):
            out.mux(packet)
    s = _cover(tmp_path, m4a)
    data, sr = decode(s.takes[1].audio_path)
    assert len(data) / sr > 6


def test_an_extension_keeps_the_singer_unless_asked_otherwise(tmp_path):
    song = run_engine(tmp_path / "src", params={"customMode": True, "instrumental": False, "style": "pop",
                                                "title": "Sea", "vocalGender": "m",
                                                "prompt": "[Verse]\nDown by the sea we sing\n", "_duration": 16},
                      seed=2)
    more = {"customMode": True, "instrumental": False, "style": "pop", "title": "Sea", "continueAt": 8,
            "prompt": "[Verse]\nAnd the sea sings back\n", "_duration": 10}
    for seed in range(4):  # without vocalGender a new song picks a voice from its seed; a continuation does not
        same = run_engine(tmp_path / f"x{seed}", mode="extend", params=more, seed=seed,
                          source=source_from(song.takes[0]))
        assert same.takes[0].analysis["gender"] == "m"
    other = run_engine(tmp_path / "f", mode="extend", params={**more, "vocalGender": "f"}, seed=0,
                       source=source_from(song.takes[0]))
    assert other.takes[0].analysis["gender"] == "f"


PAPER_BOATS = ("[Verse]\nWe folded paper boats in May\nAnd let the river take them away\n"
               "[Chorus]\nSail on, sail on\nTill the summer is gone")


@pytest.fixture(scope="module")
def paper_boats(tmp_path_factory):
    """A sung take, rendered once for the tests that build on one."""
    return run_engine(tmp_path_factory.mktemp("paper-boats"), params={
        "customMode": True, "instrumental": False, "style": "indie folk, 100 bpm",
        "title": "Paper Boats", "prompt": PAPER_BOATS, "_duration": 30}, seed=3).takes[0]


def test_an_extension_given_no_words_sings_on_unless_instrumental(tmp_path, paper_boats):
    """Extend a sung song with the lyrics left empty and Instrumental not ticked: the new part
    was silent from continueAt. It sings a new verse on the song's subject, then the song's
    chorus again; ticked Instrumental, nobody sings after continueAt."""
    lyrics = PAPER_BOATS
    source = source_from(paper_boats)
    cont = 10.0
    more = {"defaultParamFlag": True, "audioId": "x", "continueAt": cont, "model": "V4_5",
            "style": "indie folk, 100 bpm", "title": "Paper Boats", "prompt": "", "_duration": 40}

    def sung_after(take) -> list[str]:
        return [line["text"] for line in take.analysis.get("lyrics_timing", {}).get("lines", [])
                if line["start"] >= cont]

    take = run_engine(tmp_path / "on", mode="extend", params=more, seed=5, source=source).takes[0]
    new = sung_after(take)
    assert new[-2:] == ["Sail on, sail on", "Till the summer is gone"], new
    verse = new[:-2]
    assert len(verse) >= 2 and not set(verse) & set(lyrics.splitlines()), verse
    assert any("paper boat" in line.lower() for line in verse), verse
    # on rhymes of its own, not the song's couplets again with another thing in them
    assert not {line.split()[-1] for line in verse} & {"May", "away", "on", "gone"}, verse
    assert take.lyrics.startswith("[Verse]\n") and "[Chorus]\nSail on, sail on" in take.lyrics
    quiet = run_engine(tmp_path / "quiet", mode="extend", params={**more, "instrumental": True},
                       seed=5, source=source).takes[0]
    assert sung_after(quiet) == [] and quiet.lyrics == ""


def test_a_cover_of_a_sung_track_sings_its_words(tmp_path, paper_boats):
    """Cover this, in simple mode: the idea says how the cover sounds ("the same song as a
    smoky jazz piano trio"), and the song keeps its words; the idea's words were sung instead
    ("I still miss the trio tonight"). An upload's words are unknown: written from the idea."""
    lyrics = PAPER_BOATS
    idea = {"customMode": False, "instrumental": False, "prompt": "the same song as a smoky jazz piano trio"}
    cover = run_engine(tmp_path / "cover", mode="upload_cover", params=idea, seed=4,
                       source=source_from(paper_boats)).takes[0]
    assert cover.lyrics == lyrics and cover.title == "Paper Boats"
    sung = [line["text"] for line in cover.analysis["lyrics_timing"]["lines"]]
    assert sung and set(sung) <= set(lyrics.splitlines()), sung
    upload = SourceAudio(paper_boats.audio_path, paper_boats.duration, title="demo.mp3")
    written = run_engine(tmp_path / "upload", mode="upload_cover", params=idea, seed=4, source=upload).takes[0]
    assert written.lyrics and written.lyrics != lyrics
