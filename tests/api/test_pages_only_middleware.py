"""API requests pass over the pages' middleware (studio.web.pagesonly); pages keep it all,
the keys page under /api/keys/ included."""
from django.test import Client


def test_api_answer_keeps_the_security_headers_and_sets_no_cookie(api):
    response = api.get("/api/v1/generate/credit")
    assert response.json()["code"] == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert not response.cookies  # no session, CSRF or messages cookie set


def test_a_signed_in_browser_without_a_key_is_still_401(owner_client):
    response = owner_client.get("/api/v1/generate/credit")
    assert response.json()["code"] == 401


def test_keys_page_still_needs_sign_in(db):
    response = Client().get("/api/keys/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_keys_page_forms_still_need_the_csrf_token(owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    page = browser.get("/api/keys/")
    assert page.status_code == 200 and page["X-Frame-Options"] == "DENY"
    assert browser.post("/api/keys/", {"name": "script"}).status_code == 403


def test_pages_keep_their_headers(owner_client):
    response = owner_client.get("/")
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response
