"""A partial is chosen one way: by the element htmx swaps (HX-Target), never by the query."""
import pytest

from tests.factories import make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(owner):
    return make_track(owner, title="Harbour")


def test_a_request_aimed_at_a_block_gets_only_that_block(owner_client, library):
    html = owner_client.get("/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results").content.decode()
    assert html.lstrip().startswith('<div id="results"') and "Harbour" in html


def test_a_request_aimed_elsewhere_gets_the_whole_page(owner_client, library):
    html = owner_client.get("/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main").content.decode()
    assert "<html" in html and 'id="running"' in html and "Harbour" in html


def test_without_htmx_the_target_header_means_nothing(owner_client, library):
    html = owner_client.get("/", HTTP_HX_TARGET="results").content.decode()
    assert "<html" in html


def test_the_query_string_never_picks_a_partial(owner_client, library):
    html = owner_client.get("/", {"part": "more"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in html


def test_the_generation_page_polls_only_its_status_block(owner_client, library):
    generation = library.generation
    url = f"/generations/{generation.pk}/"
    html = owner_client.get(url, HTTP_HX_REQUEST="true",
                            HTTP_HX_TARGET="generation-status").content.decode()
    # the status block, after the heading it brings out of band (the title the text stage wrote)
    heading, status = html.split('<div id="generation-status"', 1)
    assert heading.lstrip().startswith('<div id="generation-heading" hx-swap-oob="true">')
    assert heading.count("<div") == 1 and "<html" not in html and 'id="generation-status"' not in status
