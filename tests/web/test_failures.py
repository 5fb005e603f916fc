"""Studio's own failures: logged with their traceback, told to the user in words — never an
exception's text."""
import logging

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.failing_urls")]


@pytest.fixture
def browser(owner_client):
    owner_client.raise_request_exception = False
    return owner_client


def test_a_page_that_fails_is_logged_with_its_traceback(browser, caplog):
    with caplog.at_level(logging.ERROR):
        response = browser.get("/broken/")
    assert response.status_code == 500
    logged = [r for r in caplog.records if r.exc_info and r.levelno >= logging.ERROR]
    assert logged and "flux capacitor" in str(logged[0].exc_info[1])
    page = response.content.decode()
    assert "internal error" in page and "flux" not in page and "RuntimeError" not in page


def test_server_errors_reach_a_handler_without_debug(settings):
    from django.utils.log import RequireDebugTrue

    assert not settings.DEBUG
    handlers = logging.getLogger("django.request").handlers
    assert any(not any(isinstance(f, RequireDebugTrue) for f in h.filters)
               and h.level <= logging.ERROR for h in handlers)


def test_a_full_disk_is_told_in_words(browser, caplog):
    with caplog.at_level(logging.ERROR):
        response = browser.get("/disk-full/")
    page = response.content.decode()
    assert response.status_code == 500 and "disk is full" in page
    assert "Errno" not in page and "No space left" not in page
    assert any(r.exc_info for r in caplog.records)


def test_a_locked_database_is_a_503_to_try_again(browser):
    response = browser.get("/locked/")
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"]
    assert "try again" in page and "database is locked" not in page


@pytest.mark.parametrize("path, words", [("/api/disk-full", "disk is full"),
                                         ("/api/locked", "busy")])
def test_the_api_tells_its_own_failures_in_words(client, owner_key_header, path, words):
    answer = client.get(path, headers=owner_key_header).json()
    assert answer["code"] == 500 and words in answer["msg"]
    assert "Errno" not in answer["msg"] and "database is locked" not in answer["msg"]


@pytest.fixture
def owner_key_header(owner):
    from studio.api.models import ApiKey

    return {"Authorization": f"Bearer {ApiKey.issue(owner, 'tests')[1]}"}


def test_signed_links_are_hidden_in_log_lines():
    from studio.web.failures import HideSignedLinks

    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               ("GET /api/files/aXYZ:1tok:sig?x=1 HTTP/1.1", "200", "10"), None)
    HideSignedLinks().filter(record)
    assert record.getMessage() == '"GET /api/files/[signed]?x=1 HTTP/1.1" 200 10'
