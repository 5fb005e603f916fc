"""The purge runs on a real django-q2 cluster's scheduler, not only when called."""
import os
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from studio.library import trash
from studio.library.models import Track
from tests.factories import make_track
from tests.generation.workers import output, start_cluster, stop_cluster, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_running_cluster_purges_the_expired_trash(settings, owner):
    expired = make_track(owner, title="Expired")
    young = make_track(owner, title="Young")
    Track.objects.filter(pk=expired.pk).update(trashed_at=timezone.now() - timedelta(days=31))
    Track.objects.filter(pk=young.pk).update(trashed_at=timezone.now() - timedelta(days=1))
    folder = expired.audio.storage.path(expired.folder)
    # Due now, as it is once a day; the scheduler looks about every 30 s.
    Schedule.objects.filter(name=trash.SCHEDULE).update(next_run=timezone.now())
    cluster = start_cluster(settings)
    try:
        wait_until(lambda: not Track.objects.filter(pk=expired.pk).exists()
                   and not os.path.exists(expired.audio.path), seconds=120, every=0.5)
    except BaseException:
        print(output(cluster))
        raise
    finally:
        stop_cluster(cluster)
    assert not os.path.exists(folder) or os.listdir(folder) == []
    assert Track.objects.filter(pk=young.pk).exists() and os.path.exists(young.audio.path)
    assert Schedule.objects.get(name=trash.SCHEDULE).next_run > timezone.now()
