"""Lyrics as the singer reads them: section markers and syllables (songwriter.py writes lyrics
from an idea).

The syllable splitter is a spelling heuristic (vowel groups, with a silent final "e"), which is
all the synthetic singer needs: one note per syllable, a vowel to hold and consonants to spit.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from .language import language_of

SECTION_KINDS = {
    "intro": "intro", "verse": "verse", "pre chorus": "prechorus", "prechorus": "prechorus",
    "pre-chorus": "prechorus",
    # the languages Studio sings name them so too, a pre-chorus first ("pre coro" is no chorus)
    "pre coro": "prechorus", "pre estribillo": "prechorus", "pré refrão": "prechorus",
    "pre refrão": "prechorus", "pré refrain": "prechorus", "pre refrain": "prechorus",
    "pre ritornello": "prechorus", "vorrefrain": "prechorus",
    "verso": "verse", "estrofa": "verse", "strofa": "verse", "couplet": "verse",
    "strophe": "verse", "coro": "chorus", "estribillo": "chorus", "refrão": "chorus",
    "ritornello": "chorus", "ritornelo": "chorus", "puente": "bridge", "ponte": "bridge",
    "pont": "bridge", "brücke": "bridge", "outro final": "outro", "final": "outro",
    "finale": "outro", "chorus": "chorus", "hook": "chorus", "refrain": "chorus",
    "post chorus": "chorus", "bridge": "bridge", "outro": "outro", "ending": "outro", "end": "outro",
    "instrumental": "break", "break": "break", "solo": "break", "interlude": "break", "drop": "chorus",
    "breakdown": "bridge", "build": "prechorus", "buildup": "prechorus",
}
_MARKER = re.compile(r"^\s*\[([^\]]+)\]\s*$")


@dataclass
class Section:
    kind: str  # intro / verse / prechorus / chorus / bridge / break / outro
    label: str  # as written, e.g. "Verse 2"
    lines: list[str]
    language: str = "en"  # the sheet's (language.language_of): how its syllables are read


def section_kind(label: str) -> str:
    s = re.sub(r"[\d:]+", "", label.lower()).strip().replace("-", " ")
    if s in SECTION_KINDS:
        return SECTION_KINDS[s]
    for name, kind in SECTION_KINDS.items():
        if name in s:
            return kind
    return "verse"


def sung_words(raw: str) -> str:
    """A written line as it is sung: (ad-libs) and (stage directions) are not."""
    return re.sub(r"\([^)]*\)", "", raw).strip()


def parse_sections(text: str) -> list[Section]:
    """Split lyrics on [Markers]; text before the first marker is a verse. Empty sections stay
    (an [Intro] with no words is still four bars of music)."""
    sections: list[Section] = []
    current: Section | None = None
    for raw in (text or "").splitlines():
        m = _MARKER.match(raw)
        if m:
            current = Section(section_kind(m.group(1)), m.group(1).strip(), [])
            sections.append(current)
            continue
        line = sung_words(raw)
        if not line:
            continue
        if current is None:
            current = Section("verse", "Verse", [])
            sections.append(current)
        current.lines.append(line)
    language = language_of(text) if sections else "en"
    for section in sections:
        section.language = language
    return sections


def sung_part(text: str, syllables: int) -> str:
    """The part of `text` a tune of `syllables` notes sings, one syllable a note: each line
    whose first syllable it reaches, under its section's marker. Markers with no line left
    after them go."""
    language = language_of(text)
    kept: list[str] = []
    waiting: list[str] = []  # a marker (and the blank lines before it) until its first line
    used = 0
    for raw in (text or "").splitlines():
        if _MARKER.match(raw) or not raw.strip():
            waiting.append(raw)
            continue
        count = len(line_syllables(sung_words(raw), language))
        if not count:  # an ad-lib or a direction alone: kept with what it stands beside
            waiting.append(raw)
            continue
        if used >= syllables:
            break
        kept += [*waiting, raw]
        waiting, used = [], used + count
    return "\n".join(kept).strip()


def has_markers(text: str) -> bool:
    return any(_MARKER.match(line) for line in (text or "").splitlines())


# ---- syllables -------------------------------------------------------------------------

@dataclass(frozen=True)
class Syllable:
    text: str
    onset: str  # consonant letters before the vowel
    vowel: str  # the vowel the singer holds: a e i o u, or r (the r-coloured vowel of "her")
    coda: str  # letters after the vowel (consonants, and a silent e)
    word_end: bool
    glide: str = ""  # where a diphthong moves to: "night" is a→i, "day" e→i, "home" o→u
    breath: bool = False  # the written line pauses after its word ("night," in "Hold the night, my friend")
    language: str = "en"  # whose spelling it is written in, which says how its letters sound (voice.py)


# Vowel groups → (vowel, glide). English spelling is a poor guide to sound; these are the
# readings that come up in lyrics, and the exceptions below the common words that break them.
_GROUPS = {"ee": ("i", ""), "ea": ("i", ""), "ie": ("a", "i"), "y": ("i", ""), "i": ("i", ""), "oo": ("u", ""),
           "ou": ("a", "u"), "ow": ("a", "u"), "u": ("a", ""), "o": ("o", ""), "oa": ("o", "u"), "a": ("a", ""),
           "ai": ("e", "i"), "ay": ("e", "i"), "e": ("e", ""), "ei": ("e", "i"), "ey": ("e", "i"), "au": ("o", ""),
           "aw": ("o", ""), "ew": ("u", ""), "oi": ("o", "i"), "oy": ("o", "i"), "ue": ("u", ""), "ui": ("u", ""),
           "io": ("o", ""),
           "ia": ("a", ""), "eye": ("a", "i"), "uy": ("a", "i"), "ye": ("a", "i"), "eau": ("u", ""), "eo": ("i", "")}
_WORDS = {"you": ("u", ""), "your": ("o", ""), "through": ("u", ""), "soul": ("o", "u"), "though": ("o", "u"),
          "touch": ("a", ""), "young": ("a", ""), "love": ("a", ""), "come": ("a", ""), "some": ("a", ""),
          "done": ("a", ""), "one": ("a", ""), "give": ("i", ""), "live": ("i", ""), "have": ("a", ""),
          "are": ("a", ""), "were": ("r", ""), "key": ("i", ""), "eyes": ("a", "i"), "friend": ("e", ""),
          "heart": ("a", ""), "the": ("a", ""), "to": ("u", ""), "do": ("u", ""), "who": ("u", ""),
          "put": ("u", ""), "full": ("u", ""), "pull": ("u", ""), "push": ("u", ""), "could": ("u", ""),
          "would": ("u", ""), "should": ("u", ""), "good": ("u", "")}
# i before nd or ld is long where the word ends there or an ending follows ("mind", "child",
# "find-ing", "kind-ly"); where a vowel goes on from it, it is short ("win-dow", "chil-dren",
# "cin-der"), and the wind that blows is short, as songs sing it.
_I_ND_ENDINGS = ("er", "ers", "est", "ed", "ing", "ings", "y")
_SHORT_I = {"wind", "winds", "windy", "wilderness", "hinder", "cinder", "cinders", "tinder", "windmill", "children"}
_OW_LONG = set("""slow know glow show grow low blow snow flow own throw below tomorrow shadow window yellow
follow hollow pillow sorrow bow row tow mow shown grown blown known
shadows windows yellows follows hollows pillows sorrows""".split())


def _reading(word: str, group: str, start: int, end: int, last: bool, silent_e: bool, n_groups: int,
             whole: bool = True):
    """(vowel, glide) for the vowel group word[start:end]; `whole` is False for an ending such
    as the "ly" of "lonely" (an i, not the a→i of "fly")."""
    g = group
    after = word[end:]
    if g == "ou" and after == "s" and start > 1:
        return "a", ""  # the unstressed -ous of "famous", "glorious", not the ou of "house"
    if g in ("e", "i", "u") and after[:1] == "r" and (after[1:2] == "" or after[1:2] not in "aeiouy"):
        return "r", ""
    if g == "i" and after.startswith("gh"):
        return "a", "i"  # night, light
    if g == "ow":
        return ("o", "u") if word in _OW_LONG else ("a", "u")
    single_consonant_e = silent_e and last and len(after) == 2 and after[0] not in "aeiouy"
    if len(g) == 1 and single_consonant_e:  # the silent e lengthens: make, time, home, tune
        return {"a": ("e", "i"), "i": ("a", "i"), "o": ("o", "u"), "u": ("u", ""), "e": ("i", ""),
                "y": ("a", "i")}.get(g, ("a", ""))  # and style
    if last and n_groups == 1 and after == "":
        if (g == "y" or g == "i") and whole:
            return "a", "i"  # my, sky, fly, hi
        if g == "e":
            return "i", ""  # me, be, we, she
        if g == "o":
            return "o", "u"  # go, no, so
    if g == "i" and after[:2] in ("nd", "ld") and word not in _SHORT_I \
            and (after[2:3] == "" or after[2:3] not in _VOWELS or not whole or after[2:] in _I_ND_ENDINGS):
        return "a", "i"  # mind, find, wild, child; kind-ness, find-ing, wild-er (not "win-dow")
    if g == "o" and after[:2] in ("ld", "st") and after != "st":
        return "o", "u"  # old, cold, most
    if g in _GROUPS:
        return _GROUPS[g]
    return _GROUPS.get(g[0], ("a", ""))


def _vowel_groups(w: str) -> tuple[list[tuple[int, int]], bool]:
    """The spans of w's sounded vowel groups, and whether w ends in a silent e ("time", "love",
    "smile"; not the syllabic "le" of "little", "table")."""
    # a vowel group takes a w that closes it ("down", "new", "saw"); a leading y before a vowel
    # is a consonant ("you", "yes"), as is the u of "qu" ("quiet")
    lead = 1 if len(w) > 1 and w[0] == "y" and w[1] in "aeiou" else 0
    masked = re.sub(r"(?<=q)u", "q", w)
    groups = [(m.start() + lead, m.end() + lead)
              for m in re.finditer(r"[aeiouy]+(?:w(?![aeiouy]))?", masked[lead:])]
    silent_e = (len(groups) > 1 and w.endswith("e") and groups[-1] == (len(w) - 1, len(w))
                and not re.search(r"[^aeiouy]le$", w))
    if silent_e:
        groups = groups[:-1]
    split = []
    for k, (a, b) in enumerate(groups):
        if _hiatus(w, w[a:b], w[b:], w[a - 1:a], k > 0):
            split += [(a, a + 1), (a + 1, b)]
        else:
            split.append((a, b))
    return split, silent_e


def _hiatus(w: str, group: str, rest: str, before: str, later: bool) -> bool:
    """Whether a vowel group is two vowels, two notes ("quiet" was sung in one):
    - "ie" before a final t ("qui-et", "di-et", "so-ci-e-ty"), before -nce or -nt but after c
      or t ("ex-pe-ri-ence", "cli-ent"; not "pa-tience"), and in a longer word before -er or
      -est ("hap-pi-er", "ea-si-est"; "pier" and "priest" are one);
    - "io" and "ia", but where they are one sound after t, s, c, x, g, h, n or ll, and "ia"
      after l ("li-on", "vi-o-lin", "pi-a-no", "In-di-a"; not "na-tion", "o-pin-ion",
      "mil-lion", "A-sia", "fa-mil-iar"); "io" or "eo" at the end ("ra-di-o", "vi-de-o");
    - "-ious" but after c, t, g or x ("glo-ri-ous"; not "pre-cious"); "-ium" ("sta-di-um");
    - "oe" before m or t ("po-em", "po-et"); "ua" and "ue" before a final l or t ("u-su-al",
      "cru-el", "du-et"), "ua" also before -tion ("sit-u-a-tion"; not "per-suade"); "ui" before
      n but after g ("ru-in", "in-tu-i-tion"; not "pen-guin");
    - "ea" after a first re-, cre- or pre- before l and a vowel, t or ct ("re-al-ize",
      "cre-ate", "re-act"; not "real", "creature", "reach"), and ending a longer word ("a-re-a",
      "Ko-re-a"; not "sea", "Chel-sea");
    - "ie" right after a first sc- ("sci-ence", "sci-en-tist"; not "con-science", "an-cient")."""
    one_sound = before in ("tscxghnl" if group == "ia" else "tscxghn") or w.find("ll" + group) >= 0
    if group == "ie":
        return (rest in ("t", "ts", "ty", "tly") or (later and rest in ("r", "rs", "st"))
                or (rest[:3] in ("nce", "nt", "nts") and before not in "ct") or w.startswith("sci"))
    if group in ("io", "eo"):
        return (later and rest == "") or (group == "io" and rest != "" and not one_sound)
    if group == "ia":
        return not one_sound and (rest != "" or later)
    if group == "iu":
        return rest[:1] == "m"
    if group == "ui":
        return rest[:1] == "n" and before != "g"
    if group == "oe":
        return rest[:1] in ("m", "t")
    if group == "iou":
        return later and rest == "s" and before not in "ctgx"
    if group in ("ua", "ue"):
        return (rest in ("l", "ls", "lly", "t", "ts") and before != "g") or (group == "ua" and rest[:4] == "tion")
    if group == "ea":
        return (w[:w.find("ea") + 1] in ("re", "cre", "pre")
                and re.match(r"l[aeiouy]|t(?!u)|ct", rest) is not None) \
            or (later and rest in ("", "s") and before != "s")  # "Chel-sea" ends in the sea
    return False


# Letter pairs that spell one sound, which begin the syllable a cut inside them would split
# ("no-thing", not "not-hing" with its h a breath; "po-cket": a singer carries the consonant
# to the next vowel). "ng" is not one: in "an-ger", "fin-ger", "dan-ger" it is two sounds, and
# no syllable begins with it; "sing-ing" keeps it whole (_pieces).
_PAIRS = {"th", "sh", "ch", "ph", "wh", "ck"}


def _plain_syllables(w: str, whole: bool = True) -> list[Syllable]:
    """w read as one piece of spelling (a word, or a piece of one that _pieces found)."""
    groups, silent_e = _vowel_groups(w)
    if not groups:
        return [Syllable(w, w, "u", "", True)]
    out: list[Syllable] = []
    start = 0
    for i, (a, b) in enumerate(groups):
        last = i == len(groups) - 1
        if not last:
            nxt = groups[i + 1][0]
            cons = nxt - b
            cut = b + (cons // 2 if cons > 1 else 0)
            # a pair of letters that spells one sound stays in one piece: "no-thing", "mo-ther",
            # "pu-shing", "tea-cher", "po-cket" (not "not-hing", "poc-ket")
            if w[cut - 1:cut + 1] in _PAIRS and cut > b:
                cut -= 1
        else:
            cut = len(w)
        if w in _WORDS and len(groups) == 1:
            vowel, glide = _WORDS[w]
        else:
            vowel, glide = _reading(w, w[a:b], a, b, last, silent_e, len(groups), whole)
        out.append(Syllable(w[start:cut], w[start:a], vowel, w[b:cut], last, glide))
        start = cut
    return out


def _silent_e_stem(stem: str) -> bool:
    """Whether stem ends in a silent e ("lone", "some", "fire"), which stays silent when an
    ending or a second word follows it ("lonely" is lone-ly, "someone" some-one); not the
    sounded e of "the" ("nevertheless")."""
    return len(stem) > 2 and stem.endswith("e") and not stem.endswith("the") and _vowel_groups(stem)[1]


_ENDING_SYLLABLES = {"lier": ("li", "er"), "liest": ("li", "est")}  # "lone-li-er", not "lone-lier"
# Endings after which a stem's silent e stays silent ("lone-ly", "time-less", "hope-ful"), and
# the second words of compounds ("some-thing", "fire-fly", "may-be").
_E_ENDINGS = ("lessness", "lessly", "liness", "liest", "lier", "fully", "less", "ness", "ments", "ment", "ful", "ly",
              "some")
_SECOND_WORDS = ("one", "ones", "body", "thing", "things", "where", "day", "days", "how", "time", "times", "way",
                 "ways", "light", "lights", "line", "lines", "town", "land", "sick", "work", "works", "fly", "flies",
                 "place", "side", "wise", "ward", "more", "be")
# Silent-e words that begin compounds with any second word ("home-com-ing", "life-long")
_E_FIRST_WORDS = ("some", "home", "life", "fire", "love", "time", "lone", "whole", "stone", "note", "game", "grave",
                  "wide", "like", "safe", "sure")
# First words of compounds that are not silent-e stems: "any-one", "may-be", "no-where"; "every" is sung
# in two ("ev-ry-thing"), as "evening" is ("eve-ning")
_FIRST_WORDS = {"any": [("any", "word")], "no": [("no", "word")],
                "every": [("ev", "word"), ("e", "silent"), ("ry", "ending")], "may": [("may", "word")]}
# Second words of compounds that begin with an h, which the first word's last letter does not
# join: "sweet-heart", "child-hood", "light-house" (not "swee-theart" as "fea-ther")
_H_SECOND_WORDS = ("heart", "hearts", "house", "houses", "hood", "head", "heads", "hill", "hills", "hole", "holes",
                   "herd")
_PIECES = {"evening": ("eve", "ning"), "evenings": ("eve", "nings"), "idea": ("i", "de", "a"),
           "ideas": ("i", "de", "as"),
           "soldier": ("sol", "dier"), "soldiers": ("sol", "diers"),  # not "hap-pi-er"
           "element": ("el", "e", "ment"), "elements": ("el", "e", "ments")}  # not "lone-ly"
# Stems in -nge whose ng is soft (n and a j): their -ing is cut before the g ("chan-ging")
_SOFT_NGE = {"change", "exchange", "range", "arrange", "rearrange", "estrange", "challenge", "plunge", "lunge",
             "cringe", "hinge", "binge", "avenge", "revenge", "sponge", "lounge", "scavenge", "impinge",
             "fringe", "tinge", "syringe", "derange", "orange"}
# -ed words whose e is sounded though no t or d comes before it ("na-ked", not "naked" as "baked")
_SOUNDED_ED = {"naked", "wicked", "crooked", "ragged", "rugged", "jagged", "wretched", "beloved"}
_VOWELS = "aeiouy"


def _pieces(w: str) -> list[tuple[str, str]]:
    """w cut where English spelling hides a morpheme: (piece, kind) with kind "word" (read as a
    word of its own), "ending" (read as a suffix: the y of "-ly" is an i) or "silent" (a
    plural or past ending with no vowel of its own: "comes" is come+s, "walked" walk+ed, and
    the e that "ev-e-ry" drops).
    The splitter read every "e" as a vowel, so "comes" was sung "co-mes", "loved" "lo-ved" and
    "lonely" "lo-ne-ly"."""
    if w in _PIECES:
        first, *rest = _PIECES[w]
        return [(first, "word")] + [(p, "ending") for p in rest]
    for first, sung in _FIRST_WORDS.items():
        rest = w[len(first):]
        if w.startswith(first) and (rest == "" or rest in _SECOND_WORDS):
            return sung + (_pieces(rest) if rest else [])
    for ending in _E_ENDINGS + _SECOND_WORDS:
        stem = w[:-len(ending)]
        if w.endswith(ending) and _silent_e_stem(stem):
            if ending in _SECOND_WORDS:
                return _pieces(stem) + _pieces(ending)
            return _pieces(stem) + [(p, "ending") for p in _ENDING_SYLLABLES.get(ending, (ending,))]
    for first in _E_FIRST_WORDS:  # home-com-ing, life-long
        rest = w[len(first):]
        if w.startswith(first) and rest[:1] not in ("", *_VOWELS, "r") and _vowel_groups(rest)[0]:
            return _pieces(first) + _pieces(rest)
    for second in _H_SECOND_WORDS:
        stem = w[:-len(second)]
        if w.endswith(second) and _vowel_groups(stem)[0]:
            return _pieces(stem) + _pieces(second)
    n = len(w)
    # -er after a vowel and a y is a syllable of its own: "play-er", "buy-er", "de-stroy-er"
    # (but "prayer", sung in one)
    if (m := re.fullmatch(r"(.+[aeiou]y)(ers?)", w)) and w not in ("prayer", "prayers"):
        return _pieces(m.group(1)) + [(m.group(2), "ending")]
    # -ing after an ng keeps the ng in the word before it, one nasal sound: "sing-ing",
    # "long-ing", "bring-ing" (not "sin-ging", sung with a g); but a stem that lost a silent e
    # is soft: "chan-ging", "stran-ger" as "change", "strange"
    if (m := re.fullmatch(r"(.+ng)(ings?)", w)) and m.group(1) + "e" not in _SOFT_NGE:
        return _pieces(m.group(1)) + [(m.group(2), "ending")]
    # -ing after a vowel is a syllable of its own: "be-ing", "go-ing", "fly-ing"
    if n > 4 and w.endswith("ing") and w[-4] in _VOWELS:
        return _pieces(w[:-3]) + [("ing", "ending")]
    if n > 3 and w[-2:] in ("es", "ed") and w[-3] not in _VOWELS and len(_vowel_groups(w[:-2])[0]) >= 1:
        c, before = w[-3], w[-4]
        syllabic = before not in _VOWELS + "lrw" and c in "lr"  # tangled, tables, hundred: no silent e
        if w.endswith("es") and not syllabic and c not in "sxzcg" and w[-4:-2] not in ("ch", "sh"):
            return _pieces(w[:-1]) + [("s", "silent")]  # comes, times, clothes; not places, wishes
        if w.endswith("ed") and not syllabic and c not in "td" and w not in _SOUNDED_ED:
            # a silent-e stem takes a d ("love-d", "smile-d"), any other an ed ("walk-ed",
            # "whisper-ed": a longer word does not double its consonant)
            vce = before in "aiou" or (before == "e" and len(_vowel_groups(w[:-2])[0]) == 1)
            if vce and c not in "wxy" and (n < 5 or w[-5] not in _VOWELS):
                return _pieces(w[:-1]) + [("d", "silent")]
            return _pieces(w[:-2]) + [("ed", "silent")]
    return [(w, "word")]


def syllables(word: str) -> list[Syllable]:
    """The word's syllables, one sung note each."""
    w = re.sub(r"[^a-z']", "", word.lower()).replace("'", "")
    if not w:
        return []
    out: list[Syllable] = []
    for piece, kind in _pieces(w):
        if kind == "silent" and out:
            held = out[-1]
            out[-1] = replace(held, text=held.text + piece, coda=held.coda + piece)
        else:
            out += _plain_syllables(piece, whole=kind == "word")
    return [replace(s, word_end=k == len(out) - 1) for k, s in enumerate(out)]


# Languages whose every vowel is sounded as written, as the singer reads them; each is first
# respelt where its letters sound otherwise (RESPELT).
AS_SPELT = {"es", "pt", "it", "fr", "de"}


def german_sounds(word: str) -> str:
    """A German word respelt as it sounds, for spelt_syllables and the voice: ie is a long i
    ("Liebe", "nie", "die" were sung with an e), ei an a gliding to i ("mein"), eu and äu an o
    gliding to i ("Freude"), ä and ö near enough an e and ü an i; an h after a vowel only makes
    it long ("Jahr", "ihr"); sch is an sh ("Tasche", "Tisch") and so is the s of a word's first
    st or sp ("Stern", "spielen"); ch after a, o or u is the back ch of "Nacht" (kh), -ig ends
    on the front ch of "ich" ("König"); z is a t and an s ("Zeit", "Herz"); a b, d or g that
    ends a word is a p, t or k ("Tag", "und"). A doubled vowel is one long one ("Meer"), ß a
    double s ("Straße"), and a final e is sounded as in Spanish ("Son-ne")."""
    w = word.lower().replace("ß", "ss")
    w = re.sub(r"ei|ie|eu|äu", lambda m: _GERMAN_GLIDES[m.group()], w)  # left to right: "Feier" fai-er
    w = w.translate(_GERMAN_UMLAUTS)
    w = re.sub(r"(?<=[aeiou])h(?![aeiou])", "", w)
    w = re.sub(r"^s(?=[pt])", "sh", w.replace("sch", "sh"))
    w = re.sub(r"ig$", "ich", w)
    w = re.sub(r"(?<=[aou])ch", "kh", w)
    w = w.replace("tz", "z").replace("z", "ts")
    w = re.sub(r"(?:[bd]|(?<!n)g)(?=[st]?$)", lambda m: "ptk"["bdg".index(m.group())], w)  # not "Ding"
    return re.sub(r"([aeo])\1", r"\1", w)


_GERMAN_GLIDES = {"ei": "ai", "ie": "i", "eu": "oi", "äu": "oi"}
_GERMAN_UMLAUTS = str.maketrans({"ä": "e", "ö": "e", "ü": "i"})


def line_syllables(line: str, language: str = "en") -> list[Syllable]:
    """The line's syllables, read as English spelling, or as Spanish, Portuguese, Italian,
    French or German spelling (AS_SPELT): an accented letter as its plain one ("café" is sung
    "ca-fe", not "caf")."""
    if language in AS_SPELT:
        respell = RESPELT.get(language, str)
        return [replace(s, language=language)
                for word in re.findall(LETTERS, line) for s in spelt_syllables(respell(word))]
    plain = "".join(c for c in unicodedata.normalize("NFKD", line) if not unicodedata.combining(c))
    return [s for word in re.findall(r"[A-Za-z']+", plain) for s in syllables(word)]


LETTERS = r"[A-Za-zÀ-ÖØ-öø-ſ']+"
# Spanish consonant pairs that begin a syllable together: "o-tra", "ha-blar", "no-che", "ca-lle".
# The respelt sh, kh and ts of German begin one too ("Ta-sche", "la-chen", "Kat-ze"), the ny
# and ly of Spanish, Italian and Portuguese ("a-ño", "so-gno", "fi-lho") and the zh of French
# and Portuguese ("tou-jours", "ho-je"): see *_sounds.
_ONSET_PAIRS = {"pr", "br", "tr", "dr", "cr", "gr", "fr", "pl", "bl", "cl", "gl", "fl", "ch", "ll", "rr",
                "sh", "kh", "ts", "ny", "ly", "zh"}


_FRENCH_GROUPS = [("eau", "o"), ("au", "o"), ("où", "u"), ("oû", "u"), ("ou", "u"), ("oi", "ua"), ("aî", "É"),
                  ("ai", "É"), ("ei", "É"), ("œu", "É"), ("eu", "É"), ("œ", "É"), ("qu", "k"), ("ph", "f"),
                  ("ç", "s"), ("à", "a"), ("â", "a"), ("î", "i"), ("ï", "i"), ("ô", "o"), ("û", "u"), ("ù", "u")]
_FRENCH_L_AS_Y = {"e": "Éy", "a": "ay", "ou": "uy", "eu": "Éy"}
_SOUNDED_ILLE = {"ville", "villes", "mille", "tranquille", "lille"}
_SOUNDED_ER = {"mer", "fer", "fier", "hier", "cher", "chère", "amer", "hiver", "enfer", "super", "cœur", "sœur"}


def french_sounds(word: str) -> str:
    """A French word respelt so that every vowel left is sounded (spelt_syllables reads it):
    its vowel letters as they sound ("eau" o, "ou" u, "oi" ua, "ai" é, "eu" é), its silent letters
    gone: an h (but in ch), a final s, t, d, x, z or p ("nuit" nui, "temps" tem, "quand"
    kan: a nasal keeps its n), then a final e after a consonant ("tombe" tomb); a final -er,
    -ez or -et of a long word is sounded é ("chanter" chanté, but "mer"). "l'amour" is one
    word: lamur. Its j, and g before e, i or y, are a zh ("jour", "rouge" were sung with a
    j's burst and a hard g); gn an n gliding into a y ("montagne"); the l of -eil, -ail, -ouil
    and -euil, and of -ille after a consonant, a y ("soleil" so-ley, "fille" fi-ye; but
    "ville", "mille")."""
    low = word.lower().replace("'", "").replace("’", "")
    w = re.sub(r"(?<![cpst])h", "", low)
    w = re.sub(r"g(?=[eiyéèêë])", "zh", w).replace("j", "zh").replace("gn", "ny")
    w = re.sub(r"(e|a|ou|eu)(?:ill(?=[aeiouyé])|il(?=s?$))", lambda m: _FRENCH_L_AS_Y[m.group(1)], w)
    if low not in _SOUNDED_ILLE:
        w = re.sub(r"(?<![aeiou])ill(?=es?$)", "iy", w)
    w = re.sub(r"gu(?=[eéèêi])", "g", w)
    for letters, sound in _FRENCH_GROUPS:
        w = w.replace(letters, sound)
    w = re.sub(r"[éèêë]", "É", w)  # sounded, unlike a final e
    if len(w) > 4 and low not in _SOUNDED_ER:
        w = re.sub(r"(?<=[a-zÉ])(er|ez|et)$", "É", w)
    w = re.sub(r"(?<=[aeiouyÉ])([^aeiouyÉ]*?)[stdxzpg]+$", r"\1", w)  # nui(t), tem(ps), dor(s)
    w = re.sub(r"(?<=[aeiouyÉ][^aeiouyÉ])e$|(?<=[aeiouyÉ][^aeiouyÉ]{2})e$", "", w)  # tomb(e), lent(e)
    return w.replace("É", "e")


def spanish_sounds(word: str) -> str:
    """A Spanish word respelt as it sounds: ñ an n gliding into a y ("año" was sung "ano",
    "sueño" "sueno"), z an s as most of the Spanish-speaking world sings it ("corazón")."""
    return word.lower().replace("ñ", "ny").replace("z", "s")


def portuguese_sounds(word: str) -> str:
    """A Portuguese word respelt as it sounds: ç an s ("coração" sang a k for it); ão, ãe and
    õe one syllable that glides and closes on a nasal ("não" was sung as two, "na-o"), ã and õ
    a nasal vowel ("irmã"); j, and g before e or i, a zh ("já", "gente"); lh and nh an l or n
    gliding into a y ("filho", "sonho"), as Spanish ñ and Italian gli are."""
    w = re.sub(r"g(?=[eiéêí])", "zh", word.lower().replace("ç", "s")).replace("j", "zh")
    w = w.replace("lh", "ly").replace("nh", "ny")
    for nasal, sound in _PORTUGUESE_NASALS:
        w = w.replace(nasal, sound)
    return w


_PORTUGUESE_NASALS = (("ão", "aum"), ("ãe", "aim"), ("õe", "oim"), ("ã", "an"), ("õ", "on"))


def italian_sounds(word: str) -> str:
    """An Italian word respelt as it sounds: gn one sound, an n gliding into a y ("sogno" was
    sung "sog-no"); gli an l gliding into a y, its i silent before a vowel ("figlio", "voglio",
    "gli" were sung with a g)."""
    w = re.sub(r"gli(?=[aeiou])", "ly", word.lower())
    return w.replace("gli", "lyi").replace("gn", "ny")


RESPELT = {"fr": french_sounds, "de": german_sounds, "es": spanish_sounds, "pt": portuguese_sounds,
           "it": italian_sounds}


def spelt_syllables(word: str) -> list[Syllable]:
    """A Spanish word's syllables (and near enough, a Portuguese or an Italian one's), as
    Spanish spelling says: every vowel sounds as written (no
    silent e: "tar-de", "no-che"), a, e and o are each a syllable of their own ("ca-e",
    "po-e-ta") and i or u beside one glides into it ("pien-so", "cuan-do", "hoy"), unless
    accented ("dí-a"); u after q or g before e or i is silent ("que", "guitarra"); one
    consonant between vowels begins the next syllable, as do the pairs in _ONSET_PAIRS."""
    accented = word.lower()
    strong_i_u = {i for i, c in enumerate(accented) if c in "íú"}  # breaks a diphthong
    w = "".join(c for c in unicodedata.normalize("NFD", accented) if not unicodedata.combining(c))
    w = re.sub(r"[^a-z]", "", w)
    if not w:
        return []
    letters = list(w)
    vowel = [c in "aeiou" for c in letters]
    for i, c in enumerate(letters):
        if c == "u" and i and letters[i - 1] in "qg" and letters[i + 1:i + 2] in (["e"], ["i"]):
            vowel[i] = False  # que, qui, guerra, guitarra
        if c == "y" and (i == len(letters) - 1 or len(letters) == 1):
            vowel[i] = True  # hoy, muy, y
    # nuclei: runs of vowels, split between two strong ones (a, e, o, or an accented i or u)
    nuclei: list[list[int]] = []
    for i, is_vowel in enumerate(vowel):
        if not is_vowel:
            continue
        strong = letters[i] in "aeo" or i in strong_i_u
        if nuclei and nuclei[-1][-1] == i - 1:
            previous_strong = any(letters[j] in "aeo" or j in strong_i_u for j in nuclei[-1])
            if not (strong and previous_strong):
                nuclei[-1].append(i)
                continue
        nuclei.append([i])
    if not nuclei:
        return [Syllable(w, w, "u", "", True)]
    out: list[Syllable] = []
    start = 0
    for k, nucleus in enumerate(nuclei):
        a, b = nucleus[0], nucleus[-1] + 1
        if k + 1 < len(nuclei):
            between = w[b:nuclei[k + 1][0]]
            goes_on = 2 if len(between) >= 2 and between[-2:] in _ONSET_PAIRS else min(1, len(between))
            cut = b + len(between) - goes_on
        else:
            cut = len(w)
        group = [letters[j] if letters[j] != "y" else "i" for j in nucleus]
        held = next((c for j, c in zip(nucleus, group, strict=True) if c in "aeo" or j in strong_i_u), group[-1])
        after = group[group.index(held) + 1:] if held in group else []
        glide = after[0] if after and after[0] in "iu" else ""
        out.append(Syllable(w[start:cut], w[start:a], held, w[b:cut], k == len(nuclei) - 1, glide))
        start = cut
    return out


def clean_title(title: str) -> str:
    return re.sub(r"\s+", " ", title or "").strip()[:100]


def lyric_lines_for(section: Section) -> list[list[Syllable]]:
    """The section's sung lines as syllables, each marked where the line pauses (breaths)."""
    return [s for s in (breaths(line, section.language) for line in section.lines) if s]


# Where a written line pauses: a comma, a full stop, a dash set apart ("night - and day")
_PAUSE = re.compile(r"[,;:!?.…]+|\s[-–—]+\s|[–—]")


def breaths(line: str, language: str = "en") -> list[Syllable]:
    """line_syllables, the last syllable before each pause inside the line marked `breath`
    (a short line takes a breath there; composer.Composer.together)."""
    syllables = line_syllables(line, language)
    parts = [len(line_syllables(part, language)) for part in _PAUSE.split(line)]
    if sum(parts) != len(syllables):  # cannot happen: a pause is never inside a word
        return syllables
    k = 0
    for count in parts[:-1]:
        k += count
        if 0 < k < len(syllables) and count:
            syllables[k - 1] = replace(syllables[k - 1], breath=True)
    return syllables


def phrase_bars(syllables: int, beats_per_bar: int) -> int:
    """Bars a sung line takes: two, or as many more (in pairs) as a long line needs to be sung
    whole at an eighth note a syllable or slower (the melody's rhythm leaves a breath of a beat
    at the end of each phrase)."""
    steps = 4 * beats_per_bar  # sixteenths a bar
    bars = 2
    while (bars * steps - 4) // 2 + 1 < syllables and bars < 8:
        bars += 2
    return bars


def estimate_bars(section: Section, beats_per_bar: int) -> int:
    """Sung sections get each line's phrase_bars (two bars for up to ~15 syllables in 4/4);
    instrumental ones a conventional length."""
    lines = lyric_lines_for(section)
    if lines:
        return max(4, sum(phrase_bars(len(line), beats_per_bar) for line in lines))
    return {"intro": 4, "outro": 4, "break": 8, "bridge": 8, "chorus": 8, "verse": 8}.get(section.kind, 4)
