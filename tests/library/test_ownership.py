"""Every URL that carries an id answers 404 to anyone but the owner."""
import pytest

from tests.factories import make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(owner):
    return make_track(owner)


def urls(track):
    return [f"/tracks/{track.pk}/", f"/tracks/{track.pk}/audio.mp3",
            f"/tracks/{track.pk}/cover", f"/generations/{track.generation.pk}/"]


def test_owner_opens_every_url(owner_client, track):
    for url in urls(track):
        assert owner_client.get(url).status_code == 200, url


def test_stranger_gets_404_on_every_url(stranger_client, track):
    for url in urls(track):
        assert stranger_client.get(url).status_code == 404, url


def test_anonymous_visitor_is_sent_to_log_in(client, track):
    for url in urls(track):
        response = client.get(url)
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
