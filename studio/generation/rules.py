"""The seeds' rules for a generation request, in one place.

`validate(operation, fields, context)` takes the raw fields (a form's values, an API body)
and returns one immutable `GenerationRequest`, or raises `InvalidRequest` naming every broken
field at once. Forms and both API dialects validate here, so a form error and an API error
come from the same rule with the same words; everyone after the validator reads the typed
value and nobody re-parses a field or re-checks a limit.

Field names are the v1 API's (camelCase); the legacy dialect maps its names onto these
before validating, and its `Context.labels` name the fields back as the client sent them.

Where the vendors' pages disagree, Studio takes the more permissive published limit, so a
request that is valid for any vendor is valid here: the title limit is 100 characters for
V4_5, V4_5PLUS, V5 and V5_5 (docs.sunoapi.org and seed 004's upload-cover) and 80 for V4 and
V4_5ALL.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

# Every generation yields this many takes (variations), at every vendor and here.
TAKES = 2


@dataclass(frozen=True)
class Model:
    """What one model allows: characters per field, seconds of song and of upload."""

    lyrics: int
    style: int
    title: int
    max_seconds: int  # longest song the model makes
    suno_name: str  # Suno's own name for it, shown as modelName
    label: str  # its name in the vendors' web apps, shown to creators (V4.5+, not V4_5PLUS)
    max_upload_seconds: int = 8 * 60


# The one table of limits by model: the validator, the engines, the upload check and the
# create form's counters all read it (suno_api.md §2.1 and §7.1).
MODELS: Mapping[str, Model] = MappingProxyType({
    "V4": Model(lyrics=3000, style=200, title=80, max_seconds=4 * 60, suno_name="chirp-v4",
                label="V4"),
    "V4_5": Model(lyrics=5000, style=1000, title=100, max_seconds=8 * 60,
                  suno_name="chirp-auk", label="V4.5"),
    "V4_5PLUS": Model(lyrics=5000, style=1000, title=100, max_seconds=8 * 60,
                      suno_name="chirp-bluejay", label="V4.5+"),
    "V4_5ALL": Model(lyrics=5000, style=1000, title=80, max_seconds=8 * 60,
                     suno_name="chirp-auk-turbo", label="V4.5 All", max_upload_seconds=60),
    "V5": Model(lyrics=5000, style=1000, title=100, max_seconds=8 * 60, suno_name="chirp-crow",
                label="V5"),
    "V5_5": Model(lyrics=5000, style=1000, title=100, max_seconds=8 * 60,
                  suno_name="chirp-fenix", label="V5.5"),
})
DEFAULT_MODEL = "V4_5"
ADD_INSTRUMENTAL_MODELS = ("V4_5PLUS", "V5", "V5_5")
ADD_INSTRUMENTAL_DEFAULT = "V4_5PLUS"
# Add vocals takes the same models as its inverse, add instrumental (suno_api.md §2 row 6).
ADD_VOCALS_MODELS, ADD_VOCALS_DEFAULT = ADD_INSTRUMENTAL_MODELS, ADD_INSTRUMENTAL_DEFAULT
# Legacy (sunoapi.co / sunosay) clients send "v3.5" or "chirp-v3-5"; they get V4's limits.
LEGACY_MODELS = {"v3.5": "V4", "chirp-v3-5": "V4", "v4": "V4", "chirp-v4": "V4",
                 "v4.5": "V4_5", "chirp-v4-5": "V4_5", "v5": "V5", "chirp-v5": "V5",
                 "v5.5": "V5_5", "chirp-v5-5": "V5_5"}
IDEA_LIMIT = 500  # non-custom mode's prompt, every model
NEGATIVE_TAGS_LIMIT = 1000
URL_LIMIT = 2000
LONGEST_UPLOAD_SECONDS = max(m.max_upload_seconds for m in MODELS.values())
# An extension adds at least this much: continueAt must leave room before the model's end.
MIN_EXTENSION_SECONDS = 5.0
VOCAL_GENDERS = ("m", "f")
WEIGHTS = ("styleWeight", "weirdnessConstraint", "audioWeight")

# Operations: what a request asks for. Each maps to a generation mode (MODES).
GENERATE = "generate"
INSTRUMENTAL = "instrumental"  # legacy generate-instrumental: tags (+ title)
EXTEND = "extend"
UPLOAD_COVER = "upload_cover"
ADD_INSTRUMENTAL = "add_instrumental"
# Replace section (infill): a window of a finished take made again, the rest kept as it is.
REPLACE_SECTION = "replace_section"
ADD_VOCALS = "add_vocals"  # the inverse: a sung line over an uploaded instrumental
UPLOAD_EXTEND = "upload_extend"  # extend, from an upload instead of a library track
# Legacy generate-music (seed 001): `prompt` is lyrics or a description of any length up to
# the model's lyrics limit (the seed's own sample describes the song in ~900 characters),
# `tags` and `title` are optional. No customMode: a prompt with section markers or several
# lines is sung as written, anything else is the song's description.
LEGACY_SONG = "legacy_song"
OPERATIONS = (GENERATE, INSTRUMENTAL, EXTEND, UPLOAD_COVER, ADD_INSTRUMENTAL, ADD_VOCALS,
              UPLOAD_EXTEND, LEGACY_SONG, REPLACE_SECTION)
# The generation mode (generation.models.Mode's values) each operation makes.
MODES = {GENERATE: "generate", INSTRUMENTAL: "instrumental", EXTEND: "extend",
         UPLOAD_COVER: "upload_cover", ADD_INSTRUMENTAL: "add_instrumental",
         ADD_VOCALS: "add_vocals", UPLOAD_EXTEND: "upload_extend", LEGACY_SONG: "generate",
         REPLACE_SECTION: "replace_section"}
# The operations that continue their source from `continueAt`.
EXTENSIONS = (EXTEND, UPLOAD_EXTEND)
# Replace section's window (suno_api.md §2 row 7): 6 to 60 seconds, given to 2 decimals.
REPLACE_MIN_SECONDS = 6.0
REPLACE_MAX_SECONDS = 60.0

# How each surface names a field in its messages. The API names fields as sent.
FORM_LABELS = MappingProxyType({
    "prompt": "Lyrics", "idea": "Idea", "style": "Style", "title": "Title", "model": "Model",
    "tags": "Tags", "negativeTags": "Exclude styles", "vocalGender": "Vocal gender",
    "styleWeight": "Style weight", "weirdnessConstraint": "Weirdness",
    "audioWeight": "Audio weight", "continueAt": "Continue at", "uploadUrl": "Audio",
    "audioId": "Track", "customMode": "Custom mode", "instrumental": "Instrumental",
    "personaId": "Persona", "callBackUrl": "Callback URL", "file": "Upload",
    "defaultParamFlag": "Custom settings",
    "infillStartS": "Window start", "infillEndS": "Window end", "fullLyrics": "Full lyrics",
    "taskId": "Task",
})
PLURAL_LABELS = {"Lyrics", "Tags", "Exclude styles", "tags", "negativeTags"}
_SECTION_MARKER = re.compile(r"^\s*\[[^\]]{1,40}\]\s*$")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


# --- errors --------------------------------------------------------------------------------

class RuleError(ValueError):
    """One broken rule. `kind` is required | too_long | invalid; the API maps it to a code."""

    def __init__(self, field: str, kind: str, template: str, **values):
        self.field, self.kind, self.template, self.values = field, kind, template, values
        super().__init__(self.message())

    def label_key(self) -> str:
        """Which label names the field: `prompt` is the idea in non-custom mode."""
        return self.values.get("label_key", self.field)

    def message(self, labels: Mapping | None = None) -> str:
        label = (labels or {}).get(self.label_key(), self.field)
        be = "are" if label in PLURAL_LABELS else "is"
        text = self.template.format(label=label, be=be, **self.values)
        return text[:1].upper() + text[1:]


class InvalidRequest(RuleError):
    """Every broken rule of one request. Reads as its first error (field, kind), and its
    message names them all, so a client fixes everything in one round trip."""

    def __init__(self, errors: list[RuleError], labels: Mapping | None = None):
        self.errors = tuple(errors)
        self.labels = labels
        first = self.errors[0]
        super().__init__(first.field, first.kind, first.template, **first.values)

    def message(self, labels: Mapping | None = None) -> str:
        labels = labels if labels is not None else self.labels
        return "; ".join(RuleError.message(e, labels) for e in self.errors)


# --- the typed request ---------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """The audio a request builds on, once found: its length in seconds, and whatever the
    caller found (a library track or an upload; opaque to the rules)."""

    duration: float
    found: Any = None


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
        if self.operation in (GENERATE, UPLOAD_COVER, ADD_VOCALS, LEGACY_SONG) \
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
            if value is None or value == "" or (name in _DEFAULT_FALSE and value is False
                                                 and name not in _ALWAYS_SHOWN[self.operation]):
                continue
            out[api] = value
        return out

    @classmethod
    def from_params(cls, operation: str, params: Mapping) -> GenerationRequest:
        """A stored request back as the typed value (it was validated when it was made)."""
        known = {name: params[api] for name, api in _API_NAMES.items() if api in params}
        if operation in (INSTRUMENTAL, ADD_INSTRUMENTAL) and not known.get("style"):
            known["style"] = known.get("tags", "")  # the dialects that call the style tags
        return cls(operation=operation, **{"model": DEFAULT_MODEL, **known})


_API_NAMES = {f.name: "".join(w.title() if i else w for i, w in enumerate(f.name.split("_")))
              for f in dataclass_fields(GenerationRequest) if f.name != "operation"}
_API_NAMES["target_seconds"] = "_duration"
_DEFAULT_FALSE = {"custom_mode", "instrumental"}
# The flags each operation always states, true or false (as its vendor's request does).
_ALWAYS_SHOWN = {GENERATE: {"custom_mode", "instrumental"},
                 UPLOAD_COVER: {"custom_mode", "instrumental"},
                 INSTRUMENTAL: {"custom_mode", "instrumental"}, EXTEND: {"instrumental"},
                 ADD_INSTRUMENTAL: {"instrumental"}, LEGACY_SONG: {"instrumental"},
                 REPLACE_SECTION: set(), ADD_VOCALS: set(),
                 UPLOAD_EXTEND: {"instrumental"}}


def looks_like_lyrics(text: str) -> bool:
    """Legacy generate-music's prompt is lyrics when it has section markers ([Verse]) or
    several lines; otherwise it describes the song."""
    return any(_SECTION_MARKER.match(line) for line in text.splitlines()) or \
        text.count("\n") >= 2


def model_name(code: str, surface: str) -> str:
    """A model as this surface names it: the creator's label on the web (V4.5+), the API's
    code for API clients (V4_5PLUS: their vendors' messages use the codes)."""
    return MODELS[code].label if surface == "web" and code in MODELS else code


# --- reading fields ------------------------------------------------------------------------

class _Reader:
    """Reads raw fields, collecting every broken rule instead of stopping at the first."""

    def __init__(self, data: Mapping, *, surface: str = "v1"):
        self.data = data
        self.errors: list[RuleError] = []
        self.surface = surface

    def model_name(self, code: str) -> str:
        return model_name(code, self.surface)

    def fail(self, field: str, kind: str, template: str, **values) -> None:
        if all(e.field != field for e in self.errors):  # one message per field
            self.errors.append(RuleError(field, kind, template, **values))

    def broken(self, *names: str) -> bool:
        return any(e.field in names for e in self.errors)

    def text(self, name: str) -> str:
        value = self.data.get(name)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(name, "invalid", "{label} must be text")
            return ""
        if _LONE_SURROGATE.search(value) or "\x00" in value:
            self.fail(name, "invalid",
                      "{label} contains a character that is not valid text (a lone UTF-16 "
                      "surrogate or a NUL)")
            return ""
        # A browser sends a textarea's line breaks as CRLF; counted as one character each,
        # as the page's counter counts them and as the vendors store lyrics.
        return value.replace("\r\n", "\n").strip()

    def flag(self, name: str, *, default: bool | None = False) -> bool | None:
        value = self.data.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false"}:
            return value.lower() == "true"
        self.fail(name, "invalid", "{label} must be true or false")
        return default

    def limit(self, name: str, value: str, limit: int, model: str | None,
              label_key: str | None = None) -> None:
        if len(value) > limit:
            where = f"{self.model_name(model)} allows" if model else "the limit is"
            self.fail(name, "too_long", "{label} {be} {actual} characters; {where} {limit}",
                      actual=_chars(len(value)), where=where, limit=_chars(limit),
                      label_key=label_key or name)

    def required(self, name: str, value, template: str, **values) -> None:
        if not value and not self.broken(name):
            self.fail(name, "required", template, **values)

    def weight(self, name: str) -> float | None:
        value = self.data.get(name)
        if value is None or value == "":
            return None
        wrong = "{label} must be a number from 0 to 1"
        if isinstance(value, bool):
            return self.fail(name, "invalid", wrong)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return self.fail(name, "invalid", wrong)
        if not number.is_finite() or not 0 <= number <= 1:
            return self.fail(name, "invalid", "{label} must be from 0 to 1; got {value}",
                             value=value)
        if number != number.quantize(Decimal("0.01")):
            return self.fail(name, "invalid",
                             "{label} allows steps of 0.01 (two decimals); got {value}",
                             value=value)
        return float(number)

    def model(self, *, allowed=tuple(MODELS), default: str = DEFAULT_MODEL) -> str:
        value = self.data.get("model")
        if value in (None, ""):
            return default
        if isinstance(value, str) and LEGACY_MODELS.get(value) in allowed:
            return LEGACY_MODELS[value]
        if not isinstance(value, str) or value not in allowed:
            self.fail("model", "invalid", "{label} must be one of {choices}; got {value}",
                      choices=", ".join(self.model_name(m) for m in allowed), value=value)
            return default
        return value


def _chars(n: int) -> str:
    return f"{n:,}"


# --- the rules of each operation -----------------------------------------------------------

def _tuning(r: _Reader, *, custom: bool) -> dict:
    """negativeTags, vocalGender, the three weights and personaId, shared by every operation."""
    out = {"negative_tags": r.text("negativeTags")}
    r.limit("negativeTags", out["negative_tags"], NEGATIVE_TAGS_LIMIT, None)
    gender = r.data.get("vocalGender")
    if gender not in (None, ""):
        if gender in VOCAL_GENDERS:
            out["vocal_gender"] = gender
        else:
            r.fail("vocalGender", "invalid", "{label} must be m or f; got {value}", value=gender)
    out.update(style_weight=r.weight("styleWeight"),
               weirdness_constraint=r.weight("weirdnessConstraint"),
               audio_weight=r.weight("audioWeight"))
    persona = r.text("personaId")
    if persona and not custom:
        r.fail("personaId", "invalid", "{label} is only available in custom mode")
    out["persona_id"] = persona
    return out


def _song(r: _Reader) -> dict:
    """generate and upload-cover: the customMode x instrumental matrix (seed 004)."""
    custom = r.flag("customMode")
    instrumental = r.flag("instrumental")
    model = r.model()
    limits = MODELS[model]
    prompt = r.text("prompt")
    out = {"model": model, "custom_mode": custom, "instrumental": instrumental, "prompt": prompt}
    if custom:
        style, title = r.text("style"), r.text("title")
        r.required("style", style, "{label} is required in custom mode")
        r.required("title", title, "{label} is required in custom mode")
        if not instrumental:
            r.required("prompt", prompt, "{label} {be} required in custom mode unless "
                                         "instrumental (they are sung as written)")
        r.limit("style", style, limits.style, model)
        r.limit("title", title, limits.title, model)
        r.limit("prompt", prompt, limits.lyrics, model)
        out.update(style=style, title=title)
    else:
        r.required("prompt", prompt, "{label} is required: describe the song", label_key="idea")
        r.limit("prompt", prompt, IDEA_LIMIT, None, label_key="idea")
    return {**out, **_tuning(r, custom=bool(custom))}


def _legacy_song(r: _Reader) -> dict:
    model = r.model()
    limits = MODELS[model]
    prompt, tags, title = (r.text(f) for f in ("prompt", "tags", "title"))
    r.required("prompt", prompt, "{label} is required: lyrics or a description")
    r.limit("prompt", prompt, limits.lyrics, model)
    r.limit("tags", tags, limits.style, model)
    r.limit("title", title, limits.title, model)
    return {"model": model, "prompt": prompt, "tags": tags, "style": tags, "title": title,
            "custom_mode": looks_like_lyrics(prompt)}


def _instrumental(r: _Reader) -> dict:
    model = r.model()
    tags, title = r.text("tags"), r.text("title")
    r.required("tags", tags, "{label} {be} required: the instrumental's style")
    r.limit("tags", tags, MODELS[model].style, model)
    r.limit("title", title, MODELS[model].title, model)
    return {"model": model, "custom_mode": True, "instrumental": True, "style": tags,
            "title": title, **_tuning(r, custom=True)}


def _extend(r: _Reader) -> dict:
    audio_id = r.text("audioId")
    r.required("audioId", audio_id, "{label} is required: the track to extend")
    return {"audio_id": audio_id, **_continuation(r)}


def _continuation(r: _Reader, *, required: tuple[str, ...] = ()) -> dict:
    """extend and upload-extend. defaultParamFlag true: the request's own settings
    (continueAt required, and the fields in `required`); false: inherit the source's (the
    extension continues from the source's end)."""
    model = r.model()
    limits = MODELS[model]
    own = r.flag("defaultParamFlag", default=True)
    out = {"model": model, "default_param_flag": own, "instrumental": r.flag("instrumental")}
    if own:
        for name, limit in (("style", limits.style), ("title", limits.title),
                            ("prompt", limits.lyrics)):
            out[name] = r.text(name)
            r.limit(name, out[name], limit, model)
        for name in required:
            if name == "prompt" and out["instrumental"]:
                continue
            r.required(name, out[name], "{label} {be} required with custom settings "
                       "(defaultParamFlag true)" + (" unless instrumental (they are sung)"
                                                   if name == "prompt" else ""))
    out["continue_at"] = _continue_at(r, required=bool(own))
    return {**out, **_tuning(r, custom=True)}


def _upload_extend(r: _Reader) -> dict:
    """An upload has no settings to inherit: with its own settings, style and title are
    required, and the lyrics unless instrumental (suno_api.md §2 row 4)."""
    return {"upload_url": _upload_url(r),
            **_continuation(r, required=("style", "title", "prompt"))}


def _upload_url(r: _Reader) -> str:
    url = r.text("uploadUrl")
    r.required("uploadUrl", url, "{label} is required: the audio to start from")
    if len(url) > URL_LIMIT:
        r.fail("uploadUrl", "too_long", "{label} is {actual} characters; the limit is 2,000",
               actual=_chars(len(url)))
    return url


def _upload_cover(r: _Reader) -> dict:
    return {"upload_url": _upload_url(r), **_song(r)}


def _add_instrumental(r: _Reader) -> dict:
    upload_url = _upload_url(r)
    model = r.model(allowed=ADD_INSTRUMENTAL_MODELS, default=ADD_INSTRUMENTAL_DEFAULT)
    title, tags = r.text("title"), r.text("tags")
    tuning = _tuning(r, custom=True)
    for name, value in (("title", title), ("tags", tags)):
        r.required(name, value, "{label} {be} required to add an instrumental")
    # The seeds require the negativeTags key, not words in it: "" means exclude nothing.
    if "negativeTags" not in r.data:
        r.fail("negativeTags", "required", "{label} {be} required to add an instrumental "
               "(send \"\" to exclude nothing)")
    r.limit("title", title, MODELS[model].title, model)
    r.limit("tags", tags, MODELS[model].style, model)
    return {"upload_url": upload_url, "model": model, "title": title, "tags": tags,
            "style": tags, **tuning}


def _window_edge(r: _Reader, name: str, edge: str) -> float | None:
    """infillStartS or infillEndS: seconds into the source, 0 or more, to 2 decimals."""
    value = r.data.get(name)
    if value is None or value == "":
        r.fail(name, "required", "{label} is required: the second the window {edge}",
               edge=edge)
        return None
    wrong = "{label} must be a number of seconds"
    if isinstance(value, bool):
        return r.fail(name, "invalid", wrong)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return r.fail(name, "invalid", wrong)
    if not number.is_finite() or number < 0:
        return r.fail(name, "invalid", "{label} must be 0 or more seconds; got {value}",
                      value=value)
    if number != number.quantize(Decimal("0.01")):
        return r.fail(name, "invalid", "{label} allows two decimals (hundredths of a "
                      "second); got {value}", value=value)
    return float(number)


def _replace_section(r: _Reader) -> dict:
    """replace-section: the source (taskId + audioId, or uploadUrl + model), the window of
    6 to 60 s, and what the window becomes: its words (prompt), style (tags) and the title.
    On the web the words may be left empty: nothing is sung in the window."""
    audio_id, task_id, upload_url = r.text("audioId"), r.text("taskId"), r.text("uploadUrl")
    if audio_id and upload_url:
        r.fail("uploadUrl", "invalid", "Send either audioId (with taskId) or uploadUrl (with "
               "model), not both")
    elif not audio_id and not upload_url:
        r.fail("audioId", "required", "{label} is required: the track whose section is "
               "replaced (with its taskId); or send uploadUrl and model")
    elif audio_id:
        r.required("taskId", task_id, "{label} is required with audioId: the task that made "
                   "the track")
    elif r.data.get("model") in (None, ""):
        r.fail("model", "required", "{label} is required with uploadUrl")
    if upload_url and len(upload_url) > URL_LIMIT:
        r.fail("uploadUrl", "too_long", "{label} is {actual} characters; the limit is 2,000",
               actual=_chars(len(upload_url)))
    model = r.model()
    limits = MODELS[model]
    out = {"model": model, "audio_id": audio_id, "task_id": task_id, "upload_url": upload_url,
           "custom_mode": True}
    for name, limit in (("prompt", limits.lyrics), ("tags", limits.style),
                        ("title", limits.title), ("fullLyrics", limits.lyrics)):
        value = r.text(name)
        r.limit(name, value, limit, model)
        out["full_lyrics" if name == "fullLyrics" else name] = value
    if r.surface != "web":
        r.required("prompt", out["prompt"], "{label} {be} required: the words sung in the "
                   "window")
    r.required("tags", out["tags"], "{label} {be} required: the window's style")
    r.required("title", out["title"], "{label} is required: the new take's title")
    out["style"] = out["tags"]
    out["instrumental"] = not out["prompt"]  # no words: nothing is sung in the window
    out["negative_tags"] = r.text("negativeTags")
    r.limit("negativeTags", out["negative_tags"], NEGATIVE_TAGS_LIMIT, None)
    start = _window_edge(r, "infillStartS", "starts")
    end = _window_edge(r, "infillEndS", "ends")
    if start is not None and end is not None:
        if end <= start:
            r.fail("infillEndS", "invalid", "{label} must be later than the start "
                   "({start:g} s); got {value}", start=start, value=_seconds_text(end))
        elif not REPLACE_MIN_SECONDS <= round(end - start, 2) <= REPLACE_MAX_SECONDS:
            r.fail("infillEndS", "invalid", "The window is {length:g} s long; it must be "
                   "{low:g} to {high:g} seconds", length=round(end - start, 2),
                   low=REPLACE_MIN_SECONDS, high=REPLACE_MAX_SECONDS)
    out.update(infill_start_s=start, infill_end_s=end)
    return out


def _add_vocals(r: _Reader) -> dict:
    """The inverse of add instrumental: an instrumental upload, and what to sing over it.
    `prompt` is sung as written when it reads as lyrics (section markers or several lines),
    else it describes the vocal and the lyrics are written from it."""
    upload_url = _upload_url(r)
    model = r.model(allowed=ADD_VOCALS_MODELS, default=ADD_VOCALS_DEFAULT)
    limits = MODELS[model]
    prompt, title, style = r.text("prompt"), r.text("title"), r.text("style")
    tuning = _tuning(r, custom=True)
    r.required("prompt", prompt, "{label} {be} required to add vocals: the lyrics, or what "
                                 "the vocal should sing about")
    for name, value in (("title", title), ("style", style)):
        r.required(name, value, "{label} {be} required to add vocals")
    if "negativeTags" not in r.data:
        r.fail("negativeTags", "required", "{label} {be} required to add vocals "
               "(send \"\" to exclude nothing)")
    r.limit("prompt", prompt, limits.lyrics, model)
    r.limit("title", title, limits.title, model)
    r.limit("style", style, limits.style, model)
    return {"upload_url": upload_url, "model": model, "prompt": prompt, "title": title,
            "style": style, "custom_mode": looks_like_lyrics(prompt), **tuning}


_RULES = {GENERATE: _song, LEGACY_SONG: _legacy_song, INSTRUMENTAL: _instrumental,
          EXTEND: _extend, UPLOAD_COVER: _upload_cover, ADD_INSTRUMENTAL: _add_instrumental,
          REPLACE_SECTION: _replace_section, ADD_VOCALS: _add_vocals,
          UPLOAD_EXTEND: _upload_extend}
# The field that names each operation's source audio.
SOURCE_FIELDS = {EXTEND: "audioId", UPLOAD_COVER: "uploadUrl", ADD_INSTRUMENTAL: "uploadUrl",
                 ADD_VOCALS: "uploadUrl", UPLOAD_EXTEND: "uploadUrl"}


def source_field(operation: str, data: Mapping) -> str | None:
    """The field naming this request's source audio (replace section takes either)."""
    if operation == REPLACE_SECTION:
        return "uploadUrl" if data.get("uploadUrl") and not data.get("audioId") else "audioId"
    return SOURCE_FIELDS.get(operation)


def validate(operation: str, data: Mapping, context: Context | None = None) -> GenerationRequest:
    """Check `data` against the seeds' rules for `operation`, with what `context` knows of
    the source audio; the typed request, or InvalidRequest naming every broken field."""
    if operation not in _RULES:
        raise ValueError(f"unknown operation {operation!r}")
    context = context or Context()
    reader = _Reader(data, surface=context.surface)
    values = _RULES[operation](reader)
    for name, why in context.required.items():
        present = data.get(name)
        reader.required(name, present.strip() if isinstance(present, str) else present,
                        "{label} {be} required: " + why)
    target = data.get("_duration")  # private: tests and benchmarks only
    if isinstance(target, (int, float)) and not isinstance(target, bool) and target > 0:
        values["target_seconds"] = float(target)
    if reader.errors:
        raise InvalidRequest(reader.errors, context.labels)
    request = GenerationRequest(operation=operation, **values)
    source_name = source_field(operation, data)
    source = context.source
    if source_name and source is None and context.find_source is not None:
        value = data.get(source_name)
        source = context.find_source(source_name, value and str(value).strip())
    if source is not None:
        request = _with_source(reader, request, source)
    if reader.errors:
        raise InvalidRequest(reader.errors, context.labels)
    if request.persona_id and context.find_persona is not None:
        context.find_persona(request.persona_id)
    return request


def _with_source(r: _Reader, request: GenerationRequest, source: Source) -> GenerationRequest:
    """The rules that need the source's length, and the continue point they decide."""
    limits = request.limits
    if request.upload_url:
        check_upload_length(source.duration, request.model, reader=r)
        if r.errors:
            return request
    if request.operation == REPLACE_SECTION:
        if request.infill_end_s is not None and request.infill_end_s > source.duration:
            r.fail("infillEndS", "invalid", "{label} must be within the track, which is "
                   "{duration:.2f} s long; got {value}", duration=source.duration,
                   value=_seconds_text(request.infill_end_s))
        return request
    if request.operation not in EXTENSIONS:
        return request
    if request.continue_at is None:  # inherit: continue from the source's end
        seconds = source.duration
    else:
        seconds = request.continue_at
        what = "upload's" if request.operation == UPLOAD_EXTEND else "track's"
        if not _inside_source(r, seconds, source.duration, what):
            return request
    room = limits.max_seconds - MIN_EXTENSION_SECONDS
    if seconds > room:
        r.fail("continueAt", "invalid",
               "{label} leaves no room: {model} songs end at {end} s, so an extension must "
               "start by {room:g} s; got {value}", model=r.model_name(request.model),
               end=limits.max_seconds, room=room, value=_seconds_text(seconds))
    return replace(request, continue_at=seconds)


def _inside_source(r: _Reader, seconds: float, duration: float, what: str = "track's") -> bool:
    """continueAt must fall before the source's end; False (and the error) if it does not."""
    if seconds < duration:
        return True
    r.fail("continueAt", "invalid", "{label} must be less than the {what} length "
           "({duration:.1f} s); got {value}", what=what, duration=duration,
           value=_seconds_text(seconds))
    return False


def _seconds_text(seconds: float) -> str:
    return f"{seconds:g}"


def _continue_at(r: _Reader, *, required: bool) -> float | None:
    """Seconds into the source where the extension starts: greater than 0 (the track's
    length is checked once the track is found)."""
    value = r.data.get("continueAt")
    if value is None or value == "":
        if required:
            r.fail("continueAt", "required", "{label} is required: the second to continue from")
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError):
        r.fail("continueAt", "invalid", "{label} must be a number of seconds")
        return None
    if isinstance(value, bool) or not seconds > 0 or seconds == float("inf"):
        r.fail("continueAt", "invalid", "{label} must be greater than 0; got {value}",
               value=value)
        return None
    return seconds


def continue_at(value, *, required: bool, duration: float | None = None) -> float | None:
    """`continueAt` alone, checked as validate() checks it: 0 < continueAt < duration."""
    reader = _Reader({"continueAt": value})
    seconds = _continue_at(reader, required=required)
    if seconds is not None and duration is not None:
        _inside_source(reader, seconds, duration)
    if reader.errors:
        raise InvalidRequest(reader.errors)
    return seconds


def check_upload_length(seconds: float, model: str, field: str = "uploadUrl", *,
                        reader: _Reader | None = None) -> None:
    """An upload's length against the model's limit (8 minutes; 1 minute for V4_5ALL)."""
    limit = MODELS.get(model, MODELS[DEFAULT_MODEL]).max_upload_seconds
    if seconds <= limit:
        return
    r = reader or _Reader({})
    r.fail(field, "invalid", "{label} is {minutes} long; {model} accepts at most {limit_text}",
           minutes=duration_text(seconds), model=r.model_name(model),
           limit_text=duration_text(limit))
    if reader is None:
        raise InvalidRequest(r.errors)


def duration_text(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def form_limits() -> dict:
    """Per model, the character limits the create form's counters show."""
    return {name: {"prompt": m.lyrics, "style": m.style, "title": m.title, "tags": m.style,
                   "idea": IDEA_LIMIT} for name, m in MODELS.items()}



# --- a persona: a singer kept from a take (suno_api.md §2 row 22) ----------------------------

PERSONA_WINDOW = (10.0, 30.0)  # seconds of the take the singer is taken from
PERSONA_DEFAULT_END = 30.0
PERSONA_NAME_LIMIT = 100
PERSONA_DESCRIPTION_LIMIT = 1000
PERSONA_LABELS = MappingProxyType({"name": "Name", "description": "Description",
                                   "vocalStart": "Vocal start", "vocalEnd": "Vocal end",
                                   "style": "Style"})


@dataclass(frozen=True)
class PersonaRequest:
    name: str
    description: str
    vocal_start: float
    vocal_end: float
    style: str = ""


def persona(data: Mapping, *, duration: float, surface: str = "v1",
            labels: Mapping | None = None) -> PersonaRequest:
    """generate-persona's fields against a take of `duration` seconds: name and description
    required, the window vocalStart–vocalEnd (default 0–30 s; a take shorter than 30 s: to its
    end) 10 to 30 s long and inside the take. InvalidRequest names every broken field."""
    r = _Reader(data, surface=surface)
    name, description, style = r.text("name"), r.text("description"), r.text("style")
    r.required("name", name, "{label} is required: what to call the singer")
    r.required("description", description, "{label} is required: describe the voice")
    r.limit("name", name, PERSONA_NAME_LIMIT, None)
    r.limit("description", description, PERSONA_DESCRIPTION_LIMIT, None)
    r.limit("style", style, MODELS[DEFAULT_MODEL].style, None)
    start = _seconds(r, "vocalStart", 0.0)
    end = _seconds(r, "vocalEnd", None)
    if start is not None and end is None and not r.broken("vocalEnd"):
        end = min(start + PERSONA_DEFAULT_END, duration)
    if start is not None and end is not None:
        low, high = PERSONA_WINDOW
        length = end - start
        if end <= start:
            r.fail("vocalEnd", "invalid", "{label} must be after the vocal start ({start:g} s); "
                   "got {value:g}", start=start, value=end)
        elif not low <= round(length, 2) <= high:
            r.fail("vocalEnd", "invalid", "The vocal window must be {low:g} to {high:g} s long; "
                   "{start:g}–{end:g} s is {length:g} s", low=low, high=high, start=start,
                   end=end, length=round(length, 2))
        elif end > duration + 0.05:
            r.fail("vocalEnd", "invalid", "{label} must be within the track ({duration:.1f} s); "
                   "got {value:g}", duration=duration, value=end)
    if r.errors:
        raise InvalidRequest(r.errors, labels)
    return PersonaRequest(name=name, description=description, vocal_start=start,
                          vocal_end=end, style=style)


def _seconds(r: _Reader, name: str, default: float | None) -> float | None:
    value = r.data.get(name)
    if value is None or value == "":
        return default
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError):
        seconds = float("nan")
    if isinstance(value, bool) or not 0 <= seconds < float("inf"):
        r.fail(name, "invalid", "{label} must be a number of seconds from 0; got {value}",
               value=value)
        return None
    return seconds
