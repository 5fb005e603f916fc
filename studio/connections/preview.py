"""A vendor take heard before it is final: the vendor's `streamAudioUrl` passed on through
Studio's own stream link (generation/streams.py), so the browser, the library and API
clients never learn a vendor URL and the first take plays before it is kept.

The vendor is called through the outbound guard (its address checked, redirects followed
here, never by the browser), the bytes must start like audio, and the whole stream is capped
by STUDIO_UPLOAD_MAX_MB and PREVIEW_LONGEST. Once the take is kept, the stream link serves
the kept file instead (streams.response looks for the track first)."""
from __future__ import annotations

import logging

import httpx
from django.conf import settings

from studio.api import outbound
from studio.generation.models import Generation
from studio.generation.uploads import sniff

from .models import ENGINE_PREFIX, UpstreamTask

log = logging.getLogger("studio.upstream")
PREVIEW_LONGEST = 600.0  # seconds one listener may follow a vendor's stream
TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=10.0, pool=5.0)


def stream_url(generation: Generation, variation: int) -> str:
    """The vendor's stream of take `variation`, or "" when none is known (or it is local)."""
    if not generation.engine.startswith(ENGINE_PREFIX):
        return ""
    previews = (UpstreamTask.objects.filter(pk=generation.pk)
                .values_list("previews", flat=True).first()) or []
    if variation >= len(previews):
        return ""
    return previews[variation].get("stream", "")


def find(generation: Generation, variation: int):
    """streams' finder: an opener for the vendor's stream of this take, or None."""
    url = stream_url(generation, variation)
    return (lambda: open_stream(url)) if url else None


def open_stream(url: str):
    """The vendor's stream as an iterator of bytes, or None when it is not audio we may
    pass on (refused address, an error status, bytes that are not audio)."""
    try:
        outbound.check_url(url, "the vendor's stream")
        http = outbound.client(TIMEOUT, whole=PREVIEW_LONGEST)
        response = http.send(http.build_request("GET", url), stream=True)
    except (outbound.OutboundError, httpx.HTTPError) as error:
        log.info("vendor stream %s not opened: %s", url, error)
        return None
    pieces = response.iter_bytes()  # each piece as it arrives: a listener hears it at once
    try:
        head = b""
        if response.status_code != 200:
            raise ValueError(f"HTTP {response.status_code}")
        while len(head) < 16:
            piece = next(pieces, b"")
            if not piece:
                break
            head += piece
        if sniff(head[:16]) is None:
            raise ValueError("not audio")
    except (ValueError, httpx.HTTPError) as error:
        log.info("vendor stream %s not passed on: %s", url, error)
        response.close()
        http.close()
        return None
    return _relay(head, pieces, response, http)


def _relay(head: bytes, pieces, response, http):
    limit = settings.STUDIO_UPLOAD_MAX_MB * 1024 * 1024
    size = len(head)
    try:
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
