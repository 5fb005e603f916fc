"""The local engine's generate/instrumental modes, checked by measuring the files it writes."""
from __future__ import annotations

import numpy as np
import pytest

from studio.generation.rules import validate

from .conftest import decode, integrated_lufs, librosa_key, librosa_tempo, run_engine, run_request, true_peak_dbtp


def test_sink_hears_plan_then_two_takes_in_order(house_song):
    assert house_song.calls == ["planned", "take0", "take1"]
    assert house_song.plan.titles == ["Night Drive", "Night Drive"]
    assert [t.index for t in house_song.takes] == [0, 1]


def test_files_are_written_into_workdir(house_song):
    for t in house_song.takes:
        assert t.audio_path.name == f"take-{t.index}.mp3" and t.audio_path.stat().st_size > 100_000
        assert t.wav_path is not None and t.wav_path.exists()
        assert t.image_path is not None and t.image_path.exists()
        assert t.model_name == "chirp-auk"


def test_duration_matches_what_a_decoder_reports(house_song):
    for t in house_song.takes:
        data, sr = decode(t.audio_path)
        assert abs(len(data) / sr - t.duration) <= 0.05
        assert sr == 44100 and data.shape[1] == 2


def test_mp3_is_mastered_to_minus_14_lufs_and_minus_1_dbtp(house_song):
    for t in house_song.takes:
        data, sr = decode(t.audio_path)
        assert integrated_lufs(data, sr) == pytest.approx(-14.0, abs=1.0)
        assert true_peak_dbtp(data) <= -1.0


def test_requested_tempo_is_heard(house_song):
    data, sr = decode(house_song.takes[0].audio_path)
    assert librosa_tempo(data, sr) == pytest.approx(124, rel=0.02)


def test_requested_key_is_heard(house_song):
    for t in house_song.takes:
        data, sr = decode(t.audio_path)
        assert librosa_key(data, sr) == ("A", "minor")


def test_the_two_variations_sound_different(house_song):
    import librosa
    a, sr = decode(house_song.takes[0].audio_path)
    b, _ = decode(house_song.takes[1].audio_path)
    n = min(len(a), len(b))
    wave_corr = np.corrcoef(a[:n, 0], b[:n, 0])[0, 1]
    assert abs(wave_corr) < 0.3
    ca = librosa.feature.chroma_stft(y=a[:n, 0], sr=sr, hop_length=4096)
    cb = librosa.feature.chroma_stft(y=b[:n, 0], sr=sr, hop_length=4096)
    frame_corr = np.mean([np.corrcoef(x, y)[0, 1] for x, y in zip(ca.T, cb.T, strict=False)
                          if x.std() > 0 and y.std() > 0])
    assert frame_corr < 0.9


def test_covers_differ_per_take_and_look_like_album_art(house_song):
    from PIL import Image
    imgs = [np.asarray(Image.open(t.image_path).convert("RGB"), dtype=float) for t in house_song.takes]
    assert imgs[0].shape[:2] == (1024, 1024)  # sharp at the track page's full size
    assert np.abs(imgs[0] - imgs[1]).mean() > 10
    assert imgs[0].std() > 20  # not a flat colour


def test_the_title_is_not_painted_into_the_cover(tmp_path):
    """Issue 14: a painted title was cut off, hidden under the play button and stale after a
    rename. Two requests that differ only in their title get the same cover."""
    params = {"customMode": True, "instrumental": True, "style": "folk", "model": "V4_5", "_duration": 4}
    a = run_engine(tmp_path / "a", params={**params, "title": "Lanterns"}, seed=5)
    b = run_engine(tmp_path / "b", params={**params, "title": "Something Else Entirely"}, seed=5)
    assert a.takes[0].title != b.takes[0].title
    for x, y in zip(a.takes, b.takes, strict=True):
        assert x.image_path.read_bytes() == y.image_path.read_bytes()


def test_peaks_describe_the_waveform(house_song):
    p = house_song.takes[0].peaks
    assert 150 <= len(p) <= 250 and all(0 <= v <= 1 for v in p) and max(p) == 1.0


def test_same_seed_gives_identical_audio(tmp_path):
    params = {"customMode": True, "instrumental": True, "style": "lo-fi hip hop, piano", "title": "x",
              "_duration": 10}
    a = run_engine(tmp_path / "a", params=params, seed=5)
    b = run_engine(tmp_path / "b", params=params, seed=5)
    c = run_engine(tmp_path / "c", params=params, seed=6)
    pa, pb, pc = (decode(s.takes[1].audio_path)[0] for s in (a, b, c))
    assert np.array_equal(pa, pb)
    assert pa.shape != pc.shape or not np.array_equal(pa, pc)


def test_default_length_song_is_between_one_and_two_minutes(tmp_path):
    s = run_engine(tmp_path, mode="instrumental", params={"tags": "tropical house, synthwave", "title": "Crazy"},
                   seed=3)
    for t in s.takes:
        data, sr = decode(t.audio_path)
        assert 60 <= len(data) / sr <= 125
        assert integrated_lufs(data, sr) == pytest.approx(-14.0, abs=1.0)
        assert true_peak_dbtp(data) <= -1.0


@pytest.mark.parametrize("style,bpm,key", [("jazz, 92 bpm, key of F#", 92, ("F#", None)),
                                           ("sad piano ballad in D minor, 70 bpm", 70, ("D", "minor"))])
def test_explicit_tempo_and_key_are_obeyed(tmp_path, style, bpm, key):
    s = run_engine(tmp_path, params={"customMode": True, "instrumental": True, "style": style, "title": "t",
                                     "_duration": 30}, seed=2)
    data, sr = decode(s.takes[0].audio_path)
    tonic, mode = key
    # "key of F#" names no mode: the engine picks one, and that one must be what is heard
    assert librosa_key(data, sr) == (tonic, mode or s.takes[0].analysis["mode"])
    t = librosa_tempo(data, sr)
    assert t == pytest.approx(bpm, rel=0.02) or t == pytest.approx(2 * bpm, rel=0.02)


def test_non_custom_mode_writes_lyrics_and_a_title_from_the_idea(tmp_path):
    s = run_engine(tmp_path, params={"customMode": False, "instrumental": False,
                                     "prompt": "a hopeful song about lighthouses and the sea", "_duration": 20},
                   seed=4)
    lyr = s.takes[0].lyrics
    assert "[Verse]" in lyr and "[Chorus]" in lyr
    assert "lighthouses" in lyr.lower() or "sea" in lyr.lower()
    assert "Lighthouses" in s.takes[0].title or "Hopeful" in s.takes[0].title


def test_legacy_generate_music_uses_tags_as_style(tmp_path):
    request = validate("legacy_song", {"prompt": "[Verse]\nHello sun\n[Chorus]\nHello moon", "tags": "reggae, 80 bpm",
                                       "title": "Hi", "_duration": 20})
    s = run_request(tmp_path, request, seed=9)
    assert s.takes[0].lyrics.startswith("[Verse]")
    assert s.takes[0].analysis["tempo"] == 80
    assert s.plan.styles[0] == "reggae, 80 bpm"


def test_model_caps_length_and_names_the_model(tmp_path):
    s = run_engine(tmp_path, params={"customMode": True, "instrumental": True, "style": "ambient", "title": "t",
                                     "model": "V4", "_duration": 600}, seed=1)
    assert s.takes[0].duration <= 240
    assert s.takes[0].model_name == "chirp-v4"


def test_takes_are_streamed_into_the_stream_dir_and_left_final(tmp_path):
    sd = tmp_path / "streams"
    sd.mkdir()
    sink = run_engine(tmp_path / "w", params={
        "customMode": True, "instrumental": True, "style": "lo-fi", "title": "Live", "_duration": 10},
        seed=4, stream_dir=sd)
    assert sorted(p.name for p in sd.iterdir()) == ["take-0.mp3", "take-1.mp3"]  # no .part left
    for take in sink.takes:
        assert take.audio_path == sd / f"take-{take.index}.mp3"
        data, sr = decode(take.audio_path)
        assert abs(len(data) / sr - take.duration) < 1e-3
