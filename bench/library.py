"""Benchmark the library: the library page's server time and query count for libraries of
100, 10,000 and 100,000 tracks (first page, next pages by cursor, search hit and miss,
liked only, sorted), each beside other owners' rows, with the ratio of each to the 100-track
figure; and HTTP Range throughput through the audio view against reading the file directly.
Prints numbers; asserts nothing.

    STUDIO_NO_BOOTSTRAP=1 .venv/bin/python bench/library.py [--tracks 100,10000,100000]
        [--others 0.5] [--repeat 15] [--mb 64] [--no-range]

Runs in a temporary data directory (its own SQLite database and media), so it never
touches var/. With DATABASE_URL it fills that database instead: give it one of its own
(`createdb studio_bench`), never a database whose rows matter.
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

from bench import measure  # noqa: E402


def trivial(request):
    return HttpResponse("ok")


# This module is the URLconf while benchmarking: Studio's URLs plus one trivial view.
urlpatterns = [path("bench/trivial/", trivial), path("", include("studio.urls"))]


def median_ms(fn, repeat: int) -> float:
    fn()  # warm: templates compiled, connections open
    return measure.median_ms(fn, repeat)


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


WORDS = ("sun moon river fire stone light shadow dream night morning rain wind heart road "
         "city garden mirror echo silver golden winter summer ocean valley storm dust glass "
         "paper thunder velvet neon candle window forest desert island bridge station").split()
ADJECTIVES = "quiet broken electric lonely wild gentle hollow bright distant secret".split()
STYLES = ["folk, acoustic", "synthwave, upbeat", "lofi hip hop", "jazz, smoky", "metal, heavy",
          "ambient, dreamy", "bossa nova", "house, 124 bpm"]
HIT, COMMON, MISS = "harb", "sea", "zebra"  # ~30 titles at every size; 1 in 4 lyrics; none
LIKED = 50  # liked tracks per library, whatever its size


def fill(owner, count: int, template=None):
    """`count` tracks, two per generation, sharing one real MP3 and cover; bulk-inserted.
    Their words vary (titles from ~400 pairs, lyrics from a 38-word vocabulary), "harbour"
    is in about 30 titles whatever the size, "sea" in a quarter of the lyrics, and LIKED
    tracks are liked."""
    import random
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone
    from PIL import Image

    from studio.generation.models import Generation, Status
    from studio.library.models import Track

    if template is None:
        first = Generation.objects.create(owner=owner, status=Status.SUCCESS, params={})
        template = Track(owner=owner, generation=first, variation=0, title="Template",
                         duration=2.0, peaks=[0.5] * 200)
        template.audio.save("audio.mp3", ContentFile(mp3_bytes()), save=False)
        cover = io.BytesIO()
        Image.new("RGB", (512, 512), (200, 90, 60)).save(cover, "PNG")
        template.cover.save("cover.png", ContentFile(cover.getvalue()), save=False)
        template.save()
    rng = random.Random(count)
    now = timezone.now()
    hit_every, liked_every = max(1, count // 30), max(1, count // LIKED)
    for start in range(0, count, 5000):
        n = min(5000, count - start)
        gens = Generation.objects.bulk_create([
            Generation(owner=owner, status=Status.SUCCESS,
                       params={"prompt": f"idea {start + i}", "style": STYLES[i % 8]})
            for i in range((n + 1) // 2)], batch_size=1000)
        tracks = []
        for i in range(n):
            k = start + i
            title = f"{rng.choice(ADJECTIVES)} {rng.choice(WORDS)}".title()
            if k % hit_every == 0:
                title = f"Harbour {title}"
            verse = [" ".join(rng.choices(WORDS, k=6)) for _ in range(8)]
            if k % 4 == 0:
                verse[3] += " by the sea"
            tracks.append(Track(
                owner=owner, generation=gens[i // 2], variation=i % 2, title=title,
                style=STYLES[k % 8], lyrics="[Verse]\n" + "\n".join(verse),
                duration=60 + k % 180, peaks=[0.5] * 200, model_name="V4_5",
                audio=template.audio.name, cover=template.cover.name,
                liked_at=now - timedelta(seconds=k) if k % liked_every == 0 else None,
                created_at=now - timedelta(seconds=k)))
        Track.objects.bulk_create(tracks, batch_size=1000)
    return template


VIEWS = ("first page", "next page (cursor)", "deep page (cursor)", f"search hit '{HIT}'",
         f"search miss '{MISS}'", "liked only", "search hit, by title", "sorted by title",
         f"common word '{COMMON}'")
# Every view is held to the goal, the common word too: a word in a quarter of all lyrics has
# 25,000 matches at 100,000 tracks, and "best match first" must not read them all for a page.


def library_bench(sizes: list[int], repeat: int, others: float) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from studio.library.browse import paginate
    from studio.library.models import Track

    print(f"Library page (server time through the Django test client, median of {repeat})")
    print(f"{'tracks':>8} {'view':<26} {'ms':>8} {'queries':>8} {'vs trivial':>11} "
          f"{'vs ' + str(sizes[0]):>9}")
    results, plans = {}, {}
    template = None
    for size in sizes:
        owner = make_owner(f"bench{size}")
        t = time.perf_counter()
        template = fill(owner, size, template)
        # Other creators' rows (--others times as many), over three owners, same words.
        for n in range(3):
            template = fill(make_owner(f"other{size}-{n}"), int(size * others / 3), template)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # what autovacuum does after a bulk load
                cursor.execute("ANALYZE")
        built = time.perf_counter() - t
        client = Client()
        client.force_login(owner)
        mine = Track.objects.owned_by(owner).kept().for_grid()
        second = paginate(mine, "newest").next_cursor
        cursor = ""
        for _ in range(min(20, size // 24 - 1)):  # still a full page of cards
            cursor = paginate(mine, "newest", cursor).next_cursor or cursor
        urls = dict(zip(VIEWS, ["/", f"/?cursor={second}", f"/?cursor={cursor}", f"/?q={HIT}",
                                f"/?q={MISS}", "/?liked=on", f"/?q={HIT}&sort=title",
                                "/?sort=title", f"/?q={COMMON}"], strict=True))
        plans[size] = (client, dict(urls))
        urls["trivial view"] = "/bench/trivial/"
        timings = {label: [] for label in urls}
        for _ in range(3):  # warm: templates compiled, pages cached by the database
            for url in urls.values():
                client.get(url)
        for _ in range(repeat):  # round-robin, so a busy moment of the machine hits every view
            for label, url in urls.items():
                t = time.perf_counter()
                client.get(url)
                timings[label].append(time.perf_counter() - t)
        trivial_ms = statistics.median(timings.pop("trivial view")) * 1000
        for label, url in urls.items():
            if label == "trivial view":
                continue
            ms = statistics.median(timings[label]) * 1000
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            results[(size, label)] = ms
            ratio = ms / results[(sizes[0], label)]
            print(f"{size:>8} {label:<26} {ms:>8.2f} {len(queries):>8} "
                  f"{ms / trivial_ms:>10.1f}x {ratio:>8.2f}x")
        print(f"{size:>8} {'trivial view':<26} {trivial_ms:>8.2f} {'':>8} {'1.0x':>11}"
              f"   (built in {built:.0f} s)")
    if len(sizes) < 2:
        return
    print(f"\nRatio against {sizes[0]} tracks, each size timed just after it was built:")
    _ratios(sizes, results)
    # The machine is shared: its load drifts over the minutes between sizes. Timed again, all
    # sizes in turn, each library's pages meet the same moments of that load.
    timings = {key: [] for key in results}
    for _ in range(repeat):
        for size, (client, urls) in plans.items():
            for label, url in urls.items():
                t = time.perf_counter()
                client.get(url)
                timings[(size, label)].append(time.perf_counter() - t)
    again = {key: statistics.median(times) * 1000 for key, times in timings.items()}
    print(f"\nTimed again, all sizes in turn (median of {repeat}, ms):")
    print(f"  {'view':<26}" + "".join(f"{n:>10}" for n in sizes))
    for label in VIEWS:
        print(f"  {label:<26}" + "".join(f"{again[(n, label)]:>10.2f}" for n in sizes))
    print(f"Ratio against {sizes[0]} tracks (goal: every view within 1.50x):")
    _ratios(sizes, again)


def _ratios(sizes, results) -> None:
    print(f"  {'view':<26}" + "".join(f"{n:>10}" for n in sizes[1:]))
    for label in VIEWS:
        ratios = [results[(n, label)] / results[(sizes[0], label)] for n in sizes[1:]]
        print(f"  {label:<26}" + "".join(f"{r:>9.2f}x" for r in ratios))


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
    ap.add_argument("--tracks", default="100,10000,100000")
    ap.add_argument("--others", type=float, default=0.5,
                    help="other owners' rows, as a multiple of each library's size")
    ap.add_argument("--mb", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--no-range", action="store_true", help="the library page only")
    a = ap.parse_args()
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"Database: {settings.DATABASES['default']['ENGINE']}  (data in {DATA.name})\n")
    library_bench([int(n) for n in a.tracks.split(",")], a.repeat, a.others)
    if not a.no_range:
        range_bench(a.mb, max(3, a.repeat // 3))


if __name__ == "__main__":
    main()
