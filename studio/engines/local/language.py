"""Which language an idea or a lyric sheet is written in, from its commonest small words.

Enough to choose how to write and read it (romance.py writes, and the singer reads, Spanish,
Portuguese, Italian and French, and German with german.py); no more: a
text of too few such words is English, the language the writer falls back to.
"""
from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ſœ]+")
# Each language's articles, prepositions, possessives, conjunctions and a few words ideas use.
# Shared words count for each language that has them; the text's language has the most.
MARKERS = {
    "en": set("""the a an of and in with for about my to is are at on from by your our this that song
night love heart""".split()),
    "es": set("""el la los las un una unos unas del al y en con para por sobre mi mis tu tus su sus nuestro
nuestra que es son está canción cancion canciones mientras muy sin entre hasta desde cuando donde noche
amor corazón""".split()),
    "fr": set("""le la les un une des du de et avec pour sur dans mon ma mes ton ta tes son sa ses que qui
est je il elle nous chanson nuit amour coeur cœur au aux""".split()),
    "pt": set("""o os um uma da dos das na nos nas em com para por sobre meu minha meus minhas que
é e canção cancao noite amor coração""".split()),  # not a, as, no, do: English has them
    "it": set("""il lo la i gli le un una uno del della dei nel nella con per su sul sulla mio mia miei che
è e canzone notte amore cuore""".split()),
    "de": set("""der die das den dem des ein eine einen einem und mit für über von zu im am auf mein meine
meiner meinem meinen deine dein unsere ich nicht auch ist lied nacht liebe herz""".split()),
}


def language_of(text: str) -> str:
    """'en', 'es', 'fr', 'pt', 'it' or 'de': the language with the most of its words in
    `text`, two different ones at least and more than any other; else 'en'. English's "I" is
    not Italian's "i"."""
    words = [w if w == "I" else w.lower() for w in _WORD.findall(text or "")]
    scores = {lang: sum(w in marks for w in words) for lang, marks in MARKERS.items()}
    best = max(scores, key=scores.get)
    distinct = {w for w in words if w in MARKERS[best]}
    if best == "en" or len(distinct) < 2 or sum(score == scores[best] for score in scores.values()) > 1:
        return "en"
    return best
