"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium, installed by
`manage.py test` when missing; Playwright's own browser download is never used) against a
live Studio on 127.0.0.1, at desktop (1280 px) and phone (390 px) width.

`STUDIO_BROWSER_TESTS=0` skips them: `.ci/run` runs them once, in its SQLite run.

`STUDIO_BROWSER_TARGET=production` points them at the production server instead of Django's
live server: gunicorn with STUDIO_PRODUCTION=1 (hashed static files from collectstatic,
whitenoise, the deployment checks), started by tests/topology/harness.py on the test
database (PostgreSQL, with DATABASE_URL) and django-q2 on Redis (REDIS_URL), sharing the
test's media and secret key. `.ci/run` runs a subset of them that way, with
STUDIO_TEST_S3=1.

`STUDIO_TEST_S3=1` puts their media in one bucket of moto's S3 server for the session
(tests/s3.py), which the web server, the workers and the tests' own checks use; the workers
and the production server each have a media directory of their own, and takes are heard
while they are encoded through Redis: no directory is shared between them."""
from __future__ import annotations

import os
import types
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.generation import workers

CHROMIUM = Path("/usr/bin/chromium")
PRODUCTION = os.environ.get("STUDIO_BROWSER_TARGET", "live") == "production"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PASSWORD = "a-long-passphrase"
S3 = os.environ.get("STUDIO_TEST_S3") == "1"


@pytest.fixture(scope="package", autouse=True)
def _browser_tests_enabled():
    if os.environ.get("STUDIO_BROWSER_TESTS", "1") == "0":
        pytest.skip("STUDIO_BROWSER_TESTS=0 (.ci/run runs the browser tests in its SQLite pass)")
    if not CHROMIUM.exists():
        pytest.fail(f"The browser tests need Debian's Chromium at {CHROMIUM}: run "
                    "`python3 manage.py test` (it installs it) or `apt-get install -y chromium`, "
                    "or set STUDIO_BROWSER_TESTS=0 to skip them", pytrace=False)


# Per module: one sync Playwright at a time per thread, and other modules here start their own.
@pytest.fixture(scope="module")
def chromium(_browser_tests_enabled):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; Django's guard against ORM
    # calls from async code would see it. The tests' own ORM calls are plain sync code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _nothing_refused_by_the_content_security_policy(request):
    """Every page a browser test opens may not break Studio's Content-Security-Policy: an
    inline style or script the policy refuses is a console error (and a style that never
    applies) the test fails on. htmx settling a re-rendered form copied the style attribute
    its sliders are drawn with, refused eleven times a submit."""
    if "chromium" not in request.fixturenames:
        yield
        return
    browser, refused = request.getfixturevalue("chromium"), []
    new_context = browser.new_context

    def watched(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.on("console", lambda message: refused.append(message.text)
                   if message.type == "error" and "Content Security Policy" in message.text
                   else None)
        return context

    browser.new_context = watched
    try:
        yield
    finally:
        del browser.new_context  # the browser's own again, for the next test
    assert not refused, f"Refused by the Content-Security-Policy: {refused}"


@pytest.fixture(scope="session")
def production_media(tmp_path_factory):
    return tmp_path_factory.mktemp("production-media")


@pytest.fixture(scope="module")
def worker_media(request, tmp_path_factory):
    if PRODUCTION:  # one production server for the session: one media directory
        return request.getfixturevalue("production_media")
    return tmp_path_factory.mktemp("browser-media")


@pytest.fixture(scope="session")
def bucket():
    """STUDIO_TEST_S3=1: the session's bucket and the Redis its streams go through, as the
    variables a host is given (tests/s3.py); None otherwise."""
    if not S3:
        return None
    from tests import s3

    return s3.host_env(s3.bucket(), s3.redis_url())


@pytest.fixture(scope="module")
def worker(worker_media, bucket, django_db_setup, django_db_blocker, tmp_path_factory):
    """A real django-q2 cluster for the module, on the test database and its media (with
    S3, the bucket, and a media directory of its own)."""
    own = {"STUDIO_MEDIA_ROOT": str(tmp_path_factory.mktemp("worker-host")), **bucket} \
        if bucket else {}
    with django_db_blocker.unblock():
        process = workers.start_cluster(types.SimpleNamespace(
            MEDIA_ROOT=worker_media, Q_CLUSTER=django_settings.Q_CLUSTER,
            BASE_DIR=django_settings.BASE_DIR), STUDIO_ENGINE_PARALLEL="0", **own)
    yield process
    workers.stop_cluster(process)


@pytest.fixture(scope="session")
def production_server(request, bucket, django_db_setup, django_db_blocker):
    """STUDIO_BROWSER_TARGET=production: one gunicorn web process in production mode on the
    test database, broker and media, for the whole session (None otherwise)."""
    if not PRODUCTION:
        yield None
        return
    from tests.topology.harness import Topology

    if django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") or \
            "redis" not in django_settings.Q_CLUSTER:
        pytest.fail("STUDIO_BROWSER_TARGET=production needs DATABASE_URL=postgres://… and "
                    "REDIS_URL (the production server and the tests share the database)",
                    pytrace=False)
    with django_db_blocker.unblock():
        url = workers.database_url()
    with Topology(webs=1, clusters=0, database_url=url,
                  media_root=request.getfixturevalue("production_media"), storage_env=bucket,
                  redis_url=django_settings.Q_CLUSTER["redis"],
                  queue=django_settings.Q_CLUSTER["name"],
                  secret_key=django_settings.SECRET_KEY) as topology:
        yield topology.webs[0]


@pytest.fixture
def studio(request, settings, worker_media, bucket, tmp_path, transactional_db,
           production_server):
    """The Studio the browser talks to (the live server, or the production one); its media
    is the worker's (with S3, the session's bucket)."""
    settings.MEDIA_ROOT = worker_media
    if bucket:
        from tests.s3 import use_s3

        use_s3(settings, tmp_path, bucket["STUDIO_S3_BUCKET"])
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if production_server is not None:
        return production_server  # .url, as the live server's
    return request.getfixturevalue("live_server")


@pytest.fixture
def studio_with_worker(studio, worker, settings):
    settings.JOBS_SYNC = False
    return studio


@pytest.fixture
def musician(transactional_db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="ada", password=PASSWORD)


@pytest.fixture(params=list(WIDTHS))
def width(request):
    return request.param


@pytest.fixture
def page(chromium, studio, musician, width):
    """A signed-in browser tab at the parametrised width."""
    from django.test import Client

    client = Client()
    client.force_login(musician)
    context = chromium.new_context(base_url=studio.url, viewport=WIDTHS[width],
                                   accept_downloads=True)
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                          "url": studio.url}])
    tab = context.new_page()
    tab.set_default_timeout(30_000)  # the machine may be busy with other work
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.js_errors = errors
    yield tab
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
