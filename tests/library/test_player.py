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
