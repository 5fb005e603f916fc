"""The vendors' file-upload API; its downloadUrl works as uploadUrl with no second download,
and signed file links serve bytes (with Range) to clients without a session."""
import base64

import pytest

from studio.api import files, outbound
from studio.generation.models import Generation, Upload
from tests.api import world
from tests.factories import mp3_bytes


@pytest.fixture
def song():
    return mp3_bytes(2.0)


def _upload(api, song):
    from django.core.files.uploadedfile import SimpleUploadedFile
    return api.client.post("/api/file-stream-upload",
                           {"file": SimpleUploadedFile("vocal.mp3", song, "audio/mpeg"),
                            "uploadPath": "vocals"}, headers=api.headers()).json()


def test_stream_upload_answers_the_vendor_shape(api, song):
    answer = _upload(api, song)
    assert answer["code"] == 200, answer
    data = answer["data"]
    assert data["fileName"] == "vocal.mp3" and data["mimeType"] == "audio/mpeg"
    assert data["fileSize"] == len(song) and data["uploadPath"] == "vocals"
    assert data["downloadUrl"] == data["fileUrl"] and data["expiresAt"] > data["uploadTime"]


def test_uploaded_url_is_used_as_upload_url_without_fetching(api, song, monkeypatch):
    url = _upload(api, song)["data"]["downloadUrl"]
    monkeypatch.setattr(outbound, "fetch_audio", pytest.fail)
    answer = api.post("/api/v1/generate/add-instrumental", {
        "uploadUrl": url, "title": "Backing", "tags": "piano", "negativeTags": "metal"}).json()
    assert answer["code"] == 200, answer
    generation = Generation.objects.get(pk=answer["data"]["taskId"])
    assert generation.upload == Upload.objects.get() and Upload.objects.count() == 1


def test_someone_elses_upload_url_becomes_a_copy_owned_by_the_caller(
        api, owner, stranger_api, stranger, song, monkeypatch):
    """A signed link is a capability (anyone holding it can download the file), so the
    caller gets its own copy; the stranger's upload is neither shared nor changed."""
    url = _upload(stranger_api, song)["data"]["downloadUrl"]
    theirs = Upload.objects.get()
    monkeypatch.setattr(outbound, "fetch_audio", pytest.fail)
    answer = api.post("/api/v1/generate/upload-cover", {"uploadUrl": url, "customMode": False,
                                                        "prompt": "a cover"}).json()
    assert answer["code"] == 200, answer["msg"]
    generation = Generation.objects.get()
    assert generation.upload != theirs and generation.upload.owner == owner
    assert generation.upload.file.read() == song
    assert Upload.objects.get(pk=theirs.pk).owner == stranger


def test_base64_upload_accepts_a_data_uri(api, song):
    data_uri = "data:audio/mpeg;base64," + base64.b64encode(song).decode()
    answer = api.post("/api/file-base64-upload", {"base64Data": data_uri,
                                                  "fileName": "hum.mp3"}).json()
    assert answer["code"] == 200 and answer["data"]["fileName"] == "hum.mp3"


def test_a_data_uri_without_its_comma_is_told_so_not_called_empty(api, song):
    answer = api.post("/api/file-base64-upload", {
        "base64Data": "data:audio/mpeg;base64" + base64.b64encode(song).decode()}).json()
    assert answer["code"] == 422 and "empty" not in answer["msg"], answer
    assert "base64Data" in answer["msg"] and "data:" in answer["msg"], answer
    assert not Upload.objects.exists()


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_base64_wrapped_in_lines_is_the_same_file(api, song, newline):
    """MIME base64 (Python's encodebytes, `base64` on the command line, Java's MIME encoder)
    breaks its text into 76-character lines; the line breaks are no part of the file."""
    wrapped = base64.encodebytes(song).decode().replace("\n", newline)
    answer = api.post("/api/file-base64-upload", {"base64Data": wrapped,
                                                  "fileName": "hum.mp3"}).json()
    assert answer["code"] == 200, answer
    assert answer["data"]["fileSize"] == len(song)
    assert Upload.objects.get().file.read() == song


def test_base64_upload_refuses_garbage(api):
    assert api.post("/api/file-base64-upload", {"base64Data": "***"}).json()["code"] == 422


def test_url_upload_fetches_and_keeps_the_file(api, song, monkeypatch):
    world.stage(monkeypatch, {"https://example.com/take.mp3": song})
    answer = api.post("/api/file-url-upload", {"fileUrl": "https://example.com/take.mp3"})
    assert answer.json()["code"] == 200, answer.json()
    assert Upload.objects.get().name == "take.mp3"


def test_a_text_file_is_refused_by_content(api):
    from django.core.files.uploadedfile import SimpleUploadedFile
    answer = api.client.post("/api/file-stream-upload",
                             {"file": SimpleUploadedFile("song.mp3", b"<html>hi</html>" * 10)},
                             headers=api.headers()).json()
    assert answer["code"] == 422 and "audio" in answer["msg"]


def test_signed_link_serves_a_byte_range_without_a_session(api, client, song):
    url = _upload(api, song)["data"]["downloadUrl"].removeprefix("http://testserver")
    client.logout()
    response = client.get(url, headers={"Range": "bytes=0-9"})
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == song[:10]


def test_a_tampered_or_expired_link_is_404(api, client, song, settings):
    url = _upload(api, song)["data"]["downloadUrl"].removeprefix("http://testserver")
    signed, extension = url.rsplit(".", 1)
    assert client.get(signed[:-2] + "xx." + extension).status_code == 404
    settings.STUDIO_FILE_URL_DAYS = -1
    assert client.get(url).status_code == 404


def test_signed_link_names_one_file_kind(owner):
    upload_token = files.token(files.UPLOAD, Upload(owner=owner).id)
    assert files.unsign(upload_token)[0] == files.UPLOAD
