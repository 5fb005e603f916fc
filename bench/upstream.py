"""Benchmark tracking songs made at a vendor: N generations in flight at once against a
loopback vendor that completes each task after a delay, with Studio's web server and one
django-q2 cluster of 2 real worker processes (`manage.py up`). Two phases, each with its own
connection: the vendor calls back at every stage, then it never does (polling alone).
Prints, per phase, vendor requests per completed generation and stage, the time from the
vendor's completion (and first take) to playable in the library (p50 / p95), and
worker-seconds held per generation, with the polling phase as a ratio to the callback one.
Asserts nothing.

    STUDIO_NO_BOOTSTRAP=1 .venv/bin/python bench/upstream.py [--songs 500] [--delay 30]

Runs in a temporary data directory (its own SQLite database and media), never touching var/.
The vendor is a threaded HTTP server in this process: create, record-info, the takes' audio
(a real MP3 of --take-seconds) and cover, and snake_case callbacks to Studio's callback URL.
Each task reaches TEXT_SUCCESS at 20-40 % of its delay, FIRST_SUCCESS at 50-70 %, SUCCESS at
90-110 % (uniformly at random, seeded), so completions spread as a real vendor's do.
"""
from __future__ import annotations

import argparse
import heapq
import io
import json
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


DATA = tempfile.TemporaryDirectory(prefix="studio-bench-upstream-")
WEB = f"127.0.0.1:{_free_port()}"
os.environ.update(
    STUDIO_DATA_DIR=DATA.name, STUDIO_NO_BOOTSTRAP="1", STUDIO_JOBS_SYNC="0",
    STUDIO_OUTBOUND_ALLOW="127.0.0.1", STUDIO_BASE_URL=f"http://{WEB}",
    STUDIO_UPSTREAM_CREATES="1000000",  # the loopback vendor has no create limit to respect
    STUDIO_JOB_HISTORY="0",  # keep every job's row: worker-seconds are read from them
    STUDIO_WORKERS="2", STUDIO_QUEUE_NAME=f"bench-upstream-{os.getpid()}",
    STUDIO_ENGINE_PARALLEL="0", STUDIO_LOG_LEVEL="WARNING")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402

CALLERS = 16  # callbacks the vendor sends at once
STAGES = (("text", "TEXT_SUCCESS", 0.2, 0.4), ("first", "FIRST_SUCCESS", 0.5, 0.7),
          ("complete", "SUCCESS", 0.9, 1.1))


def mp3(seconds: float) -> bytes:
    from pedalboard.io import AudioFile

    rate = 44100
    t = np.arange(int(seconds * rate)) / rate
    tone = (np.sin(2 * np.pi * 220.0 * t) * 0.3).astype(np.float32)
    buffer = io.BytesIO()
    with AudioFile(buffer, "w", rate, 1, format="mp3", quality=128) as out:
        out.write(tone[np.newaxis, :])
    return buffer.getvalue()


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (40, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


class Vendor:
    """A v1 (kie-family) vendor on 127.0.0.1. The API key names the phase: "callbacks" or
    "polling"; only the first gets callbacks. Every request is counted by phase and kind."""

    def __init__(self, *, delay: float, take: bytes, cover: bytes, seed: int = 7):
        self.delay, self.take, self.cover = delay, take, cover
        self.random = random.Random(seed)
        self.tasks: dict[str, dict] = {}
        self.counts: Counter = Counter()
        self.lock = threading.Lock()
        self.due: list = []  # (time, task id, stage index)
        self.wake = threading.Condition(self.lock)
        self.callers = ThreadPoolExecutor(CALLERS)
        # One client for every callback: a new one each time makes a TLS context (tens of ms
        # of this process's CPU, which the vendor's server threads share).
        self.caller = httpx.Client(timeout=15, limits=httpx.Limits(max_connections=CALLERS))
        self.callback_answers: Counter = Counter()  # HTTP status of each callback delivered
        self.callback_times: list = []  # (seconds waiting at the vendor, Studio's answer time)
        vendor = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self):
                length = int(self.headers.get("Content-Length", 0) or 0)
                body = self.rfile.read(length) if length else b""
                status, kind, payload = vendor.answer(
                    self.command, self.path, self.headers.get("Authorization", ""), body)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 1024
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        threading.Thread(target=self._stages, daemon=True).start()

    # --- the API ---------------------------------------------------------------------------
    def answer(self, method: str, path: str, auth: str, body: bytes):
        phase = auth.removeprefix("Bearer ")
        parts = urlsplit(path)
        if parts.path.startswith("/files/"):  # fetched without the key: the task names it
            task = self.tasks.get(parts.path.removeprefix("/files/").split("-")[0], {})
            self.counts[task.get("phase", phase), "file"] += 1
            data, kind = (self.cover, "image/png") if parts.path.endswith(".png") else \
                (self.take, "audio/mpeg")
            return 200, kind, data
        if method == "POST" and parts.path == "/api/v1/generate":
            self.counts[phase, "create"] += 1
            return self._json({"code": 200, "msg": "success",
                               "data": {"taskId": self.create(phase, json.loads(body))}})
        if parts.path == "/api/v1/generate/record-info":
            self.counts[phase, "status"] += 1
            task_id = parse_qs(parts.query).get("taskId", [""])[0]
            with self.lock:
                task = self.tasks.get(task_id)
                status = task["status"] if task else None
            if task is None:
                return self._json({"code": 404, "msg": "no such task"})
            return self._json({"code": 200, "msg": "success", "data": {
                "taskId": task_id, "status": status,
                "response": {"taskId": task_id, "sunoData": self.items(task_id, status)}}})
        return 404, "application/json", b'{"code": 404, "msg": "no such path"}'

    @staticmethod
    def _json(payload):
        return 200, "application/json", json.dumps(payload).encode()

    def create(self, phase: str, body: dict) -> str:
        task_id = uuid.uuid4().hex
        now = time.time()
        with self.lock:
            times = [now + self.delay * self.random.uniform(low, high)
                     for _, _, low, high in STAGES]
            self.tasks[task_id] = {"phase": phase, "callback": body.get("callBackUrl", ""),
                                   "status": "PENDING", "reached": {}}
            for index, moment in enumerate(times):
                heapq.heappush(self.due, (moment, task_id, index))
            self.wake.notify()
        return task_id

    def items(self, task_id: str, status: str, *, snake: bool = False) -> list[dict]:
        if status == "PENDING":
            return []
        final = {"TEXT_SUCCESS": 0, "FIRST_SUCCESS": 1, "SUCCESS": 2}[status]
        items = []
        for n in range(2):
            audio = f"{self.url}/files/{task_id}-{n}.mp3" if n < final else ""
            item = {"id": f"{task_id}-{n}", "audioUrl": audio,
                    "streamAudioUrl": f"{self.url}/files/{task_id}-{n}.mp3",
                    "imageUrl": f"{self.url}/files/{task_id}-{n}.png" if audio else "",
                    "title": f"Bench song {n + 1}", "tags": "synthwave",
                    "prompt": "[Verse]\nla la", "modelName": "chirp-v4-5", "duration": None}
            if snake:
                item = {"id": item["id"], "audio_url": item["audioUrl"],
                        "stream_audio_url": item["streamAudioUrl"],
                        "image_url": item["imageUrl"], "title": item["title"],
                        "tags": item["tags"], "prompt": item["prompt"],
                        "model_name": item["modelName"]}
            items.append(item)
        return items

    # --- time passing at the vendor ---------------------------------------------------------
    def _stages(self):
        with self.lock:
            while True:
                if not self.due:
                    self.wake.wait()
                    continue
                moment, task_id, index = self.due[0]
                if moment > time.time():
                    self.wake.wait(moment - time.time())
                    continue
                heapq.heappop(self.due)
                task = self.tasks[task_id]
                stage, status = STAGES[index][:2]
                task["status"] = status
                task["reached"][stage] = time.time()
                if task["phase"] == "callbacks" and task["callback"]:
                    self.callers.submit(self._call_back, task_id, stage, status, time.time())

    def _call_back(self, task_id: str, stage: str, status: str, reached: float):
        task = self.tasks[task_id]
        payload = {"code": 200, "msg": "ok", "data": {
            "callbackType": stage, "task_id": task_id,
            "data": [] if stage == "text" else self.items(task_id, status, snake=True)}}
        sent = time.time()
        try:
            answer = self.caller.post(task["callback"], json=payload)
            self.callback_answers[answer.status_code] += 1
        except httpx.HTTPError as error:
            self.callback_answers[type(error).__name__] += 1
        # Where a callback's time goes: waiting for one of the vendor's callers, then
        # Studio's answer (the merge is done when it answers).
        self.callback_times.append((sent - reached, time.time() - sent))


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def start_studio() -> subprocess.Popen:
    log = open(Path(DATA.name) / "studio.log", "w")
    process = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "up", WEB],
                               env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("Studio did not start:\n" + (Path(DATA.name) / "studio.log").read_text())
        try:
            httpx.get(f"http://{WEB}/accounts/login/", timeout=2)
            break
        except httpx.HTTPError:
            time.sleep(0.3)
    time.sleep(3)  # the workers warm up after the web server answers
    return process


def stop_studio(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def run_phase(name: str, vendor: Vendor, owner, songs: int, timeout: float) -> dict:
    from django_q.models import Task

    from studio.connections.models import Connection
    from studio.generation import jobs, rules
    from studio.generation.models import Generation, Status

    connection = Connection(owner=owner, name=name, family="kie", base_url=vendor.url)
    connection.set_api_key(name)
    connection.save()
    request = rules.validate(rules.GENERATE, {"customMode": False, "prompt": "a night drive"})
    began = time.time()
    ids = [jobs.submit(owner=owner, request=request, engine=connection.engine_name).pk
           for _ in range(songs)]
    queued = time.time() - began
    mine = Generation.objects.filter(pk__in=ids)
    while time.time() - began < timeout:
        left = mine.exclude(status__in=[Status.SUCCESS, *rules_failures()]).count()
        if not left:
            break
        time.sleep(1)
    ended = time.time()
    rows = list(mine.values("status", "engine_task_id", "first_at", "finished_at",
                            "error_message", "upstream__playable_at"))
    done = [r for r in rows if r["status"] == Status.SUCCESS]
    to_playable, to_kept, to_first = [], [], []
    for row in done:
        reached = vendor.tasks[row["engine_task_id"]]["reached"]
        to_kept.append(row["finished_at"].timestamp() - reached["complete"])
        if row["upstream__playable_at"]:
            to_playable.append(row["upstream__playable_at"].timestamp() - reached["complete"])
        if row["first_at"] and "first" in reached:
            to_first.append(row["first_at"].timestamp() - reached["first"])
    jobs_run = list(Task.objects.filter(started__gte=_aware(began)).values_list(
        "func", "started", "stopped"))
    held = Counter()
    for func, start, stop in jobs_run:
        held[func.rsplit(".", 1)[-1]] += (stop - start).total_seconds()
    return {"name": name, "songs": songs, "done": len(done), "queued": queued,
            "wall": ended - began, "failures": Counter(r["error_message"][:90] for r in rows
                                                       if r["status"] != Status.SUCCESS),
            "api": vendor.counts[name, "create"] + vendor.counts[name, "status"],
            "creates": vendor.counts[name, "create"], "status": vendor.counts[name, "status"],
            "files": vendor.counts[name, "file"], "to_playable": to_playable, "to_kept": to_kept,
            "to_first": to_first, "held": held, "jobs": Counter(
                f.rsplit(".", 1)[-1] for f, _, _ in jobs_run)}


def rules_failures():
    from studio.generation.models import FAILURES

    return list(FAILURES)


def _aware(moment: float):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(moment, UTC)


def report(result: dict, baseline: dict | None = None) -> None:
    done = max(result["done"], 1)
    per_stage = result["api"] / done / len(STAGES)
    held = sum(result["held"].values())

    def ratio(key_value, base_value):
        return f"   {key_value / base_value:5.2f}× callbacks" if baseline and base_value else ""

    print(f"\n  {result['name']}: {result['done']}/{result['songs']} SUCCESS in "
          f"{result['wall']:.0f} s ({result['queued']:.1f} s to queue them)")
    for reason, count in result["failures"].most_common(3):
        print(f"    {count} ended otherwise: {reason}")
    base_stage = baseline["api"] / max(baseline["done"], 1) / len(STAGES) if baseline else 0
    print(f"    vendor API requests per generation and stage {per_stage:6.2f}"
          f"   ({result['creates']} creates + {result['status']} status queries){ratio(per_stage, base_stage)}")
    print(f"    file downloads per generation                {result['files'] / done:6.2f}"
          "   (2 takes + 2 covers)")
    for key, label in (("to_playable", "vendor complete -> both takes playable      "),
                       ("to_kept", "vendor complete -> both kept (SUCCESS)     ")):
        p50, p95 = percentile(result[key], 50), percentile(result[key], 95)
        base95 = percentile(baseline[key], 95) if baseline else 0
        print(f"    {label} p50 {p50:5.2f} s  p95 {p95:5.2f} s"
              f"  max {max(result[key], default=float('nan')):5.2f} s{ratio(p95, base95)}")
    f50, f95 = percentile(result["to_first"], 50), percentile(result["to_first"], 95)
    print(f"    vendor first take -> first take playable     p50 {f50:5.2f} s  p95 {f95:5.2f} s")
    base_held = sum(baseline["held"].values()) / max(baseline["done"], 1) if baseline else 0
    print(f"    worker-seconds held per generation           {held / done:6.3f} s"
          f"   ({held / (2 * result['wall']) * 100:.0f}% of 2 workers over the phase)"
          f"{ratio(held / done, base_held)}")
    parts = ", ".join(f"{name} {result['jobs'][name]} jobs {seconds:.1f} s"
                      for name, seconds in result["held"].most_common())
    print(f"      by job: {parts}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--songs", type=int, default=500)
    ap.add_argument("--delay", type=float, default=30.0,
                    help="seconds from create to the vendor's SUCCESS (±10 %%)")
    ap.add_argument("--take-seconds", type=float, default=10.0)
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--phases", default="callbacks,polling")
    a = ap.parse_args()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    logging.getLogger("django-q").setLevel(logging.WARNING)
    owner = get_user_model().objects.create_user("bench", password="bench-passphrase")
    vendor = Vendor(delay=a.delay, take=mp3(a.take_seconds), cover=png())
    studio = start_studio()
    print(f"Upstream tracking benchmark: {a.songs} songs in flight per phase, vendor delay "
          f"{a.delay:.0f} s, {a.take_seconds:.0f} s takes, 2 workers, "
          f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, poll ladder "
          f"{','.join(f'{s:g}' for s in settings.STUDIO_UPSTREAM_POLL)} s")
    try:
        results = {}
        for phase in a.phases.split(","):
            results[phase] = run_phase(phase, vendor, owner, a.songs, a.timeout)
            report(results[phase], results.get("callbacks") if phase != "callbacks" else None)
        print(f"\n  callbacks delivered, by Studio's answer: {dict(vendor.callback_answers)}")
        if vendor.callback_times:
            waited = [w for w, _ in vendor.callback_times]
            answered = [a for _, a in vendor.callback_times]
            print(f"  a callback waited for the vendor's {CALLERS} callers p50 "
                  f"{percentile(waited, 50):.2f} s p95 {percentile(waited, 95):.2f} s; Studio "
                  f"answered (merged) in p50 {percentile(answered, 50):.3f} s "
                  f"p95 {percentile(answered, 95):.3f} s")
    finally:
        stop_studio(studio)


if __name__ == "__main__":
    main()
