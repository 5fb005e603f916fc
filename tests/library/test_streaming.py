"""Audio served through the library's own view seeks in every browser: Range, HEAD, validators."""
import pytest
from django.test import Client

from tests.factories import make_track
from tests.s3 import stored as stored_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(owner):
    return make_track(owner)


@pytest.fixture
def url(track):
    return f"/tracks/{track.pk}/audio.mp3"


@pytest.fixture
def stored(track):
    with open(stored_path(track.audio), "rb") as fh:
        return fh.read()


def body(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("header, first, last", [
    ("bytes=0-99", 0, 99), ("bytes=1000-", 1000, None), ("bytes=-500", None, None)])
def test_one_range_answers_206_with_its_bytes(owner_client, url, stored, header, first, last):
    size = len(stored)
    start = size - 500 if first is None else first
    end = size - 1 if last is None else last
    response = owner_client.get(url, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response["Content-Length"] == str(end - start + 1)
    assert body(response) == stored[start:end + 1]


def test_range_past_the_end_is_416_with_the_size(owner_client, url, stored):
    response = owner_client.get(url, HTTP_RANGE=f"bytes={len(stored)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(stored)}"


def test_whole_file_advertises_ranges_and_validators(owner_client, url, stored):
    response = owner_client.get(url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"] and response["Last-Modified"]
    assert body(response) == stored


def test_head_has_headers_and_no_body(owner_client, url, stored):
    response = owner_client.head(url)
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(stored))
    assert response.content == b""


def test_if_range_with_current_etag_gives_the_range(owner_client, url):
    etag = owner_client.get(url)["ETag"]
    response = owner_client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert response.status_code == 206


def test_if_range_with_stale_etag_gives_the_whole_file(owner_client, url, stored):
    response = owner_client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"stale"')
    assert response.status_code == 200
    assert body(response) == stored


def test_conditional_get_is_304(owner_client, url):
    etag = owner_client.get(url)["ETag"]
    assert owner_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_audio_is_never_compressed(owner_client, url, stored):
    response = owner_client.get(url, HTTP_ACCEPT_ENCODING="gzip, br", HTTP_RANGE="bytes=0-99")
    assert "Content-Encoding" not in response
    assert body(response) == stored[:100]


def test_front_server_serves_bytes_after_the_owner_check(owner_client, stranger, url, track,
                                                         settings):
    settings.STUDIO_SENDFILE = "nginx"
    settings.STUDIO_SENDFILE_PREFIX = "/protected-media/"
    response = owner_client.get(url, HTTP_RANGE="bytes=0-9")
    assert response["X-Accel-Redirect"] == "/protected-media/" + track.audio.name
    assert response.content == b""
    other = Client()
    other.force_login(stranger)
    response = other.get(url)
    assert response.status_code == 404 and "X-Accel-Redirect" not in response
