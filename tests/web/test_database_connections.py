"""A kept PostgreSQL connection that the server dropped is replaced before a request uses
it (studio/postgres: the health check asks the socket, and pings only when the server has
said something). Through gunicorn, whose worker keeps its connection across requests."""
import os
import subprocess
import sys
import tempfile
import time

import httpx
import pytest
from django.conf import settings
from django.db import connection

from studio.api.models import ApiKey
from tests.web.test_production import ROOT, _free_port

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'")


@pytest.fixture
def gunicorn(transactional_db):
    """One gunicorn worker with one thread on the test database: one kept connection."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    port = _free_port()
    log = tempfile.TemporaryFile(mode="w+")
    env = {**os.environ, "DATABASE_URL": url, "STUDIO_NO_BOOTSTRAP": "1",
           "STUDIO_DATA_DIR": str(settings.DATA_DIR)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "studio.wsgi", "--workers", "1", "--threads", "1",
         "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log,
        stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, log.seek(0) or log.read()
        try:
            httpx.get(base + "/healthz", timeout=2)
            break
        except httpx.TransportError:
            assert time.monotonic() < deadline
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(20)
    log.close()


def test_a_connection_the_server_dropped_is_replaced_before_the_request(gunicorn, owner):
    """The server (a restart, an idle timeout, an administrator) ends the web process's
    kept connection between two requests: the next request is answered, not failed."""
    headers = {"Authorization": f"Bearer {ApiKey.issue(owner, 'script')[1]}"}
    url = f"{gunicorn}/api/v1/generate/credit"
    assert httpx.get(url, headers=headers).json()["code"] == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                       "AND backend_type = 'client backend'")
        assert cursor.fetchall()  # gunicorn's kept connection (and its poll listener's)
    time.sleep(0.2)  # the server's goodbye reaches the socket
    for _ in range(3):
        answer = httpx.get(url, headers=headers).json()
        assert answer["code"] == 200, answer
