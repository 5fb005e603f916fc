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


def test_refused_and_broken_requests_count_as_attempts(api, three_per_window):
    # A key cannot probe past its limit with requests that fail: every attempt counts.
    for _ in range(3):
        assert api.post("/api/v1/generate", {"prompt": ""}).json()["code"] == 422
    body = api.post("/api/v1/generate", IDEA).json()
    assert body["code"] == 429 and "3 creates per 3600 s" in body["msg"]


def test_a_create_counts_in_its_own_commit(api, three_per_window):
    from studio.api.models import RateWindow

    for expected in (1, 2, 3):
        assert api.post("/api/v1/generate", IDEA).json()["code"] == 200
        assert RateWindow.objects.get().count == expected  # once per create, not twice
    assert api.post("/api/v1/generate", IDEA).json()["code"] == 429
    assert RateWindow.objects.get().count == 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_at_the_limit_make_exactly_the_limit(owner, settings):
    """Eight creates of one key at once, three allowed: every request reads room for one more
    before any has committed, and the count in each create's own transaction lets exactly
    three through; the others are answered 429 and leave no generation behind."""
    import json
    import threading

    from django.test import Client

    from studio.generation.models import Generation

    settings.STUDIO_API_RATE = "3/3600"
    settings.JOBS_SYNC = False  # queued, not made: no worker takes them
    key = ApiKey.issue(owner, "burst")[1]
    start, codes = threading.Barrier(8), []

    def create():
        client = Client()
        start.wait()
        try:
            response = client.post("/api/v1/generate", json.dumps(IDEA),
                                   content_type="application/json",
                                   headers={"Authorization": f"Bearer {key}"})
            codes.append(response.json()["code"])
        finally:
            from django.db import connection
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    from studio import delayed

    delayed.broker().purge_queue()
    assert sorted(codes) == [200] * 3 + [429] * 5
    assert Generation.objects.filter(owner=owner).count() == 3
