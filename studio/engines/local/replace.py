"""Replace section: a window of a take (6 to 60 s) made again with new words or a new style,
everything outside it kept sample for sample.

The new part is composed on the source's own grid: its tempo, bar phase, key and singer (and
its instruments and groove while the style is the source's), as an extension is. It starts on
the bar line at or before the window and runs a bar past it, so neither its first bar nor its
closing chord falls inside the window. It is mastered to the loudness of the source around the
window, then laid in: the source's decoded samples are copied untouched before the window's
start and from its end on, and inside the window an equal-power crossfade of
WINDOW_CROSSFADE_SECONDS at each edge joins the new part to them, so neither seam clicks.
The take has the source's exact length, and its WAV master (always written) holds the kept
audio bit for bit as the source's own WAV download does.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..base import EngineError
from . import lyrics as ly
from . import timing
from .composer import Score, SectionPlan, compose, variation_seed
from .instruments import SR
from .lyrics import estimate_bars, lyric_lines_for
from .mastering import TARGET_LUFS, limit, loudness, master
from .modes import LOUDNESS_RANGE, ExtendJob

WINDOW_CROSSFADE_SECONDS = 0.05
# The loudness the new part is mastered to: the source's, this far either side of the window.
AROUND_SECONDS = 10.0
BARS_PAST_WINDOW = 1


def window_plans(sections: list[ly.Section] | None, bars: int, kind: str) -> list[SectionPlan]:
    """The new part's form in `bars` bars: the sections of its words (two bars a line, as a
    song's), then bars without words to the window's end; squeezed when the words are more
    than the window holds (lines that find no bar are not sung). No intro or outro: the song
    goes on around it."""
    plans = []
    for section in sections or []:
        lines = lyric_lines_for(section)
        if not lines:
            continue
        k = section.kind if section.kind not in ("intro", "outro") else "verse"
        plans.append(SectionPlan(k, estimate_bars(section, 4), lines))
    used = sum(p.bars for p in plans)
    if used < bars:
        plans.append(SectionPlan(kind, bars - used))
    elif used > bars:
        for p in plans:
            p.bars = max(1, int(p.bars * bars / used))
        while sum(p.bars for p in plans) > bars and len(plans) > 1:
            plans.pop()
        plans[-1].bars += bars - sum(p.bars for p in plans)
    return plans


class ReplaceSectionJob(ExtendJob):
    def prepare(self):
        texts = super(ExtendJob, self).prepare()  # GenerateJob's: the words and style asked for
        src = self.request.source
        if self.request.window is None or src is None:
            raise EngineError("Replace section needs the track and the window to replace.")
        same_style = (self.request.style or "").strip().lower() == (src.style or "").strip().lower()
        self.follow_source(keep_band=same_style)
        n = self.audio.shape[1]
        start, end = self.request.window
        # Sample positions: the validator held the window inside the track's stored length;
        # the decoded audio may be a few samples shorter.
        self.a = min(int(round(start * SR)), n)
        self.b = min(int(round(end * SR)), n)
        if self.b - self.a < 4 * int(WINDOW_CROSSFADE_SECONDS * SR):
            raise EngineError("The window to replace falls outside the track's audio.")
        around = np.concatenate([self.audio[:, max(0, self.a - int(AROUND_SECONDS * SR)):self.a],
                                 self.audio[:, self.b:self.b + int(AROUND_SECONDS * SR)]], axis=1)
        target = loudness(around, SR) if around.shape[1] > SR else TARGET_LUFS
        self.loudness_target = float(np.clip(target, *LOUDNESS_RANGE))
        if self.loudness_target <= LOUDNESS_RANGE[0] + 1:  # silence around it: the usual target
            self.loudness_target = TARGET_LUFS
        # The window's words are sung; the take's lyrics are the whole song's after the change.
        self.window_words = texts.lyrics
        self.texts = replace(texts, lyrics=self.whole_song(start, end), sung=bool(texts.lyrics))
        return self.texts

    def whole_song(self, start: float, end: float) -> str:
        """fullLyrics when given; else the source's sung lines before the window, the window's
        words, and the source's lines after it."""
        if self.request.full_lyrics:
            return self.request.full_lyrics
        source = self.src_analysis.get("lyrics_timing")
        before = [line["text"] for line in timing.kept_before(source, start)]
        after = [line["text"] for line in (source or {}).get("lines", [])
                 if line["words"] and line["words"][0][1] >= end]
        return "\n".join(part for part in ("\n".join(before), self.window_words.strip(),
                                             "\n".join(after)) if part)

    def sections(self):
        return ly.parse_sections(self.window_words) if self.window_words else None

    def _kind_at(self, seconds: float) -> str:
        """The source's section at `seconds` (its analysis names them), for a wordless window."""
        for kind, a, b in self.src_analysis.get("sections") or []:
            if a <= seconds < b and kind not in ("intro", "outro"):
                return kind
        return "verse"

    def compose(self, index: int) -> Score:
        bar = 60.0 / self.style.tempo * self.style.beats_per_bar
        t0 = float(self.src_analysis.get("t0") or 0.0)
        start = self.a / SR
        self.grid_start = t0 + np.floor((start - t0) / bar) * bar
        bars = int(np.ceil((self.b / SR - self.grid_start) / bar)) + BARS_PAST_WINDOW
        plans = window_plans(self.sections(), bars, self._kind_at(start))
        self.sung_lines[index] = [line for p in plans for line in p.lines]
        return compose(self.style, plans, variation_seed(self.request.seed, index),
                       sung=self.texts.sung, gender=self.gender, variant=index)

    def master(self, index: int, mix: np.ndarray) -> np.ndarray:
        self._index = index
        new = master(mix, SR, target=self.loudness_target, ceiling_db=self.ceiling[index])
        length = self.b - self.a
        off = int(round((self.a / SR - self.grid_start) * SR))
        part = np.zeros((2, length), dtype=np.float32)
        got = new[:, off:off + length]
        part[:, :got.shape[1]] = got
        out = self.audio.copy()
        out[:, self.a:self.b] = join(self.audio[:, self.a:self.b], part,
                                     int(WINDOW_CROSSFADE_SECONDS * SR))
        self.lufs = loudness(out, SR)
        return out

    def correct(self, audio: np.ndarray, *, tp_excess: float) -> np.ndarray:
        """An MP3 overshoot is limited inside the window only: the kept audio stays as it is
        (it passed this check as the source's own MP3)."""
        a, b = self.a, self.b
        audio[:, a:b] = limit(audio[:, a:b], SR, -1.0 - tp_excess - 0.3)
        self.lufs = loudness(audio, SR)
        return audio

    def analysis(self, index: int) -> dict:
        out = super(ExtendJob, self).analysis(index)  # GenerateJob's, on the source's grid
        out.update(t0=float(self.src_analysis.get("t0") or 0.0),
                   replaced=[round(self.a / SR, 3), round(self.b / SR, 3)])
        return out

    def lyrics_timing(self, index: int) -> dict:
        """The source's words before the window, the new part's inside it, the source's after."""
        start, end = self.a / SR, self.b / SR
        source = self.src_analysis.get("lyrics_timing")
        before = timing.kept_before(source, start)
        after = [line for line in (source or {}).get("lines", []) if line["words"]
                 and line["words"][0][1] >= end]
        vocal = self.scores[index].vocal
        new = timing.sung_words(vocal, self.sung_lines.get(index, []), self.window_words,
                                offset=self.grid_start, after=start)["lines"] if vocal else []
        inside = []
        for line in new:
            words = [w for w in line["words"] if w[1] < end]
            if words:
                inside.append({**line, "words": words, "start": words[0][1],
                               "end": min(words[-1][2], end)})
        lines = before + inside + after
        return {"lyrics_timing": {"lines": lines}} if lines else {}


def join(old: np.ndarray, new: np.ndarray, fade: int) -> np.ndarray:
    """`new` in place of `old` (same shape), faded in over `fade` samples from `old` at the
    start and back out to `old` over the last `fade`: equal power, so the level holds."""
    out = new.copy()
    theta = np.linspace(0, np.pi / 2, fade, dtype=np.float32)
    fade_in, fade_out = np.sin(theta), np.cos(theta)
    out[:, :fade] = old[:, :fade] * fade_out + new[:, :fade] * fade_in
    out[:, -fade:] = new[:, -fade:] * fade_out + old[:, -fade:] * fade_in
    return out
