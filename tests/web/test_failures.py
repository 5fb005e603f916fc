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


def test_a_page_asked_for_after_the_session_ended_still_goes_to_log_in(client):
    response = client.get("/create/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_page_script_asking_after_the_session_ended_is_told_so_with_a_link_to_log_in(client):
    """htmx would follow a redirect and put the log-in page where the form was sent from,
    what was typed in it gone: its page is told in words instead, and keeps the form."""
    response = client.post("/create/?mode=simple", {"mode": "simple", "idea": "rain"},
                           HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    page = response.content.decode()
    assert response.status_code == 401 and "no longer logged in" in page
    assert 'href="/accounts/login/" target="_blank"' in page and "data-failure" in page


@pytest.fixture
def careful_browser(owner):
    """A browser whose forms go through the CSRF check (the test client skips it)."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    return browser


def test_a_form_refused_by_the_csrf_check_is_told_in_words(careful_browser, caplog):
    with caplog.at_level(logging.WARNING):
        response = careful_browser.post("/create/?mode=simple", {"mode": "simple", "idea": "rain"})
    page = response.content.decode()
    assert response.status_code == 403 and "This page had expired" in page
    assert "reload the page and send it again" in page and "CSRF" not in page
    assert any("CSRF" in r.getMessage() for r in caplog.records)  # Django's own log line


def test_a_page_script_refused_by_the_csrf_check_gets_a_token_to_send_again(careful_browser):
    """Sent again from the page, the form reads the token from the cookie (studio.js): the
    refusal sets one when the browser had none."""
    response = careful_browser.post("/create/?mode=simple", {"mode": "simple", "idea": "rain"},
                                    HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 403 and "did not accept this form" in page
    assert "reload the page" not in page  # the page that sent it still has the form
    token = response.cookies["csrftoken"].value
    again = careful_browser.post("/create/?mode=simple", {"mode": "simple", "idea": ""},
                                 HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert again.status_code == 200  # past the check: the form's own answer (idea required)
