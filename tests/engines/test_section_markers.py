"""Section markers as a songwriter writes them in the languages Studio sings: "[Coro]" is a
chorus (it was read as a verse, so a Spanish song had no chorus to lift)."""
import pytest

from studio.engines.local.lyrics import parse_sections, section_kind
from tests.engines.conftest import run_engine


@pytest.mark.parametrize("marker, kind", [
    ("Verso 2", "verse"), ("Estrofa", "verse"), ("Strofa", "verse"), ("Couplet 1", "verse"),
    ("Strophe", "verse"), ("Coro", "chorus"), ("Estribillo", "chorus"), ("Refrão", "chorus"),
    ("Ritornello", "chorus"), ("Refrain", "chorus"), ("Pre-Coro", "prechorus"),
    ("Pré-refrão", "prechorus"), ("Pré-refrain", "prechorus"), ("Vorrefrain", "prechorus"),
    ("Puente", "bridge"), ("Ponte", "bridge"), ("Pont", "bridge"), ("Brücke", "bridge"),
    ("Final", "outro"),
    # English, as before
    ("Verse 2", "verse"), ("Pre-Chorus", "prechorus"), ("Chorus", "chorus"), ("Hook", "chorus"),
    ("Post-Chorus", "chorus"), ("Bridge", "bridge"), ("Breakdown", "bridge"), ("Outro", "outro"),
    ("End", "outro"), ("Solo", "break"), ("Intro", "intro"),
])
def test_markers_in_each_language_name_their_section(marker, kind):
    assert section_kind(marker) == kind


def test_a_spanish_songs_coro_is_sung_as_its_chorus(tmp_path):
    lyrics = ("[Verso]\nPienso en el mar cuando cae la tarde\nY en mi pecho queda un fuego que arde\n"
              "[Coro]\nVolveré al mar algún día\nCon el alma llena de alegría")
    assert [s.kind for s in parse_sections(lyrics)] == ["verse", "chorus"]
    take = run_engine(tmp_path, params={"customMode": True, "instrumental": False, "model": "V4_5",
                                        "style": "pop, 100 bpm", "title": "El mar", "prompt": lyrics,
                                        "_duration": 30}, seed=2).takes[0]
    assert "chorus" in [kind for kind, _start, _end in take.analysis["sections"]]
