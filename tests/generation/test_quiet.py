"""How a worker reads its task queue (studio/generation/quiet.py), on a real multiprocessing
queue: a quiet spell after a job ends the loop, housekeeping neither warms a worker nor ends
its quiet spell, and a cold worker waits for as long as it takes."""
import multiprocessing

from studio.generation.quiet import _Quiet, housekeeping

JOB = {"func": "studio.generation.tasks.run_generation", "args": ("x",), "kwargs": {}}
REAPER = {"func": "studio.generation.tasks.reap_generations", "args": (), "kwargs": {},
          "group": "studio-reaper"}


def test_a_warm_worker_leaves_after_a_quiet_spell_and_a_job_starts_it_again():
    tasks = multiprocessing.Queue()
    quiet = _Quiet(tasks, warm=True, seconds=0.3)
    tasks.put(JOB)
    assert quiet.get() == JOB and not quiet.left
    started = quiet.since
    assert quiet.get() == "STOP" and quiet.left  # the job ended; 0.3 s of nothing since
    assert quiet.since > started


def test_housekeeping_does_not_end_a_quiet_spell():
    tasks = multiprocessing.Queue()
    quiet = _Quiet(tasks, warm=True, seconds=0.3)
    since = quiet.since
    tasks.put(REAPER)
    assert quiet.get() == REAPER
    assert quiet.get() == "STOP" and quiet.left
    assert quiet.since == since  # the spell ran from the warm-up, through the reaper's run


def test_a_cold_worker_stays_through_housekeeping_until_the_cluster_stops_it():
    tasks = multiprocessing.Queue()
    quiet = _Quiet(tasks, warm=False, seconds=0.01)
    for task in (REAPER, REAPER, "STOP"):
        tasks.put(task)
    assert [quiet.get() for _ in range(3)] == [REAPER, REAPER, "STOP"]
    assert quiet.since is None and not quiet.left  # still cold: the cluster's own STOP


def test_a_cold_worker_is_warm_after_a_job():
    tasks = multiprocessing.Queue()
    quiet = _Quiet(tasks, warm=False, seconds=0.2)
    tasks.put(JOB)
    assert quiet.get() == JOB and quiet.since is None
    assert quiet.get() == "STOP" and quiet.left and quiet.since is not None


def test_only_the_schedulers_tasks_are_housekeeping():
    assert housekeeping(REAPER) and not housekeeping(JOB)


def test_zero_seconds_keeps_a_warm_worker():
    tasks = multiprocessing.Queue()
    quiet = _Quiet(tasks, warm=True, seconds=0)
    tasks.put("STOP")
    assert quiet.get() == "STOP" and not quiet.left
