"""The music video and new cover art in Chromium, made by a real worker: *Make video* on the
track page shows its progress, then a player that plays the MP4 and a download that
decodes; *New cover art* from a card's menu offers two images, and the one clicked becomes
the cover the page shows."""
import re

import av
import pytest

from studio.library.models import MusicVideo, VideoStatus
from tests.browser.conftest import WIDTHS
from tests.browser.helpers import song
from tests.browser.test_library_actions import card, near, shown_colour

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
VIDEO = "document.querySelector('video.music-video')"


@pytest.mark.parametrize("width", ["phone"], indirect=True)
def test_make_video_shows_progress_then_plays_and_downloads(studio_with_worker, page, musician,
                                                            width, tmp_path):
    harbour = song(musician, "Harbour", seconds=12, lyrics="[Verse]\nlights on the water")
    page.goto(f"/tracks/{harbour.pk}/")
    with page.expect_response(lambda r: r.url.endswith(f"/tracks/{harbour.pk}/")
                              and r.request.method == "GET") as shown:
        page.get_by_role("button", name="Make video").click()
    # The page it returns to shows the progress; the section polls while the worker
    # encodes, then swaps in the player.
    assert "Making the video…" in shown.value.text()
    page.locator("video.music-video").wait_for(timeout=180_000)
    made = MusicVideo.objects.get(track=harbour)
    assert made.status == VideoStatus.SUCCESS and made.progress == 1.0
    page.wait_for_function(f"() => {VIDEO}.readyState >= 1")
    assert abs(page.evaluate(f"{VIDEO}.duration") - harbour.duration) < 0.2
    assert page.evaluate(f"{VIDEO}.videoWidth") == 640
    page.evaluate(f"() => {{ {VIDEO}.muted = true; return {VIDEO}.play(); }}")
    page.wait_for_function(f"() => {VIDEO}.currentTime > 0.5 && !{VIDEO}.paused")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]

    with page.expect_download() as download:
        page.get_by_role("link", name="Download MP4").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "Harbour (take 1).mp4"
    with av.open(str(path)) as container:
        assert [s.type for s in container.streams] == ["video", "audio"]
        assert abs(container.duration / 1e6 - harbour.duration) < 0.1


@pytest.mark.parametrize("width", ["desktop"], indirect=True)
def test_new_cover_art_from_a_cards_menu_offers_two_and_the_chosen_one_is_shown(
        studio_with_worker, page, musician, width):
    harbour = song(musician, "Harbour", seconds=4, style="synthwave, upbeat")
    page.goto("/")
    card(page, "Harbour").locator("summary.menu-button").click()
    card(page, "Harbour").get_by_role("button", name="New cover art").click()
    page.wait_for_url(re.compile(rf"/tracks/{harbour.pk}/"))
    first = page.get_by_role("button", name="Use new cover 1")
    first.wait_for(timeout=120_000)
    second = page.get_by_role("button", name="Use new cover 2")
    shown = [shown_colour(page, f"button.cover-choice[aria-label='Use new cover {n}'] img")
             for n in (1, 2)]
    before = shown_colour(page, "img.hero-cover")
    assert not near(shown[1], before)  # a drawn cover, not the factory's plain one
    second.click()
    page.get_by_text("New cover in place.").wait_for()
    assert near(shown_colour(page, "img.hero-cover"), shown[1], tolerance=8)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
