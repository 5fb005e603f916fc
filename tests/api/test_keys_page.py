"""The keys page: make, name and revoke keys (shown once, stored hashed), the webhook
secret, and `manage.py createapikey`."""
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from studio.api.models import ApiKey, CallbackDelivery, WebhookSecret, hash_key
from tests.api.factories import api_generation


def test_keys_page_needs_a_login(client):
    response = client.get("/api/keys/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_nav_links_to_the_keys_page(owner_client):
    assert 'href="/api/keys/"' in owner_client.get("/api/keys/").content.decode()


def test_a_new_key_is_shown_once_and_works(owner_client, owner, client):
    page = owner_client.post("/api/keys/", {"name": "render farm"})
    assert page.status_code == 201
    raw = re.search(r'<code id="new-key">(\w+)</code>', page.content.decode()).group(1)
    key = ApiKey.objects.get(owner=owner)
    assert key.name == "render farm" and key.hashed == hash_key(raw)
    assert raw not in owner_client.get("/api/keys/").content.decode()
    answer = client.get("/api/v1/generate/credit", headers={"Authorization": f"Bearer {raw}"})
    assert answer.json()["code"] == 200


def test_revoking_a_key_shuts_it_out(owner_client, owner, owner_key, client):
    key = ApiKey.objects.get(owner=owner)
    owner_client.post(f"/api/keys/{key.pk}/revoke")
    key.refresh_from_db()
    assert key.revoked_at is not None
    answer = client.get("/api/v1/generate/credit", headers={"Authorization": f"Bearer {owner_key}"})
    assert answer.json()["code"] == 401


def test_stranger_cannot_revoke_the_owners_key(stranger_client, owner_key, owner):
    key = ApiKey.objects.get(owner=owner)
    assert stranger_client.post(f"/api/keys/{key.pk}/revoke").status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


def test_the_page_lists_only_my_keys_and_my_secret(owner_client, owner, stranger_key):
    page = owner_client.get("/api/keys/").content.decode()
    assert "mallory&#x27;s script" not in page and "mallory's script" not in page
    assert WebhookSecret.for_user(owner).secret in page


def test_createapikey_prints_a_working_key(owner):
    out = StringIO()
    call_command("createapikey", owner.username, "--name", "cron", stdout=out)
    raw = out.getvalue().strip()
    assert ApiKey.objects.get(hashed=hash_key(raw)).name == "cron"


def test_createapikey_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("createapikey", "nobody")


def test_a_callback_waiting_for_its_retry_says_why(owner_client, owner):
    generation = api_generation(owner, callback_url="https://hooks.example.com/sea")
    CallbackDelivery.objects.create(generation=generation, stage="text", url=generation.callback_url,
                                    attempts=1, last_error="the receiver answered HTTP 502",
                                    retry_at=timezone.now() + timedelta(seconds=4))
    page = owner_client.get("/api/keys/").content.decode()
    assert "retrying</span> the receiver answered HTTP 502" in page


def test_a_callback_queued_again_before_its_first_attempt_is_pending(owner_client, owner):
    generation = api_generation(owner, callback_url="https://hooks.example.com/sea")
    # The sweep queued it again (its first task was lost): no attempt failed, none is retried.
    CallbackDelivery.objects.create(generation=generation, stage="text", url=generation.callback_url,
                                    retry_at=timezone.now())
    page = owner_client.get("/api/keys/").content.decode()
    assert ">pending</span>" in page and "retrying" not in page


def test_a_new_webhook_secret_is_made_only_once_asked_and_confirmed(owner_client, owner):
    """"Make a new secret" replaced it at the first press, and receivers checking the old one
    started refusing every callback without a word of warning."""
    before = WebhookSecret.for_user(owner).secret
    page = owner_client.get("/api/keys/").content.decode()
    assert 'href="/api/keys/webhook-secret">Make a new secret…</a>' in page
    assert 'action="/api/keys/webhook-secret"' not in page  # no press replaces it at once
    asked = owner_client.get("/api/keys/webhook-secret")
    assert asked.status_code == 200 and "no-store" in asked["Cache-Control"]
    html = asked.content.decode()
    assert "stops working at once" in html and f"<code>{before[:4]}…</code>" in html
    assert before not in html
    form = html[html.index('<form method="post" action="/api/keys/webhook-secret"'):]
    assert '>Make a new secret</button>' in form[:form.index("</form>")]
    assert 'href="/api/keys/">Keep the current one</a>' in form
    assert WebhookSecret.for_user(owner).secret == before  # asking changed nothing

    confirmed = owner_client.post("/api/keys/webhook-secret").content.decode()
    after = WebhookSecret.for_user(owner).secret
    assert after != before and after in confirmed and "the old one no longer works" in confirmed


def test_asking_for_a_new_secret_before_the_first_shows_the_first(owner_client, owner):
    response = owner_client.get("/api/keys/webhook-secret")
    assert response.status_code == 302 and response["Location"] == "/api/keys/"
    assert not WebhookSecret.objects.filter(owner=owner).exists()  # still the first visit's
