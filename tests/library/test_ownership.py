"""Every URL that carries an id answers 404 to anyone but the owner."""
import pytest

from studio.library.models import Track
from tests.factories import make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(owner):
    return make_track(owner)


def urls(track):
    """Every GET URL that carries an id."""
    return [f"/tracks/{track.pk}/", f"/tracks/{track.pk}/audio.mp3",
            f"/tracks/{track.pk}/cover", f"/generations/{track.generation.pk}/",
            f"/tracks/{track.pk}/cover/96.webp", f"/tracks/{track.pk}/cover/320.webp",
            f"/tracks/{track.pk}/cover/640.webp", f"/tracks/{track.pk}/download.mp3",
            f"/tracks/{track.pk}/download.wav", f"/tracks/{track.pk}/rename",
            f"/tracks/{track.pk}/delete", f"/tracks/{track.pk}/playlists"]


def posts(track):
    """Every POST URL that carries an id, with what it sends."""
    return [(f"/tracks/{track.pk}/rename", {"title": "Mine now"}),
            (f"/tracks/{track.pk}/whole-song", {}),
            (f"/running/{track.generation.pk}/dismiss", {}),
            ("/export.zip", {"track": [track.pk]}),
            (f"/tracks/{track.pk}/like", {}),
            (f"/tracks/{track.pk}/playlists", {"title": "Mine now"}),
            (f"/tracks/{track.pk}/share", {}),
            (f"/tracks/{track.pk}/share/revoke", {}),
            (f"/tracks/{track.pk}/delete", {}),
            (f"/trash/{track.pk}/restore", {}),
            (f"/tracks/{track.pk}/delete", {}),  # in the trash again, to be deleted for good
            (f"/trash/{track.pk}/delete", {})]


def test_owner_opens_every_url(owner_client, track):
    for url in urls(track):
        assert owner_client.get(url).status_code == 200, url


def test_stranger_gets_404_on_every_url(stranger_client, track):
    for url in urls(track):
        assert stranger_client.get(url).status_code == 404, url


def test_stranger_gets_404_on_every_post(stranger_client, track):
    for url, data in posts(track):
        assert stranger_client.post(url, data).status_code == 404, url
    track.refresh_from_db()  # still there, still named as before
    assert track.title == "Lighthouse"


def test_stranger_cannot_stitch_onto_my_track(stranger_client, stranger, track):
    theirs = make_track(stranger, title="Theirs", parent=track, continue_at=1.0)
    response = stranger_client.post(f"/tracks/{theirs.pk}/whole-song")
    assert response.status_code == 302  # refused with a message: the source is not theirs
    assert not Track.objects.filter(title__endswith="(whole song)").exists()


def test_owner_can_post_to_every_url(owner_client, track):
    for url, data in posts(track):
        assert owner_client.post(url, data).status_code in (200, 302), url


def test_anonymous_visitor_is_sent_to_log_in(client, track):
    for url in urls(track):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url, data in posts(track):
        response = client.post(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_library_lists_only_my_tracks(owner_client, owner, stranger, track):
    make_track(stranger, title="Not yours")
    page = owner_client.get("/").content.decode()
    assert "Lighthouse" in page and "Not yours" not in page


def test_audio_streams_with_ranges(owner_client, track):
    response = owner_client.get(f"/tracks/{track.pk}/audio.mp3", HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Type"] == "audio/mpeg"
    assert len(b"".join(response.streaming_content)) == 100
