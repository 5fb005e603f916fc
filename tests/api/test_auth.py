"""Authorization: Bearer <key>; anything else is the dialect's 401 envelope."""
import pytest

from studio.api.models import ApiKey, hash_key
from tests.api.conftest import ApiClient

BODY = {"customMode": False, "instrumental": False, "model": "V4_5", "prompt": "rain"}


def test_missing_key_gets_the_v1_401_envelope(anonymous_api):
    response = anonymous_api.post("/api/v1/generate", BODY)
    assert response.status_code == 200
    assert response.json()["code"] == 401 and response.json()["data"] is None
    assert "Bearer" in response.json()["msg"]


def test_wrong_key_gets_401(client, owner_key):
    response = ApiClient(client, owner_key + "x").post("/api/v1/generate", BODY)
    assert response.json()["code"] == 401


def test_missing_key_gets_the_legacy_401_envelope(anonymous_api):
    body = anonymous_api.post("/suno/music/generate-instrumental", {"tags": "house"}).json()
    assert body["code"] == 401 and body["task_id"] is None and body["message"]


def test_revoked_key_gets_401(api, owner):
    ApiKey.objects.get(owner=owner).revoke()
    assert api.get("/api/v1/generate/credit").json()["code"] == 401


def test_key_of_a_deactivated_user_gets_401(api, owner):
    owner.is_active = False
    owner.save()
    assert api.get("/api/v1/generate/credit").json()["code"] == 401


def test_key_is_stored_only_as_its_hash(owner):
    key, raw = ApiKey.issue(owner, "script")
    key.refresh_from_db()
    assert key.hashed == hash_key(raw) and raw not in (key.hashed, key.prefix)
    assert key.prefix == raw[:8] and len(raw) >= 64


def test_a_bare_key_without_bearer_is_accepted(client, owner_key):
    response = client.get("/api/v1/generate/credit", headers={"Authorization": owner_key})
    assert response.json()["code"] == 200


def test_credit_reports_the_configured_constant(api, settings):
    settings.STUDIO_API_CREDITS = 4242
    assert api.get("/api/v1/generate/credit").json() == {"code": 200, "msg": "success",
                                                         "data": 4242}


def test_use_stamps_last_used(api, owner):
    api.get("/api/v1/generate/credit")
    assert ApiKey.objects.get(owner=owner).last_used_at is not None


@pytest.mark.parametrize("path", ["/api/v1/generate/record-info?taskId=x",
                                  "/suno/music/get-music?task_id=x"])
def test_reads_need_a_key_too(anonymous_api, path):
    assert anonymous_api.client.get(path).json()["code"] == 401
