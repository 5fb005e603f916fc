"""The track page's music video: asked for from the page or a card's menu, made by the job
(inline here; tests/library/test_visuals_worker.py runs a real worker), its progress shown
while it is made, then played in the page (HTTP Range) and downloaded. The MP4 is measured:
the track's duration, the track's audio, the lyric line drawn while it is sung."""
import io

import av
import numpy as np
import pytest
from django.core.files.base import ContentFile
from pedalboard.io import AudioFile

from studio.audio import decode
from studio.library.models import MusicVideo, VideoStatus
from tests.audio import decode as decode_with_pyav
from tests.factories import make_track
from tests.video import LINE, aligned_correlation, bright, frame_at, frames_of, lyric_band, song_samples

pytestmark = pytest.mark.django_db
SECONDS = 4.0


def mp3_of(samples: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    with AudioFile(buffer, "w", 44100, 2, format="mp3", quality=192) as out:
        out.write(samples)
    return buffer.getvalue()


@pytest.fixture
def song(owner):
    track = make_track(owner, title="River", duration=SECONDS, lyrics="hold the night my friend",
                       analysis={"lyrics_timing": {"lines": [LINE]}})
    track.audio.delete(save=False)
    track.audio.save("audio.mp3", ContentFile(mp3_of(song_samples(SECONDS))))
    return track


def made_from_the_page(client, track, capture) -> MusicVideo:
    with capture(execute=True):
        response = client.post(f"/tracks/{track.pk}/video")
    assert response.status_code == 302 and response["Location"] == f"/tracks/{track.pk}/#video"
    return MusicVideo.objects.get(track=track)


def test_a_video_made_from_the_page_plays_and_downloads(owner_client, song, tmp_path,
                                                        django_capture_on_commit_callbacks):
    page = owner_client.get(f"/tracks/{song.pk}/").content.decode()
    assert f'action="/tracks/{song.pk}/video"' in page and ">Make video</button>" in page
    made = made_from_the_page(owner_client, song, django_capture_on_commit_callbacks)
    assert made.status == VideoStatus.SUCCESS and made.progress == 1.0 and made.owner == song.owner

    page = owner_client.get(f"/tracks/{song.pk}/").content.decode()
    src = f"/tracks/{song.pk}/videos/{made.pk}.mp4"
    assert f'src="{src}"' in page and "<video" in page and "Make it again" in page
    assert f'href="/tracks/{song.pk}/videos/{made.pk}/download.mp4"' in page
    ranged = owner_client.get(src, HTTP_RANGE="bytes=4-7")
    assert ranged.status_code == 206 and ranged["Content-Type"] == "video/mp4"
    assert b"".join(ranged.streaming_content) == b"ftyp"  # an MP4 box, as a player seeks it
    download = owner_client.get(f"/tracks/{song.pk}/videos/{made.pk}/download.mp4")
    assert download.status_code == 200 and 'filename="River (take 1).mp4"' in download["Content-Disposition"]
    path = tmp_path / "river.mp4"
    path.write_bytes(b"".join(download.streaming_content))

    with av.open(str(path)) as container:
        assert [s.type for s in container.streams] == ["video", "audio"]
        assert abs(container.duration / 1e6 - song.duration) < 0.1
    heard, rate = decode_with_pyav(path)
    source, source_rate = decode(song.audio.path)
    correlation, lag = aligned_correlation(heard[:, 0], source[0])
    assert rate == source_rate and correlation > 0.95 and abs(lag) < rate * 0.005, (correlation, lag)
    frames = frames_of(path)
    sung, after = lyric_band(frame_at(frames, 1.6)), lyric_band(frame_at(frames, 3.5))
    assert bright(sung) > 300 and bright(after) < 20


def test_the_page_shows_the_progress_while_the_video_is_made(owner_client, song):
    made = MusicVideo.objects.create(owner=song.owner, track=song, progress=0.42)
    block = owner_client.get(f"/tracks/{song.pk}/video/").content.decode()
    assert 'hx-trigger="every 2s"' in block and "Making the video… 42%" in block
    assert '<progress class="video-progress" max="100" value="42"' in block
    assert "Make video" not in block  # one at a time
    MusicVideo.objects.filter(pk=made.pk).update(status=VideoStatus.GENERATE_MP4_FAILED,
                                                 error_message="The audio file is damaged.")
    block = owner_client.get(f"/tracks/{song.pk}/video/").content.decode()
    assert "hx-trigger" not in block  # final: the polling stops
    assert "The audio file is damaged." in block and ">Make video</button>" in block


def test_asking_again_while_one_is_made_makes_no_second(owner_client, song,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        owner_client.post(f"/tracks/{song.pk}/video")
        owner_client.post(f"/tracks/{song.pk}/video")
    assert MusicVideo.objects.filter(track=song).count() == 1


def test_a_cards_menu_asks_for_the_video_and_new_cover_art(owner_client, song):
    html = owner_client.get("/").content.decode()
    menu = html[html.index('<details class="track-menu"'):]
    menu = menu[:menu.index("</details>\n", menu.index('class="menu-panel"'))]
    for action, label in [("video", "Make video"), ("new-covers", "New cover art")]:
        form = menu[menu.index(f'action="/tracks/{song.pk}/{action}"'):]
        form = form[:form.index("</form>")]
        assert 'name="csrfmiddlewaretoken"' in form and f">{label}</button>" in form


def test_strangers_get_404_on_every_video_url(stranger_client, owner, song,
                                              django_capture_on_commit_callbacks):
    made = MusicVideo.objects.create(owner=owner, track=song, status=VideoStatus.SUCCESS,
                                     file_name=song.audio.name)
    for url in (f"/tracks/{song.pk}/video/", f"/tracks/{song.pk}/videos/{made.pk}.mp4",
                f"/tracks/{song.pk}/videos/{made.pk}/download.mp4"):
        assert stranger_client.get(url).status_code == 404, url
    with django_capture_on_commit_callbacks(execute=True):
        assert stranger_client.post(f"/tracks/{song.pk}/video").status_code == 404
    assert MusicVideo.objects.count() == 1


def test_a_trashed_tracks_video_is_not_made(owner_client, song):
    song.trashed_at = song.created_at
    song.save(update_fields=["trashed_at"])
    assert owner_client.post(f"/tracks/{song.pk}/video").status_code == 404
    assert not MusicVideo.objects.exists()
