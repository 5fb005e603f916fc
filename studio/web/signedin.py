"""The signed-in user's own row, read with their session and account in one query.

A signed-in request normally costs three queries before its view does anything: the
session, its user (both asked by LoginRequiredMiddleware) and then the row. The player's
every seek is such a request (a Range request of a track's audio), so for it the three are
one: the row joined to its owner's account and to the session named by the cookie, checked
here exactly as django.contrib.auth checks a session (the user id and backend it names, an
active account, the password-derived hash). Nothing is cached: a closed session or a
changed password stops the next request. Whatever does not match — no cookie, an expired
or someone else's session, a stranger's row, no row — is left to the usual path, which
answers as it always did (a redirect to sign in, or 404).
"""
from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.crypto import constant_time_compare

from studio import rows

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
DB_SESSIONS = "django.contrib.sessions.backends.db"


def own_value(request, model, pk, attname: str):
    """(True, value of `attname`) of the signed-in user's `model` row `pk`, with
    request.user set to them; (False, None) when this one query cannot tell (the caller
    then asks the usual way)."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if (not session_key or settings.SESSION_ENGINE != DB_SESSIONS
            or list(settings.AUTHENTICATION_BACKENDS) != [MODEL_BACKEND]):
        return False, None
    query = _query(model, attname)
    row = rows.one(query.sql, [rows.prep(Session, "session_key", session_key),
                               rows.prep(Session, "expire_date", timezone.now()),
                               rows.prep(model, model._meta.pk.attname, pk)])
    if row is None:
        return False, None
    value, session_data, account = row[0], row[1], row[2:]
    user = query.owner.instance(account)
    if not _signed_in_as(SessionStore().decode(session_data), user):
        return False, None
    request.user = user
    return True, value


def vary_on_cookie(response):
    """The header a session read through request.session adds (SessionMiddleware): the
    answer depends on who asks."""
    patch_vary_headers(response, ("Cookie",))
    return response


def _signed_in_as(session: dict, user) -> bool:
    """Whether `session` is `user`'s, as django.contrib.auth.get_user decides it."""
    return (session.get(SESSION_KEY) == user._meta.pk.value_to_string(user)
            and session.get(BACKEND_SESSION_KEY) == MODEL_BACKEND
            and user.is_active
            and constant_time_compare(session.get(HASH_SESSION_KEY) or "",
                                      user.get_session_auth_hash()))


class _Query:
    def __init__(self, model, attname: str):
        self.owner = rows.Columns(get_user_model(), "u")
        column = model._meta.get_field(attname).column
        owner_id = model._meta.get_field("owner").column
        self.sql = (
            f"SELECT t.{rows.quoted(column)}, s.{rows.quoted('session_data')}, "
            f"{self.owner.sql()} FROM {rows.table(model)} t "
            f"JOIN {rows.table(self.owner.model)} u ON {self.owner.column('id')} = "
            f"t.{rows.quoted(owner_id)} "
            f"JOIN {rows.table(Session)} s ON s.{rows.quoted('session_key')} = %s "
            f"AND s.{rows.quoted('expire_date')} > %s "
            f"WHERE t.{rows.quoted(model._meta.pk.column)} = %s")


@functools.cache
def _query(model, attname: str) -> _Query:
    return _Query(model, attname)
