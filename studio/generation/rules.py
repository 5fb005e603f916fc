"""The seeds' rules for a generation request, in one place.

Forms and both API dialects validate through `validate()`, so a form error and an API error
come from the same rule with the same words. Field names are the v1 API's (camelCase);
the legacy dialect maps its names onto these before validating.

Where the vendors' pages disagree, Studio takes the more permissive published limit, so a
request that is valid for any vendor is valid here: the title limit is 100 characters for
V4_5, V4_5PLUS and V5 (docs.sunoapi.org and seed 004's upload-cover) and 80 for V4 and V4_5ALL.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MODELS = ("V4", "V4_5", "V4_5PLUS", "V4_5ALL", "V5")
DEFAULT_MODEL = "V4_5"
ADD_INSTRUMENTAL_MODELS = ("V4_5PLUS", "V5")
# Legacy (sunoapi.co / sunosay) clients send "v3.5" or "chirp-v3-5"; they get V4's limits.
LEGACY_MODELS = {"v3.5": "V4", "chirp-v3-5": "V4", "v4": "V4", "chirp-v4": "V4",
                 "v4.5": "V4_5", "chirp-v4-5": "V4_5", "v5": "V5", "chirp-v5": "V5"}
MODEL_NAMES = {"V4": "chirp-v4", "V4_5": "chirp-auk", "V4_5PLUS": "chirp-bluejay",
               "V4_5ALL": "chirp-auk-turbo", "V5": "chirp-crow"}
VOCAL_GENDERS = ("m", "f")
WEIGHTS = ("styleWeight", "weirdnessConstraint", "audioWeight")


@dataclass(frozen=True)
class Limits:
    lyrics: int
    style: int
    title: int
    max_seconds: int  # longest song the model makes
    max_upload_seconds: int = 8 * 60


LIMITS = {
    "V4": Limits(lyrics=3000, style=200, title=80, max_seconds=4 * 60),
    "V4_5": Limits(lyrics=5000, style=1000, title=100, max_seconds=8 * 60),
    "V4_5PLUS": Limits(lyrics=5000, style=1000, title=100, max_seconds=8 * 60),
    "V4_5ALL": Limits(lyrics=5000, style=1000, title=80, max_seconds=8 * 60,
                      max_upload_seconds=60),
    "V5": Limits(lyrics=5000, style=1000, title=100, max_seconds=8 * 60),
}
IDEA_LIMIT = 500  # non-custom mode's prompt, every model

# Operations: what a request asks for. Each maps to a generation mode.
GENERATE = "generate"
INSTRUMENTAL = "instrumental"  # legacy generate-instrumental: tags (+ title)
EXTEND = "extend"
UPLOAD_COVER = "upload_cover"
ADD_INSTRUMENTAL = "add_instrumental"
# Legacy generate-music (seed 001): `prompt` is lyrics or a description of any length up to
# the model's lyrics limit (the seed's own sample describes the song in ~900 characters),
# `tags` and `title` are optional. No customMode: the engine reads lyrics as lyrics and
# anything else as the idea.
LEGACY_SONG = "legacy_song"
OPERATIONS = (GENERATE, INSTRUMENTAL, EXTEND, UPLOAD_COVER, ADD_INSTRUMENTAL, LEGACY_SONG)

# How each surface names a field in its messages. The API names fields as sent.
FORM_LABELS = {
    "prompt": "Lyrics", "idea": "Idea", "style": "Style", "title": "Title", "model": "Model",
    "tags": "Tags", "negativeTags": "Exclude styles", "vocalGender": "Vocal gender",
    "styleWeight": "Style weight", "weirdnessConstraint": "Weirdness",
    "audioWeight": "Audio weight", "continueAt": "Continue at", "uploadUrl": "Audio",
    "audioId": "Track", "customMode": "Custom mode", "instrumental": "Instrumental",
    "personaId": "Persona", "callBackUrl": "Callback URL", "file": "Upload",
}


PLURAL_LABELS = {"Lyrics", "Tags", "Exclude styles", "tags", "negativeTags"}


class RuleError(ValueError):
    """One broken rule. `kind` is required | too_long | invalid; the API maps it to a code."""

    def __init__(self, field: str, kind: str, template: str, **values):
        self.field, self.kind, self.template, self.values = field, kind, template, values
        super().__init__(self.message())

    def message(self, labels: dict | None = None) -> str:
        label = (labels or {}).get(self.values.get("label_key", self.field), self.field)
        be = "are" if label in PLURAL_LABELS else "is"
        text = self.template.format(label=label, be=be, **self.values)
        return text[:1].upper() + text[1:]


def _chars(n: int) -> str:
    return f"{n:,}"


def _text(data: dict, field: str) -> str:
    value = data.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RuleError(field, "invalid", "{label} must be text")
    return value.strip()


def _flag(data: dict, field: str, *, required: bool = False, default: bool = False) -> bool:
    value = data.get(field)
    if value is None or value == "":
        if required:
            raise RuleError(field, "required", "{label} is required (true or false)")
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    raise RuleError(field, "invalid", "{label} must be true or false")


def _limit(field: str, value: str, limit: int, model: str | None, label_key: str | None = None):
    if len(value) > limit:
        where = f"{model} allows" if model else "the limit is"
        raise RuleError(field, "too_long", "{label} {be} {actual} characters; {where} {limit}",
                        actual=_chars(len(value)), where=where, limit=_chars(limit),
                        label_key=label_key or field)


def _weight(data: dict, field: str) -> float | None:
    value = data.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RuleError(field, "invalid", "{label} must be a number from 0 to 1")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise RuleError(field, "invalid", "{label} must be a number from 0 to 1") from None
    if not number.is_finite() or not 0 <= number <= 1:
        raise RuleError(field, "invalid", "{label} must be from 0 to 1; got {value}",
                        value=value)
    if number != number.quantize(Decimal("0.01")):
        raise RuleError(field, "invalid",
                        "{label} allows steps of 0.01 (two decimals); got {value}", value=value)
    return float(number)


def _model(data: dict, *, allowed=MODELS, default: str | None = DEFAULT_MODEL) -> str:
    value = data.get("model")
    if value in (None, ""):
        if default is None:
            raise RuleError("model", "required", "{label} is required: one of {choices}",
                            choices=", ".join(allowed))
        return default
    if isinstance(value, str) and value in LEGACY_MODELS and LEGACY_MODELS[value] in allowed:
        return LEGACY_MODELS[value]
    if value not in allowed:
        raise RuleError("model", "invalid", "{label} must be one of {choices}; got {value}",
                        choices=", ".join(allowed), value=value)
    return value


def _tuning(data: dict, out: dict, *, custom: bool) -> None:
    """negativeTags, vocalGender and the three weights, shared by every operation."""
    negative = _text(data, "negativeTags")
    if negative:
        _limit("negativeTags", negative, 1000, None)
        out["negativeTags"] = negative
    gender = data.get("vocalGender")
    if gender not in (None, ""):
        if gender not in VOCAL_GENDERS:
            raise RuleError("vocalGender", "invalid", "{label} must be m or f; got {value}",
                            value=gender)
        out["vocalGender"] = gender
    for field in WEIGHTS:
        weight = _weight(data, field)
        if weight is not None:
            out[field] = weight
    persona = _text(data, "personaId")
    if persona:
        if not custom:
            raise RuleError("personaId", "invalid", "{label} is only available in custom mode")
        out["personaId"] = persona


def _song_fields(data: dict, out: dict, model: str, *, custom: bool, instrumental: bool):
    """The customMode x instrumental matrix shared by generate and upload-cover (seed 004)."""
    limits = LIMITS[model]
    prompt = _text(data, "prompt")
    if custom:
        style, title = _text(data, "style"), _text(data, "title")
        if not style:
            raise RuleError("style", "required", "{label} is required in custom mode")
        if not title:
            raise RuleError("title", "required", "{label} is required in custom mode")
        if not instrumental and not prompt:
            raise RuleError("prompt", "required",
                            "{label} is required in custom mode unless instrumental "
                            "(they are sung as written)")
        _limit("style", style, limits.style, model)
        _limit("title", title, limits.title, model)
        _limit("prompt", prompt, limits.lyrics, model)
        out.update(style=style, title=title)
        if prompt:
            out["prompt"] = prompt
    else:
        if not prompt:
            raise RuleError("prompt", "required", "{label} is required: describe the song",
                            label_key="idea")
        _limit("prompt", prompt, IDEA_LIMIT, None, label_key="idea")
        out["prompt"] = prompt


def _song(data: dict, out: dict) -> None:
    """generate and upload-cover: the customMode x instrumental matrix."""
    custom = _flag(data, "customMode", default=False)
    instrumental = _flag(data, "instrumental", default=False)
    model = _model(data)
    out.update(customMode=custom, instrumental=instrumental, model=model)
    _song_fields(data, out, model, custom=custom, instrumental=instrumental)
    _tuning(data, out, custom=custom)


def _legacy_song(data: dict, out: dict) -> None:
    model = _model(data)
    limits = LIMITS[model]
    prompt, tags, title = (_text(data, f) for f in ("prompt", "tags", "title"))
    if not prompt:
        raise RuleError("prompt", "required", "{label} is required: lyrics or a description")
    _limit("prompt", prompt, limits.lyrics, model)
    _limit("tags", tags, limits.style, model)
    _limit("title", title, limits.title, model)
    out.update(model=model, instrumental=False, prompt=prompt, tags=tags, title=title)
    if tags:
        out["style"] = tags


def _instrumental(data: dict, out: dict) -> None:
    model = _model(data)
    tags, title = _text(data, "tags"), _text(data, "title")
    if not tags:
        raise RuleError("tags", "required", "{label} {be} required: the instrumental's style")
    _limit("tags", tags, LIMITS[model].style, model)
    _limit("title", title, LIMITS[model].title, model)
    out.update(customMode=True, instrumental=True, model=model, style=tags, title=title)
    _tuning(data, out, custom=True)


def _extend(data: dict, out: dict) -> None:
    model = _model(data)
    out["model"] = model
    if not _text(data, "audioId"):
        raise RuleError("audioId", "required", "{label} is required: the track to extend")
    out["audioId"] = _text(data, "audioId")
    own = _flag(data, "defaultParamFlag", default=True)
    out["defaultParamFlag"] = own
    limits = LIMITS[model]
    if own:
        for field, limit in (("style", limits.style), ("title", limits.title),
                             ("prompt", limits.lyrics)):
            value = _text(data, field)
            _limit(field, value, limit, model)
            if value:
                out[field] = value
    out["continueAt"] = continue_at(data.get("continueAt"), required=own)
    out["instrumental"] = _flag(data, "instrumental", default=False)
    _tuning(data, out, custom=True)


def _upload_cover(data: dict, out: dict) -> None:
    out["uploadUrl"] = _upload_url(data)
    _song(data, out)


def _add_instrumental(data: dict, out: dict) -> None:
    out["uploadUrl"] = _upload_url(data)
    model = _model(data, allowed=ADD_INSTRUMENTAL_MODELS, default="V4_5PLUS")
    out.update(model=model, instrumental=False)
    title, tags, negative = (_text(data, f) for f in ("title", "tags", "negativeTags"))
    for field, value in (("title", title), ("tags", tags), ("negativeTags", negative)):
        if not value:
            raise RuleError(field, "required", "{label} {be} required to add an instrumental")
    _limit("title", title, LIMITS[model].title, model)
    _limit("tags", tags, LIMITS[model].style, model)
    out.update(title=title, tags=tags, style=tags)
    _tuning(data, out, custom=True)


_RULES = {GENERATE: _song, LEGACY_SONG: _legacy_song, INSTRUMENTAL: _instrumental,
          EXTEND: _extend, UPLOAD_COVER: _upload_cover, ADD_INSTRUMENTAL: _add_instrumental}


def validate(operation: str, data: dict) -> dict:
    """Check `data` against the seeds' rules for `operation`; return the cleaned request.

    Raises RuleError for the first broken rule, naming the field and the limit.
    """
    if operation not in _RULES:
        raise ValueError(f"unknown operation {operation!r}")
    out: dict = {}
    _RULES[operation](data, out)
    return out


def _upload_url(data: dict) -> str:
    url = _text(data, "uploadUrl")
    if not url:
        raise RuleError("uploadUrl", "required", "{label} is required: the audio to start from")
    if len(url) > 2000:
        raise RuleError("uploadUrl", "too_long", "{label} is {actual} characters; "
                        "the limit is 2,000", actual=_chars(len(url)))
    return url


def continue_at(value, *, required: bool, duration: float | None = None) -> float | None:
    """Seconds into the source where the extension starts: 0 < continueAt < duration."""
    if value is None or value == "":
        if required:
            raise RuleError("continueAt", "required",
                            "{label} is required: the second to continue from")
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise RuleError("continueAt", "invalid", "{label} must be a number of seconds") from None
    if not seconds > 0 or seconds != seconds:
        raise RuleError("continueAt", "invalid", "{label} must be greater than 0; got {value}",
                        value=value)
    if duration is not None and seconds >= duration:
        raise RuleError("continueAt", "invalid",
                        "{label} must be less than the track's length ({duration:.1f} s); "
                        "got {value}", duration=duration, value=value)
    return seconds


def check_upload_length(seconds: float, model: str, field: str = "uploadUrl") -> None:
    limit = LIMITS.get(model, LIMITS[DEFAULT_MODEL]).max_upload_seconds
    if seconds > limit:
        raise RuleError(field, "invalid",
                        "{label} is {minutes} long; {model} accepts at most {limit_text}",
                        minutes=_duration_text(seconds), model=model,
                        limit_text=_duration_text(limit))


def _duration_text(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"
