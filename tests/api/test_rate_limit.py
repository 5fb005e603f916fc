"""At most STUDIO_API_RATE creates per key per window (default 20 per 10 s)."""
import pytest

from studio.api import auth
from studio.api.models import ApiKey

IDEA = {"prompt": "a tiny tune"}


@pytest.fixture
def three_per_window(settings):
    settings.STUDIO_API_RATE = "3/3600"


def test_the_default_is_twenty_per_ten_seconds(settings):
    assert settings.STUDIO_API_RATE == "20/10" and auth.rate() == (20, 10)


def test_v1_answers_429_past_the_limit(api, three_per_window):
    codes = [api.post("/api/v1/generate", IDEA).json()["code"] for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_legacy_answers_429_with_a_message(api, three_per_window):
    for _ in range(3):
        api.post("/suno/music/generate-instrumental", {"tags": "house"})
    body = api.post("/suno/music/generate-instrumental", {"tags": "house"}).json()
    assert body["code"] == 429 and "3 creates" in body["message"] and body["task_id"] is None


def test_reads_are_not_counted(api, three_per_window):
    for _ in range(5):
        api.get("/api/v1/generate/credit")
    assert api.post("/api/v1/generate", IDEA).json()["code"] == 200


def test_each_key_has_its_own_window(api, client, owner, three_per_window):
    for _ in range(3):
        api.post("/api/v1/generate", IDEA)
    _, second = ApiKey.issue(owner, "second script")
    response = client.post("/api/v1/generate", IDEA, content_type="application/json",
                           headers={"Authorization": f"Bearer {second}"})
    assert response.json()["code"] == 200


def test_a_new_window_starts_afresh(api, settings, monkeypatch):
    settings.STUDIO_API_RATE = "1/10"
    now = [1000.0]
    monkeypatch.setattr(auth.time, "time", lambda: now[0])
    assert api.post("/api/v1/generate", IDEA).json()["code"] == 200
    assert api.post("/api/v1/generate", IDEA).json()["code"] == 429
    now[0] += 10
    assert api.post("/api/v1/generate", IDEA).json()["code"] == 200
