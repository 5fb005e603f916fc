"""Which language an idea or a lyric sheet is written in, from its commonest small words.

Enough to choose how to write and read it (romance.py writes, and the singer reads, Spanish,
Portuguese, Italian and French, and German with german.py); no more: a
text of too few such words is English, the language the writer falls back to.
"""
from __future__ import annotations

import re

# A word, and a word elided before the next one with its apostrophe ("sull'", "l'", "d'")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ſœ]+(?:['’](?=[A-Za-zÀ-ÖØ-öø-ſœ]))?")
# Each language's articles, prepositions (with the articles they hold: "sulla", "al"), their
# elided forms ("sull'", "l'"), possessives, conjunctions and a few words ideas use (the song,
# the night, love, the seasons, the sea and the beach, a party), none an English word ("mare",
# "estate"). Shared words count for each language that has them; the text's language has the most.
MARKERS = {
    "en": set("""the a an of and in with for about my to is are at on from by your our this that song
night love heart""".split()),
    "es": set("""el la los las un una unos unas del al y en con para por sobre de mi mis tu tus su sus nuestro
nuestra que es son está canción cancion canciones mientras muy sin entre hasta desde cuando donde noche
amor corazón verano invierno otoño primavera playa lluvia fiesta mar""".split()),
    "fr": set("""le la les un une des du de d' l' et avec pour sur dans mon ma mes ton ta tes son sa ses que
qui qu' est je il elle nous chanson nuit amour coeur cœur au aux été hiver automne printemps plage pluie fête
mer""".split()),
    # (not a, as, no, do: English has them; nor "à", said in English too: "café au lait à Paris")
    "pt": set("""o os um uma de da dos das na nos nas em com para por sobre ao aos meu minha meus minhas que
é e canção cancao noite amor coração verão inverno outono primavera praia chuva festa mar saudade""".split()),
    "it": set("""il lo la i gli le un una uno l' d' di del dello della dell' dei degli delle al allo alla all'
ai agli alle dal dallo dalla dall' dai nel nello nella nell' nei negli nelle con per su sul sullo sulla sull'
sui sulle mio mia miei che è e canzone notte amore cuore inverno autunno primavera spiaggia pioggia
festa""".split()),
    "de": set("""der die das den dem des ein eine einen einem und mit für über von zu in im am auf mein meine
meiner meinem meinen deine dein unsere ich du wir mir dir mich dich uns nicht auch ist lied nacht liebe
herz""".split()),
}

_ELIDED = {w for marks in MARKERS.values() for w in marks if w.endswith("'")}


def language_of(text: str) -> str:
    """'en', 'es', 'fr', 'pt', 'it' or 'de': the language with the most of its words in
    `text`, two different ones at least and more than any other; else 'en'. English's "I" is
    not Italian's "i"."""
    words = []
    for word in _WORD.findall(text or ""):
        word = word.replace("’", "'")
        if word.endswith("'") and word.lower() not in _ELIDED:  # "that's" is "that", "I'm" "I"
            word = word[:-1]
        words.append(word if word == "I" else word.lower())
    scores = {lang: sum(w in marks for w in words) for lang, marks in MARKERS.items()}
    best = max(scores, key=scores.get)
    distinct = {w for w in words if w in MARKERS[best]}
    # a word English never writes, said twice, is as sure: "der Regen in der Stadt" was English
    twice = {w for w in distinct if words.count(w) > 1 and w not in _ENGLISH_TOO and w not in MARKERS["en"]}
    if best == "en" or len(distinct) + len(twice) < 2 or sum(score == scores[best] for score in scores.values()) > 1:
        return _of_two_words(words, scores) or "en"
    return best


# The markers of the other languages that English writes too, in names and borrowed words
# ("el camino", "los angeles", "pour decisions", "fiesta time", "au pair"), and as its own
# ("die hard", "a den", "AM radio", "im tired").
_ENGLISH_TOO = set("""el la los las le les un una uno al de di da do dos des mi son sus mar fiesta pour mon ma
ta ton et est elle amour amore au o os um em com na nos e lo per su sur mia che con die den am im in""".split())


def _of_two_words(words: list[str], scores: dict[str, int]) -> str | None:
    """The language of an idea of two words (and elided ones) and no English marker, which has
    room for one of its language's: one English never writes is enough ("viaggio all'alba",
    "canción triste", "der Regen"). Italian shares "d'" and "l'" with French, and ends its words in vowels:
    "souvenirs d'enfance" is French."""
    if scores["en"] or len([w for w in words if not w.endswith("'")]) > 2:
        return None
    telltale = {w for w in words if w not in _ENGLISH_TOO}
    found = [lang for lang in ("es", "fr", "pt", "it", "de") if telltale & MARKERS[lang]]
    if len(found) > 1 and any(w[-1] not in "aeiouàèéìòù'" for w in words):
        found = [lang for lang in found if lang != "it"]
    return found[0] if len(found) == 1 else None
