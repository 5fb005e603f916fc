"""A persona: a singer kept from a take (suno_api.md §2 row 22). Its fields are checked with
the same reader, and in the same words, as a generation's."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .catalogue import DEFAULT_MODEL, MODELS
from .errors import InvalidRequest
from .reader import _Reader

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
    if start is not None and start >= duration:
        r.fail("vocalStart", "invalid", "{label} must be within the track ({duration:.1f} s); got {value:g}",
               duration=duration, value=start)
        start = None
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
