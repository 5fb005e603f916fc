"""A song title when none is given, read from the idea (or the lyrics' hook).

An idea that says what its song is about or for names it, in its own words: "a sad song
about leaving the city" is "Leaving the City", "a song for you" is "For You". Otherwise:
keyword mash-ups ("Piece Sleeping", "Short Broken Bicycle") do not read as titles; a few
grammatical patterns do ("The Broken Bicycle", "Sleeping Through the Night", "Garden in the
Winter"). The idea's words are sorted into nouns, adjectives and -ing verbs (songwriter.word_kind)
and fill the patterns whose slots they can fill, preferring those that use more of them; the
seed chooses among those. An adjective always stands before its noun, a word is never used
twice, and the result is in title case.
"""
from __future__ import annotations

import re

from . import romance
from .nouns import FEELINGS, SPORTS, UNCOUNTED, thing_kind
from .songwriter import (
    _AUDIENCES,
    _FALLBACK,
    _FALLBACK_ADJ,
    _FALLBACK_ING,
    _KINDS_OF_SONG,
    _MOOD_ADJ,
    _MOOD_ING,
    _PARTICLES,
    _STOP,
    _TIMES,
    ABSTRACT,
    BEFORE_A_VERB,
    DAYS,
    MOODS,
    OCCASIONS,
    WORD,
    _articles,
    about_what,
    as_named,
    is_being,
    keywords,
    mood_of,
    name_case,
    proper_nouns,
    singular,
    sung_alone,
    word_kind,
)
from .style import rng_for

# (pattern, the slots it needs): N and M two different nouns, A an adjective, G an -ing verb.
PATTERNS = [
    ("{A} {N}", "AN"), ("The {A} {N}", "AN"), ("Under the {A} {N}", "AN"), ("Song for a {A} {N}", "AN"),
    ("The {N} and the {M}", "NM"), ("From the {N} to the {M}", "NM"), ("{A} {N} and the {M}", "ANM"),
    ("{G} in the {N}", "GN"), ("{G} Through the {N}", "GN"), ("{G} with the {A} {N}", "GAN"),
    ("Where the {N} Goes", "N"), ("Ode to the {N}", "N"), ("Me and the {N}", "N"),
    ("The {N} Song", "N"), ("Still {G}", "G"), ("Keep on {G}", "G"), ("{G} All Night", "G"),
    ("{G} Again", "G"),
    # an idea of a feeling alone ("pumped", "blue"): "Pumped River" was a title of stock words
    ("Feeling {A}", "A"), ("So {A}", "A"), ("{A} Again", "A"),
]
# Patterns that speak of one thing ("a", "Goes", "The Cat Song"): a plural noun is made
# singular in them.
_ONE_OF_A_THING = {"Song for a {A} {N}", "Where the {N} Goes", "The {N} Song"}
# Patterns that place the song somewhere, for the nouns that can be there: one stands
# "Under the Silver Moon", not "Under the Sleepy Puppy".
_ONLY_FOR = {"Under the {A} {N}": set("""sky skies moon stars star sun sunlight moonlight light lights
rain snow clouds cloud bridge bridges tree trees willow oak sea ocean waves water streetlight
streetlights lamp lamps roof roofs boardwalk table covers blanket canopy arch ceiling""".split())}
# One is "Dancing in the City" or "Drifting Through the Night", not "Waiting Through the Dog":
# the places, times, weathers and states one can be in.
_WITHIN = set("""city town street road highway garden kitchen room house home hall club bar car train
station forest wood woods park field meadow valley mountain hill desert island jungle beach sand
shore coast harbour harbor port sea ocean water wave river lake rain snow storm thunder wind fog
mist smoke fire flame dust cloud sky star space universe galaxy cosmos void world air night
darkness dark shadow dawn morning evening afternoon day summer winter autumn spring season year
twilight sunset sunrise moonlight sunlight light dream silence quiet noise crowd dance party
heart mind memory moment time distance""".split())
_ONLY_FOR["{G} in the {N}"] = _ONLY_FOR["{G} Through the {N}"] = _WITHIN
# Patterns for one countable thing: not "Song for a Love" or "Me and the Christmas".
_COUNTED_ONLY = {"Song for a {A} {N}", "Me and the {N}"}
# Words that are in an idea but never the subject of a song.
_NOT_A_SUBJECT = set("""piece own every each more most much many other such only also even still yet ever
never always something someone somebody anything everything nothing thing things stuff kind sort lot
lots way ways really maybe bit bpm male female vocal vocals voice
singer sung sing sings singing female's""".split())
_THE_SONG = {"song", "piece", "track", "tune", "number", "songs", "tracks", "tunes", "ballad", "anthem", "carol",
             "chant", "rap", "hymn", "jingle", "shanty"}
# The kinds of song named by what they are about: "a love song" is about love, where "a
# piano song" or "a short song" says how it sounds.
_ABOUT_KINDS = {"love", "birthday", "christmas", "wedding", "breakup", "summer", "winter", "holiday",
                "farewell", "goodbye", "friendship", "graduation", "party", "protest", "war", "freedom",
                "gym", "workout"}
# Named without an article: "Where Love Goes", "Ode to Christmas", "Sad Love".
_UNCOUNTED = ABSTRACT | DAYS | SPORTS | FEELINGS | {"time", "life", "graduation", "summer", "winter", "spring",
                                                     "autumn", "midnight", "home"}
# Kept lower case inside a title: articles, short prepositions and conjunctions.
_SMALL = {"a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "by", "with",
          "from", "as", "de", "del", "da", "di", "du", "dos", "von", "van"}  # "Rio de Janeiro"
# "about ..." and "for ...": what (or whom) the song is about, in the idea's words.
_ABOUT = re.compile(r"\b(about|for|to)\b", re.I)
# Songs sung to someone or somewhere: "a love song to Paris" is "To Paris".
_SUNG_TO = {"song", "songs", "ballad", "hymn", "anthem", "serenade", "ode", "letter", "lullaby", "tribute"}
_WORD = re.compile(WORD)
_POSSESSIVES = {"my", "your", "our", "his", "her", "their"}
_DETERMINERS = {"a", "an", "the", *_POSSESSIVES}
_WHOM = {"you", "me", "us", "her", "him", "them", "someone", "somebody"}  # "a song for you"
# A song's form, which may lead a "for" title: "Lullaby for a Sleepy Puppy".
_FORMS = {"lullaby", "ballad", "anthem", "hymn", "serenade", "lament", "waltz", "elegy", "ode",
          "carol", "prayer", "letter"}
HOOK_WORDS = (2, 5)  # a chorus line this short is the song's hook, and its title
# A place or time the idea itself names ("at the door", "through the rainy garden", "at
# night"): the most natural end of a title, in the idea's own words.
_NOT_A_PLACE = {"of", "for"}  # "The First Day of Spring", "Waiting for the Bus"
_PLACE = re.compile(r"\b(at|in|on|by|under|through|across|over|into|beneath|beyond|along|around|"
                    r"behind|near|with|after|before|of|for)\s+(?:(the|a|an|my|your|our|his|her|their)\s+)?"
                    r"(?:([A-Za-zÀ-ÖØ-öø-ſ]+(?:'s)?)\s+)?([A-Za-zÀ-ÖØ-öø-ſ]+)\b", re.I)


def title_from_idea(idea: str, seed: int) -> str:
    """What the idea says the song is about or for, in its own words, where it says so
    ("The Old Harbour Town", "Leaving the City", "Lullaby for a Sleepy Puppy"); else a title
    the seed picks from the patterns (patterned_title)."""
    if language := romance.language_for(idea):
        return romance.title(language, idea, seed)
    idea = as_named(idea)
    return _about(idea) or _as_written(idea) or _for_an_occasion(idea, seed) or patterned_title(idea, seed)


def _for_an_occasion(idea: str, seed: int) -> str:
    """A song for an occasion the idea names is titled for it: "Happy Father's Day" (a
    fathers day song was "Me and the Fathers Day", a valentines song "The Valentine Song"),
    "Happy Birthday"; "" for an idea of none."""
    occasion = next((name_case(name) for name in proper_nouns(idea) if name in OCCASIONS), None)
    patterns = ("{}", "Happy {}", "A Song for {}", "All I Want for {}")
    if not occasion:  # a birthday, an anniversary: "Ode to the Birthday" was a title
        said = set(keywords(idea))
        occasion = next((w for w in ("birthday", "anniversary") if w in said), None)
        patterns = ("Happy {}", "The {} Song", "On Your {}" if occasion == "birthday" else "On Our {}")
    if not occasion:
        return ""
    if mood_of(idea) in ("quiet", "angry"):  # a sad Valentine's Day is no happy one
        patterns = tuple(p for p in patterns if not p.startswith(("Happy", "All I Want")))
    return _titled(patterns[int(rng_for("title", idea, seed).integers(len(patterns)))].format(occasion))


# The small words a title may have between the idea's own: "Tacos on Tuesday", "I Miss You".
_TITLE_WORDS = {"a", "an", "the", "my", "your", "our", "his", "her", "their", "i", "you", "we", "me", "us", "it",
                "on", "in", "at", "with", "of", "and", "to", "for", "by", "under", "over", "from", "up", "down",
                "out", "away", "all", "is", "are", "was", "were"}


def _as_written(idea: str) -> str:
    """A short idea that already reads as a title, as its title: a few of its own words (three
    to five, or two things side by side: "City Lights", "Happy New Year", "We Broke Up Last
    Night"), none asking for a sound or a length, not ending in what a thing is; "" for any
    other. "friday night" was "The Friday Night Song", "city lights" "Where the City Light
    Goes", "happy new year" "Happy Year"."""
    if not re.fullmatch(r"\s*(?:[A-Za-zÀ-ÖØ-öø-ſ']+|\d+(?:st|nd|rd|th))(?: (?:[A-Za-zÀ-ÖØ-öø-ſ']+|\d+(?:st|nd|rd|th)))*"
                        r"[.!]?\s*", idea or ""):
        return ""  # "Mia's 5th Birthday", but not "118 bpm" nor a list
    said = [re.sub(r"'s$", "", w.lower()) for w in re.findall(r"[\wÀ-ÖØ-öø-ſ']+", idea)]
    own = set(keywords(idea)) | {w.lower() for name in proper_nouns(idea) for w in name.split()}
    own |= {w for w in said if re.fullmatch(r"\d+(st|nd|rd|th)", w)}
    own |= {b for a, b in zip(said, said[1:], strict=False) if a in BEFORE_A_VERB and b not in _STOP}  # "I Miss You"
    if not 2 <= len(said) <= 5 or any(w not in own and w not in _TITLE_WORDS for w in said) \
            or word_kind(said[-1]) == "adj" or said[-1] in _TITLE_WORDS - {"you", "me", "us", "up", "down", "out"}:
        return ""
    if len(said) == 2 and not all(word_kind(w) == "noun" and w not in _TITLE_WORDS for w in said):
        return ""  # "silver moon", "dancing city" are the patterns' ("Under the Silver Moon")
    return _titled(idea.strip().rstrip(".!"))


def patterned_title(idea: str, seed: int, *, placed: bool = True, every: bool = False) -> str:
    """A title of the idea's words poured into one of the patterns the seed picks, those that
    use most of its words (`every`: any that fits); where the idea names a place for its
    subject, that (unless not `placed`): "The Sea at Night"."""
    if language := romance.language_for(idea):
        return romance.title(language, idea, seed, about=False)
    words = _subjects(idea)
    kinds = _kinds(words)
    slots = {"N": [w for w in words if kinds[w] == "noun"],
             "A": [w for w in words if kinds[w] == "adj"],
             "G": [w for w in words if kinds[w] == "ing" and sung_alone(idea, w)]}
    # one noun per thing ("lighthouse" and "lighthouses" are one), as the idea wrote it
    slots["N"] = list({singular(w): w for w in reversed(slots["N"])}.values())[::-1]
    rng = rng_for("title", idea, seed)
    slots["N"] = _compounds(idea, slots["N"])
    names = proper_nouns(idea)
    if placed and (title := _in_a_place(idea, words, kinds, slots, names) or _on_a_day(slots, names, rng)):
        return title
    usable = [(p, need) for p, need in PATTERNS if _fits(need, slots) and _suits(p, slots, names)]
    if usable and not every:
        most = max(len(need) for _p, need in usable)
        usable = [(p, need) for p, need in usable if len(need) >= min(most, 2)]
    elif not usable:  # nothing from the idea fills a pattern alone: stock words fill the gaps
        own = {k for k, v in slots.items() if v}
        mood = mood_of(idea)
        slots = {"N": slots["N"] or [str(rng.choice([w for w in _FALLBACK if w not in _UNCOUNTED]))],
                 "A": slots["A"] or [str(rng.choice(_MOOD_ADJ.get(mood, _FALLBACK_ADJ)))],
                 "G": slots["G"] or [str(rng.choice(_MOOD_ING.get(mood, _FALLBACK_ING)))]}
        usable = [(p, need) for p, need in PATTERNS if _fits(need, slots) and len(need) >= 2
                  and (not own or own & set(need)) and _suits(p, slots, names)]
    pattern, _need = usable[int(rng.integers(len(usable)))]
    nouns = slots["N"]
    if pattern in _ONE_OF_A_THING:  # "road trips" → "road trip": the last word is the thing
        nouns = [w if w in names else " ".join([*w.split()[:-1], singular(w.split()[-1])]) for w in nouns]
    text = pattern.format(N=nouns[0] if nouns else "", M=nouns[1] if len(nouns) > 1 else "",
                          A=slots["A"][0] if slots["A"] else "", G=slots["G"][0] if slots["G"] else "")
    for noun in nouns[:2] if pattern != "The {N} Song" else ():  # "The Love Song" stays
        # "Sad Love", "Paris", "Ode to Tokyo Nights" (but "Where the Tokyo Night Goes")
        if noun in _UNCOUNTED or noun in names or noun.split()[0] in names and pattern not in _ONE_OF_A_THING:
            text = re.sub(rf"\b(?:the|a|an) ((?:\w+ )?{re.escape(noun)})\b", r"\1", text, flags=re.I)
    return _titled(text)


# How a thing is placed on a day: at Christmas, on Tuesday, in December.
_ON_DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_IN_MONTHS = {"january", "february", "march", "april", "june", "july", "august", "september", "october",
              "november", "december"}


def _on_a_day(slots: dict, names: dict, rng) -> str:
    """A thing of the idea on the day it names ("a christmas carol about snow": "Snow at
    Christmas" or "Christmas Snow"; it was "From Christmas to the Snow"); "" for an idea that
    names no day and another thing."""
    day = next((n for n in slots["N"] if names.get(n) == "day"), None)
    thing = next((n for n in slots["N"] if n != day and n not in names), None)
    if not day or not thing:
        return ""
    described = next((a for a in slots["A"] if a not in MOODS), "")
    at = "on" if day in _ON_DAYS else "in" if day in _IN_MONTHS else "at"
    text = [f"{described} {thing} {at} {day}", f"{day} {described} {thing}"][int(rng.integers(2))]
    return _titled(" ".join(text.split()))


# Patterns by the kind of thing they can speak of: where a body part, a party, a room or a
# time "goes" (was "Where the Midnight Goes", "Where the Tooth Goes" for "teeth"), and with
# whom or what "Me and the ..." can be (was "Me and the Eyes", "Me and the Kiss").
_GOES = {"being", "scenery"}
_WITH_ME = {"object", "room", "food", "furniture", "vehicle", "scenery"}
# "From the River to the Sea": only between places ("From the Cowboy to the Horses" was a title).
_FROM_TO = {"scenery", "room"}


def _suits(pattern: str, slots: dict, names: dict) -> bool:
    """The pattern's first noun is one it can speak of (_ONLY_FOR; one thing, not love,
    Christmas or Paris, for "Song for a …" and "Me and the …")."""
    first = singular(slots["N"][0].split()[-1]) if slots["N"] else ""
    named = bool(slots["N"]) and (slots["N"][0] in names or slots["N"][0].split()[0] in names)
    if (first in _UNCOUNTED or named) and pattern in _COUNTED_ONLY:
        return False
    if slots["N"] and not named:
        written = slots["N"][0].split()[-1]
        kind = "being" if is_being(first) else thing_kind(first)
        many = written != first  # "teeth", "numbers": never "Where the Tooth Goes"
        if pattern in _ONE_OF_A_THING and many and (pattern != "The {N} Song" or kind == "body"):
            return False
        if pattern == "Where the {N} Goes" and (kind not in _GOES and first not in ABSTRACT
                                                 or first in _TIMES or first in ("home", "house")):
            return False
        if pattern == "Me and the {N}" and (kind not in _WITH_ME and kind != "being" or many and kind != "being"
                                            or first in _UNCOUNTED or first in UNCOUNTED):
            return False
        if pattern == "From the {N} to the {M}" and not all(
                (thing_kind(singular(n.split()[-1])) in _FROM_TO and not is_being(singular(n.split()[-1])))
                or n in names for n in slots["N"][:2]):
            return False
    return pattern not in _ONLY_FOR or first in _ONLY_FOR[pattern]



def _compounds(idea: str, nouns: list[str]) -> list[str]:
    """`nouns` with those the idea writes side by side joined into one thing, as English
    names one: "a road trip" is a trip, "a train station" a station ("From the Space to the
    Journey" was a title of "a soundtrack for a space journey")."""
    out: list[str] = []
    for noun in nouns:  # side by side: a space between, no comma ("friends, windows down")
        if out and re.search(rf"\b{re.escape(out[-1].split()[-1])}[ \t]+{re.escape(noun)}\b",
                             idea or "", re.I):
            out[-1] = f"{out[-1]} {noun}"
        else:
            out.append(noun)
    return out


def _titled(text: str) -> str:
    """`text` as a title: "a" before a vowel made "an", in title case, at most 80 characters."""
    return title_case(_articles(text))[:80]


def _kinds(words: list[str]) -> dict[str, str]:
    return {w: "ing" if w.endswith("ing") and word_kind(w) != "noun" else word_kind(w)
            for w in words}


def _about(idea: str) -> str:
    """The phrase after "about" or "for" as a title, "" where the idea has none that reads as
    one: a few of the idea's subject words (determiners, commas and "and" between them),
    ending in a noun or an -ing verb, and the place right after it ("about the sea at
    night").

    "about" needs two words or more ("about rain" is left to the patterns), a possessive
    ("My Dog") or a person ("About You"); "for" a noun or a person ("For Grandma", "For You"; "for sleeping" is left
    to the patterns too). A song's form named right before "for" leads the title ("Lullaby
    for a Sleepy Puppy")."""
    idea = idea or ""
    subjects = _kinds(_subjects(idea))
    for match in _ABOUT.finditer(idea):
        about = match.group(1).lower() == "about"
        before = idea[:match.start()].split()
        form = before[-1].lower() if before else ""
        if match.group(1).lower() == "to" and form not in _SUNG_TO:
            continue  # "a trip to the coast", "music to study to"
        after = _WORD.search(idea, match.end())
        if match.group(1).lower() == "for" and after and after.group().lower() in _AUDIENCES:
            continue  # "an easter song for kids about bunnies" is about bunnies; was "For Kids"
        kinds = {**subjects, **dict.fromkeys(_WHOM, "noun")}  # "For You", "About Losing You"
        phrase = _phrase_after(idea, match.end(), kinds)
        if not about:  # "for dad turning 60" is for dad ("Keep on Turning" was its title)
            phrase = next((phrase[:i] for i in range(1, len(phrase)) if phrase[i][0] == "turning"
                           and kinds.get(phrase[i - 1][0]) == "noun"), phrase)
        content = [w for w, _sep, _end in phrase if w in kinds and w not in _DETERMINERS
                   or w in _WHOM or w.endswith("'s") and w[:-2] in kinds]
        if not content or len(content) > 5 or len(set(content)) < len(content) \
                or kinds[content[-1]] == "adj" and not _linked(phrase):
            continue
        words = []
        for word, comma, _end in phrase:
            if comma:
                words[-1] += ","
            words.append(word)
        tail = _place_at(idea, phrase[-1][2], kinds, content)
        if about:
            if content == [words[0]] and words[0] in _WHOM and not tail:
                return _titled(f"about {words[0]}")  # "a song about you" is "About You"
            doing = {w for w, _sep, _end in phrase} & (_BEFORE_DOING | _PARTICLES | _LINKING)  # "Giving Up"
            if len(content) < 2 and not tail and phrase[0][0] not in _POSSESSIVES and not doing:
                continue
            if words[0] in ("a", "an"):
                words[0] = "the"
        else:
            if kinds[content[-1]] != "noun":
                continue
            to = match.group(1).lower()
            words = [form, to, *words] if form in _FORMS else [to, *words]
        text = " ".join([*words, *tail])
        return _titled(text)
    return ""


def _phrase_after(idea: str, at: int, kinds: dict) -> list[tuple[str, str, int]]:
    """The words from `at` on, each with what stood before it ("" or ",") and where it ends,
    while each is a subject word or a determiner (or "and" between them) and only spaces, or
    a comma within the phrase, stand between them; none at the end that is not a subject."""
    phrase, end = [], at
    names = [re.compile(r"\s+".join(map(re.escape, k.split())) + r"\b", re.I) for k in kinds if " " in k]
    while word := _WORD.search(idea, end):
        # a name of more words is one word of the phrase ("To New York City")
        name = next((m for pattern in names if (m := pattern.match(idea, word.start()))), None)
        low = " ".join(name.group().lower().split()) if name else word.group().lower()
        stop = name.end() if name else word.end()
        between = idea[end:word.start()].strip()
        after_ing = phrase and kinds.get(phrase[-1][0]) == "ing"
        owner = low.endswith("'s") and kinds.get(low[:-2]) == "noun"  # "My Wife's Smile"
        if (between and not (between == "," and phrase)) or not (
                low in kinds or low in _DETERMINERS or (low == "and" and phrase) or owner
                or low in (_BEFORE_DOING | _LINKING) and not phrase or low in _PARTICLES and after_ing):
            break
        phrase.append((low, "," if between else "", stop))
        end = stop
    while phrase and (phrase[-1][0] not in kinds or phrase[-1][0] in _DETERMINERS
                      and phrase[-1][0] not in _WHOM) and not _particle_after_ing(phrase, kinds):
        phrase.pop()
    if phrase and phrase[0][0] in _LINKING and not _linked(phrase):
        return []  # "being" leads only what one is: "Being Free"
    if phrase and phrase[0][0] in _BEFORE_DOING and (len(phrase) < 2 or kinds.get(phrase[1][0]) != "ing"):
        return []  # "never" leads only what one does: "Never Giving Up"
    return phrase


def _particle_after_ing(phrase, kinds) -> bool:
    return len(phrase) > 1 and phrase[-1][0] in _PARTICLES and kinds.get(phrase[-2][0]) == "ing"


# What may lead a phrase of doing ("about never giving up on your dreams")
_BEFORE_DOING = {"never", "always", "still", "finally", "just", "not"}
# What one is or becomes, which ends in what: "a song about getting old" was "Still Getting",
# "about getting fired" "Getting Again", "about being free" "Song for a Free Morning".
_LINKING = {"being", "getting", "feeling", "growing", "staying", "going", "becoming"}


def _linked(phrase) -> bool:
    """The phrase is one of being something: "being free", "getting old"."""
    return len(phrase) == 2 and phrase[0][0] in _LINKING


def _place_at(idea: str, at: int, kinds: dict, taken: list[str]) -> list[str]:
    """The place named right at `at` ("at night", "on our anniversary"), as its words; []
    when none is, or it repeats a word already taken."""
    place = _PLACE.match(idea, at + 1) if idea[at:at + 1] == " " else None
    if place is None:
        return []
    prep, det, adj, noun = (g.lower() if g else "" for g in place.groups())
    kinds = {**kinds, **{f"{w}'s": "noun" for w, kind in kinds.items() if kind == "noun"},  # "on Mother's Day"
             **{w: "noun" for name in kinds if name in OCCASIONS for w in name.split()}}
    if adj and not (kinds.get(adj) in ("adj", "noun") and kinds.get(noun) == "noun"):
        adj, noun = "", adj  # "at night with friends": the place is "at night"; "on a tin
        # roof" is one ("Rain on a Tin" was a title)
    if kinds.get(noun) != "noun" or {adj, noun} & set(taken):
        return []
    return [w for w in (prep, det, adj, noun) if w]


def _in_a_place(idea: str, words: list[str], kinds: dict, slots: dict, names: dict) -> str:
    """Who or what the idea is about, where it says it is: "Waiting at the Door", "The Sea
    at Night", "Dreaming Through the Rainy Garden"; "" when the idea names no such place."""
    for prep, det, adj, noun in _places(idea, names):
        if prep in _NOT_A_PLACE:  # what it is of or for, which ends an "about" title only
            continue
        if adj and kinds.get(noun) != "noun" and kinds.get(adj) == "noun":  # "in Kyoto with my brother"
            adj, noun = "", adj
        if adj and noun not in words:  # "at the end": no adjective slot, the noun is the word
            continue
        if kinds.get(noun) != "noun":
            continue
        if adj and kinds.get(adj) not in ("adj", "noun"):  # "at a train station" names one too
            continue
        place = " ".join(w for w in (prep, det, adj, noun) if w)
        taken = {noun, adj}
        head = next((g for g in slots["G"] if g not in taken), "")
        if not head:
            other = next((n for n in slots["N"]  # a thing of its own, not the place's words
                          if not {singular(w) for w in n.split()} & {singular(noun), adj}), "")
            if not other:
                continue
            described = next((a for a in slots["A"] if a not in taken), "")
            the = "" if singular(other.split()[-1]) in _UNCOUNTED or other in names else "the"
            head = " ".join(w for w in (the, described, other) if w)
        return title_case(f"{head} {place}")[:80]
    return ""


def _places(idea: str, names: dict):
    """(preposition, determiner, adjective, noun) of each place _PLACE finds in the idea, in
    order, the lower-case words as found; a name of more words is one noun ("in New York")."""
    long = [n for n in names if " " in n]
    named = re.compile(r"\b(at|in|on|by|through|across|over|into|near|along|around|from|to)\s+("
                       + "|".join(r"\s+".join(map(re.escape, n.split())) for n in long) + r")\b", re.I)
    found = [(m.start(), (m.group(1).lower(), "", "", " ".join(m.group(2).lower().split())))
             for m in named.finditer(idea or "")] if long else []
    taken = {start for start, _words in found}  # _PLACE reads "in New York" as new + york
    found += [(m.start(), tuple(g.lower() if g else "" for g in m.groups()))
              for m in _PLACE.finditer(idea or "") if m.start() not in taken]
    return [words for _start, words in sorted(found)]


def title_from_lyrics(lyrics: str, seed: int) -> str:
    """The hook (a short chorus line, as songs are usually named), else a title from the
    lyrics' words."""
    return hook(lyrics) or title_from_idea(lyrics, seed)


def hook(lyrics: str) -> str:
    """The lyrics' first short chorus line of distinct words, in title case; "" if none."""
    from .lyrics import parse_sections
    for section in parse_sections(lyrics):
        if section.kind != "chorus":
            continue
        for line in section.lines:
            words = _WORD.findall(line)
            if HOOK_WORDS[0] <= len(words) <= HOOK_WORDS[1] and len({w.lower() for w in words}) == len(words):
                return title_case(" ".join(words))
    return ""


def _subjects(text: str) -> list[str]:
    """The idea's words a title may be made of, in order."""
    raw = [w.lower() for w in re.findall(WORD, text or "")]
    # "a sad song about ...", "a kids song": the word before song describes the song, or says
    # whom it is for; a thing there is its subject ("a tennis song" was "The Open Night")
    about_the_song = {a for a, b in zip(raw, raw[1:], strict=False)
                      if b in _THE_SONG and a not in _ABOUT_KINDS and (word_kind(a) != "noun" or a in _AUDIENCES)}
    about = about_what(raw)
    # "a dinosaur song for toddlers" says whom it is for ("The Dinosaur and the Toddlers")
    about_the_song |= {b for a, b in zip(raw, raw[1:], strict=False) if a == "for" and b in _AUDIENCES}
    out = []
    for word in keywords(text):
        if word in about_the_song:  # keywords() has left out verbs ("a girl who walks")
            continue
        word = re.sub(r"'s$", "", word)
        if "'" in word and word not in OCCASIONS or word in _NOT_A_SUBJECT and word not in about \
                or len(word) < 3 and not is_being(word) \
                or word == "little" and re.search(r"\blittle bit\b", text, re.I):  # "my little brother"
            continue
        out.append(word)
    if about & set(out) - _KINDS_OF_SONG:  # "a protest song about the government" is about the government
        out = [w for w in out if w not in _KINDS_OF_SONG]
    return list(dict.fromkeys(out))


def _fits(need: str, slots: dict) -> bool:
    return len(slots["N"]) >= need.count("N") + need.count("M") and \
        all(slots[k] for k in "AG" if k in need)


def title_case(text: str) -> str:
    """Every word capitalised but the small ones inside the title."""
    words = text.split()
    last = len(words) - 1
    return " ".join(w.lower() if w.lower() in _SMALL and 0 < i < last else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))
