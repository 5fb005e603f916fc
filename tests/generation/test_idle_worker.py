"""A quiet worker gives its memory back (studio/engines/local/idle.py): a real django-q2
cluster, told that 2 s without a job is quiet, stops its engine helper and hands its kept heap
back after the warm-up, then makes the next song just as right with a new helper, and lets
that one go too once it is quiet again."""
import os
import re

import pytest

from studio.generation import jobs
from studio.generation.models import Status
from studio.generation.rules import GenerationRequest
from tests.audio import decode, rms_dbfs
from tests.generation.workers import children, output, start_cluster, stop_cluster, wait_until, wait_until_final

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

RELEASED = re.compile(r"engine quiet for 2 s: helper (\d+) stopped, (\d+) of (\d+) MB resident "
                      r"given back")


def _engine_helpers(cluster_pid: int) -> list[int]:
    """The cluster's processes three forks down: qcluster → sentinel → worker → helper."""
    kids, level = children(), [cluster_pid]
    for _ in range(3):
        level = [child for pid in level for child in kids.get(pid, [])]
    return level


@pytest.fixture
def cluster(settings):
    process = start_cluster(settings, STUDIO_ENGINE_IDLE_SECONDS="2")
    yield process
    stop_cluster(process)


def test_a_quiet_worker_stops_its_helper_and_still_makes_the_next_song_right(cluster, owner):
    # The warm-up forked a helper and grew the heap; 2 s later the worker let both go.
    first = wait_until(lambda: RELEASED.findall(output(cluster)), seconds=180)
    helper, given_back, resident = (int(v) for v in first[0])
    assert given_back >= 100, output(cluster)  # the warm-up's 256 MB of kept heap, mostly
    assert given_back < resident
    assert not os.path.exists(f"/proc/{helper}")  # stopped and reaped, not a zombie
    assert _engine_helpers(cluster.pid) == []

    request = GenerationRequest.from_params("generate", {
        "customMode": True, "instrumental": False, "model": "V4_5", "style": "pop, 100 bpm",
        "title": "After Hours", "prompt": "[Verse]\nThe lights come on again", "_duration": 20.0})
    generation = jobs.submit(owner=owner, request=request)
    wait_until_final(generation, cluster)

    assert generation.status == Status.SUCCESS, generation.error_message + output(cluster)
    tracks = list(generation.tracks.order_by("variation"))
    assert [t.variation for t in tracks] == [0, 1]
    decoded = []
    for track in tracks:
        samples, rate = decode(track.audio.path)
        assert abs(len(samples) / rate - track.duration) < 0.1
        assert 15 <= track.duration <= 30  # about the 20 s asked for
        assert rms_dbfs(samples) > -30  # music, not silence
        decoded.append(samples)
    n = min(len(decoded[0]), len(decoded[1]))
    assert not (decoded[0][:n] == decoded[1][:n]).all()  # two different takes
    # Take 1 came from a new helper, forked for this song, which the quiet let go in turn.
    later = wait_until(lambda: (found := RELEASED.findall(output(cluster)))[1:] and found,
                       seconds=60)
    second = int(later[1][0])
    assert second != helper
    assert "rendering in-process" not in output(cluster)  # no take fell back to the lead
    assert _engine_helpers(cluster.pid) == []
