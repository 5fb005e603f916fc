"""Rows read on every API poll and every seek of the player, and written on every create,
by SQL written once.

The ORM compiles a query afresh on every call: 0.2-0.4 ms of CPU here, more than a whole
trivial request costs, and most of what an API poll or a Range request spent. The few
queries those hot paths make are written here once, from the models' own table and column
names. Rows read become model instances through the fields' own database converters, and
rows written are prepared by the fields' own pre_save and database preparation (what the
ORM applies itself), so the code on either side sees the usual models.
Everywhere else the ORM stays: these are for paths measured by bench/api.py.
"""
from __future__ import annotations

import contextlib
import functools
from functools import cached_property

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model) -> str:
    return quoted(model._meta.db_table)


class Columns:
    """All of one model's columns, selected under a table alias and read back as an
    instance of that model."""

    def __init__(self, model, alias: str):
        self.model, self.alias = model, alias
        self.fields = model._meta.concrete_fields
        self._pk = self.fields.index(model._meta.pk)

    def __len__(self) -> int:
        return len(self.fields)

    def sql(self) -> str:
        return ", ".join(f"{self.alias}.{quoted(f.column)}" for f in self.fields)

    def column(self, attname: str) -> str:
        """One column under the alias, for joins and conditions."""
        return f"{self.alias}.{quoted(self.model._meta.get_field(attname).column)}"

    @cached_property
    def _names(self) -> list[str]:
        return [f.attname for f in self.fields]

    @cached_property
    def _converters(self) -> list[tuple]:
        """(position, column, functions) for each field whose value the ORM would convert
        as read: the backend's converters (SQLite's datetimes, booleans, UUIDs), then the
        field's own (JSON). Most fields have none and are taken as they come."""
        converters = []
        for position, field in enumerate(self.fields):
            col = field.get_col(self.alias)
            functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if functions:
                converters.append((position, col, functions))
        return converters

    def instance(self, values):
        """The model instance of `values` (this model's columns, in order), as the ORM
        would build it; None for the all-NULL columns of a LEFT JOIN that matched nothing."""
        if values[self._pk] is None:  # NULL only where a LEFT JOIN found no row
            return None
        values = list(values)
        for position, col, functions in self._converters:
            for convert in functions:
                values[position] = convert(values[position], col, connection)
        return self.model.from_db(connection.alias, self._names, values)


def prep(model, attname: str, value):
    """`value` as the database takes it for `model.attname` (a UUID as SQLite's hex text or
    PostgreSQL's uuid, a datetime as each backend's)."""
    return model._meta.get_field(attname).get_db_prep_value(value, connection)


def one(sql: str, params) -> tuple | None:
    """The first row of `sql`, or None."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


class Insert:
    """One model's INSERT, written once: a new instance saved as the ORM would save it (each
    field's pre_save and database preparation: defaults, auto_now, JSON, UUIDs), in one
    statement, with no query to compile. For the rows every create writes (bench/api.py)."""

    def __init__(self, model):
        computed = [f.name for f in model._meta.concrete_fields
                    if f.generated or f.has_db_default()]
        if computed:  # the ORM leaves these out or sends DEFAULT: not written here
            raise TypeError(f"{model.__name__}'s {', '.join(computed)}: computed by the "
                            "database; save it with the ORM")
        self.model = model
        pk = model._meta.pk
        self.auto = pk if pk.db_returning else None  # an AutoField: the database numbers it
        self.fields = [f for f in model._meta.concrete_fields if f is not self.auto]

    @cached_property
    def sql(self) -> str:
        columns = ", ".join(quoted(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        returning = f" RETURNING {quoted(self.auto.column)}" if self.auto else ""
        return f"INSERT INTO {table(self.model)} ({columns}) VALUES ({marks}){returning}"

    def save(self, instance):
        """Insert `instance` (new, of this model) and return it, saved."""
        db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: each field asks it things,
        # and every question through the `connection` proxy is a thread-local lookup
        values = [f.get_db_prep_save(f.pre_save(instance, True), db) for f in self.fields]
        with db.cursor() as cursor:
            cursor.execute(self.sql, values)
            if self.auto:
                setattr(instance, self.auto.attname, cursor.fetchone()[0])
        instance._state.adding, instance._state.db = False, db.alias
        return instance


@contextlib.contextmanager
def pipelined():
    """On PostgreSQL, the statements inside sent together: each is queued as executed, and
    all go in one round trip when a result is first read or the block ends (psycopg's
    pipeline mode), the transaction's BEGIN with them. For a create's few writes, whose
    results it does not wait for. Elsewhere (SQLite: no round trips) it does nothing."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or not _pipelines():
        yield
        return
    db.ensure_connection()
    with db.wrap_database_errors:  # an error the server reports at the end is Django's
        with db.connection.pipeline():
            yield


def commit_unawaited() -> None:
    """On PostgreSQL, let the transaction in progress commit without waiting for its WAL to
    reach the disk (synchronous_commit off for it alone): SQLite's synchronous=NORMAL for
    one transaction. A crash of the process that asked loses nothing; a crash of the
    database server or its machine may lose what committed in the last 0.6 s (three
    wal_writer_delay), never leaving the database inconsistent. Unless
    STUDIO_DB_DURABLE_CREATES. Elsewhere (SQLite, outside a transaction) it does nothing."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor == "postgresql" and db.in_atomic_block and not settings.DB_DURABLE_CREATES:
        with db.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


@functools.cache
def _pipelines() -> bool:
    """psycopg's pipeline mode needs libpq 14 or later (the binary wheel brings its own)."""
    import psycopg

    return psycopg.Pipeline.is_supported()
