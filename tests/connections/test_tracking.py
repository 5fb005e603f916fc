"""Tracking a song at a fault-injecting vendor on 127.0.0.1: exactly-once creates, callbacks
that are duplicated, late, out of order, missing or forged, a poller that takes over, and
vendor files that are missing, huge or not audio. Every generation ends final, with its
reason."""
from datetime import timedelta

import pytest
from django.utils import timezone

from studio.connections import tracking
from studio.connections.models import Connection, UpstreamTask
from studio.engines.upstream import MAY_HAVE_CHARGED
from studio.generation import jobs, rules
from studio.generation.models import Generation, Status
from tests.factories import mp3_bytes, png_bytes
from tests.vendor import Answer, FaultVendor

GENERATE, RECORD = "/api/v1/generate", "/api/v1/generate/record-info"
MADE = Answer({"code": 200, "msg": "success", "data": {"taskId": "T1"}})


@pytest.fixture
def vendor(settings):
    settings.STUDIO_OUTBOUND_ALLOW = ["127.0.0.1"]
    settings.STUDIO_BASE_URL = "http://127.0.0.1:9"
    settings.STUDIO_UPSTREAM_BACKOFF = [0.01, 0.01, 0.01]
    server = FaultVendor()
    server.on("/files/a1.mp3", Answer(raw=mp3_bytes(2.0), content_type="audio/mpeg"))
    server.on("/files/a2.mp3", Answer(raw=mp3_bytes(3.0), content_type="audio/mpeg"))
    server.on("/files/a1.png", Answer(raw=png_bytes(), content_type="image/png"))
    yield server
    server.close()


@pytest.fixture
def connection(owner, vendor):
    made = Connection(owner=owner, name="fault vendor", family="sunoapi", base_url=vendor.url)
    made.set_api_key("k")
    made.save()
    return made


def song(owner, connection) -> Generation:
    request = rules.validate(rules.GENERATE, {"customMode": False, "prompt": "a sea song"})
    return jobs.submit(owner=owner, request=request, engine=connection.engine_name)


def takes(vendor, *, snake=False, ids=("a1", "a2")):
    def key(camel, snake_name):  # callbacks spell fields in snake_case, record-info in camel
        return snake_name if snake else camel

    return [{"id": i, key("audioUrl", "audio_url"): f"{vendor.url}/files/{i}.mp3",
             key("imageUrl", "image_url"): f"{vendor.url}/files/a1.png", "title": "Sea",
             key("modelName", "model_name"): "chirp-auk", "duration": 2.0} for i in ids]


def record(status, items=(), **extra):
    return Answer({"code": 200, "msg": "success", "data": {
        "taskId": "T1", "status": status, "response": {"taskId": "T1", "sunoData": list(items)},
        **extra}})


def callback(stage, items=None, code=200, task="T1"):
    return {"code": code, "msg": "ok", "data": {"callbackType": stage, "task_id": task,
                                                "data": items}}


def submitted(owner, connection, vendor) -> Generation:
    vendor.on(GENERATE, MADE)
    generation = song(owner, connection)
    tracking.submit(generation.pk)
    return generation


def poll_now(generation):
    UpstreamTask.objects.filter(pk=generation.pk).update(next_poll_at=timezone.now())
    tracking.poll()
    generation.refresh_from_db()


def test_a_create_refused_for_maintenance_is_sent_again_and_made_once(owner, connection,
                                                                      vendor):
    vendor.on(GENERATE, Answer({"code": 455, "msg": "maintenance"}), MADE)
    generation = song(owner, connection)
    tracking.submit(generation.pk)
    tracking.submit(generation.pk)  # the job again (a retry, a reaper): nothing more is sent
    task = UpstreamTask.objects.get(pk=generation.pk)
    assert task.vendor_task_id == "T1" and len(vendor.sent(GENERATE)) == 2
    sent = vendor.sent(GENERATE)[-1]["body"]
    assert sent["callBackUrl"] == f"http://127.0.0.1:9/engines/callbacks/{task.callback_token}"
    assert len(task.callback_token) >= 40


def test_no_credits_at_sunoapi_fails_the_song_at_once_saying_so(owner, connection, vendor):
    vendor.on(GENERATE, Answer({"code": 429, "msg": "Insufficient credits"}))
    generation = song(owner, connection)
    tracking.submit(generation.pk)
    generation.refresh_from_db()
    assert generation.status == Status.CREATE_TASK_FAILED and generation.error_code == 429
    assert "no credits left" in generation.error_message
    assert len(vendor.sent(GENERATE)) == 1


def test_a_worker_killed_between_marker_and_answer_never_sends_again(owner, connection,
                                                                   vendor):
    vendor.on(GENERATE, MADE)
    generation = song(owner, connection)
    UpstreamTask.objects.create(generation=generation, connection=connection,
                                create_sent_at=timezone.now())  # the marker, then the kill
    tracking.submit(generation.pk)  # the job again, while the call could still be in flight
    generation.refresh_from_db()
    assert generation.status == Status.PENDING and vendor.sent(GENERATE) == []

    UpstreamTask.objects.filter(pk=generation.pk).update(
        create_sent_at=timezone.now() - timedelta(minutes=5))
    tracking.poll()
    generation.refresh_from_db()
    assert generation.status == Status.CREATE_TASK_FAILED
    assert generation.error_message == MAY_HAVE_CHARGED and vendor.sent(GENERATE) == []


def test_a_worker_killed_after_submitting_leaves_the_song_to_the_poller(owner, connection,
                                                                      vendor, settings):
    generation = submitted(owner, connection, vendor)
    vendor.on(RECORD, record("TEXT_SUCCESS"), record("SUCCESS", takes(vendor)))
    poll_now(generation)
    assert generation.status == Status.TEXT_SUCCESS
    poll_now(generation)
    assert generation.status == Status.SUCCESS
    tracks = list(generation.tracks.order_by("variation"))
    assert [t.engine_id for t in tracks] == ["a1", "a2"]
    assert [round(t.duration) for t in tracks] == [2, 3]
    assert tracks[0].audio.path.startswith(str(settings.MEDIA_ROOT)) and tracks[0].cover
    assert len(vendor.sent(GENERATE)) == 1


def test_duplicate_late_and_out_of_order_callbacks_change_nothing(
        owner, connection, vendor, client, django_capture_on_commit_callbacks):
    generation = submitted(owner, connection, vendor)
    url = f"/engines/callbacks/{UpstreamTask.objects.get(pk=generation.pk).callback_token}"
    bodies = [callback("first", takes(vendor, snake=True, ids=("a2",))),
              callback("complete", takes(vendor, snake=True)),
              callback("complete", takes(vendor, snake=True)),
              callback("text", []), callback("error", code=501)]
    for body in bodies:
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(url, body, content_type="application/json")
        assert answer.status_code == 200
    generation.refresh_from_db()
    assert generation.status == Status.SUCCESS
    assert sorted(generation.tracks.values_list("engine_id", flat=True)) == ["a1", "a2"]
    # Each file was fetched once: the duplicate found its take already kept.
    assert len(vendor.sent("/files/a1.mp3")) == 1 and len(vendor.sent("/files/a2.mp3")) == 1


def test_forged_callbacks_are_refused_and_change_nothing(owner, connection, vendor, client):
    generation = submitted(owner, connection, vendor)
    token = UpstreamTask.objects.get(pk=generation.pk).callback_token
    complete = callback("complete", takes(vendor, snake=True))
    assert client.post("/engines/callbacks/guessed-token", complete,
                       content_type="application/json").status_code == 404
    assert client.post(f"/engines/callbacks/{token}", callback(
        "complete", takes(vendor, snake=True), task="someone-elses"),
        content_type="application/json").status_code == 403
    assert client.post(f"/engines/callbacks/{token}", "{not json",
                       content_type="application/json").status_code == 400
    generation.refresh_from_db()
    assert generation.status == Status.PENDING and not generation.tracks.exists()


def test_a_sensitive_word_refusal_stays_that_status(owner, connection, vendor):
    generation = submitted(owner, connection, vendor)
    vendor.on(RECORD, record("SENSITIVE_WORD_ERROR", errorCode=400,
                             errorMessage="prohibited words"))
    poll_now(generation)
    assert generation.status == Status.SENSITIVE_WORD_ERROR
    assert "sensitive" in generation.error_message


def test_audio_that_is_not_audio_fails_the_song_saying_so(owner, connection, vendor):
    generation = submitted(owner, connection, vendor)
    vendor.on("/files/a1.mp3", Answer(raw=b"<html>" + b"x" * 100, content_type="text/html"))
    vendor.on(RECORD, record("SUCCESS", takes(vendor)))
    poll_now(generation)
    assert generation.status == Status.GENERATE_AUDIO_FAILED
    assert "not an audio file" in generation.error_message
    assert not generation.tracks.exists()


def test_huge_audio_is_refused_before_it_is_all_downloaded(owner, connection, vendor,
                                                           settings):
    settings.STUDIO_UPLOAD_MAX_MB = 1
    generation = submitted(owner, connection, vendor)
    vendor.on("/files/a1.mp3", Answer(raw=b"ID3" + b"\0" * (2 * 1024 * 1024),
                                      content_type="audio/mpeg"))
    vendor.on(RECORD, record("SUCCESS", takes(vendor)))
    poll_now(generation)
    assert generation.status == Status.GENERATE_AUDIO_FAILED
    assert "1 MB" in generation.error_message


def test_missing_audio_is_asked_for_again_then_given_up_with_the_reason(owner, connection,
                                                                       vendor):
    generation = submitted(owner, connection, vendor)
    vendor.on("/files/a1.mp3", Answer(raw=b"gone", status=404))
    vendor.on(RECORD, record("SUCCESS", takes(vendor)))
    poll_now(generation)
    # Not yet given up: the vendor lists its takes, so they are heard through Studio's
    # stream link meanwhile (FIRST_SUCCESS), but neither is in the library.
    assert generation.status == Status.FIRST_SUCCESS and generation.tracks.count() == 0
    poll_now(generation)
    poll_now(generation)
    assert generation.status == Status.GENERATE_AUDIO_FAILED
    assert "404" in generation.error_message and "3 times" in generation.error_message


def test_a_vendor_that_stops_answering_fails_the_song_past_the_deadline(owner, connection,
                                                                      vendor, settings):
    generation = submitted(owner, connection, vendor)
    vendor.on(RECORD, Answer(raw=b"{broken", status=200))
    poll_now(generation)
    assert generation.status == Status.PENDING
    task = UpstreamTask.objects.get(pk=generation.pk)
    assert task.poll_step == 1 and "not readable" in task.last_error  # it slows down
    UpstreamTask.objects.filter(pk=generation.pk).update(
        progress_at=timezone.now() - timedelta(seconds=settings.STUDIO_UPSTREAM_DEADLINE + 1))
    tracking.poll()
    generation.refresh_from_db()
    assert generation.status == Status.GENERATE_AUDIO_FAILED
    assert "no progress for 30 minutes" in generation.error_message
