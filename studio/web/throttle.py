"""Limits on what costs a password hash or an email: failed sign-ins per account and per
address, sign-ups and password-reset requests per address.

Counted in the database (web.Attempt), so every web process sees the same count. A refused
attempt is answered before any password is hashed: a guesser spends Studio's CPU on five
tries, not forty.
"""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import Attempt

LOGIN, SIGNUP, RESET = Attempt.Kind.FAILED_LOGIN, Attempt.Kind.SIGNUP, Attempt.Kind.RESET
KEPT_FOR = timedelta(days=1)


def _limits(kind) -> tuple[int | None, int, timedelta]:
    """(per account, per address, window) for `kind`."""
    if kind == LOGIN:
        per_account = settings.STUDIO_LOGIN_FAILURES
        return per_account, 4 * per_account, timedelta(minutes=15)
    return None, 10, timedelta(hours=1)


def address(request) -> str:
    """The client's address: behind STUDIO_SECURE_PROXY, the one the proxy saw (the last
    X-Forwarded-For entry, which the proxy itself appended)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


def account_of(name: str) -> str:
    return name.strip().lower()[:150]


def wait(kind, request, account: str = "") -> int:
    """Seconds until `kind` is allowed again for this account and address; 0: now."""
    per_account, per_address, window = _limits(kind)
    since = timezone.now() - window
    recent = Attempt.objects.filter(kind=kind, at__gte=since)
    counts = [(recent.filter(address=address(request)), per_address)]
    if per_account and account:
        counts.append((recent.filter(account=account), per_account))
    for attempts, limit in counts:
        times = list(attempts.order_by("-at").values_list("at", flat=True)[:limit])
        if len(times) >= limit:
            return max(1, int((times[-1] + window - timezone.now()).total_seconds()) + 1)
    return 0


def record(kind, request, account: str = "") -> None:
    Attempt.objects.create(kind=kind, account=account, address=address(request))
    Attempt.objects.filter(at__lt=timezone.now() - KEPT_FOR).delete()


def forget(kind, account: str) -> None:
    """A right password clears the account's failures (not the address's)."""
    Attempt.objects.filter(kind=kind, account=account).delete()


def in_words(seconds: int) -> str:
    minutes = (seconds + 59) // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
