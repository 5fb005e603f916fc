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
