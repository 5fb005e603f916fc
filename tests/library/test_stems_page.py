"""The track page's stems: made from the page by a worker, then a player per part (mute and
solo), a FLAC per part and a ZIP; an upload's cover says plainly it cannot be taken apart."""
import io
import zipfile

import pytest

from studio.generation import jobs
from studio.generation.models import Mode, Status
from studio.generation.rules import GenerationRequest
from studio.library.models import Stems
from tests.api.factories import api_generation
from tests.factories import make_track


@pytest.fixture
def song(owner, django_capture_on_commit_callbacks):
    request = GenerationRequest.from_params("generate", {
        "customMode": True, "instrumental": False, "model": "V4_5", "style": "funk, 104 bpm",
        "title": "River", "prompt": "[Verse]\nHold the night, my friend!", "_duration": 10.0})
    with django_capture_on_commit_callbacks(execute=True):
        generation = jobs.submit(owner=owner, request=request)
    generation.refresh_from_db()
    assert generation.status == Status.SUCCESS, generation.error_message
    return generation.tracks.get(variation=0)


@pytest.mark.slow
def test_stems_made_from_the_page_play_and_download(owner_client, song,
                                                    django_capture_on_commit_callbacks):
    page = owner_client.get(f"/tracks/{song.pk}/").content.decode()
    assert f'action="/tracks/{song.pk}/stems"' in page and ">Make stems</button>" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"/tracks/{song.pk}/stems")
    assert response.status_code == 302 and response["Location"] == f"/tracks/{song.pk}/#stems"
    assert Stems.objects.get(track=song).status == Stems.Status.SUCCESS

    page = owner_client.get(f"/tracks/{song.pk}/").content.decode()
    for name in ("vocals", "drums", "bass"):
        assert f'data-stem="{name}"' in page
        assert f'<audio preload="none" src="/tracks/{song.pk}/stems/{name}.flac"></audio>' in page
    assert 'aria-label="Solo Vocals"' in page and 'aria-label="Mute Drums"' in page
    assert "js/stems.js" in page and "Make stems" not in page

    ranged = owner_client.get(f"/tracks/{song.pk}/stems/vocals.flac", HTTP_RANGE="bytes=0-3")
    assert ranged.status_code == 206 and b"".join(ranged.streaming_content) == b"fLaC"

    archive = owner_client.get(f"/tracks/{song.pk}/stems.zip")
    assert archive.status_code == 200 and archive["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))).namelist()
    assert {"River - Vocals.flac", "River - Drums.flac", "River - Instrumental.flac"} <= set(names)


def test_strangers_get_404_everywhere(stranger_client, owner):
    track = make_track(owner, generation=api_generation(owner, status=Status.SUCCESS))
    Stems.objects.create(owner=owner, track=track, status=Stems.Status.SUCCESS,
                         files={"vocals": "stem-vocals.flac"})
    for url in (f"/tracks/{track.pk}/stems/", f"/tracks/{track.pk}/stems.zip",
                f"/tracks/{track.pk}/stems/vocals.flac"):
        assert stranger_client.get(url).status_code == 404, url
    assert stranger_client.post(f"/tracks/{track.pk}/stems").status_code == 404
    assert Stems.objects.count() == 1


def test_an_uploads_cover_says_plainly_it_cannot_be_taken_apart(owner_client, owner):
    generation = api_generation(owner, mode=Mode.UPLOAD_COVER, status=Status.SUCCESS)
    track = make_track(owner, generation=generation)
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert "The local engine cannot separate this track: a cover is built on an uploaded song" in page
    assert "Make stems" not in page
    response = owner_client.post(f"/tracks/{track.pk}/stems", follow=True)
    assert "cannot separate this track" in response.content.decode()
    assert not Stems.objects.exists()


def test_while_the_stems_are_made_the_section_polls_itself(owner_client, owner):
    track = make_track(owner, generation=api_generation(owner, status=Status.SUCCESS))
    Stems.objects.create(owner=owner, track=track)
    block = owner_client.get(f"/tracks/{track.pk}/stems/").content.decode()
    assert f'hx-get="/tracks/{track.pk}/stems/" hx-trigger="every 2s"' in block
    assert "Taking the song apart" in block
