"""Logged out in another tab, in Chromium: what the page's own requests get (401) is said on
the page, under the top bar, and the page stays where it was. The library's search, Like in
a card's menu and a generation's live status each did nothing and said nothing, or (Like)
led through the log-in page to an empty "Method not allowed". After logging in again in the
other tab, the next press works and the note goes."""
import re

import pytest

from studio.generation.models import Generation, Status
from studio.library.models import Track
from tests.browser.conftest import PASSWORD, WIDTHS
from tests.browser.helpers import song

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "[data-signed-out]"


def card(page, title):
    return page.locator(".track-card", has=page.locator(".track-title", has_text=title))


def log_out_in_another_tab(page):
    other = page.context.new_page()
    other.goto("/")
    other.get_by_role("button", name="Log out").click()
    other.wait_for_url(re.compile(r"/accounts/login/"))
    return other


def log_in_again(other, musician, studio):
    other.goto("/accounts/login/")
    other.fill("#id_username", musician.username)
    other.fill("#id_password", PASSWORD)
    other.click("button[type=submit]")
    other.wait_for_url(f"{studio.url}/")


def said_under_the_top_bar(page) -> str:
    note = page.locator(f".topbar {NOTE}[role=alert]")
    note.wait_for()
    box, width = note.bounding_box(), page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    said = note.inner_text()
    assert "no longer logged in" in said, said
    link = note.get_by_role("link", name="Log in again in another tab")
    assert link.get_attribute("target") == "_blank"
    return said


@pytest.mark.parametrize("width", list(WIDTHS), indirect=True)
def test_search_and_like_after_logging_out_elsewhere_say_so_and_work_after_logging_in(
        page, width, studio, musician):
    lantern = song(musician, "Lantern", seconds=4)
    page.goto("/")
    page.evaluate("window.sameDocument = true")
    other = log_out_in_another_tab(page)

    page.locator("#id_q").fill("lantern")
    page.locator("#id_q").press("Enter")
    said_under_the_top_bar(page)
    assert page.evaluate("window.sameDocument === true") and page.url == f"{studio.url}/"

    page.evaluate(f"document.querySelector('{NOTE}').remove()")  # said again by Like
    card(page, "Lantern").locator("summary.menu-button").click()
    card(page, "Lantern").get_by_role("button", name="Like", exact=True).click()
    said_under_the_top_bar(page)
    assert page.evaluate("window.sameDocument === true") and page.url == f"{studio.url}/"
    assert Track.objects.get(pk=lantern.pk).liked_at is None

    log_in_again(other, musician, studio)
    if not card(page, "Lantern").locator("details[open]").count():
        card(page, "Lantern").locator("summary.menu-button").click()
    card(page, "Lantern").get_by_role("button", name="Like", exact=True).click()
    card(page, "Lantern").locator(".liked-badge").wait_for()
    assert Track.objects.get(pk=lantern.pk).liked_at is not None
    assert page.locator(NOTE).count() == 0


@pytest.mark.parametrize("width", ["desktop"], indirect=True)
def test_a_generations_live_status_says_it_is_logged_out_and_goes_on_after_logging_in(
        page, width, studio, musician):
    generation = Generation.objects.create(owner=musician, params={"prompt": "a sea shanty"},
                                           status=Status.PENDING)
    page.goto(f"/generations/{generation.pk}/")
    other = log_out_in_another_tab(page)

    said_under_the_top_bar(page)  # at the next poll, 2 s at most
    assert page.url.endswith(f"/generations/{generation.pk}/")

    log_in_again(other, musician, studio)
    page.locator(NOTE).wait_for(state="detached")  # the next poll is answered
