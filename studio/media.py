"""Media files through Django's storage API, on this machine's disk or in S3-compatible storage.

Every stored file (a take's audio, cover, WAV, stems, MIDI, thumbnails, uploads) is a *name*
in a storage: ``default_storage`` is the local media root by default, or a bucket when
STUDIO_S3_BUCKET is set (django-storages' S3Storage, settings.py). Nothing outside this
module asks a storage for a path, so web and worker processes on different hosts share
nothing but the bucket.

- `local_copy` gives a path on this machine to read a stored file from (decoders, the
  engine and the analysers want one): the file itself on local disk, a copy downloaded into
  a directory the caller owns otherwise.
- `serve` answers a request for a stored file, with Range (web/ranges.py): from disk as
  before; from a bucket through Studio (a ranged GET passed on, the default) or, with
  STUDIO_S3_PRESIGNED, as a redirect to a short-lived presigned URL.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import HttpResponseRedirect

PIECE = 256 * 1024


def local_path(storage, name: str) -> Path | None:
    """The stored file's path when the storage is this machine's disk, else None."""
    try:
        return Path(storage.path(name))
    except NotImplementedError:
        return None


def is_remote(storage=None) -> bool:
    return local_path(storage or default_storage, "") is None


def local_copy(storage, name: str, directory: Path | str) -> Path:
    """A path to read stored file `name` from: the file itself on local disk, else a copy
    downloaded into `directory` (the caller's temporary directory, which removes it; a
    missing object raises FileNotFoundError, a missing local file is for the reader to find)."""
    if (path := local_path(storage, name)) is not None:
        return path
    fd, target = tempfile.mkstemp(prefix="media-", suffix=Path(name).suffix, dir=directory)
    try:
        with os.fdopen(fd, "wb") as out, storage.open(name, "rb") as src:
            shutil.copyfileobj(src, out, PIECE)
    except BaseException:
        os.unlink(target)
        raise
    return Path(target)


@contextlib.contextmanager
def reading(storage, name: str):
    """`with reading(storage, name) as path:` a local path for the block's length."""
    if (path := local_path(storage, name)) is not None:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="studio-media-") as tmp:
        yield local_copy(storage, name, tmp)


def read_field(field) -> contextlib.AbstractContextManager[Path]:
    """`reading` for a model's FileField value (track.audio, upload.file …)."""
    return reading(field.storage, field.name)


# -- serving --------------------------------------------------------------------------------

class _S3Source:
    """A stored object as web/ranges.py serves it: size, validators and ranged bytes."""

    def __init__(self, storage, name: str):
        from botocore.exceptions import ClientError

        self.client = storage.connection.meta.client
        self.bucket, self.key = storage.bucket_name, storage._normalize_name(name)
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key)
        except ClientError as error:
            if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
                raise FileNotFoundError(2, "No such stored object", name) from None
            raise
        self.size = head["ContentLength"]
        self.mtime = head["LastModified"].timestamp()
        self.etag = head["ETag"]
        self.name = name

    def open(self, start: int, end: int):
        """The bytes [start, end] as an iterator that closes the connection when done."""
        got = self.client.get_object(Bucket=self.bucket, Key=self.key, Range=f"bytes={start}-{end}")
        return _Body(got["Body"])


class _Body:
    def __init__(self, body):
        self.body = body

    def __iter__(self):
        yield from self.body.iter_chunks(PIECE)

    def close(self):
        self.body.close()


def serve(request, storage, name: str, *, content_type: str | None = None,
          download_name: str | None = None, max_age: int = 0):
    """Stored file `name` as a response honouring Range, If-Range and conditional GETs."""
    from studio.web.ranges import serve_file, serve_source

    if (path := local_path(storage, name)) is not None:
        return serve_file(request, str(path), content_type=content_type,
                          download_name=download_name, max_age=max_age)
    if settings.STUDIO_S3_PRESIGNED and request.method in ("GET", "HEAD"):
        # The browser fetches (and seeks in) the object itself; Studio has checked the owner.
        params = {}
        if content_type:
            params["ResponseContentType"] = content_type
        if download_name:
            from django.utils.http import content_disposition_header
            params["ResponseContentDisposition"] = content_disposition_header(True, download_name)
        url = storage.url(name, parameters=params, expire=settings.STUDIO_S3_URL_SECONDS)
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        return response
    if request.method == "GET" and not any(
            h in request.headers for h in ("If-None-Match", "If-Modified-Since", "If-Range")):
        if (response := _one_get(request, storage, name, content_type, download_name, max_age)):
            return response
    # Conditional requests (and HEAD, and an unsatisfiable range) need the object's size and
    # validators first: a HEAD, then the GET of what is to be sent.
    return serve_source(request, _S3Source(storage, name), content_type=content_type,
                        download_name=download_name, max_age=max_age)


def _one_get(request, storage, name, content_type, download_name, max_age):
    """A plain GET or seek in one request to the bucket: S3 applies the Range itself (the
    same single-range rules as web/ranges.py) and tells the size in Content-Range. None when
    the range is not one S3 can answer (unsatisfiable): the general path says 416."""
    from botocore.exceptions import ClientError
    from django.http import StreamingHttpResponse
    from django.utils.http import content_disposition_header, http_date

    from studio.web.ranges import _RANGE

    wanted = {}
    if (match := _RANGE.match(request.headers.get("Range", "").strip())) and any(match.groups()):
        first, last = match.groups()
        if not (first and last and int(first) > int(last)):  # an inverted range is ignored
            wanted["Range"] = f"bytes={first}-{last}"
    client = storage.connection.meta.client
    try:
        got = client.get_object(Bucket=storage.bucket_name, Key=storage._normalize_name(name),
                                **wanted)
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404:
            raise FileNotFoundError(2, "No such stored object", name) from None
        if status == 416:
            return None
        raise
    body = _Body(got["Body"])
    response = StreamingHttpResponse(body, status=206 if got.get("ContentRange") else 200,
                                     content_type=content_type or got.get("ContentType"))
    if got.get("ContentRange"):
        response["Content-Range"] = got["ContentRange"]
    response["Content-Length"] = str(got["ContentLength"])
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = got["ETag"]
    response["Last-Modified"] = http_date(got["LastModified"].timestamp())
    response["Cache-Control"] = f"private, max-age={max_age}" if max_age else "private, no-cache"
    if download_name:
        response["Content-Disposition"] = content_disposition_header(True, download_name)
    return response


def serve_field(request, field, **kwargs):
    """`serve` for a model's FileField value."""
    return serve(request, field.storage, field.name, **kwargs)
