"""The reaper's rule for requests fulfilled by a worker or by a vendor (library/claims.py): a
worker's claim lapses after a job's time, a vendor's only after the vendor's deadline; each
reaped request is failed once, saying why, and its signal sent once."""
from datetime import timedelta

import pytest
from django.utils import timezone

from studio.library import claims, cover_art, videos
from studio.library.models import CoverArt, CoverArtStatus, MusicVideo, VideoStatus
from tests.factories import make_track

pytestmark = pytest.mark.django_db


def ago(seconds: float):
    return timezone.now() - timedelta(seconds=seconds)


def test_a_vendors_video_waits_for_the_vendors_deadline_not_a_jobs(owner, settings):
    track = make_track(owner)
    settings.STUDIO_UPSTREAM_DEADLINE = 1800
    job = settings.Q_CLUSTER["retry"] + 5
    worker_died = MusicVideo.objects.create(owner=owner, track=track, claimed_at=ago(job))
    at_vendor = MusicVideo.objects.create(owner=owner, track=track, claimed_at=ago(job),
                                          vendor_sent_at=ago(job))
    vendor_lost = MusicVideo.objects.create(owner=owner, track=track, claimed_at=ago(2000),
                                            vendor_sent_at=ago(1800 + 61))
    finished = []
    videos.video_finished.connect(lambda sender, video, **kw: finished.append(video.pk),
                                  weak=False, dispatch_uid="test-claims")
    try:
        assert videos.reap() == 2
        assert videos.reap() == 0  # once
    finally:
        videos.video_finished.disconnect(dispatch_uid="test-claims")
    states = {v.pk: (v.status, v.error_message) for v in MusicVideo.objects.all()}
    assert states[at_vendor.pk] == (VideoStatus.PENDING, "")
    for reaped in (worker_died, vendor_lost):
        assert states[reaped.pk] == (VideoStatus.GENERATE_MP4_FAILED, videos.GAVE_UP)
    assert sorted(finished) == sorted([worker_died.pk, vendor_lost.pk])


def test_a_request_is_ended_once(owner):
    task = CoverArt.objects.create(owner=owner, track=make_track(owner))
    ended = []
    assert claims.claim(CoverArt, task.pk) and not claims.claim(CoverArt, task.pk)
    assert claims.finish(CoverArt, task.pk, ended.append, status=CoverArtStatus.SUCCESS,
                         files=["a.jpg"])
    assert not claims.finish(CoverArt, task.pk, ended.append,
                             status=CoverArtStatus.GENERATE_COVER_FAILED)
    task.refresh_from_db()
    assert (task.status, task.files, ended) == (CoverArtStatus.SUCCESS, ["a.jpg"], [task.pk])
    assert task.completed_at is not None
    assert cover_art.reap() == 0
