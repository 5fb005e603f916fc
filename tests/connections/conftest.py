"""A second Studio on 127.0.0.1 acting as the vendor: its own data directory, the local
engine, a real worker, an API key made for it. Started once per test session (its startup is
the slow part), stopped at the end."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from django.conf import settings

from studio.connections.models import Connection
from tests.audio import decode, rms_dbfs


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class VendorStudio:
    def __init__(self, root):
        self.root = root
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("STUDIO_", "DATABASE_URL", "REDIS_URL"))}
        self.env.update(STUDIO_DATA_DIR=str(root), STUDIO_NO_BOOTSTRAP="1",
                        STUDIO_OUTBOUND_ALLOW="127.0.0.1", STUDIO_WORKERS="1",
                        STUDIO_QUEUE_NAME="vendor-studio", STUDIO_CALLBACK_BACKOFF="0.2,0.5",
                        STUDIO_ENGINE_PARALLEL="0", PYTHONUNBUFFERED="1")
        self.manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        self.log = open(root / "vendor.log", "w")

    def run(self, *args) -> str:
        done = subprocess.run([*self.manage, *args], check=False, env=self.env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def start(self) -> None:
        self.run("migrate", "--no-input", "-v", "0")
        self.key = self.run("shell", "-c", (
            "from django.contrib.auth import get_user_model; "
            "from studio.api.models import ApiKey; "
            "user = get_user_model().objects.create_user('vendor', password='x-long-passphrase'); "
            "print(ApiKey.issue(user, 'studio under test')[1])")).splitlines()[-1]
        self.process = subprocess.Popen([*self.manage, "up", f"127.0.0.1:{self.port}"],
                                        env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.root / "vendor.log").read_text()
            try:
                answer = httpx.get(self.url + "/api/v1/generate/credit", timeout=2,
                                   headers={"Authorization": f"Bearer {self.key}"})
                if answer.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        pytest.fail("the vendor Studio did not start: " + (self.root / "vendor.log").read_text())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # `up` stops its web server and worker
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@pytest.fixture(scope="session")
def vendor_studio(tmp_path_factory):
    vendor = VendorStudio(tmp_path_factory.mktemp("vendor-studio"))
    vendor.start()
    yield vendor
    vendor.stop()


@pytest.fixture
def studio_public(settings, live_server):
    """The Studio under test, reachable by the vendor for callbacks and uploads."""
    settings.STUDIO_BASE_URL = live_server.url.replace("localhost", "127.0.0.1")
    settings.STUDIO_OUTBOUND_ALLOW = ["127.0.0.1"]
    settings.STUDIO_UPSTREAM_POLL = [0.2, 0.5, 1.0]
    return live_server.url


def connect(owner, vendor, *, family="kie", name="vendor studio", key="") -> Connection:
    # A Studio answers with kie's codes (429 = rate limited), so it is a kie-family vendor.
    connection = Connection(owner=owner, name=name, family=family, base_url=vendor.url)
    connection.set_api_key(key or vendor.key)
    connection.save()
    return connection


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Personas are made per test; PBKDF2's deliberate slowness buys these tests nothing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def vendor_takes(vendor, generation, *, legacy=False) -> dict:
    """What the vendor says it made for `generation`: {take id: (duration, request param)},
    read from its own status endpoint with its key."""
    auth = {"Authorization": f"Bearer {vendor.key}"}
    if legacy:
        answer = httpx.post(vendor.url + "/suno/music/get-task", headers=auth, timeout=10,
                            json={"task_id": generation.engine_task_id}).json()
        return {c["id"]: (float(c["duration"]), None) for c in answer["clips"]}
    data = httpx.get(vendor.url + "/api/v1/generate/record-info", headers=auth, timeout=10,
                     params={"taskId": generation.engine_task_id}).json()["data"]
    param = json.loads(data["param"])
    return {t["id"]: (float(t["duration"]), param) for t in data["response"]["sunoData"]}


def assert_kept_as_the_vendor_made_it(generation, vendor, settings, *, legacy=False):
    """Both takes stored in our media, decodable, as long as the vendor says it made them,
    with peaks and a cover; the tracks in id order of variation."""
    made = vendor_takes(vendor, generation, legacy=legacy)
    tracks = list(generation.tracks.order_by("variation"))
    assert [t.variation for t in tracks] == [0, 1]
    assert sorted(t.engine_id for t in tracks) == sorted(made)
    for track in tracks:
        assert track.audio.path.startswith(str(settings.MEDIA_ROOT))  # ours, not a link
        samples, rate = decode(track.audio.path)
        duration = len(samples) / rate
        assert abs(duration - made[track.engine_id][0]) < 0.2, (duration, made)
        assert abs(track.duration - duration) < 0.05
        assert rms_dbfs(samples) > -40  # sound, not silence
        assert len(track.peaks) == 200 and max(track.peaks) > 0
        assert track.cover and os.path.getsize(track.cover.path) > 1000
    return tracks


def assert_nothing_links_to(vendor, client, generation, api_key):
    """Our library, track pages and API answers name no address of the vendor's."""
    pages = [client.get("/"), *(client.get(f"/tracks/{t.pk}/")
                                         for t in generation.tracks.all())]
    pages.append(client.get("/api/v1/generate/record-info", {"taskId": str(generation.pk)},
                            HTTP_AUTHORIZATION=f"Bearer {api_key}"))
    for page in pages:
        assert page.status_code == 200
        text = page.content.decode()
        assert vendor.url not in text and f":{vendor.port}" not in text
