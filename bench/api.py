"""Benchmark the JSON API: sustained creates (POST /api/v1/generate) and polls
(GET /api/v1/generate/record-info) per second, each as a ratio to a trivial Django view
measured in the same run, through Django's full request stack (middleware, key check, rate
limiter, rules, database writes, enqueue). Prints numbers; asserts nothing.

    STUDIO_NO_BOOTSTRAP=1 .venv/bin/python bench/api.py [--seconds 5]

Runs in a temporary data directory (its own SQLite database), so it never touches var/.
Creates are queued to the ORM broker with no worker running: the cost measured is the
API's, not the engine's. The rate limit is raised out of the way (its own cost, one UPDATE
per create, is still paid).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = tempfile.TemporaryDirectory(prefix="studio-bench-api-")
os.environ["STUDIO_DATA_DIR"] = DATA.name
os.environ["STUDIO_API_RATE"] = "1000000000/10"
os.environ["STUDIO_JOBS_SYNC"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.decorators import login_not_required  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402


@login_not_required
def trivial(request):
    return HttpResponse("ok")


@login_not_required
def one_query(request):
    from django.contrib.auth import get_user_model
    return HttpResponse(str(get_user_model().objects.count()))


# This module is the URLconf while benchmarking: Studio's URLs plus two reference views.
urlpatterns = [path("bench/trivial/", trivial), path("bench/one-query/", one_query),
               path("", include("studio.urls"))]

BODY = json.dumps({"customMode": True, "instrumental": False, "model": "V4_5",
                   "style": "synthwave, upbeat", "title": "Night Drive",
                   "prompt": "[Verse]\nCity lights are calling\n[Chorus]\nRun into the light",
                   "callBackUrl": "https://hooks.example.com/studio", "styleWeight": 0.6})


def sustained(fn, seconds: float) -> float:
    """Requests per second of `fn` over `seconds`, after a warm-up."""
    for _ in range(20):
        fn()
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn()
        count += 1
    return count / elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5.0)
    a = ap.parse_args()
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["*"]

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from studio.api import outbound
    from studio.api.models import ApiKey

    call_command("migrate", verbosity=0)
    logging.getLogger("django-q").setLevel(logging.WARNING)
    # No outside world: the callBackUrl's name is checked leniently and does not resolve.
    outbound.resolve = lambda host, port: (_ for _ in ()).throw(OSError("offline bench"))
    user = get_user_model().objects.create_user("bench", password="bench-passphrase")
    headers = {"Authorization": f"Bearer {ApiKey.issue(user, 'bench')[1]}"}
    client = Client()
    made = []

    def trivial_view():
        assert client.get("/bench/trivial/").status_code == 200

    def one_query_view():
        assert client.get("/bench/one-query/").status_code == 200

    def create():
        answer = client.post("/api/v1/generate", BODY, content_type="application/json",
                             headers=headers).json()
        assert answer["code"] == 200, answer
        made.append(answer["data"]["taskId"])

    def poll():
        task_id = made[len(made) // 2]
        answer = client.get("/api/v1/generate/record-info", {"taskId": task_id},
                            headers=headers).json()
        assert answer["code"] == 200, answer

    def create_then_poll():
        create()
        answer = client.get("/api/v1/generate/record-info", {"taskId": made[-1]},
                            headers=headers).json()
        assert answer["data"]["status"] == "PENDING"

    print(f"Studio API benchmark, {a.seconds:.0f} s per measurement, "
          f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    base = sustained(trivial_view, a.seconds)
    print(f"  trivial view            {base:8.0f} req/s   1.00")
    reference = sustained(one_query_view, a.seconds)
    print(f"  one-query view          {reference:8.0f} req/s   {reference / base:.2f} of trivial"
          "   (a database connection per request, as CONN_MAX_AGE=0)")
    for name, fn, per in (("create (v1 generate)", create, 1),
                          ("record-info", poll, 1),
                          ("create + record-info", create_then_poll, 2)):
        rate = sustained(fn, a.seconds)
        print(f"  {name:22s}  {rate * per:8.0f} req/s   {rate * per / base:.2f} of trivial"
              + (f"   ({rate:.0f} pairs/s)" if per == 2 else ""))
    print(f"  ({len(made)} generations queued)")


if __name__ == "__main__":
    main()
