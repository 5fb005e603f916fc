"""A create is acknowledged once committed, not once on disk (studio.rows.commit_unawaited):
on PostgreSQL its own transaction runs with synchronous_commit off, set before its writes and
sent with them; STUDIO_DB_DURABLE_CREATES=1 keeps the wait. Nothing else loses it: the
setting is the transaction's (SET LOCAL), gone once it ends."""
import pytest
from django.db import connection, transaction

from studio.generation import jobs, rules

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("connection.vendor != 'postgresql'")]

SONG = {"customMode": False, "instrumental": False, "model": "V4_5",
        "prompt": "a song of the harbour at dawn", "callBackUrl": "https://hooks.example.com/x"}


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def _submit(owner):
    request = rules.validate(rules.GENERATE, dict(SONG), rules.Context(surface="v1"))
    return jobs.submit(owner=owner, request=request, origin="v1")


@pytest.mark.django_db(transaction=True)  # its own transactions, not the test's
def test_a_creates_transaction_does_not_wait_for_the_disk_and_no_other_does(owner, settings):
    settings.DB_DURABLE_CREATES = False
    assert _synchronous_commit() == "on"
    with transaction.atomic():
        _submit(owner)
        assert _synchronous_commit() == "off"
    assert _synchronous_commit() == "on"  # the next transaction waits as the server says


def test_durable_creates_wait_for_the_disk(owner, settings):
    settings.DB_DURABLE_CREATES = True
    with transaction.atomic():
        _submit(owner)
        assert _synchronous_commit() == "on"


def test_an_api_create_sets_it_before_its_writes(api, settings):
    settings.DB_DURABLE_CREATES = False
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql.split()[0:3])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        answer = api.post("/api/v1/generate", SONG).json()
    assert answer["code"] == 200, answer
    words = [" ".join(s).upper() for s in statements]
    unawaited = words.index("SET LOCAL SYNCHRONOUS_COMMIT")
    first_write = next(i for i, w in enumerate(words) if w.startswith("INSERT INTO"))
    # The key is read first (outside the transaction); the rate count opens the create's
    # transaction, then the setting, then the generation's rows.
    assert unawaited < words.index(next(w for w in words if "GENERATION_GENERATION" in w))
    assert first_write < unawaited  # the rate count's upsert came first, in the transaction
