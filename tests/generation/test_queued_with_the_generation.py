"""Saving a generation and queuing its job (jobs.submit): rows written by SQL written once
(studio.rows.Insert) read back as the ORM would have saved them, and a job is never queued
for a generation that was not saved, nor a generation saved without its job."""
import pytest
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from studio import delayed, rows
from studio.api.models import ApiRequest
from studio.generation import jobs, rules
from studio.generation.models import Generation, Upload
from tests.factories import make_track

pytestmark = pytest.mark.django_db


def _every_column(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_row_written_once_reads_back_as_the_orm_writes_it(owner):
    source = make_track(owner)
    upload = Upload.objects.create(owner=owner, file="uploads/a.mp3", name="a.mp3", format="mp3",
                                   size=10, duration=2.5)
    params = {"prompt": "Nuit étoilée 🌙 \"quoted\"", "nested": {"list": [1, 2.5, None, True]}}
    values = dict(owner=owner, mode="extend", params=params, model="V5", seed=2**31 - 1,
                  source_track=source, upload=upload, engine="upstream:7", client_token="t-1",
                  callback_url="https://hooks.example.com/x?a=1&b=2", origin="v1",
                  created_at=timezone.now())
    by_orm = Generation.objects.create(**values)
    written = rows.Insert(Generation).save(Generation(**{**values, "client_token": "t-2"}))

    assert written._state.adding is False and written._state.db == "default"
    orm_row = _every_column(Generation.objects.get(pk=by_orm.pk))
    our_row = _every_column(Generation.objects.get(pk=written.pk))
    assert our_row.pop("client_token") == "t-2"
    orm_row.pop("client_token")
    assert orm_row.pop("id") != our_row.pop("id")
    assert our_row == orm_row
    assert our_row["params"] == params and our_row["created_at"] == values["created_at"]

    # A row keyed by another's (a one-to-one primary key), and a JSON body of any shape.
    body = {"prompt": "x" * 3000, "callBackUrl": None, "list": ["a", {"b": 1}]}
    rows.Insert(ApiRequest).save(ApiRequest(generation=written, body=body,
                                            base_url="http://testserver"))
    kept = ApiRequest.objects.get(generation=written)
    assert (kept.body, kept.base_url, kept.callback_refused) == (body, "http://testserver", "")


def test_a_row_numbered_by_the_database_gets_its_number(owner):
    now = timezone.now()
    first = rows.Insert(OrmQ).save(OrmQ(key="test-rows", payload="one", lock=now))
    second = rows.Insert(OrmQ).save(OrmQ(key="test-rows", payload="two", lock=now))
    assert isinstance(first.pk, int) and second.pk > first.pk
    assert {q.pk: q.payload for q in OrmQ.objects.filter(key="test-rows")} == {
        first.pk: "one", second.pk: "two"}
    assert model_to_dict(OrmQ.objects.get(pk=first.pk))["lock"] == now


def _submit(owner) -> Generation:
    request = rules.validate(rules.GENERATE, {"customMode": False, "instrumental": False,
                                              "model": "V4_5", "prompt": "a song of the sea"},
                             rules.Context(surface="v1"))
    return jobs.submit(owner=owner, request=request, origin="v1")


def _queued_ids(broker) -> list[str]:
    """The generation ids of the run_generation jobs waiting in the broker."""
    if hasattr(broker, "later_key"):  # Redis: the list, read without taking anything
        packs = broker.connection.lrange(broker.list_key, 0, -1)
    else:
        packs = OrmQ.objects.filter(key=broker.list_key).values_list("payload", flat=True)
    return [task["args"][0] for task in map(SignedPackage.loads, packs)
            if task["func"] == "studio.generation.tasks.run_generation"]


def test_a_generation_is_queued_with_its_own_transaction_and_never_without_it(
        owner, settings, django_capture_on_commit_callbacks):
    settings.JOBS_SYNC = False  # queued for a worker; none runs here
    broker = delayed.broker()
    queue_is_the_database = "orm" in settings.Q_CLUSTER

    # Rolled back: neither the generation nor its job is left.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            lost = _submit(owner)
            if queue_is_the_database:  # its job's row is written in its transaction
                assert str(lost.pk) in _queued_ids(broker)
            raise RuntimeError("the request failed after the generation was saved")
    assert not Generation.objects.filter(pk=lost.pk).exists()
    assert str(lost.pk) not in _queued_ids(broker)
    assert callbacks == []

    # Committed: the job names the generation. With the ORM broker its row was written in
    # the generation's transaction; with Redis it is pushed once that transaction commits.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            kept = _submit(owner)
        queued_before_commit = str(kept.pk) in _queued_ids(broker)
    assert queued_before_commit is queue_is_the_database
    assert len(callbacks) == (0 if queue_is_the_database else 1)
    for callback in callbacks:
        callback()
    assert _queued_ids(broker).count(str(kept.pk)) == 1
    broker.purge_queue()


class _Kept:
    """A broker that keeps what it is given (django-q2's async_task pushes into it)."""

    list_key = "kept"

    def __init__(self):
        self.packs = []

    def enqueue(self, pack):
        self.packs.append(pack)
        return len(self.packs)


def test_a_job_is_packed_as_django_q2_packs_it(settings):
    """delayed.package makes the package async_task would, less its human-readable name: a
    worker reads both alike (same keys, same function, arguments and options)."""
    from django_q.tasks import async_task

    settings.JOBS_SYNC = False
    theirs = _Kept()
    async_task("studio.generation.tasks.run_generation", "0123", task_name="generation-0123",
               broker=theirs)
    ours = SignedPackage.loads(delayed.package("studio.generation.tasks.run_generation",
                                               ("0123",), "generation-0123"))
    theirs = SignedPackage.loads(theirs.packs[0])
    assert ours.keys() == theirs.keys()
    assert len(ours["id"]) == 32 and ours["id"] != theirs["id"]
    assert abs(ours.pop("started") - theirs.pop("started")).total_seconds() < 5
    ours.pop("id"), theirs.pop("id")
    assert ours == theirs
    unnamed = SignedPackage.loads(delayed.package("studio.api.tasks.deliver_callbacks", ("x",)))
    assert unnamed["name"] == unnamed["id"]
