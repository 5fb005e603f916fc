"""/healthz with a real worker cluster running and without one: status words for anyone,
details for staff and for the health token, 503 when anything is failing."""
import json
import socket
import time

import pytest
from django_q.brokers import get_broker
from django_q.tasks import async_task

from tests.generation.workers import output, start_cluster, stop_cluster

WORDS = {"ok", "failing"}
CHECKS = {"database", "broker", "worker", "queue", "disk"}


@pytest.fixture
def staff_client(client, django_user_model):
    staff = django_user_model.objects.create_user("root", password="a-long-passphrase",
                                                  is_staff=True)
    client.force_login(staff)
    return client


def only_words(response) -> dict:
    body = response.json()
    assert set(body) == {"status", "checks"}
    assert set(body["checks"]) == CHECKS and set(body["checks"].values()) <= WORDS
    text = response.content.decode()
    # Nothing an attacker could use: no paths, host names, versions or numbers.
    assert "/" not in text and socket.gethostname() not in text
    assert not any(ch.isdigit() for ch in text)
    return body


def wait_for(client, status: int, seconds: float = 60, **kwargs):
    deadline = time.monotonic() + seconds
    while True:
        response = client.get("/healthz", **kwargs)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.25)


@pytest.mark.django_db
def test_without_a_worker_it_is_503_and_says_which_check_fails(client):
    response = wait_for(client, 503, seconds=10)  # a cluster stopped by an earlier test fades
    assert response.status_code == 503
    body = only_words(response)
    assert body["status"] == "failing"
    assert body["checks"] == {"database": "ok", "broker": "ok", "worker": "failing",
                              "queue": "ok", "disk": "ok"}


@pytest.mark.django_db
def test_anonymous_callers_get_no_details(client, settings):
    settings.STUDIO_HEALTH_TOKEN = "a-monitoring-token-of-some-length"
    for headers in ({}, {"Authorization": "Bearer wrong-token"},
                    {"Authorization": "a-monitoring-token-of-some-length"}):
        only_words(client.get("/healthz", headers=headers))


@pytest.mark.django_db
def test_a_signed_in_creator_who_is_not_staff_gets_no_details(owner_client):
    only_words(owner_client.get("/healthz"))


@pytest.mark.django_db
def test_staff_see_details_without_a_worker(staff_client, settings):
    body = staff_client.get("/healthz").json()
    details = body["details"]
    assert details["worker"]["clusters"] == 0
    assert isinstance(details["queue"]["depth"], int)  # exact counts: the queue test below
    assert details["disk"]["free_mb"] >= settings.STUDIO_HEALTH_MIN_FREE_MB
    assert details["database"]["vendor"] in ("sqlite", "postgresql")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_a_real_worker_it_is_200_and_the_token_sees_its_heartbeat(client, settings):
    settings.STUDIO_HEALTH_TOKEN = "a-monitoring-token-of-some-length"
    token = {"Authorization": "Bearer a-monitoring-token-of-some-length"}
    cluster = start_cluster(settings)
    try:
        response = wait_for(client, 200, seconds=90)
        assert response.status_code == 200, (response.content, output(cluster))
        assert only_words(response) == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")}
        # The details from a 200 with the token: a heartbeat can lapse for a moment between
        # two requests on a loaded machine, and a failing answer's details say nothing here.
        answer = wait_for(client, 200, seconds=90, headers=token)
        assert answer.status_code == 200, (answer.content, output(cluster))
        details = answer.json()["details"]
        worker = details["worker"]
        assert worker["clusters"] == 1 and worker["workers"] == 1
        assert worker["hosts"] == [socket.gethostname()]
        assert 0 <= worker["heartbeat_age_seconds"] < 5
        # Jobs earlier tests left in a Redis queue may still be draining: a count, under the limit.
        assert isinstance(details["queue"]["depth"], int)
        assert details["queue"]["depth"] <= details["queue"]["limit"]
    finally:
        stop_cluster(cluster)
    # The cluster is gone: failing again, and staff learn when it was last heard from.
    response = wait_for(client, 503, seconds=30, headers=token)
    assert response.status_code == 503
    worker = response.json()["details"]["worker"]
    assert worker["clusters"] == 0 and worker["newest_heartbeat"] is not None
    assert worker["heartbeat_age_seconds"] >= 0


@pytest.mark.django_db
def test_a_queue_past_its_limit_is_failing(staff_client, settings):
    settings.STUDIO_HEALTH_MAX_QUEUE = 1
    broker = get_broker()
    try:
        for _ in range(2):
            async_task("math.floor", 1.5, broker=broker)
        body = staff_client.get("/healthz").json()
        assert body["checks"]["queue"] == "failing"
        assert body["details"]["queue"] == {"depth": 2, "limit": 1}
    finally:
        broker.purge_queue()


@pytest.mark.django_db
def test_a_nearly_full_disk_is_failing(staff_client, settings):
    settings.STUDIO_HEALTH_MIN_FREE_MB = 10**12  # a million terabytes: no disk has that
    response = staff_client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["disk"] == "failing"
    assert json.loads(response.content)["details"]["disk"]["minimum_mb"] == 10**12
