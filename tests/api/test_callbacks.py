"""Callbacks to a real HTTP server on 127.0.0.1: text → first → complete (or error), once
per stage, signed, retried, and never in the generation's way."""
import base64
import hashlib
import hmac

import pytest

from studio.api.models import CallbackDelivery, WebhookSecret
from studio.generation.models import Generation, Mode, Status, stage_reached
from tests.api.conftest import Receiver
from tests.api.factories import api_generation, finish_by_hand
from tests.factories import make_track


def signature_is_valid(request, secret, task_id) -> bool:
    timestamp = request["headers"]["X-Webhook-Timestamp"]
    expected = base64.b64encode(hmac.new(secret.encode(), f"{task_id}.{timestamp}".encode(),
                                         hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, request["headers"]["X-Webhook-Signature"])


@pytest.fixture
def hooked(owner, receiver):
    return api_generation(owner, callback_url=receiver.url + "/hook")


def test_stages_arrive_in_order_signed_and_shaped(hooked, receiver, owner,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        finish_by_hand(hooked)
    bodies = [r["body"] for r in receiver.requests]
    assert [b["data"]["callbackType"] for b in bodies] == ["text", "first", "complete"]
    assert [len(b["data"]["data"]) for b in bodies] == [0, 1, 2]
    assert all(b["code"] == 200 and b["data"]["task_id"] == hooked.task_id for b in bodies)
    assert bodies[2]["msg"] == "All generated successfully."
    track = bodies[2]["data"]["data"][0]
    assert set(track) == {"id", "audio_url", "stream_audio_url", "image_url", "prompt",
                          "model_name", "title", "tags", "createTime", "duration"}
    secret = WebhookSecret.for_user(owner).secret
    assert all(signature_is_valid(r, secret, hooked.task_id) for r in receiver.requests)
    assert all(r["path"] == "/hook" for r in receiver.requests)
    deliveries = CallbackDelivery.objects.filter(generation=hooked)
    assert deliveries.count() == 3 and all(d.delivered_at and d.attempts == 1
                                           for d in deliveries)


def test_each_stage_is_delivered_once(hooked, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        hooked.advance(Status.TEXT_SUCCESS)
        # A duplicate report of the same stage (a redelivered job) changes nothing.
        stage_reached.send(sender=Generation, generation=hooked, status=Status.TEXT_SUCCESS)
    assert len(receiver.requests) == 1


def test_failure_sends_error_with_the_code(hooked, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        hooked.advance(Status.TEXT_SUCCESS)
        hooked.fail("The composer ran out of ideas.", code=501)
    error = receiver.requests[-1]["body"]
    assert error == {"code": 501, "msg": "The composer ran out of ideas.",
                     "data": {"callbackType": "error", "task_id": hooked.task_id, "data": None}}


def test_a_failing_receiver_gets_three_attempts_and_the_failure_is_recorded(
        owner, loopback_allowed, django_capture_on_commit_callbacks, owner_client):
    broken = Receiver(status=500)
    try:
        generation = api_generation(owner, callback_url=broken.url + "/hook")
        with django_capture_on_commit_callbacks(execute=True):
            generation.advance(Status.TEXT_SUCCESS)
        assert len(broken.requests) == 3
    finally:
        broken.close()
    delivery = CallbackDelivery.objects.get()
    assert delivery.attempts == 3 and delivery.failed_at and delivery.last_status_code == 500
    assert "500" in delivery.last_error
    # The generation goes on regardless, and the owner sees the failure.
    with django_capture_on_commit_callbacks(execute=True):
        make_track(owner, generation=generation, variation=0)
        generation.advance(Status.FIRST_SUCCESS)
        make_track(owner, generation=generation, variation=1)
        generation.advance(Status.SUCCESS)
    generation.refresh_from_db()
    assert generation.status == Status.SUCCESS
    page = owner_client.get("/api/keys/").content.decode()
    assert "could not be delivered" in page and "HTTP 500" in page


def test_a_receiver_that_recovers_is_delivered_on_the_next_attempt(
        owner, loopback_allowed, django_capture_on_commit_callbacks):
    flaky = Receiver(status=503, then=200)
    try:
        generation = api_generation(owner, callback_url=flaky.url + "/hook")
        with django_capture_on_commit_callbacks(execute=True):
            generation.advance(Status.TEXT_SUCCESS)
    finally:
        flaky.close()
    delivery = CallbackDelivery.objects.get()
    assert delivery.attempts == 2 and delivery.delivered_at and not delivery.failed_at


def test_a_callback_to_a_private_address_is_refused_at_delivery(
        owner, settings, django_capture_on_commit_callbacks):
    settings.STUDIO_OUTBOUND_ALLOW = []
    generation = api_generation(owner, callback_url="http://127.0.0.1:9/hook")
    with django_capture_on_commit_callbacks(execute=True):
        generation.advance(Status.TEXT_SUCCESS)
    delivery = CallbackDelivery.objects.get()
    assert delivery.failed_at and delivery.attempts == 1 and "private" in delivery.last_error


def test_no_callback_url_means_no_deliveries(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        finish_by_hand(api_generation(owner))
    assert not CallbackDelivery.objects.exists()


def test_cover_callbacks_carry_the_source_urls(owner, receiver,
                                               django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    from studio.generation.models import Upload
    from tests.factories import mp3_bytes
    upload = Upload(owner=owner, name="hum.mp3", format="mp3", size=10, duration=2.0)
    upload.file.save("audio.mp3", ContentFile(mp3_bytes(1.0)))
    generation = api_generation(owner, mode=Mode.UPLOAD_COVER, upload=upload,
                                callback_url=receiver.url + "/hook")
    with django_capture_on_commit_callbacks(execute=True):
        finish_by_hand(generation)
    track = receiver.requests[-1]["body"]["data"]["data"][0]
    assert track["source_audio_url"].startswith("http://testserver/api/files/")
    assert {"source_stream_audio_url", "source_image_url"} <= set(track)


def test_a_new_webhook_secret_signs_from_then_on(owner, owner_client):
    before = WebhookSecret.for_user(owner).secret
    owner_client.post("/api/keys/webhook-secret")
    assert WebhookSecret.for_user(owner).secret != before
