"""One job class per mode. A job prepares the texts once, then renders and masters each
variation; engine.finish() does the encoding and bookkeeping shared by every mode."""
from __future__ import annotations

import math
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..base import EngineError, EngineRequest
from . import lyrics as ly
from . import timing
from .composer import Score, SectionPlan, compose, plan_form, variation_seed
from .instruments import SR, render_score
from .mastering import TARGET_LUFS, master
from .singer import Singer
from .style import NOTE_NAMES, Style, key_named, playable_tempo
from .texts import gender, plan_texts, style_for

# Limiter ceiling (dBFS) a take is first mastered to; an MP3 overshoot lowers it (correct()).
START_CEILING_DB = -2.5
FADE_OUT_SECONDS = 1.5
# Extend: the new part is planned this far past its target (the form ends on a bar line), and
# without a target it adds up to a minute.
EXTEND_PLAN_MARGIN_SECONDS = 3.0
EXTEND_DEFAULT_SECONDS = 60.0
EXTEND_END_MARGIN_SECONDS = 0.5  # the new part ends this far before the model's limit
SEAM_CROSSFADE_SECONDS = 0.03  # an equal-power crossfade at continueAt: no click
MATCH_LOUDNESS_SECONDS = 20.0  # the continuation matches the loudness of the source's last 20 s
LOUDNESS_RANGE = (-30.0, -8.0)  # LUFS a continuation may be mastered to
TEMPO_ANALYSIS_SECONDS = 120.0  # a source without analysis: its tempo from the first 2 minutes
# Cover: the default share of the upload's own timing kept (audioWeight), and the lead's range.
DEFAULT_AUDIO_WEIGHT = 0.5
LEAD_RANGE = (55, 86)  # MIDI notes
# Mashup: the other song's tune, under the lead (MIDI notes), on an instrument of its own.
COUNTER_RANGE = (48, 74)
# Its instrument: the style's own arpeggio voice if the song does not play it already, else
# the first of these it does not play, each take a different one (the takes swap the tunes).
COUNTER_INSTRUMENTS = ("pluck", "bell", "flute", "epiano", "guitar", "strings")
RELATIVE = {("minor", "major"): 3, ("major", "minor"): -3}  # (first's mode, second's): semitones
BARS_PER_SECTION = 8  # a cover's or backing's form: sections of 8 bars, verse and chorus in turn
BACKING_UNDER_LU = 4.0  # add-instrumental: the backing sits this far under the vocal
VOCAL_OVER_LU = 1.0  # add-vocals: the sung line sits this far over the upload (the singer leads)
# Cover and add-instrumental render whole bars past the upload's last note; what follows the
# music (quieter than this far under its typical level) is cut before the fade-out, keeping a
# short tail, and the fade is equal-power (it holds the music longer than the squared one),
# so the take ends in a fade of the music rather than in a second or two of silence.
ENDING_BELOW_TYPICAL_DB = 10.0
ENDING_WINDOW_SECONDS = 0.05
ENDING_TAIL_SECONDS = 0.1


class GenerateJob:
    loudness_target = TARGET_LUFS

    def __init__(self, request: EngineRequest):
        self.request = request
        self.scores: dict[int, Score] = {}
        self.ceiling = {0: START_CEILING_DB, 1: START_CEILING_DB}
        self.style: Style | None = None
        self.render_started: dict[int, float] = {}
        # Per variation, the syllable lines its singer sang from (the objects its notes carry).
        self.sung_lines: dict[int, list] = {}

    # text stage ---------------------------------------------------------------------------
    def prepare(self):
        self.texts = plan_texts(self.request)
        self.style = style_for(self.request, self.texts)
        self.max_seconds = self.request.max_seconds
        self.gender = gender(self.request)
        self.singer = self.singer_for()
        return self.texts

    def singer_for(self) -> Singer:
        """A persona's singer as it was kept, else one the seed draws in the gender asked for."""
        if self.request.persona:
            singer = Singer.from_dict(self.request.persona)
            self.gender = singer.gender
            return singer
        return Singer.drawn(self.gender, self.request.seed)

    def sections(self):
        return ly.parse_sections(self.texts.lyrics) if self.texts.lyrics else None

    def target(self) -> float | None:
        return self.request.target_seconds

    # audio stage --------------------------------------------------------------------------
    def compose(self, index: int) -> Score:
        vseed = variation_seed(self.request.seed, index)
        plans = plan_form(self.sections(), self.style, max_seconds=self.max_seconds, target=self.target())
        self.sung_lines[index] = [line for p in plans for line in p.lines]
        return compose(self.style, plans, vseed, sung=self.texts.sung, gender=self.gender, variant=index,
                       vocal_range=self.singer.range)

    def render(self, index: int) -> np.ndarray:
        self.render_started[index] = time.perf_counter()
        score = self.compose(index)
        self.scores[index] = score
        vocal = self.sing(score, index)
        return render_score(score, self.style, variation_seed(self.request.seed, index), vocal=vocal)

    def sing(self, score: Score, index: int):
        if not score.vocal:
            return None
        from .voice import sing
        return sing(score.vocal, gender=self.gender, seed=variation_seed(self.request.seed, index),
                    length=int(score.duration * SR), singer=self.singer)

    def master(self, index: int, mix: np.ndarray, also: list[np.ndarray] = ()) -> np.ndarray:
        """`also`: the mix's stems, mastered in place alike (stems.py)."""
        self._index = index
        try:
            out = master(mix, SR, target=self.loudness_target, ceiling_db=self.ceiling[index], also=also)
        except ValueError:
            raise EngineError("The render came out silent; nothing to master.") from None
        self.lufs = master.last_lufs
        ended = self.ending(out)
        if also and ended.shape[1] != out.shape[1]:
            # stems (stems.py) are the mix's own parts, sample for sample: a take whose ending
            # is cut from the mix (a cover's silent tail) would leave them longer than it.
            raise EngineError("This take's ending is cut from its mix: its stems cannot be made.")
        for stem in also:
            self.fade_out(stem)
        return self.fade_out(ended)

    def ending(self, x: np.ndarray) -> np.ndarray:
        """Where the take stops before its fade-out: a composed song stops where its form does."""
        return x

    def fade_out(self, x: np.ndarray) -> np.ndarray:
        n = min(x.shape[1], int(FADE_OUT_SECONDS * SR))
        x[:, -n:] *= np.linspace(1, 0, n, dtype=np.float32) ** 2
        return x

    def correct(self, audio: np.ndarray, *, tp_excess: float, also: list[np.ndarray] = ()) -> np.ndarray:
        i = self._index
        self.ceiling[i] -= tp_excess + 0.1
        out = master(audio, SR, target=self.loudness_target, ceiling_db=self.ceiling[i], glue=False,
                     also=also)
        self.lufs = master.last_lufs
        return out

    def analysis(self, index: int) -> dict:
        s, sc = self.style, self.scores[index]
        return {
            "engine": "local", "tempo": float(s.tempo), "key": NOTE_NAMES[s.tonic], "mode": s.mode,
            "beats_per_bar": s.beats_per_bar, "seed": self.request.seed,
            "variation_seed": variation_seed(self.request.seed, index), "t0": sc.t0, "bar_sec": sc.bar_sec,
            "groove": s.groove, "palette": {k: v for k, v in s.palette.items()}, "style": self.texts.style_text,
            "energy": s.energy, "brightness": s.brightness, "reverb": s.reverb, "sections":
                [[k, round(a, 3), round(b, 3)] for k, a, b in sc.sections], "gender": self.gender,
            **({"singer": self.singer.as_dict()} if sc.vocal else {}),  # who sang, if anyone
            "weirdness": s.weirdness, "style_weight": s.style_weight,
            **self.lyrics_timing(index),
        }

    def lyrics_timing(self, index: int) -> dict:
        """Each sung word's start and end in the take, from the notes the singer sang."""
        vocal = self.scores[index].vocal
        if not vocal:
            return {}
        return {"lyrics_timing": timing.sung_words(vocal, self.sung_lines.get(index, []), self.texts.lyrics)}


class ExtendJob(GenerateJob):
    """Source up to continueAt, then new bars on the source's own grid, key and palette."""

    def prepare(self):
        texts = super().prepare()
        self.follow_source(keep_band=not self.request.style)
        dur = self.audio.shape[1] / SR
        # The validator decided the continue point against the track's stored length; the
        # decoded audio may be a few samples shorter.
        cont = min(self.request.continue_at or dur, dur)
        self.cont = cont
        # loudness the continuation must match: the last 20 s before the seam
        from .mastering import loudness
        s0 = max(0, int((cont - MATCH_LOUDNESS_SECONDS) * SR))
        self.loudness_target = float(np.clip(loudness(self.audio[:, s0:int(cont * SR)], SR), *LOUDNESS_RANGE))
        if self.loudness_target <= LOUDNESS_RANGE[0] + 1:  # silence before the seam: the usual target
            self.loudness_target = TARGET_LUFS
        return texts

    source_word = "source track"

    def source_limit(self) -> float:
        return self.max_seconds

    def source_analysis(self, dur: float) -> dict:
        """What the source's render knew (tempo, beat phase, key, band, singer), or, for a
        source without it, its tempo, phase and key heard from its first two minutes."""
        from .analysis import key_of, tempo_and_beats
        a = dict(self.request.source.analysis or {})
        if not a.get("tempo"):
            mono = self.audio.mean(axis=0)
            r = tempo_and_beats(mono[: int(min(dur, TEMPO_ANALYSIS_SECONDS) * SR)])
            tonic, mode = key_of(mono)
            a.update(tempo=r.tempo, t0=r.phase, key=NOTE_NAMES[tonic], mode=mode, beats_per_bar=4)
        return a

    def follow_source(self, *, keep_band: bool) -> None:
        """Decode the source (self.audio) and take on its tempo, bar grid, key and singer, and
        with `keep_band` its instruments and groove (self.src_analysis, self.style)."""
        from .analysis import load_audio
        src = self.request.source
        if src is None:
            raise EngineError("This mode needs the track it builds on.")
        self.audio = load_audio(Path(src.path), max_seconds=self.source_limit(), what=self.source_word)
        dur = self.audio.shape[1] / SR
        a = self.source_analysis(dur)
        self.src_analysis = a
        if a.get("gender") in ("m", "f") and not self.request.vocal_gender and not self.request.persona:
            # the same singer carries on, unless another is asked for
            self.gender = a["gender"]
            self.singer = Singer.of_take(a) or Singer.drawn(self.gender, self.request.seed)
        st = self.style
        if a.get("palette") and keep_band:  # same band unless a new style is asked for
            keep = {k: v for k, v in a["palette"].items() if k in st.palette and v not in st.removed}
            st = replace(st, palette={**st.palette, **keep})
        if a.get("groove") and keep_band:
            st = replace(st, groove=a["groove"])
        st = replace(st, beats_per_bar=int(a.get("beats_per_bar") or st.beats_per_bar))
        self.style = st.with_tempo(float(a["tempo"])).with_key(NOTE_NAMES.index(a["key"]) if a.get("key") in
                                                             NOTE_NAMES else st.tonic, a.get("mode") or st.mode)

    def compose(self, index: int) -> Score:
        bar = 60.0 / self.style.tempo * self.style.beats_per_bar
        t0 = float(self.src_analysis.get("t0") or 0.0)
        self.grid_start = t0 + np.floor((self.cont - t0) / bar) * bar
        room = self.max_seconds - self.cont
        target = self.target() or min(room, EXTEND_DEFAULT_SECONDS)
        target = min(target, room - EXTEND_END_MARGIN_SECONDS)
        plans = plan_form(self.sections(), self.style,
                          max_seconds=target + EXTEND_PLAN_MARGIN_SECONDS + (self.cont - self.grid_start),
                          target=target + (self.cont - self.grid_start))
        if plans and plans[0].kind == "intro":
            plans[0].kind = "verse"
        self.sung_lines[index] = [line for p in plans for line in p.lines]
        return compose(self.style, plans, variation_seed(self.request.seed, index), sung=self.texts.sung,
                       gender=self.gender, variant=index, vocal_range=self.singer.range)

    def master(self, index: int, mix: np.ndarray) -> np.ndarray:
        self._index = index
        new = master(mix, SR, target=self.loudness_target, ceiling_db=self.ceiling[index])
        new = self.fade_out(new)
        self.lufs = None  # filled in below, on the joined result
        off = int(round((self.cont - self.grid_start) * SR))
        c = int(self.cont * SR)
        new = new[:, off:]
        xf = min(int(SEAM_CROSSFADE_SECONDS * SR), self.audio.shape[1] - c, new.shape[1])
        out = np.zeros((2, c + new.shape[1]), dtype=np.float32)
        out[:, :c] = self.audio[:, :c]
        th = np.linspace(0, np.pi / 2, xf, dtype=np.float32)
        out[:, c:c + xf] = self.audio[:, c:c + xf] * np.cos(th) + new[:, :xf] * np.sin(th)  # equal power
        out[:, c + xf:] = new[:, xf:]
        out = out[:, : int(self.max_seconds * SR)]
        from .mastering import loudness
        self.lufs = loudness(out, SR)
        return out

    def correct(self, audio, *, tp_excess):
        from .mastering import limit, loudness
        out = limit(audio, SR, -1.0 - tp_excess - 0.3)
        self.lufs = loudness(out, SR)
        return out

    def analysis(self, index):
        a = super().analysis(index)
        a.update(t0=float(self.src_analysis.get("t0") or 0.0), continued_from=round(self.cont, 3))
        return a

    def lyrics_timing(self, index: int) -> dict:
        # The source's words up to continueAt, then the new part's, moved onto the take's time.
        kept = timing.kept_before(self.src_analysis.get("lyrics_timing"), self.cont)
        vocal = self.scores[index].vocal
        new = timing.sung_words(vocal, self.sung_lines.get(index, []), self.texts.lyrics,
                                offset=self.grid_start, after=self.cont)["lines"] if vocal else []
        return {"lyrics_timing": {"lines": kept + new}} if kept or new else {}


class _UploadJob(GenerateJob):
    """Shared by cover, add-instrumental and add-vocals: validate, decode and analyse the
    upload."""

    def prepare(self):
        from .analysis import load_audio, tempo_and_beats
        texts = super().prepare()
        src = self.request.source
        if src is None:
            raise EngineError("This mode needs an uploaded audio file.")
        self.audio = load_audio(Path(src.path), max_seconds=self.request.max_upload_seconds)
        mono = self.audio.mean(axis=0)
        self.rhythm = tempo_and_beats(mono)
        tonic, mode = self.key(mono)
        self.style = self.style.with_tempo(round(self.rhythm.tempo, 2)).with_key(tonic, mode)
        weight = self.request.audio_weight
        self.audio_weight = DEFAULT_AUDIO_WEIGHT if weight is None else weight
        return texts

    def key(self, mono: np.ndarray) -> tuple[int, str]:
        """The upload's key. A cover or a backing follows a sung line: the melody's own pitch
        classes decide it (self.notes, which they also play or harmonise)."""
        from .analysis import key_from_chroma, key_of, melody_notes
        self.notes = melody_notes(mono)
        if not self.notes:
            return key_of(mono)
        c = np.zeros(12)
        for _s, d, m in self.notes:
            c[m % 12] += d
        return key_from_chroma(c)

    def ending(self, x: np.ndarray) -> np.ndarray:
        return without_silent_tail(x)

    def fade_out(self, x: np.ndarray) -> np.ndarray:
        n = min(x.shape[1], int(FADE_OUT_SECONDS * SR))
        x[:, -n:] *= np.cos(np.linspace(0, np.pi / 2, n, dtype=np.float32))
        return x

    def plans(self):
        """Sections of whole bars on the upload's grid, to its end and an ending after it
        at least as long as the fade-out (less than a bar more), so the fade never takes the
        upload's last notes. A whole bar more than that made a 12 s upload an 18 s cover."""
        from .composer import SectionPlan
        dur = self.audio.shape[1] / SR
        bar = 60.0 / self.style.tempo * self.style.beats_per_bar
        bars = int(np.ceil((dur - self.rhythm.phase + FADE_OUT_SECONDS) / bar))
        plans, k = [], 0
        while bars > 0:
            b = min(BARS_PER_SECTION, bars)
            plans.append(SectionPlan("verse" if k % 2 == 0 else "chorus", b))
            bars -= b
            k += 1
        return plans

    def chords(self, plans):
        from .analysis import fit_chords
        bar = 60.0 / self.style.tempo * self.style.beats_per_bar
        n = sum(p.bars for p in plans)
        starts = self.rhythm.phase + np.arange(n) * bar
        return fit_chords(self.harmonised(), starts, bar, self.style.tonic, self.style.mode)

    def harmonised(self) -> list[tuple[float, float, int]]:
        """The notes the chords are fitted to: the upload's melody."""
        return self.notes

    def analysis(self, index):
        a = super().analysis(index)
        a.update(t0=self.rhythm.phase, detected_tempo=round(self.rhythm.tempo, 2), audio_weight=self.audio_weight,
                 melody_notes=len(self.notes))
        return a


class CoverJob(_UploadJob):
    """The upload's melody, re-played in the requested style. audioWeight a (default 0.5) keeps
    that share of the original timing: onset = a·original + (1 − a)·nearest sixteenth, and
    notes shorter than (1 − a)·a sixteenth are dropped; pitches are always the sung ones.
    With lyrics (not instrumental) the voice sings the melody, one syllable per note, moved by
    whole octaves into the voice's range; without, a lead instrument plays it."""

    def prepare(self):
        return self.fit_lyrics(super().prepare())

    def fit_lyrics(self, texts):
        """Lyrics written for an upload, whose own words are not known, cut to what its tune
        sings (a syllable a note): a 12 s upload showed two verses and two choruses and sang
        its first four lines. Words the creator wrote, or a library track's, stay whole."""
        request = self.request
        if not texts.sung or request.lyrics.strip() or request.source.lyrics.strip():
            return texts
        notes = max(len(self.placed(self.tune(index), LEAD_RANGE, 0.9)) for index in (0, 1))
        self.texts = replace(texts, lyrics=ly.sung_part(texts.lyrics, notes) or texts.lyrics)
        return self.texts

    def tune(self, index: int) -> list[tuple[float, float, int]]:
        """The (start, duration, MIDI) notes the take's lead or singer carries."""
        return self.notes

    def placed(self, notes, pitch_range: tuple[int, int], velocity: float) -> list:
        """`notes` as the take plays them: audioWeight's share of their own timing kept (the
        rest on the nearest sixteenth), too-short ones dropped, moved by whole octaves into
        `pitch_range`."""
        from .composer import Note
        step = 60.0 / self.style.tempo / 4
        ph = self.rhythm.phase
        a = self.audio_weight
        melody = []
        for s, d, m in notes:
            if d < (1 - a) * step * 0.9:
                continue
            q = ph + round((s - ph) / step) * step
            qd = max(step, round(d / step) * step)
            pitch = m
            while pitch < pitch_range[0]:
                pitch += 12
            while pitch > pitch_range[1]:
                pitch -= 12
            melody.append(Note(a * s + (1 - a) * q, a * d + (1 - a) * qd, pitch, velocity))
        return melody

    def compose(self, index: int) -> Score:
        self._composing = index
        plans = self.plans()
        ph = self.rhythm.phase
        melody = self.placed(self.tune(index), LEAD_RANGE, 0.9)
        st = self.style
        if not st.palette.get("lead"):
            st = replace(st, palette={**st.palette, "lead": "lead"})
        score = compose(st, plans, variation_seed(self.request.seed, index), sung=False, gender=self.gender,
                        variant=index, t0=ph, melody=melody, chords=self.chords(plans))
        vocal = self._sung(melody) if self.texts.sung else []
        if vocal:
            score.vocal = vocal
            score.parts.pop("lead", None)  # the singer has the tune
        return score

    def _sung(self, melody) -> list:
        """The melody with the lyrics' syllables, one per note (the words start over if the
        tune is longer), an octave shift putting its middle in the voice's range."""
        from .composer import Note
        lines = [line for sec in ly.parse_sections(self.texts.lyrics) for line in ly.lyric_lines_for(sec)]
        self.sung_lines[self._composing] = lines
        syls = [s for line in lines for s in line]
        if not syls or not melody:
            return []
        low, high = self.singer.range
        shift = 12 * round(((low + high) / 2 - float(np.median([n.pitch for n in melody]))) / 12)
        notes = []
        for k, n in enumerate(melody):
            pitch = n.pitch + shift
            while pitch < low:
                pitch += 12
            while pitch > high:
                pitch -= 12
            notes.append(Note(n.start, n.dur, pitch, n.vel, syls[k % len(syls)]))
        return notes

    def render(self, index: int) -> np.ndarray:
        self.render_started[index] = time.perf_counter()
        score = self.compose(index)
        if "lead" in score.parts:
            score.parts["lead"].gain = 0.9
        self.scores[index] = score
        st = self.style if self.style.palette.get("lead") else replace(
            self.style, palette={**self.style.palette, "lead": "lead"})
        return render_score(score, st, variation_seed(self.request.seed, index), vocal=self.sing(score, index))


class MashupJob(CoverJob):
    """Two uploads made one song (suno_api.md §2 row 8). The first song sets the tempo, the
    key and the length; the second's melody is moved into that key (the nearest whole
    transposition; a major tune under a minor song, or the reverse, into the relative key,
    the same seven notes) and onto that beat grid (its beats laid on the first's, a song at half or
    double the tempo folded so). Take 1 carries the first song's tune (sung, or played by the
    lead) and the second's as a counter-line under it; take 2 the other way round. The chords
    are fitted to both tunes, so neither clashes with the harmony."""

    def prepare(self):
        from .analysis import load_audio, tempo_and_beats
        texts = _UploadJob.prepare(self)  # the first song: self.audio, self.rhythm, self.notes
        second = self.request.second_source
        if second is None:
            raise EngineError("A mashup needs two songs.")
        audio = load_audio(Path(second.path), max_seconds=self.request.max_upload_seconds,
                           what="second song")
        mono = audio.mean(axis=0)
        first_notes, first_key = self.notes, (self.style.tonic, self.style.mode)
        rhythm = tempo_and_beats(mono)
        tonic, mode = self.key(mono)  # sets self.notes to the second song's melody
        second_notes, self.notes = self.notes, first_notes
        if not second_notes:
            raise EngineError("The second song has no melody to mash up: Studio heard no "
                              "pitched notes in it.")
        # Onto the first song's notes: its key, or, a major song with a minor one, the
        # relative key (A minor takes a major tune as C major: the same seven notes).
        target = first_key[0] + RELATIVE.get((first_key[1], mode), 0)
        self.transpose = (target - tonic + 6) % 12 - 6
        # Its beats onto the first's: the time scale a beat of it takes, folded within an
        # octave of tempo around 1 (a song felt at half or double the tempo keeps its phrasing).
        scale = (60.0 / self.style.tempo) / (60.0 / rhythm.tempo)
        while scale >= math.sqrt(2):
            scale /= 2
        while scale < math.sqrt(0.5):
            scale *= 2
        self.time_scale = scale
        length = self.audio.shape[1] / SR
        self.second_notes = [
            (start, d * scale, m + self.transpose)
            for s, d, m in second_notes
            if 0 <= (start := self.rhythm.phase + (s - rhythm.phase) * scale) < length - 0.25]
        if not self.second_notes:
            raise EngineError("The second song's melody falls outside the first song's length.")
        self.second = {"tempo": round(rhythm.tempo, 2), "key": NOTE_NAMES[tonic], "mode": mode,
                       "transpose": self.transpose, "time_scale": round(scale, 4),
                       "melody_notes": len(self.second_notes)}
        return self.fit_lyrics(texts)

    def tune(self, index: int):
        return self.notes if index % 2 == 0 else self.second_notes

    def counter(self, index: int):
        return self.second_notes if index % 2 == 0 else self.notes

    def harmonised(self):
        return [*self.notes, *self.second_notes]

    def compose(self, index: int) -> Score:
        from .composer import Part
        score = super().compose(index)
        line = self.placed(self.counter(index), COUNTER_RANGE, 0.75)
        score.parts["counter"] = Part(self.counter_instrument(score, index), line, 0.5, -0.3)
        return score

    def counter_instrument(self, score: Score, index: int) -> str:
        """The counter-line's voice: one the song does not play already, so the second tune
        is heard as its own, the style's arpeggio voice first; the takes differ."""
        playing = {part.instrument for part in score.parts.values()}
        free = [name for name in dict.fromkeys((self.style.palette.get("arp"), *COUNTER_INSTRUMENTS))
                if name and name not in playing]
        return free[index % len(free)] if free else COUNTER_INSTRUMENTS[0]

    def analysis(self, index):
        a = super().analysis(index)
        a["mashup"] = {**self.second, "tune": "first" if index % 2 == 0 else "second",
                       "counter_instrument": self.scores[index].parts["counter"].instrument}
        return a


class AddInstrumentalJob(_UploadJob):
    """A backing on the stem's beat grid and chords fitted to its melody, mixed under it."""

    def compose(self, index: int) -> Score:
        plans = self.plans()
        st = replace(self.style, palette={**self.style.palette, "lead": None})
        return compose(st, plans, variation_seed(self.request.seed, index), sung=False, gender=self.gender,
                       variant=index,
                       t0=self.rhythm.phase, melody=[], chords=self.chords(plans))

    def render(self, index: int) -> np.ndarray:
        from .mastering import loudness
        self.render_started[index] = time.perf_counter()
        score = self.compose(index)
        self.scores[index] = score
        st = replace(self.style, palette={**self.style.palette, "lead": None})
        backing = render_score(score, st, variation_seed(self.request.seed, index))
        n = max(backing.shape[1], self.audio.shape[1])
        out = np.zeros((2, n), dtype=np.float32)
        lb, lv = loudness(backing, SR), loudness(self.audio, SR)
        out[:, : backing.shape[1]] += backing * np.float32(10 ** ((lv - BACKING_UNDER_LU - lb) / 20))
        out[:, : self.audio.shape[1]] += self.audio
        return out


class AddVocalsJob(_UploadJob):
    """The inverse of add-instrumental: a sung line over the upload. The upload's key comes
    from the chroma of the whole mix (its harmony; it has no melody to follow), its chords per
    bar from each bar's chroma, its beat grid from its onsets; the composer writes the lyrics'
    melody on that grid over those chords, the singer sings it, and it is mixed over the
    upload, which plays as it was."""

    def key(self, mono: np.ndarray) -> tuple[int, str]:
        from .analysis import key_of
        self.mono = mono
        self.notes = []
        return key_of(mono)

    def vocal_plans(self):
        """The lyrics' sections on the upload's bars: a short instrumental intro, each section
        in turn while it fits (then the choruses again), the bars left over instrumental. A
        first section longer than the upload keeps the lines that fit."""
        from .composer import SectionPlan
        bar = 60.0 / self.style.tempo * self.style.beats_per_bar
        total = sum(p.bars for p in self.plans())
        inside = int((self.audio.shape[1] / SR - self.rhythm.phase) // bar)  # bars wholly heard
        sections = [SectionPlan(s.kind, ly.estimate_bars(s, self.style.beats_per_bar), ly.lyric_lines_for(s))
                    for s in ly.parse_sections(self.texts.lyrics)]
        sections = [p for p in sections if p.lines]
        intro = 2 if inside >= 12 else (1 if inside >= 4 else 0)
        plans = [SectionPlan("intro", intro)] if intro else []
        used, order = intro, list(sections)
        order += [p for p in sections if p.kind == "chorus"] * 16  # repeats fill a long upload
        for k, p in enumerate(order):
            room = inside - used
            if p.bars > room:
                if k == 0 and room >= 1:
                    per_line = p.bars / len(p.lines)
                    n = max(1, int(room // per_line))
                    plans.append(SectionPlan(p.kind, min(room, max(1, int(np.ceil(n * per_line)))),
                                             p.lines[:n]))
                    used += plans[-1].bars
                break
            plans.append(SectionPlan(p.kind, p.bars, p.lines))
            used += p.bars
        if total > used:
            plans.append(SectionPlan("outro", total - used))
        return plans

    def compose(self, index: int) -> Score:
        from .analysis import bar_weights, chords_for
        plans = self.vocal_plans()
        bar = 60.0 / self.style.tempo * self.style.beats_per_bar
        starts = self.rhythm.phase + np.arange(sum(p.bars for p in plans)) * bar
        chords = chords_for(bar_weights(self.mono, starts, bar), self.style.tonic, self.style.mode)
        self.sung_lines[index] = [line for p in plans for line in p.lines]
        # Only the singer: no band (the upload is the band), so no parts and no drums.
        st = replace(self.style, palette={}, extras=())
        score = compose(st, plans, variation_seed(self.request.seed, index), sung=True, gender=self.gender,
                        variant=index, t0=self.rhythm.phase, chords=chords)
        score.parts, score.drums = {}, []
        score.duration = self.audio.shape[1] / SR
        return score

    def render(self, index: int) -> np.ndarray:
        from .mastering import loudness
        self.render_started[index] = time.perf_counter()
        score = self.compose(index)
        self.scores[index] = score
        mono = self.sing(score, index)
        out = self.audio.copy()
        if mono is None or not np.any(mono):
            raise EngineError("The lyrics gave no line to sing over this upload.")
        # the singer through the style's room (its reverb), at the level asked of a lead
        st = replace(self.style, palette={}, extras=())
        vocal = render_score(score, st, variation_seed(self.request.seed, index), vocal=mono, vocal_gain=1.0,
                             drums=False, fx=False)
        n = min(vocal.shape[1], out.shape[1])
        lv, lu = loudness(vocal, SR), loudness(self.audio, SR)
        out[:, :n] += vocal[:, :n] * np.float32(10 ** ((lu + VOCAL_OVER_LU - lv) / 20))
        return out

    def analysis(self, index):
        a = super().analysis(index)
        a.update(vocal_notes=len(self.scores[index].vocal))
        return a


class UploadExtendJob(ExtendJob):
    """Extend, from an upload: the upload up to continueAt, then new bars on its own grid, in
    its key. An upload carries no render's analysis, so its tempo, beat phase and key are
    always heard from the audio before the seam."""

    source_word = "upload"

    def source_limit(self) -> float:
        return self.request.max_upload_seconds

    def source_analysis(self, dur: float) -> dict:
        from .analysis import key_of, tempo_and_beats
        mono = self.audio.mean(axis=0)
        # the last two minutes before the seam: the grid must hold where the new part starts
        # (and at least the first 10 s, however early the seam: a beat needs a few bars)
        cont = min(self.request.continue_at or dur, dur)  # as ExtendJob.prepare decides it
        end = max(cont, min(dur, 10.0))
        s0 = max(0.0, end - TEMPO_ANALYSIS_SECONDS)
        r = tempo_and_beats(mono[int(s0 * SR): int(end * SR)])
        tonic, mode = key_of(mono[: int(end * SR)])
        return {"tempo": r.tempo, "t0": (s0 + r.phase) % r.period, "key": NOTE_NAMES[tonic],
                "mode": mode, "beats_per_bar": 4}


def without_silent_tail(x: np.ndarray) -> np.ndarray:
    """`x` [2, n] up to where its music stops: the end of the last window that is within
    ENDING_BELOW_TYPICAL_DB of the median window's level, plus a short tail."""
    w = int(ENDING_WINDOW_SECONDS * SR)
    count = x.shape[1] // w
    if count < 4:
        return x
    rms = np.sqrt(np.mean(np.square(x[:, : count * w].reshape(2, count, w)), axis=(0, 2)))
    level = 20 * np.log10(rms + 1e-12)
    sounding = np.flatnonzero(level > np.median(level) - ENDING_BELOW_TYPICAL_DB)
    if not len(sounding):
        return x
    end = min(x.shape[1], (int(sounding[-1]) + 1) * w + int(ENDING_TAIL_SECONDS * SR))
    return x[:, :end]


# sounds: about this long, in a power of two of whole bars (2 to 16)
SOUND_SECONDS = 16.0
SOUND_BARS = (2, 16)


class SoundJob(GenerateJob):
    """sounds: a short piece of whole bars in one section, at the tempo and in the key asked
    (else as the description has them). A loop is exactly its bars long, with no fade: what
    rings on past the last bar (notes, reverb) is laid over the first, so the end joins the
    start. A one-shot keeps its tail and fades out, as a song does."""

    def prepare(self):
        texts = super().prepare()
        if self.request.tempo:
            self.style = self.style.with_tempo(playable_tempo(self.request.tempo))
        if self.request.key:
            self.style = self.style.with_key(*key_named(self.request.key))
        return texts

    @property
    def bars(self) -> int:
        bar_sec = 60.0 / self.style.tempo * self.style.beats_per_bar
        want = max(1.0, (self.target() or SOUND_SECONDS) / bar_sec)
        return int(min(SOUND_BARS[1], max(SOUND_BARS[0], 2 ** round(math.log2(want)))))

    def compose(self, index: int) -> Score:
        self.sung_lines[index] = []
        return compose(self.style, [SectionPlan("chorus", self.bars)],
                       variation_seed(self.request.seed, index), sung=False,
                       gender=self.gender, variant=index, vocal_range=self.singer.range)

    def render(self, index: int) -> np.ndarray:
        return self.wrapped(index, super().render(index))

    def wrapped(self, index: int, mix: np.ndarray) -> np.ndarray:
        """A loop's render (or any of its stems: the wrap is linear) cut at its last bar line,
        with what rings on past it laid over its start; a one-shot's as it is."""
        if not self.request.loop:
            return mix
        end = int(round(self.scores[index].sections[-1][2] * SR))  # the last bar's end
        loop = np.ascontiguousarray(mix[:, :end])
        rest = mix[:, end:]
        while rest.shape[1]:  # a tail longer than the loop wraps round again
            n = min(rest.shape[1], end)
            loop[:, :n] += rest[:, :n]
            rest = rest[:, n:]
        return loop

    # A loop is mastered as three copies in a row, and the middle one kept: the rumble
    # filter and the level's gains are then running at its start just as at its end, so
    # its end joins its start (mastered alone, the join jumped by 0.3 of full scale).
    def master(self, index: int, mix: np.ndarray, also: list[np.ndarray] = ()) -> np.ndarray:
        if not self.request.loop:
            return super().master(index, mix, also)
        return _middle_of_three(lambda x, more: super(SoundJob, self).master(index, x, more),
                                mix, also)

    def correct(self, audio: np.ndarray, *, tp_excess: float, also: list[np.ndarray] = ()) -> np.ndarray:
        if not self.request.loop:
            return super().correct(audio, tp_excess=tp_excess, also=also)
        return _middle_of_three(
            lambda x, more: super(SoundJob, self).correct(x, tp_excess=tp_excess, also=more),
            audio, also)

    def fade_out(self, x: np.ndarray) -> np.ndarray:
        return x if self.request.loop else super().fade_out(x)

    def analysis(self, index: int) -> dict:
        return {**super().analysis(index), "loop": self.request.loop, "bars": self.bars,
                "tempo_asked": self.request.tempo, "key_asked": self.request.key}


def _middle_of_three(process, x: np.ndarray, also) -> np.ndarray:
    """`process(x, also)` run on three copies of a loop (and of its stems, written back in
    place), keeping the middle copy."""
    n = x.shape[1]
    tiled = [np.concatenate([stem] * 3, axis=1) for stem in also]
    out = process(np.concatenate([x] * 3, axis=1), tiled)
    for stem, done in zip(also, tiled, strict=True):
        stem[:] = done[:, n:2 * n]
    return np.ascontiguousarray(out[:, n:2 * n])


# The job class that makes each generation mode.
JOBS = {"generate": GenerateJob, "instrumental": GenerateJob, "extend": ExtendJob,
        "upload_cover": CoverJob, "add_instrumental": AddInstrumentalJob, "add_vocals": AddVocalsJob,
        "upload_extend": UploadExtendJob, "sounds": SoundJob, "mashup": MashupJob}
