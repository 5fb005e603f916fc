"""Lyrics and titles in German, for an idea written in it ("ein trauriges Lied über den Sommer
mit meiner Schwester" was sung in English: "Hold on, the sommer is calling").

Romance's writer writes them (romance.write_lyrics): the same couplets drawn in turn, the same
moods; what differs is German's grammar. A German article says a noun's case as well as its
gender, so a thing cannot keep the article the idea gave it ("über den Sommer" is "mit dem
Sommer" after "mit"). Each thing is kept as a Noun, its gender read from the article the idea
wrote (with the preposition before it, which says the case) or, where that leaves a choice,
from the noun itself (a few hundred common nouns, compounds by their last part, and the
endings that say it: -ung, -heit, -chen...); the lines then ask for it in the case they need:
{n} nominative, {a} accusative, {d} dative ({b} and {e}: a second thing, accusative and
dative), {A} called out. As in the romance languages, a thing is never a subject a verb agrees
with, so a plural reads as well as a singular. Adjectives in the idea are left out (German
declines them too).
"""
from __future__ import annotations

import re

from .nouns import FIRST_NAMES, PLACE_NAMES
from .romance import Language, _joining
from .style import ALIASES, fold

WORD = r"[A-Za-zÀ-ÖØ-öø-ſ]+"
CASES = ("n", "a", "d")


def _words(text: str) -> frozenset:
    return frozenset(text.split())


class Noun(str):
    """A thing in the nominative ("der Sommer", "meine Mutter", "Berlin"), which knows its
    other cases: `det` the determiner's stem ("d" the definite article, "ein", "mein",
    "dein", "sein", "ihr", "unser", "euer"; "" none: a name, or a noun said bare), and its
    `gender` (m, f, n, or pl)."""

    noun: str
    det: str
    gender: str

    def __new__(cls, noun: str, det: str = "", gender: str = "m"):
        self = super().__new__(cls, _phrase(noun, det, gender, "n"))
        self.noun, self.det, self.gender = noun, det, gender
        return self

    def case(self, case: str) -> str:
        return _phrase(self.noun, self.det, self.gender, case)


_DEFINITE = {"n": {"m": "der", "f": "die", "n": "das", "pl": "die"},
             "a": {"m": "den", "f": "die", "n": "das", "pl": "die"},
             "d": {"m": "dem", "f": "der", "n": "dem", "pl": "den"}}
_ENDINGS = {"n": {"m": "", "f": "e", "n": "", "pl": "e"},  # of ein, mein, dein...
            "a": {"m": "en", "f": "e", "n": "", "pl": "e"},
            "d": {"m": "em", "f": "er", "n": "em", "pl": "en"}}
_POSSESSIVES = ("mein", "dein", "sein", "ihr", "unser", "euer")


def _phrase(noun: str, det: str, gender: str, case: str) -> str:
    if gender == "pl" and case == "d" and not noun.endswith(("n", "s")):
        noun += "n"  # "mit den Kindern", "den Sternen"
    if not det or (det == "ein" and gender == "pl"):
        return noun
    if det == "d":
        return f"{_DEFINITE[case][gender]} {noun}"
    ending = _ENDINGS[case][gender]
    stem = "eur" if det == "euer" and ending else det
    return f"{stem}{ending} {noun}"


# What each written form of a determiner may be: (gender, case) pairs; "g" the genitive.
def _forms(stem: str) -> dict[str, set]:
    forms: dict[str, set] = {}
    for case, endings in _ENDINGS.items():
        for gender, ending in endings.items():
            if not (stem == "ein" and gender == "pl"):
                written = ("eur" if stem == "euer" and ending else stem) + ending
                forms.setdefault(written, set()).add((gender, case))
    forms.setdefault(stem + "er", set()).update({("f", "g"), ("pl", "g")})
    forms.setdefault(("eur" if stem == "euer" else stem) + "es", set()).update({("m", "g"), ("n", "g")})
    return forms


def _determiner_table() -> dict[str, tuple[str, set]]:
    """Every written determiner: (its stem, what it may be)."""
    table: dict[str, tuple[str, set]] = {}
    for stem in ("ein", *_POSSESSIVES):
        for written, readings in _forms(stem).items():
            table[written] = (stem, readings)
    for case, articles in _DEFINITE.items():
        for gender, article in articles.items():
            table.setdefault(article, ("d", set()))[1].add((gender, case))
    table["der"][1].update({("f", "g"), ("pl", "g")})
    table["des"] = ("d", {("m", "g"), ("n", "g")})
    return table


_DETERMINERS = _determiner_table()
# a preposition and its article in one word: (the preposition, the article)
_CONTRACTED = {"im": ("in", "dem"), "am": ("an", "dem"), "zum": ("zu", "dem"), "zur": ("zu", "der"),
               "vom": ("von", "dem"), "beim": ("bei", "dem"), "ins": ("in", "das"), "ans": ("an", "das")}
# the cases a preposition takes
_GOVERNS = {**dict.fromkeys("mit von zu aus bei nach seit gegenüber".split(), {"d"}),
            **dict.fromkeys("für durch ohne um gegen bis".split(), {"a"}),
            **dict.fromkeys("in an auf über unter vor hinter neben zwischen".split(), {"a", "d"}),
            **dict.fromkeys("wegen während trotz statt".split(), {"g"})}

# Common nouns by gender; a compound is its last part's ("Sommernacht" as "Nacht").
_GENDERS = {
    "m": _words("""sommer winter herbst frühling mond himmel regen wind schnee stern traum vater papa opa
bruder sohn freund mann hund weg fluss wald berg strand morgen abend tag hafen zug abschied schmerz kuss
ozean see gang garten baum platz tanz sturm frieden mut held könig engel vogel fisch kater schatz liebling
moment augenblick anfang brief ring mai juni juli august september oktober november dezember januar februar
märz april montag sonntag samstag freitag regenbogen sonnenschein himmel nebel donner blitz schatten
kaffee wein tee ball sand stein felsen hügel süden norden westen osten horizont planet kosmos raum
zauber wunsch glaube wille lehrer onkel cousin nachbar junge enkel mensch kollege partner bär wolf
löwe vogel spiegel koffer schlüssel tisch stuhl sessel teppich markt laden park bahnhof flughafen
urlaub feierabend geburtstag himmelsblau tod krieg sieg kampf frost hunger durst duft klang ton"""),
    "f": _words("""nacht liebe mutter mama oma schwester tochter freundin frau stadt welt zeit sonne straße
hoffnung sehnsucht erinnerung heimat kindheit freiheit reise stille wärme seele hand zukunft freundschaft
musik insel küste stimme luft erde blume rose katze brücke geschichte familie jugend party tante cousine
nachbarin lehrerin großmutter oma braut wiese wüste quelle welle flut ebbe sonne wolke nacht dämmerung
mitternacht woche ewigkeit wahrheit träne angst freude trauer liebste gitarre straßenbahn bahn kirche
schule arbeit küche tür wand mauer treppe bank burg stadt gasse allee landschaft natur kälte hitze
zeit uhr stunde minute sekunde sonnenblume tulpe lilie birke eiche tanne linde kerze lampe flamme
glut asche farbe sprache melodie poesie fantasie energie harmonie magie galaxie sonnenwende"""),
    "n": _words("""meer herz licht leben haus kind lied land feuer wasser glück jahr auto mädchen baby zuhause
dorf fenster gefühl geheimnis wetter ende tal schiff boot pferd feld gold spiel bild wort glas zimmer bett
ufer paradies abenteuer wochenende lachen weinen morgenrot abendrot blau rot grün gras moos blatt
eis silber herzchen kätzchen vögelchen zelt café restaurant hotel kino theater konzert fest
wunder märchen gedicht buch foto album telefon handy radio klavier orchester gebirge gewitter
universum all sternbild firmament schicksal vertrauen heimweh fernweh lächeln schweigen flüstern
träumen tanzen singen bier brot essen geschenk versprechen"""),
}
_SUFFIXES = (("ung heit keit schaft ion tät ei ie ik ur in", "f"), ("chen lein um ment tum nis", "n"),
             ("ling ismus ich ig er", "m"))
# people and animals: never in a line of a place; a compound is one of them by its last part
_BEINGS = _words("""mutter mama mami oma vater papa papi opa bruder schwester sohn tochter freund freundin
freunde freundinnen mann frau kind kinder baby tante onkel cousin cousine nachbar nachbarin lehrer lehrerin
liebling schatz liebste liebster hund hunde katze katzen kater pferd vogel junge mädchen enkel enkelin
eltern familie mensch menschen leute braut bräutigam held engel""")


def _last_part(noun: str, table) -> str:
    """The entry of `table` that `noun` is or ends with (its last part: "großmutter" is a
    "mutter"), the longest; "" for none. A part must leave three letters or none before it
    ("aroma" is no "oma")."""
    for start in range(len(noun) - 2):
        part = noun[start:]
        if frozenset.__contains__(table, part) and (start == 0 or start >= 3):
            return part
    return ""


def is_being(noun: str) -> bool:
    return bool(_last_part(noun.lower(), _BEINGS))


def guess_gender(noun: str, choices=("m", "f", "n", "pl")) -> str:
    """`noun`'s gender among `choices` (what the idea's article allows): from the common nouns
    (by the last part of a compound), a plural of one, the endings that say it, else the
    first choice."""
    low = noun.lower()
    known = max(((_last_part(low, words), gender) for gender, words in _GENDERS.items()), key=lambda p: len(p[0]))
    if "pl" in choices and not known[0]:  # a plural of a known noun: "Sterne", "Straßen", "Kinder"
        for ending in ("en", "n", "e", "er", "s"):
            if low.endswith(ending) and any(_last_part(low[:-len(ending)], words) for words in _GENDERS.values()):
                return "pl"
    if known[0]:  # the noun's own, even where the idea's article says otherwise ("mit den Mond")
        return known[1]
    for endings, gender in _SUFFIXES:
        if gender in choices and low.endswith(tuple(endings.split())):
            return gender
    if "f" in choices and low.endswith("e"):
        return "f"
    return choices[0]


# Feelings, sung without an article ("mit Liebe", "voller Sehnsucht") where the idea gives none.
_BARE = _words("""liebe sehnsucht freiheit hoffnung glück heimweh fernweh frieden mut vertrauen freude trauer
angst zauber magie fantasie musik""")

# Never a thing: the song itself and how it sounds, and what a sentence starts with.
_STOP = _words("""lied lieder song songs musik melodie ballade stück text stimme gesang refrain strophe rhythmus
beat stil tempo minute minuten sekunden version liebeslied wiegenlied schlaflied kinderlied popsong rocksong
der die das den dem des ein eine einen einem einer eines und oder aber mit für über von zu im am auf aus bei
nach seit durch ohne um gegen bis in an unter vor hinter neben zwischen zum zur vom beim ins ans ich du er sie
es wir ihr mich dich mir dir uns euch sehr ganz viel mehr nicht kein keine etwas alles immer nie heute morgen
mein meine meinen meinem meiner dein deine sein seine unser unsere wenn als wie wo weil dass so""")
_STYLE = {fold(w) for w in ALIASES}


def things(idea: str) -> list[tuple[str, Noun]]:
    """The idea's things in order, each once, as (the noun in lower case, its Noun): German
    writes every noun with a capital, so a capitalised word is a thing, with the determiner
    the idea gave it ("über den Sommer": der Sommer; "mit meiner Schwester": meine
    Schwester; "in Berlin": Berlin); adjectives between them are passed over. A place or a
    first name typed in lower case is one too ("ein Lied für berlin" was "Lied ohne Namen")."""
    out: dict[str, Noun] = {}
    preposition, determiner = "", None
    for i, word in enumerate(re.findall(WORD, idea or "")):
        low = word.lower()
        if (low in PLACE_NAMES or low in FIRST_NAMES) and low not in _STOP:
            word = word.capitalize()
        if low in _CONTRACTED:
            preposition, article = _CONTRACTED[low]
            determiner = _DETERMINERS[article]
            continue
        if low in _GOVERNS:
            preposition, determiner = low, None
            continue
        if low in _DETERMINERS:
            determiner = _DETERMINERS[low]
            continue
        if not word[0].isupper() or (i == 0 and low in _STOP):
            if word[0].isupper() or low in _STOP:
                preposition, determiner = "", None
            continue  # an adjective before its noun keeps the determiner waiting
        if low not in _STOP and fold(low) not in _STYLE and len(low) >= 3:
            noun = _noun(word, preposition, determiner)
            out.setdefault(noun.noun.lower(), noun)
        preposition, determiner = "", None
    return list(out.items())


def _noun(word: str, preposition: str, determiner) -> Noun:
    if determiner is None:  # a name, or a feeling, said bare ("Berlin", "Liebe"); a thing with "der"
        named = word.lower() in PLACE_NAMES or word.lower() in FIRST_NAMES  # not "der Hamburg" (die Burg)
        known = not named and word.lower() not in _BARE and any(_last_part(word.lower(), words)
                                                                for words in _GENDERS.values())
        return Noun(word, "d", guess_gender(word, ("m", "f", "n"))) if known else Noun(word)
    stem, readings = determiner
    cases = _GOVERNS.get(preposition, {"n", "a"})
    genders = [g for g in ("m", "f", "n", "pl") for c in sorted(cases) if (g, c) in readings] or \
        [g for g, _case in sorted(readings)]
    gender = guess_gender(word, tuple(dict.fromkeys(genders)))
    if gender == "pl" and "d" in cases and ("pl", "d") in readings:
        word = _undative(word)
    return Noun(word, stem, gender)


def _undative(plural: str) -> str:
    """A plural as the dative writes it, as the nominative does: "Freunden" Freunde,
    "Kindern" Kinder; "Frauen" (a feminine's plural is -en in every case) stays."""
    low = plural.lower()
    if low.endswith("ern") and any(_last_part(low[:-3], words) for words in _GENDERS.values()):
        return plural[:-1]
    if low.endswith("en") and guess_gender(plural[:-2], ("m", "f", "n")) != "f" and \
            any(_last_part(low[:-2], words) for gender, words in _GENDERS.items() if gender != "f"):
        return plural[:-1]
    return plural


def slots(lang, a: tuple[str, Noun], b: tuple[str, Noun] | None, ing: str) -> dict:
    """A couplet's words for things `a` and `b` (romance.write_lyrics): each case of each."""
    words = {c: a[1].case(c) for c in CASES}
    words["A"] = a[1] if a[1].det in _POSSESSIVES else a[1].noun  # "Sommer, Sommer", "meine Mutter"
    if b is not None:
        words |= {"b": b[1].case("a"), "e": b[1].case("d")}
    return words


def _about(prefix: str, said: str) -> str:
    """The title of what an idea is about ("Lied über den kalten Winter": "Der Winter") or for
    ("für meine kleine Schwester": "Für meine Schwester"), in the case the preposition takes."""
    found = things(f"{prefix}{said}")
    if not found:
        return ""
    noun = found[0][1]
    return f"{prefix}{noun.case('a')}" if prefix else noun


def _declined(adjectives: str) -> frozenset:
    """Each adjective as the idea may write it: "traurig", "ein trauriges Lied", "traurige"."""
    return frozenset(a + ending for a in adjectives.split() for ending in ("", "e", "es", "en", "er", "em"))


class _Compounds(frozenset):
    """Words, and the compounds that end in one ("Großmutter" is a "Mutter")."""

    def __contains__(self, word) -> bool:
        return bool(_last_part(word, frozenset(self)))


GERMAN = Language(
    times=_words("sommer winter herbst frühling fruhling nacht morgen abend tag mittag mitternacht sonntag "
                 "geburtstag feier hochzeit party fest weihnachten konzert reise urlaub"),
    code="de",
    articles=frozenset(_DETERMINERS),
    stop=_STOP,
    beings=_Compounds(_BEINGS),
    quiet=_declined("traurig leise ruhig sanft langsam einsam melancholisch entspannend still") | _words(
        "schlaf schlafen wiegenlied schlaflied abschied tränen sehnsucht einsamkeit stille heimweh"),
    lively=_declined("fröhlich froh sonnig wild laut") | _words(
        "party tanzen tanz feiern fest geburtstag disco sommerparty energie"),
    banks={
        "verse": [
            ("Ich denk an {a}, wenn es Abend wird", "und mein Herz sich in der Nacht verirrt"),
            ("Ich geh mit {d} durch die stille Stadt", "die so viele Lichter hat"),
            ("Alles erinnert mich an {a} heut Nacht", "bis der Morgen leise erwacht"),
            ("Ich trag {a} tief in meinem Herzen", "wie ein Licht aus tausend Kerzen"),
            ("Zwischen {d} und {e} hab ich mich verloren", "und wurde dort ein zweites Mal geboren"),
            ("Mit {d} vergehen die Stunden leise", "wie auf einer langen Reise"),
            ("Ich seh {a} im ersten Morgenlicht", "und halte fest, was nie zerbricht"),
            ("In {d} liegt ein Geheimnis still verborgen", "das erzähl ich dir erst morgen"),
            ("In den Gassen von {d} bin ich aufgewacht", "und hab zum ersten Mal gelacht"),
            ("Nah bei {d} geht der Tag zu Ende", "und ich halte deine Hände"),
            ("Ich mal {a} in den Sand hinein", "und die Wellen waschen alles rein"),
            ("Im Regen such ich {a} ohne Ruh", "und der Himmel weint dazu"),
            ("Es gibt in {d} einen Ort nur für mich", "und dort warte ich auf dich"),
            ("Ich lauf mit {d} durch die Nacht", "bis die Sonne wieder lacht"),
            ("Ich träum von {d}, wenn die Sterne stehn", "und kann die alten Zeiten sehn"),
            ("Ich hab {a} nie vergessen, nein", "du wirst immer bei mir sein"),
            ("Über {d} ziehen Wolken schwer", "und ich vermiss dich so sehr"),
            ("Ich schick {d} einen Gruß nach Haus", "und der Wind trägt ihn hinaus"),
            ("Seit {d} ist nichts mehr, wie es war", "doch eins ist mir jetzt klar"),
            ("Mit {d} fing alles an", "und ich glaub noch heute dran"),
        ],
        "chorus": [
            ("Für {a} sing ich heut mein Lied", "für alles, was mit uns geschieht"),
            ("{A}, ich bitt dich, lass mich nicht gehn", "ohne dich kann ich nicht bestehn"),
            ("Eines Tages komm ich heim zu {d} zurück", "mit einem Herzen voller Glück"),
            ("Mit dir und {d}, bis der Morgen graut", "hab ich mir mein Leben aufgebaut"),
            ("Oh {A}, trag mich weit hinaus", "und bring mich sicher nach Haus"),
            ("Schlaf jetzt ein, ich bleib bei dir", "und träum mit dir von {d} hier"),
            ("Nichts als {n} und du", "und die ganze Welt kommt zur Ruh"),
            ("Sing mit mir für {a} noch einmal", "heute Nacht ist alles egal"),
            ("Auch wenn die Jahre gehn, {A}, wart ich auf dich", "denn du bist einfach alles für mich"),
            ("Ich denk an {a} bei Tag und bei Nacht", "du hast mir so viel Licht gebracht"),
            ("Halt mich fest, {A}, heut Nacht", "bis das erste Licht erwacht"),
        ],
        "pre-chorus": [
            ("Und ich weiß, in {d} wartet wer auf mich", "hinterm Horizont, ganz sicherlich"),
            ("Atme tief und zähl bis drei", "mit {d} bin ich frei"),
            ("Schließ die Augen, fürchte nichts", "bei {d} im Schein des Lichts"),
            ("Und wenn der letzte Regen fällt", "bleib ich bei {d} in dieser Welt"),
        ],
        "bridge": [
            ("Und geh ich je von {d} fort", "dann bleibt mein Herz an diesem Ort"),
            ("Zwischen {d} und {e} hab ich verstanden", "wie wir am Ende zueinander fanden"),
            ("Sag, denkst du noch an {a} wie ich", "an jene Nacht voll Kerzenlicht"),
            ("Alles wandelt sich, doch {a} vergess ich nie", "wie eine alte Melodie"),
        ],
        "intro": [
            ("Aus dem Echo von {d} wird dieser Klang", "leise und sanft wie ein Gesang"),
            ("Hier beginnt, {A}, unser Lied", "leise, wie der Wind, der zieht"),
        ],
        "outro": [
            ("Ich sag {d} Lebewohl am Schluss", "wie ein Stern mit einem letzten Kuss"),
            ("Gute Nacht, {A}, bis morgen dann", "wenn der neue Tag beginnen kann"),
        ],
    },
    place_lines=frozenset({"In {d} liegt ein Geheimnis still verborgen", "In den Gassen von {d} bin ich aufgewacht",
                           "Es gibt in {d} einen Ort nur für mich", "Über {d} ziehen Wolken schwer",
                           "Seit {d} ist nichts mehr, wie es war", "Und ich weiß, in {d} wartet wer auf mich"}),
    lively_lines=frozenset({"Oh {A}, trag mich weit hinaus", "Mit dir und {d}, bis der Morgen graut",
                            "Sing mit mir für {a} noch einmal"}),
    quiet_lines=frozenset({"Schlaf jetzt ein, ich bleib bei dir", "Schließ die Augen, fürchte nichts"}),
    fallback=(Noun("Mond", "d", "m"), Noun("Meer", "d", "n"), Noun("Nacht", "d", "f"), Noun("Himmel", "d", "m"),
              Noun("Stadt", "d", "f"), Noun("Wind", "d", "m"), Noun("Sommer", "d", "m")),
    gerund_endings=(),  # German has none: its lines ask for none
    gerunds={"quiet": [""], "lively": [""], None: [""]},
    article_for=lambda noun: "",  # unused: things() reads each noun's gender (find)
    contract=_joining({("in", "dem"): "im", ("an", "dem"): "am", ("zu", "dem"): "zum", ("zu", "der"): "zur",
                       ("von", "dem"): "vom", ("bei", "dem"): "beim", ("in", "das"): "ins", ("an", "das"): "ans"}),
    about=((r"(?:lied|song|ballade|liebeslied|wiegenlied)(?:\s+\w+)?\s+(?:über|von)", ""), ("für", "für ")),
    titles=("{n}", "{n}", "Ein Lied für {a}", "Zurück zu {d}", "Träume von {d}", "Weit weg von {d}",
            "Immer wieder {n}"),
    untitled="Lied ohne Namen",
    find=things,
    fill=slots,
    about_title=_about,
)
