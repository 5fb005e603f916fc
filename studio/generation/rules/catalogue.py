"""The fixed facts the rules read: each model's limits, the operations and the generation
mode each makes, and how each surface names a field in its messages."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

# Every generation yields this many takes (variations), at every vendor and here.
TAKES = 2


@dataclass(frozen=True)
class Model:
    """What one model allows: characters per field, seconds of song and of upload."""

    lyrics: int
    style: int
    title: int
    max_seconds: int  # longest song the model makes
    suno_name: str  # Suno's own name for it, shown as modelName
    label: str  # its name in the vendors' web apps, shown to creators (V4.5+, not V4_5PLUS)
    max_upload_seconds: int = 8 * 60


# The one table of limits by model: the validator, the engines, the upload check and the
# create form's counters all read it (suno_api.md §2.1 and §7.1).
MODELS: Mapping[str, Model] = MappingProxyType({
    "V4": Model(lyrics=3000, style=200, title=80, max_seconds=4 * 60, suno_name="chirp-v4",
                label="V4"),
    "V4_5": Model(lyrics=5000, style=1000, title=100, max_seconds=8 * 60,
                  suno_name="chirp-auk", label="V4.5"),
    "V4_5PLUS": Model(lyrics=5000, style=1000, title=100, max_seconds=8 * 60,
                      suno_name="chirp-bluejay", label="V4.5+"),
    "V4_5ALL": Model(lyrics=5000, style=1000, title=80, max_seconds=8 * 60,
                     suno_name="chirp-auk-turbo", label="V4.5 All", max_upload_seconds=60),
    "V5": Model(lyrics=5000, style=1000, title=100, max_seconds=8 * 60, suno_name="chirp-crow",
                label="V5"),
    "V5_5": Model(lyrics=5000, style=1000, title=100, max_seconds=8 * 60,
                  suno_name="chirp-fenix", label="V5.5"),
})
DEFAULT_MODEL = "V4_5"
ADD_INSTRUMENTAL_MODELS = ("V4_5PLUS", "V5", "V5_5")
ADD_INSTRUMENTAL_DEFAULT = "V4_5PLUS"
# Add vocals takes the same models as its inverse, add instrumental (suno_api.md §2 row 6).
ADD_VOCALS_MODELS, ADD_VOCALS_DEFAULT = ADD_INSTRUMENTAL_MODELS, ADD_INSTRUMENTAL_DEFAULT
# Legacy (sunoapi.co / sunosay) clients send "v3.5" or "chirp-v3-5", and older v1 pages list
# V3_5 with V4's limits (suno_api.md §2.1); all three get V4's limits.
# Suno's own name for each model is one too: it is every take's modelName / model_name, which a
# script sends back to extend the take (suno_api.md §7.1 lists both spellings).
LEGACY_MODELS = {"V3_5": "V4", "v3.5": "V4", "chirp-v3-5": "V4", "v4": "V4", "chirp-v4": "V4",
                 "v4.5": "V4_5", "chirp-v4-5": "V4_5", "chirp-v4-5-plus": "V4_5PLUS",
                 "v5": "V5", "chirp-v5": "V5", "v5.5": "V5_5", "chirp-v5-5": "V5_5",
                 **{model.suno_name: name for name, model in MODELS.items()}}
IDEA_LIMIT = 500  # non-custom mode's prompt, every model
NEGATIVE_TAGS_LIMIT = 1000
URL_LIMIT = 2000
LONGEST_UPLOAD_SECONDS = max(m.max_upload_seconds for m in MODELS.values())
# An extension adds at least this much: continueAt must leave room before the model's end.
MIN_EXTENSION_SECONDS = 5.0
VOCAL_GENDERS = ("m", "f")
WEIGHTS = ("styleWeight", "weirdnessConstraint", "audioWeight")

# Operations: what a request asks for. Each maps to a generation mode (MODES).
GENERATE = "generate"
INSTRUMENTAL = "instrumental"  # legacy generate-instrumental: tags (+ title)
EXTEND = "extend"
UPLOAD_COVER = "upload_cover"
ADD_INSTRUMENTAL = "add_instrumental"
# Replace section (infill): a window of a finished take made again, the rest kept as it is.
REPLACE_SECTION = "replace_section"
ADD_VOCALS = "add_vocals"  # the inverse: a sung line over an uploaded instrumental
UPLOAD_EXTEND = "upload_extend"  # extend, from an upload instead of a library track
# Legacy generate-music (seed 001): `prompt` is lyrics or a description of any length up to
# the model's lyrics limit (the seed's own sample describes the song in ~900 characters),
# `tags` and `title` are optional. No customMode: a prompt with section markers or several
# lines is sung as written, anything else is the song's description.
LEGACY_SONG = "legacy_song"
# Sounds (suno_api.md §2 row 25): a short sound or a loop from a description, at a tempo and
# in a key if asked. V5 only at sunoapi.org; api.box takes V5_5 as well.
SOUNDS = "sounds"
# Mashup (suno_api.md §2 row 8): one song from two uploads (uploadUrlList, exactly two), with
# generate's fields and limits.
MASHUP = "mashup"
MASHUP_SOURCES = 2
OPERATIONS = (GENERATE, INSTRUMENTAL, EXTEND, UPLOAD_COVER, ADD_INSTRUMENTAL, ADD_VOCALS,
              UPLOAD_EXTEND, LEGACY_SONG, REPLACE_SECTION, SOUNDS, MASHUP)
# The generation mode (generation.models.Mode's values) each operation makes.
MODES = {GENERATE: "generate", INSTRUMENTAL: "instrumental", EXTEND: "extend",
         UPLOAD_COVER: "upload_cover", ADD_INSTRUMENTAL: "add_instrumental",
         ADD_VOCALS: "add_vocals", UPLOAD_EXTEND: "upload_extend", LEGACY_SONG: "generate",
         REPLACE_SECTION: "replace_section", SOUNDS: "sounds", MASHUP: "mashup"}
SOUNDS_MODELS, SOUNDS_DEFAULT = ("V5", "V5_5"), "V5"
SOUND_KEYS = ("Any", "Cm", "C#m", "Dm", "D#m", "Em", "Fm", "F#m", "Gm", "G#m", "Am", "A#m",
              "Bm", "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
SOUND_TEMPO_RANGE = (1, 300)  # BPM; none given is "Auto" (the description decides)
# The operations that continue their source from `continueAt`.
EXTENSIONS = (EXTEND, UPLOAD_EXTEND)
# Replace section's window (suno_api.md §2 row 7): 6 to 60 seconds, given to 2 decimals.
REPLACE_MIN_SECONDS = 6.0
REPLACE_MAX_SECONDS = 60.0

# How each surface names a field in its messages. The API names fields as sent.
FORM_LABELS = MappingProxyType({
    "prompt": "Lyrics", "idea": "Idea", "style": "Style", "title": "Title", "model": "Model",
    "tags": "Tags", "negativeTags": "Exclude styles", "vocalGender": "Vocal gender",
    "styleWeight": "Style weight", "weirdnessConstraint": "Weirdness",
    "audioWeight": "Audio weight", "continueAt": "Continue at", "uploadUrl": "Audio",
    "audioId": "Track", "customMode": "Custom mode", "instrumental": "Instrumental",
    "personaId": "Persona", "callBackUrl": "Callback URL", "file": "Upload",
    "defaultParamFlag": "Custom settings",
    "infillStartS": "Window start", "infillEndS": "Window end", "fullLyrics": "Full lyrics",
    "taskId": "Task", "soundLoop": "Loop", "soundTempo": "Tempo (BPM)", "soundKey": "Key",
    "grabLyrics": "Lyrics subtitles", "description": "Description",
    "uploadUrlList": "Songs",
})
PLURAL_LABELS = {"Lyrics", "Tags", "Exclude styles", "tags", "negativeTags"}


def form_limits() -> dict:
    """Per model, the character limits the create form's counters show."""
    return {name: {"prompt": m.lyrics, "style": m.style, "title": m.title, "tags": m.style,
                   "idea": IDEA_LIMIT} for name, m in MODELS.items()}
