"""The create form talks to the server with htmx attributes: a picked file is posted at once
(multipart, with progress), choosing an earlier upload or a source track swaps the partial
that follows it. No page reload, no hand-rolled XHR."""
import json
import re
from html import unescape as html_unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studio.generation import uploads
from tests.factories import audio_bytes, make_track

pytestmark = pytest.mark.django_db
STATIC_JS = Path(__file__).resolve().parents[2] / "static" / "js"


def wav(name="demo.wav", seconds=3.0):
    return SimpleUploadedFile(name, audio_bytes("wav", seconds))


def element(html: str, id_: str) -> str:
    return re.search(rf'<[a-z]+[^>]*id="{id_}"[^>]*>', html).group(0)


def test_a_picked_file_is_posted_as_multipart_by_htmx(owner_client):
    html = owner_client.get("/create/?mode=cover").content.decode()
    form, file = element(html, "create-form"), element(html, "id_file")
    assert 'hx-encoding="multipart/form-data"' in form
    assert 'hx-post="/uploads/"' in file and 'hx-target="#upload-result"' in file
    assert 'hx-indicator="#upload-busy"' in file
    assert "<progress" in html[html.index('id="upload-busy"'):]


def test_an_upload_from_the_form_chooses_itself_and_empties_the_file_input(owner_client):
    response = owner_client.post("/uploads/", {"file": wav(), "mode": "cover"},
                                 HTTP_HX_REQUEST="true", HTTP_HX_TARGET="upload-result")
    html = response.content.decode()
    accepted = uploads.Upload.objects.get()
    assert response.status_code == 200 and "demo.wav" in html
    select = html[html.index('<select name="upload"'):html.index("</select>")]
    assert 'hx-swap-oob="true"' in select
    assert f'<option value="{accepted.pk}" selected>' in select
    file = element(html, "id_file")
    assert 'hx-swap-oob="true"' in file and 'hx-post="/uploads/"' in file


def test_a_refused_upload_says_why_and_chooses_nothing(owner_client):
    response = owner_client.post("/uploads/", {"file": SimpleUploadedFile("a.mp3", b"hello"),
                                               "mode": "cover"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 422 and "not an audio file" in html
    assert "hx-swap-oob" not in html


def test_choosing_an_earlier_upload_swaps_what_studio_heard_in_it(owner_client, owner):
    accepted = uploads.accept(owner, wav("earlier.wav"), "earlier.wav")
    html = owner_client.get("/create/?mode=cover").content.decode()
    select = element(html, "id_upload")
    assert 'hx-get="/create/"' in select and 'hx-target="#upload-result"' in select
    response = owner_client.get("/create/", {"upload": accepted.pk, "mode": "cover"},
                                HTTP_HX_REQUEST="true", HTTP_HX_TARGET="upload-result")
    card = response.content.decode()
    assert "earlier.wav" in card and "<form" not in card and "<html" not in card


def test_someone_elses_upload_cannot_be_chosen(owner, stranger_client):
    accepted = uploads.accept(owner, wav(), "demo.wav")
    response = stranger_client.get("/create/", {"upload": accepted.pk, "mode": "cover"},
                                   HTTP_HX_REQUEST="true", HTTP_HX_TARGET="upload-result")
    assert response.status_code == 404


def test_choosing_a_track_to_extend_swaps_only_its_card(owner_client, owner):
    """The rest of the form, and what is typed in it, stays; the card says what the track
    brings into the fields nothing was typed in (create.js)."""
    track = make_track(owner, title="Lighthouse", style="folk", duration=30.0)
    html = owner_client.get("/create/?mode=extend").content.decode()
    select = element(html, "id_track")
    assert 'hx-get="/create/"' in select and 'hx-target="#source-track"' in select
    assert 'hx-push-url="true"' in select
    response = owner_client.get("/create/", {"track": track.pk, "mode": "extend"},
                                HTTP_HX_REQUEST="true", HTTP_HX_TARGET="source-track")
    card = response.content.decode()
    assert "<form" not in card and "<html" not in card and "data-pick-duration" in card
    fills = json.loads(html_unescape(re.search(r'data-fills="([^"]*)"', card).group(1)))
    assert fills == {"title": "Lighthouse", "style": "folk", "model": track.generation.model,
                     "continue_at": "15.0", "instrumental": True}  # no lyrics: nobody sings


def test_a_track_to_extend_in_the_address_fills_the_form_as_its_card_says(owner_client, owner):
    track = make_track(owner, title="Lighthouse", style="folk", duration=30.0)
    html = owner_client.get(f"/create/?mode=extend&track={track.pk}").content.decode()
    assert 'value="Lighthouse"' in element(html, "id_title")
    assert 'value="15.0"' in element(html, "id_continue_at")
    assert "data-fills=" in html and "data-pick-duration" in html


@pytest.mark.parametrize("mode", ["extend", "upload_extend"])
def test_extending_an_instrumental_comes_with_instrumental_ticked(owner_client, owner, mode):
    """The box came unticked: the extension of an instrumental was asked to sing."""
    instrumental = make_track(owner, title="Tide", lyrics="")
    sung = make_track(owner, title="Harbour", lyrics="[Verse]\nLights along the wall")
    box = element(owner_client.get(f"/create/?mode={mode}&track={instrumental.pk}")
                  .content.decode(), "id_instrumental")
    assert " checked" in box and "disabled" not in box  # still the creator's to change
    box = element(owner_client.get(f"/create/?mode={mode}&track={sung.pk}").content.decode(),
                  "id_instrumental")
    assert " checked" not in box
    card = owner_client.get("/create/", {"track": instrumental.pk, "mode": mode},
                            HTTP_HX_REQUEST="true", HTTP_HX_TARGET="source-track")
    fills = json.loads(html_unescape(re.search(r'data-fills="([^"]*)"', card.content.decode())
                                     .group(1)))
    assert fills["instrumental"] is True


def test_a_malformed_track_id_is_not_found(owner_client):
    assert owner_client.get("/create/", {"track": "not-an-id", "mode": "extend"}
                            ).status_code == 404


def test_the_tabs_start_afresh(owner_client, owner):
    track = make_track(owner)
    html = owner_client.get(f"/create/?mode=extend&track={track.pk}").content.decode()
    assert 'href="/create/?mode=cover"' in html and 'href="/create/?mode=simple"' in html


def test_browser_code_sends_nothing_by_hand_and_keeps_one_concern_per_file():
    code = {path.name: path.read_text() for path in STATIC_JS.glob("*.js")}
    assert not any("XMLHttpRequest" in text or "HX-Request" in text or "fetch(" in text
                   for text in code.values())
    assert "htmx:xhr:progress" in code["create.js"]
    assert "#selection" in code["selection.js"] and "selection" not in code["player.js"]
