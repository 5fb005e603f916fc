"""Share links: a public page for one track or playlist, no account; revocable; strangers
without the link (and everyone after a revoke) get 404; nothing else of the owner shows."""
import re

import pytest
from django.test import Client

from studio.library import sharing
from studio.library.models import Playlist, PlaylistEntry, ShareLink
from tests.factories import make_track
from tests.s3 import stored as stored_path

pytestmark = pytest.mark.django_db

LYRICS = "[Verse]\nsalt on the window\n[Chorus]\nhome, home"


@pytest.fixture
def owner(owner):
    owner.email, owner.first_name = "ada@example.com", "Ada"
    owner.save()
    return owner


@pytest.fixture
def track(owner):
    return make_track(owner, title="Harbour Lights", lyrics=LYRICS)


@pytest.fixture
def secret(owner):
    return make_track(owner, title="Private Diary")


@pytest.fixture
def anonymous():
    return Client()


def share(client, what: str) -> str:
    """Make the link on the owner's page and read it back from there, as the owner would."""
    assert client.post(f"{what}share").status_code == 302
    html = client.get(what).content.decode()
    url = re.search(r'id="share-url" class="share-url" type="text" value="http://testserver'
                    r'([^"]+)"', html).group(1)
    return url


def test_a_shared_track_opens_without_an_account(owner_client, anonymous, track, secret):
    url = share(owner_client, f"/tracks/{track.pk}/")
    response = anonymous.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Harbour Lights" in html and "salt on the window" in html
    token = url.split("/")[2]
    # The footer player's attributes: audio, cover, peaks and lyrics all through the token.
    assert f'data-play="/s/{token}/{track.pk}.mp3"' in html
    assert f'data-cover="/s/{token}/{track.pk}/96.webp"' in html
    assert f'data-info="/s/{token}/{track.pk}/player"' in html
    assert 'id="player"' in html
    assert f'src="/s/{token}/{track.pk}/640.webp"' in html
    assert anonymous.get(f"/s/{token}/{track.pk}/640.webp")["Content-Type"] == "image/webp"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    for leak in ("Private Diary", "ada@example.com", f"/tracks/{track.pk}"):
        assert leak not in html, leak
    assert not re.search(r"\bada\b", html, re.IGNORECASE)  # nor the owner's names


def test_the_share_stream_honours_range(owner_client, anonymous, track):
    token = share(owner_client, f"/tracks/{track.pk}/").split("/")[2]
    stored = open(stored_path(track.audio), "rb").read()
    response = anonymous.get(f"/s/{token}/{track.pk}.mp3", headers={"Range": "bytes=100-1099"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-1099/{len(stored)}"
    assert b"".join(response.streaming_content) == stored[100:1100]
    tail = anonymous.get(f"/s/{token}/{track.pk}.mp3", headers={"Range": "bytes=-500"})
    assert b"".join(tail.streaming_content) == stored[-500:]
    whole = anonymous.get(f"/s/{token}/{track.pk}.mp3")
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert anonymous.get(f"/s/{token}/{track.pk}.mp3",
                         headers={"Range": f"bytes={len(stored)}-"}).status_code == 416


def test_a_revoked_link_is_404_everywhere(owner_client, anonymous, track):
    url = share(owner_client, f"/tracks/{track.pk}/")
    token = url.split("/")[2]
    assert owner_client.post(f"/tracks/{track.pk}/share/revoke").status_code == 302
    for path in (url, f"/s/{token}/{track.pk}.mp3", f"/s/{token}/{track.pk}/320.webp"):
        assert anonymous.get(path).status_code == 404, path
    assert "Make a share link" in owner_client.get(f"/tracks/{track.pk}/").content.decode()
    again = share(owner_client, f"/tracks/{track.pk}/")
    assert again != url and anonymous.get(url).status_code == 404
    assert anonymous.get(again).status_code == 200


def test_a_visitor_at_a_revoked_link_is_not_sent_back_to_a_library(owner_client, anonymous,
                                                                   track):
    """The 404 a visitor saw after a revoke offered "Back to the library": the log-in page
    of a Studio they have no account on."""
    url = share(owner_client, f"/tracks/{track.pk}/")
    owner_client.post(f"/tracks/{track.pk}/share/revoke")
    page = anonymous.get(url).content.decode()
    assert "no longer shared" in page and "Back to the library" not in page
    mine = owner_client.get(f"/tracks/{track.pk}/nothing/").content.decode()
    assert "Back to the library" in mine  # the owner's own 404 keeps its way back


def test_without_the_link_strangers_get_404(owner_client, anonymous, stranger, track, secret):
    token = share(owner_client, f"/tracks/{track.pk}/").split("/")[2]
    link_id, mac = token[:32], token[32:]
    forged = [link_id + "0" * 32, link_id + mac[:-1] + ("0" if mac[-1] != "0" else "1"),
              "0" * 64, token[:-1], token + "0", "x" * 64]
    for bad in forged:
        assert anonymous.get(f"/s/{bad}/").status_code == 404, bad
        assert anonymous.get(f"/s/{bad}/{track.pk}.mp3").status_code == 404, bad
    # The link reaches only what it names: not another track of the owner.
    assert anonymous.get(f"/s/{token}/{secret.pk}.mp3").status_code == 404
    assert anonymous.get(f"/s/{token}/{secret.pk}/320.webp").status_code == 404
    # The owner's own URLs still need the owner.
    stranger_client = Client()
    stranger_client.force_login(stranger)
    assert stranger_client.get(f"/tracks/{track.pk}/audio.mp3").status_code == 404
    assert stranger_client.post(f"/tracks/{track.pk}/share/revoke").status_code == 404
    assert stranger_client.post(f"/tracks/{secret.pk}/share").status_code == 404
    assert anonymous.get(f"/tracks/{track.pk}/audio.mp3").status_code == 302  # to sign in
    assert ShareLink.objects.count() == 1


def test_a_trashed_track_is_not_shared_until_restored(owner_client, anonymous, track):
    url = share(owner_client, f"/tracks/{track.pk}/")
    owner_client.post(f"/tracks/{track.pk}/delete")
    assert anonymous.get(url).status_code == 404
    owner_client.post(f"/trash/{track.pk}/restore")
    assert anonymous.get(url).status_code == 200


def test_a_shared_playlist_plays_its_tracks_and_nothing_else(owner_client, owner, anonymous,
                                                             track, secret):
    second = make_track(owner, title="Lantern")
    playlist = Playlist.objects.create(owner=owner, title="Evening")
    for position, t in enumerate((second, track)):
        PlaylistEntry.objects.create(playlist=playlist, track=t, position=position)
    url = share(owner_client, f"/playlists/{playlist.pk}/")
    token = url.split("/")[2]
    html = anonymous.get(url).content.decode()
    assert html.index("Lantern") < html.index("Harbour Lights") and "Evening" in html
    assert "Private Diary" not in html and "ada@example.com" not in html
    for t in (second, track):
        assert anonymous.get(f"/s/{token}/{t.pk}.mp3",
                             headers={"Range": "bytes=0-99"}).status_code == 206
    assert anonymous.get(f"/s/{token}/{secret.pk}.mp3").status_code == 404
    owner_client.post(f"/tracks/{second.pk}/delete")  # trashed: gone from the shared page too
    assert "Lantern" not in anonymous.get(url).content.decode()
    assert anonymous.get(f"/s/{token}/{second.pk}.mp3").status_code == 404
    owner_client.post(f"/playlists/{playlist.pk}/share/revoke")
    assert anonymous.get(url).status_code == 404


def test_the_players_lyrics_and_peaks_come_through_the_link_and_only_for_its_tracks(
        owner_client, anonymous, track, secret):
    url = share(owner_client, f"/tracks/{track.pk}/")
    token = url.split("/")[2]
    response = anonymous.get(f"/s/{token}/{track.pk}/player")
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex, nofollow"
    html = response.content.decode()
    assert "salt on the window" in html and f'data-info-for="/s/{token}/{track.pk}/player"' in html
    assert anonymous.get(f"/s/{token}/{secret.pk}/player").status_code == 404
    owner_client.post(f"/tracks/{track.pk}/share/revoke")
    assert anonymous.get(f"/s/{token}/{track.pk}/player").status_code == 404


def test_the_token_is_not_stored(owner_client, track):
    url = share(owner_client, f"/tracks/{track.pk}/")
    link = ShareLink.objects.get()
    token = url.split("/")[2]
    assert token == sharing.token(link) and len(token) == 64
    assert token[32:] not in str(ShareLink.objects.values().get())


def test_share_forms_need_the_csrf_token(owner, track):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(f"/tracks/{track.pk}/share").status_code == 403
    assert not ShareLink.objects.exists()


def test_the_link_given_out_is_under_the_public_address(owner_client, track, settings):
    settings.STUDIO_BASE_URL = "https://studio.example.com"
    owner_client.post(f"/tracks/{track.pk}/share")
    html = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert 'value="https://studio.example.com/s/' in html
