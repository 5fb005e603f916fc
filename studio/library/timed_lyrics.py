"""A track's lyrics with each word's time: what the local engine recorded when it sang them
(`analysis["lyrics_timing"]`, see engines/local/timing.py), shown as the vendors' alignedWords,
as LRC, and as the track page's karaoke lines; a v1 vendor's take has the timing its vendor
aligned, asked for once (connections/derived.py). Nothing here estimates: a track without a
recorded timing (a legacy vendor's take, an upload's cover made elsewhere) has none."""
from __future__ import annotations

import re

from .models import Track


def lines(track: Track) -> list[dict]:
    """[{text, start, end, words: [[word, start, end], ...]}, ...] in the order sung."""
    timing = (track.analysis or {}).get("lyrics_timing") or {}
    return [line for line in timing.get("lines", []) if line.get("words")]


def as_shown(track: Track) -> list[dict]:
    """`lines` for reading along: each word as written in its line, with the punctuation that
    follows it ("Sail on, sail on", not "Sail on sail on"), and whether a space follows it
    ("rock-and-roll" is three sung words with no space between them)."""
    return [{**line, "words": _punctuated(line)} for line in lines(track)]


def _punctuated(line: dict) -> list[list]:
    """[[word as shown, start, end, space after], ...] for one line: the written line cut at
    each sung word's start; as sung, with spaces, where a word is not found in the text."""
    text, words = line.get("text") or "", line["words"]
    starts, cursor = [], 0
    for word, _start, _end in words:
        at = text.find(word, cursor)
        if at < 0:
            return [[word, start, end, True] for word, start, end in words]
        starts.append(at)
        cursor = at + len(word)
    starts[0] = 0  # what opens the line (a quote, a bracket) goes with its first word
    # the last sung word ends with its punctuation: the line may go on unsung (an extension
    # keeps its source's words only up to continueAt)
    cuts = [*starts[1:], cursor + len(_PUNCTUATION.match(text, cursor).group())]
    return [[text[a:b].strip(), start, end, b < len(text) and text[a:b] != text[a:b].rstrip()]
            for a, b, (_word, start, end) in zip(starts, cuts, words, strict=True)]


_PUNCTUATION = re.compile(r"[^\w\s]*")


def aligned_words(track: Track) -> list[dict]:
    """The vendors' alignedWords: one entry per sung word; the last word of each line ends in
    a newline, as Suno's aligned lyrics do, so a client can rebuild the lines."""
    out = []
    for line in lines(track):
        for k, (word, start, end) in enumerate(line["words"]):
            last = k == len(line["words"]) - 1
            out.append({"word": word + ("\n" if last else " "), "success": True,
                        "startS": start, "endS": end, "palign": 0})
    return out


def _stamp(seconds: float) -> str:
    centis = int(round(max(0.0, seconds) * 100))
    return f"[{centis // 6000:02d}:{centis // 100 % 60:02d}.{centis % 100:02d}]"


def lrc(track: Track) -> str:
    """Enhanced LRC: a [mm:ss.xx] time per line, and <mm:ss.xx> before each word (as shown:
    with its punctuation)."""
    head = [f"[ti:{track.title or 'Untitled'}]", "[by:Studio]",
            f"[length:{int(track.duration // 60):02d}:{int(track.duration % 60):02d}]"]
    body = []
    for line in as_shown(track):
        words = "".join(f"<{_stamp(s)[1:-1]}>{w}{' ' if space else ''}"
                        for w, s, _e, space in line["words"])
        body.append(f"{_stamp(line['start'])}{words}")
    return "\n".join(head + body) + "\n"


_MARKER = re.compile(r"\[[^\]]*\]")


def from_aligned_words(words) -> dict:
    """A vendor's alignedWords as a recorded timing ({"lines": [...]}, the shape `lines`
    reads): a word ending in a newline ends its line, section markers ("[Verse]") are not
    sung and are dropped, and so is a word without usable times."""
    lines, current = [], []

    def close():
        if current:
            lines.append({"text": " ".join(w for w, _s, _e in current), "start": current[0][1],
                          "end": current[-1][2], "words": list(current)})
            current.clear()

    for item in words:
        raw = str(item.get("word") or "")
        text = _MARKER.sub("", raw).strip()
        try:
            start, end = float(item.get("startS")), float(item.get("endS"))
        except (TypeError, ValueError):
            start = end = None
        if raw.lstrip(" ").startswith("\n") and _MARKER.search(raw):
            close()
        if text and start is not None and 0 <= start <= end:
            current.append([text, round(start, 3), round(end, 3)])
        if raw.rstrip(" ").endswith("\n"):
            close()
    close()
    return {"lines": lines}
