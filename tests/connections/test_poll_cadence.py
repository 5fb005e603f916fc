"""The poller at each task's own step, with a real worker (qcluster): a song tracked by
polling alone is asked about every few seconds (never more than 3 times a second), not once a
minute, and no worker waits in between; a song stuck at the vendor ends failed by the reaper
even when the poller's jobs are lost."""
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Task

from studio.connections import tracking
from studio.connections.models import UpstreamTask
from studio.generation import reaper
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


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_polling_alone_follows_each_task_at_its_own_step_without_holding_a_worker(
        owner, connection, vendor, settings):  # noqa: F811
    vendor.on(GENERATE, MADE)
    vendor.on(RECORD, record("PENDING"), record("TEXT_SUCCESS"),
              record("FIRST_SUCCESS", takes(vendor, ids=("a1",))),
              record("SUCCESS", takes(vendor)))
    cluster = start_cluster(settings, STUDIO_UPSTREAM_POLL="0.5,1,2",
                            STUDIO_OUTBOUND_ALLOW="127.0.0.1", STUDIO_BASE_URL="http://127.0.0.1:9")
    try:
        generation = song(owner, connection)
        wait_until_final(generation, cluster, seconds=60)
        finished = time.time()
        assert generation.status == Status.SUCCESS, output(cluster)
    finally:
        stop_cluster(cluster)
    started = vendor.sent(GENERATE)[0]["at"]  # the worker is up: the song is at the vendor
    asked = [r["at"] for r in vendor.sent(RECORD)]
    gaps = [b - a for a, b in zip(asked, asked[1:], strict=False)]
    # Four answers, four questions, each at its step (0.5 s, then 1 s after nothing new,
    # 0.5 s after each move), where the schedule alone would have asked once a minute.
    assert len(asked) == 4, gaps
    assert all(gap >= 1 / 3 for gap in gaps) and all(gap < 2.5 for gap in gaps), gaps
    assert finished - started < 6, (asked[0] - started, gaps, finished - asked[-1])
    # No worker waited between polls: the jobs' own run time is a fraction of the song's.
    held = sum((t.stopped - t.started).total_seconds() for t in Task.objects.all())
    assert held < (finished - started) / 2, (held, finished - started)


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
                pk=g.pk).exclude(vendor_task_id="").exists(), seconds=60)
    finally:
        stop_cluster(cluster)
    sent = [r["at"] for r in vendor.sent(GENERATE)]
    assert len(sent) == 3
    assert sent[1] - sent[0] < 5 and 10 <= sent[2] - sent[0] < 15  # two, then the third's turn
    held = [(t.stopped - t.started).total_seconds() for t in Task.objects.all()]
    assert max(held) < 3, held  # the third waited in the broker, not in a worker


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_callbacks_is_merged_by_a_few_jobs_not_one_each(
        owner, connection, vendor, settings, client):  # noqa: F811
    vendor.on(GENERATE, MADE)
    cluster = start_cluster(settings, STUDIO_UPSTREAM_POLL="60",
                            STUDIO_OUTBOUND_ALLOW="127.0.0.1", STUDIO_BASE_URL="http://127.0.0.1:9")
    try:
        songs = [song(owner, connection) for _ in range(3)]
        tokens = [wait_until(lambda g=g: UpstreamTask.objects.filter(pk=g.pk).exclude(
            vendor_task_id="").values_list("callback_token", flat=True).first(), seconds=60)
            for g in songs]
        for token in tokens:
            for body in (callback("text", []), callback("complete", takes(vendor, snake=True))):
                assert client.post(f"/engines/callbacks/{token}", body,
                                   content_type="application/json").status_code == 200
        posted = time.time()
        for generation in songs:
            wait_until_final(generation, cluster, seconds=60)
            assert generation.status == Status.SUCCESS, output(cluster)
        merged = time.time()
    finally:
        stop_cluster(cluster)
    batches = Task.objects.filter(func="studio.connections.tasks.poll").count()
    assert 1 <= batches < 6  # six callbacks
    assert merged - posted < 10


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
