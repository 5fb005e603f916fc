"""An instrument the style names is played, by its nearest family where the engine has no
sound of its own for it, before a genre's choice for that role; and it is never sung as the
song's topic ("Ukulele, Ukulele, never let me go")."""
import pytest

from studio.engines.local.songwriter import keywords
from studio.engines.local.style import parse_style


@pytest.mark.parametrize("style, role, instrument", [
    ("happy ukulele", "chords", "guitar"), ("banjo bluegrass", "lead", "guitar"), ("calm harp", "lead", "pluck"),
    ("kalimba lullaby", "lead", "bell"), ("sea shanty folk, accordion", "chords", "organ"),
    ("rock piano", "chords", "piano"), ("jazz trombone", "lead", "brass"), ("fiddle reel", "chords", "strings")])
def test_a_named_instrument_plays_its_role_for_every_seed(style, role, instrument):
    for seed in range(10):
        assert parse_style(style, seed=seed).palette[role] == instrument, (style, seed)


def test_a_genre_still_plays_the_roles_no_instrument_names():
    style = parse_style("sea shanty folk, accordion", seed=1)
    assert style.palette["lead"] == "flute" and style.palette["bass"] == "upright"  # folk's


@pytest.mark.parametrize("idea, words", [("happy ukulele song about my dog", ["happy", "dog"]),
                                         ("a banjo tune about the old mill", ["old", "mill"]),
                                         ("harp and violin for a winter night", ["winter", "night"])])
def test_an_instrument_is_never_the_songs_topic(idea, words):
    assert keywords(idea) == words
