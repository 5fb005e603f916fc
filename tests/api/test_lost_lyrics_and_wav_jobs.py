"""A lyrics or WAV task whose job was lost (a broker flushed, a worker killed while it made
it) does not stay PENDING: the reaper gives it to a new job, once, which makes it, and its
callback arrives once; lost again, it fails with the vendors' failure status, saying why in
record-info and in its callback."""
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from studio.api.models import FeatureCallback
from studio.generation import reaper, writing
from studio.generation.models import LyricsStatus, LyricsTask
from studio.library import wavs
from studio.library.models import WavConversion, WavStatus
from tests.api.conftest import Receiver
from tests.api.factories import api_generation, finish_by_hand
from tests.broker import lose, queued
from tests.generation.workers import output, start_cluster, stop_cluster, wait_until

pytestmark = pytest.mark.usefixtures("empty_broker")
LONG_AGO = timedelta(hours=2)  # longer than any job may run


def ask_for_lyrics_and_a_wav(api, owner, url: str) -> tuple[str, str]:
    """A lyrics task and a WAV task of a finished take, each with a callBackUrl; their
    taskIds."""
    source = finish_by_hand(api_generation(owner))
    lyrics = api.post("/api/v1/lyrics", {"prompt": "harbour lights at dawn",
                                         "callBackUrl": url + "/lyrics"}).json()
    wav = api.post("/api/v1/wav/generate", {"taskId": source.task_id,
                                            "audioId": str(source.tracks.first().id),
                                            "callBackUrl": url + "/wav"}).json()
    assert lyrics["code"] == wav["code"] == 200, (lyrics, wav)
    return lyrics["data"]["taskId"], wav["data"]["taskId"]


def records(api, lyrics: str, wav: str) -> tuple[dict, dict]:
    return (api.get("/api/v1/lyrics/record-info", {"taskId": lyrics}).json()["data"],
            api.get("/api/v1/wav/record-info", {"taskId": wav}).json()["data"])


def assert_made_and_called_back_once(api, receiver, lyrics: str, wav: str, log: str = ""):
    lyrics_record, wav_record = records(api, lyrics, wav)
    assert lyrics_record["status"] == "SUCCESS" and wav_record["successFlag"] == "SUCCESS", log
    assert sorted(r["path"] for r in receiver.requests) == ["/lyrics", "/wav"], log
    sent = {r["path"]: r["body"] for r in receiver.requests}
    assert sent["/lyrics"]["code"] == 200 and sent["/lyrics"]["data"]["taskId"] == lyrics
    assert [s["text"] for s in sent["/lyrics"]["data"]["data"]] == \
        [s["text"] for s in lyrics_record["response"]["data"]] != []
    assert sent["/wav"]["code"] == 200 and sent["/wav"]["data"]["task_id"] == wav
    assert wav_record["response"]["audioWavUrl"].endswith(".wav")
    assert not FeatureCallback.objects.exists()  # delivered: nothing is owed any more


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_running_cluster_makes_lyrics_and_a_wav_whose_jobs_were_lost(settings, loopback_allowed, api,
                                                                      owner):
    receiver = Receiver()
    settings.JOBS_SYNC = False  # through the broker, which loses them before a worker looks
    lyrics, wav = ask_for_lyrics_and_a_wav(api, owner, receiver.url)
    assert lose() == 2  # their two jobs, all that was queued
    for model, pk in ((LyricsTask, lyrics), (WavConversion, wav)):
        model.objects.filter(pk=pk).update(created_at=timezone.now() - LONG_AGO)
    # The reaper waits until the test says: first, the cluster finds nothing to do.
    Schedule.objects.filter(name=reaper.SCHEDULE).update(next_run=timezone.now() + LONG_AGO)
    worker = start_cluster(settings, STUDIO_OUTBOUND_ALLOW="127.0.0.1",
                           STUDIO_CALLBACK_BACKOFF="3600")
    try:
        time.sleep(3)
        assert receiver.requests == []
        lyrics_record, wav_record = records(api, lyrics, wav)
        assert lyrics_record["status"] == wav_record["successFlag"] == "PENDING"
        # Due now (the scheduler looks about every 30 s).
        Schedule.objects.filter(name=reaper.SCHEDULE).update(next_run=timezone.now())
        wait_until(lambda: len(receiver.requests) == 2 and not FeatureCallback.objects.exists(),
                   seconds=120, every=0.5)
        wait_until(lambda: not queued(), seconds=30)
        time.sleep(1)  # anything else the worker was to send has been sent
        log = output(worker)
    finally:
        stop_cluster(worker)
        receiver.close()
    assert_made_and_called_back_once(api, receiver, lyrics, wav, log)
    assert log.count("queued again: its job was lost or its worker died") == 2, log


def test_a_task_whose_worker_died_while_making_it_is_made_by_a_new_job(
        api, owner, receiver, settings, django_capture_on_commit_callbacks):
    settings.JOBS_SYNC = False  # queued, no worker: as on a server whose worker was killed
    lyrics, wav = ask_for_lyrics_and_a_wav(api, owner, receiver.url)
    for model, pk in ((LyricsTask, lyrics), (WavConversion, wav)):
        model.objects.filter(pk=pk).update(claimed_at=timezone.now() - LONG_AGO)
    settings.JOBS_SYNC = True
    with django_capture_on_commit_callbacks(execute=True):
        assert reaper.reap() == 2
    assert_made_and_called_back_once(api, receiver, lyrics, wav)
    for model, pk in ((LyricsTask, lyrics), (WavConversion, wav)):
        made = model.objects.get(pk=pk)
        assert made.requeued_at and made.claimed_at > made.requeued_at - timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reaper.reap() == 0
    assert len(receiver.requests) == 2


def test_a_task_lost_again_fails_saying_so_in_record_info_and_its_callback(
        api, owner, receiver, settings, django_capture_on_commit_callbacks):
    settings.JOBS_SYNC = False
    lyrics, wav = ask_for_lyrics_and_a_wav(api, owner, receiver.url)
    # Given a new job once already, whose worker died too.
    for model, pk in ((LyricsTask, lyrics), (WavConversion, wav)):
        model.objects.filter(pk=pk).update(claimed_at=timezone.now() - LONG_AGO,
                                           requeued_at=timezone.now() - LONG_AGO)
    settings.JOBS_SYNC = True
    with django_capture_on_commit_callbacks(execute=True):
        assert reaper.reap() == 2
        assert reaper.reap() == 0  # once
    lyrics_record, wav_record = records(api, lyrics, wav)
    assert lyrics_record["status"] == LyricsStatus.GENERATE_LYRICS_FAILED
    assert wav_record["successFlag"] == WavStatus.GENERATE_WAV_FAILED
    assert (lyrics_record["errorCode"], lyrics_record["errorMessage"]) == (501, writing.GAVE_UP)
    assert (wav_record["errorCode"], wav_record["errorMessage"]) == (501, wavs.GAVE_UP)
    sent = {r["path"]: r["body"] for r in receiver.requests}
    assert len(receiver.requests) == 2 and sent.keys() == {"/lyrics", "/wav"}
    assert sent["/lyrics"]["code"] == 501 and sent["/lyrics"]["msg"] == writing.GAVE_UP
    assert sent["/lyrics"]["data"]["callbackType"] == "error"
    assert sent["/wav"]["code"] == 501 and sent["/wav"]["msg"] == wavs.GAVE_UP


def test_a_task_given_a_new_job_lately_is_left_to_that_job(api, owner, receiver, settings):
    settings.JOBS_SYNC = False
    lyrics, wav = ask_for_lyrics_and_a_wav(api, owner, receiver.url)
    fresh, _ = ask_for_lyrics_and_a_wav(api, owner, receiver.url)
    # Its new job waits behind a long queue; the fresh task's first job does too.
    for model, pk in ((LyricsTask, lyrics), (WavConversion, wav)):
        model.objects.filter(pk=pk).update(created_at=timezone.now() - LONG_AGO,
                                           requeued_at=timezone.now())
    assert reaper.reap() == 0
    lyrics_record, wav_record = records(api, lyrics, wav)
    assert lyrics_record["status"] == wav_record["successFlag"] == "PENDING"
    assert LyricsTask.objects.get(pk=fresh).requeued_at is None
    assert receiver.requests == []
