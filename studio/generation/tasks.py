"""django-q2 entry points: thin, ids only."""
from . import jobs, reaper


def run_generation(generation_id: str) -> None:
    # First what earlier workers left unfinished (a restarted cluster's first job finds it),
    # as jobs.run sweeps stream files.
    reaper.reap()
    jobs.run(generation_id)


def reap_generations() -> int:
    """The reaper's schedule (reaper.ensure_schedule): every minute, whether or not jobs arrive."""
    return reaper.reap()


def run_stems(stems_id: str) -> None:
    from . import derive
    derive.run(stems_id)


def write_lyrics(task_id: str) -> None:
    from . import writing
    writing.write(task_id)
