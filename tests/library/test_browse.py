"""Browsing: search, filters, sorts, and pages cut by a cursor that count nothing."""
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from studio.library.browse import paginate
from studio.library.models import Track
from tests.factories import make_track
from tests.library.factories import bulk_tracks

pytestmark = pytest.mark.django_db

CARD = re.compile(r'href="/tracks/([0-9a-f-]{36})/" class="track-title"')


def ids_on(response) -> list[str]:
    return CARD.findall(response.content.decode())


def test_search_finds_title_style_and_lyrics(owner_client, owner):
    make_track(owner, title="Harbour Lights")
    make_track(owner, title="Other", style="bossa nova, warm")
    make_track(owner, title="Third", lyrics="[Verse]\nthe lighthouse keeper sings")
    make_track(owner, title="Unrelated")
    titles = lambda q: {t for t in re.findall(r'class="track-title">([^<]+)<',  # noqa: E731
                                              owner_client.get("/", {"q": q}).content.decode())}
    assert titles("harbour") == {"Harbour Lights"}
    assert titles("BOSSA") == {"Other"}
    assert titles("lighthouse keeper") == {"Third"}


def test_filters_narrow_by_kind_model_vocals_status_and_date(owner):
    from studio.library.browse import BrowseForm

    bulk_tracks(owner, 40)
    base = Track.objects.owned_by(owner).exclude(title="Template")

    def count(**data):
        form = BrowseForm(data)
        form.is_valid()
        return form.filter(base).count()

    assert count(mode="extend") == base.filter(generation__mode="extend").count() > 0
    assert count(model="V5") == base.filter(generation__model="V5").count() > 0
    assert count(vocals="instrumental") == base.filter(lyrics="").count() > 0
    assert count(vocals="vocal") + count(vocals="instrumental") == 40
    assert count(status="running") == base.filter(generation__status="FIRST_SUCCESS").count() > 0
    today = timezone.localdate()
    assert count(since=today.isoformat()) == base.filter(
        created_at__date__gte=today).count()
    # the factory spreads tracks over past hours: just after midnight some are yesterday's
    yesterday = today - timedelta(days=1)
    assert count(until=yesterday.isoformat()) == base.filter(
        created_at__date__lte=yesterday).count() < 40


@pytest.mark.parametrize("sort, key, reverse", [
    ("newest", lambda t: (t.created_at, str(t.pk)), True),
    ("oldest", lambda t: (t.created_at, str(t.pk)), False),
    ("title", lambda t: (t.title, str(t.pk)), False),
    ("longest", lambda t: (t.duration, str(t.pk)), True),
    ("shortest", lambda t: (t.duration, str(t.pk)), False)])
def test_keyset_pages_return_every_track_once_in_order(owner, sort, key, reverse):
    bulk_tracks(owner, 61)
    tracks = Track.objects.owned_by(owner)
    seen, cursor = [], ""
    while True:
        page = paginate(tracks, sort, cursor, size=10)
        seen.extend(page.items)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    expected = sorted(tracks, key=key, reverse=reverse)
    assert [str(t.pk) for t in seen] == [str(t.pk) for t in expected]
    assert len({t.pk for t in seen}) == 62


def test_load_more_appends_the_next_page_and_its_own_link(owner_client, owner):
    bulk_tracks(owner, 60)
    first = owner_client.get("/").content.decode()
    link = re.search(r'hx-get="\?([^"]*cursor=[^"]+)"', first).group(1).replace("&amp;", "&")
    assert re.search(r'<a id="more"[^>]*hx-target="this"', first)  # htmx names it: HX-Target
    more = owner_client.get("/?" + link, HTTP_HX_REQUEST="true",
                            HTTP_HX_TARGET="more").content.decode()
    assert '<div id="results"' not in more and "<html" not in more
    first_ids, more_ids = ids_on_html(first), ids_on_html(more)
    assert len(first_ids) == len(more_ids) == 24 and set(first_ids).isdisjoint(more_ids)
    assert 'hx-get="?' in more  # and a link to the page after
    plain = re.search(r'href="\?([^"]*cursor=[^"]+)"', first).group(1).replace("&amp;", "&")
    assert ids_on_html(owner_client.get("/?" + plain).content.decode()) == more_ids  # no JS


def ids_on_html(html: str) -> list[str]:
    return CARD.findall(html)


def test_no_count_query_and_constant_queries_as_the_library_grows(owner_client, owner):
    bulk_tracks(owner, 30)
    with CaptureQueriesContext(connection) as small:
        assert owner_client.get("/?sort=title&q=song").status_code == 200
    bulk_tracks(owner, 600)
    with CaptureQueriesContext(connection) as large:
        assert owner_client.get("/?sort=title&q=song").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries) <= 8
    assert not any("COUNT(" in q["sql"].upper() for q in large.captured_queries)
    grid = next(q["sql"] for q in large.captured_queries if "library_track" in q["sql"]
                and "LIMIT" in q["sql"].upper())
    assert "peaks" not in grid and "analysis" not in grid  # the grid never loads them


def test_query_count_is_bounded(django_assert_max_num_queries, owner_client, owner):
    bulk_tracks(owner, 100)
    with django_assert_max_num_queries(8):
        owner_client.get("/")


def test_filter_form_updates_only_the_results(owner_client, owner):
    make_track(owner, title="Harbour")
    response = owner_client.get("/", {"q": "harb"}, HTTP_HX_REQUEST="true",
                                HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"') and "Harbour" in html
    assert "<html" not in html


def test_a_bad_cursor_starts_from_the_top(owner_client, owner):
    make_track(owner, title="Harbour")
    assert "Harbour" in owner_client.get("/", {"cursor": "not-a-cursor!"}).content.decode()


def test_empty_search_says_nothing_matches(owner_client, owner):
    make_track(owner)
    assert "No tracks match" in owner_client.get("/", {"q": "zzzz"}).content.decode()


def test_the_sort_menu_orders_the_library(owner_client, owner):
    for title in ("Bravo", "Charlie", "Alpha"):  # newest last
        make_track(owner, title=title)
    titles = lambda sort: re.findall(r'class="track-title">([^<]+)<',  # noqa: E731
                                     owner_client.get("/", {"sort": sort}).content.decode())
    assert titles("title") == ["Alpha", "Bravo", "Charlie"]
    assert titles("") == ["Alpha", "Charlie", "Bravo"]


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_the_running_strip_reads_only_running_and_failed_generations(owner_client, owner):
    bulk_tracks(owner, 20)
    with CaptureQueriesContext(connection) as queries:
        assert owner_client.get("/").status_code == 200
    strips = [q["sql"] for q in queries.captured_queries
              if 'FROM "generation_generation"' in q["sql"]
              and ("PENDING" in q["sql"] or "GENERATE_AUDIO_FAILED" in q["sql"])]
    assert len(strips) == 2
    for sql in strips:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        # not a walk over every generation the owner ever made, by date
        assert "(owner_id=? AND status=?)" in plan, plan


def test_an_instrumental_added_under_an_uploaded_vocal_counts_as_sung(owner_client, owner):
    """Add instrumental keeps the creator's voice, whose words Studio never learns: the take
    has vocals on its page, in the Vocals filter, in a search and on its card's menu."""
    from studio.generation.models import Generation, Mode, Status

    backed = make_track(owner, title="Backed Voice", lyrics="", generation=Generation.objects.create(
        owner=owner, params={"instrumental": False}, status=Status.SUCCESS,
        mode=Mode.ADD_INSTRUMENTAL))
    plain = make_track(owner, title="Plain Piano", lyrics="")
    assert ids_on(owner_client.get("/", {"vocals": "vocal"})) == [str(backed.pk)]
    assert ids_on(owner_client.get("/", {"vocals": "instrumental"})) == [str(plain.pk)]
    assert ids_on(owner_client.get("/", {"vocals": "vocal", "q": "voice"})) == [str(backed.pk)]
    assert ids_on(owner_client.get("/", {"vocals": "instrumental", "q": "voice"})) == []
    page = owner_client.get(f"/tracks/{backed.pk}/").content.decode()
    facts = page[page.index('class="facts"'):]
    assert "<span>Vocals</span>" in facts[:facts.index("</p>")]
    assert "Make persona" in page and "mode=add_vocals" not in page
    assert Track.objects.for_grid().get(pk=backed.pk).is_instrumental is False
    assert Track.objects.for_grid().get(pk=plain.pk).is_instrumental is True


def test_an_extension_with_no_new_words_keeps_its_sources_voice(owner_client, owner):
    """Extend a sung take from 0:27 with no new lyrics: the take holds the source's voice up to
    0:27 (its timed lines), so it is Vocals on its page, in the filter and on its card; the
    same take extended from before the first sung word has no voice in it."""
    sung = {"lyrics_timing": {"lines": [{"text": "We folded paper boats", "start": 8.0,
                                         "end": 10.0, "words": [["We", 8.0, 8.3]]}]}}
    kept = make_track(owner, title="Paper Boats", lyrics="", analysis=sung)
    before = make_track(owner, title="Paper Intro", lyrics="", analysis={"lyrics_timing": {"lines": []}})
    assert ids_on(owner_client.get("/", {"vocals": "vocal"})) == [str(kept.pk)]
    assert ids_on(owner_client.get("/", {"vocals": "instrumental"})) == [str(before.pk)]
    page = owner_client.get(f"/tracks/{kept.pk}/").content.decode()
    facts = page[page.index('class="facts"'):]
    assert "<span>Vocals</span>" in facts[:facts.index("</p>")]
    assert Track.objects.for_grid().get(pk=kept.pk).is_instrumental is False
    assert Track.objects.for_grid().get(pk=before.pk).is_instrumental is True
    assert Track.objects.get(pk=kept.pk).is_instrumental is False
    assert Track.objects.get(pk=before.pk).is_instrumental is True


def test_library_slash_is_the_library(owner_client, owner):
    # The library is Studio's home page; "/library/" as a newcomer types it was a 404
    response = owner_client.get("/library/?q=night")
    assert response.status_code == 302 and response["Location"] == "/?q=night"
    assert owner_client.get(response["Location"]).status_code == 200
