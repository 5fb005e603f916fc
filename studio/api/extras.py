"""The v1 catalogue beyond music (suno_api.md §2 rows 10, 11, 13, 18, 19): lyrics from an
idea, style boost and a track's WAV, in the vendors' request, record-info and callback
shapes. Lyrics and WAV are tasks (a taskId now, the result by record-info or one callback);
style boost answers at once, as the vendors' does."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.utils import timezone

from studio.connections import derived as vendor_derived
from studio.engines.upstream import VendorError
from studio.generation import writing
from studio.generation.models import LyricsStatus, LyricsTask
from studio.library import wavs
from studio.library.models import Track, WavConversion, WavStatus

from . import callbacks, files, intake
from .envelope import V1, ApiError, body, endpoint, required_text, v1
from .records import create_time
from .v1 import owned_generation

WAV = files.WAV


def _written(problem: writing.WritingError) -> ApiError:
    return ApiError(413 if problem.kind == "too_long" else 422, problem.message)


def _task_pk(value) -> uuid.UUID | None:
    value = required_text(value, "taskId")
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _epoch_ms(moment) -> int | None:
    return int(moment.timestamp() * 1000) if moment else None


def owned_task(request, tasks):
    """The caller's task named by `?taskId=` among `tasks` (an owned queryset); 404 for any
    other id, as every record-info answers."""
    task_id = request.GET.get("taskId")
    pk = _task_pk(task_id)
    task = tasks.owned_by(request.user).filter(pk=pk).first() if pk else None
    if task is None:
        raise ApiError(404, f"Task {task_id} was not found")
    return task


def failure(task) -> dict:
    """A feature record-info's errorCode and errorMessage: 501 once the task failed (every
    status but the vendors' PENDING and SUCCESS is a failure)."""
    failed = task.status not in ("PENDING", "SUCCESS")
    return {"errorCode": 501 if failed else None, "errorMessage": task.error_message or None}


# Lyrics --------------------------------------------------------------------------------

@endpoint("POST", creates=True)
def lyrics(request):
    data = body(request, V1)
    try:
        idea = writing.clean_idea(data.get("prompt"))
    except writing.WritingError as problem:
        raise _written(problem) from None
    hook = intake.feature_callback_url(data)
    # The caller's default engine writes them when it is a v1 vendor, as it makes their songs.
    vendor = vendor_derived.default_connection(request.user)
    task = writing.create(request.user, idea, param=data, callback_url=hook,
                          engine=vendor.engine_name if vendor else "local")
    return v1({"taskId": task.task_id})


def lyrics_record(task: LyricsTask) -> dict:
    sheets = [{"text": s["text"], "title": s["title"], "status": "complete",
               "errorMessage": ""} for s in task.variants]
    return {"taskId": task.task_id, "param": _param(task.param),
            "response": {"taskId": task.task_id, "data": sheets},
            "status": task.status, "type": "LYRICS", **failure(task)}


def lyrics_callback(task: LyricsTask) -> dict:
    """The vendors' one lyrics callback; both spellings of the id and of errorMessage, as
    sunoapi.org and kie differ (suno_api.md §4.3)."""
    if task.status == LyricsStatus.SUCCESS:
        return {"code": 200, "msg": "All generated successfully.",
                "data": {"callbackType": "complete", "taskId": task.task_id,
                         "task_id": task.task_id,
                         "data": [{"text": s["text"], "title": s["title"],
                                   "status": "complete", "errorMessage": "",
                                   "error_message": ""}
                                  for s in task.variants]}}
    return {"code": 501, "msg": task.error_message or "Lyrics generation failed",
            "data": {"callbackType": "error", "taskId": task.task_id,
                     "task_id": task.task_id, "data": None}}


@endpoint("GET")
def lyrics_record_info(request):
    return v1(lyrics_record(owned_task(request, LyricsTask.objects)))


# Style boost ---------------------------------------------------------------------------

@endpoint("POST")
def style_generate(request):
    data = body(request, V1)
    try:
        result = writing.boost(data.get("content"))
    except writing.WritingError as problem:
        raise _written(problem) from None
    engine = vendor_derived.default_engine(request.user)
    if engine is not None:  # the caller's default engine is a v1 vendor: its boost
        try:
            result = engine.boost_style(data["content"].strip())
        except VendorError as error:
            raise ApiError(error.code if error.code in (413, 422, 430, 455) else 500,
                           f"The vendor could not boost this style: {error.message}") from None
    now = timezone.now()
    return v1({"taskId": uuid.uuid4().hex, "param": data.get("content"), "result": result,
               "creditsConsumed": 0, "creditsRemaining": settings.STUDIO_API_CREDITS,
               "successFlag": "1", "errorCode": None, "errorMessage": None,
               "createTime": create_time(now)})


# WAV -----------------------------------------------------------------------------------

def requested_take(request, data: dict, what: str) -> Track:
    """The caller's track `audioId` of music task `taskId` (both required), for a feature
    made from one finished take (`what`: "WAV", "video"); a take still being made is
    refused saying so, any other id is not found."""
    problems = []
    for field in ("taskId", "audioId"):  # both named at once when both are wrong
        try:
            required_text(data.get(field), field)
        except ApiError as problem:
            problems.append(problem.message)
    if problems:
        raise ApiError(422, "; ".join(problems))
    generation = owned_generation(request, data["taskId"])
    audio_id = data["audioId"].strip()
    track = generation.tracks.filter(pk=_uuid(audio_id)).first() if _uuid(audio_id) else None
    if track is None:
        if intake.unfinished_take(generation, audio_id):
            raise intake.not_finished_yet("audioId", audio_id, then=f"ask for its {what}")
        raise ApiError(404, f"audioId {audio_id} was not found in task {data['taskId']}")
    return track


@endpoint("POST", creates=True)
def wav_generate(request):
    data = body(request, V1)
    track = requested_take(request, data, "WAV")
    try:
        conversion = wavs.create(request.user, track, param=data,
                                 base_url=request.build_absolute_uri("/").rstrip("/"),
                                 callback_url=intake.feature_callback_url(data))
    except wavs.AlreadyConverted as done:
        return v1({"taskId": done.conversion.task_id}, code=409,
                  msg="WAV record already exists")
    return v1({"taskId": conversion.task_id})


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def wav_url(conversion: WavConversion, base: str) -> str:
    if conversion.status != WavStatus.SUCCESS:
        return ""
    return base + files.path(WAV, conversion.id, extension="wav")


def wav_record(conversion: WavConversion, base: str) -> dict:
    return {"taskId": conversion.task_id, "musicId": str(conversion.track_id),
            "audioId": str(conversion.track_id), "callbackUrl": conversion.callback_url,
            "musicIndex": conversion.track.variation,
            "completeTime": create_time(conversion.completed_at)
            if conversion.completed_at else None,
            "response": {"audioWavUrl": wav_url(conversion, base)},
            "successFlag": conversion.status,
            "createTime": create_time(conversion.created_at), **failure(conversion)}


def wav_callback(conversion: WavConversion) -> dict:
    base = settings.STUDIO_BASE_URL or conversion.base_url
    if conversion.status == WavStatus.SUCCESS:
        return {"code": 200, "msg": "success",
                "data": {"audioWavUrl": wav_url(conversion, base),
                         "audio_wav_url": wav_url(conversion, base),
                         "task_id": conversion.task_id}}
    return {"code": 501, "msg": conversion.error_message or "WAV generation failed",
            "data": {"audioWavUrl": None, "task_id": conversion.task_id}}


@endpoint("GET")
def wav_record_info(request):
    conversion = owned_task(request, WavConversion.objects.select_related("track"))
    return v1(wav_record(conversion, files.base(request)))


# Callbacks: one POST when a task is final, signed and retried as every callback ------------
# Owed in the transaction that ends the task (library/claims.py `finish`): a first attempt whose
# task was lost is made by the sweep, as a lost retry is.

def on_lyrics_finished(sender, task: LyricsTask, **kwargs) -> None:
    if task.callback_url:
        callbacks.owe(task.callback_url, lyrics_callback(task), task.owner_id, task.task_id)


def on_wav_finished(sender, conversion: WavConversion, **kwargs) -> None:
    if conversion.callback_url:
        callbacks.owe(conversion.callback_url, wav_callback(conversion), conversion.owner_id,
                      conversion.task_id)


def _param(value) -> str:
    import json
    return json.dumps(value, ensure_ascii=False)


def openapi_paths() -> dict:
    """This module's entries in /api/openapi.json."""
    from .openapi import FEATURE_CALLBACK as callback
    from .openapi import _feature_envelope as envelope
    from .openapi import _feature_record_info as record_info
    from .openapi import _json_body, _post, _text

    task = {"type": "object", "properties": {"taskId": {"type": "string"}}}
    sheet = {"type": "object", "properties": {
        "text": {"type": "string", "description": "Lyrics with [Verse], [Chorus]… markers."},
        "title": {"type": "string"}, "status": {"type": "string"},
        "errorMessage": {"type": "string"}}}
    lyrics_record_schema = {"type": "object", "properties": {
        "taskId": {"type": "string"}, "param": {"type": "string"},
        "response": {"type": "object", "properties": {
            "taskId": {"type": "string"}, "data": {"type": "array", "items": sheet}}},
        "status": {"type": "string", "enum": list(LyricsStatus.values)},
        "type": {"type": "string"},
        "errorCode": {"type": "integer", "nullable": True},
        "errorMessage": {"type": "string", "nullable": True}}}
    wav_record_schema = {"type": "object", "properties": {
        "taskId": {"type": "string"}, "musicId": {"type": "string"},
        "audioId": {"type": "string"}, "callbackUrl": {"type": "string"},
        "musicIndex": {"type": "integer"},
        "completeTime": {"type": "string", "nullable": True},
        "response": {"type": "object", "properties": {"audioWavUrl": {"type": "string"}}},
        "successFlag": {"type": "string", "enum": list(WavStatus.values)},
        "createTime": {"type": "string"},
        "errorCode": {"type": "integer", "nullable": True},
        "errorMessage": {"type": "string", "nullable": True}}}
    boosted = {"type": "object", "properties": {
        "taskId": {"type": "string"}, "param": {"type": "string", "nullable": True},
        "result": {"type": "string"}, "creditsConsumed": {"type": "number"},
        "creditsRemaining": {"type": "number"}, "successFlag": {"type": "string"},
        "errorCode": {"type": "integer", "nullable": True},
        "errorMessage": {"type": "string", "nullable": True},
        "createTime": {"type": "string"}}}

    return {
        "/api/v1/lyrics": _post(
            "Write lyrics from an idea (several variants)",
            _json_body({"prompt": _text(f"The idea, at most {writing.IDEA_WORDS} words.",
                                        writing.IDEA_CHARS), **callback}, ["prompt"]),
            envelope(task, "data.taskId: poll /api/v1/lyrics/record-info")),
        "/api/v1/lyrics/record-info": record_info("A lyrics task's variants",
                                                  lyrics_record_schema),
        "/api/v1/style/generate": _post(
            "Boost a short style into a richer one (synchronous)",
            _json_body({"content": _text("A short style.", writing.STYLE_CHARS)},
                       ["content"]),
            envelope(boosted, "data.result: the boosted style")),
        "/api/v1/wav/generate": _post(
            "A track's lossless WAV (409 if it has one)",
            _json_body({"taskId": _text("The music task.", 100),
                        "audioId": _text("The track (sunoData[].id).", 100), **callback},
                       ["taskId", "audioId"]),
            envelope(task, "data.taskId: poll /api/v1/wav/record-info", 409)),
        "/api/v1/wav/record-info": record_info("A WAV task's file", wav_record_schema),
    }
