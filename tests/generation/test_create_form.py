import pytest

from studio.generation.models import Generation, Mode

pytestmark = pytest.mark.django_db


# The test transaction never commits, so the job queued on commit does not run here.


def test_create_page_needs_a_login(client):
    response = client.get("/create/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_idea_makes_a_pending_generation(owner_client, owner):
    response = owner_client.post("/create/", {"idea": "rain on a window, lo-fi",
                                              "model": "V4_5", "token": "t1"})
    generation = Generation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/generations/{generation.pk}/"
    assert generation.owner == owner and generation.mode == Mode.GENERATE
    assert generation.status == "PENDING"
    assert generation.params == {"customMode": False, "instrumental": False, "model": "V4_5",
                                 "prompt": "rain on a window, lo-fi"}


def test_instrumental_toggle_is_kept(owner_client):
    owner_client.post("/create/", {"idea": "drums", "model": "V5", "instrumental": "on"})
    assert Generation.objects.get().params["instrumental"] is True


def test_an_idea_over_500_characters_is_refused_beside_the_field(owner_client):
    response = owner_client.post("/create/", {"idea": "x" * 501, "model": "V4"})
    assert response.status_code == 200
    assert response.context["form"].errors["idea"] == ["Idea is 501 characters; the limit is 500"]
    assert "x" * 501 in response.content.decode()  # what the user typed is kept
    assert not Generation.objects.exists()


def test_an_empty_idea_is_refused(owner_client):
    response = owner_client.post("/create/", {"idea": "  ", "model": "V4"})
    assert "idea" in response.context["form"].errors
    assert not Generation.objects.exists()


def test_an_unknown_model_is_refused(owner_client):
    response = owner_client.post("/create/", {"idea": "song", "model": "V9"})
    assert "model" in response.context["form"].errors


def test_a_double_submit_makes_one_generation(owner_client):
    data = {"idea": "rain", "model": "V4_5", "token": "same-token"}
    first = owner_client.post("/create/", data)
    second = owner_client.post("/create/", data)
    assert Generation.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_form_carries_a_fresh_token(owner_client):
    a = owner_client.get("/create/").context["form"].initial["token"]
    b = owner_client.get("/create/").context["form"].initial["token"]
    assert a and b and a != b
