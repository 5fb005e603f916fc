"""Starting a real django-q2 cluster (`manage.py qcluster`) against the test database."""
import os
import signal
import subprocess
import sys
import tempfile
import time

import pytest
from django.db import connection


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_cluster(settings, **env) -> subprocess.Popen:
    """One worker, sharing the test database and media (with S3 media, the bucket alone: its
    own media directory, tests/s3.py); `env` adds or overrides variables."""
    from tests.s3 import worker_env

    settings.JOBS_SYNC = False  # the test's jobs go through the broker to the real worker
    env = {**os.environ, "DATABASE_URL": database_url(), "STUDIO_NO_BOOTSTRAP": "1",
           "STUDIO_MEDIA_ROOT": str(settings.MEDIA_ROOT), "STUDIO_JOBS_SYNC": "0",
           "STUDIO_QUEUE_NAME": settings.Q_CLUSTER["name"], "STUDIO_WORKERS": "1",
           **worker_env(settings), **env}
    log = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe nobody reads, which would fill up
    process = subprocess.Popen([sys.executable, str(settings.BASE_DIR / "manage.py"), "qcluster"],
                               env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    process.log = log
    return process


def output(process: subprocess.Popen) -> str:
    process.log.seek(0)
    return process.log.read()


def stop_cluster(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    try:  # anything of the cluster still alive (it runs in its own session)
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.log.close()


def wait_until_final(generation, process, seconds=180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        generation.refresh_from_db()
        if generation.is_final:
            return
        assert process.poll() is None, output(process)
        time.sleep(0.1)
    pytest.fail(f"generation still {generation.status} after {seconds} s "
                f"(claimed by {generation.claimed_by!r}, {generation.attempts} attempts)")


def children() -> dict[int, list[int]]:
    """Every live process's children, by parent id (from /proc)."""
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(entry))
    return kids


def wait_until(condition, seconds=120, every=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    pytest.fail(f"gave up waiting after {seconds} s")
