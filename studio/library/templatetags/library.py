"""Template helpers for the library: cover thumbnails, stages in words, request settings."""
from django import template
from django.templatetags.static import static
from django.urls import reverse

from studio.generation.rules import MODELS
from studio.library import thumbnails

register = template.Library()

PLACEHOLDER = "img/cover-placeholder.svg"


@register.simple_tag
def cover_url(track, size=320):
    """A thumbnail URL that changes when the cover does, or the placeholder."""
    if not track.cover:
        return static(PLACEHOLDER)
    url = reverse("library:thumbnail", args=[track.pk, size])
    return f"{url}?v={thumbnails.version(track)}"


@register.filter
def stage_words(generation) -> str:
    """Where a generation is, in the creator's words."""
    status = generation.status
    if generation.failed:
        reason = generation.error_message or generation.get_status_display()
        return f"Failed: {reason}"
    if status == "PENDING":
        return "Queued"
    if status == "TEXT_SUCCESS":
        return "Writing lyrics" if generation.request.sung else "Composing"
    if status == "FIRST_SUCCESS":
        return "First take ready"
    return "Done"


# The request's fields in the creator's words; anything else is shown by its own name.
LABELS = {
    "prompt": "Lyrics / idea", "style": "Style", "title": "Title", "customMode": "Custom mode",
    "instrumental": "Instrumental", "model": "Model", "negativeTags": "Exclude styles",
    "vocalGender": "Vocal gender", "styleWeight": "Style weight",
    "weirdnessConstraint": "Weirdness", "audioWeight": "Audio weight",
    "continueAt": "Continue at", "uploadUrl": "Uploaded audio", "audioId": "Source track",
    "defaultParamFlag": "Custom settings", "personaId": "Persona", "tags": "Tags",
    "callBackUrl": "Callback URL", "stitchedFrom": "Stitched from",
}
ORDER = list(LABELS)


def _value(key, value):
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key == "model" and value in MODELS:
        return MODELS[value].label
    if key == "vocalGender":
        return {"m": "Male", "f": "Female"}.get(value, value)
    if key == "continueAt" and isinstance(value, (int, float)):
        return f"{value:g} s"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return value


@register.filter
def param_rows(params) -> list[tuple[str, object, bool]]:
    """(label, value, is long text) for every request parameter that was given."""
    rows = []
    keys = sorted((params or {}), key=lambda k: (ORDER.index(k) if k in ORDER else 99, k))
    for key in keys:
        value = params[key]
        if key.startswith("_") or value in (None, ""):
            continue
        shown = _value(key, value)
        label = LABELS.get(key) or key[:1].upper() + "".join(
            f" {c.lower()}" if c.isupper() else c for c in key[1:])
        rows.append((label, shown, isinstance(shown, str) and ("\n" in shown or len(shown) > 80)))
    return rows


@register.filter
def seconds(value) -> str:
    """3:07 for 187.4 seconds."""
    try:
        total = int(round(float(value)))
    except (TypeError, ValueError):
        return ""
    return f"{total // 60}:{total % 60:02d}"
