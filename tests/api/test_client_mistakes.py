"""A client's malformed request — JSON nested thousands deep, a body over the limit, a file
name 5,000 characters long, a lone surrogate — gets the dialect's envelope with a 4xx code
and a message, never code 500."""
import base64
import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studio.api import files
from studio.generation.models import Generation, Upload
from tests.factories import make_track, mp3_bytes

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"prompt": ' + DEEP + "}"
CREATES = ["/api/v1/generate", "/api/v1/generate/extend", "/api/v1/generate/upload-cover",
           "/api/v1/generate/add-instrumental", "/api/file-base64-upload",
           "/api/file-url-upload"]
LEGACY = ["/suno/music/generate-music", "/suno/music/generate-instrumental",
          "/suno/music/extend-Instrumental"]


def code_of(response) -> int:
    assert response.status_code == 200, response.content[:300]
    return response.json()["code"]


@pytest.mark.parametrize("path", CREATES)
@pytest.mark.parametrize("text", [DEEP, DEEP_OBJECT])
def test_json_nested_five_thousand_deep_is_invalid_json(api, path, text):
    answer = api.post(path, text).json()
    assert answer["code"] == 422 and "JSON" in answer["msg"]


@pytest.mark.parametrize("path", LEGACY)
def test_legacy_json_nested_five_thousand_deep_is_a_400(api, path):
    answer = api.post(path, DEEP_OBJECT).json()
    assert answer["code"] == 400 and "JSON" in answer["message"]


@pytest.mark.parametrize("path", CREATES[:1] + LEGACY[:1])
def test_a_body_over_djangos_limit_is_a_413(api, settings, path):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    body = json.dumps({"prompt": "x" * (3 * 1024 * 1024)})
    answer = api.post(path, body).json()
    assert answer["code"] == 413
    assert "limit" in (answer.get("msg") or answer.get("message"))


def test_a_form_body_over_djangos_limit_is_a_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = api.client.post("/api/v1/generate", {"prompt": "x" * 5000},
                               headers=api.headers())
    assert code_of(response) == 413


def test_too_many_form_fields_is_a_422(api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = api.client.post("/api/v1/generate", {f"f{i}": "x" for i in range(50)},
                               headers=api.headers())
    assert code_of(response) == 422


LONG_NAME = "a" * 4990 + ".mp3"


def test_stream_upload_with_a_five_thousand_character_name_keeps_200(api):
    response = api.client.post("/api/file-stream-upload",
                               {"file": SimpleUploadedFile(LONG_NAME, mp3_bytes(1.0))},
                               headers=api.headers())
    answer = response.json()
    assert answer["code"] == 200, answer
    assert len(Upload.objects.get().name) <= 200


def test_large_stream_upload_with_a_five_thousand_character_extension(api, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # the file goes to a temporary file on disk
    response = api.client.post("/api/file-stream-upload",
                               {"file": SimpleUploadedFile("a." + "m" * 5000, mp3_bytes(1.0))},
                               headers=api.headers())
    assert code_of(response) in (200, 413, 422)


def test_base64_upload_with_a_five_thousand_character_name(api):
    data = base64.b64encode(mp3_bytes(1.0)).decode()
    answer = api.post("/api/file-base64-upload", {"base64Data": data,
                                                  "fileName": LONG_NAME}).json()
    assert answer["code"] == 200, answer
    assert len(answer["data"]["fileName"]) <= 200


def test_browser_upload_with_a_five_thousand_character_name(owner_client):
    response = owner_client.post("/uploads/", {"file": SimpleUploadedFile(LONG_NAME,
                                                                          mp3_bytes(1.0))})
    assert response.status_code == 200
    assert len(Upload.objects.get().name) <= 200


SURROGATE = '"\\ud800"'


@pytest.mark.parametrize("field", ["prompt", "style", "title", "negativeTags", "callBackUrl",
                                   "uploadUrl", "model", "anything", "vocalGender"])
@pytest.mark.parametrize("path", CREATES)
def test_a_lone_surrogate_in_any_field_is_refused_in_words(api, path, field):
    text = f'{{"prompt": "a song", "customMode": false, "model": "V4", "{field}": {SURROGATE}}}'
    answer = api.post(path, text).json()
    assert answer["code"] in (413, 422), answer
    assert not Generation.objects.exists()


@pytest.mark.parametrize("field", ["gpt_description_prompt", "title", "tags", "prompt",
                                   "anything"])
def test_legacy_lone_surrogate_is_a_400(api, field):
    text = f'{{"gpt_description_prompt": "a song", "{field}": {SURROGATE}}}'
    answer = api.post(LEGACY[0], text).json()
    assert answer["code"] == 400, answer


def test_a_lone_surrogate_in_a_key_name_is_refused(api):
    answer = api.post(CREATES[0], '{"prompt": "a song", "\\udfff": 1}').json()
    assert answer["code"] == 422, answer


def test_a_lone_surrogate_in_the_file_name_is_refused(api):
    data = base64.b64encode(mp3_bytes(1.0)).decode()
    answer = api.post("/api/file-base64-upload",
                      f'{{"base64Data": "{data}", "fileName": "\\ud800.mp3"}}').json()
    assert answer["code"] == 422 and "fileName" in answer["msg"]
    assert not Upload.objects.exists()


@pytest.mark.parametrize(("path", "code"), [(CREATES[0], 422), (LEGACY[0], 400)])
def test_a_nul_in_a_form_encoded_field_is_refused_in_words(api, path, code):
    """A form body is held to what a JSON body is: text a database can store."""
    form = "prompt=a+song&gpt_description_prompt=a+song&customMode=false&model=V4&note=a%00b"
    answer = api.post(path, form, content_type="application/x-www-form-urlencoded").json()
    assert answer["code"] == code, answer
    assert "NUL" in (answer.get("msg") or answer.get("message")), answer
    assert not Generation.objects.exists()


@pytest.mark.parametrize("task_id", ["%ED%A0%80", "%FF", "x" * 5000, "%25", "%00"])
def test_record_info_with_a_mangled_task_id(api, task_id):
    answer = api.client.get(f"/api/v1/generate/record-info?taskId={task_id}",
                            headers=api.headers()).json()
    assert answer["code"] in (404, 422), answer


def test_record_info_echoes_a_stored_surrogate_without_failing(api, owner, storable_surrogates):
    generation = Generation.objects.create(owner=owner, params={"title": "x\ud800y",
                                                                "prompt": "p"})
    answer = api.client.get("/api/v1/generate/record-info", {"taskId": str(generation.pk)},
                            headers=api.headers())
    assert answer.status_code == 200 and answer.json()["code"] == 200


def test_a_signed_link_to_a_file_that_is_gone_is_a_404(client, owner):
    track = make_track(owner)
    audio = files.path(files.AUDIO, track.pk)
    os.remove(track.audio.path)
    assert client.get(audio).status_code == 404


def test_a_stream_link_whose_take_is_gone_is_a_404(client, owner):
    track = make_track(owner)
    os.remove(track.audio.path)
    link = files.path(files.STREAM, track.generation.pk, "0")
    assert client.get(link).status_code == 404


# -- what an outside prober sent (1,000 adversarial requests): each a 4xx in words -------------

def _finished(owner):
    track = make_track(owner, duration=30.0)
    return {"taskId": str(track.generation.pk), "audioId": str(track.pk)}


@pytest.mark.parametrize("kind", [["split_stem"], [], {}, {"a": 1}, 3])
def test_a_stem_type_that_is_not_a_string_is_a_422(api, owner, kind):
    answer = api.post("/api/v1/vocal-removal/generate", {**_finished(owner), "type": kind}).json()
    assert answer["code"] == 422 and "separate_vocal or split_stem" in answer["msg"], answer


@pytest.mark.parametrize("end", [1e30, "99999999999999999999999999999", "1e400"])
def test_a_replace_section_window_past_any_song_is_a_422(api, owner, end):
    answer = api.post("/api/v1/generate/replace-section", {
        **_finished(owner), "prompt": "new words", "tags": "pop", "title": "T", "infillStartS": 2,
        "infillEndS": end}).json()
    assert answer["code"] == 422 and "infillEndS" in answer["msg"], answer
    assert not Generation.objects.filter(mode="replace_section").exists()


def test_a_nul_in_a_multipart_file_name_is_refused_and_nothing_is_stored(api):
    response = api.client.post("/api/file-stream-upload", {
        "file": SimpleUploadedFile("a.mp3", mp3_bytes(1.0)), "fileName": "a\x00b.mp3"},
        headers=api.headers())
    answer = response.json()
    assert answer["code"] == 422 and "fileName" in answer["msg"] and "NUL" in answer["msg"], answer
    assert not Upload.objects.exists()


def test_an_uploaded_files_own_name_loses_its_control_characters(api):
    response = api.client.post("/api/file-stream-upload",
                               {"file": SimpleUploadedFile("night\x07 drive.mp3", mp3_bytes(1.0))},
                               headers=api.headers())
    assert response.json()["code"] == 200
    assert Upload.objects.get().name == "night drive.mp3"


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/generate", {"customMode": False, "prompt": "a song", "model": "x" * 200_000}),
    ("/api/v1/generate/extend", {"audioId": "y" * 50_000, "continueAt": 10, "prompt": "p",
                                 "style": "pop", "title": "t", "defaultParamFlag": True}),
    ("/api/v1/wav/generate", {"taskId": "z" * 50_000, "audioId": "z"}),
])
def test_an_error_repeats_a_huge_value_by_its_beginning(api, path, body):
    answer = api.post(path, body).json()
    assert answer["code"] in (404, 422), answer
    assert len(answer["msg"]) < 400, len(answer["msg"])


def test_a_huge_task_id_in_a_poll_is_named_by_its_beginning(api):
    answer = api.get("/api/v1/generate/record-info", {"taskId": "q" * 10_000}).json()
    assert answer["code"] == 404 and len(answer["msg"]) < 300, len(answer["msg"])


@pytest.mark.parametrize("path", ["/api/v1/wav/generate", "/api/v1/mp4/generate", "/api/v1/vocal-removal/generate",
                                  "/api/v1/generate/get-timestamped-lyrics", "/api/v1/generate/generate-persona",
                                  "/api/v1/suno/cover/generate"])
def test_a_task_id_that_is_a_number_is_named_as_the_wrong_type(api, owner, path):
    answer = api.post(path, {"taskId": 123, "audioId": _finished(owner)["audioId"], "name": "n",
                             "description": "d"}).json()
    assert answer["code"] == 422 and answer["msg"] == "taskId must be a string; got a number", answer


def test_legacy_ids_of_the_wrong_type_are_400s_that_say_so(api, tide):
    answer = api.post("/suno/music/get-task", {"task_id": 123}).json()
    assert answer["code"] == 400 and "task_id must be a string" in answer["message"], answer
    answer = api.post("/suno/music/extend-Instrumental", {"continue_clip_id": [], "continue_at": "10",
                                                          "tags": "pop"}).json()
    assert answer["code"] == 400 and "continue_clip_id must be a string" in answer["message"], answer
    assert not Generation.objects.exclude(pk=tide.generation_id).exists()


def test_continue_at_true_is_not_a_number(api, tide):
    answer = api.post("/api/v1/generate/extend", {"audioId": str(tide.pk), "defaultParamFlag": True,
                                                  "continueAt": True, "prompt": "p", "style": "pop",
                                                  "title": "t"}).json()
    assert answer["code"] == 422 and answer["msg"] == "continueAt must be a number of seconds", answer


def test_a_persona_window_starting_past_the_take_names_vocal_start(api, owner):
    answer = api.post("/api/v1/generate/generate-persona", {**_finished(owner), "name": "n", "description": "d",
                                                            "vocalStart": 1e30}).json()
    assert answer["code"] == 422 and answer["msg"].startswith("vocalStart must be within the track"), answer
    assert "vocalEnd" not in answer["msg"]


def test_midi_record_info_without_a_task_id_is_a_422_as_every_record_info(api):
    answer = api.get("/api/v1/midi/record-info").json()
    assert answer["code"] == 422 and answer["msg"] == "taskId is required", answer


def test_a_video_author_over_its_limit_is_a_413_as_every_field_over_its_limit(api, owner):
    answer = api.post("/api/v1/mp4/generate", {**_finished(owner), "author": "a" * 51}).json()
    assert answer["code"] == 413 and "author" in answer["msg"], answer


def test_api_paths_answer_json_for_a_wrong_method_or_a_dead_link(client):
    answer = client.post("/api/openapi.json")
    assert answer.status_code == 200 and answer.json()["code"] == 404, answer.content[:200]
    for path in ("/api/files/not-a-token", "/api/downloads/not-a-token"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["code"] == 404, response.content[:200]
        assert client.post(path).json()["code"] == 404


def test_an_extension_with_its_own_settings_needs_them_all(api, tide):
    answer = api.post("/api/v1/generate/extend", {"audioId": str(tide.pk), "defaultParamFlag": True,
                                                  "model": "V4_5", "continueAt": 10}).json()
    assert answer["code"] == 422, answer
    assert all(f"{field} is required" in answer["msg"] for field in ("style", "title", "prompt")), answer
    # instrumental: nothing is sung, so no words are needed
    answer = api.post("/api/v1/generate/extend", {"audioId": str(tide.pk), "defaultParamFlag": True,
                                                  "instrumental": True, "model": "V4_5", "continueAt": 10,
                                                  "style": "pop", "title": "Tide II"}).json()
    assert answer["code"] == 200, answer


def test_an_extension_is_made_by_its_sources_model(api, tide):
    tide.generation.model = "V4_5"
    tide.generation.save()
    own = {"audioId": str(tide.pk), "defaultParamFlag": True, "continueAt": 10, "prompt": "p",
           "style": "pop", "title": "Tide II"}
    answer = api.post("/api/v1/generate/extend", {**own, "model": "V5"}).json()
    assert answer["code"] == 422 and "model must be the model that made the track, V4_5" in answer["msg"], answer
    assert api.post("/api/v1/generate/extend", {**own, "model": "V4_5"}).json()["code"] == 200


@pytest.mark.parametrize("invisible", ["\u200b\u200b", "\ufeff", " \u2060 "])
def test_words_of_invisible_characters_are_no_words(api, invisible):
    answer = api.post("/api/v1/generate", {"customMode": True, "instrumental": False, "model": "V4_5",
                                           "style": "pop", "title": "T", "prompt": invisible}).json()
    assert answer["code"] == 422 and "prompt" in answer["msg"], answer
    assert not Generation.objects.exists()
