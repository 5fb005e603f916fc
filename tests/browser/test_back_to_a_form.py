"""Back to a form, in Chromium: htmx puts #main back from the copy it kept of the page, with
new elements in place of the ones our scripts set up. Every form comes back working as it did
the first time: counters, field groups, sliders, markers, the upload wait, the persona window,
and a form already sent is ready to send a new song."""
import re

import pytest

from studio.generation import derive, jobs
from studio.generation.models import Generation
from studio.library.models import Persona, Stems
from tests.api.test_personas import SUNG
from tests.browser.conftest import CHROMIUM, FLAGS, WIDTHS
from tests.browser.helpers import song
from tests.factories import audio_bytes

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.parametrize("width", ["desktop"], indirect=True)]


def away_and_back(page):
    """The nav's Library link, then the browser's Back."""
    here = page.url
    page.locator(".topbar nav").get_by_role("link", name="Library").click()
    page.wait_for_url(re.compile(r"/$"))
    page.locator("#main #browse").wait_for()
    back(page, here)


def back(page, to):
    """The browser's Back, answered from htmx's copy of the page (not asked of the server)."""
    page.evaluate("""() => { window.restoredFromCopy = false;
        document.addEventListener("htmx:historyCacheHit",
                                  () => { window.restoredFromCopy = true; }, {once: true}); }""")
    page.go_back()
    page.wait_for_url(to)
    page.locator("#main form").first.wait_for()
    assert page.evaluate("window.restoredFromCopy")


def counters(page, field_id) -> list[str]:
    return page.locator(f"label[for={field_id}] .counter").all_inner_texts()


def test_back_to_custom_finds_its_counters_sliders_and_markers_working(page, musician, width):
    page.goto("/create/")
    page.locator(".tabs").get_by_role("link", name="Custom", exact=True).click()
    page.wait_for_url(re.compile(r"mode=custom"))
    page.locator("#id_lyrics").wait_for()
    away_and_back(page)

    page.locator("#id_title").fill("Salt")
    assert counters(page, "id_title") == ["4 / 100"]  # following the typing, and only one
    page.locator("[data-insert='[Verse]']").click()
    assert page.locator("#id_lyrics").input_value() == "[Verse]\n"
    assert counters(page, "id_lyrics") == ["8 / 5,000"]
    page.locator("summary", has_text="Advanced options").click()
    page.locator("#id_instrumental").check()
    assert not page.locator("#id_vocalGender").is_visible()
    slider = page.locator("input[type=range][data-weight-for=id_styleWeight]")
    page.locator("#id_styleWeight").fill("0.8")
    assert slider.input_value() == "0.8" and slider.get_attribute("data-unset") is None


def test_back_to_cover_switches_its_groups_and_waits_for_an_upload(page, musician, width,
                                                                   tmp_path):
    held = []
    page.route("**/uploads/", lambda route: held.append(route))  # on its way until let go
    path = tmp_path / "slow.wav"
    path.write_bytes(audio_bytes("wav", 2.0))
    button = page.locator("#create-form button[type=submit]")
    page.goto("/create/?mode=cover")
    page.locator("#id_file").set_input_files(str(path))
    page.wait_for_function("() => document.querySelector('#create-form [type=submit]').disabled")
    away_and_back(page)  # left while the file was on its way: that answer is for a page gone

    assert button.is_enabled() and button.inner_text() == "Create two takes"
    page.locator("#id_custom").check()
    assert page.locator("#id_lyrics").is_visible() and not page.locator("#id_idea").is_visible()
    page.locator("#id_custom").uncheck()
    assert page.locator("#id_idea").is_visible()

    page.locator("#id_file").set_input_files(str(path))
    page.wait_for_function("() => document.querySelector('#create-form [type=submit]').disabled")
    assert button.inner_text() == "Waiting for the upload to finish…"
    held[1].continue_()
    page.locator("#upload-result audio").wait_for()
    page.wait_for_function("() => !document.querySelector('#create-form [type=submit]').disabled")
    assert button.inner_text() == "Create two takes"


def test_back_to_extend_moves_the_marker_where_the_waveform_is_clicked(page, musician, width):
    track = song(musician, "Harbour", seconds=30)
    page.goto(f"/create/?mode=extend&track={track.pk}")
    away_and_back(page)

    wave = page.locator("[data-pick-duration]")
    box = wave.bounding_box()
    wave.click(position={"x": box["width"] * 0.25, "y": box["height"] / 2})
    assert abs(float(page.locator("#id_continue_at").input_value()) - 7.5) < 0.5


def test_back_to_a_sent_form_sends_a_new_song(page, musician, width, monkeypatch):
    monkeypatch.setattr(jobs, "enqueue", lambda *args, **kwargs: None)  # made, not run
    page.goto("/create/")
    page.get_by_label("Describe your song").fill("a shanty about tea")
    page.get_by_role("button", name="Create two takes").click()
    page.wait_for_url(re.compile(r"/generations/[0-9a-f-]+/$"))
    first = Generation.objects.get()
    back(page, re.compile(r"/create/$"))

    button = page.get_by_role("button", name="Create two takes")
    assert button.is_enabled()
    page.get_by_label("Describe your song").fill("a polka about rain")
    button.click()
    page.wait_for_url(re.compile(r"/generations/[0-9a-f-]+/$"))
    second = Generation.objects.exclude(pk=first.pk).get()  # a song of its own, not the first
    assert page.url.endswith(f"/generations/{second.pk}/")
    assert second.params["prompt"] == "a polka about rain"


def test_back_to_make_persona_moves_the_window_again(page, musician, width):
    track = song(musician, "Lantern", seconds=40, lyrics="la la")
    track.analysis = dict(SUNG)
    track.save(update_fields=["analysis"])
    page.goto(f"/tracks/{track.pk}/persona")
    away_and_back(page)

    wave = page.locator(".persona-window")
    box = wave.bounding_box()
    wave.click(position={"x": box["width"] * 0.25, "y": box["height"] / 2})  # 10 s in
    assert abs(float(page.locator("#id_vocalStart").input_value()) - 10.0) < 0.5
    mark = page.locator(".window-mark").bounding_box()
    assert abs(mark["x"] - (box["x"] + box["width"] * 0.25)) < 4  # drawn where it starts
    assert Persona.objects.count() == 0


@pytest.fixture(scope="module")
def chromium_keeping_pages(chromium):
    """Chromium as people run it: a page left for another is kept whole for Back (the
    back/forward cache, which Playwright turns off unless asked)."""
    browser = chromium.browser_type.launch(executable_path=str(CHROMIUM), args=FLAGS,
                                           ignore_default_args=["--disable-back-forward-cache"])
    yield browser
    browser.close()


@pytest.fixture
def tab_keeping_pages(chromium_keeping_pages, studio, musician, width):
    """A signed-in tab of that Chromium, watched as the package's `page` (conftest.py) is:
    a JavaScript error, or anything the Content-Security-Policy refuses, fails the test."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(musician)
    context = chromium_keeping_pages.new_context(base_url=studio.url, viewport=WIDTHS[width])
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": studio.url}])
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: errors.append(message.text)
           if message.type == "error" and "Content Security Policy" in message.text else None)
    yield tab
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def test_back_to_a_page_kept_whole_finds_its_sent_form_ready_to_send_again(
        tab_keeping_pages, musician, monkeypatch):
    """A server error on a form sent once (Make stems) loads the error page whole
    (player.js; the create form stays instead, studio.js); Back brings the page left back as
    it was — with the form sent, which must not stay so."""
    monkeypatch.setattr(derive, "enqueue", lambda *args, **kwargs: None)  # asked, not made
    page = tab_keeping_pages
    track = song(musician, "Harbour", seconds=12)
    page.goto(f"/tracks/{track.pk}/")
    page.evaluate("window.sameDocument = true")
    failed = []

    def fail_the_first_send(route):
        if route.request.method == "POST" and not failed:
            failed.append(route.request.url)
            route.fulfill(status=500, body="<h1>Server Error (500)</h1>")
        else:
            route.continue_()

    page.route(re.compile(r"/stems$"), fail_the_first_send)
    page.get_by_role("button", name="Make stems").click()
    page.wait_for_function("() => window.sameDocument !== true")  # a page of its own
    page.go_back(wait_until="commit")  # no load event: the page was kept, not loaded
    assert page.url.endswith(f"/tracks/{track.pk}/") and page.evaluate("window.sameDocument === true")

    button = page.get_by_role("button", name="Make stems")
    assert button.is_enabled()
    button.click()
    page.get_by_text("Taking the song apart into its parts").wait_for()
    assert Stems.objects.filter(track=track).count() == 1 and len(failed) == 1


def test_back_to_a_form_finds_what_was_typed_in_it(page, musician, width):
    # htmx's copy of the page held the form as it was sent: the idea came back empty
    page.goto("/create/")
    page.locator("#id_idea").fill("a rainy sunday morning with coffee and old records")
    away_and_back(page)
    assert page.locator("#id_idea").input_value() == "a rainy sunday morning with coffee and old records"
    assert counters(page, "id_idea") == ["50 / 500"]

    page.locator(".tabs").get_by_role("link", name="Custom", exact=True).click()
    page.wait_for_url(re.compile(r"mode=custom"))
    page.locator("#id_lyrics").fill("[Verse]\nSalt on the window\n[Chorus]\nStay")
    page.locator("#id_title").fill("Salt")
    page.locator("summary", has_text="Advanced options").click()
    page.locator("#id_instrumental").check()
    away_and_back(page)
    assert page.locator("#id_lyrics").input_value() == "[Verse]\nSalt on the window\n[Chorus]\nStay"
    assert page.locator("#id_title").input_value() == "Salt"
    assert page.locator("#id_instrumental").is_checked()
    assert not page.locator("#id_vocalGender").is_visible()  # set up as checked
