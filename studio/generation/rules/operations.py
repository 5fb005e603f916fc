"""The rules of each operation, and `validate()`, which runs them and then the rules that
need the source audio."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from .catalogue import (
    ADD_INSTRUMENTAL,
    ADD_INSTRUMENTAL_DEFAULT,
    ADD_INSTRUMENTAL_MODELS,
    ADD_VOCALS,
    ADD_VOCALS_DEFAULT,
    ADD_VOCALS_MODELS,
    EXTEND,
    EXTENSIONS,
    GENERATE,
    IDEA_LIMIT,
    INSTRUMENTAL,
    LEGACY_SONG,
    MASHUP,
    MASHUP_SOURCES,
    MIN_EXTENSION_SECONDS,
    MODELS,
    NEGATIVE_TAGS_LIMIT,
    REPLACE_MAX_SECONDS,
    REPLACE_MIN_SECONDS,
    REPLACE_SECTION,
    SOUND_KEYS,
    SOUND_TEMPO_RANGE,
    SOUNDS,
    SOUNDS_DEFAULT,
    SOUNDS_MODELS,
    UPLOAD_COVER,
    UPLOAD_EXTEND,
    URL_LIMIT,
    VOCAL_GENDERS,
)
from .errors import InvalidRequest
from .lengths import _continue_at, _inside_source, _seconds_text, check_upload_length
from .reader import _chars, _Reader
from .request import Context, GenerationRequest, Source, looks_like_lyrics

# The longest song any model makes: no second of a request lies past it.
LONGEST_SECONDS = max(m.max_seconds for m in MODELS.values())


def _tuning(r: _Reader, *, custom: bool) -> dict:
    """negativeTags, vocalGender, the three weights and personaId, shared by every operation."""
    out = {"negative_tags": r.text("negativeTags")}
    r.limit("negativeTags", out["negative_tags"], NEGATIVE_TAGS_LIMIT, None)
    gender = r.data.get("vocalGender")
    if gender not in (None, ""):
        if gender in VOCAL_GENDERS:
            out["vocal_gender"] = gender
        else:
            r.fail("vocalGender", "invalid", "{label} must be m or f; got {value}", value=gender)
    out.update(style_weight=r.weight("styleWeight"),
               weirdness_constraint=r.weight("weirdnessConstraint"),
               audio_weight=r.weight("audioWeight"))
    persona = r.text("personaId")
    if persona and not custom:
        r.fail("personaId", "invalid", "{label} is only available in custom mode")
    out["persona_id"] = persona
    return out


def _song(r: _Reader, what: str = "song") -> dict:
    """generate, upload-cover and mashup: the customMode x instrumental matrix (seed 004).
    `what` is what a description describes: the song, the cover, the mashup."""
    custom = r.flag("customMode")
    instrumental = r.flag("instrumental")
    model = r.model()
    limits = MODELS[model]
    prompt = r.text("prompt")
    out = {"model": model, "custom_mode": custom, "instrumental": instrumental, "prompt": prompt}
    if custom:
        style, title = r.text("style"), r.text("title")
        r.required("style", style, "{label} is required in custom mode")
        r.required("title", title, "{label} is required in custom mode")
        if not instrumental:
            r.required("prompt", prompt, "{label} {be} required in custom mode unless "
                                         "instrumental (they are sung as written)")
        r.limit("style", style, limits.style, model)
        r.limit("title", title, limits.title, model)
        r.limit("prompt", prompt, limits.lyrics, model)
        out.update(style=style, title=title)
    else:
        r.required("prompt", prompt, f"{{label}} is required: describe the {what}", label_key="idea")
        r.limit("prompt", prompt, IDEA_LIMIT, None, label_key="idea")
    return {**out, **_tuning(r, custom=bool(custom))}


def _legacy_song(r: _Reader) -> dict:
    model = r.model()
    limits = MODELS[model]
    prompt, tags, title = (r.text(f) for f in ("prompt", "tags", "title"))
    r.required("prompt", prompt, "{label} is required: lyrics or a description")
    r.limit("prompt", prompt, limits.lyrics, model)
    r.limit("tags", tags, limits.style, model)
    r.limit("title", title, limits.title, model)
    return {"model": model, "prompt": prompt, "tags": tags, "style": tags, "title": title,
            "custom_mode": looks_like_lyrics(prompt)}


def _instrumental(r: _Reader) -> dict:
    model = r.model()
    tags, title = r.text("tags"), r.text("title")
    r.required("tags", tags, "{label} {be} required: the instrumental's style")
    r.limit("tags", tags, MODELS[model].style, model)
    r.limit("title", title, MODELS[model].title, model)
    return {"model": model, "custom_mode": True, "instrumental": True, "style": tags,
            "title": title, **_tuning(r, custom=True)}


def _extend(r: _Reader) -> dict:
    """extend: the track, and its settings. The vendors' API asks for its own settings whole
    (suno_api.md §2 row 2: with defaultParamFlag true, prompt unless instrumental, style and
    title); the browser's form may leave the title and style to the source's."""
    audio_id = r.text("audioId")
    r.required("audioId", audio_id, "{label} is required: the track to extend")
    required = ("style", "title", "prompt") if r.surface == "v1" else ()
    return {"audio_id": audio_id, **_continuation(r, required=required)}


def _continuation(r: _Reader, *, required: tuple[str, ...] = ()) -> dict:
    """extend and upload-extend. defaultParamFlag true: the request's own settings
    (continueAt required, and the fields in `required`); false: inherit the source's (the
    extension continues from the source's end)."""
    model = r.model()
    limits = MODELS[model]
    own = r.flag("defaultParamFlag", default=True)
    out = {"model": model, "default_param_flag": own, "instrumental": r.flag("instrumental")}
    continue_at = _continue_at(r, required=bool(own))  # first: the second is what an extension is
    if own:
        for name, limit in (("style", limits.style), ("title", limits.title),
                            ("prompt", limits.lyrics)):
            out[name] = r.text(name)
            r.limit(name, out[name], limit, model)
        for name in required:
            if name == "prompt" and out["instrumental"]:
                continue
            r.required(name, out[name], _own_setting_required(r.surface, name))
    return {**out, "continue_at": continue_at, **_tuning(r, custom=True)}


def _own_setting_required(surface: str, name: str) -> str:
    """A client of the API sent defaultParamFlag; a creator on the web never saw it, nor a
    "custom settings" switch on Upload & extend."""
    if surface == "web":
        return "{label} {be} required" + (" unless the song is instrumental"
                                          if name == "prompt" else "")
    return ("{label} {be} required with custom settings (defaultParamFlag true)"
            + (" unless instrumental (they are sung)" if name == "prompt" else ""))


def _upload_extend(r: _Reader) -> dict:
    """An upload has no settings to inherit: with its own settings, style and title are
    required, and the lyrics unless instrumental (suno_api.md §2 row 4)."""
    return {"upload_url": _upload_url(r),
            **_continuation(r, required=("style", "title", "prompt"))}


def _upload_url(r: _Reader) -> str:
    url = r.text("uploadUrl")
    r.required("uploadUrl", url, "{label} is required: the audio to start from")
    if len(url) > URL_LIMIT:
        r.fail("uploadUrl", "too_long", "{label} is {actual} characters; the limit is 2,000",
               actual=_chars(len(url)))
    return url


def _upload_cover(r: _Reader) -> dict:
    return {"upload_url": _upload_url(r), **_song(r, "cover")}


def _mashup(r: _Reader) -> dict:
    """mashup (suno_api.md §2 row 8): uploadUrlList, exactly two audio URLs, and generate's
    customMode x instrumental matrix with its limits."""
    return {"upload_url_list": _upload_url_list(r), **_song(r, "mashup")}


def _upload_url_list(r: _Reader) -> tuple[str, ...]:
    urls = r.data.get("uploadUrlList")
    what = f"a list of {MASHUP_SOURCES} audio URLs, the songs to mash up"
    if urls is None or urls == "" or urls == []:
        r.fail("uploadUrlList", "required", "{label} is required: " + what)
        return ()
    if not isinstance(urls, (list, tuple)):
        r.fail("uploadUrlList", "invalid", "{label} must be " + what)
        return ()
    if len(urls) != MASHUP_SOURCES:
        r.fail("uploadUrlList", "invalid", "{label} must name exactly {count} songs; got "
               "{actual}", count=MASHUP_SOURCES, actual=len(urls))
        return ()
    for number, url in enumerate(urls, 1):
        if not isinstance(url, str) or not url.strip():
            r.fail("uploadUrlList", "invalid", "{label}'s song {number} must be an audio URL",
                   number=number)
            return ()
        if len(url.strip()) > URL_LIMIT:
            r.fail("uploadUrlList", "too_long", "{label}'s song {number} is {actual} "
                   "characters; the limit is 2,000", number=number,
                   actual=_chars(len(url.strip())))
            return ()
    return tuple(url.strip() for url in urls)


def _add_instrumental(r: _Reader) -> dict:
    upload_url = _upload_url(r)
    model = r.model(allowed=ADD_INSTRUMENTAL_MODELS, default=ADD_INSTRUMENTAL_DEFAULT)
    title, tags = r.text("title"), r.text("tags")
    tuning = _tuning(r, custom=True)
    for name, value in (("title", title), ("tags", tags)):
        r.required(name, value, "{label} {be} required to add an instrumental")
    # The seeds require the negativeTags key, not words in it: "" means exclude nothing.
    if "negativeTags" not in r.data:
        r.fail("negativeTags", "required", "{label} {be} required to add an instrumental "
               "(send \"\" to exclude nothing)")
    r.limit("title", title, MODELS[model].title, model)
    r.limit("tags", tags, MODELS[model].style, model)
    return {"upload_url": upload_url, "model": model, "title": title, "tags": tags,
            "style": tags, **tuning}


def _window_edge(r: _Reader, name: str, edge: str) -> float | None:
    """infillStartS or infillEndS: seconds into the source, 0 or more, to 2 decimals."""
    value = r.data.get(name)
    if value is None or value == "":
        r.fail(name, "required", "{label} is required: the second the window {edge}",
               edge=edge)
        return None
    wrong = "{label} must be a number of seconds"
    if isinstance(value, bool):
        return r.fail(name, "invalid", wrong)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return r.fail(name, "invalid", wrong)
    if not number.is_finite():  # NaN or Infinity is no second, not one before 0
        return r.fail(name, "invalid", wrong + "; got {value}", value=value)
    if number < 0:
        return r.fail(name, "invalid", "{label} must be 0 or more seconds; got {value}",
                      value=value)
    if number > LONGEST_SECONDS:  # nor can it be rounded to hundredths (1e30 has no room)
        return r.fail(name, "invalid", "{label} is past the end of any song ({longest:g} s); "
                      "got {value}", longest=LONGEST_SECONDS, value=value)
    if number != number.quantize(Decimal("0.01")):
        return r.fail(name, "invalid", "{label} allows two decimals (hundredths of a "
                      "second); got {value}", value=value)
    return float(number)


def _replace_section(r: _Reader) -> dict:
    """replace-section: the source (taskId + audioId, or uploadUrl + model), the window of
    6 to 60 s, and what the window becomes: its words (prompt), style (tags) and the title.
    On the web the words may be left empty: nothing is sung in the window."""
    audio_id, task_id, upload_url = r.text("audioId"), r.text("taskId"), r.text("uploadUrl")
    if audio_id and upload_url:
        r.fail("uploadUrl", "invalid", "Send either audioId (with taskId) or uploadUrl (with "
               "model), not both")
    elif not audio_id and not upload_url:
        r.fail("audioId", "required", "{label} is required: the track whose section is "
               "replaced (with its taskId); or send uploadUrl and model")
    elif audio_id:
        r.required("taskId", task_id, "{label} is required with audioId: the task that made "
                   "the track")
    elif r.data.get("model") in (None, ""):
        r.fail("model", "required", "{label} is required with uploadUrl")
    if upload_url and len(upload_url) > URL_LIMIT:
        r.fail("uploadUrl", "too_long", "{label} is {actual} characters; the limit is 2,000",
               actual=_chars(len(upload_url)))
    model = r.model()
    limits = MODELS[model]
    out = {"model": model, "audio_id": audio_id, "task_id": task_id, "upload_url": upload_url,
           "custom_mode": True}
    for name, limit in (("prompt", limits.lyrics), ("tags", limits.style),
                        ("title", limits.title), ("fullLyrics", limits.lyrics)):
        value = r.text(name)
        r.limit(name, value, limit, model)
        out["full_lyrics" if name == "fullLyrics" else name] = value
    if r.surface != "web":
        r.required("prompt", out["prompt"], "{label} {be} required: the words sung in the "
                   "window")
    r.required("tags", out["tags"], "{label} {be} required: the window's style")
    r.required("title", out["title"], "{label} is required: the new take's title")
    out["style"] = out["tags"]
    out["instrumental"] = not out["prompt"]  # no words: nothing is sung in the window
    out["negative_tags"] = r.text("negativeTags")
    r.limit("negativeTags", out["negative_tags"], NEGATIVE_TAGS_LIMIT, None)
    start = _window_edge(r, "infillStartS", "starts")
    end = _window_edge(r, "infillEndS", "ends")
    if start is not None and end is not None:
        if end <= start:
            r.fail("infillEndS", "invalid", "{label} must be later than the start "
                   "({start:g} s); got {value}", start=start, value=_seconds_text(end))
        elif not REPLACE_MIN_SECONDS <= round(end - start, 2) <= REPLACE_MAX_SECONDS:
            r.fail("infillEndS", "invalid", "The window is {length:g} s long; it must be "
                   "{low:g} to {high:g} seconds", length=round(end - start, 2),
                   low=REPLACE_MIN_SECONDS, high=REPLACE_MAX_SECONDS)
    out.update(infill_start_s=start, infill_end_s=end)
    return out


def _add_vocals(r: _Reader) -> dict:
    """The inverse of add instrumental: an instrumental upload, and what to sing over it.
    `prompt` is sung as written when it reads as lyrics (section markers or several lines),
    else it describes the vocal and the lyrics are written from it."""
    upload_url = _upload_url(r)
    model = r.model(allowed=ADD_VOCALS_MODELS, default=ADD_VOCALS_DEFAULT)
    limits = MODELS[model]
    prompt, title, style = r.text("prompt"), r.text("title"), r.text("style")
    tuning = _tuning(r, custom=True)
    r.required("prompt", prompt, "{label} {be} required to add vocals: the lyrics, or what "
                                 "the vocal should sing about")
    for name, value in (("title", title), ("style", style)):
        r.required(name, value, "{label} {be} required to add vocals")
    if "negativeTags" not in r.data:
        r.fail("negativeTags", "required", "{label} {be} required to add vocals "
               "(send \"\" to exclude nothing)")
    r.limit("prompt", prompt, limits.lyrics, model)
    r.limit("title", title, limits.title, model)
    r.limit("style", style, limits.style, model)
    return {"upload_url": upload_url, "model": model, "prompt": prompt, "title": title,
            "style": style, "custom_mode": looks_like_lyrics(prompt), **tuning}


def _sounds(r: _Reader) -> dict:
    """A sound or a loop from a description (suno_api.md §2 row 25): prompt (up to 500
    characters), a V5 model, and optionally soundLoop, soundTempo (1-300 BPM, none for
    Auto), soundKey (Any, or one of the 24 keys as Cm or F#) and grabLyrics."""
    model = r.model(allowed=SOUNDS_MODELS, default=SOUNDS_DEFAULT)
    prompt = r.text("prompt")
    r.required("prompt", prompt, "{label} is required: describe the sound",
               label_key="description")
    r.limit("prompt", prompt, IDEA_LIMIT, None, label_key="description")
    key = r.data.get("soundKey")
    if key in (None, "", "Any"):
        key = ""
    elif key not in SOUND_KEYS:
        r.fail("soundKey", "invalid", "{label} must be Any or a key such as C, F#m or A#; "
               "got {value}", value=key)
        key = ""
    return {"model": model, "prompt": prompt, "style": prompt, "instrumental": True,
            "sound_loop": bool(r.flag("soundLoop")), "sound_tempo": _tempo(r),
            "sound_key": key, "grab_lyrics": bool(r.flag("grabLyrics"))}


def _tempo(r: _Reader) -> int | None:
    """soundTempo: a whole number of BPM from 1 to 300; absent or null is Auto."""
    value = r.data.get("soundTempo")
    if value is None or value == "":
        return None
    low, high = SOUND_TEMPO_RANGE
    wrong = "{label} must be a whole number of BPM from {low} to {high}; got {value}"
    if isinstance(value, bool):
        return r.fail("soundTempo", "invalid", wrong, low=low, high=high, value=value)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return r.fail("soundTempo", "invalid", wrong, low=low, high=high, value=value)
    if not number.is_finite() or number != number.to_integral_value() \
            or not low <= number <= high:
        return r.fail("soundTempo", "invalid", wrong, low=low, high=high, value=value)
    return int(number)


_RULES = {GENERATE: _song, LEGACY_SONG: _legacy_song, INSTRUMENTAL: _instrumental,
          EXTEND: _extend, UPLOAD_COVER: _upload_cover, ADD_INSTRUMENTAL: _add_instrumental,
          REPLACE_SECTION: _replace_section, ADD_VOCALS: _add_vocals,
          UPLOAD_EXTEND: _upload_extend, SOUNDS: _sounds, MASHUP: _mashup}
# The field that names each operation's source audio.
SOURCE_FIELDS = {EXTEND: "audioId", UPLOAD_COVER: "uploadUrl", ADD_INSTRUMENTAL: "uploadUrl",
                 ADD_VOCALS: "uploadUrl", UPLOAD_EXTEND: "uploadUrl", MASHUP: "uploadUrlList"}


def source_field(operation: str, data: Mapping) -> str | None:
    """The field naming this request's source audio (replace section takes either)."""
    if operation == REPLACE_SECTION:
        return "uploadUrl" if data.get("uploadUrl") and not data.get("audioId") else "audioId"
    return SOURCE_FIELDS.get(operation)


def validate(operation: str, data: Mapping, context: Context | None = None) -> GenerationRequest:
    """Check `data` against the seeds' rules for `operation`, with what `context` knows of
    the source audio; the typed request, or InvalidRequest naming every broken field."""
    if operation not in _RULES:
        raise ValueError(f"unknown operation {operation!r}")
    context = context or Context()
    reader = _Reader(data, surface=context.surface)
    values = _RULES[operation](reader)
    for name, why in context.required.items():
        present = data.get(name)
        reader.required(name, present.strip() if isinstance(present, str) else present,
                        "{label} {be} required: " + why)
    target = data.get("_duration")  # private: tests and benchmarks only
    if isinstance(target, (int, float)) and not isinstance(target, bool) and target > 0:
        values["target_seconds"] = float(target)
    if reader.errors:
        raise InvalidRequest(reader.errors, context.labels)
    request = GenerationRequest(operation=operation, **values)
    source_name = source_field(operation, data)
    source = context.source
    if operation == MASHUP:
        _with_sources(reader, request, context)
    elif source_name and source is None and context.find_source is not None:
        value = data.get(source_name)
        source = context.find_source(source_name, value and str(value).strip())
    if source is not None and operation != MASHUP:
        request = _with_source(reader, request, source)
    if reader.errors:
        raise InvalidRequest(reader.errors, context.labels)
    if request.persona_id and context.find_persona is not None:
        context.find_persona(request.persona_id)
    return request


def _with_sources(r: _Reader, request: GenerationRequest, context: Context) -> None:
    """A mashup's two songs, found one after the other (given by a form, or found from
    uploadUrlList), each within the model's upload length."""
    sources = context.sources
    if not sources and context.find_source is not None:
        sources = tuple(context.find_source("uploadUrlList", url)
                        for url in request.upload_url_list)
    for number, source in enumerate(sources, 1):
        check_upload_length(source.duration, request.model, "uploadUrlList", reader=r,
                            number=number)


def _with_source(r: _Reader, request: GenerationRequest, source: Source) -> GenerationRequest:
    """The rules that need the source's length, and the continue point they decide."""
    limits = request.limits
    if request.upload_url:
        check_upload_length(source.duration, request.model, reader=r)
        if r.errors:
            return request
    sent_model = r.data.get("model") not in (None, "")
    if (request.operation in (*EXTENSIONS, REPLACE_SECTION) and not sent_model
            and source.model in MODELS and request.model != source.model):
        # A track that names no model is extended, or has a section replaced, by the model
        # that made it (the vendors' rule below; replace-section takes a model only with an
        # uploadUrl), within that model's limits, not the default's.
        request = replace(request, model=source.model)
        limits = request.limits
        for name, limit in (("style", limits.style), ("title", limits.title),
                            ("prompt", limits.lyrics), ("fullLyrics", limits.lyrics)):
            value = request.full_lyrics if name == "fullLyrics" else getattr(request, name)
            r.limit(name, value, limit, request.model)
        if r.errors:
            return request
    if request.operation == REPLACE_SECTION:
        if request.infill_end_s is not None and request.infill_end_s > source.duration:
            r.fail("infillEndS", "invalid", "{label} must be within the track, which is "
                   "{duration:.2f} s long; got {value}", duration=source.duration,
                   value=_seconds_text(request.infill_end_s))
        return request
    if request.operation not in EXTENSIONS:
        return request
    if r.surface == "v1" and sent_model and source.model and request.model != source.model:
        # the vendors' rule (suno_api.md §2 row 2): an extension is made by its source's model
        r.fail("model", "invalid", "{label} must be the model that made the track, {made}; got {value}",
               made=source.model, value=request.model)
        return request
    if request.continue_at is None:  # inherit: continue from the source's end
        seconds = source.duration
    else:
        seconds = request.continue_at
        what = "upload's" if request.operation == UPLOAD_EXTEND else "track's"
        if not _inside_source(r, seconds, source.duration, what):
            return request
    room = limits.max_seconds - MIN_EXTENSION_SECONDS
    if seconds > room:
        r.fail("continueAt", "invalid",
               "{label} leaves no room: {model} songs end at {end} s, so an extension must "
               "start by {room:g} s; got {value}", model=r.model_name(request.model),
               end=limits.max_seconds, room=room, value=_seconds_text(seconds))
    return replace(request, continue_at=seconds)
