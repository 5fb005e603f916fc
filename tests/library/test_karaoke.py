"""The track page's karaoke lyrics and the LRC download, from a take's recorded word times."""
import re

from tests.factories import make_track

TIMING = {"lines": [
    {"text": "Hold the night, my friend!", "start": 8.0, "end": 10.2,
     "words": [["Hold", 8.0, 8.4], ["the", 8.5, 8.7], ["night", 8.75, 9.5], ["my", 9.6, 9.8],
               ["friend", 9.9, 10.2]]},
    {"text": "We walk along", "start": 61.25, "end": 63.0,
     "words": [["We", 61.25, 61.5], ["walk", 61.6, 62.0], ["along", 62.1, 63.0]]}]}


def sung_track(owner, **fields):
    return make_track(owner, title="River: a/b", lyrics="[Verse]\nHold the night, my friend!\nWe walk along",
                      duration=75.0, analysis={"engine": "local", "lyrics_timing": TIMING}, **fields)


def test_lines_are_buttons_that_play_from_their_start(owner_client, owner):
    track = sung_track(owner)
    html = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert f'data-karaoke data-src="/tracks/{track.pk}/audio.mp3"' in html
    assert 'data-start="8.000" data-end="10.200" aria-label="Play from 0:08: Hold the night, my friend!"' in html
    assert '<span class="karaoke-word" data-start="61.600">walk</span>' in html
    assert f'href="/tracks/{track.pk}/lyrics.lrc"' in html
    assert "js/karaoke.js" in html


def test_words_are_shown_as_written_with_their_punctuation(owner_client, owner):
    """The karaoke lines read "Sail on sail on" for "Sail on, sail on": the sung words alone.
    Each word keeps what follows it in the written line, and a hyphen joins without a space."""
    timing = {"lines": [
        {"text": '"Sail on, sail on," rock-and-roll!', "start": 1.0, "end": 4.0,
         "words": [["Sail", 1.0, 1.4], ["on", 1.5, 1.9], ["sail", 2.0, 2.4], ["on", 2.5, 2.9],
                   ["rock", 3.0, 3.2], ["and", 3.3, 3.5], ["roll", 3.6, 4.0]]}]}
    track = make_track(owner, lyrics='"Sail on, sail on," rock-and-roll!', duration=10.0,
                       analysis={"engine": "local", "lyrics_timing": timing})
    html = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    shown = re.findall(r'<span class="karaoke-word" data-start="[\d.]+">([^<]*)</span>( ?)', html)
    assert "".join(word + space for word, space in shown) == \
        "&quot;Sail on, sail on,&quot; rock-and-roll!"
    cut = make_track(owner, lyrics="The water kept our names all day!", duration=10.0, analysis={
        "engine": "local", "lyrics_timing": {"lines": [  # an extension's, up to continueAt
            {"text": "The water kept our names all day!", "start": 1.0, "end": 1.9,
             "words": [["The", 1.0, 1.4], ["water", 1.5, 1.9]]}]}})
    html = owner_client.get(f"/tracks/{cut.pk}/").content.decode()
    assert re.findall(r'<span class="karaoke-word" data-start="[\d.]+">([^<]*)</span>', html) == \
        ["The", "water"]
    lrc = owner_client.get(f"/tracks/{track.pk}/lyrics.lrc").content.decode().splitlines()
    assert lrc[-1] == ('[00:01.00]<00:01.00>"Sail <00:01.50>on, <00:02.00>sail <00:02.50>on," '
                       '<00:03.00>rock-<00:03.30>and-<00:03.60>roll!')


def test_lrc_has_a_time_per_line_and_per_word(owner_client, owner):
    track = sung_track(owner)
    response = owner_client.get(f"/tracks/{track.pk}/lyrics.lrc")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert 'filename="River ab (take 1).lrc"' in response["Content-Disposition"]
    assert response.content.decode().splitlines() == [
        "[ti:River: a/b]", "[by:Studio]", "[length:01:15]",
        "[00:08.00]<00:08.00>Hold <00:08.50>the <00:08.75>night, <00:09.60>my <00:09.90>friend!",
        "[01:01.25]<01:01.25>We <01:01.60>walk <01:02.10>along"]


def test_each_takes_lrc_is_named_by_its_take_as_its_mp3_and_wav_are(owner_client, owner):
    first = sung_track(owner)
    second = sung_track(owner, variation=1, generation=first.generation)
    for track, take in ((first, 1), (second, 2)):
        names = [owner_client.get(f"/tracks/{track.pk}/{file}")["Content-Disposition"]
                 for file in ("lyrics.lrc", "download.mp3")]
        assert f'filename="River ab (take {take}).lrc"' in names[0]
        assert f'filename="River ab (take {take}).mp3"' in names[1]


def test_strangers_get_404(stranger_client, owner):
    track = sung_track(owner)
    assert stranger_client.get(f"/tracks/{track.pk}/lyrics.lrc").status_code == 404


def test_a_track_without_timings_shows_plain_lyrics_and_no_lrc(owner_client, owner):
    track = make_track(owner, lyrics="Hold the night")
    html = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert '<pre class="lyrics">Hold the night</pre>' in html
    assert "data-karaoke" not in html and "lyrics.lrc" not in html
    assert owner_client.get(f"/tracks/{track.pk}/lyrics.lrc").status_code == 404
