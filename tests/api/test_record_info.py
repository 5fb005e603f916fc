"""record-info shows the generation at each stage; someone else's task is not found."""
import json

import pytest

from studio.api.models import ApiKey
from studio.generation.models import Mode, Status
from tests.api.factories import api_generation, finish_by_hand
from tests.factories import make_track


@pytest.fixture
def generation(owner):
    return api_generation(owner)


def test_pending_task_has_no_tracks_yet(api, generation):
    answer = api.record(generation.task_id)
    assert answer["code"] == 200 and answer["msg"] == "success"
    data = answer["data"]
    assert data["taskId"] == generation.task_id
    assert data["status"] == "PENDING" and data["type"] == "GENERATE"
    assert data["operationType"] == "generate" and data["parentMusicId"] == ""
    assert data["errorCode"] is None and data["errorMessage"] is None
    assert data["response"] == {"taskId": generation.task_id, "sunoData": []}
    assert json.loads(data["param"]) == generation.api_request.body


@pytest.mark.parametrize("stage, finished", [(Status.TEXT_SUCCESS, 0),
                                             (Status.FIRST_SUCCESS, 1), (Status.SUCCESS, 2)])
def test_each_stage_lists_both_takes_and_the_finished_ones_audio(api, generation, stage, finished):
    finish_by_hand(generation, stop_at=stage)
    data = api.record(generation.task_id)["data"]
    assert data["status"] == stage
    items = data["response"]["sunoData"]
    assert [bool(t["audioUrl"]) for t in items] == [True] * finished + [False] * (2 - finished)
    assert all(t["streamAudioUrl"] for t in items)
    for t in items[finished:]:  # still being made: a stream link, the text stage's words, no length yet
        assert t["duration"] is None and t["imageUrl"] == ""
        assert set(t) == {"id", "audioUrl", "streamAudioUrl", "imageUrl", "prompt",
                          "modelName", "title", "tags", "createTime", "duration"}


def test_a_track_carries_the_seed_fields_and_fetchable_urls(api, client, generation):
    finish_by_hand(generation)
    track = api.record(generation.task_id)["data"]["response"]["sunoData"][0]
    assert set(track) == {"id", "audioUrl", "streamAudioUrl", "imageUrl", "prompt",
                          "modelName", "title", "tags", "createTime", "duration"}
    assert track["title"] == "Sea One" and track["duration"] == 2.0
    assert len(track["createTime"]) == 19 and track["createTime"][10] == " "
    client.logout()
    audio = client.get(track["audioUrl"].removeprefix("http://testserver"))
    assert audio.status_code == 200 and audio["Accept-Ranges"] == "bytes"
    image = client.get(track["imageUrl"].removeprefix("http://testserver"))
    assert image.status_code == 200


def test_failure_shows_code_and_message(api, generation):
    generation.fail("The engine gave up.", code=501)
    data = api.record(generation.task_id)["data"]
    assert data["status"] == "GENERATE_AUDIO_FAILED"
    assert data["errorCode"] == 501 and data["errorMessage"] == "The engine gave up."
    assert data["response"]["sunoData"] == []
    assert data["response"]["errorMessage"] == "The engine gave up."


def test_an_extension_names_its_parent(api, owner):
    parent = make_track(owner)
    extension = api_generation(owner, mode=Mode.EXTEND, source_track=parent)
    data = api.record(extension.task_id)["data"]
    assert data["parentMusicId"] == str(parent.id)
    assert data["operationType"] == "extend"


def test_stranger_gets_not_found(stranger_api, generation):
    answer = stranger_api.record(generation.task_id)
    assert answer["code"] == 404 and answer["data"] is None


@pytest.mark.parametrize("task_id", ["", "not-a-uuid", "0" * 32])
def test_unknown_or_malformed_task_ids_are_not_found_or_invalid(api, task_id):
    assert api.record(task_id)["code"] in (404, 422)


def test_a_web_generation_shows_its_validated_fields_as_param(api, owner):
    from studio.generation.models import Generation
    generation = Generation.objects.create(owner=owner, params={"prompt": "waves",
                                                                "model": "V4_5"})
    assert json.loads(api.record(generation.task_id)["data"]["param"]) == {
        "prompt": "waves", "model": "V4_5"}


def test_a_poll_is_one_query_with_the_key(api, generation, django_assert_num_queries):
    api.record(generation.task_id)  # the key's last use is stamped at most once a minute
    with django_assert_num_queries(1):
        answer = api.record(generation.task_id)
    assert answer["data"]["taskId"] == generation.task_id
    assert json.loads(answer["data"]["param"]) == generation.api_request.body


@pytest.mark.parametrize("task_id", ["not-a-uuid", "0" * 32])
def test_without_a_key_any_task_id_is_401_first(anonymous_api, generation, task_id):
    for asked in (task_id, generation.task_id):
        assert anonymous_api.record(asked)["code"] == 401


def test_a_revoked_keys_poll_is_401_at_once(api, owner, generation):
    assert api.record(generation.task_id)["code"] == 200
    ApiKey.objects.get(owner=owner).revoke()
    assert api.record(generation.task_id)["code"] == 401
