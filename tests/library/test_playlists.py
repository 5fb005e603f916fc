"""Playlists: ordered, renamable, reorderable, played as a queue, downloaded as a ZIP."""
import io
import re
import zipfile

import pytest
from django.http import StreamingHttpResponse
from django.test import Client

from studio.library.models import Playlist
from tests.audio import decode
from tests.factories import make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracks(owner):
    return [make_track(owner, title=title) for title in ("Dawn", "Noon", "Dusk")]


@pytest.fixture
def playlist(owner_client, tracks):
    response = owner_client.post("/playlists/", {"title": "  A   day  "})
    playlist = Playlist.objects.get()
    assert response["Location"] == f"/playlists/{playlist.pk}/"
    for track in tracks:
        owner_client.post(f"/tracks/{track.pk}/playlists", {"playlist": playlist.pk})
    return playlist


def order(client, playlist) -> list[str]:
    """The titles in the order the page plays them (the play buttons' data-title)."""
    html = client.get(f"/playlists/{playlist.pk}/").content.decode()
    body = html[html.index('<ol class="playlist-entries">'):]
    return re.findall(r'class="cover-play" data-play="[^"]+" data-title="([^"]+)"', body)


def test_a_new_playlist_keeps_its_tracks_in_the_order_added(owner_client, playlist):
    assert playlist.title == "A day"
    assert order(owner_client, playlist) == ["Dawn", "Noon", "Dusk"]


def test_the_page_plays_its_tracks_as_a_queue(owner_client, playlist, tracks):
    html = owner_client.get(f"/playlists/{playlist.pk}/").content.decode()
    first = html[html.index('class="primary"', html.index('class="head-actions"')):]
    assert first.startswith(f'class="primary" data-play="/tracks/{tracks[0].pk}/audio.mp3"')
    assert html.count("data-play-next=") == 3


def test_move_up_and_down(owner_client, playlist, tracks):
    dusk, dawn = tracks[2], tracks[0]
    owner_client.post(f"/playlists/{playlist.pk}/tracks/{dusk.pk}/move", {"direction": "up"})
    assert order(owner_client, playlist) == ["Dawn", "Dusk", "Noon"]
    owner_client.post(f"/playlists/{playlist.pk}/tracks/{dawn.pk}/move", {"direction": "down"})
    assert order(owner_client, playlist) == ["Dusk", "Dawn", "Noon"]
    # The first cannot go up, the last cannot go down: nothing changes.
    owner_client.post(f"/playlists/{playlist.pk}/tracks/{dusk.pk}/move", {"direction": "up"})
    owner_client.post(f"/playlists/{playlist.pk}/tracks/{tracks[1].pk}/move",
                      {"direction": "down"})
    assert order(owner_client, playlist) == ["Dusk", "Dawn", "Noon"]


def test_a_track_is_added_once(owner_client, playlist, tracks):
    owner_client.post(f"/tracks/{tracks[0].pk}/playlists", {"playlist": playlist.pk})
    assert order(owner_client, playlist) == ["Dawn", "Noon", "Dusk"]


def test_add_to_a_new_playlist_from_the_menu(owner_client, tracks):
    page = owner_client.get(f"/tracks/{tracks[1].pk}/playlists?next=/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and 'value="/"' in page
    response = owner_client.post(f"/tracks/{tracks[1].pk}/playlists",
                                 {"title": "Road trip", "next": "/"})
    assert response["Location"] == "/"
    playlist = Playlist.objects.get(title="Road trip")
    assert order(owner_client, playlist) == ["Noon"]


def test_a_nameless_playlist_is_refused_beside_the_field(owner_client, tracks):
    response = owner_client.post("/playlists/", {"title": "   "})
    assert response.status_code == 422
    html = response.content.decode()
    assert re.search(r'<p class="error" role="alert" id="id_title_error">Give the playlist a '
                     r'name.</p>', html)
    response = owner_client.post("/playlists/", {"title": "x" * 201})
    assert "at most 200 characters (this one is 201)" in response.content.decode()
    assert not Playlist.objects.exists()


def test_rename_and_its_errors(owner_client, playlist):
    response = owner_client.post(f"/playlists/{playlist.pk}/rename", {"title": ""})
    assert response.status_code == 422 and "Give the playlist a name." in response.content.decode()
    owner_client.post(f"/playlists/{playlist.pk}/rename", {"title": "A long day"})
    playlist.refresh_from_db()
    assert playlist.title == "A long day"


def test_remove_a_track_and_delete_the_playlist(owner_client, playlist, tracks):
    owner_client.post(f"/playlists/{playlist.pk}/tracks/{tracks[1].pk}/remove")
    assert order(owner_client, playlist) == ["Dawn", "Dusk"]
    owner_client.post(f"/playlists/{playlist.pk}/delete")
    assert not Playlist.objects.exists()
    assert owner_client.get(f"/tracks/{tracks[1].pk}/").status_code == 200  # tracks stay


def test_playlists_page_and_nav(owner_client, playlist):
    html = owner_client.get("/playlists/").content.decode()
    assert 'href="/playlists/" class="active">Playlists</a>' in html
    assert f'href="/playlists/{playlist.pk}/"' in html and "A day" in html


def test_zip_holds_the_mp3s_in_order_named_and_decodable(owner_client, playlist, tracks,
                                                        tmp_path):
    owner_client.post(f"/playlists/{playlist.pk}/tracks/{tracks[2].pk}/move",
                      {"direction": "up"})
    response = owner_client.get(f"/playlists/{playlist.pk}/download.zip")
    assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="A day.zip"'
    chunks = list(response.streaming_content)
    assert len(chunks) > 3  # written and sent file by file, never held whole
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names == ["01 Dawn.mp3", "02 Dusk.mp3", "03 Noon.mp3"]
        for name in names:
            path = tmp_path / name
            path.write_bytes(archive.read(name))
            samples, rate = decode(path)
            assert rate == 44100 and abs(len(samples) / rate - 2.0) < 0.1, name
            assert abs(samples).max() > 0.1, name  # the chord, not silence


def test_zip_leaves_out_tracks_in_the_trash(owner_client, playlist, tracks):
    owner_client.post(f"/tracks/{tracks[1].pk}/delete")
    content = b"".join(owner_client.get(f"/playlists/{playlist.pk}/download.zip")
                       .streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist() == ["01 Dawn.mp3", "02 Dusk.mp3"]


def test_stranger_gets_404_on_every_playlist_url(client, stranger, playlist, tracks):
    client.force_login(stranger)
    base = f"/playlists/{playlist.pk}"
    for url in (f"{base}/", f"{base}/download.zip"):
        assert client.get(url).status_code == 404, url
    for url, data in [(f"{base}/rename", {"title": "Mine"}), (f"{base}/delete", {}),
                      (f"{base}/tracks/{tracks[0].pk}/move", {"direction": "down"}),
                      (f"{base}/tracks/{tracks[0].pk}/remove", {}), (f"{base}/share", {}),
                      (f"{base}/share/revoke", {}),
                      (f"/tracks/{tracks[0].pk}/playlists", {"title": "Stolen"})]:
        assert client.post(url, data).status_code == 404, url
    assert client.get(f"/tracks/{tracks[0].pk}/playlists").status_code == 404
    assert "A day" not in client.get("/playlists/").content.decode()
    playlist.refresh_from_db()
    assert playlist.title == "A day" and playlist.entries.count() == 3


def test_i_cannot_add_my_track_to_someone_elses_playlist(client, owner, stranger, playlist):
    mine = make_track(stranger, title="Mallory's")
    client.force_login(stranger)
    response = client.post(f"/tracks/{mine.pk}/playlists", {"playlist": playlist.pk})
    assert response.status_code == 404 and playlist.entries.count() == 3
    assert client.post(f"/tracks/{mine.pk}/playlists",
                       {"playlist": "not-a-uuid"}).status_code == 404


def test_playlist_forms_need_the_csrf_token(owner, playlist, tracks):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    for url in ("/playlists/", f"/playlists/{playlist.pk}/rename",
                f"/playlists/{playlist.pk}/delete",
                f"/playlists/{playlist.pk}/tracks/{tracks[0].pk}/move"):
        assert client.post(url, {"title": "x", "direction": "down"}).status_code == 403, url


def test_a_long_playlist_costs_no_more_queries(owner_client, owner, playlist,
                                               django_assert_max_num_queries):
    for i in range(20):
        owner_client.post(f"/tracks/{make_track(owner, title=f'Extra {i}').pk}/playlists",
                          {"playlist": playlist.pk})
    with django_assert_max_num_queries(8):
        html = owner_client.get(f"/playlists/{playlist.pk}/").content.decode()
    assert html.count('class="cover-play"') == 23


def test_moves_step_over_trashed_tracks_and_keep_their_places(owner_client, playlist, tracks):
    owner_client.post(f"/tracks/{tracks[1].pk}/delete")  # Noon, in the middle, trashed
    owner_client.post(f"/playlists/{playlist.pk}/tracks/{tracks[2].pk}/move",
                      {"direction": "up"})
    assert order(owner_client, playlist) == ["Dusk", "Dawn"]
    owner_client.post(f"/trash/{tracks[1].pk}/restore")
    assert order(owner_client, playlist) == ["Dusk", "Noon", "Dawn"]


def test_entries_that_share_a_position_still_move(owner_client, playlist, tracks):
    playlist.entries.update(position=0)
    owner_client.post(f"/playlists/{playlist.pk}/tracks/{tracks[2].pk}/move",
                      {"direction": "up"})
    assert order(owner_client, playlist) == ["Dawn", "Dusk", "Noon"]


def test_the_list_of_playlists_counts_each_ones_tracks(owner_client, owner, playlist, tracks):
    """Its rows showed only a name and a date: nothing said which playlists were empty."""
    single = Playlist.objects.create(owner=owner, title="Single")
    owner_client.post(f"/tracks/{tracks[0].pk}/playlists", {"playlist": single.pk})
    Playlist.objects.create(owner=owner, title="Empty")
    owner_client.post(f"/tracks/{tracks[2].pk}/delete")  # in the trash: its page hides it

    html = owner_client.get("/playlists/").content.decode()
    counts = dict(re.findall(r"<strong>([^<]+)</strong></a>\s*<span class=\"muted small\">"
                             r"(\d+ tracks?) · Changed", html))
    assert counts == {"A day": "2 tracks", "Single": "1 track", "Empty": "0 tracks"}
