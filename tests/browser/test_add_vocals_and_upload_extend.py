"""The Add vocals and Upload & extend forms, as a creator uses them: pick a file (it is sent at
once and shown with what Studio heard in it), fill the form, submit, and a real worker makes
two takes. And an instrumental track's menu offers Add vocals, with the track chosen; a
source picker keeps one source (Upload & extend's, a mashup's second song)."""
import re

import pytest

from studio.generation.models import Generation, Mode, Status, Upload
from tests.audio import decode, rms_dbfs
from tests.browser.helpers import song
from tests.browser.test_creation_modes import upload
from tests.factories import audio_bytes
from tests.s3 import stored

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def submit_and_wait(page) -> Generation:
    page.get_by_role("button", name="Create two takes").click()
    page.wait_for_url(re.compile(r"/generations/[0-9a-f-]+/$"), timeout=60_000)
    page.wait_for_function(
        "() => document.querySelectorAll('#generation-status .track-card:not(.pending)').length === 2"
        " || document.querySelector('#generation-status .error')", timeout=180_000)
    generation = Generation.objects.get(pk=page.url.rstrip("/").rsplit("/", 1)[1])
    assert generation.status == Status.SUCCESS, generation.error_message
    return generation


def takes_of(generation):
    tracks = list(generation.tracks.order_by("variation"))
    assert [t.variation for t in tracks] == [0, 1]
    for track in tracks:
        samples, rate = decode(stored(track.audio))
        assert abs(len(samples) / rate - track.duration) < 0.2 and rms_dbfs(samples) > -30
    return tracks


@pytest.mark.parametrize("width", ["phone"], indirect=True)
def test_add_vocals_form_sings_over_the_picked_instrumental(studio_with_worker, page, tmp_path):
    page.goto("/create/?mode=add_vocals")
    assert page.get_by_role("link", name="Add vocals").get_attribute("aria-current") == "page"
    upload(page, tmp_path, "backing track.wav", seconds=8.0)
    assert "BPM" in page.inner_text("#upload-result")  # what Studio heard, before submitting
    page.locator("#id_title").fill("Harbour Song")
    page.locator("#id_style").fill("jazz, smooth vocal")
    page.locator("#id_lyrics").fill("[Verse]\nThe boats come home\nthe lights "
                                                      "are low")
    page.locator("#id_negativeTags").fill("heavy metal")
    generation = submit_and_wait(page)
    assert generation.mode == Mode.ADD_VOCALS and generation.upload.name == "backing track.wav"
    for track in takes_of(generation):
        assert track.title == "Harbour Song" and "The boats come home" in track.lyrics
        assert track.duration == pytest.approx(generation.upload.duration, abs=0.6)


@pytest.mark.parametrize("width", ["desktop"], indirect=True)
def test_upload_extend_form_continues_the_picked_song(studio_with_worker, page, tmp_path):
    page.goto("/create/?mode=upload_extend")
    upload(page, tmp_path, "demo.wav", seconds=10.0)
    page.locator("#id_continue_at").fill("6")
    page.locator("#id_title").fill("Demo, longer")
    page.locator("#id_style").fill("indie pop")
    page.locator("#id_instrumental").check()
    generation = submit_and_wait(page)
    assert generation.mode == Mode.UPLOAD_EXTEND and generation.request.continue_at == 6.0
    for track in takes_of(generation):
        assert track.title == "Demo, longer" and track.duration > 6 + 10


@pytest.mark.parametrize("width", ["phone"], indirect=True)
def test_a_refused_upload_extend_says_why_beside_the_field(studio, page, tmp_path):
    page.goto("/create/?mode=upload_extend")
    upload(page, tmp_path, "demo.wav", seconds=4.0)
    page.locator("#id_continue_at").fill("9")
    page.get_by_role("button", name="Create two takes").click()
    page.get_by_text("Title is required").wait_for()
    text = page.inner_text("#create-form")
    assert "Lyrics are required unless the song is instrumental" in text
    assert "Style is required" in text and "defaultParamFlag" not in text  # no API words
    # the upload is kept and chosen; with the fields put right, its length is checked
    page.locator("#id_title").fill("Demo, longer")
    page.locator("#id_style").fill("indie pop")
    page.locator("#id_instrumental").check()
    page.get_by_role("button", name="Create two takes").click()
    page.get_by_text("must be less than the upload's length (4.0 s); got 9").wait_for()
    assert "/create/" in page.url
    assert not Generation.objects.exists()


@pytest.mark.parametrize("width", ["phone"], indirect=True)
def test_an_instrumental_tracks_menu_opens_add_vocals_with_the_track(studio, page, musician,
                                                                    settings):
    settings.JOBS_SYNC = False  # queued, not made: no worker is needed to see what was asked
    track = song(musician, "Quiet Harbour", seconds=12, style="ambient piano")
    sung = song(musician, "Sung Song", seconds=12, lyrics="la la la")
    page.goto(f"/tracks/{sung.pk}/")
    page.locator(".hero-actions summary.menu-button").click()
    assert page.locator(".hero-actions .menu-panel").is_visible()
    assert page.get_by_role("link", name="Add vocals").count() == 0  # it has vocals already
    page.goto(f"/tracks/{track.pk}/")
    page.locator(".hero-actions summary.menu-button").click()
    page.get_by_role("link", name="Add vocals").click()
    page.wait_for_url(re.compile(r"mode=add_vocals"))
    assert page.input_value("select[name=track]") == str(track.pk)
    assert page.locator("#id_title").input_value() == "Quiet Harbour"
    assert page.locator("#id_style").input_value() == "ambient piano"
    assert "VOCALS FOR" in page.inner_text("#source-track").upper()
    page.locator("#id_lyrics").fill("a soft song about the harbour at night")
    page.get_by_role("button", name="Create two takes").click()
    page.wait_for_url(re.compile(r"/generations/[0-9a-f-]+/$"))
    generation = Generation.objects.get(mode=Mode.ADD_VOCALS)
    assert generation.source_track == track and generation.request.idea.startswith("a soft song")


@pytest.mark.parametrize("width", ["desktop"], indirect=True)
def test_picking_a_library_track_for_add_vocals_fills_its_title_and_style(studio, page,
                                                                          musician):
    track = song(musician, "Quiet Harbour", seconds=12, style="ambient piano")
    page.goto("/create/?mode=add_vocals")
    page.locator("#id_lyrics").fill("a soft song about the harbour")
    page.select_option("select[name=track]", str(track.pk))
    page.locator("#source-track .source-track").wait_for()
    page.wait_for_function("() => document.getElementById('id_title').value === 'Quiet Harbour'")
    assert page.locator("#id_style").input_value() == "ambient piano"
    assert page.inner_text("label[for=id_title] .counter").startswith("13 / ")
    assert page.locator("#id_lyrics").input_value() == "a soft song about the harbour"


@pytest.mark.parametrize("width", ["desktop"], indirect=True)
def test_upload_extend_keeps_one_source_the_last_one_chosen(studio, page, musician, tmp_path,
                                                            settings):
    """A library track chosen after an upload kept the upload chosen too, and Create was
    refused ("Choose one source…"); an upload after a track kept the track."""
    settings.JOBS_SYNC = False  # queued, not made
    track = song(musician, "Quiet Harbour", seconds=12, style="ambient piano")
    page.goto("/create/?mode=upload_extend")
    upload(page, tmp_path, "demo.wav", seconds=10.0)
    assert page.input_value("select[name=upload]") != ""

    page.select_option("select[name=track]", str(track.pk))
    page.locator("#source-track .source-track").wait_for()
    assert page.input_value("select[name=upload]") == ""
    assert page.locator("#upload-result .upload-card").count() == 0

    upload(page, tmp_path, "second demo.wav", seconds=10.0)
    assert page.input_value("select[name=track]") == ""
    assert page.locator("#source-track .source-track").count() == 0

    page.select_option("select[name=track]", str(track.pk))
    page.locator("#source-track .source-track").wait_for()
    page.locator("#id_continue_at").fill("6")
    page.locator("#id_title").fill("Harbour, longer")
    page.locator("#id_style").fill("ambient piano")
    page.locator("#id_instrumental").check()
    page.get_by_role("button", name="Create two takes").click()
    page.wait_for_url(re.compile(r"/generations/[0-9a-f-]+/$"))
    generation = Generation.objects.get(mode=Mode.UPLOAD_EXTEND)
    assert generation.source_track == track and generation.upload is None


@pytest.mark.parametrize("width", ["phone"], indirect=True)
def test_upload_extend_brings_the_second_to_continue_from_with_its_source(studio, page,
                                                                          musician, tmp_path):
    """An upload (or a library track) chosen on Upload & extend left "Continue at" empty, and
    the first Create was refused: "Continue at is required". It brings the middle of the
    song now, as a track to extend does; a second typed stays."""
    track = song(musician, "Quiet Harbour", seconds=12, style="ambient piano")
    page.goto("/create/?mode=upload_extend")
    continue_at = page.locator("#id_continue_at")
    upload(page, tmp_path, "demo.wav", seconds=10.0)
    page.wait_for_function("() => document.getElementById('id_continue_at').value === '5.0'")

    page.select_option("select[name=track]", str(track.pk))
    page.wait_for_function("() => document.getElementById('id_continue_at').value === '6.0'")
    assert page.locator("#id_title").input_value() == "Quiet Harbour"
    assert page.locator("#id_style").input_value() == "ambient piano"

    continue_at.fill("3")
    upload(page, tmp_path, "second demo.wav", seconds=8.0)
    assert continue_at.input_value() == "3"  # typed: kept


@pytest.mark.parametrize("width", ["phone"], indirect=True)
def test_a_mashups_second_song_keeps_one_source_the_last_one_chosen(studio, page, musician,
                                                                  tmp_path, settings):
    """A second song picked as a file and then as a library track kept both, and Create was
    refused: "Choose one second song: a track from your library or an upload, not both."."""
    settings.JOBS_SYNC = False  # queued, not made
    first = song(musician, "Harbour", seconds=12, style="folk")
    second = song(musician, "Lantern", seconds=12, style="ambient piano")
    page.goto("/create/?mode=mashup")
    page.select_option("select[name=track]", str(first.pk))
    page.wait_for_load_state("networkidle")
    path = tmp_path / "tune.wav"
    path.write_bytes(audio_bytes("wav", 8.0))
    page.locator("input[name=second_file]").set_input_files(str(path))
    page.select_option("select[name=second_track]", str(second.pk))
    assert page.locator("input[name=second_file]").evaluate("f => f.files.length") == 0
    assert page.input_value("select[name=track]") == str(first.pk)  # the first song stays
    page.locator("#id_prompt, #id_idea, #id_description").first.fill("both tunes as one song")
    page.get_by_role("button", name="Create two takes").click()
    page.wait_for_url(re.compile(r"/generations/[0-9a-f-]+/$"))
    assert Generation.objects.filter(mode=Mode.MASHUP).count() == 1
    assert not Upload.objects.filter(name="tune.wav").exists()  # the file was never sent
