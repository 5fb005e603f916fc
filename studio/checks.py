"""System checks for configuration that would otherwise fail at 3 a.m."""
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def job_queue_timing(app_configs, **kwargs):
    conf = settings.Q_CLUSTER
    timeout, retry = conf.get("timeout"), conf.get("retry")
    errors = []
    if not timeout or not retry or retry <= timeout + 10:
        errors.append(checks.Error(
            f"Q_CLUSTER retry ({retry}) must exceed timeout ({timeout}) by more than 10 s",
            hint="Otherwise django-q2 hands a still-running job to a second worker. "
                 "Set STUDIO_JOB_TIMEOUT and let settings derive retry.",
            id="studio.E001",
        ))
    attempts = conf.get("max_attempts", 0)
    if not 1 <= attempts <= 5:
        errors.append(checks.Error(
            f"Q_CLUSTER max_attempts is {attempts}; it must be between 1 and 5",
            hint="0 means unlimited retries: a job that always crashes would run forever.",
            id="studio.E002",
        ))
    return errors


@checks.register()
def engine_known(app_configs, **kwargs):
    from studio.engines import registry

    if settings.STUDIO_ENGINE not in registry.names():
        return [checks.Error(
            f"STUDIO_ENGINE={settings.STUDIO_ENGINE!r} is not an engine",
            hint=f"Known engines: {', '.join(registry.names())}",
            id="studio.E003",
        )]
    return []


@checks.register()
def upstream_timeout(app_configs, **kwargs):
    from studio.connections.tracking import CREATE_IN_FLIGHT

    seconds = settings.STUDIO_UPSTREAM_TIMEOUT
    if not 0 < seconds <= 60:
        return [checks.Error(
            f"STUDIO_UPSTREAM_TIMEOUT={seconds:g} must be above 0 and at most 60 seconds",
            hint=f"A create without an answer after {CREATE_IN_FLIGHT.seconds} s is taken as "
                 "over (failed: the vendor may have charged); a longer wait would overlap it.",
            id="studio.E004",
        )]
    return []
