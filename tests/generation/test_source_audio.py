"""Where a cover, an extension or an added instrumental starts from: an upload (listened to in
the page before creating) or a track from the musician's own library, shown with its
waveform and a play button (issue 14: "Cover this" did not say which track was covered,
came pre-ticked with empty lyrics for an instrumental, and the promised picker was missing)."""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studio.generation import uploads
from studio.generation.models import Generation, Mode
from tests.factories import audio_bytes, make_track

pytestmark = pytest.mark.django_db


def wav(name="demo.wav", seconds=3.0):
    return SimpleUploadedFile(name, audio_bytes("wav", seconds))


def options(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)


def prefilled_post(client, track, mode="cover"):
    """What the page sends when the musician presses Create without changing anything."""
    form = client.get("/create/", {"mode": mode, "track": track.pk}).context["form"]
    data = {"mode": mode}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False):
            continue
        data[name] = "on" if value is True else value
    return client.post("/create/", data)


@pytest.mark.parametrize("mode", ["cover", "extend", "add_instrumental"])
def test_the_library_picker_offers_my_tracks_only(owner_client, owner, stranger, mode):
    mine = make_track(owner, title="Mine")
    make_track(stranger, title="Theirs")
    html = owner_client.get("/create/", {"mode": mode}).content.decode()
    assert [o for o in options(html, "track") if o] == [str(mine.pk)]
    assert "Mine" in html and "Theirs" not in html


@pytest.mark.parametrize("mode", ["cover", "add_instrumental"])
def test_someone_elses_track_is_refused_as_a_source(owner_client, owner, stranger, mode):
    theirs = make_track(stranger)
    response = owner_client.post("/create/", {"mode": mode, "model": "V5", "track": theirs.pk,
                                              "idea": "x", "title": "t", "tags": "piano",
                                              "negativeTags": ""})
    assert response.status_code == 200 and "track" in response.context["form"].errors
    assert not Generation.objects.owned_by(owner).exists()
    assert owner_client.get("/create/", {"mode": mode, "track": theirs.pk}).status_code == 404


def test_choosing_a_library_track_shows_it_with_waveform_and_play_button(owner_client, owner):
    track = make_track(owner, title="Harbour Lights")
    html = owner_client.get("/create/?mode=cover").content.decode()
    select = re.search(r'<select name="track"[^>]*>', html).group(0)
    assert 'hx-target="#source-track"' in select and 'hx-get="/create/"' in select
    response = owner_client.get("/create/", {"mode": "cover", "track": track.pk},
                                HTTP_HX_REQUEST="true", HTTP_HX_TARGET="source-track")
    card = response.content.decode()
    assert "<form" not in card and "<html" not in card
    assert "Covering" in card and "Harbour Lights" in card
    assert f'data-play="/tracks/{track.pk}/audio.mp3"' in card
    assert "<svg" in card and 'aria-label="Play Harbour Lights"' in card


def test_cover_this_says_which_track_is_covered(owner_client, owner):
    track = make_track(owner, title="Harbour Lights")
    html = owner_client.get(f"/create/?mode=cover&track={track.pk}").content.decode()
    card = html[html.index('id="source-track"'):]
    assert "Covering" in card and "Harbour Lights" in card and "<svg" in card


def test_cover_this_of_an_instrumental_is_made_on_the_first_submit(owner_client, owner):
    track = make_track(owner, title="Harbour Lights", lyrics="")
    form = owner_client.get(f"/create/?mode=cover&track={track.pk}").context["form"]
    assert form.initial["instrumental"] is True
    response = prefilled_post(owner_client, track)
    assert response.status_code == 302, response.context["form"].errors
    generation = Generation.objects.get(source_track__isnull=False)
    assert generation.mode == Mode.UPLOAD_COVER and generation.source_track == track
    assert generation.params["instrumental"] is True and generation.params["title"] == "Harbour Lights"


def test_cover_this_of_a_sung_track_keeps_its_words(owner_client, owner):
    track = make_track(owner, lyrics="[Verse]\nLights on the harbour")
    response = prefilled_post(owner_client, track)
    assert response.status_code == 302, response.context["form"].errors
    params = Generation.objects.get(source_track__isnull=False).params
    assert params["customMode"] is True and params["instrumental"] is False
    assert params["prompt"] == "[Verse]\nLights on the harbour"


def test_add_an_instrumental_under_a_library_track(owner_client, owner):
    track = make_track(owner)
    response = owner_client.post("/create/", {"mode": "add_instrumental", "model": "V5",
                                              "track": track.pk, "title": "Backing",
                                              "tags": "piano", "negativeTags": ""})
    assert response.status_code == 302
    generation = Generation.objects.get(source_track__isnull=False)
    assert generation.source_track == track and generation.upload is None
    assert generation.params["uploadUrl"] == f"track:{track.pk}"


def test_one_source_at_a_time(owner_client, owner):
    track = make_track(owner)
    earlier = uploads.accept(owner, wav(), "demo.wav")
    response = owner_client.post("/create/", {"mode": "cover", "model": "V4_5", "idea": "x",
                                              "track": track.pk, "upload": earlier.pk})
    assert response.context["form"].errors["track"] == [
        "Choose one source: a track from your library or an upload, not both."]
    assert not Generation.objects.filter(mode=Mode.UPLOAD_COVER).exists()


def test_an_upload_can_be_heard_before_creating(owner_client):
    response = owner_client.post("/uploads/", {"file": wav(), "mode": "cover"},
                                 HTTP_HX_REQUEST="true", HTTP_HX_TARGET="upload-result")
    accepted = uploads.Upload.objects.get()
    src = f"/uploads/{accepted.pk}/audio"
    assert f'<audio controls preload="metadata" src="{src}"' in response.content.decode()
    audio = owner_client.get(src)
    body = b"".join(audio.streaming_content) if audio.streaming else audio.content
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/wav"
    assert body == accepted.file.open("rb").read() and body[:4] == b"RIFF"
    part = owner_client.get(src, HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206 and part["Content-Length"] == "100"


def test_someone_elses_upload_cannot_be_heard(owner, stranger_client):
    accepted = uploads.accept(owner, wav(), "demo.wav")
    assert stranger_client.get(f"/uploads/{accepted.pk}/audio").status_code == 404


def test_the_upload_field_is_a_drop_zone(owner_client):
    html = owner_client.get("/create/?mode=add_instrumental").content.decode()
    zone = html[html.index("data-dropzone"):]
    assert zone.index('name="file"') < zone.index("</div>")
    assert "drop it here" in html


def test_the_track_to_extend_is_shown_with_a_play_button_and_its_picking_waveform(
        owner_client, owner):
    track = make_track(owner, title="Harbour Lights")
    html = owner_client.get(f"/create/?mode=extend&track={track.pk}").content.decode()
    card = html[html.index('class="source-track"'):html.index('id="id_track"')]
    assert "Extending" in card and "Harbour Lights" in card
    assert f'data-play="/tracks/{track.pk}/audio.mp3"' in card and "data-pick-duration" in card
