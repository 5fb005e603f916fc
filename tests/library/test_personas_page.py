"""The browser's personas: "Make persona" on a sung track (window, name, description), the
Personas page, deleting one, and the persona picker of the custom form."""
from __future__ import annotations

from studio.generation.models import Generation
from studio.library.models import Persona
from tests.api.factories import api_generation, finish_by_hand
from tests.api.test_personas import SUNG


def sung_track(owner):
    generation = finish_by_hand(api_generation(owner))
    track = generation.tracks.get(variation=0)
    track.lyrics, track.duration, track.analysis = "la la", 40.0, dict(SUNG)
    track.save(update_fields=["lyrics", "duration", "analysis"])
    return track


def test_make_persona_page_offers_the_window_where_the_voice_sings(owner_client, owner):
    track = sung_track(owner)
    page = owner_client.get(f"/tracks/{track.pk}/persona").content.decode()
    assert 'data-window-duration="40.0"' in page
    assert 'name="vocalStart"' in page and 'value="12.0"' in page  # the first sung word
    menu = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert f"/tracks/{track.pk}/persona" in menu


def test_making_a_persona_in_the_browser(owner_client, owner):
    track = sung_track(owner)
    response = owner_client.post(f"/tracks/{track.pk}/persona", {
        "name": "Nova", "description": "warm alto", "vocalStart": "10", "vocalEnd": "25"})
    assert response.status_code == 302 and response.url == "/personas/"
    persona = Persona.objects.get(owner=owner)
    assert (persona.name, persona.track_id, persona.vocal_end) == ("Nova", track.pk, 25.0)
    listing = owner_client.get("/personas/").content.decode()
    assert "Nova" in listing and persona.pk in listing
    again = owner_client.get(f"/tracks/{track.pk}/persona").content.decode()
    assert "already has a persona" in again


def test_a_short_window_is_refused_beside_the_field(owner_client, owner):
    track = sung_track(owner)
    response = owner_client.post(f"/tracks/{track.pk}/persona", {
        "name": "Nova", "description": "warm alto", "vocalStart": "12", "vocalEnd": "15"})
    assert response.status_code == 200
    assert "The vocal window must be 10 to 30 s long; 12–15 s is 3 s" in response.content.decode()
    assert not Persona.objects.exists()


def test_strangers_get_404(stranger_client, owner):
    track = sung_track(owner)
    persona = Persona.objects.create(owner=owner, name="Mine", description="x", voice={})
    assert stranger_client.get(f"/tracks/{track.pk}/persona").status_code == 404
    assert stranger_client.post(f"/personas/{persona.pk}/delete").status_code == 404
    assert Persona.objects.filter(pk=persona.pk).exists()


def test_deleting_a_persona(owner_client, owner):
    persona = Persona.objects.create(owner=owner, name="Mine", description="x", voice={})
    response = owner_client.post(f"/personas/{persona.pk}/delete")
    assert response.status_code == 302 and not Persona.objects.exists()


def test_custom_form_picks_one_of_your_personas(owner_client, owner, stranger):
    assert 'name="personaId"' not in owner_client.get("/create/?mode=custom").content.decode()
    mine = Persona.objects.create(owner=owner, name="Nova", description="x", voice={})
    theirs = Persona.objects.create(owner=stranger, name="Ghost", description="x", voice={})
    page = owner_client.get("/create/?mode=custom").content.decode()
    assert 'name="personaId"' in page and "Nova" in page and "Ghost" not in page
    fields = {"mode": "custom", "model": "V4_5", "title": "T", "style": "pop",
              "lyrics": "[Verse]\nla la"}
    refused = owner_client.post("/create/", {**fields, "personaId": theirs.pk})
    assert refused.status_code == 200 and not Generation.objects.filter(mode="generate").exists()
    owner_client.post("/create/", {**fields, "personaId": mine.pk})
    assert Generation.objects.get(mode="generate").params["personaId"] == mine.pk


def test_the_personas_page_names_the_section_the_create_form_has(owner_client, owner):
    import re

    Persona.objects.create(owner=owner, name="Nova", description="x", voice={})
    form = owner_client.get("/create/?mode=custom").content.decode()
    section = re.search(r"<summary>([^<]+)</summary>", form[form.index('class="advanced"'):])[1]
    page = owner_client.get("/personas/").content.decode()
    assert f"under “{section}” in Custom" in page
    assert section == "Advanced options" and "More options" not in page
