"""Generations as the API makes them, moved through their stages without rendering."""
from __future__ import annotations

from studio.api.models import ApiKey
from studio.generation.models import Generation, Mode, Status
from tests.factories import make_track


def api_generation(owner, *, mode=Mode.GENERATE, callback_url="", params=None,
                   **fields) -> Generation:
    params = params or {"customMode": False, "instrumental": False, "model": "V4_5",
                        "prompt": "a song about the sea",
                        "_request": {"prompt": "a song about the sea", "customMode": False,
                                     "instrumental": False, "model": "V4_5"},
                        "_base_url": "http://testserver"}
    return Generation.objects.create(owner=owner, mode=mode, params=params, origin="v1",
                                     callback_url=callback_url, **fields)


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


def key_for(user) -> str:
    return ApiKey.issue(user, "factory")[1]
