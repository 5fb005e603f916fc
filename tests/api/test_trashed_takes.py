"""What the API shows for a take its owner moved to the trash: the same record as before, in
the vendors' shape, until the trash purges it; then the task lists only the takes it still
has, and the purged take's links are 404 (as a vendor's expired file is)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from studio.library import trash
from studio.library.models import Track
from tests.api.factories import api_generation, finish_by_hand

pytestmark = pytest.mark.django_db


@pytest.fixture
def generation(owner):
    return finish_by_hand(api_generation(owner))


def takes(api, generation):
    return api.record(generation.task_id)["data"]["response"]["sunoData"]


def test_a_trashed_take_keeps_its_record_until_it_is_purged(
        api, client, owner, generation, django_capture_on_commit_callbacks):
    before = takes(api, generation)
    first = Track.objects.get(generation=generation, variation=0)
    client.force_login(owner)
    assert client.post(f"/tracks/{first.pk}/delete").status_code == 302
    client.logout()
    during = takes(api, generation)
    assert [t["id"] for t in during] == [t["id"] for t in before]
    assert during[0]["audioUrl"] == before[0]["audioUrl"]
    assert client.get(during[0]["audioUrl"].removeprefix("http://testserver")).status_code == 200

    Track.objects.filter(pk=first.pk).update(trashed_at=timezone.now() - timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        assert trash.purge() == 1
    data = api.record(generation.task_id)["data"]
    assert data["status"] == "SUCCESS"
    assert [t["id"] for t in data["response"]["sunoData"]] == [before[1]["id"]]
    assert client.get(before[0]["audioUrl"].removeprefix("http://testserver")).status_code == 404
