"""Creators see a model's name as the vendors' web apps show it (V4.5+), never Studio's
internal code (V4_5PLUS), in the create form, its messages and the library's filters
(issue 14, defect 8). API clients keep the codes their vendors' messages use."""
import re

import pytest

from studio.connections.models import Connection
from studio.generation.rules import MODELS

pytestmark = pytest.mark.django_db
CODES = [code for code, model in MODELS.items() if model.label != code]


def add_legacy_connection(client, vendor):
    client.post("/engines/", {"name": "old api", "family": "legacy", "base_url": vendor.url,
                              "api_key": "sk-vendor-key"})
    return Connection.objects.get()


def test_the_create_forms_name_models_by_label(owner_client):
    for mode in ("simple", "custom", "instrumental", "extend", "cover", "add_instrumental"):
        html = owner_client.get(f"/create/?mode={mode}").content.decode()
        shown = re.findall(r'<option value="[^"]*"[^>]*>([^<]*)</option>', html)
        assert not any(code in text for text in shown for code in CODES), mode
    assert ">V4.5+</option>" in html


def test_the_library_model_filter_names_models_by_label(owner_client):
    html = owner_client.get("/").content.decode()
    select = re.search(r'<select name="model"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.findall(r">([^<]+)</option>", select) == ["Any model"] + [
        m.label for m in MODELS.values()]


def test_a_connection_refusal_names_the_model_by_label(owner_client, vendor):
    saved = add_legacy_connection(owner_client, vendor)
    response = owner_client.post("/create/", {"mode": "simple", "idea": "a song",
                                              "model": "V4_5PLUS", "engine": str(saved.pk)})
    (message,) = response.context["form"].errors["engine"]
    assert message == ("old api (legacy API) offers the models V4, V4.5, V5, V5.5; V4.5+ is "
                       "not one of them.")


def test_api_clients_keep_the_codes(owner, vendor):
    from studio.connections import capability
    from studio.generation import rules

    connection = Connection(owner=owner, name="old api", base_url=vendor.url, family="legacy")
    request = rules.GenerationRequest(operation=rules.GENERATE, model="V4_5PLUS", prompt="x")
    assert "V4_5PLUS is not one of them" in capability.refusal(connection, request)


def test_a_track_page_names_its_model_by_label_only(owner, owner_client):
    from studio.generation.models import Generation, Status
    from tests.factories import make_track

    generation = Generation.objects.create(owner=owner, status=Status.SUCCESS, model="V4_5PLUS",
                                           params={"prompt": "x", "model": "V4_5PLUS"})
    track = make_track(owner, generation=generation, model_name="chirp-bluejay")
    html = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert "· V4.5+ ·" in html
    assert "chirp-bluejay" not in html and "V4_5PLUS" not in html
