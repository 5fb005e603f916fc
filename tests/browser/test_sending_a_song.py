"""Sending the create form, in Chromium: what the creator sees typed is what Studio gets, and
one click (or two) makes one generation — also when the form is used the moment it shows, or
while the page that replaces it is still on its way."""
import re

import pytest

from studio.generation import jobs
from studio.generation.models import Generation

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.parametrize("width", ["desktop"], indirect=True)]

SONG = "a gentle acoustic song about the first snow"
GENERATION_PAGE = re.compile(r"/generations/[0-9a-f-]+/$")


@pytest.fixture(autouse=True)
def _made_not_run(monkeypatch):
    monkeypatch.setattr(jobs, "enqueue", lambda *args, **kwargs: None)


def test_text_typed_while_the_next_page_is_on_its_way_is_not_shown_then_taken_back(page,
                                                                                 width):
    """On the create page, a click on Create (or a mode's tab) fetches the form again; until it
    comes, the form shown is the one being left. Typed into it, the description vanished with it
    and the empty form that came was sent: "Idea is required"."""
    page.goto("/create/")
    page.evaluate("document.getElementById('main').dataset.leaving = ''")
    held = []
    page.route(re.compile(r"/create/$"), lambda route: held.append(route), times=1)
    with page.expect_request(re.compile(r"/create/$")):
        page.locator(".topbar nav").get_by_role("link", name="Create").click()
    description = page.get_by_label("Describe your song")
    page.evaluate("document.getElementById('id_idea').focus()")  # the caret put in the field
    page.keyboard.type(SONG)
    shown = description.input_value()
    held[0].continue_()
    page.wait_for_function("() => !('leaving' in document.getElementById('main').dataset)")
    assert description.input_value() == shown  # nothing the creator saw typed is taken back

    description.fill(SONG)
    page.get_by_role("button", name="Create two takes").click()
    page.wait_for_url(GENERATION_PAGE)
    assert Generation.objects.get().params["prompt"] == SONG


def test_a_double_click_on_create_makes_one_generation(page, width):
    page.goto("/create/")
    page.get_by_label("Describe your song").fill(SONG)
    page.get_by_role("button", name="Create two takes").dblclick()
    page.wait_for_url(GENERATION_PAGE)
    page.wait_for_timeout(500)  # a second request would have been sent by now
    generation = Generation.objects.get()
    assert page.url.endswith(f"/generations/{generation.pk}/")
    assert generation.params["prompt"] == SONG


def test_a_form_sent_before_its_scripts_ran_is_sent_whole_and_once(page, width):
    """A slow network: the form is there before its scripts (htmx included). Sent then, it is
    the browser's own submit, with everything typed, and a second click makes no second song
    (the form's token)."""
    page.route(re.compile(r"\.js$"), lambda route: None)  # the scripts never come
    page.goto("/create/", wait_until="commit")
    page.get_by_label("Describe your song").fill(SONG)
    page.get_by_role("button", name="Create two takes").dblclick(no_wait_after=True)
    page.wait_for_url(GENERATION_PAGE, wait_until="commit")
    generation = Generation.objects.get()
    assert page.url.endswith(f"/generations/{generation.pk}/")
    assert generation.params["prompt"] == SONG
