"""Who is calling (the bearer key) and whether they may create again (the rate limit)."""
from __future__ import annotations

import contextlib
import functools
import time
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from studio import rows

from .models import ApiKey, RateWindow, hash_key

# last_used_at is a courtesy on the keys page: write it at most once a minute per key.
LAST_USED_GRANULARITY = timedelta(minutes=1)


class Alongside(NamedTuple):
    """A row of the key owner's that a view reads in the key's own query, one round trip
    instead of two: `joins` (LEFT JOINs, their owner condition on u.id) with `params`, and
    the `columns` it selects. The view finds the columns' values, or None where the key was
    refused, in the request's attribute `into`."""

    columns: str
    joins: str
    params: list
    into: str = "alongside"


def bearer(request) -> str:
    """The key as sent in `Authorization: Bearer <key>` (or bare), or "" for none."""
    # From the WSGI environ: request.headers copies every header into a dict on first use.
    header = request.META.get("HTTP_AUTHORIZATION", "").strip()
    scheme, _, value = header.partition(" ")
    raw = value.strip() if scheme.lower() == "bearer" else header
    return raw if len(raw) <= 200 else ""


def key_from(request, alongside: Alongside | None = None, *,
             window: int | None = None) -> ApiKey | None:
    """The active key in `Authorization: Bearer <key>`, or None.

    A bare key without the word Bearer is accepted too: some legacy clients send it so.
    Read with its owner by SQL written once (studio.rows): every API request asks this, and
    compiling the ORM's query cost more than the rest of a poll. With `window`, the key's
    creates counted in that rate window are read in the same query (key.window_creates).
    """
    request.alongside = None
    if alongside is not None:
        setattr(request, alongside.into, None)
    raw = bearer(request)
    if not raw:
        return None
    counted = window is not None
    columns, joins, params = alongside[:3] if alongside is not None else ("", "", [])
    row = rows.one(_key_sql(columns, joins, counted),
                   [*([window] if counted else []), *params, hash_key(raw)])
    if row is None:
        return None
    key = _KEY.instance(row[:len(_KEY)])
    owner = _OWNER.instance(row[len(_KEY):len(_KEY) + len(_OWNER)])
    if not owner.is_active:
        return None
    key.owner = owner
    rest = row[len(_KEY) + len(_OWNER):]
    if counted:
        key.window_creates, rest = (window, rest[0] or 0), rest[1:]
    if alongside is not None:
        setattr(request, alongside.into, rest)
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_GRANULARITY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


_KEY = rows.Columns(ApiKey, "k")
_OWNER = rows.Columns(get_user_model(), "u")


@functools.cache
def _key_sql(columns: str, joins: str, counted: bool = False) -> str:
    """An active key by its hash (unique), with its owner, `counted`: its creates in a rate
    window (a parameter), and a view's `columns` from its `joins` (see Alongside)."""
    if counted:
        table, key_id, window_, count_ = _rate_names()
        columns = f"w.{count_}{', ' if columns else ''}{columns}"
        joins = (f"LEFT JOIN {table} w ON w.{key_id} = {_KEY.column('id')} "
                 f"AND w.{window_} = %s {joins}")
    return (f"SELECT {_KEY.sql()}, {_OWNER.sql()}{', ' if columns else ''}{columns} "
            f"FROM {rows.table(ApiKey)} k "
            f"JOIN {rows.table(_OWNER.model)} u ON {_OWNER.column('id')} = {_KEY.column('owner_id')} "
            f"{joins} "
            f"WHERE {_KEY.column('hashed')} = %s AND {_KEY.column('revoked_at')} IS NULL")


def rate() -> tuple[int, int]:
    """(creates allowed, window seconds) from STUDIO_API_RATE, e.g. "20/10"."""
    count, _, seconds = settings.STUDIO_API_RATE.partition("/")
    return int(count), int(seconds or 10)


def window() -> int:
    """The current rate window's number (unix time // window length)."""
    return int(time.time()) // rate()[1]


def _rate_names() -> tuple[str, ...]:
    return tuple(map(connection.ops.quote_name, (
        RateWindow._meta.db_table, "key_id", "window", "count")))  # WINDOW is an SQL keyword


class CreateCount:
    """One create counted against its key's window, in the create's own transaction.

    The endpoint has read the key's count with the key (key_from(window=...)) and refused a
    key already at its limit before any work. A create then counts itself as the first
    statement of the transaction that saves it (`transaction()`), so counting costs no
    commit of its own (on PostgreSQL a disk wait, which had cost a create more than its
    validation). What did not count itself that way — a refused or failed request, or a
    create that saves in some other way — is counted afterwards (`settle`): every attempt
    counts, as before, and a key cannot probe URLs past its limit with broken requests.
    """

    def __init__(self, key: ApiKey):
        self.key, self.counted = key, False

    def refused_already(self) -> bool:
        """The key was at its limit when read: refuse before any work."""
        limit, _ = rate()
        window_, seen = getattr(self.key, "window_creates", (None, 0))
        return limit > 0 and window_ == window() and seen >= limit

    @contextlib.contextmanager
    def transaction(self):
        """The create's transaction, this create counted as its first statement; past the
        limit (another create of the same key got in between), ApiError 429 rolls it back.
        A rollback undoes the count too: settle() then counts the attempt. On PostgreSQL
        the count and the create's own writes go to the server in one round trip."""
        from .envelope import ApiError  # envelope imports this module

        try:
            with transaction.atomic():
                with rows.pipelined():
                    counted = _counting(self.key)
                    yield
                if not counted():
                    raise ApiError(429, refusal())
                self.counted = True
        except BaseException:
            self.counted = False
            raise

    def settle(self) -> None:
        if not self.counted:
            self.counted = True
            _counting(self.key)()


def refusal() -> str:
    limit, seconds = rate()
    return f"Rate limited: at most {limit} creates per {seconds} s per key; try again shortly"


def _counting(key: ApiKey):
    """Count one create against `key`'s current window. Returns the question "is that
    within the limit?", which reads the count back: asked later, the statement may travel
    with others (rows.pipelined).

    A fixed window counted in the database, so every web process shares it. The increment
    is an upsert of one row, which the database serialises, so two concurrent requests
    cannot both see room for one more.
    """
    limit, _ = rate()
    if limit <= 0:
        return lambda: True
    current = window()
    table, key_id, window_, count_ = _rate_names()
    # One statement, atomic in SQLite (3.35+) and PostgreSQL alike: open the window or count
    # one more in it, and read the count back.
    upsert = (f"INSERT INTO {table} ({key_id}, {window_}, {count_}) VALUES (%s, %s, 1) "
              f"ON CONFLICT ({key_id}, {window_}) DO UPDATE SET {count_} = {table}.{count_} + 1 "
              f"RETURNING {count_}")
    cursor = connection.cursor()
    cursor.execute(upsert, [key.pk, current])

    def within() -> bool:
        with cursor:
            (count,) = cursor.fetchone()
        if count == 1:  # a new window: forget this key's old ones
            RateWindow.objects.filter(key=key, window__lt=current).delete()
        return count <= limit

    return within
