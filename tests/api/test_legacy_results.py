"""Legacy results: POST get-task {task_id} and GET get-music?task_id=, clip by clip."""
import pytest

from studio.generation.models import Mode, Status
from tests.api.factories import api_generation, finish_by_hand


@pytest.fixture
def finished(owner):
    generation = api_generation(owner, mode=Mode.INSTRUMENTAL,
                                params={"tags": "house", "style": "house", "model": "V4",
                                        "_request": {"tags": "house"}})
    return finish_by_hand(generation)


def test_get_task_lists_clips_usable_for_extend(api, finished):
    body = api.post("/suno/music/get-task", {"task_id": finished.task_id}).json()
    assert body["code"] == 200 and body["task_id"] == finished.task_id
    assert body["status"] == "complete" and len(body["clips"]) == 2
    clip = body["clips"][0]
    assert clip["continue_clip_id"] == clip["id"]
    for field in ("audio_url", "image_url", "title", "tags", "duration", "status"):
        assert clip[field] != ""
    assert clip["status"] == "complete" and clip["duration"] == "2"


def test_the_clip_extends_through_the_legacy_dialect(api, finished):
    clip = api.post("/suno/music/get-task", {"task_id": finished.task_id}).json()["clips"][0]
    answer = api.post("/suno/music/extend-Instrumental", {
        "tags": "house", "continue_clip_id": clip["continue_clip_id"], "continue_at": "1"})
    assert answer.json()["code"] == 200, answer.json()


def test_get_music_answers_the_same_by_get(api, finished):
    by_post = api.post("/suno/music/get-task", {"task_id": finished.task_id}).json()
    by_get = api.get("/suno/music/get-music", {"task_id": finished.task_id}).json()
    assert by_get == by_post


def test_pending_task_is_submitted_with_no_clips(api, owner):
    generation = api_generation(owner)
    body = api.get("/suno/music/get-music", {"task_id": generation.task_id}).json()
    assert body["status"] == "submitted" and body["clips"] == []


def test_running_task_is_processing(api, owner):
    generation = finish_by_hand(api_generation(owner), stop_at=Status.FIRST_SUCCESS)
    body = api.get("/suno/music/get-music", {"task_id": generation.task_id}).json()
    assert body["status"] == "processing"
    # Suno's clip states: the finished take is complete, the other is streaming at its link
    assert [c["status"] for c in body["clips"]] == ["complete", "streaming"]
    assert body["clips"][1]["audio_url"].startswith("http://testserver/api/files/")


def test_failed_task_is_error_with_message(api, owner):
    generation = api_generation(owner)
    generation.fail("No more notes.")
    body = api.get("/suno/music/get-music", {"task_id": generation.task_id}).json()
    assert body["status"] == "error" and body["message"] == "No more notes."


def test_stranger_gets_not_found(stranger_api, finished):
    body = stranger_api.post("/suno/music/get-task", {"task_id": finished.task_id}).json()
    assert body["code"] == 404 and "clips" not in body


def test_task_id_is_required(api):
    assert api.post("/suno/music/get-task", {}).json()["code"] == 400
