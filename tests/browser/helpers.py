"""What the browser tests ask of a page: the footer player's state, measured in the page."""
from __future__ import annotations

import numpy as np
from django.core.files.base import ContentFile

from studio.audio import decode, peaks
from studio.generation.models import Generation, Status
from studio.library.models import Track
from tests.factories import audio_bytes, png_bytes
from tests.s3 import stored

AUDIO = "document.querySelector('#player audio')"


def song(owner, title, *, seconds=40.0, lyrics="", style="folk, warm", take_of=None) -> Track:
    """A finished track with a real MP3 of `seconds` (a chord), its peaks and a cover; with
    `take_of` (a track), the second take of that track's generation."""
    mp3 = audio_bytes("mp3", seconds)
    generation = take_of.generation if take_of else Generation.objects.create(
        owner=owner, params={"prompt": title}, status=Status.SUCCESS)
    track = Track(owner=owner, generation=generation, variation=1 if take_of else 0, title=title,
                  style=style, lyrics=lyrics, duration=seconds)
    track.audio.save("audio.mp3", ContentFile(mp3), save=False)
    samples, _ = decode(stored(track.audio))
    track.peaks = peaks(np.asarray(samples))
    track.cover.save("cover.png", ContentFile(png_bytes()), save=False)
    track.save()
    return track


def audio_state(page) -> dict:
    return page.evaluate(f"""() => {{
        const a = {AUDIO};
        return {{paused: a.paused, time: a.currentTime, src: a.getAttribute('src') || '',
                 players: document.querySelectorAll('#player audio').length,
                 sounding: [...document.querySelectorAll('audio')].filter(x => !x.paused).length,
                 title: document.querySelector('#player .player-title').textContent}};
    }}""")


def assert_playing(page, src=None) -> dict:
    """The one audio element plays (`paused === false`) and its currentTime advances."""
    page.wait_for_function(f"() => !{AUDIO}.paused && {AUDIO}.currentTime > 0")
    before = audio_state(page)
    page.wait_for_function(f"() => {AUDIO}.currentTime > {before['time']} + 0.25")
    after = audio_state(page)
    assert after["paused"] is False and after["time"] > before["time"]
    assert after["players"] == 1 and after["sounding"] == 1, f"a second player or audio: {after}"
    if src is not None:
        assert after["src"] == src
    return after


def assert_pause_works(page) -> None:
    """The footer's own button still controls the audio: pause, then play again."""
    page.locator("#player [data-player=toggle]").click()
    page.wait_for_function(f"() => {AUDIO}.paused")
    stopped = audio_state(page)["time"]
    page.wait_for_timeout(400)
    assert abs(audio_state(page)["time"] - stopped) < 0.05
    page.locator("#player [data-player=toggle]").click()
    assert_playing(page)


def active_nav(page) -> list[str]:
    return page.locator(".topbar nav a.active").all_inner_texts()
