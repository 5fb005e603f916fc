"""POST /api/v1/generate/replace-section: the vendors' request (taskId + audioId, prompt,
tags, title, infillStartS, infillEndS), their window rules, record-info through the generate
record-info, and one `complete` callback over real HTTP on 127.0.0.1."""
import json

import pytest

from studio.generation.models import Generation, Mode, Status
from studio.library.models import Track
from tests.api.factories import api_generation, made_through_api
from tests.factories import make_track

PATH = "/api/v1/generate/replace-section"


@pytest.fixture
def source(owner):
    """A finished take of 30 s (the rules read its stored length)."""
    generation = Generation.objects.create(owner=owner, params={"prompt": "x"},
                                           status=Status.SUCCESS)
    return make_track(owner, generation=generation, duration=30.0)


def body(track, **changes):
    fields = {"taskId": track.generation.task_id, "audioId": str(track.id),
              "prompt": "[Verse]\nPaper boats along the river", "tags": "folk",
              "title": "River (new verse)", "infillStartS": 10.5, "infillEndS": 20.75}
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


@pytest.mark.parametrize(("changes", "code", "words"), [
    ({"infillStartS": 10, "infillEndS": 15.99}, 422, "must be 6 to 60 seconds"),
    ({"infillStartS": 0, "infillEndS": 60.01}, 422, "must be 6 to 60 seconds"),
    ({"infillStartS": 20, "infillEndS": 20}, 422, "infillEndS must be later than the start"),
    ({"infillStartS": 20, "infillEndS": 12}, 422, "infillEndS must be later than the start"),
    ({"infillStartS": 22, "infillEndS": 30.01}, 422, "infillEndS must be within the track"),
    ({"infillStartS": 10.125}, 422, "infillStartS allows two decimals"),
    ({"infillStartS": -1}, 422, "infillStartS must be 0 or more"),
    ({"infillEndS": "soon"}, 422, "infillEndS must be a number of seconds"),
    ({"infillStartS": None}, 422, "infillStartS is required"),
    ({"prompt": None}, 422, "prompt is required: the words sung"),
    ({"tags": None}, 422, "tags are required"),
    ({"title": None}, 422, "title is required"),
    ({"taskId": None}, 422, "taskId is required with audioId"),
    ({"audioId": None}, 422, "audioId is required"),
    ({"uploadUrl": "https://example.com/a.mp3"}, 422, "not both"),
    ({"title": "x" * 101}, 413, "title is 101 characters"),
])
def test_broken_requests_are_refused_with_the_rules_words(api, source, changes, code, words):
    answer = api.post(PATH, body(source, **changes)).json()
    assert answer["code"] == code and words in answer["msg"], answer
    assert answer["data"] is None
    assert not Generation.objects.filter(mode=Mode.REPLACE_SECTION).exists()


def test_every_broken_field_is_named_at_once(api, source):
    answer = api.post(PATH, body(source, tags=None, infillEndS=12)).json()
    assert answer["code"] == 422
    assert "tags are required" in answer["msg"] and "6 to 60 seconds" in answer["msg"]


def test_an_unknown_track_is_not_found(api, source):
    answer = api.post(PATH, body(source, audioId="6f0b1a52-0000-4000-8000-000000000000")).json()
    assert answer["code"] == 404 and "was not found" in answer["msg"]


def test_strangers_get_not_found(stranger_api, source):
    answer = stranger_api.post(PATH, body(source)).json()
    assert answer["code"] == 404 and answer["data"] is None


def test_the_track_must_belong_to_the_task_named(api, owner, source):
    other = Generation.objects.create(owner=owner, params={}, status=Status.SUCCESS)
    answer = api.post(PATH, body(source, taskId=other.task_id)).json()
    assert answer["code"] == 404 and f"not found in task {other.task_id}" in answer["msg"]


def test_an_unfinished_source_is_refused(api, source):
    Generation.objects.filter(pk=source.generation_id).update(status=Status.FIRST_SUCCESS)
    answer = api.post(PATH, body(source)).json()
    assert answer["code"] == 422 and "is not finished" in answer["msg"]


@pytest.mark.slow
def test_a_replaced_section_is_two_children_of_the_source_called_back_once(
        api, receiver, django_capture_on_commit_callbacks):
    song = made_through_api(api, django_capture_on_commit_callbacks, {
        "customMode": True, "instrumental": False, "model": "V4_5", "style": "folk, 100 bpm",
        "title": "River", "prompt": "[Verse]\nHold the night, my friend\nWe walk along the "
                                    "river"}, seconds=12.0)
    assert song.status == Status.SUCCESS, song.error_message
    source = song.tracks.get(variation=0)
    request = body(source, infillStartS=3, infillEndS=9.5, callBackUrl=receiver.url + "/hook")
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(PATH, request).json()
    assert answer["code"] == 200 and set(answer["data"]) == {"taskId"}, answer
    record = api.record(answer["data"]["taskId"])
    data = record["data"]
    assert record["code"] == 200 and data["status"] == "SUCCESS", data
    assert data["type"] == "REPLACE_SECTION" and data["operationType"] == "replace_section"
    assert data["parentMusicId"] == str(source.id)
    assert json.loads(data["param"]) == request
    takes = data["response"]["sunoData"]
    assert len(takes) == 2
    for take in takes:
        assert take["duration"] == pytest.approx(source.duration, abs=0.01)
        assert take["title"] == "River (new verse)" and take["tags"] == "folk"
        assert "Paper boats along the river" in take["prompt"]
        assert Track.objects.get(pk=take["id"]).parent_id == source.id
    # the vendors call back once, when the section is replaced (no text or first stage)
    assert [r["body"]["data"]["callbackType"] for r in receiver.requests] == ["complete"]
    sent = receiver.requests[0]["body"]
    assert sent["code"] == 200 and sent["data"]["task_id"] == data["taskId"]
    assert [t["id"] for t in sent["data"]["data"]] == [t["id"] for t in takes]
    assert {"audio_url", "stream_audio_url", "model_name"} <= set(sent["data"]["data"][0])


def test_a_failed_replacement_calls_back_once_with_the_reason(
        owner, receiver, django_capture_on_commit_callbacks):
    generation = api_generation(owner, mode=Mode.REPLACE_SECTION,
                                callback_url=receiver.url + "/hook")
    with django_capture_on_commit_callbacks(execute=True):
        generation.advance(Status.TEXT_SUCCESS)  # no text stage callback for this endpoint
        generation.fail("The window could not be rendered.", code=501)
    assert [r["body"] for r in receiver.requests] == [{
        "code": 501, "msg": "The window could not be rendered.",
        "data": {"callbackType": "error", "task_id": generation.task_id, "data": None,
                 "error": "The window could not be rendered."}}]


def test_a_track_named_by_its_task_is_replaced_by_its_own_model(api, owner):
    """suno_api.md §2 row 7: `model` comes with an uploadUrl; a track named by taskId and
    audioId was made by a model already, which makes the new take, within its limits."""
    generation = Generation.objects.create(owner=owner, params={"prompt": "x"}, model="V4",
                                           status=Status.SUCCESS)
    track = make_track(owner, generation=generation, duration=30.0)
    answer = api.post(PATH, body(track)).json()
    assert answer["code"] == 200, answer
    assert Generation.objects.get(pk=answer["data"]["taskId"]).model == "V4"
    too_long = api.post(PATH, body(track, title="t" * 81)).json()
    assert too_long["code"] == 413 and "V4 allows 80" in too_long["msg"], too_long
