"""Studio's settings: every value comes from an environment variable with a default that
runs on a fresh clone (SQLite + ORM broker + local engine, files under var/).
The README lists each variable."""
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DATA_DIR = Path(env("STUDIO_DATA_DIR", str(BASE_DIR / "var"))).resolve()
# The database, the secret key and everyone's music live here: this user's alone.
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
DATA_DIR.chmod(0o700)


# Production mode (`manage.py up --production` sets it): a production web server, hashed
# static file names from collectstatic, no default host names and no generated secret key;
# studio.checks refuses to start on unsafe settings, naming the variable to fix.
PRODUCTION = env_bool("STUDIO_PRODUCTION")


def _secret_key() -> str:
    """An env var in production; on a fresh clone, one generated once and kept in var/.
    In production mode an unset key is a per-process throwaway, so that the system check
    (studio.E011) can say which variable to set instead of Django failing to start."""
    if key := env("STUDIO_SECRET_KEY"):
        return key
    if PRODUCTION:
        return secrets.token_urlsafe(50)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("STUDIO_DEBUG")
# Production names its hosts: no default there (studio.E012 says so).
ALLOWED_HOSTS = env_list("STUDIO_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("STUDIO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "studio.web",
    "django_q",
    "studio.generation",
    "studio.library",
    "studio.api",
    "studio.connections",
]

# Those from studio.web.pagesonly are Django's own, passed over by requests to the API
# (bearer key and JSON: no one signed in, no messages, no htmx).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "studio.web.pagesonly.AuthenticationMiddleware",
    "studio.web.pagesonly.LoginRequiredMiddleware",
    "studio.web.pagesonly.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "studio.web.pagesonly.HtmxMiddleware",
    "studio.web.failures.FailureInWordsMiddleware",
]

ROOT_URLCONF = "studio.urls"
WSGI_APPLICATION = "studio.wsgi.application"

TEMPLATES = [
    {
        # Django's engine; every page it renders is text that can be sent (studio.web.rendering).
        "BACKEND": "studio.web.rendering.Templates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["django_htmx.templatetags.django_htmx"],
        },
    },
]

# Widgets may use our templates (templates/components/...), so forms render through TEMPLATES.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite under var/ by default; DATABASE_URL (postgres://...) for production.
if env("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL"), conn_max_age=60,
                                                  conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Django's, with a health check that costs no round trip while the server is quiet
        # (studio/postgres/base.py).
        DATABASES["default"]["ENGINE"] = "studio.postgres"
    if DATABASES["default"]["ENGINE"] == "studio.postgres" and \
            env_bool("STUDIO_DB_PREPARED", True):
        # Parameters bound by the server, and a statement run twice on a connection is
        # prepared there: the hot paths' few queries are then planned once per connection,
        # not per request (planning the API key's join took 0.47 ms, longer than running
        # it). Off (0) behind a pooler in transaction mode that cannot keep prepared
        # statements (PgBouncer before 1.21, or without max_prepared_statements).
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=2)
else:
    def _private_file(path: Path) -> Path:
        """Created 0600 before SQLite opens it; its -wal and -shm files take the same mode."""
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        path.chmod(0o600)  # and a file made by an older version is narrowed to it
        return path

    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _private_file(DATA_DIR / "studio.sqlite3"),
            "OPTIONS": {
                # Web and worker processes write concurrently: WAL lets readers go on while one
                # writes, busy_timeout waits for the lock instead of failing, and IMMEDIATE
                # takes the write lock up front so no transaction fails half-way on upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000; "
                    "PRAGMA synchronous=NORMAL;"
                ),
            },
            # A file, not :memory:, so a real worker process can share the test database.
            "TEST": {"NAME": str(DATA_DIR / "test-studio.sqlite3")},
            # Kept open across requests: closing the last connection to a WAL database
            # checkpoints and deletes the -wal file (about 6 ms), and opening one runs the
            # pragmas again; that, not the queries, was most of an API request's time.
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A create is acknowledged once committed, as SQLite's synchronous=NORMAL acknowledges every
# write: on PostgreSQL its transaction does not wait for the disk (studio.rows.
# commit_unawaited), which a server crash may cost the last 0.6 s of creates. 1: wait.
DB_DURABLE_CREATES = env_bool("STUDIO_DB_DURABLE_CREATES", False)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "library:index"
LOGOUT_REDIRECT_URL = "login"
# A form refused by the CSRF check is told in words (not Django's technical page).
CSRF_FAILURE_VIEW = "studio.web.failures.csrf_failure"
# Open sign-up: anyone who reaches the server may make an account. Off on a server for a
# known few (accounts are then made with `manage.py createsuperuser` or by an admin).
STUDIO_SIGNUP = env_bool("STUDIO_SIGNUP", True)
# Sign-in throttle: failed passwords per account in 15 minutes, before sign-in is refused
# without checking the password; an address may fail 4 times as often (shared NATs).
STUDIO_LOGIN_FAILURES = int(env("STUDIO_LOGIN_FAILURES", "5"))

# Email (password reset): printed to the console unless an SMTP host is set.
if env("STUDIO_SMTP_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {
        "host": env("STUDIO_SMTP_HOST"), "port": int(env("STUDIO_SMTP_PORT", "587")),
        "username": env("STUDIO_SMTP_USER"), "password": env("STUDIO_SMTP_PASSWORD"),
        "use_tls": env_bool("STUDIO_SMTP_TLS", True), "timeout": 20}}}
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("STUDIO_EMAIL_FROM", "Studio <studio@localhost>")
# Without an SMTP host, check --deploy says so naming STUDIO_SMTP_HOST (studio.W016), a
# warning: a server with closed sign-up may do without email.
SILENCED_SYSTEM_CHECKS = ["mail.E001"]

# HTTPS. STUDIO_SECURE_PROXY: a reverse proxy terminates TLS and sets X-Forwarded-Proto
# (only set it when the proxy overwrites that header). STUDIO_HTTPS: the site is served
# over HTTPS only — redirects, HSTS and cookies that never travel in clear text.
if env_bool("STUDIO_SECURE_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STUDIO_HTTPS = env_bool("STUDIO_HTTPS")
SECURE_SSL_REDIRECT = STUDIO_HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = STUDIO_HTTPS
SECURE_HSTS_SECONDS = int(env("STUDIO_HSTS_SECONDS", "31536000" if STUDIO_HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("STUDIO_HSTS_SUBDOMAINS", True)
# Preloading is a commitment browsers keep for months: an operator opts in.
SECURE_HSTS_PRELOAD = env_bool("STUDIO_HSTS_PRELOAD")
SESSION_COOKIE_HTTPONLY = True
# Our pages load only our own files: scripts and styles from static/, no inline code
# (htmx's indicator <style> is turned off in base.html), covers and audio from this site.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "media-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("STUDIO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(env("STUDIO_MEDIA_ROOT", str(DATA_DIR / "media")))
try:
    MEDIA_ROOT.mkdir(mode=0o700, parents=True, exist_ok=True)
except OSError:
    pass  # studio.E013 names STUDIO_MEDIA_ROOT, rather than a traceback at import
# Everyone's music is private to the server's user (a front server given STUDIO_SENDFILE
# must run as that user, or be given access by group with STUDIO_MEDIA_GROUP_READ).
_GROUP = env_bool("STUDIO_MEDIA_GROUP_READ")
FILE_UPLOAD_PERMISSIONS = 0o640 if _GROUP else 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750 if _GROUP else 0o700
# Media is never served publicly: every file goes through a view that checks its owner.
MEDIA_URL = "/media-is-not-public/"
if PRODUCTION:
    # Hashed names (css/studio.3f2a….css) from collectstatic, which `up --production` runs:
    # whitenoise serves them compressed with a year of caching, and a new version is a new URL.
    _STATIC_BACKEND = "whitenoise.storage.CompressedManifestStaticFilesStorage"
elif DEBUG:
    _STATIC_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"
else:
    _STATIC_BACKEND = "whitenoise.storage.CompressedStaticFilesStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Static files are public: a front server may read them whatever user it runs as.
    "staticfiles": {"BACKEND": _STATIC_BACKEND,
                    "OPTIONS": {"file_permissions_mode": 0o644,
                                "directory_permissions_mode": 0o755}},
}
# A fresh clone serves static/ without a collectstatic step; production only what was collected.
WHITENOISE_USE_FINDERS = not PRODUCTION
# ... and as it is now: a script changed while Studio runs (a `git pull`) was served cut to the
# length it had at start (whitenoise keeps each file's size), a syntax error on every page.
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Media on S3-compatible storage (django-storages' S3Storage; studio/media.py is the one place
# that knows): bucket, endpoint (MinIO's, moto's …; unset: AWS), region and the AWS keys. The
# start-up checks refuse a bucket without credentials (studio.E014/E015) and storage stays on
# disk then, so the refusal is what the operator sees.
STUDIO_S3_BUCKET = env("STUDIO_S3_BUCKET")
STUDIO_S3_ENDPOINT = env("STUDIO_S3_ENDPOINT")
STUDIO_S3_REGION = env("STUDIO_S3_REGION", "us-east-1")
AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID")
AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY")
# Audio from a bucket goes through Studio (a ranged GET passed on: same origin, one request
# per seek) unless this is on: then a redirect to a presigned URL valid STUDIO_S3_URL_SECONDS.
STUDIO_S3_PRESIGNED = env_bool("STUDIO_S3_PRESIGNED")
STUDIO_S3_URL_SECONDS = int(env("STUDIO_S3_URL_SECONDS", "300"))
S3_MEDIA = bool(STUDIO_S3_BUCKET and AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)


def s3_storage(bucket: str, endpoint: str, region: str, key: str, secret: str,
               url_seconds: int) -> dict:
    """The media storage in a bucket (a function: the S3 tests configure it the same way)."""
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket, "endpoint_url": endpoint or None, "region_name": region,
        "access_key": key, "secret_key": secret, "signature_version": "s3v4",
        # private objects, and a name taken is never overwritten (as on disk)
        "default_acl": None, "querystring_auth": True, "file_overwrite": False,
        "querystring_expire": url_seconds,
    }}


if S3_MEDIA:
    STORAGES["default"] = s3_storage(STUDIO_S3_BUCKET, STUDIO_S3_ENDPOINT, STUDIO_S3_REGION,
                                     AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, STUDIO_S3_URL_SECONDS)
    if STUDIO_S3_PRESIGNED and STUDIO_S3_ENDPOINT:
        # the player and covers load from the bucket's origin after the redirect
        from urllib.parse import urlsplit as _urlsplit
        _origin = "{0.scheme}://{0.netloc}".format(_urlsplit(STUDIO_S3_ENDPOINT))
        for _directive in ("media-src", "img-src", "connect-src"):
            SECURE_CSP[_directive].append(_origin)

# The production web server (gunicorn, studio/web/gunicorn.py): processes, and threads in
# each; every listener of a growing take's stream holds a thread while it listens.
STUDIO_WEB_WORKERS = int(env("STUDIO_WEB_WORKERS", "2"))
STUDIO_WEB_THREADS = int(env("STUDIO_WEB_THREADS", "16"))

# Byte serving by the front web server once a view has checked the owner:
# "" (Django streams), "nginx" (X-Accel-Redirect to STUDIO_SENDFILE_PREFIX) or "apache" (X-Sendfile).
STUDIO_SENDFILE = env("STUDIO_SENDFILE")
STUDIO_SENDFILE_PREFIX = env("STUDIO_SENDFILE_PREFIX", "/protected-media/")

# The library: tracks per page (pages are cut by a cursor, never counted).
STUDIO_LIBRARY_PAGE_SIZE = int(env("STUDIO_LIBRARY_PAGE_SIZE", "24"))

# Uploaded audio: the largest file accepted, in megabytes.
STUDIO_UPLOAD_MAX_MB = int(env("STUDIO_UPLOAD_MAX_MB", "50"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The JSON API (studio/api). Creates per key per window, as "count/seconds".
STUDIO_API_RATE = env("STUDIO_API_RATE", "20/10")
# A self-hosted server bills nothing: /api/v1/generate/credit reports this number.
STUDIO_API_CREDITS = int(env("STUDIO_API_CREDITS", "1000000"))
# Signed audio, cover and upload links handed to API clients stay valid this many days.
STUDIO_FILE_URL_DAYS = int(env("STUDIO_FILE_URL_DAYS", "14"))
# Base of the links in callbacks, e.g. https://studio.example.com; unset: the scheme and
# host the client used when it created the task.
STUDIO_BASE_URL = env("STUDIO_BASE_URL").rstrip("/")
# callBackUrl and uploadUrl may not reach private, loopback, link-local or metadata
# addresses unless listed here (IPs, CIDRs or host names, comma-separated).
STUDIO_OUTBOUND_ALLOW = env_list("STUDIO_OUTBOUND_ALLOW")
# Fetching an uploadUrl: whole-download time limit, in seconds (the size limit is
# STUDIO_UPLOAD_MAX_MB).
STUDIO_FETCH_TIMEOUT = int(env("STUDIO_FETCH_TIMEOUT", "60"))
# Callbacks: seconds to wait between the 3 attempts.
STUDIO_CALLBACK_BACKOFF = [float(s) for s in env_list("STUDIO_CALLBACK_BACKOFF", "1,4")]

# Engines: which one renders new generations.
STUDIO_ENGINE = env("STUDIO_ENGINE", "local")
# The local engine renders the second take in a helper process (off: in turn); and prints
# its per-stage timings to stderr.
STUDIO_ENGINE_PARALLEL = env("STUDIO_ENGINE_PARALLEL", "1").strip().lower() not in (
    "0", "false", "no", "off")
STUDIO_ENGINE_TIMINGS = env_bool("STUDIO_ENGINE_TIMINGS")
# A worker quiet for this many seconds stops its helper and gives its kept heap back (the next
# job warms up again); 0 keeps them for good.
STUDIO_ENGINE_IDLE_SECONDS = float(env("STUDIO_ENGINE_IDLE_SECONDS", "60"))

# Background jobs (django-q2). `retry` must exceed `timeout`, or a slow job would be handed to a
# second worker while the first still runs; studio.checks refuses such a configuration.
JOB_TIMEOUT = int(env("STUDIO_JOB_TIMEOUT", "600"))
JOB_RETRY_MARGIN = 60
JOB_RETRY = int(env("STUDIO_JOB_RETRY", str(JOB_TIMEOUT + JOB_RETRY_MARGIN)))
JOBS_SYNC = env_bool("STUDIO_JOBS_SYNC")
Q_CLUSTER = {
    "name": env("STUDIO_QUEUE_NAME", "studio"),
    "workers": int(env("STUDIO_WORKERS", "2")),
    "timeout": JOB_TIMEOUT,
    "retry": JOB_RETRY,
    "max_attempts": 2,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": int(env("STUDIO_JOB_HISTORY", "500")),
    "poll": 0.2,
    "sync": JOBS_SYNC,
    "label": "Jobs",
    # django-q2 logs a line for every job it enqueues: in a web process, a line per create
    # (a tenth of an API create's time went to it). The cluster keeps its INFO lines.
    "log_level": "INFO" if "qcluster" in sys.argv else "WARNING",
}
if env("REDIS_URL"):
    Q_CLUSTER["redis"] = env("REDIS_URL")
    Q_CLUSTER["broker_class"] = "studio.delayed.Redis"  # django-q2's, able to wait (delayed.py)
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["broker_class"] = "studio.delayed.ORM"
# How a take reaches its listeners while it is encoded (generation/streams.py): "file", a
# growing file in MEDIA_ROOT/streams/ that web processes read (a directory web and worker
# hosts must share), or "redis", the worker appending its pieces to a Redis stream that web
# processes read (nothing shared but Redis): REDIS_URL's, or the redis:// URL given instead.
# Default: redis with S3 media and a Redis broker, else file.
REDIS_URL = env("REDIS_URL")
STUDIO_STREAM_RELAY = env("STUDIO_STREAM_RELAY", "redis" if S3_MEDIA and REDIS_URL else "file")
STREAM_REDIS_URL = (REDIS_URL if STUDIO_STREAM_RELAY == "redis" else STUDIO_STREAM_RELAY
                    if STUDIO_STREAM_RELAY.startswith(("redis://", "rediss://", "unix://")) else "")
# Where django-q2 keeps each cluster's heartbeat (its status, saved every half second) when
# the broker is the database: a cache every process of this host shares, read by /healthz.
# The Redis broker keeps heartbeats in Redis itself.
Q_CLUSTER["cache"] = "jobs"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "jobs": ({"BACKEND": "django.core.cache.backends.redis.RedisCache",
              "LOCATION": env("REDIS_URL"), "KEY_PREFIX": Q_CLUSTER["name"]}
             if env("REDIS_URL") else
             {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
              "LOCATION": str(DATA_DIR / "cache" / "jobs")}),
}

# /healthz: 503 when no worker cluster has reported for this many seconds, when more jobs
# than this wait in the queue, or when the media disk has less than this free; the token
# lets a monitor see the details (staff who are signed in always do).
STUDIO_HEALTH_HEARTBEAT_AGE = int(env("STUDIO_HEALTH_HEARTBEAT_AGE", "30"))
STUDIO_HEALTH_MAX_QUEUE = int(env("STUDIO_HEALTH_MAX_QUEUE", "1000"))
STUDIO_HEALTH_MIN_FREE_MB = int(env("STUDIO_HEALTH_MIN_FREE_MB", "500"))
STUDIO_HEALTH_TOKEN = env("STUDIO_HEALTH_TOKEN")

# Upstream engines (studio/connections). Vendor API keys are encrypted at rest with a key
# derived from STUDIO_ENCRYPTION_KEY, else from SECRET_KEY (changing it makes stored keys
# unreadable: users then enter them again).
STUDIO_ENCRYPTION_KEY = env("STUDIO_ENCRYPTION_KEY")
# Operator connections, offered to every user: STUDIO_CONNECTIONS=name1,name2 and, per name
# (upper-cased), STUDIO_CONNECTION_<NAME>_URL, _KEY, _VENDOR (sunoapi | kie | legacy) and
# optionally _UPLOAD_URL (the v1 vendor's file-upload host) and _WEBHOOK_KEY (kie's webhook
# HMAC key: callbacks must then be signed with it).
STUDIO_CONNECTIONS = [
    {"name": name, "url": env(f"STUDIO_CONNECTION_{name.upper()}_URL"),
     "key": env(f"STUDIO_CONNECTION_{name.upper()}_KEY"),
     "vendor": env(f"STUDIO_CONNECTION_{name.upper()}_VENDOR", "sunoapi"),
     "upload_url": env(f"STUDIO_CONNECTION_{name.upper()}_UPLOAD_URL"),
     "webhook_key": env(f"STUDIO_CONNECTION_{name.upper()}_WEBHOOK_KEY")}
    for name in env_list("STUDIO_CONNECTIONS")]
# A vendor task without progress for this many seconds fails with that reason.
STUDIO_UPSTREAM_DEADLINE = int(env("STUDIO_UPSTREAM_DEADLINE", "1800"))
# The poller asks a vendor about a task after these pauses (seconds), slowing down while
# nothing changes; creates per connection per 10 s (the vendors' limit: 20).
STUDIO_UPSTREAM_POLL = [float(s) for s in env_list("STUDIO_UPSTREAM_POLL", "2,4,8,15,30,60")]
STUDIO_UPSTREAM_CREATES = int(env("STUDIO_UPSTREAM_CREATES", "20"))
# A create that certainly did not reach the vendor is sent again after these pauses (seconds).
STUDIO_UPSTREAM_BACKOFF = [float(s) for s in env_list("STUDIO_UPSTREAM_BACKOFF", "1,3,8")]
# Seconds a vendor call may wait for the vendor's answer once sent (at most 60: a create
# unanswered for 2 minutes is taken as over, and may have charged).
STUDIO_UPSTREAM_TIMEOUT = float(env("STUDIO_UPSTREAM_TIMEOUT", "30"))
# The largest music video copied from a vendor, in megabytes (its audio files and images are
# capped by STUDIO_UPLOAD_MAX_MB).
STUDIO_VENDOR_VIDEO_MAX_MB = int(env("STUDIO_VENDOR_VIDEO_MAX_MB", "200"))


# Every server error is logged with its traceback (django.request), whatever DEBUG says.
# Signed file links are bearer credentials: request lines name them as /api/files/[signed].
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"hide_signed_links": {"()": "studio.web.failures.HideSignedLinks"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "access": {"()": "django.utils.log.ServerFormatter",
                   "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain",
                    "filters": ["hide_signed_links"]},
        "access": {"class": "logging.StreamHandler", "formatter": "access",
                   "filters": ["hide_signed_links"]},
    },
    "loggers": {
        "studio": {"handlers": ["console"], "level": env("STUDIO_LOG_LEVEL", "INFO")},
        "django_q": {"handlers": ["console"], "level": "WARNING"},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
