"""Links an API client can fetch without a browser session: /api/files/<signed token>.

The token names one file (a track's audio or cover, or an upload) and carries its signing
time; it is valid for STUDIO_FILE_URL_DAYS, like the vendors' 14-day links. Changing
SECRET_KEY revokes every link. The bytes are served with Range support, as the library's.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.urls import reverse

from studio.generation import streams
from studio.generation.models import Generation, Upload
from studio.library.models import Track
from studio.web.ranges import serve_file

SALT = "studio.api.files"
AUDIO, COVER, UPLOAD, STREAM = "a", "c", "u", "s"
PREFIX = "/api/files/"


def token(kind: str, pk, suffix: str = "") -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{kind}{pk.hex}{suffix}")


def unsign(value: str) -> tuple[str, str] | None:
    """(kind, hex id + suffix) of a valid, unexpired token, else None."""
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign(
            value, max_age=settings.STUDIO_FILE_URL_DAYS * 86400)
    except signing.BadSignature:
        return None
    return payload[:1], payload[1:]


def path(kind: str, pk, suffix: str = "") -> str:
    return reverse("api:file", args=[token(kind, pk, suffix)])


def track_urls(track: Track, base: str) -> tuple[str, str]:
    """(audio URL, cover URL or "") for `track`, absolute under `base`."""
    audio = base + path(AUDIO, track.id)
    cover = base + path(COVER, track.id) if track.cover else ""
    return audio, cover


def stream_url(generation: Generation, variation: int, base: str) -> str:
    """A take's stream (growing while it is encoded, the finished file after)."""
    return base + path(STREAM, generation.id, str(variation))


def upload_url(upload: Upload, base: str) -> str:
    return base + path(UPLOAD, upload.id)


def own_upload(url: str, owner) -> Upload | None:
    """The upload an uploadUrl names if it is one of Studio's own links for `owner`'s upload.

    Recognised by the signed token alone, whatever host the client used to reach Studio,
    so no outbound fetch happens for Studio's own files.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.path.startswith(PREFIX):
        return None
    found = unsign(parts.path[len(PREFIX):].strip("/"))
    if not found or found[0] != UPLOAD:
        return None
    return Upload.objects.owned_by(owner).filter(pk=found[1]).first()


def serve(request, value: str):
    found = unsign(value)
    if not found:
        raise Http404("This link is invalid or has expired.")
    kind, pk = found
    if kind == STREAM:
        generation = Generation.objects.filter(pk=pk[:32]).first()
        if generation is None or not pk[32:].isdigit():
            raise Http404("The file no longer exists.")
        return streams.response(request, generation, int(pk[32:]))
    if kind == UPLOAD:
        upload = Upload.objects.filter(pk=pk).first()
        field = upload.file if upload else None
    else:
        track = Track.objects.filter(pk=pk).first()
        field = (track.audio if kind == AUDIO else track.cover) if track else None
    if not field:
        raise Http404("The file no longer exists.")
    try:
        file_path = field.path
    except (ValueError, NotImplementedError):
        raise Http404("The file no longer exists.") from None
    try:
        return serve_file(request, file_path, max_age=3600)
    except FileNotFoundError:
        raise Http404("The file no longer exists.") from None
