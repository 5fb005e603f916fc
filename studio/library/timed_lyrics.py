"""A track's lyrics with each word's time: what the local engine recorded when it sang them
(`analysis["lyrics_timing"]`, see engines/local/timing.py), shown as the vendors' alignedWords,
as LRC, and as the track page's karaoke lines. Nothing here estimates: a track without a
recorded timing (a vendor's take, an upload's cover made elsewhere) has none."""
from __future__ import annotations

from .models import Track


def lines(track: Track) -> list[dict]:
    """[{text, start, end, words: [[word, start, end], ...]}, ...] in the order sung."""
    timing = (track.analysis or {}).get("lyrics_timing") or {}
    return [line for line in timing.get("lines", []) if line.get("words")]


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
    """Enhanced LRC: a [mm:ss.xx] time per line, and <mm:ss.xx> before each word."""
    head = [f"[ti:{track.title or 'Untitled'}]", "[by:Studio]",
            f"[length:{int(track.duration // 60):02d}:{int(track.duration % 60):02d}]"]
    body = []
    for line in lines(track):
        words = " ".join(f"<{_stamp(s)[1:-1]}>{w}" for w, s, _e in line["words"])
        body.append(f"{_stamp(line['start'])}{words}")
    return "\n".join(head + body) + "\n"
