"""POST /api/v1/generate/get-timestamped-lyrics: the vendors' alignedWords, answered at once
from the word times the local engine recorded when it sang the take."""
import pytest

from studio.generation.models import Status
from tests.api.factories import api_generation, finish_by_hand, made_through_api
from tests.factories import make_track

PATH = "/api/v1/generate/get-timestamped-lyrics"
LYRICS = "[Verse]\nHold the night, my friend!\nWe walk along the river"


@pytest.fixture
def sung(api, django_capture_on_commit_callbacks):
    """A sung song made through the API, 20 s long (room for both lines)."""
    generation = made_through_api(api, django_capture_on_commit_callbacks, {
        "customMode": True, "instrumental": False, "model": "V4_5", "style": "pop, 100 bpm",
        "title": "River", "prompt": LYRICS})
    assert generation.status == Status.SUCCESS, generation.error_message
    return generation


@pytest.mark.slow
def test_a_sung_take_answers_every_word_with_its_times(api, sung):
    track = sung.tracks.get(variation=1)
    answer = api.post(PATH, {"taskId": sung.task_id, "audioId": str(track.id)}).json()
    assert answer["code"] == 200, answer
    data = answer["data"]
    words = data["alignedWords"]
    assert "".join(w["word"] for w in words) == "Hold the night my friend\nWe walk along the river\n"
    assert all(w["success"] is True and w["palign"] == 0 for w in words)
    assert all(0 <= w["startS"] < w["endS"] <= track.duration for w in words)
    assert [w["startS"] for w in words] == sorted(w["startS"] for w in words)
    assert data["waveformData"] == track.peaks and len(data["waveformData"]) == 200
    assert data["hootCer"] == 0.0 and data["isStreamed"] is False
    # Asked again, the same recorded answer: nothing is estimated per request.
    assert api.post(PATH, {"taskId": sung.task_id, "audioId": str(track.id)}).json() == answer


@pytest.mark.slow
def test_strangers_get_not_found(stranger_api, sung):
    track = sung.tracks.get(variation=0)
    answer = stranger_api.post(PATH, {"taskId": sung.task_id, "audioId": str(track.id)}).json()
    assert answer["code"] == 404 and "was not found" in answer["msg"]


def test_an_audio_id_of_another_task_is_not_found(api, owner):
    mine = finish_by_hand(api_generation(owner))
    other = finish_by_hand(api_generation(owner))
    answer = api.post(PATH, {"taskId": mine.task_id,
                             "audioId": str(other.tracks.first().id)}).json()
    assert answer["code"] == 404 and "was not found in task" in answer["msg"]


def test_both_ids_are_required(api, owner):
    generation = finish_by_hand(api_generation(owner))
    assert api.post(PATH, {"audioId": str(generation.tracks.first().id)}).json() == {
        "code": 422, "msg": "taskId is required", "data": None}
    answer = api.post(PATH, {"taskId": generation.task_id}).json()
    assert answer["code"] == 422 and answer["msg"].startswith("audioId is required")


def test_an_unfinished_task_is_refused(api, owner):
    generation = finish_by_hand(api_generation(owner), stop_at=Status.FIRST_SUCCESS)
    answer = api.post(PATH, {"taskId": generation.task_id,
                             "audioId": str(generation.tracks.first().id)}).json()
    assert answer["code"] == 422
    assert answer["msg"] == f"Task {generation.task_id} is not finished (status FIRST_SUCCESS): wait for SUCCESS"


def test_an_instrumental_has_no_lyrics_to_align(api, owner):
    generation = api_generation(owner, status=Status.SUCCESS)
    track = make_track(owner, generation=generation, lyrics="")
    answer = api.post(PATH, {"taskId": generation.task_id, "audioId": str(track.id)}).json()
    assert answer == {"code": 422, "msg": "This track is instrumental: it has no lyrics to align",
                      "data": None}


def test_a_take_without_recorded_timings_says_so(api, owner):
    generation = api_generation(owner, status=Status.SUCCESS)
    track = make_track(owner, generation=generation, lyrics="Hold the night",
                       analysis={"engine": "upstream"})
    answer = api.post(PATH, {"taskId": generation.task_id, "audioId": str(track.id)}).json()
    assert answer["code"] == 422 and "no recorded word timings" in answer["msg"]


def test_it_is_a_post(api, owner):
    generation = finish_by_hand(api_generation(owner))
    answer = api.get(PATH, {"taskId": generation.task_id}).json()
    assert answer["code"] == 404 and "use POST" in answer["msg"]


def test_the_openapi_document_lists_it(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert paths[PATH]["post"]["requestBody"]["content"]["application/json"]["schema"][
        "required"] == ["taskId", "audioId"]
