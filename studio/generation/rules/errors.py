"""A broken rule, and every broken rule of one request, worded for the surface that asked."""
from __future__ import annotations

from collections.abc import Mapping
from numbers import Number

from .catalogue import PLURAL_LABELS


def _brief(value, limit: int = 60) -> str:
    """A value the client sent, as a message repeats it: its first `limit` characters (a
    200,000 character model is named by its beginning)."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


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
        values = {k: v if isinstance(v, Number) and not isinstance(v, bool) else _brief(v)
                  for k, v in self.values.items()}
        text = self.template.format(label=label, be=be, **values)
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
