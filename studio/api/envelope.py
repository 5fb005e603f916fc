"""The two dialects' envelopes, and the one decorator every API view wears.

v1 (sunoapi.org / kie): `{"code", "msg", "data"}`. Legacy (sunoapi.co / sunosay):
`{"code", "task_id", "message"}` at the top level. As at the vendors, the HTTP status is 200
and `code` carries the result — 401, 404, 413, 422, 429 and 500 included — so a script
written for a vendor reads Studio's answers the same way.

Codes: 401 no or bad key; 404 unknown path, wrong method or someone else's task; 413 a field
or file over its limit; 422 (v1) / 400 (legacy) a missing or invalid field; 429 over the
per-key rate limit (kie's meaning; sunoapi.org says 430); 451 uploadUrl could not be
fetched; 500 Studio's own fault.
"""
from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt

from studio.connections import capability
from studio.generation.rules import RuleError
from studio.web import failures

from . import auth, polls
from .models import hash_key

log = logging.getLogger("studio.api")
V1, LEGACY = "v1", "legacy"
MAX_BODY = 1024 * 1024  # a JSON create body is a few KB; lyrics top out near 5,000 chars
# The vendors' bodies are flat objects; nothing legitimate nests deeper than this.
MAX_DEPTH = 20
# Characters no text column holds: a lone UTF-16 surrogate (JSON's "\ud800") cannot be
# encoded as UTF-8, and PostgreSQL refuses NUL in text.
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class ApiError(Exception):
    def __init__(self, code: int, message: str):
        message = _LONG_RUN.sub(lambda m: m.group(0)[:100] + "…", message)  # an echoed value, cut
        super().__init__(message)
        self.code, self.message = code, message


# A run of 120 characters without a space in a message is a value the client sent (a 200,000
# character model, a 10,000 character taskId): its beginning says which, the rest is noise.
_LONG_RUN = re.compile(r"\S{120,}")
_JSON_TYPES = ((bool, "true or false"), ((int, float), "a number"), (list, "an array"), (dict, "an object"))


def required_text(value, field: str, what: str = "", *, code: int = 422) -> str:
    """`value`, the body's `field`, as text with its spaces trimmed: ApiError `code` "is
    required" when it is missing or blank, "must be a string" when it is another JSON type
    (a number, an array...); `what` says what the field is."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    explain = f": {what}" if what else ""
    if value is None or isinstance(value, str):
        raise ApiError(code, f"{field} is required{explain}")
    sent = next((name for types, name in _JSON_TYPES if isinstance(value, types)), "another type")
    raise ApiError(code, f"{field} must be a string{explain}; got {sent}")


def rule_code(error: RuleError, dialect: str) -> int:
    if error.kind == "too_long":
        return 413
    return 422 if dialect == V1 else 400


def rule_message(error: RuleError, labels: Mapping | None) -> str:
    """The rules' own words for every broken field, each naming the field exactly as the
    client spelled it (the rules capitalise the first letter for forms: "Style is required"
    → "style is required")."""
    return "; ".join(_as_sent(e, labels) for e in getattr(error, "errors", (error,)))


def _as_sent(error: RuleError, labels: Mapping | None) -> str:
    text = RuleError.message(error, labels)
    label = (labels or {}).get(error.label_key(), error.field)
    capitalised = label[:1].upper() + label[1:]
    if label and text.startswith(capitalised):
        text = label + text[len(label):]
    return text


def _json(document: dict) -> HttpResponse:
    """UTF-8 JSON. A lone surrogate read back from rows stored before the validator refused
    them is written as its JSON escape (valid JSON, as the client sent it) instead of
    failing the UTF-8 encoding of the whole answer."""
    text = json.dumps(document, ensure_ascii=False, cls=DjangoJSONEncoder)
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return HttpResponse(text, content_type="application/json")


def v1(data=None, *, code: int = 200, msg: str = "success") -> HttpResponse:
    return _json({"code": code, "msg": msg, "data": data})


def legacy(code: int = 200, message: str | None = None, **fields) -> HttpResponse:
    body = {"code": code, **fields}
    if message is not None:
        body["message"] = message
    return _json(body)


def error(dialect: str, code: int, message: str) -> HttpResponse:
    if dialect == V1:
        return v1(None, code=code, msg=message)
    return legacy(code, message, task_id=None)


def body(request, dialect: str) -> dict:
    """The request's JSON object (a form-encoded body is accepted too), holding only text
    a database can store, nested no deeper than MAX_DEPTH: what a view keeps of it (the
    API request's body, a task's param) is stored as it came."""
    if len(request.body) > MAX_BODY:
        raise ApiError(413, f"The request body is over {MAX_BODY // 1024} KB")
    if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return json_object(request.body, dialect)
    data = {name: request.POST.get(name) for name in request.POST}
    if problem := not_storable(data):  # a form's %00
        raise ApiError(422 if dialect == V1 else 400, problem)
    return data


def json_object(raw: bytes, dialect: str) -> dict:
    """A JSON body as a dict holding only text a database can store, nested no deeper than
    MAX_DEPTH; every other shape is the client's mistake, told in words."""
    invalid = 422 if dialect == V1 else 400
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(invalid, "The request body is not valid JSON") from None
    except RecursionError:
        raise ApiError(invalid, f"The request body is not valid JSON here: it nests deeper "
                                f"than {MAX_DEPTH} levels") from None
    if not isinstance(data, dict):
        raise ApiError(invalid, "The request body must be a JSON object")
    if problem := not_storable(data):
        raise ApiError(invalid, problem)
    return data


def not_storable(data: dict) -> str | None:
    """What is wrong with the decoded body, naming the field; None if nothing. Walked
    without recursion, so no shape of body can exhaust the stack."""
    pending = [(data, "", 1)]
    while pending:
        value, where, depth = pending.pop()
        if depth > MAX_DEPTH:
            return f"The request body is not valid JSON here: it nests deeper than " \
                   f"{MAX_DEPTH} levels"
        if isinstance(value, dict):
            for key, item in value.items():
                name = f"{where}.{key}" if where else key
                if _NOT_TEXT.search(key):
                    return f"A field name is not valid text (it holds {_which(key)})"
                pending.append((item, name, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str) and _NOT_TEXT.search(value):
            return f"{where} is not valid text: it holds {_which(value)}"
    return None


def _which(text: str) -> str:
    if "\x00" in text:
        return "a NUL character (\\u0000)"
    return "a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape)"


def _default_engine(request) -> auth.Alongside:
    return auth.Alongside(*capability.default_columns_and_joins(), [], into="default_engine")


def endpoint(*methods: str, dialect: str = V1, creates: bool = False, public: bool = False,
             alongside=None, poll: bool = False):
    """An API view: method check, bearer key (request.api_key, request.user), the rate limit
    for creates, and every failure as the dialect's envelope — never an HTML page.
    `alongside(request)` may name a row of the owner's to read in the key's own query
    (auth.Alongside; None when the request names none); a create reads the owner's default
    engine so, into request.default_engine (capability.default_for). A `poll`'s successful
    GET answer is kept while the database is unchanged (studio.api.polls)."""
    if creates and alongside is None:  # every create asks which engine serves the owner
        alongside = _default_engine

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            place = before = count = None
            try:
                if poll and request.method == "GET" and (raw := auth.bearer(request)):
                    place = (hash_key(raw), request.build_absolute_uri())
                    answer, before = polls.find(place)
                    if answer is not None:
                        return HttpResponse(answer.body, content_type=answer.content_type)
                if request.method not in methods:
                    raise ApiError(404, f"Invalid request method or path: {request.method} "
                                        f"{request.path} (use {' or '.join(methods)})")
                if not public:
                    key = auth.key_from(request, alongside and alongside(request),
                                        window=auth.window() if creates else None)
                    if key is None:
                        raise ApiError(401, "Unauthorized: send a valid API key as "
                                            "'Authorization: Bearer <key>'")
                    request.api_key, request.user = key, key.owner
                    if creates:  # counted in the create's transaction, or at the end
                        request.create_count = count = auth.CreateCount(key)
                        if count.refused_already():
                            raise ApiError(429, auth.refusal())
                response = view(request, *args, **kwargs)
                if before is not None:
                    polls.keep(place, before, response.content, response["Content-Type"])
                return response
            except ApiError as problem:
                return error(dialect, problem.code, problem.message)
            except RuleError as problem:
                labels = getattr(problem, "labels", None)
                return error(dialect, rule_code(problem, dialect), rule_message(problem, labels))
            except RequestDataTooBig:
                return error(dialect, 413, "The request body is over Studio's limit of "
                             f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} KB "
                             "(files go to the upload endpoints)")
            except (SuspiciousOperation, BadRequest, MultiPartParserError) as problem:
                log.info("API %s %s: malformed request: %s", request.method, request.path,
                         problem)
                return error(dialect, 422 if dialect == V1 else 400,
                             "The request body could not be read: it is malformed or has "
                             "too many fields")
            except Exception as problem:
                # The detail (a locked database, a full disk) is for the log, not the client.
                log.exception("API %s %s failed", request.method, request.path)
                return error(dialect, 500, f"Server error: {failures.in_words(problem)[0]}")
            finally:
                if count is not None:
                    try:
                        count.settle()
                    except Exception:  # the answer stands; the database says why in the log
                        log.exception("API %s %s: counting the create failed",
                                      request.method, request.path)

        return login_not_required(csrf_exempt(wrapper))

    return decorate
