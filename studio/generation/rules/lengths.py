"""The rules that need the source audio's length: where an extension starts, and how long
an upload may be."""
from __future__ import annotations

import math

from .catalogue import DEFAULT_MODEL, MODELS
from .errors import InvalidRequest
from .reader import _Reader


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
        seconds = None
    if seconds is None or isinstance(value, bool):
        r.fail("continueAt", "invalid", "{label} must be a number of seconds")
        return None
    if not math.isfinite(seconds):  # NaN or Infinity is no second, not one at or before 0
        r.fail("continueAt", "invalid", "{label} must be a number of seconds; got {value}",
               value=value)
        return None
    if not seconds > 0:
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
                        reader: _Reader | None = None, number: int | None = None) -> None:
    """An upload's length against the model's limit (8 minutes; 1 minute for V4_5ALL);
    `number` names which of a list's songs it is (a mashup's uploadUrlList)."""
    limit = MODELS.get(model, MODELS[DEFAULT_MODEL]).max_upload_seconds
    if seconds <= limit:
        return
    r = reader or _Reader({})
    which = "{label}" if number is None else "{label}'s song {number}"
    r.fail(field, "invalid", which + " is {minutes} long; {model} accepts at most {limit_text}",
           minutes=duration_text(seconds), model=r.model_name(model),
           limit_text=duration_text(limit), **({} if number is None else {"number": number}))
    if reader is None:
        raise InvalidRequest(r.errors)


def duration_text(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"
