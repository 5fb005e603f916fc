"""The v1 catalogue's pictures of a song (suno_api.md §2 rows 20, 21, 23, 24): a take's music
video (`/api/v1/mp4/*`) and new cover art for a music task (`/api/v1/suno/cover/*`), in the
vendors' request, record-info (§3.5) and callback (§4.3) shapes. Both are tasks: a taskId
now, the result by record-info or one signed callback. The work itself is the library's
(library/videos.py, library/cover_art.py), the same the track page asks for."""
from __future__ import annotations

import logging
from datetime import UTC

from django.conf import settings

from studio.generation.models import Status
from studio.library import cover_art, videos
from studio.library.models import CoverArt, CoverArtStatus, MusicVideo, VideoStatus

from . import callbacks, files
from .envelope import V1, ApiError, body, endpoint, v1
from .extras import _epoch_ms, failure, owned_task, requested_take
from .intake import feature_callback_url
from .v1 import owned_generation

log = logging.getLogger("studio.api")


def _optional_text(data: dict, field: str, limit: int) -> str:
    value = data.get(field)
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise ApiError(422, f"{field} must be text of at most {limit} characters")
    value = " ".join(value.split())
    if len(value) > limit:
        raise ApiError(413, f"{field} is {len(value)} characters; the limit is {limit}")
    return value


# Music video -------------------------------------------------------------------------------

@endpoint("POST", creates=True)
def mp4_generate(request):
    data = body(request, V1)
    author = _optional_text(data, "author", videos.AUTHOR_LIMIT)
    domain_name = _optional_text(data, "domainName", videos.DOMAIN_LIMIT)
    track = requested_take(request, data, "video")
    made = videos.request(request.user, track, author=author, domain_name=domain_name,
                          param=data, base_url=files.base(request),
                          callback_url=feature_callback_url(data))
    return v1({"taskId": made.task_id})


def video_url(made: MusicVideo, base: str) -> str:
    return files.video_url(made, base) if made.status == VideoStatus.SUCCESS else ""


def mp4_record(made: MusicVideo, base: str) -> dict:
    return {"taskId": made.task_id, "musicId": str(made.track_id),
            "audioId": str(made.track_id), "callbackUrl": made.callback_url,
            "completeTime": _epoch_ms(made.completed_at),
            "response": {"videoUrl": video_url(made, base)},
            "successFlag": made.status, "createTime": _epoch_ms(made.created_at),
            **failure(made)}


def mp4_callback(made: MusicVideo) -> dict:
    base = settings.STUDIO_BASE_URL or made.base_url
    if made.status == VideoStatus.SUCCESS:
        return {"code": 200, "msg": "MP4 generated successfully.",
                "data": {"task_id": made.task_id, "video_url": video_url(made, base)}}
    return {"code": 500, "msg": made.error_message or "MP4 generation failed",
            "data": {"task_id": made.task_id, "video_url": None}}


@endpoint("GET")
def mp4_record_info(request):
    return v1(mp4_record(owned_task(request, MusicVideo.objects), files.base(request)))


# Cover art ---------------------------------------------------------------------------------

@endpoint("POST", creates=True)
def cover_generate(request):
    data = body(request, V1)
    generation = owned_generation(request, data.get("taskId"))
    track = generation.tracks.order_by("variation").first()
    if track is None or generation.status != Status.SUCCESS:
        raise ApiError(422, f"Task {generation.task_id} is not finished (status "
                            f"{generation.status}): ask for cover art once it is SUCCESS")
    try:
        task = cover_art.request(request.user, track, through_api=True,
                                 param=data, base_url=files.base(request),
                                 callback_url=feature_callback_url(data))
    except cover_art.AlreadyAsked as asked:
        # The vendors: one cover per music task; again, "a 400 status code and the
        # existing taskId".
        return v1({"taskId": asked.task.task_id}, code=400,
                  msg="Cover art was already generated for this task")
    return v1({"taskId": task.task_id})


def _iso(moment) -> str | None:
    """The cover pages' time format: "2025-01-15T10:35:27.000Z"."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{moment.microsecond // 1000:03d}Z"


def cover_images(task: CoverArt, base: str) -> list[str] | None:
    return files.cover_art_urls(task, base) if task.status == CoverArtStatus.SUCCESS else None


def cover_record(task: CoverArt, base: str) -> dict:
    return {"taskId": task.task_id, "parentTaskId": task.track.generation.task_id,
            "callbackUrl": task.callback_url, "completeTime": _iso(task.completed_at),
            "response": {"images": cover_images(task, base)},
            "successFlag": task.status, "createTime": _iso(task.created_at), **failure(task)}


def cover_callback(task: CoverArt) -> dict:
    base = settings.STUDIO_BASE_URL or task.base_url
    if task.status == CoverArtStatus.SUCCESS:
        return {"code": 200, "msg": "success",
                "data": {"images": cover_images(task, base), "taskId": task.task_id}}
    return {"code": 501, "msg": task.error_message or "Cover generation failed",
            "data": {"taskId": task.task_id, "images": None}}


@endpoint("GET")
def cover_record_info(request):
    task = owned_task(request, CoverArt.objects.select_related("track__generation"))
    return v1(cover_record(task, files.base(request)))


# Callbacks: one POST when a task is final, signed and retried as every callback ------------
# Owed in the transaction that ends the task (library/claims.py `finish`): a first attempt whose
# task was lost is made by the sweep, as a lost retry is.

def on_video_finished(sender, video: MusicVideo, **kwargs) -> None:
    if video.callback_url:
        callbacks.owe(video.callback_url, mp4_callback(video), video.owner_id, video.task_id)


def on_cover_art_finished(sender, cover_art: CoverArt, **kwargs) -> None:
    if cover_art.callback_url:
        callbacks.owe(cover_art.callback_url, cover_callback(cover_art), cover_art.owner_id,
                      cover_art.task_id)


# The first attempts as Studio queued them before they had their row (a broker may still hold
# one after an upgrade).

def deliver_video(video_id) -> str:
    made = MusicVideo.objects.select_related("owner").get(pk=video_id)
    return callbacks.post_once(made.callback_url, mp4_callback(made), made.owner, made.task_id)


def deliver_cover_art(task_id) -> str:
    task = CoverArt.objects.select_related("owner", "track").get(pk=task_id)
    return callbacks.post_once(task.callback_url, cover_callback(task), task.owner, task.task_id)


def openapi_paths() -> dict:
    """This module's entries in /api/openapi.json."""
    from .openapi import FEATURE_CALLBACK as callback
    from .openapi import _feature_envelope as envelope
    from .openapi import _feature_record_info as record_info
    from .openapi import _json_body, _post, _text

    nullable_text = {"type": "string", "nullable": True}
    nullable_int = {"type": "integer", "nullable": True}
    task = {"type": "object", "properties": {"taskId": {"type": "string"}}}
    mp4_schema = {"type": "object", "properties": {
        "taskId": {"type": "string"}, "musicId": {"type": "string"},
        "audioId": {"type": "string"}, "callbackUrl": {"type": "string"},
        "completeTime": nullable_int,
        "response": {"type": "object", "properties": {"videoUrl": {"type": "string"}}},
        "successFlag": {"type": "string", "enum": list(VideoStatus.values)},
        "createTime": {"type": "integer"}, "errorCode": nullable_int,
        "errorMessage": nullable_text}}
    cover_schema = {"type": "object", "properties": {
        "taskId": {"type": "string"}, "parentTaskId": {"type": "string"},
        "callbackUrl": {"type": "string"}, "completeTime": nullable_text,
        "response": {"type": "object", "properties": {"images": {
            "type": "array", "nullable": True, "items": {"type": "string"}}}},
        "successFlag": {"type": "string", "enum": list(CoverArtStatus.values)},
        "createTime": {"type": "string"}, "errorCode": nullable_int,
        "errorMessage": nullable_text}}

    return {
        "/api/v1/mp4/generate": _post(
            "A take's music video: cover art, moving waveform, karaoke lyrics (H.264 + AAC)",
            _json_body({"taskId": _text("The music task.", 100),
                        "audioId": _text("The track (sunoData[].id).", 100),
                        "author": _text("Shown under the title.", videos.AUTHOR_LIMIT),
                        "domainName": _text("A watermark in the corner.",
                                            videos.DOMAIN_LIMIT), **callback},
                       ["taskId", "audioId"]),
            envelope(task, "data.taskId: poll /api/v1/mp4/record-info")),
        "/api/v1/mp4/record-info": record_info("A music video task's file", mp4_schema),
        "/api/v1/suno/cover/generate": _post(
            "Two new cover images for a music task (one such task per music task: again, "
            "code 400 with its taskId)",
            _json_body({"taskId": _text("The finished music task.", 100), **callback},
                       ["taskId"]),
            envelope(task, "data.taskId: poll /api/v1/suno/cover/record-info", 400)),
        "/api/v1/suno/cover/record-info": record_info("A cover task's images", cover_schema),
    }
