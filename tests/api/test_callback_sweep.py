"""A callback attempt whose queued task was lost (a Redis broker flushed, a restart, a crash
between recording an attempt and queuing the next) is still made: every minute the sweep
queues again each attempt overdue by its grace that no task holds, once, a stage's in its
generation's order and a feature task's alike, its first attempt as its retries."""
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_q.models import Schedule

from studio.api import callbacks, tasks
from studio.api.models import CallbackDelivery, FeatureCallback
from studio.generation.models import Status
from studio.library import claims, cover_art, videos, wavs
from studio.library.models import CoverArt, CoverArtStatus, MusicVideo, Stems, VideoStatus
from tests import broker
from tests.api.conftest import Receiver
from tests.api.factories import api_generation, finish_by_hand
from tests.broker import lose, queued
from tests.factories import audio_bytes, make_track
from tests.generation.workers import output, start_cluster, stop_cluster, wait_until

STAGE_RETRY = "studio.api.tasks.deliver_callback_again"
# A feature task's callback attempt, its first (callbacks.owe) or a retry.
FEATURE_RETRY = "studio.api.tasks.deliver_feature_callback_again"
STEMS = "/api/v1/vocal-removal/generate"
MIDI = "/api/v1/midi/generate"
pytestmark = pytest.mark.usefixtures("empty_broker")


def overdue(model, **where) -> None:
    """Its retry was due longer ago than the sweep's grace."""
    assert model.objects.filter(**where).update(
        retry_at=timezone.now() - callbacks.GRACE - timedelta(seconds=1)) == 1


def kinds(receiver) -> list[str]:
    return [r["body"]["data"].get("callbackType", r["path"]) for r in
            sorted(receiver.requests, key=lambda r: r["at"])]


@pytest.fixture(autouse=True)
def _retries_an_hour_away(loopback_allowed, settings):
    # Receivers on 127.0.0.1; whatever is sent again, the sweep sent: no retry falls due.
    settings.STUDIO_CALLBACK_BACKOFF = [3600.0]


@pytest.fixture
def flaky():
    server = Receiver(status=503, then=200)
    yield server
    server.close()


def kept_stems(owner) -> Stems:
    """A finished separation of a take the local engine composed, its stems kept: a new
    stems request for the take is done at once, and MIDI can be made from it at once."""
    track = make_track(owner, generation=api_generation(owner, status=Status.SUCCESS))
    files = {"vocals": "stem-vocals.flac", "instrumental": "stem-instrumental.flac"}
    for name in files.values():
        track.audio.storage.save(f"{track.folder}/{name}", ContentFile(audio_bytes("flac")))
    return Stems.objects.create(owner=owner, track=track, status=Stems.Status.SUCCESS, files=files)


def ask_stems_and_midi(api, separated: Stems, url: str) -> tuple[str, str]:
    """A stems task (done at once) and a MIDI task, each with a callBackUrl; their taskIds."""
    track = separated.track
    stems = api.post(STEMS, {"taskId": track.generation.task_id, "audioId": str(track.id),
                             "callBackUrl": url + "/stems"}).json()
    midi = api.post(MIDI, {"taskId": separated.task_id, "callBackUrl": url + "/midi"}).json()
    assert stems["code"] == midi["code"] == 200, (stems, midi)
    return stems["data"]["taskId"], midi["data"]["taskId"]


def test_the_sweep_runs_every_minute_on_the_scheduler(db):
    schedule = Schedule.objects.get(name=callbacks.SCHEDULE)
    assert schedule.func == "studio.api.tasks.sweep_callbacks"
    assert schedule.schedule_type == Schedule.MINUTES and schedule.minutes == 1
    assert schedule.repeats == -1


def test_a_stage_whose_retry_was_lost_is_delivered_by_the_sweep(owner, flaky, settings):
    generation = api_generation(owner, callback_url=flaky.url + "/hook")
    settings.JOBS_SYNC = False  # queued, as a worker queues it; no worker runs it
    generation.advance(Status.TEXT_SUCCESS)
    callbacks.deliver_all(generation.pk)  # the worker's first attempt: 503
    assert lose(STAGE_RETRY) == 1
    settings.JOBS_SYNC = True
    assert callbacks.sweep() == 0  # not overdue yet: its task may only be late
    overdue(CallbackDelivery, generation=generation)
    assert callbacks.sweep() == 1
    assert kinds(flaky) == ["text", "text"]
    delivery = CallbackDelivery.objects.get(generation=generation)
    assert delivery.attempts == 2 and delivery.delivered_at and delivery.last_status_code == 200


def test_the_stages_behind_a_lost_retry_follow_it_in_order(owner, flaky, settings):
    generation = api_generation(owner, callback_url=flaky.url + "/hook")
    settings.JOBS_SYNC = False
    generation.advance(Status.TEXT_SUCCESS)
    callbacks.deliver_all(generation.pk)
    lose(STAGE_RETRY)
    make_track(owner, generation=generation, variation=0)
    generation.advance(Status.FIRST_SUCCESS)
    callbacks.deliver_all(generation.pk)  # the first stage's task: it waits behind text
    assert kinds(flaky) == ["text"]
    settings.JOBS_SYNC = True
    overdue(CallbackDelivery, generation=generation, stage="text")
    assert callbacks.sweep() == 1  # one task for the generation: it takes both, in order
    assert kinds(flaky) == ["text", "text", "first"]
    assert all(d.delivered_at for d in CallbackDelivery.objects.filter(generation=generation))


def test_a_stage_whose_first_task_was_lost_is_delivered_by_the_sweep(owner, receiver, settings):
    generation = api_generation(owner, callback_url=receiver.url + "/hook")
    settings.JOBS_SYNC = False
    generation.advance(Status.TEXT_SUCCESS)  # its task queued, then lost
    CallbackDelivery.objects.update(created_at=timezone.now() - callbacks.GRACE - timedelta(seconds=1))
    settings.JOBS_SYNC = True
    assert callbacks.sweep() == 1
    assert kinds(receiver) == ["text"]
    assert CallbackDelivery.objects.get(generation=generation).attempts == 1


def test_a_lost_retry_is_queued_once(owner, flaky, settings):
    generation = api_generation(owner, callback_url=flaky.url + "/hook")
    settings.JOBS_SYNC = False
    generation.advance(Status.TEXT_SUCCESS)
    callbacks.deliver_all(generation.pk)
    lose(STAGE_RETRY)
    overdue(CallbackDelivery, generation=generation)
    assert callbacks.sweep() == 1
    assert callbacks.sweep() == 0  # queued already: the next sweep gives it another grace
    assert queued() == ["studio.api.tasks.deliver_callbacks"]
    assert len(flaky.requests) == 1


@pytest.mark.parametrize("claimed, swept", [(timedelta(0), 0), (timedelta(hours=1), 1)])
def test_a_retry_held_by_a_live_task_is_left_to_it_and_one_of_a_dead_worker_is_not(
        owner, flaky, settings, claimed, swept):
    generation = api_generation(owner, callback_url=flaky.url + "/hook")
    settings.JOBS_SYNC = False
    generation.advance(Status.TEXT_SUCCESS)
    callbacks.deliver_all(generation.pk)
    lose(STAGE_RETRY)
    overdue(CallbackDelivery, generation=generation)
    CallbackDelivery.objects.update(claimed_at=timezone.now() - claimed)
    settings.JOBS_SYNC = True
    assert callbacks.sweep() == swept
    assert len(flaky.requests) == 1 + swept


def test_a_feature_callback_whose_retry_was_lost_is_delivered_by_the_sweep(
        api, owner, flaky, settings, django_capture_on_commit_callbacks):
    source = finish_by_hand(api_generation(owner))
    settings.JOBS_SYNC = False
    with django_capture_on_commit_callbacks(execute=True):
        task_id = api.post("/api/v1/wav/generate", {
            "taskId": source.task_id, "audioId": str(source.tracks.first().id),
            "callBackUrl": flaky.url + "/wav"}).json()["data"]["taskId"]
    with django_capture_on_commit_callbacks(execute=True):
        wavs.make(task_id)  # the worker's job: the WAV, its callback owed with it
    waiting = FeatureCallback.objects.get()
    assert waiting.task_id == task_id and waiting.attempts == 0
    assert lose(FEATURE_RETRY) == 1  # the first attempt's task, run here
    tasks.deliver_feature_callback_again(waiting.pk, 1)
    waiting.refresh_from_db()
    assert waiting.attempts == 1 and "HTTP 503" in waiting.last_error
    assert lose(FEATURE_RETRY) == 1
    settings.JOBS_SYNC = True
    assert callbacks.sweep() == 0
    overdue(FeatureCallback, pk=waiting.pk)
    assert callbacks.sweep() == 1
    assert kinds(flaky) == ["/wav", "/wav"]
    assert flaky.requests[0]["body"] == flaky.requests[1]["body"]
    assert not FeatureCallback.objects.exists()  # delivered: nothing waits any more


def test_a_feature_callback_is_given_up_after_its_third_attempt_however_it_was_queued(
        owner, settings):
    broken = Receiver(status=500)
    try:
        settings.JOBS_SYNC = False
        callbacks.post_once(broken.url + "/lyrics", {"code": 200}, owner, "a-lyrics-task")
        for attempt in (2, 3):
            lose(FEATURE_RETRY)
            overdue(FeatureCallback, task_id="a-lyrics-task")
            assert callbacks.sweep() == 1
            assert lose() == 1
            callbacks.post_again(FeatureCallback.objects.get().pk, attempt)  # its task, run
    finally:
        broken.close()
    assert len(broken.requests) == 3
    assert not FeatureCallback.objects.exists() and callbacks.sweep() == 0


def test_a_stems_and_a_midi_callback_whose_first_task_was_lost_are_delivered_by_the_sweep(
        api, owner, receiver, settings, django_capture_on_commit_callbacks):
    separated = kept_stems(owner)
    settings.JOBS_SYNC = False  # queued on commit, as the web process queues them
    with django_capture_on_commit_callbacks(execute=True):
        stems, midi = ask_stems_and_midi(api, separated, receiver.url)
    # Owed with the result: each waits in its row for its first attempt.
    assert sorted(FeatureCallback.objects.values_list("task_id", "attempts")) == sorted(
        [(stems, 0), (midi, 0)])
    assert lose(FEATURE_RETRY) == 2 and not queued()
    settings.JOBS_SYNC = True
    assert callbacks.sweep() == 0  # not overdue yet: their tasks may only be late
    for task_id in (stems, midi):
        overdue(FeatureCallback, task_id=task_id)
    assert callbacks.sweep() == 2
    sent = {r["path"]: r["body"] for r in receiver.requests}
    assert len(receiver.requests) == 2 and sent.keys() == {"/stems", "/midi"}
    assert sent["/stems"]["data"]["task_id"] == stems and sent["/stems"]["code"] == 200
    assert sent["/stems"]["data"]["vocal_removal_info"]["vocal_url"]
    assert sent["/midi"]["task_id"] == midi and sent["/midi"]["data"]["instruments"]
    assert not FeatureCallback.objects.exists()  # delivered: nothing is owed any more
    assert callbacks.sweep() == 0 and len(receiver.requests) == 2


def test_a_lyrics_and_a_wav_callback_whose_first_task_was_lost_are_delivered_by_the_sweep(
        api, owner, receiver, settings, django_capture_on_commit_callbacks):
    source = finish_by_hand(api_generation(owner))
    settings.JOBS_SYNC = False  # queued on commit, as the web process queues them
    with django_capture_on_commit_callbacks(execute=True):
        lyrics = api.post("/api/v1/lyrics", {"prompt": "harbour lights at dawn",
                                             "callBackUrl": receiver.url + "/lyrics"}).json()
        wav = api.post("/api/v1/wav/generate", {
            "taskId": source.task_id, "audioId": str(source.tracks.first().id),
            "callBackUrl": receiver.url + "/wav"}).json()
    lyrics, wav = lyrics["data"]["taskId"], wav["data"]["taskId"]
    with django_capture_on_commit_callbacks(execute=True):
        assert broker.run() == 2  # their jobs, as a worker runs them
    # Each callback is owed with its task's end, no attempt made yet: a worker killed now
    # loses nothing.
    assert receiver.requests == []
    assert sorted(FeatureCallback.objects.values_list("task_id", "attempts")) == sorted(
        [(lyrics, 0), (wav, 0)])
    assert lose(FEATURE_RETRY) == 2 and not queued()
    settings.JOBS_SYNC = True
    assert callbacks.sweep() == 0  # not overdue yet: their tasks may only be late
    for task_id in (lyrics, wav):
        overdue(FeatureCallback, task_id=task_id)
    assert callbacks.sweep() == 2
    sent = {r["path"]: r["body"] for r in receiver.requests}
    assert len(receiver.requests) == 2 and sent.keys() == {"/lyrics", "/wav"}
    sheets = api.get("/api/v1/lyrics/record-info", {"taskId": lyrics}).json()["data"]
    assert sent["/lyrics"]["data"]["taskId"] == lyrics and sent["/lyrics"]["code"] == 200
    assert [s["text"] for s in sent["/lyrics"]["data"]["data"]] == \
        [s["text"] for s in sheets["response"]["data"]]
    assert sent["/wav"]["data"]["task_id"] == wav and sent["/wav"]["data"]["audioWavUrl"].endswith(".wav")
    assert not FeatureCallback.objects.exists()  # delivered: nothing is owed any more
    assert callbacks.sweep() == 0 and len(receiver.requests) == 2


@pytest.mark.parametrize("model, announce, failed", [
    (MusicVideo, videos.announce, VideoStatus.GENERATE_MP4_FAILED),
    (CoverArt, cover_art.announce, CoverArtStatus.GENERATE_COVER_FAILED)])
def test_a_video_or_cover_art_callback_whose_first_task_was_lost_is_delivered_by_the_sweep(
        owner, receiver, settings, django_capture_on_commit_callbacks, model, announce, failed):
    task = model.objects.create(owner=owner, track=make_track(owner),
                                callback_url=receiver.url + "/made")
    settings.JOBS_SYNC = False
    with django_capture_on_commit_callbacks(execute=True):  # the worker's end, as the reaper's
        assert claims.finish(model, task.pk, announce, status=failed, error_message="It broke.")
    assert lose(FEATURE_RETRY) == 1
    settings.JOBS_SYNC = True
    overdue(FeatureCallback, task_id=task.task_id)
    assert callbacks.sweep() == 1
    [sent] = receiver.requests
    assert sent["path"] == "/made" and sent["body"]["msg"] == "It broke."
    assert not FeatureCallback.objects.exists()


def test_a_first_task_only_late_delivers_once_with_the_one_the_sweep_queued(
        api, owner, receiver, settings, django_capture_on_commit_callbacks):
    separated = kept_stems(owner)
    settings.JOBS_SYNC = False
    with django_capture_on_commit_callbacks(execute=True):
        ask_stems_and_midi(api, separated, receiver.url)
    stems = FeatureCallback.objects.get(url=receiver.url + "/stems")
    FeatureCallback.objects.filter(url=receiver.url + "/midi").update(claimed_at=timezone.now())
    for waiting in FeatureCallback.objects.all():
        overdue(FeatureCallback, pk=waiting.pk)
    # The MIDI's task holds its attempt (a live worker is making it): it is left to it.
    assert callbacks.sweep() == 1
    assert queued() == [FEATURE_RETRY] * 3  # the stems' first task, late, and the sweep's
    for _run in range(2):  # both run after all: the second finds the attempt made
        tasks.deliver_feature_callback_again(stems.pk, 1)
    assert [r["path"] for r in receiver.requests] == ["/stems"]
    assert not FeatureCallback.objects.filter(pk=stems.pk).exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_running_cluster_makes_the_retries_whose_tasks_were_lost(settings, api, owner):
    stages, wav = Receiver(status=503, then=200), Receiver(status=503, then=200)
    source = finish_by_hand(api_generation(owner))
    # Retries an hour away: whatever is sent again here, the sweep sent.
    worker = start_cluster(settings, STUDIO_OUTBOUND_ALLOW="127.0.0.1",
                           STUDIO_CALLBACK_BACKOFF="3600")
    try:
        generation = api_generation(owner, callback_url=stages.url + "/hook")
        generation.advance(Status.TEXT_SUCCESS)
        assert api.post("/api/v1/wav/generate", {
            "taskId": source.task_id, "audioId": str(source.tracks.first().id),
            "callBackUrl": wav.url + "/wav"}).json()["code"] == 200
        # The WAV's first attempt is a task of the same func as its retry: counted only once
        # acknowledged (the ORM broker keeps a taken task's row until its result is saved).
        wait_until(lambda: CallbackDelivery.objects.filter(attempts=1, retry_at__isnull=False)
                   and FeatureCallback.objects.filter(attempts=1).exists()
                   and (FEATURE_RETRY, 2) in {(f, a[-1]) for f, a in broker.queued_calls()}
                   and (FEATURE_RETRY, 1) not in {(f, a[-1]) for f, a in broker.queued_calls()},
                   seconds=120)
        assert lose(STAGE_RETRY) == 1 and lose(FEATURE_RETRY) == 1
        make_track(owner, generation=generation, variation=0)
        generation.advance(Status.FIRST_SUCCESS)  # its task finds text waiting, and leaves
        wait_until(lambda: not queued(), seconds=60)
        assert len(stages.requests) == len(wav.requests) == 1
        overdue(CallbackDelivery, stage="text")
        overdue(FeatureCallback, task_id__isnull=False)
        # Due now (the scheduler looks about every 30 s).
        Schedule.objects.filter(name=callbacks.SCHEDULE).update(next_run=timezone.now())
        wait_until(lambda: len(stages.requests) == 3 and len(wav.requests) == 2
                   and not FeatureCallback.objects.exists(), seconds=120, every=0.5)
        wait_until(lambda: CallbackDelivery.objects.filter(delivered_at__isnull=False).count() == 2,
                   seconds=30)
        log = output(worker)
    finally:
        stop_cluster(worker)
        stages.close()
        wav.close()
    assert kinds(stages) == ["text", "text", "first"], log
    assert wav.requests[0]["body"] == wav.requests[1]["body"]
    text = CallbackDelivery.objects.get(stage="text")
    assert text.attempts == 2 and text.last_status_code == 200
    assert "queued again: its task was lost" in log


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_running_cluster_delivers_first_stems_and_midi_callbacks_whose_tasks_were_lost(
        settings, api, owner):
    receiver = Receiver()
    separated = kept_stems(owner)
    settings.JOBS_SYNC = False  # through the broker, which loses them before a worker looks
    stems, midi = ask_stems_and_midi(api, separated, receiver.url)
    assert lose() == 2  # the two first attempts' tasks, all that was queued
    worker = start_cluster(settings, STUDIO_OUTBOUND_ALLOW="127.0.0.1",
                           STUDIO_CALLBACK_BACKOFF="3600")
    try:
        time.sleep(2)  # the cluster is up, and finds nothing queued
        assert receiver.requests == []
        FeatureCallback.objects.update(
            retry_at=timezone.now() - callbacks.GRACE - timedelta(seconds=1))
        Schedule.objects.filter(name=callbacks.SCHEDULE).update(next_run=timezone.now())
        wait_until(lambda: len(receiver.requests) == 2 and not FeatureCallback.objects.exists(),
                   seconds=120, every=0.5)
        wait_until(lambda: not queued(), seconds=30)
        time.sleep(1)  # anything else the worker was to send has been sent
        log = output(worker)
    finally:
        stop_cluster(worker)
        receiver.close()
    assert sorted(r["path"] for r in receiver.requests) == ["/midi", "/stems"], log
    sent = {r["path"]: r["body"] for r in receiver.requests}
    assert sent["/stems"]["data"]["task_id"] == stems and sent["/midi"]["task_id"] == midi
    assert log.count("queued again: its task was lost") == 2, log
