"""The upstream clients against a fault-injecting vendor on 127.0.0.1: what is sent again,
what never is, and what each vendor family's codes mean in words."""
import socket
from pathlib import Path

import httpx
import pytest

from studio.engines import registry
from studio.engines.base import EngineRequest
from studio.engines.upstream import KIE, MAY_HAVE_CHARGED, SUNOAPI, Vendor, VendorError
from tests.vendor import Answer, FaultVendor

GENERATE = "/api/v1/generate"
MADE = Answer({"code": 200, "msg": "success", "data": {"taskId": "vendor-task-1"}})


@pytest.fixture
def vendor():
    server = FaultVendor()
    yield server
    server.close()


def engine(url, *, family=SUNOAPI, dialect="v1", read=5.0):
    pauses = []
    made = registry.upstream(Vendor(dialect, url, "secret-key", family=family),
                             backoff=(0.5, 1.0, 2.0), sleep=pauses.append,
                             timeout=httpx.Timeout(2.0, read=read))
    made.pauses = pauses
    return made


def request(mode="generate", **fields):
    fields = {"customMode": False, "instrumental": False, "model": "V4_5",
              "prompt": "a calm song about the sea", **fields}
    return EngineRequest(mode=mode, model=fields["model"], seed=1, workdir=Path("."),
                         fields=fields)


def test_a_create_is_sent_once_with_the_key_and_a_callback_url(vendor):
    vendor.on(GENERATE, MADE)
    task_id = engine(vendor.url).submit(request(_duration=5), "https://studio.example/cb/x")
    assert task_id == "vendor-task-1"
    [sent] = vendor.sent(GENERATE)
    assert sent["headers"]["Authorization"] == "Bearer secret-key"
    assert sent["body"] == {"customMode": False, "instrumental": False, "model": "V4_5",
                            "prompt": "a calm song about the sea",
                            "callBackUrl": "https://studio.example/cb/x"}


@pytest.mark.parametrize("refusal", [
    Answer({"code": 500, "msg": "oops"}, status=500),
    Answer({"code": 455, "msg": "maintenance"}),
    Answer({"code": 430, "msg": "too frequent"}),
    Answer(raw=b"<html>bad gateway</html>", status=502, content_type="text/html"),
])
def test_an_answer_that_made_no_task_is_sent_again_after_a_pause(vendor, refusal):
    vendor.on(GENERATE, refusal, MADE)
    made = engine(vendor.url)
    assert made.submit(request(), "https://studio.example/cb") == "vendor-task-1"
    assert len(vendor.sent(GENERATE)) == 2
    assert made.pauses == [0.5]


def test_a_vendor_that_never_recovers_fails_the_create_after_the_last_pause(vendor):
    vendor.on(GENERATE, Answer({"code": 455, "msg": "maintenance"}))
    made = engine(vendor.url)
    with pytest.raises(VendorError) as failed:
        made.submit(request(), "https://studio.example/cb")
    assert "under maintenance" in failed.value.message and "4 times" in failed.value.message
    assert failed.value.status == "CREATE_TASK_FAILED" and not failed.value.retry
    assert len(vendor.sent(GENERATE)) == 4 and made.pauses == [0.5, 1.0, 2.0]


def test_no_vendor_listening_is_retried_then_said_plainly():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    made = engine(f"http://127.0.0.1:{port}")
    with pytest.raises(VendorError) as failed:
        made.submit(request(), "https://studio.example/cb")
    assert "could not connect" in failed.value.message
    assert made.pauses == [0.5, 1.0, 2.0]


def test_a_read_timeout_after_sending_is_never_sent_again(vendor):
    vendor.on(GENERATE, Answer({"code": 200, "data": {"taskId": "late"}}, delay=1.5), MADE)
    made = engine(vendor.url, read=0.5)
    with pytest.raises(VendorError) as failed:
        made.submit(request(), "https://studio.example/cb")
    assert failed.value.message.startswith(MAY_HAVE_CHARGED)
    assert failed.value.status == "CREATE_TASK_FAILED"
    assert len(vendor.sent(GENERATE)) == 1 and made.pauses == []


def test_an_unreadable_success_is_not_sent_again(vendor):
    vendor.on(GENERATE, Answer(raw=b"{not json"), MADE)
    with pytest.raises(VendorError) as failed:
        engine(vendor.url).submit(request(), "https://studio.example/cb")
    assert "may have charged" in failed.value.message
    assert len(vendor.sent(GENERATE)) == 1


@pytest.mark.parametrize(("family", "code", "words", "retried"), [
    (SUNOAPI, 429, "no credits left", False),
    (KIE, 429, "rate limit", True),
    (KIE, 402, "no credits left", False),
    (SUNOAPI, 401, "refused the API key", False),
    (KIE, 451, "could not fetch the uploaded audio", False),
    (SUNOAPI, 413, "too long", False),
])
def test_each_vendor_familys_codes_mean_what_that_vendor_says(vendor, family, code, words,
                                                             retried):
    vendor.on(GENERATE, Answer({"code": code, "msg": "vendor words"}))
    with pytest.raises(VendorError) as failed:
        engine(vendor.url, family=family).submit(request(), "https://studio.example/cb")
    assert words in failed.value.message and "vendor words" in failed.value.message
    assert f"code {code}" in failed.value.message
    assert len(vendor.sent(GENERATE)) == (4 if retried else 1)


def test_record_info_in_camel_case_becomes_an_event(vendor):
    vendor.on("/api/v1/generate/record-info", Answer({"code": 200, "msg": "success", "data": {
        "taskId": "t1", "status": "FIRST_SUCCESS", "response": {"taskId": "t1", "sunoData": [
            {"id": "a1", "audioUrl": "https://cdn.example/a1.mp3", "streamAudioUrl": "s1",
             "imageUrl": "https://cdn.example/a1.jpg", "prompt": "[Verse] la", "modelName":
             "chirp-auk", "title": "Sea", "tags": "calm", "duration": 151.2},
            {"id": "a2", "audioUrl": "", "streamAudioUrl": "https://cdn.example/s2"}]}}}))
    event = engine(vendor.url).status("t1")
    assert vendor.sent("/api/v1/generate/record-info")[0]["query"] == "taskId=t1"
    assert event.status == "FIRST_SUCCESS" and [t.id for t in event.final_takes] == ["a1"]
    first = event.takes[0]
    assert (first.title, first.lyrics, first.model_name, first.duration) == (
        "Sea", "[Verse] la", "chirp-auk", 151.2)


def test_a_callback_in_snake_case_reads_the_same_as_record_info():
    made = engine("http://127.0.0.1:9")
    event = made.from_callback({"code": 200, "msg": "All generated successfully.", "data": {
        "callbackType": "complete", "task_id": "t1", "data": [
            {"id": "a1", "audio_url": "https://cdn.example/a1.mp3", "image_url": "i1",
             "model_name": "chirp-auk", "title": "Sea", "duration": "150"},
            {"id": "a2", "audio_url": "https://cdn.example/a2.mp3"}]}})
    assert event.status == "SUCCESS" and event.task_id == "t1"
    assert [t.audio_url for t in event.takes] == ["https://cdn.example/a1.mp3",
                                                  "https://cdn.example/a2.mp3"]
    assert event.takes[0].model_name == "chirp-auk" and event.takes[0].duration == 150.0


def test_a_sensitive_word_refusal_stays_that_status(vendor):
    vendor.on("/api/v1/generate/record-info", Answer({"code": 200, "data": {
        "taskId": "t1", "status": "SENSITIVE_WORD_ERROR", "errorCode": 400,
        "errorMessage": "prohibited words", "response": {"sunoData": []}}}))
    event = engine(vendor.url).status("t1")
    assert event.status == "SENSITIVE_WORD_ERROR"
    assert "sensitive" in event.message and "prohibited words" in event.message


def test_an_error_callback_carries_the_vendors_code_in_words():
    event = engine("http://127.0.0.1:9").from_callback({
        "code": 531, "msg": "refunded", "data": {"callbackType": "error", "task_id": "t1",
                                                 "data": None}})
    assert event.status == "GENERATE_AUDIO_FAILED" and event.code == 531
    assert "refunded the credits" in event.message


def test_legacy_get_task_counts_only_complete_clips(vendor):
    vendor.on("/suno/music/get-task", Answer({"code": 200, "task_id": "t9", "status":
                                              "processing", "clips": [
        {"id": "c1", "status": "complete", "audio_url": "https://cdn.example/c1.mp3",
         "duration": "120"},
        {"id": "c2", "status": "streaming", "audio_url": "https://cdn.example/live"}]}))
    event = engine(vendor.url, dialect="legacy").status("t9")
    assert vendor.sent("/suno/music/get-task")[0]["body"] == {"task_id": "t9"}
    assert event.status == "FIRST_SUCCESS"
    assert [t.id for t in event.final_takes] == ["c1"]
    assert event.takes[1].stream_audio_url == "https://cdn.example/live"


def test_legacy_extend_sends_the_clip_it_continues(vendor):
    vendor.on("/suno/music/extend-Instrumental", Answer({"code": 200, "task_id": "t10"}))
    made = engine(vendor.url, dialect="legacy")
    task = made.submit(request("extend", audioId="clip-7", continueAt=42.0, style="lofi",
                               title="More", defaultParamFlag=True, model="V4"), "")
    assert task == "t10"
    assert vendor.sent("/suno/music/extend-Instrumental")[0]["body"] == {
        "tags": "lofi", "title": "More", "model": "v3.5", "continue_clip_id": "clip-7",
        "continue_at": 42.0}


def test_add_instrumental_sends_negative_tags_even_when_nothing_is_excluded(vendor):
    # Seed 004 requires the key; the stored request drops empty fields (issue 13's e2e).
    vendor.on("/api/v1/generate/add-instrumental", MADE)
    engine(vendor.url).submit(request("add_instrumental", uploadUrl="https://s.example/u.mp3",
                                      title="Hum", tags="soft piano", model="V5"), "https://cb")
    sent = vendor.sent("/api/v1/generate/add-instrumental")[0]["body"]
    assert sent["negativeTags"] == "" and sent["tags"] == "soft piano"


def test_kie_credits_are_read_from_its_common_api(vendor):
    vendor.on("/api/v1/chat/credit", Answer({"code": 200, "msg": "success", "data": 1234}))
    assert engine(vendor.url, family=KIE).credits() == 1234
