"""Compare production web servers (gunicorn gthread, granian WSGI) on what Studio serves that
is unusual: HTTP Range requests of audio and long streaming responses (a take's stream that
grows while it is encoded). Prints numbers; asserts nothing.

    STUDIO_NO_BOOTSTRAP=1 .venv/bin/python bench/servers.py [--streams 24]

granian is not one of Studio's dependencies: `.venv/bin/pip install granian` first.

Each server runs Studio (2 processes) on a free 127.0.0.1 port over one temporary data
directory. Measured, over loopback with httpx: median latency of a 1-byte Range request
(signed file link: signature, owner row, file) and of a small page; throughput of a 32 MB
file; and the latency of that page while --streams listeners each hold a growing stream.
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

import httpx
from measure import free_port, median_ms  # bench/measure.py, beside this file

ROOT = Path(__file__).resolve().parents[1]
DATA = tempfile.TemporaryDirectory(prefix="studio-bench-servers-")
ENV = {**os.environ, "STUDIO_DATA_DIR": DATA.name, "STUDIO_NO_BOOTSTRAP": "1",
       "DJANGO_SETTINGS_MODULE": "studio.settings", "PYTHONPATH": str(ROOT)}
ENV.pop("DATABASE_URL", None)
SERVERS = {
    "gunicorn gthread": ["-m", "gunicorn", "studio.wsgi:application", "-k", "gthread",
                         "-w", "2", "--threads", "32", "-b", "127.0.0.1:{port}"],
    "granian wsgi": ["-m", "granian", "--interface", "wsgi", "studio.wsgi:application",
                     "--workers", "2", "--blocking-threads", "32", "--host", "127.0.0.1",
                     "--port", "{port}", "--log-level", "warning"],
}


def prepare() -> dict:
    """Rows and files: a 32 MB track, a generation whose take 0 is 'being encoded'."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(ENV)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from studio.api import files
    from studio.generation import streams
    from studio.generation.models import Generation, Status
    from studio.library.models import Track

    call_command("migrate", verbosity=0)
    owner = get_user_model().objects.create_user("servers", password="bench-passphrase")
    done = Generation.objects.create(owner=owner, status=Status.SUCCESS, params={})
    track = Track(owner=owner, generation=done, variation=0, title="Big", duration=1.0)
    track.audio.save("big.mp3", ContentFile(os.urandom(32 << 20)), save=False)
    track.save()
    live = Generation.objects.create(owner=owner, status=Status.TEXT_SUCCESS, params={})
    part = streams.stream_dir_for(live) / "take-0.mp3.part"
    part.write_bytes(os.urandom(64 << 10))
    audio, _ = files.track_urls(track, "")
    return {"audio": audio, "stream": files.stream_url(live, 0, ""), "part": part}


def measure(name: str, argv: list[str], urls: dict, listeners: int) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, *[a.format(port=port) for a in argv]], cwd=ROOT,
                              env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        client = httpx.Client(base_url=base, timeout=30)
        for _ in range(200):
            try:
                client.get("/accounts/login/")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        for _ in range(50):  # warm both processes
            client.get("/accounts/login/")
        page = median_ms(lambda: client.get("/accounts/login/"), 200)
        seek = median_ms(lambda: client.get(urls["audio"], headers={"Range": "bytes=9-9"}), 300)
        t = time.perf_counter()
        size = len(client.get(urls["audio"]).content)
        mbps = size / (1 << 20) / (time.perf_counter() - t)
        stop, got = threading.Event(), []

        def listen():
            with httpx.Client(base_url=base, timeout=60) as own, own.stream(
                    "GET", urls["stream"]) as response:
                n = 0
                for piece in response.iter_bytes():
                    n += len(piece)
                    if stop.is_set():
                        break
                got.append(n)

        threads = [threading.Thread(target=listen) for _ in range(listeners)]
        for th in threads:
            th.start()
        time.sleep(1.0)
        with open(urls["part"], "ab") as grow:  # the "encoder": 16 KB every 50 ms
            loaded = []
            for _ in range(40):
                grow.write(os.urandom(16 << 10))
                grow.flush()
                t = time.perf_counter()
                try:
                    client.get("/accounts/login/", timeout=5)
                    loaded.append((time.perf_counter() - t) * 1000)
                except httpx.TimeoutException:
                    loaded.append(5000.0)
                time.sleep(0.05)
        stop.set()
        with open(urls["part"], "ab") as grow:
            grow.write(b"\0" * 1024)
        for th in threads:
            th.join(10)
        print(f"{name:18s} page {page:6.2f} ms  1-byte Range {seek:6.2f} ms  "
              f"32 MB at {mbps:6.0f} MB/s  page with {listeners} streams open "
              f"{statistics.median(loaded):7.2f} ms (max {max(loaded):7.1f}), "
              f"{len(got)}/{listeners} streams got bytes")
    finally:
        os.killpg(server.pid, 9)  # a listener's thread may wait on its stream for 30 s more
        server.wait(20)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--streams", type=int, default=24)
    a = ap.parse_args()
    urls = prepare()
    for name, argv in SERVERS.items():
        measure(name, argv, urls, a.streams)


if __name__ == "__main__":
    main()
