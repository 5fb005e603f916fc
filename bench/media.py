"""Media on S3 and streams without a shared directory: what each way costs. Prints numbers;
asserts nothing.

    STUDIO_NO_BOOTSTRAP=1 .venv/bin/python bench/media.py [--runs 7] [--seconds 60]

Needs Redis on 127.0.0.1:6379 (or REDIS_URL); starts moto's S3 server (the test extra's
`moto_server`) on a free 127.0.0.1 port. Studio runs in this process (Django's test client),
over a temporary SQLite database.

1. First audio of a take heard while it is encoded: the local engine makes a song (one
   `--seconds` take in the foreground, as a worker does) while a listener asks for take 0's
   stream link; measured from the job's start (in a separate engine process, the "worker")
   to the first MP3 byte the listener (this process, the "web") gets.
   `file`: today's growing file in MEDIA_ROOT/streams/ (the view looks every 20 ms);
   `redis`: the pieces through a Redis stream (the view blocks in XREAD). The baseline, in
   the same run: when the engine had the first piece encoded (its own clock, no listener).
2. Audio from the bucket: median latency of a 1-byte Range request (a seek) and seconds for
   a whole 4 MB file, through Studio (a ranged GET passed on) and as a presigned redirect
   followed by the client; the baseline is the same request served from local disk.
3. A seek past what is written (a player seeking ahead of the encoder): from the moment the
   piece that reaches it is written to the 206 the listener gets, and the Redis commands the
   waiting seek sends on the take's stream (counted by MONITOR) while it waits a second.
   `file`: the growing file, looked at every 0.1 s; `redis`: the relay. The baseline, in the
   same run: a seek of bytes already written (no wait).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from measure import free_port, median_ms  # bench/measure.py, beside this file

ROOT = Path(__file__).resolve().parents[1]
DATA = tempfile.TemporaryDirectory(prefix="studio-bench-media-")
KEY, SECRET = "bench", "bench-secret"


def start_moto() -> tuple[subprocess.Popen, str]:
    import httpx

    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1",
                               "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(url, timeout=1)
            return server, url
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("moto_server did not start")


def setup(endpoint: str, redis_url: str):
    bucket = "studio-bench"
    os.environ.update({
        "STUDIO_DATA_DIR": DATA.name, "STUDIO_NO_BOOTSTRAP": "1", "DJANGO_SETTINGS_MODULE": "studio.settings",
        "STUDIO_S3_BUCKET": bucket, "STUDIO_S3_ENDPOINT": endpoint, "AWS_ACCESS_KEY_ID": KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET, "STUDIO_STREAM_RELAY": redis_url, "STUDIO_ALLOWED_HOSTS": "testserver"})
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)  # jobs are not queued here; the relay is named above
    sys.path.insert(0, str(ROOT))
    import boto3
    import django

    django.setup()
    from django.core.management import call_command

    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=KEY,
                 aws_secret_access_key=SECRET).create_bucket(Bucket=bucket)
    call_command("migrate", verbosity=0)


def _engine_process(conn, seconds: float) -> None:
    """The worker: a separate process, as on another host; reports its own clock."""
    from django.db import connections

    connections.close_all()  # the parent's; the engine needs no database
    from studio.engines.base import EngineRequest
    from studio.engines.local import engine as local
    from studio.engines.local.engine import LocalEngine

    encoded_at: list[float] = []
    real = local.stream_mp3

    def clocked(path, audio, sr=44100, relay=None):
        class First:  # passes every piece on; notes when the first one was encoded
            def append(self, piece):
                if piece and not encoded_at:
                    encoded_at.append(time.perf_counter())
                if relay is not None:
                    relay.append(piece)
        return real(path, audio, sr, relay=First())

    local.stream_mp3 = clocked
    engine = LocalEngine()

    class Sink:
        def planned(self, plan):
            pass

        def take(self, take):
            pass

    while (job := conn.recv()) is not None:
        stream_dir, relay, seed = job
        with tempfile.TemporaryDirectory() as wd:
            request = EngineRequest(mode="generate", model="V4_5", model_name="chirp-auk", seed=seed,
                                    workdir=Path(wd), style="synthwave, upbeat", title="Bench",
                                    instrumental=True, target_seconds=seconds, max_seconds=480.0,
                                    stream_dir=Path(stream_dir), stream_relay=relay)
            encoded_at.clear()
            start = time.perf_counter()
            engine.generate(request, Sink())
        conn.send((start, encoded_at[0]))


def first_audio(client, owner, seconds: float, runs: int, redis_url: str) -> None:
    import multiprocessing

    from django.test import override_settings

    from studio.generation import streams
    from studio.generation.models import Generation, Status

    parent, child = multiprocessing.Pipe()
    worker = multiprocessing.get_context("fork").Process(target=_engine_process, args=(child, seconds))
    worker.start()

    def one(mode: str, seed: int, listening: bool = True) -> tuple[float, float]:
        relay = redis_url if mode == "redis" else "file"
        with override_settings(STUDIO_STREAM_RELAY=relay, STREAM_REDIS_URL=redis_url if mode == "redis" else ""):
            generation = Generation.objects.create(owner=owner, status=Status.TEXT_SUCCESS, params={})
            heard: list[float] = []

            def listen():
                response = client.get(f"/generations/{generation.pk}/takes/0/stream.mp3")
                for piece in response.streaming_content:
                    if piece:
                        heard.append(time.perf_counter())
                        break
                response.close()

            listener = threading.Thread(target=listen if listening else heard.clear)
            listener.start()
            time.sleep(0.3)  # the listener is waiting for the take, as a page's player is
            parent.send((str(streams.stream_dir_for(generation)), streams.relay_for(generation), seed))
            start, encoded = parent.recv()
            listener.join(30)
            streams.discard(generation)
            return encoded - start, heard[0] - start if listening else 0.0

    try:
        one("file", 1, listening=False)  # warm the engine (a worker's warm-up)
        one("file", 1)  # and both paths
        one("redis", 1)
        rows = {"file": [], "redis": []}
        for k in range(runs):
            for mode in ("file", "redis") if k % 2 == 0 else ("redis", "file"):
                rows[mode].append(one(mode, 2 + k))
    finally:
        parent.send(None)
        worker.join(30)
    print(f"\n1. First audio of a take while it is encoded ({seconds:g} s takes, median of {runs})")
    print(f"   {'relay':<8}{'encoded (ms)':>14}{'heard (ms)':>12}{'heard - encoded':>17}{'heard / encoded':>17}")
    for mode, got in rows.items():
        enc = statistics.median(e for e, _ in got)
        heard = statistics.median(h for _, h in got)
        lag = statistics.median(h - e for e, h in got)
        ratio = statistics.median(h / e for e, h in got)
        print(f"   {mode:<8}{enc * 1000:>14.1f}{heard * 1000:>12.1f}{lag * 1000:>17.1f}{ratio:>17.3f}")


def seek_waiting(client, owner, runs: int, redis_url: str) -> None:
    import redis
    from django.test import override_settings

    from studio.generation import streams
    from studio.generation.models import Generation, Status
    from studio.relay import Writer

    data = os.urandom(64 * 1024)
    wait = 1.0  # seconds the seek waits before the piece comes

    def watch(key: str, commands: list, ready: threading.Event) -> None:
        with redis.Redis.from_url(redis_url).monitor() as monitor:
            ready.set()
            for seen in monitor.listen():
                if f"{key}:stop" in seen["command"]:
                    return
                if key in seen["command"] and not seen["command"].upper().startswith(("XADD", "EXPIRE")):
                    commands.append(seen["command"].split()[0].upper())

    def one(mode: str, ahead: bool) -> tuple[float, int]:
        relayed = mode == "redis"
        with override_settings(STUDIO_STREAM_RELAY=redis_url if relayed else "file",
                               STREAM_REDIS_URL=redis_url if relayed else ""):
            generation = Generation.objects.create(owner=owner, status=Status.TEXT_SUCCESS, params={})
            commands, ready = [], threading.Event()
            if relayed:
                relay = streams.relay_for(generation)
                key = f"{relay['key']}:0"
                writer = Writer(relay["url"], key, relay["ttl"])
                append = writer.append
                watcher = threading.Thread(target=watch, args=(key, commands, ready))
                watcher.start()
                ready.wait(10)
            else:
                part = streams.take_path(generation, 0).with_name("take-0.mp3.part")
                streams.stream_dir_for(generation)

                def append(piece: bytes) -> None:
                    with open(part, "ab") as fh:
                        fh.write(piece)
            append(data[:16384])
            written_at: list[float] = []

            def rest():
                time.sleep(wait)
                written_at.append(time.perf_counter())
                append(data[16384:])

            writer_thread = threading.Thread(target=rest)
            writer_thread.start()
            asked = time.perf_counter()
            first = 32768 if ahead else 0
            response = client.get(f"/generations/{generation.pk}/takes/0/stream.mp3",
                                  headers={"Range": f"bytes={first}-{first + 99}"})
            answered = time.perf_counter()
            assert response.status_code == 206, response.status_code
            writer_thread.join(30)
            if relayed:
                redis.Redis.from_url(redis_url).exists(f"{key}:stop")
                watcher.join(10)
            streams.discard(generation)
            return (answered - written_at[0] if ahead else answered - asked), len(commands)

    rows = {}
    for mode in ("file", "redis"):
        one(mode, True)  # warm
        rows[mode] = {"now": [one(mode, False) for _ in range(runs)],
                      "ahead": [one(mode, True) for _ in range(runs)]}
    print(f"\n3. A seek past what is written, answered when the piece comes ({wait:g} s later; median of {runs})")
    print(f"   {'relay':<8}{'written (ms)':>14}{'ahead (ms)':>12}{'ratio':>8}{'Redis commands':>16}")
    for mode, got in rows.items():
        now = statistics.median(t for t, _ in got["now"]) * 1000
        ahead = statistics.median(t for t, _ in got["ahead"]) * 1000
        sent = statistics.median(n for _, n in got["ahead"]) if mode == "redis" else 0
        print(f"   {mode:<8}{now:>14.2f}{ahead:>12.2f}{ahead / now:>8.1f}{sent:>16g}")
    print("   (written: a seek of bytes already there; ahead: from the piece's write to the 206)")


def range_serving(client, owner, runs: int) -> None:
    import httpx
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage, default_storage
    from django.test import override_settings

    from studio import media
    from studio.generation.models import Generation, Status
    from studio.library.models import Track

    body = os.urandom(4 << 20)
    generation = Generation.objects.create(owner=owner, status=Status.SUCCESS, params={})
    track = Track(owner=owner, generation=generation, variation=0, title="Bench", duration=1.0)
    track.audio.save("audio.mp3", ContentFile(body), save=False)
    track.save()
    disk = FileSystemStorage(location=Path(DATA.name) / "disk")
    disk.save(track.audio.name, ContentFile(body))
    url = f"/tracks/{track.pk}/audio.mp3"
    direct = httpx.Client(timeout=30)

    def fetch(storage, presigned: bool, headers: dict) -> bytes:
        with override_settings(STUDIO_S3_PRESIGNED=presigned):
            from django.test import RequestFactory

            request = RequestFactory().get(url, headers=headers)
            request.user = owner
            response = media.serve(request, storage, track.audio.name, content_type="audio/mpeg")
        if response.status_code == 302:  # the browser follows it to the bucket
            return direct.get(response["Location"], headers=headers).content
        return b"".join(response.streaming_content)

    ways = {"local disk (today)": (disk, False), "S3 through Studio": (default_storage, False),
            "S3 presigned redirect": (default_storage, True)}
    for storage, presigned in ways.values():  # warm: connections, signing keys
        assert fetch(storage, presigned, {"Range": "bytes=9-9"}) == body[9:10]
        assert fetch(storage, presigned, {}) == body
    seek = {name: median_ms(lambda s=s, p=p: fetch(s, p, {"Range": "bytes=9-9"}), runs * 20)
            for name, (s, p) in ways.items()}
    whole = {name: median_ms(lambda s=s, p=p: fetch(s, p, {}), runs) for name, (s, p) in ways.items()}
    base_seek, base_whole = seek["local disk (today)"], whole["local disk (today)"]
    print(f"\n2. Audio from storage (1-byte Range: median of {runs * 20}; whole 4 MB: median of {runs})")
    print(f"   {'served':<24}{'seek (ms)':>10}{'ratio':>8}{'4 MB (ms)':>11}{'ratio':>8}")
    for name in ways:
        print(f"   {name:<24}{seek[name]:>10.2f}{seek[name] / base_seek:>8.1f}"
              f"{whole[name]:>11.1f}{whole[name] / base_whole:>8.1f}")
    print("   (moto is a Python server: its share of the S3 rows is larger than a real store's)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--only", choices=("first-audio", "storage", "seek"), default=None,
                    help="run only this part")
    a = ap.parse_args()
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    moto, endpoint = start_moto()
    try:
        setup(endpoint, redis_url)
        from django.contrib.auth import get_user_model
        from django.test import Client

        owner = get_user_model().objects.create_user("bench", password="bench-passphrase")
        client = Client()
        client.force_login(owner)
        if a.only in (None, "first-audio"):
            first_audio(client, owner, a.seconds, a.runs, redis_url)
        if a.only in (None, "storage"):
            range_serving(client, owner, a.runs)
        if a.only in (None, "seek"):
            seek_waiting(client, owner, a.runs, redis_url)
    finally:
        moto.terminate()
        moto.wait()


if __name__ == "__main__":
    main()
