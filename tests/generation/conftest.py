"""The real worker the worker tests share (tests/generation/workers.py starts it)."""
import pytest

from tests.generation.workers import start_cluster, stop_cluster


@pytest.fixture
def worker(settings):
    """One real django-q2 worker process on the test database, stopped after the test."""
    process = start_cluster(settings)
    yield process
    stop_cluster(process)
