"""Personas and shared fixtures. Jobs run inline (JOBS_SYNC) unless a test starts a worker."""
import os

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture(autouse=True)
def _inline_jobs_and_private_media(settings, tmp_path, request):
    settings.JOBS_SYNC = True
    settings.MEDIA_ROOT = tmp_path / "media"
    if os.environ.get("STUDIO_TEST_S3") == "1" or request.node.get_closest_marker("s3"):
        from tests.s3 import use_s3  # media in a bucket of moto's S3 server (tests/s3.py)

        use_s3(settings, tmp_path)


@pytest.fixture(autouse=True)
def _no_jobs_left_by_an_earlier_worker_test(request):
    """A Redis broker keeps a job queued for later (a poll batch armed for a minute on) past
    the test that queued it and the cluster that would have run it: the next test's worker
    would run it, a poll nobody of that test asked for. A test with a worker of its own starts
    with the broker empty, as a flushed database starts the ORM broker's."""
    if not request.node.get_closest_marker("worker"):
        return
    from django.conf import settings

    if "redis" in settings.Q_CLUSTER:
        from tests.broker import lose

        lose()


@pytest.fixture(scope="session", autouse=True)
def _poll_notices_closed_before_teardown(django_db_setup):
    """On PostgreSQL a web process listens for change notices (studio.api.polls) on a
    connection of its own, which would keep the test database from being dropped."""
    yield
    from studio.api import polls

    polls.stop_listening()


@pytest.fixture
def empty_broker():
    """A Redis broker keeps what a test queued past the test's rollback: a test that counts
    or loses queued tasks (tests/broker.py) starts and ends with none there (the ORM broker's
    rows go with the test's transaction)."""
    from django.conf import settings

    from tests.broker import lose

    on_redis = "redis" in settings.Q_CLUSTER
    if on_redis:
        lose()
    yield
    if on_redis:
        lose()


def _make_user(username):
    return get_user_model().objects.create_user(username=username, password="a-long-passphrase")


@pytest.fixture
def owner(db):
    return _make_user("ada")


@pytest.fixture
def stranger(db):
    return _make_user("mallory")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_client(client, stranger):
    client.force_login(stranger)
    return client


@pytest.fixture
def storable_surrogates(db):
    """For tests of rows that hold a lone UTF-16 surrogate (stored before the validator
    refused them): SQLite stores such text, PostgreSQL refuses it, so there the case cannot
    arise and the test is skipped."""
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses a lone surrogate: no stored row can hold one")


@pytest.fixture
def vendor(settings):
    """A scripted vendor on 127.0.0.1 (tests/vendor.py), which the outbound guard lets Studio
    call. A test file that scripts its answers up front defines its own."""
    from tests.vendor import FaultVendor

    settings.STUDIO_OUTBOUND_ALLOW = ["127.0.0.1"]
    server = FaultVendor()
    yield server
    server.close()
