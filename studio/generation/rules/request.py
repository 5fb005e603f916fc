"""The typed request every step after the validator reads, and what the rules need besides
the fields (the surface's context, the source audio once found)."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from typing import Any

from .catalogue import (
    ADD_INSTRUMENTAL,
    ADD_VOCALS,
    DEFAULT_MODEL,
    EXTEND,
    EXTENSIONS,
    GENERATE,
    INSTRUMENTAL,
    LEGACY_SONG,
    MASHUP,
    MODELS,
    MODES,
    REPLACE_SECTION,
    SOUNDS,
    UPLOAD_COVER,
    UPLOAD_EXTEND,
    Model,
)

_SECTION_MARKER = re.compile(r"^\s*\[[^\]]{1,40}\]\s*$")


@dataclass(frozen=True)
class Source:
    """The audio a request builds on, once found: its length in seconds, and whatever the
    caller found (a library track or an upload; opaque to the rules)."""

    duration: float
    found: Any = None
    model: str = ""  # the model that made it, where one did (a library track)


@dataclass(frozen=True)
class Context:
    """What the rules need besides the fields.

    `labels` name fields the way this surface does (the form's labels, or the client's own
    field names in the legacy dialect). The source of an extend, cover or add-instrumental is
    given (`source`, a form's chosen track or upload) or found from the field's value by
    `find_source(field, value)` once every other field is valid, so an API request with a
    bad prompt costs no download.
    """

    surface: str = "v1"  # web | v1 | legacy
    labels: Mapping = field(default_factory=dict)
    # Fields this surface requires beyond the operation's rules, with the reason shown
    # (legacy extend-Instrumental requires its style: {"style": "the extension's style"}).
    required: Mapping = field(default_factory=dict)
    source: Source | None = None
    # A mashup's two songs, when the surface has them (a form's uploads); else find_source
    # is called for each of uploadUrlList's URLs.
    sources: tuple[Source, ...] = ()
    find_source: Callable[[str, str], Source] | None = None
    # Checks that a personaId names one of the caller's personas (raising the surface's own
    # error when not); called once every field is valid. The web's picker offers only those.
    find_persona: Callable[[str], Any] | None = None


@dataclass(frozen=True)
class GenerationRequest:
    """One validated request. Attribute names are the v1 fields' own, in Python's case:
    `continue_at` is `continueAt`, `custom_mode` is `customMode`."""

    operation: str
    model: str
    custom_mode: bool = False
    instrumental: bool = False
    prompt: str = ""  # as given: the idea (non-custom) or the lyrics
    style: str = ""  # the style that steers the music (legacy and add-instrumental: tags)
    title: str = ""
    tags: str = ""  # as given by the dialects that name the style "tags"
    negative_tags: str = ""
    vocal_gender: str = ""  # m | f | "" (the engine chooses)
    style_weight: float | None = None
    weirdness_constraint: float | None = None
    audio_weight: float | None = None
    persona_id: str = ""
    audio_id: str = ""  # the track an extension continues
    default_param_flag: bool | None = None  # extend: False inherits the source's settings
    continue_at: float | None = None  # decided: where the extension starts, in seconds
    upload_url: str = ""  # cover / add-* / upload-extend: the audio, as the client named it
    task_id: str = ""  # replace section: the task that made audioId (the vendors ask both)
    infill_start_s: float | None = None  # replace section: the window, in seconds of the source
    infill_end_s: float | None = None
    full_lyrics: str = ""  # replace section: the whole song's words after the change
    upload_url_list: tuple[str, ...] = ()  # mashup: the two songs, as the client named them
    sound_loop: bool = False  # sounds: the clip loops (whole bars, no fade, end joins start)
    sound_tempo: int | None = None  # sounds: BPM asked (1-300); None is Auto
    sound_key: str = ""  # sounds: "Cm", "F#", ...; "" is Any
    grab_lyrics: bool = False  # sounds: kept as asked (what the local engine makes has no words)
    # Private: a target length in seconds (tests and benchmarks; no public field sets it).
    target_seconds: float | None = None

    @property
    def mode(self) -> str:
        return MODES[self.operation]

    @property
    def limits(self) -> Model:
        return MODELS[self.model]

    @property
    def lyrics(self) -> str:
        """Words sung as written; "" when the engine writes its own or nothing is sung."""
        if not self.sung:
            return ""
        return self.prompt if self.operation in (*EXTENSIONS, REPLACE_SECTION) \
            or self.custom_mode else ""

    @property
    def idea(self) -> str:
        """A description the engine writes lyrics (and a title) from; "" in custom mode."""
        if self.operation in (GENERATE, UPLOAD_COVER, ADD_VOCALS, LEGACY_SONG, MASHUP) \
                and not self.custom_mode:
            return self.prompt
        return ""

    @property
    def sung(self) -> bool:
        return not self.instrumental and self.operation not in (INSTRUMENTAL, ADD_INSTRUMENTAL)

    def as_params(self) -> dict:
        """The request in the API's field names, as stored on the generation and shown."""
        out = {}
        for name, api in _API_NAMES.items():
            value = getattr(self, name)
            if value is None or value == "" or value == () or (name in _DEFAULT_FALSE and value is False
                                                 and name not in _ALWAYS_SHOWN[self.operation]):
                continue
            out[api] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_params(cls, operation: str, params: Mapping) -> GenerationRequest:
        """A stored request back as the typed value (it was validated when it was made)."""
        known = {name: params[api] for name, api in _API_NAMES.items() if api in params}
        if "upload_url_list" in known:  # stored as JSON, a list
            known["upload_url_list"] = tuple(known["upload_url_list"])
        if operation in (INSTRUMENTAL, ADD_INSTRUMENTAL) and not known.get("style"):
            known["style"] = known.get("tags", "")  # the dialects that call the style tags
        return cls(operation=operation, **{"model": DEFAULT_MODEL, **known})


_API_NAMES = {f.name: "".join(w.title() if i else w for i, w in enumerate(f.name.split("_")))
              for f in dataclass_fields(GenerationRequest) if f.name != "operation"}
_API_NAMES["target_seconds"] = "_duration"
_DEFAULT_FALSE = {"custom_mode", "instrumental", "sound_loop", "grab_lyrics"}
# The flags each operation always states, true or false (as its vendor's request does).
_ALWAYS_SHOWN = {GENERATE: {"custom_mode", "instrumental"},
                 UPLOAD_COVER: {"custom_mode", "instrumental"},
                 INSTRUMENTAL: {"custom_mode", "instrumental"}, EXTEND: {"instrumental"},
                 ADD_INSTRUMENTAL: {"instrumental"}, LEGACY_SONG: {"instrumental"},
                 REPLACE_SECTION: set(), ADD_VOCALS: set(),
                 UPLOAD_EXTEND: {"instrumental"}, SOUNDS: {"sound_loop", "grab_lyrics"},
                 MASHUP: {"custom_mode", "instrumental"}}


def looks_like_lyrics(text: str) -> bool:
    """Legacy generate-music's prompt is lyrics when it has section markers ([Verse]) or
    several lines; otherwise it describes the song."""
    return any(_SECTION_MARKER.match(line) for line in text.splitlines()) or \
        text.count("\n") >= 2


def model_name(code: str, surface: str) -> str:
    """A model as this surface names it: the creator's label on the web (V4.5+), the API's
    code for API clients (V4_5PLUS: their vendors' messages use the codes)."""
    return MODELS[code].label if surface == "web" and code in MODELS else code
