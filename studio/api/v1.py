"""The v1 dialect (sunoapi.org / kie, seeds 002 and 004): camelCase, `{code, msg, data}`."""
from __future__ import annotations

import base64
import binascii
import functools
import io
import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from studio import rows
from studio.generation import rules, uploads
from studio.generation.models import Generation

from . import auth, files, intake, records
from .envelope import V1, ApiError, body, endpoint, json_object, not_storable, required_text, v1
from .models import ApiRequest


def _created(request, operation: str):
    data = body(request, V1)
    generation = intake.create(request, operation, data, origin="v1")
    return v1({"taskId": generation.task_id})


@endpoint("POST", creates=True)
def generate(request):
    return _created(request, rules.GENERATE)


@endpoint("POST", creates=True)
def extend(request):
    return _created(request, rules.EXTEND)


@endpoint("POST", creates=True)
def upload_cover(request):
    return _created(request, rules.UPLOAD_COVER)


@endpoint("POST", creates=True)
def add_instrumental(request):
    return _created(request, rules.ADD_INSTRUMENTAL)


@endpoint("POST", creates=True)
def replace_section(request):
    return _created(request, rules.REPLACE_SECTION)


@endpoint("POST", creates=True)
def add_vocals(request):
    return _created(request, rules.ADD_VOCALS)


@endpoint("POST", creates=True)
def sounds(request):
    return _created(request, rules.SOUNDS)


@endpoint("POST", creates=True)
def mashup(request):
    return _created(request, rules.MASHUP)


@endpoint("POST", creates=True)
def upload_extend(request):
    return _created(request, rules.UPLOAD_EXTEND)


def owned_generation(request, task_id) -> Generation:
    """The caller's generation for `task_id`; someone else's is simply not found."""
    pk = _task_pk(required_text(task_id, "taskId"))
    if getattr(request, "alongside", None) is not None:  # read with the key (_with_key)
        values = request.alongside
    else:
        row = rows.one(_owned_sql(), [rows.prep(Generation, "id", pk), request.user.pk])
        values = row if row is not None else (None,) * (len(_GENERATION) + len(_API_REQUEST))
    generation = _GENERATION.instance(values[:len(_GENERATION)])
    if generation is None or generation.pk != pk:
        raise ApiError(404, f"Task {task_id} was not found")
    # Cached both ways as select_related would; None says "made in the browser".
    api_request = _API_REQUEST.instance(values[len(_GENERATION):])
    Generation.api_request.related.set_cached_value(generation, api_request)
    if api_request is not None:
        ApiRequest.generation.field.set_cached_value(api_request, generation)
    return generation


def _task_pk(task_id) -> uuid.UUID | None:
    """The UUID a taskId names; a malformed one names none (404 below, as for a stranger's);
    None for no taskId at all (422)."""
    if not task_id or not isinstance(task_id, str):
        return None
    try:
        return uuid.UUID(task_id.strip())
    except ValueError:
        return uuid.UUID(int=0)  # no generation has it: "not found", as before


_GENERATION = rows.Columns(Generation, "g")
_API_REQUEST = rows.Columns(ApiRequest, "r")


def _request_join() -> str:
    """The generation's request (record-info's `param`), LEFT JOINed: None when the
    generation was made in the browser."""
    return (f"LEFT JOIN {rows.table(ApiRequest)} r "
            f"ON {_API_REQUEST.column('generation_id')} = {_GENERATION.column('id')}")


@functools.cache
def _owned_sql() -> str:
    """A generation by id and owner, with the request as the client sent it (record-info's
    `param`) in the same query (SQL written once, see studio.rows). Neither dialect shows
    more of the source than its id, so no join to tracks or uploads."""
    return (f"SELECT {_GENERATION.sql()}, {_API_REQUEST.sql()} "
            f"FROM {rows.table(Generation)} g {_request_join()} "
            f"WHERE {_GENERATION.column('id')} = %s AND {_GENERATION.column('owner_id')} = %s")


def _with_key(request) -> auth.Alongside | None:
    """record-info's generation, read in the key's own query: every poll is then one round
    trip. The owner's condition is in the join, so a stranger's task reads as no row."""
    pk = _task_pk(request.GET.get("taskId"))
    if pk is None:
        return None
    return auth.Alongside(*_alongside_sql(), [rows.prep(Generation, "id", pk)])


@functools.cache
def _alongside_sql() -> tuple[str, str]:
    return (f"{_GENERATION.sql()}, {_API_REQUEST.sql()}",
            f"LEFT JOIN {rows.table(Generation)} g ON {_GENERATION.column('owner_id')} = u.id "
            f"AND {_GENERATION.column('id')} = %s {_request_join()}")


@endpoint("GET", alongside=_with_key, poll=True)
def record_info(request):
    generation = owned_generation(request, request.GET.get("taskId"))
    return v1(records.record_info(generation, request))


@endpoint("GET")
def credit(request):
    # Self-hosted: nothing is billed. The number is STUDIO_API_CREDITS, never spent.
    return v1(settings.STUDIO_API_CREDITS)


@endpoint("POST")
def download_url(request):
    """kie's Common API: a temporary download link (20 minutes) for a file Studio made."""
    return v1(files.download_url(body(request, V1).get("url"), request.user,
                                 files.base(request)))


# The vendors' file-upload API (suno_api.md rows 28-30): the returned downloadUrl works as
# uploadUrl for upload-cover, upload-extend, add-instrumental and add-vocals without another
# download.

def _uploaded(request, upload, data: dict):
    now = timezone.now()
    url = files.upload_url(upload, files.base(request))
    path = data.get("uploadPath") if isinstance(data.get("uploadPath"), str) else ""
    return v1({"success": True, "fileName": upload.name, "filePath": url,
               "downloadUrl": url, "fileUrl": url, "fileSize": upload.size,
               "mimeType": uploads_mime(upload.format), "uploadPath": path[:200],
               "uploadTime": now.isoformat(), "uploadedAt": now.isoformat(),
               "expiresAt": (now + timedelta(days=settings.STUDIO_FILE_URL_DAYS)).isoformat(),
               "duration": round(upload.duration, 2)}, msg="File uploaded successfully")


MIMES = {"mp3": "audio/mpeg", "wav": "audio/wav", "flac": "audio/flac", "ogg": "audio/ogg",
         "m4a": "audio/mp4"}


def uploads_mime(kind: str) -> str:
    return MIMES.get(kind, "application/octet-stream")


def _accept(request, fileobj, name: str):
    try:
        return uploads.accept(request.user, fileobj, name)
    except uploads.UploadError as problem:
        raise ApiError(422, f"file: {problem}") from None


def _file_name(data: dict, fallback: str) -> str:
    name = data.get("fileName")
    return name if isinstance(name, str) and name.strip() else fallback


@endpoint("POST", creates=True)
def file_stream_upload(request):
    if not request.content_type.startswith("multipart/form-data"):
        raise ApiError(422, "file is required: send multipart/form-data with a file field")
    fileobj = request.FILES.get("file")
    if fileobj is None:
        raise ApiError(422, "file is required: send multipart/form-data with a file field")
    data = {k: request.POST.get(k) for k in request.POST}
    if problem := not_storable(data):  # a fileName with a NUL, as a JSON body is refused
        raise ApiError(422, problem)
    upload = _accept(request, fileobj, _file_name(data, fileobj.name))
    return _uploaded(request, upload, data)


def _base64_body(request) -> dict:
    """file-base64-upload's JSON, which holds the whole file in base64 (4/3 of its size):
    read from the stream up to what the largest allowed upload needs, since Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE and the API's JSON limit stay small for every other body."""
    if request.content_type not in ("application/json", "text/plain", ""):
        return body(request, V1)
    limit = settings.STUDIO_UPLOAD_MAX_MB * 1024 * 1024
    # The base64 (with room for a line break, JSON's four-byte \r\n, every 76 characters as
    # MIME wraps it), a data: prefix and the other fields.
    cap = (limit + 2) // 3 * 4 * 80 // 76 + 64 * 1024
    too_big = ApiError(413, f"base64Data is over the {settings.STUDIO_UPLOAD_MAX_MB} MB limit")
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared.isdigit() and int(declared) > cap:
        raise too_big
    raw = request.read(cap + 1)
    if len(raw) > cap:
        raise too_big
    return json_object(raw, V1)


@endpoint("POST", creates=True)
def file_base64_upload(request):
    data = _base64_body(request)
    value = required_text(data.get("base64Data"), "base64Data", "the file as base64 or a data: URI")
    if value.startswith("data:"):
        _, comma, value = value.partition(",")
        if not comma:  # the whole file sits in the header: there is nothing after a comma
            raise ApiError(422, "base64Data is a data: URI without the comma before its data: "
                                "send data:<type>;base64,<base64>")
    value = "".join(value.split())  # MIME base64 comes in 76-character lines; breaks are no data
    limit = settings.STUDIO_UPLOAD_MAX_MB * 1024 * 1024
    if len(value) * 3 // 4 > limit:
        raise ApiError(413, f"base64Data is over the {settings.STUDIO_UPLOAD_MAX_MB} MB limit")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(422, "base64Data is not valid base64") from None
    upload = _accept(request, io.BytesIO(raw), _file_name(data, "upload"))
    return _uploaded(request, upload, data)


@endpoint("POST", creates=True)
def file_url_upload(request):
    data = body(request, V1)
    url = required_text(data.get("fileUrl"), "fileUrl", "the URL of an audio file")
    upload = intake.fetch_upload(request.user, url, "fileUrl", name=_file_name(data, ""))
    return _uploaded(request, upload, data)
