"""A callBackUrl Studio will not call does not stop the song. Real clients send placeholders
such as https://localhost/callback because kie requires the field, and poll record-info.
The task is accepted and made; each stage's delivery is recorded as refused, with the reason,
on the keys page; nothing connects; record-info keeps the real status (see
studio/api/callbacks.py for why never CALLBACK_EXCEPTION). An uploadUrl Studio will not
fetch still fails at once: Studio needs the file."""
import pytest

from studio.api.models import CallbackDelivery
from studio.generation.models import Generation, Status
from tests.api.conftest import Receiver
from tests.api.factories import finish_by_hand

IDEA = {"customMode": False, "instrumental": False, "model": "V5", "prompt": "a sea shanty"}
REFUSED = {
    "https://localhost/callback": "local",
    "http://localhost:8000/hook": "local",
    "http://10.1.2.3/hook": "private",
    "http://169.254.169.254/latest/meta-data": "private",
    "http://[64:ff9b::a9fe:a9fe]/hook": "private",
    "ftp://example.com/x": "http",
    "callback": "http",
    "https://user:secret@example.com/hook": "password",
}


@pytest.fixture
def no_loopback(settings):
    settings.STUDIO_OUTBOUND_ALLOW = []


def create(api, url, django_capture_on_commit_callbacks):
    """The task, accepted; its job is not run: each test moves it through its stages."""
    with django_capture_on_commit_callbacks(execute=False):
        return api.post("/api/v1/generate", {**IDEA, "callBackUrl": url}).json()


@pytest.mark.parametrize("url", REFUSED)
def test_the_song_is_accepted_and_the_callback_recorded_as_refused(
        api, url, no_loopback, django_capture_on_commit_callbacks):
    answer = create(api, url, django_capture_on_commit_callbacks)
    assert answer["code"] == 200, answer["msg"]
    generation = Generation.objects.get(pk=answer["data"]["taskId"])
    assert generation.callback_url == url
    with django_capture_on_commit_callbacks(execute=True):
        finish_by_hand(generation)
    deliveries = CallbackDelivery.objects.filter(generation=generation)
    assert sorted(d.stage for d in deliveries) == ["complete", "first", "text"]
    for delivery in deliveries:
        assert delivery.refused and delivery.failed_at and delivery.attempts == 0
        assert "callBackUrl" in delivery.last_error and REFUSED[url] in delivery.last_error


def test_nothing_connects_to_a_refused_callback(
        api, settings, django_capture_on_commit_callbacks):
    settings.STUDIO_OUTBOUND_ALLOW = []
    receiver = Receiver()  # a real server on 127.0.0.1, which Studio must not call
    try:
        answer = create(api, receiver.url + "/hook", django_capture_on_commit_callbacks)
        generation = Generation.objects.get(pk=answer["data"]["taskId"])
        # even if the address is allowed later, the refusal made at request time stands
        settings.STUDIO_OUTBOUND_ALLOW = ["127.0.0.1"]
        with django_capture_on_commit_callbacks(execute=True):
            finish_by_hand(generation)
    finally:
        receiver.close()
    assert receiver.requests == []
    assert CallbackDelivery.objects.filter(refused=True).count() == 3


def test_record_info_keeps_the_real_status_and_the_songs(
        api, no_loopback, django_capture_on_commit_callbacks):
    """Clients that poll because their callBackUrl is a placeholder stop at
    CALLBACK_EXCEPTION as at a failure: the song they asked for is there, so it is SUCCESS."""
    answer = create(api, "https://localhost/callback", django_capture_on_commit_callbacks)
    generation = Generation.objects.get(pk=answer["data"]["taskId"])
    with django_capture_on_commit_callbacks(execute=True):
        generation.advance(Status.TEXT_SUCCESS)
    assert api.record(generation.task_id)["data"]["status"] == "TEXT_SUCCESS"
    with django_capture_on_commit_callbacks(execute=True):
        finish_by_hand(generation)
    record = api.record(generation.task_id)["data"]
    assert record["status"] == "SUCCESS" and record["errorCode"] is None
    assert all(t["audioUrl"] for t in record["response"]["sunoData"])


def test_a_failed_song_keeps_its_failure_status(
        api, no_loopback, django_capture_on_commit_callbacks):
    answer = create(api, "https://localhost/callback", django_capture_on_commit_callbacks)
    generation = Generation.objects.get(pk=answer["data"]["taskId"])
    with django_capture_on_commit_callbacks(execute=True):
        generation.fail("The engine stopped")
    record = api.record(generation.task_id)["data"]
    assert record["status"] == "GENERATE_AUDIO_FAILED"
    delivery = CallbackDelivery.objects.get(generation=generation)
    assert delivery.stage == "error" and delivery.refused


def test_the_keys_page_shows_the_refusal_and_its_reason(
        api, owner_client, no_loopback, django_capture_on_commit_callbacks):
    answer = create(api, "https://localhost/callback", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        finish_by_hand(Generation.objects.get(pk=answer["data"]["taskId"]))
    page = owner_client.get("/api/keys/").content.decode()
    assert page.count(">refused<") == 3
    assert "localhost is a local name" in page


def test_a_callback_that_may_be_called_is_not_refused(
        api, receiver, django_capture_on_commit_callbacks):
    answer = create(api, receiver.url + "/hook", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        finish_by_hand(Generation.objects.get(pk=answer["data"]["taskId"]))
    assert len(receiver.requests) == 3
    assert not CallbackDelivery.objects.filter(refused=True).exists()


def test_a_callback_refused_only_at_delivery_is_recorded_as_refused(
        owner, no_loopback, django_capture_on_commit_callbacks):
    from tests.api.factories import api_generation
    generation = api_generation(owner, callback_url="http://127.0.0.1:9/hook")
    with django_capture_on_commit_callbacks(execute=True):
        generation.advance(Status.TEXT_SUCCESS)
    delivery = CallbackDelivery.objects.get()
    assert delivery.refused and delivery.attempts == 1 and delivery.last_status_code is None


def test_a_callback_name_is_looked_up_when_delivered_not_when_created(
        api, monkeypatch, no_loopback, django_capture_on_commit_callbacks):
    """No DNS round trip in a create: the name is resolved when a stage is delivered, and
    an address Studio will not call is refused then, with the reason."""
    from studio.api import outbound

    looked_up = []
    monkeypatch.setattr(outbound, "resolve",
                        lambda host, port: looked_up.append(host) or ["10.0.0.7"])
    answer = create(api, "https://hooks.sneaky.example/done", django_capture_on_commit_callbacks)
    assert answer["code"] == 200, answer["msg"]
    assert looked_up == []
    generation = Generation.objects.get(pk=answer["data"]["taskId"])
    with django_capture_on_commit_callbacks(execute=True):
        generation.advance(Status.TEXT_SUCCESS)
    assert looked_up and set(looked_up) == {"hooks.sneaky.example"}
    delivery = CallbackDelivery.objects.get(generation=generation)
    assert delivery.refused and delivery.last_status_code is None
    assert "10.0.0.7" in delivery.last_error and "private" in delivery.last_error


@pytest.mark.parametrize("value,code", [(42, 422), ("https://example.com/" + "a" * 1000, 413)])
def test_a_callback_url_that_is_not_a_string_or_too_long_is_still_an_error(api, value, code):
    answer = api.post("/api/v1/generate", {**IDEA, "callBackUrl": value}).json()
    assert answer["code"] == code and "callBackUrl" in answer["msg"]
    assert not Generation.objects.exists()


def test_an_upload_url_studio_will_not_fetch_still_fails_at_once(api, no_loopback):
    answer = api.post("/api/v1/generate/upload-cover", {
        **IDEA, "uploadUrl": "https://localhost/song.mp3",
        "callBackUrl": "https://localhost/callback"}).json()
    assert answer["code"] == 422 and "uploadUrl" in answer["msg"]
    assert not Generation.objects.exists()
