"""The legacy dialect (sunoapi.co / sunosay, seeds 000, 001, 003): `/suno/music/...`,
snake_case, `{code, task_id, message}` at the top level.

Mapping onto the v1 rules:
- generate-music → rules' legacy_song: `prompt` required (lyrics or a description, up to the
  model's lyrics limit), `tags` → style, optional `title`; no customMode — lyrics with
  section markers or several lines are sung as written, anything else is the idea.
- generate-instrumental → instrumental: `tags` required, optional `title`.
- extend-Instrumental → extend: continue_clip_id → audioId, continue_at → continueAt (a
  number or numeric string, below the clip's length), tags → style (required), an
  instrumental continuation.
- `model` defaults to "v3.5", which Studio serves with V4's limits; an extension's to the
  model that made its clip (the vendors' rule: an extension is made by its source's model).
"""
from __future__ import annotations

from studio.generation import rules

from . import intake, records
from .envelope import LEGACY, ApiError, body, endpoint, legacy, required_text
from .v1 import owned_generation

DEFAULT_MODEL = "v3.5"
EXTEND_NAMES = {"audioId": "continue_clip_id", "continueAt": "continue_at", "style": "tags"}


def _model(data: dict) -> str:
    return data.get("model") if data.get("model") not in (None, "") else DEFAULT_MODEL


def _created(request, operation: str, data: dict, raw: dict, names: dict | None = None,
             required: dict | None = None):
    generation = intake.create(request, operation, data, origin="legacy", raw=raw, names=names,
                               required=required)
    return legacy(200, task_id=generation.task_id)


@endpoint("POST", dialect=LEGACY, creates=True)
def generate_music(request):
    raw = body(request, LEGACY)
    data = {"prompt": raw.get("prompt"), "tags": raw.get("tags"), "title": raw.get("title"),
            "model": _model(raw)}
    return _created(request, rules.LEGACY_SONG, data, raw)


@endpoint("POST", dialect=LEGACY, creates=True)
def generate_instrumental(request):
    raw = body(request, LEGACY)
    data = {"tags": raw.get("tags"), "title": raw.get("title"), "model": _model(raw)}
    return _created(request, rules.INSTRUMENTAL, data, raw)


@endpoint("POST", dialect=LEGACY, creates=True)
def extend_instrumental(request):
    raw = body(request, LEGACY)
    clip = raw.get("continue_clip_id")
    if isinstance(clip, (list, dict, bool)):  # an id is a string (or a number, taken as one)
        required_text(clip, "continue_clip_id", "the id of the clip to extend", code=400)
    data = {"audioId": clip if isinstance(clip, str) or clip is None else str(clip),
            "defaultParamFlag": True, "continueAt": raw.get("continue_at"),
            "style": raw.get("tags"), "title": raw.get("title"), "model": raw.get("model"),
            "instrumental": True}  # no model: the clip's own (rules: an extension's model)
    return _created(request, rules.EXTEND, data, raw, EXTEND_NAMES,
                    required={"style": "the extension's style"})


@endpoint("GET", "POST", dialect=LEGACY, poll=True)
def get_task(request):
    """POST {task_id} (the documented get-task) or GET ?task_id= (get-music)."""
    if request.method == "POST":
        task_id = body(request, LEGACY).get("task_id")
    else:
        task_id = request.GET.get("task_id")
    task_id = required_text(task_id, "task_id", code=400)
    try:
        generation = owned_generation(request, task_id)
    except ApiError:
        raise ApiError(404, f"task_id {task_id} was not found") from None
    return legacy(**records.legacy_task(generation, request))
