"""The reaper, run inline: what it does with each kind of generation nobody is making.
(tests/generation/test_stuck_generations.py runs it on a real cluster's schedule.)"""
from datetime import timedelta

import pytest
from django.utils import timezone

from studio.generation import reaper
from studio.generation.models import REQUEUED, Generation, Status, holding_limit, this_worker
from tests.factories import make_track

pytestmark = pytest.mark.django_db

IDEA = {"prompt": "a waltz for a lost glove", "model": "V4_5"}
ELSEWHERE = "another-machine pid:[1] 4242"


def _abandoned(owner, **fields):
    long_ago = timezone.now() - holding_limit() - timedelta(seconds=5)
    return Generation.objects.create(owner=owner, params=IDEA, **{
        "status": Status.TEXT_SUCCESS, "attempts": 1, "claimed_by": ELSEWHERE,
        "claimed_at": long_ago, **fields})


def test_a_generation_abandoned_once_is_made_again_from_scratch(
        owner, django_capture_on_commit_callbacks):
    generation = _abandoned(owner)
    half_made = make_track(owner, generation=generation, title="half made")

    with django_capture_on_commit_callbacks(execute=True):
        assert reaper.reap() == 1  # jobs run inline in these tests: requeued, then made

    generation.refresh_from_db()
    assert generation.status == Status.SUCCESS, generation.error_message
    assert generation.attempts == 2 and generation.claimed_by == this_worker()
    assert half_made.pk not in {t.pk for t in generation.tracks.all()}
    assert generation.tracks.count() == 2


def test_a_generation_whose_worker_died_on_both_attempts_fails_with_a_reason(owner):
    generation = _abandoned(owner, attempts=2)
    half_made = make_track(owner, generation=generation, title="half made")

    reaper.reap()

    generation.refresh_from_db()
    assert generation.status == Status.GENERATE_AUDIO_FAILED
    assert generation.error_message == reaper.GAVE_UP
    assert not generation.tracks.exists()
    assert not half_made.audio.storage.exists(half_made.audio.name)


def test_a_generation_a_live_worker_holds_is_left_alone(owner):
    generation = _abandoned(owner, claimed_by=this_worker(), claimed_at=timezone.now())
    assert reaper.reap() == 0
    generation.refresh_from_db()
    assert generation.status == Status.TEXT_SUCCESS and generation.attempts == 1


def test_a_claim_elsewhere_is_waited_for_until_no_job_could_still_run(owner):
    generation = _abandoned(owner, claimed_at=timezone.now() - timedelta(minutes=5))
    assert reaper.reap() == 0
    generation.refresh_from_db()
    assert generation.claimed_by == ELSEWHERE


def test_a_requeued_generation_is_not_requeued_again_while_it_waits_its_turn(owner, settings):
    settings.JOBS_SYNC = False  # it stays in the queue: no worker runs in this test
    generation = _abandoned(owner)
    assert reaper.reap() == 1
    generation.refresh_from_db()
    assert generation.claimed_by == REQUEUED and generation.attempts == 1
    assert reaper.reap() == 0
    assert generation.claim()  # the next task for it takes it at once
