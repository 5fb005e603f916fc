"""Studio's own signed links given back to it: a track's audioUrl (or a take's stream link)
as uploadUrl or fileUrl is read from Studio's own files, never fetched over the network —
where, on a self-hosted Studio, it used to be refused as a loopback address. A signed link
is a capability: the audio becomes an upload of whoever sent it. Links end in the file's
extension, as the vendors' do; links without one keep working."""
import pytest
from django.core import signing

from studio.api import files
from studio.generation.models import Generation, Upload
from studio.library.models import Track
from tests.api.factories import api_generation, finish_by_hand

STUDIO = "http://127.0.0.1:8000"  # a self-hosted Studio's links point at a loopback address


@pytest.fixture
def self_hosted(settings):
    settings.STUDIO_BASE_URL = STUDIO
    settings.STUDIO_OUTBOUND_ALLOW = []


@pytest.fixture
def song(owner, api, self_hosted):
    generation = finish_by_hand(api_generation(owner))
    return api.record(generation.task_id)["data"]["response"]["sunoData"]


def cover_from(api, url):
    return api.post("/api/v1/generate/upload-cover", {"uploadUrl": url, "customMode": False,
                                                      "prompt": "the same tune, slower"}).json()


def test_a_tracks_audio_url_as_upload_url_becomes_an_upload_of_the_caller(api, owner, song):
    answer = cover_from(api, song[0]["audioUrl"])
    assert answer["code"] == 200, answer["msg"]
    generation = Generation.objects.get(pk=answer["data"]["taskId"])
    track = Track.objects.get(pk=song[0]["id"])
    assert generation.upload.owner == owner and generation.upload.name == "Sea One.mp3"
    assert generation.upload.file.read() == track.audio.read()
    assert generation.upload.duration == pytest.approx(track.duration, abs=0.2)


def test_a_tracks_audio_url_as_file_url_is_uploaded_without_a_download(api, owner, song):
    answer = api.post("/api/file-url-upload", {"fileUrl": song[1]["audioUrl"]}).json()
    assert answer["code"] == 200, answer["msg"]
    upload = Upload.objects.get()
    assert upload.owner == owner and answer["data"]["downloadUrl"].endswith(".mp3")


def test_someone_elses_valid_link_becomes_the_callers_own_upload(stranger_api, stranger,
                                                                 owner, song):
    answer = cover_from(stranger_api, song[0]["audioUrl"])
    assert answer["code"] == 200, answer["msg"]
    generation = Generation.objects.get(pk=answer["data"]["taskId"])
    assert generation.owner == stranger and generation.upload.owner == stranger
    assert Track.objects.get(pk=song[0]["id"]).owner == owner  # the source is untouched


def test_a_finished_takes_stream_link_is_its_tracks_audio(api, owner, self_hosted):
    generation = finish_by_hand(api_generation(owner))
    link = files.stream_url(generation, 1, STUDIO)
    answer = cover_from(api, link)
    assert answer["code"] == 200, answer["msg"]
    made = Generation.objects.get(pk=answer["data"]["taskId"])
    assert made.upload.file.read() == generation.tracks.get(variation=1).audio.read()


def test_a_cover_image_link_is_not_audio(api, song):
    answer = cover_from(api, song[0]["imageUrl"])
    assert answer["code"] == 422 and "cover image" in answer["msg"]


def test_an_expired_link_still_serves_its_owner_but_nobody_else(api, stranger_api, song,
                                                                settings):
    settings.STUDIO_FILE_URL_DAYS = -1
    assert cover_from(api, song[0]["audioUrl"])["code"] == 200
    answer = cover_from(stranger_api, song[0]["audioUrl"])
    # no longer Studio's to hand over: an outside URL, and a loopback one at that
    assert answer["code"] == 422 and "127.0.0.1" in answer["msg"]
    assert Generation.objects.filter(owner__username="mallory", mode="upload_cover").count() == 0


def test_a_tampered_link_is_an_outside_url(api, song):
    url = song[0]["audioUrl"]
    stem, extension = url.rsplit(".", 1)
    answer = cover_from(api, stem[:-2] + "xx." + extension)
    assert answer["code"] == 422 and "127.0.0.1" in answer["msg"]


def test_a_link_to_a_deleted_track_says_the_file_is_gone(api, song):
    Track.objects.filter(pk=song[0]["id"]).delete()
    answer = cover_from(api, song[0]["audioUrl"])
    assert answer["code"] == 451 and "no longer exists" in answer["msg"]


# -- extensions -------------------------------------------------------------------------------

def test_links_end_in_the_files_extension(api, owner, song):
    assert all(t["audioUrl"].endswith(".mp3") and t["imageUrl"].endswith(".png") for t in song)
    running = api_generation(owner)
    running.advance("TEXT_SUCCESS")
    streams = api.record(running.task_id)["data"]["response"]["sunoData"]
    assert all(t["streamAudioUrl"].endswith(".mp3") for t in streams)


def test_a_link_with_its_extension_serves_the_file(client, song):
    track = Track.objects.get(pk=song[0]["id"])
    response = client.get(song[0]["audioUrl"].removeprefix(STUDIO))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == track.audio.read()


def test_an_old_link_without_an_extension_still_serves_the_file(client, owner):
    track = Track.objects.create(owner=owner, generation=api_generation(owner), variation=0,
                                 title="Old", duration=2.0)
    from django.core.files.base import ContentFile

    from tests.factories import mp3_bytes
    track.audio.save("audio.mp3", ContentFile(mp3_bytes(1.0)))
    old = "/api/files/" + signing.TimestampSigner(salt=files.SALT).sign(f"a{track.id.hex}")
    response = client.get(old)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == track.audio.read()


def test_a_link_with_another_extension_is_404(client, song):
    stem = song[0]["audioUrl"].removeprefix(STUDIO).rsplit(".", 1)[0]
    assert client.get(stem + ".wav").status_code == 404
    assert client.get(stem + ".mp3").status_code == 200


def test_a_file_keeps_one_link_all_hour_and_it_serves_the_file(client, owner, monkeypatch):
    """A client polling a task sees the same audioUrl until the hour turns (a new link per
    second defeated its cache and its "has this changed?" check); every link serves."""
    generation = finish_by_hand(api_generation(owner))
    track = generation.tracks.get(variation=0)
    hour = 1_800_000_000 // 3600 * 3600

    def link_at(second):
        monkeypatch.setattr(files.time, "time", lambda: hour + second)
        return files.track_urls(track, "")[0]

    early, late, next_hour = link_at(5), link_at(3599), link_at(3600)
    assert early == late and next_hour != early
    monkeypatch.undo()
    audio = track.audio.read()
    for link in (early, next_hour):
        response = client.get(link)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == audio
