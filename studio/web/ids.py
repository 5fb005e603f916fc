"""Ids a browser sends back in query strings and forms (`?again=`, `?track=`, `?upload=`,
the running strip's `watch`): anyone can edit a URL, so a mangled id is the client's mistake
— a 404 or simply ignored — never a server error from the database's UUID conversion."""
from __future__ import annotations

import uuid

from django.http import Http404


def parse(value) -> uuid.UUID | None:
    """The UUID `value` spells (with or without dashes), or None."""
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def parse_or_404(value) -> uuid.UUID:
    if (pk := parse(value)) is None:
        raise Http404("No such item: the link's id is not one Studio made.")
    return pk


def parse_list(values, limit: int) -> list[uuid.UUID]:
    """The valid ids among `values`, at most `limit` of them, the rest dropped."""
    found = (parse(value) for value in values)
    return [pk for pk in found if pk is not None][:limit]
