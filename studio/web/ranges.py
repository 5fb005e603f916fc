"""File responses that honour HTTP Range (RFC 9110 §14), so audio seeks in every browser.

One range per request (`a-b`, `a-`, `-n`); a multi-range request gets the whole file, which
RFC 9110 allows. ETag and Last-Modified make If-Range and conditional GETs work. When
STUDIO_SENDFILE is set, the bytes are handed to the front web server (X-Accel-Redirect for
nginx, X-Sendfile for Apache) after the view has checked ownership.
"""
from __future__ import annotations

import functools
import logging
import mimetypes
import os
import re
from email.utils import formatdate, parsedate_to_datetime

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.utils.http import content_disposition_header

log = logging.getLogger("studio.web")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024
# Past any file's size. A position with more digits is read as this, so a header of 5,000
# digits costs nothing (int() refuses over 4,300 digits) and means what it would mean anyway.
FAR = 10**18


def _position(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) < 19 else FAR


def _etag(stat: os.stat_result) -> str:
    return f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'


def parse_range(header: str, size: int) -> tuple[int, int] | None | str:
    """(start, end) inclusive; None to send the whole file; "unsatisfiable" for a 416."""
    match = _RANGE.match(header.strip())
    if not match:
        return None  # malformed or multiple ranges: ignore the header
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix: the last n bytes
        length = _position(last)
        if length == 0:
            return "unsatisfiable"
        return max(size - length, 0), size - 1
    start = _position(first)
    if start >= size:
        return "unsatisfiable"
    end = _position(last) if last else size - 1
    if end < start:
        return None
    return start, min(end, size - 1)


class _Slice:
    """A file object that yields only bytes [start, end] of the underlying file."""

    def __init__(self, fh, start: int, end: int):
        self.fh, self.remaining = fh, end - start + 1
        fh.seek(start)

    def __iter__(self):
        while self.remaining > 0:
            chunk = self.fh.read(min(CHUNK, self.remaining))
            if not chunk:
                break
            self.remaining -= len(chunk)
            yield chunk

    def close(self):
        self.fh.close()


def _fresh(request, etag: str, mtime: float) -> bool:
    if match := request.headers.get("If-None-Match"):
        return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
    if since := request.headers.get("If-Modified-Since"):
        try:
            return int(mtime) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def _if_range_holds(request, etag: str, last_modified: str) -> bool:
    condition = request.headers.get("If-Range")
    return condition is None or condition.strip() in (etag, last_modified)


def file_gone_is_404(view):
    """A view serving a stored file: a file missing from disk (deleted by hand, a restored
    backup without media) is a 404 for that file, not a server error for the whole page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except FileNotFoundError as missing:
            log.warning("%s %s: a stored file is missing: %s", request.method, request.path,
                        missing.filename or missing)
            raise Http404("This file is missing on the server.") from None

    return wrapper


def serve_file(request, path: str, *, content_type: str | None = None,
               download_name: str | None = None, max_age: int = 0) -> HttpResponse:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        log.warning("%s %s: a stored file is missing: %s", request.method, request.path, path)
        raise Http404("This file is missing on the server.") from None
    return serve_source(request, _FileSource(path, stat), content_type=content_type,
                        download_name=download_name, max_age=max_age)


class _FileSource:
    """A file on this machine's disk; studio.media has one for an object in a bucket."""

    def __init__(self, path: str, stat: os.stat_result):
        self.name = self.path = path
        self.size, self.mtime, self.etag = stat.st_size, stat.st_mtime, _etag(stat)

    def open(self, start: int, end: int):
        fh = open(self.path, "rb")
        if start == 0 and end == self.size - 1:
            return fh
        return _Slice(fh, start, end)


def serve_source(request, source, *, content_type: str | None = None,
                 download_name: str | None = None, max_age: int = 0) -> HttpResponse:
    """`source` (size, mtime, etag, name; open(start, end) for its bytes) as a response."""
    size, etag = source.size, source.etag
    last_modified = formatdate(source.mtime, usegmt=True)
    content_type = content_type or mimetypes.guess_type(source.name)[0] or "application/octet-stream"

    def headers(response):
        response["Accept-Ranges"] = "bytes"
        response["ETag"] = etag
        response["Last-Modified"] = last_modified
        response["Cache-Control"] = f"private, max-age={max_age}" if max_age else "private, no-cache"
        if download_name:
            response["Content-Disposition"] = content_disposition_header(True, download_name)
        return response

    if _fresh(request, etag, source.mtime):
        return headers(HttpResponseNotModified())

    byte_range = None
    if "Range" in request.headers and _if_range_holds(request, etag, last_modified):
        byte_range = parse_range(request.headers["Range"], size)
    if byte_range == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return headers(response)

    start, end = byte_range or (0, size - 1)
    length = end - start + 1 if size else 0
    sendfile = getattr(settings, "STUDIO_SENDFILE", "")
    if sendfile and request.method == "GET" and isinstance(source, _FileSource):
        # The front server does the byte serving, Range included; we only vouch for the path.
        path = source.path
        response = HttpResponse(content_type=content_type)
        rel = os.path.relpath(path, settings.MEDIA_ROOT)
        if sendfile == "nginx":
            response["X-Accel-Redirect"] = settings.STUDIO_SENDFILE_PREFIX.rstrip("/") + "/" + rel
        else:
            response["X-Sendfile"] = path
        return headers(response)

    if request.method == "HEAD" or not size:
        response = HttpResponse(content_type=content_type, status=206 if byte_range else 200)
    else:
        response = FileResponse(source.open(start, end), status=206 if byte_range else 200,
                                content_type=content_type)
    response["Content-Length"] = str(length)
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return headers(response)
