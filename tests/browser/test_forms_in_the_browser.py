"""The create forms and the pages around them, in Debian's Chromium (Playwright, never its
own browser download) against a live Studio, at phone (390 px) and desktop width: what only
a browser can tell — layout measured in the page, and the form's own JavaScript."""
from __future__ import annotations

import base64

import pytest

from tests.factories import audio_bytes

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "a-long-passphrase"

@pytest.fixture(scope="module")
def browser(chromium):
    """The package's Chromium (conftest.py): launched the one way, with the one set of flags."""
    return chromium


@pytest.fixture
def musician(live_server, transactional_db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("a-musician-with-a-long-name", password=PASSWORD)


def signed_in(browser, live_server, musician, viewport):
    context = browser.new_context(viewport=viewport, base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", musician.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def inside_viewport(page, selector) -> bool:
    """The element is shown whole: inside the viewport's width, and not cut by its box."""
    return page.eval_on_selector(selector, """el => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth &&
               el.scrollWidth <= el.clientWidth + 1;
    }""")


def sideways_scroll(page) -> int:
    """How far the page scrolls sideways (0: it fits the width)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def overflowing(page) -> list[str]:
    """What sticks out past the viewport's right edge, for a failing assertion to name."""
    return page.evaluate("""() => [...document.querySelectorAll("body *")]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)""")


def test_on_a_phone_the_nav_keeps_every_page_and_the_user_in_view(browser, live_server,
                                                                   musician):
    page = signed_in(browser, live_server, musician, PHONE)
    for name in ("Create", "Library", "Engines", "API keys"):
        link = f".topbar nav a:text-is('{name}')"
        assert page.is_visible(link) and inside_viewport(page, link), name
        height = page.eval_on_selector(link, "el => el.getBoundingClientRect().height")
        assert height < 40, f"{name} wraps onto two lines ({height:.0f} px)"
    # The name may end in an ellipsis, but it is there, whole in the viewport.
    who = page.eval_on_selector(".topbar .who", "el => el.getBoundingClientRect().toJSON()")
    assert page.is_visible(".topbar .who") and who["left"] >= 0 and who["right"] <= 390
    assert who["width"] >= 100
    assert page.is_visible("text=Log out") and inside_viewport(page, ".account button")
    assert sideways_scroll(page) == 0, overflowing(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_keys_table_shows_revoke_whole(browser, live_server, musician, viewport):
    from studio.api.models import ApiKey

    ApiKey.issue(musician, "my nightly render script on the studio machine")
    page = signed_in(browser, live_server, musician, viewport)
    page.goto("/api/keys/")
    revoke = ".keys button:text-is('Revoke')"
    assert page.is_visible(revoke) and inside_viewport(page, revoke)
    width = page.eval_on_selector(revoke, "el => el.getBoundingClientRect().width")
    assert width > 40  # the whole word, not "Re"
    # The secret shown once is one long token: whatever its letters, it wraps in the card.
    page.eval_on_selector("#webhook-secret", "el => { el.textContent = 'Q'.repeat(64); }")
    assert sideways_scroll(page) == 0, overflowing(page)


def thumb_pixels(page, selector) -> int:
    """Pixels of the slider's thumb (drawn near-white), counted in a screenshot of it."""
    import io

    import numpy as np
    from PIL import Image

    shot = Image.open(io.BytesIO(page.locator(selector).screenshot())).convert("RGB")
    return int((np.asarray(shot).min(axis=2) > 200).sum())


def test_an_auto_weight_looks_unset_until_moved_and_auto_resets_it(browser, live_server,
                                                                   musician):
    page = signed_in(browser, live_server, musician, PHONE)
    page.goto("/create/?mode=custom")
    page.click("summary:text('Advanced options')")
    slider = "input[type=range][data-weight-for=id_styleWeight]"
    assert page.get_attribute(slider, "data-unset") is not None
    assert thumb_pixels(page, slider) == 0  # no position shown
    assert not page.is_visible("[data-weight-auto=id_styleWeight]")
    page.fill("#id_styleWeight", "0.8")
    assert page.get_attribute(slider, "data-unset") is None
    assert thumb_pixels(page, slider) > 50 and page.input_value(slider) == "0.8"
    page.click("[data-weight-auto=id_styleWeight]")
    assert page.input_value("#id_styleWeight") == ""
    assert page.get_attribute(slider, "data-unset") is not None
    assert sideways_scroll(page) == 0, overflowing(page)


def test_vocal_gender_goes_away_while_instrumental_is_ticked(browser, live_server, musician):
    page = signed_in(browser, live_server, musician, DESKTOP)
    page.goto("/create/?mode=custom")
    page.click("summary:text('Advanced options')")
    assert page.is_visible("#id_vocalGender")
    page.check("#id_instrumental")
    assert not page.is_visible("#id_vocalGender")
    page.uncheck("#id_instrumental")
    assert page.is_visible("#id_vocalGender")


def test_write_lyrics_shows_only_with_the_lyrics_it_fills(browser, live_server, musician):
    """Cover in simple mode hides the lyrics (the idea describes the cover) but showed Write
    lyrics, which filled the hidden field; custom mode shows both."""
    page = signed_in(browser, live_server, musician, DESKTOP)
    page.goto("/create/?mode=cover")
    assert not page.is_visible("#id_lyrics") and not page.is_visible("#id_lyrics-idea")
    assert not page.get_by_role("button", name="Write lyrics").is_visible()
    page.check("#id_custom")
    assert page.is_visible("#id_lyrics") and page.is_visible("#id_lyrics-idea")
    assert page.get_by_role("button", name="Write lyrics").is_visible()
    page.uncheck("#id_custom")
    assert not page.is_visible("#id_lyrics-idea")


def test_section_markers_go_in_at_the_caret_on_their_own_line(browser, live_server, musician):
    page = signed_in(browser, live_server, musician, PHONE)
    page.goto("/create/?mode=custom")
    page.click("[data-insert='[Verse]']")
    page.keyboard.type("Salt on the rope")
    page.click("[data-insert='[Chorus]']")
    page.keyboard.type("Heave away")
    assert page.input_value("#id_lyrics") == "[Verse]\nSalt on the rope\n\n[Chorus]\nHeave away"
    # In the middle of the text: the marker lands where the caret is.
    page.eval_on_selector("#id_lyrics", "el => el.setSelectionRange(0, 0)")
    page.click("[data-insert='[Intro]']")
    assert page.input_value("#id_lyrics").startswith("[Intro]\n[Verse]\n")
    written = page.input_value("#id_lyrics")
    assert page.inner_text("label[for=id_lyrics] .counter") == f"{len(written)} / 5,000"


def test_a_dropped_file_is_uploaded_and_can_be_heard_before_creating(browser, live_server,
                                                                      musician):
    page = signed_in(browser, live_server, musician, PHONE)
    page.goto("/create/?mode=cover")
    wav = base64.b64encode(audio_bytes("wav", 2.0)).decode()
    page.eval_on_selector("[data-dropzone]", """(zone, data) => {
        const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], "dropped.wav", {type: "audio/wav"}));
        zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true,
                                                  cancelable: true}));
    }""", wav)
    page.wait_for_selector("#upload-result audio")
    assert "dropped.wav" in page.inner_text("#upload-result")
    duration = page.eval_on_selector("#upload-result audio", """a => new Promise(done => {
        if (a.readyState >= 1) return done(a.duration);
        a.addEventListener("loadedmetadata", () => done(a.duration));
        a.load();
    })""")
    assert abs(duration - 2.0) < 0.05
    chosen = page.eval_on_selector("select[name=upload]", "s => s.selectedOptions[0].text")
    assert chosen.startswith("dropped.wav")


def test_the_form_waits_for_a_file_still_uploading_and_keeps_it_once(browser, live_server,
                                                                     musician, tmp_path):
    from studio.generation.models import Generation, Upload

    page = signed_in(browser, live_server, musician, DESKTOP)
    page.goto("/create/?mode=cover")
    held = []
    page.route("**/uploads/", lambda route: held.append(route))  # on its way until let go
    path = tmp_path / "slow.wav"
    path.write_bytes(audio_bytes("wav", 2.0))
    page.set_input_files("#id_file", str(path))
    page.fill("#id_idea", "the same tune, slower")
    button = page.locator("#create-form button[type=submit]")
    page.wait_for_function("() => document.querySelector('#create-form [type=submit]').disabled")
    assert button.inner_text() == "Waiting for the upload to finish…"
    page.press("#id_idea", "Enter")  # nothing is sent meanwhile, not even by the keyboard
    page.wait_for_timeout(300)
    assert len(held) == 1 and Generation.objects.count() == 0
    held[0].continue_()
    page.wait_for_selector("#upload-result audio")
    page.wait_for_function("() => !document.querySelector('#create-form [type=submit]').disabled")
    assert button.inner_text() == "Create two takes"
    assert page.input_value("#id_file") == ""  # kept: the form will not send it again
    assert Upload.objects.filter(owner=musician).count() == 1


def test_a_library_track_picked_as_source_is_shown_and_plays(browser, live_server, musician):
    from studio.generation import uploads
    from tests.factories import make_track

    track = make_track(musician, title="Harbour Lights", peaks=[0.2, 0.6, 0.9, 0.5] * 25)
    earlier = uploads.accept(musician, io_wav("earlier.wav"), "earlier.wav")
    page = signed_in(browser, live_server, musician, PHONE)
    page.goto(f"/create/?mode=add_instrumental&upload={earlier.pk}")
    assert page.input_value("select[name=upload]") == str(earlier.pk)
    page.select_option("select[name=track]", str(track.pk))
    page.wait_for_selector("#source-track .source-track")
    card = page.inner_text("#source-track")
    assert "Harbour Lights" in card and "BACKING FOR" in card.upper()
    assert page.locator("#source-track svg path").count() == 1  # its waveform
    # One source at a time: the earlier upload is no longer chosen, nor shown.
    assert page.input_value("select[name=upload]") == ""
    assert page.inner_text("#upload-result").strip() == ""
    page.click("#source-track .source-play")
    page.wait_for_function("() => { const a = document.querySelector('#player audio');"
                           " return a && !a.paused && a.currentTime > 0.2; }", timeout=10000)
    assert sideways_scroll(page) == 0, overflowing(page)


def io_wav(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, audio_bytes("wav", 2.0))


def test_a_refused_form_shows_every_error_and_a_reload_keeps_the_mode(browser, live_server,
                                                                     musician):
    page = signed_in(browser, live_server, musician, DESKTOP)
    page.goto("/create/?mode=cover")
    page.check("#id_custom")
    # What a browser extension (a spelling or password helper) does to a form's fields: a
    # style attribute, set through the CSSOM. htmx copied it onto the re-rendered field,
    # which the Content-Security-Policy refuses (conftest fails the test on any refusal).
    page.eval_on_selector("#id_title", "field => { field.style.caretColor = 'red'; }")
    page.click("button:text('Create two takes')")
    page.wait_for_selector(".field.has-error")
    assert page.url == f"{live_server.url}/create/?mode=cover"
    broken = page.eval_on_selector_all(".field.has-error :is(input, select, textarea)",
                                       "els => els.map(e => e.name)")
    assert set(broken) == {"file", "title", "style", "lyrics"}
    page.reload()
    assert page.is_visible(".tab.active:text('Cover')")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_write_lyrics_shows_sheets_and_one_click_fills_the_field(browser, live_server,
                                                                 musician, viewport):
    page = signed_in(browser, live_server, musician, viewport)
    page.goto("/create/?mode=custom")
    page.fill("#id_lyrics", "my own draft")
    page.fill("#id_lyrics-idea", "a lighthouse keeper waiting for the storm")
    page.click("button:text('Write lyrics')")
    page.wait_for_selector("#id_lyrics-sheets [data-use-lyrics]")
    buttons = page.locator("#id_lyrics-sheets [data-use-lyrics]")
    assert buttons.count() >= 3
    assert sideways_scroll(page) == 0, overflowing(page)
    chosen = page.locator("#id_lyrics-sheets .lyric-sheet").nth(1)
    shown = chosen.locator("pre").inner_text()
    chosen.locator("button").click()
    filled = page.input_value("#id_lyrics")
    assert filled == shown and filled.startswith("[Verse]") and "[Chorus]" in filled
    assert page.inner_text("label[for=id_lyrics] .counter") == f"{len(filled):,} / 5,000"
    page.keyboard.press("Control+z")  # the fill was an edit: undo brings the draft back
    assert page.input_value("#id_lyrics") == "my own draft"


def test_boost_style_replaces_the_style_and_undo_restores_it(browser, live_server, musician):
    page = signed_in(browser, live_server, musician, PHONE)
    page.goto("/create/?mode=custom")
    page.fill("#id_style", "sad piano")
    page.click("button:text('Boost style')")
    page.wait_for_selector("#id_style-boost [data-boosted]")
    boosted = page.input_value("#id_style")
    assert boosted.startswith("sad piano, ") and "bpm" in boosted
    assert sideways_scroll(page) == 0, overflowing(page)
    page.click("#id_style-boost [data-undo-boost]")
    assert page.input_value("#id_style") == "sad piano"


def test_a_long_unbroken_title_wraps_inside_its_card_and_the_trash_message(browser, live_server,
                                                                         musician):
    from tests.factories import make_track

    track = make_track(musician, title="Unbroken" * 12)
    page = signed_in(browser, live_server, musician, PHONE)
    page.wait_for_selector(".track-card .track-title")
    assert inside_viewport(page, ".track-card"), overflowing(page)
    page.goto(f"/tracks/{track.pk}/delete")
    page.click("button:text('Move to the trash')")
    page.wait_for_selector(".messages li")
    assert inside_viewport(page, ".messages li"), overflowing(page)
    assert sideways_scroll(page) == 0, overflowing(page)


def test_a_start_typed_past_the_end_keeps_extends_marker_on_the_waveform(browser, live_server,
                                                                        musician):
    from tests.factories import make_track

    track = make_track(musician, title="Harbour", duration=30.0, peaks=[0.5] * 100)
    page = signed_in(browser, live_server, musician, DESKTOP)
    page.goto(f"/create/?mode=extend&track={track.pk}")
    wave = page.locator("[data-pick-duration]")
    for typed, edge in (("95", "right"), ("-5", "left")):
        page.fill("#id_continue_at", typed)
        box, mark = wave.bounding_box(), page.locator(".pick-marker").bounding_box()
        assert box["x"] - 1 <= mark["x"] + mark["width"] / 2 <= box["x"] + box["width"] + 1
        at = box["x"] + (box["width"] if edge == "right" else 0)
        assert abs(mark["x"] + mark["width"] / 2 - at) < mark["width"] + 2, edge
