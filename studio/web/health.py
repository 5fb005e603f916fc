"""`/healthz`: is this Studio able to take and finish work? For load balancers, uptime
monitors and an operator at 3 a.m.

Five checks, each "ok" or "failing": the database answers; the broker answers; a worker
cluster has reported in (django-q2's own heartbeat: each cluster's sentinel saves its status
every half second, kept for 3 s, in the broker's Redis or in the "jobs" cache); the queue is
not piling up; the media disk has room (and, with S3 media, the bucket answers). Any
failing check makes the answer 503.

Anonymous callers (a load balancer) get the words alone: no paths, hosts, versions, numbers
or errors. Staff who are signed in, or a caller with `Authorization: Bearer
<STUDIO_HEALTH_TOKEN>`, get the details.
"""
from __future__ import annotations

import hmac
import shutil
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

OK, FAILING = "ok", "failing"
# The newest heartbeat seen, kept so a dead cluster's last sign of life can be told.
LAST_SEEN_KEY = "studio:health:last-heartbeat"
LAST_SEEN_KEPT = 7 * 24 * 3600  # a week: a queue name no longer used leaves nothing behind


def _database() -> tuple[str, dict]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as problem:  # any failure of the database is a failing check
        return FAILING, {"error": f"{type(problem).__name__}: {problem}"}
    return OK, {"vendor": connection.vendor}


def _broker():
    from django_q.brokers import get_broker

    return get_broker()


def _broker_check(broker) -> tuple[str, dict, int | None]:
    """(word, details, queue depth or None)."""
    try:
        if broker is None:
            broker = _broker()
        broker.ping()
        depth = broker.queue_size()
    except Exception as problem:
        return FAILING, {"error": f"{type(problem).__name__}: {problem}"}, None
    return OK, {"kind": broker.info()}, depth


def _worker(broker) -> tuple[str, dict]:
    from django_q.conf import Conf
    from django_q.status import Stat

    try:
        # A cluster starting up has no workers yet; one stopping takes none of the queue.
        live = [s for s in Stat.get_all(broker) if s.status in (Conf.IDLE, Conf.WORKING)]
    except Exception as problem:
        return FAILING, {"error": f"{type(problem).__name__}: {problem}"}
    now = timezone.now()
    cache = caches["jobs"]
    if live:
        newest = max(s.timestamp for s in live)
        cache.set(LAST_SEEN_KEY, newest.isoformat(), LAST_SEEN_KEPT)
    else:
        seen = cache.get(LAST_SEEN_KEY)
        newest = datetime.fromisoformat(seen) if seen else None
    age = (now - newest).total_seconds() if newest else None
    details = {"clusters": len(live), "workers": sum(len(s.workers) for s in live),
               "hosts": sorted({s.host for s in live}),
               "newest_heartbeat": newest.isoformat() if newest else None,
               "heartbeat_age_seconds": round(age, 1) if age is not None else None}
    fresh = live and age is not None and age <= settings.STUDIO_HEALTH_HEARTBEAT_AGE
    return (OK if fresh else FAILING), details


def _queue(depth: int | None) -> tuple[str, dict]:
    if depth is None:
        return FAILING, {"error": "the broker did not answer"}
    limit = settings.STUDIO_HEALTH_MAX_QUEUE
    return (OK if depth <= limit else FAILING), {"depth": depth, "limit": limit}


def _disk() -> tuple[str, dict]:
    path = Path(settings.MEDIA_ROOT)
    while not path.exists() and path != path.parent:  # not made yet: where it will be made
        path = path.parent
    try:
        usage = shutil.disk_usage(path)
    except OSError as problem:
        return FAILING, {"error": f"{type(problem).__name__}: {problem}"}
    minimum = settings.STUDIO_HEALTH_MIN_FREE_MB
    free_mb = usage.free // (1 << 20)
    return (OK if free_mb >= minimum else FAILING), {
        "path": str(settings.MEDIA_ROOT), "free_mb": free_mb, "minimum_mb": minimum}


def _bucket() -> tuple[str, dict]:
    from django.core.files.storage import default_storage

    where = {"bucket": settings.STUDIO_S3_BUCKET, "endpoint": settings.STUDIO_S3_ENDPOINT or "AWS"}
    try:
        default_storage.connection.meta.client.head_bucket(Bucket=settings.STUDIO_S3_BUCKET)
    except Exception as problem:  # unreachable, refused or missing: media cannot be stored
        return FAILING, {**where, "error": f"{type(problem).__name__}: {problem}"}
    return OK, where


def _may_see_details(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    token = settings.STUDIO_HEALTH_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode())


def report() -> tuple[bool, dict]:
    """(healthy, {check: (word, details)})."""
    try:
        broker = _broker()
    except Exception:
        broker = None
    database = _database()
    broker_word, broker_details, depth = _broker_check(broker)
    checks = {"database": database, "broker": (broker_word, broker_details),
              "worker": _worker(broker) if broker is not None else (FAILING, {}),
              "queue": _queue(depth), "disk": _disk()}
    if settings.S3_MEDIA:
        checks["bucket"] = _bucket()
    return all(word == OK for word, _ in checks.values()), checks


@login_not_required
@never_cache
@require_safe
def healthz(request):
    healthy, checks = report()
    body = {"status": OK if healthy else FAILING,
            "checks": {name: word for name, (word, _) in checks.items()}}
    if _may_see_details(request):
        body["details"] = {name: details for name, (_, details) in checks.items()}
    return JsonResponse(body, status=200 if healthy else 503)
