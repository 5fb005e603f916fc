"""Nothing a creator typed on the Create page is lost, in Chromium. When the answer to Create
is a server error, a proxy's error page, the network failing, a session that ended or a
security token refused, the form stays with everything in it, says beside its button what
happened, and the next press sends it. Choosing the track to extend changes only its card
and what that track brings into fields nothing was typed in."""
import re

import pytest
from django.template.loader import render_to_string

from studio.generation import jobs
from studio.generation.models import Generation
from studio.web.failures import in_words
from tests.browser.conftest import PASSWORD
from tests.browser.helpers import song

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.parametrize("width", ["desktop"], indirect=True)]

GENERATION_PAGE = re.compile(r"/generations/[0-9a-f-]+/$")
LYRICS = "[Verse]\nSalt on the window\nNo one to call\n\n[Chorus]\nStay"


@pytest.fixture(autouse=True)
def _made_not_run(monkeypatch):
    monkeypatch.setattr(jobs, "enqueue", lambda *args, **kwargs: None)


def write_a_song(page):
    page.goto("/create/?mode=custom")
    page.locator("#id_title").fill("Salt")
    page.locator("#id_style").fill("indie folk, 96 bpm")
    page.locator("#id_lyrics").fill(LYRICS)
    page.evaluate("window.sameDocument = true")  # gone if a page of its own is loaded


def press_create(page):
    page.get_by_role("button", name="Create two takes").click()


def first_press_answered(page, answer) -> list:
    """The form's first POST answered by `answer(route)` instead of Studio; later ones reach
    Studio. The list of URLs so answered."""
    failed = []

    def first_press_fails(route):
        if route.request.method == "POST" and not failed:
            failed.append(route.request.url)
            answer(route)
        else:
            route.continue_()

    page.route(re.compile(r"/create/\?mode=custom$"), first_press_fails)
    return failed


def said_beside_the_button(page) -> str:
    note = page.locator("#create-form [role=alert][data-not-sent]")
    note.wait_for()
    assert note.evaluate("el => el.nextElementSibling.matches('button[type=submit]')")
    return note.inner_text()


def assert_all_still_there(page):
    assert page.evaluate("window.sameDocument === true")  # not replaced, not reloaded
    assert page.url.endswith("/create/?mode=custom")
    assert page.locator("#id_title").input_value() == "Salt"
    assert page.locator("#id_style").input_value() == "indie folk, 96 bpm"
    assert page.locator("#id_lyrics").input_value() == LYRICS
    assert page.inner_text("label[for=id_lyrics] .counter").startswith(f"{len(LYRICS)} / ")


def assert_the_next_press_makes_the_song(page):
    button = page.get_by_role("button", name="Create two takes")
    assert button.is_enabled()
    button.click()
    page.wait_for_url(GENERATION_PAGE)
    generation = Generation.objects.get()
    assert page.url.endswith(f"/generations/{generation.pk}/")
    made = generation.request
    assert (made.title, made.style, made.prompt) == ("Salt", "indie folk, 96 bpm", LYRICS)


def studio_failure_page():
    """Studio's own page for a failure that passes (the database busy), as it answers one."""
    from django.db import OperationalError

    message, _ = in_words(OperationalError("database is locked"))
    return render_to_string("errors/failure.html", {"title": "Try again shortly",
                                                    "message": message})


ANSWERS = {  # how the first press is answered, what the page then says
    "server error": (lambda route: route.fulfill(status=500, body="<h1>Server Error (500)</h1>",
                                                 content_type="text/html"),
                     ["start this song (server error 500)."]),
    "proxy page": (lambda route: route.fulfill(
        status=502, content_type="text/html",
        body="<html><body><center><h1>502 Bad Gateway</h1></center><hr>nginx</body></html>"),
        ["start this song (server error 502)."]),
    "Studio's own words": (lambda route: route.fulfill(status=503, body=studio_failure_page(),
                                                       content_type="text/html"),
                           ["(server error 503).", "database is busy with other work"]),
    "network down": (lambda route: route.abort("connectionreset"),
                     ["start this song: the connection to Studio failed."]),
}


@pytest.mark.parametrize("answer", list(ANSWERS))
def test_a_failed_create_keeps_the_form_says_why_and_sends_on_the_next_press(page, width,
                                                                             answer):
    fail, words = ANSWERS[answer]
    write_a_song(page)
    failed = first_press_answered(page, fail)
    press_create(page)

    said = said_beside_the_button(page)
    assert all(w in said for w in words), said
    assert "Bad Gateway" not in said  # a proxy's page is not copied into the form
    assert "Everything you typed is still here" in said and "“Create two takes” again" in said
    assert_all_still_there(page)
    assert Generation.objects.count() == 0 and len(failed) == 1
    assert_the_next_press_makes_the_song(page)


def test_after_logging_out_in_another_tab_the_form_waits_to_be_sent_after_logging_in(
        page, width, studio, musician):
    write_a_song(page)
    other = page.context.new_page()
    other.goto("/")
    other.get_by_role("button", name="Log out").click()
    other.wait_for_url(re.compile(r"/accounts/login/"))

    press_create(page)
    said = said_beside_the_button(page)
    assert "no longer logged in" in said and "Everything you typed is still here" in said
    log_in = page.locator("#create-form [data-not-sent]").get_by_role(
        "link", name="Log in again in another tab")
    assert log_in.get_attribute("target") == "_blank"
    assert_all_still_there(page)

    # Logging in again gives the browser a new security token, which the form sends
    other.goto(log_in.get_attribute("href"))
    other.fill("#id_username", musician.username)
    other.fill("#id_password", PASSWORD)
    other.click("button[type=submit]")
    other.wait_for_url(f"{studio.url}/")
    assert_the_next_press_makes_the_song(page)


def test_a_refused_security_token_keeps_the_form_and_the_next_press_sends_it(page, width):
    write_a_song(page)
    page.context.clear_cookies(name="csrftoken")  # as a browser that dropped Studio's cookie
    press_create(page)
    said = said_beside_the_button(page)
    assert "did not accept this form" in said and "Nothing was changed." in said
    assert_all_still_there(page)
    assert_the_next_press_makes_the_song(page)


def test_choosing_the_track_to_extend_keeps_what_was_typed(page, width, musician):
    harbour = song(musician, "Harbour", seconds=30, style="folk, warm")
    lantern = song(musician, "Lantern", seconds=20, style="ambient piano")
    page.goto("/create/?mode=extend")
    page.locator("#id_lyrics").fill(LYRICS)
    page.locator("#id_title").fill("Harbour, later")
    continue_at, style = page.locator("#id_continue_at"), page.locator("#id_style")

    page.get_by_label("Track to extend").select_option(str(harbour.pk))
    page.wait_for_url(re.compile(rf"[?&]track={harbour.pk}"))
    page.wait_for_function("() => document.getElementById('id_continue_at').value === '15.0'")
    assert "Harbour" in page.inner_text("#source-track")
    assert style.input_value() == "folk, warm"  # left empty: the track's
    assert page.locator("#id_title").input_value() == "Harbour, later"  # typed: kept
    assert page.locator("#id_lyrics").input_value() == LYRICS

    page.get_by_label("Track to extend").select_option(str(lantern.pk))
    page.wait_for_function("() => document.getElementById('id_continue_at').value === '10.0'")
    assert "Lantern" in page.inner_text("#source-track")
    assert style.input_value() == "ambient piano"  # what Harbour brought follows the track
    assert page.inner_text("label[for=id_style] .counter").startswith("13 / ")
    assert page.locator("#id_title").input_value() == "Harbour, later"
    assert page.locator("#id_lyrics").input_value() == LYRICS

    wave = page.locator("#source-track [data-pick-duration]")  # the new card's, working
    box = wave.bounding_box()
    wave.click(position={"x": box["width"] * 0.25, "y": box["height"] / 2})
    assert abs(float(continue_at.input_value()) - 5.0) < 0.5
    assert page.locator("#source-track .pick-marker").is_visible()
    style.fill("ambient piano, strings")
    page.get_by_label("Track to extend").select_option(str(harbour.pk))
    page.wait_for_function("() => document.querySelector('#source-track').innerText.includes('Harbour')")
    assert style.input_value() == "ambient piano, strings"  # typed over: kept
    assert abs(float(continue_at.input_value()) - 5.0) < 0.5  # picked: kept

    press_create(page)
    page.wait_for_url(GENERATION_PAGE)
    generation = Generation.objects.get(tracks=None)  # the two songs' own have their tracks
    made = generation.request
    assert generation.source_track == harbour
    assert (made.title, made.style, made.prompt) == ("Harbour, later", "ambient piano, strings",
                                                     LYRICS)
    assert abs(made.continue_at - 5.0) < 0.5


def test_the_track_chosen_to_extend_brings_its_instrumental_box_unless_changed(page, musician):
    """An instrumental chosen in the list ticks Instrumental, a sung one unticks it; not over
    lyrics typed for the new part, nor once the creator has set the box themselves."""
    tide = song(musician, "Tide", seconds=20)  # no lyrics: nobody sings
    harbour = song(musician, "Harbour", seconds=20, lyrics="[Verse]\nLights along the wall")
    page.goto("/create/?mode=extend")
    box, choose = page.locator("#id_instrumental"), page.get_by_label("Track to extend")

    def chosen(track):
        choose.select_option(str(track.pk))
        page.wait_for_function("(t) => document.querySelector('#source-track')"
                               ".innerText.includes(t)", arg=track.title)

    chosen(tide)
    assert box.is_checked()
    chosen(harbour)
    assert not box.is_checked()
    chosen(tide)
    box.uncheck()  # the creator's own choice from now on
    chosen(harbour)
    chosen(tide)
    assert not box.is_checked()

    page.goto("/create/?mode=extend")
    page.locator("#id_lyrics").fill(LYRICS)
    chosen(tide)
    assert not box.is_checked()  # the lyrics typed are sung
    assert page.locator("#id_lyrics").input_value() == LYRICS


FOREIGN_LINKS = ["https://elsewhere.example/login", "//elsewhere.example/login",
                 "/\\elsewhere.example/login", "/\t/elsewhere.example/login",
                 "javascript:alert(1)", "login/"]


def test_a_failure_page_lends_the_form_only_its_links_to_studios_own_pages(page, width):
    """The words beside the button are copied out of the answer's [data-failure]: a page
    that came through something else may link anywhere. Only a path on Studio stays a link;
    any other keeps its words."""
    foreign = "".join(f' <a href="{href}">away {n}</a>' for n, href in enumerate(FOREIGN_LINKS))
    body = ('<main id="main"><p data-failure>The database is busy.'
            f'{foreign} <a href="/accounts/login/?next=/create/">Log in again</a></p></main>')
    write_a_song(page)
    first_press_answered(page, lambda route: route.fulfill(status=503, body=body,
                                                           content_type="text/html"))
    press_create(page)

    said = said_beside_the_button(page)
    for n in range(len(FOREIGN_LINKS)):
        assert f"away {n}" in said  # the words stay
    note = page.locator("#create-form [data-not-sent]")
    hrefs = note.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["/accounts/login/?next=/create/"]
    assert note.get_by_role("link", name="Log in again").get_attribute("target") == "_blank"
    assert_all_still_there(page)
    assert_the_next_press_makes_the_song(page)
