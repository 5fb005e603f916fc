"""Running generations at the top of the library: their stage in words, playable at the
first take, into the grid when done, polling only while something runs."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from studio.generation.models import Generation, Status
from tests.factories import make_track

pytestmark = pytest.mark.django_db


def poll(client, watch=""):
    """What the running strip asks every 2 s (its own view, not the library page)."""
    return client.get("/running/", {"watch": watch}, HTTP_HX_REQUEST="true",
                      HTTP_HX_TARGET="running")


def make_generation(owner, status, **fields):
    return Generation.objects.create(owner=owner, status=status,
                                     params={"title": "Night Drive", "prompt": "x"}, **fields)


@pytest.mark.parametrize("status, words", [
    (Status.PENDING, "Queued"), (Status.TEXT_SUCCESS, "Writing lyrics"),
    (Status.FIRST_SUCCESS, "First take ready")])
def test_running_generation_shows_its_stage_in_words(owner_client, owner, status, words):
    make_generation(owner, status)
    html = owner_client.get("/").content.decode()
    section = html[html.index('id="running"'):html.index("</section>")]
    assert "Night Drive" in section and words in section
    assert 'hx-trigger="every 2s' in section


def test_instrumentals_are_composing_not_writing_lyrics(owner_client, owner):
    Generation.objects.create(owner=owner, status=Status.TEXT_SUCCESS, mode="instrumental",
                              params={"title": "Drift", "instrumental": True})
    assert "Composing" in poll(owner_client).content.decode()


def test_first_take_is_playable_before_the_generation_is_done(owner_client, owner):
    generation = make_generation(owner, Status.FIRST_SUCCESS)
    take = make_track(owner, generation=generation, title="Night Drive")
    html = poll(owner_client, generation.pk.hex).content.decode()
    assert f'data-play="/tracks/{take.pk}/audio.mp3"' in html
    assert "First take ready" in html


def test_when_it_finishes_polling_stops_and_the_grid_refreshes(owner_client, owner):
    generation = make_generation(owner, Status.FIRST_SUCCESS)
    make_track(owner, generation=generation)
    generation.advance(Status.SUCCESS)
    response = poll(owner_client, generation.pk.hex)
    html = response.content.decode()
    assert response["HX-Trigger"] == "library-changed"
    assert "Done" in html and "hx-trigger" not in html and "hx-get" not in html


def test_the_grid_listens_for_that_refresh(owner_client, owner):
    make_track(owner)
    html = owner_client.get("/").content.decode()
    assert 'hx-trigger="library-changed from:body"' in html


def test_a_poll_that_changes_nothing_triggers_nothing(owner_client, owner):
    generation = make_generation(owner, Status.PENDING)
    response = poll(owner_client, generation.pk.hex)
    assert "HX-Trigger" not in response
    assert "hx-get" in response.content.decode()


def test_nothing_running_means_no_polling(owner_client, owner):
    make_track(owner)
    html = owner_client.get("/").content.decode()
    section = html[html.index('id="running"'):html.index("</section>")]
    assert "hx-get" not in section


def test_recent_failure_says_why_until_dismissed(owner_client, owner):
    generation = make_generation(owner, Status.PENDING)
    generation.fail("The style asked for more instruments than the model can play.")
    html = owner_client.get("/").content.decode()
    assert "Failed: The style asked for more instruments than the model can play." in html
    response = owner_client.post(f"/running/{generation.pk}/dismiss", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""
    assert "Failed:" not in owner_client.get("/").content.decode()


def test_old_failures_are_not_shown(owner_client, owner):
    generation = make_generation(owner, Status.PENDING)
    generation.fail("Long ago.")
    Generation.objects.filter(pk=generation.pk).update(
        finished_at=timezone.now() - timedelta(days=2))
    assert "Long ago." not in owner_client.get("/").content.decode()


def test_only_my_generations_are_shown(owner_client, owner, stranger):
    make_generation(stranger, Status.PENDING)
    html = owner_client.get("/").content.decode()
    assert "Night Drive" not in html


@pytest.mark.parametrize("status, steps", [
    (Status.PENDING, ["now", "", "", ""]),
    (Status.TEXT_SUCCESS, ["done", "now", "", ""]),
    (Status.FIRST_SUCCESS, ["done", "done", "now", ""]),
    (Status.SUCCESS, ["done", "done", "done", "done"]),
    (Status.GENERATE_AUDIO_FAILED, ["done", "", "", ""])])
def test_one_stage_ladder_on_the_generation_page_and_in_the_strip(owner_client, owner, status,
                                                                  steps):
    generation = make_generation(owner, status)
    page = owner_client.get(f"/generations/{generation.pk}/").content.decode()
    ladder = page[page.index('aria-label="Progress"'):]
    assert re.findall(r'<li class="(\w*)">', ladder[:ladder.index("</ol>")]) == steps
    if not generation.failed:
        strip = poll(owner_client, generation.pk.hex).content.decode()
        dots = strip[strip.index('class="stage-dots"'):]
        assert re.findall(r'<li class="(\w*)">', dots[:dots.index("</ol>")]) == steps[:3]


@pytest.mark.parametrize("params, words", [
    ({"customMode": True, "title": "Given", "style": "folk", "prompt": "[Verse]\nmy own words"},
     "Composing"),
    ({"prompt": "a song about the sea"}, "Writing lyrics")])
def test_the_running_list_and_the_generation_page_say_the_same_true_thing(owner_client, owner,
                                                                         params, words):
    generation = Generation.objects.create(owner=owner, status=Status.TEXT_SUCCESS,
                                           params={"model": "V4_5", **params})
    running = poll(owner_client).content.decode()
    page = owner_client.get(f"/generations/{generation.pk}/").content.decode()
    for html in (running, page):
        said = {w for w in ("Composing", "Writing lyrics", "Writing music") if w in html}
        assert said == {words}
