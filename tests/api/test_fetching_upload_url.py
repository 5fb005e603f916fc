"""An uploadUrl is fetched at request time — capped in size and time, sniffed, decoded — so
a bad URL is an error at once, from a real HTTP server on 127.0.0.1."""
import pytest

from studio.generation.models import Generation
from tests.factories import mp3_bytes

COVER = {"prompt": "a slow cover", "customMode": False}


def test_a_fetched_upload_becomes_the_covers_source(api, receiver):
    receiver.files["/song.mp3"] = mp3_bytes(2.0)
    answer = api.post("/api/v1/generate/upload-cover",
                      {**COVER, "uploadUrl": receiver.url + "/song.mp3"}).json()
    assert answer["code"] == 200, answer
    generation = Generation.objects.get()
    assert generation.upload.format == "mp3" and generation.upload.duration == pytest.approx(
        2.0, abs=0.1)


def test_loopback_is_refused_without_the_allow_list(api, receiver, settings):
    settings.STUDIO_OUTBOUND_ALLOW = []
    receiver.files["/song.mp3"] = mp3_bytes(1.0)
    answer = api.post("/api/v1/generate/upload-cover",
                      {**COVER, "uploadUrl": receiver.url + "/song.mp3"}).json()
    assert answer["code"] == 422 and "127.0.0.1" in answer["msg"]
    assert receiver.requests == [] and not Generation.objects.exists()


def test_a_missing_file_is_451(api, receiver):
    answer = api.post("/api/v1/generate/upload-cover",
                      {**COVER, "uploadUrl": receiver.url + "/nothing.mp3"}).json()
    assert answer["code"] == 451 and "404" in answer["msg"]


def test_a_file_over_the_size_limit_is_413(api, receiver, settings):
    settings.STUDIO_UPLOAD_MAX_MB = 1
    receiver.files["/big.mp3"] = b"ID3" + b"\0" * (2 * 1024 * 1024)
    answer = api.post("/api/v1/generate/upload-cover",
                      {**COVER, "uploadUrl": receiver.url + "/big.mp3"}).json()
    assert answer["code"] == 413 and "1 MB" in answer["msg"]


def test_html_is_refused_by_its_first_bytes(api, receiver):
    receiver.files["/page.mp3"] = b"<!doctype html><html>" * 100
    answer = api.post("/api/v1/generate/upload-cover",
                      {**COVER, "uploadUrl": receiver.url + "/page.mp3"}).json()
    assert answer["code"] == 422 and "audio" in answer["msg"]


def test_audio_too_long_for_the_model_is_refused(api, receiver):
    receiver.files["/long.mp3"] = mp3_bytes(61.0, rate=8000)
    answer = api.post("/api/v1/generate/upload-cover", {
        **COVER, "model": "V4_5ALL", "uploadUrl": receiver.url + "/long.mp3"}).json()
    assert answer["code"] == 422 and "uploadUrl" in answer["msg"] and "1:00" in answer["msg"]


def test_an_unresolvable_host_is_451(api):
    answer = api.post("/api/v1/generate/upload-cover",
                      {**COVER, "uploadUrl": "https://no-such-host.invalid/a.mp3"}).json()
    assert answer["code"] == 451
