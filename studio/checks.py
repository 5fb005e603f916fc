"""System checks for configuration that would otherwise fail at 3 a.m.

Each message names the environment variable to change (the README lists them all).
`manage.py up --production` runs these (with Django's deployment checks) before it starts
anything, and refuses to start on an error.
"""
import os
from pathlib import Path

from django.conf import settings
from django.core import checks

# Names that only this machine answers to: DEBUG pages are tolerable there, nowhere else.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", ".localhost"}


@checks.register(checks.Tags.compatibility)
def job_queue_timing(app_configs, **kwargs):
    conf = settings.Q_CLUSTER
    timeout, retry = conf.get("timeout"), conf.get("retry")
    errors = []
    if not timeout or not retry or retry <= timeout + 10:
        errors.append(checks.Error(
            f"STUDIO_JOB_RETRY ({retry}) must exceed STUDIO_JOB_TIMEOUT ({timeout}) by more "
            "than 10 s (django-q2's retry and timeout)",
            hint="Otherwise django-q2 hands a still-running job to a second worker. "
                 "Set STUDIO_JOB_TIMEOUT alone and let settings derive retry (timeout + 60).",
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
    from studio.connections.tracking import create_in_flight

    seconds = settings.STUDIO_UPSTREAM_TIMEOUT
    if not 0 < seconds <= 60:
        return [checks.Error(
            f"STUDIO_UPSTREAM_TIMEOUT={seconds:g} must be above 0 and at most 60 seconds",
            hint=f"A create without a task id is taken as over (failed: the vendor may have "
                 f"charged) only once no call could still be in flight "
                 f"({create_in_flight().seconds} s with these settings).",
            id="studio.E004",
        )]
    return []


@checks.register(checks.Tags.security)
def debug_only_on_this_machine(app_configs, **kwargs):
    public = [host for host in settings.ALLOWED_HOSTS if host.lower() not in LOCAL_HOSTS]
    if settings.DEBUG and public:
        return [checks.Error(
            f"STUDIO_DEBUG is on while STUDIO_ALLOWED_HOSTS names public hosts "
            f"({', '.join(public)})",
            hint="Debug pages show settings, paths and code to anyone who triggers an error. "
                 "Set STUDIO_DEBUG=0.",
            id="studio.E010",
        )]
    return []


@checks.register(checks.Tags.security)
def secret_key_set(app_configs, **kwargs):
    if settings.PRODUCTION and not os.environ.get("STUDIO_SECRET_KEY"):
        return [checks.Error(
            "STUDIO_SECRET_KEY is not set",
            hint="Production needs one fixed secret key shared by every web and worker "
                 "process: sessions, signed links and stored vendor keys depend on it. Set "
                 "STUDIO_SECRET_KEY to a long random string (e.g. `python3 -c \"import "
                 "secrets; print(secrets.token_urlsafe(50))\"`).",
            id="studio.E011",
        )]
    return []


@checks.register(checks.Tags.security)
def allowed_hosts_set(app_configs, **kwargs):
    if not settings.ALLOWED_HOSTS:
        return [checks.Error(
            "STUDIO_ALLOWED_HOSTS is empty: Studio would answer no request",
            hint="Set STUDIO_ALLOWED_HOSTS to the host names Studio is reached by, "
                 "comma-separated, e.g. studio.example.com.",
            id="studio.E012",
        )]
    return []


def _writable_directory(path: Path) -> bool:
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


@checks.register()
def media_root_writable(app_configs, **kwargs):
    root = Path(settings.MEDIA_ROOT)
    if not _writable_directory(root):
        state = "is not a writable directory" if root.exists() else "does not exist and " \
            "could not be created"
        return [checks.Error(
            f"STUDIO_MEDIA_ROOT ({root}) {state}",
            hint="Every take, cover and upload is stored there (and streams while encoding): "
                 "point STUDIO_MEDIA_ROOT (default: $STUDIO_DATA_DIR/media) at a directory "
                 "Studio's user can write.",
            id="studio.E013",
        )]
    return []


@checks.register()
def s3_credentials(app_configs, **kwargs):
    bucket, endpoint = settings.STUDIO_S3_BUCKET, settings.STUDIO_S3_ENDPOINT
    if not bucket and not endpoint:
        return []
    errors = []
    if not bucket:
        errors.append(checks.Error(
            "STUDIO_S3_ENDPOINT is set but STUDIO_S3_BUCKET is not",
            hint="Media goes to S3-compatible storage only with a bucket: set "
                 "STUDIO_S3_BUCKET, or unset STUDIO_S3_ENDPOINT to keep media on disk.",
            id="studio.E014",
        ))
    missing = [name for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
               if not getattr(settings, name)]
    if missing:
        errors.append(checks.Error(
            f"S3 media is configured (STUDIO_S3_BUCKET / STUDIO_S3_ENDPOINT) but "
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set",
            hint="Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to the bucket's "
                 "credentials, or unset STUDIO_S3_BUCKET and STUDIO_S3_ENDPOINT.",
            id="studio.E015",
        ))
    return errors


@checks.register()
def stream_relay(app_configs, **kwargs):
    relay = settings.STUDIO_STREAM_RELAY
    if relay not in ("file", "redis") and not settings.STREAM_REDIS_URL:
        return [checks.Error(
            f"STUDIO_STREAM_RELAY={relay!r} is neither 'file', 'redis' nor a redis:// URL",
            hint="'file': takes stream through MEDIA_ROOT/streams/ (one host, or a shared "
                 "volume); 'redis': through Redis (REDIS_URL), with no shared directory.",
            id="studio.E017",
        )]
    if relay == "redis" and not settings.REDIS_URL:
        return [checks.Error(
            "STUDIO_STREAM_RELAY is 'redis' but REDIS_URL is not set",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0), or STUDIO_STREAM_RELAY=file.",
            id="studio.E018",
        )]
    if relay == "file" and settings.S3_MEDIA:
        return [checks.Warning(
            "Media is on S3 but takes stream while encoding through MEDIA_ROOT/streams/ "
            "(STUDIO_STREAM_RELAY=file)",
            hint="Web processes on another host than the workers hear nothing until a take is "
                 "final unless that directory is shared: set REDIS_URL (the relay then "
                 "defaults to 'redis'), or share STUDIO_MEDIA_ROOT between hosts.",
            id="studio.W019",
        )]
    return []


@checks.register(checks.Tags.mail, deploy=True)
def mail_server_set(app_configs, **kwargs):
    """Django's own check (mail.E001, silenced in settings) says this as an error without
    naming our variable; a server with closed sign-up may well do without email."""
    if not os.environ.get("STUDIO_SMTP_HOST"):
        return [checks.Warning(
            "STUDIO_SMTP_HOST is not set: password-reset emails are only printed to the log",
            hint="Set STUDIO_SMTP_HOST (and STUDIO_SMTP_USER, STUDIO_SMTP_PASSWORD) so people "
                 "who forget their password can reset it.",
            id="studio.W016",
        )]
    return []
