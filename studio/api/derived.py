"""What the v1 API derives from a finished track (suno_api.md §2): timestamped lyrics, and
the stems and MIDI the local engine knows exactly. Each names its source by taskId + audioId,
as the vendors do; someone else's task or track is simply not found."""
from __future__ import annotations

import uuid

from django.core import signing
from django.db import transaction

from studio.connections import derived as vendor_timing
from studio.engines import upstream_v1 as v1_engine
from studio.engines.upstream import VendorError
from studio.generation import derive
from studio.generation.models import Generation, Status
from studio.library import stems as kept_stems
from studio.library import timed_lyrics
from studio.library.models import Stems, Track

from . import callbacks, files, records
from .envelope import V1, ApiError, body, endpoint, required_text, v1
from .intake import feature_callback_url, not_finished_yet, unfinished_take
from .v1 import owned_generation


def finished_track(request, data: dict) -> Track:
    """The caller's track `audioId` of task `taskId`, whose task has finished (the vendors'
    rule: derived outputs need a finished source). Some clients name it by its `audioUrl`
    alone, which does as well."""
    if data.get("audioUrl") and not data.get("taskId") and not data.get("audioId"):
        track = files.own_track(data["audioUrl"], request.user)
        generation = track.generation
    else:
        generation = owned_generation(request, data.get("taskId"))
        audio_id = required_text(data.get("audioId"), "audioId",
                                 "the id of one of the task's tracks (sunoData[].id in record-info)")
        try:
            pk = uuid.UUID(audio_id.strip())
        except ValueError:
            pk = None
        track = generation.tracks.filter(pk=pk).first() if pk else None
        if track is None:
            if unfinished_take(generation, pk):
                raise not_finished_yet("audioId", audio_id)
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
    if not words and vendor_timing.timing_pending(track):
        try:
            vendor_timing.fetch_timing(track)
        except VendorError as error:
            raise ApiError(error.code if error.code in (404, 422, 430, 455) else 500,
                           f"The vendor that made this take could not align its lyrics: "
                           f"{error.message}") from None
        words = timed_lyrics.aligned_words(track)
    if not words:
        raise ApiError(422, "This track has no recorded word timings: takes sung by Studio's "
                            "local engine carry them, and a v1 vendor's take has its vendor's")
    return v1({"alignedWords": words, "waveformData": track.peaks, "hootCer": 0.0,
               "isStreamed": False})


# -- stems: /api/v1/vocal-removal/* (suno_api.md §2 rows 14-15, §3.5) ---------------------------

STEM_TYPES = {"separate_vocal": Stems.Kind.SEPARATE_VOCAL, "split_stem": Stems.Kind.SPLIT_STEM}
# Our stem names → the vendors' response keys (vocal_removal_info, camelCase in record-info).
STEM_KEYS = v1_engine.STEM_KEYS


@endpoint("POST", creates=True)
def vocal_removal(request):
    data = body(request, V1)
    kind = data.get("type", "separate_vocal")
    if not isinstance(kind, str) or kind not in STEM_TYPES:
        raise ApiError(422, f"type must be separate_vocal or split_stem (got {str(kind)[:40]!r}); "
                            "split_stem_advanced is not offered")
    callback_url = feature_callback_url(data)
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
    task_id = required_text(request.GET.get("taskId"), "taskId")
    try:
        pk = uuid.UUID(task_id.strip())
    except ValueError:
        pk = None
    stems = (Stems.objects.owned_by(request.user).select_related("track").filter(pk=pk).first()
             if pk else None)
    if stems is None:
        raise ApiError(404, f"Task {task_id} was not found")
    return v1(stems_record(stems, records.base_url(stems.track.generation, request)))


# -- MIDI: /api/v1/midi/* (suno_api.md §2 rows 16-17, §3.5, §4.3) -----------------------------
# The vendors make MIDI from a finished separation task. Studio writes it at once from the
# score (a vendor's take: its vendor writes it), so a MIDI task is a signed name for its
# separation task; what it adds, the callBackUrl and whether its one callback is still due,
# is kept on that row. The callback goes when the MIDI is there: at once, or when the
# vendor's request ends (connections/derived.py `midi_finished`).

MIDI_SALT = "studio.api.midi"


def _finished_stems(request, task_id) -> Stems:
    task_id = required_text(task_id, "taskId", "a finished vocal-removal task "
                                               "(POST /api/v1/vocal-removal/generate first)")
    try:
        pk = uuid.UUID(task_id.strip())
    except ValueError:
        pk = None
    stems = (Stems.objects.owned_by(request.user).select_related("track__generation")
             .filter(pk=pk).first() if pk else None)
    if stems is None:
        if pk and Generation.objects.owned_by(request.user).filter(pk=pk).exists():
            raise ApiError(422, "taskId names a music task: MIDI is made from a finished "
                                "vocal-removal task (POST /api/v1/vocal-removal/generate first)")
        raise ApiError(404, f"Task {task_id} was not found")
    if stems.status != Stems.Status.SUCCESS:
        raise ApiError(422, f"Vocal-removal task {task_id} is not finished (successFlag "
                            f"{stems.status})")
    return stems


def midi_task_id(stems: Stems) -> str:
    return signing.Signer(salt=MIDI_SALT).sign(stems.id.hex)


@endpoint("POST", creates=True)
def midi_generate(request):
    data = body(request, V1)
    callback_url = feature_callback_url(data)
    stems = _finished_stems(request, data.get("taskId"))
    audio_id = data.get("audioId")
    if audio_id not in (None, "", str(stems.track.id)):
        raise ApiError(404, f"Track {audio_id} was not found in task {stems.task_id}")
    try:
        derive.midi_for(stems.track)
        made = True
    except derive.MidiNotYet:  # a vendor's take: its vendor writes it from this separation
        vendor_timing.ask_midi(request.user, stems.track, stems=stems)
        made = False
    except derive.StemsRefused as refused:
        raise ApiError(422, str(refused)) from None
    if callback_url:
        with transaction.atomic():  # due, and owed at once when the MIDI is there
            Stems.objects.filter(pk=stems.pk).update(midi_callback_url=callback_url,
                                                     midi_callback_due=True)
            if made:
                call_back_midi(stems.track)
    return v1({"taskId": midi_task_id(stems)})


# A vendor's MIDI request's status → the vendors' integer successFlag (suno_api.md §3.5).
MIDI_FLAGS = {"PENDING": 0, "SUCCESS": 1, "CREATE_TASK_FAILED": 2, "GENERATE_MIDI_FAILED": 3}


@endpoint("GET")
def midi_record(request):
    task_id = required_text(request.GET.get("taskId"), "taskId")
    try:
        hex_id = signing.Signer(salt=MIDI_SALT).unsign(task_id)
    except signing.BadSignature:
        raise ApiError(404, f"Task {task_id[:100]} was not found") from None
    stems = _finished_stems(request, str(uuid.UUID(hex_id)))
    try:
        record = midi_task(stems)
    except derive.StemsRefused as refused:
        raise ApiError(422, str(refused)) from None
    if record is None:
        raise ApiError(404, f"Task {task_id[:100]} was not found")
    return v1(record)


def midi_task(stems: Stems) -> dict | None:
    """The MIDI task of `stems` as record-info shows it; None for a vendor's take whose MIDI
    was never asked for. Raises StemsRefused for a track that can have none."""
    record = {"taskId": midi_task_id(stems), "recordTaskId": stems.task_id,
              "audioId": str(stems.track.id), "callbackUrl": stems.midi_callback_url,
              "completeTime": _epoch_ms(stems.completed_at),
              "createTime": _epoch_ms(stems.created_at), "successFlag": 1, "errorCode": None,
              "errorMessage": None, "midiData": None}
    try:
        data = derive.midi_for(stems.track)
    except derive.MidiNotYet:  # a vendor's take: where its vendor's MIDI request is
        asked = vendor_timing.latest_midi(stems.track)
        if asked is None:
            return None
        failed = asked.status not in ("PENDING", "SUCCESS")
        return {**record, "successFlag": MIDI_FLAGS[asked.status],
                "createTime": _epoch_ms(asked.created_at),
                "completeTime": _epoch_ms(asked.completed_at),
                "errorCode": 500 if failed else None,
                "errorMessage": asked.error_message or None}
    return {**record,
            "midiData": {"state": "complete", "tempo": data["tempo"], "key": data["key"],
                         "mode": data["mode"],
                         "instruments": [{"name": i["name"], "program": i["program"],
                                          "drums": i["drums"], "notes": i["notes"]}
                                         for i in data["instruments"]]}}


# -- the MIDI callback: one signed POST when the MIDI is made or has failed (§4.3) -------------

def on_midi_finished(sender, track, **kwargs) -> None:
    call_back_midi(track)


def call_back_midi(track) -> None:
    """Owe the callback of every MIDI task of `track` that still owes one and whose MIDI is
    there, in the caller's transaction (the one in which the MIDI came, or was asked for):
    clearing its due flag and writing its row (callbacks.owe) go together, once."""
    for stems in (Stems.objects.filter(track=track, midi_callback_due=True)
                  .select_related("track__generation")):
        document = midi_callback(stems)
        if document is None:  # asked again meanwhile: the callback waits for that request's end
            continue
        with transaction.atomic():
            if Stems.objects.filter(pk=stems.pk, midi_callback_due=True).update(
                    midi_callback_due=False):
                callbacks.owe(stems.midi_callback_url, document, stems.owner_id,
                              midi_task_id(stems))


def midi_callback(stems: Stems) -> dict | None:
    """The vendors' MIDI callback: the notes with code 200, else code 500 and why; None while
    the MIDI is still being made."""
    try:
        record = midi_task(stems)
    except derive.StemsRefused as refused:
        record = {"taskId": midi_task_id(stems), "successFlag": 3, "errorMessage": str(refused)}
    if record is None or record["successFlag"] == 0:
        return None
    if record["successFlag"] == 1:
        return {"task_id": record["taskId"], "code": 200, "msg": "success",
                "data": record["midiData"]}
    return {"task_id": record["taskId"], "code": 500,
            "msg": record["errorMessage"] or "MIDI generation failed", "data": None}


def deliver_midi(stems_id) -> str:
    """Send a MIDI task's callback once (the task that clears its due flag sends it), signed
    and retried as every callback. "" when delivered, else why not. The first attempt as
    Studio queued it before it had its row (a broker may still hold one after an upgrade)."""
    stems = Stems.objects.select_related("track__generation", "owner").get(pk=stems_id)
    document = midi_callback(stems)
    if document is None:  # asked again meanwhile: the callback waits for that request's end
        return "the MIDI is still being made"
    if not Stems.objects.filter(pk=stems.pk, midi_callback_due=True).update(midi_callback_due=False):
        return "sent already"
    return callbacks.post_once(stems.midi_callback_url, document, stems.owner, midi_task_id(stems))
