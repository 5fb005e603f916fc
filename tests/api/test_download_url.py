"""kie's Common API (suno_api.md rows 26 and 27): GET /api/v1/chat/credit, and POST
/api/v1/common/download-url, which turns one of Studio's own file links into a link that
downloads the file as an attachment for 20 minutes. Any other URL is 422, someone else's
file is 404, and a kie script that calls both works against Studio unchanged."""
import time

import pytest
from django.core import signing

from studio.api import files
from studio.generation.models import Status
from tests.api.factories import api_generation, finish_by_hand
from tests.factories import make_track


@pytest.fixture
def song(owner, api):
    generation = finish_by_hand(api_generation(owner))
    return generation, api.record(generation.task_id)["data"]["response"]["sunoData"]


def convert(api, url):
    return api.post("/api/v1/common/download-url", {"url": url}).json()


def fetched(client, url, **headers):
    response = client.get(url.removeprefix("http://testserver"), headers=headers)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def test_chat_credit_is_kies_path_to_the_balance(api, settings):
    settings.STUDIO_API_CREDITS = 777
    assert api.get("/api/v1/chat/credit").json() == {"code": 200, "msg": "success", "data": 777}
    assert api.get("/api/v1/chat/credit").json() == api.get("/api/v1/generate/credit").json()


def test_an_audio_url_becomes_a_download_of_the_same_bytes(api, client, song):
    generation, takes = song
    answer = convert(api, takes[0]["audioUrl"])
    assert answer["code"] == 200 and answer["msg"] == "success", answer
    link = answer["data"]
    assert link.startswith("http://testserver/api/downloads/") and link.endswith(".mp3")
    client.logout()  # a link, as kie's: no key or session needed to fetch it
    response, content = fetched(client, link)
    assert response.status_code == 200
    assert content == generation.tracks.get(variation=0).audio.read()
    assert response["Content-Disposition"] == 'attachment; filename="Sea One.mp3"'
    partial, piece = fetched(client, link, Range="bytes=10-19")
    assert partial.status_code == 206 and piece == content[10:20]


def test_a_cover_and_a_finished_takes_stream_download_too(api, client, song):
    generation, takes = song
    cover, content = fetched(client, convert(api, takes[1]["imageUrl"])["data"])
    assert cover.status_code == 200 and content == generation.tracks.get(variation=1).cover.read()
    assert cover["Content-Disposition"] == 'attachment; filename="Sea Two cover.png"'
    stream = convert(api, files.stream_url(generation, 1, "http://testserver"))
    response, content = fetched(client, stream["data"])
    assert response.status_code == 200
    assert content == generation.tracks.get(variation=1).audio.read()


def test_a_take_still_being_made_is_no_download_yet(api, owner):
    generation = finish_by_hand(api_generation(owner), stop_at=Status.FIRST_SUCCESS)
    answer = convert(api, files.stream_url(generation, 1, "http://testserver"))
    assert answer["code"] == 422 and "still being made" in answer["msg"]


def test_an_upload_downloads_under_its_own_name(api, client):
    from tests.factories import audio_bytes

    uploaded = api.client.post("/api/file-stream-upload",
                               {"file": _named(audio_bytes("wav", 1.0), "demo take.wav")},
                               headers=api.headers()).json()
    assert uploaded["code"] == 200, uploaded
    response, content = fetched(client, convert(api, uploaded["data"]["downloadUrl"])["data"])
    assert response.status_code == 200 and content[:4] == b"RIFF"
    assert response["Content-Disposition"] == 'attachment; filename="demo take.wav"'


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize("url", [None, "", 42, "https://cdn.example.com/song.mp3",
                                 "http://testserver/api/files/not-a-signed-token.mp3",
                                 "http://testserver/tracks/1/audio.mp3"])
def test_anything_but_studios_own_link_is_422(api, url):
    answer = convert(api, url)
    assert answer["code"] == 422 and "url" in answer["msg"]


def test_someone_elses_file_is_404_whoever_holds_its_link(stranger_api, song):
    answer = convert(stranger_api, song[1][0]["audioUrl"])
    assert answer["code"] == 404 and answer["data"] is None


def test_an_expired_link_to_ones_own_file_still_converts(api, client, song, settings):
    url = song[1][0]["audioUrl"]
    settings.STUDIO_FILE_URL_DAYS = -1  # every file link has expired
    assert fetched(client, url)[0].status_code == 404
    response, _ = fetched(client, convert(api, url)["data"])
    assert response.status_code == 200


class _SignedAgo(signing.TimestampSigner):
    def __init__(self, seconds: int):
        super().__init__(salt=files.DOWNLOAD_SALT)
        self.seconds = seconds

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - self.seconds)


@pytest.mark.parametrize(("age", "status"), [(19 * 60, 200), (21 * 60, 404)])
def test_a_download_link_lasts_twenty_minutes(client, owner, age, status):
    track = make_track(owner, title="Ebb")
    token = _SignedAgo(age).sign(f"{files.AUDIO}{track.id.hex}")
    assert fetched(client, f"/api/downloads/{token}.mp3")[0].status_code == status


def test_a_tampered_or_file_link_token_is_no_download(client, owner):
    track = make_track(owner, title="Ebb")
    file_token = files.token(files.AUDIO, track.id)  # signed for /api/files/, not downloads
    assert fetched(client, f"/api/downloads/{file_token}.mp3")[0].status_code == 404
    good = signing.TimestampSigner(salt=files.DOWNLOAD_SALT).sign(f"{files.AUDIO}{track.id.hex}")
    assert fetched(client, f"/api/downloads/{good}.mp3")[0].status_code == 200
    assert fetched(client, f"/api/downloads/{good[:-1]}x.mp3")[0].status_code == 404


def test_the_download_needs_a_key_and_a_post(anonymous_api, api, song):
    assert anonymous_api.post("/api/v1/common/download-url",
                              {"url": song[1][0]["audioUrl"]}).json()["code"] == 401
    assert api.get("/api/v1/common/download-url").json()["code"] == 404


def test_links_use_studio_base_url_where_it_is_set(api, song, settings):
    """Behind a proxy, STUDIO_BASE_URL is the address clients reach: every link handed out
    (record-info, uploads, downloads) uses it, not the host the request came in on."""
    from tests.factories import audio_bytes

    settings.STUDIO_BASE_URL = "https://music.example.org"
    takes = api.record(song[0].task_id)["data"]["response"]["sunoData"]
    assert takes[0]["audioUrl"].startswith("https://music.example.org/api/files/")
    assert convert(api, takes[0]["audioUrl"])["data"].startswith(
        "https://music.example.org/api/downloads/")
    uploaded = api.client.post("/api/file-stream-upload",
                               {"file": _named(audio_bytes("wav", 1.0), "demo.wav")},
                               headers=api.headers()).json()
    assert uploaded["data"]["downloadUrl"].startswith("https://music.example.org/api/files/")


def test_a_stream_link_downloads_the_take_under_its_own_files_extension(api, client, owner):
    """A vendor's take may be kept in another format than the stream's MP3: the download
    link names the kept file's own extension, so it serves."""
    from django.core.files.base import ContentFile

    from tests.factories import audio_bytes

    generation = finish_by_hand(api_generation(owner))
    track = generation.tracks.get(variation=0)
    track.audio.save("audio.wav", ContentFile(audio_bytes("wav", 1.0)))
    link = convert(api, files.stream_url(generation, 0, "http://testserver"))["data"]
    assert link.endswith(".wav")
    response, content = fetched(client, link)
    assert response.status_code == 200 and content[:4] == b"RIFF"
