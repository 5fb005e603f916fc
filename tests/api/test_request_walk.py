"""One field, three doors: the create form, the v1 API and the legacy API each validate into
the same GenerationRequest, and the engine receives the same EngineRequest from all three."""
from dataclasses import replace
from pathlib import Path

import pytest

from studio.generation import jobs
from studio.generation.models import Generation

pytestmark = pytest.mark.django_db


def engine_request(generation: Generation, *, keep_fields=True):
    """What a worker would hand the engine, less what differs per generation by design (the
    seed, the stream directory) and, where the dialects name fields differently, the fields an
    upstream engine forwards."""
    generation = Generation.objects.select_related("source_track", "upload").get(pk=generation.pk)
    request = jobs.engine_request_for(generation, Path("/tmp/walk"))
    request = replace(request, seed=0, stream_dir=None)
    return request if keep_fields else replace(request, fields={})


def from_form(client, **data) -> Generation:
    response = client.post("/create/", data)
    assert response.status_code == 302, response.context["form"].errors
    return Generation.objects.order_by("-created_at").first()


def from_api(api, path, body) -> Generation:
    answer = api.post(path, body).json()
    assert answer["code"] == 200, answer
    task_id = answer["data"]["taskId"] if "data" in answer else answer["task_id"]
    return Generation.objects.get(pk=task_id)


def test_continue_at_arrives_identical_from_the_form_and_both_dialects(owner_client, api, tide):
    tide.generation.model = "V4"  # an extension is made by its source's model (v1 holds to it)
    tide.generation.save()
    form = from_form(owner_client, mode="extend", model="V4", track=tide.pk, continue_at="12.5",
                     style="deep house", instrumental="on", title="Tide II")
    v1 = from_api(api, "/api/v1/generate/extend", {
        "audioId": str(tide.pk), "defaultParamFlag": True, "continueAt": 12.5,
        "style": "deep house", "title": "Tide II", "instrumental": True, "model": "V4"})
    legacy = from_api(api, "/suno/music/extend-Instrumental", {
        "continue_clip_id": str(tide.pk), "continue_at": "12.5", "tags": "deep house",
        "title": "Tide II", "model": "V4"})

    walked = [engine_request(g) for g in (form, v1, legacy)]
    assert walked[0] == walked[1] == walked[2]
    assert walked[0].continue_at == 12.5 and type(walked[0].continue_at) is float
    assert walked[0].style == "deep house" and walked[0].instrumental is True
    assert walked[0].max_seconds == 240 and walked[0].model_name == "chirp-v4"
    assert walked[0].source.duration == 120.0
    for generation in (form, v1, legacy):  # the track row keeps the same value
        assert generation.request.continue_at == 12.5


def test_lyrics_style_and_title_arrive_identical_from_the_form_and_both_dialects(owner_client,
                                                                                  api):
    lyrics = "[Verse]\nSalt on the window\n[Chorus]\nHold the light"
    form = from_form(owner_client, mode="custom", model="V4", title="Harbour", style="folk",
                     lyrics=lyrics)
    v1 = from_api(api, "/api/v1/generate", {"customMode": True, "instrumental": False,
                                            "model": "V4", "title": "Harbour", "style": "folk",
                                            "prompt": lyrics})
    legacy = from_api(api, "/suno/music/generate-music", {"prompt": lyrics, "tags": "folk",
                                                          "title": "Harbour"})
    assert engine_request(form) == engine_request(v1)
    # legacy names the style "tags": the request it forwards says so, the rest is the same
    assert engine_request(legacy, keep_fields=False) == engine_request(v1, keep_fields=False)
    walked = engine_request(legacy)
    assert (walked.lyrics, walked.style, walked.title, walked.idea) == (lyrics, "folk",
                                                                        "Harbour", "")


def test_an_idea_is_an_idea_through_every_door(owner_client, api):
    idea = "a slow song about the harbour at dawn"
    form = from_form(owner_client, mode="simple", model="V4_5", idea=idea)
    v1 = from_api(api, "/api/v1/generate", {"customMode": False, "instrumental": False,
                                            "model": "V4_5", "prompt": idea})
    legacy = from_api(api, "/suno/music/generate-music", {"prompt": idea, "model": "v4.5"})
    assert engine_request(form) == engine_request(v1)
    assert engine_request(legacy, keep_fields=False) == engine_request(v1, keep_fields=False)
    assert (engine_request(v1).idea, engine_request(v1).lyrics) == (idea, "")


def test_weights_arrive_as_numbers_whatever_the_door_sent(owner_client, api):
    form = from_form(owner_client, mode="custom", model="V5", title="t", style="jazz",
                     lyrics="la", styleWeight="0.65", weirdnessConstraint="0.2", vocalGender="f")
    v1 = from_api(api, "/api/v1/generate", {"customMode": True, "instrumental": False,
                                            "model": "V5", "title": "t", "style": "jazz",
                                            "prompt": "la", "styleWeight": "0.65",
                                            "weirdnessConstraint": 0.2, "vocalGender": "f"})
    assert engine_request(form) == engine_request(v1)
    walked = engine_request(v1)
    assert (walked.style_weight, walked.weirdness_constraint, walked.vocal_gender) == \
        (0.65, 0.2, "f")


def test_the_api_names_every_broken_field_at_once(api):
    answer = api.post("/api/v1/generate", {"customMode": True, "instrumental": False,
                                           "model": "V4", "style": "s" * 201}).json()
    assert answer["code"] == 422
    assert answer["msg"] == ("title is required in custom mode; prompt is required in custom "
                             "mode unless instrumental (they are sung as written); style is "
                             "201 characters; V4 allows 200")


def test_the_form_shows_every_broken_field_beside_itself(owner_client):
    response = owner_client.post("/create/", {"mode": "custom", "model": "V4", "title": "",
                                              "style": "s" * 201, "styleWeight": "2"})
    errors = response.context["form"].errors
    assert errors["title"] == ["Title is required in custom mode"]
    assert errors["style"] == ["Style is 201 characters; V4 allows 200"]
    assert errors["lyrics"] == ["Lyrics are required in custom mode unless instrumental (they "
                                "are sung as written)"]
    assert errors["styleWeight"] == ["Style weight must be from 0 to 1; got 2"]


def test_extend_with_default_params_false_needs_only_the_track(api, tide):
    generation = from_api(api, "/api/v1/generate/extend", {"audioId": str(tide.pk),
                                                          "defaultParamFlag": False,
                                                          "model": "V4_5"})
    walked = engine_request(generation)
    assert walked.continue_at == 120.0 and walked.source.duration == 120.0
    assert walked.style == "" and walked.title == ""  # the engine carries the source's on


def test_legacy_extend_names_every_missing_field_as_sent(api):
    answer = api.post("/suno/music/extend-Instrumental", {}).json()
    assert answer["code"] == 400
    assert answer["message"] == ("continue_clip_id is required: the track to extend; "
                                 "continue_at is required: the second to continue from; "
                                 "tags are required: the extension's style")
