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
from collections.abc import Mapping

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from studio.generation.rules import RuleError

from . import auth

log = logging.getLogger("studio.api")
V1, LEGACY = "v1", "legacy"
MAX_BODY = 1024 * 1024  # a JSON create body is a few KB; lyrics top out near 5,000 chars


class ApiError(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code, self.message = code, message


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


def v1(data=None, *, code: int = 200, msg: str = "success") -> JsonResponse:
    return JsonResponse({"code": code, "msg": msg, "data": data},
                        json_dumps_params={"ensure_ascii": False})


def legacy(code: int = 200, message: str | None = None, **fields) -> JsonResponse:
    body = {"code": code, **fields}
    if message is not None:
        body["message"] = message
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def error(dialect: str, code: int, message: str) -> JsonResponse:
    if dialect == V1:
        return v1(None, code=code, msg=message)
    return legacy(code, message, task_id=None)


def body(request, dialect: str) -> dict:
    """The request's JSON object (a form-encoded body is accepted too)."""
    invalid = 422 if dialect == V1 else 400
    if len(request.body) > MAX_BODY:
        raise ApiError(413, f"The request body is over {MAX_BODY // 1024} KB")
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return {name: request.POST.get(name) for name in request.POST}
    if not request.body.strip():
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(invalid, "The request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(invalid, "The request body must be a JSON object")
    return data


def endpoint(*methods: str, dialect: str = V1, creates: bool = False, public: bool = False):
    """An API view: method check, bearer key (request.api_key, request.user), the rate limit
    for creates, and every failure as the dialect's envelope — never an HTML page."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                if request.method not in methods:
                    raise ApiError(404, f"Invalid request method or path: {request.method} "
                                        f"{request.path} (use {' or '.join(methods)})")
                if not public:
                    key = auth.key_from(request)
                    if key is None:
                        raise ApiError(401, "Unauthorized: send a valid API key as "
                                            "'Authorization: Bearer <key>'")
                    request.api_key, request.user = key, key.owner
                    if creates and not auth.allow_create(key):
                        limit, seconds = auth.rate()
                        raise ApiError(429, f"Rate limited: at most {limit} creates per "
                                            f"{seconds} s per key; try again shortly")
                return view(request, *args, **kwargs)
            except ApiError as problem:
                return error(dialect, problem.code, problem.message)
            except RuleError as problem:
                labels = getattr(problem, "labels", None)
                return error(dialect, rule_code(problem, dialect), rule_message(problem, labels))
            except Exception:
                log.exception("API %s %s failed", request.method, request.path)
                return error(dialect, 500, "Server error: Studio hit an internal error; "
                                           "it has been logged")

        return login_not_required(csrf_exempt(wrapper))

    return decorate
