"""kie's webhook HMAC check: a connection with a webhook key takes only callbacks signed with
it, over `data.task_id + "." + timestamp`, within five minutes of now; anything else is
refused and changes nothing."""
import base64
import hashlib
import hmac
import time

import pytest
from django.db import connection as db

from studio.connections import operator
from studio.connections.models import Connection, UpstreamTask
from studio.generation.models import Status
from tests.connections.test_tracking import callback, connection, submitted, takes, vendor  # noqa: F401

HMAC_KEY = "whk-kie-webhook-secret"


def signed(task_id: str, key: str = HMAC_KEY, *, at: float | None = None) -> dict:
    timestamp = str(int(time.time() if at is None else at))
    digest = hmac.new(key.encode(), f"{task_id}.{timestamp}".encode(), hashlib.sha256).digest()
    return {"HTTP_X_WEBHOOK_TIMESTAMP": timestamp,
            "HTTP_X_WEBHOOK_SIGNATURE": base64.b64encode(digest).decode()}


@pytest.fixture
def signing_connection(connection):  # noqa: F811
    connection.set_webhook_key(HMAC_KEY)
    connection.save()
    return connection


def post(client, generation, headers, django_capture_on_commit_callbacks, body):
    token = UpstreamTask.objects.get(pk=generation.pk).callback_token
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/engines/callbacks/{token}", body,
                           content_type="application/json", **headers)


def test_a_signed_callback_is_accepted(owner, signing_connection, vendor, client,  # noqa: F811
                                       django_capture_on_commit_callbacks):
    generation = submitted(owner, signing_connection, vendor)
    answer = post(client, generation, signed("T1"), django_capture_on_commit_callbacks,
                  callback("complete", takes(vendor, snake=True)))
    assert answer.status_code == 200
    generation.refresh_from_db()
    assert generation.status == Status.SUCCESS and generation.tracks.count() == 2


# Made when the test runs, not when it is collected: a suite takes minutes, and a "future"
# timestamp made at collection is no longer 6 minutes ahead by then.
@pytest.mark.parametrize("make_headers", [
    pytest.param(lambda: {}, id="unsigned"),
    pytest.param(lambda: signed("T1", key="a-guessed-key"), id="forged"),
    pytest.param(lambda: signed("someone-elses-task"), id="signed-for-another-task"),
    pytest.param(lambda: signed("T1", at=time.time() - 6 * 60), id="stale"),
    pytest.param(lambda: signed("T1", at=time.time() + 6 * 60), id="from-the-future"),
    pytest.param(lambda: {**signed("T1"), "HTTP_X_WEBHOOK_TIMESTAMP": "soon"},
                 id="timestamp-not-seconds"),
])
def test_an_unsigned_forged_or_stale_callback_is_refused_and_changes_nothing(
        owner, signing_connection, vendor, client, make_headers,  # noqa: F811
        django_capture_on_commit_callbacks):
    headers = make_headers()
    generation = submitted(owner, signing_connection, vendor)
    answer = post(client, generation, headers, django_capture_on_commit_callbacks,
                  callback("complete", takes(vendor, snake=True)))
    assert answer.status_code == 401 and "refused" in answer.json()["msg"]
    generation.refresh_from_db()
    assert generation.status == Status.PENDING and not generation.tracks.exists()
    assert UpstreamTask.objects.get(pk=generation.pk).callbacks == 0
    assert vendor.sent("/files/a1.mp3") == []


def test_without_a_key_callbacks_need_no_signature(owner, connection, vendor, client,  # noqa: F811
                                                   django_capture_on_commit_callbacks):
    generation = submitted(owner, connection, vendor)
    answer = post(client, generation, {}, django_capture_on_commit_callbacks,
                  callback("text", []))
    assert answer.status_code == 200


def test_the_key_set_on_the_engines_page_is_encrypted_and_never_shown(owner_client, owner,
                                                                      connection):  # noqa: F811
    response = owner_client.post(f"/engines/{connection.pk}/webhook-key",
                                 {"webhook_key": HMAC_KEY}, follow=True)
    page = response.content.decode()
    assert "callbacks must now be signed" in page and HMAC_KEY not in page
    assert "callbacks signed" in page
    with db.cursor() as cursor:
        cursor.execute("SELECT webhook_key_encrypted FROM connections_connection")
        [(stored,)] = cursor.fetchall()
    assert HMAC_KEY not in stored and Connection.objects.get().webhook_key() == HMAC_KEY
    owner_client.post(f"/engines/{connection.pk}/webhook-key", {"webhook_key": ""})
    assert Connection.objects.get().webhook_key() == ""


def test_someone_elses_connection_key_cannot_be_set(stranger_client, connection):  # noqa: F811
    answer = stranger_client.post(f"/engines/{connection.pk}/webhook-key", {"webhook_key": "x"})
    assert answer.status_code == 404 and Connection.objects.get().webhook_key() == ""


def test_the_operator_sets_the_key_in_the_environment(db, settings):
    settings.STUDIO_CONNECTIONS = [{"name": "kie", "url": "https://api.kie.ai", "key": "k",
                                    "vendor": "kie", "upload_url": "",
                                    "webhook_key": HMAC_KEY}]
    operator.sync(force=True)
    assert Connection.objects.get(operator_name="kie").webhook_key() == HMAC_KEY
    settings.STUDIO_CONNECTIONS[0]["webhook_key"] = ""
    operator.sync(force=True)
    assert Connection.objects.get(operator_name="kie").webhook_key() == ""
