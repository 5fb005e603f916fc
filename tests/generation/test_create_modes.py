"""One form per creation mode, each posting a Generation through the same path."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studio.generation.models import Generation, Mode, Upload
from tests.factories import audio_bytes, make_track

pytestmark = pytest.mark.django_db
# The test transaction never commits, so queued jobs do not run: these tests are about forms.


def post(client, mode, **data):
    return client.post("/create/", {"mode": mode, "model": "V4_5", **data})


def errors(response):
    return response.context["form"].errors


def test_every_tab_renders(owner_client, owner):
    for mode in ("simple", "custom", "instrumental", "extend", "cover", "add_instrumental"):
        response = owner_client.get(f"/create/?mode={mode}")
        assert response.status_code == 200, mode
        assert response.context["mode"] == mode


def test_custom_song_keeps_style_title_lyrics_and_advanced_options(owner_client):
    response = post(owner_client, "custom", title="Night Drive", style="synthwave, 100 bpm",
                    lyrics="[Verse]\nNeon on the rain", negativeTags="metal", vocalGender="f",
                    styleWeight="0.65", weirdnessConstraint="0.2", audioWeight="")
    assert response.status_code == 302
    generation = Generation.objects.get()
    assert generation.mode == Mode.GENERATE
    assert generation.params == {
        "customMode": True, "instrumental": False, "model": "V4_5", "style": "synthwave, 100 bpm",
        "title": "Night Drive", "prompt": "[Verse]\nNeon on the rain", "negativeTags": "metal",
        "vocalGender": "f", "styleWeight": 0.65, "weirdnessConstraint": 0.2}


def test_custom_lyrics_over_the_models_limit_name_the_limit(owner_client):
    response = post(owner_client, "custom", title="t", style="s", lyrics="x" * 3001, model="V4")
    assert errors(response)["lyrics"] == ["Lyrics are 3,001 characters; V4 allows 3,000"]
    page = response.content.decode()
    assert 'value="t"' in page and "x" * 3001 in page  # nothing typed is lost


def test_custom_vocal_song_without_lyrics_is_refused_beside_lyrics(owner_client):
    response = post(owner_client, "custom", title="t", style="s")
    assert "lyrics" in errors(response)


def test_custom_instrumental_needs_no_lyrics(owner_client):
    assert post(owner_client, "custom", title="t", style="ambient",
                instrumental="on").status_code == 302


def test_weight_off_the_grid_is_refused_beside_the_slider(owner_client):
    response = post(owner_client, "custom", title="t", style="s", lyrics="l",
                    styleWeight="0.555")
    assert "steps of 0.01" in errors(response)["styleWeight"][0]


def test_instrumental_from_tags_and_title(owner_client):
    post(owner_client, "instrumental", tags="tropical house, wave, synthwave",
         title="crazy and wild")
    generation = Generation.objects.get()
    assert generation.mode == Mode.INSTRUMENTAL
    assert generation.params["style"] == "tropical house, wave, synthwave"


def test_instrumental_without_tags_is_refused(owner_client):
    assert "tags" in errors(post(owner_client, "instrumental", title="x"))


def test_extend_continues_my_track_from_a_second(owner_client, owner):
    track = make_track(owner)  # 2.0 s long
    response = post(owner_client, "extend", track=track.pk, continue_at="1.5", title="More",
                    style="folk")
    assert response.status_code == 302
    generation = Generation.objects.get(mode=Mode.EXTEND)
    assert generation.source_track == track
    assert generation.params["continueAt"] == 1.5
    assert generation.params["audioId"] == str(track.pk)


@pytest.mark.parametrize("second, message", [
    ("2.0", "less than the track's length (2.0 s)"),
    ("0", "greater than 0"),
    ("", "required"),
])
def test_extend_point_must_be_inside_the_track(owner_client, owner, second, message):
    track = make_track(owner)
    response = post(owner_client, "extend", track=track.pk, continue_at=second)
    assert message in errors(response)["continue_at"][0]


def test_extend_cannot_pick_someone_elses_track(owner_client, stranger):
    track = make_track(stranger)
    response = post(owner_client, "extend", track=track.pk, continue_at="1")
    assert "track" in errors(response)


def test_extend_link_from_a_track_prefills_the_form(owner_client, owner):
    track = make_track(owner, title="Lighthouse")
    response = owner_client.get(f"/create/?mode=extend&track={track.pk}&at=1.2")
    form = response.context["form"]
    assert form.initial["track"] == track.pk and form.initial["continue_at"] == "1.2"
    assert form.initial["title"] == "Lighthouse" and form.initial["style"] == "folk"


def upload(name="song.wav", fmt="wav", seconds=3.0):
    return SimpleUploadedFile(name, audio_bytes(fmt, seconds))


def test_cover_of_an_uploaded_song(owner_client, owner):
    response = post(owner_client, "cover", file=upload(), idea="the same song as lo-fi")
    assert response.status_code == 302
    generation = Generation.objects.get()
    assert generation.mode == Mode.UPLOAD_COVER and generation.upload.owner == owner
    assert generation.params["uploadUrl"] == f"upload:{generation.upload.pk}"
    assert generation.params["customMode"] is False


def test_an_accepted_file_survives_a_rejected_form(owner_client):
    response = post(owner_client, "cover", file=upload(), custom="on", title="t")
    assert "style" in errors(response)
    kept = Upload.objects.get()
    assert response.context["form"]["upload"].value() == str(kept.pk)
    assert "song.wav" in response.content.decode()
    # The second try sends no file, only the kept upload: one upload in all.
    response = post(owner_client, "cover", upload=kept.pk, custom="on", title="t",
                    style="jazz", instrumental="on")
    assert response.status_code == 302
    assert Upload.objects.count() == 1 and Generation.objects.get().upload == kept


def test_a_cover_without_a_description_says_so_beside_its_field(owner_client):
    """Named as the field reads ("Describe the cover"), not as the idea of a new song."""
    response = post(owner_client, "cover", file=upload(), idea="")
    assert errors(response)["idea"] == ["A description is required: describe the cover"]
    assert response.context["form"]["upload"].value() == str(Upload.objects.get().pk)
    assert not Generation.objects.exists()
    simple = post(owner_client, "simple", idea="")
    assert errors(simple)["idea"] == ["Idea is required: describe the song"]


def test_cover_without_audio_is_refused_beside_the_file(owner_client):
    response = post(owner_client, "cover", idea="x")
    assert "file" in errors(response)


def test_cover_of_a_non_audio_file_says_why(owner_client):
    response = post(owner_client, "cover", idea="x",
                    file=SimpleUploadedFile("notes.mp3", b"just text, not audio" * 10))
    assert "not an audio file" in errors(response)["file"][0]


def test_v4_5all_refuses_an_upload_over_one_minute(owner_client):
    response = post(owner_client, "cover", model="V4_5ALL", idea="x",
                    file=upload(seconds=61.5))
    assert errors(response)["file"] == ["Audio is 1:02 long; V4.5 All accepts at most 1:00"]


def test_cover_this_track_from_the_library(owner_client, owner):
    track = make_track(owner)
    response = owner_client.get(f"/create/?mode=cover&track={track.pk}")
    assert response.context["form"].initial["track"] == track.pk
    post(owner_client, "cover", track=track.pk, custom="on", title="t", style="jazz",
         instrumental="on")
    generation = Generation.objects.get(mode=Mode.UPLOAD_COVER)
    assert generation.source_track == track and generation.upload is None


def test_add_instrumental_under_a_vocal_stem(owner_client):
    response = post(owner_client, "add_instrumental", model="V5", file=upload("vocal.flac", "flac"),
                    title="Relaxing Piano", tags="relaxing piano", negativeTags="metal")
    assert response.status_code == 302
    generation = Generation.objects.get()
    assert generation.mode == Mode.ADD_INSTRUMENTAL and generation.model == "V5"
    assert generation.params["negativeTags"] == "metal"


@pytest.mark.parametrize("missing", ["title", "tags"])
def test_add_instrumental_requires_title_and_tags(owner_client, missing):
    data = {"title": "t", "tags": "piano", "negativeTags": "metal"}
    del data[missing]
    response = post(owner_client, "add_instrumental", model="V5", file=upload(), **data)
    assert missing in errors(response)


def test_add_instrumental_with_nothing_to_exclude_is_made(owner_client):
    # The seeds require the negativeTags key; the form always sends it, empty when nothing
    # is excluded (issue 14: "Exclude styles are required" refused a musician's first try).
    response = post(owner_client, "add_instrumental", model="V5", file=upload(), title="t",
                    tags="piano", negativeTags="")
    assert response.status_code == 302


def test_add_instrumental_offers_only_its_two_models(owner_client):
    response = post(owner_client, "add_instrumental", model="V4", file=upload(), title="t",
                    tags="x", negativeTags="y")
    assert "model" in errors(response)


def test_use_these_settings_again_refills_the_form(owner_client, owner):
    post(owner_client, "custom", title="Night Drive", style="synthwave", lyrics="la la",
         styleWeight="0.3")
    generation = Generation.objects.get()
    response = owner_client.get(f"/create/?again={generation.pk}")
    assert response.context["mode"] == "custom"
    form = response.context["form"]
    assert form.initial["title"] == "Night Drive" and form.initial["lyrics"] == "la la"
    assert form.initial["styleWeight"] == 0.3


def test_use_these_settings_again_of_someone_elses_generation_is_404(owner_client, stranger):
    generation = Generation.objects.create(owner=stranger, params={"prompt": "x"})
    assert owner_client.get(f"/create/?again={generation.pk}").status_code == 404


def test_unknown_mode_posted_is_404(owner_client):
    assert owner_client.post("/create/", {"mode": "nonsense"}).status_code == 404


@pytest.mark.parametrize("mode", ["custom", "instrumental", "cover", "add_instrumental"])
def test_a_refused_form_keeps_its_mode_in_the_address(owner_client, mode):
    # The address a boosted submit leaves in the bar: reloading it must reopen this tab.
    response = post(owner_client, mode)
    assert response.status_code == 200 and response.context["mode"] == mode
    html = response.content.decode()
    assert f'action="/create/?mode={mode}"' in html
    reopened = owner_client.get(f"/create/?mode={mode}")
    assert reopened.context["mode"] == mode


def test_every_error_arrives_at_once_even_beside_a_refused_file(owner_client):
    response = post(owner_client, "cover", custom="on", lyrics="la",
                    file=SimpleUploadedFile("notes.mp3", b"just text, not audio" * 10))
    found = errors(response)
    assert set(found) == {"file", "title", "style"}
    assert "not an audio file" in found["file"][0] and len(found["file"]) == 1
    assert found["title"] == ["Title is required in custom mode"]


def test_an_unknown_model_does_not_hide_the_other_errors(owner_client):
    response = post(owner_client, "custom", model="V9", lyrics="la")
    assert set(errors(response)) == {"model", "title", "style"}


def test_a_missing_track_to_extend_is_said_once_beside_the_others(owner_client):
    response = post(owner_client, "extend", continue_at="-3")
    found = errors(response)
    assert len(found["track"]) == 1 and "continue_at" in found


def test_a_sound_keeps_its_loop_tempo_and_key(owner_client):
    page = owner_client.get("/create/?mode=sound")
    html = page.content.decode()
    assert page.context["mode"] == "sound"
    for label in ("Describe the sound", "Loop", "Tempo (BPM)", "Key", "Model"):
        assert f">{label}" in html, label
    response = post(owner_client, "sound", model="V5", description="a dusty boom bap beat",
                    loop="on", tempo="92", key="Gm")
    assert response.status_code == 302
    generation = Generation.objects.get()
    assert generation.mode == Mode.SOUNDS
    assert generation.params == {"model": "V5", "instrumental": True,
                                 "prompt": "a dusty boom bap beat",
                                 "style": "a dusty boom bap beat", "soundLoop": True,
                                 "soundTempo": 92, "soundKey": "Gm", "grabLyrics": False}
    again = owner_client.get(f"/create/?again={generation.pk}")
    assert again.context["mode"] == "sound"
    assert {k: again.context["form"].initial[k] for k in ("description", "loop", "tempo",
                                                           "key")} == {
        "description": "a dusty boom bap beat", "loop": True, "tempo": 92, "key": "Gm"}


def test_a_sounds_errors_are_beside_its_fields_and_nothing_typed_is_lost(owner_client):
    response = post(owner_client, "sound", model="V5", description="", tempo="400", key="Cm")
    assert errors(response)["description"] == ["Description is required: describe the sound"]
    assert errors(response)["tempo"] == [
        "Tempo (BPM) must be a whole number of BPM from 1 to 300; got 400"]
    assert 'value="400"' in response.content.decode()
    assert not Generation.objects.exists()
    wrong_model = post(owner_client, "sound", description="rain")  # V4_5: not a sounds model
    assert "model" in errors(wrong_model)


def song_file(name="song.wav", seconds=4.0):
    return SimpleUploadedFile(name, audio_bytes("wav", seconds))


def test_a_mashup_takes_two_uploaded_songs_and_keeps_them_for_use_again(owner_client, owner):
    page = owner_client.get("/create/?mode=mashup")
    html = page.content.decode()
    for label in ("Upload the first song", "Upload the second song", "Describe the mashup"):
        assert f">{label}" in html, label
    assert 'name="track"' in html and 'name="second_track"' in html  # or library tracks
    response = owner_client.post("/create/", {
        "mode": "mashup", "model": "V4_5", "file": song_file("first.wav"),
        "second_file": song_file("second.wav", 5.0), "idea": "both as one synth-pop song"})
    assert response.status_code == 302, errors(response)
    generation = Generation.objects.get()
    assert generation.mode == Mode.MASHUP
    assert (generation.upload.name, generation.second_upload.name) == ("first.wav",
                                                                        "second.wav")
    assert generation.params["uploadUrlList"] == [f"upload:{generation.upload_id}",
                                                  f"upload:{generation.second_upload_id}"]
    assert generation.upload.owner == owner == generation.second_upload.owner
    detail = owner_client.get(f"/generations/{generation.pk}/").content.decode()
    assert "From first.wav and second.wav" in detail
    again = owner_client.get(f"/create/?again={generation.pk}")
    assert again.context["mode"] == "mashup"
    initial = again.context["form"].initial
    assert (initial["upload"], initial["second_upload"], initial["idea"]) == (
        generation.upload_id, generation.second_upload_id, "both as one synth-pop song")


def test_a_mashup_names_each_missing_song_beside_its_own_field(owner_client):
    neither = post(owner_client, "mashup", idea="two as one")
    assert errors(neither)["file"] == ["Choose the first song: upload one, pick an earlier "
                                       "upload or a track from your library."]
    assert errors(neither)["second_file"] == ["Choose the second song: upload one, pick an "
                                              "earlier upload or a track from your library."]
    first_only = owner_client.post("/create/", {"mode": "mashup", "model": "V4_5",
                                                "file": song_file(), "idea": ""})
    found = errors(first_only)
    assert "file" not in found and len(found["second_file"]) == 1
    assert found["idea"] == ["A description is required: describe the mashup"]
    # The first song was kept: the form comes back with it chosen, nothing uploaded twice.
    kept = Upload.objects.get()
    assert first_only.context["form"].data["upload"] == str(kept.pk)
    assert not Generation.objects.exists()


def test_a_mashup_song_over_the_models_length_is_named(owner_client):
    response = owner_client.post("/create/", {
        "mode": "mashup", "model": "V4_5ALL", "file": song_file("first.wav", 4.0),
        "second_file": song_file("long.wav", 61.0), "idea": "two as one"})
    assert errors(response)["second_file"] == [
        "The mashup's song 2 is 1:01 long; V4.5 All accepts at most 1:00"]
    assert "file" not in errors(response)
    assert not Generation.objects.exists()


def test_two_library_tracks_are_mashed_up_as_uploads_of_their_audio(owner_client, owner):
    first = make_track(owner, title="Harbour", duration=3.0)
    second = make_track(owner, title="Lanterns", duration=3.0)
    response = owner_client.post("/create/", {
        "mode": "mashup", "model": "V4_5", "track": str(first.pk),
        "second_track": str(second.pk), "idea": "both as one"})
    assert response.status_code == 302, errors(response)
    generation = Generation.objects.get(mode=Mode.MASHUP)
    assert (generation.upload.name, generation.second_upload.name) == ("Harbour.mp3",
                                                                        "Lanterns.mp3")
    with generation.upload.file.open("rb") as made, first.audio.open("rb") as source:
        assert made.read() == source.read()  # the track's own audio
    assert generation.params["uploadUrlList"] == [f"upload:{generation.upload_id}",
                                                  f"upload:{generation.second_upload_id}"]


def test_a_mashup_song_is_one_source_and_someone_elses_track_is_not_offered(
        owner_client, owner, stranger):
    mine, theirs = make_track(owner, title="Mine"), make_track(stranger, title="Theirs")
    both = owner_client.post("/create/", {
        "mode": "mashup", "model": "V4_5", "file": song_file(), "track": str(mine.pk),
        "second_track": str(theirs.pk), "idea": "x"})
    found = errors(both)
    assert "not both" in found["track"][0]
    assert "second_track" in found  # not one of the choices
    assert not Generation.objects.filter(mode=Mode.MASHUP).exists()
