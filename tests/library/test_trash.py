"""The trash: delete moves a track there, it vanishes everywhere, it can be restored for 30
days, and the daily schedule then removes its row and its files."""
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from studio.library import tasks, trash
from studio.library.models import Playlist, PlaylistEntry, ShareLink, Track
from tests.factories import make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(owner):
    return make_track(owner, title="Harbour Lights", lyrics="salt on the window")


def _stored(track) -> bool:
    """Whether the track's audio is still in its storage (a directory, or a bucket)."""
    return track.audio.storage.exists(track.audio.name)


def _files_in(folder: str) -> list[str]:
    """The files stored under a track's folder (none when it is gone)."""
    from django.core.files.storage import default_storage

    try:
        return default_storage.listdir(folder)[1]
    except FileNotFoundError:
        return []


def trash_it(client, track):
    assert client.post(f"/tracks/{track.pk}/delete").status_code == 302
    client.get("/trash/")  # shows (and so uses up) the message naming the track


def test_a_trashed_track_leaves_the_library_and_its_searches(owner_client, owner, track):
    keep = make_track(owner, title="Lantern")
    trash_it(owner_client, track)
    library = owner_client.get("/").content.decode()
    assert "Harbour Lights" not in library and "Lantern" in library
    assert "Harbour Lights" not in owner_client.get("/?q=harbour").content.decode()
    assert "Harbour Lights" not in owner_client.get("/?q=window").content.decode()
    assert owner_client.get(f"/tracks/{track.pk}/").status_code == 404
    assert keep.pk  # the other track is untouched


def test_a_trashed_track_leaves_its_playlists_and_comes_back_with_them(owner_client, owner,
                                                                       track):
    playlist = Playlist.objects.create(owner=owner, title="Evening")
    PlaylistEntry.objects.create(playlist=playlist, track=track, position=0)
    trash_it(owner_client, track)
    assert "Harbour Lights" not in owner_client.get(f"/playlists/{playlist.pk}/").content.decode()
    owner_client.post(f"/trash/{track.pk}/restore")
    assert "Harbour Lights" in owner_client.get(f"/playlists/{playlist.pk}/").content.decode()


def test_a_trashed_track_cannot_be_exported(owner_client, track):
    trash_it(owner_client, track)
    assert owner_client.post("/export.zip", {"track": [track.pk]}).status_code == 404


def test_trash_page_lists_it_with_restore_and_the_day_it_goes(owner_client, track):
    trash_it(owner_client, track)
    html = owner_client.get("/trash/").content.decode()
    assert "Harbour Lights" in html and f'action="/trash/{track.pk}/restore"' in html
    gone = (timezone.now() + timedelta(days=30)).strftime("%-d %b %Y")
    assert f"removed for good on {gone}" in html


def test_restore_brings_it_back_to_the_library(owner_client, track):
    trash_it(owner_client, track)
    response = owner_client.post(f"/trash/{track.pk}/restore")
    assert response.status_code == 302
    track.refresh_from_db()
    assert track.trashed_at is None
    assert "Harbour Lights" in owner_client.get("/").content.decode()
    assert owner_client.get(f"/tracks/{track.pk}/").status_code == 200


def test_stranger_gets_404_on_the_trash_actions(owner_client, client, stranger, track):
    trash_it(owner_client, track)
    client.force_login(stranger)
    assert "Harbour Lights" not in client.get("/trash/").content.decode()
    assert client.post(f"/trash/{track.pk}/restore").status_code == 404
    assert client.post(f"/trash/{track.pk}/delete").status_code == 404
    track.refresh_from_db()
    assert track.trashed_at is not None and _stored(track)


def test_restore_of_a_track_not_in_the_trash_is_404(owner_client, track):
    assert owner_client.post(f"/trash/{track.pk}/restore").status_code == 404
    assert owner_client.post(f"/trash/{track.pk}/delete").status_code == 404
    assert Track.objects.filter(pk=track.pk).exists()


def test_purge_removes_rows_and_files_trashed_over_30_days_ago(
        owner, track, django_capture_on_commit_callbacks):
    young = make_track(owner, title="Young")
    kept = make_track(owner, title="Kept")
    playlist = Playlist.objects.create(owner=owner, title="Evening")
    PlaylistEntry.objects.create(playlist=playlist, track=track, position=0)
    ShareLink.objects.create(owner=owner, track=track)
    now = timezone.now()
    Track.objects.filter(pk=track.pk).update(trashed_at=now - timedelta(days=30, minutes=1))
    Track.objects.filter(pk=young.pk).update(trashed_at=now - timedelta(days=29, hours=23))
    assert _files_in(track.folder)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_trash() == 1
    assert not Track.objects.filter(pk=track.pk).exists()
    assert _files_in(track.folder) == []
    assert not PlaylistEntry.objects.filter(track_id=track.pk).exists()
    assert not ShareLink.objects.filter(track_id=track.pk).exists()
    for other in (young, kept):  # not due yet, or never trashed
        assert Track.objects.filter(pk=other.pk).exists() and _stored(other)


def test_a_restore_that_wins_the_race_keeps_the_track(owner, track,
                                                     django_capture_on_commit_callbacks):
    Track.objects.filter(pk=track.pk).update(trashed_at=timezone.now() - timedelta(days=31))
    stale = Track.objects.get(pk=track.pk)
    Track.objects.filter(pk=track.pk).update(trashed_at=None)  # restored meanwhile
    with django_capture_on_commit_callbacks(execute=True):
        assert trash.remove_for_good(stale) is False
    assert Track.objects.filter(pk=track.pk).exists() and _stored(track)


def test_purge_runs_daily_on_the_scheduler():
    schedule = Schedule.objects.get(name=trash.SCHEDULE)
    assert schedule.func == "studio.library.tasks.purge_trash"
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1


def test_an_extension_of_a_trashed_track_keeps_its_family(owner_client, owner, track):
    child = make_track(owner, title="Harbour, extended", parent=track, continue_at=1.0)
    trash_it(owner_client, track)
    html = owner_client.get(f"/tracks/{child.pk}/").content.decode()
    assert "Family" in html and "(in the trash)" in html
    assert f'href="/tracks/{track.pk}/"' not in html  # its page is a 404 while it is trashed


def test_the_owner_still_plays_a_trashed_track_from_the_trash(owner_client, track):
    trash_it(owner_client, track)
    assert owner_client.get(f"/tracks/{track.pk}/audio.mp3").status_code == 200
    assert owner_client.get(f"/tracks/{track.pk}/cover/96.webp").status_code == 200


def test_a_trashed_track_is_no_source_for_new_songs(owner_client, track):
    trash_it(owner_client, track)
    assert owner_client.get(f"/create/?mode=extend&track={track.pk}").status_code == 404
    form = owner_client.get("/create/?mode=extend").content.decode()
    assert str(track.pk) not in form
    response = owner_client.post("/create/?mode=extend", {"mode": "extend", "track": track.pk,
                                                          "continue_at": "1", "model": "V4_5"})
    assert "Select a valid choice" in response.content.decode()


def test_its_generation_page_leaves_a_trashed_take_out(owner_client, owner):
    first = make_track(owner, title="First take")
    make_track(owner, title="Second take", generation=first.generation, variation=1)
    trash_it(owner_client, first)
    html = owner_client.get(f"/generations/{first.generation_id}/").content.decode()
    assert "Second take" in html and f'href="/tracks/{first.pk}/"' not in html
    assert "in progress" not in html  # made and trashed, not pending


def test_a_track_trashed_again_after_a_restore_gets_its_full_30_days(
        owner, track, django_capture_on_commit_callbacks):
    Track.objects.filter(pk=track.pk).update(trashed_at=timezone.now() - timedelta(days=31))
    expired = list(Track.objects.trash_expired())
    Track.objects.filter(pk=track.pk).update(trashed_at=timezone.now())  # restored, trashed again
    with django_capture_on_commit_callbacks(execute=True):
        removed = [trash.remove_for_good(t, trashed_before=timezone.now() - timedelta(days=30))
                   for t in expired]
    assert removed == [False]
    assert Track.objects.filter(pk=track.pk).exists() and _stored(track)
