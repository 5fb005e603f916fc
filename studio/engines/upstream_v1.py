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
    UpstreamEngine,
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
# The vendors' stem keys (vocal-removal record-info `response`) → Studio's stem names.
STEM_KEYS = {"instrumental": "instrumentalUrl", "vocals": "vocalUrl",
             "backing_vocals": "backingVocalsUrl", "drums": "drumsUrl", "bass": "bassUrl",
             "guitar": "guitarUrl", "keyboard": "keyboardUrl", "percussion": "percussionUrl",
             "strings": "stringsUrl", "synth": "synthUrl", "fx": "fxUrl", "brass": "brassUrl",
             "woodwinds": "woodwindsUrl"}
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
# Replace section (§2 row 7): a window of the vendor's own take (taskId + audioId), or of an
# upload with its model; followed on generate record-info like a song, one take or two.
PATHS["replace_section"] = "/api/v1/generate/replace-section"
SENT["replace_section"] = ("taskId", "audioId", "uploadUrl", "model", "prompt", "tags", "title",
                           "infillStartS", "infillEndS", "negativeTags", "fullLyrics")
# Sounds (§2 row 25): a short sound or loop, followed on generate record-info like a song.
PATHS["sounds"] = "/api/v1/generate/sounds"
SENT["sounds"] = ("prompt", "model", "soundLoop", "soundTempo", "soundKey", "grabLyrics")
# Mashup (§2 row 8): two uploads, generate's fields; followed on generate record-info.
PATHS["mashup"] = "/api/v1/generate/mashup"
SENT["mashup"] = ("uploadUrlList", *SENT["generate"])
# What a create with defaultParamFlag false sends: the source, the flag and the model.
INHERITING = {"extend": ("audioId", "defaultParamFlag", "model"),
              "upload_extend": ("uploadUrl", "defaultParamFlag", "model")}


class V1Engine(UpstreamEngine):
    name = "v1"

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
        if request.mode == "replace_section":
            # prompt is required even for a window with no words (the web allows that); the
            # model goes only with an upload, a take of the vendor's has its own.
            body.setdefault("prompt", "")
            if "audioId" in body:
                body.pop("model", None)
        if request.mode in INHERITING and body.get("defaultParamFlag") is False:
            body = {k: v for k, v in body.items() if k in INHERITING[request.mode]}
        elif request.mode in INHERITING and not body.get("prompt") and not body.get("instrumental"):
            # An extension given no words sings nothing (as the local engine renders it); the
            # vendors ask a sung one for its words (suno_api.md §2 rows 2, 4), so say so.
            body["instrumental"] = True
        # kie refuses a create without callBackUrl (suno_api.md §1.2): always send one.
        body["callBackUrl"] = callback_url
        return body

    def submit(self, request: EngineRequest, callback_url: str) -> str:
        return self.create_song(PATHS[request.mode], self.body(request, callback_url))

    def persona(self, fields: Mapping) -> str:
        """The vendor's generate-persona (synchronous, suno_api.md §2 row 22): `fields` are
        taskId, audioId (the vendor's ids), name, description, vocalStart, vocalEnd and an
        optional style; the vendor's personaId. Sent once: a failure is not tried again."""
        answer = self.caller.send("POST", "/api/v1/generate/generate-persona", json=dict(fields))
        data = answer.get("data")
        persona_id = pick(data, "personaId", "persona_id") if isinstance(data, Mapping) else ""
        if not persona_id:
            raise VendorError("The vendor said the persona was made but gave no personaId.",
                              code=500)
        return str(persona_id)

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

    def timestamped_lyrics(self, task_id: str, audio_id: str) -> list[dict]:
        """The vendor's alignedWords for one of its takes (synchronous at the vendors,
        suno_api.md §2 row 12): [{word, startS, endS, ...}, ...]."""
        answer = self.caller.read("POST", "/api/v1/generate/get-timestamped-lyrics",
                                  json={"taskId": task_id, "audioId": audio_id})
        data = answer.get("data")
        words = data.get("alignedWords") if isinstance(data, Mapping) else None
        return [w for w in words if isinstance(w, Mapping)] if isinstance(words, list) else []

    def wav_submit(self, task_id: str, audio_id: str, callback_url: str) -> str:
        """Ask the vendor to convert one of its takes to WAV (§2 row 18); its task id."""
        return self._task("/api/v1/wav/generate", "WAV request", {
            "taskId": task_id, "audioId": audio_id, "callBackUrl": callback_url})

    def wav_status(self, vendor_task_id: str) -> tuple[str, str, str]:
        """(successFlag, the WAV's URL once made, the vendor's error message) (§2 row 19)."""
        answer = self.caller.read("GET", "/api/v1/wav/record-info",
                                  params={"taskId": vendor_task_id})
        data = answer.get("data")
        if not isinstance(data, Mapping):
            raise VendorError("The vendor's WAV record-info had no data.", code=500, retry=True)
        response = data.get("response") if isinstance(data.get("response"), Mapping) else {}
        return (str(data.get("successFlag") or PENDING).upper(),
                str(pick(response, "audioWavUrl", "audio_wav_url") or ""),
                str(data.get("errorMessage") or ""))

    def stems_submit(self, task_id: str, audio_id: str, kind: str, callback_url: str) -> str:
        """Ask the vendor to separate one of its takes (§2 row 14); its task id."""
        return self._task("/api/v1/vocal-removal/generate", "separation", {
            "taskId": task_id, "audioId": audio_id, "type": kind, "callBackUrl": callback_url})

    def stems_status(self, vendor_task_id: str) -> tuple[str, dict[str, str], str]:
        """(successFlag, {stem name: URL} once made, the vendor's error message) (§2 row 15,
        §3.5: `response.vocalUrl`, `instrumentalUrl`, `drumsUrl`…; snake_case also read)."""
        answer = self.caller.read("GET", "/api/v1/vocal-removal/record-info",
                                  params={"taskId": vendor_task_id})
        data = answer.get("data")
        if not isinstance(data, Mapping):
            raise VendorError("The vendor's separation record-info had no data.", code=500,
                              retry=True)
        response = data.get("response") if isinstance(data.get("response"), Mapping) else {}
        urls = {}
        for name, key in STEM_KEYS.items():
            snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in key)
            url = pick(response, key, snake)
            if url:
                urls[name] = str(url)
        return (str(data.get("successFlag") or PENDING).upper(), urls,
                str(data.get("errorMessage") or ""))

    # -- MIDI (§2 rows 16-17): made from a finished separation task of the vendor's ----------

    def midi_submit(self, separation_task_id: str, callback_url: str) -> str:
        """Ask the vendor for the MIDI of a separation it finished (§2 row 16); its task id."""
        return self._task("/api/v1/midi/generate", "MIDI request", {
            "taskId": separation_task_id, "callBackUrl": callback_url})

    def midi_status(self, vendor_task_id: str) -> tuple[int, list[dict], str]:
        """(successFlag: 0 pending, 1 made, 2 refused, 3 failed; the instruments once made as
        [{name, notes: [{pitch, start, end, velocity}]}], numbers read from numbers or strings;
        the vendor's error message) (§3.5 midi/record-info)."""
        answer = self.caller.read("GET", "/api/v1/midi/record-info",
                                  params={"taskId": vendor_task_id})
        data = answer.get("data")
        if not isinstance(data, Mapping):
            raise VendorError("The vendor's MIDI record-info had no data.", code=500, retry=True)
        try:
            flag = int(data.get("successFlag") or 0)
        except (TypeError, ValueError):
            flag = 0  # a word this reader does not know changes nothing
        midi = pick(data, "midiData", "midi_data", default={})
        return (flag, midi_instruments(midi) if flag == 1 else [],
                str(data.get("errorMessage") or ""))

    def boost_style(self, content: str) -> str:
        """The vendor's boosted style for `content` (§2 row 13: synchronous, `data.result`)."""
        # Answered while the caller waits: sent once, never again after a pause.
        answer = self.caller.send("POST", "/api/v1/style/generate", json={"content": content},
                                  create=True)
        data = answer.get("data")
        result = pick(data, "result") if isinstance(data, Mapping) else ""
        if not isinstance(result, str) or not result.strip():
            raise VendorError("The vendor's style boost gave no result.", code=500)
        return result.strip()

    def lyrics_submit(self, prompt: str, callback_url: str) -> str:
        """Ask the vendor for lyric sheets from an idea (§2 row 10); its task id."""
        return self._task("/api/v1/lyrics", "lyrics request",
                          {"prompt": prompt, "callBackUrl": callback_url})

    def _task(self, path: str, what: str, body: dict) -> str:
        """Create a derived task at the vendor (sent as a create: never blindly again); the
        taskId its answer names."""
        data = self.caller.create(path, body).get("data")
        vendor_task = pick(data, "taskId", "task_id") if isinstance(data, Mapping) else ""
        if not vendor_task:
            raise VendorError(f"The vendor accepted the {what} but gave no taskId.", code=500)
        return str(vendor_task)

    def lyrics_status(self, vendor_task_id: str) -> tuple[str, list[dict], str]:
        """(status, [{title, text}] once written, the vendor's error message) (§2 row 11,
        §3.4: `response.data[]` of `{text, title, status}`)."""
        answer = self.caller.read("GET", "/api/v1/lyrics/record-info",
                                  params={"taskId": vendor_task_id})
        data = answer.get("data")
        if not isinstance(data, Mapping):
            raise VendorError("The vendor's lyrics record-info had no data.", code=500,
                              retry=True)
        response = data.get("response") if isinstance(data.get("response"), Mapping) else {}
        sheets = [{"title": str(item.get("title") or ""), "text": str(item["text"])}
                  for item in response.get("data") or [] if isinstance(item, Mapping)
                  and isinstance(item.get("text"), str) and item["text"].strip()]
        return (str(data.get("status") or PENDING).upper(), sheets,
                str(data.get("errorMessage") or ""))

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

    # -- music video and cover art of a take it made (suno_api.md §2 rows 20, 21, 23, 24) ----

    def mp4_submit(self, task_id: str, audio_id: str, callback_url: str, *, author: str = "",
                   domain_name: str = "") -> str:
        """Ask the vendor for one of its takes' music video (§2 row 20); its task id. author
        and domainName are sent only when given (kie's optional fields)."""
        body = {"taskId": task_id, "audioId": audio_id, "callBackUrl": callback_url}
        body.update({k: v for k, v in (("author", author), ("domainName", domain_name)) if v})
        return self._task("/api/v1/mp4/generate", "video request", body)

    def mp4_status(self, vendor_task_id: str) -> tuple[str, str, str]:
        """(successFlag, the MP4's URL once made, the vendor's error message) (§3.5)."""
        data, response = self._feature_record("/api/v1/mp4/record-info", "video",
                                              vendor_task_id)
        return (success_flag(data, "GENERATE_MP4_FAILED"),
                str(pick(response, "videoUrl", "video_url") or ""),
                str(data.get("errorMessage") or ""))

    def cover_submit(self, task_id: str, callback_url: str) -> str:
        """Ask the vendor for new cover art of one of its music tasks (§2 row 23); its task id.
        The vendor makes one per music task (again: code 400)."""
        return self._task("/api/v1/suno/cover/generate", "cover art request",
                          {"taskId": task_id, "callBackUrl": callback_url})

    def cover_status(self, vendor_task_id: str) -> tuple[str, list[str], str]:
        """(successFlag, the images' URLs once drawn, the vendor's error message) (§2 row 24,
        §3.5: `response.images`)."""
        data, response = self._feature_record("/api/v1/suno/cover/record-info", "cover art",
                                              vendor_task_id)
        images = response.get("images")
        urls = [str(url) for url in images if isinstance(url, str) and url.strip()] \
            if isinstance(images, list) else []
        return (success_flag(data, "GENERATE_COVER_FAILED"), urls,
                str(data.get("errorMessage") or ""))

    def _feature_record(self, path: str, what: str, vendor_task_id: str):
        """A feature task's record-info: (its `data`, its `response`, {} when absent)."""
        answer = self.caller.read("GET", path, params={"taskId": vendor_task_id})
        data = answer.get("data")
        if not isinstance(data, Mapping):
            raise VendorError(f"The vendor's {what} record-info had no data.", code=500,
                              retry=True)
        response = data.get("response")
        return data, response if isinstance(response, Mapping) else {}


# A feature task's successFlag as a number (the cover page's example, the MIDI pages): 0..3.
NUMBERED_FLAGS = {0: PENDING, 1: SUCCESS, 2: "CREATE_TASK_FAILED"}


def success_flag(data: Mapping, generate_failed: str) -> str:
    """A feature record-info's successFlag as the vendors' word: a number is read as the
    vendors number them (3 is `generate_failed`), an unknown one stays PENDING."""
    flag = data.get("successFlag")
    if str(flag).strip().isdigit():
        return {**NUMBERED_FLAGS, 3: generate_failed}.get(int(flag), PENDING)
    return str(flag or PENDING).strip().upper()


def midi_instruments(midi) -> list[dict]:
    """The vendors' midiData instruments, with each note's pitch, start, end (seconds) and
    velocity as numbers (some vendors send start/end as strings); a note without them, or
    ending before it starts, is left out."""
    instruments = midi.get("instruments") if isinstance(midi, Mapping) else None
    out = []
    for item in instruments if isinstance(instruments, list) else []:
        if not isinstance(item, Mapping):
            continue
        notes = []
        for note in item.get("notes") or []:
            try:
                pitch, velocity = int(float(note["pitch"])), int(float(note.get("velocity", 100)))
                start, end = float(note["start"]), float(note["end"])
            except (TypeError, ValueError, KeyError):
                continue
            if 0 <= pitch <= 127 and 0 <= start < end:
                notes.append({"pitch": pitch, "start": start, "end": end,
                              "velocity": max(1, min(127, velocity))})
        out.append({"name": str(item.get("name") or f"Part {len(out) + 1}"), "notes": notes})
    return out


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
