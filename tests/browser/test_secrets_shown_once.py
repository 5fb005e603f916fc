"""What the keys page shows once (a new API key, the first webhook secret) in Chromium: Back
after leaving the page may not bring it out of htmx's history cache, where it would also sit
in the tab's sessionStorage."""
import re

import pytest

from studio.api.models import WebhookSecret

pytestmark = pytest.mark.django_db(transaction=True)


def test_back_to_the_keys_page_does_not_show_a_new_key_again(page, musician):
    WebhookSecret.for_user(musician)  # not a first visit: the key is the one thing shown once
    page.goto("/api/keys/")
    page.get_by_label("Name").fill("render farm")
    page.get_by_role("button", name="Create key").click()
    key = page.locator("#new-key").inner_text()
    assert re.fullmatch(r"\w{20,}", key)

    page.locator(".topbar nav").get_by_role("link", name="Library").click()
    page.wait_for_selector("#main .page-head h1:text-is('Your library')")
    assert key not in page.evaluate("JSON.stringify(sessionStorage)")
    page.go_back()
    page.wait_for_selector("#main h1:text-is('API keys')")
    # The server's page, not a copy from before the key was made: the key is listed.
    assert page.locator("#main .keys td[data-label=Name]").all_inner_texts() == ["render farm"]
    assert page.locator("#new-key").count() == 0
    assert key not in page.content()


def test_back_to_the_keys_page_does_not_show_the_first_webhook_secret_again(page, musician):
    page.goto("/api/keys/")
    secret = page.locator("#webhook-secret").inner_text()
    assert secret == WebhookSecret.objects.get(owner=musician).secret

    page.locator(".topbar nav").get_by_role("link", name="Library").click()
    page.wait_for_selector("#main .page-head h1:text-is('Your library')")
    assert secret not in page.evaluate("JSON.stringify(sessionStorage)")
    page.go_back()
    page.wait_for_selector("#main h1:text-is('API keys')")
    assert page.locator("#webhook-secret").count() == 0
    assert secret not in page.content()
