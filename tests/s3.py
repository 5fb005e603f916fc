"""Media on a real S3 emulator: moto's server on 127.0.0.1, one bucket per test.

`use_s3(settings, tmp_path)` points Django's default storage at a fresh bucket (as settings.py
does for STUDIO_S3_BUCKET) and takes streams through Redis, so nothing reaches the test's
media directory; `worker_env()` gives a worker process the same bucket and Redis but its own
media directory: web and worker share no file. `STUDIO_TEST_S3=1 manage.py test …` runs any
test this way (tests/conftest.py); tests/library/test_s3_media.py always does.
"""
from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

import pytest

KEY, SECRET, REGION = "studio-test", "studio-test-secret", "us-east-1"
_server = None


def endpoint() -> str:
    """moto's S3 server for this test session (started on first use, stopped at exit)."""
    global _server
    if _server is None:
        import atexit

        from moto.server import ThreadedMotoServer

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        _server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        _server.start()
        _server.url = f"http://127.0.0.1:{port}"
        atexit.register(_server.stop)
    return _server.url


def redis_url() -> str:
    """The Redis the stream relay uses: the broker's (CI's second pass), else this machine's."""
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"S3 media tests take streams through Redis; none answers at {url}")
    return url


def client():
    import boto3

    return boto3.client("s3", endpoint_url=endpoint(), region_name=REGION,
                        aws_access_key_id=KEY, aws_secret_access_key=SECRET)


def use_s3(settings, tmp_path, bucket_name: str | None = None) -> str:
    """Media in `bucket_name` (a fresh bucket if None: the browser tests share one with
    their servers and workers for the session); its name."""
    from studio.settings import s3_storage

    name = bucket_name or bucket()
    relay = redis_url()
    settings.STUDIO_S3_BUCKET, settings.STUDIO_S3_ENDPOINT = name, endpoint()
    settings.STUDIO_S3_REGION = REGION
    settings.AWS_ACCESS_KEY_ID, settings.AWS_SECRET_ACCESS_KEY = KEY, SECRET
    settings.S3_MEDIA = True
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(
        name, endpoint(), REGION, KEY, SECRET, settings.STUDIO_S3_URL_SECONDS)}
    settings.STUDIO_STREAM_RELAY = settings.STREAM_REDIS_URL = relay
    return name


def bucket() -> str:
    """A fresh, empty bucket on the session's server."""
    name = f"studio-{uuid.uuid4().hex[:16]}"
    client().create_bucket(Bucket=name)
    return name


def host_env(bucket_name: str, relay: str) -> dict:
    """What a process on another host needs for media in `bucket_name` and streams through
    Redis at `relay` (its media directory stays its own: only the bucket is shared)."""
    return {"STUDIO_S3_BUCKET": bucket_name, "STUDIO_S3_ENDPOINT": endpoint(),
            "STUDIO_S3_REGION": REGION, "AWS_ACCESS_KEY_ID": KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET, "STUDIO_STREAM_RELAY": relay}


def worker_env(settings) -> dict:
    """What a worker process needs for the test's bucket, with a media directory of its own."""
    if not getattr(settings, "S3_MEDIA", False):  # the browser's module worker passes a few
        return {}
    own = settings.MEDIA_ROOT.parent / "worker-media"
    own.mkdir(exist_ok=True)
    return {**host_env(settings.STUDIO_S3_BUCKET, settings.STREAM_REDIS_URL),
            "STUDIO_MEDIA_ROOT": str(own)}


def keys(bucket_name: str) -> list[str]:
    """Every object's key in the bucket."""
    pages = client().get_paginator("list_objects_v2").paginate(Bucket=bucket_name)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]


def objects(bucket_name: str) -> dict[str, bytes]:
    """Every object in the bucket, by key."""
    s3 = client()
    return {key: s3.get_object(Bucket=bucket_name, Key=key)["Body"].read()
            for key in keys(bucket_name)}


_copies = None


def stored(field) -> Path:
    """A path to read a stored file from in a test: its own on local disk, else a copy."""
    global _copies
    from studio import media

    if _copies is None:
        import atexit
        import tempfile

        _copies = tempfile.TemporaryDirectory(prefix="studio-s3-copies-")
        atexit.register(_copies.cleanup)
    return media.local_copy(field.storage, field.name, _copies.name)
