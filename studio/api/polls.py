"""A poll's answer, kept while the database says nothing has changed since it was read.

Clients poll a task every few seconds while it is made (record-info, get-music), and most
polls find it as the last one left it. Answering those from memory costs no round trip:
on PostgreSQL one round trip is more than a whole trivial request, so a poll that reads the
database can never come near one (bench/api.py measures both paths).

An answer is kept per thread (each thread has its own database connection: gunicorn's
gthread workers and runserver serve a request per thread) under the key's hash and the full
URL, for at most KEPT_SECONDS, and is dropped — every answer of the thread at once — as
soon as the database may have changed, by anyone:

- SQLite: the connection's `PRAGMA data_version` moves when any other connection (another
  thread, a worker, another process) commits, and `total_changes` when this one writes.
- PostgreSQL: statement triggers on the rows an answer shows (generations, their requests
  and takes, keys, users) NOTIFY `studio_changed` on commit when one is changed or
  deleted, or a take added (a new generation has no answer to change, so a create sends
  none); a thread in each web process LISTENs and counts them. This process's own writes
  count at once, before the notice comes back. While the listener is not connected,
  nothing is kept.

An answer is only kept if nothing changed while it was read, and never from inside a
transaction (what it read may yet roll back). A notice still in flight when a poll
arrives leaves a window of about a millisecond in which the answer is the previous one:
the same answer a poll sent a moment earlier would have had.
"""
from __future__ import annotations

import logging
import os
import threading
import time

from django.db import connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver

log = logging.getLogger("studio.api")

KEPT_SECONDS = 30.0
KEPT_ANSWERS = 2048  # per thread; the oldest goes first
CHANNEL = "studio_changed"
# The tables an answer shows. Of their new rows only a take can change an answer given.
TAKES = "library_track"
WATCHED = ("generation_generation", "api_apirequest", "api_apikey", "auth_user")


class Answer:
    __slots__ = ("body", "content_type", "until")

    def __init__(self, body: bytes, content_type: str, until: float):
        self.body, self.content_type, self.until = body, content_type, until


class _Kept(threading.local):
    def __init__(self):
        self.answers: dict[tuple, Answer] = {}
        self.token = None


_kept = _Kept()


def token():
    """What the database's state is known by, for this thread; None when it cannot be
    known (inside a transaction, or PostgreSQL's listener not connected)."""
    if connection.in_atomic_block:
        return None
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        return raw.execute("PRAGMA data_version").fetchone()[0], raw.total_changes
    if connection.vendor == "postgresql":
        return _listener.epoch()
    return None


def find(key: tuple) -> tuple[Answer | None, object]:
    """(the answer kept under `key` or None, the state token to pass to keep())."""
    now = token()
    if now is None:
        return None, None
    if now != _kept.token:
        _kept.answers.clear()
        _kept.token = now
        return None, now
    answer = _kept.answers.get(key)
    if answer is not None and answer.until < time.monotonic():
        del _kept.answers[key]
        answer = None
    return answer, now


def keep(key: tuple, before, body: bytes, content_type: str) -> None:
    """Keep an answer read since find() gave `before`, unless anything changed meanwhile."""
    if before is None or token() != before:
        return
    answers = _kept.answers
    if len(answers) >= KEPT_ANSWERS:
        del answers[next(iter(answers))]
    answers[key] = Answer(body, content_type, time.monotonic() + KEPT_SECONDS)


def forget() -> None:
    """Drop this thread's answers (bench/api.py, to measure a poll that reads)."""
    _kept.answers.clear()
    _kept.token = None


class _Listener:
    """PostgreSQL's change notices, counted by a daemon thread of this process (started on
    first use, and again in a forked child)."""

    def __init__(self):
        self._count = 0
        self._connected = False
        self._pid = None
        self._lock = threading.Lock()
        self._raw = None

    def epoch(self):
        if self._pid != os.getpid():
            self._start()
        return self._count if self._connected else None

    def changed(self) -> None:
        # Not atomic: two threads at once may count as one, and then the notice of the
        # commit that follows counts again. Any new count drops every kept answer.
        self._count += 1

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid, self._connected = os.getpid(), False
            threading.Thread(target=self._listen, name="studio-poll-notices",
                             daemon=True).start()

    def _listen(self) -> None:
        from django.db import connections

        pid = os.getpid()
        while self._pid == pid:
            wrapper = connections.create_connection("default")
            try:
                wrapper.ensure_connection()
                self._raw = raw = wrapper.connection
                raw.autocommit = True
                raw.execute(f"LISTEN {CHANNEL}")
                self.changed()  # whatever happened while nobody listened
                self._connected = True
                while self._pid == pid:
                    for _notice in raw.notifies(timeout=5.0):
                        self.changed()
                    raw.execute("SELECT 1")  # a dead server is found within 5 s
            except Exception as problem:  # noqa: BLE001 - any failure: stop keeping, retry
                log.warning("poll notices: %s; polls read the database until it is back",
                            problem)
            finally:
                self._connected, self._raw = False, None
                self.changed()
                try:
                    wrapper.close()
                except Exception:  # noqa: BLE001
                    pass
            time.sleep(5.0)  # meanwhile every poll reads the database

    def stop(self) -> None:
        """Stop listening and close the connection (before a test database is dropped)."""
        self._pid, raw = None, self._raw
        if raw is not None:
            raw.close()


_listener = _Listener()
stop_listening = _listener.stop

# Statements that cannot change an answer already given: reads, and new rows other than a
# take (a new generation, its request, a key or a user has no answer yet).
_SAFE = ("SELECT", "SAVEPOINT", "RELEASE", "SET", "SHOW")
_TAKES = f'INTO "{TAKES}"'.upper()


def _own_writes(execute, sql, params, many, context):
    """Count this process's own writes at once on PostgreSQL (their notice comes back a
    moment after the commit)."""
    head = sql.lstrip()[:40].upper()
    if not (head.startswith(_SAFE) or (head.startswith("INSERT") and _TAKES not in head)):
        _listener.changed()
    return execute(sql, params, many, context)


@receiver(connection_created)
def _watch_writes(sender, connection, **kwargs):
    if connection.vendor == "postgresql" and _own_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_own_writes)


INSTALL = f"""
CREATE OR REPLACE FUNCTION studio_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
  RETURN NULL;
END $$ LANGUAGE plpgsql;
""" + "".join(f"""
DROP TRIGGER IF EXISTS studio_changed ON {table};
CREATE TRIGGER studio_changed AFTER {events} ON {table}
  FOR EACH STATEMENT EXECUTE FUNCTION studio_changed();
""" for table, events in [(TAKES, "INSERT OR UPDATE OR DELETE OR TRUNCATE")]
    + [(table, "UPDATE OR DELETE OR TRUNCATE") for table in WATCHED])

UNINSTALL = "".join(f"DROP TRIGGER IF EXISTS studio_changed ON {table};\n"
                    for table in (TAKES, *WATCHED)) + "DROP FUNCTION IF EXISTS studio_changed();\n"


def install(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL)


def uninstall(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL)
