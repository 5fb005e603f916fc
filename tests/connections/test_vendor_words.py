"""Words through the caller's default engine when it is a v1 vendor: `POST /api/v1/lyrics` is
written by the vendor (its task followed by record-info and prompted by its callback, over real
HTTP on 127.0.0.1) and `POST /api/v1/style/generate` is the vendor's boost. The vendor is a
small scripted server, so the test knows what only the vendor could have answered."""
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from studio.api import callbacks
from studio.api.models import ApiKey, FeatureCallback
from studio.connections.models import Connection, DefaultEngine
from studio.generation import reaper
from studio.generation.models import LyricsStatus, LyricsTask
from tests.api.conftest import Receiver
from tests.broker import lose
from tests.vendor import Answer, FaultVendor

pytestmark = pytest.mark.django_db(transaction=True)
SHEETS = [{"title": "Night River", "text": "[Verse]\nHeadlights on the water\n[Chorus]\nDrive on",
           "status": "complete", "errorMessage": ""},
          {"title": "Sister Road", "text": "[Verse]\nYou took the long way\n[Chorus]\nSing it",
           "status": "complete", "errorMessage": ""}]


@pytest.fixture
def vendor():
    server = FaultVendor()
    yield server
    server.close()


@pytest.fixture
def keyed(owner, vendor, studio_public):
    connection = Connection(owner=owner, name="words vendor", family="kie", base_url=vendor.url)
    connection.set_api_key("vendor-key-1")
    connection.save()
    DefaultEngine.objects.create(owner=owner, connection=connection)
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiKey.issue(owner, 'checks')[1]}"}


def record(vendor_status, sheets=None, message=""):
    return Answer({"code": 200, "msg": "success", "data": {
        "taskId": "vendor-lyrics-1", "status": vendor_status, "type": "LYRICS",
        "response": {"taskId": "vendor-lyrics-1", "data": sheets}, "errorMessage": message}})


def ask_for_lyrics(client, keyed, callback_url: str = "") -> str:
    answer = client.post("/api/v1/lyrics", {"prompt": "a night drive along the river",
                                            "callBackUrl": callback_url},
                         content_type="application/json", **keyed).json()
    assert answer["code"] == 200, answer
    return answer["data"]["taskId"]


def lyrics_record(client, keyed, task_id) -> dict:
    return client.get("/api/v1/lyrics/record-info", {"taskId": task_id}, **keyed).json()["data"]


def test_lyrics_are_written_by_the_default_vendor_and_arrive_on_its_callback(
        client, keyed, vendor):
    vendor.on("/api/v1/lyrics", Answer({"code": 200, "msg": "success",
                                        "data": {"taskId": "vendor-lyrics-1"}}))
    vendor.on("/api/v1/lyrics/record-info", record("PENDING"), record("SUCCESS", SHEETS))

    task_id = ask_for_lyrics(client, keyed)

    [sent] = [r for r in vendor.requests if r["path"] == "/api/v1/lyrics"]
    assert sent["body"]["prompt"] == "a night drive along the river"
    assert sent["headers"]["Authorization"] == "Bearer vendor-key-1"
    assert lyrics_record(client, keyed, task_id)["status"] == "PENDING"
    task = LyricsTask.objects.get(pk=task_id)
    assert task.vendor_task_id == "vendor-lyrics-1" and task.engine.startswith("upstream:")

    # The vendor calls back: Studio asks its record-info (still PENDING), then again.
    for _ in range(2):
        answer = httpx.post(sent["body"]["callBackUrl"], json={"code": 200, "data": {}},
                            timeout=30)
        assert answer.status_code == 200
    data = lyrics_record(client, keyed, task_id)
    assert data["status"] == "SUCCESS"
    assert [(s["title"], s["text"]) for s in data["response"]["data"]] == \
        [(s["title"], s["text"]) for s in SHEETS]
    assert sum(r["path"] == "/api/v1/lyrics" for r in vendor.requests) == 1  # sent once


def test_a_vendors_sensitive_word_error_stays_that_status(client, keyed, vendor):
    vendor.on("/api/v1/lyrics", Answer({"code": 200, "msg": "success",
                                        "data": {"taskId": "vendor-lyrics-1"}}))
    vendor.on("/api/v1/lyrics/record-info",
              record("SENSITIVE_WORD_ERROR", None, "the prompt has a forbidden word"))
    task_id = ask_for_lyrics(client, keyed)
    [sent] = [r for r in vendor.requests if r["path"] == "/api/v1/lyrics"]

    httpx.post(sent["body"]["callBackUrl"], json={}, timeout=30)

    data = lyrics_record(client, keyed, task_id)
    assert data["status"] == LyricsStatus.SENSITIVE_WORD_ERROR
    assert "forbidden word" in data["errorMessage"]


def test_a_forged_callback_token_is_not_found_and_moves_nothing(client, keyed, vendor):
    vendor.on("/api/v1/lyrics", Answer({"code": 200, "msg": "success",
                                        "data": {"taskId": "vendor-lyrics-1"}}))
    vendor.on("/api/v1/lyrics/record-info", record("SUCCESS", SHEETS))
    task_id = ask_for_lyrics(client, keyed)
    [sent] = [r for r in vendor.requests if r["path"] == "/api/v1/lyrics"]
    forged = sent["body"]["callBackUrl"][:-4] + "AAAA"

    assert httpx.post(forged, json={}, timeout=30).status_code == 404
    assert lyrics_record(client, keyed, task_id)["status"] == "PENDING"


def test_style_boost_is_the_default_vendors(client, keyed, vendor):
    vendor.on("/api/v1/style/generate", Answer({"code": 200, "msg": "success", "data": {
        "taskId": "b1", "param": "lofi", "result": "dusty lo-fi hip hop, 82 bpm, vinyl crackle",
        "creditsConsumed": 1, "creditsRemaining": 99, "successFlag": "1"}}))

    answer = client.post("/api/v1/style/generate", {"content": "lofi"},
                         content_type="application/json", **keyed).json()

    assert answer["code"] == 200
    assert answer["data"]["result"] == "dusty lo-fi hip hop, 82 bpm, vinyl crackle"
    [sent] = vendor.requests
    assert sent["path"] == "/api/v1/style/generate" and sent["body"] == {"content": "lofi"}


def test_a_vendors_refusal_of_a_boost_is_told_in_the_envelope(client, keyed, vendor):
    vendor.on("/api/v1/style/generate", Answer({"code": 455, "msg": "maintenance"}, status=455))

    answer = client.post("/api/v1/style/generate", {"content": "lofi"},
                         content_type="application/json", **keyed).json()

    assert answer["code"] == 455 and "could not boost" in answer["msg"]


def test_a_request_whose_answer_was_lost_is_never_sent_again(client, keyed, vendor, owner):
    from datetime import timedelta

    from django.utils import timezone

    from studio.generation import tasks

    vendor.on("/api/v1/lyrics", Answer({"code": 200, "msg": "success",
                                        "data": {"taskId": "vendor-lyrics-2"}}))
    connection = Connection.objects.get(owner=owner)
    # A worker marked it sent, then died before the vendor's answer was saved.
    task = LyricsTask.objects.create(owner=owner, prompt="rain", engine=connection.engine_name,
                                     vendor_sent_at=timezone.now() - timedelta(minutes=10))
    recent = LyricsTask.objects.create(owner=owner, prompt="snow", engine=connection.engine_name,
                                       vendor_sent_at=timezone.now())

    tasks.write_lyrics(str(task.pk))
    tasks.write_lyrics(str(recent.pk))  # another step is sending it right now: it waits

    task.refresh_from_db()
    assert task.status == LyricsStatus.GENERATE_LYRICS_FAILED and "lost" in task.error_message
    assert LyricsTask.objects.get(pk=recent.pk).status == LyricsStatus.PENDING
    assert not vendor.requests


def test_lyrics_the_vendor_wrote_but_could_not_call_back_about_are_kept(client, keyed, vendor):
    """CALLBACK_EXCEPTION: the vendor failed to call someone back, not to write; what it wrote
    is read from its record-info like a SUCCESS (without sheets it is the task's failure)."""
    from studio.generation import tasks

    vendor.on("/api/v1/lyrics", Answer({"code": 200, "msg": "success",
                                        "data": {"taskId": "vendor-lyrics-1"}}),
              Answer({"code": 200, "msg": "success", "data": {"taskId": "vendor-lyrics-2"}}))
    vendor.on("/api/v1/lyrics/record-info", record("CALLBACK_EXCEPTION", SHEETS),
              record("CALLBACK_EXCEPTION", None, "callback host refused"))
    written, unwritten = ask_for_lyrics(client, keyed), ask_for_lyrics(client, keyed)
    tasks.write_lyrics(written)
    tasks.write_lyrics(unwritten)

    data = lyrics_record(client, keyed, written)
    assert data["status"] == "SUCCESS"
    assert [s["title"] for s in data["response"]["data"]] == [s["title"] for s in SHEETS]
    failed = LyricsTask.objects.get(pk=unwritten)
    assert failed.status == LyricsStatus.GENERATE_LYRICS_FAILED
    assert "callback host refused" in failed.error_message


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.mark.usefixtures("empty_broker")
def test_the_callback_of_lyrics_the_vendor_wrote_is_owed_with_them_and_made_once(
        client, keyed, vendor, receiver, settings):
    """Owed in the transaction that ends the task: should its first attempt's task be lost
    (a worker killed as it ended the task, a broker flushed), the sweep makes it."""
    from studio.generation import tasks

    vendor.on("/api/v1/lyrics", Answer({"code": 200, "msg": "success",
                                        "data": {"taskId": "vendor-lyrics-1"}}))
    vendor.on("/api/v1/lyrics/record-info", record("SUCCESS", SHEETS))
    task_id = ask_for_lyrics(client, keyed, receiver.url + "/lyrics")  # sent; its look queued
    settings.JOBS_SYNC = False
    tasks.write_lyrics(task_id)  # a look: the vendor has written them
    assert lyrics_record(client, keyed, task_id)["status"] == "SUCCESS"
    assert receiver.requests == []
    assert list(FeatureCallback.objects.values_list("task_id", "attempts")) == [(task_id, 0)]
    assert lose("studio.api.tasks.deliver_feature_callback_again") == 1  # its first attempt's
    FeatureCallback.objects.update(retry_at=timezone.now() - callbacks.GRACE - timedelta(seconds=1))
    settings.JOBS_SYNC = True
    assert callbacks.sweep() == 1
    assert callbacks.sweep() == 0
    [sent] = receiver.requests
    assert sent["path"] == "/lyrics" and sent["body"]["data"]["taskId"] == task_id
    assert [s["title"] for s in sent["body"]["data"]["data"]] == [s["title"] for s in SHEETS]
    assert not FeatureCallback.objects.exists()


@pytest.mark.usefixtures("empty_broker")
def test_lyrics_whose_looks_were_lost_are_read_from_the_vendor_by_the_reaper(
        client, keyed, vendor, receiver, settings):
    """The vendor wrote them, but Studio's next look at its record-info was lost: past the
    vendor deadline the reaper gives the task to a new job, which reads what the vendor wrote
    (it is not sent again), and the callback is made once."""
    vendor.on("/api/v1/lyrics", Answer({"code": 200, "msg": "success",
                                        "data": {"taskId": "vendor-lyrics-1"}}))
    vendor.on("/api/v1/lyrics/record-info", record("SUCCESS", SHEETS))
    task_id = ask_for_lyrics(client, keyed, receiver.url + "/lyrics")
    assert lose("studio.generation.tasks.write_lyrics") == 1  # its look, lost
    assert reaper.reap() == 0  # the vendor has it: its deadline applies, not a job's
    sent_at = timezone.now() - timedelta(seconds=settings.STUDIO_UPSTREAM_DEADLINE + 61)
    LyricsTask.objects.filter(pk=task_id).update(vendor_sent_at=sent_at, claimed_at=sent_at)
    assert reaper.reap() == 1
    data = lyrics_record(client, keyed, task_id)
    assert data["status"] == "SUCCESS"
    assert [s["title"] for s in data["response"]["data"]] == [s["title"] for s in SHEETS]
    assert len(vendor.sent("/api/v1/lyrics")) == 1  # sent once
    [sent] = receiver.requests
    assert sent["body"]["code"] == 200 and sent["body"]["data"]["taskId"] == task_id
    assert reaper.reap() == 0 and len(receiver.requests) == 1
