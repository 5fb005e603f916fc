"""What the v1 API derives from a finished track (suno_api.md §2): timestamped lyrics, and
the stems and MIDI the local engine knows exactly. Each names its source by taskId + audioId,
as the vendors do; someone else's task or track is simply not found."""
from __future__ import annotations

import uuid

from studio.generation import derive
from studio.generation.models import Status
from studio.library import stems as kept_stems
from studio.library import timed_lyrics
from studio.library.models import Stems, Track

from . import files, records
from .envelope import V1, ApiError, body, endpoint, v1
from .v1 import owned_generation


def finished_track(request, data: dict) -> Track:
    """The caller's track `audioId` of task `taskId`, whose task has finished (the vendors'
    rule: derived outputs need a finished source)."""
    generation = owned_generation(request, data.get("taskId"))
    audio_id = data.get("audioId")
    if not audio_id or not isinstance(audio_id, str):
        raise ApiError(422, "audioId is required: the id of one of the task's tracks "
                            "(sunoData[].id in record-info)")
    try:
        pk = uuid.UUID(audio_id.strip())
    except ValueError:
        pk = None
    track = generation.tracks.filter(pk=pk).first() if pk else None
    if track is None:
        raise ApiError(404, f"Track {audio_id} was not found in task {generation.task_id}")
    if generation.status != Status.SUCCESS:
        raise ApiError(422, f"Task {generation.task_id} is not finished (status "
                            f"{generation.status}): wait for SUCCESS")
    return track


@endpoint("POST")
def timestamped_lyrics(request):
    track = finished_track(request, body(request, V1))
    if track.is_instrumental:
        raise ApiError(422, "This track is instrumental: it has no lyrics to align")
    words = timed_lyrics.aligned_words(track)
    if not words:
        raise ApiError(422, "This track has no recorded word timings: only takes sung by "
                            "Studio's local engine carry them (a vendor's take does not)")
    return v1({"alignedWords": words, "waveformData": track.peaks, "hootCer": 0.0,
               "isStreamed": False})


# -- stems: /api/v1/vocal-removal/* (suno_api.md §2 rows 14-15, §3.5) ---------------------------

STEM_TYPES = {"separate_vocal": Stems.Kind.SEPARATE_VOCAL, "split_stem": Stems.Kind.SPLIT_STEM}
# Our stem names → the vendors' response keys (vocal_removal_info, camelCase in record-info).
STEM_KEYS = {"instrumental": "instrumentalUrl", "vocals": "vocalUrl",
             "backing_vocals": "backingVocalsUrl", "drums": "drumsUrl", "bass": "bassUrl",
             "guitar": "guitarUrl", "keyboard": "keyboardUrl", "percussion": "percussionUrl",
             "strings": "stringsUrl", "synth": "synthUrl", "fx": "fxUrl", "brass": "brassUrl",
             "woodwinds": "woodwindsUrl"}


@endpoint("POST", creates=True)
def vocal_removal(request):
    data = body(request, V1)
    kind = data.get("type", "separate_vocal")
    if kind not in STEM_TYPES:
        raise ApiError(422, f"type must be separate_vocal or split_stem (got {str(kind)[:40]!r}); "
                            "split_stem_advanced is not offered")
    callback_url = data.get("callBackUrl") or ""
    if not isinstance(callback_url, str) or len(callback_url) > 1000:
        raise ApiError(422, "callBackUrl must be a URL of at most 1000 characters")
    track = finished_track(request, data)
    try:
        stems = derive.request(request.user, track, STEM_TYPES[kind], callback_url)
    except derive.StemsRefused as refused:
        raise ApiError(422, str(refused)) from None
    return v1({"taskId": stems.task_id})


def _epoch_ms(moment) -> int | None:
    return int(moment.timestamp() * 1000) if moment else None


def stems_record(stems: Stems, base: str) -> dict:
    track = stems.track
    response = None
    if stems.status == Stems.Status.SUCCESS:
        audio, _cover = files.track_urls(track, base)
        response = {"originUrl": audio, **{key: "" for key in STEM_KEYS.values()}}
        for name in kept_stems.shown(stems):
            response[STEM_KEYS[name]] = files.stem_url(track, name, base)
    failed = stems.status in (Stems.Status.CREATE_TASK_FAILED, Stems.Status.GENERATE_AUDIO_FAILED)
    return {"taskId": stems.task_id, "musicId": str(track.id), "audioId": str(track.id),
            "callbackUrl": stems.callback_url, "type": stems.kind,
            "completeTime": _epoch_ms(stems.completed_at), "response": response,
            "successFlag": stems.status, "createTime": _epoch_ms(stems.created_at),
            "errorCode": 500 if failed else None,
            "errorMessage": stems.error_message or None}


@endpoint("GET")
def vocal_removal_record(request):
    task_id = request.GET.get("taskId")
    if not task_id:
        raise ApiError(422, "taskId is required")
    try:
        pk = uuid.UUID(task_id.strip())
    except ValueError:
        pk = None
    stems = (Stems.objects.owned_by(request.user).select_related("track").filter(pk=pk).first()
             if pk else None)
    if stems is None:
        raise ApiError(404, f"Task {task_id} was not found")
    return v1(stems_record(stems, records.base_url(stems.track.generation, request)))
