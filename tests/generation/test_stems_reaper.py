"""Stems whose worker died, or whose job was lost, are failed by the reaper with a reason, so
the track page stops waiting and offers to make them again."""
from datetime import timedelta

from django.utils import timezone

from studio.generation import reaper
from studio.generation.models import Status
from studio.library.models import Stems
from tests.api.factories import api_generation
from tests.factories import make_track


def test_abandoned_stems_fail_and_the_page_offers_them_again(owner, owner_client):
    track = make_track(owner, generation=api_generation(owner, status=Status.SUCCESS))
    long_ago = timezone.now() - timedelta(hours=2)
    died = Stems.objects.create(owner=owner, track=track, claimed_at=long_ago)
    lost = Stems.objects.create(owner=owner, track=track)
    Stems.objects.filter(pk=lost.pk).update(created_at=long_ago)
    working = Stems.objects.create(owner=owner, track=track, claimed_at=timezone.now())

    assert reaper.reap() == 2
    for stems in (died, lost):
        stems.refresh_from_db()
        assert stems.status == Stems.Status.GENERATE_AUDIO_FAILED
        assert stems.error_message == "Studio stopped while taking this song apart; ask for the stems again."
    working.refresh_from_db()
    assert working.status == Stems.Status.PENDING
    working.delete()
    block = owner_client.get(f"/tracks/{track.pk}/stems/").content.decode()
    assert "Studio stopped while taking this song apart" in block and "Make stems" in block
    assert "every 2s" not in block
