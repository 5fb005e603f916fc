"""POST /api/v1/generate/generate-persona, and personaId in later requests: a persona keeps a
finished take's singer; a custom request naming it sings with that singer (the takes record
the very voice); the window, the source and the owner are checked with the seeds' codes."""
from __future__ import annotations

import pytest

from studio.generation.models import Generation, Status
from studio.library.models import Persona
from tests.api.factories import api_generation, finish_by_hand
from tests.factories import make_track

PATH = "/api/v1/generate/generate-persona"
WORDS = "[Verse]\nHold on\nStay here\nNight falls\nSlow down\n[Chorus]\nCome home\nCome home\n"
SUNG = {"engine": "local", "gender": "f", "lyrics_timing": {"lines": [
    {"text": "la", "start": 12.0, "end": 20.0, "words": [["la", 12.0, 16.0], ["la", 16.5, 20.0]]}]}}


def render(api, capture, body, *, seed: int, seconds: float):
    """A real local render asked for through the API, with a chosen seed and length."""
    with capture() as queued:
        answer = api.post(body.pop("_path", "/api/v1/generate"), body).json()
    assert answer["code"] == 200, answer
    generation = Generation.objects.get(pk=answer["data"]["taskId"])
    generation.params["_duration"] = seconds
    generation.seed = seed
    generation.save(update_fields=["params", "seed"])
    with capture(execute=True):
        for job in queued:
            job()
    generation.refresh_from_db()
    assert generation.status == Status.SUCCESS, generation.error_message
    return generation


def sung_track(owner, **analysis):
    """A finished take whose analysis says it was sung by the local engine (no render)."""
    generation = finish_by_hand(api_generation(owner))
    track = generation.tracks.get(variation=0)
    track.lyrics, track.duration = "la la", 40.0
    track.analysis = {**SUNG, **analysis}
    track.save(update_fields=["lyrics", "duration", "analysis"])
    return generation, track


def ask(api, generation, track, **fields):
    body = {"taskId": generation.task_id, "audioId": str(track.id), "name": "Nova",
            "description": "a bright, breathy alto", **fields}
    return api.post(PATH, body).json()


@pytest.mark.slow
def test_a_persona_keeps_the_takes_singer_and_a_later_song_sings_with_it(
        api, owner, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    source = render(api, capture, {"customMode": True, "instrumental": False, "model": "V4_5",
                                   "style": "ballad, 70 bpm", "title": "Hold On", "vocalGender": "f",
                                   "prompt": WORDS}, seed=8, seconds=16.0)
    take = source.tracks.get(variation=0)
    answer = api.post(PATH, {"taskId": source.task_id, "audioId": str(take.id),
                             "name": "Nova", "description": "a warm alto",
                             "vocalStart": 2, "vocalEnd": 15}).json()
    assert answer["code"] == 200, answer
    data = answer["data"]
    assert set(data) == {"personaId", "name", "description"}
    assert (data["name"], data["description"]) == ("Nova", "a warm alto")
    persona = Persona.objects.get(pk=data["personaId"], owner=owner)
    assert persona.voice == take.analysis["singer"]  # the singer the take sang with
    assert (persona.vocal_start, persona.vocal_end) == (2.0, 15.0)

    song = render(api, capture, {"customMode": True, "instrumental": False, "model": "V4_5",
                                 "style": "rock, 120 bpm in E minor", "title": "Other Song",
                                 "vocalGender": "m", "prompt": "[Verse]\nRain song\nOld town\n",
                                 "personaId": persona.id}, seed=99, seconds=8.0)
    for track in song.tracks.all():  # both takes: the persona's voice, whatever else differs
        assert track.analysis["singer"] == persona.voice
        assert track.analysis["gender"] == "f"
    # a song without the persona has another singer
    other = render(api, capture, {"customMode": True, "instrumental": False, "model": "V4_5",
                                  "style": "rock, 120 bpm in E minor", "title": "Other Song",
                                  "vocalGender": "f", "prompt": "[Verse]\nRain song\nOld town\n"},
                   seed=99, seconds=8.0)
    assert other.tracks.get(variation=0).analysis["singer"] != persona.voice


def test_window_must_be_10_to_30_seconds_inside_the_take(api, owner):
    generation, track = sung_track(owner)
    short = ask(api, generation, track, vocalStart=12, vocalEnd=17)
    assert short["code"] == 422 and "vocal window must be 10 to 30 s" in short["msg"].lower()
    long = ask(api, generation, track, vocalStart=0, vocalEnd=31)
    assert long["code"] == 422 and "31 s" in long["msg"]
    past = ask(api, generation, track, vocalStart=25, vocalEnd=45)
    assert past["code"] == 422 and "vocalEnd must be within the track" in past["msg"]
    backwards = ask(api, generation, track, vocalStart=20, vocalEnd=5)
    assert backwards["code"] == 422 and "after the vocal start" in backwards["msg"]
    nonsense = ask(api, generation, track, vocalStart="soon")
    assert nonsense["code"] == 422 and "vocalStart must be a number" in nonsense["msg"]
    assert not Persona.objects.exists()


def test_name_and_description_are_required(api, owner):
    generation, track = sung_track(owner)
    answer = ask(api, generation, track, name="", description=" ", vocalStart=10)
    assert answer["code"] == 422
    assert "name is required" in answer["msg"] and "description is required" in answer["msg"]


def test_unfinished_source_is_refused(api, owner):
    generation = finish_by_hand(api_generation(owner), stop_at=Status.FIRST_SUCCESS)
    track = generation.tracks.get(variation=0)
    answer = ask(api, generation, track)
    assert answer["code"] == 422 and "not finished" in answer["msg"]


def test_instrumental_take_and_a_window_without_singing_are_refused(api, owner):
    generation, track = sung_track(owner)
    silent = ask(api, generation, track, vocalStart=0, vocalEnd=11)  # words start at 12 s
    assert silent["code"] == 422 and "0.0 s of singing" in silent["msg"]
    plain = finish_by_hand(api_generation(owner))
    instrumental = plain.tracks.get(variation=0)  # no lyrics
    answer = ask(api, plain, instrumental, vocalStart=0, vocalEnd=2)
    assert answer["code"] == 422  # the window is checked first: the take is 2 s long
    instrumental.duration = 40.0
    instrumental.save(update_fields=["duration"])
    answer = ask(api, plain, instrumental, vocalStart=0, vocalEnd=20)
    assert answer["code"] == 422 and "instrumental" in answer["msg"]
    assert not Persona.objects.exists()


def test_a_vendors_take_has_no_singer_to_keep(api, owner):
    generation, track = sung_track(owner, engine="upstream")
    track.analysis = {"lyrics_timing": SUNG["lyrics_timing"]}
    track.save(update_fields=["analysis"])
    answer = ask(api, generation, track, vocalStart=10, vocalEnd=25)
    assert answer["code"] == 422 and "did not synthesise" in answer["msg"]


def test_one_persona_per_take(api, owner):
    generation, track = sung_track(owner)
    first = ask(api, generation, track, vocalStart=10, vocalEnd=25)
    assert first["code"] == 200, first
    again = ask(api, generation, track, vocalStart=10, vocalEnd=25, name="Nova 2")
    assert again["code"] == 409 and "already has a persona" in again["msg"]
    assert Persona.objects.count() == 1


def test_someone_elses_task_is_not_found(api, stranger_api, owner):
    generation, track = sung_track(owner)
    answer = ask(stranger_api, generation, track, vocalStart=10, vocalEnd=25)
    assert answer["code"] == 404
    assert not Persona.objects.exists()


CUSTOM = {"customMode": True, "instrumental": False, "model": "V4_5", "style": "pop",
          "title": "T", "prompt": "[Verse]\nla la la"}


def test_unknown_or_someone_elses_persona_is_not_found(api, stranger, owner):
    theirs = Persona.objects.create(owner=stranger, name="Theirs", description="x",
                                    voice={"gender": "m"})
    for persona_id in ("persona_nope", theirs.pk):
        answer = api.post("/api/v1/generate", {**CUSTOM, "personaId": persona_id}).json()
        assert answer["code"] == 404, answer
        assert f"personaId {persona_id} was not found among your personas" == answer["msg"]
    assert not Generation.objects.filter(owner=owner).exists()


def test_own_persona_is_accepted_by_generate_extend_and_cover(api, owner):
    mine = Persona.objects.create(owner=owner, name="Mine", description="x",
                                  voice={"gender": "m"})
    answer = api.post("/api/v1/generate", {**CUSTOM, "personaId": mine.pk}).json()
    assert answer["code"] == 200, answer
    assert Generation.objects.get(pk=answer["data"]["taskId"]).params["personaId"] == mine.pk
    source = make_track(owner, duration=30.0)
    extend = api.post("/api/v1/generate/extend", {
        "audioId": str(source.id), "defaultParamFlag": True, "continueAt": 10, "model": "V4_5",
        "style": "pop", "title": "T", "prompt": "la", "personaId": mine.pk}).json()
    assert extend["code"] == 200, extend
