"""Start-up checks refuse unsafe settings, each naming the environment variable to change.

Every case runs `manage.py check` in a fresh process with that environment, as an operator
would: environment → settings → the check's message."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# each check runs in a fresh `manage.py check` without DATABASE_URL, and starts no broker
# (.ci/run runs them once, in the SQLite pass)
pytestmark = pytest.mark.db_agnostic

ROOT = Path(settings.BASE_DIR)
KEY = "k3-" + "x7Qz!p9#Lm2@vB8$" * 4
SAFE_PRODUCTION = {"STUDIO_PRODUCTION": "1", "STUDIO_SECRET_KEY": KEY,
                   "STUDIO_ALLOWED_HOSTS": "studio.example.com"}


def check(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "STUDIO_DATA_DIR": str(tmp_path / "var"),
                   "STUDIO_NO_BOOTSTRAP": "1", **env}
    for name in ("DATABASE_URL", "STUDIO_MEDIA_ROOT", "STUDIO_PRODUCTION", "STUDIO_DEBUG",
                 "STUDIO_SECRET_KEY", "STUDIO_ALLOWED_HOSTS", "STUDIO_S3_BUCKET",
                 "STUDIO_S3_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                 "STUDIO_JOB_TIMEOUT", "STUDIO_JOB_RETRY", "STUDIO_STREAM_RELAY"):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run([sys.executable, "manage.py", "check", *args], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=120)


def refused(result: subprocess.CompletedProcess, check_id: str, variable: str) -> str:
    said = result.stdout + result.stderr
    assert result.returncode != 0, said
    line = next((line for line in said.splitlines() if f"({check_id})" in line), None)
    assert line is not None, said
    assert variable in line, line
    return line


def test_a_safe_production_configuration_passes(tmp_path):
    result = check(tmp_path, **SAFE_PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_with_a_public_host_names_studio_debug(tmp_path):
    result = check(tmp_path, STUDIO_DEBUG="1", STUDIO_ALLOWED_HOSTS="studio.example.com")
    refused(result, "studio.E010", "STUDIO_DEBUG")


def test_debug_on_this_machine_alone_is_allowed(tmp_path):
    result = check(tmp_path, STUDIO_DEBUG="1", STUDIO_ALLOWED_HOSTS="localhost,127.0.0.1")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_a_secret_key_names_studio_secret_key(tmp_path):
    env = {**SAFE_PRODUCTION}
    del env["STUDIO_SECRET_KEY"]
    refused(check(tmp_path, **env), "studio.E011", "STUDIO_SECRET_KEY")


def test_production_without_hosts_names_studio_allowed_hosts(tmp_path):
    env = {**SAFE_PRODUCTION}
    del env["STUDIO_ALLOWED_HOSTS"]  # production has no default host names
    refused(check(tmp_path, **env), "studio.E012", "STUDIO_ALLOWED_HOSTS")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere: nothing is unwritable")
def test_an_unwritable_media_root_names_studio_media_root(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    media.chmod(0o500)
    try:
        refused(check(tmp_path, STUDIO_MEDIA_ROOT=str(media)), "studio.E013", "STUDIO_MEDIA_ROOT")
    finally:
        media.chmod(0o700)


def test_a_media_root_that_is_a_file_names_studio_media_root(tmp_path):
    """What an unwritable directory is to root too: a path Studio cannot store files under."""
    not_a_directory = tmp_path / "media"
    not_a_directory.write_text("a file where the media directory should be")
    line = refused(check(tmp_path, STUDIO_MEDIA_ROOT=str(not_a_directory)), "studio.E013",
                   "STUDIO_MEDIA_ROOT")
    assert str(not_a_directory) in line


def test_a_media_root_under_a_file_names_studio_media_root(tmp_path):
    (tmp_path / "blocker").write_text("")
    refused(check(tmp_path, STUDIO_MEDIA_ROOT=str(tmp_path / "blocker" / "media")),
            "studio.E013", "STUDIO_MEDIA_ROOT")


def test_a_retry_not_above_the_job_timeout_names_both_variables(tmp_path):
    line = refused(check(tmp_path, STUDIO_JOB_TIMEOUT="600", STUDIO_JOB_RETRY="600"),
                   "studio.E001", "STUDIO_JOB_RETRY")
    assert "STUDIO_JOB_TIMEOUT" in line


def test_the_derived_retry_passes(tmp_path):
    result = check(tmp_path, STUDIO_JOB_TIMEOUT="30")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_s3_bucket_without_credentials_names_the_aws_variables(tmp_path):
    line = refused(check(tmp_path, STUDIO_S3_BUCKET="studio-media"), "studio.E015",
                   "AWS_ACCESS_KEY_ID")
    assert "AWS_SECRET_ACCESS_KEY" in line


def test_an_s3_bucket_with_half_the_credentials_names_the_missing_one(tmp_path):
    line = refused(check(tmp_path, STUDIO_S3_BUCKET="studio-media", AWS_ACCESS_KEY_ID="AKIA1"),
                   "studio.E015", "AWS_SECRET_ACCESS_KEY")
    assert "AWS_ACCESS_KEY_ID and" not in line


def test_an_s3_endpoint_without_a_bucket_names_studio_s3_bucket(tmp_path):
    result = check(tmp_path, STUDIO_S3_ENDPOINT="http://127.0.0.1:9000",
                   AWS_ACCESS_KEY_ID="AKIA1", AWS_SECRET_ACCESS_KEY="secret")
    refused(result, "studio.E014", "STUDIO_S3_BUCKET")


def test_s3_with_credentials_passes(tmp_path):
    result = check(tmp_path, STUDIO_S3_BUCKET="studio-media", AWS_ACCESS_KEY_ID="AKIA1",
                   AWS_SECRET_ACCESS_KEY="secret")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_unknown_stream_relay_names_studio_stream_relay(tmp_path):
    refused(check(tmp_path, STUDIO_STREAM_RELAY="nfs"), "studio.E017", "STUDIO_STREAM_RELAY")


def test_a_redis_stream_relay_without_redis_names_redis_url(tmp_path):
    line = refused(check(tmp_path, STUDIO_STREAM_RELAY="redis", REDIS_URL=""), "studio.E018",
                   "REDIS_URL")
    assert "STUDIO_STREAM_RELAY" in line


def test_s3_media_streaming_through_files_warns_naming_the_relay(tmp_path):
    result = check(tmp_path, STUDIO_S3_BUCKET="studio-media", AWS_ACCESS_KEY_ID="AKIA1",
                   AWS_SECRET_ACCESS_KEY="secret", REDIS_URL="")
    said = result.stdout + result.stderr
    assert result.returncode == 0, said  # a warning: one host, or a shared volume, is fine
    line = next(line for line in said.splitlines() if "(studio.W019)" in line)
    assert "STUDIO_STREAM_RELAY" in line


def test_s3_media_with_redis_streams_through_redis_without_a_warning(tmp_path):
    result = check(tmp_path, STUDIO_S3_BUCKET="studio-media", AWS_ACCESS_KEY_ID="AKIA1",
                   AWS_SECRET_ACCESS_KEY="secret", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0 and "W019" not in result.stdout + result.stderr


def test_check_deploy_passes_in_production_mode(tmp_path):
    result = check(tmp_path, "--deploy", "--fail-level", "WARNING", **SAFE_PRODUCTION,
                   STUDIO_HTTPS="1", STUDIO_SECURE_PROXY="1", STUDIO_HSTS_PRELOAD="1",
                   STUDIO_SMTP_HOST="smtp.example.com")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_without_smtp_warns_naming_studio_smtp_host(tmp_path):
    result = check(tmp_path, "--deploy", **SAFE_PRODUCTION)
    said = result.stdout + result.stderr
    assert result.returncode == 0, said  # a warning: email is optional
    assert "(studio.W016) STUDIO_SMTP_HOST" in said
