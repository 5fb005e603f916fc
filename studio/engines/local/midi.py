"""A local take's parts as MIDI: the notes the composer wrote, read off the score again (the
engine is deterministic for (request, seed)), so the MIDI is exact, not transcribed.

`parts()` gives the vendors' midiData shape (instruments → notes in seconds); `smf()` writes a
Standard MIDI File (type 1): a conductor track with tempo, time and key signature, then one
track per part with its General MIDI program (drums on channel 10), the sung line with its
syllables as lyric events."""
from __future__ import annotations

import io

from ..base import EngineError, EngineRequest
from .composer import Score
from .modes import GenerateJob
from .stems import MODES

TICKS = 480  # per beat
# Our instruments → General MIDI programs (0-based).
PROGRAMS = {"pad": 89, "piano": 0, "epiano": 4, "organ": 16, "strings": 48, "guitar": 25,
            "dist_guitar": 30, "bass": 33, "synth_bass": 38, "808": 38, "upright": 32,
            "lead": 81, "square_lead": 80, "pluck": 45, "bell": 14, "flute": 73, "brass": 61}
VOICE = 53  # Voice Oohs
DRUMS = {"kick": 36, "snare": 38, "hat": 42, "openhat": 46, "ride": 51, "crash": 49,
         "clap": 39, "rim": 37, "shaker": 70, "tom": 45}
NAMES = {"chords": "Chords", "bass": "Bass", "lead": "Lead", "arp": "Arpeggio"}


def score_of(request: EngineRequest, index: int) -> tuple[Score, GenerateJob]:
    if request.mode not in MODES:
        raise EngineError("The local engine writes MIDI only for songs it composed itself; this "
                          "take holds audio it did not make (an extension, cover or upload).",
                          code=422, status="CREATE_TASK_FAILED")
    job = MODES[request.mode](request)  # a sound's job writes its one section at its tempo
    job.prepare()
    return job.compose(index), job


def parts(request: EngineRequest, index: int) -> dict:
    """{tempo, beats_per_bar, key, mode, instruments: [{name, instrument, program, drums,
    notes: [{pitch, start, end, velocity}], lyrics: [[start, text]]}]}; seconds, MIDI pitches."""
    from .style import NOTE_NAMES
    score, job = score_of(request, index)
    out = []

    def note(start, dur, pitch, vel):
        return {"pitch": int(round(pitch)), "start": round(start, 4), "end": round(start + dur, 4),
                "velocity": max(1, min(127, int(round(vel * 127))))}

    if score.vocal:
        out.append({"name": "Vocals", "instrument": "voice", "program": VOICE, "drums": False,
                    "notes": [note(n.start, n.dur, n.pitch, n.vel) for n in score.vocal],
                    "lyrics": [[round(n.start, 4), n.syllable.text] for n in score.vocal if n.syllable]})
    for name, part in score.parts.items():
        if part.notes:
            label = NAMES.get(name, part.instrument.replace("_", " ").title())
            out.append({"name": label, "instrument": part.instrument,
                        "program": PROGRAMS.get(part.instrument, 81), "drums": False,
                        "notes": [note(n.start, n.dur, n.pitch, n.vel) for n in part.notes], "lyrics": []})
    if score.drums:
        out.append({"name": "Drums", "instrument": "kit", "program": 0, "drums": True, "lyrics": [],
                    "notes": [note(h.start, 0.1, DRUMS.get(h.name, 38), h.vel) for h in score.drums]})
    for inst in out:
        inst["notes"].sort(key=lambda n: (n["start"], n["pitch"]))
    return {"tempo": float(score.tempo), "beats_per_bar": score.beats_per_bar,
            "key": NOTE_NAMES[job.style.tonic], "mode": job.style.mode, "instruments": out}


def smf(data: dict) -> bytes:
    """A type-1 Standard MIDI File of `parts()`."""
    import mido

    tempo = mido.bpm2tempo(data["tempo"])
    ticks_per_second = TICKS * data["tempo"] / 60.0
    song = mido.MidiFile(type=1, ticks_per_beat=TICKS)
    conductor = mido.MidiTrack()
    conductor.append(mido.MetaMessage("set_tempo", tempo=tempo, time=0))
    conductor.append(mido.MetaMessage("time_signature", numerator=data["beats_per_bar"], denominator=4,
                                      time=0))
    if data.get("key"):  # a vendor's MIDI names no key
        key = data["key"] + ("m" if data["mode"] == "minor" else "")
        conductor.append(mido.MetaMessage("key_signature", key=key, time=0))
    song.tracks.append(conductor)
    channels = iter(c for c in range(16) if c != 9)
    for inst in data["instruments"]:
        channel = 9 if inst["drums"] else next(channels, 0)
        track = mido.MidiTrack()
        track.append(mido.MetaMessage("track_name", name=inst["name"], time=0))
        events = []
        if not inst["drums"]:
            events.append((0, 0, mido.Message("program_change", program=inst["program"], channel=channel)))
        for n in inst["notes"]:
            on, off = round(n["start"] * ticks_per_second), round(n["end"] * ticks_per_second)
            # note-offs sort before note-ons at the same tick, so a repeated pitch restarts
            events.append((on, 2, mido.Message("note_on", note=n["pitch"], velocity=n["velocity"], channel=channel)))
            events.append((max(off, on + 1), 1, mido.Message("note_off", note=n["pitch"], velocity=0,
                                                             channel=channel)))
        for start, text in inst["lyrics"]:
            events.append((round(start * ticks_per_second), 1.5, mido.MetaMessage("lyrics", text=text)))
        events.sort(key=lambda e: (e[0], e[1]))
        now = 0
        for tick, _order, message in events:
            track.append(message.copy(time=tick - now))
            now = tick
        song.tracks.append(track)
    buffer = io.BytesIO()
    song.save(file=buffer)
    return buffer.getvalue()
