"""Browsing the library: search, filters, sorts and keyset pagination.

Pages are cut with a cursor on (sort key, id) rather than OFFSET and COUNT(*): the database
walks an index from where the last page ended and stops after page_size + 1 rows, so the
hundredth page costs what the first does, at 100 tracks or 100,000.
"""
from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time
from math import isfinite

from django import forms
from django.conf import settings
from django.core.signing import BadSignature, Signer
from django.db.models import Q, QuerySet
from django.utils import timezone

from studio.generation.models import FINAL, Mode, Status

from . import search

PAGE_SIZE = 24

# name -> (label, sort keys before the id, descending)
SORTS = {
    "relevance": ("Best match", ("relevance", "created_at"), True),
    "newest": ("Newest first", ("created_at",), True),
    "oldest": ("Oldest first", ("created_at",), False),
    "title": ("Title A–Z", ("title",), False),
    "longest": ("Longest first", ("duration",), True),
    "shortest": ("Shortest first", ("duration",), False),
}


def _model_choices():
    from studio.generation.rules import MODELS

    return [("", "Any model")] + [(code, model.label) for code, model in MODELS.items()]


class BrowseForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Title, style or lyrics"}))
    mode = forms.ChoiceField(label="Kind", required=False,
                             choices=[("", "Any kind")] + list(Mode.choices))
    model = forms.ChoiceField(label="Model", required=False, choices=_model_choices)
    vocals = forms.ChoiceField(label="Vocals", required=False, choices=[
        ("", "With or without"), ("instrumental", "Instrumental"), ("vocal", "With vocals")])
    status = forms.ChoiceField(label="Status", required=False, choices=[
        ("", "Any status"), ("done", "Both takes done"), ("running", "Still making")])
    since = forms.DateField(label="From", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="Until", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    liked = forms.BooleanField(label="Liked only", required=False)
    sort = forms.ChoiceField(label="Sort", required=False,
                             choices=[(k, v[0]) for k, v in SORTS.items()],
                             help_text="Best match ranks by your search; without one, "
                                       "newest first.")
    # Their longest choice ("Added instrumental") is wider than half a phone: a row each there.
    wide = ("mode",)

    def filter(self, tracks: QuerySet) -> QuerySet:
        """The tracks that match; an invalid field is ignored rather than emptying the page."""
        data = self.cleaned_data if self.is_valid() else {
            k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        if q := (data.get("q") or "").strip():
            tracks = search.matching(tracks, q)
        if data.get("liked"):
            tracks = tracks.filter(liked_at__isnull=False)
        if mode := data.get("mode"):
            tracks = tracks.filter(generation__mode=mode)
        if model := data.get("model"):
            tracks = tracks.filter(generation__model=model)
        if data.get("vocals") == "instrumental":
            tracks = tracks.instrumental()
        elif data.get("vocals") == "vocal":
            tracks = tracks.with_vocals()
        if data.get("status") == "done":
            tracks = tracks.filter(generation__status=Status.SUCCESS)
        elif data.get("status") == "running":
            tracks = tracks.exclude(generation__status__in=FINAL)
        zone = timezone.get_current_timezone()
        if since := data.get("since"):
            tracks = tracks.filter(created_at__gte=datetime.combine(since, time.min, zone))
        if until := data.get("until"):
            tracks = tracks.filter(created_at__lte=datetime.combine(until, time.max, zone))
        return tracks

    @property
    def order(self) -> str:
        """The chosen sort; unchosen, the best match first when searching, else the newest.
        (A property named `sort` would hide the field of that name: the form would never
        read ?sort= at all.)"""
        data = getattr(self, "cleaned_data", {})
        searching = bool(search.words(data.get("q") or ""))
        value = data.get("sort") or ("relevance" if searching else "newest")
        if value == "relevance" and not searching:
            return "newest"  # nothing to rank by
        return value if value in SORTS else "newest"

    NARROWING = ("q", "mode", "model", "vocals", "status", "since", "until", "liked")

    @property
    def active(self) -> bool:
        """Whether anything narrows the library (an empty result then means 'no match')."""
        data = getattr(self, "cleaned_data", {})
        return any(data.get(k) for k in self.NARROWING)

    @property
    def only_liked(self) -> bool:
        """The Liked view, nothing else narrowing it: empty, it means nothing is liked yet,
        not that filters left nothing."""
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("liked")) and not any(data.get(k) for k in self.NARROWING
                                                    if k != "liked")


@dataclass
class Page:
    items: list
    next_cursor: str | None


# Cursors are signed: one edited by hand (a title it never wrote, a duration of -1e300) is
# simply not a cursor, and the library starts at its first page.
_CURSORS = Signer(salt="studio.library.cursor")


def _encode(values: list, pk) -> str:
    values = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    raw = json.dumps([*values, str(pk)], separators=(",", ":")).encode()
    return _CURSORS.sign(base64.urlsafe_b64encode(raw).decode().rstrip("="))


def _decode(cursor: str, fields: tuple[str, ...]):
    """(sort keys, id) from a cursor, or None for anything this module did not write: a
    cursor sits in the URL, where anyone can edit it."""
    if len(cursor) > 1000:
        return None
    try:
        cursor = _CURSORS.unsign(cursor)
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        decoded = json.loads(raw)
        if not isinstance(decoded, list) or len(decoded) != len(fields) + 1:
            return None
        *raw_values, pk = decoded
        pk = uuid.UUID(pk) if isinstance(pk, str) else None
        values = [_key(field, value) for field, value in zip(fields, raw_values, strict=True)]
    except (ValueError, TypeError, OverflowError, RecursionError, binascii.Error, BadSignature):
        return None
    return (values, pk) if pk and None not in values else None


def _key(field: str, value):
    """One sort key read back from a cursor, or None if it is not one."""
    if field == "created_at":
        value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return None
        value.astimezone(UTC)  # out of range once normalised: refuse it here
    elif field in ("duration", "relevance"):
        if isinstance(value, bool):
            return None
        value = float(value)
        if not isfinite(value):
            return None
    elif not isinstance(value, str) or "\x00" in value or not _encodable(value):
        return None
    return value


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:  # a lone surrogate, which no database column can hold
        return False
    return True


def paginate(tracks: QuerySet, sort: str, cursor: str = "", size: int | None = None) -> Page:
    """One page after `cursor` (a token from the previous page); a bad cursor starts over.
    The relevance sort needs `tracks` from search.matching (it ranks by their relevance)."""
    size = size or getattr(settings, "STUDIO_LIBRARY_PAGE_SIZE", PAGE_SIZE)
    _label, fields, descending = SORTS.get(sort, SORTS["newest"])
    sign = "-" if descending else ""
    tracks = tracks.order_by(*(f"{sign}{field}" for field in (*fields, "id")))
    if cursor and (after := _decode(cursor, fields)):
        values, pk = after
        beyond, bound = ("lt", "lte") if descending else ("gt", "gte")
        # (keys, id) beyond (values, pk), written so the first condition bounds an index
        # range and the database starts reading where the last page ended, not at the top.
        keys = [*zip(fields, values, strict=True), ("id", pk)]
        later = Q()
        for i, (field, value) in enumerate(keys):
            later |= Q(**{f"{f}": v for f, v in keys[:i]}, **{f"{field}__{beyond}": value})
        tracks = tracks.filter(Q(**{f"{fields[0]}__{bound}": values[0]}) & later)
    # By relevance, search.first() reads a common word's tied matches only as far as the page.
    rows = (search.first(tracks, size + 1) if fields[0] == "relevance"
            else list(tracks[: size + 1]))
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = (_encode([getattr(rows[-1], f) for f in fields], rows[-1].pk)
                   if more and rows else None)
    return Page(items=rows, next_cursor=next_cursor)
