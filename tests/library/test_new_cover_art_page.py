"""New cover art from the track page: two new images drawn by the job, shown to choose from;
the one chosen becomes the cover, byte for byte. Strangers get 404 on every URL."""
import io

import numpy as np
import pytest
from PIL import Image

from studio.library import cover_art
from studio.library.models import CoverArt, CoverArtStatus
from tests.factories import make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def song(owner):
    return make_track(owner, title="Harbour", style="synthwave, upbeat")


def pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB").resize((128, 128)), dtype=np.int32)


def fetched(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def asked(client, track, capture) -> CoverArt:
    with capture(execute=True):
        response = client.post(f"/tracks/{track.pk}/new-covers")
    assert response.status_code == 302
    assert response["Location"] == f"/tracks/{track.pk}/#new-covers"
    return CoverArt.objects.filter(track=track).latest("created_at")


def test_two_new_covers_are_offered_and_the_chosen_one_becomes_the_cover(
        owner_client, song, django_capture_on_commit_callbacks):
    page = owner_client.get(f"/tracks/{song.pk}/").content.decode()
    assert f'action="/tracks/{song.pk}/new-covers"' in page and ">New cover art</button>" in page
    task = asked(owner_client, song, django_capture_on_commit_callbacks)
    assert task.status == CoverArtStatus.SUCCESS and len(task.files) == 2

    page = owner_client.get(f"/tracks/{song.pk}/").content.decode()
    images = [f"/tracks/{song.pk}/new-covers/{task.pk}/{n}.jpg" for n in (1, 2)]
    for n, url in enumerate(images, start=1):
        assert f'src="{url}"' in page and f'aria-label="Use new cover {n}"' in page
    first, second = (fetched(owner_client, url) for url in images)
    with song.cover.open("rb") as fh:
        old_cover = fh.read()
    # Two new pictures: unlike each other and unlike the cover there is.
    assert np.abs(pixels(first) - pixels(second)).mean() > 10
    assert min(np.abs(pixels(x) - pixels(old_cover)).mean() for x in (first, second)) > 10
    with Image.open(io.BytesIO(first)) as image:
        assert image.format == "JPEG" and image.width == image.height >= 512

    response = owner_client.post(f"/tracks/{song.pk}/new-covers/{task.pk}/choose",
                                 {"choice": "2"}, follow=True)
    assert "New cover in place." in response.content.decode()
    song.refresh_from_db()
    with song.cover.open("rb") as fh:
        assert fh.read() == second
    task.refresh_from_db()
    assert task.chosen == 2
    # Chosen: the page offers to draw new ones rather than the two again.
    page = owner_client.get(f"/tracks/{song.pk}/").content.decode()
    assert images[0] not in page and ">New cover art</button>" in page


def test_a_choice_not_offered_changes_nothing(owner_client, song,
                                              django_capture_on_commit_callbacks):
    task = asked(owner_client, song, django_capture_on_commit_callbacks)
    cover = song.cover.name
    for choice in ("3", "0", "two", ""):
        response = owner_client.post(f"/tracks/{song.pk}/new-covers/{task.pk}/choose",
                                     {"choice": choice}, follow=True)
        assert "not one of the new covers offered" in response.content.decode(), choice
    song.refresh_from_db()
    assert song.cover.name == cover
    assert owner_client.get(f"/tracks/{song.pk}/new-covers/{task.pk}/3.jpg").status_code == 404


def test_the_block_polls_while_the_covers_are_drawn(owner_client, song):
    task = CoverArt.objects.create(owner=song.owner, track=song)
    block = owner_client.get(f"/tracks/{song.pk}/new-covers/").content.decode()
    assert 'hx-trigger="every 2s"' in block and "Drawing two new covers…" in block
    assert "New cover art</button>" not in block
    CoverArt.objects.filter(pk=task.pk).update(status=CoverArtStatus.GENERATE_COVER_FAILED,
                                               error_message="The style could not be read.")
    block = owner_client.get(f"/tracks/{song.pk}/new-covers/").content.decode()
    assert "hx-trigger" not in block and "The style could not be read." in block


def test_strangers_get_404_on_every_new_cover_url(stranger_client, owner, song,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task = cover_art.request(owner, song)
    task.refresh_from_db()
    assert task.status == CoverArtStatus.SUCCESS
    for url in (f"/tracks/{song.pk}/new-covers/", f"/tracks/{song.pk}/new-covers/{task.pk}/1.jpg"):
        assert stranger_client.get(url).status_code == 404, url
    cover = song.cover.name
    assert stranger_client.post(f"/tracks/{song.pk}/new-covers").status_code == 404
    assert stranger_client.post(f"/tracks/{song.pk}/new-covers/{task.pk}/choose",
                                {"choice": "1"}).status_code == 404
    song.refresh_from_db()
    assert song.cover.name == cover and CoverArt.objects.count() == 1
