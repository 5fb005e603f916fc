"""Reading raw fields (a form's values, an API body) into typed values, collecting every
broken rule instead of stopping at the first."""
from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from .catalogue import DEFAULT_MODEL, LEGACY_MODELS, MODELS
from .errors import RuleError
from .request import model_name

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters that show nothing: zero-width spaces and joiners, the word joiner, the BOM.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")


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
        text = value.replace("\r\n", "\n").strip()
        return text if _INVISIBLE.sub("", text).strip() else ""  # "\u200b\u200b" says nothing

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
