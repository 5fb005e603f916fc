"""Every sample request in the seeds, sent as written, gets a task (code 200).

The bodies are copied verbatim from shared/seeds. The world they assume is staged: the
clip that seed 003 extends exists and is the caller's, and the example.com URLs of seeds
002/004 serve real audio (tests/api/world.py).
"""
import uuid

import pytest

from studio.generation.models import Generation, Mode, Status
from studio.library.models import Persona, Track
from tests.api import world
from tests.factories import make_track

SEED_000 = ("/suno/music/generate-instrumental",
            {"tags": "tropical house, wave, synthwave", "title": "crazy and wild"})
SEED_001 = ("/suno/music/generate-music", {
    "prompt": "Wandering through the hazy corridors of memory, 'Echoes of Solitude' weaves a tapestry of melancholic melodies that embrace the listener in a warm yet lonely embrace. The vocals, a soft whisper against the night, intertwine with the gentle strumming of an acoustic guitar, painting a picture of solitude that is both beautiful and haunting. Layers of ethereal synths rise and fall like the tide, carrying the song towards depths unknown, while the drums pulse with a distant, almost tribal rhythm, adding a touch of mystery to the already atmospheric soundscape. This is a track that embodies the quiet introspection of a soul seeking solace in the vastness of its own thoughts, a stylistic blend of dream-pop and indie-folk that lingers long after the final note fades away.",  # noqa: E501
    "tags": "Dream-Folk 、Indie-Ambient",
    "title": "Echoes of Solitude"})
SEED_002 = ("/api/v1/generate/add-instrumental", {
    "uploadUrl": "https://example.com/music.mp3",
    "title": "Relaxing Piano",
    "negativeTags": "Heavy Metal, Aggressive Drums",
    "tags": "Relaxing Piano, Ambient, Peaceful",
    "callBackUrl": "https://api.example.com/callback",
    "vocalGender": "m",
    "styleWeight": 0.61,
    "weirdnessConstraint": 0.72,
    "audioWeight": 0.65})
SEED_003 = ("/suno/music/extend-Instrumental", {
    "tags": "tropical house, wave, synthwave",
    "title": "crazy and wild",
    "model": "v3.5",
    "continue_clip_id": "186001a9-a9e2-487a-bdcc-417914676f24",
    "continue_at": 100})
# Seed 004 gives one example per field; together they are its sample request.
SEED_004_GENERATE = ("/api/v1/generate", {
    "prompt": "A calm and relaxing piano track with soft melodies",
    "style": "Classical",
    "title": "Peaceful Piano Meditation",
    "customMode": True,
    "instrumental": True,
    "model": "V4",
    "callBackUrl": "https://api.example.com/callback",
    "negativeTags": "Heavy Metal, Upbeat Drums",
    "vocalGender": "m",
    "styleWeight": 0.65,
    "weirdnessConstraint": 0.65,
    "audioWeight": 0.65,
    "personaId": "persona_123"})
SEED_004_UPLOAD_COVER = ("/api/v1/generate/upload-cover", {
    "uploadUrl": "https://storage.example.com/upload",
    "prompt": "A calm and relaxing piano track with soft melodies",
    "style": "Classical",
    "title": "Peaceful Piano Meditation",
    "customMode": True,
    "instrumental": True,
    "model": "V4",
    "negativeTags": "Heavy Metal, Upbeat Drums",
    "callBackUrl": "https://api.example.com/callback",
    "vocalGender": "m",
    "styleWeight": 0.65,
    "weirdnessConstraint": 0.65,
    "audioWeight": 0.65,
    "personaId": "persona_123"})
SEED_004_ADD_INSTRUMENTAL = ("/api/v1/generate/add-instrumental", {
    "uploadUrl": "https://example.com/music.mp3",
    "model": "V4_5PLUS",
    "title": "Relaxing Piano",
    "negativeTags": "heavy metal, fast drums",
    "tags": "relaxing, piano, soothing",
    "callBackUrl": "https://example.com/callback",
    "vocalGender": "m",
    "styleWeight": 0.61,
    "weirdnessConstraint": 0.72,
    "audioWeight": 0.65})

V1_SAMPLES = {"002": (SEED_002, Mode.ADD_INSTRUMENTAL),
              "004-generate": (SEED_004_GENERATE, Mode.GENERATE),
              "004-upload-cover": (SEED_004_UPLOAD_COVER, Mode.UPLOAD_COVER),
              "004-add-instrumental": (SEED_004_ADD_INSTRUMENTAL, Mode.ADD_INSTRUMENTAL)}
LEGACY_SAMPLES = {"000": (SEED_000, Mode.INSTRUMENTAL), "001": (SEED_001, Mode.GENERATE),
                  "003": (SEED_003, Mode.EXTEND)}


@pytest.fixture
def seed_world(monkeypatch, owner):
    world.stage_seed_audio(monkeypatch)
    clip = make_track(owner, title="crazy and wild")
    Track.objects.filter(pk=clip.pk).update(id=uuid.UUID(SEED_003[1]["continue_clip_id"]),
                                            duration=200.0)
    # Seed 004's personaId: a persona of the caller's (made from a take of theirs).
    Persona.objects.create(id="persona_123", owner=owner, name="Sample singer",
                           description="the seed's example", voice={"gender": "m"})


@pytest.mark.parametrize("name", V1_SAMPLES)
def test_v1_sample_gets_a_task(api, seed_world, name):
    (path, body), mode = V1_SAMPLES[name]
    answer = api.post(path, body).json()
    assert answer["code"] == 200, answer
    assert answer["msg"] == "success"
    generation = Generation.objects.get(pk=answer["data"]["taskId"])
    assert generation.mode == mode and generation.origin == "v1"
    assert generation.status == Status.PENDING
    assert generation.callback_url == body["callBackUrl"]


@pytest.mark.parametrize("name", LEGACY_SAMPLES)
def test_legacy_sample_gets_a_task(api, seed_world, name):
    (path, body), mode = LEGACY_SAMPLES[name]
    answer = api.post(path, body).json()
    assert answer["code"] == 200, answer
    assert set(answer) == {"code", "task_id"}
    generation = Generation.objects.get(pk=answer["task_id"])
    assert generation.mode == mode and generation.origin == "legacy"


def test_record_info_param_is_the_sample_as_sent(api, seed_world):
    path, body = SEED_004_GENERATE
    task_id = api.post(path, body).json()["data"]["taskId"]
    import json
    record = api.record(task_id)["data"]
    assert json.loads(record["param"]) == body
    assert record["status"] == "PENDING" and record["response"]["sunoData"] == []


def test_seed_003_extends_the_named_clip_from_second_100(api, seed_world):
    path, body = SEED_003
    task_id = api.post(path, body).json()["task_id"]
    generation = Generation.objects.get(pk=task_id)
    assert str(generation.source_track_id) == body["continue_clip_id"]
    assert generation.params["continueAt"] == 100 and generation.params["style"] == body["tags"]
    assert generation.model == "V4"
