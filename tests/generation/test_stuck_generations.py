"""No generation stays unfinished for good: a job stopped by the timeout fails with a reason,
a job whose worker was killed is taken over, and the reaper settles whatever is left."""
import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.tasks import async_task

from studio.generation.models import Generation, Status, holding_limit
from tests.generation.workers import start_cluster, stop_cluster, wait_until, wait_until_final

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

IDEA = {"idea": "a slow ballad about a lighthouse keeper", "model": "V4_5"}
# A song far longer than the impatient worker's second: a warm engine (the cluster preloads
# it) renders an idea's two takes in about two seconds, which a 2 s limit did not always stop.
LONG_SONG = {"mode": "custom", "title": "Keeper", "style": "slow ballad, 70 bpm", "model": "V4_5",
             "lyrics": "\n\n".join(
                 f"[{part}]\n" + "\n".join(f"The light turns over the water, line {n}"
                                            for n in range(6))
                 for part in ["Verse", "Chorus", "Verse", "Chorus", "Bridge", "Verse",
                              "Chorus", "Verse", "Chorus", "Outro"])}


@pytest.fixture
def impatient_worker(settings):
    process = start_cluster(settings, STUDIO_JOB_TIMEOUT="1")
    yield process
    stop_cluster(process)


def _files_under(root):
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


def test_a_job_stopped_by_the_timeout_fails_with_a_reason_and_leaves_nothing(
        impatient_worker, owner_client, settings):
    assert owner_client.post("/create/", LONG_SONG).status_code == 302
    generation = Generation.objects.get()
    wait_until_final(generation, impatient_worker, seconds=120)

    assert generation.status == Status.GENERATE_AUDIO_FAILED, generation.tracks.values_list(
        "duration", flat=True)
    assert generation.error_message.startswith(
        "This song took longer than Studio allows (1 second) to make")
    assert not generation.tracks.exists()
    assert _files_under(settings.MEDIA_ROOT / "tracks") == []
    assert not (settings.MEDIA_ROOT / "streams" / generation.id.hex).exists()


def test_a_task_redelivered_after_its_worker_was_killed_finishes_the_generation(
        worker, owner_client):
    assert owner_client.post("/create/", IDEA).status_code == 302
    generation = Generation.objects.get()
    holder = wait_until(lambda: Generation.objects.get().claimed_by)
    os.kill(int(holder.split(" ")[-1]), signal.SIGKILL)  # mid-job, as the OOM killer would

    # The broker hands the unacknowledged task out again (after `retry` seconds; here at
    # once), long before the dead worker's claim is JOB_TIMEOUT old.
    async_task("studio.generation.tasks.run_generation", str(generation.pk))
    wait_until_final(generation, worker)

    assert generation.status == Status.SUCCESS, generation.error_message
    assert generation.attempts == 2 and generation.claimed_by != holder
    tracks = list(generation.tracks.order_by("variation"))
    assert [t.variation for t in tracks] == [0, 1]
    assert all(os.path.getsize(t.audio.path) > 10_000 for t in tracks)


def test_the_scheduled_reaper_retries_a_generation_abandoned_on_another_machine(
        worker, owner):
    generation = Generation.objects.create(
        owner=owner, params={"prompt": "a waltz for a lost glove", "model": "V4_5"},
        status=Status.TEXT_SUCCESS, attempts=1, claimed_by="elsewhere pid:[1] 4242",
        claimed_at=timezone.now() - holding_limit() - timedelta(seconds=5))
    # Nothing queued for it: only the reaper, on django-q2's schedule, can move it.
    wait_until_final(generation, worker, seconds=180)

    assert generation.status == Status.SUCCESS, generation.error_message
    assert generation.attempts == 2
    assert generation.tracks.count() == 2
