"""Each track card and the track page carry one menu of actions; likes and the Liked filter."""
import re

import pytest
from django.test import Client

from studio.library.models import Track
from tests.factories import make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(owner):
    return make_track(owner, title="Harbour Lights")


def menu_of(html: str, track) -> str:
    start = html.index('<details class="track-menu" hx-target="#main">', html.index(f'/tracks/{track.pk}/"'))
    return html[start:html.index("</details>\n", html.index('class="menu-panel"', start))]


@pytest.mark.parametrize("page", ["/", "/tracks/{pk}/"])
def test_the_menu_offers_every_action(owner_client, track, page):
    html = owner_client.get(page.format(pk=track.pk)).content.decode()
    menu = html[html.index('<details class="track-menu" hx-target="#main">'):]
    assert 'aria-label="Actions for Harbour Lights"' in menu
    assert f'data-play-next="/tracks/{track.pk}/audio.mp3" data-title="Harbour Lights"' in menu
    for label, url in [("Extend", f"/create/?mode=extend&amp;track={track.pk}"),
                       ("Cover", f"/create/?mode=cover&amp;track={track.pk}"),
                       ("Download MP3", f"/tracks/{track.pk}/download.mp3"),
                       ("Download WAV", f"/tracks/{track.pk}/download.wav"),
                       ("Add to playlist…", f"/tracks/{track.pk}/playlists"),
                       ("Share…", f"/tracks/{track.pk}/#share")]:
        assert re.search(rf'href="{re.escape(url)}[^"]*"[^>]*>{re.escape(label)}</a>', menu), label
    for action, label in [("like", "Like"), ("rename", "Save"), ("delete", "Delete")]:
        form = menu[menu.index(f'action="/tracks/{track.pk}/{action}"'):]
        form = form[:form.index("</form>")]
        assert 'name="csrfmiddlewaretoken"' in form and f">{label}</button>" in form, action


def test_menu_forms_need_the_csrf_token(owner, track):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    for action, data in [("like", {}), ("rename", {"title": "X"}), ("delete", {})]:
        assert client.post(f"/tracks/{track.pk}/{action}", data).status_code == 403, action
    track.refresh_from_db()
    assert track.liked_at is None and track.title == "Harbour Lights" and not track.trashed_at


def test_like_without_javascript_returns_to_the_page_it_came_from(owner_client, track):
    response = owner_client.post(f"/tracks/{track.pk}/like", {"next": "/?sort=title"})
    assert response.status_code == 302 and response["Location"] == "/?sort=title"
    track.refresh_from_db()
    assert track.liked
    html = owner_client.get("/").content.decode()
    menu = menu_of(html, track)
    assert 'name="liked" value="0"' in menu and '>Unlike</button>' in menu


def test_next_never_leaves_the_site(owner_client, track):
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = owner_client.post(f"/tracks/{track.pk}/like", {"next": target})
        assert response["Location"] == f"/tracks/{track.pk}/", target


def test_unlike(owner_client, track):
    owner_client.post(f"/tracks/{track.pk}/like")
    owner_client.post(f"/tracks/{track.pk}/like", {"liked": "0"})
    track.refresh_from_db()
    assert not track.liked


def test_liked_filter_shows_only_liked_tracks(owner_client, owner, track):
    other = make_track(owner, title="Lantern")
    owner_client.post(f"/tracks/{track.pk}/like")
    html = owner_client.get("/?liked=on").content.decode()
    assert "Harbour Lights" in html and "Lantern" not in html
    assert "Lantern" in owner_client.get("/").content.decode()
    assert other.pk


def test_liked_filter_pages_by_cursor(owner_client, owner, settings):
    settings.STUDIO_LIBRARY_PAGE_SIZE = 2
    liked = [make_track(owner, title=f"Liked {i}") for i in range(3)]
    make_track(owner, title="Not liked")
    Track.objects.filter(pk__in=[t.pk for t in liked]).update(liked_at="2026-01-01T00:00Z")
    first = owner_client.get("/?liked=on").content.decode()
    cursor = re.search(r'id="more"[^>]*href="\?([^"]+)"', first).group(1).replace("&amp;", "&")
    second = owner_client.get(f"/?{cursor}").content.decode()
    titles = re.findall(r'class="track-title">([^<]+)<', first + second)
    assert sorted(titles) == ["Liked 0", "Liked 1", "Liked 2"]


def test_rename_from_a_card_returns_to_the_library(owner_client, track):
    response = owner_client.post(f"/tracks/{track.pk}/rename", {"title": "Harbour Nights",
                                                                "next": "/"})
    assert response["Location"] == "/"
    track.refresh_from_db()
    assert track.title == "Harbour Nights"


def test_delete_from_the_track_page_goes_back_to_the_library(owner_client, track):
    response = owner_client.post(f"/tracks/{track.pk}/delete", {"next": f"/tracks/{track.pk}/"})
    assert response["Location"] == "/"


def test_stranger_gets_404_on_like(stranger_client, track):
    assert stranger_client.post(f"/tracks/{track.pk}/like").status_code == 404
    track.refresh_from_db()
    assert not track.liked


def test_selection_checkboxes_join_the_export_form(owner_client, track):
    html = owner_client.get("/").content.decode()
    assert f'name="track" value="{track.pk}" form="selection"' in html
    response = owner_client.post("/export.zip", {"track": [track.pk]})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"


def test_menus_return_to_the_page_they_are_on_after_boosted_navigation(owner_client, owner,
                                                                       track):
    from studio.library.models import Playlist, PlaylistEntry

    playlist = Playlist.objects.create(owner=owner, title="Evening")
    PlaylistEntry.objects.create(playlist=playlist, track=track, position=0)
    boosted = {"HX-Request": "true", "HX-Boosted": "true", "HX-Current-URL":
               "http://testserver/?sort=title"}
    html = owner_client.get(f"/playlists/{playlist.pk}/", headers=boosted).content.decode()
    assert f'name="next" value="/playlists/{playlist.pk}/"' in html
    more = {"HX-Request": "true", "HX-Target": "more", "HX-Current-URL":
            "http://testserver/?sort=title"}
    html = owner_client.get("/?sort=title&cursor=x", headers=more).content.decode()
    assert 'name="next" value="/?sort=title"' in html


def test_the_track_page_says_it_is_liked(owner_client, track):
    assert "♥</span> Liked" not in owner_client.get(f"/tracks/{track.pk}/").content.decode()
    owner_client.post(f"/tracks/{track.pk}/like")
    assert "♥</span> Liked" in owner_client.get(f"/tracks/{track.pk}/").content.decode()


def test_the_liked_view_with_nothing_liked_says_how_to_like(owner_client, track):
    """It said "No tracks match these filters" to a creator who had liked nothing yet."""
    html = owner_client.get("/?liked=on").content.decode()
    assert "No tracks match" not in html and "Harbour Lights" not in html
    assert "No liked tracks yet." in html and "Choose Like in a track’s ⋯ menu" in html
    filtered = owner_client.get("/?liked=on&vocals=instrumental").content.decode()
    assert "No tracks match these filters." in filtered and "No liked tracks yet." not in filtered
    owner_client.post(f"/tracks/{track.pk}/like")
    filtered = owner_client.get("/?liked=on&q=zzzz").content.decode()
    assert "No tracks match these filters." in filtered and "No liked tracks yet." not in filtered
