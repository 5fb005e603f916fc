"""POST /api/v1/lyrics → taskId; record-info lists several distinct sheets with section
markers; one signed callback to a real receiver on 127.0.0.1."""
import pytest

from studio.api.models import WebhookSecret
from studio.engines.local.lyrics import parse_sections
from studio.generation.models import LyricsStatus, LyricsTask
from tests.api.test_callbacks import signature_is_valid

IDEA = "a night drive along the river with my sister"


def lyrics_record(api, task_id):
    return api.get("/api/v1/lyrics/record-info", {"taskId": task_id}).json()


def test_an_idea_becomes_several_distinct_sheets_with_markers(
        api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post("/api/v1/lyrics", {"prompt": IDEA, "callBackUrl": ""}).json()
    assert answer["code"] == 200
    record = lyrics_record(api, answer["data"]["taskId"])
    assert record["code"] == 200
    data = record["data"]
    assert data["status"] == "SUCCESS" and data["type"] == "LYRICS"
    assert data["taskId"] == data["response"]["taskId"] == answer["data"]["taskId"]
    assert '"prompt"' in data["param"]
    sheets = data["response"]["data"]
    assert len(sheets) >= 3
    assert len({s["text"] for s in sheets}) == len(sheets)
    forms = [tuple(s.label for s in parse_sections(sheet["text"])) for sheet in sheets]
    assert len(set(forms)) == len(forms), "each variant has its own song form"
    for sheet in sheets:
        assert sheet["status"] == "complete" and sheet["title"]
        assert "[Verse]" in sheet["text"] and "[Chorus]" in sheet["text"]
        assert "river" in sheet["text"].lower()  # about the idea


def test_the_callback_carries_the_sheets_signed(api, owner, receiver,
                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post("/api/v1/lyrics", {"prompt": IDEA,
                                             "callBackUrl": receiver.url + "/lyrics"}).json()
    task_id = answer["data"]["taskId"]
    assert len(receiver.requests) == 1
    sent = receiver.requests[0]
    assert sent["path"] == "/lyrics"
    body = sent["body"]
    assert body["code"] == 200 and body["data"]["callbackType"] == "complete"
    assert body["data"]["task_id"] == body["data"]["taskId"] == task_id
    record = lyrics_record(api, task_id)["data"]["response"]["data"]
    assert [s["text"] for s in body["data"]["data"]] == [s["text"] for s in record]
    assert signature_is_valid(sent, WebhookSecret.for_user(owner).secret, task_id)


def test_a_private_callback_is_not_called_and_the_task_still_succeeds(
        api, receiver, settings, django_capture_on_commit_callbacks):
    settings.STUDIO_OUTBOUND_ALLOW = []
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post("/api/v1/lyrics", {"prompt": IDEA,
                                             "callBackUrl": receiver.url + "/x"}).json()
    assert receiver.requests == []
    assert lyrics_record(api, answer["data"]["taskId"])["data"]["status"] == "SUCCESS"


@pytest.mark.parametrize("body, code, words", [
    ({}, 422, "prompt is required"),
    ({"prompt": "   "}, 422, "prompt is required"),
    ({"prompt": 5}, 422, "prompt must be text"),
    ({"prompt": "word " * 201}, 413, "201 words; the limit is 200"),
    ({"prompt": "!!!"}, 422, "prompt must contain words"),
    ({"prompt": IDEA, "callBackUrl": 7}, 422, "callBackUrl must be a URL"),
])
def test_bad_requests_get_the_seeds_codes(api, body, code, words):
    answer = api.post("/api/v1/lyrics", body).json()
    assert answer["code"] == code and words in answer["msg"] and answer["data"] is None
    assert not LyricsTask.objects.exists()


def test_someone_elses_task_is_not_found(api, stranger_api):
    task_id = api.post("/api/v1/lyrics", {"prompt": IDEA}).json()["data"]["taskId"]
    answer = lyrics_record(stranger_api, task_id)
    assert answer["code"] == 404 and answer["data"] is None
    assert lyrics_record(api, "not-a-task")["code"] == 404
    assert lyrics_record(api, "")["code"] == 422


def test_without_a_key_nothing_is_written(anonymous_api, db):
    assert anonymous_api.post("/api/v1/lyrics", {"prompt": IDEA}).json()["code"] == 401
    assert not LyricsTask.objects.exists()


def test_a_pending_task_says_pending_with_no_sheets(api, owner, settings):
    settings.JOBS_SYNC = False  # queued, no worker: as on a server whose queue is stopped
    task_id = api.post("/api/v1/lyrics", {"prompt": IDEA}).json()["data"]["taskId"]
    data = lyrics_record(api, task_id)["data"]
    assert data["status"] == LyricsStatus.PENDING and data["response"]["data"] == []
