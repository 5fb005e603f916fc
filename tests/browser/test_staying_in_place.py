"""A form that comes back to the page it was sent from (or swaps its own part of it) leaves the
creator where they were, in Chromium at both widths: the page is not scrolled to its top and
the focus is on the same control again (or its card's menu, the entry now in a removed one's
place, its section, the page's heading), not on <body>."""
import pytest

from studio.library import playlists
from studio.library.models import Playlist
from tests.browser.helpers import song

pytestmark = pytest.mark.django_db(transaction=True)


def focused(page) -> str:
    return page.evaluate("""() => { const e = document.activeElement;
        return e === document.body ? 'body' : (e.getAttribute('aria-label') || e.id ||
                                               e.textContent.trim()); }""")


def in_view(page, selector) -> bool:
    return page.evaluate("""(s) => { const r = document.querySelector(s).getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight; }""", selector)


def test_moving_a_track_down_a_long_playlist_keeps_it_in_view_with_the_focus(page, musician):
    mix = Playlist.objects.create(owner=musician, title="Long drive")
    titles = [f"Mile {n}" for n in range(1, 9)]
    for title in titles:
        playlists.add(mix, song(musician, title, seconds=4.0))
    page.goto(f"/playlists/{mix.pk}/")
    move = page.get_by_role("button", name="Move Mile 6 down")
    move.scroll_into_view_if_needed()
    move.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => [...document.querySelectorAll('.playlist-entry .track-title')]"
                           ".map(e => e.textContent)[6] === 'Mile 6'")
    page.wait_for_function("() => document.activeElement !== document.body")
    assert focused(page) == "Move Mile 6 down"
    assert page.evaluate("scrollY") > 0
    assert in_view(page, "[aria-label='Move Mile 6 down']")
    # The keyboard carries on from there: once more moves it to the end.
    page.keyboard.press("Enter")
    page.wait_for_function("() => [...document.querySelectorAll('.playlist-entry .track-title')]"
                           ".map(e => e.textContent)[7] === 'Mile 6'")
    page.wait_for_function("() => document.activeElement !== document.body")
    assert focused(page) == "Move Mile 6 up"  # the last entry has no Down


def test_a_share_link_made_on_a_track_page_is_in_view_and_focused(page, musician):
    track = song(musician, "Harbour", seconds=4.0, lyrics="[Verse]\nLight on the water")
    page.goto(f"/tracks/{track.pk}/")
    share = page.locator("#share").get_by_role("button", name="Make a share link")
    share.scroll_into_view_if_needed()
    share.click()
    page.wait_for_selector("#share-url")
    page.wait_for_function("() => document.activeElement !== document.body")
    assert focused(page) == "share-url"
    assert in_view(page, "#share-url")
    assert page.locator("#share-url").input_value().startswith("http")


def test_liking_a_card_far_down_the_library_leaves_the_focus_on_its_menu(page, musician):
    for n in range(1, 11):
        song(musician, f"Verse {n}", seconds=4.0)
    page.goto("/")
    card = ".track-card:has(summary[aria-label='Actions for Verse 2'])"
    menu = page.locator(f"{card} summary.menu-button")
    menu.scroll_into_view_if_needed()
    menu.click()
    page.locator(card).get_by_role("button", name="Like", exact=True).click()
    page.wait_for_selector(f"{card} .liked-badge")
    page.wait_for_function("() => document.activeElement !== document.body")
    assert focused(page) == "Actions for Verse 2"
    assert page.evaluate("scrollY") > 0
    assert in_view(page, f"{card} summary.menu-button")


def test_moving_a_card_to_the_trash_says_so_with_the_focus_on_the_message(page, musician):
    for n in range(1, 11):
        song(musician, f"Chorus {n}", seconds=4.0)
    page.goto("/")
    card = page.locator(".track-card:has(summary[aria-label='Actions for Chorus 1'])")
    card.locator("summary.menu-button").scroll_into_view_if_needed()
    card.locator("summary.menu-button").click()
    card.get_by_role("button", name="Delete").click()
    page.wait_for_selector(".messages")
    page.wait_for_function("() => document.activeElement !== document.body")
    assert page.evaluate("document.activeElement.matches('.messages')")
    assert in_view(page, ".messages")
    assert "Moved “Chorus 1” to the trash" in page.locator(".messages").inner_text()


def test_removing_tracks_from_a_playlist_leaves_the_focus_on_the_next_the_last_then_the_heading(
        page, musician):
    evening = Playlist.objects.create(owner=musician, title="Evening")
    for title in ("Alba", "Brume", "Cirrus"):
        playlists.add(evening, song(musician, title, seconds=4.0))
    page.goto(f"/playlists/{evening.pk}/")

    def remove(title, then):
        page.wait_for_function("() => document.activeElement !== document.body")  # no click
        assert focused(page) == f"Remove {title} from this playlist"
        page.keyboard.press("Enter")
        page.wait_for_function("(t) => [...document.querySelectorAll('.playlist-entry .track-title')]"
                               ".map(e => e.textContent).join() === t", arg=",".join(then))
        page.wait_for_function("() => document.activeElement !== document.body", timeout=10_000)

    page.get_by_role("button", name="Remove Alba from this playlist").focus()
    remove("Alba", ["Brume", "Cirrus"])
    # The entry that took its place: the keyboard carries on down the list.
    assert focused(page) == "Remove Brume from this playlist"
    page.get_by_role("button", name="Remove Cirrus from this playlist").focus()
    remove("Cirrus", ["Brume"])
    # The last one gone: the one before it.
    assert focused(page) == "Remove Brume from this playlist"
    remove("Brume", [])
    # Nothing left: the playlist's heading, above the words saying it is empty.
    assert page.evaluate("document.activeElement.matches('#main h1')")
    assert focused(page) == "Evening"
    assert page.get_by_text("This playlist is empty.").is_visible()


def test_renaming_a_track_on_its_page_leaves_the_focus_on_its_rename_button(page, musician):
    track = song(musician, "Harbour", seconds=4.0)
    page.goto(f"/tracks/{track.pk}/")
    page.locator("#track-title summary").click()
    page.locator("#rename-title").fill("Harbour at Dawn")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#main h1').textContent === 'Harbour at Dawn'")
    page.wait_for_function("() => document.activeElement !== document.body", timeout=10_000)
    assert page.evaluate("document.activeElement.matches('#track-title summary')")
    assert focused(page) == "Rename"
    # The keyboard carries on from there: the field opens again, with the new title.
    page.keyboard.press("Enter")
    assert page.locator("#rename-title").input_value() == "Harbour at Dawn"
    assert page.evaluate("document.activeElement.matches('#track-title summary')")

    # The Save button clicked rather than Enter: the same.
    page.locator("#rename-title").fill("Harbour at Dusk")
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.wait_for_function("() => document.querySelector('#main h1').textContent === 'Harbour at Dusk'")
    page.wait_for_function("() => document.activeElement !== document.body", timeout=10_000)
    assert focused(page) == "Rename"
