"""A generation as each dialect shows it: v1 record-info (camelCase), callbacks
(snake_case), legacy get-task. One place, so the three never drift apart."""
from __future__ import annotations

import json

from django.conf import settings
from django.utils import timezone

from studio.generation import rules, streams
from studio.generation.models import Generation, Mode, Status
from studio.library.models import Track

from . import files

OPERATION_TYPES = {Mode.GENERATE: "generate", Mode.INSTRUMENTAL: "generate",
                   Mode.EXTEND: "extend", Mode.UPLOAD_COVER: "upload_cover",
                   Mode.ADD_INSTRUMENTAL: "add_instrumental", Mode.ADD_VOCALS: "add_vocals",
                   Mode.UPLOAD_EXTEND: "upload_extend", Mode.REPLACE_SECTION: "replace_section",
                   Mode.SOUNDS: "sounds", Mode.MASHUP: "mashup"}
TYPES = {Mode.GENERATE: "GENERATE", Mode.INSTRUMENTAL: "GENERATE", Mode.EXTEND: "EXTEND",
         Mode.UPLOAD_COVER: "UPLOAD_COVER", Mode.ADD_INSTRUMENTAL: "ADD_INSTRUMENTAL",
         Mode.ADD_VOCALS: "ADD_VOCALS", Mode.UPLOAD_EXTEND: "UPLOAD_EXTEND",
         Mode.REPLACE_SECTION: "REPLACE_SECTION", Mode.SOUNDS: "SOUNDS", Mode.MASHUP: "MASHUP"}
# Legacy task statuses, Suno's own words (submitted / processing / complete / error).
LEGACY_STATUS = {Status.PENDING: "submitted", Status.TEXT_SUCCESS: "processing",
                 Status.FIRST_SUCCESS: "processing", Status.SUCCESS: "complete"}


def base_url(generation: Generation, request=None) -> str:
    """Scheme and host for links: STUDIO_BASE_URL, else the request's, else the one the
    client used when it created the task."""
    if settings.STUDIO_BASE_URL or request is not None:
        return files.base(request)
    api_request = _api_request(generation)
    return (api_request.base_url if api_request else "") or "http://127.0.0.1:8000"


def _api_request(generation: Generation):
    """The body and base URL an API client sent, or None for a generation made in the
    browser."""
    from .models import ApiRequest

    try:
        return generation.api_request
    except ApiRequest.DoesNotExist:
        return None


def create_time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


# Statuses at which no take is in the library yet (the first is stored as the generation
# reaches FIRST_SUCCESS): a client polling a song being made, the common case, costs no query
# for tracks. A take stored a moment before its status moves is listed as a stream meanwhile,
# and its stream serves the stored file.
BEFORE_TAKES = frozenset({Status.PENDING, Status.TEXT_SUCCESS})


def tracks_of(generation: Generation) -> list[Track]:
    if generation.status in BEFORE_TAKES:
        return []
    return list(generation.tracks.order_by("variation"))


def _track(track: Track, base: str) -> dict:
    audio, image = files.track_urls(track, base)
    return {"id": str(track.id), "audioUrl": audio, "streamAudioUrl": audio,
            "imageUrl": image, "prompt": track.lyrics, "modelName": track.model_name,
            "title": track.title, "tags": track.style, "createTime": create_time(track.created_at),
            "duration": round(track.duration, 2)}


def _streaming_takes(generation: Generation, tracks: list[Track]) -> list[int]:
    """Variations still being made (listed with a stream link and no audioUrl yet)."""
    if generation.is_final or generation.status == Status.PENDING:
        return []
    done = {t.variation for t in tracks}
    return [v for v in range(rules.TAKES) if v not in done]


def _planned(generation: Generation, key: str, variation: int) -> str:
    values = (generation.plan or {}).get(key) or []
    return values[variation] if variation < len(values) else ""


def _stream_item(generation: Generation, variation: int, base: str) -> dict:
    return {"id": str(streams.track_id(generation, variation)), "audioUrl": "",
            "streamAudioUrl": files.stream_url(generation, variation, base), "imageUrl": "",
            "prompt": _planned(generation, "lyrics", variation), "modelName": "",
            "title": _planned(generation, "titles", variation),
            "tags": _planned(generation, "styles", variation),
            "createTime": create_time(generation.text_at or generation.created_at), "duration": None}


def _source_urls(generation: Generation, base: str) -> dict:
    """The audio a cover, add-*, extension or upload-extension started from (callbacks'
    source_*)."""
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
    api_request = _api_request(generation)
    if api_request is None:  # made in the browser: the validated fields
        raw = {k: v for k, v in (generation.params or {}).items() if not k.startswith("_")}
    else:
        raw = api_request.body
    return json.dumps(raw, ensure_ascii=False)


def record_info(generation: Generation, request=None) -> dict:
    base = base_url(generation, request)
    tracks = tracks_of(generation)
    suno_data = [_track(t, base) for t in tracks]
    suno_data += [_stream_item(generation, v, base) for v in _streaming_takes(generation, tracks)]
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
        data = {"callbackType": "error", "task_id": generation.task_id, "data": None}
        if generation.mode == Mode.REPLACE_SECTION:  # its vendors' error names the reason
            data["error"] = generation.error_message or "Audio generation failed"
        return {"code": generation.error_code or 501,
                "msg": generation.error_message or "Audio generation failed", "data": data}
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
    tracks = tracks_of(generation)
    for track in tracks:
        audio, image = files.track_urls(track, base)
        clips.append({"id": str(track.id), "continue_clip_id": str(track.id),
                      "title": track.title, "tags": track.style, "prompt": track.lyrics,
                      "status": "complete", "audio_url": audio, "image_url": image,
                      "image_large_url": image, "video_url": "",
                      "duration": f"{track.duration:.2f}".rstrip("0").rstrip("."),
                      "model_name": track.model_name,
                      "created_at": timezone.localtime(track.created_at).isoformat()})
    for v in _streaming_takes(generation, tracks):  # Suno's own word for a clip still being made
        clip_id = str(streams.track_id(generation, v))
        clips.append({"id": clip_id, "continue_clip_id": clip_id, "title": _planned(generation, "titles", v),
                      "tags": _planned(generation, "styles", v), "prompt": _planned(generation, "lyrics", v),
                      "status": "streaming", "audio_url": files.stream_url(generation, v, base),
                      "image_url": "", "image_large_url": "", "video_url": "", "duration": "",
                      "model_name": "",
                      "created_at": timezone.localtime(generation.text_at or generation.created_at).isoformat()})
    api_request = _api_request(generation)
    raw = api_request.body if api_request else {}
    sent = raw.get("prompt") if isinstance(raw.get("prompt"), str) else ""
    body = {"code": 200, "task_id": generation.task_id,
            "status": "error" if generation.failed else LEGACY_STATUS[generation.status],
            "prompt": {"prompt": sent or generation.request.prompt},
            "clips": clips}
    if generation.failed:
        body["message"] = generation.error_message
        body["error_code"] = generation.error_code
    return body
