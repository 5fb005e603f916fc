"""Generations as the API makes them, moved through their stages without rendering."""
from __future__ import annotations

from studio.api.models import ApiKey, ApiRequest
from studio.generation.models import Generation, Mode, Status
from tests.factories import make_track


def api_generation(owner, *, mode=Mode.GENERATE, callback_url="", params=None,
                   **fields) -> Generation:
    """`params` may carry the body as sent (`_request`) and the base URL (`_base_url`): they
    are stored where the API keeps them, beside the generation."""
    params = dict(params or {"customMode": False, "instrumental": False, "model": "V4_5",
                             "prompt": "a song about the sea",
                             "_request": {"prompt": "a song about the sea", "customMode": False,
                                          "instrumental": False, "model": "V4_5"},
                             "_base_url": "http://testserver"})
    body, base_url = params.pop("_request", None), params.pop("_base_url", "http://testserver")
    generation = Generation.objects.create(owner=owner, mode=mode, params=params, origin="v1",
                                           callback_url=callback_url, **fields)
    if body is not None:
        ApiRequest.objects.create(generation=generation, body=body, base_url=base_url)
    return generation


def finish_by_hand(generation: Generation, *, stop_at: str = Status.SUCCESS) -> Generation:
    """Move `generation` through text → first → complete with real track files."""
    generation.advance(Status.TEXT_SUCCESS)
    if stop_at == Status.TEXT_SUCCESS:
        return generation
    make_track(generation.owner, generation=generation, variation=0, title="Sea One")
    generation.advance(Status.FIRST_SUCCESS)
    if stop_at == Status.FIRST_SUCCESS:
        return generation
    make_track(generation.owner, generation=generation, variation=1, title="Sea Two")
    generation.advance(Status.SUCCESS)
    return generation


def without(body: dict, field: str) -> dict:
    return {k: v for k, v in body.items() if k != field}


def assert_refused(answer: dict, code: int, words, *, legacy: bool = False) -> None:
    """`answer` refuses the request with `code`, names no task, and its message holds each of
    `words` (the field as the client spelled it, the limit)."""
    assert answer["code"] == code, answer
    assert answer["task_id" if legacy else "data"] is None, answer
    message = answer["message" if legacy else "msg"]
    for word in words:
        assert word in message, message


def key_for(user) -> str:
    return ApiKey.issue(user, "factory")[1]


def made_through_api(api, capture, body: dict, seconds: float = 20.0, *,
                     path: str = "/api/v1/generate") -> Generation:
    """A real local render asked for through the API (`path`, either dialect), shortened to
    `seconds` (the private `_duration` param, set on the queued row), its job run inline."""
    with capture() as queued:
        answer = api.post(path, body).json()
    assert answer["code"] == 200, answer
    generation = Generation.objects.get(
        pk=answer["data"]["taskId"] if "data" in answer else answer["task_id"])
    generation.params["_duration"] = seconds
    generation.save(update_fields=["params"])
    with capture(execute=True):
        for job in queued:
            job()
    generation.refresh_from_db()
    return generation
