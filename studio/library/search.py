"""Full-text search over a creator's tracks: title, style and lyrics, best match first.

Each database answers from its own full-text index, so a search costs what its matches
cost, not what the whole table does:

- PostgreSQL: a tsvector column, `search_vector` (title A, style B, lyrics C, in the
  `studio_search` text-search configuration: the `simple` dictionary behind `unaccent`, so
  "cafe" finds "Café"), kept by a trigger on library_track and indexed with GIN, plus a GIN
  expression index over the title and style alone. The column is written by a trigger rather
  than GENERATED: PostgreSQL refuses to alter the type of a column a generated one reads,
  which would fail any later migration that changes `title`'s max_length. The column is
  not a model field (it means nothing to SQLite); `install()` creates it.
- SQLite: an FTS5 table (`library_track_search`, unicode61 with diacritics removed) kept in
  step by triggers on library_track, whatever writes the row (save, update(), bulk_create,
  a cascade). Django rebuilds a SQLite table to alter it, which drops its triggers, so
  `install()` runs after every migrate and rebuilds the index whenever they were missing
  or the table's definition (_FTS_DDL) changed.

Both match every word as a prefix ("danc" finds "Dancing"): the creator sees results as they
type. Relevance is, per word, 4 for a title hit, 2 for style, 1 for lyrics, on either
database. It depends on the track alone (never on the rest of the table), so a cursor that
carries it stays exact while other tracks come and go.

Ranking reads every match it ranks, so a word in a quarter of all lyrics would cost a
quarter of the library per page. Two things keep the page bounded instead:

- A track none of whose words is in its title or style scores exactly one per word (each
  word must be somewhere, so in its lyrics): every "lyrics-only" match ties, in date order.
  `first()` (the relevance sort's page, from browse.paginate) ranks only the tracks with a
  word in the title or style, found through their own index (titles and styles are short,
  so these are usually few: a word in many of them, say a first letter, still ranks them
  all), and reads the lyrics-only ones newest first, stopping at the page's end.
- How a match is found depends on how common the words are in the creator's newest
  SAMPLE tracks: when many of them match ("dense"), the library is walked in its sort order
  and each track checked where it stands, which stops after a page; otherwise the matches'
  ids come from the index first, since a walk would read the whole library to fill a page.
"""
from __future__ import annotations

import re
import unicodedata

from django.db import connections
from django.db.models import BooleanField, Case, FloatField, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL

MAX_WORDS = 8
FTS_TABLE = "library_track_search"
PG_CONFIG = "studio_search"
PG_COLUMN = "search_vector"
PG_INDEX = "track_search_document"
PG_HEADING_INDEX = "track_search_heading"
PG_OLD_INDEX = "track_search_vector"  # the expression index before the column existed
PG_TRIGGER = "library_track_search_vector"
# Aliases on a dense search's queryset: some word is in the title or style, as a set of ids
# from an index (to find those tracks) and as a test of one row (to pass over them).
HEADING, HEADING_ROW = "search_in_heading", "search_in_heading_row"
SAMPLE = 96  # the newest tracks looked at to tell a common word from a rare one
DENSE = SAMPLE // 8  # matches among them that make it common: a page within ~200 tracks
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
    sql = _PostgreSQL(found) if connections[tracks.db].vendor == "postgresql" else _SQLite(found)
    table = tracks.model._meta.db_table
    # Relevance without reading the lyrics' hits when no word is in the title or style.
    relevance = Case(When(sql.in_heading(table, row=True), then=sql.hits(table)),
                     default=Value(float(len(found))), output_field=FloatField())
    if _dense(tracks, sql.each(table)):
        return (tracks.filter(sql.walked(table))
                .alias(**{HEADING: sql.in_heading(table),
                          HEADING_ROW: sql.in_heading(table, row=True)})
                .annotate(relevance=relevance))
    return tracks.filter(sql.by_index(table)).annotate(relevance=relevance)


def first(tracks: QuerySet, count: int) -> list:
    """The first `count` of `tracks` (from matching(), ordered by relevance, date and id,
    past the cursor): of a dense search, its title and style matches ranked, then its
    lyrics-only ones, which all tie, newest first, read until `count` is reached."""
    if HEADING not in tracks.query.annotations:
        return list(tracks[:count])
    rows = list(tracks.filter(**{HEADING: True})[:count])
    if len(rows) < count:
        rest = tracks.filter(**{HEADING_ROW: False}).order_by("-created_at", "-id")
        rows += rest[:count - len(rows)]
    return rows


def _dense(tracks: QuerySet, each) -> bool:
    """Whether at least DENSE of the creator's SAMPLE newest tracks match (read no further
    than the DENSE-th: no count)."""
    newest = tracks.order_by("-created_at", "-id").values("pk")[:SAMPLE]
    sample = tracks.model._base_manager.filter(pk__in=Subquery(newest)).filter(each)
    return len(sample.order_by().values_list("pk", flat=True)[:DENSE]) == DENSE


def _raw(sql: str, params: list):
    return RawSQL(sql, params, output_field=BooleanField())


# PostgreSQL ---------------------------------------------------------------------------

def _pg_vector(prefix: str = "", heading_only: bool = False) -> str:
    """The weighted tsvector of a row (`prefix` "NEW." in the trigger)."""
    parts = [(f"{prefix}title", "A"), (f"{prefix}style", "B"), (f"{prefix}lyrics", "C")]
    return " || ".join(f"setweight(to_tsvector('{PG_CONFIG}', coalesce({column}, '')), '{w}')"
                       for column, w in parts[:2 if heading_only else 3])


class _PostgreSQL:
    def __init__(self, found: list[str]):
        self.found = found

    def _query(self, terms: list[str], joiner: str = " & ") -> tuple[str, str]:
        return f"to_tsquery('{PG_CONFIG}', %s)", joiner.join(terms)

    def each(self, table: str):
        """Every word, checked on the row's stored vector (a walk's test)."""
        sql, param = self._query([f"{w}:*" for w in self.found])
        return _raw(f'"{table}"."{PG_COLUMN}" @@ {sql}', [param])

    def walked(self, table: str):
        """The condition a walk tests on each track, on its stored vector: `@@`'s function
        rather than the operator, which the planner can neither take to an index nor
        estimate from the column's statistics. It guesses a third of rows match, so it
        walks the library in the page's order and stops after a page; with the operator it
        guesses a few percent for any prefix and, in a library of thousands, reads all of
        it and sorts instead."""
        sql, param = self._query([f"{w}:*" for w in self.found])
        return _raw(f'ts_match_vq("{table}"."{PG_COLUMN}", {sql})', [param])

    def by_index(self, table: str):
        """Every word, the ids read from the GIN index alone, once (an InitPlan): given
        the condition itself, the planner guesses a prefix query matches a few percent of
        rows and would walk the library in its sort order to find a word that is in
        thirty tracks."""
        sql, param = self._query([f"{w}:*" for w in self.found])
        return _raw(f'"{table}"."id" = ANY(ARRAY(SELECT "id" FROM "{table}" '
                    f'WHERE "{PG_COLUMN}" @@ {sql}))', [param])

    def in_heading(self, table: str, row: bool = False):
        """Some word in the title or style: ids from the title-and-style index, or (`row`)
        the row's stored vector's A and B lexemes."""
        if row:
            sql, param = self._query([f"{w}:*AB" for w in self.found], " | ")
            return _raw(f'"{table}"."{PG_COLUMN}" @@ {sql}', [param])
        sql, param = self._query([f"{w}:*" for w in self.found], " | ")
        return _raw(f'"{table}"."id" = ANY(ARRAY(SELECT "id" FROM "{table}" '
                    f'WHERE ({_pg_vector(heading_only=True)}) @@ {sql}))', [param])

    def hits(self, table: str):
        parts, params = [], []
        for word in self.found:
            for weight, points in _WEIGHTS.items():
                sql, param = self._query([f"{word}:*{weight}"])
                parts.append(f'({points} * ("{table}"."{PG_COLUMN}" @@ {sql})::int)')
                params.append(param)
        return RawSQL(f"CAST({' + '.join(parts)} AS double precision)", params,
                      output_field=FloatField())


_WEIGHTS = {"A": 4, "B": 2, "C": 1}  # title, style, lyrics

# SQLite -------------------------------------------------------------------------------

def _fts_query(found: list[str], column: str | None = None, joiner: str = " AND ") -> str:
    terms = joiner.join(f'"{w}"*' for w in found)
    return f"{{{column or 'title style lyrics'}}} : ({terms})"


_IDS = f"SELECT track_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
_COLUMNS = {"title": 4, "style": 2, "lyrics": 1}


class _SQLite:
    def __init__(self, found: list[str]):
        self.found = found

    def each(self, table: str):
        """Every word, asked of the index for this one row (its id is a token of the
        index's track_id column): a walk's test, ~50 µs a row."""
        return _raw(f"EXISTS (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH "
                    f"('track_id : \"' || \"{table}\".\"id\" || '\" AND ' || %s))",
                    [_fts_query(self.found)])

    def walked(self, table: str):
        """The condition a walk tests on each track. A lyrics-only match (the walk's quarry)
        is asked of the index for that one track; a track with a word in its title or style
        is looked up in the set of all matches, read from the index once, instead (it is a
        match outright if that was the only word): a word in many titles ("s", as the first
        letter is typed) would otherwise cost a question to the index per title."""
        heading = self.in_heading(table)
        each = self.each(table)
        if len(self.found) == 1:
            known, params = "1", []
        else:
            known, params = f'"{table}"."id" IN ({_IDS})', [_fts_query(self.found)]
        return _raw(f"CASE WHEN {heading.sql} THEN {known} ELSE {each.sql} END",
                    [*heading.params, *params, *each.params])

    def by_index(self, table: str):
        return _raw(f'"{table}"."id" IN ({_IDS})', [_fts_query(self.found)])

    def in_heading(self, table: str, row: bool = False):
        """Some word in the title or style: the ids, read from the index once per query."""
        return _raw(f'"{table}"."id" IN ({_IDS})',
                    [_fts_query(self.found, "title style", " OR ")])

    def hits(self, table: str):
        parts, params = [], []
        for word in self.found:
            for column, points in _COLUMNS.items():
                parts.append(f'(CASE WHEN "{table}"."id" IN ({_IDS}) THEN {points} ELSE 0 END)')
                params.append(_fts_query([word], column))
        return RawSQL(f"CAST({' + '.join(parts)} AS REAL)", params, output_field=FloatField())


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


# track_id is indexed (one token per track) so a trigger, or a walk's test of one track,
# finds a track's entry by MATCH instead of scanning; searches are limited to the other
# three columns. Prefixes of 1 to 3 characters have their own index: the first letter typed
# is a prefix of most words, which a walk's test of each track would otherwise expand.
_FTS_DDL = (f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "track_id, title, style, lyrics, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')")


def _install_sqlite(conn) -> None:
    with conn.cursor() as cursor:
        tables = {name: sql for (name, sql) in cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'trigger')")}
        if "library_track" not in tables:
            return
        stale = FTS_TABLE in tables and tables[FTS_TABLE] != _FTS_DDL  # an older definition
        if stale:
            cursor.execute(f"DROP TABLE {FTS_TABLE}")
        if stale or FTS_TABLE not in tables:
            cursor.execute(_FTS_DDL)
        _planner_hints(cursor)
        missing = [name for name in _SQLITE_TRIGGERS if name not in tables]
        if not missing and FTS_TABLE in tables and not stale:
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
    """The configuration, the trigger-kept column and both GIN indexes; each step only if it
    is missing (the column, for an existing library, filled once)."""
    table = track_model._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [PG_CONFIG])
        if cursor.fetchone() is None:
            # unaccent is a trusted extension: the database's owner may create it.
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = simple)")
            cursor.execute(f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} ALTER MAPPING FOR "
                           "hword, hword_part, word WITH unaccent, simple")
        cursor.execute(f"DROP INDEX IF EXISTS {PG_OLD_INDEX}")
        cursor.execute("SELECT 1 FROM information_schema.columns WHERE table_name = %s "
                       "AND column_name = %s", [table, PG_COLUMN])
        if cursor.fetchone() is None:
            cursor.execute(f'ALTER TABLE "{table}" ADD COLUMN {PG_COLUMN} tsvector')
        cursor.execute(f"""
            CREATE OR REPLACE FUNCTION {PG_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.{PG_COLUMN} := {_pg_vector("NEW.")};
                RETURN NEW;
            END $$""")
        cursor.execute(f'CREATE OR REPLACE TRIGGER {PG_TRIGGER} BEFORE INSERT OR UPDATE OF '
                       f'title, style, lyrics ON "{table}" FOR EACH ROW '
                       f"EXECUTE FUNCTION {PG_TRIGGER}()")
        cursor.execute(f'UPDATE "{table}" SET {PG_COLUMN} = {_pg_vector()} '
                       f"WHERE {PG_COLUMN} IS NULL")
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        indexes = {name for (name,) in cursor.fetchall()}
        for name, indexed in ((PG_INDEX, PG_COLUMN),
                              (PG_HEADING_INDEX, f"({_pg_vector(heading_only=True)})")):
            if name not in indexes:
                cursor.execute(f'CREATE INDEX {name} ON "{table}" USING gin ({indexed})')


def uninstall(schema_editor, track_model) -> None:
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        table = track_model._meta.db_table
        with conn.cursor() as cursor:
            cursor.execute(f'DROP TRIGGER IF EXISTS {PG_TRIGGER} ON "{table}"')
            cursor.execute(f"DROP FUNCTION IF EXISTS {PG_TRIGGER}()")
            for index in (PG_INDEX, PG_HEADING_INDEX, PG_OLD_INDEX):
                cursor.execute(f"DROP INDEX IF EXISTS {index}")
            cursor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS {PG_COLUMN}')
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_CONFIG}")
    elif conn.vendor == "sqlite":
        uninstall_sqlite(conn)


def uninstall_sqlite(conn) -> None:
    with conn.cursor() as cursor:
        for name in _SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
