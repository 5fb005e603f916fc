"""Full-text search over a creator's tracks: title, style and lyrics, best match first.

Each database answers from its own full-text index, so a search costs what its matches
cost, not what the whole table does:

- PostgreSQL: a GIN index over a weighted tsvector (title A, style B, lyrics C) in the
  `studio_search` text-search configuration (the `simple` dictionary behind `unaccent`, so
  "cafe" finds "Café"), queried with SearchQuery and ranked with SearchRank. The index is an
  expression index, so it never falls out of step with the row.
- SQLite: an FTS5 table (`library_track_search`, unicode61 with diacritics removed) kept in
  step by triggers on library_track, whatever writes the row (save, update(), bulk_create,
  a cascade). Django rebuilds a SQLite table to alter it, which drops its triggers, so
  `install()` runs after every migrate and rebuilds the index whenever they were missing.

Both match every word as a prefix ("danc" finds "Dancing"): the creator sees results as they
type. Relevance only depends on the track itself (never on the rest of the table), so a
cursor that carries it stays exact while other tracks come and go: SearchRank on
PostgreSQL; on SQLite, per word, 4 for a title hit, 2 for style, 1 for lyrics.
"""
from __future__ import annotations

import re
import unicodedata

from django.db import connections
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

MAX_WORDS = 8
FTS_TABLE = "library_track_search"
PG_CONFIG = "studio_search"
PG_INDEX = "track_search_vector"
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The query's words, lower-cased, accents folded: only letters and digits ever reach
    the database's query syntax."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower())
                     if not unicodedata.combining(c))
    return _WORD.findall(folded)[:MAX_WORDS]


def matching(tracks: QuerySet, text: str) -> QuerySet:
    """The tracks matching every word of `text` as a prefix, annotated with `relevance`."""
    found = words(text)
    if not found:
        return tracks.none()
    if connections[tracks.db].vendor == "postgresql":
        return _postgresql(tracks, found)
    return _sqlite(tracks, found)


# PostgreSQL ---------------------------------------------------------------------------

def search_vector():
    """The indexed expression; queries must repeat it exactly for the planner to use it."""
    from django.contrib.postgres.search import SearchVector

    return (SearchVector("title", weight="A", config=PG_CONFIG)
            + SearchVector("style", weight="B", config=PG_CONFIG)
            + SearchVector("lyrics", weight="C", config=PG_CONFIG))


def _postgresql(tracks: QuerySet, found: list[str]) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(" & ".join(f"{w}:*" for w in found), search_type="raw",
                        config=PG_CONFIG)
    vector = search_vector()
    # The matches' ids come from the GIN index alone, once (an InitPlan), and the library's
    # query takes them as a list. Given the condition itself, the planner guesses a prefix
    # query matches a few percent of rows, and under a sort with an index (title, date) it
    # would walk the owner's whole library in that order, computing every track's tsvector,
    # when the word is in thirty of them.
    ids = (tracks.model._base_manager.annotate(search=vector).filter(search=query)
           .order_by().values("id"))
    sql, params = ids.query.sql_with_params()
    table = tracks.model._meta.db_table
    matched = RawSQL(f'"{table}"."id" = ANY(ARRAY({sql}))', params,
                     output_field=BooleanField())
    # float8, not ts_rank's float4: the value read back is then exactly the one compared
    # with in the next page's cursor.
    return tracks.filter(matched).annotate(
        relevance=Cast(SearchRank(vector, query), FloatField()))


# SQLite -------------------------------------------------------------------------------

def _fts_query(found: list[str], column: str | None = None) -> str:
    terms = " AND ".join(f'"{w}"*' for w in found)
    return f"{{{column or 'title style lyrics'}}} : ({terms})"


_IDS = f"SELECT track_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
_WEIGHTS = {"title": 4, "style": 2, "lyrics": 1}


def _sqlite(tracks: QuerySet, found: list[str]) -> QuerySet:
    table = tracks.model._meta.db_table
    parts, params = [], []
    for word in found:
        for column, weight in _WEIGHTS.items():
            parts.append(f'(CASE WHEN "{table}"."id" IN ({_IDS}) THEN {weight} ELSE 0 END)')
            params.append(_fts_query([word], column))
    relevance = RawSQL(f"CAST({' + '.join(parts)} AS REAL)", params,
                       output_field=FloatField())
    return (tracks.filter(pk__in=RawSQL(_IDS, [_fts_query(found)]))
            .annotate(relevance=relevance))


_SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_insert": f"""
        CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON library_track BEGIN
            INSERT INTO {FTS_TABLE} (track_id, title, style, lyrics)
            VALUES (new.id, new.title, new.style, new.lyrics);
        END""",
    f"{FTS_TABLE}_delete": f"""
        CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON library_track BEGIN
            DELETE FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH 'track_id : "' || old.id || '"';
        END""",
    f"{FTS_TABLE}_update": f"""
        CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF id, title, style, lyrics
        ON library_track BEGIN
            DELETE FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH 'track_id : "' || old.id || '"';
            INSERT INTO {FTS_TABLE} (track_id, title, style, lyrics)
            VALUES (new.id, new.title, new.style, new.lyrics);
        END""",
}


def install(schema_editor, track_model) -> None:
    """Create the search index (the migration's one step; a no-op on other databases)."""
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        _install_postgresql(schema_editor, track_model)
    elif conn.vendor == "sqlite":
        _install_sqlite(conn)


def ensure(using: str = "default", **kwargs) -> None:
    """After every migrate (post_migrate): on SQLite, put back the triggers a table rebuild
    dropped, and rebuild the index from library_track if any was missing."""
    from django.db.migrations.recorder import MigrationRecorder

    conn = connections[using]
    if conn.vendor == "sqlite" and (
            ("library", "0006_search_index") in MigrationRecorder(conn).applied_migrations()):
        _install_sqlite(conn)


def _install_sqlite(conn) -> None:
    with conn.cursor() as cursor:
        tables = {name for (name,) in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
        if "library_track" not in tables:
            return
        # track_id is indexed (one token per track) so a trigger finds a track's entry by
        # MATCH instead of scanning; searches are limited to the other three columns.
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "track_id, title, style, lyrics, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')")
        _planner_hints(cursor)
        missing = [name for name in _SQLITE_TRIGGERS if name not in tables]
        if not missing and FTS_TABLE in tables:
            return
        for name in missing:
            cursor.execute(_SQLITE_TRIGGERS[name])
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(f"INSERT INTO {FTS_TABLE} (track_id, title, style, lyrics) "
                       "SELECT id, title, style, lyrics FROM library_track")


# What SQLite's planner assumes of library_track until ANALYZE measures it: a few
# libraries of many tracks each. Without it, it takes "owner_id = ?" to mean about ten rows,
# so for a search it walks the owner's whole library probing each track against the index's
# matches, instead of fetching the few matches by id (and "trashed_at IS NULL" to be rare).
# sqlite_stat1 is SQLite's documented place for this; a real ANALYZE replaces these rows
# with measured ones.
_ASSUMED_ROWS, _ASSUMED_PER_OWNER = 1_000_000, 10_000


def _planner_hints(cursor) -> None:
    cursor.execute("ANALYZE sqlite_schema")  # creates sqlite_stat1 if it is missing
    measured = {idx for (idx,) in cursor.execute(
        "SELECT idx FROM sqlite_stat1 WHERE tbl = 'library_track'")}
    indexes = [name for (name,) in cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'library_track'")]
    for name in indexes:
        if name in measured:
            continue
        columns = [row[2] for row in cursor.execute(f'PRAGMA index_info("{name}")')]
        if not columns:
            continue
        # rows per value of the leading column: an owner's library; the trash's NULL (every
        # kept track); else (ids, dates, generations) a value or two.
        leading = {"owner_id": _ASSUMED_PER_OWNER, "trashed_at": _ASSUMED_ROWS // 2}
        stat = [_ASSUMED_ROWS, leading.get(columns[0], 2)] + [1] * (len(columns) - 1)
        cursor.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)",
                       ["library_track", name, " ".join(map(str, stat))])
    cursor.execute("ANALYZE sqlite_schema")  # this connection reads them now


def _install_postgresql(schema_editor, track_model) -> None:
    from django.contrib.postgres.indexes import GinIndex

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [PG_CONFIG])
        if cursor.fetchone() is None:
            # unaccent is a trusted extension: the database's owner may create it.
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = simple)")
            cursor.execute(f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} ALTER MAPPING FOR "
                           "hword, hword_part, word WITH unaccent, simple")
    schema_editor.add_index(track_model, GinIndex(search_vector(), name=PG_INDEX))


def uninstall(schema_editor, track_model) -> None:
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        from django.contrib.postgres.indexes import GinIndex

        schema_editor.remove_index(track_model, GinIndex(search_vector(), name=PG_INDEX))
        with conn.cursor() as cursor:
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_CONFIG}")
    elif conn.vendor == "sqlite":
        uninstall_sqlite(conn)


def uninstall_sqlite(conn) -> None:
    with conn.cursor() as cursor:
        for name in _SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

