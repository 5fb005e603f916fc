"""The word times a sung take records are where its singer's voice is: measured on the vocal
rendered alone (the same request and seed render the same voice), not on the score."""
from pathlib import Path

import numpy as np

from studio.engines.local import timing
from studio.engines.local.instruments import SR
from studio.engines.local.modes import JOBS
from studio.generation.jobs import engine_request
from studio.generation.rules import GenerationRequest
from tests.engines.conftest import run_engine, source_from

LYRICS = ("[Verse]\nHold the night, my friend!\nWe walk along the river\n"
          "[Chorus]\nShine, shine, shine on me\nEvery morning comes again")
PARAMS = {"customMode": True, "instrumental": False, "model": "V4_5", "style": "pop, 96 bpm",
          "title": "River", "prompt": LYRICS}


def vocal_alone(workdir: Path, index: int, seed: int = 1) -> np.ndarray:
    request = engine_request(GenerationRequest.from_params("generate", PARAMS), seed=seed, workdir=workdir)
    job = JOBS[request.mode](request)
    job.prepare()
    return job.sing(job.compose(index), index)


def energy_inside(vocal: np.ndarray, spans) -> float:
    """The share of the vocal's energy inside `spans` (seconds)."""
    power = vocal.astype(np.float64) ** 2
    inside = np.zeros(len(vocal), bool)
    for start, end in spans:
        inside[int(start * SR): int(end * SR)] = True
    return float(power[inside].sum() / power.sum())


def test_words_are_the_lyrics_in_order_and_as_written(tmp_path):
    take = run_engine(tmp_path, params=PARAMS).takes[0]
    lines = take.analysis["lyrics_timing"]["lines"]
    assert [line["text"] for line in lines] == ["Hold the night, my friend!", "We walk along the river",
                                                "Shine, shine, shine on me", "Every morning comes again"]
    assert [w[0] for w in lines[0]["words"]] == ["Hold", "the", "night", "my", "friend"]
    starts = [w[1] for line in lines for w in line["words"]]
    assert starts == sorted(starts)
    assert all(0 <= w[1] < w[2] <= take.duration for line in lines for w in line["words"])


def test_aligned_words_fall_where_the_voice_sings(tmp_path):
    sink = run_engine(tmp_path / "take", params=PARAMS)
    for take in sink.takes:
        words = [w for line in take.analysis["lyrics_timing"]["lines"] for w in line["words"]]
        vocal = vocal_alone(tmp_path / f"v{take.index}", take.index)
        spans = [(s, e) for _w, s, e in words]
        # The voice's release rings a little past each note: 60 ms of grace.
        share = energy_inside(vocal, [(s, e + 0.06) for s, e in spans])
        assert share > 0.95, share
        # Every word is sung: each span holds voice well above the silence between phrases.
        frame = int(0.02 * SR)
        peak = np.sqrt(np.mean(vocal.astype(np.float64) ** 2))
        for word, s, e in words:
            seg = vocal[int(s * SR): max(int(e * SR), int(s * SR) + frame)]
            assert np.sqrt(np.mean(seg.astype(np.float64) ** 2)) > 0.1 * peak, word
        # Whether they are these words' places and not a beat or half a beat away is told by
        # where the voice starts its notes (the next test): the share of energy inside the
        # spans cannot tell. It checked that the words a beat late cover less of the voice,
        # which in legato singing held only by the rests between lines (1 - late was each
        # line's first beat and 0.05-0.08 more over seeds 1-10): with a short line held to the
        # breath before the next, as every line is, seed 1 read 0.821 against 0.997, every
        # word and start unchanged.


def quiet_at_start(vocal: np.ndarray, starts) -> float:
    """The share of `starts` (seconds) where the voice starts a note: below 1 kHz (a
    sibilant's hiss leads its vowel), the 30 ms around the start under half as loud as the
    100 ms that follow (each sung note rises from silence and the one before releases)."""
    from scipy.signal import butter, sosfiltfilt
    low = sosfiltfilt(butter(4, 1000, "lowpass", fs=SR, output="sos"), vocal.astype(np.float64))

    def rms(a: float, b: float) -> float:
        seg = low[max(0, int(a * SR)): int(b * SR)]
        return float(np.sqrt(np.mean(seg ** 2))) if len(seg) else 0.0

    return float(np.mean([rms(t - 0.02, t + 0.01) < 0.5 * rms(t + 0.06, t + 0.16) for t in starts]))


def test_each_word_starts_where_the_voice_starts_it(tmp_path):
    # The energy share above cannot tell words a beat late from the right ones when the
    # singing is legato: a beat later is mostly still voice (seed 1: 0.82 of it against 0.997).
    # Where the voice starts a note it can tell: at the recorded word starts, not a beat or
    # half a beat later, nor earlier (at most 0.58 of those, against at least 0.89).
    for seed in (1, 2, 3):
        request = engine_request(GenerationRequest.from_params("generate", PARAMS), seed=seed, workdir=tmp_path)
        job = JOBS[request.mode](request)
        job.prepare()
        for index in (0, 1):
            score = job.compose(index)
            vocal = job.sing(score, index)
            words = [w for line in timing.sung_words(score.vocal, job.sung_lines[index], job.texts.lyrics)["lines"]
                     for w in line["words"]]
            starts = [start for _word, start, _end in words]
            beat = 60.0 / score.tempo
            at_words = quiet_at_start(vocal, starts)
            assert at_words >= 0.85, (seed, index, at_words)
            for shift in (beat, beat / 2, -beat / 2, -beat):
                shifted = quiet_at_start(vocal, [t + shift for t in starts])
                assert shifted < at_words - 0.3, (seed, index, shift, shifted, at_words)


def test_an_instrumental_records_no_timing(tmp_path):
    take = run_engine(tmp_path, params={**PARAMS, "instrumental": True, "prompt": ""}).takes[0]
    assert "lyrics_timing" not in take.analysis


def test_an_extension_keeps_the_source_words_before_continue_at_and_adds_its_own(tmp_path):
    source = run_engine(tmp_path / "src", params=PARAMS).takes[0]
    cont = 12.0
    params = {"defaultParamFlag": True, "audioId": "x", "continueAt": cont, "model": "V4_5",
              "style": "pop", "title": "River II", "prompt": "[Verse]\nOn and on the water goes"}
    take = run_engine(tmp_path / "ext", mode="extend", params=params, source=source_from(source)).takes[0]
    lines = take.analysis["lyrics_timing"]["lines"]
    before = [w for line in source.analysis["lyrics_timing"]["lines"] for w in line["words"] if w[1] < cont]
    kept = [w for line in lines for w in line["words"] if w[1] < cont]
    assert kept == before
    new = [w for line in lines for w in line["words"] if w[1] >= cont]
    assert [w[0] for w in new][:5] == ["On", "and", "on", "the", "water"]


def test_spanish_lyrics_are_read_as_spanish_and_timed_as_written(tmp_path):
    # English spelling read "tarde" as "tard" and "noche" as "noch" (a silent e), and the
    # timing split "canción" into "canci" and "n"
    from studio.engines.local.lyrics import line_syllables, parse_sections
    sung = [(s.text, s.vowel) for s in line_syllables("Pienso en el mar cuando cae la tarde", "es")]
    assert sung == [("pien", "e"), ("so", "o"), ("en", "e"), ("el", "e"), ("mar", "a"), ("cuan", "a"),
                    ("do", "o"), ("ca", "a"), ("e", "e"), ("la", "a"), ("tar", "a"), ("de", "e")]
    assert [s.text for s in line_syllables("guitarra del día, otra noche, hoy", "es")] == [
        "gui", "ta", "rra", "del", "di", "a", "o", "tra", "no", "che", "hoy"]
    # French is respelt as it sounds: silent letters gone, a nasal keeps its n, j a zh
    assert [s.text for s in line_syllables("Je pense à la mer quand tombe le soir", "fr")] == [
        "zhe", "pens", "a", "la", "mer", "kan", "tomb", "le", "suar"]
    assert [s.text for s in line_syllables("Dors maintenant, l'amour chanter", "fr")] == [
        "dor", "men", "te", "nan", "la", "mur", "chan", "te"]
    lyrics = ("[Verse]\nPienso en el mar cuando cae la tarde\nY en mi pecho queda un fuego que arde\n"
              "[Chorus]\nVolveré al mar algún día\nCon el alma llena de alegría, canción")
    assert {section.language for section in parse_sections(lyrics)} == {"es"}
    assert {section.language for section in parse_sections(LYRICS)} == {"en"}
    take = run_engine(tmp_path, params={**PARAMS, "prompt": lyrics, "title": "El mar"}).takes[0]
    lines = take.analysis["lyrics_timing"]["lines"]
    assert [line["text"] for line in lines] == lyrics.replace("[Verse]\n", "").replace("[Chorus]\n", "").splitlines()
    assert [w[0] for w in lines[2]["words"]] == ["Volveré", "al", "mar", "algún", "día"]
    assert [w[0] for w in lines[3]["words"]][-2:] == ["alegría", "canción"]
    starts = [w[1] for line in lines for w in line["words"]]
    assert starts == sorted(starts)


def test_german_lyrics_are_timed_as_written(tmp_path):
    # umlauts and ß are letters of their words: "Über" and "Straße" are timed whole
    lyrics = ("[Verse]\nÜber dem Meer ziehen Wolken schwer\nUnd ich vermiss dich so sehr\n"
              "[Chorus]\nIch geh mit meiner Schwester durch die Straße\nFür den Sommer sing ich heut mein Lied")
    take = run_engine(tmp_path, params={**PARAMS, "prompt": lyrics, "title": "Der Sommer"}).takes[0]
    lines = take.analysis["lyrics_timing"]["lines"]
    assert [w[0] for w in lines[0]["words"]] == ["Über", "dem", "Meer", "ziehen", "Wolken", "schwer"]
    assert [w[0] for w in lines[2]["words"]][-1] == "Straße"
    starts = [w[1] for line in lines for w in line["words"]]
    assert starts == sorted(starts)


LONG_LINE = "We were dancing in the kitchen with the radio turned up so loud the neighbours came to see"


def _sung_syllables(params: dict, index: int = 0) -> tuple[int, int]:
    """(syllables the form planned to sing, syllables given a note) of one take's score."""
    request = engine_request(GenerationRequest.from_params("generate", params), seed=1,
                             workdir=Path("/nonexistent"))
    job = JOBS[request.mode](request)
    job.prepare()
    score = job.compose(index)
    planned = sum(len(line) for line in job.sung_lines[index])
    return planned, len({id(n.syllable) for n in score.vocal if n.syllable is not None})


def test_long_lines_and_long_verses_are_sung_whole_in_every_metre():
    # A 23-syllable line was cut at 15 syllables in 4/4 and 11 in 3/4, and a verse of more
    # than 8 lines got one bar a line (7 syllables): the ends of long lines went unsung, and
    # the LRC and karaoke lines lost them.
    many = "\n".join(f"Line number {k} of a verse that goes on for a while" for k in range(12))
    for style in ("pop, 96 bpm", "waltz, 3/4, 90 bpm", "punk, 180 bpm"):
        for lyrics in (f"[Verse]\n{LONG_LINE}\nShort line here\n[Chorus]\n{LONG_LINE}\nAnd again",
                       f"[Verse]\n{many}\n[Chorus]\nSing it all"):
            planned, sung = _sung_syllables({**PARAMS, "style": style, "prompt": lyrics})
            assert planned > 20 and sung == planned, (style, planned, sung)


def test_a_long_line_is_timed_to_its_last_word(tmp_path):
    lyrics = f"[Verse]\n{LONG_LINE}\nShort line here\n[Chorus]\nShine on me"
    take = run_engine(tmp_path, params={**PARAMS, "prompt": lyrics}).takes[0]
    first = take.analysis["lyrics_timing"]["lines"][0]
    assert [w[0] for w in first["words"]] == LONG_LINE.split()
    starts = [w[1] for w in first["words"]]
    assert starts == sorted(starts) and first["end"] <= take.duration
