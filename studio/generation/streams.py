"""Listening to a take while it is still being made.

The engine encodes each take into ``MEDIA_ROOT/streams/<generation>/take-<i>.mp3.part`` and
renames it to ``take-<i>.mp3`` once verified (EngineRequest.stream_dir); the job removes the
directory when the generation ends, after the takes are in the library. A stream response
follows the growing file: it sends what is there, waits for more, and ends when the take is
final. Before the file exists it waits (an API client is handed the stream link at
TEXT_SUCCESS, as the vendors do); once the take is in the library it serves that file, with
Range support. The vendors call this ``streamAudioUrl``.

A Range request while the take is made (a player seeking, a listener cut off resuming) is
answered from what is written so far: 206 with those bytes and ``Content-Range: bytes
a-b/*`` (the length is not known until the take is final), so the player asks again for
what follows. It waits for the take to reach the first byte asked for. ``bytes=0-`` is the
whole growing body, answered as a plain stream.

With STUDIO_STREAM_RELAY=redis (the default with S3 media and a Redis broker) the growing
file stays on the worker's disk and its pieces go to listeners through Redis instead
(studio/relay.py): web and worker hosts then share no directory at all.

A take made elsewhere (at a vendor) has no growing file here: a finder added with
`elsewhere()` (the connections app adds the vendors' streams) tells where it can be heard
meanwhile, and its bytes are passed on through this same link, so nobody is sent elsewhere.
"""
from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse

from studio import media, relay
from studio.web.ranges import _RANGE, _position

from .models import Generation

APPEAR_WAIT = 60.0  # seconds a request waits for a take's stream to begin
STALL = 30.0  # seconds without a new byte after which a growing file is given up on
POLL = 0.02
PIECE = 64 * 1024


# Finders of a take still being made elsewhere: each is called with (generation, variation)
# and returns None, or an opener that, called with the request's Range header ("" if none),
# returns the take's bytes as they come (an iterator that closes what it opened when it
# ends; its `status` and `headers`, if it has them, are answered with: a 206 and its
# Content-Range) or None when the source fails.
_finders: list = []


def elsewhere(finder):
    if finder not in _finders:
        _finders.append(finder)
    return finder


def _found_elsewhere(generation: Generation, variation: int):
    for finder in _finders:
        if (opener := finder(generation, variation)) is not None:
            return opener
    return None


def directory(generation: Generation) -> Path:
    return Path(settings.MEDIA_ROOT) / "streams" / generation.id.hex


def take_path(generation: Generation, variation: int) -> Path:
    return directory(generation) / f"take-{variation}.mp3"


_clients: dict = {}  # one connection pool per process (and URL)


def _redis():
    url = settings.STREAM_REDIS_URL
    if url not in _clients:
        import redis
        _clients[url] = redis.Redis.from_url(url)
    return _clients[url]


def _relayed() -> bool:
    return bool(settings.STREAM_REDIS_URL)


def _key(generation: Generation, variation: int) -> str:
    return relay.key(settings.Q_CLUSTER["name"], generation.id.hex, variation)


def relay_for(generation: Generation) -> dict | None:
    """What the engine needs to relay a take's pieces through Redis (EngineRequest.stream_relay)."""
    if not _relayed():
        return None
    return {"url": settings.STREAM_REDIS_URL, "key": _key(generation, 0)[:-2],
            "ttl": 2 * settings.JOB_TIMEOUT}


def discard(generation: Generation) -> None:
    """The generation ended: its takes are in the library (or it failed). A listener still
    reading keeps its open file; new requests get the library's copy."""
    shutil.rmtree(directory(generation), ignore_errors=True)
    if _relayed():
        relay.discard(_redis(), _key(generation, 0), _key(generation, 1))


def sweep(max_age: float) -> None:
    """Remove stream directories older than `max_age` seconds: left by a worker that died
    mid-job (a job never runs longer than its timeout, so a live one is never that old)."""
    root = Path(settings.MEDIA_ROOT) / "streams"
    if not root.is_dir():
        return
    now = time.time()
    for d in root.iterdir():
        try:
            if now - d.stat().st_mtime > max_age:
                shutil.rmtree(d, ignore_errors=True)
        except FileNotFoundError:
            continue


def track_id(generation: Generation, variation: int) -> uuid.UUID:
    """The id take `variation` will have in the library, known before it exists: the API
    lists a streaming take under the same id its finished track gets."""
    return uuid.uuid5(generation.id, f"take-{variation}")


def is_live(generation: Generation, variation: int) -> bool:
    """True while take `variation` is being encoded or is done but not yet in the library."""
    if _relayed():
        if _redis().exists(_key(generation, variation)):
            return True
    else:
        path = take_path(generation, variation)
        if path.exists() or path.with_name(path.name + ".part").exists():
            return True
    return _found_elsewhere(generation, variation) is not None


def _open(path: Path):
    """(file, finished) for the take's growing or finished file, or (None, False)."""
    part = path.with_name(path.name + ".part")
    for candidate, finished in ((part, False), (path, True)):
        try:
            return open(candidate, "rb"), finished
        except FileNotFoundError:
            continue
    return None, False


def _follow(fh, path: Path, finished: bool):
    """The file's bytes as they arrive, until the take is final."""
    last = time.monotonic()
    with fh:
        while True:
            piece = fh.read(PIECE)
            if piece:
                last = time.monotonic()
                yield piece
                continue
            if finished:
                return
            if path.exists():  # renamed (or replaced after a retry): what remains is the tail
                finished = True
                continue
            if time.monotonic() - last > STALL:  # the worker died mid-take
                return
            time.sleep(POLL)


def _asked(request) -> tuple[int, int | None] | None:
    """The one byte range (first, last or None) asked of a take still being made; None for
    none, for one from byte 0 to the end (the growing body is that), and for a suffix or
    anything else whose bytes cannot be known before the take is final (the header is then
    ignored, as RFC 9110 allows)."""
    match = _RANGE.match(request.headers.get("Range", "").strip())
    if not match or not match.group(1):
        return None
    first = _position(match.group(1))
    last = _position(match.group(2)) if match.group(2) else None
    if (last is not None and last < first) or (first == 0 and last is None):
        return None
    return first, last


def _written_file(path: Path) -> tuple[bytes, bool] | None:
    """The growing file's bytes so far and whether it is final; None once it is gone."""
    fh, finished = _open(path)
    if fh is None:
        return None
    with fh:
        return fh.read(), finished


def _reaching_file(path: Path, size: int, until: float) -> tuple[bytes, bool] | None:
    """As relay.reaching, for the growing file: looked at every 0.1 s (a file has no way
    to wake a reader)."""
    while True:
        snapshot = _written_file(path)
        if snapshot is None or len(snapshot[0]) > size or snapshot[1] \
                or time.monotonic() > until:
            return snapshot
        time.sleep(POLL * 5)


def _seek(request, wanted: tuple[int, int | None], reaching):
    """A range of the take written so far (`reaching(size, until)` as relay.reaching): 206
    once the take reaches its first byte; 416 when the take ends (or stalls) before it. None
    when the take's stream is gone meanwhile: it is in the library, which serves the range."""
    first, last = wanted
    if (snapshot := reaching(first, time.monotonic() + STALL)) is None:
        return None
    body, final = snapshot
    size = len(body) if final else "*"
    if len(body) <= first:
        resp = HttpResponse(status=416)
        resp["Content-Range"] = f"bytes */{len(body)}"
        return resp
    end = len(body) - 1 if last is None else min(last, len(body) - 1)
    resp = HttpResponse(b"" if request.method == "HEAD" else body[first:end + 1],
                        status=206, content_type="audio/mpeg")
    resp["Content-Range"] = f"bytes {first}-{end}/{size}"
    resp["Content-Length"] = str(end - first + 1)
    resp["Cache-Control"] = "no-store"
    return resp


def response(request, generation: Generation, variation: int):
    """The take as a stream, or as a file once it is in the library."""
    if variation not in (0, 1):
        raise Http404("No such take.")
    wanted = _asked(request)
    deadline = time.monotonic() + APPEAR_WAIT
    path = take_path(generation, variation)
    key = _key(generation, variation)
    reaching = (lambda size, until: relay.reaching(_redis(), key, size, until)) if _relayed() \
        else (lambda size, until: _reaching_file(path, size, until))
    checked = 0.0
    while True:
        if time.monotonic() - checked > 0.25:  # the database now and then, the file system often
            checked = time.monotonic()
            generation.refresh_from_db(fields=["status"])
            track = generation.tracks.filter(variation=variation).first()
            if track is not None and track.audio:
                return media.serve_field(request, track.audio, content_type="audio/mpeg")
            if generation.is_final or checked > deadline:
                raise Http404("This take is not being made.")
            if (opener := _found_elsewhere(generation, variation)) is not None:
                body = opener(request.headers.get("Range", ""))
                if body is None:  # no file of it will appear here either
                    raise Http404("This take's stream could not be opened.")
                return _streaming(request, body, close=getattr(body, "close", None),
                                  status=getattr(body, "status", 200),
                                  headers=getattr(body, "headers", {}))
        if wanted:
            if (resp := _seek(request, wanted, reaching)) is not None:
                return resp
            time.sleep(POLL * 5)
            continue
        if _relayed():  # waits in Redis (up to the next look at the database) for the take
            body = relay.read(_redis(), key, first_wait=0.25, stall=STALL)
            if body is not None:
                return _streaming(request, body, close=body.close)
            continue
        fh, finished = _open(path)
        if fh is not None:
            break
        time.sleep(POLL)
    return _streaming(request, _follow(fh, path, finished), close=fh.close)


def _streaming(request, body, *, close=None, status: int = 200, headers=None):
    resp = StreamingHttpResponse(body, content_type="audio/mpeg", status=status)
    for name, value in (headers or {}).items():
        resp[name] = value
    resp["Cache-Control"] = "no-store"
    resp["X-Accel-Buffering"] = "no"  # nginx: pass the bytes on as they come
    if request.method == "HEAD":
        if close is not None:
            close()
        resp.streaming_content = []
    return resp


def stream_dir_for(generation: Generation) -> Path:
    path = directory(generation)
    os.makedirs(path, exist_ok=True)
    return path
