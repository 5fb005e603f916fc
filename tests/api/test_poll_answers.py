"""A poll's answer is kept while nothing it shows has changed (studio.api.polls): a poll of
an unchanged task costs no query, and the first poll after any change — made by this
process or by another, to the task, its takes or the key — reads the database again."""
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from studio.api import polls
from studio.generation.models import Generation, Status
from studio.library.models import Track
from tests.api.factories import api_generation, finish_by_hand
from tests.generation.workers import database_url, wait_until

# Nothing is kept from inside a transaction (it may roll back): these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def generation(owner):
    return api_generation(owner)


def polled(api, task_id) -> tuple[dict, bool]:
    """(the answer, whether it was given without a query)."""
    with CaptureQueriesContext(connection) as queries:
        answer = api.record(task_id)
    return answer, not queries.captured_queries


def kept(api, task_id) -> dict:
    """Poll until the answer comes from memory (on PostgreSQL, once this process listens
    for change notices); that answer."""
    def from_memory():
        answer, remembered = polled(api, task_id)
        return answer if remembered else None
    return wait_until(from_memory, seconds=10)


def elsewhere(code: str) -> None:
    """Run `code` in another process on the test database: a worker's change, as polls
    see it."""
    prelude = ("import django\ndjango.setup()\n"
               "from studio.generation.models import Generation, Status\n"
               "from studio.library.models import Track\n")
    env = {**os.environ, "DATABASE_URL": database_url(), "STUDIO_NO_BOOTSTRAP": "1",
           "DJANGO_SETTINGS_MODULE": "studio.settings"}
    subprocess.run([sys.executable, "-c", prelude + code], env=env, cwd=settings.BASE_DIR,
                   check=True, timeout=120)


def seen_after_change(api, task_id, condition) -> dict:
    """The first answer that meets `condition` after another process's change. SQLite
    says so to the very next poll; on PostgreSQL the change's notice comes back within
    moments — well before an answer's time is up, which would also end it."""
    if connection.vendor == "sqlite":
        return api.record(task_id)
    assert polls.KEPT_SECONDS >= 30
    return wait_until(lambda: a if condition(a := api.record(task_id)) else None, seconds=5)


def test_an_unchanged_task_is_answered_from_memory_with_the_same_answer(api, generation):
    first = api.record(generation.task_id)
    assert first["code"] == 200 and first["data"]["status"] == "PENDING"
    assert kept(api, generation.task_id) == first


def test_a_change_made_here_is_seen_by_the_very_next_poll(api, generation):
    kept(api, generation.task_id)
    generation.advance(Status.TEXT_SUCCESS)
    answer, remembered = polled(api, generation.task_id)
    assert answer["data"]["status"] == "TEXT_SUCCESS" and not remembered


def test_a_change_made_by_another_process_is_seen(api, generation):
    kept(api, generation.task_id)
    elsewhere(f"Generation.objects.get(pk='{generation.pk}').advance(Status.TEXT_SUCCESS)")
    answer = seen_after_change(api, generation.task_id,
                               lambda a: a["data"]["status"] == "TEXT_SUCCESS")
    assert answer["data"]["status"] == "TEXT_SUCCESS"


def test_a_take_stored_by_another_process_is_listed(api, generation):
    finish_by_hand(generation, stop_at=Status.FIRST_SUCCESS)
    before = kept(api, generation.task_id)["data"]["response"]["sunoData"]
    assert [bool(t["audioUrl"]) for t in before] == [True, False]
    elsewhere(f"g = Generation.objects.get(pk='{generation.pk}')\n"
              "Track.objects.create(owner_id=g.owner_id, generation=g, variation=1, "
              "title='Sea Two', duration=2.0, audio='audio.mp3')")
    answer = seen_after_change(api, generation.task_id,
                               lambda a: all(t["audioUrl"] for t in a["data"]["response"]["sunoData"]))
    assert [t["title"] for t in answer["data"]["response"]["sunoData"]] == ["Sea One", "Sea Two"]
    assert all(t["audioUrl"] for t in answer["data"]["response"]["sunoData"])


def test_a_renamed_take_is_seen_by_the_next_poll(api, generation):
    finish_by_hand(generation)
    kept(api, generation.task_id)
    Track.objects.filter(generation=generation, variation=0).update(title="Harbour")
    titles = [t["title"] for t in api.record(generation.task_id)["data"]["response"]["sunoData"]]
    assert titles == ["Harbour", "Sea Two"]


def test_a_revoked_key_is_refused_by_the_next_poll(api, owner, generation):
    kept(api, generation.task_id)
    owner.api_keys.get().revoke()
    assert api.record(generation.task_id)["code"] == 401


def test_a_key_revoked_by_another_process_is_refused(api, owner, generation):
    kept(api, generation.task_id)
    elsewhere(f"from studio.api.models import ApiKey\n"
              f"ApiKey.objects.get(owner_id={owner.pk}).revoke()")
    answer = seen_after_change(api, generation.task_id, lambda a: a["code"] == 401)
    assert answer["code"] == 401


def test_another_key_is_never_given_the_kept_answer(api, stranger_api, generation):
    kept(api, generation.task_id)
    assert stranger_api.record(generation.task_id)["code"] == 404


def test_the_legacy_poll_is_kept_too(api, generation):
    def legacy():
        with CaptureQueriesContext(connection) as queries:
            answer = api.get("/suno/music/get-music", {"task_id": generation.task_id}).json()
        return answer, not queries.captured_queries
    first, _ = legacy()
    assert first["code"] == 200 and first["status"] == "submitted"
    assert wait_until(lambda: (answer := legacy())[1] and answer[0], seconds=10) == first
    generation.fail("The engine gave up.", code=501)
    assert legacy()[0]["status"] == "error"


def test_nothing_is_kept_inside_a_transaction(api, generation):
    with transaction.atomic():
        assert [polled(api, generation.task_id)[1] for _ in range(3)] == [False] * 3
    Generation.objects.filter(pk=generation.pk).update(status=Status.TEXT_SUCCESS)
    assert api.record(generation.task_id)["data"]["status"] == "TEXT_SUCCESS"


@pytest.mark.worker
def test_a_client_polling_while_a_worker_makes_the_song_sees_every_stage(api_worker, api):
    """A real worker process moves the task while the client polls as fast as it can. On
    SQLite no answer is older than the database was before the poll was asked; on
    PostgreSQL the finished song is seen within moments of its commit. The last answer
    lists both takes' audio."""
    from tests.generation.workers import output

    answer = api.post("/api/v1/generate", {"customMode": False, "instrumental": False,
                                           "model": "V4_5", "prompt": "a song about the tide"})
    task_id = answer.json()["data"]["taskId"]
    order = ["PENDING", "TEXT_SUCCESS", "FIRST_SUCCESS", "SUCCESS"]
    seen, remembered = [], 0

    def stored():
        return Generation.objects.values_list("status", flat=True).get(pk=task_id)

    def finished():
        nonlocal remembered
        before = stored()
        answer, from_memory = polled(api, task_id)
        remembered += from_memory
        status = answer["data"]["status"]
        if connection.vendor == "sqlite":
            assert order.index(status) >= order.index(before), (status, before)
        if not seen or seen[-1] != status:
            seen.append(status)
        return before in ("SUCCESS", "GENERATE_AUDIO_FAILED")

    wait_until(finished, seconds=180, every=0.01)
    assert stored() == "SUCCESS", output(api_worker)
    last = seen_after_change(api, task_id, lambda a: a["data"]["status"] == "SUCCESS")
    assert last["data"]["status"] == "SUCCESS"
    assert seen == sorted(seen, key=order.index)
    takes = last["data"]["response"]["sunoData"]
    assert len(takes) == 2 and all(t["audioUrl"] and t["duration"] for t in takes)
    assert remembered > 0  # between the worker's moves, polls were answered from memory
