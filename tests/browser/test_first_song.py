"""A newcomer's first song, start to finish, in a fresh browser: sign up, describe a song,
watch the stages, play it in the footer player, find it in the library.

With STUDIO_SCREENSHOTS=<dir> each step is saved there as a small PNG
(`first-song-<width>-<n>-<step>.png`, quantised by Pillow). The README's walk-through shows
the desktop ones; refresh them with

    STUDIO_SCREENSHOTS=static/docs/first-song python3 manage.py test \
        tests/browser/test_first_song.py -k desktop
"""
import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image

from studio.generation.models import Generation, Status
from tests.browser.conftest import WIDTHS
from tests.browser.helpers import AUDIO, assert_playing

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_newcomer_signs_up_makes_a_song_and_hears_it(chromium, studio_with_worker, width):
    shots = os.environ.get("STUDIO_SCREENSHOTS")
    context = chromium.new_context(base_url=studio_with_worker.url, viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    steps = iter(range(1, 10))

    def step(name):
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            save_small_png(page.screenshot(),
                           Path(shots) / f"first-song-{width}-{next(steps)}-{name}.png")

    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Password", exact=True).fill("harbour-lights-1987")
    page.get_by_label("Password confirmation").fill("harbour-lights-1987")
    step("sign-up")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)

    if "/create/" not in page.url:  # sign-up leads to the create page; if not, go there
        page.locator(".topbar nav").get_by_role("link", name="Create").click()
        page.wait_for_url(re.compile(r"/create/"))
    page.get_by_label("Describe your song").fill("a gentle acoustic song about the first snow")
    step("describe")
    page.get_by_role("button", name="Create two takes").click()
    page.wait_for_url(re.compile(r"/generations/[0-9a-f-]+/$"), timeout=60_000)
    page.locator(".stages").wait_for()
    step("stages")
    page.wait_for_function(
        "() => document.querySelectorAll('#generation-status .track-card:not(.pending)').length === 2",
        timeout=120_000)
    assert Generation.objects.get().status == Status.SUCCESS
    page.wait_for_function("() => [...document.querySelectorAll('#generation-status .track-card img')]"
                           ".every(i => i.complete && i.naturalWidth > 0)")  # both covers drawn
    step("done")

    page.locator("#generation-status .cover-play").first.click()
    assert_playing(page)
    page.wait_for_function(f"() => {AUDIO}.currentTime > 2")  # the footer shows it moving
    step("listen")

    page.locator(".topbar nav").get_by_role("link", name="Library").click()
    page.wait_for_url(re.compile(r"/$"))
    page.wait_for_function("() => document.querySelectorAll('.track-grid .track-card').length === 2")
    assert_playing(page)  # the footer player went on playing through the navigation
    page.evaluate("window.scrollTo(0, 0)")
    step("library")
    context.close()
    assert not errors, errors


def save_small_png(shot: bytes, path: Path) -> None:
    """A screenshot as a palette PNG: a few dozen KB instead of a few hundred, for the README."""
    with Image.open(io.BytesIO(shot)) as image:
        small = image.convert("RGB").quantize(colors=96, method=Image.Quantize.MEDIANCUT,
                                              dither=Image.Dither.NONE)
    small.save(path, "PNG", optimize=True)
