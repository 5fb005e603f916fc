"""Lyrics and WAV tasks made through the API are fulfilled by a real django-q2 worker
process (`manage.py qcluster`), which then calls back a real receiver on 127.0.0.1."""
import pytest

from studio.generation.models import LyricsStatus, LyricsTask
from studio.library.models import WavConversion, WavStatus
from tests.api.factories import api_generation, finish_by_hand
from tests.generation.workers import output, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_writes_the_lyrics_and_calls_back(api_worker, receiver, api):
    answer = api.post("/api/v1/lyrics", {"prompt": "harbour lights at dawn",
                                         "callBackUrl": receiver.url + "/lyrics"}).json()
    task_id = answer["data"]["taskId"]
    wait_until(lambda: receiver.requests, seconds=120)
    assert LyricsTask.objects.get(pk=task_id).status == LyricsStatus.SUCCESS, output(api_worker)
    body = receiver.requests[0]["body"]
    assert body["data"]["callbackType"] == "complete" and len(body["data"]["data"]) >= 3
    record = api.get("/api/v1/lyrics/record-info", {"taskId": task_id}).json()["data"]
    assert [s["text"] for s in record["response"]["data"]] == \
        [s["text"] for s in body["data"]["data"]]


def test_a_worker_makes_the_wav_and_calls_back(api_worker, receiver, api, owner):
    generation = finish_by_hand(api_generation(owner))
    track = generation.tracks.get(variation=1)
    answer = api.post("/api/v1/wav/generate", {"taskId": generation.task_id,
                                               "audioId": str(track.id),
                                               "callBackUrl": receiver.url + "/wav"}).json()
    wait_until(lambda: receiver.requests, seconds=120)
    conversion = WavConversion.objects.get(pk=answer["data"]["taskId"])
    assert conversion.status == WavStatus.SUCCESS, output(api_worker)
    assert receiver.requests[0]["body"]["data"]["audioWavUrl"].endswith(".wav")
    assert track.audio.storage.size(conversion.file_name) > 44 + 2 * 2 * 44100  # 2 s stereo
