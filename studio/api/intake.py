"""From an API request body to a queued generation, for both dialects.

The fields are checked by `rules.validate()` — the same rules, and words, as the forms, every
broken field at once — and only then is the source found: the track to extend must be the
caller's; an uploadUrl is one of Studio's own upload links or is fetched now (capped in size
and time, sniffed, decoded), so a bad URL is an error at once rather than a failed task
later. The body as sent and the base URL are kept beside the generation (ApiRequest), not in
the request the engine reads.
"""
from __future__ import annotations

import logging
import uuid

from django.db import transaction

from studio import rows
from studio.connections import capability
from studio.generation import jobs, rules, streams, uploads
from studio.generation.models import Generation, Status
from studio.library.models import Persona, Track

from . import files, outbound
from .envelope import ApiError
from .models import ApiRequest

log = logging.getLogger("studio.api")
CALLBACK_URL_LIMIT = 1000
_API_REQUEST = rows.Insert(ApiRequest)  # written on every create: see studio.rows


def callback_url(data: dict) -> tuple[str, str]:
    """(the callBackUrl to store, why Studio will not call it or "").

    A URL Studio will not call — a private or local address, not http(s) — is no reason to
    refuse the song: real clients send placeholders such as https://localhost/callback
    because kie requires the field. The task is made as usual; each stage's delivery is
    recorded as refused with this reason, and nothing connects. Only a value that is not
    a string, or too long to store, is the client's mistake to answer at once.
    """
    value = data.get("callBackUrl")
    if value in (None, ""):
        return "", ""
    if not isinstance(value, str):
        raise rules.RuleError("callBackUrl", "invalid", "{label} must be a URL")
    value = value.strip()
    if len(value) > CALLBACK_URL_LIMIT:
        raise rules.RuleError("callBackUrl", "too_long",
                              "{label} is {actual} characters; the limit is 1,000",
                              actual=f"{len(value):,}")
    try:
        # Its name is not looked up here (a DNS round trip in every create): delivery
        # resolves it, checks the address and connects to that one (outbound.client).
        outbound.check_url(value, "callBackUrl", lenient=True, look_up=False)
    except outbound.OutboundError as problem:
        return value, problem.message
    return value, ""


def feature_callback_url(data: dict) -> str:
    """The callBackUrl a feature task (lyrics, WAV, stems, MIDI, video, cover art) calls once,
    "" for none: checked as a song's (`callback_url`). One Studio will not call does not refuse
    the task either: it is logged as refused and never queued, so nothing connects."""
    url, refused = callback_url(data)
    if refused:
        log.info("callBackUrl %s will not be called: %s", url, refused)
        return ""
    return url


def _take_pk(audio_id) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(audio_id).strip())
    except ValueError:
        return None


def unfinished_take(generation: Generation, audio_id) -> bool:
    """Whether `audio_id` names a take of `generation` still being made: record-info and
    get-task list it (its id, a stream) from TEXT_SUCCESS, before it is a track."""
    pk = _take_pk(audio_id)
    return (pk is not None and not generation.is_final
            and pk in {streams.track_id(generation, v) for v in range(rules.TAKES)})


def not_finished_yet(field: str, audio_id, code: int = 422, *, then: str = "ask again") -> ApiError:
    """The refusal of a take still being made (unfinished_take): `then`, what to do once it is."""
    return ApiError(code, f"{field} {audio_id} is not finished yet: {then} once record-info "
                          "lists its audioUrl")


def source_track(owner, audio_id: str, field: str = "audioId", *, invalid: int = 422) -> Track:
    """The caller's track `audio_id`; one of the caller's takes still being made is `invalid`
    (the dialect's code) as not finished yet, any other id not found."""
    pk = _take_pk(audio_id)
    track = Track.objects.owned_by(owner).select_related("generation").filter(pk=pk).first() if pk else None
    if track is None:
        if pk and any(unfinished_take(g, pk) for g in Generation.objects.owned_by(owner).running()):
            raise not_finished_yet(field, audio_id, invalid, then="build on it")
        raise ApiError(404, f"{field} {audio_id} was not found among your tracks")
    if track.trashed_at is not None:
        # The trash keeps a take's links working (record-info), not its use as a source: the
        # browser's pickers do not offer it either. Restoring it makes it a source again.
        raise ApiError(404, f"{field} {audio_id} is in your trash: restore it to build on it")
    return track


def finished_in_task(track: Track, task_id, label: str = "audioId") -> None:
    """The vendors' rule for what is made from a take: the take is one of task `taskId`'s,
    and that task has finished."""
    try:
        same = uuid.UUID(str(task_id).strip()) == track.generation_id
    except ValueError:
        same = False
    if not same:
        raise ApiError(404, f"{label} {track.pk} was not found in task {task_id}")
    if track.generation.status != Status.SUCCESS:
        raise ApiError(422, f"Task {task_id} is not finished (status "
                            f"{track.generation.status}): wait for SUCCESS")


def fetch_upload(owner, url: str, field: str, name: str | None = None):
    """The Upload a URL names: Studio's own upload link (no download), or fetched now through
    the outbound guard and accepted like a browser upload. `name` overrides the file name."""
    upload = files.own_upload(url, owner)
    if upload is not None:
        return upload
    try:
        outbound.check_url(url, field)
        fileobj, fetched_name = outbound.fetch_audio(url, field)
    except outbound.OutboundError as problem:
        raise ApiError(problem.code, problem.message) from None
    try:
        with fileobj:
            return uploads.accept(owner, fileobj, name or fetched_name)
    except uploads.UploadError as problem:
        raise ApiError(422, f"{field}: {problem}") from None


def create(request, operation: str, data: dict, *, origin: str, raw: dict | None = None,
           names: dict | None = None, required: dict | None = None):
    """Validate `data` for `operation` and submit it; the new Generation.

    `names` maps v1 field names to the ones the client used (legacy: audioId is
    continue_clip_id), so every message names the field as sent. `raw` is the body as sent,
    when the dialect renamed its fields into `data`. `required` names fields this dialect
    requires beyond the operation's rules, with why.
    """
    owner = request.user
    names = names or {}
    invalid = 422 if origin == "v1" else 400  # the dialect's code for a request it refuses
    found: dict[str, Track | uploads.Upload | Persona | None] = {}

    def find_source(field: str, value: str) -> rules.Source:
        label = names.get(field, field)
        if field == "audioId":
            found["track"] = source_track(owner, value, label, invalid=invalid)
            if operation == rules.REPLACE_SECTION:
                finished_in_task(found["track"], data.get("taskId"), label)
            return rules.Source(found["track"].duration, found["track"], found["track"].generation.model)
        # A mashup's uploadUrlList names two: the first is its upload, the second its second.
        # Neither is fetched until both pass the outbound guard's quick look.
        if field == "uploadUrlList" and "upload" not in found:
            for url in data["uploadUrlList"]:
                if not files.looks_own(url):
                    try:
                        outbound.check_url(url.strip(), label, lenient=True)
                    except outbound.OutboundError as problem:
                        raise ApiError(problem.code, problem.message) from None
        slot = "second_upload" if field == "uploadUrlList" and "upload" in found else "upload"
        found[slot] = fetch_upload(owner, value, label)
        return rules.Source(found[slot].duration, found[slot])

    def find_persona(persona_id: str) -> None:
        found["persona"] = Persona.objects.owned_by(owner).filter(pk=persona_id).first()
        if found["persona"] is None:
            raise ApiError(404, f"{names.get('personaId', 'personaId')} {persona_id} was not "
                                "found among your personas")

    # The user's default engine serves the API (read with the key, see envelope.endpoint).
    connection = capability.default_for(owner, getattr(request, "default_engine", None))
    if refusal := capability.mode_refusal(connection, rules.MODES[operation]):
        raise ApiError(invalid, refusal)  # before fetching any source
    context = rules.Context(surface=origin, labels=names, required=required or {},
                            find_source=find_source, find_persona=find_persona)
    generation_request = rules.validate(operation, data, context)
    refusal = capability.refusal(connection, generation_request, source_track=found.get("track"),
                                 persona=found.get("persona"))
    if refusal:
        raise ApiError(invalid, refusal)
    hook, refused = callback_url(data) if origin == "v1" else ("", "")
    # One transaction: the generation is queued once both rows are written, and counted
    # against the key's rate limit in the same commit.
    count = getattr(request, "create_count", None)
    with count.transaction() if count is not None else transaction.atomic():
        generation = jobs.submit(owner=owner, request=generation_request, origin=origin,
                                 callback_url=hook, source_track=found.get("track"),
                                 upload=found.get("upload"),
                                 second_upload=found.get("second_upload"),
                                 engine=connection.engine_name if connection else "")
        _API_REQUEST.save(ApiRequest(generation=generation,
                                     body=raw if raw is not None else data,
                                     base_url=request.build_absolute_uri("/").rstrip("/"),
                                     callback_refused=refused))
    return generation

