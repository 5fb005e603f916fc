"""A quiet worker leaves, and a cold one takes its place (studio/generation/quiet.py): a real
django-q2 cluster, told that 2 s without a job is quiet, lets its warmed-up worker go (helper
and all), starts a cold one that holds a few MB of its own and stays, makes the next song
just as right with it, and lets that one go too once it is quiet again."""
import os
import re
import time

import pytest
from django_q.models import Task
from django_q.tasks import async_task

from studio.generation import jobs
from studio.generation.models import Status
from studio.generation.rules import GenerationRequest
from tests.audio import decode, rms_dbfs
from tests.generation.workers import children, output, start_cluster, stop_cluster, wait_until, wait_until_final

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

READY = re.compile(r"ready for work at (\d+)")
LEFT = "worker quiet for 2 s: leaving; a cold one takes its place"
HELPER_STOPPED = re.compile(r"engine at rest: helper (\d+) stopped")


def _engine_helpers(cluster_pid: int) -> list[int]:
    """The cluster's processes three forks down: qcluster → sentinel → worker → helper."""
    kids, level = children(), [cluster_pid]
    for _ in range(3):
        level = [child for pid in level for child in kids.get(pid, [])]
    return level


def _private_mb(pid: int) -> float:
    """Memory only this process holds (what leaving gives back)."""
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        fields = dict(line.split()[:2] for line in fh if line.endswith("kB\n"))
    return (int(fields["Private_Dirty:"]) + int(fields["Private_Clean:"])) / 1024


@pytest.fixture
def cluster(settings):
    process = start_cluster(settings, STUDIO_ENGINE_IDLE_SECONDS="2")
    yield process
    stop_cluster(process)


def test_a_quiet_worker_leaves_and_a_cold_one_makes_the_next_song_right(cluster, owner):
    # The first worker warmed up (a helper, a grown heap), then was quiet for 2 s and left.
    wait_until(lambda: LEFT in output(cluster), seconds=180)
    first = int(READY.findall(output(cluster))[0])
    replacement = int(wait_until(lambda: READY.findall(output(cluster))[1:], seconds=30)[0])
    # django-q2's guard starts the new worker, then says why the old one went: its line may
    # come after the new one's "ready for work"
    log = wait_until(lambda: re.search(r"recycled worker|reincarnated", text := output(cluster)) and text,
                     seconds=30)
    assert "recycled worker" in log and "reincarnated" not in log, log
    helper = int(HELPER_STOPPED.findall(log)[0])
    assert not os.path.exists(f"/proc/{first}") and not os.path.exists(f"/proc/{helper}")

    # The new worker is cold (no warm-up: no helper, no kept heap) and, having nothing to
    # give back, stays through two more quiet spells, housekeeping included: the reaper, as
    # django-q2's scheduler queues it every minute (in the group named after its schedule).
    async_task("studio.generation.tasks.reap_generations", group="studio-reaper")
    wait_until(lambda: Task.objects.filter(group="studio-reaper").exists(), seconds=30)
    time.sleep(4.5)
    assert _engine_helpers(cluster.pid) == []
    log = output(cluster)
    assert log.count(LEFT) == 1 and READY.findall(log) == [str(first), str(replacement)], log
    assert _private_mb(replacement) < 64  # a warmed-up worker holds over 250 MB of its own

    request = GenerationRequest.from_params("generate", {
        "customMode": True, "instrumental": False, "model": "V4_5", "style": "pop, 100 bpm",
        "title": "After Hours", "prompt": "[Verse]\nThe lights come on again", "_duration": 20.0})
    generation = jobs.submit(owner=owner, request=request)
    wait_until_final(generation, cluster)

    assert generation.status == Status.SUCCESS, generation.error_message + output(cluster)
    assert generation.claimed_by.endswith(f" {replacement}"), generation.claimed_by
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
    assert "rendering in-process" not in output(cluster)  # take 1 came from a new helper

    # Warm now, the worker that made the song leaves in turn once quiet, helper and all.
    wait_until(lambda: output(cluster).count(LEFT) == 2, seconds=60)
    wait_until(lambda: len(READY.findall(output(cluster))) == 3, seconds=30)
    assert not os.path.exists(f"/proc/{replacement}")
    assert _engine_helpers(cluster.pid) == []
    assert "reincarnated" not in output(cluster)
