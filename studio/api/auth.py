"""Who is calling (the bearer key) and whether they may create again (the rate limit)."""
from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .models import ApiKey, RateWindow, hash_key

# last_used_at is a courtesy on the keys page: write it at most once a minute per key.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def key_from(request) -> ApiKey | None:
    """The active key in `Authorization: Bearer <key>`, or None.

    A bare key without the word Bearer is accepted too: some legacy clients send it so.
    """
    header = request.headers.get("Authorization", "").strip()
    scheme, _, value = header.partition(" ")
    raw = value.strip() if scheme.lower() == "bearer" else header
    if not raw or len(raw) > 200:
        return None
    key = (ApiKey.objects.active().select_related("owner").filter(hashed=hash_key(raw))
           .first())
    if key is None or not key.owner.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_GRANULARITY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


def rate() -> tuple[int, int]:
    """(creates allowed, window seconds) from STUDIO_API_RATE, e.g. "20/10"."""
    count, _, seconds = settings.STUDIO_API_RATE.partition("/")
    return int(count), int(seconds or 10)


def allow_create(key: ApiKey) -> bool:
    """Count one create against `key`'s current window; False if that is over the limit.

    A fixed window counted in the database, so every web process shares it. The increment
    is an UPDATE of one row, which the database serialises, so two concurrent requests
    cannot both see room for one more.
    """
    limit, seconds = rate()
    if limit <= 0:
        return True
    window = int(time.time()) // seconds
    with transaction.atomic():
        moved = RateWindow.objects.filter(key=key, window=window).update(
            count=models.F("count") + 1)
        if not moved:
            try:
                with transaction.atomic():
                    RateWindow.objects.create(key=key, window=window, count=1)
            except IntegrityError:  # a concurrent request opened the window first
                RateWindow.objects.filter(key=key, window=window).update(
                    count=models.F("count") + 1)
            else:
                # A new window: forget this key's old ones.
                RateWindow.objects.filter(key=key, window__lt=window).delete()
        count = RateWindow.objects.filter(key=key, window=window).values_list(
            "count", flat=True).get()
    return count <= limit
