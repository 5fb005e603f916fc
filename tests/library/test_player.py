"""One persistent player: outside the region boosted navigation swaps, so it keeps playing."""
import pytest

from tests.factories import make_track

pytestmark = pytest.mark.django_db


def test_player_lives_outside_main_and_navigation_is_boosted(owner_client, owner):
    make_track(owner)
    html = owner_client.get("/").content.decode()
    assert 'hx-boost="true"' in html[html.index("<body"):html.index(">", html.index("<body"))]
    main_end, player = html.index("</main>"), html.index('<footer class="player" id="player"')
    assert player > main_end and "<audio" in html[player:]
    assert "js/player.js" in html


def test_no_inline_scripts_or_handlers(owner_client, owner):
    track = make_track(owner)
    for url in ("/", f"/tracks/{track.pk}/", f"/tracks/{track.pk}/delete"):
        html = owner_client.get(url).content.decode()
        assert "<script>" not in html and " onclick=" not in html, url


def test_downloads_leave_the_boost(owner_client, owner):
    track = make_track(owner)
    html = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert f'href="/tracks/{track.pk}/download.mp3" hx-boost="false"' in html
    assert 'id="selection" class="selection" method="post" action="/export.zip" hx-boost="false"' \
        in owner_client.get("/").content.decode()


def test_play_buttons_carry_what_the_player_shows(owner_client, owner):
    track = make_track(owner, title="Harbour")
    html = owner_client.get("/").content.decode()
    assert f'data-play="/tracks/{track.pk}/audio.mp3" data-title="Harbour"' in html
    assert f'data-href="/tracks/{track.pk}/"' in html


def test_the_player_reads_a_tracks_peaks_and_lyrics_from_its_info(owner_client, owner):
    track = make_track(owner, title="Harbour", lyrics="[Verse]\nLights <on> the water",
                       peaks=[0.1, 0.9, 0.4])
    html = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert f'data-info="/tracks/{track.pk}/player"' in html
    assert f'data-play-next="/tracks/{track.pk}/audio.mp3"' in html  # "Play next"
    info = owner_client.get(f"/tracks/{track.pk}/player", HTTP_HX_REQUEST="true").content.decode()
    assert f'data-info-for="/tracks/{track.pk}/player"' in info
    assert 'data-peaks="[0.1, 0.9, 0.4]"' in info and 'data-duration="2.000"' in info
    assert '<pre class="lyrics">[Verse]\nLights &lt;on&gt; the water</pre>' in info
    assert "<html" not in info


def test_a_strangers_track_info_is_a_404(stranger_client, owner):
    track = make_track(owner)
    assert stranger_client.get(f"/tracks/{track.pk}/player").status_code == 404


def test_back_and_forward_restore_only_main_and_the_nav_knows_each_pages_section(owner_client):
    html = owner_client.get("/create/").content.decode()
    assert '<main id="main" hx-history-elt>' in html
    assert '<span hidden data-page-section="generation"></span>' in html
    assert 'data-section="generation" href="/create/" class="active"' in html
