"""A vendor take heard before it is kept: the vendor's file passed on through Studio's own
stream link (generation/streams.py), so the browser, the library and API clients never learn
a vendor URL and a take plays as soon as the vendor lists it. The take's final `audioUrl`
once the vendor has one (a whole file: the player can seek in it), else its
`streamAudioUrl` (the take as it is being made).

The vendor is called through the outbound guard (its address checked, redirects followed
here, never by the browser), the bytes must start like audio, and the whole stream is capped
by STUDIO_UPLOAD_MAX_MB and PREVIEW_LONGEST. A browser's Range header is passed on, so it can
seek: the vendor's 206 (with its Content-Range) is passed back; a range that does not start
at the file's first byte is sniffed by asking the vendor for those first bytes as well. Once
the take is kept, the stream link serves the kept file instead (streams.response looks for
the track first)."""
from __future__ import annotations

import logging
import re

import httpx
from django.conf import settings

from studio.api import outbound
from studio.generation.models import Generation
from studio.generation.uploads import sniff

from .models import ENGINE_PREFIX, UpstreamTask

log = logging.getLogger("studio.upstream")
PREVIEW_LONGEST = 600.0  # seconds one listener may follow a vendor's stream
TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=10.0, pool=5.0)
HEAD = 16  # bytes that tell audio from anything else (uploads.sniff)
# One byte range, as a browser's media element asks for it.
_RANGE = re.compile(r"^bytes=(\d{1,18})-(\d{0,18})$")
# What of the vendor's answer a listener is told (never its URL, cookies or server).
PASSED_ON = ("Content-Range", "Content-Length", "Accept-Ranges")


def stream_url(generation: Generation, variation: int) -> str:
    """The vendor's file of take `variation` to pass on: its final audio once known, else
    its stream; "" when none is known (or the generation is local)."""
    if not generation.engine.startswith(ENGINE_PREFIX):
        return ""
    previews = (UpstreamTask.objects.filter(pk=generation.pk)
                .values_list("previews", flat=True).first()) or []
    if variation >= len(previews):
        return ""
    return previews[variation].get("audio") or previews[variation].get("stream", "")


def find(generation: Generation, variation: int):
    """streams' finder: an opener of the vendor's file of this take, or None."""
    url = stream_url(generation, variation)
    return (lambda range_header="": open_stream(url, range_header)) if url else None


class Relay:
    """The vendor's bytes as they come (an iterator), with the status and headers to answer
    with; closing it closes the vendor's response."""

    def __init__(self, head: bytes, pieces, response, http):
        self.status = response.status_code
        self.headers = {name: response.headers[name] for name in PASSED_ON
                        if name in response.headers}
        if self.status == 200:
            self.headers.pop("Content-Range", None)
        length = self.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > settings.STUDIO_UPLOAD_MAX_MB * 1024 * 1024:
            self.headers.pop("Content-Length", None)  # cut at the limit: it will be shorter
        self._bytes = _relay(head, pieces, response, http)

    def __iter__(self):
        return self._bytes

    def __next__(self):
        return next(self._bytes)

    def close(self):
        self._bytes.close()


def open_stream(url: str, range_header: str = ""):
    """The vendor's file as a Relay, or None when it is not audio we may pass on (refused
    address, an error status, bytes that are not audio). `range_header`: the listener's
    Range, passed on when it is one byte range."""
    wanted = _RANGE.match((range_header or "").strip())
    start = int(wanted.group(1)) if wanted else 0
    if start > 0 and not _starts_like_audio(url):
        return None
    try:
        outbound.check_url(url, "the vendor's stream")
        http = outbound.client(TIMEOUT, whole=PREVIEW_LONGEST)
        headers = {"Range": wanted.group(0)} if wanted else {}
        response = http.send(http.build_request("GET", url, headers=headers), stream=True)
    except (outbound.OutboundError, httpx.HTTPError) as error:
        log.info("vendor stream %s not opened: %s", url, error)
        return None
    pieces = response.iter_bytes()  # each piece as it arrives: a listener hears it at once
    try:
        if response.status_code == 416:  # past the end: the listener is told so
            return Relay(b"", iter(()), response, http)
        if response.status_code not in (200, 206):
            raise ValueError(f"HTTP {response.status_code}")
        head = _read_head(pieces)
        # A ranged answer starts mid-file (checked above from the file's own first bytes);
        # a 200 is the whole file, whatever was asked: its first bytes are the file's.
        if (response.status_code == 200 or start == 0) and sniff(head[:HEAD]) is None:
            raise ValueError("not audio")
    except (ValueError, httpx.HTTPError) as error:
        log.info("vendor stream %s not passed on: %s", url, error)
        response.close()
        http.close()
        return None
    return Relay(head, pieces, response, http)


def _read_head(pieces) -> bytes:
    head = b""
    while len(head) < HEAD:
        piece = next(pieces, b"")
        if not piece:
            break
        head += piece
    return head


def _starts_like_audio(url: str) -> bool:
    """Whether the file's first bytes are audio (asked for on their own: a seek's answer
    starts mid-file, where nothing can be sniffed)."""
    try:
        outbound.check_url(url, "the vendor's stream")
        with outbound.client(TIMEOUT, whole=30.0) as http, http.stream(
                "GET", url, headers={"Range": f"bytes=0-{HEAD - 1}"}) as response:
            if response.status_code not in (200, 206):
                return False
            return sniff(_read_head(response.iter_bytes())[:HEAD]) is not None
    except (outbound.OutboundError, httpx.HTTPError) as error:
        log.info("vendor stream %s not opened: %s", url, error)
        return False


def _relay(head: bytes, pieces, response, http):
    limit = settings.STUDIO_UPLOAD_MAX_MB * 1024 * 1024
    size = len(head)
    try:
        if head:
            yield head
        for piece in pieces:
            size += len(piece)
            if size > limit:
                log.info("vendor stream cut at the %s MB limit", settings.STUDIO_UPLOAD_MAX_MB)
                return
            yield piece
    except httpx.HTTPError as error:  # the vendor stopped mid-stream: the listener has what came
        log.info("vendor stream ended early: %s", error)
    finally:
        response.close()
        http.close()
