"""POST /api/v1/generate/mashup (suno_api.md §2 row 8): uploadUrlList names exactly two
songs, with generate's customMode x instrumental matrix and limits; every broken rule gets the
seeds' code and names the field as sent. Then a real render of two songs a server on
127.0.0.1 hands out, its stage callbacks, and record-info in the vendors' shape."""
import json

import pytest

from studio.generation.models import Generation, Mode, Status
from tests.api.factories import assert_refused, made_through_api, without
from tests.audio import decode
from tests.engines.conftest import librosa_tempo
from tests.factories import MINOR_SCALE, tune_bytes

MASHUP = "/api/v1/generate/mashup"
URLS = ["https://example.com/first.mp3", "https://example.com/second.mp3"]
BODY = {"uploadUrlList": URLS, "customMode": True, "instrumental": True, "model": "V4_5",
        "style": "synthwave", "title": "Two as one"}

CASES = {
    "uploadUrlList required": (without(BODY, "uploadUrlList"), 422,
                               ["uploadUrlList is required", "2 audio URLs"]),
    "uploadUrlList empty": ({**BODY, "uploadUrlList": []}, 422, ["uploadUrlList is required"]),
    "uploadUrlList a string": ({**BODY, "uploadUrlList": URLS[0]}, 422,
                               ["uploadUrlList must be a list of 2 audio URLs"]),
    "one song": ({**BODY, "uploadUrlList": URLS[:1]}, 422,
                 ["uploadUrlList must name exactly 2 songs; got 1"]),
    "three songs": ({**BODY, "uploadUrlList": [*URLS, URLS[0]]}, 422,
                    ["uploadUrlList must name exactly 2 songs; got 3"]),
    "a song not a URL": ({**BODY, "uploadUrlList": [URLS[0], 7]}, 422,
                         ["uploadUrlList's song 2 must be an audio URL"]),
    "a blank song": ({**BODY, "uploadUrlList": [" ", URLS[1]]}, 422,
                     ["uploadUrlList's song 1 must be an audio URL"]),
    "a URL too long": ({**BODY, "uploadUrlList": [URLS[0], "https://e.com/" + "a" * 2000]}, 413,
                       ["uploadUrlList's song 2 is 2,014 characters", "2,000"]),
    "a private address": ({**BODY, "uploadUrlList": [URLS[0], "http://10.0.0.8/a.mp3"]}, 422,
                          ["uploadUrlList", "private"]),
    "custom style and title": (without(without(BODY, "style"), "title"), 422,
                               ["style is required in custom mode",
                                "title is required in custom mode"]),
    "custom lyrics unless instrumental": ({**BODY, "instrumental": False}, 422,
                                          ["prompt is required in custom mode unless "
                                           "instrumental"]),
    "non-custom description": ({"uploadUrlList": URLS, "customMode": False,
                                "instrumental": False, "model": "V4_5"}, 422,
                               ["prompt is required: describe the mashup"]),
    "non-custom 500": ({"uploadUrlList": URLS, "customMode": False, "instrumental": False,
                        "model": "V4_5", "prompt": "p" * 501}, 413, ["prompt", "500"]),
    "V4 title limit": ({**BODY, "model": "V4", "title": "t" * 81}, 413, ["title", "80"]),
    "model": ({**BODY, "model": "V9"}, 422, ["model"]),
    "every broken field at once": ({"uploadUrlList": URLS[:1], "customMode": True,
                                    "model": "V4_5"}, 422,
                                   ["uploadUrlList", "style", "title", "prompt"]),
}


@pytest.mark.parametrize("case", CASES)
def test_a_broken_rule_is_refused_with_the_seeds_code(api, case):
    body, code, words = CASES[case]
    assert_refused(api.post(MASHUP, body).json(), code, words)
    assert not Generation.objects.exists()


def test_a_song_that_cannot_be_fetched_is_451_and_nothing_is_made(api, receiver):
    receiver.files["/first.wav"] = tune_bytes(bpm=120, tonic=69, seconds=8)
    answer = api.post(MASHUP, {**BODY, "uploadUrlList": [receiver.url + "/first.wav",
                                                         receiver.url + "/missing.mp3"]}).json()
    assert answer["code"] == 451, answer
    assert not Generation.objects.exists()


def test_a_song_longer_than_the_model_takes_is_refused_naming_which(api, receiver, settings):
    receiver.files["/first.wav"] = tune_bytes(bpm=120, tonic=69, seconds=8)
    receiver.files["/long.wav"] = tune_bytes(bpm=90, tonic=64, seconds=62)
    answer = api.post(MASHUP, {**BODY, "model": "V4_5ALL", "uploadUrlList": [
        receiver.url + "/first.wav", receiver.url + "/long.wav"]}).json()
    assert_refused(answer, 422, ["uploadUrlList's song 2 is 1:02 long",
                                 "V4_5ALL accepts at most 1:00"])


@pytest.mark.slow
def test_two_songs_are_mashed_up_called_back_and_read_as_the_vendors_record(
        api, owner_client, receiver, django_capture_on_commit_callbacks, tmp_path):
    receiver.files["/first.wav"] = tune_bytes(bpm=120, tonic=69, scale=MINOR_SCALE,
                                              seconds=10, seed=1)
    receiver.files["/second.wav"] = tune_bytes(bpm=90, tonic=64, seconds=12, seed=2)
    sent = {**BODY, "uploadUrlList": [receiver.url + "/first.wav", receiver.url + "/second.wav"],
            "callBackUrl": receiver.url + "/hook"}
    generation = made_through_api(api, django_capture_on_commit_callbacks, sent, 10,
                                  path=MASHUP)
    assert generation.status == Status.SUCCESS, generation.error_message
    assert generation.mode == Mode.MASHUP
    assert generation.upload.duration == pytest.approx(10, abs=0.05)
    assert generation.second_upload.duration == pytest.approx(12, abs=0.05)

    callbacks = [r["body"] for r in receiver.requests if r["path"] == "/hook"]
    assert [c["data"]["callbackType"] for c in callbacks] == ["text", "first", "complete"]
    complete = callbacks[-1]["data"]["data"]
    assert len(complete) == 2 and all(t["title"] == "Two as one" for t in complete)

    data = api.record(generation.task_id)["data"]
    assert data["status"] == "SUCCESS"
    assert (data["type"], data["operationType"]) == ("MASHUP", "mashup")
    assert json.loads(data["param"]) == sent
    for number, take in enumerate(data["response"]["sunoData"]):
        response = owner_client.get(take["audioUrl"].removeprefix("http://testserver"))
        assert response.status_code == 200
        path = tmp_path / f"take{number}.mp3"
        path.write_bytes(b"".join(response.streaming_content))
        samples, rate = decode(path)
        assert len(samples) / rate >= 10 - 0.5  # the first song's length
        assert librosa_tempo(samples, rate) == pytest.approx(120, rel=0.03)  # and its tempo


def test_someone_elses_persona_is_not_found_and_ones_own_sings(api, receiver, owner, stranger):
    from studio.library.models import Persona

    receiver.files["/first.wav"] = tune_bytes(bpm=120, tonic=69, seconds=8)
    receiver.files["/second.wav"] = tune_bytes(bpm=90, tonic=64, seconds=8, seed=2)
    songs = [receiver.url + "/first.wav", receiver.url + "/second.wav"]
    sung = {**BODY, "uploadUrlList": songs, "instrumental": False,
            "prompt": "[Verse]\nTwo songs meet"}
    theirs = Persona.objects.create(owner=stranger, name="Theirs", description="x",
                                    voice={"gender": "m"})
    answer = api.post(MASHUP, {**sung, "personaId": theirs.pk}).json()
    assert_refused(answer, 404, [f"personaId {theirs.pk} was not found among your personas"])
    assert not Generation.objects.exists()
    mine = Persona.objects.create(owner=owner, name="Mine", description="x",
                                  voice={"gender": "f"})
    answer = api.post(MASHUP, {**sung, "personaId": mine.pk}).json()
    assert answer["code"] == 200, answer
    assert Generation.objects.get(pk=answer["data"]["taskId"]).params["personaId"] == mine.pk
