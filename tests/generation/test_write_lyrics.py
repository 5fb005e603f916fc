"""The create form's Write lyrics button: sheets from the idea (else title and style), each
with a button that fills the lyrics field; login and CSRF as every form."""
import re
from html import unescape

import pytest
from django.test import Client

from studio.engines.local.lyrics import parse_sections

URL = "/create/write-lyrics?into=id_lyrics"


def sheets(response) -> list[str]:
    return [unescape(t) for t in re.findall(r'data-lyrics-text="([^"]*)"', response.text)]


def test_the_custom_form_offers_write_lyrics_beside_the_lyrics(owner_client):
    page = owner_client.get("/create/?mode=custom").text
    assert 'hx-post="/create/write-lyrics?into=id_lyrics"' in page
    assert '<label for="id_lyrics-idea"' in page and 'id="id_lyrics-idea"' in page
    assert 'id="id_lyrics-sheets"' in page


def test_an_idea_gives_distinct_sheets_each_ready_to_fill_the_field(owner_client):
    response = owner_client.post(URL, {"lyrics_idea": "a lighthouse keeper and the storm"})
    assert response.status_code == 200
    texts = sheets(response)
    assert len(texts) >= 3 and len(set(texts)) == len(texts)
    assert response.text.count('data-use-lyrics="id_lyrics"') == len(texts)
    for text in texts:
        assert "[Verse]" in text and "[Chorus]" in text
        assert "lighthouse" in text.lower() or "storm" in text.lower()
        assert parse_sections(text)


def test_without_an_idea_the_title_and_style_are_the_idea(owner_client):
    response = owner_client.post(URL, {"title": "Harbour Lights", "style": "folk"})
    assert any("harbour" in t.lower() for t in sheets(response))


def test_nothing_to_write_from_is_said_beside_the_field(owner_client):
    response = owner_client.post(URL, {"lyrics_idea": " ", "title": "", "style": ""})
    assert 'role="alert"' in response.text and "Write an idea" in response.text
    assert sheets(response) == []
    too_long = owner_client.post(URL, {"lyrics_idea": "word " * 201})
    assert "The idea is 201 words; the limit is 200" in too_long.text


def test_a_strange_target_is_refused(owner_client):
    assert owner_client.post("/create/write-lyrics?into=<script>",
                             {"lyrics_idea": "sea"}).status_code == 404


@pytest.mark.django_db
def test_needs_a_login_and_a_post(client, owner_client):
    assert owner_client.get(URL).status_code == 405
    client.logout()
    assert client.post(URL, {"lyrics_idea": "sea"}).status_code == 302


def test_csrf_is_checked(owner):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert strict.post(URL, {"lyrics_idea": "sea"}).status_code == 403
