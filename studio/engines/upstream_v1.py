"""The v1 dialect (sunoapi.org / kie.ai family, seeds 002 and 004): `/api/v1/...`,
camelCase bodies, `{code, msg, data}` envelopes, `data.taskId` for a create, record-info
(camelCase) and callbacks (snake_case) for progress."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .base import EngineRequest
from .upstream import (
    AUDIO_FAILED,
    CALLBACK_EXCEPTION,
    FAILURES,
    FIRST,
    KIE,
    KNOWN,
    PENDING,
    SUCCESS,
    TEXT,
    Caller,
    Http,
    Vendor,
    VendorError,
    VendorEvent,
    pick,
    takes_from,
    task_failure,
)

PATHS = {"generate": "/api/v1/generate", "instrumental": "/api/v1/generate",
         "extend": "/api/v1/generate/extend", "upload_cover": "/api/v1/generate/upload-cover",
         "add_instrumental": "/api/v1/generate/add-instrumental",
         "add_vocals": "/api/v1/generate/add-vocals",
         "upload_extend": "/api/v1/generate/upload-extend"}
CALLBACK_STAGES = {"text": TEXT, "first": FIRST, "complete": SUCCESS, "error": AUDIO_FAILED}
# The request's fields each create call sends (the seeds' names; private ones never leave).
SENT = {
    "generate": ("customMode", "instrumental", "model", "prompt", "style", "title",
                 "negativeTags", "vocalGender", "styleWeight", "weirdnessConstraint",
                 "audioWeight", "personaId"),
    "extend": ("audioId", "defaultParamFlag", "model", "prompt", "style", "title",
               "continueAt", "instrumental", "negativeTags", "vocalGender", "styleWeight",
               "weirdnessConstraint", "audioWeight", "personaId"),
    "add_instrumental": ("uploadUrl", "title", "tags", "negativeTags", "model", "vocalGender",
                         "styleWeight", "weirdnessConstraint", "audioWeight"),
    "add_vocals": ("uploadUrl", "prompt", "title", "style", "negativeTags", "model",
                   "vocalGender", "styleWeight", "weirdnessConstraint", "audioWeight"),
}
SENT["instrumental"] = SENT["generate"]
SENT["upload_cover"] = ("uploadUrl", *SENT["generate"])
SENT["upload_extend"] = ("uploadUrl", *(f for f in SENT["extend"] if f != "audioId"))
# What a create with defaultParamFlag false sends: the source, the flag and the model.
INHERITING = {"extend": ("audioId", "defaultParamFlag", "model"),
              "upload_extend": ("uploadUrl", "defaultParamFlag", "model")}


class V1Engine:
    name = "v1"

    def __init__(self, vendor: Vendor, http: Http | None = None, **caller):
        self.vendor = vendor
        self.caller = Caller(vendor, http, **caller)

    def body(self, request: EngineRequest, callback_url: str) -> dict:
        fields = request.fields
        body = {name: fields[name] for name in SENT[request.mode] if name in fields}
        if request.mode == "instrumental":  # legacy-style instrumental: custom, no words
            body.update(customMode=True, instrumental=True,
                        style=fields.get("style") or fields.get("tags", ""))
        if request.mode in ("add_instrumental", "add_vocals"):
            # Required even when nothing is excluded (seed 004); the stored request drops
            # empty fields, so an empty one is put back here.
            body.setdefault("negativeTags", "")
        if request.mode in INHERITING and body.get("defaultParamFlag") is False:
            body = {k: v for k, v in body.items() if k in INHERITING[request.mode]}
        # kie refuses a create without callBackUrl (suno_api.md §1.2): always send one.
        body["callBackUrl"] = callback_url
        return body

    def submit(self, request: EngineRequest, callback_url: str) -> str:
        answer = self.caller.create(PATHS[request.mode], self.body(request, callback_url))
        data = answer.get("data")
        task_id = pick(data, "taskId", "task_id") if isinstance(data, Mapping) else ""
        if not task_id:
            raise VendorError("The vendor said the task was made but gave no taskId: it may "
                              "have charged; check your account there.", code=500)
        return str(task_id)

    def status(self, task_id: str) -> VendorEvent:
        answer = self.caller.read("GET", "/api/v1/generate/record-info",
                                  params={"taskId": task_id})
        data = answer.get("data")
        if not isinstance(data, Mapping):
            raise VendorError("The vendor's record-info had no data.", code=500, retry=True)
        return record_info_event(data, task_id)

    def from_callback(self, payload) -> VendorEvent:
        return callback_event(payload)

    def credits(self) -> int:
        """The account's balance (kie serves it under chat/credit, sunoapi.org under
        generate/credit; each is tried)."""
        paths = ["/api/v1/generate/credit", "/api/v1/chat/credit"]
        if self.vendor.family == KIE:
            paths.reverse()
        for path in paths:
            try:
                answer = self.caller.read("GET", path)
            except VendorError as error:
                if error.code == 404 and path != paths[-1]:
                    continue
                raise
            data = answer.get("data")
            if isinstance(data, Mapping):
                data = pick(data, "credits", "balance", default=None)
            try:
                return int(data)
            except (TypeError, ValueError):
                raise VendorError("The vendor's credit answer had no number.", code=500) from None
        raise VendorError("The vendor has no credit endpoint.", code=404)

    def upload(self, path: Path, name: str) -> str:
        """Put `path` on the vendor's file-upload host; the URL it gives (valid 3 days)."""
        with open(path, "rb") as fh:
            answer = self.caller.send(
                "POST", "/api/file-stream-upload", base=self.vendor.upload_base_url,
                files={"file": (name, fh, "application/octet-stream")},
                data={"uploadPath": "studio", "fileName": name})
        data = answer.get("data") if isinstance(answer.get("data"), Mapping) else {}
        url = pick(data, "downloadUrl", "fileUrl", "filePath")
        if not url:
            raise VendorError("The vendor's file upload gave no URL.", code=500)
        return str(url)


def record_info_event(data: Mapping, task_id: str = "") -> VendorEvent:
    """record-info's `data` (camelCase) as an event."""
    status = str(data.get("status") or PENDING).upper()
    response = data.get("response") if isinstance(data.get("response"), Mapping) else {}
    takes = takes_from(pick(response, "sunoData", "suno_data", "data", default=[]))
    task = str(pick(data, "taskId", "task_id") or task_id)
    if status == "FAILED":
        status = AUDIO_FAILED
    if status not in KNOWN:
        status = PENDING  # a status this dialect does not know yet changes nothing
    if status == CALLBACK_EXCEPTION and len([t for t in takes if t.audio_url]) >= 2:
        status = SUCCESS  # the vendor failed to call someone back; the songs are made
    if status in FAILURES:
        code, message = task_failure(status, data.get("errorCode"),
                                     str(data.get("errorMessage") or
                                         response.get("errorMessage") or ""))
        return VendorEvent(task, status, takes, code, message)
    return VendorEvent(task, status, takes)


def callback_event(payload) -> VendorEvent:
    """A stage callback (snake_case; `data.callbackType` text | first | complete | error)."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("data"), Mapping):
        raise VendorError("The callback is not a stage callback.", code=422)
    data = payload["data"]
    stage = str(pick(data, "callbackType", "callback_type")).lower()
    task = str(pick(data, "task_id", "taskId"))
    if stage not in CALLBACK_STAGES or not task:
        raise VendorError("The callback names no known stage or task.", code=422)
    status = CALLBACK_STAGES[stage]
    takes = takes_from(data.get("data"))
    if status == AUDIO_FAILED:
        message = str(payload.get("msg") or data.get("error") or "")
        if "sensitive" in message.lower():
            status = "SENSITIVE_WORD_ERROR"
        code, words = task_failure(status, payload.get("code"), message)
        return VendorEvent(task, status, takes, code, words)
    return VendorEvent(task, status, takes)
