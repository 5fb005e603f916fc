"""`manage.py up --production` for real on 127.0.0.1: gunicorn serves pages, static files
under hashed names (whitenoise, collected at start-up) and HTTP Range requests of audio to a
signed-in owner; unsafe settings stop it before anything starts."""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from tests.generation.workers import children, wait_until

pytestmark = pytest.mark.worker  # `up` starts a real cluster beside the web server

ROOT = Path(settings.BASE_DIR)
KEY = "k3-" + "x7Qz!p9#Lm2@vB8$" * 4

MAKE_A_TRACK = """
from django.contrib.auth import get_user_model
from tests.factories import make_track
owner = get_user_model().objects.create_user("ada", password="a-long-passphrase-1")
track = make_track(owner)
print("TRACK", track.pk, track.audio.path)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(tmp_path, **extra) -> dict:
    env = {**os.environ, "STUDIO_DATA_DIR": str(tmp_path), "STUDIO_NO_BOOTSTRAP": "1",
           "STUDIO_SECRET_KEY": KEY, "STUDIO_ALLOWED_HOSTS": "127.0.0.1",
           "STUDIO_WORKERS": "1", "STUDIO_WEB_WORKERS": "2", "STUDIO_WEB_THREADS": "4",
           **extra}
    for name in ("DATABASE_URL", "STUDIO_MEDIA_ROOT", "STUDIO_DEBUG"):
        env.pop(name, None)  # a database and media of its own, under tmp_path
    return env


@pytest.fixture
def production(tmp_path):
    port = _free_port()
    env = _environment(tmp_path)
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen([sys.executable, "manage.py", "up", "--production",
                                f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    process.base, process.env, process.log = f"http://127.0.0.1:{port}", env, log
    deadline = time.monotonic() + 90
    while True:
        assert process.poll() is None, _log(process)
        try:
            if httpx.get(process.base + "/accounts/login/", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, _log(process)
        time.sleep(0.3)
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # whatever is left of its own group
        except ProcessLookupError:
            pass
        log.close()


def _log(process) -> str:
    process.log.seek(0)
    return process.log.read()


def test_gunicorn_serves_a_page_and_a_hashed_static_file(production):
    page = httpx.get(production.base + "/accounts/login/")
    assert page.status_code == 200 and page.headers["server"].startswith("gunicorn")
    stylesheet = re.search(r'href="(/static/css/studio\.[0-9a-f]{12}\.css)"', page.text)
    assert stylesheet, page.text  # a hashed name, from the manifest collectstatic wrote
    css = httpx.get(production.base + stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    assert "immutable" in css.headers["cache-control"]
    assert css.headers.get("content-encoding") == "gzip"  # compressed once, at collectstatic
    assert (ROOT / "static/css/studio.css").read_text() == css.text
    # The unhashed name (an old bookmark) still answers, but may not be cached for long:
    # only a name that changes with the content is immutable.
    plain = httpx.get(production.base + "/static/css/studio.css")
    assert plain.status_code == 200 and "immutable" not in plain.headers["cache-control"]


def test_gunicorn_answers_a_range_request_for_the_owner(production):
    made = subprocess.run([sys.executable, "manage.py", "shell", "-c", MAKE_A_TRACK], cwd=ROOT,
                          env=production.env, capture_output=True, text=True, check=True)
    _, pk, path = next(line for line in made.stdout.splitlines()
                       if line.startswith("TRACK ")).split()
    stored = Path(path).read_bytes()
    with httpx.Client(base_url=production.base) as browser:
        browser.get("/accounts/login/")
        signed_in = browser.post("/accounts/login/", data={
            "username": "ada", "password": "a-long-passphrase-1",
            "csrfmiddlewaretoken": browser.cookies["csrftoken"]})
        assert signed_in.status_code == 302, signed_in.text
        piece = browser.get(f"/tracks/{pk}/audio.mp3", headers={"Range": "bytes=100-1099"})
        assert piece.status_code == 206
        assert piece.headers["content-range"] == f"bytes 100-1099/{len(stored)}"
        assert piece.content == stored[100:1100]
        tail = browser.get(f"/tracks/{pk}/audio.mp3", headers={"Range": "bytes=-500"})
        assert tail.status_code == 206 and tail.content == stored[-500:]
    stranger = httpx.get(f"{production.base}/tracks/{pk}/audio.mp3",
                         headers={"Range": "bytes=0-99"})
    assert stranger.status_code == 302  # to the sign-in page, no bytes


def test_health_is_ok_once_the_worker_up_started_reports(production):
    """`up --production` starts a worker beside gunicorn: /healthz, asked through gunicorn,
    turns 200 once that worker's heartbeat arrives, and tells an anonymous caller words only."""
    deadline = time.monotonic() + 90
    while (health := httpx.get(production.base + "/healthz")).status_code != 200:
        assert health.status_code == 503, health.text
        assert time.monotonic() < deadline, (health.text, _log(production))
        time.sleep(0.5)
    assert health.json() == {"status": "ok", "checks": {
        "database": "ok", "broker": "ok", "worker": "ok", "queue": "ok", "disk": "ok"}}


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _extension_modules(pid: int) -> set[str]:
    """The installed packages' compiled modules mapped into a process."""
    return {line.split()[-1] for line in Path(f"/proc/{pid}/maps").read_text().splitlines()
            if "site-packages/" in line and ".so" in line}


def test_workers_are_forked_with_the_app_loaded_and_web_processes_load_no_engine(production):
    """gunicorn's arbiter loads the app before it forks its workers (preload_app), and the
    cluster's parent loads the engine before it forks the sentinel, which forks the workers:
    every compiled module a worker uses is already in its parent, so those pages are shared
    rather than loaded again per worker (bench/idle.py measures what that saves). Web
    processes never load the engine's DSP libraries (numpy, scipy, pedalboard, LAME)."""
    kids = children()
    arbiter = next(p for p in kids[production.pid] if "gunicorn" in _cmdline(p))
    cluster = next(p for p in kids[production.pid] if "qcluster" in _cmdline(p))
    for web_worker in kids[arbiter]:
        assert not _extension_modules(web_worker) - _extension_modules(arbiter)
    for web_process in (arbiter, *kids[arbiter]):
        loaded = " ".join(_extension_modules(web_process))
        assert not re.search(r"/(numpy|scipy|pedalboard|lameenc|librosa)", loaded), loaded
    # A cluster worker has rendered its warm-up sketch once it maps LAME's encoder.
    worker = wait_until(lambda: next(
        (pid for sentinel in children().get(cluster, []) for pid in children().get(sentinel, [])
         if any("lameenc" in path for path in _extension_modules(pid))), None), seconds=90)
    assert not _extension_modules(worker) - _extension_modules(cluster)


def test_unsafe_settings_stop_production_before_anything_starts(tmp_path):
    env = _environment(tmp_path)
    del env["STUDIO_SECRET_KEY"]
    result = subprocess.run([sys.executable, "manage.py", "up", "--production",
                             f"127.0.0.1:{_free_port()}"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "(studio.E011) STUDIO_SECRET_KEY is not set" in result.stdout + result.stderr
    assert not (tmp_path / "static").exists() or not any((tmp_path / "static").iterdir())
