"""Lyrics and titles in Spanish, for an idea written in Spanish ("una canción triste sobre el
mar" was sung "Late at night the española begins to glow" and titled "The Canción and the Mar").

The same craft as the English writer (songwriter.py), in Spanish's grammar: the idea's things
are taken with the article or possessive it gives them ("el mar", "mi madre", "mis amigos"),
so no line has to know a noun's gender; the lines name them only where no verb agrees with
them (after a preposition, as an object, called out), so a plural reads as well as a
singular; "de el" and "a el" are "del" and "al"; a person named as an object takes its "a"
("Recuerdo a mi madre"). Couplets rhyme on their own last words, which the idea never fills.
"""
from __future__ import annotations

import re

from .language import language_of
from .style import ALIASES, fold, rng_for

WORD = r"[A-Za-zÀ-ÖØ-öø-ſ]+"

def is_spanish(idea: str) -> bool:
    return language_of(idea) == "es"


_ARTICLES = {"el", "la", "los", "las", "un", "una", "unos", "unas", "mi", "mis", "tu", "tus", "su", "sus",
             "nuestro", "nuestra", "nuestros", "nuestras"}
# Never a topic: the words that join others, the song itself and how it sounds, adverbs.
_STOP = _ARTICLES | set("""de del al y e o u en con para por sobre a ante bajo contra desde entre hacia hasta
sin según tras que como cuando donde mientras muy más menos tan también ya no sí se me te le lo nos les
yo tú él ella nosotros ellos ellas ustedes es son era fue está están ser estar hay tiene tienen quiero
quiere canción cancion canciones música musica tema temas balada baladas ritmo letra letras voz
melodía melodia himno nana arrullo pieza estilo este esta estos estas ese esa eso aquel todo toda todos
todas cada otro otra otros otras mismo misma alguien algo nada nunca siempre hoy ayer solo sola
lento lenta rápido rápida suave triste feliz alegre alegres tristes romántica romántico
uno dos tres cuatro cinco seis siete ocho nueve diez minuto minutos segundos corta corto""".split())
_BEINGS = set("""madre padre mamá mama papá papa abuela abuelo abuelita abuelito hermana hermano amigo amiga
amigos amigas hijo hija hijos hijas novia novio esposa esposo mujer hombre niño niña niños niñas bebé
bebe tía tío tia tio prima primo familia perro perra gato gata perrito gatito caballo pájaro maestro
maestra vecino vecina gente chica chico chicas chicos""".split())
_ABSTRACT = set("""amor libertad esperanza paz fe alegría tristeza soledad amistad nostalgia vida
felicidad valor""".split())
_QUIET = {"triste", "tristes", "cuna", "dormir", "duerme", "calma", "tranquila", "tranquilo", "suave",
          "lenta", "lento", "nostalgia", "soledad", "adiós", "llorar", "lágrimas", "relajante"}
_LIVELY = {"fiesta", "bailar", "baile", "bailando", "alegre", "feliz", "cumpleaños", "energía", "salsa",
           "reggaetón", "reggaeton", "celebrar", "verano"}

# (line, line): {a}/{b} a thing with its article, {o} the same as an object (a person takes
# "a"), {A} a thing called out bare, {ing} a gerund. No slot ends a line.
_VERSE = [
    ("Pienso en {a} cuando cae la tarde", "y en mi pecho queda un fuego que arde"),
    ("Camino solo junto a {a} otra vez", "buscando el tiempo que se fue después"),
    ("Todo me recuerda a {a} esta noche", "y la ciudad se duerme sin reproche"),
    ("Guardé {o} dentro del corazón", "como se guarda una vieja canción"),
    ("Entre {a} y {b} me perdí", "y no encontré el camino hacia ti"),
    ("Junto a {a} las horas pasan lentas", "y en el silencio tú me cuentas"),
    ("Recuerdo {o} con la luz del día", "cuando tu mano era la mía"),
    ("{Ing} voy por {a} sin mirar atrás", "sabiendo que no volverás jamás"),
    ("En {a} hay un secreto guardado", "que nunca nadie me ha contado"),
    ("Las calles de {a} me vieron crecer", "y hoy vuelvo a ellas al amanecer"),
    ("Cerca de {a} se apaga el día", "y vuelve lenta la melodía"),
    ("Pensando en {a} escribí la verdad", "y el viento la borra sin piedad"),
]
_CHORUS = [
    ("Por {a} yo canto esta canción", "con todo el fuego de mi corazón"),
    ("{A}, {A}, no me dejes ir", "sin ti no sé cómo vivir"),
    ("Volveré a {a} algún día", "con el alma llena de alegría"),
    ("Contigo y {a} hasta el amanecer", "no hay nada más que quiera tener"),
    ("Oh, {A}, llévame más alto", "que el corazón me da un salto"),
    ("Duerme ya, que estoy aquí", "soñando con {a} junto a ti"),
    ("Nada más que {a} y tú", "bajo este cielo tan azul"),
    ("Sigo {ing} bajo el cielo", "pensando en {a} como en un vuelo"),
]
_PRE_CHORUS = [
    ("Y sé que en {a} alguien me espera", "más allá de la frontera"),
    ("Respira hondo, cuenta hasta tres", "pienso en {a} una y otra vez"),
    ("Cierra los ojos, no tengas miedo", "con {a} aquí me quedo"),
]
_BRIDGE = [
    ("Si algún día me alejo de {a} sin razón", "te dejaré mi corazón"),
    ("Entre {a} y {b} lo aprendí", "que todo lo que amo está en ti"),
    ("Dime si recuerdas {o} como yo", "la noche en que todo comenzó"),
]
_INTRO = [
    ("Del eco de {a} nace este cantar", "despacio, despacio, empieza a sonar"),
    ("Aquí comienza, {A}, nuestra historia", "guardada siempre en la memoria"),
]
_OUTRO = [
    ("Me despido de {a} al final", "como una estrella en el cristal"),
    ("Adiós, {A}, hasta mañana", "se apaga la luz en la ventana"),
]
BANKS = {"verse": _VERSE, "chorus": _CHORUS, "pre-chorus": _PRE_CHORUS, "bridge": _BRIDGE,
         "intro": _INTRO, "outro": _OUTRO}
# Lines of a place, where a person does not stand ("En mis amigos hay un secreto guardado").
PLACE_LINES = {"En {a} hay un secreto guardado", "Las calles de {a} me vieron crecer",
               "Y sé que en {a} alguien me espera"}
LIVELY_LINES = {"Oh, {A}, llévame más alto", "Contigo y {a} hasta el amanecer"}
QUIET_LINES = {"Duerme ya, que estoy aquí", "Cierra los ojos, no tengas miedo"}
# The section markers stay in English: they are the vendors' own ([Verse], [Chorus]).
_FALLBACK = ["el mar", "la noche", "la luna", "el camino", "la ciudad", "el viento", "el cielo"]
_ING = {"quiet": ["soñando", "esperando", "recordando"], "lively": ["bailando", "cantando", "volando"],
        None: ["soñando", "bailando", "cantando", "caminando"]}


_FEMININE = set("""noche calle gente muerte suerte tarde nube fuente llave sangre mente frente nieve madre
luz paz fe flor mujer piel sal miel voz red sed imagen costumbre""".split())
_MASCULINE_A = set("""día mapa planeta problema sofá idioma clima tema poema sistema programa drama""".split())


def _article_for(noun: str) -> str:
    """A guess at a noun's article from its ending, for a noun the idea gives none."""
    if noun.endswith(("as", "iones", "dades")) or noun.endswith("es") and noun[:-2] in _FEMININE:
        return "las"
    if noun.endswith("s"):
        return "los"
    if noun in _FEMININE or noun.endswith(("a", "ión", "dad", "tud", "umbre")) and noun not in _MASCULINE_A:
        return "la"
    return "el"


def mood(idea: str) -> str | None:
    said = {w.lower() for w in re.findall(WORD, idea or "")}
    said |= {ALIASES.get(fold(w), "") for w in said}
    quiet = bool(said & (_QUIET | {"sad", "calm", "soft", "slow", "relaxing", "melancholic"}))
    lively = bool(said & (_LIVELY | {"happy", "upbeat", "dance", "energetic", "latin"}))
    return "quiet" if quiet and not lively else "lively" if lively and not quiet else None


def things(idea: str) -> list[tuple[str, str]]:
    """The idea's things in order, each once, as (the noun, the noun with its article or
    possessive as the idea wrote it, or a guessed one; a name bare): ("mar", "el mar"),
    ("madre", "mi madre"), ("Madrid", "Madrid"), ("amor", "el amor")."""
    tokens = re.findall(WORD, idea or "")
    style_words = {fold(w) for w in ALIASES}
    out: dict[str, str] = {}
    for i, word in enumerate(tokens):
        low = word.lower()
        before = tokens[i - 1].lower() if i else ""
        if low in _STOP or len(low) < 3 or fold(low) in style_words or low.endswith(("ando", "iendo", "yendo")):
            continue
        if before and before not in _STOP and not word[0].isupper():
            continue  # after a noun, a word describes it: "la noche oscura", "guitarra española"
        if word[0].isupper() and i:  # "en Madrid", "para María"
            out.setdefault(low, word)
        elif before in _ARTICLES:
            out.setdefault(low, f"{before} {low}")
        else:
            out.setdefault(low, f"{_article_for(low)} {low}")
    return list(out.items())


def _gerunds(idea: str) -> list[str]:
    return list(dict.fromkeys(w.lower() for w in re.findall(WORD, idea or "")
                              if w.lower().endswith(("ando", "iendo", "yendo")) and len(w) > 5))


def _tidy(line: str) -> str:
    line = re.sub(r"\b([Dd]e|[Aa]) el\b", lambda m: "del" if m.group(1).lower() == "de" else "al", line)
    line = re.sub(r"\ba a\b", "a", line)  # "Volveré a a mi madre"
    return line[0].upper() + line[1:]


def write_lyrics(idea: str, seed: int, form: str, sections) -> str:
    """Lyrics in Spanish for `form`, whose `sections` are (marker, lines) as songwriter.FORMS."""
    rng = rng_for("letra", form, seed)
    found = things(idea) or [(p.split()[1], p)
                             for p in (_FALLBACK[int(i)] for i in rng.permutation(len(_FALLBACK))[:3])]
    feel = mood(idea)
    ings = _gerunds(idea) or _ING[feel]
    unsuited = {"quiet": LIVELY_LINES, "lively": QUIET_LINES}.get(feel, set())
    order = {kind: [bank[int(i)] for i in rng.permutation(len(bank)) if bank[int(i)][0] not in unsuited]
             for kind, bank in BANKS.items()}
    turn: list[int] = []

    # the second thing of a one-thing idea is a stock one: "Entre el mar y el mar" is no line
    stock = [(p.split()[1], p) for p in _FALLBACK if p.split()[1] not in {n for n, _p in found}]

    def next_thing(ok) -> tuple[str, str]:
        nonlocal turn
        if not [i for i in turn if ok(found[i])]:
            turn += [int(i) for i in rng.permutation(len(found)) if int(i) not in turn]
        pick = next((i for i in turn if ok(found[i])), None)
        if pick is None:
            return stock[int(rng.integers(len(stock)))]
        turn.remove(pick)
        return found[pick]

    def sung(couplet) -> list[str]:
        text = "\n".join(couplet)
        placed = any(line in PLACE_LINES for line in couplet)
        noun_a, phrase_a = next_thing(lambda t: not (placed and t[0] in _BEINGS))
        noun_b, phrase_b = next_thing(lambda t: t[0] != noun_a and not (placed and t[0] in _BEINGS)) \
            if "{b}" in text else ("", "")
        person = noun_a in _BEINGS
        words = {"a": phrase_a, "b": phrase_b, "o": f"a {phrase_a}" if person else phrase_a,
                 "A": phrase_a if phrase_a[:1].isupper() else noun_a,
                 "ing": ings[int(rng.integers(len(ings)))]}
        words["Ing"] = words["ing"].capitalize()
        return [_tidy(line.format(**words)) for line in couplet]

    written: dict[str, list[str]] = {}
    parts: list[str] = []
    for marker, count in sections:
        kind = marker.lower()
        if parts:
            parts.append("")
        if kind in written:
            lines = written[kind]
        else:
            lines = []
            while len(lines) < count:
                couplet = order[kind].pop(0)
                order[kind].append(couplet)
                lines += sung(couplet)
            lines = lines[:count]
            if kind in ("chorus", "pre-chorus"):
                written[kind] = lines
        parts += [f"[{marker}]", *lines]
    return "\n".join(parts)


_TITLES = ["{a}", "Canción para {a}", "Volver a {a}", "Sueños de {a}", "{Ing} en {a}", "Siempre {a}"]


def title(idea: str, seed: int, about: bool = True) -> str:
    """What the idea says the song is about or for ("sobre el mar" → "El mar", "para mi
    madre" → "Para mi madre"), unless not `about`; else one of a few titles of its things,
    in sentence case."""
    said = about and re.search(rf"\b(sobre|para)\s+((?:{WORD}\s+)?{WORD})", idea or "", re.I)
    if said:
        words = said.group(2).split()
        if words[0].lower() in _ARTICLES or len(words) == 1:
            phrase = " ".join(words if words[0].lower() in _ARTICLES else words[:1])
            return _tidy(f"para {phrase}" if said.group(1).lower() == "para" else phrase)
    found = things(idea)
    if not found:
        return "Canción sin nombre"
    rng = rng_for("titulo", idea, seed)
    ings = _gerunds(idea)
    usable = [t for t in _TITLES if ("{Ing}" not in t or ings)]
    pattern = usable[int(rng.integers(len(usable)))]
    return _tidy(pattern.format(a=found[0][1], Ing=ings[0].capitalize() if ings else ""))[:80]
