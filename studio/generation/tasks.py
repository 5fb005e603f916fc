"""django-q2 entry points: thin, ids only."""
from . import jobs


def run_generation(generation_id: str) -> None:
    jobs.run(generation_id)
