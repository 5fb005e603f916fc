"""Benchmark the library: the library page's server time and query count at 100 and at
10,000 tracks (their ratio, and against a trivial view), and HTTP Range throughput through
the audio view against reading the file directly. Prints numbers; asserts nothing.

    STUDIO_NO_BOOTSTRAP=1 .venv/bin/python bench/library.py [--tracks 100,10000] [--mb 64]

Runs in a temporary data directory (its own SQLite database and media), so it never
touches var/.
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = tempfile.TemporaryDirectory(prefix="studio-bench-")
os.environ["STUDIO_DATA_DIR"] = DATA.name
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402


def trivial(request):
    return HttpResponse("ok")


# This module is the URLconf while benchmarking: Studio's URLs plus one trivial view.
urlpatterns = [path("bench/trivial/", trivial), path("", include("studio.urls"))]


def median_ms(fn, repeat: int) -> float:
    fn()  # warm: templates compiled, connections open
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def make_owner(name: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=name, password="bench-passphrase")


def mp3_bytes(seconds: float = 2.0) -> bytes:
    import numpy as np
    from pedalboard.io import AudioFile

    t = np.arange(int(seconds * 44100)) / 44100
    tone = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    buffer = io.BytesIO()
    with AudioFile(buffer, "w", 44100, 2, format="mp3", quality=128) as out:
        out.write(np.stack([tone, tone]))
    return buffer.getvalue()


def fill(owner, count: int):
    """`count` tracks, two per generation, sharing one real MP3 and cover."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone
    from PIL import Image

    from studio.generation.models import Generation, Status
    from studio.library.models import Track

    first = Generation.objects.create(owner=owner, status=Status.SUCCESS, params={})
    template = Track(owner=owner, generation=first, variation=0, title="Template",
                     duration=2.0, peaks=[0.5] * 200)
    template.audio.save("audio.mp3", ContentFile(mp3_bytes()), save=False)
    cover = io.BytesIO()
    Image.new("RGB", (512, 512), (200, 90, 60)).save(cover, "PNG")
    template.cover.save("cover.png", ContentFile(cover.getvalue()), save=False)
    template.save()
    now = timezone.now()
    styles = ["folk, acoustic", "synthwave, upbeat", "lofi hip hop", "jazz, smoky"]
    for start in range(0, count - 1, 2000):
        n = min(2000, count - 1 - start)
        gens = Generation.objects.bulk_create([
            Generation(owner=owner, status=Status.SUCCESS,
                       params={"prompt": f"idea {start + i}", "style": styles[i % 4]})
            for i in range((n + 1) // 2)])
        Track.objects.bulk_create([
            Track(owner=owner, generation=gens[i // 2], variation=i % 2,
                  title=f"Song {start + i:05d}", style=styles[i % 4],
                  lyrics="[Verse]\n" + "words of a song about the sea\n" * 12,
                  duration=60 + (start + i) % 180, peaks=[0.5] * 200,
                  audio=template.audio.name, cover=template.cover.name,
                  created_at=now - timedelta(seconds=start + i)) for i in range(n)],
            batch_size=1000)


def library_bench(sizes: list[int], repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    print("Library page (server time through the Django test client, median)")
    print(f"{'tracks':>8} {'view':<26} {'ms':>8} {'queries':>8} {'vs trivial':>11}")
    results = {}
    for size in sizes:
        owner = make_owner(f"bench{size}")
        fill(owner, size)
        client = Client()
        client.force_login(owner)
        trivial_ms = median_ms(lambda client=client: client.get("/bench/trivial/"), repeat)
        # A page deep into the library: follow "load more" a few times, then time that page.
        from studio.library.browse import paginate
        from studio.library.models import Track

        cursor = ""
        for _ in range(min(20, size // 24 - 1)):  # still a full page of cards
            cursor = paginate(Track.objects.owned_by(owner).for_grid(), "newest", cursor
                              ).next_cursor or cursor
        views = {"first page": "/", "search 'sea' (lyrics)": "/?q=sea",
                 "search, no match (scan)": "/?q=zebra",
                 "sorted by title": "/?sort=title", "deep page (cursor)": f"/?cursor={cursor}"}
        for label, url in views.items():
            ms = median_ms(lambda client=client, url=url: client.get(url), repeat)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            results[(size, label)] = ms
            print(f"{size:>8} {label:<26} {ms:>8.2f} {len(queries):>8} "
                  f"{ms / trivial_ms:>10.1f}x")
        print(f"{size:>8} {'trivial view':<26} {trivial_ms:>8.2f} {'':>8} {'1.0x':>11}")
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(f"\nRatio {large} / {small} tracks:")
        for label in ("first page", "search 'sea' (lyrics)", "search, no match (scan)",
                      "sorted by title", "deep page (cursor)"):
            print(f"  {label:<26} {results[(large, label)] / results[(small, label)]:.2f}x")


def range_bench(megabytes: int, repeat: int) -> None:
    from django.core.files.base import ContentFile
    from django.test import Client

    from studio.generation.models import Generation, Status
    from studio.library.models import Track

    owner = make_owner("rangebench")
    generation = Generation.objects.create(owner=owner, status=Status.SUCCESS, params={})
    track = Track(owner=owner, generation=generation, variation=0, title="Big", duration=1.0)
    track.audio.save("big.mp3", ContentFile(os.urandom(megabytes << 20)), save=False)
    track.save()
    client = Client()
    client.force_login(owner)
    url, size, chunk = f"/tracks/{track.pk}/audio.mp3", megabytes << 20, 1 << 20

    def through_view():
        for start in range(0, size, chunk):
            response = client.get(url, HTTP_RANGE=f"bytes={start}-{start + chunk - 1}")
            assert response.status_code == 206
            for _ in response.streaming_content:
                pass
            response.close()

    def direct():
        with open(track.audio.path, "rb") as fh:
            for start in range(0, size, chunk):
                fh.seek(start)
                fh.read(chunk)

    def tiny_ranges():  # the same number of requests, one byte each: the fixed cost
        for start in range(0, size, chunk):
            response = client.get(url, HTTP_RANGE=f"bytes={start}-{start}")
            for _ in response.streaming_content:
                pass
            response.close()

    view_ms = median_ms(through_view, repeat)
    tiny_ms = median_ms(tiny_ranges, repeat)
    direct_ms = median_ms(direct, repeat)
    view_rate, direct_rate = megabytes / (view_ms / 1000), megabytes / (direct_ms / 1000)
    print(f"\nRange requests: {megabytes} MB in 1 MB ranges ({megabytes} requests), median "
          f"of {repeat}")
    print(f"  through the audio view (owner check + Range): {view_rate:9.0f} MB/s "
          f"({view_ms / megabytes:.2f} ms per request)")
    print(f"  reading the file directly:                    {direct_rate:9.0f} MB/s")
    print(f"  view / direct: {view_rate / direct_rate:.3f} of direct throughput")
    per_request = tiny_ms / megabytes
    bytes_ms = max(view_ms - tiny_ms, 1e-6)
    print(f"  of which fixed per-request cost (1-byte ranges: session, owner query, "
          f"headers): {per_request:.2f} ms;")
    if view_ms - tiny_ms > 0.05 * view_ms:
        print(f"  moving the bytes alone: {megabytes / (bytes_ms / 1000):.0f} MB/s.")
    else:
        print("  moving the bytes is lost in the noise of the per-request cost.")
    print("  With STUDIO_SENDFILE the front server moves the bytes instead.")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tracks", default="100,10000")
    ap.add_argument("--mb", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=15)
    a = ap.parse_args()
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"Database: {settings.DATABASES['default']['ENGINE']}  (data in {DATA.name})\n")
    library_bench([int(n) for n in a.tracks.split(",")], a.repeat)
    range_bench(a.mb, max(3, a.repeat // 3))


if __name__ == "__main__":
    main()
