"""kie's webhook verification (suno_api.md §4.1): with a webhook HMAC key set on the
connection, a callback counts only if it carries `X-Webhook-Timestamp` (unix seconds, within
MAX_SKEW of now) and `X-Webhook-Signature` = base64(HMAC-SHA256(key, task_id + "." +
timestamp)), task_id being the body's `data.task_id`. Studio signs its own callbacks the same
way (api/callbacks.sign), so the one function makes and checks the signature."""
from __future__ import annotations

import hmac
import time

from studio.api.callbacks import sign

MAX_SKEW = 300  # seconds a signed callback may be early or late: a replay window of ±5 min


class Refused(Exception):
    """The callback is not the vendor's, or not now: it changes nothing."""


def verify(key: str, payload, headers, *, now: float | None = None) -> None:
    """Return if the callback is signed with `key` and fresh; else Refused, saying why."""
    timestamp = headers.get("X-Webhook-Timestamp", "").strip()
    signature = headers.get("X-Webhook-Signature", "").strip()
    if not timestamp or not signature:
        raise Refused("the callback carries no X-Webhook-Timestamp / X-Webhook-Signature")
    if not timestamp.isdigit():
        raise Refused("X-Webhook-Timestamp is not unix seconds")
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_SKEW:
        raise Refused(f"X-Webhook-Timestamp is more than {MAX_SKEW // 60} minutes from now")
    data = payload.get("data") if isinstance(payload, dict) else None
    task_id = data.get("task_id") if isinstance(data, dict) else None
    if not isinstance(task_id, str) or not task_id:
        raise Refused("the callback names no data.task_id to check the signature against")
    expected = sign(key, task_id, timestamp)
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise Refused("X-Webhook-Signature does not match")
