"""`manage.py up` run as a service manager runs it: one SIGTERM stops all it started."""
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.worker  # starts a real cluster, with its workers


def _free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _processes_carrying(mark: str) -> list[int]:
    """Every live process whose environment holds `mark`: all that `up` started inherit it,
    whatever their parent is now."""
    needle = f"STUDIO_UP_TEST={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:  # gone meanwhile, or a zombie: nothing that runs
            continue
    return found


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def studio_up(tmp_path):
    mark, port = uuid.uuid4().hex, _free_loopback_port()
    env = {**os.environ, "STUDIO_DATA_DIR": str(tmp_path), "STUDIO_NO_BOOTSTRAP": "1",
           "STUDIO_WORKERS": "2", "STUDIO_UP_TEST": mark}
    env.pop("DATABASE_URL", None)  # a database of its own, under tmp_path
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen([sys.executable, str(settings.BASE_DIR / "manage.py"), "up",
                                f"127.0.0.1:{port}"], env=env, stdout=log,
                               stderr=subprocess.STDOUT, text=True)
    process.mark, process.url, process.log = mark, f"http://127.0.0.1:{port}/accounts/login/", log
    process.env, process.database = env, tmp_path / "studio.sqlite3"
    yield process
    for pid in _processes_carrying(mark):  # whatever the test found still running
        os.kill(pid, signal.SIGKILL)
    process.kill()
    process.wait()
    log.close()


def _log(process) -> str:
    process.log.seek(0)
    return process.log.read()


# A four-minute song (`_duration` is the engine's own length hint), long enough to be still
# rendering when Studio is told to stop.
QUEUE_A_LONG_SONG = """
from django.contrib.auth import get_user_model
from studio.generation import jobs
from studio.generation.models import Generation
owner = get_user_model().objects.create_user("ada", password="a-long-passphrase")
generation = Generation.objects.create(owner=owner, params={
    "prompt": "a long slow drone for the night shift", "model": "V4_5", "_duration": 240})
jobs.enqueue(generation.pk)
"""


def _status(database: Path) -> str | None:
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT status FROM generation_generation").fetchone()
    return row and row[0]


def test_sigterm_stops_web_server_cluster_busy_workers_and_engine_helpers(studio_up):
    deadline = time.monotonic() + 180
    # Up means: the web server answers, and two workers have each forked an engine helper
    # (the local engine warms up a worker by forking its helper): at least 10 processes.
    while not (_answers(studio_up.url) and len(_processes_carrying(studio_up.mark)) >= 10):
        assert studio_up.poll() is None, _log(studio_up)
        assert time.monotonic() < deadline, (_processes_carrying(studio_up.mark), _log(studio_up))
        time.sleep(0.5)
    subprocess.run([sys.executable, str(settings.BASE_DIR / "manage.py"), "shell", "-c",
                    QUEUE_A_LONG_SONG], env=studio_up.env, check=True)
    while _status(studio_up.database) == "PENDING":  # a worker is now busy with it
        assert time.monotonic() < deadline, _log(studio_up)
        time.sleep(0.2)

    studio_up.send_signal(signal.SIGTERM)
    studio_up.wait(60)

    deadline = time.monotonic() + 5  # the kernel may take a moment to tear the last ones down
    while (left := _processes_carrying(studio_up.mark)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left == [], _log(studio_up)
    assert not _answers(studio_up.url)
