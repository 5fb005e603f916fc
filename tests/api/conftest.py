"""API personas: each user has a key; `api` speaks JSON with it, as a vendor's script would."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from studio.api.models import ApiKey
from tests.factories import make_track


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Personas are made per test; PBKDF2's deliberate slowness buys these tests nothing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class ApiClient:
    """Django's test client with a bearer key and JSON bodies."""

    def __init__(self, client, key: str | None):
        self.client, self.key = client, key

    def headers(self):
        return {"Authorization": f"Bearer {self.key}"} if self.key else {}

    def post(self, path, data=None, **kwargs):
        body = data if isinstance(data, (str, bytes)) else json.dumps(data or {})
        response = self.client.post(path, body, content_type=kwargs.pop(
            "content_type", "application/json"), headers=self.headers(), **kwargs)
        return response

    def get(self, path, params=None):
        return self.client.get(path, params or {}, headers=self.headers())

    def record(self, task_id):
        return self.get("/api/v1/generate/record-info", {"taskId": task_id}).json()


@pytest.fixture
def tide(owner):
    """The owner's two-minute track: long enough to extend from any second a test asks."""
    return make_track(owner, title="Tide", duration=120.0)


@pytest.fixture
def owner_key(owner):
    return ApiKey.issue(owner, "tests")[1]


@pytest.fixture
def stranger_key(stranger):
    return ApiKey.issue(stranger, "mallory's script")[1]


@pytest.fixture
def api(client, owner_key):
    return ApiClient(client, owner_key)


@pytest.fixture
def stranger_api(client, stranger_key):
    return ApiClient(client, stranger_key)


@pytest.fixture
def anonymous_api(client):
    return ApiClient(client, None)


class Receiver:
    """A real HTTP server on 127.0.0.1 that records what it is sent, and when (unix time)."""

    def __init__(self, status=200, *, then=None):
        # `status` answers the first POST; `then` (if given) every later one.
        self.status, self.then, self.requests = status, then, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "body": json.loads(body) if body else None,
                                          "at": time.time()})
                self.send_response(receiver.status)
                if receiver.then is not None:
                    receiver.status = receiver.then
                self.end_headers()
                self.wfile.write(b"ok")

            def do_GET(self):
                served = receiver.files.get(self.path)
                if served is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(served)))
                self.end_headers()
                self.wfile.write(served)

            def log_message(self, *args):
                pass

        self.files = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def loopback_allowed(settings):
    settings.STUDIO_OUTBOUND_ALLOW = ["127.0.0.1"]
    settings.STUDIO_CALLBACK_BACKOFF = [0.05, 0.1]


@pytest.fixture
def receiver(loopback_allowed):
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def api_worker(settings):
    """A real django-q2 worker process (`manage.py qcluster`) that may call back 127.0.0.1."""
    from tests.generation.workers import start_cluster, stop_cluster

    process = start_cluster(settings, STUDIO_OUTBOUND_ALLOW="127.0.0.1",
                            STUDIO_CALLBACK_BACKOFF="0.1,0.2")
    yield process
    stop_cluster(process)
