"""Each creation mode shows the fields that mean something in it, and nothing else (issue 14:
audio weight without source audio, vocal gender on add-instrumental, "auto" sliders that sat
mid-way as if set)."""
import re

import pytest

pytestmark = pytest.mark.django_db

TUNING = ("negativeTags", "vocalGender", "styleWeight", "weirdnessConstraint", "audioWeight")
SHOWN = {
    "simple": (),
    "custom": ("negativeTags", "vocalGender", "styleWeight", "weirdnessConstraint"),
    "instrumental": ("negativeTags", "styleWeight", "weirdnessConstraint"),
    "extend": TUNING,
    "cover": TUNING,
    "add_instrumental": ("negativeTags", "styleWeight", "weirdnessConstraint", "audioWeight"),
}


def page(client, mode, **query):
    return client.get("/create/", {"mode": mode, **query}).content.decode()


@pytest.mark.parametrize("mode", SHOWN)
def test_each_mode_shows_only_the_tuning_that_applies(owner_client, mode):
    html = page(owner_client, mode)
    for name in TUNING:
        assert (f'name="{name}"' in html) == (name in SHOWN[mode]), (mode, name)


def test_audio_weight_is_not_taken_from_a_song_without_source_audio(owner_client):
    from studio.generation.models import Generation

    owner_client.post("/create/", {"mode": "custom", "model": "V4_5", "title": "t",
                                   "style": "folk", "lyrics": "la", "audioWeight": "0.9"})
    assert "audioWeight" not in Generation.objects.get().params


def sliders(html):
    return re.findall(r'<input type="range"[^>]*>', html)


def test_an_auto_weight_shows_an_unset_slider_and_no_auto_button(owner_client):
    html = page(owner_client, "custom")
    assert len(sliders(html)) == 2
    assert all("data-unset" in slider for slider in sliders(html))
    buttons = re.findall(r'<button[^>]*data-weight-auto[^>]*>', html)
    assert len(buttons) == 2 and all(" hidden" in b for b in buttons)
    assert 'placeholder="auto"' in html


def test_a_chosen_weight_shows_its_slider_set_with_a_way_back_to_auto(owner_client):
    response = owner_client.post("/create/", {"mode": "custom", "model": "V4_5",
                                              "styleWeight": "0.3"})  # refused: no title
    html = response.content.decode()
    (style,) = [s for s in sliders(html) if 'data-weight-for="id_styleWeight"' in s]
    assert 'value="0.3"' in style and "data-unset" not in style
    (auto,) = re.findall(r'<button[^>]*data-weight-auto="id_styleWeight"[^>]*>', html)
    assert " hidden" not in auto


def test_vocal_gender_is_marked_to_hide_while_instrumental_is_ticked(owner_client):
    html = page(owner_client, "custom")
    assert re.search(r'<select name="vocalGender"[^>]*data-sung', html)
