"""A take's MP3 pieces through Redis, for listeners on other hosts than the encoder.

The worker (or its engine helper process) appends each piece LAME returns to a Redis stream,
one per take (``<queue>:stream:<generation>:<take>``): an empty piece when encoding starts
(so the take is known to be live at once), the pieces, then an ``end`` entry once the take is
verified final. A web process reads the stream from its first entry with a blocking XREAD,
so a listener anywhere hears the first piece as soon as it is written, with no directory
shared between hosts; a seek past what is written waits in a blocking XREAD too. The stream
expires on its own after `ttl` seconds (a worker that died mid-take leaves nothing behind
for long); the job deletes it when the generation ends, with a last ``gone`` entry first:
a reader blocked in XREAD is not woken by a deleted key, but is by that entry.
"""
from __future__ import annotations

import time

import redis

END = b"end"
DATA = b"d"
GONE = b"gone"


def key(prefix: str, generation_hex: str, variation: int) -> str:
    return f"{prefix}:stream:{generation_hex}:{variation}"


class Writer:
    """Appends one take's pieces (made in the process that encodes; picklable settings only)."""

    def __init__(self, url: str, stream_key: str, ttl: int):
        self.client = redis.Redis.from_url(url)
        self.key, self.ttl = stream_key, ttl
        self.client.delete(self.key)  # a retried job starts the take afresh
        self.append(b"")

    def append(self, piece: bytes) -> None:
        pipe = self.client.pipeline(transaction=False)
        pipe.xadd(self.key, {DATA: piece})
        pipe.expire(self.key, self.ttl)
        pipe.execute()

    def end(self) -> None:
        self.client.xadd(self.key, {END: b"1"})
        self.client.close()


def discard(client: redis.Redis, *stream_keys: str) -> None:
    """Delete the takes' streams, waking whoever waits on one (an entry, on a stream that
    still exists: NOMKSTREAM), so a blocked reader learns now that it is gone."""
    pipe = client.pipeline(transaction=False)
    for stream_key in stream_keys:
        pipe.xadd(stream_key, {GONE: b"1"}, nomkstream=True)
    pipe.delete(*stream_keys)
    pipe.execute()


def reaching(client: redis.Redis, stream_key: str, size: int,
             until: float) -> tuple[bytes, bool] | None:
    """The take's bytes written so far and whether it is final, once it holds more than
    `size` bytes, is final, or `until` (time.monotonic()) has come; None when there is no
    stream (not begun, or gone once the take is in the library). Waits in a blocking XREAD:
    no round trip while nothing is written, and awake as soon as a piece is."""
    entries = client.xrange(stream_key)
    if not entries:
        return None
    pieces, written, final = [], 0, False
    while True:
        for _, fields in entries:
            if GONE in fields:
                return None
            pieces.append(piece := fields.get(DATA, b""))
            written += len(piece)
            final = final or END in fields
        left = until - time.monotonic()
        if written > size or final or left <= 0:
            return b"".join(pieces), final
        more = client.xread({stream_key: entries[-1][0]}, block=max(1, int(left * 1000)),
                            count=256)
        if more:
            entries = more[0][1]
        elif not client.exists(stream_key):  # expired meanwhile (its encoder died long ago)
            return None


def read(client: redis.Redis, stream_key: str, *, first_wait: float, stall: float):
    """The take's pieces from the start, as they come, until its end entry; None when
    nothing of it appears within `first_wait` seconds. Ends early after `stall` seconds
    without a new entry (the encoder died)."""
    got = client.xread({stream_key: "0-0"}, block=max(1, int(first_wait * 1000)), count=256)
    if not got:
        return None

    def pieces(entries):
        last = "0-0"
        while True:
            for entry_id, fields in entries:
                last = entry_id
                if END in fields or GONE in fields:
                    return
                if piece := fields.get(DATA):
                    yield piece
            more = client.xread({stream_key: last}, block=int(stall * 1000), count=256)
            if not more:
                return
            entries = more[0][1]

    return pieces(got[0][1])
