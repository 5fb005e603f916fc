"""What the v1 API derives from a finished track (suno_api.md §2): timestamped lyrics, and
the stems and MIDI the local engine knows exactly. Each names its source by taskId + audioId,
as the vendors do; someone else's task or track is simply not found."""
from __future__ import annotations

import uuid

from studio.generation.models import Status
from studio.library import timed_lyrics
from studio.library.models import Track

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
