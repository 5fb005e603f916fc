"""The replace-section panel's form (generation:replace): the rules' words beside the field,
strangers' tracks are 404, an unfinished song is refused, and a valid window is queued."""
import pytest

from studio.generation.models import Generation, Mode, Status
from tests.factories import make_track


@pytest.fixture
def track(owner):
    generation = Generation.objects.create(owner=owner, params={"prompt": "x"}, model="V5",
                                           status=Status.SUCCESS)
    return make_track(owner, generation=generation, duration=40.0, style="folk")


def post(client, track, **changes):
    data = {"start": "10", "end": "20", "lyrics": "Paper boats along the river",
            "style": "folk", "title": "Lighthouse"}
    data.update(changes)
    return client.post(f"/tracks/{track.pk}/replace", data)


def test_the_track_page_offers_the_panel_filled_with_the_tracks_title_and_style(
        owner_client, track):
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert f'href="/tracks/{track.pk}/#replace"' in page  # the action menu's Replace
    panel = page[page.index('<details class="card replace-panel" id="replace"'):]
    panel = panel[:panel.index("</details>")]
    assert f'action="/tracks/{track.pk}/replace"' in panel
    assert 'name="title" value="Lighthouse"' in panel and ">\nfolk</textarea>" in panel


def test_a_valid_window_is_queued_as_a_child_of_the_track(
        owner_client, track, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:  # not run: the request is the point
        response = post(owner_client, track, start="10.25", end="20.5")
    generation = Generation.objects.get(mode=Mode.REPLACE_SECTION)
    assert response.status_code == 302 and response.url == f"/generations/{generation.pk}/"
    assert len(queued) == 1
    request = generation.request
    assert (request.infill_start_s, request.infill_end_s) == (10.25, 20.5)
    assert request.model == "V5" and request.audio_id == str(track.pk)
    assert generation.source_track == track and generation.origin == "web"


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"end": "14"}, "end", "The window is 4 s long; it must be 6 to 60 seconds"),
    ({"end": "80"}, "end", "The window is 70 s long"),
    ({"start": "20", "end": "20"}, "end", "Window end must be later than the start (20 s)"),
    ({"start": "30", "end": "40.5"}, "end", "Window end must be within the track, which is "
                                            "40.00 s long"),
    ({"start": ""}, "start", "Window start is required"),
    ({"style": ""}, "style", "Style is required"),
])
def test_a_broken_window_is_named_beside_its_field(owner_client, track, changes, field, words):
    response = post(owner_client, track, **changes)
    page = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{field}_error">{words}' in page.replace("&#x27;", "'")
    assert not Generation.objects.filter(mode=Mode.REPLACE_SECTION).exists()


def test_no_words_is_allowed_in_the_browser_nothing_is_sung_there(
        owner_client, track, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        assert post(owner_client, track, lyrics="").status_code == 302
    assert Generation.objects.get(mode=Mode.REPLACE_SECTION).request.sung is False


def test_an_unfinished_song_is_refused(owner_client, track):
    Generation.objects.filter(pk=track.generation_id).update(status=Status.FIRST_SUCCESS)
    response = post(owner_client, track)
    assert response.status_code == 422 and "not finished yet" in response.content.decode()


def test_strangers_get_404(stranger_client, track):
    assert stranger_client.get(f"/tracks/{track.pk}/replace").status_code == 404
    assert post(stranger_client, track).status_code == 404
    assert not Generation.objects.filter(mode=Mode.REPLACE_SECTION).exists()


def test_the_panel_shown_again_with_its_errors_keeps_its_limits_and_the_library_tab(
        owner_client, track):
    import re

    limits = re.compile(r'data-replace-form data-once\s+data-duration="[^"]+" data-limits="([^"]+)"')
    active = re.compile(r'class="active">(\w+)</a>')
    first = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    again = post(owner_client, track, end="14").content.decode()
    assert limits.search(again)[1] == limits.search(first)[1]
    assert active.findall(again) == active.findall(first) == ["Library"]
    assert 'data-page-section="library"' in again
