import pytest
from django.core import checks

from studio.checks import engine_known, job_queue_timing, upstream_timeout

# the checks read settings: no row, no job (.ci/run runs it once, in the SQLite pass)
pytestmark = pytest.mark.db_agnostic


def test_default_settings_pass_the_checks():
    assert job_queue_timing(None) == []
    assert engine_known(None) == []
    assert upstream_timeout(None) == []


def test_retry_not_beyond_timeout_is_refused(settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": 600, "retry": 600}
    errors = job_queue_timing(None)
    assert [e.id for e in errors] == ["studio.E001"]
    assert isinstance(errors[0], checks.Error)


def test_unbounded_attempts_are_refused(settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "max_attempts": 0}
    assert [e.id for e in job_queue_timing(None)] == ["studio.E002"]


def test_unknown_engine_is_refused(settings):
    settings.STUDIO_ENGINE = "nonesuch"
    assert [e.id for e in engine_known(None)] == ["studio.E003"]


@pytest.mark.parametrize("seconds", [0, 61, 300])
def test_a_vendor_wait_past_the_create_window_is_refused(settings, seconds):
    settings.STUDIO_UPSTREAM_TIMEOUT = seconds
    assert [e.id for e in upstream_timeout(None)] == ["studio.E004"]
