"""What the two upstream dialects share: the vendor as an engine sees it, the normalized
events that vendors' status payloads become, each vendor family's code table, and one careful
HTTP caller.

An upstream engine never waits for a song. `submit()` sends the create call and returns the
vendor's task id; after that the song is tracked from outside the engine (callbacks and a
poller), each status payload read by `from_callback()` / `status()` into a `VendorEvent`
that the status machine merges. Engines import nothing of Django: the HTTP client is handed
in (Studio hands in its outbound guard's client, so every vendor call is SSRF-checked).

The exactly-once rule lives in `Caller.create()`: an error that proves the request never
reached the vendor (no connection, or an answer meaning "no task was made": HTTP 5xx, 455
maintenance, the rate-limit codes) is retried with backoff; anything that may have reached it
(a read timeout after the body was sent, a dropped connection mid-answer, an unreadable 200)
is never re-sent and fails with `MAY_HAVE_CHARGED`.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import httpx

from .base import EngineError

V1, LEGACY = "v1", "legacy"
SUNOAPI, KIE = "sunoapi", "kie"  # the v1 families: same API, different code tables
MAY_HAVE_CHARGED = ("The create call may have reached the vendor, but no answer came back, so "
                    "Studio did not send it again: the vendor may have charged; check your "
                    "account there.")

# Statuses, the generation's own (generation.models.Status values).
PENDING, TEXT, FIRST, SUCCESS = "PENDING", "TEXT_SUCCESS", "FIRST_SUCCESS", "SUCCESS"
CREATE_FAILED, AUDIO_FAILED = "CREATE_TASK_FAILED", "GENERATE_AUDIO_FAILED"
CALLBACK_EXCEPTION, SENSITIVE = "CALLBACK_EXCEPTION", "SENSITIVE_WORD_ERROR"
FAILURES = {CREATE_FAILED, AUDIO_FAILED, CALLBACK_EXCEPTION, SENSITIVE}
KNOWN = {PENDING, TEXT, FIRST, SUCCESS} | FAILURES


@dataclass(frozen=True)
class Vendor:
    """One connection, as an engine sees it: no owner, no database."""

    dialect: str  # v1 | legacy
    base_url: str
    api_key: str
    family: str = SUNOAPI  # whose code table: sunoapi | kie (v1); legacy has its own
    upload_base_url: str = ""  # v1: the vendor's file-upload host, if it has one


@dataclass(frozen=True)
class VendorTake:
    """One track as the vendor describes it (either spelling read)."""

    id: str
    audio_url: str = ""  # final file; "" while the take is only streaming
    stream_audio_url: str = ""
    image_url: str = ""
    title: str = ""
    tags: str = ""
    lyrics: str = ""
    model_name: str = ""
    duration: float | None = None


@dataclass(frozen=True)
class VendorEvent:
    """A vendor status payload, normalized: where the task is, and what it has made."""

    task_id: str
    status: str  # one of KNOWN
    takes: tuple[VendorTake, ...] = ()
    code: int | None = None
    message: str = ""

    @property
    def final_takes(self) -> tuple[VendorTake, ...]:
        return tuple(t for t in self.takes if t.audio_url)


class VendorError(EngineError):
    """A vendor call failed. `retry`: the vendor certainly made nothing, so the same call may
    be sent again later; otherwise `status`/`code`/`message` are the generation's final ones."""

    def __init__(self, message: str, *, code: int = 500, status: str = CREATE_FAILED,
                 retry: bool = False):
        super().__init__(message, code=code, status=status)
        self.retry = retry


# --- codes ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Code:
    message: str
    retry: bool = False  # the answer means no task was made: try again later
    status: str = CREATE_FAILED


_COMMON = {
    400: Code("The vendor refused the request as invalid"),
    401: Code("The vendor refused the API key: check the connection's key"),
    404: Code("The vendor does not know this endpoint: check the connection's base URL "
              "and dialect"),
    409: Code("The vendor says this already exists"),
    413: Code("The vendor says a field or the uploaded audio is too long"),
    455: Code("The vendor is under maintenance", retry=True),
    500: Code("The vendor had a server error", retry=True),
}
# suno_api.md §1.2: the business result is the envelope's `code`, and 429 means opposite
# things at the two v1 vendors.
CODES = {
    SUNOAPI: {**_COMMON,
              405: Code("The vendor's rate limit was exceeded", retry=True),
              429: Code("The vendor account has no credits left: top it up at the vendor"),
              430: Code("The vendor asks to call less often", retry=True)},
    KIE: {**_COMMON,
          402: Code("The vendor account has no credits left: top it up at the vendor"),
          422: Code("The vendor refused a field as invalid"),
          429: Code("The vendor's rate limit was exceeded", retry=True),
          451: Code("The vendor could not fetch the uploaded audio (a bad upload)"),
          505: Code("The vendor has this feature disabled")},
    LEGACY: {**_COMMON,
             402: Code("The vendor account has no credits left: top it up at the vendor"),
             429: Code("The vendor's rate limit was exceeded", retry=True)},
}
# Task-level codes in callbacks and record-info (suno_api.md §4.2 and §3.1).
TASK_CODES = {
    400: "The vendor refused the lyrics as copyrighted material",
    408: "The vendor timed out making the song",
    413: "The uploaded audio matches an existing work, so the vendor refused it",
    500: "The vendor had a server error",
    501: "The vendor failed to make the audio",
    531: "The vendor failed to make the song and refunded the credits",
}


def code_for(family: str, code: int) -> Code:
    table = CODES.get(family, CODES[SUNOAPI])
    if code in table:
        return table[code]
    if 500 <= code < 600:
        return Code("The vendor had a server error", retry=True)
    return Code("The vendor refused the request")


def explain(family: str, code: int, vendor_message: str) -> VendorError:
    """The vendor's `code` and own words as the error a user reads."""
    meaning = code_for(family, code)
    text = f"{meaning.message} (code {code}"
    text += f": {vendor_message.strip()[:300]})." if vendor_message.strip() else ")."
    status = SENSITIVE if "sensitive" in vendor_message.lower() else meaning.status
    return VendorError(text, code=code, status=status, retry=meaning.retry)


# --- the careful caller ---------------------------------------------------------------------

Http = Callable[[httpx.Timeout], httpx.Client]
TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=15.0, pool=5.0)
# An answer that means "no task was made" or no connection: try again after these pauses.
BACKOFF = (1.0, 3.0, 8.0)


def _default_http(timeout: httpx.Timeout) -> httpx.Client:
    return httpx.Client(timeout=timeout, trust_env=False)


class Caller:
    """One vendor's HTTP calls, with timeouts everywhere, JSON envelopes read, and retries
    only where a call certainly did not reach the vendor (or reading is harmless)."""

    def __init__(self, vendor: Vendor, http: Http | None = None, *,
                 backoff: tuple[float, ...] = BACKOFF, sleep=time.sleep,
                 timeout: httpx.Timeout = TIMEOUT):
        self.vendor, self.http = vendor, http or _default_http
        self.backoff, self.sleep, self.timeout = backoff, sleep, timeout

    def url(self, path: str, base: str = "") -> str:
        return (base or self.vendor.base_url).rstrip("/") + path

    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.vendor.api_key}", "Accept": "application/json"}

    def create(self, path: str, body: Mapping) -> dict:
        """POST a create call; its answer's JSON. Sent again only when it certainly did not
        reach the vendor, or the vendor said it made no task."""
        last: VendorError | None = None
        for pause in (0.0, *self.backoff):
            if pause:
                self.sleep(pause)
            try:
                answer = self.send("POST", path, json=dict(body), create=True)
            except VendorError as error:
                if not error.retry:
                    raise
                last = error
                continue
            return answer
        raise VendorError(f"{last.message} Studio tried {len(self.backoff) + 1} times.",
                          code=last.code, status=CREATE_FAILED)

    def read(self, method: str, path: str, **kwargs) -> dict:
        """A call that changes nothing at the vendor (status, credits): sent once; a failure
        that may pass is `retry=True`, and the poller asks again later."""
        return self.send(method, path, **kwargs)

    def send(self, method: str, path: str, *, create: bool = False, base: str = "",
              **kwargs) -> dict:
        try:
            with self.http(self.timeout) as http:
                response = http.request(method, self.url(path, base), headers=self.headers(),
                                        **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
            raise VendorError(f"Studio could not connect to the vendor ({_name(error)}).",
                              code=500, retry=True) from None
        except httpx.TransportError as error:
            # The request was (or may have been) sent: a create must not go again.
            if create:
                raise VendorError(MAY_HAVE_CHARGED + f" ({_name(error)})", code=500) from None
            raise VendorError(f"The vendor did not answer ({_name(error)}).", code=500,
                              retry=True) from None
        except httpx.HTTPError as error:  # refused before sending (e.g. the outbound guard)
            raise VendorError(f"Studio will not call the vendor: {error}", code=422) from None
        return self._envelope(response, create=create)

    def _envelope(self, response: httpx.Response, *, create: bool) -> dict:
        if response.status_code >= 500 or response.status_code == 455:
            raise explain(self.vendor.family, response.status_code,
                          f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except (ValueError, UnicodeDecodeError):
            answer = None
        if not isinstance(answer, dict):
            if response.status_code >= 400:
                raise explain(self.vendor.family, response.status_code,
                              f"HTTP {response.status_code}")
            if create:  # it answered 200 with something unreadable: a task may exist
                raise VendorError("The vendor's answer to the create call was not readable "
                                  "JSON, so Studio cannot tell whether a task was made: the "
                                  "vendor may have charged; check your account there.",
                                  code=500)
            raise VendorError("The vendor's answer was not readable JSON.", code=500,
                              retry=True)
        code = answer.get("code", response.status_code)
        try:
            code = int(code)
        except (TypeError, ValueError):
            code = 500
        if code != 200:
            message = answer.get("msg") or answer.get("message") or ""
            raise explain(self.vendor.family, code, str(message))
        return answer


def _name(error: Exception) -> str:
    return {httpx.ReadTimeout: "read timed out", httpx.WriteTimeout: "write timed out",
            httpx.ConnectTimeout: "connect timed out", httpx.PoolTimeout: "no free connection",
            httpx.ConnectError: "connection refused or unreachable",
            httpx.RemoteProtocolError: "the connection dropped mid-answer",
            httpx.ReadError: "the connection broke while reading"}.get(
        type(error), type(error).__name__)


class UpstreamEngine:
    """What both dialects' engines are built on: the vendor (in the dialect's `family`, when
    the dialect has only one) and the one Caller every request to it goes through."""

    name = ""
    family = ""  # "": the vendor's own family (the v1 dialect serves two)

    def __init__(self, vendor: Vendor, http: Http | None = None, **caller):
        self.vendor = replace(vendor, family=self.family) if self.family else vendor
        self.caller = Caller(self.vendor, http, **caller)

    def create_song(self, path: str, body: Mapping, *, at_top: bool = False,
                    names: tuple[str, ...] = ("taskId", "task_id")) -> str:
        """Send a song's create call; the task id its answer names in `data` (`at_top`: at
        the top first, as the legacy dialect answers). The vendor accepted the call, so a
        missing id is an error: the call may have cost credits and is not sent again."""
        answer = self.caller.create(path, body)
        for place in (answer, answer.get("data")) if at_top else (answer.get("data"),):
            task_id = pick(place, *names) if isinstance(place, Mapping) else ""
            if task_id:
                return str(task_id)
        raise VendorError(f"The vendor said the task was made but gave no {names[0]}: it may "
                          "have charged; check your account there.", code=500)


# --- reading payloads ----------------------------------------------------------------------

def pick(item: Mapping, *names: str, default=""):
    """The first of `names` present in `item`: camelCase and snake_case spellings alike."""
    for name in names:
        value = item.get(name)
        if value not in (None, ""):
            return value
    return default


def seconds(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 and number != float("inf") else None


def take_from(item: Mapping) -> VendorTake | None:
    if not isinstance(item, Mapping):
        return None
    take_id = str(pick(item, "id", "audioId", "audio_id", "continue_clip_id", "clip_id"))
    if not take_id:
        return None
    return VendorTake(
        id=take_id,
        audio_url=str(pick(item, "audioUrl", "audio_url", "sourceAudioUrl")),
        stream_audio_url=str(pick(item, "streamAudioUrl", "stream_audio_url")),
        image_url=str(pick(item, "imageUrl", "image_url", "imageLargeUrl", "image_large_url")),
        title=str(pick(item, "title")), tags=str(pick(item, "tags", "style")),
        lyrics=str(pick(item, "prompt", "lyric", "lyrics")),
        model_name=str(pick(item, "modelName", "model_name")),
        duration=seconds(pick(item, "duration", default=None)))


def takes_from(items) -> tuple[VendorTake, ...]:
    if not isinstance(items, list):
        return ()
    return tuple(t for t in (take_from(i) for i in items) if t is not None)


def task_failure(status: str, code, message: str) -> tuple[int, str]:
    """A failed task's code and the words a user reads."""
    try:
        code = int(code)
    except (TypeError, ValueError):
        code = 501
    if status == SENSITIVE:
        words = "The vendor refused the request's words as sensitive"
    else:
        words = TASK_CODES.get(code, "The vendor failed to make the song")
    detail = message.strip()[:300] if isinstance(message, str) else ""
    return code, f"{words} ({detail})." if detail else f"{words}."


def dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False)[:2000]
