"""Style text → musical parameters.

A style is a comma- or space-separated list of words ("lo-fi hip hop, piano, melancholic").
Known words (see WORDS) carry tempo ranges, a mode preference, a drum groove, instruments per
role, energy, swing, brightness and reverb. Unknown words still steer: each is hashed into a
small tempo nudge, a mode vote, a brightness nudge and sometimes an extra instrument, so two
different unknown words give two different, but repeatable, songs.

Exact requests always win: "120 bpm" sets the tempo, "in D minor" / "key of F#" / "Bb major"
set the key, "3/4" or "waltz" set the meter. `negativeTags` removes instruments and styles:
a negative word that names an instrument takes it out of the palette (drums included), and a
negative genre word is dropped from the style before it is read.

Documented, measurable weights:

- ``styleWeight`` w (0..1, default 0.5) is how strongly style words override the seed's own
  defaults. Tempo = seed_tempo + (0.5 + 0.5·w)·(style_tempo − seed_tempo), so at w=1 the tempo
  lies inside the style words' range and at w=0 halfway to the seed's pick. The palette gains
  round(2·(1 − w)) seed-chosen instruments the style did not ask for (none at w=1).
- ``weirdnessConstraint`` x (0..1, default 0) raises the share of out-of-scale (chromatic)
  melody notes to ≈0.4·x, the share of melody onsets moved off the sixteenth grid to ≈0.3·x,
  adds timing jitter of up to 25·x ms to every melodic note, and borrows ≈0.6·x of the chords
  from the parallel mode (C major gets C minor, Ab, Bb...). At 0 every melody note is in the
  scale and on the grid. Measured (tests): out-of-key chroma energy rises with x.
- ``audioWeight`` only matters when there is source audio (cover / add instrumental); see
  composer.cover_melody.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace

import numpy as np

NOTE_NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
_PITCH = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}

ROLES = ("chords", "bass", "lead", "arp", "drums")
INSTRUMENTS = {
    "chords": ("pad", "piano", "epiano", "organ", "strings", "guitar", "dist_guitar"),
    "bass": ("bass", "synth_bass", "808", "upright"),
    "lead": ("lead", "square_lead", "pluck", "bell", "flute", "piano", "brass", "dist_guitar", "strings", "guitar"),
    "arp": ("pluck", "bell", "piano", "guitar"),
    "drums": ("kit",),
}
GROOVES = ("pop", "rock", "four_on_floor", "boombap", "trap", "funk", "reggae", "jazz",
           "synthwave", "tropical", "metal", "halftime", "folk", "dnb", "none")


@dataclass(frozen=True)
class W:
    """What one style word asks for; None means 'no opinion'."""

    tempo: tuple[float, float] | None = None
    mode: int = 0  # +1 major, -1 minor
    groove: str | None = None
    chords: str | None = None
    bass: str | None = None
    lead: str | None = None
    arp: str | None = None
    energy: float | None = None
    swing: float | None = None
    bright: float | None = None
    reverb: float | None = None
    sevenths: bool | None = None
    flavors: tuple[str, ...] = ()
    tempo_scale: float = 1.0
    meter: int | None = None
    drums: bool | None = None
    # how fast a mood goes when no genre says: a sad song is a slow one whatever the seed
    mood_tempo: tuple[float, float] | None = None


WORDS: dict[str, W] = {
    "lofi": W((70, 88), -1, "boombap", "epiano", "bass", "piano", None, .35, .16, .3, .45, True, ("lofi",)),
    "house": W((120, 126), 0, "four_on_floor", "pad", "synth_bass", "pluck", None, .75, 0, .6, .4, True,
               ("sidechain",)),
    "techno": W((126, 134), -1, "four_on_floor", "pad", "synth_bass", "square_lead", None, .8, 0, .5, .35, False,
                ("sidechain",)),
    "trance": W((132, 138), -1, "four_on_floor", "pad", "synth_bass", "lead", "pluck", .85, 0, .75, .6, False,
                ("sidechain",)),
    "synthwave": W((84, 108), -1, "synthwave", "pad", "synth_bass", "lead", "pluck", .65, 0, .6, .6, False,
                   ("chorus",)),
    "retrowave": W((84, 108), -1, "synthwave", "pad", "synth_bass", "lead", "pluck", .65, 0, .6, .6, False,
                   ("chorus",)),
    "80s": W((100, 120), 0, "synthwave", "pad", "synth_bass", "lead", None, .65, 0, .6, .5),
    "vaporwave": W((70, 90), 0, "halftime", "epiano", "synth_bass", "bell", None, .35, 0, .35, .75, True, ("lofi",
                                                                                                           "chorus")),
    "jazz": W((96, 150), 0, "jazz", "epiano", "upright", "brass", None, .45, .33, .5, .35, True),
    "swing": W((110, 160), 1, "jazz", "piano", "upright", "brass", None, .6, .33, .5, .3, True),
    "blues": W((70, 100), 0, "rock", "organ", "bass", "dist_guitar", None, .5, .3, .5, .3, True),
    "rock": W((104, 140), 0, "rock", "dist_guitar", "bass", "dist_guitar", None, .85, 0, .65, .25, False, ("drive",)),
    "punk": W((160, 190), 1, "rock", "dist_guitar", "bass", "dist_guitar", None, .95, 0, .7, .15, False, ("drive",)),
    "grunge": W((90, 120), -1, "rock", "dist_guitar", "bass", "dist_guitar", None, .85, 0, .45, .25, False, ("drive",)),
    "metal": W((140, 180), -1, "metal", "dist_guitar", "bass", "dist_guitar", None, 1.0, 0, .6, .2, False, ("drive",)),
    "folk": W((84, 112), 1, "folk", "guitar", "upright", "flute", None, .4, 0, .5, .35, False),
    "country": W((92, 120), 1, "folk", "guitar", "bass", "guitar", None, .55, .08, .6, .3, False),
    "acoustic": W(None, 0, None, "guitar", "upright", "guitar", None, .4, None, .5, .3),
    "ambient": W((60, 80), 0, "none", "pad", "synth_bass", "bell", "bell", .12, 0, .4, .95, True, drums=False),
    "hiphop": W((84, 96), -1, "boombap", "piano", "bass", "piano", None, .6, .1, .45, .3, True),
    "rap": W((84, 100), -1, "boombap", "piano", "808", "bell", None, .65, .08, .45, .25),
    "boombap": W((84, 94), -1, "boombap", "piano", "bass", "piano", None, .6, .14, .4, .3, True),
    "trap": W((130, 150), -1, "trap", "pad", "808", "bell", None, .7, 0, .55, .35),
    "drill": W((138, 146), -1, "trap", "strings", "808", "bell", None, .75, 0, .5, .3),
    "piano": W(None, 0, None, "piano", None, "piano"),
    "guitar": W(None, 0, None, "guitar", None, "guitar"),
    "strings": W(None, 0, None, "strings", None, "strings", reverb=.6),
    "orchestral": W((70, 110), 0, "halftime", "strings", "upright", "brass", None, .6, 0, .5, .75),
    "cinematic": W((70, 100), -1, "halftime", "strings", "synth_bass", "brass", "piano", .7, 0, .45, .8),
    "epic": W((80, 110), -1, "halftime", "strings", "synth_bass", "brass", None, .9, 0, .6, .75, flavors=("big",)),
    "classical": W((70, 110), 1, "none", "strings", "upright", "piano", None, .4, 0, .5, .65, False, drums=False),
    "808": W(None, 0, None, None, "808"),
    "bass": W(None, 0, None, None, "bass"),
    "synth": W(None, 0, None, "pad", "synth_bass", "lead"),
    "organ": W(None, 0, None, "organ"),
    "flute": W(None, 0, None, None, None, "flute"),
    "bell": W(None, 0, None, None, None, "bell", "bell"),
    "bells": W(None, 0, None, None, None, "bell", "bell"),
    "brass": W(None, 0, None, None, None, "brass"),
    "pluck": W(None, 0, None, None, None, "pluck", "pluck"),
    "rhodes": W(None, 0, None, "epiano"),
    "pop": W((100, 124), 1, "pop", "piano", "synth_bass", "lead", "pluck", .7, 0, .65, .4),
    "kpop": W((110, 128), 1, "pop", "pad", "synth_bass", "lead", "pluck", .85, 0, .75, .35),
    "indie": W((96, 124), 0, "pop", "guitar", "bass", "lead", None, .6, 0, .55, .45),
    "edm": W((124, 130), 0, "four_on_floor", "pad", "synth_bass", "lead", "pluck", .9, 0, .75, .45, False,
             ("sidechain",)),
    "dance": W((118, 128), 1, "four_on_floor", "pad", "synth_bass", "pluck", None, .8, 0, .7, .4, False,
               ("sidechain",)),
    "disco": W((112, 124), 1, "four_on_floor", "strings", "bass", "brass", None, .8, 0, .7, .35),
    "electronic": W((110, 130), 0, "four_on_floor", "pad", "synth_bass", "lead", "pluck", .7, 0, .6, .45),
    "dubstep": W((138, 142), -1, "halftime", "pad", "synth_bass", "square_lead", None, .9, 0, .5, .3, False,
                 ("drive",)),
    "dnb": W((170, 176), -1, "dnb", "pad", "synth_bass", "lead", None, .9, 0, .6, .4),
    "funk": W((98, 116), 0, "funk", "epiano", "bass", "brass", "guitar", .75, .06, .65, .25, True),
    "disco funk": W((110, 120), 1, "funk", "strings", "bass", "brass"),
    "soul": W((70, 100), 0, "pop", "epiano", "bass", "brass", None, .55, .1, .5, .35, True),
    "rnb": W((68, 96), -1, "halftime", "epiano", "synth_bass", "bell", None, .5, .1, .5, .4, True),
    "gospel": W((72, 100), 1, "pop", "organ", "bass", "piano", None, .6, .15, .55, .45, True),
    "reggae": W((68, 86), 0, "reggae", "organ", "bass", "guitar", "guitar", .55, .05, .5, .35),
    "dub": W((66, 80), -1, "reggae", "organ", "bass", "bell", None, .5, 0, .35, .7),
    "ska": W((140, 170), 1, "reggae", "guitar", "bass", "brass", None, .8),
    "tropical": W((100, 114), 1, "tropical", "pad", "synth_bass", "pluck", "bell", .7, 0, .7, .45),
    "latin": W((96, 112), 0, "tropical", "guitar", "bass", "brass", None, .7, 0, .65, .35),
    "bossa": W((120, 140), 1, "tropical", "guitar", "upright", "flute", None, .4, .05, .55, .35, True),
    "reggaeton": W((88, 98), -1, "tropical", "pad", "808", "pluck", None, .8),
    "waltz": W((84, 108), 0, None, "piano", "upright", "flute", meter=3),
    "ballad": W((64, 80), 0, "halftime", "piano", "bass", "piano", None, .4, 0, .5, .55),
    # a lullaby rocks in three, on a music box over soft piano, with no drums ("a lullaby for
    # my daughter" played as the seed's pop at 120 bpm)
    "lullaby": W((56, 72), 1, "none", "piano", "upright", "bell", "bell", .15, 0, .35, .6, False, drums=False,
                 meter=3, tempo_scale=.85),
    # moods and modifiers
    "upbeat": W(mode=1, energy=.8, tempo_scale=1.12, bright=.7, mood_tempo=(112, 132)),
    "energetic": W(mode=0, energy=.9, tempo_scale=1.12, mood_tempo=(118, 140)),
    "happy": W(mode=1, energy=.7, tempo_scale=1.06, bright=.7, mood_tempo=(104, 128)),
    "uplifting": W(mode=1, energy=.75, reverb=.5),
    "bright": W(mode=1, bright=.85),
    "sad": W(mode=-1, energy=.35, tempo_scale=.88, bright=.35, mood_tempo=(62, 84)),
    "melancholic": W(mode=-1, energy=.35, tempo_scale=.9, bright=.35, reverb=.55, mood_tempo=(62, 88)),
    "melancholy": W(mode=-1, energy=.35, tempo_scale=.9, bright=.35, reverb=.55, mood_tempo=(62, 88)),
    "emotional": W(mode=-1, energy=.5, reverb=.55, mood_tempo=(64, 96)),
    "romantic": W(mode=1, energy=.4, chords="epiano", reverb=.5, sevenths=True, mood_tempo=(66, 100)),
    "dark": W(mode=-1, bright=.25, reverb=.5),
    "dreamy": W(mode=1, chords="pad", arp="bell", bright=.4, reverb=.9, energy=.35, mood_tempo=(68, 100)),
    "chill": W(mode=0, chords="epiano", energy=.35, tempo_scale=.9, bright=.4, reverb=.55, sevenths=True,
               mood_tempo=(70, 95)),
    "calm": W(mode=1, energy=.25, tempo_scale=.85, reverb=.6, mood_tempo=(60, 84)),
    "relaxing": W(mode=1, energy=.25, tempo_scale=.85, reverb=.6, mood_tempo=(60, 84)),
    "aggressive": W(mode=-1, energy=1.0, tempo_scale=1.1, flavors=("drive",), mood_tempo=(128, 160)),
    "soft": W(energy=.3, bright=.4, mood_tempo=(64, 96)),
    "warm": W(bright=.4, chords="epiano"),
    "slow": W(tempo_scale=.8, energy=.35),
    "fast": W(tempo_scale=1.2, energy=.8),
    "heavy": W(energy=1.0, flavors=("drive",)),
    "retro": W(flavors=("lofi",)),
    "vinyl": W(flavors=("lofi",)),
    "funky": W(groove="funk", swing=.06),
    "groovy": W(groove="funk", energy=.7),
}
ALIASES = {
    "lo fi": "lofi", "lo-fi": "lofi", "hip hop": "hiphop", "hip-hop": "hiphop", "boom bap": "boombap",
    "drum and bass": "dnb", "drum n bass": "dnb", "r&b": "rnb", "r and b": "rnb", "k pop": "kpop",
    "k-pop": "kpop", "synth wave": "synthwave", "electric piano": "rhodes", "synthesizer": "synth",
    "synths": "synth", "guitars": "guitar", "pianos": "piano", "orchestra": "orchestral", "string": "strings",
    "violin": "strings", "cello": "strings", "trumpet": "brass", "horns": "brass", "sax": "brass",
    "saxophone": "brass", "electronica": "electronic", "edm": "edm", "chillout": "chill", "chillhop": "lofi",
    "bossa nova": "bossa", "deep house": "house", "tech house": "house", "future bass": "edm",
    "bluesy": "blues", "jazzy": "jazz", "acoustic guitar": "acoustic", "dancehall": "reggaeton",
    # instruments the engine has no sound of its own for play as their nearest family (and
    # are never sung as a song's topic: "Ukulele, Ukulele, never let me go")
    "ukulele": "guitar", "banjo": "guitar", "mandolin": "guitar", "harp": "pluck", "kalimba": "bell",
    "marimba": "bell", "xylophone": "bell", "vibraphone": "bell", "glockenspiel": "bell", "celesta": "bell",
    "accordion": "organ", "harmonica": "organ", "clarinet": "flute", "oboe": "flute", "recorder": "flute",
    "trombone": "brass", "tuba": "brass", "horn": "brass", "viola": "strings", "violins": "strings",
    "fiddle": "strings", "cellos": "strings", "keys": "piano", "keyboard": "piano", "keyboards": "piano",
    "upright bass": "bass", "double bass": "bass", "bassline": "bass",
    "lullabies": "lullaby", "cradle song": "lullaby", "nursery rhyme": "lullaby",
    # song forms that say how they sound ("a sea shanty about pirates" played as pop)
    "shanty": "folk", "shanties": "folk", "hymn": "gospel", "hymns": "gospel",
    "carol": "folk", "carols": "folk", "lament": "sad", "serenade": "romantic",
    # a feeling said in other words plays as the mood it is ("an angry punk anthem" played as
    # punk alone, and "angry" was sung as a thing's colour: "Every angry rent burning bright")
    "angry": "aggressive", "furious": "aggressive", "raging": "aggressive", "rage": "aggressive",
    "hopeful": "uplifting", "motivational": "uplifting", "inspirational": "uplifting", "inspiring": "uplifting",
    "cheerful": "happy", "joyful": "happy", "joyous": "happy",
}
# How a style word read by its short name is written for a person (a take's style label):
# "a bossa nova about Lisbon" was labelled "bossa", "drum and bass" "dnb".
WRITTEN = {"bossa": "bossa nova", "dnb": "drum and bass", "hiphop": "hip hop", "lofi": "lo-fi",
           "rnb": "R&B", "kpop": "K-pop", "boombap": "boom bap", "rhodes": "Rhodes",
           "edm": "EDM", "80s": "'80s"}
# The style words in Spanish, Portuguese, French, German and Italian, written without their
# accents (tokenize reads "electrónica" as "electronica"): a creator's own language plays as
# it would in English ("salsa latina, guitarra, triste").
ALIASES |= {w: style for style, words in {
    "latin": "latina latino latinas latinos salsa cumbia bachata merengue samba tango forro", "reggaeton": "reggaetao",
    "sad": "triste tristes traurig", "happy": "feliz alegre joyeux joyeuse frohlich allegro allegra felice",
    "romantic": "romantica romantico romantique romantisch romantiche", "calm": "tranquila tranquilo calme ruhig",
    "dark": "oscuro oscura sombre dunkel escuro escura", "soft": "suave doux douce sanft dolce",
    "slow": "lenta lento lent lente langsam", "fast": "rapido rapida rapide schnell veloce",
    "epic": "epica epico epique episch", "melancholic": "melancolica melancolico melancolique melancholisch",
    "dreamy": "sonadora sonador reveuse traumerisch sognante", "electronic": "electronique elektronisch elettronica",
    "classical": "clasica clasico classique klassisch classica", "dance": "baile bailable danse tanz dansante",
    "upbeat": "fiesta festa fete", "ballad": "balada ballade ballata", "guitar": "guitarra guitare gitarre chitarra",
    "strings": "violin violon geige violino cuerdas cordes streicher archi", "brass": "trompeta trompette trompete",
    "flute": "flauta flute flote flauto", "organ": "organo orgue orgel", "piano": "klavier pianoforte",
    "acoustic": "acustica acustico acoustique akustisch", "energetic": "energica energico energique energisch",
    "relaxing": "relajante relaxante relaxant entspannend rilassante", "rock": "rockera rockero",
}.items() for w in words.split()}
# German declines its adjectives ("ein trauriges Lied", "traurige Ballade", "dunkle Nacht").
ALIASES |= {stem + ending: ALIASES[word] for word, stem in {
    **{w: w for w in """traurig frohlich romantisch ruhig sanft langsam schnell episch melancholisch traumerisch
elektronisch klassisch akustisch energisch entspannend""".split()}, "dunkel": "dunkl"}.items()
    for ending in ("e", "es", "en", "er", "em")}
# words in negativeTags that remove a role rather than an instrument
NEG_ROLE = {"drums": "drums", "drum": "drums", "percussion": "drums", "beat": "drums", "beats": "drums",
            "bass": "bass", "808": "bass", "melody": "lead", "lead": "lead", "arp": "arp", "arpeggio": "arp"}
NEG_INSTR = {"piano": ("piano", "epiano"), "keys": ("piano", "epiano", "organ"), "guitar": ("guitar", "dist_guitar"),
             "guitars": ("guitar", "dist_guitar"), "strings": ("strings",), "synth": ("pad", "lead", "square_lead",
             "synth_bass"), "synths": ("pad", "lead", "square_lead", "synth_bass"), "pad": ("pad",),
             "pads": ("pad",), "organ": ("organ",), "brass": ("brass",), "flute": ("flute",), "bells": ("bell",),
             "bell": ("bell",), "pluck": ("pluck",), "distortion": ("dist_guitar",),
             "electric guitar": ("dist_guitar",),
             "rhodes": ("epiano",), "saxophone": ("brass",), "sax": ("brass",)}
SAFE = {"chords": "pad", "bass": "synth_bass", "lead": "pluck", "arp": "bell"}


@dataclass(frozen=True)
class Style:
    tempo: float
    beats_per_bar: int
    tonic: int  # pitch class, 0 = C
    mode: str  # "major" | "minor"
    palette: dict  # role -> instrument name (None = role silent)
    extras: tuple[str, ...]  # extra layers chosen by the seed, rendered as a second chords/lead voice
    groove: str
    energy: float
    swing: float
    brightness: float
    reverb: float
    sevenths: bool
    flavors: frozenset
    weirdness: float = 0.0
    style_weight: float = 0.5
    tempo_exact: bool = False
    key_exact: bool = False
    words: tuple[str, ...] = ()
    text: str = ""
    removed: frozenset = field(default_factory=frozenset)

    @property
    def key_name(self) -> str:
        return NOTE_NAMES[self.tonic]

    @property
    def scale(self) -> tuple[int, ...]:
        return (0, 2, 4, 5, 7, 9, 11) if self.mode == "major" else (0, 2, 3, 5, 7, 8, 10)

    def with_key(self, tonic: int, mode: str) -> Style:
        return replace(self, tonic=tonic % 12, mode=mode, key_exact=True)

    def with_tempo(self, tempo: float) -> Style:
        return replace(self, tempo=float(tempo), tempo_exact=True)

    def without(self, role: str) -> Style:
        return replace(self, palette={**self.palette, role: None})


def stable_hash(*parts) -> int:
    """A process-independent hash (Python's hash() is salted per process)."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(h[:8], "little")


def rng_for(*parts) -> np.random.Generator:
    return np.random.default_rng(stable_hash(*parts))


def _clip01(v, default: float) -> float:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return default
    return float(min(1.0, max(0.0, v))) if np.isfinite(v) else default


_KEY_RE = re.compile(
    r"(?:\b(?:in|key(?:\s+of)?|key:)\s+([a-g])(#|♯|b|♭|\s+sharp|\s+flat)?(?:\s*(major|minor|maj|min|m)\b)?)"
    r"|(?:\b([a-g])(#|♯|b|♭|\s+sharp|\s+flat)?\s*(major|minor)\b)", re.I)
_BPM_RE = re.compile(r"(\d{2,3}(?:\.\d+)?)\s*-?\s*bpm\b", re.I)


def parse_key(text: str) -> tuple[int, str | None] | None:
    """'in D minor' → (2, 'minor'); 'key of F#' → (6, None); None when no key is named."""
    m = _KEY_RE.search(text)
    if not m:
        return None
    letter, acc, qual = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    pc = _PITCH[letter.lower()]
    acc = (acc or "").strip().lower()
    if acc in ("#", "♯", "sharp"):
        pc += 1
    elif acc in ("b", "♭", "flat"):
        pc -= 1
    mode = None
    if qual:
        q = qual.lower()
        mode = "minor" if q in ("minor", "min", "m") else "major"
    return pc % 12, mode


def key_named(name: str) -> tuple[int, str]:
    """A key as the sounds API names it: "Cm" → (0, 'minor'), "F#" → (6, 'major')."""
    tonic = _PITCH[name[0].lower()] + (1 if "#" in name else 0)
    return tonic % 12, "minor" if name.endswith("m") else "major"


PLAYABLE_TEMPO = (40.0, 240.0)  # what the arranger writes for; parse_bpm reads only these


def playable_tempo(bpm: float) -> float:
    """`bpm` brought into PLAYABLE_TEMPO by halving or doubling: 300 BPM plays as 150 (the
    same beat, counted in half time), 20 as 40."""
    low, high = PLAYABLE_TEMPO
    while bpm > high:
        bpm /= 2
    while bpm < low:
        bpm *= 2
    return bpm


def parse_bpm(text: str) -> float | None:
    m = _BPM_RE.search(text)
    if not m:
        return None
    bpm = float(m.group(1))
    return bpm if PLAYABLE_TEMPO[0] <= bpm <= PLAYABLE_TEMPO[1] else None


def fold(text: str) -> str:
    """`text` in lower case with its accents taken off ("Electrónica" → "electronica")."""
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()


def tokenize(text: str) -> list[str]:
    """Known multi-word names first ('hip hop', 'drum and bass'), then single words, each
    read without its accents ("música electrónica" was "m", "sica", "electr", "nica")."""
    t = " " + re.sub(r"[^a-z0-9&#/+ ]+", " ", fold(text).replace("-", " ")) + " "
    found: list[tuple[int, str]] = []
    for phrase in sorted(ALIASES, key=len, reverse=True):
        p = " " + phrase.replace("-", " ") + " "
        while p in t:
            i = t.index(p)
            found.append((i, ALIASES[phrase]))
            t = t[:i] + " " + "_" * (len(p) - 2) + " " + t[i + len(p):]
    for m in re.finditer(r"[a-z0-9&#/+]+", t):
        w = m.group(0)
        if w.startswith("_"):
            continue
        found.append((m.start(), ALIASES.get(w, w)))
    return [w for _, w in sorted(found)]


_STOP = {"and", "with", "the", "a", "an", "of", "in", "to", "for", "music", "song", "style", "vibe", "vibes",
         "beat", "track", "feat", "ft", "vocals", "vocal", "male", "female", "voice", "singer", "bpm", "key",
         "major", "minor", "sharp", "flat", "instrumental", "very", "some", "like", "on", "at", "by", "mood"}


@dataclass(frozen=True)
class _SeedSong:
    """The seed's own song, used where the style has no opinion (and blended by styleWeight)."""

    tempo: float
    mode: str
    groove: str
    palette: dict
    energy: float
    tonic: int


@dataclass
class _Unknown:
    """What words the style table does not know still do: each nudges tempo, mode and
    brightness by its hash, and one in three brings an instrument."""

    tempo_nudge: float = 0.0
    mode_vote: float = 0.0
    bright_nudge: float = 0.0
    instruments: list = field(default_factory=list)


def parse_style(text: str, *, negative: str = "", seed: int = 0, style_weight=None,
                weirdness=None) -> Style:
    """Style text -> the music's settings, in steps: the seed's defaults, the words' tempo,
    key, palette and extras, then what the negative tags remove. The random draws happen in
    this order, so a (text, seed) pair always makes the same song."""
    text = text or ""
    w = _clip01(style_weight, 0.5)
    x = _clip01(weirdness, 0.0)
    neg_tokens = set(tokenize(negative or ""))
    neg_raw = {s.strip().lower() for s in re.split(r"[,;]", negative or "") if s.strip()}
    tokens = [t for t in tokenize(text) if t not in neg_tokens]
    rng = rng_for("style-defaults", seed)
    seed_song = _seed_song(rng)
    known = [WORDS[t] for t in tokens if t in WORDS]
    unknown = _unknown_words(tokens)

    tempo, tempo_exact = _tempo(text, known, unknown, seed_song, w, rng)
    tonic, mode, key_exact = _key(text, tokens, known, unknown, seed_song)
    groove, palette = _palette(known, seed_song, rng)
    energies = [k.energy for k in known if k.energy is not None]
    energy = float(np.mean(energies)) if energies else seed_song.energy
    swing = _first(known, "swing", 0.0)
    bright = float(np.clip(_first(known, "bright", 0.55) + unknown.bright_nudge, 0.1, 1.0))
    reverb = _first(known, "reverb", 0.4)
    sevenths = _first(known, "sevenths", bool(rng.random() < 0.3))
    flavors = frozenset(f for k in known for f in k.flavors)
    meter = _first(known, "meter", None)
    if re.search(r"\b(3/4|6/8|waltz)\b", text.lower()):
        meter = 3
    extras = _extras(palette, unknown, w, rng)
    removed = _remove_negative(palette, neg_raw | neg_tokens)
    extras = [e for e in extras if e not in removed]

    return Style(tempo=float(tempo), beats_per_bar=meter or 4, tonic=int(tonic), mode=mode, palette=palette,
                 extras=tuple(extras), groove=groove if palette["drums"] else "none", energy=energy,
                 swing=float(swing), brightness=bright, reverb=float(reverb), sevenths=bool(sevenths),
                 flavors=flavors, weirdness=x, style_weight=w, tempo_exact=tempo_exact, key_exact=key_exact,
                 words=tuple(tokens), text=text, removed=frozenset(removed))


def _seed_song(rng) -> _SeedSong:
    tempo = float(rng.uniform(72, 136))
    mode = "minor" if rng.random() < 0.5 else "major"
    groove = str(rng.choice(["pop", "four_on_floor", "boombap", "halftime", "funk", "synthwave", "folk"]))
    palette = {r: str(rng.choice(INSTRUMENTS[r])) for r in ("chords", "bass", "lead", "arp")}
    energy = float(rng.uniform(0.45, 0.75))
    return _SeedSong(tempo=tempo, mode=mode, groove=groove, palette=palette, energy=energy,
                     tonic=int(rng.integers(12)))


def _unknown_words(tokens: list[str]) -> _Unknown:
    out = _Unknown()
    for u in tokens:
        if u in WORDS or u in _STOP or u.isdigit() or re.fullmatch(r"\d+(bpm)?|[a-g][#b]?|\d/\d", u):
            continue
        h = stable_hash("word", u)
        out.tempo_nudge += ((h & 0xFF) / 255 - 0.5) * 16
        out.mode_vote += (1 if (h >> 8) & 1 else -1) * 0.5
        out.bright_nudge += (((h >> 9) & 0xFF) / 255 - 0.5) * 0.2
        if (h >> 17) % 3 == 0:
            role = ("chords", "lead", "arp")[(h >> 19) % 3]
            out.instruments.append(INSTRUMENTS[role][(h >> 21) % len(INSTRUMENTS[role])])
    return out


def _tempo(text: str, known: list, unknown: _Unknown, seed_song: _SeedSong, w: float, rng) -> tuple[float, bool]:
    """The words' tempo range blended with the seed's by styleWeight; "120 bpm" is exact. A
    genre's range comes first and a mood scales it ("sad rock" is slower rock); with no genre,
    the mood's own range stands instead ("sad, soft, piano" is a slow song, not the seed's 110)."""
    ranges = [k.tempo for k in known if k.tempo]
    lo = hi = 0.0
    if not ranges and any(k.mood_tempo for k in known):
        ranges = [k.mood_tempo for k in known if k.mood_tempo]
        known = [k for k in known if not k.mood_tempo]  # its range already says how fast
        # moods agree where their ranges meet ("sad, soft" is as slow as sad)
        lo, hi = max(r[0] for r in ranges), min(r[1] for r in ranges)
    if ranges:
        if lo >= hi:  # genres, or moods that do not meet: between them
            lo = float(np.mean([r[0] for r in ranges]))
            hi = float(np.mean([r[1] for r in ranges]))
        style_tempo = float(rng.uniform(lo, hi))
        tempo = seed_song.tempo + (0.5 + 0.5 * w) * (style_tempo - seed_song.tempo)
    else:
        tempo = seed_song.tempo
    for k in known:
        tempo *= k.tempo_scale
    tempo = round(float(np.clip(tempo + unknown.tempo_nudge * (1.0 if not ranges else 0.3), 56, 190)))
    bpm = parse_bpm(text)
    return (bpm, True) if bpm else (tempo, False)


def _key(text: str, tokens: list, known: list, unknown: _Unknown, seed_song: _SeedSong) -> tuple[int, str, bool]:
    """Mode by the words' vote, tonic by their hash; "in D minor" is exact."""
    vote = sum(k.mode for k in known) + unknown.mode_vote
    mode = seed_song.mode if vote == 0 else ("major" if vote > 0 else "minor")
    tonic = (seed_song.tonic + stable_hash("tonic", *tokens) % 12) % 12 if tokens else seed_song.tonic
    key = parse_key(text)
    if key:
        return key[0], key[1] or mode, True
    return tonic, mode, False


def _first(known: list, attr: str, default):
    """The first opinion of the style's known words on `attr`, else `default`."""
    for k in known:
        v = getattr(k, attr)
        if v is not None:
            return v
    return default


_INSTRUMENT_WORDS = ("piano", "guitar", "strings", "808", "bass", "synth", "organ", "flute", "bell", "bells",
                     "brass", "pluck", "rhodes")


def _palette(known: list, seed_song: _SeedSong, rng) -> tuple[str, dict]:
    """Groove and instruments per role: the words' choice, else the seed's. An instrument the
    style names plays its roles before a genre's choice: "sea shanty folk, accordion" is heard
    on the accordion's organ, not only folk's guitar and flute."""
    groove = _first(known, "groove", seed_song.groove)
    named = [k for k in known if any(k is WORDS[n] for n in _INSTRUMENT_WORDS)]
    by_role = named + [k for k in known if k not in named]
    palette = {r: _first(by_role, r, seed_song.palette[r]) for r in ("chords", "bass", "lead", "arp")}
    if _first(known, "arp", None) is None and not known:
        palette["arp"] = seed_song.palette["arp"] if rng.random() < 0.5 else None
    elif _first(known, "arp", None) is None:
        palette["arp"] = None
    drums = _first(known, "drums", True) and groove != "none"
    palette["drums"] = "kit" if drums else None
    return groove, palette


def _extras(palette: dict, unknown: _Unknown, w: float, rng) -> list[str]:
    """Instruments the style did not ask for: unknown words' own, and fewer as styleWeight rises."""
    n_extra = int(round(2 * (1 - w)))
    pool = [i for i in ("strings", "pad", "bell", "pluck", "piano", "flute", "organ") if i not in palette.values()]
    extras = list(dict.fromkeys(unknown.instruments))
    for _ in range(n_extra):
        if pool:
            extras.append(pool.pop(int(rng.integers(len(pool)))))
    return extras


def _remove_negative(palette: dict, negative: set[str]) -> set[str]:
    """Negative tags drop roles and instruments (in place), then emptied roles get something
    allowed; the removed names, for extras and later extensions to respect."""
    removed: set[str] = set()
    for n in negative:
        if n in NEG_ROLE:
            palette[NEG_ROLE[n]] = None
            removed.add(NEG_ROLE[n])
        for instr in NEG_INSTR.get(n, ()):
            removed.add(instr)
    for role in ("chords", "bass", "lead", "arp"):
        if palette[role] in removed:
            options = [i for i in INSTRUMENTS[role] if i not in removed]
            palette[role] = None if role == "arp" else (SAFE[role] if SAFE[role] not in removed else
                                                        (options[0] if options else None))
    if "drums" in removed:
        palette["drums"] = None
    return removed


# Style boost: how the parser's instruments and settings are said in words it reads back
# the same way, so a boosted style renders what it describes.
_SAY_INSTRUMENT = {"pad": "synth", "piano": "piano", "epiano": "rhodes", "organ": "organ",
                   "strings": "strings", "guitar": "guitar", "dist_guitar": "guitar",
                   "bass": "bass", "synth_bass": "synth", "808": "808", "upright": "bass",
                   "lead": "synth", "square_lead": "synth", "pluck": "pluck", "bell": "bells",
                   "flute": "flute", "brass": "brass"}
BOOST_LIMIT = 200  # fits every model's style field (V4's 200 is the smallest)


def boost_style(text: str) -> str:
    """A short style grown into a richer one the local engine reads the same way: the
    creator's own words first, then the instruments, tempo, key, mood and production the
    engine would pick for them, spelled as words it knows (an exact bpm and key, so the boosted
    style pins what the short one left to chance)."""
    text = re.sub(r"\s+", " ", text or "").strip(" ,")
    style = parse_style(text, seed=stable_hash("boost", text.lower()))
    said = [text] if text else []
    heard = set(tokenize(text))

    def add(word: str) -> None:
        if word not in heard:
            heard.add(word)
            said.append(word)

    for role in ("chords", "bass", "lead", "arp"):
        instrument = style.palette.get(role)
        if instrument:
            add(_SAY_INSTRUMENT.get(instrument, instrument))
    for extra in style.extras:
        add(_SAY_INSTRUMENT.get(extra, extra))
    if not style.tempo_exact:
        add(f"{round(style.tempo)} bpm")
    if not style.key_exact and parse_key(text) is None:
        add(f"in {style.key_name} {style.mode}")
    add("energetic" if style.energy >= 0.75 else "calm" if style.energy <= 0.35 else
        ("uplifting" if style.mode == "major" else "emotional"))
    add("bright" if style.brightness >= 0.6 else "warm")
    if "lofi" in style.flavors:
        add("vinyl")
    boosted = ", ".join(said)
    while len(boosted) > BOOST_LIMIT and len(said) > 1:
        said.pop()
        boosted = ", ".join(said)
    return boosted[:BOOST_LIMIT]
