"""The Boost style button beside every style field: the answer carries a richer style the
engine reads as said, and the old text for Undo."""
import re
from html import unescape

from django.test import Client

from studio.engines.local.style import parse_style

URL = "/create/boost-style?into=id_style&field=style"


def attribute(name, html):
    return unescape(re.search(rf'{name}="([^"]*)"', html).group(1))


def test_style_fields_offer_boost(owner_client):
    for mode, field in (("custom", "style"), ("instrumental", "tags")):
        page = owner_client.get(f"/create/?mode={mode}").text
        assert f"/create/boost-style?into=id_{field}&amp;field={field}" in page
        assert f'id="id_{field}-boost"' in page and ">Boost style</button>" in page


def test_a_boost_carries_the_richer_style_and_the_old_one(owner_client):
    html = owner_client.post(URL, {"style": "sad piano"}).text
    boosted = attribute("data-boosted", html)
    assert attribute("data-previous", html) == "sad piano"
    assert attribute("data-boost-into", html) == "id_style"
    assert boosted.startswith("sad piano, ") and "bpm" in boosted
    assert parse_style(boosted, seed=3).tempo_exact
    assert "data-undo-boost" in html


def test_tags_fields_are_boosted_too(owner_client):
    html = owner_client.post("/create/boost-style?into=id_tags&field=tags",
                             {"tags": "lofi"}).text
    assert attribute("data-boosted", html).startswith("lofi, ")


def test_an_empty_style_is_told_beside_the_field(owner_client):
    html = owner_client.post(URL, {"style": "  "}).text
    assert 'role="alert"' in html and "Write a short style first" in html
    assert "data-boosted" not in html


def test_csrf_is_checked(owner):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert strict.post(URL, {"style": "rock"}).status_code == 403
