"""Every required-field and limit rule, through both dialects: the right code, and a
message that names the field (as the client spelled it) and the limit."""
import json

import pytest

from studio.generation.models import Generation, Status
from studio.generation.rules import MODELS
from studio.library.models import Stems
from tests.api.factories import api_generation, assert_refused, finish_by_hand, without
from tests.factories import make_track

CUSTOM = {"customMode": True, "instrumental": False, "model": "V4", "style": "folk",
          "title": "Harbour", "prompt": "[Verse]\nthe boats come home"}
IDEA = {"customMode": False, "instrumental": False, "model": "V5", "prompt": "a sea shanty"}


def with_(body, **changes):
    return {**body, **changes}


V1_CASES = {
    # name: (path, body, code, words the message must contain)
    "custom style required": ("generate", without(CUSTOM, "style"), 422, ["style", "required"]),
    "custom title required": ("generate", without(CUSTOM, "title"), 422, ["title", "required"]),
    "custom lyrics required unless instrumental": (
        "generate", without(CUSTOM, "prompt"), 422, ["prompt", "required"]),
    "V4 style limit": ("generate", with_(CUSTOM, style="s" * 201), 413, ["style", "200"]),
    "V4 title limit": ("generate", with_(CUSTOM, title="t" * 81), 413, ["title", "80"]),
    "V4 lyrics limit": ("generate", with_(CUSTOM, prompt="l" * 3001), 413, ["prompt", "3,000"]),
    "V5 lyrics limit": ("generate", with_(CUSTOM, model="V5", prompt="l" * 5001), 413,
                        ["prompt", "5,000"]),
    "V5 title limit": ("generate", with_(CUSTOM, model="V5", title="t" * 101), 413,
                       ["title", "100"]),
    "idea required": ("generate", without(IDEA, "prompt"), 422, ["prompt", "required"]),
    "idea limit": ("generate", with_(IDEA, prompt="i" * 501), 413, ["prompt", "500"]),
    "unknown model": ("generate", with_(IDEA, model="V9"), 422, ["model", "V4_5"]),
    "customMode not a boolean": ("generate", with_(IDEA, customMode="maybe"), 422,
                                 ["customMode"]),
    "weight above 1": ("generate", with_(IDEA, styleWeight=1.5), 422, ["styleWeight", "1"]),
    "weight with three decimals": ("generate", with_(IDEA, audioWeight=0.555), 422,
                                   ["audioWeight", "0.01"]),
    "vocalGender": ("generate", with_(IDEA, vocalGender="x"), 422, ["vocalGender", "m or f"]),
    "persona outside custom mode": ("generate", with_(IDEA, personaId="p1"), 422,
                                    ["personaId", "custom"]),
    "negativeTags limit": ("generate", with_(IDEA, negativeTags="n" * 1001), 413,
                           ["negativeTags", "1,000"]),
    "prompt not text": ("generate", with_(IDEA, prompt=42), 422, ["prompt", "text"]),
    # A callBackUrl Studio will not call is accepted: see test_refused_callbacks.py.
    "callBackUrl limit": ("generate", with_(
        IDEA, callBackUrl="https://example.com/" + "a" * 1000), 413, ["callBackUrl", "1,000"]),
    "extend audioId required": ("generate/extend", {"continueAt": 10}, 422,
                                ["audioId", "required"]),
    "upload-cover uploadUrl required": ("generate/upload-cover", IDEA, 422,
                                        ["uploadUrl", "required"]),
    "upload-cover idea limit": ("generate/upload-cover", with_(
        IDEA, prompt="i" * 501, uploadUrl="https://example.com/a.mp3"), 413, ["500"]),
    "upload-cover private uploadUrl": ("generate/upload-cover", with_(
        IDEA, uploadUrl="http://192.168.1.10/a.mp3"), 422, ["uploadUrl", "private"]),
    "add-instrumental title required": ("generate/add-instrumental", {
        "uploadUrl": "https://example.com/a.mp3", "tags": "piano", "negativeTags": "metal"},
        422, ["title", "required"]),
    "add-instrumental tags required": ("generate/add-instrumental", {
        "uploadUrl": "https://example.com/a.mp3", "title": "T", "negativeTags": "metal"},
        422, ["tags", "required"]),
    "add-instrumental negativeTags required": ("generate/add-instrumental", {
        "uploadUrl": "https://example.com/a.mp3", "title": "T", "tags": "piano"},
        422, ["negativeTags", "required"]),
    "add-instrumental model": ("generate/add-instrumental", {
        "uploadUrl": "https://example.com/a.mp3", "title": "T", "tags": "piano",
        "negativeTags": "metal", "model": "V4"}, 422, ["model", "V4_5PLUS"]),
}


@pytest.mark.parametrize("case", V1_CASES)
def test_v1_rule_is_refused_with_its_code(api, case):
    path, body, code, words = V1_CASES[case]
    assert_refused(api.post(f"/api/v1/{path}", body).json(), code, words)


LEGACY_CASES = {
    "generate-music prompt required": ("generate-music", {"tags": "folk"}, 400, ["prompt"]),
    "generate-music lyrics limit (v3.5 = V4)": (
        "generate-music", {"prompt": "p" * 3001}, 413, ["prompt", "3,000"]),
    "generate-music tags limit": ("generate-music", {"prompt": "p", "tags": "t" * 201}, 413,
                                  ["tags", "200"]),
    "generate-music title limit": ("generate-music", {"prompt": "p", "title": "t" * 81}, 413,
                                   ["title", "80"]),
    "generate-instrumental tags required": ("generate-instrumental", {"title": "T"}, 400,
                                            ["tags", "required"]),
    "generate-instrumental unknown model": ("generate-instrumental", {
        "tags": "house", "model": "v1"}, 400, ["model"]),
    "extend tags required": ("extend-Instrumental", {
        "continue_clip_id": "x", "continue_at": 1}, 400, ["tags", "required"]),
    "extend continue_clip_id required": ("extend-Instrumental", {
        "tags": "house", "continue_at": 1}, 400, ["continue_clip_id", "required"]),
    "extend continue_at required": ("extend-Instrumental", {
        "tags": "house", "continue_clip_id": "x"}, 400, ["continue_at", "required"]),
    "extend unknown clip": ("extend-Instrumental", {
        "tags": "house", "continue_clip_id": "186001a9-a9e2-487a-bdcc-417914676f24",
        "continue_at": 10}, 404, ["continue_clip_id"]),
}


@pytest.mark.parametrize("case", LEGACY_CASES)
def test_legacy_rule_is_refused_with_its_code(api, case):
    path, body, code, words = LEGACY_CASES[case]
    assert_refused(api.post(f"/suno/music/{path}", body).json(), code, words, legacy=True)


@pytest.mark.parametrize("continue_at, code, words", [
    (120, 400, ["continue_at", "120.0 s"]), (0, 400, ["continue_at", "greater than 0"]),
    ("soon", 400, ["continue_at", "number"]), ("60", 200, [])])
def test_legacy_continue_at_is_checked_against_the_clip(api, tide, continue_at, code, words):
    answer = api.post("/suno/music/extend-Instrumental", {
        "tags": "house", "continue_clip_id": str(tide.id), "continue_at": continue_at}).json()
    assert answer["code"] == code, answer
    for word in words:
        assert word in answer["message"]


@pytest.mark.parametrize("continue_at, code", [(120, 422), (119.5, 200), (-1, 422)])
def test_v1_continue_at_must_be_inside_the_track(api, tide, continue_at, code):
    answer = api.post("/api/v1/generate/extend", {
        "audioId": str(tide.id), "continueAt": continue_at, "defaultParamFlag": True, "style": "folk",
        "title": "Tide II", "prompt": "[Verse]\nOn and on"}).json()
    assert answer["code"] == code, answer
    if code != 200:
        assert "continueAt" in answer["msg"]


# A JSON number past a double's range (1e400) is read as Infinity: none of these is a second,
# and the message says so rather than that they are not above 0.
NOT_A_SECOND = ['"NaN"', '"Infinity"', "1e400", "NaN", "-Infinity"]


@pytest.mark.parametrize("value", NOT_A_SECOND)
def test_v1_continue_at_that_is_no_number_is_told_so(api, tide, value):
    body = json.dumps({"audioId": str(tide.id), "defaultParamFlag": True, "style": "folk",
                       "title": "Tide II", "prompt": "la", "continueAt": "SECONDS"})
    answer = api.post("/api/v1/generate/extend", body.replace('"SECONDS"', value)).json()
    assert_refused(answer, 422, ["continueAt must be a number of seconds"])


@pytest.mark.parametrize("value", ["NaN", "Infinity", "inf"])
def test_legacy_continue_at_that_is_no_number_is_told_so(api, tide, value):
    answer = api.post("/suno/music/extend-Instrumental", {
        "tags": "house", "continue_clip_id": str(tide.id), "continue_at": value}).json()
    assert_refused(answer, 400, ["continue_at must be a number of seconds"], legacy=True)


@pytest.mark.parametrize("edge", ["infillStartS", "infillEndS"])
@pytest.mark.parametrize("value", NOT_A_SECOND)
def test_a_replace_window_edge_that_is_no_number_is_told_so(api, owner, edge, value):
    generation = finish_by_hand(api_generation(owner))
    track = generation.tracks.get(variation=0)
    body = {"taskId": str(generation.pk), "audioId": str(track.pk), "prompt": "new words",
            "tags": "pop", "title": "T", "infillStartS": 2, "infillEndS": 10}
    raw = json.dumps({**body, edge: "EDGE"}).replace('"EDGE"', value)
    answer = api.post("/api/v1/generate/replace-section", raw).json()
    assert_refused(answer, 422, [f"{edge} must be a number of seconds"])


def _made_by(owner, model, seconds):
    generation = Generation.objects.create(owner=owner, model=model, status=Status.SUCCESS)
    return make_track(owner, generation=generation, duration=seconds)


@pytest.mark.parametrize("own", [True, False])
def test_a_v1_extension_naming_no_model_is_made_by_its_tracks(api, owner, own):
    """suno_api.md §2 row 2: the model must equal the source's; a request that names none
    gets it, not Studio's default."""
    track = _made_by(owner, "V4", 120.0)
    body = {"audioId": str(track.id), "defaultParamFlag": own}
    if own:
        body.update(continueAt=100, style="folk", title="On", instrumental=True)
    answer = api.post("/api/v1/generate/extend", body).json()
    assert answer["code"] == 200, answer
    assert Generation.objects.get(pk=answer["data"]["taskId"]).model == "V4"


def test_a_v1_extension_naming_no_model_keeps_its_tracks_limits(api, owner):
    track = _made_by(owner, "V4", 120.0)
    answer = api.post("/api/v1/generate/extend", {
        "audioId": str(track.id), "defaultParamFlag": True, "continueAt": 100, "style": "folk",
        "title": "t" * 81, "instrumental": True}).json()
    assert_refused(answer, 413, ["title", "V4 allows 80"])


def test_a_legacy_extension_naming_no_model_is_made_by_its_clips(api, owner):
    """A V5 clip of five minutes continued at 260 s: a V4 song (v3.5) would end before it."""
    clip = _made_by(owner, "V5", 300.0)
    answer = api.post("/suno/music/extend-Instrumental", {
        "continue_clip_id": str(clip.id), "continue_at": 260, "tags": "house"}).json()
    assert answer["code"] == 200, answer
    assert Generation.objects.get(pk=answer["task_id"]).model == "V5"


def test_a_legacy_extension_naming_v3_5_is_still_made_by_it(api, owner):
    clip = _made_by(owner, "V5", 120.0)
    answer = api.post("/suno/music/extend-Instrumental", {
        "continue_clip_id": str(clip.id), "continue_at": 60, "tags": "house",
        "model": "v3.5"}).json()
    assert answer["code"] == 200, answer
    assert Generation.objects.get(pk=answer["task_id"]).model == "V4"


def test_v3_5_of_the_older_v1_docs_is_served_with_its_limits(api):
    """suno_api.md §2.1: older v1 pages list V3_5 (prompt 3,000, style 200, title 80), the
    model legacy clients call v3.5; Studio serves both with V4's limits."""
    answer = api.post("/api/v1/generate", with_(CUSTOM, model="V3_5")).json()
    assert answer["code"] == 200, answer
    assert Generation.objects.get(pk=answer["data"]["taskId"]).model == "V4"
    too_long = api.post("/api/v1/generate", with_(CUSTOM, model="V3_5", style="s" * 201)).json()
    assert_refused(too_long, 413, ["style", "200"])


@pytest.mark.parametrize("model", list(MODELS))
def test_a_clips_own_model_name_extends_it_in_the_legacy_dialect(api, owner, model):
    """get-task shows each clip's model_name (Suno's name: chirp-crow for V5); a legacy
    script sends it back as the extension's model."""
    generation = Generation.objects.create(owner=owner, model=model, status=Status.SUCCESS)
    clip = make_track(owner, generation=generation, duration=60.0,
                      model_name=MODELS[model].suno_name)
    answer = api.post("/suno/music/extend-Instrumental", {
        "continue_clip_id": str(clip.id), "continue_at": 30, "tags": "house",
        "model": clip.model_name}).json()
    assert answer["code"] == 200, answer
    assert Generation.objects.get(pk=answer["task_id"]).model == model


@pytest.mark.parametrize("model", list(MODELS))
def test_a_takes_own_model_name_extends_it_in_v1(api, owner, model):
    generation = Generation.objects.create(owner=owner, model=model, status=Status.SUCCESS)
    take = make_track(owner, generation=generation, duration=60.0,
                      model_name=MODELS[model].suno_name)
    answer = api.post("/api/v1/generate/extend", {
        "audioId": str(take.id), "defaultParamFlag": True, "continueAt": 30, "style": "house",
        "title": "On", "instrumental": True, "model": take.model_name}).json()
    assert answer["code"] == 200, answer


def test_v1_continue_at_is_required_with_default_param_flag(api, tide):
    answer = api.post("/api/v1/generate/extend", {"audioId": str(tide.id),
                                                  "defaultParamFlag": True}).json()
    assert answer["code"] == 422 and "continueAt" in answer["msg"]


def test_stranger_cannot_extend_the_owners_track(stranger_api, tide):
    answer = stranger_api.post("/api/v1/generate/extend", {
        "audioId": str(tide.id), "continueAt": 10, "style": "folk", "title": "Mine now", "prompt": "la"}).json()
    assert answer["code"] == 404 and "audioId" in answer["msg"]


@pytest.fixture
def every_task(owner):
    """A body for each v1 endpoint that takes a callBackUrl, right but for that field."""
    song = finish_by_hand(api_generation(owner))
    take = {"taskId": song.task_id, "audioId": str(song.tracks.first().id)}
    separation = Stems.objects.create(owner=owner, track=song.tracks.first(),
                                      status=Stems.Status.SUCCESS)
    return {"generate": IDEA, "lyrics": {"prompt": "a harbour at dawn"}, "wav/generate": take,
            "mp4/generate": take, "suno/cover/generate": {"taskId": song.task_id},
            "vocal-removal/generate": take, "midi/generate": {"taskId": separation.task_id}}


@pytest.mark.parametrize("path", ["generate", "lyrics", "wav/generate", "mp4/generate",
                                  "suno/cover/generate", "vocal-removal/generate",
                                  "midi/generate"])
@pytest.mark.parametrize("url, code, msg", [
    (42, 422, "callBackUrl must be a URL"),
    (["https://example.com/hook"], 422, "callBackUrl must be a URL"),
    (" https://example.com/" + "x" * 1000, 413, "callBackUrl is 1,020 characters; the limit is 1,000"),
])
def test_every_task_checks_its_callback_url_alike(api, every_task, path, url, code, msg):
    answer = api.post(f"/api/v1/{path}", {**every_task[path], "callBackUrl": url}).json()
    assert answer == {"code": code, "data": None, "msg": msg}
