"""Lyrics as a musician writes them: section markers one click away in every lyrics box, and
the words on the generation's page while it renders."""
import re

import pytest

from studio.generation.models import Generation, Mode, Status

pytestmark = pytest.mark.django_db
MARKERS = ["[Intro]", "[Verse]", "[Pre-Chorus]", "[Chorus]", "[Bridge]", "[Instrumental]",
           "[Outro]"]


@pytest.mark.parametrize("mode", ["custom", "extend", "cover"])
def test_every_lyrics_box_has_section_marker_buttons(owner_client, mode):
    html = owner_client.get(f"/create/?mode={mode}").content.decode()
    toolbar = re.search(r'<div class="sections" role="toolbar"[^>]*>(.*?)</div>', html, re.S)
    assert toolbar and 'aria-controls="id_lyrics"' in toolbar.group(0)
    buttons = re.findall(r'<button type="button"[^>]*data-insert="([^"]+)" '
                         r'data-insert-into="id_lyrics"', toolbar.group(1))
    assert buttons == MARKERS


@pytest.mark.parametrize("mode", ["simple", "instrumental", "add_instrumental"])
def test_modes_without_lyrics_have_no_marker_buttons(owner_client, mode):
    assert "data-insert=" not in owner_client.get(f"/create/?mode={mode}").content.decode()


def test_every_marker_is_one_the_engine_reads_as_structure():
    from studio.engines.local.lyrics import parse_sections

    kinds = [parse_sections(marker + "\nla la")[0].kind for marker in MARKERS]
    assert kinds == ["intro", "verse", "prechorus", "chorus", "bridge", "break", "outro"]


def generation(owner, status=Status.PENDING, plan=None, **params):
    return Generation.objects.create(owner=owner, status=status, plan=plan or {},
                                     mode=params.pop("mode", Mode.GENERATE), params=params)


def lyrics_on_page(client, gen, partial=False):
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "generation-status"} if partial else {}
    html = client.get(f"/generations/{gen.pk}/", **headers).content.decode()
    found = re.search(r'<section [^>]*class="live-lyrics"[^>]*>.*?<pre class="lyrics">(.*?)</pre>',
                      html, re.S)
    return found and found.group(1)


def test_written_lyrics_show_while_the_song_is_queued(owner_client, owner):
    gen = generation(owner, customMode=True, title="t", style="folk",
                     prompt="[Verse]\nSalt on the rope")
    assert lyrics_on_page(owner_client, gen) == "[Verse]\nSalt on the rope"


def test_lyrics_studio_writes_appear_once_the_text_stage_is_done(owner_client, owner):
    gen = generation(owner, prompt="a sea shanty")
    assert lyrics_on_page(owner_client, gen) is None
    Generation.objects.filter(pk=gen.pk).update(
        status=Status.TEXT_SUCCESS, plan={"titles": ["Rope"], "styles": ["folk"],
                                          "lyrics": ["[Chorus]\nHeave away", "[Chorus]\nHo"]})
    assert lyrics_on_page(owner_client, gen, partial=True) == "[Chorus]\nHeave away"


def test_an_instrumental_shows_no_lyrics(owner_client, owner):
    gen = generation(owner, customMode=True, instrumental=True, title="t", style="folk",
                     prompt="stray words")
    assert lyrics_on_page(owner_client, gen) is None


def test_the_lyrics_survive_each_poll_untouched(owner_client, owner):
    # The status block is swapped every 2 s; the lyrics keep their place and scroll.
    gen = generation(owner, customMode=True, title="t", style="folk", prompt="[Verse]\nla")
    html = owner_client.get(f"/generations/{gen.pk}/", HTTP_HX_REQUEST="true",
                            HTTP_HX_TARGET="generation-status").content.decode()
    section = re.search(r'<section [^>]*class="live-lyrics"[^>]*>', html).group(0)
    assert 'id="generation-lyrics"' in section and 'hx-preserve="true"' in section
