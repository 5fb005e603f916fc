"""The text stage: what a take is called, what steers its music, and what is sung.

The request arrives with its decisions made (lyrics to sing as written, or an idea to write
them from); this module only writes what is missing: lyrics from an idea, a title.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..base import EngineError, EngineRequest
from . import lyrics as ly
from . import songwriter, titles
from .style import WORDS, WRITTEN, Style, parse_style, stable_hash, tokenize


@dataclass
class Texts:
    title: str
    style_text: str  # what steers the music
    style_label: str  # what the library shows
    lyrics: str  # "" for instrumentals
    sung: bool


def plan_texts(request: EngineRequest) -> Texts:
    style = request.style
    title = ly.clean_title(request.title)
    idea = request.idea
    steer = " ".join(s for s in (style, idea) if s)
    lyrics = request.lyrics.strip()
    src = request.source
    if not lyrics and request.mode == "upload_cover" and src is not None and not request.instrumental:
        # The same song, restyled: a cover of a sung track sings its words, and the idea
        # says how it sounds ("the same song as a smoky jazz piano trio" was sung as "I
        # still miss the trio tonight"). An upload's words are not known: written anew.
        lyrics = src.lyrics.strip()
    if not lyrics and idea and not request.instrumental:
        lyrics = songwriter.write_lyrics(idea, request.seed)
    if request.mode in ("extend", "upload_extend") and src is not None:
        steer = steer or src.style  # the same band carries on unless a new style is asked for
    if request.mode in ("extend", "upload_extend", "upload_cover") and src is not None:
        # the same song: its title (an upload's is its file name, without the extension); a
        # cover of "melody.wav" was "The Mellow Ocean"
        title = title or _AUDIO_EXTENSION.sub("", src.title)
    if not lyrics and request.mode == "extend" and src is not None and not request.instrumental:
        lyrics = carried_on(src.lyrics, title, request.seed)
    if not title:
        if idea:
            title = titles.title_from_idea(idea, request.seed)
        elif lyrics:
            title = titles.title_from_lyrics(lyrics, request.seed)
        else:  # an instrumental from a style alone: a title of stock words
            title = titles.title_from_idea(steer, request.seed)
    label = style or _label_from(steer)
    return Texts(title=title, style_text=steer, style_label=label, lyrics=lyrics,
                 sung=bool(lyrics.strip()))


def carried_on(source_lyrics: str, title: str, seed: int) -> str:
    """What an extension sings when it is given no words and is not instrumental: a new verse
    on the song's own subject (its title), then the song's chorus again, as a song goes on.
    An extension asked to sing was silent from continueAt. "" for a source nobody sang in."""
    sung = [s for s in ly.parse_sections(source_lyrics) if s.lines]
    if not sung:
        return ""
    heard = {line.casefold() for s in sung for line in s.lines}
    rhymed = {_last_word(line) for s in sung for line in s.lines}
    written = [s for k in range(3) if title  # three songs' verses to choose from
               for s in ly.parse_sections(songwriter.write_lyrics(title, seed + k))
               if s.lines and s.language == sung[0].language and s.kind == "verse"]
    # The new verse's couplets: none the song has sung, and, where the writer has enough,
    # none on the song's own rhymes (the same couplet with another thing in it: "Through the
    # porch I hear you call / Dancing on before we fall" after "Through the old summer
    # evening I hear you call / Flying on before we fall")
    couplets = [pair for s in written for pair in zip(s.lines[::2], s.lines[1::2], strict=False)
                if not heard & {line.casefold() for line in pair}]
    fresh = [pair for pair in couplets if not rhymed & {_last_word(line) for line in pair}]
    verse = [line for pair in (fresh + [c for c in couplets if c not in fresh])[:2] for line in pair]
    chorus = next((s.lines for s in sung if s.kind == "chorus"), None)
    parts = [(kind, lines) for kind, lines in (("Verse", verse), ("Chorus", chorus)) if lines] or \
        [(sung[-1].kind.title(), sung[-1].lines)]
    return "\n\n".join(f"[{kind}]\n" + "\n".join(lines) for kind, lines in parts)


def _last_word(line: str) -> str:
    words = re.findall(r"[^\W\d_]+", line.casefold())
    return words[-1] if words else ""


_AUDIO_EXTENSION = re.compile(r"\.(mp3|wav|wave|flac|ogg|oga|opus|m4a|aac|webm|aiff?)$", re.I)


def _label_from(text: str) -> str:
    """The style words of a text with no style of its own (an idea), as a person writes them."""
    words = [WRITTEN.get(w, w) for w in tokenize(text) if w in WORDS]
    return ", ".join(dict.fromkeys(words)) or "pop"


def gender(request: EngineRequest) -> str:
    """The voice asked for, else one the seed picks."""
    if request.vocal_gender:
        return request.vocal_gender
    return "m" if stable_hash("gender", request.seed) % 2 else "f"


def style_for(request: EngineRequest, texts: Texts) -> Style:
    return parse_style(texts.style_text, negative=request.negative_tags, seed=request.seed,
                       style_weight=request.style_weight,
                       weirdness=request.weirdness_constraint)


def readable(e: Exception) -> EngineError:
    """The error a user reads when making a take failed (here or in the helper process)."""
    if isinstance(e, EngineError):
        return e
    if isinstance(e, MemoryError):
        return EngineError("The local engine ran out of memory for this request.")
    return EngineError(f"The local engine could not make this track: {type(e).__name__}: {e}")


@dataclass(frozen=True)
class LyricSheet:
    title: str
    text: str  # with section markers: [Verse], [Chorus], ...


_ROMAN = ("I", "II", "III", "IV", "V")


def _titles_to_try(idea: str, seed: int, first: str, text: str):
    """A sheet's titles in the order lyric_variants tries them, each made only when asked
    for: most sheets take the first or second."""
    yield first
    for k in range(12):
        yield titles.patterned_title(idea, seed + 101 * k)
    for k in range(12):
        yield titles.patterned_title(idea, seed + 101 * k, placed=False, every=True)
    yield titles.hook(text)


def lyric_variants(idea: str, seed: int) -> list[LyricSheet]:
    """Several distinct lyric sheets for one idea, one per song form the writer knows, each
    with its own seed, so a creator has real alternatives to choose from."""
    sheets, names = [], []
    for i, form in enumerate(songwriter.FORMS):
        # each sheet gets a title of its own, so the alternatives are told apart by name too:
        # the idea's own "about ..." or place once, then titles the patterns make, then any
        # pattern without the place (an idea that names a place, or has few words, fills
        # few), the sheet's own hook, and at the very last a numbered title
        text = songwriter.write_lyrics(idea, seed + i, form)
        first = titles.title_from_idea(idea, seed + i)
        numbered = f"{first} {_ROMAN[i] if i < len(_ROMAN) else i + 1}"
        names.append(next((t for t in _titles_to_try(idea, seed + i, first, text)
                           if t and t not in names), numbered))
        sheets.append(LyricSheet(title=names[-1], text=text))
    return sheets
