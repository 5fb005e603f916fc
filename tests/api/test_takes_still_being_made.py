"""A take record-info lists while it is being made (its id and a stream, from TEXT_SUCCESS) is
the caller's: what is asked of it before it is finished is refused as not finished yet (422,
legacy 400), as WAV and video already were, never "not found" (404). A stranger holding the
id still finds nothing."""
import pytest

from studio.generation import streams
from studio.generation.models import Generation, Status
from tests.api.factories import api_generation, finish_by_hand

pytestmark = pytest.mark.django_db
STAGES = [Status.TEXT_SUCCESS, Status.FIRST_SUCCESS]


@pytest.fixture(params=STAGES)
def making(request, owner):
    """A task whose second take is still being made, and that take's id as record-info
    lists it."""
    generation = finish_by_hand(api_generation(owner), stop_at=request.param)
    return generation, str(streams.track_id(generation, 1))


def listed(api, generation) -> list[str]:
    return [take["id"] for take in api.record(generation.task_id)["data"]["response"]["sunoData"]]


def test_v1_extend_of_a_take_being_made_is_not_finished_yet(api, making):
    generation, take = making
    assert take in listed(api, generation)
    answer = api.post("/api/v1/generate/extend", {"audioId": take,
                                                  "defaultParamFlag": False}).json()
    assert answer["code"] == 422 and "not finished" in answer["msg"], answer
    assert take in answer["msg"] and "not found" not in answer["msg"]
    assert Generation.objects.count() == 1


def test_legacy_extend_of_a_clip_streaming_is_not_finished_yet(api, making):
    generation, clip = making
    clips = api.post("/suno/music/get-task", {"task_id": generation.task_id}).json()["clips"]
    assert {"continue_clip_id": clip, "status": "streaming"}.items() <= clips[-1].items()
    answer = api.post("/suno/music/extend-Instrumental", {
        "continue_clip_id": clip, "continue_at": 1, "tags": "house"}).json()
    assert answer["code"] == 400 and "not finished" in answer["message"], answer
    assert "continue_clip_id" in answer["message"] and answer["task_id"] is None


def test_replace_section_of_a_take_being_made_is_not_finished_yet(api, making):
    generation, take = making
    answer = api.post("/api/v1/generate/replace-section", {
        "taskId": generation.task_id, "audioId": take, "prompt": "new words", "tags": "pop",
        "title": "T", "infillStartS": 0, "infillEndS": 10}).json()
    assert answer["code"] == 422 and "not finished" in answer["msg"], answer


@pytest.mark.parametrize("path", ["vocal-removal/generate", "generate/get-timestamped-lyrics",
                                  "generate/generate-persona"])
def test_what_is_made_from_a_take_being_made_is_not_finished_yet(api, making, path):
    generation, take = making
    answer = api.post(f"/api/v1/{path}", {"taskId": generation.task_id, "audioId": take,
                                          "name": "Ada", "description": "warm alto"}).json()
    assert answer["code"] == 422 and "not finished" in answer["msg"], answer


def test_a_stranger_holding_the_id_of_a_take_being_made_finds_nothing(stranger_api, making):
    _, take = making
    answer = stranger_api.post("/api/v1/generate/extend", {"audioId": take,
                                                           "defaultParamFlag": False}).json()
    assert answer["code"] == 404 and "not found" in answer["msg"], answer
    legacy = stranger_api.post("/suno/music/extend-Instrumental", {
        "continue_clip_id": take, "continue_at": 1, "tags": "house"}).json()
    assert legacy["code"] == 404, legacy


def test_an_id_no_task_of_yours_makes_is_still_not_found(api, making):
    generation, _ = making
    other = str(streams.track_id(api_generation(generation.owner, status=Status.SUCCESS), 0))
    answer = api.post("/api/v1/generate/extend", {"audioId": other,
                                                  "defaultParamFlag": False}).json()
    assert answer["code"] == 404, answer
