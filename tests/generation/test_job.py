"""The job in sync mode: the engine runs inline when the request's transaction commits."""
import pytest

from studio.generation import jobs
from studio.generation.models import Generation, Mode, Status
from studio.library.models import Track
from tests.audio import decode, rms_dbfs
from tests.factories import make_track

pytestmark = pytest.mark.django_db


def test_an_idea_becomes_two_tracks_with_lyrics_and_covers(owner_client,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post("/create/", {"idea": "a rainy lo-fi song about a cat",
                                                  "model": "V4"})
    generation = Generation.objects.get()
    assert response["Location"] == f"/generations/{generation.pk}/"
    assert generation.status == Status.SUCCESS, generation.error_message
    tracks = list(generation.tracks.order_by("variation"))
    assert len(tracks) == 2
    for track in tracks:
        samples, rate = decode(track.audio.path)
        assert abs(len(samples) / rate - track.duration) < 0.1
        assert 30 <= track.duration <= 240  # V4 makes at most 4 minutes
        assert rms_dbfs(samples) > -30
        assert track.lyrics.strip()  # non-custom mode writes lyrics, as the vendors do
        assert track.cover and len(track.peaks) > 50
        assert track.model_name == "chirp-v4"
    page = owner_client.get(f"/generations/{generation.pk}/").content.decode()
    assert "Done" in page and f"/tracks/{tracks[0].pk}/audio.mp3" in page
    assert "hx-trigger" not in page  # a final generation stops the polling


def test_a_running_generation_keeps_polling(owner_client, owner):
    generation = Generation.objects.create(owner=owner, params={"prompt": "x"})
    page = owner_client.get(f"/generations/{generation.pk}/").content.decode()
    assert "hx-trigger" in page and "Queued" in page


def test_a_queued_generations_takes_wait_to_start_and_say_so(owner_client, owner):
    """A queued generation's takes said "Rendering…" while nothing had started yet."""
    generation = Generation.objects.create(owner=owner, params={"prompt": "x"})
    page = owner_client.get(f"/generations/{generation.pk}/").content.decode()
    assert page.count("Waiting to start…") == 2 and "Rendering…" not in page
    generation.advance(Status.TEXT_SUCCESS)
    page = owner_client.get(f"/generations/{generation.pk}/").content.decode()
    assert page.count("Rendering…") == 2 and "Waiting to start" not in page


def test_a_failing_engine_leaves_a_readable_failure_and_no_tracks(owner, tmp_path):
    source = make_track(owner, title="Broken source")
    with open(source.audio.path, "wb") as fh:
        fh.write(b"this is not an mp3 any more" * 100)
    generation = Generation.objects.create(
        owner=owner, mode=Mode.EXTEND, source_track=source,
        params={"audioId": str(source.pk), "continueAt": 1.0, "model": "V4_5",
                "defaultParamFlag": True, "instrumental": True})
    jobs.run(generation.pk)
    generation.refresh_from_db()
    assert generation.status == Status.GENERATE_AUDIO_FAILED
    assert generation.error_message and "Traceback" not in generation.error_message
    assert not Track.objects.filter(generation=generation).exists()


def test_running_a_finished_generation_again_does_nothing(owner):
    generation = Generation.objects.create(owner=owner, params={"prompt": "x"},
                                           status=Status.SUCCESS)
    jobs.run(generation.pk)
    generation.refresh_from_db()
    assert generation.status == Status.SUCCESS and generation.attempts == 0


def test_failure_page_shows_why(owner_client, owner):
    generation = Generation.objects.create(owner=owner, params={"prompt": "x"})
    generation.fail("The upload is silent: no sound above -60 dBFS.")
    page = owner_client.get(f"/generations/{generation.pk}/").content.decode()
    assert "The upload is silent" in page and "hx-trigger" not in page
