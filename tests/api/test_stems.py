"""POST /api/v1/vocal-removal/generate and its record-info: a local take's exact stems, made
once by the worker and kept; downloaded through their signed links and measured (the links
give MP3s, as the vendors' do; the same link ending in .flac, the lossless stem that sums)."""
import io
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from studio.generation.models import Mode, Status
from studio.library.models import Stems
from tests.api.factories import api_generation, finish_by_hand, made_through_api
from tests.factories import make_track

PATH = "/api/v1/vocal-removal/generate"
RECORD = "/api/v1/vocal-removal/record-info"
SPLIT_KEYS = ["vocalUrl", "drumsUrl", "bassUrl"]


@pytest.fixture
def song(api, django_capture_on_commit_callbacks):
    generation = made_through_api(api, django_capture_on_commit_callbacks, {
        "customMode": True, "instrumental": False, "model": "V4_5", "style": "rock, 110 bpm",
        "title": "River", "prompt": "[Verse]\nHold the night, my friend!\nWe walk along the river"},
        seconds=12.0)
    assert generation.status == Status.SUCCESS, generation.error_message
    return generation


def ask(api, capture, body):
    with capture(execute=True):
        answer = api.post(PATH, body).json()
    assert answer["code"] == 200, answer
    return api.get(RECORD, {"taskId": answer["data"]["taskId"]}).json()


def fetch(client, url) -> np.ndarray:
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200, url
    data, rate = sf.read(io.BytesIO(b"".join(response.streaming_content)), dtype="float32",
                         always_2d=True)
    assert rate == 44100
    return data


def lossless(url: str) -> str:
    """A stem's link as its FLAC: the same signed link, ending in .flac."""
    assert url.endswith(".mp3"), url
    return url.removesuffix(".mp3") + ".flac"


def db(x) -> float:
    return 10 * np.log10(max(float(x), 1e-30))


@pytest.mark.slow
def test_split_stems_sum_to_the_vocals_and_instrumental_and_are_made_once(
        api, client, song, django_capture_on_commit_callbacks):
    track = song.tracks.get(variation=0)
    body = {"taskId": song.task_id, "audioId": str(track.id), "type": "split_stem",
            "callBackUrl": "https://example.com/hook"}
    record = ask(api, django_capture_on_commit_callbacks, body)
    assert record["code"] == 200 and record["data"]["successFlag"] == "SUCCESS", record
    data = record["data"]
    assert data["audioId"] == data["musicId"] == str(track.id)
    assert data["callbackUrl"] == "https://example.com/hook" and data["type"] == "split_stem"
    assert isinstance(data["completeTime"], int) and data["errorCode"] is None
    response = data["response"]
    assert response["originUrl"].endswith(".mp3")
    assert response["instrumentalUrl"] == "" and response["backingVocalsUrl"] == ""
    urls = {k: v for k, v in response.items() if v and k != "originUrl"}
    assert set(SPLIT_KEYS) <= set(urls)
    assert all(u.endswith(".mp3") for u in urls.values())
    split = {k: fetch(client, lossless(u)) for k, u in urls.items()}
    folder = Path(track.audio.path).parent
    written = {p.name: p.stat().st_mtime_ns for p in folder.glob("stem-*.flac")}
    assert "stem-instrumental.flac" in written and len(written) == len(urls) + 1

    pair = ask(api, django_capture_on_commit_callbacks, {**body, "type": "separate_vocal"})["data"]
    # Made once: the second request reused the kept files, without rendering again.
    kept = Stems.objects.filter(track=track)
    assert kept.count() == 2 and all(s.claimed_at for s in kept)
    assert set(kept[0].files.values()) == set(kept[1].files.values())
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("stem-*.flac")} == written
    assert [k for k, v in pair["response"].items() if v] == ["originUrl", "instrumentalUrl", "vocalUrl"]
    vocals, instrumental = (fetch(client, lossless(pair["response"][k]))
                            for k in ("vocalUrl", "instrumentalUrl"))
    assert np.array_equal(vocals, split["vocalUrl"])
    whole = np.sum(list(split.values()), axis=0)
    together = vocals + instrumental
    assert db(np.mean((whole - together) ** 2) / np.mean(whole ** 2)) < -60
    # The stored MP3 is the same mix (up to MP3's own coding noise).
    from studio.audio import decode
    stored, _rate = decode(track.audio.path)
    n = min(stored.shape[1], whole.shape[0])
    noise = db(np.mean((stored[:, :n].T - whole[:n]) ** 2) / np.mean(whole[:n] ** 2))
    assert noise < -15, noise
    # The MP3 behind vocalUrl is the vocal stem, coded: as long, to the sample (a gapless
    # decoder), and alike (LAME's own ~0.97 gain aside).
    coded = fetch(client, pair["response"]["vocalUrl"])
    assert coded.shape == vocals.shape
    assert np.corrcoef(coded.ravel(), vocals.ravel())[0, 1] > 0.99
    assert abs(db(np.mean(coded ** 2)) - db(np.mean(vocals ** 2))) < 0.5


def test_strangers_get_not_found(stranger_api, owner, api):
    generation = finish_by_hand(api_generation(owner))
    answer = stranger_api.post(PATH, {"taskId": generation.task_id,
                                      "audioId": str(generation.tracks.first().id)}).json()
    assert answer["code"] == 404
    stems = Stems.objects.create(owner=owner, track=generation.tracks.first())
    assert stranger_api.get(RECORD, {"taskId": stems.task_id}).json()["code"] == 404
    assert api.get(RECORD, {"taskId": stems.task_id}).json()["data"]["successFlag"] == "PENDING"


def test_an_upload_cover_is_refused_plainly(api, owner):
    generation = api_generation(owner, mode=Mode.UPLOAD_COVER, status=Status.SUCCESS)
    track = make_track(owner, generation=generation)
    answer = api.post(PATH, {"taskId": generation.task_id, "audioId": str(track.id)}).json()
    assert answer["code"] == 422
    assert answer["msg"].startswith("The local engine cannot separate this track: a cover is "
                                    "built on an uploaded song")
    assert not Stems.objects.exists()


def test_a_vendor_take_is_refused_plainly(api, owner):
    generation = api_generation(owner, status=Status.SUCCESS, engine="upstream:acme")
    track = make_track(owner, generation=generation)
    answer = api.post(PATH, {"taskId": generation.task_id, "audioId": str(track.id)}).json()
    assert answer["code"] == 422 and "made by a vendor" in answer["msg"]


def test_an_unknown_type_is_named(api, owner):
    generation = finish_by_hand(api_generation(owner))
    answer = api.post(PATH, {"taskId": generation.task_id, "type": "split_stem_advanced",
                             "audioId": str(generation.tracks.first().id)}).json()
    assert answer["code"] == 422 and "split_stem_advanced is not offered" in answer["msg"]


def test_an_unfinished_task_is_refused(api, owner):
    generation = finish_by_hand(api_generation(owner), stop_at=Status.FIRST_SUCCESS)
    answer = api.post(PATH, {"taskId": generation.task_id,
                             "audioId": str(generation.tracks.first().id)}).json()
    assert answer["code"] == 422 and "is not finished" in answer["msg"]


@pytest.mark.slow
def test_the_callback_carries_every_stem_link_signed(api, owner, song, receiver,
                                                     django_capture_on_commit_callbacks):
    from studio.api.models import WebhookSecret
    from tests.api.test_callbacks import signature_is_valid

    track = song.tracks.get(variation=0)
    for kind in ("split_stem", "separate_vocal"):  # made, then reused: both call back
        record = ask(api, django_capture_on_commit_callbacks, {
            "taskId": song.task_id, "audioId": str(track.id), "type": kind,
            "callBackUrl": receiver.url + "/stems-hook"})
        assert record["data"]["successFlag"] == "SUCCESS"
    assert [r["path"] for r in receiver.requests] == ["/stems-hook", "/stems-hook"]
    split, pair = (r["body"] for r in receiver.requests)
    assert split["code"] == 200 and split["msg"] == "vocal Removal generated successfully."
    info = split["data"]["vocal_removal_info"]
    assert info["vocal_url"] and info["drums_url"] and info["origin_url"] and info["instrumental_url"] == ""
    assert pair["data"]["vocal_removal_info"]["instrumental_url"].endswith(".mp3")
    assert info["vocal_url"].endswith(".mp3") and info["origin_url"].endswith(".mp3")
    secret = WebhookSecret.for_user(owner).secret
    tasks = [str(s.id) for s in Stems.objects.order_by("created_at")]
    assert [r["body"]["data"]["task_id"] for r in receiver.requests] == tasks
    assert all(signature_is_valid(r, secret, t) for r, t in zip(receiver.requests, tasks, strict=True))


def test_a_private_callback_url_is_accepted_logged_as_refused_and_never_tried(
        api, owner, settings, caplog, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    from tests.api.conftest import Receiver
    from tests.factories import audio_bytes

    track = make_track(owner, generation=api_generation(owner, status=Status.SUCCESS))
    files = {"vocals": "stem-vocals.flac", "instrumental": "stem-instrumental.flac"}
    for name in files.values():  # kept from an earlier request: this one is done at once
        track.audio.storage.save(f"{track.folder}/{name}", ContentFile(audio_bytes("flac")))
    Stems.objects.create(owner=owner, track=track, status=Stems.Status.SUCCESS, files=files)
    settings.STUDIO_OUTBOUND_ALLOW = []
    receiver = Receiver()  # a real server on 127.0.0.1, which Studio must not call
    try:
        with caplog.at_level("INFO", logger="studio.api"):
            record = ask(api, django_capture_on_commit_callbacks, {
                "taskId": track.generation.task_id, "audioId": str(track.id),
                "callBackUrl": receiver.url + "/stems"})
    finally:
        receiver.close()
    assert record["data"]["successFlag"] == "SUCCESS" and record["data"]["callbackUrl"] == ""
    assert receiver.requests == []
    [refusal] = [r.getMessage() for r in caplog.records if "will not be called" in r.getMessage()]
    assert receiver.url + "/stems" in refusal and "private" in refusal
    # Refused when asked, as a song's callback is: no callback task was queued to try it.
    assert not [r for r in caplog.records if r.name == "studio.api.callbacks"]


def test_a_take_named_by_its_audio_url_alone_is_separated(
        api, client, song, django_capture_on_commit_callbacks):
    """Some clients send the take's audioUrl instead of taskId + audioId (suno_api.md §2
    row 14): the same stems, of the same track."""
    take = api.record(song.task_id)["data"]["response"]["sunoData"][1]
    record = ask(api, django_capture_on_commit_callbacks, {"audioUrl": take["audioUrl"]})
    assert record["data"]["successFlag"] == "SUCCESS", record
    assert record["data"]["audioId"] == take["id"]
    vocals = fetch(client, record["data"]["response"]["vocalUrl"])
    instrumental = fetch(client, record["data"]["response"]["instrumentalUrl"])
    original = fetch(client, record["data"]["response"]["originUrl"])
    assert len(vocals) == len(instrumental) > 0 and db(np.mean(vocals ** 2)) > -60
    assert original.shape[0] > 0


@pytest.mark.parametrize(("url", "code", "words"), [
    ("https://cdn.example.com/song.mp3", 422, "not a track's audio link"),
    ("", 422, "taskId"),
])
def test_an_audio_url_that_is_not_studios_is_refused(api, url, code, words):
    answer = api.post(PATH, {"audioUrl": url}).json()
    assert answer["code"] == code and words in answer["msg"], answer


def test_someone_elses_audio_url_is_404(stranger_api, song, api):
    take = api.record(song.task_id)["data"]["response"]["sunoData"][0]
    answer = stranger_api.post(PATH, {"audioUrl": take["audioUrl"]}).json()
    assert answer["code"] == 404 and "no track of yours" in answer["msg"]


def test_a_take_still_being_made_named_by_its_stream_link_is_not_finished(api, owner):
    from studio.api import files

    generation = finish_by_hand(api_generation(owner), stop_at=Status.FIRST_SUCCESS)
    answer = api.post(PATH, {"audioUrl": files.stream_url(generation, 1, "http://testserver")})
    assert answer.json()["code"] == 422 and "still being made" in answer.json()["msg"]
