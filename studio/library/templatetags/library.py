"""Template helpers for the library: cover thumbnails, what the player reads, stages in words
and as a ladder, request settings."""
from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from studio.generation.models import Mode
from studio.generation.rules import MODELS
from studio.library import thumbnails

register = template.Library()

PLACEHOLDER = "img/cover-placeholder.svg"


# What a take made from another one is, said beside its take number: an extension shares its
# song's title, and the library and the queue showed two "Harbour · take 1".
_MADE_FROM = {"extend", "upload_extend", "upload_cover", "add_instrumental", "add_vocals",
              "replace_section", "mashup"}


@register.filter
def take_words(track) -> str:
    """"take 2", or what the take was made as and its number ("extension · take 1"). The
    mode comes with the grid's query (for_grid's `_mode`) or a generation already loaded."""
    mode = getattr(track, "_mode", None)
    if mode is None and track._meta.get_field("generation").is_cached(track):
        mode = track.generation.mode
    number = f"take {track.variation + 1}"
    return f"{Mode(mode).label.lower()} · {number}" if mode in _MADE_FROM else number


@register.simple_tag
def cover_url(track, size=320):
    """A thumbnail URL that changes when the cover does, or the placeholder."""
    if not track.cover:
        return static(PLACEHOLDER)
    url = reverse("library:thumbnail", args=[track.pk, size])
    return f"{url}?v={thumbnails.version(track)}"


@register.simple_tag
def player_attrs(track, seek=False, play_next=False, token=""):
    """The data-* attributes static/js/player.js reads from anything that plays `track`:
    a play button (data-play), with `seek` the waveform that seeks in it (data-src), with
    `play_next` a button that queues it after the playing track (data-play-next).
    Every data-play in a page is also that page's list for previous / next (player.js
    documents the attributes); data-take tells two takes of one generation apart, which share
    a title. With a share link's `token`, every URL goes through the link (audio, cover, peaks
    and lyrics, the shared page): nothing names the owner's own."""
    attribute = "data-src" if seek else "data-play-next" if play_next else "data-play"
    if token:
        audio = reverse("library:shared_audio", args=[token, track.pk])
        cover = (reverse("library:shared_cover", args=[token, track.pk, 96]) if track.cover
                 else static(PLACEHOLDER))
        page = reverse("library:shared", args=[token])
        info = reverse("library:shared_player_info", args=[token, track.pk])
    else:
        audio, cover = reverse("library:audio", args=[track.pk]), cover_url(track, 96)
        page = reverse("library:track", args=[track.pk])
        info = reverse("library:player_info", args=[track.pk])
    return format_html(
        '{}="{}" data-title="{}" data-take="{}" data-style="{}" data-cover="{}" data-href="{}" '
        'data-info="{}"', attribute, audio, track.title or "Untitled", take_words(track),
        Truncator(track.style).chars(60), cover, page, info)


@register.simple_tag(takes_context=True)
def here(context) -> str:
    """The page a form on it returns to: the address bar's, also when htmx fetched a part
    of the page (a filtered grid, "Load more") from another URL. A boosted navigation
    renders a whole page whose address is the request's own (HX-Current-URL is the page
    being left)."""
    request = context["request"]
    if request.htmx and not request.htmx.boosted and (
            current := request.htmx.current_url_abs_path):
        return current
    return request.get_full_path()


# The steps of a generation's progress, each with the status that reaches it.
LADDER = [("Queued", "PENDING"), ("Writing & rendering", "TEXT_SUCCESS"),
          ("First take", "FIRST_SUCCESS"), ("Both takes", "SUCCESS")]
RANKS = [status for _, status in LADDER]


@register.filter
def stage_ladder(generation) -> list[tuple[str, str]]:
    """(label, "done" | "now" | "") for each step: done once the generation has moved past
    it, now while it is there."""
    if generation.failed:  # it left the queue; where it stopped, its message says
        return [(label, "done" if i == 0 else "") for i, (label, _) in enumerate(LADDER)]
    rank = RANKS.index(generation.status)
    if generation.status == "SUCCESS":
        rank = len(LADDER)  # every step done
    return [(label, "done" if i < rank else "now" if i == rank else "")
            for i, (label, _) in enumerate(LADDER)]


def _making(generation) -> str:
    """What the engine is doing before the first take: writing words only when it has to
    (a song from an idea); words given as lyrics, or none sung, leave only the music."""
    request = generation.request
    return "Writing lyrics" if request.sung and not request.lyrics.strip() else "Composing"


@register.filter
def stage_words(generation) -> str:
    """Where a generation is, in the creator's words (the library's running list)."""
    status = generation.status
    if generation.failed:
        reason = generation.error_message or generation.get_status_display()
        return f"Failed: {reason}"
    if status == "PENDING":
        return "Queued"
    if status == "TEXT_SUCCESS":
        return _making(generation)
    if status == "FIRST_SUCCESS":
        return "First take ready"
    return "Done"


@register.filter
def status_words(generation) -> str:
    """The generation page's badge: its status, in the running list's words while it is
    being made, so the two pages never describe one song two ways."""
    if generation.status == "TEXT_SUCCESS":
        return _making(generation)
    return generation.get_status_display()


# The request's fields in the creator's words; anything else is shown by its own name.
LABELS = {
    "prompt": "Lyrics / idea", "style": "Style", "title": "Title", "customMode": "Custom mode",
    "instrumental": "Instrumental", "model": "Model", "negativeTags": "Exclude styles",
    "vocalGender": "Vocal gender", "styleWeight": "Style weight",
    "weirdnessConstraint": "Weirdness", "audioWeight": "Audio weight",
    "continueAt": "Continue at", "uploadUrl": "Uploaded audio", "audioId": "Source track",
    "defaultParamFlag": "Custom settings", "personaId": "Persona", "tags": "Tags",
    "callBackUrl": "Callback URL", "stitchedFrom": "Stitched from",
    "infillStartS": "Replaced from", "infillEndS": "Replaced to", "fullLyrics": "Full lyrics",
    "taskId": "Source task",
}
ORDER = list(LABELS)


def _value(key, value):
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key == "model" and value in MODELS:
        return MODELS[value].label
    if key == "vocalGender":
        return {"m": "Male", "f": "Female"}.get(value, value)
    if key in ("continueAt", "infillStartS", "infillEndS") and isinstance(value, (int, float)):
        return f"{value:g} s"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return value


def _rows(params, named=None) -> list[tuple[str, object, bool]]:
    rows = []
    keys = sorted((params or {}), key=lambda k: (ORDER.index(k) if k in ORDER else 99, k))
    for key in keys:
        value = params[key]
        if key.startswith("_") or value in (None, ""):
            continue
        label = LABELS.get(key) or key[:1].upper() + "".join(
            f" {c.lower()}" if c.isupper() else c for c in key[1:])
        if key in (named or {}):  # a name or a link, never a block of text
            rows.append((label, named[key], False))
            continue
        shown = _value(key, value)
        rows.append((label, shown, isinstance(shown, str) and ("\n" in shown or len(shown) > 80)))
    return rows


@register.filter
def param_rows(params) -> list[tuple[str, object, bool]]:
    """(label, value, is long text) for every request parameter that was given."""
    return _rows(params)


@register.simple_tag(takes_context=True)
def setting_rows(context, generation) -> list[tuple[str, object, bool]]:
    """param_rows of a generation, its sources named as the creator knows them rather than
    by internal id: the source track by its title (a link to it while it is the viewer's and
    in the library), an upload by its file name."""
    viewer, named = context["request"].user, {}
    source = generation.source_track if generation.source_track_id else None
    if source is not None and str(source.pk) == str(generation.params.get("audioId")):
        title = source.title or "Untitled"
        if source.owner_id != viewer.pk:
            named["audioId"] = "A track not in your library"
        elif source.trashed_at is not None:
            named["audioId"] = f"{title} (in the trash)"
        else:
            named["audioId"] = format_html('<a href="{}">{}</a>',
                                           reverse("library:track", args=[source.pk]), title)
    uploads = [u for u in (generation.upload, generation.second_upload) if u is not None]
    if uploads and str(generation.params.get("uploadUrl", "")).startswith("upload:"):
        named["uploadUrl"] = uploads[0].name
    if len(uploads) == 2 and "uploadUrlList" in generation.params:
        named["uploadUrlList"] = ", ".join(u.name for u in uploads)
    return _rows(generation.params, named)


@register.filter
def seconds(value) -> str:
    """3:07 for 187.9 seconds: whole seconds dropped, as the footer player, the stems and
    the video count them, so one track never shows two lengths."""
    try:
        total = int(float(value))
    except (TypeError, ValueError):
        return ""
    return f"{total // 60}:{total % 60:02d}"
