"""Cover thumbnails: fixed sizes made once, cached for a year, a placeholder when none."""
import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from studio.library import thumbnails
from tests.factories import make_track, png_bytes

pytestmark = pytest.mark.django_db


def image(response):
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.parametrize("size", thumbnails.SIZES)
def test_thumbnail_has_its_fixed_pixel_size(owner_client, owner, size):
    track = make_track(owner)
    response = owner_client.get(f"/tracks/{track.pk}/cover/{size}.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert image(response).size == (size, size)


def test_thumbnail_is_made_once_and_cached_as_immutable(owner_client, owner):
    track = make_track(owner)
    url = f"/tracks/{track.pk}/cover/320.webp"
    first = owner_client.get(url)
    storage, name = track.cover.storage, thumbnails.thumbnail_name(track, 320)
    made, files = storage.get_modified_time(name), storage.listdir(track.folder)[1]
    second = owner_client.get(url)
    # Neither written again nor saved beside itself (a bucket would take a second name).
    assert storage.get_modified_time(name) == made and storage.listdir(track.folder)[1] == files
    assert first["ETag"] == second["ETag"]
    assert second["Cache-Control"] == "private, max-age=31536000, immutable"


def test_a_new_cover_gets_a_new_url(owner_client, owner):
    track = make_track(owner)
    before = owner_client.get("/").content.decode()
    old = f"/tracks/{track.pk}/cover/320.webp?v={thumbnails.version(track)}"
    assert old in before
    track.cover.save("cover.png", ContentFile(png_bytes((10, 200, 90))))
    after = owner_client.get("/").content.decode()
    assert old not in after and f"?v={thumbnails.version(track)}" in after


def test_cards_lazy_load_their_covers(owner_client, owner):
    make_track(owner)
    html = owner_client.get("/").content.decode()
    assert 'loading="lazy"' in html and 'width="320" height="320"' in html


def test_a_track_without_cover_shows_the_placeholder(owner_client, owner):
    track = make_track(owner)
    track.cover.delete(save=True)
    html = owner_client.get("/").content.decode()
    assert "cover-placeholder.svg" in html
    assert owner_client.get(f"/tracks/{track.pk}/cover/320.webp").status_code == 404


def test_unknown_sizes_are_404(owner_client, owner):
    track = make_track(owner)
    assert owner_client.get(f"/tracks/{track.pk}/cover/4000.webp").status_code == 404
