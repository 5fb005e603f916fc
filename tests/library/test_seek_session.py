"""A seek reads the session, its account and the track in one query (studio.web.signedin):
whoever that query does not vouch for is answered as before, and nothing outlives a closed
session or a changed password."""
import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.factories import make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(owner):
    return f"/tracks/{make_track(owner).pk}/audio.mp3"


def seek(client, url):
    return client.get(url, HTTP_RANGE="bytes=0-0")


def test_owners_seek_is_one_query_and_varies_on_the_cookie(owner_client, url,
                                                            django_assert_num_queries):
    with django_assert_num_queries(1):
        response = seek(owner_client, url)
    assert response.status_code == 206
    assert "Cookie" in response["Vary"]


def test_signed_out_visitor_is_sent_to_sign_in(url):
    response = seek(Client(), url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_strangers_own_session_gets_404(stranger_client, url):
    assert seek(stranger_client, url).status_code == 404


def test_closed_session_stops_the_next_seek(owner_client, url):
    assert seek(owner_client, url).status_code == 206
    owner_client.post("/accounts/logout/")
    assert seek(owner_client, url).status_code == 302


def test_session_deleted_on_the_server_stops_the_next_seek(owner_client, url):
    assert seek(owner_client, url).status_code == 206
    Session.objects.all().delete()  # e.g. signed out everywhere, or cleared by an admin
    assert seek(owner_client, url).status_code == 302


def test_password_changed_elsewhere_stops_the_next_seek(owner_client, owner, url):
    assert seek(owner_client, url).status_code == 206
    owner.set_password("a different passphrase entirely")
    owner.save()
    assert seek(owner_client, url).status_code == 302


def test_deactivated_account_stops_the_next_seek(owner_client, owner, url):
    assert seek(owner_client, url).status_code == 206
    owner.is_active = False
    owner.save()
    assert seek(owner_client, url).status_code == 302


def test_expired_session_stops_the_next_seek(owner_client, url):
    assert seek(owner_client, url).status_code == 206
    Session.objects.update(expire_date=timezone.now())
    assert seek(owner_client, url).status_code == 302
