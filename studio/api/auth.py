"""Who is calling (the bearer key) and whether they may create again (the rate limit)."""
from __future__ import annotations

import functools
import time
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
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
    header = request.headers.get("Authorization", "").strip()
    scheme, _, value = header.partition(" ")
    raw = value.strip() if scheme.lower() == "bearer" else header
    return raw if len(raw) <= 200 else ""


def key_from(request, alongside: Alongside | None = None) -> ApiKey | None:
    """The active key in `Authorization: Bearer <key>`, or None.

    A bare key without the word Bearer is accepted too: some legacy clients send it so.
    Read with its owner by SQL written once (studio.rows): every API request asks this, and
    compiling the ORM's query cost more than the rest of a poll.
    """
    request.alongside = None
    if alongside is not None:
        setattr(request, alongside.into, None)
    raw = bearer(request)
    if not raw:
        return None
    if alongside is None:
        row = rows.one(_key_sql("", ""), [hash_key(raw)])
    else:
        row = rows.one(_key_sql(alongside.columns, alongside.joins),
                       [*alongside.params, hash_key(raw)])
    if row is None:
        return None
    key = _KEY.instance(row[:len(_KEY)])
    owner = _OWNER.instance(row[len(_KEY):len(_KEY) + len(_OWNER)])
    if not owner.is_active:
        return None
    key.owner = owner
    if alongside is not None:
        setattr(request, alongside.into, row[len(_KEY) + len(_OWNER):])
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_GRANULARITY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


_KEY = rows.Columns(ApiKey, "k")
_OWNER = rows.Columns(get_user_model(), "u")


@functools.cache
def _key_sql(columns: str, joins: str) -> str:
    """An active key by its hash (unique), with its owner, and a view's `columns` from its
    `joins` (see Alongside)."""
    return (f"SELECT {_KEY.sql()}, {_OWNER.sql()}{', ' if columns else ''}{columns} "
            f"FROM {rows.table(ApiKey)} k "
            f"JOIN {rows.table(_OWNER.model)} u ON {_OWNER.column('id')} = {_KEY.column('owner_id')} "
            f"{joins} "
            f"WHERE {_KEY.column('hashed')} = %s AND {_KEY.column('revoked_at')} IS NULL")


def rate() -> tuple[int, int]:
    """(creates allowed, window seconds) from STUDIO_API_RATE, e.g. "20/10"."""
    count, _, seconds = settings.STUDIO_API_RATE.partition("/")
    return int(count), int(seconds or 10)


def allow_create(key: ApiKey) -> bool:
    """Count one create against `key`'s current window; False if that is over the limit.

    A fixed window counted in the database, so every web process shares it. The increment
    is an upsert of one row, which the database serialises, so two concurrent requests
    cannot both see room for one more.
    """
    limit, seconds = rate()
    if limit <= 0:
        return True
    window = int(time.time()) // seconds
    table, key_id, window_, count_ = map(connection.ops.quote_name, (
        RateWindow._meta.db_table, "key_id", "window", "count"))  # WINDOW is an SQL keyword
    # One statement, atomic in SQLite (3.35+) and PostgreSQL alike: open the window or count
    # one more in it, and read the count back. It replaced a transaction of three or four
    # queries (update, maybe insert, select) that cost a create more than its validation.
    upsert = (f"INSERT INTO {table} ({key_id}, {window_}, {count_}) VALUES (%s, %s, 1) "
              f"ON CONFLICT ({key_id}, {window_}) DO UPDATE SET {count_} = {table}.{count_} + 1 "
              f"RETURNING {count_}")
    # Its own commit, in one round trip. (On PostgreSQL it was a transaction that set
    # synchronous_commit off: BEGIN, SET LOCAL, the upsert and COMMIT, three round trips
    # more than the disk wait they spared cost here.)
    with connection.cursor() as cursor:
        cursor.execute(upsert, [key.pk, window])
        (count,) = cursor.fetchone()
    if count == 1:  # a new window: forget this key's old ones
        RateWindow.objects.filter(key=key, window__lt=window).delete()
    return count <= limit
