"""A bounded load test: simulated creators against the production topology on 127.0.0.1.

    STUDIO_NO_BOOTSTRAP=1 .venv/bin/python bench/load.py            # 50 creators, 60 s
    STUDIO_NO_BOOTSTRAP=1 .venv/bin/python bench/load.py --quick    # 20 creators, 20 s, 4 creates (CI)

It brings up the topology of tests/topology/harness.py (PostgreSQL and django-q2 on Redis on
127.0.0.1: two gunicorn web processes and two qclusters, a fresh database and queue), gives
each creator an account, a signed-in session, an API key and a small library (3 tracks of
real 30 s MP3s), and for `--seconds` lets every creator, in a thread of its own with a short
pause between requests, spread over both web processes (a load balancer's round robin):

- browse: the library page, a track's page, a track's player data;
- stream: a Range request of one of its tracks (a seek: 64 KB from a random offset);
- create: through the create form (GET the form, POST it with its CSRF and one-time tokens)
  or through the API (`POST /api/v1/generate`), `--creates` songs in all, spread over the run;
- poll: its generation's page, or record-info, while one is unfinished.

Then it waits (`--drain` seconds at most) for every generation it made to end and prints
requests per second, p50 / p95 / p99 latency per kind and overall, errors (any transport
failure or an answer other than the one expected) and lost generations (a create that was
acknowledged but has no row, or ended other than SUCCESS with two takes; those still queued
or being made when the drain ends are counted apart: on a busy machine two workers may
simply not be done). The goals: 0 errors and 0 lost.
The ratio printed for `bench/all.py` is the overall p50 over the p50 of the same page
(the login page) asked by one client before the load, in the same run.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import ssl
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.topology.harness import Topology, services_available  # noqa: E402

# Each creator: a user, a signed-in session (made as Django's login does, without spending
# PBKDF2's deliberate second per sign-in), an API key and 3 tracks sharing one real MP3.
SEED = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from studio.api.models import ApiKey
from studio.generation.models import Generation, Status
from studio.library.models import Track
from tests.factories import mp3_bytes, png_bytes
audio, cover = mp3_bytes(30.0), png_bytes()
hashed = make_password("a-long-passphrase-1")
for n in range(COUNT):
    user = get_user_model().objects.create(username=f"creator{n}", password=hashed)
    session = SessionStore()
    session[SESSION_KEY], session[HASH_SESSION_KEY] = str(user.pk), user.get_session_auth_hash()
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.create()
    tracks = []
    for i in range(3):
        generation = Generation.objects.create(owner=user, params={"prompt": "seed"},
                                               status=Status.SUCCESS)
        track = Track(owner=user, generation=generation, variation=0, title=f"Song {i}",
                      style="folk", duration=30.0, peaks=[0.5] * 64)
        track.audio.save("audio.mp3", ContentFile(audio), save=False)
        track.cover.save("cover.png", ContentFile(cover), save=False)
        track.save()
        tracks.append(str(track.pk))
    print("CREATOR", json.dumps({"name": user.username, "key": ApiKey.issue(user, "load")[1],
                                 "session": session.session_key, "tracks": tracks,
                                 "size": len(audio), "cookie": settings.SESSION_COOKIE_NAME}))
"""
API_SECONDS = 6  # seconds of music per take of an API create (the engine's `_duration` hint)
FINAL = {"SUCCESS", "CREATE_TASK_FAILED", "GENERATE_AUDIO_FAILED", "CALLBACK_EXCEPTION",
         "SENSITIVE_WORD_ERROR"}
_TLS = ssl.create_default_context()
_TOKEN = re.compile(r'name="token" value="([^"]+)"')
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(list)
        self.retried = 0

    def timed(self, kind: str, send, expect=(200,), idempotent=True):
        """send() → response; its latency is kept under `kind`; anything else is an error.

        A kept-alive connection the server closed (gunicorn's `keepalive`) just as a request
        went out on it is reset before any answer: browsers send such a GET again on a new
        connection, and so does this, once, counting it apart (`retried`)."""
        started = time.perf_counter()
        try:
            try:
                response = send()
            except (httpx.ReadError, httpx.RemoteProtocolError):
                if not idempotent:
                    raise
                with self.lock:
                    self.retried += 1
                response = send()
        except httpx.HTTPError as problem:
            with self.lock:
                self.errors[kind].append(f"{type(problem).__name__}: {problem}")
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.times[kind].append(elapsed)
            if response.status_code not in expect:
                self.errors[kind].append(f"{response.status_code} {response.request.url.path}")
                return None
        return response


class Creator(threading.Thread):
    def __init__(self, n: int, seed: dict, topology, stats: Stats, end: float,
                 create_at: list[tuple[float, str]], think: float):
        super().__init__(daemon=True)
        self.n, self.seed, self.topology, self.stats = n, seed, topology, stats
        self.end, self.create_at, self.think = end, create_at, think
        self.random = random.Random(n)
        self.made: list[tuple[str, str]] = []  # (how, generation id or task id)
        self.pending: list[tuple[str, str]] = []
        self.requests = 0
        cookies = {seed["cookie"]: seed["session"]}
        # Plain HTTP, but httpx builds a TLS context per client unless given one: 100 of them
        # cost the bench process seconds of CPU.
        self.clients = [httpx.Client(base_url=w.url, cookies=cookies, timeout=60, verify=_TLS,
                                     follow_redirects=False) for w in topology.webs]

    def client(self) -> httpx.Client:
        self.requests += 1
        return self.clients[(self.n + self.requests) % len(self.clients)]  # round robin

    def run(self):
        try:
            while time.monotonic() < self.end:
                self.step()
                time.sleep(self.random.uniform(0.5, 1.5) * self.think)
        finally:
            for c in self.clients:
                c.close()

    def step(self):
        now = time.monotonic()
        if self.create_at and now >= self.create_at[0][0]:
            _, how = self.create_at.pop(0)
            return self.create_by_form() if how == "form" else self.create_by_api()
        roll = self.random.random()
        if self.pending and roll < 0.25:
            return self.poll()
        if roll < 0.6:
            return self.browse()
        return self.stream()

    def browse(self):
        track = self.random.choice(self.seed["tracks"])
        path = self.random.choice(["/", f"/tracks/{track}/", f"/tracks/{track}/player"])
        self.stats.timed("browse", lambda: self.client().get(path))

    def stream(self):
        track = self.random.choice(self.seed["tracks"])
        start = self.random.randrange(0, self.seed["size"] - 65536)
        answer = self.stats.timed("stream", lambda: self.client().get(
            f"/tracks/{track}/audio.mp3", headers={"Range": f"bytes={start}-{start + 65535}"}),
            expect=(206,))
        if answer is not None and len(answer.content) != 65536:
            with self.stats.lock:
                self.stats.errors["stream"].append(f"{len(answer.content)} bytes, not 65536")

    def create_by_api(self):
        client = self.client()
        answer = self.stats.timed("create (API)", lambda: client.post(
            "/api/v1/generate", headers={"Authorization": f"Bearer {self.seed['key']}"},
            json={"customMode": False, "instrumental": False, "model": "V4_5",
                  "prompt": f"a short song number {self.n} about the load on a server",
                  "callBackUrl": "https://example.invalid/hook", "_duration": API_SECONDS}),
            idempotent=False)
        if answer is not None:
            body = answer.json()
            if body.get("code") == 200:
                self.made.append(("api", body["data"]["taskId"]))
                self.pending.append(self.made[-1])
            else:
                with self.stats.lock:
                    self.stats.errors["create (API)"].append(f"code {body.get('code')}")

    def create_by_form(self):
        client = self.client()  # the same web process for the form and its post, as a browser
        form = self.stats.timed("create (form)", lambda: client.get("/create/"))
        if form is None:
            return
        token, csrf = _TOKEN.search(form.text), _CSRF.search(form.text)
        answer = self.stats.timed("create (form)", lambda: client.post("/create/", data={
            "mode": "simple", "idea": f"a warm song number {self.n} about rain on a roof",
            "model": "V4_5", "token": token and token.group(1),
            "csrfmiddlewaretoken": csrf and csrf.group(1)}), expect=(302,), idempotent=False)
        if answer is not None:
            found = re.search(r"/generations/([0-9a-f-]+)/$", answer.headers["location"])
            self.made.append(("form", found.group(1)))
            self.pending.append(self.made[-1])

    def poll(self):
        how, pk = self.random.choice(self.pending)
        if how == "api":
            answer = self.stats.timed("poll", lambda: self.client().get(
                "/api/v1/generate/record-info", params={"taskId": pk},
                headers={"Authorization": f"Bearer {self.seed['key']}"}))
            if answer is not None and answer.json()["data"]["status"] in FINAL:
                self.pending.remove((how, pk))
        else:
            self.stats.timed("poll", lambda: self.client().get(f"/generations/{pk}/"))


def baseline(topology, runs: int = 30) -> float:
    """One client, no load: the login page's median latency."""
    times = []
    with httpx.Client(base_url=topology.webs[0].url, timeout=30) as client:
        client.get("/accounts/login/")
        for _ in range(runs):
            started = time.perf_counter()
            client.get("/accounts/login/").raise_for_status()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(creators: int = 50, seconds: float = 60.0, creates: int = 20, drain: float = 300.0,
        think: float = 1.0, quiet: bool = False) -> dict:
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    if why := services_available():
        raise SystemExit(f"bench/load.py needs PostgreSQL and Redis on 127.0.0.1: {why}")
    started = time.monotonic()
    with Topology(webs=2, clusters=2, workers=1, web_threads=16) as topology:
        say(f"topology up in {time.monotonic() - started:.0f} s: webs "
            f"{[w.url for w in topology.webs]}, 2 clusters, database {topology.database_name}")
        seeding = time.monotonic()
        out = topology.manage("shell", "-c", SEED.replace("COUNT", str(creators)))
        seeds = [json.loads(line.split(" ", 1)[1]) for line in out.splitlines()
                 if line.startswith("CREATOR ")]
        assert len(seeds) == creators, out
        say(f"{creators} creators, 3 tracks each, made in {time.monotonic() - seeding:.0f} s")
        base = baseline(topology)
        stats = Stats()
        t0 = time.monotonic() + 1  # the creators are made meanwhile
        end = t0 + seconds
        # Creates spread evenly over the run, every other one through the form.
        plan = defaultdict(list)
        for i in range(creates):
            plan[i * creators // max(creates, 1) % creators].append(
                (t0 + seconds * (i + 0.5) / (creates + 1), "form" if i % 2 else "api"))
        threads = [Creator(n, seeds[n], topology, stats, end, plan[n], think)
                   for n in range(creators)]
        time.sleep(max(0.0, t0 - time.monotonic()))
        t0 = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - t0
        made = [m for t in threads for m in t.made]
        say(f"load: {elapsed:.0f} s, {sum(len(v) for v in stats.times.values())} requests, "
            f"{len(made)} generations made; draining (at most {drain:.0f} s)")
        draining = time.monotonic()
        lost, unfinished = _drain(topology, made, drain)
        say(f"drained in {time.monotonic() - draining:.0f} s")
    result = _summary(stats, elapsed, base, made, lost, unfinished, creators)
    if not quiet:
        report(result)
    return result


def _drain(topology, made, drain: float) -> tuple[list[str], list[str]]:
    """(lost, unfinished): generations made that ended other than SUCCESS with two takes, or
    have no row; and those still being made (or queued) after `drain` seconds."""
    ids = [pk.replace("-", "") for _, pk in made]
    deadline = time.monotonic() + drain
    while True:
        rows = {pk.replace("-", ""): (status, takes) for pk, status, takes in topology.sql(
            "SELECT g.id::text, g.status, COUNT(t.id) FROM generation_generation g "
            "LEFT JOIN library_track t ON t.generation_id = g.id GROUP BY g.id, g.status")}
        unfinished = [pk for pk in ids if pk in rows and rows[pk][0] not in FINAL]
        if not unfinished or time.monotonic() > deadline:
            break
        time.sleep(1)
    lost = [f"{pk} {rows.get(pk, ('no row', 0))}" for pk in ids
            if pk not in unfinished and rows.get(pk) != ("SUCCESS", 2)]
    return lost, [f"{pk} {rows[pk]}" for pk in unfinished]


def _summary(stats, elapsed, base, made, lost, unfinished, creators) -> dict:
    every = [t for times in stats.times.values() for t in times]
    kinds = {kind: {"count": len(times), "p50": percentile(times, 50),
                    "p95": percentile(times, 95), "p99": percentile(times, 99),
                    "errors": len(stats.errors[kind])}
             for kind, times in sorted(stats.times.items())}
    errors = sum(len(v) for v in stats.errors.values())
    return {"creators": creators, "seconds": elapsed, "requests": len(every),
            "rps": len(every) / elapsed, "p50": percentile(every, 50),
            "p95": percentile(every, 95), "p99": percentile(every, 99), "errors": errors,
            "error_samples": [e for v in stats.errors.values() for e in v[:3]],
            "generations": len(made), "lost": len(lost), "lost_samples": lost[:5],
            "unfinished": len(unfinished), "unfinished_samples": unfinished[:5],
            "retried": stats.retried, "kinds": kinds, "baseline": base, "ratio": percentile(every, 50) / base}


def report(r: dict) -> None:
    print(f"\n{r['creators']} creators for {r['seconds']:.0f} s on 2 gunicorn web processes, "
          "2 qclusters, PostgreSQL, Redis (127.0.0.1)")
    print(f"{'kind':<15} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for kind, k in r["kinds"].items():
        print(f"{kind:<15} {k['count']:>8} {k['p50'] * 1e3:>8.1f} {k['p95'] * 1e3:>8.1f} "
              f"{k['p99'] * 1e3:>8.1f} {k['errors']:>6}")
    print(f"{'all':<15} {r['requests']:>8} {r['p50'] * 1e3:>8.1f} {r['p95'] * 1e3:>8.1f} "
          f"{r['p99'] * 1e3:>8.1f} {r['errors']:>6}")
    print(f"GETs sent again after a kept-alive connection was reset: {r['retried']}")
    print(f"requests/s {r['rps']:.1f}; errors {r['errors']}; generations {r['generations']}, "
          f"lost {r['lost']} (goals: 0 errors, 0 lost); still being made at the end of the "
          f"drain {r['unfinished']}")
    print(f"p50 under load / one client's p50 of the login page ({r['baseline'] * 1e3:.1f} ms): "
          f"{r['ratio']:.1f}")
    for sample in r["error_samples"]:
        print("  error:", sample)
    for sample in r["lost_samples"]:
        print("  lost:", sample)
    for sample in r["unfinished_samples"]:
        print("  still being made:", sample)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--creators", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--creates", type=int, default=20, help="generations made in the run")
    ap.add_argument("--drain", type=float, default=300.0,
                    help="seconds to wait for every generation to end")
    ap.add_argument("--think", type=float, default=1.0, help="mean pause between requests (s)")
    ap.add_argument("--quick", action="store_true", help="20 creators, 20 s, 4 creates")
    args = ap.parse_args()
    if args.quick:
        args.creators, args.seconds, args.creates = 20, 20.0, 4
    run(args.creators, args.seconds, args.creates, args.drain, args.think)


if __name__ == "__main__":
    main()
