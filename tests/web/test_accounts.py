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
