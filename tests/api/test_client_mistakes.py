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
