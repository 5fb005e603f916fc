"""Links an API client can fetch without a browser session: /api/files/<signed token>.

The token names one file (a track's audio or cover, or an upload) and carries its signing
time, rounded down to the hour: a client that polls a task gets the same link for a file all
hour long (one URL per file for its cache, its player and its "has this changed?" check)
instead of a new one each second. A link is valid for STUDIO_FILE_URL_DAYS from that hour,
like the vendors' 14-day links. Changing SECRET_KEY revokes every link. The bytes are served
with Range support, as the library's.
"""
from __future__ import annotations

import time
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.urls import reverse

from studio import media
from studio.generation import streams, uploads
from studio.generation.models import Generation, Upload
from studio.library import stems
from studio.library.models import Track

from .envelope import ApiError, required_text

SALT = "studio.api.files"
AUDIO, COVER, UPLOAD, STREAM, STEM = "a", "c", "u", "s", "t"
WAV = "w"  # a WavConversion's file (/api/v1/wav/generate)
VIDEO = "v"  # a MusicVideo's MP4 (/api/v1/mp4/generate)
ART = "i"  # one image of a CoverArt task (/api/v1/suno/cover/generate); suffix: its number
PREFIX = "/api/files/"
STAMP_SECONDS = 3600  # links signed within the same hour are the same link


class _HourSigner(signing.TimestampSigner):
    """Django's TimestampSigner, stamping the hour a link was made in rather than its second
    (unsigning is unchanged: links signed to the second, as before, stay valid)."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) // STAMP_SECONDS * STAMP_SECONDS)


def base(request) -> str:
    """Scheme and host of the links a client is given: STUDIO_BASE_URL, else the request's."""
    return settings.STUDIO_BASE_URL or request.build_absolute_uri("/").rstrip("/")


def token(kind: str, pk, suffix: str = "") -> str:
    return _HourSigner(salt=SALT).sign(f"{kind}{pk.hex}{suffix}")


def unsign(value: str, *, fresh: bool = True) -> tuple[str, str] | None:
    """(kind, hex id + suffix) of a token signed by Studio, else None. `fresh`: only if it
    is still valid (younger than STUDIO_FILE_URL_DAYS); else an expired one will do."""
    value = value.partition(".")[0]  # the file extension a link ends in is only a hint
    max_age = settings.STUDIO_FILE_URL_DAYS * 86400 if fresh else None
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign(value, max_age=max_age)
    except signing.BadSignature:
        return None
    return payload[:1], payload[1:]


def path(kind: str, pk, suffix: str = "", extension: str = "") -> str:
    """The link's path; it ends in the file's extension (".mp3"), as the vendors' links do,
    for clients that name or play a download by it."""
    tail = f".{extension.lstrip('.').lower()}" if extension.strip(".") else ""
    return reverse("api:file", args=[token(kind, pk, suffix)]) + tail


def _extension(field) -> str:
    return PurePosixPath(field.name).suffix if field else ""


def track_urls(track: Track, base: str) -> tuple[str, str]:
    """(audio URL, cover URL or "") for `track`, absolute under `base`."""
    audio = base + path(AUDIO, track.id, extension=_extension(track.audio) or "mp3")
    cover = base + path(COVER, track.id, extension=_extension(track.cover)) if track.cover else ""
    return audio, cover


def stream_url(generation: Generation, variation: int, base: str) -> str:
    """A take's stream (growing while it is encoded, the finished file after)."""
    return base + path(STREAM, generation.id, str(variation), extension="mp3")


def stem_url(track: Track, name: str, base: str) -> str:
    """One of a track's kept stems (generation/derive.py), e.g. name "vocals": an MP3, as the
    vendors' are. The same link ending in .flac serves the lossless stem (_serve_stem)."""
    return base + path(STEM, track.id, name, extension="mp3")


def upload_url(upload: Upload, base: str) -> str:
    return base + path(UPLOAD, upload.id, extension=upload.format or _extension(upload.file))


def _named_token(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.path.startswith(PREFIX):
        return None
    return parts.path[len(PREFIX):].strip("/")


def looks_own(url: str) -> bool:
    """Whether `url` has the shape of one of Studio's file links (its token unchecked)."""
    return bool(_named_token(url))


def own_upload(url: str, owner, field: str = "uploadUrl") -> Upload | None:
    """The Upload of `owner` that one of Studio's own audio links names, with no download;
    None if `url` is not such a link (it is then an outside URL).

    Recognised by the signed token alone, whatever host the client used to reach Studio.
    An upload link of `owner`'s names that very upload. Any other valid link — a track's
    audioUrl, a take's stream, someone else's upload — is a capability: whoever holds it
    can download the file anyway, so its audio becomes a new upload of `owner`, who alone
    owns what is made from it. An expired link still counts for its owner's own files.
    """
    value = _named_token(url)
    if not value:
        return None
    found, fresh = unsign(value), True
    if found is None:
        found, fresh = unsign(value, fresh=False), False
    if found is None:
        return None
    kind, pk = found
    if kind == UPLOAD:
        upload = Upload.objects.filter(pk=pk).first()
        if upload is not None and upload.owner_id == owner.pk:
            return upload
        field_file, name, owned = (upload.file, upload.name, False) if upload else (None, "", False)
    elif kind in (AUDIO, STREAM):
        track = _track_of(kind, pk)
        field_file = track.audio if track else None
        name = f"{track.title or 'track'}{_extension(field_file)}" if track else ""
        owned = track is not None and track.owner_id == owner.pk
    elif kind == STEM:
        raise ApiError(422, f"{field} is a link to a stem; use the track's audioUrl or upload "
                            "the stem as a file")
    elif kind == VIDEO:
        raise ApiError(422, f"{field} is a link to a music video; use the track's audioUrl")
    else:
        raise ApiError(422, f"{field} is a link to a cover image, not to audio")
    if not fresh and not owned:
        return None  # an expired link to someone else's file: an outside URL like any other
    if not field_file:
        raise ApiError(451, f"Failed to fetch {field}: the file it names no longer exists")
    try:
        with field_file.open("rb") as fileobj:
            return uploads.accept(owner, fileobj, name)
    except FileNotFoundError:
        raise ApiError(451, f"Failed to fetch {field}: the file it names no longer exists") from None
    except uploads.UploadError as problem:
        raise ApiError(422, f"{field}: {problem}") from None


def _signed(url) -> tuple[str, str] | None:
    """(kind, hex id + suffix) of one of Studio's file links, expired or not; else None."""
    value = _named_token(url.strip()) if isinstance(url, str) else None
    return unsign(value, fresh=False) if value else None


def own_track(url, owner, field: str = "audioUrl") -> Track:
    """The caller's track one of Studio's audio links names (an audioUrl, or a take's
    streamAudioUrl once it is finished), expired or not: for the clients that name a take by
    its URL instead of taskId + audioId (suno_api.md §2 row 14). Any other URL is 422,
    someone else's track 404."""
    found = _signed(url)
    if found is None or found[0] not in (AUDIO, STREAM):
        raise ApiError(422, f"{field} is not a track's audio link made by this Studio: send "
                            "taskId and audioId, or a track's audioUrl from record-info")
    track = _track_of(*found)
    if track is None and found[0] == STREAM and Generation.objects.filter(
            pk=found[1][:32], owner=owner).exists():
        raise ApiError(422, f"{field} is a take still being made: wait for SUCCESS")
    if track is None or track.owner_id != owner.pk:
        raise ApiError(404, f"{field} names no track of yours")
    return track


def _track_of(kind: str, pk: str) -> Track | None:
    if kind == STREAM:  # a take's stream is its track's audio once the take is finished
        if not pk[32:].isdigit():
            return None
        return Track.objects.filter(generation_id=pk[:32], variation=int(pk[32:])).first()
    return Track.objects.filter(pk=pk).first()


def serve(request, value: str):
    found = unsign(value)
    if not found:
        raise Http404("This link is invalid or has expired.")
    # The extension is not signed: a link serves only with its file's own one, or none
    # (links made before they had one).
    return _serve(request, *found, value.partition(".")[2].lower())


# kie's temporary download links (suno_api.md row 27) ----------------------------------

DOWNLOAD_SALT = "studio.api.downloads"
DOWNLOAD_SECONDS = 20 * 60  # as kie's: "valid for 20 minutes"
_OWNED_BY = {AUDIO: Track, COVER: Track, STEM: Track, STREAM: Generation, UPLOAD: Upload}


def _owned_by(kind: str):
    """The model whose row a link of `kind` names (None for a kind Studio no longer makes)."""
    if kind in _OWNED_BY:
        return _OWNED_BY[kind]
    from studio.library.models import CoverArt, MusicVideo, WavConversion

    return {WAV: WavConversion, VIDEO: MusicVideo, ART: CoverArt}.get(kind)


def download_url(url, owner, root: str) -> str:
    """POST /api/v1/common/download-url: for one of Studio's own file links (an audioUrl,
    imageUrl, streamAudioUrl, stem, WAV, video or upload link) to a file of `owner`'s, a
    link that downloads it as an attachment, valid for DOWNLOAD_SECONDS.

    As kie's: any other URL is 422. A file of someone else's is 404, whoever holds its link;
    the caller's own file is converted from an expired link too (the caller could ask
    record-info for a fresh one). A take's stream link downloads the finished take.
    """
    url = required_text(url, "url", "one of Studio's file links, such as a track's audioUrl")
    found = _signed(url)
    if found is None:
        raise ApiError(422, "url is not a file link made by this Studio: only its own links "
                            "(audioUrl, imageUrl, streamAudioUrl, …) can be downloaded")
    kind, pk = found
    model = _owned_by(kind)
    if model is None or not model.objects.filter(pk=pk[:32], owner=owner).exists():
        raise ApiError(404, "url names no file of yours")
    if kind == STREAM:  # the finished take: a stream still growing is no download
        track = _track_of(STREAM, pk)
        if track is None:
            raise ApiError(422, "url is a take still being made: ask again once its task "
                                "is SUCCESS")
        kind, pk, extension = AUDIO, track.id.hex, _extension(track.audio)
    else:
        extension = PurePosixPath(urlsplit(url.strip()).path).suffix
    signed = signing.TimestampSigner(salt=DOWNLOAD_SALT).sign(f"{kind}{pk}")
    return root + reverse("api:download", args=[signed]) + extension.lower()


def _download(value: str) -> tuple[str, str] | None:
    """(kind, hex id + suffix) of a download link still valid, else None."""
    try:
        payload = signing.TimestampSigner(salt=DOWNLOAD_SALT).unsign(
            value.partition(".")[0], max_age=DOWNLOAD_SECONDS)
    except signing.BadSignature:
        return None
    return payload[:1], payload[1:]


def serve_download(request, value: str):
    found = _download(value)
    if not found:
        raise Http404("This download link is invalid or has expired (they last 20 minutes).")
    return _serve(request, *found, value.partition(".")[2].lower(), download=True)


def _serve(request, kind: str, pk: str, extension: str, *, download: bool = False):
    """The file a link names, honouring Range; as an attachment named after its track (or
    upload) when `download`."""
    gone = Http404("The file no longer exists.")
    if kind == STREAM:
        generation = Generation.objects.filter(pk=pk[:32]).first()
        if generation is None or not pk[32:].isdigit() or extension not in ("", "mp3"):
            raise gone
        return streams.response(request, generation, int(pk[32:]))
    if kind in (VIDEO, ART):
        return _serve_made(request, kind, pk, extension, download)
    if kind == STEM:
        return _serve_stem(request, pk, extension, download)
    if kind == UPLOAD:
        upload = Upload.objects.filter(pk=pk).first()
        field = upload.file if upload else None
        called = upload.name if upload else ""
    elif kind == WAV:
        field = _wav_file(pk)
        called = f"{_title(field.instance)}.wav" if field else ""
    else:
        track = Track.objects.filter(pk=pk).first()
        field = (track.audio if kind == AUDIO else track.cover) if track else None
        called = f"{_title(track)}{' cover' if kind == COVER else ''}{_extension(field)}" \
            if field else ""
    if not field or extension not in ("", _extension(field).lstrip(".").lower()):
        raise gone
    try:
        return media.serve(request, field.storage, field.name, max_age=0 if download else 3600,
                           download_name=called if download else None)
    except FileNotFoundError:
        raise gone from None


def _serve_stem(request, pk: str, extension: str, download: bool):
    """A kept stem: under a link ending .mp3 as a tagged MP3 (the vendors' format, made on
    the first request and kept: library/stems.py `mp3_of`); under .flac, or no extension
    (links made before they had one), as the lossless FLAC the studio keeps."""
    gone = Http404("The file no longer exists.")
    name = pk[32:]
    track = Track.objects.select_related("owner").filter(pk=pk[:32]).first()
    if track is None or name not in stems.LABELS or extension not in ("", "flac", "mp3"):
        raise gone
    extension = extension or "flac"
    called = f"{_title(track)} - {stems.LABELS[name]}.{extension}"
    try:
        if extension == "mp3":
            stored, content_type = stems.mp3_of(track, name), "audio/mpeg"
        else:
            stored, content_type = stems.flac_name(track, name), "audio/flac"
        return media.serve(request, track.audio.storage, stored, content_type=content_type,
                           max_age=0 if download else 3600,
                           download_name=called if download else None)
    except FileNotFoundError:
        raise gone from None


def _title(track: Track) -> str:
    return track.title or "track"


def _wav_file(pk: str):
    """The finished WAV of a conversion, as a stored file (None if there is none)."""
    from studio.library.models import WavConversion, WavStatus

    conversion = (WavConversion.objects.select_related("track")
                  .filter(pk=pk, status=WavStatus.SUCCESS).first())
    if conversion is None or not conversion.file_name:
        return None
    from django.db.models.fields.files import FieldFile

    return FieldFile(conversion.track, Track._meta.get_field("wav"), conversion.file_name)


def video_url(made, base: str) -> str:
    return base + path(VIDEO, made.id, extension="mp4")


def cover_art_urls(task, base: str) -> list[str]:
    return [base + path(ART, task.id, str(number), extension="jpg")
            for number in range(1, len(task.files) + 1)]


def _serve_made(request, kind: str, pk: str, extension: str, download: bool):
    """A finished video, or one image of a finished cover art task."""
    from studio.library import cover_art
    from studio.library.models import CoverArt, MusicVideo, VideoStatus

    gone = Http404("The file no longer exists.")
    if kind == VIDEO:
        made = (MusicVideo.objects.select_related("track")
                .filter(pk=pk, status=VideoStatus.SUCCESS).first())
        if made is None or extension not in ("", "mp4"):
            raise gone
        name, storage, content_type = made.file_name, made.track.audio.storage, "video/mp4"
        called = f"{_title(made.track)}.mp4"
    else:
        task = CoverArt.objects.select_related("track").filter(pk=pk[:32]).first()
        if task is None or extension not in ("", "jpg") or not pk[32:].isdigit():
            raise gone
        try:
            name = cover_art.image_name(task, int(pk[32:]))
        except cover_art.NotOffered:
            raise gone from None
        storage, content_type = task.track.audio.storage, "image/jpeg"
        called = f"{_title(task.track)} cover {pk[32:]}.jpg"
    try:
        return media.serve(request, storage, name, content_type=content_type,
                           max_age=0 if download else 3600,
                           download_name=called if download else None)
    except FileNotFoundError:
        raise gone from None
