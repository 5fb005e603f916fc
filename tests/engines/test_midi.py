"""A local take's MIDI holds the notes it sounds: each note's pitch, estimated from the part
rendered alone (librosa's pYIN, which shares nothing with the engine), is the MIDI's."""
import io
from pathlib import Path

import librosa
import mido
import numpy as np
import pytest

from studio.engines.base import EngineError
from studio.engines.local import midi
from studio.engines.local.stems import separate
from studio.generation.jobs import engine_request
from studio.generation.rules import GenerationRequest

PARAMS = {"customMode": True, "instrumental": False, "model": "V4_5", "style": "funk, 100 bpm, in A minor",
          "title": "River", "prompt": "[Verse]\nHold the night, my friend!\nWe walk along the river\n"
                                      "[Chorus]\nShine, shine, shine on me"}


def request(tmp_path):
    return engine_request(GenerationRequest.from_params("generate", PARAMS), seed=3, workdir=Path(tmp_path))


def notes_in(smf: bytes) -> dict[str, list[tuple[float, float, int]]]:
    """(start, end, pitch) per track name, read back from the file with mido's own clock."""
    out: dict[str, list] = {}
    song = mido.MidiFile(file=io.BytesIO(smf))
    for track in song.tracks[1:]:
        name, now, open_, notes = "", 0, {}, []
        for message in track:
            now += mido.tick2second(message.time, song.ticks_per_beat, mido.bpm2tempo(100))
            if message.type == "track_name":
                name = message.name
            elif message.type == "note_on" and message.velocity:
                open_[message.note] = now
            elif message.type in ("note_off", "note_on") and message.note in open_:
                notes.append((open_.pop(message.note), now, message.note))
        out[name] = notes
    return out


def matched(audio: np.ndarray, notes, shift: int = 0, fmin=60.0, fmax=1000.0) -> float:
    """Share of notes (≥ 150 ms) whose median pYIN pitch over the note's middle is within half
    a semitone of the MIDI pitch (+ shift)."""
    mono = audio.mean(axis=0)
    hop = 256
    f0, voiced, _p = librosa.pyin(mono, fmin=fmin, fmax=fmax, sr=44100, hop_length=hop, frame_length=4096)
    times = librosa.times_like(f0, sr=44100, hop_length=hop)
    hits = total = 0
    for start, end, pitch in notes:
        if end - start < 0.15:
            continue
        a, b = start + 0.3 * (end - start), end - 0.3 * (end - start)
        sel = (times >= a) & (times <= b) & voiced & np.isfinite(f0)
        if sel.sum() < 2:
            continue
        total += 1
        hits += abs(librosa.hz_to_midi(np.median(f0[sel])) - (pitch + shift)) < 0.5
    assert total >= 8, total
    return hits / total


def test_the_midi_notes_are_the_rendered_pitches(tmp_path):
    data = midi.parts(request(tmp_path), 0)
    assert data["tempo"] == 100.0 and data["key"] == "A" and data["mode"] == "minor"
    smf = midi.smf(data)
    tracks = notes_in(smf)
    assert {"Vocals", "Bass", "Drums"} <= set(tracks)
    stems = separate(request(tmp_path), 0)
    assert matched(stems["vocals"], tracks["Vocals"]) > 0.9
    assert matched(stems["bass"], tracks["Bass"], fmin=30, fmax=400) > 0.8
    # The measure can tell: the same notes a semitone up do not match.
    assert matched(stems["vocals"], tracks["Vocals"], shift=1) < 0.2


def test_the_file_carries_tempo_key_time_signature_programs_and_lyrics(tmp_path):
    song = mido.MidiFile(file=io.BytesIO(midi.smf(midi.parts(request(tmp_path), 0))))
    conductor = {m.type: m for m in song.tracks[0]}
    assert round(mido.tempo2bpm(conductor["set_tempo"].tempo), 3) == 100.0
    assert conductor["key_signature"].key == "Am"
    assert (conductor["time_signature"].numerator, conductor["time_signature"].denominator) == (4, 4)
    by_name = {t.name: t for t in song.tracks[1:]}
    programs = {name: [m.program for m in t if m.type == "program_change"] for name, t in by_name.items()}
    assert programs["Vocals"] == [midi.VOICE] and programs["Drums"] == []
    assert {m.channel for m in by_name["Drums"] if m.type == "note_on"} == {9}
    lyrics = "".join(m.text for m in by_name["Vocals"] if m.type == "lyrics")
    assert lyrics.startswith("holdthenightmyfriend")


def test_only_songs_the_engine_composed_whole(tmp_path):
    extend = engine_request(GenerationRequest.from_params("extend", {"defaultParamFlag": False, "audioId": "x"}),
                            seed=1, workdir=Path(tmp_path))
    with pytest.raises(EngineError, match="writes MIDI only for songs it composed itself"):
        midi.parts(extend, 0)


def test_a_loops_midi_is_its_one_section_at_the_tempo_and_key_asked(tmp_path):
    """sounds: the notes of the loop it made (one section of 8 bars at 120 BPM in F# minor),
    not of a song composed from the same words; the bass stem sounds them."""
    params = {"prompt": "deep house groove, warm bass", "style": "deep house groove, warm bass",
              "model": "V5", "instrumental": True, "soundLoop": True, "soundTempo": 120,
              "soundKey": "F#m"}
    loop = engine_request(GenerationRequest.from_params("sounds", params), seed=3,
                          workdir=Path(tmp_path))
    data = midi.parts(loop, 0)
    assert (data["tempo"], data["key"], data["mode"]) == (120.0, "F#", "minor")
    starts = [n["start"] for part in data["instruments"] for n in part["notes"]]
    assert starts and max(starts) < 16.0  # 8 bars of 2 s
    bass = next(p for p in data["instruments"] if p["name"] == "Bass")
    notes = [(n["start"], n["end"], n["pitch"]) for n in bass["notes"] if n["end"] <= 16.0]
    assert matched(separate(loop, 0)["bass"], notes, fmin=30, fmax=400) > 0.8
