"""The track page: player, waveform, lyrics, every setting, family, actions; rename, delete."""
import os

import pytest

from studio.generation.models import Generation, Status
from studio.library import downloads, thumbnails
from studio.library.models import Track
from tests.factories import make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(owner):
    track = make_track(owner, title="Harbour", lyrics="[Verse]\nsalt on the window",
                       duration=84.0)
    track.generation.params = {"prompt": "[Verse]\nsalt on the window", "style": "folk",
                               "title": "Harbour", "customMode": True, "instrumental": False,
                               "model": "V4_5", "negativeTags": "metal", "vocalGender": "f",
                               "styleWeight": 0.65, "weirdnessConstraint": 0.2,
                               "audioWeight": 0.5}
    track.generation.save(update_fields=["params"])
    return track


def test_page_shows_every_request_parameter_with_friendly_labels(owner_client, track):
    html = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    for label, value in [("Custom mode", "Yes"), ("Instrumental", "No"), ("Model", "V4.5"),
                         ("Exclude styles", "metal"), ("Vocal gender", "Female"),
                         ("Style weight", "0.65"), ("Weirdness", "0.2"),
                         ("Audio weight", "0.5")]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in html, label
    assert "salt on the window" in html


def test_page_has_seekable_waveform_and_player_source(owner_client, track):
    html = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert f'data-seek data-src="/tracks/{track.pk}/audio.mp3"' in html
    assert 'role="slider"' in html and "<svg" in html
    assert f'data-play="/tracks/{track.pk}/audio.mp3"' in html


def test_actions_link_to_the_create_forms(owner_client, track):
    html = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert f"/create/?mode=extend&amp;track={track.pk}&amp;at=42.0" in html
    assert f"/create/?mode=cover&amp;track={track.pk}" in html
    assert f"/create/?again={track.generation_id}" in html
    assert f"/tracks/{track.pk}/download.mp3" in html and f"/tracks/{track.pk}/download.wav" in html


def test_family_tree_runs_from_source_through_extensions_and_covers(owner_client, owner):
    root = make_track(owner, title="Root")
    ext = make_track(owner, title="Ext One", parent=root, continue_at=1.0)
    ext2 = make_track(owner, title="Ext Two", parent=ext, continue_at=1.5)
    cover = make_track(owner, title="A Cover", parent=root)
    make_track(owner, title="Unrelated")
    html = owner_client.get(f"/tracks/{ext.pk}/").content.decode()
    tree = html[html.index('class="family-tree"'):]
    tree = tree[:tree.index("</section>")]
    assert [t for t in ("Root", "Ext One", "Ext Two", "A Cover") if t in tree] == [
        "Root", "Ext One", "Ext Two", "A Cover"]
    assert "Unrelated" not in tree
    assert tree.index("Ext One") < tree.index("Ext Two")
    assert f'href="/tracks/{ext.pk}/" aria-current="page"' in tree
    assert f"/tracks/{ext2.pk}/" in tree and f"/tracks/{cover.pk}/" in tree
    assert "Make whole song" in html


def test_the_family_tells_two_takes_of_one_extension_apart(owner_client, owner):
    # "Driving at Night — Extension from 0:36" twice, with nothing to tell which was which
    from studio.generation.models import Generation
    root = make_track(owner, title="Driving at Night")
    generation = Generation.objects.create(owner=owner, mode="extend", params={"continueAt": 36})
    takes = [make_track(owner, title="Driving at Night", parent=root, continue_at=36.0, generation=generation,
                        variation=v) for v in (0, 1)]
    html = owner_client.get(f"/tracks/{takes[0].pk}/").content.decode()
    tree = html[html.index('class="family-tree"'):]
    assert "from 0:36 · take 1 ·" in tree and "from 0:36 · take 2 ·" in tree


def test_rename_inline_returns_the_new_title(owner_client, track):
    response = owner_client.post(f"/tracks/{track.pk}/rename", {"title": "  Harbour  Nights "},
                                 HTTP_HX_REQUEST="true", HTTP_HX_TARGET="track-title")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Harbour Nights</h1>" in html and "<html" not in html  # only the title
    track.refresh_from_db()
    assert track.title == "Harbour Nights"


def test_rename_without_javascript_redirects_to_the_track(owner_client, track):
    response = owner_client.post(f"/tracks/{track.pk}/rename", {"title": "New"})
    assert response.status_code == 302 and response["Location"] == f"/tracks/{track.pk}/"


def test_rename_keeps_to_the_create_forms_title_limit_for_the_tracks_model(owner_client, owner,
                                                                          track):
    from studio.generation.rules import MODELS

    assert track.generation.model == "V4_5" and MODELS["V4_5"].title == 100
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert 'id="rename-title" type="text" name="title" value="Harbour" maxlength="100"' in page
    response = owner_client.post(f"/tracks/{track.pk}/rename", {"title": "x" * 150},
                                 HTTP_HX_REQUEST="true", HTTP_HX_TARGET="track-title")
    assert response.status_code == 422
    html = response.content.decode()
    assert "A title is at most 100 characters; this one has 150." in html
    assert f'value="{"x" * 150}"' in html and "<h1>Harbour</h1>" in html
    owner_client.post(f"/tracks/{track.pk}/rename", {"title": "y" * 100})
    track.refresh_from_db()
    assert track.title == "y" * 100
    v4 = make_track(owner, title="Old", generation=Generation.objects.create(
        owner=owner, params={}, model="V4", status=Status.SUCCESS))
    assert owner_client.post(f"/tracks/{v4.pk}/rename", {"title": "z" * 81}).status_code == 422
    assert 'maxlength="80"' in owner_client.get("/").content.decode()


def test_renaming_to_spaces_says_so_beside_the_field_keeping_what_was_typed(owner_client,
                                                                          track):
    response = owner_client.post(f"/tracks/{track.pk}/rename", {"title": "   "},
                                 HTTP_HX_REQUEST="true", HTTP_HX_TARGET="track-title")
    assert response.status_code == 422
    html = response.content.decode()
    assert '<details class="rename" open>' in html and 'value="   "' in html
    assert 'aria-describedby="rename-title-error"' in html
    assert '<p class="error" id="rename-title-error" role="alert">Type a title: spaces alone' in html
    # from a card's menu too: the track's page, its Rename open with the error
    response = owner_client.post(f"/tracks/{track.pk}/rename", {"title": " ", "next": "/"})
    assert response.status_code == 422 and "Type a title" in response.content.decode()
    track.refresh_from_db()
    assert track.title == "Harbour"


def test_delete_asks_first_then_moves_the_track_to_the_trash(owner_client, owner, track):
    folder = track.audio.storage.path(track.folder)
    confirm = owner_client.get(f"/tracks/{track.pk}/delete")
    assert "Move to the trash" in confirm.content.decode()
    assert Track.objects.kept().filter(pk=track.pk).exists()  # a GET deletes nothing
    response = owner_client.post(f"/tracks/{track.pk}/delete")
    assert response.status_code == 302 and response["Location"] == "/"
    track.refresh_from_db()
    assert track.trashed_at is not None and os.path.exists(track.audio.path)
    assert len(os.listdir(folder)) >= 2
    assert owner_client.get(f"/tracks/{track.pk}/").status_code == 404


def test_delete_for_good_from_the_trash_removes_the_files(owner_client, owner, track,
                                                         django_capture_on_commit_callbacks):
    child = make_track(owner, title="Child", parent=track, continue_at=1.0)
    owner_client.get(f"/tracks/{track.pk}/cover/96.webp")  # a thumbnail exists
    downloads.tagged_mp3(track, owner)  # and a tagged download
    folder = track.audio.storage.path(track.folder)
    assert len(os.listdir(folder)) >= 4
    owner_client.post(f"/tracks/{track.pk}/delete")
    assert "Delete for good" in owner_client.get("/trash/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the row has
        response = owner_client.post(f"/trash/{track.pk}/delete")
    assert response.status_code == 302
    assert not Track.objects.filter(pk=track.pk).exists()
    assert not os.path.exists(folder) or os.listdir(folder) == []
    child.refresh_from_db()
    assert child.parent_id is None and os.path.exists(child.audio.path)
    assert thumbnails.version(child)


def test_a_length_is_whole_seconds_dropped_as_the_player_counts_them(owner_client, owner):
    track = make_track(owner, title="Almost", duration=101.8)
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert "<span>1:41</span>" in page and "1:42" not in page
    assert "1:41" in owner_client.get("/").content.decode()


def test_settings_name_the_source_track_and_the_upload_not_their_ids(owner_client, owner):
    from django.core.files.base import ContentFile

    from studio.generation.models import Generation, Mode, Status, Upload
    from tests.factories import mp3_bytes

    source = make_track(owner, title="Neon Harbor")
    upload = Upload(owner=owner, name="my vocal.wav", format="wav", size=10, duration=2.0)
    upload.file.save("vocal.wav", ContentFile(mp3_bytes()), save=False)
    upload.save()
    extension = make_track(owner, title="Later", generation=Generation.objects.create(
        owner=owner, mode=Mode.EXTEND, status=Status.SUCCESS, source_track=source,
        params={"audioId": str(source.pk), "model": "V4_5"}))
    cover = make_track(owner, title="Covered", generation=Generation.objects.create(
        owner=owner, mode=Mode.UPLOAD_COVER, status=Status.SUCCESS, upload=upload,
        params={"uploadUrl": f"upload:{upload.pk}", "model": "V4_5"}))
    page = owner_client.get(f"/tracks/{extension.pk}/").content.decode()
    assert (f'<dt>Source track</dt><dd><a href="/tracks/{source.pk}/">Neon Harbor</a></dd>'
            in page)
    page = owner_client.get(f"/tracks/{cover.pk}/").content.decode()
    assert "<dt>Uploaded audio</dt><dd>my vocal.wav</dd>" in page
    assert f"upload:{upload.pk}" not in page
    # a mashup's two songs, both by name
    second = Upload(owner=owner, name="second song.mp3", format="mp3", size=10, duration=2.0)
    second.file.save("second.mp3", ContentFile(mp3_bytes()), save=False)
    second.save()
    mashup = make_track(owner, title="Both", generation=Generation.objects.create(
        owner=owner, mode=Mode.MASHUP, status=Status.SUCCESS, upload=upload, second_upload=second,
        params={"uploadUrlList": [f"upload:{upload.pk}", f"upload:{second.pk}"], "model": "V4_5"}))
    page = owner_client.get(f"/tracks/{mashup.pk}/").content.decode()
    assert "my vocal.wav, second song.mp3</dd>" in page
    assert f"upload:{second.pk}" not in page


def test_a_source_track_in_the_trash_is_named_without_a_link(owner_client, owner):
    from django.utils import timezone

    from studio.generation.models import Generation, Mode, Status

    source = make_track(owner, title="Neon Harbor", trashed_at=timezone.now())
    extension = make_track(owner, title="Later", generation=Generation.objects.create(
        owner=owner, mode=Mode.EXTEND, status=Status.SUCCESS, source_track=source,
        params={"audioId": str(source.pk)}))
    page = owner_client.get(f"/tracks/{extension.pk}/").content.decode()
    assert "<dt>Source track</dt><dd>Neon Harbor (in the trash)</dd>" in page
