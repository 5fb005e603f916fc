import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def test_signup_logs_in_and_goes_to_create(client):
    response = client.post("/accounts/signup/", {"username": "newcomer",
                                                 "password1": "a-long-passphrase",
                                                 "password2": "a-long-passphrase"})
    assert response.status_code == 302 and response["Location"] == "/create/"
    assert client.get("/create/").status_code == 200
    assert get_user_model().objects.filter(username="newcomer").exists()


def test_signup_with_mismatched_passwords_shows_the_error(client):
    response = client.post("/accounts/signup/", {"username": "newcomer",
                                                 "password1": "a-long-passphrase",
                                                 "password2": "another-passphrase"})
    assert response.status_code == 200
    assert "password2" in response.context["form"].errors


def test_login_and_logout(client, owner):
    response = client.post("/accounts/login/", {"username": "ada",
                                                "password": "a-long-passphrase"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_pages_need_a_login(client):
    for url in ("/", "/create/"):
        assert client.get(url).status_code == 302


# Throttling: a guesser gets a few tries per account and per address, then no password
# is even checked.

def log_in(client, username="ada", password="a-long-passphrase", address="203.0.113.7"):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, owner):
    for _ in range(5):
        assert log_in(client, password="wrong-guess").status_code == 200
    response = log_in(client)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Try again in 15 minutes" in response.content.decode()
    assert client.get("/").status_code == 302  # not signed in


def test_the_account_is_refused_from_every_address(client, owner):
    for i in range(5):
        log_in(client, password="wrong-guess", address=f"198.51.100.{i}")
    assert log_in(client, address="192.0.2.1").status_code == 429


def test_an_address_guessing_many_accounts_is_refused(client, owner):
    for i in range(20):
        log_in(client, username=f"someone{i}", password="x")
    assert log_in(client).status_code == 429
    assert log_in(client, address="192.0.2.99").status_code == 302


def test_a_right_password_clears_the_accounts_failures(client, owner):
    for _ in range(4):
        log_in(client, password="wrong-guess")
    assert log_in(client).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert log_in(client, password="wrong-guess", address="192.0.2.5").status_code == 200


def test_signups_from_one_address_are_limited(client):
    for i in range(10):
        client.post("/accounts/signup/", {"username": f"n{i}", "password1": "short",
                                          "password2": "short"}, REMOTE_ADDR="203.0.113.9")
    response = client.post("/accounts/signup/", {
        "username": "late", "password1": "a-long-passphrase",
        "password2": "a-long-passphrase"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert not get_user_model().objects.filter(username="late").exists()


@pytest.mark.parametrize("password", ["password123", "qwertyuiop", "83920174", "newcomer1"])
def test_signup_refuses_weak_passwords(client, password):
    response = client.post("/accounts/signup/", {"username": "newcomer", "password1": password,
                                                 "password2": password})
    assert response.status_code == 200 and response.context["form"].errors["password2"]
    assert not get_user_model().objects.exists()


def test_signup_can_be_closed(client, settings):
    settings.STUDIO_SIGNUP = False
    assert client.get("/accounts/signup/").status_code == 404
    assert client.post("/accounts/signup/", {"username": "x"}).status_code == 404
    assert "/accounts/signup/" not in client.get("/accounts/login/").content.decode()


def test_signup_is_linked_while_open(client):
    assert "/accounts/signup/" in client.get("/accounts/login/").content.decode()


def test_password_reset_by_email_end_to_end(client, owner, mailoutbox):
    owner.email = "ada@example.com"
    owner.save()
    assert client.get("/accounts/password_reset/").status_code == 200
    response = client.post("/accounts/password_reset/", {"email": "ada@example.com"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    (mail,) = mailoutbox
    link = next(word for word in mail.body.split() if "/accounts/reset/" in word)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "another-long-phrase",
                                                    "new_password2": "another-long-phrase"},
                       follow=True)
    assert done.status_code == 200 and "Password saved" in done.content.decode()
    assert log_in(client, password="another-long-phrase").status_code == 302


def test_an_expired_reset_link_says_so(client):
    response = client.get("/accounts/reset/MQ/set-password/", follow=True)
    assert response.status_code == 200 and "expired" in response.content.decode()


def test_reset_requests_per_address_are_limited(client, mailoutbox):
    for _ in range(10):
        client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert client.post("/accounts/password_reset/",
                       {"email": "nobody@example.com"}).status_code == 429


def test_password_change(owner_client):
    assert owner_client.get("/accounts/password_change/").status_code == 200
    response = owner_client.post("/accounts/password_change/", {
        "old_password": "a-long-passphrase", "new_password1": "another-long-phrase",
        "new_password2": "another-long-phrase"}, follow=True)
    assert response.status_code == 200 and "Password changed" in response.content.decode()


# First steps: a fresh server has no account to log in to.

def test_a_visitor_to_a_fresh_server_is_shown_sign_up(client):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/signup/"
    assert response.templates[0].name == "registration/signup.html"


def test_once_an_account_exists_the_root_url_asks_to_log_in(client, owner):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert response.templates[0].name == "registration/login.html"


def test_with_sign_up_closed_a_fresh_server_shows_log_in(client, settings, db):
    settings.STUDIO_SIGNUP = False
    response = client.get("/", follow=True)
    assert response.templates[0].name == "registration/login.html"


def test_the_log_in_page_itself_stays_reachable_on_a_fresh_server(client):
    assert client.get("/accounts/login/").templates[0].name == "registration/login.html"


@pytest.mark.parametrize("url", ["/accounts/login/", "/", "/create/", "/trash/", "/no-such-page/"])
def test_every_page_opens_with_a_skip_to_content_link(client, owner, url):
    if url != "/accounts/login/":
        client.force_login(owner)
    html = client.get(url).content.decode()
    body = html[html.index("<body"):]
    first = body[body.index(">") + 1:].lstrip()
    assert first.startswith('<a class="skip-link" href="#main">Skip to content</a>')
    assert '<main id="main"' in html


def test_without_an_smtp_host_the_reset_pages_say_no_email_goes_out(client, owner, settings):
    """Without STUDIO_SMTP_HOST the link is only printed where the server runs: "Check your
    email" sent the musician to wait for a mail that never came."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    owner.email = "ada@example.com"
    owner.save()
    assert "This server sends no email" in client.get("/accounts/password_reset/").content.decode()
    response = client.post("/accounts/password_reset/", {"email": "ada@example.com"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "written in the server's log" in page and "Check your email" not in page


def test_with_email_set_up_the_reset_pages_say_check_your_email(client, owner, mailoutbox):
    owner.email = "ada@example.com"
    owner.save()
    assert "sends no email" not in client.get("/accounts/password_reset/").content.decode()
    response = client.post("/accounts/password_reset/", {"email": "ada@example.com"}, follow=True)
    assert "Check your email" in response.content.decode() and len(mailoutbox) == 1
