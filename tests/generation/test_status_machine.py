import pytest

from studio.generation.models import FINAL, Generation, Status, predecessors

pytestmark = pytest.mark.django_db


@pytest.fixture
def generation(owner):
    return Generation.objects.create(owner=owner, params={"prompt": "rain"})


def test_moves_forward_through_every_stage(generation):
    for status in (Status.TEXT_SUCCESS, Status.FIRST_SUCCESS, Status.SUCCESS):
        assert generation.advance(status)
        generation.refresh_from_db()
        assert generation.status == status
    assert generation.text_at and generation.first_at and generation.finished_at


def test_never_moves_backwards(generation):
    assert generation.advance(Status.FIRST_SUCCESS)
    assert not generation.advance(Status.TEXT_SUCCESS)
    generation.refresh_from_db()
    assert generation.status == Status.FIRST_SUCCESS


def test_repeating_a_stage_is_harmless(generation):
    assert generation.advance(Status.TEXT_SUCCESS)
    first_stamp = Generation.objects.get(pk=generation.pk).text_at
    assert not generation.advance(Status.TEXT_SUCCESS)
    assert Generation.objects.get(pk=generation.pk).text_at == first_stamp


def test_may_skip_stages_like_the_vendors_do(generation):
    assert generation.advance(Status.SUCCESS)
    assert Generation.objects.get(pk=generation.pk).status == Status.SUCCESS


def test_a_final_status_is_final(generation):
    assert generation.advance(Status.SUCCESS)
    assert not generation.fail("too late")
    assert not generation.advance(Status.FIRST_SUCCESS)
    generation.refresh_from_db()
    assert generation.status == Status.SUCCESS and generation.error_message == ""


def test_failure_records_code_and_message(generation):
    generation.advance(Status.TEXT_SUCCESS)
    assert generation.fail("The upload is silent.", code=501)
    generation.refresh_from_db()
    assert generation.status == Status.GENERATE_AUDIO_FAILED
    assert (generation.error_code, generation.error_message) == (501, "The upload is silent.")
    assert generation.finished_at is not None


def test_a_stale_object_cannot_overwrite_a_newer_status(generation):
    stale = Generation.objects.get(pk=generation.pk)
    generation.advance(Status.SUCCESS)
    assert not stale.advance(Status.FIRST_SUCCESS)
    assert stale.status == Status.SUCCESS  # it learned the truth from the database


@pytest.mark.parametrize("status", [s for s in Status])
def test_no_status_can_be_entered_from_itself_or_a_final_status(status):
    allowed = predecessors(status)
    assert status.value not in allowed
    assert not FINAL & set(allowed)


def test_only_one_worker_claims_a_generation(generation):
    twin = Generation.objects.get(pk=generation.pk)
    assert generation.claim()
    assert not twin.claim()


def test_a_claim_abandoned_past_the_longest_a_job_may_run_can_be_taken_over(generation):
    from datetime import timedelta

    from django.utils import timezone

    from studio.generation.models import holding_limit

    assert generation.claim()
    Generation.objects.filter(pk=generation.pk).update(
        claimed_at=timezone.now() - holding_limit() - timedelta(seconds=1))
    assert Generation.objects.get(pk=generation.pk).claim()


def test_a_claim_just_past_the_timeout_still_holds_while_its_worker_may_be_cleaning_up(
        generation, settings):
    from datetime import timedelta

    from django.utils import timezone

    assert generation.claim()  # by this test's process, which is alive
    Generation.objects.filter(pk=generation.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=settings.JOB_TIMEOUT + 1))
    assert not Generation.objects.get(pk=generation.pk).claim()


def test_a_finished_generation_cannot_be_claimed(generation):
    generation.advance(Status.SUCCESS)
    assert not generation.claim()
