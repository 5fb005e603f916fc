"""Add vocals and upload & extend through the v1 API: the seeds' codes for every broken rule,
then real renders whose stage callbacks a real HTTP server on 127.0.0.1 receives, and
record-info in the vendors' shape (operationType, type, param, sunoData)."""
import json

import pytest

from studio.generation.models import Generation, Mode, Status
from tests.api.factories import assert_refused, without
from tests.api.test_end_to_end import render
from tests.factories import mp3_bytes

MP3 = "https://example.com/instrumental.mp3"
VOCALS = {"uploadUrl": MP3, "prompt": "a calm song about the sea", "title": "Tide",
          "style": "jazz", "negativeTags": ""}
EXTEND = {"uploadUrl": MP3, "defaultParamFlag": True, "continueAt": 4, "style": "pop",
          "title": "Tide", "prompt": "[Verse]\nthe tide comes in"}


CASES = {
    # name: (path, body, code, words the message must contain)
    "add-vocals uploadUrl required": ("add-vocals", without(VOCALS, "uploadUrl"), 422,
                                      ["uploadUrl", "required"]),
    "add-vocals prompt required": ("add-vocals", without(VOCALS, "prompt"), 422,
                                   ["prompt", "required"]),
    "add-vocals title required": ("add-vocals", without(VOCALS, "title"), 422,
                                  ["title", "required"]),
    "add-vocals style required": ("add-vocals", without(VOCALS, "style"), 422,
                                  ["style", "required"]),
    "add-vocals negativeTags key required": ("add-vocals", without(VOCALS, "negativeTags"), 422,
                                             ["negativeTags", "required", '""']),
    "add-vocals every missing field at once": ("add-vocals", {"uploadUrl": MP3}, 422,
                                               ["prompt", "title", "style", "negativeTags"]),
    "add-vocals model": ("add-vocals", {**VOCALS, "model": "V4_5"}, 422,
                         ["model", "V4_5PLUS, V5, V5_5", "V4_5"]),
    "add-vocals title limit": ("add-vocals", {**VOCALS, "title": "t" * 101}, 413,
                               ["title", "100"]),
    "add-vocals style limit": ("add-vocals", {**VOCALS, "style": "s" * 1001}, 413,
                               ["style", "1,000"]),
    "add-vocals lyrics limit": ("add-vocals", {**VOCALS, "prompt": "l" * 5001}, 413,
                                ["prompt", "5,000"]),
    "add-vocals vocalGender": ("add-vocals", {**VOCALS, "vocalGender": "x"}, 422,
                               ["vocalGender", "m or f"]),
    "add-vocals weight": ("add-vocals", {**VOCALS, "audioWeight": 1.2}, 422,
                          ["audioWeight", "0 to 1"]),
    "add-vocals private uploadUrl": ("add-vocals", {**VOCALS,
                                                    "uploadUrl": "http://10.0.0.8/a.mp3"},
                                     422, ["uploadUrl", "private"]),
    "upload-extend uploadUrl required": ("upload-extend", without(EXTEND, "uploadUrl"), 422,
                                         ["uploadUrl", "required"]),
    "upload-extend continueAt required": ("upload-extend", without(EXTEND, "continueAt"), 422,
                                          ["continueAt", "required"]),
    "upload-extend style required": ("upload-extend", without(EXTEND, "style"), 422,
                                     ["style", "required"]),
    "upload-extend title required": ("upload-extend", without(EXTEND, "title"), 422,
                                     ["title", "required"]),
    "upload-extend lyrics required unless instrumental": (
        "upload-extend", without(EXTEND, "prompt"), 422, ["prompt", "required", "instrumental"]),
    "upload-extend continueAt positive": ("upload-extend", {**EXTEND, "continueAt": 0}, 422,
                                          ["continueAt", "greater than 0"]),
    "upload-extend continueAt a number": ("upload-extend", {**EXTEND, "continueAt": "soon"},
                                          422, ["continueAt", "number"]),
    "upload-extend defaultParamFlag": ("upload-extend", {**EXTEND, "defaultParamFlag": "yes"},
                                       422, ["defaultParamFlag", "true or false"]),
    "upload-extend model": ("upload-extend", {**EXTEND, "model": "V9"}, 422, ["model"]),
    "upload-extend V4 title limit": ("upload-extend", {**EXTEND, "model": "V4", "title": "t" * 81},
                                     413, ["title", "80"]),
}


@pytest.mark.parametrize("case", CASES)
def test_a_broken_rule_is_refused_with_the_seeds_code(api, case):
    path, body, code, words = CASES[case]
    assert_refused(api.post(f"/api/v1/generate/{path}", body).json(), code, words)
    assert not Generation.objects.exists()


def test_an_instrumental_upload_extension_needs_no_lyrics_and_inheriting_needs_nothing(
        api, receiver, django_capture_on_commit_callbacks):
    receiver.files["/song.mp3"] = mp3_bytes(6.0)
    url = receiver.url + "/song.mp3"
    with django_capture_on_commit_callbacks():
        own = api.post("/api/v1/generate/upload-extend",
                       {**without(EXTEND, "prompt"), "uploadUrl": url, "instrumental": True}).json()
        inherit = api.post("/api/v1/generate/upload-extend",
                           {"uploadUrl": url, "defaultParamFlag": False}).json()
    assert own["code"] == 200 and inherit["code"] == 200, (own, inherit)
    continued = Generation.objects.get(pk=inherit["data"]["taskId"]).request.continue_at
    assert continued == pytest.approx(6.0, abs=0.1)  # the upload's end


@pytest.mark.parametrize("continue_at", [6.0, 30])
def test_upload_extend_continue_at_must_fall_inside_the_upload(api, receiver, continue_at):
    receiver.files["/song.mp3"] = mp3_bytes(6.0)
    answer = api.post("/api/v1/generate/upload-extend",
                      {**EXTEND, "uploadUrl": receiver.url + "/song.mp3",
                       "continueAt": continue_at}).json()
    assert answer["code"] == 422, answer
    assert "continueAt must be less than the upload's length (6.0 s)" in answer["msg"]


def test_an_upload_that_cannot_be_fetched_is_451(api, receiver):
    answer = api.post("/api/v1/generate/add-vocals",
                      {**VOCALS, "uploadUrl": receiver.url + "/missing.mp3"}).json()
    assert answer["code"] == 451, answer



@pytest.mark.slow
@pytest.mark.parametrize("path, body, mode", [
    ("/api/v1/generate/add-vocals", VOCALS, Mode.ADD_VOCALS),
    ("/api/v1/generate/upload-extend", EXTEND, Mode.UPLOAD_EXTEND),
])
def test_it_renders_calls_back_each_stage_and_reads_as_the_vendors_record(
        api, receiver, path, body, mode, django_capture_on_commit_callbacks):
    receiver.files["/instrumental.mp3"] = mp3_bytes(6.0)
    sent = {**body, "uploadUrl": receiver.url + "/instrumental.mp3",
            "callBackUrl": receiver.url + "/hook"}
    generation = render(api, path, sent, django_capture_on_commit_callbacks)
    assert generation.status == Status.SUCCESS, generation.error_message
    assert generation.mode == mode and generation.upload is not None

    callbacks = [r["body"] for r in receiver.requests if r["path"] == "/hook"]
    assert [c["data"]["callbackType"] for c in callbacks] == ["text", "first", "complete"]
    assert all(c["data"]["task_id"] == generation.task_id for c in callbacks)
    complete = callbacks[-1]["data"]["data"]
    assert len(complete) == 2
    for track in complete:  # snake_case, with the upload it started from
        assert {"id", "audio_url", "stream_audio_url", "image_url", "prompt", "model_name", "title",
                "tags", "createTime", "duration", "source_audio_url"} <= set(track)
        assert track["title"] == "Tide" and track["duration"] > 0
        assert track["prompt"]  # sung words: written from the description, or as sent

    record = api.record(generation.task_id)
    assert record["code"] == 200
    data = record["data"]
    assert data["status"] == "SUCCESS" and data["taskId"] == generation.task_id
    assert data["operationType"] == mode.value and data["type"] == mode.value.upper()
    assert json.loads(data["param"]) == sent  # the body as the client sent it
    assert data["errorCode"] is None and data["parentMusicId"] == ""
    assert [t["id"] for t in data["response"]["sunoData"]] == [t["id"] for t in complete]
    for track in data["response"]["sunoData"]:  # camelCase
        assert track["audioUrl"] and track["modelName"] and track["tags"]
    if mode == Mode.UPLOAD_EXTEND:  # the upload up to 4 s, then about 8 s of new music
        assert all(t["duration"] > 4 + 5 for t in data["response"]["sunoData"])
    else:  # the vocal is laid over the upload: the take is as long as it
        assert all(t["duration"] == pytest.approx(6.0, abs=0.6) for t in data["response"]["sunoData"])


def test_a_strangers_task_is_not_found(api, stranger_api, receiver, django_capture_on_commit_callbacks):
    receiver.files["/instrumental.mp3"] = mp3_bytes(4.0)
    with django_capture_on_commit_callbacks():
        answer = api.post("/api/v1/generate/add-vocals",
                          {**VOCALS, "uploadUrl": receiver.url + "/instrumental.mp3"}).json()
    assert answer["code"] == 200
    assert stranger_api.record(answer["data"]["taskId"])["code"] == 404
    assert api.record(answer["data"]["taskId"])["data"]["operationType"] == "add_vocals"
