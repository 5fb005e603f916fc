"""Replace a section in Chromium, at desktop and phone width: "Replace" in a library card's
menu opens the track page's panel; dragging across the waveform sets a window; choosing two
lyric lines sets the window to them and puts their words in the lyrics field; the submit makes
a replace-section generation of exactly that window, shown on its generation page."""
import pytest

from studio.generation.models import Generation, Mode
from tests.browser.helpers import active_nav, song

pytestmark = pytest.mark.django_db(transaction=True)

LINES = [("Hold the night", 4.0, 7.5), ("City lights are burning", 8.0, 11.0),
         ("Every window tells", 12.0, 15.5), ("Stay with me", 16.0, 19.0)]


def timed(lines):
    out = []
    for text, start, end in lines:
        words = text.split()
        step = (end - start) / len(words)
        out.append({"text": text, "start": start, "end": end,
                    "words": [[w, round(start + k * step, 3), round(start + (k + 1) * step, 3)]
                              for k, w in enumerate(words)]})
    return {"lines": out}


@pytest.fixture
def sung(musician):
    track = song(musician, "Night Lights", seconds=40.0,
                 lyrics="\n".join(text for text, _s, _e in LINES))
    track.analysis = {"lyrics_timing": timed(LINES)}
    track.save(update_fields=["analysis"])
    return track


def test_choosing_lyric_lines_and_submitting_replaces_that_window(page, studio, sung, settings):
    settings.JOBS_SYNC = False  # queued for a worker; none runs here: the request is what counts
    page.goto("/")
    card = page.locator(".track-card", has=page.locator(".track-title", has_text="Night Lights"))
    card.locator(".track-menu > summary").click()
    card.get_by_role("link", name="Replace", exact=True).click()
    page.wait_for_url(f"**/tracks/{sung.pk}/#replace")
    panel = page.locator("#replace")
    page.wait_for_function("() => document.getElementById('replace').open")
    assert panel.get_by_role("button", name="Replace section").is_visible()

    # a drag across the waveform, from a quarter to a half of the 40 s: 10 s to 20 s
    wave = page.locator(".waveform[data-seek]")
    wave.scroll_into_view_if_needed()
    box = wave.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.25, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.40, y, steps=4)
    page.mouse.move(box["x"] + box["width"] * 0.50, y, steps=4)
    page.mouse.up()
    assert float(panel.get_by_label("Window start (seconds)").input_value()) == pytest.approx(10, abs=0.3)
    assert float(panel.get_by_label("Window end (seconds)").input_value()) == pytest.approx(20, abs=0.3)
    assert page.locator(".replace-span").is_visible()
    audio_src = page.evaluate("() => document.querySelector('#player audio').getAttribute('src') || ''")
    assert audio_src == ""  # the drag chose a window; it did not start playing

    # two lyric lines: the window runs from the first's start to the second's end
    page.locator(".karaoke-line", has_text="City lights are burning").click()
    page.locator(".karaoke-line", has_text="Every window tells").click()
    assert panel.get_by_label("Window start (seconds)").input_value() == "8.00"
    assert panel.get_by_label("Window end (seconds)").input_value() == "15.50"
    assert "0:08.00 – 0:15.50 · 7.50 s" in panel.locator("[data-replace-summary]").inner_text()
    lyrics = panel.get_by_label("Lyrics for the window")
    assert lyrics.input_value() == "City lights are burning\nEvery window tells"
    assert page.locator(".karaoke-line.is-chosen").count() == 2

    lyrics.fill("Paper boats along the river\nCarry all the words we know")
    panel.get_by_label("Style").fill("folk, warm, brushed drums")
    panel.get_by_role("button", name="Replace section").click()
    page.wait_for_url("**/generations/*/")
    generation = Generation.objects.get(mode=Mode.REPLACE_SECTION)
    assert page.url.endswith(f"/generations/{generation.pk}/")
    request = generation.request
    assert (request.infill_start_s, request.infill_end_s) == (8.0, 15.5)
    assert request.prompt == "Paper boats along the river\nCarry all the words we know"
    assert request.style == "folk, warm, brushed drums" and request.title == "Night Lights"
    assert generation.source_track_id == sung.pk


def test_a_window_too_short_is_refused_beside_its_field(page, studio, sung):
    page.goto(f"/tracks/{sung.pk}/#replace")
    panel = page.locator("#replace")
    page.wait_for_function("() => document.getElementById('replace').open")
    panel.get_by_label("Window start (seconds)").fill("30")
    panel.get_by_label("Window end (seconds)").fill("33")
    assert "(it must be 6 to 60 seconds)" in panel.locator("[data-replace-summary]").inner_text()
    counters = panel.locator(".counter").all_inner_texts()
    assert " / " in counters[0]  # "0 / 3,000": the source's model's limit
    panel.get_by_role("button", name="Replace section").click()
    error = page.locator("#replace .field.has-error .error")
    error.wait_for()
    assert "The window is 3 s long; it must be 6 to 60 seconds" in error.inner_text()
    # the form shown again reads as it did: the same limits, the Library tab still lit
    assert page.locator("#replace .counter").all_inner_texts() == counters
    assert active_nav(page) == ["Library"]
    assert not Generation.objects.filter(mode=Mode.REPLACE_SECTION).exists()
