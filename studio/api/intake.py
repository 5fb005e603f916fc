"""From an API request body to a queued generation, for both dialects.

The fields are checked by `rules.validate()` — the same rules, and words, as the forms —
then what needs the database or the network: the track to extend must be the caller's and
continueAt shorter than it; an uploadUrl is one of Studio's own upload links or is fetched
now (capped in size and time, sniffed, decoded), so a bad URL is an error at once rather
than a failed task later; a callBackUrl must not point into a private network.
"""
from __future__ import annotations

import uuid

from studio.generation import jobs, rules, uploads
from studio.generation.models import Mode
from studio.library.models import Track

from . import callbacks, files, outbound
from .envelope import ApiError
from .records import BASE_KEY, REQUEST_KEY

MODES = {rules.GENERATE: Mode.GENERATE, rules.INSTRUMENTAL: Mode.INSTRUMENTAL,
         rules.EXTEND: Mode.EXTEND, rules.UPLOAD_COVER: Mode.UPLOAD_COVER,
         rules.ADD_INSTRUMENTAL: Mode.ADD_INSTRUMENTAL,
         rules.LEGACY_SONG: Mode.GENERATE}
CALLBACK_URL_LIMIT = 1000


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
        outbound.check_url(value, "callBackUrl", lenient=True)
    except outbound.OutboundError as problem:
        return value, problem.message
    return value, ""


def source_track(owner, audio_id: str, field: str = "audioId") -> Track:
    try:
        pk = uuid.UUID(str(audio_id))
    except ValueError:
        pk = None
    track = Track.objects.owned_by(owner).filter(pk=pk).first() if pk else None
    if track is None:
        raise ApiError(404, f"{field} {audio_id} was not found among your tracks")
    return track


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


def upload_from(owner, url: str, model: str):
    """The Upload an uploadUrl names, checked against the model's length limit."""
    upload = fetch_upload(owner, url, "uploadUrl")
    rules.check_upload_length(upload.duration, model, field="uploadUrl")
    return upload


def create(request, operation: str, data: dict, *, origin: str, raw: dict | None = None,
           names: dict | None = None):
    """Validate `data` for `operation` and submit it; the new Generation.

    `names` maps v1 field names to the ones the client used (legacy: audioId is
    continue_clip_id), so every message names the field as sent.
    """
    try:
        return _create(request, operation, data, origin=origin, raw=raw, names=names or {})
    except rules.RuleError as problem:
        problem.labels = names
        raise


def _create(request, operation, data, *, origin, raw, names):
    owner = request.user
    params = rules.validate(operation, data)
    hook, refused = callback_url(data) if origin == "v1" else ("", "")
    track = upload = None
    if operation == rules.EXTEND:
        track = source_track(owner, params["audioId"], names.get("audioId", "audioId"))
        if params.get("continueAt") is not None:
            rules.continue_at(params["continueAt"], required=True, duration=track.duration)
    if operation in (rules.UPLOAD_COVER, rules.ADD_INSTRUMENTAL):
        upload = upload_from(owner, params["uploadUrl"], params["model"])
    params[REQUEST_KEY] = raw if raw is not None else data
    params[BASE_KEY] = request.build_absolute_uri("/").rstrip("/")
    if refused:
        params[callbacks.REFUSED_KEY] = refused
    return jobs.submit(owner=owner, mode=MODES[operation], params=params, source_track=track,
                       upload=upload, callback_url=hook, origin=origin)
