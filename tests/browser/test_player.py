"""The footer player in Chromium: it never stops on navigation (boosted links, Back / Forward,
track links, form submits), its controls keep working after each, and it seeks, queues,
repeats, shows lyrics and answers the keyboard — at 1280 px and at 390 px."""
import re

import pytest

from tests.browser.helpers import (
    AUDIO,
    active_nav,
    assert_pause_works,
    assert_playing,
    audio_state,
    song,
)

pytestmark = pytest.mark.django_db(transaction=True)


def audio_url(track):
    return f"/tracks/{track.pk}/audio.mp3"


def play_card(page, title):
    page.get_by_role("button", name=f"Play {title}", exact=True).click()


def mark_the_document(page):
    """A whole-page load would lose this; a boosted swap keeps it."""
    page.evaluate("window.sameDocument = true")


def still_the_same_document(page):
    return page.evaluate("window.sameDocument === true")


def test_back_and_forward_keep_the_music_playing_with_working_controls(page, musician):
    harbour = song(musician, "Harbour")
    page.goto("/")
    play_card(page, "Harbour")
    assert_playing(page, audio_url(harbour))
    mark_the_document(page)

    page.locator(".topbar nav").get_by_role("link", name="Create").click()
    page.wait_for_url(re.compile(r"/create/$"))
    assert_playing(page, audio_url(harbour))
    assert active_nav(page) == ["Create"]

    page.go_back()
    page.wait_for_url(re.compile(r"/$"))
    page.wait_for_selector("#main .track-grid")
    state = assert_playing(page, audio_url(harbour))
    assert state["time"] > 0.5, "the player restarted at 0:00"
    assert active_nav(page) == ["Library"]
    assert still_the_same_document(page)
    assert_pause_works(page)

    page.go_forward()
    page.wait_for_url(re.compile(r"/create/$"))
    page.wait_for_selector("#create-form")
    assert_playing(page, audio_url(harbour))
    assert active_nav(page) == ["Create"]
    assert_pause_works(page)
    assert page.locator("#player").count() == 1 and page.locator("#player audio").count() == 1

    # A page htmx no longer holds in its history cache comes back from the server: same rule.
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")
    with page.expect_request(lambda r: r.headers.get("hx-history-restore-request") == "true"):
        page.go_back()
    page.wait_for_url(re.compile(r"/$"))
    page.wait_for_selector("#main .track-grid")
    assert_playing(page, audio_url(harbour))
    assert active_nav(page) == ["Library"]
    assert still_the_same_document(page)
    assert page.locator("#player").count() == 1 and page.locator("#main #main").count() == 0


def test_a_page_reached_from_the_nav_shows_its_top_below_the_header(page, musician):
    """A boosted link swaps #main and scrolls it into view: its top (the page's heading and
    buttons) must land below the sticky header, not under it."""
    song(musician, "Harbour")
    page.goto("/")
    for name, heading in [("Create", "#create-form"), ("Library", "#main .track-grid"),
                          ("Playlists", "#main h1"), ("Library", "#main .track-grid")]:
        page.locator(".topbar nav").get_by_role("link", name=name).click()
        page.wait_for_selector(heading)
        page.wait_for_timeout(300)  # htmx scrolls once the swap has settled
        header_bottom = page.evaluate(
            "document.querySelector('.topbar').getBoundingClientRect().bottom")
        first = page.evaluate("document.querySelector('#main h1, #main h2')"
                              ".getBoundingClientRect().top")
        assert first >= header_bottom, f"{name}: the page's heading is under the header"
        assert page.evaluate("window.scrollY") == 0, name


def test_a_track_title_in_the_library_opens_its_page_without_stopping_the_music(page, musician):
    harbour, lantern = song(musician, "Harbour"), song(musician, "Lantern")
    page.goto("/")
    play_card(page, "Harbour")
    assert_playing(page)
    mark_the_document(page)

    page.locator(".track-grid").get_by_role("link", name="Lantern").click()
    page.wait_for_url(re.compile(f"/tracks/{lantern.pk}/$"))
    assert page.get_by_role("heading", name="Lantern").is_visible()
    assert still_the_same_document(page), "the title link reloaded the whole page"
    assert_playing(page, audio_url(harbour))
    assert active_nav(page) == ["Library"]
    assert_pause_works(page)

    page.go_back()
    page.wait_for_url(re.compile(r"/$"))
    assert_playing(page, audio_url(harbour))


def test_a_form_submit_keeps_the_music_playing(page, musician):
    harbour = song(musician, "Harbour")
    song(musician, "Doomed")
    page.goto("/")
    play_card(page, "Harbour")
    assert_playing(page)
    mark_the_document(page)

    page.locator(".track-grid").get_by_role("link", name="Doomed").click()
    page.get_by_role("link", name="Move to the trash…").click()
    page.get_by_role("button", name="Move to the trash").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_text("Moved “Doomed” to the trash.").wait_for()
    assert still_the_same_document(page)
    assert_playing(page, audio_url(harbour))
    assert_pause_works(page)


def test_the_footer_waveform_and_the_keyboard_seek(page, musician):
    harbour = song(musician, "Harbour", seconds=40)
    page.goto(f"/tracks/{harbour.pk}/")
    page.get_by_role("button", name="Play", exact=True).click()
    assert_playing(page)

    wave = page.locator("#player .player-wave")
    box = wave.bounding_box()
    wave.click(position={"x": box["width"] * 0.75, "y": box["height"] / 2})
    at = audio_state(page)["time"]
    assert 28 < at < 32, at
    assert_playing(page)

    page.locator("h1").click()  # focus on the page, not on a control
    page.keyboard.press(" ")
    page.wait_for_function(f"() => {AUDIO}.paused")
    before = audio_state(page)["time"]
    page.keyboard.press("ArrowLeft")
    assert abs(audio_state(page)["time"] - (before - 5)) < 0.05
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert abs(audio_state(page)["time"] - (before + 5)) < 0.05
    page.keyboard.press(" ")
    assert_playing(page)

    # Typing in a field types: no pause, no seek.
    page.locator(".topbar nav").get_by_role("link", name="Library").click()
    page.wait_for_url(re.compile(r"/$"))
    page.locator("#id_q").click()
    before = audio_state(page)["time"]
    page.keyboard.type("a b")
    page.keyboard.press("ArrowLeft")
    state = assert_playing(page)
    assert state["time"] >= before
    assert page.locator("#id_q").input_value().startswith("a b")


def test_next_previous_play_next_and_repeat_follow_the_pages_list(page, musician):
    first = song(musician, "First", seconds=12)
    second = song(musician, "Second", seconds=12)
    third = song(musician, "Third", seconds=12)
    page.goto("/")  # newest first: Third, Second, First
    play_card(page, "Third")
    assert_playing(page, audio_url(third))

    page.locator("#player [data-player=next]").click()
    assert_playing(page, audio_url(second))
    assert page.locator("#player .player-title").inner_text() == "Second"
    page.locator("#player [data-player=next]").click()
    assert_playing(page, audio_url(first))
    page.locator("#player [data-player=previous]").click()
    assert_playing(page, audio_url(second))

    # "Play next" in a card's menu puts it right after the current track.
    card = page.locator(".track-card", has_text="Third")
    card.locator("summary.menu-button").click()
    card.get_by_role("button", name="Play next").click()
    page.locator("#player [data-player=queue]").click()
    queue = page.locator("#player-queue")
    assert queue.is_visible()
    assert queue.locator("li").all_inner_texts()[0].startswith("Third")
    page.locator("#player [data-player=next]").click()
    assert_playing(page, audio_url(third))
    # After the queued track, the list goes on where it was: after Second comes First.
    page.evaluate(f"{AUDIO}.currentTime = {AUDIO}.duration - 0.4")
    page.wait_for_function(f"() => {AUDIO}.getAttribute('src') === '{audio_url(first)}'")
    assert_playing(page, audio_url(first))

    # Repeat one: the end starts the same track again.
    page.locator("#player [data-player=repeat]").click()  # all
    page.locator("#player [data-player=repeat]").click()  # one
    assert page.locator("#player [data-player=repeat]").get_attribute("aria-label") == "Repeat: this track"
    page.evaluate(f"{AUDIO}.currentTime = {AUDIO}.duration - 0.4")
    page.wait_for_function(f"() => {AUDIO}.currentTime < 2 && !{AUDIO}.paused")
    assert_playing(page, audio_url(first))
    # Repeat all: the end of the list goes back to its start.
    page.locator("#player [data-player=repeat]").click()  # off
    page.locator("#player [data-player=repeat]").click()  # all
    page.evaluate(f"{AUDIO}.currentTime = {AUDIO}.duration - 0.4")
    page.wait_for_function(f"() => {AUDIO}.getAttribute('src') === '{audio_url(third)}'")
    assert_playing(page, audio_url(third))


def test_the_queue_says_which_take_of_a_title_comes_next(page, musician):
    """Two takes of one generation share a title: each entry of the queue names its take,
    in words a screen reader reads too."""
    first_take = song(musician, "Harbour", seconds=12)
    second_take = song(musician, "Harbour", seconds=12, take_of=first_take)
    song(musician, "Lantern", seconds=12)
    page.goto("/")  # newest first: Lantern, then Harbour's takes
    play_card(page, "Lantern")
    assert_playing(page)
    page.locator("#player [data-player=queue]").click()
    queue = page.locator("#player-queue")
    assert queue.locator("li").all_inner_texts() == ["Harbour · take 2", "Harbour · take 1"]
    assert queue.get_by_role("button", name="Harbour, take 2", exact=True).is_visible()

    queue.get_by_role("button", name="Harbour, take 1", exact=True).click()
    assert_playing(page, audio_url(first_take))

    # "Play next" says which take it queued, and the queue outlives a reload.
    page.locator(".track-card").nth(1).locator("summary.menu-button").click()
    page.locator(".track-card").nth(1).get_by_role("button", name="Play next").click()
    page.reload()
    page.locator("#player [data-player=queue]").click()
    assert queue.locator("li").all_inner_texts() == ["Harbour · take 2 · queued"]
    queue.get_by_role("button", name="Harbour, take 2", exact=True).click()
    assert_playing(page, audio_url(second_take))


def test_lyrics_open_on_demand_and_the_lock_screen_knows_the_song(page, musician):
    harbour = song(musician, "Harbour", lyrics="[Verse]\nLights along the harbour wall")
    page.goto(f"/tracks/{harbour.pk}/")
    page.get_by_role("button", name="Play", exact=True).click()
    assert_playing(page)
    lyrics = page.locator("#player-lyrics")
    assert lyrics.is_hidden()
    page.locator("#player [data-player=lyrics]").click()
    lyrics.get_by_text("Lights along the harbour wall").wait_for()
    assert page.locator("#player [data-player=lyrics]").get_attribute("aria-expanded") == "true"
    session = page.evaluate("""() => ({title: navigator.mediaSession.metadata.title,
        state: navigator.mediaSession.playbackState,
        art: navigator.mediaSession.metadata.artwork.length})""")
    assert session == {"title": "Harbour", "state": "playing", "art": 1}
    page.locator("#player [data-player=lyrics]").click()
    assert lyrics.is_hidden()


def test_escape_closes_the_players_queue_or_lyrics_and_gives_the_focus_back(page, musician):
    """The queue and lyrics panels lie over the page like a ⋯ menu, but Escape left them
    open: only their button closed them."""
    harbour = song(musician, "Harbour", lyrics="[Verse]\nLights along the harbour wall")
    song(musician, "Lantern", seconds=12)
    page.goto("/")
    play_card(page, "Harbour")
    assert_playing(page)
    for name, panel in (("lyrics", "#player-lyrics"), ("queue", "#player-queue")):
        button = page.locator(f"#player [data-player={name}]")
        button.click()
        assert page.locator(panel).is_visible()
        page.keyboard.press("Escape")
        assert page.locator(panel).is_hidden()
        assert button.get_attribute("aria-expanded") == "false"
        assert button.evaluate("b => b === document.activeElement")
    assert_playing(page, audio_url(harbour))  # Escape only closed the panel


def test_the_player_has_room_for_cover_and_seek_bar_at_every_width(page, musician, width):
    harbour = song(musician, "Harbour")
    page.goto(f"/tracks/{harbour.pk}/")
    page.get_by_role("button", name="Play", exact=True).click()
    assert_playing(page)
    viewport = page.viewport_size["width"]
    cover = page.locator("#player .player-cover").bounding_box()
    wave = page.locator("#player .player-wave").bounding_box()
    assert cover and cover["width"] >= 36
    assert wave["width"] >= viewport * 0.55, (width, wave)
    for control in ("previous", "toggle", "next", "repeat", "queue", "lyrics"):
        box = page.locator(f"#player [data-player={control}]").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport, control
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport
    # Peaks drawn: the canvas is not blank.
    painted = page.evaluate("""() => {
        const c = document.querySelector('#player .player-wave canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
        return n / (c.width * c.height); }""")
    assert painted > 0.2


def test_extend_from_here_opens_at_the_playhead(page, musician):
    harbour = song(musician, "Harbour", seconds=40)
    page.goto(f"/tracks/{harbour.pk}/")
    page.get_by_role("button", name="Play", exact=True).click()
    assert_playing(page)
    page.evaluate(f"{AUDIO}.currentTime = 10.3; {AUDIO}.pause()")
    page.wait_for_function(f"() => {AUDIO}.paused && Math.abs({AUDIO}.currentTime - 10.3) < 0.05")
    page.get_by_role("link", name="Extend from here").click()
    page.wait_for_url(re.compile(r"/create/\?"))
    assert "at=10.3" in page.url and "at=20.0" not in page.url
    assert page.locator("#id_continue_at").input_value() == "10.3"


def test_a_download_arrives_with_the_tracks_name_and_the_music_plays_on(page, musician):
    harbour = song(musician, "Harbour Lights", seconds=20)
    page.goto(f"/tracks/{harbour.pk}/")
    page.get_by_role("button", name="Play", exact=True).click()
    assert_playing(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="MP3 with tags").click()
    name = download.value.suggested_filename
    assert name.endswith(".mp3") and "Harbour" in name, name
    path = download.value.path()
    from tests.audio import duration

    assert abs(duration(path) - 20) < 0.3
    assert_playing(page)


def test_a_playlist_page_is_the_players_list_in_its_own_order(page, musician):
    from studio.library import playlists
    from studio.library.models import Playlist

    tracks = {title: song(musician, title, seconds=12) for title in ("Alba", "Brume", "Cirrus")}
    evening = Playlist.objects.create(owner=musician, title="Evening")
    for title in ("Brume", "Alba", "Cirrus"):
        playlists.add(evening, tracks[title])
    page.goto("/")
    page.locator(".topbar nav").get_by_role("link", name="Playlists").click()
    page.get_by_role("link", name="Evening").click()
    page.wait_for_url(re.compile(f"/playlists/{evening.pk}/$"))
    assert active_nav(page) == ["Playlists"]

    page.get_by_role("button", name="Play all").click()
    assert_playing(page, audio_url(tracks["Brume"]))
    page.locator("#player [data-player=next]").click()
    assert_playing(page, audio_url(tracks["Alba"]))
    # Reordering is a form submit: the music goes on.
    mark_the_document(page)
    page.get_by_role("button", name="Move Cirrus up").click()
    page.wait_for_function("() => document.querySelector('.playlist-entry .track-title')"
                           ".textContent.trim() === 'Brume' && document.querySelectorAll("
                           "'.playlist-entry')[1].textContent.includes('Cirrus')")
    assert still_the_same_document(page)
    assert_playing(page, audio_url(tracks["Alba"]))
    page.locator("#player [data-player=next]").click()
    assert_playing(page, audio_url(tracks["Cirrus"]))


def test_tracks_loaded_with_load_more_join_the_list_being_played(page, musician, settings):
    settings.STUDIO_LIBRARY_PAGE_SIZE = 2
    oldest = song(musician, "Oldest", seconds=12)
    song(musician, "Middle", seconds=12)
    newest = song(musician, "Newest", seconds=12)
    page.goto("/")  # newest first: Newest, Middle; Oldest behind "Load more"
    assert page.get_by_role("button", name="Play Oldest", exact=True).count() == 0
    play_card(page, "Newest")
    assert_playing(page, audio_url(newest))

    page.get_by_role("link", name="Load more").click()
    page.get_by_role("button", name="Play Oldest", exact=True).wait_for()
    page.locator("#player [data-player=next]").click()  # Middle
    page.locator("#player [data-player=next]").click()  # on into the loaded page
    assert_playing(page, audio_url(oldest))
    assert page.locator("#player .player-title").inner_text() == "Oldest"


@pytest.mark.parametrize("width", ["desktop"], indirect=True)
def test_the_stems_and_the_footer_player_never_sound_together(page, musician):
    from django.core.files.base import ContentFile

    from studio.library.models import Stems
    from tests.factories import audio_bytes

    harbour = song(musician, "Harbour")
    files = {name: f"stem-{name}.flac" for name in ("vocals", "drums")}
    for filename in files.values():
        harbour.audio.storage.save(f"{harbour.folder}/{filename}",
                                   ContentFile(audio_bytes("flac", 40.0)))
    Stems.objects.create(owner=musician, track=harbour, status=Stems.Status.SUCCESS,
                         kind=Stems.Kind.SPLIT_STEM, files=files)
    page.goto(f"/tracks/{harbour.pk}/")
    stems = "[...document.querySelectorAll('[data-stems] audio')]"
    page.get_by_role("button", name="Play stems").click()
    page.wait_for_function(f"() => {stems}.every(a => !a.paused && a.currentTime > 0)")
    page.locator(".hero-actions .play-big").click()
    assert_playing(page, audio_url(harbour))  # and nothing else sounds
    assert page.evaluate(f"() => {stems}.every(a => a.paused)")
    assert page.get_by_role("button", name="Play stems").get_attribute("aria-pressed") == "false"


@pytest.mark.parametrize("width", ["desktop"], indirect=True)
def test_back_to_a_track_page_restores_it_without_inline_styles(page, musician):
    """What our scripts drew with element.style (the waveform's progress) is not saved in
    htmx's history copy: restored, it would be a style attribute the policy refuses (the
    package's conftest fails the test on any refusal)."""
    harbour = song(musician, "Harbour")
    page.goto(f"/tracks/{harbour.pk}/")
    page.locator(".hero-actions .play-big").click()
    assert_playing(page, audio_url(harbour))
    page.wait_for_function("() => document.querySelector('#main .waveform-progress')"
                           ".style.width !== ''")
    page.locator(".topbar nav").get_by_role("link", name="Library").click()
    page.wait_for_url(re.compile(r"/$"))
    page.wait_for_selector("#main .track-grid")
    page.go_back()
    page.wait_for_selector("#main .track-hero")
    assert page.url.endswith(f"/tracks/{harbour.pk}/")
    assert_playing(page, audio_url(harbour))
    page.wait_for_function("() => document.querySelector('#main .waveform-progress')"
                           ".style.width !== ''")  # drawn again by the player



@pytest.mark.parametrize("width", ["desktop"], indirect=True)
def test_the_track_pages_play_button_says_pause_while_it_plays(page, musician):
    """It showed the pause glyph beside the word "Play" while the track played."""
    harbour = song(musician, "Harbour")
    page.goto(f"/tracks/{harbour.pk}/")
    button = page.locator(".hero-actions .play-big")
    assert button.inner_text().strip() == "Play"
    button.click()
    assert_playing(page, audio_url(harbour))
    page.wait_for_function("() => document.querySelector('.play-big').innerText.trim() === 'Pause'")
    assert page.locator(".hero-actions").get_by_role("button", name="Pause", exact=True) \
        .count() == 1
    assert button.get_attribute("aria-pressed") is None  # its words say it: not "Pause, pressed"
    button.click()
    page.wait_for_function(f"() => {AUDIO}.paused")
    page.wait_for_function("() => document.querySelector('.play-big').innerText.trim() === 'Play'")
    assert page.locator(".hero-actions").get_by_role("button", name="Play", exact=True).count() == 1
    page.locator("#player [data-player=toggle]").click()  # the footer's button: the same words
    assert_playing(page, audio_url(harbour))
    page.wait_for_function("() => document.querySelector('.play-big').innerText.trim() === 'Pause'")
