"""A generation as each dialect shows it: v1 record-info (camelCase), callbacks
(snake_case), legacy get-task. One place, so the three never drift apart."""
from __future__ import annotations

import json

from django.conf import settings
from django.utils import timezone

from studio.generation.models import Generation, Mode, Status
from studio.library.models import Track

from . import files

OPERATION_TYPES = {Mode.GENERATE: "generate", Mode.INSTRUMENTAL: "generate",
                   Mode.EXTEND: "extend", Mode.UPLOAD_COVER: "upload_cover",
                   Mode.ADD_INSTRUMENTAL: "add_instrumental"}
TYPES = {Mode.GENERATE: "GENERATE", Mode.INSTRUMENTAL: "GENERATE", Mode.EXTEND: "EXTEND",
         Mode.UPLOAD_COVER: "UPLOAD_COVER", Mode.ADD_INSTRUMENTAL: "ADD_INSTRUMENTAL"}
# Legacy task statuses, Suno's own words (submitted / processing / complete / error).
LEGACY_STATUS = {Status.PENDING: "submitted", Status.TEXT_SUCCESS: "processing",
                 Status.FIRST_SUCCESS: "processing", Status.SUCCESS: "complete"}
REQUEST_KEY, BASE_KEY = "_request", "_base_url"


def base_url(generation: Generation, request=None) -> str:
    """Scheme and host for links: STUDIO_BASE_URL, else the request's, else the one the
    client used when it created the task."""
    if settings.STUDIO_BASE_URL:
        return settings.STUDIO_BASE_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return generation.params.get(BASE_KEY) or "http://127.0.0.1:8000"


def create_time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def tracks_of(generation: Generation) -> list[Track]:
    return list(generation.tracks.order_by("variation"))


def _track(track: Track, base: str) -> dict:
    audio, image = files.track_urls(track, base)
    return {"id": str(track.id), "audioUrl": audio, "streamAudioUrl": audio,
            "imageUrl": image, "prompt": track.lyrics, "modelName": track.model_name,
            "title": track.title, "tags": track.style, "createTime": create_time(track.created_at),
            "duration": round(track.duration, 2)}


def _source_urls(generation: Generation, base: str) -> dict:
    """The audio a cover, add-instrumental or extension started from (callbacks' source_*)."""
    if generation.upload_id and generation.upload:
        audio = files.upload_url(generation.upload, base)
        return {"source_audio_url": audio, "source_stream_audio_url": audio,
                "source_image_url": ""}
    if generation.source_track_id and generation.source_track:
        audio, image = files.track_urls(generation.source_track, base)
        return {"source_audio_url": audio, "source_stream_audio_url": audio,
                "source_image_url": image}
    return {}


def request_param(generation: Generation) -> str:
    """record-info's `param`: the request body as the client sent it, as a JSON string."""
    raw = generation.params.get(REQUEST_KEY)
    if raw is None:  # made in the browser: the validated fields
        raw = {k: v for k, v in generation.params.items() if not k.startswith("_")}
    return json.dumps(raw, ensure_ascii=False)


def record_info(generation: Generation, request=None) -> dict:
    base = base_url(generation, request)
    suno_data = [_track(t, base) for t in tracks_of(generation)]
    response = {"taskId": generation.task_id, "sunoData": suno_data}
    if generation.failed:
        response["errorMessage"] = generation.error_message
    return {
        "taskId": generation.task_id,
        "parentMusicId": str(generation.source_track_id) if generation.source_track_id else "",
        "param": request_param(generation),
        "response": response,
        "status": generation.status,
        "type": TYPES.get(generation.mode, "GENERATE"),
        "operationType": OPERATION_TYPES.get(generation.mode, "generate"),
        "errorCode": generation.error_code if generation.failed else None,
        "errorMessage": generation.error_message if generation.failed else None,
    }


CALLBACK_MESSAGES = {"text": "Text generation completed successfully.",
                     "first": "First track generated successfully.",
                     "complete": "All generated successfully."}


def callback_payload(generation: Generation, stage: str) -> dict:
    """The seeds' callback body for `stage` (text | first | complete | error), snake_case."""
    if stage == "error":
        return {"code": generation.error_code or 501,
                "msg": generation.error_message or "Audio generation failed",
                "data": {"callbackType": "error", "task_id": generation.task_id, "data": None}}
    base = base_url(generation)
    tracks = [] if stage == "text" else tracks_of(generation)
    if stage == "first":
        tracks = tracks[:1]
    source = _source_urls(generation, base)
    items = []
    for track in tracks:
        audio, image = files.track_urls(track, base)
        items.append({"id": str(track.id), "audio_url": audio, "stream_audio_url": audio,
                      "image_url": image, **source, "prompt": track.lyrics,
                      "model_name": track.model_name, "title": track.title,
                      "tags": track.style, "createTime": create_time(track.created_at),
                      "duration": round(track.duration, 2)})
    return {"code": 200, "msg": CALLBACK_MESSAGES[stage],
            "data": {"callbackType": stage, "task_id": generation.task_id, "data": items}}


def legacy_task(generation: Generation, request=None) -> dict:
    base = base_url(generation, request)
    clips = []
    for track in tracks_of(generation):
        audio, image = files.track_urls(track, base)
        clips.append({"id": str(track.id), "continue_clip_id": str(track.id),
                      "title": track.title, "tags": track.style, "prompt": track.lyrics,
                      "status": "complete", "audio_url": audio, "image_url": image,
                      "image_large_url": image, "video_url": "",
                      "duration": f"{track.duration:.2f}".rstrip("0").rstrip("."),
                      "model_name": track.model_name,
                      "created_at": timezone.localtime(track.created_at).isoformat()})
    raw = generation.params.get(REQUEST_KEY) or {}
    body = {"code": 200, "task_id": generation.task_id,
            "status": "error" if generation.failed else LEGACY_STATUS[generation.status],
            "prompt": {"prompt": raw.get("prompt") or generation.params.get("prompt", "")},
            "clips": clips}
    if generation.failed:
        body["message"] = generation.error_message
        body["error_code"] = generation.error_code
    return body
