"""Every creation mode through the browser, as a creator does it: fill the tab's form, submit,
watch the generation page until it is done (a real worker makes the music), then play a take
in the footer player. The stored takes are measured: two of them, real audio, not silence."""
import re

import pytest

from studio.generation.models import Generation, Status
from tests.audio import decode, rms_dbfs
from tests.browser.helpers import assert_playing, song
from tests.factories import MINOR_SCALE, audio_bytes, tune_bytes
from tests.s3 import stored

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def upload(page, tmp_path, name="hum.wav", seconds=10.0):
    path = tmp_path / name
    path.write_bytes(audio_bytes("wav", seconds))
    page.locator("#id_file").set_input_files(str(path))
    page.locator("#upload-result").get_by_text(name).wait_for(timeout=30_000)


def simple(page, musician, tmp_path):
    page.locator("#id_idea").fill("a short warm lo-fi song about rain on a window")


def custom(page, musician, tmp_path):
    page.locator("#id_title").fill("Window Rain")
    page.locator("#id_style").fill("lo-fi, soft piano, 90 bpm")
    page.locator("#id_lyrics").fill("[Verse]\nRain on the window\nLights on the street\n\n"
                                    "[Chorus]\nStay with me tonight")


def instrumental(page, musician, tmp_path):
    page.locator("#id_tags").fill("synthwave, 110 bpm")
    page.locator("#id_title").fill("Night Drive")


def extend(page, musician, tmp_path):
    page.locator("#id_continue_at").fill("12")
    page.locator("#id_title").fill("Harbour, later")
    page.locator("#id_style").fill("folk")
    page.locator("#id_instrumental").check()


def cover(page, musician, tmp_path):
    upload(page, tmp_path)
    page.locator("#id_idea").fill("the same tune as a dreamy synthwave ballad")


def add_instrumental(page, musician, tmp_path):
    upload(page, tmp_path, "vocal stem.wav")
    page.locator("#id_title").fill("Backing")
    page.locator("#id_tags").fill("relaxing piano, ambient")
    page.locator("#id_negativeTags").fill("heavy metal")


def sound(page, musician, tmp_path):
    page.locator("#id_description").fill("a warm deep house groove")
    page.locator("#id_loop").check()
    page.locator("#id_tempo").fill("96")
    page.get_by_label("Key").select_option("Am")


def mashup(page, musician, tmp_path):
    """Two songs: the first picked (sent at once, as a cover's), the second with the form."""
    first, second = tmp_path / "first song.wav", tmp_path / "second song.wav"
    first.write_bytes(tune_bytes(bpm=120, tonic=69, scale=MINOR_SCALE, seconds=10))
    second.write_bytes(tune_bytes(bpm=90, tonic=64, seconds=10, seed=2))
    page.locator("#id_file").set_input_files(str(first))
    page.locator("#upload-result").get_by_text("first song.wav").wait_for(timeout=30_000)
    page.get_by_label("Upload the second song").set_input_files(str(second))
    page.locator("#id_idea").fill("both tunes as one upbeat synth-pop song")


MODES = {"simple": simple, "custom": custom, "instrumental": instrumental, "extend": extend,
         "cover": cover, "add_instrumental": add_instrumental, "sound": sound,
         "mashup": mashup}


@pytest.mark.parametrize("mode", list(MODES))
def test_every_mode_reaches_success_with_two_playable_takes(
        mode, studio_with_worker, page, musician, tmp_path):
    url = f"/create/?mode={mode}"
    if mode == "extend":
        url += f"&track={song(musician, 'Harbour', seconds=30).pk}"
    page.goto(url)
    MODES[mode](page, musician, tmp_path)
    page.get_by_role("button", name="Create two takes").click()
    page.wait_for_url(re.compile(r"/generations/[0-9a-f-]+/$"), timeout=60_000)

    takes = page.locator("#generation-status .track-card:not(.pending) .cover-play")
    page.wait_for_function(
        "() => document.querySelectorAll('#generation-status .track-card:not(.pending)').length === 2"
        " || document.querySelector('#generation-status .error')", timeout=120_000)
    generation = Generation.objects.exclude(tracks__title="Harbour").get()
    assert generation.status == Status.SUCCESS, generation.error_message
    assert takes.count() == 2

    tracks = list(generation.tracks.order_by("variation"))
    assert [t.variation for t in tracks] == [0, 1]
    for track in tracks:
        samples, rate = decode(stored(track.audio))
        assert abs(len(samples) / rate - track.duration) < 0.2
        assert track.duration > 5 and rms_dbfs(samples) > -30
        if mode == "sound":  # a loop: 8 bars of 2.5 s at 96 BPM, nothing after the last
            assert abs(len(samples) / rate - 20.0) < 0.01

    takes.nth(1).click()
    assert_playing(page, f"/tracks/{tracks[1].pk}/audio.mp3")
    page.locator("#player [data-player=previous]").click()
    assert_playing(page, f"/tracks/{tracks[0].pk}/audio.mp3")
