"""The songwriter: short lyrics written from an idea (non-custom mode, and the lyrics
endpoints), in rhyming couplets that sing the idea's own words where words of their kind
belong; and what titles.py reads from an idea (its keywords, their kinds, its names, its mood).
"""
from __future__ import annotations

import functools
import re

from . import romance
from .banks import (
    _ANGRY,
    _BANKS,
    _BARE,
    _CAPITALISED,
    _CLEAR_SKY,
    _CONSOLING,
    _DAYLIT,
    _FALLBACK,
    _FALLBACK_ADJ,
    _FALLBACK_ING,
    _FEELINGS,
    _FEWEST,
    _GONE,
    _HELD,
    _KIND_LINES,
    _LIVELY,
    _LULLING,
    _MISSING,
    _MOOD_ADJ,
    _MOOD_ING,
    _OWN,
    _QUIET,
    _REFRAINS,
    _UNCONSOLED,
)
from .language import language_of
from .nouns import EVENTS, FIRST_NAMES, NAMES_OF_THINGS, PLACE_NAMES, SCENERY, UNCOUNTED, is_feeling, thing_kind
from .style import ALIASES, fold, rng_for, tokenize

# A word in Latin letters, accented or not, with its apostrophes ("canción", "über", "don't"):
# what the singer can read. A word of another script is no topic it could sing.
WORD = r"[A-Za-zÀ-ÖØ-öø-ſ](?:[A-Za-zÀ-ÖØ-öø-ſ]|')*"


_STOP = set("""a an the and or but of to in on at for with about from by into over under is are was were be been
being it its this that these those who whom whose what which how why my your our their his her me you we they
i he she him them song music track
someone somebody something everyone everybody everything anyone anybody anything nobody nothing
make write create some very really just like feel feeling vibe vibes style genre want would could should
instrumental lyrics tune beat please can will one two all any along across through around between behind beyond
near past toward towards upon within without against after before during until while where when there here then than so
up down out off away back again not no as if because has have had do does did let lets get got go going
both each every either neither several many much more most few other another such same own
mashup mash remix version cover covers rendition reprise mix mixtape playlist jam
bpm tempo key major minor sharp flat vocal vocals voice singer male female verse chorus bridge intro outro
hook short brief length duration minute minutes second seconds asleep awake
never always ever forever still yet only also even maybe perhaps often sometimes soon already almost quite
too tonight three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand million
piece pieces ballad ballads anthem anthems lullaby lullabies jingle jingles hymn hymns ode odes
serenade serenades theme themes melody melodies soundtrack soundtracks shanty shanties
el los las una unos unas del sobre por para con que mis les une des du avec pour sur dans mon mes ton ses
der die das dem ein eine einen und oder für über auf von zu mein meine dein il gli della di nel mio os um uma
da ou com em na meu minha
smoky smokey lush sparse intimate duo trio quartet quintet sextet ensemble orchestra""".split())
# Beside the words that join others (in English, and a few in Spanish, French, German,
# Italian and Portuguese): a request's musical and length directions ("118 bpm in D minor",
# "a short song"), the song's own form ("a piano piece", "a ballad": "Piece, Piece, never let
# me go" was sung), adverbs and numbers. None is ever a topic. Nor how a band sounds or how
# many play ("the same song as a smoky jazz piano trio" was sung "The smoky is fading into
# gray", "All I need is the trio and you"), but right after "about" (_SOUNDS_ABOUT).

# ("hate" is not among them: "my cat who hates mondays" is no protest song)
_ANGRY_WORDS = set("""angry anger aggressive rage raging furious fury protest rebel rebellion riot revenge
outrage outraged frustrated frustration defiant defiance""".split())
_SLEEP_WORDS = set("""lullaby lullabies sleep sleeping asleep bedtime goodnight cradle nursery""".split())
_SAD_WORDS = set("""sad lonely goodbye farewell miss missing tears crying cry heartbreak heartbroken grief
mourning funeral sorrow melancholic melancholy lost gone passed died breakup ex""".split())
# Words of an idea that asks for hope, which a sad one is sung only with.
_HOPE_WORDS = set("""hope hopeful hoping heal healing uplifting comfort comforting better brighter alright
okay""".split())
# Words of an idea of rain, and of night: its sky is neither clear nor a bright day's.
_RAIN_WORDS = set("""rain rainy raining rains rainfall drizzle downpour storm storms stormy thunder thunderstorm
monsoon cloudy overcast fog foggy""".split())
_NIGHT_WORDS = set("""night nights tonight midnight nighttime moonlight moonlit nocturnal""".split())
_QUIET_WORDS = set("""sad calm soft quiet gentle lonely slow sleep sleeping asleep lullaby lullabies melancholic
melancholy goodbye farewell miss missing tears crying cry heartbreak heartbroken breakup grief mourning funeral relax
relaxing peaceful study studying chill ambient sorrow ex""".split())
_LIVELY_WORDS = set("""happy party dance dancing upbeat energetic celebrate celebration fun workout pumped
birthday club hype joy joyful festival anthem""".split())

# Styles that carry a mood where the idea says none: "heavy metal about a dragon burning a
# castle" sang "Close your eyes, the dragon is near / Falling softly, I am here".
_LIVELY_STYLES = set("""metal punk rock edm disco techno house trance dubstep dnb reggaeton funk ska kpop
hardcore grunge drill trap""".split())
_QUIET_STYLES = {"lofi", "ballad", "lullaby"}  # ("a cradle song"; "ambient" is a quiet word already)


def mood_of(idea: str) -> str | None:
    """'angry', 'quiet', 'lively' or None, from the idea's own words."""
    said = _said(idea)
    if said & _ANGRY_WORDS:  # "an angry punk anthem" is angry, anthem or not
        return "angry"
    quiet, lively = bool(said & _QUIET_WORDS), bool(said & _LIVELY_WORDS)
    if not quiet and not lively:  # no word of a mood: the style's, where it has one
        styles = set(tokenize(idea or ""))  # "drum and bass" is dnb, "lo-fi" lofi
        quiet, lively = bool(styles & _QUIET_STYLES), bool(styles & _LIVELY_STYLES)
    return "quiet" if quiet and not lively else "lively" if lively and not quiet else None


def _said(idea: str) -> set[str]:
    said = set(re.findall(WORD, (idea or "").lower()))
    return said | {ALIASES.get(fold(w), w) for w in said}  # "triste" is sad, "fiesta" upbeat


def unsuited_couplets(idea: str, mood: str | None) -> set[str]:
    """The couplets (by their first line) a song of this idea and mood does not sing: of
    another mood, and a sky the idea's weather or time of day is not."""
    if mood == "angry":
        return {couplet[0] for bank in _BANKS.values() for couplet in bank} - _ANGRY
    unsuited = _ANGRY | {"quiet": _LIVELY, "lively": _QUIET}.get(mood, set())
    if lulling(idea):
        unsuited |= _MISSING
    said = _said(idea)
    unsuited |= (_CLEAR_SKY if said & _RAIN_WORDS else set()) | (_DAYLIT if said & _NIGHT_WORDS else set())
    return unsuited | (_CONSOLING if said & _SAD_WORDS and not said & _HOPE_WORDS else _UNCONSOLED)


def lulling(idea: str) -> bool:
    """A song to sleep to, not a sad one."""
    said = _said(idea)
    return bool(said & _SLEEP_WORDS) and not said & _SAD_WORDS


# Times of day, which a line that already names one cannot hold: "Late at night the dawn
# begins to glow", "I remember the morning in the evening light".
_TIMES = set("""night tonight dawn dusk morning evening midnight sunrise sunset noon afternoon twilight
daybreak day daylight""".split())
# Lines of a way one goes or a place by the way, which a time of day is not.
_WAYS = {"Out along the {adj} {a} we drove", "Walking slow where the {a} meets the sky",
         "Down by the {a} where the cold winds blow", "Somewhere past the {adj} {a} and the sea",
         "Carry me across the {adj} {a} tonight", "Riding the {adj} {a} across the town"}
# Scenery that is no place either: "Carry me across the endless heart tonight", nor a
# building or a part of one ("Out along the warm window we drove" was sung).
_NO_WAYS = set("""heart dream dreams memory song melody sound voice eyes smile shadow shadows light lights
fire flame window windows house home tower lighthouse station""".split())
# Times of the year, a while rather than a place or a thing.
_SEASONS = set("""summer winter spring autumn fall season weekend holiday""".split())
# Lines that picture a place against the sky or the sea, which only a place is: "Walking slow
# where the summer meets the sky".
_SKYLINES = {"Walking slow where the {a} meets the sky", "Somewhere past the {adj} {a} and the sea"}
# A line of what one needs beside someone, which no time is: "All I need is November and you"
# was sung for a breakup in November (a day's lines leave it out: banks._DAY_LINES).
_NEEDS = {"All I need is the {a} and you"}
# A line of fire, which only a thing that burns or shines stands in: "Every gentle river
# burning bright", "Every golden summer burning bright", "Every silver road burning bright"
# were sung.
_BURNING = {"Every {adj} {b} burning bright"}
_BURNS = set("""fire flame candle torch lantern lamp light sun star heart ember spark bonfire campfire fireplace
sunset sunrise sunlight sunshine starlight moonlight moon neon firefly comet""".split())
# A line only someone stands in, which no stock word fits: "You're the only night I know" was
# sung (a stock word fills a slot the idea's things do not fit); where no one of the idea's
# does, it is sung of "one".
_SOMEONE_ONLY = {"You're the only {b} I know"}
# Each such kind of line, and the things that never stand in it.
# A season, or a thing that happens (nouns.EVENTS), is no way one goes along, nor a place
# against the sky: "Carry me across the open summer tonight", "Walking slow where the party
# meets the sky".
_NEVER_IN = ((_WAYS, _TIMES | _SEASONS | EVENTS | _NO_WAYS), (_SKYLINES, _SEASONS | EVENTS),
             (_NEEDS, _TIMES | _SEASONS),
             # nor is a time held, looked after or left by the door ("Dust is on the rainy
             # afternoon by the door")
             (_HELD - _SOMEONE_ONLY, _TIMES | _SEASONS | EVENTS))
# And each kind of line only some things stand in, and those things.
_ONLY_IN = ((_BURNING, _BURNS),)
_TIMED = re.compile(r"\b(night|tonight|evening|morning|day|midnight|dawn)\b", re.I)


def timed(word: str) -> bool:
    """`word` is a time of day or names one: "night", "the late night", and "night drive",
    "morning coffee", "evening walk" (a thing of a time of day); not an occasion ("Father's Day")."""
    return word not in OCCASIONS and any(w in _TIMES for w in word.lower().split())


def two_times(word: str, other: str | None) -> bool:
    """Both name times of day: one couplet cannot sing both ("There's a dawn that I still call
    home / The silver night where we used to roam")."""
    return bool(other) and timed(word) and timed(other)


def misplaced(word: str, couplet: tuple[str, str], slot: str) -> bool:
    """`couplet` puts `word` in `slot` of a line of a kind it is not (_NEVER_IN): a time or a
    thing no one goes along in a line of a way ("Out along the rainy morning we drove", "Carry
    me across the endless heart"), a season against the sky, a time in what one needs; or
    in a line only some things stand in (_ONLY_IN), a thing not of them: a road burning bright."""
    head = word.split()[-1].lower()
    in_slot = set(line for line in couplet if "{" + slot + "}" in line)
    return any((head in words or singular(head) in words) and in_slot & lines for lines, words in _NEVER_IN) \
        or any(singular(head) not in words and in_slot & lines for lines, words in _ONLY_IN)


def clashes(word: str, couplet: tuple[str, str]) -> bool:
    """`word` (a thing) cannot stand in `couplet`: the couplet names it already, one or many,
    or its kin ("Somewhere past the sea and the sea", "Somewhere past the quiet ocean and the
    sea", "Late at night the river begins to glow / Dancing where the rivers flow"), or it names
    a time of day and the couplet names one ("We're singing for the rainy night drive tonight",
    "I remember the morning coffee in the evening light" were sung)."""
    text = " ".join(couplet)
    return any(one_thing(word, w) for w in re.findall(r"[a-z]+", text.lower())) \
        or timed(word) and bool(_TIMED.search(text))


@functools.lru_cache(maxsize=1 << 16)  # asked of every word of every candidate couplet: 2/3 of a song's writing
def one_thing(word: str, other: str | None) -> bool:
    """`word` and `other` name one thing, once or many, or as kin: a couplet cannot sing both
    ("Somewhere past the quiet ocean and the sea", "There's a town that I still call home / The
    distant city where we used to roam")."""
    if not other:
        return False
    head, other = singular(word.split()[-1].lower()), singular(other.split()[-1].lower())
    return head == other or any(head in same and other in same for same in _SAME_THINGS)


# Things a line names as one: "the ocean and the sea".
_SAME_THINGS = ({"sea", "ocean"}, {"city", "town"}, {"river", "stream", "creek"}, {"road", "street", "highway"},
                {"sun", "sunshine", "sunlight"}, {"moon", "moonlight"}, {"star", "starlight"}, {"sky", "heaven"})


# An -ing word followed by its object or its particle in the idea ("leaving my hometown",
# "raising the rent", "never giving up") is no -ing word a line can sing alone: "Raising back
# to you again", "Giving and the world is mine", a title "Giving All Night".
_OBJECT_STARTS = set("""my the a an your our his her their me you him them us it this that these those
some up someone somebody something everyone everybody everything anyone anybody anything""".split())


def sung_alone(idea: str, word: str) -> bool:
    """Whether the idea's -ing word `word` means what it says without the words after it
    ("Looking on, it's not too late" was sung for "pirates looking for treasure")."""
    after = _OBJECT_STARTS | (_ITS_PREPOSITIONS if word in _SEEKING else set())
    # nor before a number: "for dad turning 60" sang "Keep on turning all night long"
    return not re.search(rf"\b{re.escape(word)}\s+({'|'.join(after)}|\d+)\b", idea or "", re.I)


# -ing words that say nothing without what they are about: "looking for treasure".
_SEEKING = {"looking", "searching", "thinking", "talking", "listening", "asking", "hoping", "wishing"}
_ITS_PREPOSITIONS = {"for", "at", "about", "of", "to", "into"}
# Who a song is made for, written before "song": "a kids song about brushing your teeth" is
# not about kids ("Kids, kids, never let me go" was sung).
_AUDIENCES = {"kids", "kid", "children", "childrens", "toddler", "toddlers", "baby", "babies", "nursery"}
_THE_SONG = {"song", "songs", "tune", "tunes", "track", "tracks", "rhyme", "rhymes", "jingle", "anthem"}


def for_whom(idea: str) -> set[str]:
    """The idea's words that say who its song is for, not what it is about."""
    said = [re.sub(r"'s?$", "", w.lower()) for w in re.findall(WORD, idea or "")]
    pairs = list(zip(said, said[1:], strict=False))
    # "a dinosaur song for toddlers" sang "I take care of the toddler every day"
    return {a for a, b in pairs if a in _AUDIENCES and b in _THE_SONG} | \
        {b for a, b in pairs if a == "for" and b in _AUDIENCES and b != singular(b)}


# People and animals a song may be for or about.
BEINGS = set("""ex mom mother mum mama mommy mummy dad father papa daddy grandma grandmother granny nana gran
grandpa grandfather grandad granddad sister brother sibling friend bestie buddy pal baby girl boy
girlfriend boyfriend wife husband lover darling sweetheart son daughter kid child teacher neighbor
neighbour stranger king queen prince princess sailor soldier keeper captain pirate cowboy farmer
driver dancer mate aunt uncle cousin niece nephew partner fiance fiancee bride groom man woman lady
gentleman guy dog cat puppy kitty kitten horse pony bird parrot hamster bunny rabbit doctor nurse boss
landlord worker cop officer chef baker singer rapper drummer poet writer hunter warrior knight wizard witch
ghost angel devil monster zombie vampire robot alien dragon unicorn dinosaur fairy giant hero villain
whale dolphin shark wolf fox bear lion tiger elephant monkey owl eagle crow raven bee frog duck goose cow
pig sheep goat chicken mouse deer snake turtle penguin kid person people crew gang team fan""".split())


def sung_as_many(noun: str) -> bool:
    """'friends', 'kids', 'people': people (or animals) the idea counts as more than one. They
    are sung as many ("my friends are calling"), not one ("the friend is calling"); so are
    things whose one is another word ("teeth": "Every tooth burning bright" was sung for
    "brushing your teeth"), parts of a body that come in more than one ("Remember when the
    eye was new" was sung for "a song about eyes") and things that come in pairs ("shoes")."""
    one = singular(noun)
    return (one != noun or noun in _IRREGULAR) and (is_being(one) or thing_kind(one) == "body") \
        or noun in _MANY_BY_NAME


_MANY_BY_NAME = {"teeth", "feet", "mice", "geese", "leaves", "knives", "shelves", "shoes", "boots", "socks",
                 "gloves", "jeans", "glasses", "sneakers", "earrings"}


# People who are someone's own when the idea counts them bare: "with friends" are my friends.
_KIN = set("""friend sister brother sibling cousin buddy pal mate bestie parent grandparent bandmate roommate
classmate teammate""".split())
# And parents and grandparents named bare, as one names them: "a birthday song for dad" is my
# dad ("I take care of the dad every day" was sung).
_FAMILY = set("""mom mother mum mama mommy mummy dad father papa daddy grandma grandmother granny nana gran grandpa
grandfather grandad granddad""".split())
_POSSESSIVES = {"my", "our", "your", "his", "her", "their"}
_DETERMINERS = set("""the a an my our your his her their these those some all both two three four many
few this that every""".split())
# How a line's verb after its thing agrees with many ("my friends are calling").
_MANY = {"is": "are", "was": "were", "has": "have", "comes": "come", "takes": "take", "keeps": "keep",
         "reminds": "remind", "meets": "meet", "begins": "begin", "tells": "tell", "fades": "fade",
         "shines": "shine"}
_SLOT = re.compile(r"\{([ab])\}")
# Lines that can only sing of one: "You're the only friends I know".
_ONE_ONLY = re.compile(r"\b(a|an|every|only|one) (\{adj\} )?\{(?P<slot>[ab])\}", re.I)


def owners(idea: str, names: dict[str, str]) -> dict[str, str]:
    """{thing: whose it is} for the things the idea gives someone else with an "'s": "missing
    my grandmother's kitchen" is "my grandmother's" kitchen, "grandpa's armchair" "grandpa's",
    "Maria's guitar" "Maria's" ("I still miss my kitchen tonight" was sung: the kitchen was
    taken for the singer's, as "my" stood before the grandmother)."""
    raw = re.findall(r"[a-z']+|[.,;:!?]", (idea or "").lower())  # ("kitchen, folk": the kitchen's)
    said = [re.sub(r"'s$", "", w) for w in raw]
    out: dict[str, str] = {}
    for i, owner in enumerate(said):
        if not raw[i].endswith("'s") or owner in _STOP or word_kind(owner) != "noun" \
                or " ".join(said[i:i + 2]) in OCCASIONS:  # "it's", "Father's Day"
            continue
        # whose the owner is, as the idea says: "my grandmother's", "the dog's", or none
        before = next((w for w in reversed(said[max(0, i - 3):i]) if word_kind(w) != "adj"), "")
        whose = f"{before} " if before in _POSSESSIVES or before == "the" else ""
        written = name_case(owner) if names.get(owner) == "name" else owner
        for w in [w for w in said[i + 1:i + 4] if word_kind(w) != "adj"][:2]:
            if w in _STOP or not w[0].isalpha() or word_kind(w) != "noun":
                break
            out[singular(w)] = f"{whose}{written}'s"
    return out


def agreeing(template: str, slot: str) -> str:
    """`template` sung of many in `slot`: its verb right after the thing agrees."""
    return re.sub(r"(\{" + slot + r"\}|\{" + slot.upper() + r"\}) (\w+)\b",
                  lambda m: f"{m.group(1)} {_MANY.get(m.group(2), m.group(2))}", template)


def is_being(noun: str) -> bool:
    """A person, an animal or a creature: BEINGS, or a word made like one (landlord,
    fisherman, guitarist, musician, actress)."""
    return noun in BEINGS or (len(noun) > 5 and noun.endswith(("lord", "man", "woman", "ist", "ian", "ress"))
                              and noun not in _NOT_BEINGS)


_NOT_BEINGS = {"german", "roman", "human", "list", "mist", "twist", "wrist", "fist", "christian", "cress"}
_BEING_ADJ = ["sweet", "dear", "gentle"]
# Every stock adjective, which a section sings once.
_STOCK_ADJS = {*_FALLBACK_ADJ, *_BEING_ADJ, *(w for words in _MOOD_ADJ.values() for w in words)}
# Days a song may be about, named as names: "I still miss Christmas tonight", not "the halloween".
DAYS = set("""christmas halloween easter thanksgiving hanukkah diwali ramadan eid monday tuesday wednesday
thursday friday saturday sunday january february march april june july august september october november
december""".split())
# Things one has but does not count, sung without an article: "Never let love grow cold",
# "Maybe freedom was never mine" (not "Hold on, the faith is calling"); and home, which is
# missed, called and kept as they are ("I still miss home tonight", not "the home").
ABSTRACT = {"love", "freedom", "friendship", "hope", "heartbreak", "peace", "faith", "happiness", "loneliness",
            "sadness", "joy", "courage", "kindness", "home"}


# Places of more than one word, named so in lower case too ("a trip to new york").
PLACES_OF_WORDS = {tuple(p.split()) for p in """new york|los angeles|san francisco|san diego|las vegas|new orleans
hong kong|buenos aires|rio de janeiro|sao paulo|são paulo|mexico city|cape town|tel aviv|new delhi|kuala lumpur
new zealand|south africa|north carolina|south carolina|new jersey|new mexico|salt lake city|santa monica
costa rica|puerto rico|saint petersburg|st petersburg|abu dhabi|sri lanka|ho chi minh city|las palmas
notting hill|times square|central park|golden gate|long island|miami beach|venice beach|west coast
east coast|south beach""".replace("\n", "|").split("|")}
# Small words inside a name: "Rio de Janeiro", "Isle of Skye".
_NAME_JOINERS = {"de", "da", "do", "del", "della", "di", "la", "le", "du", "von", "van", "of", "y", "dos"}
_AFTER_A_PLACE = ("in", "to", "from", "at", "through", "across", "around", "near", "visiting")


# Occasions a song is for, however they are typed ("fathers day", "father's day", "a valentines
# song"), written as their names: "a fathers day song" sang "Sleep now, the fathers day will keep
# you warm", "a valentine's day song" "I've been searching for the valentine high and low".
_OCCASIONS = tuple((re.compile(pattern, re.I), name) for pattern, name in (
    (r"\bfather(?:['’]s|s['’]|s)?\s*day\b", "Father's Day"),
    (r"\bmother(?:['’]s|s['’]|s)?\s*day\b", "Mother's Day"),
    (r"\b(?:(?:st\.?|saint)\s+)?valentine(?:(?:['’]s|s['’]|s)(?:\s*day)?|\s*day|(?=\s+(?:love\s+)?songs?\b))(?!\w)",
     "Valentine's Day")))
OCCASIONS = {name.lower() for _pattern, name in _OCCASIONS}
# Whom an occasion's song sings of where the idea names no one: my dad on Father's Day.
_HONOURED = {"father's day": "dad", "mother's day": "mom", "valentine's day": "love"}


def as_named(idea: str) -> str:
    """`idea` with what it names written one way, as the writer matches names: its occasions
    (occasions()) and an "ex-" written apart ("my ex-boyfriend" is one person, my ex boyfriend,
    not my ex and my boyfriend)."""
    return occasions(re.sub(r"\b(ex)-(?=[^\W\d_])", r"\1 ", idea or "", flags=re.I))


def occasions(idea: str) -> str:
    """`idea` with the occasions it names written as their names ("Father's Day"); not one
    someone owns ("my mother's day" is hers)."""
    for pattern, name in _OCCASIONS:
        idea = pattern.sub(lambda m, name=name: m.group(0) if re.search(
            r"\b(my|your|his|her|our|their)\s+$", m.string[:m.start()], re.I) else name, idea)
    return idea


def proper_nouns(idea: str) -> dict[str, str]:
    """The idea's names, lower case → 'place', 'day' or 'name': a place it names ("in Kyoto",
    or one of PLACE_NAMES or PLACES_OF_WORDS), a day (DAYS) or a capitalised word inside a
    sentence ("a song for Maria"). Capitalised words side by side are one name ("summer in Los
    Angeles", "Maria Lopez"), as is a place of more words ("new york"). An idea written in
    title case, or in German, names nothing by its capitals but the places and days it names
    (and, in title case, a first name that is also a word after "for": "A Song For Rose")."""
    idea = as_named(idea)
    tokens = re.findall(WORD + r"|[.!?,;:]", idea or "")
    words = [t for t in tokens if t[0].isalpha()]
    lows = [w.lower() for w in words]
    out: dict[str, str] = {}
    covered: set[int] = set()  # positions in `words` inside a name of more words
    for i in range(len(lows)):
        if " ".join(lows[i:i + 2]) in OCCASIONS and not covered & {i, i + 1} \
                and not (i and lows[i - 1] in _POSSESSIVES):  # "Father's Day", not "my mother's day"
            out[" ".join(lows[i:i + 2])] = "day"
            covered |= {i, i + 1}
        for place in PLACES_OF_WORDS:
            if tuple(lows[i:i + len(place)]) == place and not covered & set(range(i, i + len(place))):
                out[" ".join(place)] = "place"
                covered |= set(range(i, i + len(place)))
    out |= {low: "place" for i, low in enumerate(lows) if low in PLACE_NAMES and i not in covered}
    out |= {singular(low): "day" for i, low in enumerate(lows) if singular(low) in DAYS and i not in covered}
    if language_of(idea) == "de":  # German capitalises every noun
        return _first_names(out, lows)
    if sum(w[0].isupper() for w in words) * 2 > len(words):  # title case: a capital says nothing
        return _first_names(out | _named_in_title_case(lows), lows)
    position = -1  # of the token in `words`
    run: list[tuple[int, str]] = []  # capitalised words side by side, with their positions
    before_run, song_to = ".", False

    def for_someone() -> bool:
        """The run comes right after "for", "to" or "about": "a song for Will", "to June"."""
        return before_run.lower() in _FOR_SOMEONE

    def close() -> None:
        while run and run[-1][1].lower() in _NAME_JOINERS:  # "Maria de" ends at Maria
            run.pop()
        parts = [re.sub(r"'s?$", "", w.lower()) for _i, w in run]  # "Maria's guitar" names Maria
        # a word that is a name only by its capital, for whom the song is: "a song for Will",
        # "a lullaby to June" (not the month)
        named = len(parts) == 1 and for_someone() and (parts[0] in _WORDS_AS_NAMES or out.get(parts[0]) == "day"
                                                         and parts[0] in _MONTHS_AS_NAMES)
        if run and not covered & {i for i, _w in run} and (named or not (len(parts) == 1 and (
                parts[0] in _STOP or parts[0] in out))):
            name = " ".join(parts)
            # "a song to Rose" is for her, "a trip to Rome" a place
            placed = before_run.lower() in _AFTER_A_PLACE and not (song_to and before_run.lower() == "to")
            out[name] = "place" if name in PLACE_NAMES or placed and not named else "name"
        run.clear()

    for earlier, before, token in zip([".", ".", *tokens], [".", *tokens], tokens, strict=False):
        if not token[0].isalpha():
            close()
            continue
        position += 1
        starts_a_name = token[0].isupper() and before not in ".!?" and token != "I"
        if starts_a_name and (run or token.lower() not in _STOP or token.lower() in _WORDS_AS_NAMES
                              and before.lower() in _FOR_SOMEONE) or run and token.lower() in _NAME_JOINERS:
            if not run:
                before_run, song_to = before, earlier.lower() in _MUSIC or earlier.lower() in ("ode", "letter")
            run.append((position, token))
        else:
            close()
    close()
    return _first_names(out, lows)


_FOR_SOMEONE = {"for", "to", "about"}
# Words that are names only by their capital, which _STOP or DAYS hold: "a song for Will",
# "a lullaby to June" (was a song of no one, and of the month)
_WORDS_AS_NAMES = {"will"}
_MONTHS_AS_NAMES = {"april", "june", "august"}


def _named_in_title_case(lows: list[str]) -> dict[str, str]:
    """The names of an idea in title case: a word that is also a first name (NAMES_OF_THINGS,
    "will", a month), alone right after "for", "to" or "about": "A Song For Rose", "A Birthday
    Song For Will" (but "A Song About The Ocean", "A Song About Rose Petals")."""
    return {low: "name" for before, low, after in zip([".", *lows], lows, [*lows[1:], "."], strict=False)
            if before in _FOR_SOMEONE and low in NAMES_OF_THINGS | _WORDS_AS_NAMES | _MONTHS_AS_NAMES
            and (after == "." or after in _STOP)}


def _first_names(names: dict[str, str], lows: list[str]) -> dict[str, str]:
    """`names` and the FIRST_NAMES among `lows` in no name of more words ("Maria Lopez")."""
    inside = {w for name in names for w in name.split()}
    lows = [re.sub(r"'s?$", "", low) for low in lows]  # "maria's guitar"
    return names | {low: "name" for low in lows if low in FIRST_NAMES and low not in inside}


def name_case(name: str) -> str:
    """'new york' → 'New York', 'rio de janeiro' → 'Rio de Janeiro'."""
    return " ".join(w if w in _NAME_JOINERS and i else w.capitalize() for i, w in enumerate(name.split()))



_ADJ = set("""warm cold cool hot sad happy glad bright dark light slow fast quick young old new long short big
small little tiny huge soft loud quiet wild sweet bitter lonely lovely hopeful blue red green golden silver
gray grey black white pink purple deep high low free true kind calm brave bold pure raw rich poor late early
last first final fine strange wet dry hard gentle tender broken empty full open lost alive dead electric
neon cosmic urban rural royal lazy crazy easy heavy pretty dirty dusty foggy hazy misty rainy sunny snowy
stormy windy cloudy dreamy moody breezy starry summery wintry shiny chill mellow epic sleepy happy angry
restless endless timeless fearless careless peaceful beautiful wonderful faithful tropical magical mystical
nostalgic romantic melancholic emotional acoustic ancient modern distant silent secret hidden golden fading
glowing burning rising falling shining bittersweet uplifting haunting soaring gloomy weary best heartbroken
worst favourite favorite good bad great nice awesome perfect amazing fresh crisp clean proud shy cute rough
smooth sharp thin thick tall wise fair rare vast sweaty sticky groovy funky""".split())
_NOT_ING = set("""morning evening spring string thing king ring wing sing swing ceiling feeling building ending
beginning wedding darling sibling everything nothing something anything""".split())
_NOUN_Y = set("""city memory story sky party melody country family army baby body lady valley journey honey
money symphony harmony galaxy fantasy energy history mystery victory glory destiny sympathy poetry diary
boy toy day way bay ray key""".split())
# Nouns spelt as adjectives are (drive as massive, puppy as sunny, fish as foolish).
_NOUN_SPELT_AS_ADJ = set("""drive dive hive olive archive detective native motive captive
relative puppy bunny kitty daddy mommy granny nanny teddy buddy hobby lobby penny berry cherry
ferry jelly belly poppy tummy dolly lolly lily holly rally butterfly dragonfly firefly july
picnic clinic traffic topic logic panic mechanic handful spoonful fish dish wish radish""".split())


_NOUN_ED = {"hundred", "hatred", "kindred", "hearted", "beloved"}  # "for the broken hearted"
# -ly words that are adjectives (what a thing is: "a lonely road"), not how one does something.
_LY_ADJ = set("""lonely lovely friendly holy ugly silly jolly lively early curly chilly hilly oily costly deadly
elderly lowly sickly smelly wobbly cuddly bubbly sparkly kindly timely weekly daily nightly homely ghostly heavenly
worldly motherly fatherly brotherly sisterly leisurely only""".split())


def is_adverb(word: str) -> bool:
    """'finally', 'slowly', 'happily', 'gently': how or when, never a thing nor what a thing is
    ("every finally dream" was sung for "finally finishing my thesis"; its title keeps it)."""
    if not word.endswith("ly") or word in _LY_ADJ or len(word) < 5:
        return False
    if word.endswith("ily"):  # happily, easily (not family)
        return word_kind(word[:-3] + "y") == "adj" and word[:-3] + "y" not in _NOUN_Y
    stem = word[:-2]
    return (stem in _ADJ or word[:-1] + "e" in _ADJ or word in _ADVERBS  # slowly, gently, simply
            or word.endswith(("ously", "fully", "ently", "antly", "ively", "lessly", "edly", "ingly"))
            or word.endswith("ally") and len(word) > 6)  # finally, totally, actually (not rally)


_ADVERBS = set("""really nearly barely suddenly mostly merely partly clearly softly madly badly simply truly
hardly surely rarely lately certainly""".split())


def word_kind(word: str) -> str:
    """'noun', 'adj' or 'ing' for a lower-case word, from spelling and short lists."""
    if word in _ADJ:
        return "adj"
    if word.endswith("ing") and len(word) > 4 and word not in _NOT_ING and word not in DAYS:
        return "ing"
    if word in _NOUN_Y or word in _NOT_ING or word in _NOUN_SPELT_AS_ADJ or word.endswith("fish") or word in DAYS:
        return "noun"  # goldfish, jellyfish, thanksgiving
    if word.endswith(("ful", "less", "ous", "ive", "ish", "ic", "able", "ible", "ly")):
        return "adj"
    if word.endswith(("ional", "ical", "ntal", "ternal", "tural", "otal")):
        return "adj"  # motivational, magical, mental, eternal, natural, total
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed") and word not in _NOUN_ED:
        return "adj"  # pumped, tired, faded, wicked: what a thing is, not a thing
    if len(word) > 3 and word.endswith("y") and word[-2] == word[-3] and word[-2] not in "aeiouy":
        return "adj"  # sunny, foggy, happy: a doubled consonant before the y
    return "noun"


_IRREGULAR = {"teeth": "tooth", "feet": "foot", "children": "child", "men": "man", "women": "woman", "mice": "mouse",
              "geese": "goose", "people": "person", "wolves": "wolf", "leaves": "leaf", "knives": "knife",
              "lives": "life", "wives": "wife", "thieves": "thief", "shelves": "shelf", "halves": "half",
              **{w: w for w in ("christmas", "xmas", "texas", "atlas", "canvas", "news", "series", "species")}}


# Nouns whose one ends in -ie: "cookies" is a cookie ("Every cooky reminds me of your face").
_IE_NOUNS = set("""cookie movie brownie zombie rookie selfie hoodie smoothie genie prairie calorie pixie goalie
auntie bestie sweetie newbie veggie birdie""".split())


def singular(noun: str) -> str:
    """'lighthouses' → 'lighthouse' (the lines sing 'the {a} was', 'a {b}'). A name of more
    words stays as it is ('los angeles')."""
    if " " in noun:
        return noun
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-1] if noun[:-1] in _IE_NOUNS else noun[:-3] + "y"
    if noun.endswith(("ches", "shes", "sses", "xes")):
        return noun[:-2]
    if noun.endswith("s") and not noun.endswith(("ss", "us", "is")) and len(noun) > 3:
        return noun[:-1]
    return noun


# The word after these is a verb, whatever its spelling: "a keeper who waits" sang "the wait
# is gold", "a girl who walks home" titled "Walks".
BEFORE_A_VERB = {"who", "that", "he", "she", "it", "they", "we", "i", "you", "which"}


# Verbs a plural written right before says it does: "while the children play", "where the
# waves crash" ("I've been searching for the children play" was sung, a thing of two words).
_BARE_VERBS = set("""play sing dance laugh cry run fly sleep dream fall shine grow wait talk walk fight pray hide
blow burn glow crash break roll rise shout scream whisper sway swim smile weep bloom fade drift wander roam howl
bark chirp gather meet stay leave go come turn spin twinkle sparkle flicker hum ring""".split())


# Style words that are also a song's mood: they set the sound ("a sad song" is in a minor key)
# and may colour its words too ("the sad road", "Sad Love").
MOODS = {"sad", "happy", "dark", "bright", "calm", "dreamy", "epic", "melancholic", "romantic", "soft",
         "warm", "cheerful", "joyful", "joyous"}


# After "to", the word is what the music is for when "to" or someone follows it: "beats to
# study to", "music to get me pumped", "songs to fall asleep to" (but "a trip to Tokyo").
_AFTER_AN_ACTIVITY = {"to", "me", "you", "us", "them", "him", "her", "it"}
_PARTICLES = {"asleep", "away", "out", "up", "down", "off", "along", "around", "back", "over", "through"}


# Music is for doing something: the word after "<music> to" is a verb ("a song to wake up to").
_MUSIC = set("""anthem anthems song songs music track tracks tune tunes beat beats playlist mix jam ballad hymn
soundtrack lullaby""".split())


# What music is for when written right before it: "lofi study beats", "sleep music" ("I still
# miss the study tonight" was sung).
_FOR_DOING = set("""study sleep focus work relax meditate read code cook run drive dance""".split())


def _activities(words: list[str], names=()) -> set[str]:
    found = set()
    for i, (a, b) in enumerate(zip(words, words[1:], strict=False)):
        if a in _FOR_DOING and b in _MUSIC:
            found.add(a)
        rest = words[i + 2:]
        particle = rest[:1] and rest[0] in _PARTICLES
        rest = rest[1:] if particle else rest
        song_to = i > 0 and words[i - 1] in _MUSIC  # "an anthem to push through the last mile"
        if a == "to" and b not in _STOP and (rest[:1] and rest[0] in _AFTER_AN_ACTIVITY or particle and not rest
                                             or song_to and particle and b not in _TIMES and b not in names):
            found.add(b)
    return found


def ing_form(verb: str) -> str:
    """'study' → 'studying', 'dance' → 'dancing', 'run' → 'running', 'relax' → 'relaxing'."""
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if len(verb) <= 4 and re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", verb):
        return verb + verb[-1] + "ing"  # one short vowel before one consonant: run, swim, chat
    return verb + "ing"


def keywords(idea: str) -> list[str]:
    """The idea's words a song may be about, in order: no directions, style words (but its
    moods), verbs (but what the music is for, sung as an -ing word: "studying")."""
    from .style import WORDS
    idea = as_named(idea)
    # A style of more words is no subject: "a dreamy bossa nova cover" sang "the nova cover".
    text = _style_phrases().sub(" ", idea) if idea else ""
    # "a children's song", "the kids' room": the owner is the word ("children'" was sung)
    names = proper_nouns(idea)
    words = _with_names([re.sub(r"'s?$", "", w.lower()) for w in re.findall(WORD, text)], names)
    style_words = (set(WORDS) | set(ALIASES) | {"lo", "fi", "hop", "hip"}) - MOODS
    verbs = {b for a, b in zip(words, words[1:], strict=False)
             if a in BEFORE_A_VERB or b in _BARE_VERBS and singular(a) != a and a not in names}
    doing = _activities(words, names)
    activities = {ing_form(w) for w in doing}  # "relaxing" is also a style word
    words = [ing_form(w) if w in doing else w for w in words]
    about = about_what([w.lower() for w in re.findall(WORD, text)])
    seen: dict[str, None] = {}
    for before, w in zip(["", *words], words, strict=False):
        if before in ("all", "every") and w in _TIMES:
            continue  # "a cat who sleeps all day": when, not what
        # "tunes" is as much a direction as "tune": a word is kept only if its singular is too
        if w in activities or names.get(w) == "name" and w in _WORDS_AS_NAMES \
                or w not in _STOP and singular(w) not in _STOP and fold(w) not in style_words \
                and (len(w) > 2 or w in BEINGS) and w not in verbs \
                and ("'" not in w or " " in w and w in names):  # not "don't", "I'm"
            seen.setdefault(w, None)
        elif w in about and (fold(w) in style_words or w in _SOUNDS_ABOUT):
            seen.setdefault(w, None)  # "a song about my guitar" is about it, as "maria's guitar" is
    return list(seen)


# A song's sound or its directions, which are its subject right after "about": "a song about
# a guitar" was titled "Drifting in the Dream" and sung without one, "a sad song about the keys
# I lost" "Song for a Silver Heart".
_SOUNDS_ABOUT = {"music", "voice", "key", "keys", "singer", "melody", "melodies", "beat", "tune", "playlist",
                 "mixtape", "songs", "duo", "trio", "quartet", "quintet", "ensemble", "orchestra"}


def about_what(words: list[str]) -> set[str]:
    """The words (lower case, in order, an owner's with its "'s") right after "about", or after
    "about" and a determiner, the thing's adjectives or its owner ("about my guitar", "about her
    old guitar", "about Maria's guitar": the last two were sung without one); after "against",
    what a song is against being what it is about; and a thing someone owns ("maria's guitar")."""
    out = set()
    for i, word in enumerate(words):
        if word in _ABOUT_WORDS or word.endswith("'s"):
            out.add(next((w for w in words[i + 1:i + 5] if w not in _DETERMINERS
                          and word_kind(w) != "adj" and not w.endswith("'s")), ""))
        if word in _ABOUT_WORDS:
            out.update(words[i + 1:i + 2])
    return out - {""}


_ABOUT_WORDS = {"about", "against"}


@functools.cache
def _style_phrases() -> re.Pattern:
    """The style names of more than one word ("bossa nova", "drum and bass", "lo-fi"), as
    tokenize reads them, longest first."""
    from .style import WORDS
    phrases = sorted({fold(p) for p in (*WORDS, *ALIASES) if re.search(r"[ -]", p)} - set(MOODS),
                     key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]*")
                                         for p in phrases) + r")\b", re.I)


def _with_names(words: list[str], names: dict[str, str]) -> list[str]:
    """`words` with each name of more words one word: "summer in los angeles" is "summer",
    "in", "los angeles" (not "los", a stop word, and "angeles"), and "father" "day" (its
    owner's "'s" taken off) "father's day"."""
    long = sorted((tuple(n.split()) for n in names if " " in n), key=len, reverse=True)
    out, i = [], 0
    while i < len(words):
        name = next((n for n in long if tuple(words[i:i + len(n)]) == tuple(re.sub(r"'s?$", "", w) for w in n)),
                    None)
        out.append(" ".join(name) if name else words[i])
        i += len(name) if name else 1
    return out


def _articles(line: str) -> str:
    return re.sub(r"\b([Aa]) (?=[aeiouAEIOU])", r"\1n ", line)


# Song forms the lyric writer knows: each section's marker and how many lines it has. The
# chorus is written once and repeated, as songs do; every other section gets its own lines.
FORMS = {
    "verse-chorus": (("Verse", 4), ("Chorus", 4), ("Verse", 4), ("Chorus", 4)),
    "pre-chorus-bridge": (("Verse", 4), ("Pre-Chorus", 2), ("Chorus", 4), ("Verse", 4),
                          ("Pre-Chorus", 2), ("Chorus", 4), ("Bridge", 2), ("Chorus", 4)),
    "intro-outro": (("Intro", 2), ("Verse", 4), ("Chorus", 4), ("Verse", 4), ("Chorus", 4),
                    ("Outro", 2)),
}


# Adjectives that say which one, not what it is like: kept with the thing the idea gives them
# to ("my best friend", "late night", "the old lighthouse keeper"). "The best phone", "the new
# night" were sung when they went to any thing.
_WHICH_ONE = set("""best worst late early last first next new old little big favourite favorite only
dear true""".split())


def things(idea: str, nouns: list[str], adjs: list[str], names: dict) -> tuple[list[str], set[str]]:
    """The idea's things, in order, each once: its nouns (singular), two the idea writes side
    by side as one ("phone calls" → "phone call", "night drive"), with the adjective of
    _WHICH_ONE the idea writes right before them ("late night", "best friend"); and the
    adjectives so held. A name stands alone."""
    def side_by_side(first: str, second: str) -> bool:
        return bool(re.search(rf"\b{re.escape(first)}[ \t]+{re.escape(second)}\b", idea or "", re.I))

    runs: list[list[str]] = []
    for noun in nouns:  # runs of nouns side by side; a name is a run of its own
        if noun == "home" and (runs and side_by_side(runs[-1][-1], noun) or _going_home(idea)):
            continue  # says where to: "the night bus home" is a night bus, not "the home"
        if runs and noun not in names and runs[-1][-1] not in names and side_by_side(runs[-1][-1], noun):
            runs[-1].append(noun)
        else:
            runs.append([noun])
    out: list[str] = []
    held: set[str] = set()
    for run in runs:
        # from the end, two at a time: "late night phone calls" is a night and a phone call
        groups = [run[max(0, i - 2):i] for i in range(len(run), 0, -2)][::-1]
        for group in groups:
            last = group[-1] if group[-1] in names or sung_as_many(group[-1]) else singular(group[-1])
            words = [*group[:-1], last]
            adj = next((a for a in adjs if a in _WHICH_ONE and side_by_side(a, group[0])), None)
            if adj and group[0] not in names:
                held.add(adj)
                words.insert(0, adj)
            out.append(" ".join(words))
    return list(dict.fromkeys(out)), held


# Words after which "home" says where to, not a thing: "walking home", "take me home".
_GOING = set("""go goes going went gone come comes coming came get gets getting got head heads heading headed
drive drives driving drove walk walks walking walked ride rides riding rode run runs running ran fly flies flying
flew sail sails sailing sailed back me you us him her them""".split())


def _going_home(idea: str) -> bool:
    """The idea's "home" says only where to: "walking home in the snow", "take me home"
    (but "leaving home", "missing home" leave and miss a home)."""
    before = re.findall(r"([a-z']+)\s+home\b", (idea or "").lower())
    return bool(before) and all(w in _GOING for w in before)


def _paired(idea: str, adjs: list[str], things_: list[str], names: dict) -> dict[str, str]:
    """{thing: the adjective the idea writes right before it, or before the word before it
    ("rainy sunday morning")}, for things that take one (not a name)."""
    said = [w.lower() for w in re.findall(WORD, idea or "")]
    out: dict[str, str] = {}
    for i, word in enumerate(said):
        if word not in adjs:
            continue
        for after in said[i + 1:i + 3]:
            found = next((t for t in things_ if t not in names and singular(after) in t.split()), None)
            if found:
                out.setdefault(found, word)
                break
    return out


# What kind of song it is, which the title may name ("The Breakup Song") and its lines may
# not: "Stay a while beside the breakup with me", "Raise your voice against the protest tonight"
# (for "an angry protest song about the government", which is against the government).
_KINDS_OF_SONG = {"breakup", "breakups", "protest", "protests"}


def write_lyrics(idea: str, seed: int, form: str = "verse-chorus") -> str:
    """Lyrics in one of FORMS built from the idea's own words, so the song is about the idea:
    its nouns where the lines need things, its adjectives and -ing verbs where they need those
    (seeded stock words when the idea has none of a kind)."""
    if language := romance.language_for(idea):
        return romance.write_lyrics(language, idea, seed, form, FORMS[form])
    rng = rng_for("lyrics", seed) if form == "verse-chorus" else rng_for("lyrics", form, seed)
    idea = as_named(idea)
    audience = for_whom(idea)
    kw = [w for w in keywords(idea) if w not in _KINDS_OF_SONG and not is_adverb(w) and w not in audience]
    # A Father's Day song sings of my dad, a Valentine's Day song of love, where the idea
    # names no one (and no love) itself
    honoured = {_HONOURED[w] for w in kw if w in _HONOURED
                and not any(is_being(singular(v)) or singular(v) in ABSTRACT for v in kw)}
    kw += sorted(honoured)
    names = proper_nouns(idea)
    kinds = {k: [w for w in kw if w not in names and word_kind(w) == k] for k in ("noun", "adj", "ing")}
    phrases, held = things(idea, [w for w in kw if w in names or word_kind(w) == "noun"], kinds["adj"], names)
    names = {singular(w): kind for w, kind in names.items()} | names  # "mondays" is Monday
    nouns = phrases or list(rng.choice(_FALLBACK, size=3, replace=False))
    mood = mood_of(idea)
    # An adjective the idea writes before a thing stays with that thing: "a rainy sunday
    # morning with coffee" is a rainy morning, not "the rainy coffee". One written before no
    # thing ("a song that feels warm") may go with any.
    paired = _paired(idea, [w for w in kinds["adj"] if w not in held], nouns, names)
    free = [w for w in kinds["adj"] if w not in held and w not in paired.values()]
    # An idea of a feeling and no thing ("pumped", "lonely") is sung as one ("Oh, I'm feeling
    # so pumped tonight"); the stock things take stock words: "Underneath the pumped river
    # we wait" was sung.
    felt = free[0] if free and not phrases else None
    stock_adjs = list(rng.choice([w for w in _MOOD_ADJ.get(mood, _FALLBACK_ADJ) if w not in paired.values()
                                  and w != felt], size=2, replace=False))
    adjs = stock_adjs if felt else free or stock_adjs
    # The idea's own -ing words, or the mood's stock ones sung in a seeded turn, each before
    # any comes again: two stock words drawn for a whole song began one line in three
    # ("Dancing where the rivers flow", "Dancing on as long as we are able", "Dancing softly").
    own_ings = [w for w in kinds["ing"] if sung_alone(idea, w)]
    stock_ings = [str(w) for w in rng.permutation(_MOOD_ING.get(mood, _FALLBACK_ING))]
    ings = own_ings or stock_ings
    ing_turn: list[str] = []
    # The second thing a line names ({b}) is another of the idea's, or, for an idea of one
    # thing, a stock one: "harbour" in every line of a harbour song reads as a word game.
    others = nouns if len(nouns) > 1 else \
        nouns + [w for w in rng.choice(_FALLBACK, size=3, replace=False) if w not in nouns]

    def pick(words):
        return words[int(rng.integers(len(words)))]

    # The idea's things are sung in a seeded turn, each before any comes again: a song about
    # "a night drive along the river with my sister" names the river, not three of the four.
    # A person or a pet is sung only in a line it fits (_ANYONE), as the idea's own ("my
    # sister" where it says "my sister").
    unsung: list[str] = []
    sung_once: set[str] = set()
    reserved: dict[tuple[str, str], str] = {}  # a couplet kept for a thing only some lines fit
    # "my wife's smile": the wife is mine ("I take care of the wife every day" was sung)
    said = [re.sub(r"'s$", "", w) for w in re.findall(r"[a-z']+", (idea or "").lower())]
    owned = {}  # "my best friend": the friend is mine; "my baby boy": the baby and the boy
    for i, mine in enumerate(said):
        rest = [w for w in said[i + 1:i + 4] if word_kind(w) != "adj"] if mine in _POSSESSIVES else []
        for w in rest[:2]:
            if w in _STOP or word_kind(w) != "noun":
                break
            owned.setdefault(singular(w), mine)
    for before, w in zip(["", *said], said, strict=False):
        # "a road trip with friends": the singer's own ("my friends"), not "the friends"; so is
        # "dad" in "a song for dad"
        if (singular(w) in _KIN and w != singular(w) or w in _FAMILY) and before not in _DETERMINERS:
            owned.setdefault(singular(w), "my")
    owned |= owners(idea, names)

    for who in honoured:  # "my dad"
        if is_being(who):
            owned.setdefault(who, "my")
    lulled = lulling(idea)
    mourning = bool(_said(idea) & _SAD_WORDS)

    def kind_of(word: str) -> str:
        head = singular(word.split()[-1])  # "best friend" is a friend, "puppy love" love, "friends" friends
        return names.get(word) or ("abstract" if head in ABSTRACT or is_feeling(head) else "being"
                                   if is_being(head) else thing_kind(head))

    def some_lines(word: str) -> bool:
        """Only some lines fit it: a person, a name, love, an object (any line fits scenery)."""
        return kind_of(word) != "scenery"

    def mine(word: str) -> str | None:
        """Whose it is ("my", "your"), for the idea's own person, pet, object or place, and
        for a part of a body, which is always someone's ("brushing teeth": your teeth); and
        for scenery the idea gives someone, as a kitchen is ("my grandmother's house by the
        sea" sang "Carry me across the golden house tonight")."""
        kind = kind_of(word)
        if kind in _BARE or kind == "moment":
            return None
        return owned.get(singular(word.split()[-1])) or ("your" if kind == "body" else None)

    def being(word: str) -> bool:
        return kind_of(word) == "being"

    def fits(word: str, couplet: tuple[str, str], slot: str) -> bool:
        if clashes(word, couplet) or couplet[0] in _MISSING and kind_of(word) in ("being", "name") and not mourning:
            # "I still miss my cat tonight" in a song about a cat who sleeps all day: someone
            # is missed where the idea is sad
            return False
        if misplaced(word, couplet, slot):
            return False
        if word.split()[0] == "ex" and any(line not in _GONE for line in couplet
                                           if "{" + slot + "}" in line or "{" + slot.upper() + "}" in line):
            return False  # someone gone: "All I need is my ex and you"
        # one of many, of what is not counted, or the idea's own: "every teeth", "every coffee",
        # "every my phone"
        many = sung_as_many(word.split()[-1]) or singular(word.split()[-1]) in UNCOUNTED
        # nor is a name one of many: "You're the only John I know"
        if (many or kind_of(word) != "being" and mine(word) or kind_of(word) in _CAPITALISED) and any(
                m.group("slot") == slot for line in couplet for m in _ONE_ONLY.finditer(line)):
            return False
        in_slot = [line for line in couplet if "{" + slot + "}" in line]
        if many and kind_of(word) != "body" and set(in_slot) & _HELD:  # "I take care of the coffee every day"
            return False
        lines = _KIND_LINES.get(kind_of(word))
        return lines is None or all(line in lines for line in couplet
                                    if "{" + slot + "}" in line or "{" + slot.upper() + "}" in line)

    def thing(couplet: tuple[str, str], slot: str, other_than: str | None = None) -> str | None:
        def ok(w):
            return not one_thing(w, other_than) and not two_times(w, other_than) and fits(w, couplet, slot)
        if not any(ok(w) for w in nouns):
            return None
        # (a couplet kept for a thing in its second line keeps it past its first)
        if (kept := reserved.get(couplet)) and ok(kept) and kept not in sung_once:
            del reserved[couplet]
            sung_once.add(kept)
            if kept in unsung:
                unsung.remove(kept)
            return kept
        if not any(ok(w) for w in unsung):
            unsung.extend(w for w in (nouns[int(i)] for i in rng.permutation(len(nouns))) if w not in unsung)
        # a thing not yet sung first; then a line that fits a person, a name or an abstract
        # thing gives it to one first (a person before the others): fewer lines do
        pool = [w for w in unsung if ok(w)]
        pool = [w for w in pool if w not in sung_once] or pool
        word = next((w for w in pool if being(w)), None) or next((w for w in pool if kind_of(w) in _FEWEST), pool[0])
        unsung.remove(word)
        sung_once.add(word)
        return word

    def next_ing() -> str:
        """The idea's own -ing word (any of them), or the next stock one in turn."""
        if own_ings:
            return pick(own_ings)
        if not ing_turn:
            ing_turn.extend(ings)
        return ing_turn.pop(0)

    def stock(couplet, slot, other_than):
        fitting = [w for w in others if not one_thing(w, other_than) and not two_times(w, other_than)
                   and fits(w, couplet, slot)]
        if not fitting and any("{" + slot + "}" in line for line in set(couplet) & _SOMEONE_ONLY):
            return "one"  # "You're the only one I know", not "the only night"
        return pick(fitting or [w for w in _FALLBACK if not one_thing(w, other_than) and not two_times(w, other_than)
                                and not clashes(w, couplet) and not misplaced(w, couplet, slot)])

    def personal(template: str, word: str, slot: str) -> str:
        """'the {a}' is 'my {a}' ('our {a}') for the idea's own person or pet, and '{a}' for
        a name or an abstract thing ('Paris', not 'the rainy paris'; 'love')."""
        if kind_of(word) in _BARE:
            return re.sub(r"\b[Tt]he (\{adj\} )?(?=\{" + slot + r"\})", "", template)
        whose = mine(word)
        if not whose:
            return template
        return re.sub(r"\b([Tt])he (\{adj\} )?(?=\{" + slot + r"\})",
                      lambda m: (whose.capitalize() if m.group(1) == "T" else whose) + " " + (m.group(2) or ""),
                      template)

    # No adjective twice in a section: "Nothing in the gentle morning is to blame / Every gentle
    # river burning bright" was sung of two stock adjectives drawn for the song. Another of its
    # kind is sung, or one more of the mood's, or none; nor one its couplet says ("In the quiet
    # of the kitchen / Nothing in the quiet river").
    said_in_section: set[str] = set()
    more_adjs = [w for w in _MOOD_ADJ.get(mood, _FALLBACK_ADJ) if w not in paired.values() and w != felt]

    def sung(couplet: tuple[str, str]) -> list[str]:
        """The couplet's two lines, one set of words for both: its {a} and {b} are two
        different things ("Every landlord will find its way / Back to the landlord")."""
        lines = "\n".join(couplet)
        # a thing takes its turn only in a couplet that sings it
        a = thing(couplet, "a") if "{a}" in lines or "{A}" in lines else None
        if a is None and ("{a}" in lines or "{A}" in lines):
            a = stock(couplet, "a", None)
        # (a stock -ing word's turn is taken only by a couplet that sings one)
        ing = next_ing() if own_ings or "{ing}" in lines.lower() else ings[0]
        b = (thing(couplet, "b", a) if "{b}" in lines and len(nouns) > 1 else None) or stock(couplet, "b", a)
        a = a or pick([w for w in nouns if w != b] or nouns)
        beside = [w for w, slot in ((a, "a"), (b, "b")) if any("{adj} {" + slot + "}" in t for t in couplet)]
        taken = said_in_section | set(re.findall(r"[a-z]+", " ".join(couplet).lower()))

        def fresh(words: list[str], more: list[str]) -> list[str]:
            return [w for w in words if w not in taken] or [w for w in more if w not in taken] or words

        if beside and beside[0] in paired:
            adj = paired[beside[0]]
        elif beside and beside[0] not in nouns:  # the idea's "good" is for its own things, not "the good heart"
            adj = pick(fresh(stock_adjs, more_adjs))
        elif any(map(being, beside)):
            # a stock adjective for a person is a kind one: "my dear sister", not "my silver
            # sister"; and the song's mood is no person's: "my sad grandmother" in a sad song for her
            adj = pick(fresh([w for w in free if w not in MOODS] or _BEING_ADJ, _BEING_ADJ))
        else:
            adj = pick(fresh(adjs, more_adjs))
        # a stock adjective, or the song's mood, only where it suits: "the silver river", "the
        # sad road", never "the quiet pizza" nor "the cheerful treasure"; and none the section
        # has sung already
        unsuited = {w for w in beside if (adj not in free or adj in MOODS) and not being(w) and w not in paired
                    and singular(w.split()[-1]) not in SCENERY and w.split()[-1] not in SCENERY}
        unsuited |= set(beside) if adj in taken else set()
        # "Falling on before we fall": an -ing word whose verb the line already sings is another
        def clash(w):
            return any(re.search(rf"\b{w[:-3]}", t) for t in couplet)
        if clash(ing):
            ing = next((w for w in [*ing_turn, *ings] if not clash(w)), None) or \
                pick([w for w in _MOOD_ING.get(mood, _FALLBACK_ING) if not clash(w)] or ings)
            if ing in ing_turn:
                ing_turn.remove(ing)
        # {A} is {a} called out ("Harbour, I beg you, never let me go"): a line's start is capitalised below
        words = dict(a=a, b=b, A=a, adj=adj, ing=ing, Ing=ing.capitalize(), feel=felt)
        if kind_of(a) in _CAPITALISED:
            words["a"] = words["A"] = name_case(a)
        if kind_of(b) in _CAPITALISED:
            words["b"] = name_case(b)
        # a thing the idea describes itself ("my best friend", "the late night") takes no other word
        # nor, in an angry song, does a person: not "my dear landlord"
        # nor a thing no stock adjective suits: not "the silver laundry"
        templates = [t.replace("{adj} {a}", "{a}") if a.split()[0] in held or mood == "angry" and being(a)
                     or a in unsuited else t for t in couplet]
        templates = [t.replace("{adj} {b}", "{b}") if b.split()[0] in held or mood == "angry" and being(b)
                     or b in unsuited else t for t in templates]
        templates = [personal(personal(t, a, "a"), b, "b") for t in templates]
        for word, slot in ((a, "a"), (b, "b")):
            if sung_as_many(word.split()[-1]):
                templates = [agreeing(t, slot) for t in templates]
        return [_articles(text[0].upper() + text[1:])
                for text in (template.format(**words) for template in templates)]

    # Each bank's couplets in a seeded order, none sung twice in a song but a refrain. For an
    # idea with a person, a pet or a name in it, the chorus opens with a couplet one fits in.
    unsuited = unsuited_couplets(idea, mood)
    banks = {kind: [c for c in bank if c[0] not in unsuited and (felt or c[0] not in _FEELINGS)]
             for kind, bank in _BANKS.items()}
    order = {kind: [bank[int(i)] for i in rng.permutation(len(bank))] for kind, bank in banks.items()}

    def sings_one(couplet: tuple[str, str], of) -> bool:
        return any(fits(w, couplet, slot) for w in of for slot in ("a", "b")
                   if "{" + slot + "}" in "".join(couplet) or slot == "a" and "{A}" in "".join(couplet))
    # A line only a thing one holds, a food or furniture fits (_OWN) is sung of one of the
    # idea's ("I found the city
    # high and low" was sung of stock words); and the couplets that fit one of the
    # idea's things come first: a song about my phone sang mostly stock scenery once objects
    # left the lines of a landscape.
    for bank in order.values():
        bank[:] = [c for c in bank if all(any(fits(w, c, slot) for w in nouns)
                                          for line in set(c) & _OWN for slot in _SLOT.findall(line))]
        bank.sort(key=lambda c: not sings_one(c, nouns))
    order["chorus"].sort(key=lambda c: c[0] not in _FEELINGS)
    if lulled:
        order["chorus"].sort(key=lambda c: c[0] not in _LULLING)
    # A thing only some lines fit (a person, a name, love) has one kept for it, early enough
    # to be sung in every form: the chorus's first couplet for the first (a person first), the
    # first verses' for the others. Unkept, "puppy love" went unsung in one song in fifteen.
    for i, word in enumerate(sorted((w for w in nouns if some_lines(w)), key=lambda w: not being(w))[:5]):
        bank = order["chorus" if i == 0 else "verse"]
        kept = next((c for c in bank if c not in reserved and any(
            ("{" + slot + "}" in "".join(c) or "{A}" in "".join(c) and slot == "a") and fits(word, c, slot)
            for slot in ("a", "b"))), None)
        if kept:
            bank.remove(kept)
            bank.insert(max(0, i - 1), kept)
            reserved[kept] = word

    # the words the song's lines end in, from the first: the chorus's opening couplet's too
    ended: set[str] = romance.ends(order["chorus"][0])

    def section(kind: str, count: int) -> list[str]:
        bank = order[kind]
        said_in_section.clear()
        out = []
        while len(out) < count:
            # a thing not yet sung before one sung again: "late night" went unsung beside
            # "I take care of my best friend every day"
            waiting = [w for w in phrases if w not in sung_once]
            # and, of couplets as good, one whose lines end in words no line of the song has
            # ("tonight" ends nine of the bank's lines); the chorus opens as its order says
            # (with the idea's person, its feeling, a lullaby's hush); nor one that says again a
            # stock adjective the section has sung ("Every endless road, the good and bad /
            # Underneath a sky of endless blue")
            fresh = [c for c in bank if not romance.ends(c) & ended and not said_in_section & _STOCK_ADJS & set(
                re.findall(r"[a-z]+", " ".join(c).lower()))] if out or kind != "chorus" else bank
            couplet = next((c for c in fresh if sings_one(c, waiting)), None) or \
                next((c for c in bank if sings_one(c, waiting)), (fresh or bank)[0])
            bank.remove(couplet)
            bank.append(couplet)  # a long form may come round again
            out += sung(couplet)
            said_in_section.update(re.findall(r"[a-z]+", " ".join(out).lower()))
            ended.update(romance.ends(couplet))
        return out[:count]

    written: dict[str, list[str]] = {}
    parts: list[str] = []
    for marker, count in FORMS[form]:
        kind = marker.lower()
        if parts:
            parts.append("")
        if kind not in _REFRAINS:
            lines = section(kind, count)
        elif (lines := written.get(kind)) is None:
            lines = written[kind] = section(kind, count)
        parts += [f"[{marker}]", *lines]
    return "\n".join(parts)
