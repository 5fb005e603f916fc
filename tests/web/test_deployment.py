"""A production configuration passes Django's deployment checks, pages keep working under
the Content-Security-Policy, files are private, and signed links stay out of the log."""
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings as django_settings

from studio.api.models import WebhookSecret
from tests.factories import make_track

ROOT = Path(django_settings.BASE_DIR)
PRODUCTION = {"STUDIO_DEBUG": "0", "STUDIO_HTTPS": "1", "STUDIO_SECURE_PROXY": "1",
              "STUDIO_HSTS_PRELOAD": "1", "STUDIO_ALLOWED_HOSTS": "studio.example.com",
              "STUDIO_SMTP_HOST": "smtp.example.com",
              "STUDIO_SECRET_KEY": "k3-" + "x7Qz!p9#Lm2@vB8$" * 4}


def manage(*args, data_dir, extra=None, **kwargs):
    env = {**os.environ, "STUDIO_DATA_DIR": str(data_dir), "STUDIO_NO_BOOTSTRAP": "1",
           **(extra or {})}
    env.pop("STUDIO_MEDIA_ROOT", None)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=False,
                          capture_output=True, text=True, timeout=120, **kwargs)


def test_check_deploy_reports_no_issues_in_production_settings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", data_dir=tmp_path,
                    extra=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_about_a_site_without_https(tmp_path):
    result = manage("check", "--deploy", data_dir=tmp_path,
                    extra={**PRODUCTION, "STUDIO_HTTPS": "0"})
    assert "security.W008" in result.stderr + result.stdout  # no SSL redirect


def test_database_and_media_are_private_from_the_first_migrate(tmp_path):
    data = tmp_path / "var"
    result = manage("migrate", "-v", "0", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert data.stat().st_mode & 0o777 == 0o700
    assert (data / "media").stat().st_mode & 0o777 == 0o700
    for name in ("studio.sqlite3", "studio.sqlite3-wal", "secret_key"):
        if (data / name).exists():
            assert (data / name).stat().st_mode & 0o777 == 0o600, name


@pytest.mark.django_db
def test_stored_files_are_private(owner):
    track = make_track(owner)
    assert os.stat(track.audio.path).st_mode & 0o777 == 0o600
    assert os.stat(os.path.dirname(track.audio.path)).st_mode & 0o777 == 0o700


INLINE = [re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), re.compile(r"<style", re.IGNORECASE),
          re.compile(r"\sstyle=", re.IGNORECASE), re.compile(r"\son[a-z]+=", re.IGNORECASE),
          re.compile(r"javascript:", re.IGNORECASE), re.compile(r"hx-on", re.IGNORECASE),
          re.compile(r"hx-trigger=\"[^\"]*\[", re.IGNORECASE)]  # a trigger filter is eval'd JS


@pytest.mark.django_db
def test_pages_carry_a_csp_and_nothing_it_would_block(client, owner):
    track = make_track(owner)
    anonymous = ["/accounts/login/", "/accounts/signup/", "/accounts/password_reset/"]
    pages = ["/", "/create/", "/create/?mode=extend", "/create/?mode=cover", f"/tracks/{track.pk}/",
             f"/generations/{track.generation.pk}/", "/api/keys/",
             "/accounts/password_change/", f"/tracks/{track.pk}/delete",
             "/api/keys/webhook-secret"]
    for url in anonymous:
        check_page(client.get(url), url)
    client.force_login(owner)
    for url in pages:
        check_page(client.get(url), url)


def check_page(response, url):
    assert response.status_code == 200, url
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    html = response.content.decode()
    for pattern in INLINE:
        assert not pattern.search(html), (url, pattern.pattern, pattern.search(html).group())
    if "htmx" in html:
        assert '"includeIndicatorStyles": false' in html


@pytest.mark.django_db
def test_keys_page_is_never_cached_and_shows_the_secret_once(owner_client, owner):
    first = owner_client.get("/api/keys/")
    assert "no-store" in first["Cache-Control"]
    secret = WebhookSecret.for_user(owner).secret
    assert secret in first.content.decode()
    again = owner_client.get("/api/keys/")
    assert secret not in again.content.decode() and secret[:4] in again.content.decode()
    rotated = owner_client.post("/api/keys/webhook-secret")
    assert "no-store" in rotated["Cache-Control"]
    new = WebhookSecret.for_user(owner).secret
    assert new != secret and new in rotated.content.decode()
    assert new not in owner_client.get("/api/keys/").content.decode()
    created = owner_client.post("/api/keys/", {"name": "cron"})
    assert "no-store" in created["Cache-Control"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_runserver_access_log_hides_signed_links(tmp_path):
    """The real request log: runserver over loopback, asked for a signed link."""
    assert manage("migrate", "-v", "0", data_dir=tmp_path).returncode == 0
    port = _free_port()
    env = {**os.environ, "STUDIO_DATA_DIR": str(tmp_path), "STUDIO_NO_BOOTSTRAP": "1",
           "PYTHONUNBUFFERED": "1"}
    token = "aSECRETTOKEN0123456789:1tXyZ:signaturepart"
    with open(tmp_path / "server.log", "w") as log:
        server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload",
                                   f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log,
                                  stderr=subprocess.STDOUT)
        _ask_for_a_signed_link(server, port, token)
    written = (tmp_path / "server.log").read_text()
    assert "/api/files/[signed]" in written, written
    assert "SECRETTOKEN" not in written and "signaturepart" not in written


def _ask_for_a_signed_link(server, port, token):
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/files/{token}", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        httpx.get(f"http://127.0.0.1:{port}/api/files/{token}.mp3?x=1", timeout=5)
        time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(10)
