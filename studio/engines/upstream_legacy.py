"""The legacy dialect (sunoapi.co / sunosay, seeds 000, 001 and 003): `/suno/music/...`,
snake_case, `{code, task_id, message}` at the top level, progress by `get-task` only (the
dialect documents no callbacks).

It serves songs (generate-music), instrumentals (generate-instrumental) and extending an
instrumental (extend-Instrumental, `continue_clip_id`); covers and add-instrumental do not
exist in it, and `MODES` says so before anything is sent.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .base import EngineRequest
from .upstream import (
    AUDIO_FAILED,
    FIRST,
    LEGACY,
    PENDING,
    SUCCESS,
    TEXT,
    UpstreamEngine,
    VendorError,
    VendorEvent,
    pick,
    takes_from,
    task_failure,
)

MODES = ("generate", "instrumental", "extend")
# The dialect's model names (it documents only v3.5; Studio serves V4's limits for it).
MODEL_NAMES = {"V4": "v3.5", "V4_5": "v4.5", "V5": "v5", "V5_5": "v5.5"}
SONG, INSTRUMENTAL, EXTEND = ("/suno/music/generate-music", "/suno/music/generate-instrumental",
                              "/suno/music/extend-Instrumental")
TASK_STATUS = {"complete": SUCCESS, "completed": SUCCESS, "success": SUCCESS,
               "error": AUDIO_FAILED, "failed": AUDIO_FAILED}


class LegacyEngine(UpstreamEngine):
    name = "legacy"
    family = LEGACY

    def call(self, request: EngineRequest) -> tuple[str, dict]:
        """The endpoint and body for `request` (a mode outside MODES is refused earlier)."""
        f = request.fields
        style = f.get("style") or f.get("tags") or ""
        body = {"tags": style, "title": f.get("title", ""),
                "model": MODEL_NAMES.get(request.model, "v3.5")}
        if request.mode == "extend":
            return EXTEND, {**body, "continue_clip_id": f.get("audioId", ""),
                            "continue_at": f.get("continueAt")}
        if request.mode == "instrumental" or f.get("instrumental"):
            return INSTRUMENTAL, body
        return SONG, {"prompt": f.get("prompt", ""), **body}

    def submit(self, request: EngineRequest, callback_url: str = "") -> str:
        path, body = self.call(request)
        return self.create_song(path, {k: v for k, v in body.items() if v not in ("", None)},
                                names=("task_id", "taskId"), at_top=True)

    def status(self, task_id: str) -> VendorEvent:
        answer = self.caller.read("POST", "/suno/music/get-task", json={"task_id": task_id})
        return task_event(answer, task_id)

    def from_callback(self, payload) -> VendorEvent:
        # Not documented for this dialect; a body shaped like get-task is read as one.
        if not isinstance(payload, Mapping) or "clips" not in payload:
            raise VendorError("The callback is not a task result.", code=422)
        return task_event(payload, str(payload.get("task_id", "")))

    def credits(self) -> int | None:
        """The dialect has no credit endpoint: a get-task for no task proves the key (a
        wrong key answers 401); the balance is unknown (None)."""
        try:
            self.caller.read("POST", "/suno/music/get-task", json={"task_id": "studio-key-check"})
        except VendorError as error:
            if error.code in (400, 404):
                return None
            raise
        return None


def task_event(answer: Mapping, task_id: str) -> VendorEvent:
    """get-task's answer as an event: a clip counts as made once it is `complete`."""
    clips = answer.get("clips") if isinstance(answer.get("clips"), list) else []
    done = {str(pick(c, "id", "continue_clip_id")) for c in clips
            if isinstance(c, Mapping) and str(c.get("status", "")).lower() == "complete"}
    # A clip still streaming has only its stream link, whatever field carries it.
    takes = tuple(t if t.id in done else
                  replace(t, audio_url="", stream_audio_url=t.stream_audio_url or t.audio_url)
                  for t in takes_from(clips))
    task_status = str(answer.get("status") or "").lower()
    status = TASK_STATUS.get(task_status)
    if status is None:
        status = FIRST if done else (TEXT if takes else PENDING)
    if status == SUCCESS and len(done) < len(takes):
        status = FIRST if done else TEXT
    task = str(answer.get("task_id") or task_id)
    if status == AUDIO_FAILED:
        code, message = task_failure(status, answer.get("error_code", 501),
                                     str(answer.get("message") or ""))
        return VendorEvent(task, status, takes, code, message)
    return VendorEvent(task, status, takes)
