"""The track page's MIDI: a piano roll of the notes and the Standard MIDI File, for songs the
local engine composed; none for an upload's cover; strangers get 404."""
import io

import mido
import pytest
from django.test import Client

from studio.generation import jobs
from studio.generation.models import Mode, Status
from studio.generation.rules import GenerationRequest
from tests.api.factories import api_generation
from tests.factories import make_track


@pytest.mark.slow
def test_piano_roll_and_midi_file(owner_client, owner, stranger, django_capture_on_commit_callbacks):
    request = GenerationRequest.from_params("generate", {
        "customMode": False, "instrumental": True, "model": "V4_5", "prompt": "house, 124 bpm",
        "_duration": 8.0})
    with django_capture_on_commit_callbacks(execute=True):
        generation = jobs.submit(owner=owner, request=request)
    generation.refresh_from_db()
    track = generation.tracks.get(variation=0)
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert f'src="/tracks/{track.pk}/piano-roll.svg"' in page
    assert f'href="/tracks/{track.pk}/song.mid"' in page

    roll = owner_client.get(f"/tracks/{track.pk}/piano-roll.svg")
    assert roll.status_code == 200 and roll["Content-Type"] == "image/svg+xml"
    picture = roll.content.decode()
    assert picture.startswith("<svg") and picture.count("<rect") > 20 and 'aria-label="Piano roll: ' in picture

    song = mido.MidiFile(file=io.BytesIO(b"".join(owner_client.get(f"/tracks/{track.pk}/song.mid")
                                                  .streaming_content)))
    assert abs(song.length - track.duration) < 4.0
    other = Client()
    other.force_login(stranger)
    for url in (f"/tracks/{track.pk}/song.mid", f"/tracks/{track.pk}/piano-roll.svg"):
        assert other.get(url).status_code == 404


def test_an_uploads_cover_has_no_midi(owner_client, owner):
    generation = api_generation(owner, mode=Mode.UPLOAD_COVER, status=Status.SUCCESS)
    track = make_track(owner, generation=generation)
    assert "piano-roll" not in owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert owner_client.get(f"/tracks/{track.pk}/song.mid").status_code == 404
