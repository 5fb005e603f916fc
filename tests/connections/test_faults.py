"""The faults of issue 13's list that test_tracking.py and test_upstream_calls.py leave out,
each through a whole generation at a fault-injecting vendor on 127.0.0.1: a create the vendor
does not answer in time, a status query answered by a 500, a rate limit, a timeout or broken
JSON, a vendor file that is slow to download, and a sensitive-word refusal by callback
followed by a late 'complete'. Every generation ends final with its reason, and no create is
sent twice."""
import pytest

from studio.connections import tracking
from studio.connections.models import Connection, UpstreamTask
from studio.engines.upstream import MAY_HAVE_CHARGED
from studio.generation.models import Status
from tests.connections.test_tracking import (
    GENERATE,
    MADE,
    RECORD,
    callback,
    poll_now,
    record,
    song,
    submitted,
    takes,
)
from tests.factories import mp3_bytes, png_bytes
from tests.vendor import Answer, FaultVendor


@pytest.fixture
def vendor(settings):
    settings.STUDIO_OUTBOUND_ALLOW = ["127.0.0.1"]
    settings.STUDIO_BASE_URL = "http://127.0.0.1:9"
    settings.STUDIO_UPSTREAM_BACKOFF = [0.01, 0.01, 0.01]
    settings.STUDIO_UPSTREAM_TIMEOUT = 0.5
    server = FaultVendor()
    server.on("/files/a1.mp3", Answer(raw=mp3_bytes(2.0), content_type="audio/mpeg"))
    server.on("/files/a2.mp3", Answer(raw=mp3_bytes(3.0), content_type="audio/mpeg"))
    server.on("/files/a1.png", Answer(raw=png_bytes(), content_type="image/png"))
    yield server
    server.close()


def connection_to(owner, vendor, family) -> Connection:
    made = Connection(owner=owner, name="fault vendor", family=family, base_url=vendor.url)
    made.set_api_key("k")
    made.save()
    return made


@pytest.fixture
def connection(owner, vendor):
    return connection_to(owner, vendor, "sunoapi")


def assert_kept(generation):
    assert generation.status == Status.SUCCESS, generation.error_message
    tracks = list(generation.tracks.order_by("variation"))
    assert [t.engine_id for t in tracks] == ["a1", "a2"]
    assert [round(t.duration, 1) for t in tracks] == [2.0, 3.0]


def test_a_create_the_vendor_does_not_answer_in_time_fails_once_saying_it_may_have_charged(
        owner, connection, vendor):
    vendor.on(GENERATE, Answer({"code": 200, "data": {"taskId": "late"}}, delay=1.5), MADE)
    generation = song(owner, connection)
    tracking.submit(generation.pk)
    tracking.submit(generation.pk)  # the job again: the answer may have been a task
    generation.refresh_from_db()
    assert generation.status == Status.CREATE_TASK_FAILED
    assert generation.error_message.startswith(MAY_HAVE_CHARGED)
    assert "read timed out" in generation.error_message
    assert len(vendor.sent(GENERATE)) == 1


def test_a_create_refused_for_sensitive_words_stays_that_status_and_is_not_sent_again(
        owner, connection, vendor):
    vendor.on(GENERATE, Answer({"code": 400, "msg": "The prompt contains sensitive words"}))
    generation = song(owner, connection)
    tracking.submit(generation.pk)
    generation.refresh_from_db()
    assert generation.status == Status.SENSITIVE_WORD_ERROR
    assert "sensitive words" in generation.error_message
    assert len(vendor.sent(GENERATE)) == 1


@pytest.mark.parametrize(("family", "fault", "said"), [
    ("sunoapi", Answer({"code": 500, "msg": "oops"}, status=500), "server error"),
    ("sunoapi", Answer(raw=b"<html>bad gateway</html>", status=502,
                       content_type="text/html"), "server error"),
    ("kie", Answer({"code": 429, "msg": "slow down"}), "rate limit"),
    ("sunoapi", Answer({"code": 430, "msg": "too frequent"}), "call less often"),
    ("sunoapi", Answer({"code": 455, "msg": "maintenance"}), "maintenance"),
    ("sunoapi", Answer(record("SUCCESS").body, delay=1.5), "read timed out"),
    ("sunoapi", Answer(raw=b'{"code": 200, "data": {"sta'), "not readable"),
], ids=["500", "502", "kie-429", "430", "455", "timeout", "malformed-json"])
def test_a_status_query_that_fails_is_asked_again_later_and_the_song_is_kept(
        owner, vendor, family, fault, said):
    connection = connection_to(owner, vendor, family)
    generation = submitted(owner, connection, vendor)
    vendor.on(RECORD, fault, record("SUCCESS", takes(vendor)))

    poll_now(generation)
    assert generation.status == Status.PENDING  # nothing learnt, nothing lost
    task = UpstreamTask.objects.get(pk=generation.pk)
    assert said in task.last_error and task.poll_step == 1  # it slows down

    poll_now(generation)
    assert_kept(generation)
    assert len(vendor.sent(GENERATE)) == 1 and len(vendor.sent(RECORD)) == 2


def test_a_vendor_file_too_slow_to_download_is_asked_for_again_and_kept(owner, connection,
                                                                        vendor, settings):
    settings.STUDIO_FETCH_TIMEOUT = 1
    generation = submitted(owner, connection, vendor)
    vendor.on("/files/a1.mp3", Answer(raw=mp3_bytes(2.0), content_type="audio/mpeg", delay=3),
              Answer(raw=mp3_bytes(2.0), content_type="audio/mpeg"))
    vendor.on(RECORD, record("SUCCESS", takes(vendor)))

    poll_now(generation)
    assert not generation.is_final and not generation.tracks.filter(engine_id="a1").exists()
    task = UpstreamTask.objects.get(pk=generation.pk)
    assert task.download_failures == 1 and task.last_error

    poll_now(generation)
    assert_kept(generation)
    assert len(vendor.sent("/files/a1.mp3")) == 2


def test_a_sensitive_word_callback_ends_the_song_and_a_late_complete_changes_nothing(
        owner, connection, vendor, client, django_capture_on_commit_callbacks):
    generation = submitted(owner, connection, vendor)
    url = f"/engines/callbacks/{UpstreamTask.objects.get(pk=generation.pk).callback_token}"
    refused = {"code": 400, "msg": "Sensitive word detected in the lyrics",
               "data": {"callbackType": "error", "task_id": "T1", "data": None}}
    for body in (refused, callback("complete", takes(vendor, snake=True))):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, body, content_type="application/json").status_code == 200
    generation.refresh_from_db()
    assert generation.status == Status.SENSITIVE_WORD_ERROR
    assert "sensitive" in generation.error_message.lower()
    assert not generation.tracks.exists() and vendor.sent("/files/a1.mp3") == []
    assert UpstreamTask.objects.get(pk=generation.pk).next_poll_at is None  # nobody asks more
