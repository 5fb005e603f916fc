"""The track page's cover art: choose another generated image, draw a fresh one, or upload
your own (sniffed by Pillow, cropped square, thumbnails made anew). Owner only, CSRF."""
import io
import re

import numpy as np
import pytest
from django.test import Client
from PIL import Image

from studio import art
from studio.library import thumbnails
from tests.factories import make_track, mp3_bytes, png_bytes

pytestmark = pytest.mark.django_db


def picture(width, height, fmt="PNG", color=(200, 40, 40)):
    """A picture with a blue square in its middle, so a centred crop can be seen."""
    image = Image.new("RGB", (width, height), color)
    side = min(width, height) // 2
    left, top = (width - side) // 2, (height - side) // 2
    image.paste((20, 40, 220), (left, top, left + side, top + side))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    buffer.name = f"me.{fmt.lower()}"
    buffer.seek(0)
    return buffer


def cover_pixels(track):
    track.refresh_from_db()
    with track.cover.open("rb") as fh, Image.open(fh) as image:
        return np.asarray(image.convert("RGB"), float)


def test_the_page_offers_four_generated_alternatives_as_images(owner_client, owner):
    track = make_track(owner, style="synthwave")
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    urls = re.findall(r'src="(/tracks/[^"]+/cover/choices/[^"]+\.webp)"', page)
    assert len(urls) == 4
    previews = []
    for url in urls:
        response = owner_client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/webp"
        assert "immutable" in response["Cache-Control"]
        previews.append(np.asarray(Image.open(io.BytesIO(response.content)).convert("RGB"), float))
    assert previews[0].shape == (320, 320, 3)
    assert all(np.abs(previews[0] - p).mean() > 10 for p in previews[1:])
    assert 'aria-label="Use generated cover 1"' in page and 'name="csrfmiddlewaretoken"' in page


def test_choosing_an_alternative_makes_it_the_cover_with_new_thumbnails(owner_client, owner):
    track = make_track(owner, style="folk")
    old_name, old_version = track.cover.name, thumbnails.version(track)
    owner_client.get(f"/tracks/{track.pk}/cover/320.webp?v={old_version}")
    preview = owner_client.get(f"/tracks/{track.pk}/cover/choices/{old_version}/3.webp")
    response = owner_client.post(f"/tracks/{track.pk}/cover/choose",
                                 {"version": old_version, "choice": "3"})
    assert response.status_code == 302
    cover = cover_pixels(track)
    assert cover.shape == (art.SIZE, art.SIZE, 3)
    shown = np.asarray(Image.open(io.BytesIO(preview.content)).convert("RGB"), float)
    chosen = np.asarray(Image.fromarray(cover.astype(np.uint8)).resize((320, 320)), float)
    assert np.abs(shown - chosen).mean() < 6  # the image previewed is the image stored
    storage = track.cover.storage
    assert track.cover.name != old_name and not storage.exists(old_name)
    assert not storage.exists(f"{track.folder}/cover-320-{old_version}.webp")
    for size in thumbnails.SIZES:
        assert storage.exists(thumbnails.thumbnail_name(track, size))
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert f"?v={thumbnails.version(track)}" in page and f"?v={old_version}" not in page


def test_drawing_a_fresh_cover_changes_it(owner_client, owner):
    track = make_track(owner, style="jazz")
    before = cover_pixels(track)
    assert owner_client.post(f"/tracks/{track.pk}/cover/regenerate").status_code == 302
    after = cover_pixels(track)
    assert after.shape == (art.SIZE, art.SIZE, 3)
    assert before.shape != after.shape or np.abs(before - after).mean() > 10


def test_an_uploaded_picture_becomes_a_square_cover_cropped_to_its_middle(owner_client, owner):
    track = make_track(owner)
    response = owner_client.post(f"/tracks/{track.pk}/cover/upload",
                                 {"image": picture(1600, 900, "JPEG")})
    assert response.status_code == 302
    cover = cover_pixels(track)
    assert cover.shape == (art.SIZE, art.SIZE, 3)
    # 1600 × 900 → the middle 900 × 900: the blue square (450 px) fills the middle half
    assert cover[art.SIZE // 2, art.SIZE // 2, 2] > 180
    assert cover[art.SIZE // 2, 100, 0] > 150 and cover[art.SIZE // 2, 100, 2] < 100
    thumb = owner_client.get(f"/tracks/{track.pk}/cover/96.webp?v={thumbnails.version(track)}")
    with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as image:
        assert image.size == (96, 96)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF"])
def test_common_picture_formats_are_taken(owner_client, owner, fmt):
    track = make_track(owner)
    response = owner_client.post(f"/tracks/{track.pk}/cover/upload", {"image": picture(300, 300, fmt)})
    assert response.status_code == 302
    assert cover_pixels(track).shape == (art.SIZE, art.SIZE, 3)


def refused(client, track, upload):
    old = track.cover.name
    response = client.post(f"/tracks/{track.pk}/cover/upload", {"image": upload})
    track.refresh_from_db()
    assert track.cover.name == old
    assert response.status_code == 422
    return response.content.decode()


def named(data: bytes, name: str):
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


def test_a_file_that_is_not_an_image_is_refused_beside_the_field(owner_client, owner):
    track = make_track(owner)
    page = refused(owner_client, track, named(mp3_bytes(), "cover.png"))  # the name lies
    assert 'id="id_image_error"' in page and "This file is not an image" in page


def test_a_truncated_image_is_refused(owner_client, owner):
    track = make_track(owner)
    data = picture(400, 400, "PNG").getvalue()
    page = refused(owner_client, track, named(data[: len(data) // 2], "half.png"))
    assert "This file is not an image" in page


def test_a_tiny_image_is_refused_with_its_size(owner_client, owner):
    track = make_track(owner)
    page = refused(owner_client, track, picture(40, 300))
    assert "40 × 300 pixels" in page and "at least 64 pixels" in page


def test_a_huge_image_is_refused_before_it_is_decoded(owner_client, owner):
    track = make_track(owner)
    buffer = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buffer, "PNG")  # 64 megapixels in a few kilobytes
    page = refused(owner_client, track, named(buffer.getvalue(), "big.png"))
    assert "8000 × 8000 pixels" in page and "at most 40 megapixels" in page


def test_no_file_is_refused(owner_client, owner):
    track = make_track(owner)
    response = owner_client.post(f"/tracks/{track.pk}/cover/upload", {})
    assert response.status_code == 422 and "This field is required" in response.content.decode()


@pytest.mark.parametrize("action", ["choose", "regenerate", "upload"])
def test_a_stranger_gets_404_and_the_cover_stays(stranger_client, owner, action):
    track = make_track(owner)
    old = track.cover.name
    data = {"version": "0", "choice": "1"} if action == "choose" else \
        {"image": named(png_bytes(), "x.png")} if action == "upload" else {}
    assert stranger_client.post(f"/tracks/{track.pk}/cover/{action}", data).status_code == 404
    track.refresh_from_db()
    assert track.cover.name == old


def test_a_stranger_cannot_see_the_alternatives(stranger_client, owner):
    track = make_track(owner)
    assert stranger_client.get(f"/tracks/{track.pk}/cover/choices/0/1.webp").status_code == 404


def test_changing_a_cover_needs_the_csrf_token(owner):
    track = make_track(owner)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(f"/tracks/{track.pk}/cover/regenerate").status_code == 403


@pytest.mark.parametrize("data", [{"version": "0", "choice": "9"}, {"version": "../x", "choice": "1"}, {}])
def test_a_choice_the_page_did_not_offer_changes_nothing(owner_client, owner, data):
    track = make_track(owner)
    old = track.cover.name
    response = owner_client.post(f"/tracks/{track.pk}/cover/choose", data, follow=True)
    track.refresh_from_db()
    assert track.cover.name == old
    assert "not one this page offered" in response.content.decode()


def test_choices_outside_the_offer_are_404(owner_client, owner):
    track = make_track(owner)
    assert owner_client.get(f"/tracks/{track.pk}/cover/choices/0/5.webp").status_code == 404
    assert owner_client.get(f"/tracks/{track.pk}/cover/choices/zz/1.webp").status_code == 404


def test_a_renamed_track_keeps_its_cover(owner_client, owner):
    """Nothing of the title is in the art, so a rename leaves the cover as it is."""
    track = make_track(owner)
    old = track.cover.name
    owner_client.post(f"/tracks/{track.pk}/rename", {"title": "Another Name"})
    track.refresh_from_db()
    assert track.title == "Another Name" and track.cover.name == old
