"""Idle footprint: how much memory an idle Studio holds, and what the first job after a quiet
spell costs. Prints numbers; asserts nothing.

    STUDIO_NO_BOOTSTRAP=1 .venv/bin/python bench/idle.py [--runs 5] [--idle-seconds 20]
        [--seconds 60] [--production] [--detail]

Starts Studio as `manage.py up` does (migrate, then the web server and a django-q2 cluster
with 2 workers; with --production, gunicorn's arbiter and STUDIO_WEB_WORKERS processes take
runserver's place) in a temporary data directory on a free 127.0.0.1 port, with
STUDIO_ENGINE_IDLE_SECONDS set to --idle-seconds (shorter than the default minute, so that a run
does not take long; longer than a job, or a worker lets go between two jobs).
Then, for each run:

- waits --idle-seconds plus a margin with no job, and measures the proportional set size
  (PSS, /proc/<pid>/smaps_rollup: each shared page counted once over the processes sharing
  it) of every process of the tree `up` started: web server, cluster (its sentinel, monitor,
  pusher and workers) and the engine's helper processes;
- creates songs through the API (POST /api/v1/generate), one at a time, until it has timed
  a first job after the quiet spell (made by a cold worker, one that took the place of a
  worker that left while quiet: no helper, no kept heap) and then a warm one (made by a
  worker that had its helper when the song was created).

The summary gives the median footprint per role (each process is named by its place in the
tree: gunicorn arbiter or worker; the cluster's parent, sentinel, workers, monitor and pusher;
engine helpers), which is where to look when the total moves.

Each song is timed three ways: end to end as a client sees it (create to SUCCESS, polled
every 20 ms), inside the worker (django-q2's task start to stop), and in CPU seconds used by
its worker and that worker's helper (steadier than wall time on a machine others share). Each run gives
first/warm ratios; the table gives their medians. Numbers of a run depend on the machine and
its load: compare ratios, and footprints measured on one machine.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = tempfile.TemporaryDirectory(prefix="studio-bench-idle-")
ENV = {**os.environ, "STUDIO_DATA_DIR": DATA.name, "STUDIO_NO_BOOTSTRAP": "1",
       "STUDIO_WORKERS": "2", "STUDIO_JOBS_SYNC": "0", "STUDIO_API_RATE": "1000000/10",
       "STUDIO_QUEUE_NAME": f"studio-bench-idle-{os.getpid()}",
       "DJANGO_SETTINGS_MODULE": "studio.settings"}
for name in ("DATABASE_URL", "REDIS_URL", "STUDIO_PRODUCTION"):
    ENV.pop(name, None)
MARGIN = 4.0  # seconds past the idle threshold before measuring

from tests.generation.workers import children as children_of  # noqa: E402


# -- memory ------------------------------------------------------------------------------------
def tree(root: int) -> list[int]:
    kids, out, todo = children_of(), [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def pss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def auxiliaries() -> set[int]:
    """The cluster's monitor and pusher, by the lines they log as they start (the sentinel's
    other children are its workers, some of them new: a quiet worker leaves, and a cold one
    takes its place)."""
    log = (Path(DATA.name) / "up.log").read_text(errors="replace")
    return {int(pid) for pid in re.findall(r"(?:monitoring|pushing tasks) at (\d+)", log)}


def roles(root: int) -> dict[int, str]:
    """Each process of `up`'s tree by its place in it (their command lines repeat): up's
    supervisor; the web server (runserver, or gunicorn's arbiter and its workers); the
    cluster's parent, its sentinel, the sentinel's workers, its monitor and pusher, and each
    worker's engine helper."""
    kids = children_of()
    aux = auxiliaries()
    out = {root: "up (supervisor)"}
    for child in kids.get(root, []):
        cmd = cmdline(child)
        if "qcluster" in cmd:
            out[child] = "cluster parent"
            for sentinel in kids.get(child, []):
                out[sentinel] = "cluster sentinel"
                for pid in kids.get(sentinel, []):
                    out[pid] = "cluster monitor/pusher" if pid in aux else "cluster worker"
                    for helper in kids.get(pid, []):
                        out[helper] = "engine helper"
        elif "runserver" in cmd:
            out[child] = "runserver"
        else:
            out[child] = "gunicorn arbiter"
            for worker in kids.get(child, []):
                out[worker] = "gunicorn worker"
    for pid in tree(root):
        out.setdefault(pid, "other: " + cmdline(pid)[-40:])
    return out


def footprint(root: int) -> tuple[float, list[tuple[int, float, str]]]:
    rows = [(pid, mb, what) for pid, what in roles(root).items()
            if (mb := pss_mb(pid)) is not None]
    return sum(mb for _, mb, _ in rows), rows


def settled(root: int, workers: int = 2) -> None:
    """Wait (10 s at most) until the cluster has its workers: one that left a moment ago has
    a successor only once the sentinel's next guard cycle has forked it."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if sum(r == "cluster worker" for r in roles(root).values()) >= workers:
            return
        time.sleep(0.1)


def by_role(rows) -> dict[str, tuple[int, float]]:
    """Processes and MB PSS in all, per role."""
    out: dict[str, tuple[int, float]] = {}
    for _, mb, what in rows:
        n, total = out.get(what, (0, 0.0))
        out[what] = (n + 1, total + mb)
    return out


# -- Studio ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup_django():
    os.environ.update(ENV)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from studio.api.models import ApiKey

    user = get_user_model().objects.create_user("idle-bench", password="bench-passphrase")
    return ApiKey.issue(user, "bench")[1]


def start(port: int, idle_seconds: float, production: bool) -> subprocess.Popen:
    env = {**ENV, "STUDIO_ENGINE_IDLE_SECONDS": str(idle_seconds)}
    args = ["up", f"127.0.0.1:{port}"]
    if production:  # gunicorn (STUDIO_WEB_WORKERS processes) instead of runserver
        args.append("--production")
        env.update(STUDIO_SECRET_KEY="bench-idle-" + "k" * 50, STUDIO_ALLOWED_HOSTS="127.0.0.1")
    log = open(Path(DATA.name) / "up.log", "w")
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *args],
                            env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(up: subprocess.Popen) -> None:
    up.send_signal(signal.SIGTERM)
    try:
        up.wait(30)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(up.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    up.wait()


def wait_ready(port: int, up: subprocess.Popen) -> None:
    """The web server answers and the cluster's 2 workers are there."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if up.poll() is not None:
            sys.exit("manage.py up stopped:\n" + (Path(DATA.name) / "up.log").read_text())
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
        except OSError:
            time.sleep(0.2)
            continue
        if sum("qcluster" in cmdline(p) for p in tree(up.pid)) >= 5:  # cluster, sentinel, 2+2
            return
        time.sleep(0.2)
    sys.exit("Studio did not come up in 180 s")


def create(port: int, key: str, seconds: float | None) -> dict:
    """One song through the API, to SUCCESS: client and worker seconds, and which worker."""
    from django_q.models import Task

    from studio.generation.models import Generation, Status

    body = {"customMode": True, "instrumental": False, "model": "V4_5",
            "style": "synthwave, upbeat", "title": "Night Drive",
            "prompt": "[Verse]\nCity lights are calling\n[Chorus]\nRun into the light"}
    if seconds:
        body["_duration"] = seconds
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/generate",
                                 data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {key}",
                                          "Content-Type": "application/json"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(req, timeout=30) as resp:
        task_id = json.load(resp)["data"]["taskId"]
    while True:
        g = Generation.objects.filter(pk=task_id).first()
        if g is not None and g.is_final:
            break
        time.sleep(0.02)
    client = time.perf_counter() - t0
    if g.status != Status.SUCCESS:
        sys.exit(f"song failed: {g.status} {g.error_message}")
    task = None
    for _ in range(100):  # the monitor saves the task a moment after the job
        task = Task.objects.filter(name=f"generation-{g.pk}").first()
        if task:
            break
        time.sleep(0.05)
    worker = (task.stopped - task.started).total_seconds() if task else float("nan")
    return {"client": client, "worker": worker, "by": g.claimed_by}


def cpu_seconds(pids) -> dict[int, float]:
    """CPU seconds each process has used, its reaped children's included (a stopped helper's
    time moves to its worker's)."""
    out = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rpartition(")")[2].split()
        except OSError:
            continue
        out[pid] = sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # u+s, cu+cs
    return out


def timed_job(up: int, port: int, key: str, seconds: float | None) -> dict:
    """One song, labelled "warm" when the worker that made it had its helper when the song
    was created, "first" (after idle) when it had none: a cold worker. Its CPU time is its worker's and that
    worker's helpers' (the rest of the tree polls the broker, at a cost that follows wall time)."""
    kids = children_of()
    before = cpu_seconds(tree(up))
    job = create(port, key, seconds)
    worker = int(job["by"].rpartition(" ")[2])
    mine = tree(worker)
    after = cpu_seconds(mine)
    job["cpu"] = sum(after[p] - before.get(p, 0.0) for p in after)
    job["kind"] = "warm" if kids.get(worker) else "first"
    return job


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--idle-seconds", type=float, default=20.0,
                    help="STUDIO_ENGINE_IDLE_SECONDS for the Studio under test")
    ap.add_argument("--seconds", type=float, default=None,
                    help="song length (the model's default when left out)")
    ap.add_argument("--detail", action="store_true", help="print every process's PSS")
    ap.add_argument("--production", action="store_true",
                    help="`up --production`: gunicorn instead of runserver")
    a = ap.parse_args()

    key = setup_django()
    port = free_port()
    up = start(port, a.idle_seconds, a.production)
    runs = []
    try:
        wait_ready(port, up)
        time.sleep(a.idle_seconds + MARGIN)
        settled(up.pid)
        fresh, rows = footprint(up.pid)
        print(f"fresh (started, no job yet):            {fresh:6.0f} MB PSS, {len(rows)} processes")
        for _ in range(2):  # a job or two for each worker
            create(port, key, a.seconds)
        busy, rows = footprint(up.pid)
        print(f"right after jobs:                       {busy:6.0f} MB PSS, {len(rows)} processes")
        if a.detail:
            for pid, mb, what in rows:
                print(f"    {pid:>7} {mb:7.1f} MB  {what}")
        for run in range(a.runs):
            time.sleep(a.idle_seconds + MARGIN)
            settled(up.pid)
            idle, rows = footprint(up.pid)
            if a.detail:
                print(f"  run {run + 1} idle: {idle:.0f} MB PSS")
                for pid, mb, what in rows:
                    print(f"    {pid:>7} {mb:7.1f} MB  {what}")
            first = warm = None
            for _ in range(8):  # until this run has a first job and a warm one after it
                job = timed_job(up.pid, port, key, a.seconds)
                if job["kind"] == "warm" and first is None:
                    break  # its worker stayed through the quiet spell: it did not leave
                if job["kind"] == "first" and first is None:
                    first = job
                elif job["kind"] == "warm" and first is not None:
                    warm = job
                    break
            if warm is None:
                print(f"  run {run + 1}: idle {idle:.0f} MB PSS; no first/warm pair of jobs "
                      f"(first job: {first is not None}); no ratio")
                runs.append({"idle": idle, "roles": by_role(rows)})
                continue
            runs.append({"idle": idle, "roles": by_role(rows), "first": first, "warm": warm,
                         **{k: first[k] / warm[k] for k in ("worker", "client", "cpu")}})
            print(f"  run {run + 1}: idle {idle:6.0f} MB PSS; first job after idle "
                  f"{first['worker']:.2f} s in the worker ({first['client']:.2f} s to the client, "
                  f"{first['cpu']:.2f} s CPU), warm {warm['worker']:.2f} s ({warm['client']:.2f}, "
                  f"{warm['cpu']:.2f} CPU); first/warm {runs[-1]['worker']:.2f}")
    finally:
        stop(up)
    med = statistics.median
    print(f"\n{len(runs)} runs, {'up --production' if a.production else 'up'}, "
          f"STUDIO_ENGINE_IDLE_SECONDS={a.idle_seconds:g}, song "
          f"{'of the default length' if not a.seconds else f'{a.seconds:g} s'}, 2 workers")
    idles = [r["idle"] for r in runs]
    print(f"  idle footprint, median         {med(idles):7.0f} MB PSS ({min(idles):.0f}–"
          f"{max(idles):.0f}; fresh start {fresh:.0f}, just after jobs {busy:.0f})")
    for what in sorted({w for r in runs for w in r["roles"]}):
        counts = [r["roles"].get(what, (0, 0.0)) for r in runs]
        n = med(c for c, _ in counts)
        total = med(mb for _, mb in counts)
        print(f"    {what:<28} {n:4g} × {total / n if n else 0:5.1f} = {total:6.1f} MB (median)")
    paired = [r for r in runs if "first" in r]
    if not paired:
        print("  no first/warm pair: no worker left while quiet (STUDIO_ENGINE_IDLE_SECONDS=0, "
              "or before quiet workers left)")
        return
    print(f"  pairs                          {len(paired):7d}")
    for label, k in (("worker", "worker"), ("client", "client"), ("CPU", "cpu")):
        print(f"  first job after idle, {label:<7}  {med(r['first'][k] for r in paired):7.2f} s   "
              f"warm {med(r['warm'][k] for r in paired):6.2f} s   "
              f"first/warm {med(r[k] for r in paired):5.2f}")


if __name__ == "__main__":
    main()
