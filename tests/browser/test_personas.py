"""Make persona in Chromium, at 1280 and 390 px: the track menu leads to the page, a click on
the waveform moves the 10–30 s window (drawn over it, the numbers following), and the persona
made is on the Personas page and in the custom form's picker."""
import re

import pytest

from studio.library.models import Persona
from tests.api.test_personas import SUNG
from tests.browser.helpers import song

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", ["desktop", "phone"], indirect=True)
def test_make_a_persona_from_a_tracks_menu_picking_the_window_on_the_waveform(page, musician,
                                                                              width):
    track = song(musician, "Lantern", seconds=40, lyrics="la la")
    track.analysis = dict(SUNG)  # sung by the local engine from 12 s to 20 s
    track.save(update_fields=["analysis"])
    page.goto(f"/tracks/{track.pk}/")
    page.locator(".track-menu summary.menu-button").first.click()
    page.get_by_role("link", name="Make persona").first.click()
    page.wait_for_url(re.compile(rf"/tracks/{track.pk}/persona$"))
    start, end = page.locator("#id_vocalStart"), page.locator("#id_vocalEnd")
    assert (start.input_value(), end.input_value()) == ("12.0", "32.0")  # where singing starts

    wave = page.locator(".persona-window")
    box = wave.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    wave.click(position={"x": box["width"] * 0.25, "y": box["height"] / 2})  # 10 s in
    assert abs(float(start.input_value()) - 10.0) < 0.5
    assert abs(float(end.input_value()) - float(start.input_value()) - 20.0) < 0.05
    mark = page.locator(".window-mark").bounding_box()
    assert abs(mark["x"] - (box["x"] + box["width"] * 0.25)) < 4  # drawn where it starts
    assert abs(mark["width"] - box["width"] * 0.5) < 4  # 20 s of 40

    page.locator("#id_name").fill("Nova")
    page.locator("#id_description").fill("a warm alto")
    page.get_by_role("button", name="Make persona").click()
    page.wait_for_url(re.compile(r"/personas/$"))
    page.get_by_text("Nova", exact=True).wait_for()
    persona = Persona.objects.get(owner=musician)
    assert persona.track_id == track.pk and 9.5 < persona.vocal_start < 10.5
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    page.goto("/create/?mode=custom")
    page.locator("details.advanced summary").click()
    picker = page.get_by_label("Persona")
    picker.select_option(persona.pk)
    assert picker.input_value() == persona.pk
