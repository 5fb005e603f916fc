"""The poller at each task's own step, with a real worker (qcluster): a song tracked by
polling alone is asked about by batches queued for its step (never more than 3 times a
second), not by the minutely schedule, and no worker waits in between; callbacks are merged
as they land; a song stuck at the vendor ends failed by the reaper even when the poller's
jobs are lost. Nothing here asserts how long anything took: the order of events (a job ended
before the next question) and lower bounds that are the vendors' limits."""
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule, Task

from studio.connections import tracking
from studio.connections.models import UpstreamTask
from studio.generation import jobs, reaper
from studio.generation.models import Status
from tests.connections.test_tracking import (  # noqa: F401
    GENERATE,
    MADE,
    RECORD,
    callback,
    connection,
    record,
    song,
    submitted,
    takes,
    vendor,
)
from tests.generation.workers import output, start_cluster, stop_cluster, wait_until, wait_until_final


def test_the_pause_follows_the_ladder_and_never_beats_the_vendors_limit(settings):
    settings.STUDIO_UPSTREAM_POLL = [0.1, 2.0, 8.0]
    task = UpstreamTask(poll_step=1)
    assert tracking.pause(task, moved=True, trusted=False) == (0, 1 / 3)  # 3 a second at most
    assert tracking.pause(task, moved=False, trusted=False) == (2, 8.0)  # nothing new: slower
    assert tracking.pause(UpstreamTask(poll_step=2), moved=False, trusted=False) == (2, 8.0)
    assert tracking.pause(task, moved=True, trusted=True) == (2, 8.0)  # callbacks arrive


POLL = "studio.connections.tasks.poll"


def schedule_later() -> None:
    """Keep the minutely safety-net schedule out of the test: whatever polls, arm() queued."""
    assert Schedule.objects.filter(func=POLL).update(
        next_run=timezone.now() + timedelta(hours=1)) == 1


def jobs_that_asked(moments: list[float]) -> list[Task]:
    """The poll job that was running when the vendor got each question."""
    polls = list(Task.objects.filter(func=POLL))
    return [next(job for job in polls if job.started.timestamp() <= at <= job.stopped.timestamp())
            for at in moments]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_polling_alone_follows_each_task_at_its_own_step_without_holding_a_worker(
        owner, connection, vendor, settings):  # noqa: F811
    vendor.on(GENERATE, MADE)
    vendor.on(RECORD, record("PENDING"), record("TEXT_SUCCESS"),
              record("FIRST_SUCCESS", takes(vendor, ids=("a1",))),
              record("SUCCESS", takes(vendor)))
    schedule_later()
    cluster = start_cluster(settings, STUDIO_UPSTREAM_POLL="0.5,1,2",
                            STUDIO_OUTBOUND_ALLOW="127.0.0.1", STUDIO_BASE_URL="http://127.0.0.1:9")
    try:
        generation = song(owner, connection)
        wait_until_final(generation, cluster, seconds=120)
        assert generation.status == Status.SUCCESS, output(cluster)
    finally:
        stop_cluster(cluster)
    asked = [r["at"] for r in vendor.sent(RECORD)]
    gaps = [b - a for a, b in zip(asked, asked[1:], strict=False)]
    # Four answers, four questions: none more once the vendor said SUCCESS (the keep job
    # has the files to fetch, not the vendor more to say), and never 3 a second.
    assert len(asked) == 4, gaps
    assert all(gap >= 1 / 3 for gap in gaps), gaps
    # Each question came from its own batch, queued for the task's step (arm), not from the
    # minutely schedule, and that batch had ended before the next question: no worker
    # waited for the vendor in between.
    askers = jobs_that_asked(asked)
    assert len({job.id for job in askers}) == 4
    assert all(job.name.startswith("poll-") for job in askers), [j.name for j in askers]
    assert all(job.stopped.timestamp() < at for job, at in zip(askers, asked[1:], strict=False))
    # The files were kept by jobs of their own: one at FIRST_SUCCESS (the first take), and one
    # at SUCCESS unless the first was still running and kept the second take too.
    assert 1 <= Task.objects.filter(func=tracking.KEEP_JOB).count() <= 2


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_creates_over_the_vendors_limit_wait_their_turn_in_the_broker_not_in_a_worker(
        owner, connection, vendor, settings):  # noqa: F811
    vendor.on(GENERATE, MADE)
    vendor.on(RECORD, record("PENDING"))
    cluster = start_cluster(settings, STUDIO_UPSTREAM_CREATES="2", STUDIO_UPSTREAM_POLL="60",
                            STUDIO_OUTBOUND_ALLOW="127.0.0.1", STUDIO_BASE_URL="http://127.0.0.1:9")
    try:
        songs = [song(owner, connection) for _ in range(3)]
        for generation in songs:
            wait_until(lambda g=generation: UpstreamTask.objects.filter(
                pk=g.pk).exclude(vendor_task_id="").exists(), seconds=120)
    finally:
        stop_cluster(cluster)
    sent = [r["at"] for r in vendor.sent(GENERATE)]
    assert len(sent) == 3
    assert sent[2] - sent[0] >= 10  # the third waited for the vendor's 10 s window to move
    # ... in the broker, not in a worker: its submit job found no slot and left, and a second
    # job, queued for when the slot came, sent it.
    third = UpstreamTask.objects.order_by("-create_sent_at").first().generation_id
    runs = list(Task.objects.filter(func=jobs.UPSTREAM_JOB, name__startswith=f"generation-{third}")
                .order_by("started"))
    assert len(runs) == 2, [(r.name, r.started, r.stopped) for r in runs]
    assert runs[0].stopped < runs[1].started and runs[0].stopped.timestamp() < sent[2]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_callbacks_are_merged_as_they_land_and_each_songs_files_kept_by_one_job(
        owner, connection, vendor, settings, client):  # noqa: F811
    vendor.on(GENERATE, MADE)
    schedule_later()
    cluster = start_cluster(settings, STUDIO_UPSTREAM_POLL="600",
                            STUDIO_OUTBOUND_ALLOW="127.0.0.1", STUDIO_BASE_URL="http://127.0.0.1:9")
    try:
        songs = [song(owner, connection) for _ in range(3)]
        tokens = [wait_until(lambda g=g: UpstreamTask.objects.filter(pk=g.pk).exclude(
            vendor_task_id="").values_list("callback_token", flat=True).first(), seconds=120)
            for g in songs]
        # Once a song is playable the poller looks once more only when a keep job's lease
        # would lapse (tracking.KEEP_LEASE after it), to queue a keep that was lost: on a
        # machine loaded enough for this test to outlast that, such a look is no tracking.
        lease_lapses = timezone.now() + tracking.KEEP_LEASE
        for token, generation in zip(tokens, songs, strict=True):
            for body, status in ((callback("text", []), Status.TEXT_SUCCESS),
                                 (callback("complete", takes(vendor, snake=True)),
                                  Status.FIRST_SUCCESS)):
                assert client.post(f"/engines/callbacks/{token}", body,
                                   content_type="application/json").status_code == 200
                # Merged before the vendor had its answer: no job to wait for.
                generation.refresh_from_db()
                assert generation.status in (status, Status.SUCCESS)
            # Both takes play through Studio's link while the keep job fetches them.
            assert UpstreamTask.objects.get(pk=generation.pk).playable_at is not None
        for generation in songs:
            wait_until_final(generation, cluster, seconds=120)
            assert generation.status == Status.SUCCESS, output(cluster)
            assert generation.tracks.count() == 2
    finally:
        stop_cluster(cluster)
    assert Task.objects.filter(func=tracking.KEEP_JOB).count() == 3  # one a song
    # six callbacks, no tracking batch
    assert not Task.objects.filter(func=POLL, started__lt=lease_lapses).exists()
    assert [r for r in vendor.sent(RECORD) if r["at"] < lease_lapses.timestamp()] == []


def test_a_song_stuck_at_the_vendor_fails_by_the_reaper_alone(
        owner, connection, vendor, settings):  # noqa: F811
    generation = submitted(owner, connection, vendor)
    long_ago = timezone.now() - timedelta(seconds=settings.STUDIO_UPSTREAM_DEADLINE + 60)
    UpstreamTask.objects.filter(pk=generation.pk).update(progress_at=long_ago)
    generation.__class__.objects.filter(pk=generation.pk).update(created_at=long_ago)
    assert reaper.reap() == 1  # no poll ran: its job (and schedule) were lost
    generation.refresh_from_db()
    assert generation.status == Status.GENERATE_AUDIO_FAILED
    assert "no progress for 30 minutes" in generation.error_message
    assert UpstreamTask.objects.get(pk=generation.pk).next_poll_at is None


def test_the_reaper_leaves_a_song_the_vendor_is_still_making_to_it(
        owner, connection, vendor):  # noqa: F811
    generation = submitted(owner, connection, vendor)
    long_ago = timezone.now() - timedelta(hours=1)  # older than any job may run
    generation.__class__.objects.filter(pk=generation.pk).update(created_at=long_ago)
    assert reaper.reap() == 0
    generation.refresh_from_db()
    assert generation.status == Status.PENDING and generation.claimed_by == ""
    assert len(vendor.sent(GENERATE)) == 1
