"""A real django-q2 cluster process against the test database: what `manage.py up` runs."""
import os
import time

import pytest
from django.conf import settings

from studio.generation.models import Generation, Status
from tests.audio import decode, rms_dbfs
from tests.generation.workers import output

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_until_final(generation, process, seconds=180) -> list[str]:
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        generation.refresh_from_db()
        if not seen or seen[-1] != generation.status:
            seen.append(generation.status)
        if generation.is_final:
            return seen
        assert process.poll() is None, output(process)
        time.sleep(0.1)
    pytest.fail(f"generation still {generation.status} after {seconds} s; saw {seen}")


def test_a_real_worker_makes_two_playable_tracks(worker, owner_client):
    response = owner_client.post("/create/", {"idea": "a hopeful folk song about a lighthouse",
                                              "model": "V4_5"})
    assert response.status_code == 302
    generation = Generation.objects.get()
    seen = _wait_until_final(generation, worker)

    assert generation.status == Status.SUCCESS, generation.error_message
    assert seen[-1] == Status.SUCCESS and seen == sorted(
        seen, key=[Status.PENDING, Status.TEXT_SUCCESS, Status.FIRST_SUCCESS,
                   Status.SUCCESS].index)
    tracks = list(generation.tracks.order_by("variation"))
    assert [t.variation for t in tracks] == [0, 1]
    decoded = []
    for track in tracks:
        samples, rate = decode(track.audio.path)
        assert abs(len(samples) / rate - track.duration) < 0.1
        assert track.duration >= 30
        assert rms_dbfs(samples) > -30  # music, not silence
        assert track.cover and os.path.getsize(track.cover.path) > 1000
        decoded.append(samples)
    n = min(len(decoded[0]), len(decoded[1]))
    assert not (decoded[0][:n] == decoded[1][:n]).all()  # two different takes
    assert generation.text_at <= generation.first_at <= generation.finished_at


def test_a_take_streams_from_the_worker_to_the_web_while_it_is_made(worker, owner_client):
    """The worker writes the take into the shared media directory; the web process (this
    test's client) follows it from TEXT_SUCCESS on and gets exactly the finished file."""
    response = owner_client.post("/create/", {"idea": "a bright house song about summer", "model": "V4_5"})
    assert response.status_code == 302
    generation = Generation.objects.get()
    deadline = time.monotonic() + 180
    while generation.status == Status.PENDING and time.monotonic() < deadline:
        assert worker.poll() is None, output(worker)
        time.sleep(0.02)
        generation.refresh_from_db()
    assert generation.status != Status.PENDING
    streamed = {}
    for v in (0, 1):
        got = owner_client.get(f"/generations/{generation.pk}/takes/{v}/stream.mp3")
        assert got.status_code in (200, 206)
        streamed[v] = b"".join(got.streaming_content)
    _wait_until_final(generation, worker)
    assert generation.status == Status.SUCCESS, generation.error_message
    for track in generation.tracks.all():
        with open(track.audio.path, "rb") as fh:
            assert streamed[track.variation] == fh.read()
    assert not (settings.MEDIA_ROOT / "streams" / generation.id.hex).exists()  # tidied once in the library
