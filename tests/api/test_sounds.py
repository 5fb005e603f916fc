"""POST /api/v1/generate/sounds (suno_api.md §2 row 25): a sound or loop, followed on the
generate record-info and by the same three callbacks as a song; its fields checked with the
vendors' limits, every broken one named at once."""
import json

import pytest

from studio.generation.models import Mode, Status
from tests.api.factories import made_through_api
from tests.api.test_callbacks import signature_is_valid
from tests.audio import decode

SOUNDS = "/api/v1/generate/sounds"


def test_a_loop_is_made_tracked_and_called_back_like_a_song(
        api, owner, owner_client, receiver, django_capture_on_commit_callbacks, tmp_path):
    from studio.api.models import WebhookSecret

    generation = made_through_api(api, django_capture_on_commit_callbacks, {
        "prompt": "a warm deep house groove", "model": "V5", "soundLoop": True,
        "soundTempo": 100, "soundKey": "Am", "grabLyrics": False,
        "callBackUrl": receiver.url + "/hook"}, 16, path=SOUNDS)
    assert generation.mode == Mode.SOUNDS and generation.status == Status.SUCCESS
    bodies = [r["body"] for r in receiver.requests]
    assert [b["data"]["callbackType"] for b in bodies] == ["text", "first", "complete"]
    secret = WebhookSecret.for_user(owner).secret
    assert all(signature_is_valid(r, secret, generation.task_id) for r in receiver.requests)

    data = api.record(generation.task_id)["data"]
    assert data["status"] == "SUCCESS" and data["type"] == "SOUNDS"
    assert data["operationType"] == "sounds"
    assert json.loads(data["param"])["soundKey"] == "Am"
    takes = data["response"]["sunoData"]
    assert len(takes) == 2
    for take in takes:
        # 16 s asked of 2.4 s bars: 8 bars, 19.2 s, with nothing after the last bar
        assert take["duration"] == pytest.approx(19.2, abs=0.01)
        response = owner_client.get(take["audioUrl"].removeprefix("http://testserver"))
        assert response.status_code == 200
        (tmp_path / "take.mp3").write_bytes(b"".join(response.streaming_content))
        samples, rate = decode(tmp_path / "take.mp3")
        assert len(samples) / rate == pytest.approx(19.2, abs=0.005)


@pytest.mark.parametrize(("body", "code", "words"), [
    ({}, 422, ["prompt is required"]),
    ({"prompt": "x" * 501}, 413, ["prompt is 501 characters", "500"]),
    ({"prompt": "rain", "model": "V4_5"}, 422, ["model must be one of V5, V5_5; got V4_5"]),
    ({"prompt": "rain", "soundTempo": 0}, 422, ["soundTempo must be a whole number of BPM "
                                                "from 1 to 300; got 0"]),
    ({"prompt": "rain", "soundTempo": 120.5}, 422, ["soundTempo", "whole number"]),
    ({"prompt": "rain", "soundTempo": "fast"}, 422, ["soundTempo", "got fast"]),
    ({"prompt": "rain", "soundKey": "H"}, 422, ["soundKey must be Any or a key"]),
    ({"prompt": "rain", "soundLoop": "yes"}, 422, ["soundLoop must be true or false"]),
    ({"prompt": "", "soundKey": "Cb", "soundTempo": 301, "model": "V4"}, 422,
     ["prompt", "soundKey", "soundTempo", "model"]),
])
def test_each_broken_field_is_named(api, body, code, words):
    answer = api.post(SOUNDS, body).json()
    assert answer["code"] == code, answer
    for word in words:
        assert word in answer["msg"], answer["msg"]


@pytest.mark.parametrize("body", [
    {"prompt": "rain", "soundTempo": None, "soundKey": "Any"},
    {"prompt": "rain", "soundTempo": "120", "soundKey": "F#m", "model": "V5_5",
     "soundLoop": "true", "grabLyrics": True},
])
def test_the_documented_values_are_accepted(api, body):
    answer = api.post(SOUNDS, body).json()
    assert answer["code"] == 200, answer


@pytest.mark.slow
def test_a_loops_stems_are_loops_that_sum_to_it(api, client, django_capture_on_commit_callbacks):
    """A drum loop for the sampler: each stem is the loop's own length to the sample, loops
    as it does (wrapped, mastered with it), and the stems sum back to it."""
    import io

    import numpy as np
    import soundfile as sf

    from tests.api.test_stems import ask, db, lossless

    generation = made_through_api(api, django_capture_on_commit_callbacks, {
        "prompt": "a warm deep house groove", "model": "V5", "soundLoop": True,
        "soundTempo": 120}, 8, path=SOUNDS)
    track = generation.tracks.get(variation=0)
    record = ask(api, django_capture_on_commit_callbacks, {
        "taskId": generation.task_id, "audioId": str(track.pk), "type": "split_stem"})
    assert record["data"]["successFlag"] == "SUCCESS", record
    urls = {k: v for k, v in record["data"]["response"].items() if v and k != "originUrl"}
    assert {"drumsUrl", "bassUrl"} <= set(urls) and "vocalUrl" not in urls
    stems = {}
    for name, url in urls.items():
        response = client.get(lossless(url).removeprefix("http://testserver"))
        stems[name], rate = sf.read(io.BytesIO(b"".join(response.streaming_content)),
                                    dtype="float32", always_2d=True)
        assert len(stems[name]) == 4 * 2 * rate  # 4 bars of 2 s at 120 BPM, exactly
    whole = np.sum(list(stems.values()), axis=0)
    from studio.audio import decode as studio_decode
    stored, _rate = studio_decode(track.audio.path)  # the kept MP3: the same mix, coded
    n = min(stored.shape[1], whole.shape[0])
    assert db(np.mean((stored[:, :n].T - whole[:n]) ** 2) / np.mean(whole[:n] ** 2)) < -15
    drums = stems["drumsUrl"].mean(axis=1)
    assert abs(float(drums[0] - drums[-1])) <= np.percentile(np.abs(np.diff(drums)), 99.9)
