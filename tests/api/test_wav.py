"""POST /api/v1/wav/generate makes a finished track's lossless WAV: one per track (409 after, unless it failed),
record-info and one callback give its link, and the file decodes to the track's audio."""
import io
from pathlib import Path

import numpy as np
import pytest
import soundfile
from django.db import IntegrityError, transaction

from studio.api import files
from studio.api.models import WebhookSecret
from studio.audio import decode
from studio.generation.models import Status
from studio.generation.streams import track_id
from studio.library.models import WavConversion
from tests.api.factories import api_generation, finish_by_hand
from tests.api.test_callbacks import signature_is_valid


def wav_record(api, task_id):
    return api.get("/api/v1/wav/record-info", {"taskId": task_id}).json()


def finished(owner):
    generation = finish_by_hand(api_generation(owner))
    return generation, generation.tracks.get(variation=0)


def ask(api, generation, audio_id, **extra):
    return api.post("/api/v1/wav/generate", {"taskId": generation.task_id,
                                             "audioId": str(audio_id), **extra}).json()


def test_the_wav_is_the_tracks_audio_lossless(api, client, owner,
                                              django_capture_on_commit_callbacks):
    generation, track = finished(owner)
    with django_capture_on_commit_callbacks(execute=True):
        answer = ask(api, generation, track.id)
    assert answer["code"] == 200
    data = wav_record(api, answer["data"]["taskId"])["data"]
    assert data["successFlag"] == "SUCCESS" and data["musicId"] == str(track.id)
    assert data["taskId"] == answer["data"]["taskId"] and data["completeTime"]
    url = data["response"]["audioWavUrl"]
    assert url.endswith(".wav")
    served = client.get(url.removeprefix("http://testserver"))  # a signed link: no key, no login
    assert served.status_code == 200
    raw = b"".join(served.streaming_content)
    assert raw[:4] == b"RIFF" and raw[8:12] == b"WAVE"
    wav, wav_rate = soundfile.read(io.BytesIO(raw), always_2d=True)
    source, rate = decode(track.audio.path)
    assert wav_rate == rate
    assert abs(len(wav) / wav_rate - source.shape[1] / rate) < 0.001
    assert np.sqrt(np.mean(wav ** 2)) > 0.05  # not silent
    # The same samples as the track's audio, to PCM 16-bit precision.
    assert np.max(np.abs(wav.T - source[:, :len(wav)])) < 2 / 32768


def test_a_second_request_is_409_naming_the_first(api, owner,
                                                  django_capture_on_commit_callbacks):
    generation, track = finished(owner)
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(api, generation, track.id)
    second = ask(api, generation, track.id)
    assert second["code"] == 409 and second["msg"] == "WAV record already exists"
    assert second["data"]["taskId"] == first["data"]["taskId"]
    assert WavConversion.objects.count() == 1


def test_the_callback_carries_the_link_signed(api, owner, receiver,
                                              django_capture_on_commit_callbacks):
    generation, track = finished(owner)
    with django_capture_on_commit_callbacks(execute=True):
        answer = ask(api, generation, track.id, callBackUrl=receiver.url + "/wav")
    task_id = answer["data"]["taskId"]
    [sent] = receiver.requests
    assert sent["path"] == "/wav"
    assert sent["body"]["code"] == 200 and sent["body"]["data"]["task_id"] == task_id
    # The same file as record-info's link (each link is signed when made, so their
    # signatures may differ by a second: compare what they name).
    def named(url):
        return files.unsign(url.rsplit("/", 1)[-1])

    recorded = wav_record(api, task_id)["data"]["response"]["audioWavUrl"]
    assert named(sent["body"]["data"]["audioWavUrl"]) == named(recorded) is not None
    assert signature_is_valid(sent, WebhookSecret.for_user(owner).secret, task_id)


def test_an_unfinished_take_is_refused_until_it_is_final(api, owner):
    generation = finish_by_hand(api_generation(owner), stop_at=Status.TEXT_SUCCESS)
    answer = ask(api, generation, track_id(generation, 0))
    assert answer["code"] == 422 and "not finished yet" in answer["msg"]
    assert not WavConversion.objects.exists()


def test_strangers_and_wrong_ids_are_not_found(api, stranger_api, owner,
                                               django_capture_on_commit_callbacks):
    generation, track = finished(owner)
    assert ask(stranger_api, generation, track.id)["code"] == 404
    other_generation, other_track = finished(owner)
    assert ask(api, generation, other_track.id)["code"] == 404  # not this task's track
    assert ask(api, generation, "nonsense")["code"] == 404
    with django_capture_on_commit_callbacks(execute=True):
        task_id = ask(api, generation, track.id)["data"]["taskId"]
    assert wav_record(stranger_api, task_id)["code"] == 404
    assert wav_record(api, "nonsense")["code"] == 404


def test_missing_fields_are_named(api, db):
    answer = api.post("/api/v1/wav/generate", {}).json()
    assert answer["code"] == 422
    assert answer["msg"] == "taskId is required; audioId is required"


def test_a_failed_wav_may_be_asked_for_again(api, owner, django_capture_on_commit_callbacks):
    """A failure is no WAV: the next request makes a new one (200, a new taskId), while the
    failed task still answers as it ended; a live one is 409 again."""
    generation, track = finished(owner)
    audio = Path(track.audio.path)
    kept = audio.with_name("kept-aside")
    audio.rename(kept)  # the WAV is made from the kept audio: without it, it fails
    with django_capture_on_commit_callbacks(execute=True):
        failed = ask(api, generation, track.id)["data"]["taskId"]
    assert wav_record(api, failed)["data"]["successFlag"] == "GENERATE_WAV_FAILED"
    kept.rename(audio)
    with django_capture_on_commit_callbacks(execute=True):
        again = ask(api, generation, track.id)
    assert again["code"] == 200 and again["data"]["taskId"] != failed
    record = wav_record(api, again["data"]["taskId"])["data"]
    assert record["successFlag"] == "SUCCESS" and record["response"]["audioWavUrl"].endswith(".wav")
    old = wav_record(api, failed)["data"]
    assert old["successFlag"] == "GENERATE_WAV_FAILED" and old["response"]["audioWavUrl"] == ""
    third = ask(api, generation, track.id)
    assert third["code"] == 409 and third["data"]["taskId"] == again["data"]["taskId"]


def test_the_database_holds_one_live_wav_per_track(owner):
    _, track = finished(owner)
    WavConversion.objects.create(owner=owner, track=track, status="GENERATE_WAV_FAILED")
    WavConversion.objects.create(owner=owner, track=track, status="CREATE_TASK_FAILED")
    WavConversion.objects.create(owner=owner, track=track)
    with pytest.raises(IntegrityError), transaction.atomic():
        WavConversion.objects.create(owner=owner, track=track, status="SUCCESS")
