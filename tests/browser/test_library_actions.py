"""The library's own actions in Chromium: like and the Liked filter, share links opened by a
visitor in a fresh browser (no cookies) and revoked, a stranger's 404s, and the cover editor.
Tracks come from the factories (real small MP3s and covers), not from the engine."""
import io
import re

import pytest
from django.conf import settings as django_settings
from PIL import Image

from studio.library import playlists
from studio.library.models import Playlist, Track
from tests.browser.conftest import PASSWORD, WIDTHS
from tests.browser.helpers import assert_playing, song

pytestmark = pytest.mark.django_db(transaction=True)
FACTORY_COVER = (200, 90, 60)  # tests.factories.png_bytes' colour


def card(page, title):
    return page.locator(".track-card", has=page.locator(".track-title", has_text=title))


def grid_titles(page) -> list[str]:
    return page.locator(".track-grid .track-title").all_inner_texts()


def shown_colour(page, selector) -> list[float]:
    """The mean colour of the image as the page draws it (after it has loaded)."""
    page.wait_for_function("(s) => { const i = document.querySelector(s);"
                           " return i && i.complete && i.naturalWidth > 0; }", arg=selector)
    return page.evaluate("""(s) => {
        const img = document.querySelector(s), c = document.createElement('canvas');
        c.width = c.height = 16;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0, 16, 16);
        const d = g.getImageData(0, 0, 16, 16).data, sum = [0, 0, 0];
        for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 3; k++) sum[k] += d[i + k];
        return sum.map(v => v / (d.length / 4)); }""", selector)


def near(colour, expected, tolerance=10) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def visitor(chromium, studio, width="desktop"):
    """A fresh browser context: no cookies, no account."""
    context = chromium.new_context(base_url=studio.url, viewport=WIDTHS[width])
    assert context.cookies() == []
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    return context, tab


def signed_in(chromium, studio, user, width="desktop"):
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=studio.url, viewport=WIDTHS[width])
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                          "url": studio.url}])
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    return context, tab


def watch_shared_audio(tab, token) -> list:
    """(Range header, status) of every audio response through the token, from now on."""
    seen = []
    tab.on("response", lambda r: seen.append((r.request.headers.get("range"), r.status))
           if f"/s/{token}/" in r.url and r.url.endswith(".mp3") else None)
    return seen


def assert_shared_audio_plays(tab, token, ranged, title, lyrics="This track has no lyrics."):
    """The share page's footer player plays through the token's URL, fetched with HTTP
    Range (206); its peaks and lyrics come through the token too."""
    tab.get_by_role("button", name=f"Play {title}", exact=True).click()
    state = assert_playing(tab)
    assert state["src"].startswith(f"/s/{token}/") and state["title"] == title
    assert any(header and header.startswith("bytes=") and status == 206
               for header, status in ranged), ranged
    tab.locator("#player [data-player=lyrics]").click()
    tab.locator("#player-lyrics").get_by_text(lyrics).wait_for()
    assert tab.locator("#player-info [data-info-for]").get_attribute("data-info-for") \
        .startswith(f"/s/{token}/")
    tab.wait_for_function("""() => {
        const c = document.querySelector('#player .player-wave canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
        return n / (c.width * c.height) > 0.2; }""")  # the peaks, drawn
    assert tab.evaluate("document.documentElement.scrollWidth") <= tab.viewport_size["width"]


def token_of(share_url: str) -> str:
    return re.search(r"/s/([0-9a-f]+)/$", share_url).group(1)


@pytest.mark.parametrize("width", list(WIDTHS), indirect=True)
def test_like_from_a_cards_menu_and_the_liked_filter_shows_only_liked_tracks(page, musician,
                                                                            width):
    song(musician, "Harbour", seconds=4)
    lantern = song(musician, "Lantern", seconds=4)
    song(musician, "Meadow", seconds=4)
    page.goto("/")
    assert sorted(grid_titles(page)) == ["Harbour", "Lantern", "Meadow"]
    assert card(page, "Lantern").locator(".liked-badge").count() == 0

    card(page, "Lantern").locator("summary.menu-button").click()
    like = card(page, "Lantern").get_by_role("button", name="Like", exact=True)
    box = like.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    like.click()
    card(page, "Lantern").locator(".liked-badge").wait_for()
    assert Track.objects.get(pk=lantern.pk).liked_at is not None
    assert card(page, "Harbour").locator(".liked-badge").count() == 0

    page.locator(".page-head").get_by_role("link", name="Liked", exact=True).click()
    page.wait_for_url(re.compile(r"/\?liked=on$"))
    page.wait_for_function("() => [...document.querySelectorAll('.track-grid .track-title')]"
                           ".map(a => a.textContent.trim()).join() === 'Lantern'")
    assert grid_titles(page) == ["Lantern"]
    assert page.get_by_label("Liked only").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    # Unliked from the same menu, it leaves the Liked view.
    card(page, "Lantern").locator("summary.menu-button").click()
    card(page, "Lantern").get_by_role("button", name="Unlike", exact=True).click()
    page.get_by_text("No liked tracks yet.").wait_for()
    assert Track.objects.get(pk=lantern.pk).liked_at is None


def one_line_high(locator) -> bool:
    """The element is as high as one line of its text (plus its padding and border): its
    words did not wrap."""
    return locator.evaluate("""e => { const s = getComputedStyle(e), px = v => parseFloat(v);
        const one = px(s.lineHeight) + px(s.paddingTop) + px(s.paddingBottom)
                    + px(s.borderTopWidth) + px(s.borderBottomWidth);
        return e.getBoundingClientRect().height <= one + 1 && e.scrollWidth <= e.clientWidth; }""")


@pytest.mark.parametrize("width", list(WIDTHS), indirect=True)
def test_the_selection_bars_download_button_stays_on_one_line_without_widening_the_page(
        page, musician, width):
    song(musician, "Harbour", seconds=4)
    song(musician, "Lantern", seconds=4)
    page.goto("/")
    download = page.get_by_role("button", name="Download selected (ZIP)", exact=True)
    bar = page.locator(".selection-bar")

    def laid_out_well():
        viewport = page.viewport_size["width"]
        assert one_line_high(download), (width, download.bounding_box())
        box = download.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport

    assert download.is_disabled()
    laid_out_well()
    if width == "phone":  # 390 px: the hint beside the button, on one row
        assert bar.bounding_box()["height"] <= download.bounding_box()["height"] * 1.5
    card(page, "Lantern").get_by_label("Select Lantern").check()
    page.get_by_text("1 selected").wait_for()
    laid_out_well()
    if width == "phone":  # narrower still, the button goes under the hint whole
        page.set_viewport_size({"width": 300, "height": 844})
        laid_out_well()
    with page.expect_download() as zipped:
        download.click()
    assert zipped.value.suggested_filename.endswith(".zip")


@pytest.mark.parametrize("width", list(WIDTHS), indirect=True)
def test_a_share_link_opens_in_a_fresh_browser_plays_and_is_a_404_once_revoked(
        page, chromium, studio, musician, width):
    harbour = song(musician, "Harbour", seconds=12,
                   lyrics="[Verse]\nLights along the harbour wall")
    song(musician, "Secret Sketch", seconds=4)
    page.goto(f"/tracks/{harbour.pk}/")
    page.locator("#share").get_by_role("button", name="Make a share link").click()
    share_url = page.locator("#share-url").input_value()
    token = token_of(share_url)

    context, tab = visitor(chromium, studio, width)
    audio_responses = watch_shared_audio(tab, token)
    try:
        assert tab.goto(share_url).status == 200
        assert tab.locator("h1").inner_text() == "Harbour"
        assert tab.get_by_alt_text("Cover art for Harbour").is_visible()
        assert near(shown_colour(tab, "img.hero-cover"), FACTORY_COVER)
        assert tab.locator("main").get_by_text("Lights along the harbour wall").is_visible()
        assert "Secret Sketch" not in tab.content() and "ada" not in tab.locator("main").inner_text()
        assert tab.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
        assert_shared_audio_plays(tab, token, audio_responses, "Harbour",
                                  lyrics="Lights along the harbour wall")
        assert "/tracks/" not in tab.content()  # the player names nothing of the owner's own

        page.locator("#share").get_by_role("button", name="Revoke link").click()
        page.locator("#share").get_by_role("button", name="Make a share link").wait_for()
        assert tab.goto(share_url).status == 404
        for gone in (f"{harbour.pk}.mp3", f"{harbour.pk}/player"):
            assert context.request.get(f"/s/{token}/{gone}").status == 404, gone
    finally:
        context.close()


def test_a_stranger_gets_404_on_the_owners_track_and_playlist_pages(chromium, studio, musician):
    from django.contrib.auth import get_user_model

    harbour = song(musician, "Harbour", seconds=4)
    evening = Playlist.objects.create(owner=musician, title="Evening")
    playlists.add(evening, harbour)
    stranger = get_user_model().objects.create_user(username="stranger", password=PASSWORD)
    context, tab = signed_in(chromium, studio, stranger)
    try:
        tab.goto("/")
        assert tab.get_by_text("No songs yet.").is_visible()  # signed in, with a library
        for path in (f"/tracks/{harbour.pk}/", f"/tracks/{harbour.pk}/audio.mp3",
                     f"/playlists/{evening.pk}/"):
            assert tab.goto(path).status == 404, path
        assert "Harbour" not in tab.content()
    finally:
        context.close()


@pytest.mark.parametrize("width", ["desktop"], indirect=True)
def test_a_playlists_share_link_shows_only_its_tracks_and_is_a_404_once_revoked(
        page, chromium, studio, musician):
    alba, brume = song(musician, "Alba", seconds=8), song(musician, "Brume", seconds=8)
    song(musician, "Not In It", seconds=4)
    evening = Playlist.objects.create(owner=musician, title="Evening")
    for track in (brume, alba):
        playlists.add(evening, track)
    page.goto(f"/playlists/{evening.pk}/")
    page.locator("#share").get_by_role("button", name="Make a share link").click()
    share_url = page.locator("#share-url").input_value()
    token = token_of(share_url)

    context, tab = visitor(chromium, studio)
    audio_responses = watch_shared_audio(tab, token)
    try:
        assert tab.goto(share_url).status == 200
        assert tab.locator("h1").inner_text() == "Evening"
        assert tab.locator(".shared-track h2").all_inner_texts() == ["Brume", "Alba"]
        assert "Not In It" not in tab.content()
        assert near(shown_colour(tab, ".shared-track img.hero-cover"), FACTORY_COVER)
        assert_shared_audio_plays(tab, token, audio_responses, "Brume")
        tab.locator("#player [data-player=next]").click()  # the page's list: Brume, then Alba
        assert assert_playing(tab)["src"] == f"/s/{token}/{alba.pk}.mp3"
        # Only what the link names: another of the owner's tracks is a 404 through it.
        other = Track.objects.get(title="Not In It")
        assert context.request.get(f"/s/{token}/{other.pk}.mp3").status == 404

        page.locator("#share").get_by_role("button", name="Revoke link").click()
        page.locator("#share").get_by_role("button", name="Make a share link").wait_for()
        assert tab.goto(share_url).status == 404
        assert context.request.get(f"/s/{token}/{alba.pk}.mp3").status == 404
    finally:
        context.close()


@pytest.mark.parametrize("width", list(WIDTHS), indirect=True)
def test_the_cover_editor_picks_a_generated_cover_and_takes_an_uploaded_png(
        page, musician, width, tmp_path):
    harbour = song(musician, "Harbour", seconds=4)
    page.goto(f"/tracks/{harbour.pk}/")
    assert near(shown_colour(page, "img.hero-cover"), FACTORY_COVER)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    choice = page.get_by_role("button", name="Use generated cover 2")
    choice.scroll_into_view_if_needed()
    offered = shown_colour(page, "button.cover-choice[value='2'] img")
    before_src = page.locator("img.hero-cover").get_attribute("src")
    choice.click()
    page.get_by_text("New cover in place.").wait_for()
    assert page.locator("img.hero-cover").get_attribute("src") != before_src
    chosen = shown_colour(page, "img.hero-cover")
    assert not near(chosen, FACTORY_COVER), chosen
    assert near(chosen, offered, tolerance=8), (chosen, offered)
    # The library's card shows it too.
    page.locator(".topbar nav").get_by_role("link", name="Library").click()
    page.wait_for_url(re.compile(r"/$"))
    assert near(shown_colour(page, ".track-card .cover-play img"), offered, tolerance=8)

    blue = (30, 110, 220)
    png = tmp_path / "my-cover.png"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), blue).save(buffer, "PNG")
    png.write_bytes(buffer.getvalue())
    page.goto(f"/tracks/{harbour.pk}/")
    page.get_by_label("Your own image").set_input_files(str(png))
    page.get_by_role("button", name="Upload as cover").click()
    page.get_by_text("Your image is the cover now.").wait_for()
    assert near(shown_colour(page, "img.hero-cover"), blue, tolerance=6)
    harbour.refresh_from_db()
    with harbour.cover.open("rb") as fh, Image.open(fh) as stored:
        assert stored.width == stored.height >= 300  # the middle square, resized by Pillow


@pytest.mark.parametrize("width", ["desktop"], indirect=True)
def test_deleting_for_good_and_deleting_a_playlist_ask_first(page, musician):
    from django.utils import timezone

    gone = song(musician, "Gone Soon", seconds=4)
    Track.objects.filter(pk=gone.pk).update(trashed_at=timezone.now())
    evening = Playlist.objects.create(owner=musician, title="Evening")
    asked = []

    def answer(yes):
        page.once("dialog", lambda d: (asked.append(d.message), d.accept() if yes else d.dismiss()))

    page.goto("/trash/")
    delete = page.get_by_role("button", name="Delete Gone Soon for good")
    answer(False)
    delete.click()
    page.wait_for_timeout(300)
    assert Track.objects.filter(pk=gone.pk).exists() and "Gone Soon" in asked[-1]
    answer(True)
    delete.click()
    page.get_by_text("The trash is empty.").wait_for()
    assert not Track.objects.filter(pk=gone.pk).exists()

    page.goto(f"/playlists/{evening.pk}/")
    remove = page.get_by_role("button", name=re.compile("Delete this playlist"))
    answer(False)
    remove.click()
    page.wait_for_timeout(300)
    assert Playlist.objects.filter(pk=evening.pk).exists() and "Evening" in asked[-1]
    answer(True)
    remove.click()
    page.wait_for_url(re.compile(r"/playlists/$"))
    assert not Playlist.objects.filter(pk=evening.pk).exists()


@pytest.mark.parametrize("width", ["desktop"], indirect=True)
def test_the_keyboard_skips_to_the_content_and_escape_closes_a_cards_menu(page, musician):
    song(musician, "Harbour", seconds=4)
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to content" and skip.get_attribute("href") == "#main"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 10  # shown while it has the focus
    menu = card(page, "Harbour").locator("details.track-menu")
    menu.locator("summary.menu-button").focus()
    page.keyboard.press("Enter")
    assert menu.evaluate("d => d.open")
    page.keyboard.press("Tab")  # into the menu: Escape still closes it
    page.keyboard.press("Escape")
    assert not menu.evaluate("d => d.open")
    assert menu.locator("summary.menu-button").evaluate("s => s === document.activeElement")


@pytest.mark.parametrize("width", list(WIDTHS), indirect=True)
def test_a_tracks_rename_form_keeps_save_on_one_line_and_says_what_was_wrong_below(page, musician,
                                                                                  width):
    """Opened on a track's page, Save was squeezed to "Sa / ve" beside the field (and to one
    letter a line on a phone beside the words saying what was wrong)."""
    track = song(musician, "Harbour", seconds=4)
    page.goto(f"/tracks/{track.pk}/")
    page.locator("#track-title summary").click()
    field, save = page.locator("#rename-title"), page.locator("#track-title button[type=submit]")

    def one_line(button) -> bool:
        return button.evaluate("b => b.scrollWidth <= b.clientWidth && "
                               "b.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(b).lineHeight) ")

    assert one_line(save)
    assert field.bounding_box()["width"] >= 2 * save.bounding_box()["width"]

    field.fill("   ")
    save.click()
    error = page.locator("#rename-title-error")
    error.wait_for()
    save = page.locator("#track-title button[type=submit]")
    assert one_line(save)
    assert error.bounding_box()["y"] >= save.bounding_box()["y"] + save.bounding_box()["height"] - 1
    assert error.bounding_box()["x"] + error.bounding_box()["width"] <= page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("width", list(WIDTHS), indirect=True)
def test_a_cards_rename_keeps_save_on_one_line_beside_the_title(page, musician, width):
    """Rename in a card's ⋯ menu: on a phone Save stood as "Sav / e" beside a field taking
    all the room."""
    song(musician, "Harbour", seconds=4)
    page.goto("/")
    card(page, "Harbour").locator("summary.menu-button").click()
    card(page, "Harbour").locator(".menu-rename > summary").click()
    field = card(page, "Harbour").get_by_label("New title for Harbour")
    save = card(page, "Harbour").get_by_role("button", name="Save", exact=True)
    field.wait_for()

    assert one_line_high(save), save.bounding_box()
    assert field.bounding_box()["width"] >= 2 * save.bounding_box()["width"]
    panel = card(page, "Harbour").locator(".menu-panel").bounding_box()
    assert save.bounding_box()["x"] + save.bounding_box()["width"] <= panel["x"] + panel["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    field.fill("Harbour at dawn")
    save.click()
    card(page, "Harbour at dawn").wait_for()
    assert Track.objects.get().title == "Harbour at dawn"


@pytest.mark.parametrize("width", list(WIDTHS), indirect=True)
def test_a_very_long_title_keeps_its_card_the_height_of_its_neighbours(page, musician, width):
    """A title of 100 characters stood nine lines high in a phone's card, which towered over
    the rest of its row; now it stops after four lines with "…", whole in its tooltip."""
    long_title = ("Supercalifragilisticexpialidociousandwonderfullylongunbrokenword "
                  "that never ends across the harbour")[:100]
    song(musician, long_title, seconds=4)
    song(musician, "Lantern", seconds=4)
    page.goto("/")
    title = card(page, long_title).locator(".track-title")
    lines = title.evaluate("a => a.getBoundingClientRect().height / "
                           "parseFloat(getComputedStyle(a).lineHeight)")
    assert lines <= 4.05, lines
    assert title.get_attribute("title") == long_title
    assert title.inner_text() == long_title  # the link still names the whole title
    short = card(page, "Lantern").bounding_box()["height"]
    assert card(page, long_title).bounding_box()["height"] <= short + 4 * 26
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("width", list(WIDTHS), indirect=True)
def test_deleting_a_playlist_looks_like_the_other_deletes_and_stands_apart(page, musician,
                                                                          width):
    """"Delete this playlist" was drawn in the accent colour of an ordinary link, touching the
    Share card above it; the track page's "Move to the trash…" is red."""
    evening = Playlist.objects.create(owner=musician, title="Evening")
    page.goto(f"/playlists/{evening.pk}/")
    remove = page.get_by_role("button", name=re.compile("Delete this playlist"))
    colour = remove.evaluate("b => getComputedStyle(b).color")
    bad = page.evaluate("() => { const p = document.createElement('p'); p.className = 'error';"
                        " document.body.append(p); const c = getComputedStyle(p).color;"
                        " p.remove(); return c; }")
    assert colour == bad
    above = page.locator(".track-columns").bounding_box()
    assert remove.bounding_box()["y"] >= above["y"] + above["height"] + 8


@pytest.mark.parametrize("width", list(WIDTHS), indirect=True)
def test_every_filter_and_sort_shows_its_options_whole(page, musician, width):
    """A select as narrow as its column clips the option it shows: at 390 px "Best match
    (when searching)", the sort's first option, read "Best match (when se"."""
    song(musician, "Harbour", seconds=4)
    page.goto("/")
    page.get_by_text("Filters & sort").click()
    cut = page.evaluate("""() => [...document.querySelectorAll('.filter-grid select')]
        .map(select => {
            const whole = select.cloneNode(true);  // as wide as its widest option needs
            whole.style.width = 'auto';  // CSSOM: the policy allows it
            whole.style.position = 'absolute';  // out of the column that stretches it
            select.after(whole);
            const needed = whole.getBoundingClientRect().width;
            whole.remove();
            const box = select.getBoundingClientRect();
            const column = select.closest('.field').getBoundingClientRect();
            return {name: select.name, needed: needed, shown: box.width,
                    inside: box.left >= column.left - 0.5 && box.right <= column.right + 0.5};
        })
        .filter(s => s.needed > s.shown + 0.5 || !s.inside)""")
    assert cut == [], (width, cut)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("width", list(WIDTHS), indirect=True)
def test_a_cards_title_keeps_its_words_whole(page, musician, width):
    """At 390 px a card's title shared its row with the track menu, and "Grandmother's" broke
    in the middle ("Grandmoth / er's"): every word of a title is drawn on one line."""
    song(musician, "Missing My Grandmother's Kitchen", seconds=4)
    page.goto("/")
    broken = page.evaluate("""() => [...document.querySelectorAll('.track-card .track-title')]
        .flatMap(title => {
            const text = title.firstChild, words = [];
            for (const m of text.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(text, m.index);
                range.setEnd(text, m.index + m[0].length);
                const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (lines.size > 1) words.push(m[0]);
            }
            return words;
        })""")
    assert broken == [], (width, broken)
    card(page, "Grandmother").locator(".track-menu > summary").click()  # still at hand
    card(page, "Grandmother").locator(".menu-panel").get_by_text("Rename", exact=True).wait_for()


@pytest.mark.parametrize("width", ["desktop"], indirect=True)
def test_a_cards_menu_at_the_foot_of_the_page_opens_where_every_item_can_be_clicked(page,
                                                                                   musician):
    """Opened below its button at the foot of the page, a card's menu ran under the player
    bar (its last items 100 px under it, however far the page scrolled). It opens where it
    fits between the top bar and the player, scrolling within itself if it must, and a click
    at each item's middle reaches that item."""
    for title in ("Harbour", "Lantern", "Meadow", "Orchard", "Quarry"):
        song(musician, title, seconds=20)
    page.goto("/")
    page.locator(".track-card").first.get_by_role("button", name=re.compile("^Play")).click()
    assert_playing(page)
    page.mouse.wheel(0, 5000)
    page.wait_for_function("() => innerHeight + scrollY >= document.documentElement.scrollHeight - 1")
    last = page.locator(".track-card").last
    last.locator("summary.menu-button").click()
    # A <details> says it opened (toggle) in a task of its own, after the click: measured
    # once the tasks already queued have run.
    placed = page.evaluate("""async () => {
        await new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)));
        const panel = document.querySelector('details.track-menu[open] .menu-panel');
        const box = panel.getBoundingClientRect();
        const floor = document.querySelector('.player').getBoundingClientRect().top;
        const ceiling = document.querySelector('.topbar').getBoundingClientRect().bottom;
        const missed = [];
        const items = ':scope > .menu-item, :scope > form .menu-item, :scope > details > summary';
        for (const item of panel.querySelectorAll(items)) {
            item.scrollIntoView({block: 'nearest'});
            const r = item.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            if (!item.contains(hit)) missed.push(item.textContent.trim());
        }
        return {top: box.top, bottom: box.bottom, floor, ceiling, missed,
                items: panel.querySelectorAll('.menu-item').length};
    }""")
    assert placed["items"] >= 10
    assert placed["ceiling"] <= placed["top"] and placed["bottom"] <= placed["floor"], placed
    assert placed["missed"] == [], placed
