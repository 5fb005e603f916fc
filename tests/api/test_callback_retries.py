"""A callback's retries wait in the broker, never in a worker: receivers that keep failing do
not keep a new song from its worker, and each attempt is still made, recorded and ended
(delivered, or failed after three), with a stage's later stages waiting behind its retry."""
from datetime import timedelta

import pytest
from django.utils import timezone

from studio.api.models import CallbackDelivery
from studio.generation.models import Generation, Status
from tests.api.conftest import Receiver
from tests.api.factories import api_generation, finish_by_hand
from tests.factories import make_track
from tests.generation.workers import output, start_cluster, stop_cluster, wait_until

SONG = {"customMode": False, "instrumental": False, "model": "V4_5", "prompt": "a harbour song"}


def attempts_by_task(requests) -> dict[str, list[dict]]:
    """Each callback task's POSTs, in the order they arrived."""
    by_task = {}
    for request in sorted(requests, key=lambda r: r["at"]):
        data = request["body"]["data"]
        by_task.setdefault(data["task_id"], []).append(request)
    return by_task


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_new_song_is_taken_while_failing_callbacks_wait_for_their_retries(
        settings, loopback_allowed, api, owner):
    broken = Receiver(status=500)
    worker = start_cluster(settings, STUDIO_WORKERS="2", STUDIO_OUTBOUND_ALLOW="127.0.0.1",
                           STUDIO_CALLBACK_BACKOFF="4,4")
    try:
        # Stage callbacks of four songs and the single callbacks of four WAV tasks, all failing.
        for _ in range(4):
            api_generation(owner, callback_url=broken.url + "/hook").advance(Status.TEXT_SUCCESS)
        for source in (finish_by_hand(api_generation(owner)) for _ in range(2)):
            for track in source.tracks.all():
                answer = api.post("/api/v1/wav/generate", {
                    "taskId": source.task_id, "audioId": str(track.id),
                    "callBackUrl": broken.url + "/wav"}).json()
                assert answer["code"] == 200, answer
        wait_until(lambda: len(broken.requests) >= 8, seconds=120)
        song = Generation.objects.get(pk=api.post("/api/v1/generate", SONG).json()["data"]["taskId"])
        wait_until(lambda: Generation.objects.get(pk=song.pk).claimed_at, seconds=120)
        wait_until(lambda: len(broken.requests) == 24, seconds=120)
        taken = Generation.objects.get(pk=song.pk).claimed_at.timestamp()
        wait_until(lambda: CallbackDelivery.objects.filter(failed_at__isnull=False).count() == 4,
                   seconds=30)
        log = output(worker)
    finally:
        stop_cluster(worker)
        broken.close()
    by_task = attempts_by_task(broken.requests)
    assert len(by_task) == 8 and all(len(sent) == 3 for sent in by_task.values())
    # Every first attempt came before the song was asked for; every retry after it was taken.
    assert min(sent[1]["at"] for sent in by_task.values()) > taken, log
    deliveries = CallbackDelivery.objects.all()
    assert all(d.attempts == 3 and d.last_status_code == 500 and "HTTP 500" in d.last_error
               and not d.delivered_at for d in deliveries)
    # The same body each time, signed afresh.
    for sent in by_task.values():
        assert len({str(r["body"]) for r in sent}) == 1
        assert all(r["headers"]["X-Webhook-Signature"] for r in sent)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_later_stage_waits_while_an_earlier_one_waits_for_its_retry(settings, loopback_allowed,
                                                                      owner):
    flaky = Receiver(status=503, then=200)
    worker = start_cluster(settings, STUDIO_OUTBOUND_ALLOW="127.0.0.1",
                           STUDIO_CALLBACK_BACKOFF="2")
    try:
        generation = api_generation(owner, callback_url=flaky.url + "/hook")
        generation.advance(Status.TEXT_SUCCESS)
        text = wait_until(lambda: CallbackDelivery.objects.filter(attempts=1, retry_at__isnull=False)
                          .first(), seconds=120)
        make_track(owner, generation=generation, variation=0)
        generation.advance(Status.FIRST_SUCCESS)
        wait_until(lambda: len(flaky.requests) == 3, seconds=120)
        wait_until(lambda: CallbackDelivery.objects.filter(delivered_at__isnull=False).count() == 2,
                   seconds=30)
    finally:
        stop_cluster(worker)
        flaky.close()
    sent = sorted(flaky.requests, key=lambda r: r["at"])
    assert [r["body"]["data"]["callbackType"] for r in sent] == ["text", "text", "first"]
    # The retry came no sooner than it was due, and the later stage only after it.
    assert sent[1]["at"] >= text.retry_at.timestamp() and sent[2]["at"] >= sent[1]["at"]
    text.refresh_from_db()
    first = CallbackDelivery.objects.get(stage="first")
    assert text.attempts == 2 and text.delivered_at and text.last_status_code == 200
    assert first.attempts == 1 and first.delivered_at > text.delivered_at


def test_a_stage_claimed_by_a_worker_that_died_is_delivered_with_the_next(
        owner, receiver, django_capture_on_commit_callbacks):
    generation = api_generation(owner, callback_url=receiver.url + "/hook")
    CallbackDelivery.objects.create(generation=generation, stage="text", url=generation.callback_url,
                                    claimed_at=timezone.now() - timedelta(hours=1))
    Generation.objects.filter(pk=generation.pk).update(status=Status.TEXT_SUCCESS)
    generation.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        make_track(owner, generation=generation, variation=0)
        generation.advance(Status.FIRST_SUCCESS)
    assert [r["body"]["data"]["callbackType"] for r in receiver.requests] == ["text", "first"]
    assert all(d.delivered_at and d.attempts == 1
               for d in CallbackDelivery.objects.filter(generation=generation))


def _wav_called_back_to(receiver, api, owner, capture) -> None:
    """A WAV of a finished song, its callback sent to `receiver` (closed after)."""
    try:
        source = finish_by_hand(api_generation(owner))
        with capture(execute=True):
            api.post("/api/v1/wav/generate", {"taskId": source.task_id,
                                              "audioId": str(source.tracks.first().id),
                                              "callBackUrl": receiver.url + "/wav"})
    finally:
        receiver.close()


def test_a_feature_callback_is_retried_until_the_receiver_takes_it(
        api, owner, loopback_allowed, django_capture_on_commit_callbacks):
    flaky = Receiver(status=503, then=200)
    _wav_called_back_to(flaky, api, owner, django_capture_on_commit_callbacks)
    assert len(flaky.requests) == 2
    assert flaky.requests[0]["body"] == flaky.requests[1]["body"]


def test_a_feature_callback_ends_after_three_failed_attempts(
        api, owner, loopback_allowed, django_capture_on_commit_callbacks):
    broken = Receiver(status=500)
    _wav_called_back_to(broken, api, owner, django_capture_on_commit_callbacks)
    assert len(broken.requests) == 3
