"""When each lyric word is sung: read off the score the singer rendered, so it is exact.

A take's sung notes each carry the Syllable object they sing, and those objects are the ones
the composer got from the lyric lines (plans) or the cover's cycle of syllables. A word is the
run of consecutive notes on one word of one line; a line is the run of words on one line.
Times are seconds in the take. Kept in the take's analysis as ``lyrics_timing``:

    {"lines": [{"text": "Hold the night", "start": 8.0, "end": 10.2,
                "words": [["Hold", 8.0, 8.4], ["the", 8.5, 8.7], ["night", 8.75, 10.2]]}]}
"""
from __future__ import annotations

import re

from . import lyrics as ly

# A word as written, accents and all ("canción" was timed as "canci" and "n")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ſ']+")


def _raw_lines(text: str) -> list[tuple[str, list[str], str]]:
    """Each lyric line that is sung, as written, with its words as written (only the words
    that make syllables, in the order line_syllables reads them) and its language."""
    out = []
    for section in ly.parse_sections(text):
        for line in section.lines:
            words = [w for w in _WORD.findall(line) if ly.line_syllables(w, section.language)]
            if words:
                out.append((line, words, section.language))
    return out


def _as_written(lines: list[list[ly.Syllable]], text: str) -> list[tuple[str, list[str]]]:
    """The written line and words for each syllable line: found by reading forward through the
    lyrics for a line with the same syllables (sections the form dropped are skipped)."""
    raw = _raw_lines(text)
    keyed = [[s.text for s in ly.line_syllables(line, language)] for line, _words, language in raw]
    out, cursor = [], 0
    for syls in lines:
        want = [s.text for s in syls]
        found = next((k for k in list(range(cursor, len(raw))) + list(range(cursor)) if keyed[k] == want), None)
        if found is None:  # cannot happen for lyrics the plans were made from; keep the sung spelling
            words, cur = [], ""
            for s in syls:
                cur += s.text
                if s.word_end:
                    words.append(cur)
                    cur = ""
            out.append((" ".join(words), words))
            continue
        out.append(raw[found][:2])
        cursor = found + 1
    return out


def sung_words(vocal, lines: list[list[ly.Syllable]], text: str, *, offset: float = 0.0,
               after: float = 0.0) -> dict:
    """The timing of `vocal` (composer Notes with syllables) against `lines`, the syllable lines
    whose objects the notes carry. `offset` moves score time to take time; words starting
    before `after` (take time) are left out (an extension keeps the source's own words there)."""
    where: dict[int, tuple[int, int]] = {}
    for li, syls in enumerate(lines):
        wi = 0
        for s in syls:
            where[id(s)] = (li, wi)
            if s.word_end:
                wi += 1
    written = _as_written(lines, text)
    out_lines: list[dict] = []
    current: tuple[int, int] | None = None
    for note in sorted((n for n in vocal if n.syllable is not None), key=lambda n: n.start):
        key = where.get(id(note.syllable))
        if key is None:
            continue
        start, end = note.start + offset, note.start + note.dur + offset
        if start < after:
            current = None
            continue
        li, wi = key
        line = out_lines[-1] if out_lines else None
        if key == current and line is not None:
            line["words"][-1][2] = round(end, 3)
        else:
            if line is None or current is None or li != current[0] or wi <= current[1]:
                line = {"text": written[li][0], "words": []}
                out_lines.append(line)
            word = written[li][1][wi] if wi < len(written[li][1]) else ""
            line["words"].append([word, round(start, 3), round(end, 3)])
        current = key
    for line in out_lines:
        line["start"], line["end"] = line["words"][0][1], line["words"][-1][2]
    return {"lines": out_lines}


def kept_before(timing: dict | None, seconds: float) -> list[dict]:
    """The lines of an earlier take's timing whose words all start before `seconds`, with the
    words after it dropped (an extension keeps its source up to continueAt)."""
    out = []
    for line in (timing or {}).get("lines", []):
        words = [w for w in line["words"] if w[1] < seconds]
        if words:
            out.append({**line, "words": words, "start": words[0][1], "end": min(words[-1][2], seconds)})
    return out
