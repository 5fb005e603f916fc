"""The Engines page in Chromium at both widths: what only a browser can tell, its layout."""
import pytest

pytestmark = pytest.mark.django_db(transaction=True)

LINES = """(el) => { const r = document.createRange(); r.selectNodeContents(el);
    return new Set([...r.getClientRects()].map(x => Math.round(x.bottom))).size; }"""


def test_the_default_engines_button_says_use_it_on_one_line(page):
    page.goto("/engines/")
    button = page.get_by_role("button", name="Use it")
    assert button.evaluate(LINES) == 1, "“Use it” is broken over two lines"
    select = page.get_by_label("Engine", exact=True).bounding_box()
    assert select["width"] > 100  # the menu takes the room, not the button
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_a_connections_buttons_are_whole_words_and_its_cells_say_what_they_are(page, musician,
                                                                               width):
    from studio.connections.models import Connection

    Connection.objects.create(owner=musician, name="my kie account", base_url="https://api.kie.ai",
                              api_key_encrypted="not read here")
    page.goto("/engines/")
    row = page.locator("#connections tbody tr")
    for name in ("Test", "Remove", "Set"):
        assert row.get_by_role("button", name=name, exact=True).evaluate(LINES) == 1, name
    assert row.get_by_label("Webhook HMAC key for my kie account").bounding_box()["width"] > 100
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    if width == "phone":  # the table's head is hidden: each cell names itself, as the keys' do
        labels = row.locator("td[data-label]").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content)")
        assert labels == ['"Name"', '"Vendor"', '"Base URL"', '"Credits"']
