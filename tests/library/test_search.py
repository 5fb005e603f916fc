"""Search: a full-text index (FTS5 on SQLite, a GIN tsvector on PostgreSQL), prefixes as the
creator types, accents folded, best match first, the owner's kept tracks only, and an index
that follows every change to a track."""
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from studio.library import search, trash
from studio.library.browse import BrowseForm, paginate
from studio.library.models import Track
from tests.library.factories import text_track

pytestmark = pytest.mark.django_db

TITLE = re.compile(r'class="track-title">([^<]+)<')


def titles(client, q, **params) -> list[str]:
    response = client.get("/", {"q": q, **params})
    assert response.status_code == 200
    return TITLE.findall(response.content.decode())


def found(owner, q) -> set[str]:
    return {t.title for t in search.matching(Track.objects.owned_by(owner).kept(), q)}


def test_a_word_being_typed_finds_the_tracks_it_begins(owner_client, owner):
    text_track(owner, "Dancing in the Rain")
    text_track(owner, "Slow Dance", style="ballad")
    text_track(owner, "Abundance")  # "danc" inside a word is no prefix
    assert set(titles(owner_client, "danc")) == {"Dancing in the Rain", "Slow Dance"}
    assert set(titles(owner_client, "DANCING r")) == {"Dancing in the Rain"}
    assert titles(owner_client, "dancer") == []


def test_accents_are_folded_both_ways(owner):
    text_track(owner, "Café Nights")
    text_track(owner, "Naive Melody", lyrics="a naïve little tune")
    assert found(owner, "cafe") == found(owner, "CAFÉ") == {"Café Nights"}
    assert found(owner, "naïve") == found(owner, "naive") == {"Naive Melody"}


def test_every_word_must_match_in_title_style_or_lyrics(owner):
    text_track(owner, "Harbour Lights", style="bossa nova", lyrics="[Verse]\nthe keeper sings")
    text_track(owner, "Harbour Walls", style="metal")
    assert found(owner, "harbour bossa keeper") == {"Harbour Lights"}
    assert found(owner, "harbour") == {"Harbour Lights", "Harbour Walls"}
    assert found(owner, "harbour jazz") == set()


def test_best_match_first_title_then_style_then_lyrics(owner_client, owner):
    now = timezone.now()
    # The newest track is the weakest match: relevance, not date, decides.
    text_track(owner, "Quiet", lyrics="[Verse]\nthe ocean calls", created_at=now)
    text_track(owner, "Blue", style="ocean ambient", created_at=now - timedelta(hours=1))
    text_track(owner, "Ocean Drive", created_at=now - timedelta(hours=2))
    text_track(owner, "Unrelated", created_at=now - timedelta(hours=3))
    assert titles(owner_client, "ocean") == ["Ocean Drive", "Blue", "Quiet"]
    assert titles(owner_client, "oce", sort="relevance") == ["Ocean Drive", "Blue", "Quiet"]


def test_other_orders_still_apply_when_asked(owner_client, owner):
    now = timezone.now()
    text_track(owner, "B ocean", duration=30, created_at=now - timedelta(hours=2))
    text_track(owner, "A", lyrics="ocean", duration=90, created_at=now - timedelta(hours=1))
    text_track(owner, "C", style="ocean", duration=60, created_at=now)
    assert titles(owner_client, "ocean", sort="title") == ["A", "B ocean", "C"]
    assert titles(owner_client, "ocean", sort="newest") == ["C", "A", "B ocean"]
    assert titles(owner_client, "ocean", sort="longest") == ["A", "C", "B ocean"]
    # Without a search there is nothing to rank: "Best match" means newest first.
    assert titles(owner_client, "", sort="relevance") == ["C", "A", "B ocean"]


def test_a_strangers_tracks_never_match(owner_client, owner, stranger):
    text_track(owner, "Lighthouse", lyrics="beacon")
    text_track(stranger, "Lighthouse Keeper", lyrics="beacon")
    text_track(stranger, "Beacon Hill")
    assert titles(owner_client, "lighthouse") == ["Lighthouse"]
    assert titles(owner_client, "beacon") == ["Lighthouse"]
    assert titles(owner_client, "hill") == []


def test_query_syntax_is_only_words(owner_client, owner):
    text_track(owner, "Rock and Roll")
    for q in ['"rock', "rock*", "rock AND", "(rock)", "{rock}", "rock: ", "rock & !", "rock:*",
              "rock'", "rock -roll"]:
        assert titles(owner_client, q) == ["Rock and Roll"], q
    for q in ["*", '"', "%", "()", ":", "&|!"]:
        assert titles(owner_client, q) == [], q


def test_the_index_follows_create_rename_trash_restore_purge_and_delete(owner):
    track = text_track(owner, "Morning Tide")
    assert found(owner, "tide") == {"Morning Tide"}
    track.title = "Evening Swell"
    track.save(update_fields=["title"])
    assert found(owner, "tide") == set() and found(owner, "swell") == {"Evening Swell"}
    Track.objects.filter(pk=track.pk).update(lyrics="waves on the shore")
    assert found(owner, "shore") == {"Evening Swell"}
    trash.move_to_trash(track)
    assert found(owner, "swell") == set()
    Track.objects.filter(pk=track.pk).update(trashed_at=None)  # what restore does
    assert found(owner, "swell") == {"Evening Swell"}
    trash.move_to_trash(track)
    assert trash.remove_for_good(track)
    other = text_track(owner, "Evening Star")
    other.delete()
    assert found(owner, "evening") == set()
    if connection.vendor == "sqlite":  # nothing of them is left in the index either
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE}")
            assert cursor.fetchone()[0] == Track.objects.count() == 0


def test_restore_through_the_trash_page_makes_it_findable_again(owner_client, owner):
    track = text_track(owner, "Paper Moon")
    owner_client.post(f"/tracks/{track.pk}/delete")
    assert titles(owner_client, "moon") == []
    owner_client.post(f"/trash/{track.pk}/restore")
    assert titles(owner_client, "moon") == ["Paper Moon"]


def test_bulk_created_tracks_are_indexed(owner):
    from tests.library.factories import bulk_tracks

    bulk_tracks(owner, 30)
    assert len(found(owner, "song")) == 30
    assert found(owner, "song 00017") == {"Song 00017"}


@pytest.mark.parametrize("sort", ["relevance", "title", "newest"])
def test_search_pages_by_cursor_return_every_match_once_in_order(owner, stranger, sort):
    now = timezone.now()
    for i in range(37):
        where = i % 4
        text_track(owner, f"Wave {i:02d}" if where == 0 else f"Song {i:02d}",
                   style="wave pop" if where == 1 else "folk",
                   lyrics="wave " * (i % 3) if where >= 2 else "",
                   created_at=now - timedelta(minutes=i // 5))  # ties broken by id
    text_track(stranger, "Wave of a stranger")
    form = BrowseForm({"q": "wav", "sort": sort})
    form.is_valid()
    matches = form.filter(Track.objects.owned_by(owner).kept())
    # most of the library matches: found by walking it (the relevance sort: its lyrics-only
    # matches newest first), not from the index
    assert search.HEADING in matches.query.annotations
    seen, cursor = [], ""
    while True:
        page = paginate(matches, form.order, cursor, size=6)
        seen.extend(page.items)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
        # A new take landing between two pages changes no page boundary.
        text_track(owner, "Wave latecomer", created_at=now + timedelta(hours=1))
    everything = [t for t in form.filter(Track.objects.owned_by(owner).kept())
                  if t.title != "Wave latecomer"]
    assert len(everything) == 37 - sum(1 for i in range(37) if i % 4 >= 2 and i % 3 == 0)
    keys = {"relevance": lambda t: (-t.relevance, -t.created_at.timestamp(), -t.pk.int),
            "title": lambda t: (t.title, t.pk.int),
            "newest": lambda t: (-t.created_at.timestamp(), -t.pk.int)}
    # (under title order the latecomers sort after the cursor, so they legitimately follow)
    assert [t.pk for t in seen if t.title != "Wave latecomer"] == [
        t.pk for t in sorted(everything, key=keys[sort])]
    assert len(seen) == len({t.pk for t in seen})
    assert len({t.relevance for t in everything}) >= 3  # the ranking really has tiers


def test_relevance_is_the_order_of_the_first_page(owner):
    text_track(owner, "x", lyrics="river")
    text_track(owner, "River", style="river folk")
    text_track(owner, "y", style="river")
    form = BrowseForm({"q": "river"})
    form.is_valid()
    assert form.order == "relevance"
    page = paginate(form.filter(Track.objects.owned_by(owner).kept()), form.order)
    ranks = [t.relevance for t in page.items]
    assert [t.title for t in page.items] == ["River", "y", "x"]
    # per word: 4 for the title, 2 for the style, 1 for the lyrics, on either database
    assert ranks == [6.0, 2.0, 1.0]


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_index_is_rebuilt_when_a_table_rebuild_dropped_its_triggers(owner):
    text_track(owner, "Before")
    with connection.cursor() as cursor:  # what Django's SQLite table rebuild leaves behind
        for name in search._SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    text_track(owner, "Meanwhile")  # written while no trigger watched
    search.ensure()
    assert found(owner, "meanwhile") == {"Meanwhile"} and found(owner, "before") == {"Before"}
    text_track(owner, "After")
    assert found(owner, "after") == {"After"}


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_index_of_an_older_definition_is_rebuilt_with_one_letter_prefixes(owner):
    text_track(owner, "Stone Road")
    with connection.cursor() as cursor:  # the index as an earlier release made it
        cursor.execute(f"DROP TABLE {search.FTS_TABLE}")
        cursor.execute(f"CREATE VIRTUAL TABLE {search.FTS_TABLE} USING fts5(track_id, title, "
                       "style, lyrics, tokenize = 'unicode61 remove_diacritics 2', "
                       "prefix = '2 3')")
    search.ensure()
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [search.FTS_TABLE])
        assert "prefix = '1 2 3'" in cursor.fetchone()[0]
    assert found(owner, "s") == found(owner, "road") == {"Stone Road"}


ORDERS = {"relevance": ("-relevance", "-created_at", "-id"), "title": ("title", "id"),
          "newest": ("-created_at", "-id")}


def test_a_search_fetches_its_matches_by_id_instead_of_walking_the_library(owner):
    for sort in ("relevance", "title", "newest"):
        form = BrowseForm({"q": "harbour", "sort": sort})
        form.is_valid()
        tracks = form.filter(Track.objects.owned_by(owner).kept().for_grid())
        if connection.vendor == "sqlite":
            plan = tracks.order_by(*ORDERS[sort])[:25].explain()
            assert re.search(r"SEARCH library_track USING INDEX \w+ \(id=\?\)", plan), plan
            assert "owner_id=?" not in plan, plan
        else:
            with connection.cursor() as cursor:  # a tiny table is read whole otherwise
                cursor.execute("SET LOCAL enable_seqscan = off")
            plan = tracks.order_by(*ORDERS[sort])[:25].explain()
            # The GIN index serves the query's own expression, once, for the list of ids
            # (which access path reads the library then is the planner's, by its statistics;
            # bench/library.py measures it at 100,000 tracks).
            assert f"Bitmap Index Scan on {search.PG_INDEX}" in plan, plan
            assert "InitPlan" in plan, plan


def _library_of_a_common_word(owner, now) -> dict[str, Track]:
    """"tide" in 5 titles, "tidal" in 3 styles, "tide" in 40 lyrics (twice in 2 of them),
    among 50 tracks: a word in most of the newest tracks."""
    made = {}
    for i in range(50):
        title = f"Tide {i:02d}" if i % 12 == 0 else f"Song {i:02d}"
        style = "tidal folk" if i % 15 == 7 else "folk"
        lyrics = ("tide " * (1 + i % 20 // 19)) if i % 5 else "calm water"
        made[title] = text_track(owner, title, style=style, lyrics=lyrics,
                                 created_at=now - timedelta(minutes=i // 3))
    return made


def _pages(owner, q, size=7) -> tuple[list[Track], bool]:
    form = BrowseForm({"q": q})
    form.is_valid()
    matches = form.filter(Track.objects.owned_by(owner).kept())
    seen, cursor = [], ""
    while True:
        page = paginate(matches, form.order, cursor, size=size)
        seen.extend(page.items)
        if not page.next_cursor:
            return seen, search.HEADING in matches.query.annotations
        cursor = page.next_cursor


def test_a_common_word_pages_the_same_whether_walked_or_read_from_the_index(owner):
    """A word in most of the newest tracks is found by walking the library (lyrics-only
    matches, which all tie, read newest first up to the page's end); once newer tracks
    without it bury it, by the index. Both give every match once, best first."""
    now = timezone.now()
    _library_of_a_common_word(owner, now)
    walked, dense = _pages(owner, "tid")
    assert dense
    everything = list(search.matching(Track.objects.owned_by(owner).kept(), "tid"))
    expected = sorted(everything, key=lambda t: (-t.relevance, -t.created_at.timestamp(),
                                                 -t.pk.int))
    assert [t.pk for t in walked] == [t.pk for t in expected]
    assert len(walked) == 40 + 1  # the lyrics, and one title without it in its lyrics
    # title hits first (5 with the lyrics too, else 4), then styles (3), then lyrics only
    assert [t.relevance for t in walked[:8]] == [5.0] * 4 + [4.0] + [3.0] * 3
    assert {t.relevance for t in walked[8:]} == {1.0}
    for i in range(search.SAMPLE):
        text_track(owner, f"Later {i}", created_at=now + timedelta(minutes=1 + i))
    from_index, dense = _pages(owner, "tid")
    assert not dense
    assert [(t.pk, t.relevance) for t in from_index] == [(t.pk, t.relevance) for t in walked]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_stored_vector_follows_every_write_and_install_is_idempotent(owner):
    from django.db import connection as conn

    def vector(track):
        with conn.cursor() as cursor:
            cursor.execute(f"SELECT {search.PG_COLUMN}::text FROM library_track WHERE id = %s",
                           [track.pk])
            return cursor.fetchone()[0]

    track = text_track(owner, "Morning Tide", style="folk", lyrics="salt")
    assert vector(track) == "'folk':3B 'morning':1A 'salt':4C 'tide':2A"
    track.title = "Évening Swell"
    track.save(update_fields=["title"])
    assert vector(track) == "'evening':1A 'folk':3B 'salt':4C 'swell':2A"
    Track.objects.filter(pk=track.pk).update(lyrics="")
    assert vector(track) == "'evening':1A 'folk':3B 'swell':2A"
    with conn.schema_editor() as editor:  # a second migrate changes nothing
        search.install(editor, Track)
        search.install(editor, Track)
    assert vector(track) == "'evening':1A 'folk':3B 'swell':2A"
    with conn.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'library_track' "
                       "AND indexname LIKE 'track_search%%' ORDER BY indexname")
        assert [name for (name,) in cursor.fetchall()] == [
            search.PG_INDEX, search.PG_HEADING_INDEX]
    assert found(owner, "swell") == {"Évening Swell"}


def test_a_common_words_page_walks_the_library_instead_of_ranking_every_match(owner):
    """The lyrics-only part of a dense search is read in the library's date order, from an
    index, and stops at the page's end: no sort over every match."""
    _library_of_a_common_word(owner, timezone.now())
    form = BrowseForm({"q": "tide"})
    form.is_valid()
    tracks = form.filter(Track.objects.owned_by(owner).kept().for_grid())
    rest = tracks.filter(**{search.HEADING_ROW: False}).order_by("-created_at", "-id")[:25]
    if connection.vendor == "sqlite":
        plan = rest.explain()
        assert "USING INDEX track_owner_newest" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
    else:
        with connection.cursor() as cursor:  # a tiny table is read whole and sorted otherwise
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
        plan = rest.explain()
        assert "Index Scan Backward using track_owner_newest" in plan, plan
        assert "Sort" not in plan, plan
