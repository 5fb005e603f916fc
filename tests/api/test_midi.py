"""POST /api/v1/midi/generate and its record-info: the vendors' midiData, from a finished
vocal-removal task of a local take; the same notes as the track's MIDI file."""
import io

import mido
import pytest

from studio.api.models import WebhookSecret
from studio.generation.models import Status
from studio.library.models import Stems
from tests.api.conftest import Receiver
from tests.api.factories import api_generation, finish_by_hand, made_through_api
from tests.api.test_callbacks import signature_is_valid
from tests.factories import make_track

PATH, RECORD = "/api/v1/midi/generate", "/api/v1/midi/record-info"


@pytest.mark.slow
def test_midi_data_of_a_separated_take_matches_its_midi_file(
        api, owner_client, django_capture_on_commit_callbacks):
    song = made_through_api(api, django_capture_on_commit_callbacks, {
        "customMode": True, "instrumental": False, "model": "V4_5", "style": "jazz, 120 bpm",
        "title": "River", "prompt": "[Verse]\nHold the night, my friend!"}, seconds=10.0)
    assert song.status == Status.SUCCESS, song.error_message
    track = song.tracks.get(variation=1)
    with django_capture_on_commit_callbacks(execute=True):
        stems = api.post("/api/v1/vocal-removal/generate", {
            "taskId": song.task_id, "audioId": str(track.id)}).json()["data"]["taskId"]
    answer = api.post(PATH, {"taskId": stems, "callBackUrl": "https://example.com/hook"}).json()
    assert answer["code"] == 200, answer
    record = api.get(RECORD, {"taskId": answer["data"]["taskId"]}).json()
    assert record["code"] == 200, record
    data = record["data"]
    assert data["successFlag"] == 1 and data["recordTaskId"] == stems
    assert data["audioId"] == str(track.id)
    midi_data = data["midiData"]
    assert midi_data["state"] == "complete" and midi_data["tempo"] == 120.0
    names = [i["name"] for i in midi_data["instruments"]]
    assert names[0] == "Vocals" and "Bass" in names and "Drums" in names

    download = owner_client.get(f"/tracks/{track.pk}/song.mid")
    assert download.status_code == 200 and download["Content-Type"] == "audio/midi"
    song_file = mido.MidiFile(file=io.BytesIO(b"".join(download.streaming_content)))
    tracks = {t.name: t for t in song_file.tracks[1:]}
    assert list(tracks) == names
    for inst in midi_data["instruments"]:
        pitches = [m.note for m in tracks[inst["name"]] if m.type == "note_on" and m.velocity]
        assert sorted(pitches) == sorted(n["pitch"] for n in inst["notes"]), inst["name"]


def test_a_music_task_id_is_explained(api, owner):
    generation = finish_by_hand(api_generation(owner))
    answer = api.post(PATH, {"taskId": generation.task_id}).json()
    assert answer["code"] == 422 and "taskId names a music task" in answer["msg"]


def test_an_unfinished_separation_is_refused(api, owner):
    track = make_track(owner, generation=api_generation(owner, status=Status.SUCCESS))
    stems = Stems.objects.create(owner=owner, track=track)
    answer = api.post(PATH, {"taskId": stems.task_id}).json()
    assert answer == {"code": 422, "data": None, "msg": f"Vocal-removal task {stems.task_id} is "
                                                        "not finished (successFlag PENDING)"}


def test_strangers_get_not_found(api, stranger_api, owner):
    track = make_track(owner, generation=api_generation(owner, status=Status.SUCCESS))
    stems = Stems.objects.create(owner=owner, track=track, status=Stems.Status.SUCCESS)
    assert stranger_api.post(PATH, {"taskId": stems.task_id}).json()["code"] == 404
    assert api.get(RECORD, {"taskId": "forged:abc"}).json()["code"] == 404


# -- the callback (suno_api.md §4.3): one signed POST when the MIDI is made -----------------

@pytest.fixture
def separated(owner):
    """A finished separation of a take the local engine composed."""
    track = make_track(owner, generation=api_generation(owner, status=Status.SUCCESS))
    return Stems.objects.create(owner=owner, track=track, status=Stems.Status.SUCCESS)


def test_the_callback_carries_the_notes_signed(api, owner, separated, receiver,
                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(PATH, {"taskId": separated.task_id,
                                 "callBackUrl": receiver.url + "/midi"}).json()
    assert answer["code"] == 200, answer
    task_id = answer["data"]["taskId"]
    record = api.get(RECORD, {"taskId": task_id}).json()["data"]
    assert record["callbackUrl"] == receiver.url + "/midi"
    [sent] = receiver.requests
    assert sent["path"] == "/midi"
    assert sent["body"] == {"task_id": task_id, "code": 200, "msg": "success",
                            "data": record["midiData"]}
    assert sent["body"]["data"]["state"] == "complete" and sent["body"]["data"]["instruments"]
    assert signature_is_valid(sent, WebhookSecret.for_user(owner).secret, task_id)


def test_a_failing_receiver_is_tried_again_with_the_same_body(
        api, separated, loopback_allowed, django_capture_on_commit_callbacks):
    flaky = Receiver(status=503, then=200)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            api.post(PATH, {"taskId": separated.task_id, "callBackUrl": flaky.url + "/midi"})
    finally:
        flaky.close()
    assert len(flaky.requests) == 2
    assert flaky.requests[0]["body"] == flaky.requests[1]["body"]
    assert flaky.requests[1]["body"]["code"] == 200


def test_each_ask_calls_back_once_and_none_without_a_url(api, separated, receiver,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post(PATH, {"taskId": separated.task_id})
    assert receiver.requests == []
    for path in ("/a", "/b"):
        with django_capture_on_commit_callbacks(execute=True):
            answer = api.post(PATH, {"taskId": separated.task_id, "callBackUrl": receiver.url + path})
        assert answer.json()["data"]["taskId"] == first.json()["data"]["taskId"]
    assert [r["path"] for r in receiver.requests] == ["/a", "/b"]
    record = api.get(RECORD, {"taskId": first.json()["data"]["taskId"]}).json()["data"]
    assert record["callbackUrl"] == receiver.url + "/b"


def test_a_private_callback_url_is_accepted_logged_as_refused_and_never_tried(
        api, separated, settings, caplog, django_capture_on_commit_callbacks):
    settings.STUDIO_OUTBOUND_ALLOW = []
    receiver = Receiver()  # a real server on 127.0.0.1, which Studio must not call
    try:
        with caplog.at_level("INFO", logger="studio.api"), \
                django_capture_on_commit_callbacks(execute=True):
            answer = api.post(PATH, {"taskId": separated.task_id,
                                     "callBackUrl": receiver.url + "/midi"}).json()
    finally:
        receiver.close()
    assert answer["code"] == 200, answer
    assert receiver.requests == []
    [refusal] = [r.getMessage() for r in caplog.records if "will not be called" in r.getMessage()]
    assert receiver.url + "/midi" in refusal and "private" in refusal
    # Refused when asked, as a song's callback is: no callback task was queued to try it.
    assert not [r for r in caplog.records if r.name == "studio.api.callbacks"]
    assert not Stems.objects.get(pk=separated.pk).midi_callback_due
    record = api.get(RECORD, {"taskId": answer["data"]["taskId"]}).json()["data"]
    assert record["callbackUrl"] == "" and record["successFlag"] == 1


@pytest.mark.parametrize("url, code, msg", [
    (42, 422, "callBackUrl must be a URL"),
    ("https://example.com/" + "x" * 1000, 413, "callBackUrl is 1,020 characters; the limit is 1,000"),
])
def test_a_callback_url_is_checked_as_every_tasks_is(api, separated, url, code, msg):
    answer = api.post(PATH, {"taskId": separated.task_id, "callBackUrl": url}).json()
    assert answer == {"code": code, "data": None, "msg": msg}
