"""Songs made at a vendor — here a second Studio on 127.0.0.1 with its own local engine —
through the create form: submitted once, tracked by callbacks (v1) or the poller (legacy),
and kept in this Studio's storage as real audio."""
import os
import time

import pytest

from studio.connections import tracking
from studio.connections.models import UpstreamTask
from studio.generation.models import Generation, Status
from tests.audio import decode, rms_dbfs
from tests.connections.conftest import connect

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def wait_until_final(generation, *, poll=False, seconds=240) -> Generation:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        generation.refresh_from_db()
        if generation.is_final:
            return generation
        if poll:
            UpstreamTask.objects.filter(pk=generation.pk).update(next_poll_at=None)
            UpstreamTask.objects.filter(pk=generation.pk).exclude(vendor_task_id="").update(
                next_poll_at="2000-01-01T00:00:00Z")
            tracking.poll()
        time.sleep(0.5)
    pytest.fail(f"still {generation.status} after {seconds} s")


def assert_kept_as_real_audio(generation, settings):
    tracks = list(generation.tracks.order_by("variation"))
    assert [t.variation for t in tracks] == [0, 1]
    for track in tracks:
        path = track.audio.path
        assert path.startswith(str(settings.MEDIA_ROOT))  # our storage, not a vendor link
        samples, rate = decode(path)
        assert abs(len(samples) / rate - track.duration) < 0.2
        assert track.duration > 10 and rms_dbfs(samples) > -30
        assert track.engine_id and len(track.peaks) == 200
        assert track.cover and os.path.getsize(track.cover.path) > 1000
    assert tracks[0].engine_id != tracks[1].engine_id
    return tracks


def test_a_song_made_through_a_v1_vendor_lands_in_the_library_by_callbacks(
        vendor_studio, studio_public, owner, owner_client, settings):
    connection = connect(owner, vendor_studio)
    response = owner_client.post("/create/", {
        "mode": "simple", "idea": "a bright folk song about a lighthouse", "model": "V4_5",
        "engine": str(connection.pk)})
    assert response.status_code == 302, response.content.decode()[:2000]
    generation = Generation.objects.get()
    assert generation.engine == connection.engine_name
    task = UpstreamTask.objects.get(pk=generation.pk)
    assert task.vendor_task_id and task.create_sent_at

    wait_until_final(generation)

    assert generation.status == Status.SUCCESS, generation.error_message
    assert generation.engine_task_id == task.vendor_task_id
    task.refresh_from_db()
    assert task.callbacks >= 3 and task.polls == 0  # the callbacks alone carried it
    tracks = assert_kept_as_real_audio(generation, settings)
    assert tracks[0].model_name  # as the vendor named it

    # Extending the vendor's take goes to the same vendor with its own id for it.
    response = owner_client.post("/create/", {
        "mode": "extend", "track": str(tracks[0].pk), "continue_at": "12", "model": "V4_5",
        "title": "Lighthouse, later", "style": "folk", "lyrics": "", "engine":
        str(connection.pk)})
    assert response.status_code == 302, response.content.decode()[:3000]
    extension = Generation.objects.exclude(pk=generation.pk).get()
    wait_until_final(extension)
    assert extension.status == Status.SUCCESS, extension.error_message
    children = assert_kept_as_real_audio(extension, settings)
    assert all(child.parent_id == tracks[0].pk for child in children)  # one family tree


def test_a_song_made_through_a_legacy_vendor_is_found_by_the_poller(
        vendor_studio, studio_public, owner, owner_client, settings):
    connection = connect(owner, vendor_studio, family="legacy", name="legacy vendor")
    # generate-music; the legacy dialect has no callbacks, so the poller alone follows it.
    response = owner_client.post("/create/", {
        "mode": "simple", "idea": "a slow song about rain on a window", "model": "V4",
        "engine": str(connection.pk)})
    assert response.status_code == 302, response.content.decode()[:2000]
    generation = Generation.objects.get()

    wait_until_final(generation, poll=True)

    assert generation.status == Status.SUCCESS, generation.error_message
    assert UpstreamTask.objects.get(pk=generation.pk).polls >= 1
    assert_kept_as_real_audio(generation, settings)
