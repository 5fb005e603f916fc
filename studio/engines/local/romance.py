"""Lyrics and titles in Spanish, Portuguese, Italian and French, for an idea written in one of them
("una canción triste sobre el mar" was sung "Late at night the española begins to glow" and
titled "The Canción and the Mar").

The same craft as the English writer (songwriter.py), in these languages' grammar: the idea's
things are taken with the article or possessive it gives them ("el mar", "minha mãe", "l'amore"),
so no line has to know a noun's gender; the lines name them only where no verb agrees with
them (after a preposition, as an object, called out), so a plural reads as well as a singular;
a preposition and an article are contracted as the language does ("del mar", "ao mar",
"nella notte", "au ciel"); in Spanish a person named as an object takes its "a" ("Recuerdo a mi madre").
Couplets rhyme on their own last words, which the idea never fills. Each language is one
table (Language); the writer is one, and German's table (german.py) is written by it too.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .language import language_of
from .nouns import FIRST_NAMES, PLACE_NAMES
from .style import ALIASES, fold, rng_for

WORD = r"[A-Za-zÀ-ÖØ-öø-ſ]+"
# Style words that are also a mood, in English (ALIASES maps the languages' own to them).
_QUIET_STYLE = {"sad", "calm", "soft", "slow", "relaxing", "melancholic"}
_LIVELY_STYLE = {"happy", "upbeat", "dance", "energetic", "latin"}


@dataclass(frozen=True)
class Language:
    code: str
    articles: frozenset  # articles and possessives: what the idea may put before a thing
    stop: frozenset  # never a topic: joining words, the song itself and how it sounds, adverbs
    beings: frozenset  # people and animals: never in a line of a place
    quiet: frozenset  # words of a quiet idea, and of a lively one
    lively: frozenset
    # (line, line): {a}/{b} a thing with its article, {o} the same as an object, {A} a thing
    # called out bare, {ing}/{Ing} a gerund. No slot ends a line.
    banks: dict
    place_lines: frozenset  # lines of a place, where a person does not stand
    lively_lines: frozenset  # lines a quiet idea never sings, and a lively one
    quiet_lines: frozenset
    fallback: tuple  # stock things, with their articles, for an idea of none
    gerund_endings: tuple
    gerunds: dict  # stock gerunds by mood
    article_for: Callable[[str], str]  # a guess, for a noun the idea gives none
    contract: Callable[[str], str]  # "de el" → "del"
    about: tuple  # (word, prefix): "sobre el mar" is titled "El mar", "para mi madre" "Para mi madre"
    # (the word a regular expression; a prefix that is an article: the word held it, "sulla")
    titles: tuple  # title patterns of the idea's first thing
    untitled: str
    person_object: str = ""  # what comes before a person as an object (Spanish: "a")
    not_gerunds: frozenset = frozenset()  # words with a gerund's ending that are things ("enfant")
    # Where a language's grammar is not the romance languages' (german.py): how it finds an
    # idea's things, the words it fills a couplet's slots with, and what a title "about" names.
    find: Callable | None = None  # (idea) → [(noun, phrase)]; else things()
    fill: Callable | None = None  # (lang, thing, second thing or None, gerund) → slots; else _slots()
    about_title: Callable | None = None  # (prefix, the words after it) → a title, or ""
    # seasons, times of day and occasions: never in a line of a place either ("Über dem Sommer
    # ziehen Wolken schwer", "Hay un rincón de los cumpleaños que es solo mío")
    times: frozenset = frozenset()


def _words(text: str) -> frozenset:
    return frozenset(text.split())


def _joining(joined: dict) -> Callable[[str], str]:
    """A language's contractions: each (preposition, article) of `joined` written as its one
    word ("de el" → "del"), capitalised where the preposition was."""
    prepositions = "|".join(sorted({p for p, _a in joined}, key=len, reverse=True))
    articles = "|".join(sorted({re.escape(a) for _p, a in joined}, key=len, reverse=True))
    pattern = re.compile(rf"\b({prepositions}) ({articles})(?=\b|(?<=')\w)", re.I)

    def contract(line: str) -> str:
        def one(m):
            out = joined.get((m.group(1).lower(), m.group(2)))
            if out is None:
                return m.group(0)
            return out.capitalize() if m.group(1)[0].isupper() else out
        return pattern.sub(one, line)
    return contract


# ---- Spanish ---------------------------------------------------------------------------

_ES_ARTICLES = _words("el la los las un una unos unas mi mis tu tus su sus nuestro nuestra nuestros nuestras")
_ES_FEMININE = _words("""noche calle gente muerte suerte tarde nube fuente llave sangre mente frente nieve madre
luz paz fe flor mujer piel sal miel voz red sed imagen costumbre""")
_ES_MASCULINE_A = _words("día mapa planeta problema sofá idioma clima tema poema sistema programa drama")


# One thing though they end in s: "el cumpleaños" ("Volveré a los cumpleaños" was sung), the
# weekdays, and a stressed last syllable ("el país", "el autobús").
_ES_ONE_IN_S = _words("cumpleaños lunes martes miércoles jueves viernes paraguas tenis virus mes dios")


def _es_article(noun: str) -> str:
    if noun in _ES_ONE_IN_S or re.search(r"[áéíóú]s$", noun):
        return "el"
    if noun.endswith(("as", "iones", "dades")) or noun.endswith("es") and noun[:-2] in _ES_FEMININE:
        return "las"
    if noun.endswith("s"):
        return "los"
    if noun in _ES_FEMININE or noun.endswith(("a", "ión", "dad", "tud", "umbre")) and noun not in _ES_MASCULINE_A:
        return "la"
    return "el"


# "Volveré a a mi madre": a person as an object after "a" takes no second one
_es_contract = _joining({("de", "el"): "del", ("a", "el"): "al", ("a", "a"): "a"})


SPANISH = Language(
    times=_words("verano invierno otoño otono primavera noche mañana manana tarde día dia madrugada amanecer "
                 "cumpleaños fiesta boda aniversario navidad graduación concierto viaje vacaciones cena"),
    code="es",
    articles=_ES_ARTICLES,
    stop=_ES_ARTICLES | _words("""de del al y e o u en con para por sobre a ante bajo contra desde entre hacia
hasta sin según tras que como cuando donde mientras muy más menos tan también ya no sí se me te le lo nos les
yo tú él ella nosotros ellos ellas ustedes es son era fue está están ser estar hay tiene tienen quiero
quiere canción cancion canciones música musica tema temas balada baladas ritmo letra letras voz
melodía melodia himno nana arrullo pieza estilo este esta estos estas ese esa eso aquel todo toda todos
todas cada otro otra otros otras mismo misma alguien algo nada nunca siempre hoy ayer solo sola
lento lenta rápido rápida suave triste feliz alegre alegres tristes romántica romántico
uno dos tres cuatro cinco seis siete ocho nueve diez minuto minutos segundos corta corto"""),
    beings=_words("""madre padre mamá mama papá papa abuela abuelo abuelita abuelito hermana hermano amigo amiga
amigos amigas hijo hija hijos hijas novia novio esposa esposo mujer hombre niño niña niños niñas bebé
bebe tía tío tia tio prima primo familia perro perra gato gata perrito gatito caballo pájaro maestro
maestra vecino vecina gente chica chico chicas chicos"""),
    quiet=_words("triste tristes cuna dormir duerme calma tranquila tranquilo suave lenta lento nostalgia soledad "
                 "adiós llorar lágrimas relajante"),
    lively=_words("fiesta bailar baile bailando alegre feliz cumpleaños energía salsa reggaetón reggaeton "
                  "celebrar verano"),
    banks={
        "verse": [
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
            ("Bajo la lluvia busco {o} sin cesar", "y el cielo llora sin parar"),
            ("Dibujo {o} en la arena", "y el agua borra mi pena"),
            ("Hay un rincón de {a} que es solo mío", "donde nunca llega el frío"),
        ],
        "chorus": [
            ("Por {a} yo canto esta canción", "con todo el fuego de mi corazón"),
            ("{A}, te lo pido, no me dejes ir", "sin ti no sé cómo vivir"),
            ("Volveré a {a} algún día", "con el alma llena de alegría"),
            ("Contigo y {a} hasta el amanecer", "no hay nada más que quiera tener"),
            ("Oh, {A}, llévame más alto", "que el corazón me da un salto"),
            ("Duerme ya, que estoy aquí", "soñando con {a} junto a ti"),
            ("Nada más que {a} y tú", "bajo este cielo tan azul"),
            ("Sigo {ing} bajo el cielo", "pensando en {a} como en un vuelo"),
            ("Canta conmigo por {a} una vez más", "que esta noche no te vas"),
            ("Aunque pase el tiempo, {A}, te espero", "porque eres todo lo que quiero"),
        ],
        "pre-chorus": [
            ("Y sé que en {a} alguien me espera", "más allá de la frontera"),
            ("Respira hondo, cuenta hasta tres", "pienso en {a} una y otra vez"),
            ("Cierra los ojos, no tengas miedo", "con {a} aquí me quedo"),
        ],
        "bridge": [
            ("Si algún día me alejo de {a} sin razón", "te dejaré mi corazón"),
            ("Entre {a} y {b} lo aprendí", "que todo lo que amo está en ti"),
            ("Dime si recuerdas {o} como yo", "la noche en que todo comenzó"),
            ("Todo cambia menos {a} en mi memoria", "como las páginas de una vieja historia"),
        ],
        "intro": [
            ("Del eco de {a} nace este cantar", "suave y lento empieza a sonar"),
            ("Aquí comienza, {A}, nuestra historia", "guardada siempre en la memoria"),
        ],
        "outro": [
            ("Me despido de {a} al final", "como una estrella en el cristal"),
            ("Adiós, {A}, hasta mañana", "se apaga la luz en la ventana"),
        ],
    },
    place_lines=frozenset({"En {a} hay un secreto guardado", "Las calles de {a} me vieron crecer",
                           "Y sé que en {a} alguien me espera", "Hay un rincón de {a} que es solo mío"}),
    lively_lines=frozenset({"Oh, {A}, llévame más alto", "Contigo y {a} hasta el amanecer"}),
    quiet_lines=frozenset({"Duerme ya, que estoy aquí", "Cierra los ojos, no tengas miedo"}),
    fallback=("el mar", "la noche", "la luna", "el camino", "la ciudad", "el viento", "el cielo"),
    gerund_endings=("ando", "iendo", "yendo"),
    gerunds={"quiet": ["soñando", "esperando", "recordando"], "lively": ["bailando", "cantando", "volando"],
             None: ["soñando", "bailando", "cantando", "caminando"]},
    article_for=_es_article,
    contract=_es_contract,
    about=(("sobre", ""), ("para", "para ")),
    titles=("{a}", "Canción para {a}", "Volver a {a}", "Sueños de {a}", "{Ing} en {a}", "Siempre {a}"),
    untitled="Canción sin nombre",
    person_object="a",
)

# ---- Portuguese ------------------------------------------------------------------------

_PT_ARTICLES = _words("""o a os as um uma uns umas meu minha meus minhas teu tua teus tuas seu sua seus suas
nosso nossa nossos nossas""")
_PT_FEMININE = _words("""noite gente morte sorte tarde mente neve fonte chave mãe paz luz flor mulher voz cor dor
saudade vontade cidade""")
_PT_MASCULINE_A = _words("dia mapa planeta problema sofá idioma clima tema poema sistema programa drama")


def _pt_article(noun: str) -> str:
    if noun.endswith(("as", "ções", "dades")):
        return "as"
    if noun.endswith("s"):
        return "os"
    if noun in _PT_FEMININE or noun.endswith(("a", "ção", "dade", "gem")) and noun not in _PT_MASCULINE_A:
        return "a"
    return "o"


_PT_JOINED = {("de", "o"): "do", ("de", "a"): "da", ("de", "os"): "dos", ("de", "as"): "das",
              ("em", "o"): "no", ("em", "a"): "na", ("em", "os"): "nos", ("em", "as"): "nas",
              ("a", "o"): "ao", ("a", "os"): "aos", ("a", "a"): "à", ("a", "as"): "às",
              ("por", "o"): "pelo", ("por", "a"): "pela", ("por", "os"): "pelos", ("por", "as"): "pelas"}


_pt_contract = _joining(_PT_JOINED)


PORTUGUESE = Language(
    times=_words("verão verao inverno outono primavera noite manhã manha tarde dia madrugada "
                 "aniversário festa casamento natal formatura show viagem férias jantar"),
    code="pt",
    articles=_PT_ARTICLES,
    stop=_PT_ARTICLES | _words("""de do da dos das em no na nos nas num numa ao aos à às e ou com para pra por
pelo pela sobre sob entre até desde sem que como quando onde enquanto muito mais menos tão também já não sim
se me te lhe eu tu ele ela nós eles elas você vocês é são era foi está estão ser estar há tem têm quero quer
canção cancao canções música musica tema balada ritmo letra voz melodia hino peça estilo este esta isto esse
essa isso aquele todo toda todos todas cada outro outra mesmo alguém algo nada nunca sempre hoje ontem só
sozinho lento lenta rápido rápida suave triste feliz alegre romântica romântico dois três quatro cinco
minuto minutos segundos curta curto"""),
    beings=_words("""mãe pai mamãe papai avó avô irmã irmão amigo amiga amigos amigas filho filha filhos filhas
namorada namorado esposa esposo marido mulher homem menino menina meninos meninas bebê tia tio prima primo
família cachorro cão gato gata cavalo pássaro professor professora vizinho vizinha gente"""),
    quiet=_words("triste tristes ninar dormir calma tranquila tranquilo suave lenta lento saudade solidão adeus "
                 "chorar lágrimas relaxante"),
    lively=_words("festa dançar dança dançando alegre feliz aniversário energia samba forró celebrar verão "
                  "carnaval"),
    banks={
        "verse": [
            ("Penso em {a} quando cai a tarde", "e no meu peito um fogo ainda arde"),
            ("Caminho sozinho perto de {a} outra vez", "buscando o tempo que o vento desfez"),
            ("Tudo me lembra {a} ao luar", "e a cidade dorme devagar"),
            ("Guardei {a} dentro do coração", "como se guarda uma velha canção"),
            ("Entre {a} e {b} me perdi", "e não achei o caminho até aqui"),
            ("Perto de {a} as horas passam lentas", "e no silêncio tu me contas"),
            ("Lembro de {a} com a luz do dia", "e a saudade vira poesia"),
            ("{Ing} vou por {a} sem olhar para trás", "sabendo que não voltarás jamais"),
            ("Em {a} há um segredo guardado", "que ninguém nunca tinha contado"),
            ("As ruas de {a} me viram crescer", "e hoje eu volto ao amanhecer"),
            ("Perto de {a} se apaga o dia", "e volta lenta a melodia"),
            ("Pensando em {a} escrevi a verdade", "e o vento apaga com saudade"),
            ("Debaixo da chuva procuro {a} sem parar", "e o céu chora devagar"),
            ("Desenho {a} na areia", "sob a luz da lua cheia"),
            ("Há um canto de {a} que é só meu", "onde o frio nunca desceu"),
        ],
        "chorus": [
            ("Por {a} eu canto esta canção", "com todo o fogo do meu coração"),
            ("{A}, peço-te, não me deixes ir", "sem ti não sei como seguir"),
            ("Voltarei a {a} algum dia", "com a alma cheia de alegria"),
            ("Contigo e {a} até o amanhecer", "não há mais nada que eu queira ter"),
            ("Ó {A}, leva-me mais alto", "que o coração me dá um salto"),
            ("Dorme agora, eu estou aqui", "sonhando com {a} perto de ti"),
            ("Nada mais que {a} e tu", "debaixo deste céu azul"),
            ("Sigo {ing} sob o céu", "pensando em {a} como num véu"),
            ("Canta comigo por {a} sem parar", "que esta noite é pra ficar"),
            ("Mesmo que o tempo passe, {A}, eu espero", "porque és tudo o que eu quero"),
        ],
        "pre-chorus": [
            ("E sei que em {a} alguém me espera", "além da última fronteira"),
            ("Respira fundo, conta até três", "penso em {a} mais uma vez"),
            ("Fecha os olhos, não tenhas medo", "com {a} eu guardo o teu segredo"),
        ],
        "bridge": [
            ("Se algum dia me afasto de {a} sem razão", "deixo contigo o meu coração"),
            ("Entre {a} e {b} aprendi", "que tudo o que eu amo está em ti"),
            ("Diz se lembras de {a} como eu", "a noite em que tudo aconteceu"),
            ("Tudo muda menos {a} na memória", "como as páginas de uma velha história"),
        ],
        "intro": [
            ("Do eco de {a} nasce este cantar", "suave e lento começa a tocar"),
            ("Aqui começa, {A}, a nossa história", "guardada sempre na memória"),
        ],
        "outro": [
            ("Despeço-me de {a} no final", "como uma estrela no cristal"),
            ("Adeus, {A}, até outro dia", "fica comigo esta melodia"),
        ],
    },
    place_lines=frozenset({"Em {a} há um segredo guardado", "As ruas de {a} me viram crescer",
                           "E sei que em {a} alguém me espera", "Há um canto de {a} que é só meu"}),
    lively_lines=frozenset({"Ó {A}, leva-me mais alto", "Contigo e {a} até o amanhecer"}),
    quiet_lines=frozenset({"Dorme agora, eu estou aqui", "Fecha os olhos, não tenhas medo"}),
    fallback=("o mar", "a noite", "a lua", "o caminho", "a cidade", "o vento", "o céu"),
    gerund_endings=("ando", "endo", "indo"),
    gerunds={"quiet": ["sonhando", "esperando", "lembrando"], "lively": ["dançando", "cantando", "voando"],
             None: ["sonhando", "dançando", "cantando", "caminhando"]},
    article_for=_pt_article,
    contract=_pt_contract,
    about=(("sobre", ""), ("para", "para ")),
    titles=("{a}", "Canção para {a}", "Voltar a {a}", "Sonhos de {a}", "{Ing} em {a}", "Sempre {a}"),
    untitled="Canção sem nome",
)

# ---- Italian ---------------------------------------------------------------------------

_IT_ARTICLES = _words("""il lo la l i gli le un uno una mio mia miei mie tuo tua tuoi tue suo sua suoi sue
nostro nostra nostri nostre""")
_IT_FEMININE = _words("notte luce pace mente gente voce neve madre sera estate")


def _it_article(noun: str) -> str:
    if noun[:1] in "aeiouàèéìòù":
        return "l'"
    if noun.endswith("i"):
        return "i"
    if noun in _IT_FEMININE or noun.endswith(("a", "ione", "tà", "tù")):
        return "la"
    if re.match(r"s[^aeiou]|z|gn|ps", noun):
        return "lo"
    return "il"


_it_contract = _joining({(preposition, article): stem + end  # di il → del, in l' → nell'
                         for preposition, stem in {"di": "de", "a": "a", "in": "ne", "su": "su", "da": "da"}.items()
                         for article, end in {"il": "l", "lo": "llo", "la": "lla", "i": "i", "gli": "gli",
                                              "le": "lle", "l'": "ll'"}.items()})


ITALIAN = Language(
    times=_words("estate inverno autunno primavera notte mattina sera giorno alba tramonto "
                 "compleanno festa matrimonio anniversario natale laurea concerto viaggio vacanza vacanze cena"),
    code="it",
    articles=_IT_ARTICLES,
    stop=_IT_ARTICLES | _words("""d di del dello della dell dei degli delle a al allo alla all ai agli alle in nel
nello nella nell nei negli nelle su sul sullo sulla sull sui sulle da dal dalla dall con per tra fra sopra
sotto senza e o ma che come quando dove mentre molto più meno tanto anche già non sì si mi ti ci vi io tu lui
lei noi voi loro è sono era fu essere c'è ho ha hanno voglio canzone canzoni musica tema ballata ritmo testo
voce melodia inno ninna nanna pezzo stile questo questa quello quella tutto tutta tutti tutte ogni altro
altra stesso qualcuno qualcosa niente mai sempre oggi ieri solo sola lento lenta veloce dolce triste felice
allegro allegra romantica romantico due tre quattro cinque minuto minuti secondi breve corta corto"""),
    beings=_words("""madre padre mamma papà nonna nonno sorella fratello amico amica amici amiche figlio figlia
figli figlie ragazza ragazzo moglie marito donna uomo bambino bambina bambini bambine zia zio cugino cugina
famiglia cane gatto gatta cavallo uccello maestro maestra vicino vicina gente"""),
    quiet=_words("triste tristi ninna nanna dormire calma tranquilla tranquillo dolce lenta lento nostalgia "
                 "solitudine addio piangere lacrime rilassante"),
    lively=_words("festa ballare ballo ballando allegra allegro felice compleanno energia celebrare estate"),
    banks={
        "verse": [
            ("Penso a {a} quando scende la sera", "e nel mio petto brucia una bufera"),
            ("Cammino da solo vicino a {a} ancora", "cercando il tempo che non ritorna"),
            ("Tutto mi parla di {a} sottovoce", "come un fiume che corre verso la foce"),
            ("Ho chiuso {a} dentro il cuore", "come si chiude un vecchio amore"),
            ("Tra {a} e {b} mi sono perso", "cercando un cielo più diverso"),
            ("Vicino a {a} le ore passano lente", "e nel silenzio non dici niente"),
            ("Ricordo {a} con la luce del mattino", "quando il tuo viso era vicino"),
            ("{Ing} vado per {a} senza voltarmi mai", "sapendo che tu non tornerai"),
            ("In {a} c'è un segreto custodito", "che nessuno ha mai capito"),
            ("Le strade di {a} mi hanno visto crescere", "e torno a loro per rinascere"),
            ("Sopra {a} si spegne la luce", "e la notte piano mi conduce"),
            ("Pensando a {a} ho scritto la verità", "e il vento la porta via di qua"),
            ("Sotto la pioggia cerco {a} senza sosta", "e il cielo piange la risposta"),
            ("Disegno {a} sulla sabbia", "e il mare porta via la rabbia"),
            ("C'è un angolo di {a} che è solo mio", "dove il freddo dice addio"),
        ],
        "chorus": [
            ("Per {a} io canto questa canzone", "con tutto il fuoco e la passione"),
            ("{A}, ti prego, non lasciarmi andare", "senza di te non so più stare"),
            ("Tornerò a {a} un giorno", "e sarà dolce il mio ritorno"),
            ("Con te e {a} fino all'aurora", "e balliamo insieme ancora"),
            ("Oh {A}, portami più in alto", "il cuore mi fa un salto"),
            ("Dormi adesso, io sono qui", "sognando {a} vicino a te così"),
            ("Nient'altro che {a} e te", "sotto un cielo blu per me"),
            ("Vado avanti {ing} sotto il cielo", "pensando a {a} come a un velo"),
            ("Canta con me per {a} ancora una volta", "che questa notte il cuore ascolta"),
            ("Anche se passa il tempo, {A}, ti aspetto", "perché sei tutto ciò che ho nel petto"),
        ],
        "pre-chorus": [
            ("E so che in {a} qualcuno mi aspetta", "lassù, dietro l'ultima vetta"),
            ("Respira piano, conta fino a tre", "penso a {a} e poi a te"),
            ("Chiudi gli occhi, non avere paura", "con {a} la notte è sicura"),
        ],
        "bridge": [
            ("Se un giorno mi allontano da {a} senza ragione", "ti lascerò la mia canzone"),
            ("Tra {a} e {b} ho capito", "che il tuo ricordo non è mai finito"),
            ("Dimmi se ricordi {a} anche tu", "la notte sotto il cielo blu"),
            ("Tutto cambia tranne {a} nella memoria", "come le pagine di una vecchia storia"),
        ],
        "intro": [
            ("Dall'eco di {a} nasce questo canto", "leggero e dolce come un incanto"),
            ("Qui comincia, {A}, la nostra storia", "custodita sempre nella memoria"),
        ],
        "outro": [
            ("Saluto {a} alla fine", "come una stella senza confine"),
            ("Addio, {A}, a domani", "si spegne la luce tra le mani"),
        ],
    },
    place_lines=frozenset({"In {a} c'è un segreto custodito", "Le strade di {a} mi hanno visto crescere",
                           "E so che in {a} qualcuno mi aspetta", "Sopra {a} si spegne la luce",
                           "C'è un angolo di {a} che è solo mio"}),
    lively_lines=frozenset({"Oh {A}, portami più in alto", "Con te e {a} fino all'aurora"}),
    quiet_lines=frozenset({"Dormi adesso, io sono qui", "Chiudi gli occhi, non avere paura"}),
    fallback=("il mare", "la notte", "la luna", "la strada", "la città", "il vento", "il cielo"),
    gerund_endings=("ando", "endo"),
    gerunds={"quiet": ["sognando", "aspettando", "ricordando"], "lively": ["ballando", "cantando", "volando"],
             None: ["sognando", "ballando", "cantando", "camminando"]},
    article_for=_it_article,
    contract=_it_contract,
    about=(("su", ""), ("sul", "il "), ("sullo", "lo "), ("sulla", "la "), ("sull'", "l'"), ("sui", "i "),
           ("sulle", "le "), ("per", "per ")),
    titles=("{a}", "Canzone per {a}", "Tornare a {a}", "Sogni di {a}", "{Ing} in {a}", "Sempre {a}"),
    untitled="Canzone senza nome",
)

# ---- French ----------------------------------------------------------------------------

_FR_ARTICLES = _words("le la les l un une des mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs")
_FR_FEMININE = _words("""mer nuit mère fleur main voix peur forêt neige pluie plage ville lune vie chanson maison
fin faim mort terre rue route porte tête rose pomme étoile plume eau""")


def _fr_article(noun: str) -> str:
    if noun[:1] in "aeiouhéèêàâîôûœ":
        return "l'"
    if noun.endswith(("s", "x")):
        return "les"
    if noun in _FR_FEMININE or noun.endswith(("tion", "sion", "té", "ure", "ette", "elle", "esse", "ance", "ence",
                                               "ie", "ée", "ade", "ine", "ise")):
        return "la"
    return "le"


_FR_JOINED = {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"}


_fr_joined = _joining(_FR_JOINED)


def _fr_contract(line: str) -> str:
    return re.sub(r"\b([Dd])e (?=[AEIOUHÉÈÊÀÂÎÔÛŒaeiouhéèêàâîôûœ])", r"\1'", _fr_joined(line))  # "d'Anna"


FRENCH = Language(
    times=_words("été ete hiver automne printemps nuit matin soir jour aube crépuscule soirée "
                 "anniversaire fête mariage noël concert voyage vacances dîner"),
    code="fr",
    articles=_FR_ARTICLES,
    stop=_FR_ARTICLES | _words("""de du d à au aux en dans sur sous avec pour par entre vers chez sans et ou mais
que qu qui quoi comme quand où pendant très plus moins tant aussi déjà ne n pas non oui se s me m te t je j tu
il elle nous vous ils elles on est sont était être a ont ai veux c y chanson chansons musique thème ballade
rythme paroles voix mélodie hymne berceuse morceau style ce cet cette ces tout toute tous toutes chaque autre
même rien jamais toujours aujourd hui hier seul seule lent lente rapide doux douce triste tristes heureux
heureuse joyeux joyeuse romantique deux trois quatre cinq minute minutes secondes courte court"""),
    beings=_words("""mère père maman papa mamie papi grand sœur frère ami amie amis amies fils fille filles enfant
enfants copine copain femme mari homme garçon bébé tante oncle cousin cousine famille chien chienne chat chatte
cheval oiseau maître maîtresse voisin voisine gens"""),
    quiet=_words("triste tristes berceuse dormir calme douce doux lente lent nostalgie solitude adieu pleurer "
                 "larmes relaxant"),
    lively=_words("fête danser danse dansant joyeux joyeuse heureux heureuse anniversaire énergie célébrer été"),
    banks={
        "verse": [
            ("Je pense à {a} quand tombe le soir", "et dans mon cœur brûle un espoir"),
            ("Je marche seul près de {a} encore", "cherchant le temps qui dort dehors"),
            ("Le vent me parle de {a} tout bas", "comme une voix qui ne s'éteint pas"),
            ("J'ai gardé {a} au fond du cœur", "comme on garde une vieille fleur"),
            ("Entre {a} et {b} je me suis perdu", "cherchant un chemin jamais connu"),
            ("Près de {a} les heures sont si lentes", "et le silence doucement me chante"),
            ("Je me souviens de {a} au matin", "quand tu me tenais la main"),
            ("Je vais vers {a} en {ing} sans me retourner", "sachant que tu ne vas pas rentrer"),
            ("Dans {a} il y a un secret caché", "que personne n'a jamais trouvé"),
            ("Les rues de {a} m'ont vu grandir", "et j'y reviens pour me souvenir"),
            ("Au-dessus de {a} s'éteint le jour", "et la nuit revient sans détour"),
            ("En pensant à {a} j'ai écrit ton nom", "et le vent l'emporte sans raison"),
            ("Sous la pluie je cherche {a} encore et toujours", "et le ciel pleure sur les faubourgs"),
            ("Je dessine {a} sur le sable", "d'un trait léger, inoubliable"),
            ("Il y a un coin de {a} rien qu'à moi", "où le froid ne vient pas"),
        ],
        "chorus": [
            ("Pour {a} je chante cette chanson", "avec tout le feu de ma passion"),
            ("{A}, je t'en prie, ne me laisse pas partir", "sans toi je ne peux plus sourire"),
            ("Je reviendrai vers {a} un jour", "le cœur rempli de tant d'amour"),
            ("Avec toi et {a} jusqu'à l'aurore", "et l'on danse ensemble encore"),
            ("Oh {A}, emmène-moi plus haut", "mon cœur s'envole comme un oiseau"),
            ("Dors maintenant, je suis là", "rêvant de {a} tout près de toi"),
            ("Rien d'autre que {a} et toi", "sous ce ciel bleu qui brille pour moi"),
            ("Je continue en {ing} sous le ciel", "pensant à {a} comme à un appel"),
            ("Chante avec moi pour {a} encore une fois", "que cette nuit résonne en toi"),
            ("Même si le temps passe, {A}, je t'attends", "car tu es tout ce que j'aime tant"),
        ],
        "pre-chorus": [
            ("Et je sais que dans {a} quelqu'un m'attend", "au-delà des routes et du temps"),
            ("Respire doucement, compte jusqu'à trois", "je pense à {a} et puis à toi"),
            ("Ferme les yeux, n'aie pas peur", "avec {a} tout est douceur"),
        ],
        "bridge": [
            ("Si un jour je m'éloigne de {a} sans raison", "je te laisserai ma chanson"),
            ("Entre {a} et {b} j'ai compris", "que tout ce que j'aime est ici"),
            ("Dis-moi si tu te souviens de {a} comme moi", "la nuit où tout a commencé pour toi"),
            ("Tout change sauf {a} dans ma mémoire", "comme les pages d'une vieille histoire"),
        ],
        "intro": [
            ("De l'écho de {a} naît ce chant", "léger et doux comme le vent"),
            ("Ici commence, {A}, notre histoire", "gardée pour toujours dans la mémoire"),
        ],
        "outro": [
            ("Je dis adieu à {a} à la fin", "comme une étoile au petit matin"),
            ("Adieu, {A}, à demain", "la lumière s'éteint dans mes mains"),
        ],
    },
    place_lines=frozenset({"Dans {a} il y a un secret caché", "Les rues de {a} m'ont vu grandir",
                           "Et je sais que dans {a} quelqu'un m'attend", "Au-dessus de {a} s'éteint le jour",
                           "Il y a un coin de {a} rien qu'à moi"}),
    lively_lines=frozenset({"Oh {A}, emmène-moi plus haut", "Avec toi et {a} jusqu'à l'aurore"}),
    quiet_lines=frozenset({"Dors maintenant, je suis là", "Ferme les yeux, n'aie pas peur"}),
    fallback=("la mer", "la nuit", "la lune", "le chemin", "la ville", "le vent", "le ciel"),
    gerund_endings=("ant",),
    gerunds={"quiet": ["rêvant", "attendant", "pensant"], "lively": ["dansant", "chantant", "volant"],
             None: ["rêvant", "dansant", "chantant", "marchant"]},
    article_for=_fr_article,
    contract=_fr_contract,
    about=((r"(?:chanson|chansons|morceau|titre|ballade|berceuse)(?:\s+\w+)?\s+sur", ""), ("pour", "pour ")),  # "sur la
    # plage" is on the beach
    titles=("{a}", "Chanson pour {a}", "Retour à {a}", "Rêves de {a}", "Toujours {a}", "Loin de {a}"),
    untitled="Chanson sans nom",
    not_gerunds=_words("""enfant enfants instant instants restaurant géant géants amant amants diamant diamants
élégant important avant maintenant pendant vivant vivants étudiant étudiants océan volcan"""),
)

LANGUAGES = {lang.code: lang for lang in (SPANISH, PORTUGUESE, ITALIAN, FRENCH)}


def language_for(text: str) -> Language | None:
    """The Language `text` is written in, where the writer has it (German's table is german.py's,
    which builds on this module)."""
    from .german import GERMAN

    code = language_of(text)
    return GERMAN if code == GERMAN.code else LANGUAGES.get(code)


def _phrase(article: str, noun: str) -> str:
    """'el' + 'mar' → 'el mar'; Italian's elided article is joined: 'l' + 'amore' → "l'amore"."""
    return f"l'{noun}" if article in ("l", "l'") else f"{article} {noun}"


def things(lang: Language, idea: str) -> list[tuple[str, str]]:
    """The idea's things in order, each once, as (the noun, the noun with its article or
    possessive as the idea wrote it, or a guessed one; a name bare): ("mar", "el mar"),
    ("mãe", "minha mãe"), ("Madrid", "Madrid"), ("amore", "l'amore")."""
    if lang.find is not None:
        return lang.find(idea)
    tokens = re.findall(WORD, idea or "")
    style_words = {fold(w) for w in ALIASES}
    out: dict[str, str] = {}
    for i, word in enumerate(tokens):
        low = word.lower()
        before = tokens[i - 1].lower() if i else ""
        gerund = low.endswith(lang.gerund_endings) and low not in lang.not_gerunds
        if low in lang.stop or len(low) < 3 or fold(low) in style_words or gerund:
            continue
        if before and before not in lang.stop and not word[0].isupper():
            continue  # after a noun, a word describes it: "la noche oscura", "guitarra española"
        if word[0].isupper() and i:  # "en Madrid", "para María"
            out.setdefault(low, word)
        elif low in PLACE_NAMES or low in FIRST_NAMES:  # "pour paris" sang "Oh paris", "Près des paris"
            out.setdefault(low, word.capitalize())
        elif before in lang.articles:
            out.setdefault(low, _phrase(before, low))
        else:
            out.setdefault(low, _phrase(lang.article_for(low), low))
    return list(out.items())


def mood(lang: Language, idea: str) -> str | None:
    said = {w.lower() for w in re.findall(WORD, idea or "")}
    said |= {ALIASES.get(fold(w), "") for w in said}
    quiet, lively = bool(said & (lang.quiet | _QUIET_STYLE)), bool(said & (lang.lively | _LIVELY_STYLE))
    return "quiet" if quiet and not lively else "lively" if lively and not quiet else None


def _gerunds(lang: Language, idea: str) -> list[str]:
    return list(dict.fromkeys(w.lower() for w in re.findall(WORD, idea or "")
                              if w.lower().endswith(lang.gerund_endings) and len(w) > 5
                              and w.lower() not in lang.not_gerunds))


def _named(lang: Language, text: str) -> str:
    """`text` with the places and first names it names in lower case capitalised ("Pour Paris",
    was "Pour paris"), but the language's own small words ("per mia madre")."""
    return re.sub(WORD, lambda m: m.group().capitalize() if (m.group() in PLACE_NAMES or m.group() in FIRST_NAMES)
                  and m.group() not in lang.stop else m.group(), text)


def _tidy(lang: Language, line: str) -> str:
    line = lang.contract(line)
    return line[0].upper() + line[1:]


def write_lyrics(lang: Language, idea: str, seed: int, form: str, sections) -> str:
    """Lyrics in `lang` for `form`, whose `sections` are (marker, lines) as songwriter.FORMS.
    The section markers stay in English: they are the vendors' own ([Verse], [Chorus])."""
    rng = rng_for("letra", form, seed) if lang is SPANISH else rng_for("letra", lang.code, form, seed)

    def stock_thing(phrase: str) -> tuple[str, str]:
        return phrase.replace("'", " ").split()[-1].lower(), phrase

    found = things(lang, idea) or [stock_thing(lang.fallback[int(i)])
                                   for i in rng.permutation(len(lang.fallback))[:3]]
    feel = mood(lang, idea)
    ings = _gerunds(lang, idea) or lang.gerunds[feel]
    unsuited = {"quiet": lang.lively_lines, "lively": lang.quiet_lines}.get(feel, frozenset())
    order = {kind: [bank[int(i)] for i in rng.permutation(len(bank)) if bank[int(i)][0] not in unsuited]
             for kind, bank in lang.banks.items()}
    turn: list[int] = []
    # the second thing of a one-thing idea is a stock one: "Entre el mar y el mar" is no line
    named = {noun for noun, _phrase in found}
    stock = [stock_thing(p) for p in lang.fallback if stock_thing(p)[0] not in named]

    def next_thing(ok) -> tuple[str, str]:
        nonlocal turn
        if not [i for i in turn if ok(found[i])]:
            turn += [int(i) for i in rng.permutation(len(found)) if int(i) not in turn]
        pick = next((i for i in turn if ok(found[i])), None)
        if pick is None:
            fits = [t for t in stock if ok(t)] or stock
            return fits[int(rng.integers(len(fits)))]
        turn.remove(pick)
        return found[pick]

    def sung(couplet) -> list[str]:
        text = "\n".join(couplet)
        placed = any(line in lang.place_lines for line in couplet)
        def elsewhere(t) -> bool:  # a person, or a time, in a line of a place
            return placed and (t[0] in lang.beings or str(t[0]).lower() in lang.times) or said(t)

        def said(t) -> bool:  # the couplet names it already: "Sotto la pioggia cerco la pioggia"
            return bool(re.search(rf"(?<!\w){re.escape(str(t[0]))}(?!\w)", text, re.I))
        a = next_thing(lambda t: not elsewhere(t))
        b = next_thing(lambda t: t[0] != a[0] and not elsewhere(t)) \
            if "{b}" in text or "{e}" in text else None  # a second thing (German's dative: {e})
        words = (lang.fill or _slots)(lang, a, b, ings[int(rng.integers(len(ings)))])
        return [_tidy(lang, line.format(**words)) for line in couplet]

    written: dict[str, list[str]] = {}
    parts: list[str] = []
    ended: set[str] = set()  # the words the song's lines end in
    for marker, count in sections:
        kind = marker.lower()
        if parts:
            parts.append("")
        if kind in written:
            lines = written[kind]
        else:
            lines = []
            while len(lines) < count:
                # one whose lines end in words no line of the song has, where the bank has one:
                # two couplets ending "devagar" met in one song
                couplet = next((c for c in order[kind] if not ends(c) & ended), order[kind][0])
                order[kind].remove(couplet)
                order[kind].append(couplet)
                lines += sung(couplet)
                ended |= ends(couplet)
            lines = lines[:count]
            if kind in ("chorus", "pre-chorus"):
                written[kind] = lines
        parts += [f"[{marker}]", *lines]
    return "\n".join(parts)


def ends(couplet: tuple[str, str]) -> set[str]:
    """The words a couplet's lines end in (which no slot fills)."""
    return {re.findall(WORD, line)[-1].lower() for line in couplet}


def _slots(lang: Language, a: tuple[str, str], b: tuple[str, str] | None, ing: str) -> dict:
    """A couplet's words for things `a` and `b` (noun, phrase): each with its article, `a` as an
    object ({o}: a Spanish person takes "a") and called out ({A}: the bare noun, or the name),
    and the gerund `ing`."""
    noun, phrase = a
    person = noun in lang.beings and lang.person_object
    return {"a": phrase, "b": b[1] if b else "", "o": f"{lang.person_object} {phrase}" if person else phrase,
            "A": phrase if phrase[:1].isupper() else noun, "ing": ing, "Ing": ing.capitalize()}


def title(lang: Language, idea: str, seed: int, about: bool = True) -> str:
    """What the idea says the song is about or for ("sobre el mar" → "El mar", "para mi
    madre" → "Para mi madre", "sulla notte" → "La notte"), unless not `about`; else one of a
    few titles of its first thing, in sentence case."""
    if about:
        for word, prefix in lang.about:
            # (an elided word is written against the next: "sull'estate")
            said = re.search(rf"\b{word}(?:\s+|(?<='))((?:{WORD}'?\s*){{0,2}}{WORD})", idea or "", re.I)
            if not said:
                continue
            if lang.about_title is not None:
                if named := lang.about_title(prefix, said.group(1)):
                    return _tidy(lang, _named(lang, named))
                continue
            words = said.group(1).replace("'", "' ").split()
            if prefix.strip() in lang.articles:  # "sulla notte": the article is in the word
                return _tidy(lang, _named(lang, (prefix + words[0]).replace("' ", "'")))
            # the articles and possessives, then the thing: "para a minha avó", "sobre amor"
            lead = next((i for i, w in enumerate(words) if w.lower().rstrip("'") not in lang.articles), None)
            if lead is not None and (lead or len(words) == 1 or words[1].lower() in lang.stop):
                return _tidy(lang, _named(lang, (prefix + " ".join(words[:lead + 1])).replace("' ", "'")))
    found = things(lang, idea)
    if not found:
        return lang.untitled
    rng = rng_for("titulo", idea, seed)
    ings = _gerunds(lang, idea)
    usable = [t for t in lang.titles if "{Ing}" not in t or ings]
    pattern = usable[int(rng.integers(len(usable)))]
    return _tidy(lang, pattern.format(**(lang.fill or _slots)(lang, found[0], None, ings[0] if ings else "")))[:80]
