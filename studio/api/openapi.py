"""The OpenAPI 3.0 document of exactly what Studio serves, built from the rules' own limits.

Length limits that depend on `model` are given as the largest any model allows; the
per-model limit is in the description and enforced with envelope code 413.
"""
from __future__ import annotations

from django.conf import settings

from studio.generation import rules

from .intake import CALLBACK_URL_LIMIT

LONGEST = {"prompt": max(m.lyrics for m in rules.MODELS.values()),
           "style": max(m.style for m in rules.MODELS.values()),
           "title": max(m.title for m in rules.MODELS.values())}
PER_MODEL = "; ".join(f"{name}: prompt {m.lyrics}, style {m.style}, title {m.title}"
                      for name, m in rules.MODELS.items())
V1_CODES = [200, 401, 404, 413, 422, 429, 451, 500]
LEGACY_CODES = [200, 400, 401, 404, 413, 429, 500]
MODEL_CHOICES = list(rules.MODELS)


def _text(description: str, max_length: int | None = None, **extra) -> dict:
    schema = {"type": "string", "description": description, **extra}
    if max_length:
        schema["maxLength"] = max_length
    return schema


def _weight(description: str) -> dict:
    return {"type": "number", "minimum": 0, "maximum": 1, "multipleOf": 0.01,
            "description": description + " 0–1, two decimals."}


TUNING = {
    "negativeTags": _text("Styles to keep out.", 1000),
    "vocalGender": {"type": "string", "enum": list(rules.VOCAL_GENDERS),
                    "description": "m or f: raises the chance of that voice."},
    "styleWeight": _weight("How closely to follow the style."),
    "weirdnessConstraint": _weight("Creative deviation."),
    "audioWeight": _weight("Weight of the input audio."),
}
CALLBACK = {"callBackUrl": _text(
    "Optional in Studio (poll record-info instead). Receives POSTs at text, first and "
    "complete (error on failure), signed with X-Webhook-Timestamp and X-Webhook-Signature. "
    "Private, loopback and link-local addresses are not called unless STUDIO_OUTBOUND_ALLOW "
    "lists them: the task is still made, and the delivery is recorded as refused.",
    CALLBACK_URL_LIMIT, format="uri")}
SONG = {
    "customMode": {"type": "boolean", "default": False,
                   "description": "true: prompt is sung as written; style and title required."},
    "instrumental": {"type": "boolean", "default": False},
    "model": {"type": "string", "enum": MODEL_CHOICES, "default": rules.DEFAULT_MODEL},
    "prompt": _text(f"Custom mode: the lyrics (per model: {PER_MODEL}). Otherwise: the idea, "
                    f"at most {rules.IDEA_LIMIT} characters.", LONGEST["prompt"]),
    "style": _text("Required in custom mode.", LONGEST["style"]),
    "title": _text("Required in custom mode.", LONGEST["title"]),
    "personaId": _text("Custom mode only.", 200),
}


def _v1_envelope(data: dict | None = None, description: str = "", codes=V1_CODES) -> dict:
    return {"type": "object", "required": ["code", "msg"], "properties": {
        "code": {"type": "integer", "enum": codes,
                 "description": "200 success; 401 bad key; 404 not found or wrong method; "
                                "413 too long or too large; 422 invalid; 429 rate limited; "
                                "451 uploadUrl could not be fetched; 500 server error. "
                                "The HTTP status is 200 whatever the code."},
        "msg": {"type": "string"},
        "data": {**(data or {}), "nullable": True, "description": description}}}


LEGACY_ENVELOPE = {"type": "object", "required": ["code"], "properties": {
    "code": {"type": "integer", "enum": LEGACY_CODES},
    "task_id": {"type": "string", "nullable": True},
    "message": {"type": "string", "description": "Only when code is not 200."}}}
TASK_ID = {"type": "object", "properties": {"taskId": {"type": "string"}}}
TRACK = {"type": "object", "properties": {
    "id": {"type": "string", "description": "audioId: extend it with /generate/extend"},
    "audioUrl": {"type": "string", "description": "Empty until this take is final."},
    "streamAudioUrl": {"type": "string", "description":
                       "From TEXT_SUCCESS on: plays the take while it is being encoded, then the "
                       "finished file."},
    "imageUrl": {"type": "string"}, "prompt": {"type": "string"},
    "modelName": {"type": "string"}, "title": {"type": "string"}, "tags": {"type": "string"},
    "createTime": {"type": "string", "description": "YYYY-MM-DD HH:MM:SS"},
    "duration": {"type": "number", "nullable": True, "description": "Seconds; null until final."}}}
STATUSES = ["PENDING", "TEXT_SUCCESS", "FIRST_SUCCESS", "SUCCESS", "CREATE_TASK_FAILED",
            "GENERATE_AUDIO_FAILED", "CALLBACK_EXCEPTION", "SENSITIVE_WORD_ERROR"]
RECORD = {"type": "object", "properties": {
    "taskId": {"type": "string"}, "parentMusicId": {"type": "string"},
    "param": {"type": "string", "description": "The request body as sent, as a JSON string."},
    "response": {"type": "object", "properties": {
        "taskId": {"type": "string"}, "sunoData": {"type": "array", "items": TRACK},
        "errorMessage": {"type": "string"}}},
    "status": {"type": "string", "enum": STATUSES},
    "type": {"type": "string"},
    "operationType": {"type": "string",
                      "enum": ["generate", "extend", "upload_cover", "add_instrumental",
                               "add_vocals", "upload_extend", "replace_section",
                               "sounds", "mashup"]},
    "errorCode": {"type": "integer", "nullable": True},
    "errorMessage": {"type": "string", "nullable": True}}}
UPLOADED = {"type": "object", "properties": {
    "fileName": {"type": "string"}, "fileSize": {"type": "integer"},
    "mimeType": {"type": "string"}, "downloadUrl": {"type": "string"},
    "fileUrl": {"type": "string"}, "uploadPath": {"type": "string"},
    "uploadTime": {"type": "string"}, "expiresAt": {"type": "string"}}}
CLIP = {"type": "object", "properties": {
    "id": {"type": "string"}, "continue_clip_id": {"type": "string"},
    "title": {"type": "string"}, "tags": {"type": "string"}, "prompt": {"type": "string"},
    "status": {"type": "string"}, "audio_url": {"type": "string"},
    "image_url": {"type": "string"}, "image_large_url": {"type": "string"},
    "video_url": {"type": "string"}, "duration": {"type": "string"},
    "model_name": {"type": "string"}, "created_at": {"type": "string"}}}
LEGACY_TASK = {"type": "object", "required": ["code"], "properties": {
    "code": {"type": "integer", "enum": LEGACY_CODES}, "task_id": {"type": "string",
                                                                  "nullable": True},
    "status": {"type": "string", "enum": ["submitted", "processing", "complete", "error"]},
    "prompt": {"type": "object", "properties": {"prompt": {"type": "string"}}},
    "clips": {"type": "array", "items": CLIP}, "message": {"type": "string"}}}


SOURCE_TRACK = {"taskId": _text("The finished task the track belongs to.", 100),
                "audioId": _text("The track (sunoData[].id).", 100)}
ALIGNED = {"type": "object", "properties": {
    "alignedWords": {"type": "array", "items": {"type": "object", "properties": {
        "word": {"type": "string", "description": "The word as written, then a space, or a "
                                                  "newline at the end of a sung line."},
        "success": {"type": "boolean"}, "startS": {"type": "number"},
        "endS": {"type": "number"}, "palign": {"type": "number"}}}},
    "waveformData": {"type": "array", "items": {"type": "number"}},
    "hootCer": {"type": "number"}, "isStreamed": {"type": "boolean"}}}


STEM_URLS = ["originUrl", "instrumentalUrl", "vocalUrl", "backingVocalsUrl", "drumsUrl", "bassUrl",
             "guitarUrl", "keyboardUrl", "percussionUrl", "stringsUrl", "synthUrl", "fxUrl",
             "brassUrl", "woodwindsUrl"]
STEMS_RECORD = {"type": "object", "properties": {
    "taskId": {"type": "string"}, "musicId": {"type": "string"}, "audioId": {"type": "string"},
    "callbackUrl": {"type": "string"}, "type": {"type": "string"},
    "completeTime": {"type": "integer", "nullable": True, "description": "Epoch milliseconds."},
    "createTime": {"type": "integer", "nullable": True, "description": "Epoch milliseconds."},
    "response": {"type": "object", "nullable": True, "description":
                 "Signed links to MP3s (audio/mpeg), as the vendors' stems are, tagged "
                 "\"Title – Vocals\" with the cover; the same link ending in .flac gives the "
                 "lossless stem (the FLAC stems sum to the mix). \"\" for a stem this song has "
                 "none of.",
                 "properties": {k: {"type": "string"} for k in STEM_URLS}},
    "successFlag": {"type": "string", "enum": ["PENDING", "SUCCESS", "CREATE_TASK_FAILED",
                                               "GENERATE_AUDIO_FAILED"]},
    "errorCode": {"type": "integer", "nullable": True},
    "errorMessage": {"type": "string", "nullable": True}}}


MIDI_NOTE = {"type": "object", "properties": {
    "pitch": {"type": "integer"}, "start": {"type": "number"}, "end": {"type": "number"},
    "velocity": {"type": "integer"}}}
MIDI_RECORD = {"type": "object", "properties": {
    "taskId": {"type": "string"}, "recordTaskId": {"type": "string"},
    "audioId": {"type": "string"}, "callbackUrl": {"type": "string"},
    "completeTime": {"type": "integer", "nullable": True},
    "createTime": {"type": "integer", "nullable": True},
    "successFlag": {"type": "integer", "enum": [0, 1, 2, 3]},
    "errorCode": {"type": "integer", "nullable": True},
    "errorMessage": {"type": "string", "nullable": True},
    "midiData": {"type": "object", "nullable": True, "properties": {  # null while pending
        "state": {"type": "string"}, "tempo": {"type": "number"},
        "key": {"type": "string", "nullable": True},  # a vendor's MIDI names no key
        "mode": {"type": "string", "nullable": True},
        "instruments": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "program": {"type": "integer"},
            "drums": {"type": "boolean"},
            "notes": {"type": "array", "items": MIDI_NOTE}}}}}}}}


def _json_body(properties: dict, required: list[str] | None = None) -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _answer(schema: dict) -> dict:
    return {"200": {"description": "The envelope; `code` carries the result.",
                    "content": {"application/json": {"schema": schema}}}}


def _post(summary: str, body: dict, response: dict, **extra) -> dict:
    return {"post": {"summary": summary, "requestBody": body, "responses": _answer(response),
                     **extra}}


# The v1 feature tasks beyond music (lyrics, WAV, video, cover art: api/extras.py and
# api/visuals.py): their codes, their optional one-POST callback, their record-info.
FEATURE_CODES = [200, 401, 404, 413, 422, 429, 500]
FEATURE_CALLBACK = {"callBackUrl": {**CALLBACK["callBackUrl"], "description":
                                    "Optional: receives one POST when the task is done."}}


def _feature_envelope(data: dict, description: str, *extra_codes: int) -> dict:
    return _v1_envelope(data, description, codes=sorted([*FEATURE_CODES, *extra_codes]))


def _feature_record_info(summary: str, schema: dict) -> dict:
    return {"get": {"summary": summary,
                    "parameters": [{"name": "taskId", "in": "query", "required": True,
                                    "schema": {"type": "string", "maxLength": 100}}],
                    "responses": _answer(_feature_envelope(schema, ""))}}


def document() -> dict:
    upload_url = {"uploadUrl": _text("An audio URL (MP3, WAV, FLAC, OGG, M4A), or a downloadUrl "
                                     "from Studio's file-upload endpoints.", 2000,
                                     format="uri")}
    created = _v1_envelope(TASK_ID, "data.taskId: poll /api/v1/generate/record-info")
    legacy_model = {"model": _text("Default v3.5 (served with V4's limits); v1 names work too.",
                                   40)}
    paths = {
        "/api/v1/generate": _post(
            "Generate music (two tracks)",
            _json_body({**SONG, **CALLBACK, **TUNING}), created),
        "/api/v1/generate/extend": _post(
            "Extend a track from continueAt",
            _json_body({"audioId": _text("The track to extend (sunoData[].id).", 100),
                        "defaultParamFlag": {"type": "boolean", "default": True, "description":
                                             "true: continueAt, style, title and (unless instrumental) "
                                             "prompt required; false: the track's own settings"},
                        "continueAt": {"type": "number", "exclusiveMinimum": True,
                                       "minimum": 0, "description":
                                           "Seconds; less than the track's length."},
                        "model": {**SONG["model"], "description": "The model that made the track"},
                        "prompt": SONG["prompt"], "style": SONG["style"], "title": SONG["title"],
                        "instrumental": SONG["instrumental"], "personaId": SONG["personaId"],
                        **CALLBACK, **TUNING}, ["audioId"]), created),
        "/api/v1/generate/upload-cover": _post(
            "Cover uploaded audio in a new style",
            _json_body({**upload_url, **SONG, **CALLBACK, **TUNING}, ["uploadUrl"]), created),
        "/api/v1/generate/mashup": _post(
            "Mash up two uploaded songs: the first's tempo, key and length, the second's tune "
            "moved into them (two takes, each leading with one song's tune)",
            _json_body({"uploadUrlList": {"type": "array", "minItems": rules.MASHUP_SOURCES,
                                          "maxItems": rules.MASHUP_SOURCES,
                                          "items": upload_url["uploadUrl"], "description":
                                              "Exactly two audio URLs (or downloadUrls from "
                                              "Studio's file-upload endpoints)."},
                        **SONG, **CALLBACK, **TUNING}, ["uploadUrlList"]), created),
        "/api/v1/generate/add-instrumental": _post(
            "Add an instrumental to an uploaded vocal",
            _json_body({**upload_url,
                        "model": {"type": "string", "enum": list(rules.ADD_INSTRUMENTAL_MODELS),
                                  "default": "V4_5PLUS"},
                        "title": SONG["title"], "tags": _text("The style.", LONGEST["style"]),
                        **CALLBACK, **TUNING},
                       ["uploadUrl", "title", "tags", "negativeTags"]), created),
        "/api/v1/generate/replace-section": _post(
            "Replace 6 to 60 s of a finished track (two takes; the rest kept sample for sample)",
            _json_body({**SOURCE_TRACK, **upload_url,
                        "model": {**SONG["model"], "description":
                                  "Required with uploadUrl (instead of taskId + audioId)."},
                        "prompt": _text("The words sung in the window.", LONGEST["prompt"]),
                        "tags": _text("The window's style.", LONGEST["style"]),
                        "title": SONG["title"],
                        "negativeTags": _text("Styles to leave out.", rules.NEGATIVE_TAGS_LIMIT),
                        "fullLyrics": _text("The whole song's words after the change.",
                                            LONGEST["prompt"]),
                        "infillStartS": {"type": "number", "minimum": 0, "multipleOf": 0.01,
                                         "description": "Seconds, two decimals."},
                        "infillEndS": {"type": "number", "multipleOf": 0.01, "description":
                                       "Seconds, two decimals: 6 to 60 s after infillStartS, "
                                       "within the track."},
                        "callBackUrl": _text("Called once, at complete (or error).", 1000)},
                       ["prompt", "tags", "title", "infillStartS", "infillEndS"]), created),
        "/api/v1/generate/add-vocals": _post(
            "Sing a vocal over an uploaded instrumental, in its key and on its beat",
            _json_body({**upload_url,
                        "model": {"type": "string", "enum": list(rules.ADD_VOCALS_MODELS),
                                  "default": rules.ADD_VOCALS_DEFAULT},
                        "prompt": _text("Lyrics (with [Verse]-style markers or several lines: "
                                        "sung as written), or a description of the vocal to "
                                        "write them from.", LONGEST["prompt"]),
                        "title": SONG["title"], "style": SONG["style"],
                        **CALLBACK, **TUNING},
                       ["uploadUrl", "prompt", "title", "style", "negativeTags"]), created),
        "/api/v1/generate/sounds": _post(
            "A short sound or loop from a description, at a tempo and in a key if asked "
            "(the local engine makes music: whole bars of one groove; a loop's end joins its "
            "start)",
            _json_body({"prompt": _text("The sound, described.", rules.IDEA_LIMIT),
                        "model": {"type": "string", "enum": list(rules.SOUNDS_MODELS),
                                  "default": rules.SOUNDS_DEFAULT},
                        "soundLoop": {"type": "boolean", "default": False, "description":
                                      "A loop: whole bars, no fade, the end joins the start."},
                        "soundTempo": {"type": "integer", "nullable": True,
                                       "minimum": rules.SOUND_TEMPO_RANGE[0],
                                       "maximum": rules.SOUND_TEMPO_RANGE[1], "description":
                                           "BPM; none is Auto (the description's, else the "
                                           "engine's). Over 240 plays in half time."},
                        "soundKey": {"type": "string", "enum": list(rules.SOUND_KEYS),
                                     "default": "Any"},
                        "grabLyrics": {"type": "boolean", "default": False,
                                       "description": "Kept; a sound has no words to time."},
                        **CALLBACK}, ["prompt"]), created),
        "/api/v1/generate/upload-extend": _post(
            "Continue uploaded audio from continueAt, in its key and tempo",
            _json_body({**upload_url,
                        "defaultParamFlag": {"type": "boolean", "default": True, "description":
                                             "true: style, title and continueAt required "
                                             "(and prompt unless instrumental); false: continue "
                                             "from the upload's end."},
                        "continueAt": {"type": "number", "exclusiveMinimum": True,
                                       "minimum": 0, "description":
                                           "Seconds; less than the upload's length."},
                        "model": SONG["model"], "prompt": SONG["prompt"],
                        "style": SONG["style"], "title": SONG["title"],
                        "instrumental": SONG["instrumental"], "personaId": SONG["personaId"],
                        **CALLBACK, **TUNING}, ["uploadUrl"]), created),
        "/api/v1/generate/record-info": {"get": {
            "summary": "A task's status and tracks",
            "parameters": [{"name": "taskId", "in": "query", "required": True,
                            "schema": {"type": "string", "maxLength": 100}}],
            "responses": _answer(_v1_envelope(RECORD))}},
        "/api/v1/generate/credit": {"get": {
            "summary": "Credits left (self-hosted: a constant, nothing is billed)",
            "responses": _answer(_v1_envelope({"type": "integer"}))}},
        "/api/v1/chat/credit": {"get": {
            "summary": "Credits left, at kie's Common API path (the same constant)",
            "responses": _answer(_v1_envelope({"type": "integer"}))}},
        "/api/v1/common/download-url": _post(
            "A link that downloads one of your files for 20 minutes (kie's Common API)",
            _json_body({"url": _text("One of Studio's file links to a file of yours: an "
                                     "audioUrl, imageUrl, streamAudioUrl (once the take is "
                                     "finished), stem, WAV, video or upload link; any other "
                                     "URL is 422, someone else's file 404.", 2000,
                                     format="uri")}, ["url"]),
            _v1_envelope({"type": "string", "format": "uri"},
                         "data: the download link (Content-Disposition: attachment), valid "
                         "for 20 minutes")),
        "/api/v1/generate/get-timestamped-lyrics": _post(
            "Each sung word's start and end (synchronous): exact for the local engine's takes",
            _json_body(SOURCE_TRACK, ["taskId", "audioId"]), _v1_envelope(ALIGNED)),
        "/api/v1/generate/generate-persona": _post(
            "Keep a finished take's singer as a persona (synchronous; 409 if it has one)",
            _json_body({**SOURCE_TRACK,
                        "name": _text("The singer's name.", rules.PERSONA_NAME_LIMIT),
                        "description": _text("The voice, described.",
                                             rules.PERSONA_DESCRIPTION_LIMIT),
                        "vocalStart": {"type": "number", "minimum": 0, "default": 0,
                                       "description": "Seconds: the sung window's start."},
                        "vocalEnd": {"type": "number", "minimum": 0, "default": 30,
                                     "description": "Seconds: the window is 10-30 s long."},
                        "style": _text("Optional: the persona's style.",
                                       LONGEST["style"])},
                       ["taskId", "audioId", "name", "description"]),
            _v1_envelope({"type": "object", "properties": {
                "personaId": {"type": "string"}, "name": {"type": "string"},
                "description": {"type": "string"}}},
                "data.personaId: send it as personaId in a custom request",
                sorted([*V1_CODES, 409]))),
        "/api/v1/vocal-removal/generate": _post(
            "Stems of a finished local take: exact parts (made once, kept)",
            _json_body({**SOURCE_TRACK,
                        "audioUrl": _text("Instead of taskId and audioId: the track's "
                                          "audioUrl from record-info.", 2000, format="uri"),
                        "type": {"type": "string", "enum": ["separate_vocal", "split_stem"],
                                 "default": "separate_vocal"},
                        **FEATURE_CALLBACK}),
            _v1_envelope(TASK_ID, "data.taskId: poll /api/v1/vocal-removal/record-info")),
        "/api/v1/vocal-removal/record-info": {"get": {
            "summary": "A stems task: its status and the stems' links",
            "parameters": [{"name": "taskId", "in": "query", "required": True,
                            "schema": {"type": "string", "maxLength": 100}}],
            "responses": _answer(_v1_envelope(STEMS_RECORD))}},
        "/api/v1/midi/generate": _post(
            "MIDI of a finished vocal-removal task's track: the notes the local engine "
            "wrote, or for a v1 vendor's take the notes its vendor writes",
            _json_body({"taskId": _text("A finished vocal-removal task.", 100),
                        "audioId": _text("Optional: the separated track.", 100),
                        "callBackUrl": _text(
                            "One signed POST once the MIDI is made (at once for a local "
                            "take): {task_id, code 200, msg, data {state, instruments}}, or "
                            "code 500 with why it failed.", 1000)},
                       ["taskId"]),
            _v1_envelope(TASK_ID, "data.taskId: read /api/v1/midi/record-info")),
        "/api/v1/midi/record-info": {"get": {
            "summary": "A MIDI task: midiData (instruments, notes in seconds)",
            "parameters": [{"name": "taskId", "in": "query", "required": True,
                            "schema": {"type": "string", "maxLength": 200}}],
            "responses": _answer(_v1_envelope(MIDI_RECORD))}},
        "/api/file-stream-upload": _post(
            "Upload an audio file (multipart)",
            {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"},
                               "uploadPath": {"type": "string", "maxLength": 200},
                               "fileName": {"type": "string", "maxLength": 200}}}}}},
            _v1_envelope(UPLOADED)),
        "/api/file-base64-upload": _post(
            "Upload an audio file as base64",
            _json_body({"base64Data": _text(
                "Base64 or a data: URI, of a file up to STUDIO_UPLOAD_MAX_MB.",
                (settings.STUDIO_UPLOAD_MAX_MB * 1024 * 1024 + 2) // 3 * 4 + 64),
                        "uploadPath": _text("", 200), "fileName": _text("", 200)},
                       ["base64Data"]), _v1_envelope(UPLOADED)),
        "/api/file-url-upload": _post(
            "Upload an audio file from a URL",
            _json_body({"fileUrl": _text("", 2000, format="uri"),
                        "uploadPath": _text("", 200), "fileName": _text("", 200)},
                       ["fileUrl"]), _v1_envelope(UPLOADED)),
        "/suno/music/generate-music": _post(
            "Legacy: generate a song",
            _json_body({"prompt": _text("Lyrics or a description.", LONGEST["prompt"]),
                        "tags": _text("Styles, comma-separated.", LONGEST["style"]),
                        "title": SONG["title"], **legacy_model}, ["prompt"]),
            LEGACY_ENVELOPE),
        "/suno/music/generate-instrumental": _post(
            "Legacy: generate an instrumental",
            _json_body({"tags": _text("Styles, comma-separated.", LONGEST["style"]),
                        "title": SONG["title"], **legacy_model}, ["tags"]), LEGACY_ENVELOPE),
        "/suno/music/extend-Instrumental": _post(
            "Legacy: extend a clip",
            _json_body({"tags": _text("Styles, comma-separated.", LONGEST["style"]),
                        "title": SONG["title"], **legacy_model,
                        "continue_clip_id": _text("A clip id from get-task.", 100),
                        "continue_at": {"oneOf": [{"type": "number"}, {"type": "string"}],
                                        "description": "Seconds into the clip."}},
                       ["tags", "continue_clip_id", "continue_at"]), LEGACY_ENVELOPE),
        "/suno/music/get-task": _post(
            "Legacy: a task's status and clips",
            _json_body({"task_id": _text("", 100)}, ["task_id"]), LEGACY_TASK),
        "/suno/music/get-music": {"get": {
            "summary": "Legacy: a task's status and clips (GET form)",
            "parameters": [{"name": "task_id", "in": "query", "required": True,
                            "schema": {"type": "string", "maxLength": 100}}],
            "responses": _answer(LEGACY_TASK)}},
        "/api/files/{token}": {"get": {
            "summary": "A signed, expiring audio, cover or upload link (Range supported)",
            "security": [],
            "parameters": [{"name": "token", "in": "path", "required": True,
                            "schema": {"type": "string", "maxLength": 200}}],
            "responses": {"200": {"description": "The file",
                                  "content": {"audio/*": {}, "image/*": {}}},
                          "206": {"description": "A byte range of the file"},
                          "404": {"description": "Unknown or expired link"}}}},
    }
    from .extras import openapi_paths
    paths.update(openapi_paths())
    from .visuals import openapi_paths as visual_paths
    paths.update(visual_paths())
    return {
        "openapi": "3.0.3",
        "info": {"title": "Studio Suno-compatible API", "version": "1.0.0",
                 "description": "The v1 dialect (sunoapi.org / kie) and the legacy "
                                "/suno/music dialect (sunoapi.co / sunosay), served by a "
                                "self-hosted Studio. Per key, at most "
                                f"{settings.STUDIO_API_RATE} creates per second window."},
        "servers": [{"url": "/"}],
        "security": [{"BearerAuth": []}],
        "components": {"securitySchemes": {"BearerAuth": {
            "type": "http", "scheme": "bearer",
            "description": "A key from the API keys page or `manage.py createapikey`."}}},
        "paths": paths,
    }
