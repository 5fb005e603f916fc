"""Benchmark the hot paths: sustained creates (POST /api/v1/generate), polls
(GET /api/v1/generate/record-info) and signed-in 1-byte Range requests of a track's audio
(the fixed cost of every seek), each against a trivial Django view measured in the same run,
through Django's full request stack (middleware, key or session check, rate limiter, rules,
database writes, enqueue). Prints the median of --runs runs; asserts nothing.

A poll of a task unchanged since the last poll is answered from memory (studio.api.polls):
"record-info". "record-info, changed" is the poll after any change to the database, which
reads it (one query with the key).

On PostgreSQL it also times one round trip to the server, back to back and after 1 ms of
other work: what each of a create's round trips costs inside a request.

    STUDIO_NO_BOOTSTRAP=1 .venv/bin/python bench/api.py [--seconds 2] [--runs 5] [--server]

With --server the same requests (less the one-query view and the changed poll, which only
this process can stage) are then served through gunicorn, one worker with one thread, over
loopback HTTP: a production server's request, its HTTP parsing and socket included. Timed
there by the worker process's CPU time (/proc), which no client's own work enters, and by
the wall time at the client (which httpx's own work does).

Runs in a temporary data directory (its own SQLite database), so it never touches var/.
With DATABASE_URL (and REDIS_URL) it runs on that database and broker instead: give it a
database of its own, as it migrates it and leaves its rows there.
Creates are queued to the ORM broker with no worker running: the cost measured is the
API's, not the engine's. The rate limit is raised out of the way (its own cost, one UPDATE
per create, is still paid).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # reference_site and measure, beside this file
DATA = tempfile.TemporaryDirectory(prefix="studio-bench-api-")
os.environ["STUDIO_DATA_DIR"] = DATA.name
os.environ["STUDIO_API_RATE"] = "1000000000/10"
os.environ["STUDIO_JOBS_SYNC"] = "0"
# A queue of its own, emptied at the end: on a shared Redis no worker runs the bench's jobs.
os.environ["STUDIO_QUEUE_NAME"] = f"studio-bench-{os.getpid()}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")

import django  # noqa: E402

django.setup()

import reference_site  # noqa: E402  (bench/, beside this file: the URLconf with the baseline)
from django.conf import settings  # noqa: E402

BODY = json.dumps({"customMode": True, "instrumental": False, "model": "V4_5",
                   "style": "synthwave, upbeat", "title": "Night Drive",
                   "prompt": "[Verse]\nCity lights are calling\n[Chorus]\nRun into the light",
                   "callBackUrl": "https://hooks.example.com/studio", "styleWeight": 0.6})


def sustained(fn, seconds: float, cpu_time=time.process_time) -> tuple[float, float]:
    """(wall-clock ms, CPU ms) per call of `fn` over `seconds`, after a warm-up. CPU time is
    `cpu_time`'s, by default this process's alone: on a machine shared with other work it
    moves less than wall time (the database's own work runs in this process too, for
    SQLite)."""
    for _ in range(20):
        fn()
    count, start, cpu = 0, time.perf_counter(), cpu_time()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn()
        count += 1
    return elapsed * 1000 / count, (cpu_time() - cpu) * 1000 / count


def timed(measures, runs: int, seconds: float, cpu_time=time.process_time):
    """({name: wall ms per run}, {name: CPU ms per run}) of `measures`, each warmed up first,
    then all timed in turn in every run (so each run has its own trivial-view baseline)."""
    for _, fn in measures:
        sustained(fn, min(seconds, 0.5), cpu_time)
    wall = {name: [] for name, _ in measures}
    cpu = {name: [] for name, _ in measures}
    for _ in range(runs):
        for name, fn in measures:
            w, c = sustained(fn, seconds, cpu_time)
            wall[name].append(w)
            cpu[name].append(c)
    return wall, cpu


def share(times: dict, name: str) -> float:
    """Requests/s of `name` as a fraction of the trivial view's, run by run, the median."""
    return statistics.median(t / n for t, n in zip(times["trivial view"], times[name],
                                                   strict=True))


def overhead(times: dict) -> float:
    """What a signed-in Range request costs beyond the trivial view, ms, the median."""
    return statistics.median(r - t for r, t in zip(times["Range, signed in"],
                                                   times["trivial view"], strict=True))


def audio_track(owner):
    """A track with 1 MB of audio bytes on disk (the Range view never decodes them)."""
    from django.core.files.base import ContentFile

    from studio.generation.models import Generation, Status
    from studio.library.models import Track

    generation = Generation.objects.create(owner=owner, status=Status.SUCCESS, params={})
    track = Track(owner=owner, generation=generation, variation=0, title="Seek", duration=1.0)
    track.audio.save("seek.mp3", ContentFile(os.urandom(1 << 20)), save=False)
    track.save()
    return track


def round_trips(runs: int, count: int = 1000) -> tuple[float, float]:
    """Wall µs of one round trip to the database (SELECT 1 on Django's connection), the median
    of `runs` runs: back to back, and after 1 ms spent elsewhere, as a request's round trips
    are spaced by its Python. Where the server's process sleeps between statements, waking it
    costs more than the statement: that, not the query, is the price of each round trip a
    create makes (the key, the writes, COMMIT) and why the share of a create on PostgreSQL
    stays below SQLite's."""
    from django.db import connection

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def spaced(pause: float) -> float:
        total = 0.0
        for _ in range(count):
            if pause:
                end = time.perf_counter() + pause
                while time.perf_counter() < end:  # busy, as a request's Python is
                    pass
            start = time.perf_counter()
            select_one()
            total += time.perf_counter() - start
        return total * 1e6 / count

    for _ in range(200):
        select_one()
    median = statistics.median
    return (median(spaced(0.0) for _ in range(runs)),
            median(spaced(0.001) for _ in range(runs)))


def profile(fn, seconds: float) -> None:
    """Where one measure's time goes: its calls over `seconds` under cProfile, the functions
    with the most time of their own and the most time under them."""
    import cProfile
    import pstats

    for _ in range(20):
        fn()
    profiler, count, start = cProfile.Profile(), 0, time.perf_counter()
    profiler.enable()
    while time.perf_counter() - start < seconds:
        fn()
        count += 1
    profiler.disable()
    print(f"{count} calls under cProfile")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", metavar="NAME",
                    help="instead of timing, run the measure whose name starts with NAME "
                         "(e.g. record-info) under cProfile for --seconds and print where "
                         "its time goes")
    ap.add_argument("--server", action="store_true",
                    help="also serve the same requests through gunicorn (one worker, one "
                         "thread) over loopback HTTP, and time the server process's CPU")
    a = ap.parse_args()
    reference_site.use_here()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from studio.api import outbound, polls
    from studio.api.models import ApiKey

    call_command("migrate", verbosity=0)
    logging.getLogger("django-q").setLevel(logging.WARNING)
    # No outside world. A create does not look its callBackUrl's name up (delivery does);
    # were anything to, it would fail at once rather than wait for a DNS server.
    outbound.resolve = lambda host, port: (_ for _ in ()).throw(OSError("offline bench"))
    user = get_user_model().objects.create_user(f"bench-{os.getpid()}-{time.time_ns()}",
                                                password="bench-passphrase")
    headers = {"Authorization": f"Bearer {ApiKey.issue(user, 'bench')[1]}"}
    client = Client()
    browser = Client()
    browser.force_login(user)
    audio_url = f"/tracks/{audio_track(user).pk}/audio.mp3"
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

    def poll_after_change():
        polls.forget()  # as after any change to the database: the poll reads it
        poll()

    def seek():
        response = browser.get(audio_url, headers={"Range": "bytes=1000-1000"})
        assert response.status_code == 206
        b"".join(response.streaming_content)
        response.close()

    measures = [("trivial view", trivial_view), ("one-query view", one_query_view),
                ("create (v1 generate)", create), ("record-info", poll),
                ("record-info, changed", poll_after_change), ("Range, signed in", seek)]
    if a.profile:
        for _ in range(20):  # record-info polls tasks the creates made
            create()
        profile(next(fn for name, fn in measures if name.startswith(a.profile)), a.seconds)
        return
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = "redis" if "redis" in settings.Q_CLUSTER else "orm"
    print(f"Studio hot paths: {db}, {broker} broker; median of {a.runs} runs of "
          f"{a.seconds:g} s each, every run with its own trivial-view baseline")
    # Every measure is warmed up before any is timed: the first few hundred requests through
    # the stack are slower (caches filling, the allocator growing), and the trivial view,
    # timed first, is the baseline of every ratio (a quick run's create read 0.16-0.18 of a
    # trivial view warmed up by 20 requests, 0.12-0.13 in long runs).
    wall, cpu = timed(measures, a.runs, a.seconds)
    median = statistics.median
    print(f"  {'':22s}  {'req/s':>7}  {'ms/req':>7}  {'of trivial':>10}  "
          f"{'CPU ms':>7}  {'of trivial (CPU)':>16}")
    for name, _ in measures:
        print(f"  {name:22s}  {1000 / median(wall[name]):7.0f}  {median(wall[name]):7.2f}  "
              f"{share(wall, name):10.2f}  {median(cpu[name]):7.2f}  {share(cpu, name):16.2f}")
    print(f"  Range overhead over the trivial view: {overhead(wall):.2f} ms "
          f"({overhead(cpu):.2f} ms CPU) per request")
    if db.startswith("postgres"):
        back_to_back, after_a_pause = round_trips(a.runs)
        print(f"  A round trip to PostgreSQL (SELECT 1): {back_to_back:.0f} µs back to back, "
              f"{after_a_pause:.0f} µs after 1 ms of other work (as inside a request)")
    if a.server:
        session = browser.cookies[settings.SESSION_COOKIE_NAME].value
        served(a, headers, session, audio_url, made)
    from django_q.brokers import get_broker

    get_broker().purge_queue()
    print(f"  ({len(made)} generations queued, then dropped from the bench's own queue)")


def served(a, headers: dict, session: str, audio_url: str, made: list) -> None:
    """The same requests through gunicorn (one sync worker, one thread: one request at a
    time, as the test client) over loopback HTTP with a kept-alive connection. Timed: the
    wall time at the client, which adds httpx's own work, and the worker process's CPU time
    (/proc), which is what the server spends per request, HTTP included."""
    import subprocess

    import httpx
    from measure import free_port  # bench/measure.py

    port = free_port()
    env = {**os.environ, "STUDIO_NO_BOOTSTRAP": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench")])}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "reference_site:application", "--workers", "1",
         "--threads", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT / "bench", env=env)
    try:
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        deadline = time.monotonic() + 60
        while True:
            try:
                if http.get("/bench/trivial/").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.2)
        worker = int(Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")

        def worker_cpu() -> float:  # seconds of CPU, user and system
            fields = Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / ticks

        signed_in = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}

        def trivial_view():
            assert http.get("/bench/trivial/").status_code == 200

        def create():
            answer = http.post("/api/v1/generate", content=BODY, headers={
                **headers, "Content-Type": "application/json"}).json()
            assert answer["code"] == 200, answer
            made.append(answer["data"]["taskId"])

        def poll():
            answer = http.get("/api/v1/generate/record-info",
                              params={"taskId": made[len(made) // 2]}, headers=headers).json()
            assert answer["code"] == 200, answer

        def seek():
            response = http.get(audio_url, headers={**signed_in, "Range": "bytes=1000-1000"})
            assert response.status_code == 206 and len(response.content) == 1

        measures = [("trivial view", trivial_view), ("create (v1 generate)", create),
                    ("record-info", poll), ("Range, signed in", seek)]
        wall, cpu = timed(measures, a.runs, a.seconds, worker_cpu)
    finally:
        server.terminate()
        server.wait(timeout=30)
    median = statistics.median
    print(f"Through gunicorn (1 worker, 1 thread, loopback HTTP, kept-alive), the server "
          f"process's CPU per request; median of {a.runs} runs")
    print(f"  {'':22s}  {'ms/req':>7}  {'of trivial':>10}  {'server CPU ms':>13}  "
          f"{'of trivial (CPU)':>16}")
    for name, _ in measures:
        print(f"  {name:22s}  {median(wall[name]):7.2f}  {share(wall, name):10.2f}  "
              f"{median(cpu[name]):13.2f}  {share(cpu, name):16.2f}")
    print(f"  Range overhead over the trivial view: {overhead(cpu):.2f} ms of server CPU")


if __name__ == "__main__":
    main()
