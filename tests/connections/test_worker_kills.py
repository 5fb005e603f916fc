"""Real worker processes killed with SIGKILL while a song is at a vendor on 127.0.0.1: once
between the exactly-once marker and the vendor's answer to the create call, once after the
answer but before the first poll. A fresh worker finishes each song with its reason, and the
vendor never gets a second create. Every wait is real: the killed job comes back by
django-q2's retry once the create's longest life is past, and the armed poll waits in the
broker for its time (no clock moved back, no schedule moved forward)."""
import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Task

from studio.connections.models import Connection, UpstreamTask
from studio.engines.upstream import MAY_HAVE_CHARGED
from studio.generation import jobs, rules
from studio.generation.models import Generation, Status
from tests.audio import decode
from tests.factories import mp3_bytes, png_bytes
from tests.generation.workers import output, start_cluster, stop_cluster, wait_until
from tests.vendor import Answer

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

GENERATE, RECORD = "/api/v1/generate", "/api/v1/generate/record-info"
HELD = 4.0  # how long the vendor holds the create call open before answering
# The clusters' timing, all real: a vendor call waits 10 s for its answer and a create is
# sent once (no retries), so no create can still be in flight 35 s after its marker
# (tracking.create_in_flight: 5 s connect + 15 s write + 10 s read + 5 s); django-q2 hands
# a job whose worker died to another 40 s after it was taken (its retry), so the killed
# create's job comes back once that is past.
CLUSTER = {"STUDIO_OUTBOUND_ALLOW": "127.0.0.1", "STUDIO_BASE_URL": "http://127.0.0.1:9",
           "STUDIO_UPSTREAM_TIMEOUT": "10", "STUDIO_UPSTREAM_BACKOFF": "",
           "STUDIO_JOB_TIMEOUT": "25", "STUDIO_JOB_RETRY": "40"}
CREATE_LIVES = timedelta(seconds=35)
FIRST_POLL = 10.0  # seconds after the create that the first poll is armed for


@pytest.fixture
def connection(owner, vendor):
    made = Connection(owner=owner, name="slow vendor", family="kie", base_url=vendor.url)
    made.set_api_key("k")
    made.save()
    return made


@pytest.fixture
def workers(settings):
    """Start real clusters that reach the vendor on 127.0.0.1; each is stopped at the end."""
    started = []

    def start(**env):
        process = start_cluster(settings, **{**CLUSTER, **env})
        started.append(process)
        return process

    yield start
    for process in started:
        stop_cluster(process)


def kill(process) -> None:
    """SIGKILL the whole cluster (sentinel, workers, monitor): nothing of it gets to clean up."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


def song(owner, connection, django_capture_on_commit_callbacks) -> Generation:
    request = rules.validate(rules.GENERATE, {"customMode": False, "prompt": "a sea song"})
    with django_capture_on_commit_callbacks(execute=True):  # the submit job goes to the broker
        return jobs.submit(owner=owner, request=request, engine=connection.engine_name)


def test_a_worker_killed_while_the_vendor_holds_the_create_fails_it_saying_it_may_have_charged(
        owner, connection, vendor, workers, settings, django_capture_on_commit_callbacks):
    vendor.on(GENERATE, Answer({"code": 200, "msg": "success", "data": {"taskId": "T1"}},
                               delay=HELD))
    worker = workers()
    generation = song(owner, connection, django_capture_on_commit_callbacks)

    # The create is at the vendor (so the marker was committed before it was sent): kill.
    wait_until(lambda: vendor.sent(GENERATE), seconds=90)
    task = UpstreamTask.objects.get(pk=generation.pk)
    assert task.create_sent_at is not None and task.vendor_task_id == ""
    kill(worker)
    # The vendor answers (it made a task and may charge for it) to a worker that is gone.
    wait_until(lambda: task.create_sent_at + timedelta(seconds=HELD + 1) < timezone.now(),
               seconds=30, every=0.2)
    generation.refresh_from_db()
    assert generation.status == Status.PENDING

    # A fresh worker; the song's submit job is sent to it again at once (a twin, as a
    # double submit's job would be), and the killed worker's job comes back by itself
    # (django-q2's retry). Neither sends the create again; the song is failed only once the
    # create's longest possible life is past, saying the vendor may have charged.
    fresh = workers()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(generation.pk)
    wait_until(lambda: Generation.objects.get(pk=generation.pk).is_final, seconds=180,
               every=0.2)
    generation.refresh_from_db()
    assert generation.status == Status.CREATE_TASK_FAILED, output(fresh)
    assert generation.error_message == MAY_HAVE_CHARGED  # "... the vendor may have charged"
    assert generation.finished_at - task.create_sent_at >= CREATE_LIVES
    # A submit job ran (the twin, or the killed one come back): its row is written by the
    # cluster's monitor after the job returns, which may be after the song is final (the
    # reaper may fail it first; seen in CI on a loaded machine), so wait for the row. It did
    # not send the create again.
    wait_until(lambda: Task.objects.filter(func=jobs.UPSTREAM_JOB).exists(), seconds=90)
    assert len(vendor.sent(GENERATE)) == 1, output(fresh)


def test_a_worker_killed_after_the_create_leaves_the_song_to_a_fresh_worker(
        owner, connection, vendor, workers, settings, django_capture_on_commit_callbacks):
    vendor.on(GENERATE, Answer({"code": 200, "msg": "success", "data": {"taskId": "T2"}}))
    vendor.on("/files/a1.mp3", Answer(raw=mp3_bytes(2.0), content_type="audio/mpeg"))
    vendor.on("/files/a2.mp3", Answer(raw=mp3_bytes(3.0), content_type="audio/mpeg"))
    vendor.on("/files/c.png", Answer(raw=png_bytes(), content_type="image/png"))
    takes = [{"id": i, "audioUrl": f"{vendor.url}/files/{i}.mp3", "duration": d,
              "imageUrl": f"{vendor.url}/files/c.png", "title": "Sea", "modelName": "chirp-v4"}
             for i, d in (("a1", 2.0), ("a2", 3.0))]
    vendor.on(RECORD, Answer({"code": 200, "msg": "success", "data": {
        "taskId": "T2", "status": "SUCCESS", "response": {"taskId": "T2", "sunoData": takes}}}))
    # The first poll is armed for FIRST_POLL s after the create: it waits in the broker.
    worker = workers(STUDIO_UPSTREAM_POLL=f"{FIRST_POLL:g},30")
    generation = song(owner, connection, django_capture_on_commit_callbacks)

    # The vendor answered, its task id is recorded and the submit job is over (its first
    # poll armed); the poll has not run: kill.
    wait_until(lambda: Task.objects.filter(func=jobs.UPSTREAM_JOB).exists(), seconds=90)
    kill(worker)
    task = UpstreamTask.objects.get(pk=generation.pk)
    assert task.vendor_task_id == "T2" and task.polls == 0 and vendor.sent(RECORD) == []
    generation.refresh_from_db()
    assert generation.status == Status.PENDING  # no callback will come (none is sent here)

    # A fresh worker takes the armed poll from the broker when it falls due: SUCCESS, with
    # the files kept.
    fresh = workers()
    wait_until(lambda: Generation.objects.get(pk=generation.pk).is_final, seconds=120, every=0.2)

    generation.refresh_from_db()
    assert generation.status == Status.SUCCESS, generation.error_message + output(fresh)
    assert len(vendor.sent(GENERATE)) == 1 and len(vendor.sent(RECORD)) >= 1
    assert vendor.sent(RECORD)[0]["at"] - vendor.sent(GENERATE)[0]["at"] >= FIRST_POLL
    tracks = list(generation.tracks.order_by("variation"))
    assert [t.engine_id for t in tracks] == ["a1", "a2"]
    for track, made in zip(tracks, (2.0, 3.0), strict=True):
        assert track.audio.path.startswith(str(settings.MEDIA_ROOT))  # kept, not linked
        samples, rate = decode(track.audio.path)
        assert abs(len(samples) / rate - made) < 0.15 and abs(track.duration - made) < 0.15
        assert len(track.peaks) == 200 and track.cover
