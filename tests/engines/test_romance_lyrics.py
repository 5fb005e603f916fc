"""An idea written in Spanish, Portuguese or Italian gets its lyrics and title in its language
("una canción triste sobre el mar" was sung "Late at night the española begins to glow" and
titled "The Canción and the Mar")."""
import re

from studio.engines.local import romance
from studio.engines.local.romance import FRENCH, ITALIAN, PORTUGUESE, SPANISH
from studio.engines.local.songwriter import FORMS, write_lyrics
from studio.engines.local.texts import lyric_variants
from studio.engines.local.titles import title_from_idea
from tests.engines.test_lyrics import each_line_ends_in_its_own_word

IDEAS = {
    "una canción triste sobre el mar, guitarra española": ["el mar"],
    "una canción de amor para mi madre": ["el amor", "mi madre"],
    "bailando en la playa con mis amigos": ["la playa", "mis amigos"],
    "la noche en Madrid con mi perro": ["la noche", "Madrid", "mi perro"],
}
OTHERS = {
    "uma canção triste sobre o mar": ["o mar"],
    "uma canção de amor para a minha avó no verão": ["o amor", "minha avó", "o verão"],
    "una canzone d'amore per mia madre": ["amore", "mia madre"],
    "ballando sulla spiaggia con gli amici": ["spiaggia", "amici"],
    "une chanson triste sur la mer et la nuit": ["la mer", "la nuit"],
    "une chanson d'amour pour ma mère": ["l'amour", "ma mère"],
    "en dansant sur la plage avec mes amis": ["la plage", "mes amis"],
}
PERSON_AS_PLACE = re.compile(r"\b(en|em|in|negli|dans) (mi |mis |minha |meus |mia |ma |mes )?"
                             r"(madre|amigos|perro|avó|amici|mère|amis)\b (hay|há|c'è|alguien|alguém|qualcuno|il y a|"
                             r"quelqu'un)|(calles|ruas|strade|rues) (de|do|da|di|degli) "
                             r"(mi |mis |minha |mia |ma |mes )?(madre|amigos|perro|avó|amici|mère|amis)\b")
ENGLISH = re.compile(r"\b(the|and|you|my|night|love|heart|never|tonight|with|we)\b", re.I)


def endings(lang):
    return {line.split()[-1].lower() for bank in lang.banks.values() for couplet in bank for line in couplet}


def test_which_language_an_idea_is_in():
    from studio.engines.local.language import language_of
    from studio.engines.local.songwriter import proper_nouns
    assert all(romance.language_for(idea) is SPANISH for idea in IDEAS)
    assert [romance.language_for(idea) for idea in OTHERS] == [PORTUGUESE, PORTUGUESE, ITALIAN, ITALIAN] + [FRENCH] * 3
    # French, Portuguese and Italian share "la", "una", "sobre": they are not Spanish
    assert [language_of(idea) for idea in ("une chanson triste sur la mer et la nuit", "uma canção triste sobre o mar",
                                           "una canzone sulla notte",
                                           "ein Lied über den Sommer in Berlin mit meiner Schwester")] == [
        "fr", "pt", "it", "de"]
    # English is English, however short: "I love you, I need you" was read as Italian (its "i")
    for text in ("I love you, I need you", "I, I, I", "no more as a star", "do you remember", "la la la la",
                 "I need you now, I need you so", *(write_lyrics(idea, seed) for idea in (
                     "a song about the harbour", "late night phone calls in New York", "una") for seed in range(5))):
        assert language_of(text) == "en", text
    # German capitalises every noun: they are not names ("Hold on, Schwester is calling")
    assert proper_nouns("ein Lied über den Sommer in Berlin mit meiner Schwester") == {"berlin": "place"}
    for idea in ("a trip to Rio de Janeiro with my dad", "la la la, a happy song about the sea",
                 "a reggaeton song about the beach, despacito vibes", "café au lait à Paris", ""):
        assert romance.language_for(idea) is None, idea


def test_lyrics_sing_the_ideas_things_in_its_language():
    for idea, things in {**IDEAS, **OTHERS}.items():
        lang = romance.language_for(idea)
        for form in FORMS:
            for seed in range(25):
                text = write_lyrics(idea, seed, form)
                sections = text.split("\n\n")
                assert [s.splitlines()[0] for s in sections] == [f"[{m}]" for m, _n in FORMS[form]]
                lines = [line for s in sections for line in s.splitlines()[1:]]
                assert not ENGLISH.search("\n".join(lines)), (idea, form, seed, ENGLISH.search(text))
                # prepositions and articles are contracted as the language does
                contractible = {"es": r"\b(de|a) el\b", "pt": r"\b(de|em|a|por) (o|a|os|as)\b",
                                "it": r"\b(di|a|in|su|da) (il|lo|la|i|gli|le|l')(\b| )",
                                "fr": r"\b(de|à) (le|les)\b|\bde [aeiouéèàâ]"}[lang.code]
                assert "{" not in text and not re.search(contractible, text, re.I), (idea, form, seed, text)
                low = text.lower()
                # with its article or possessive, or called out bare ("Adeus, avó, até outro dia")
                assert all(t.lower() in low or re.search(rf"\b{t.split()[-1].lower()}\b", low) for t in things), \
                    (idea, seed)
                # a person is never a place ("En mis amigos hay un secreto guardado")
                assert not PERSON_AS_PLACE.search(low), (idea, form, seed, PERSON_AS_PLACE.search(low))
                for first, second in zip(lines[::2], lines[1::2], strict=True):  # couplets on their own rhymes
                    assert {first.split()[-1].lower(), second.split()[-1].lower()} <= endings(lang), (first, second)
                choruses = [s for s in sections if s.startswith("[Chorus]")]
                assert all(c == choruses[0] for c in choruses)


def test_a_person_as_an_object_takes_a_and_de_el_is_del():
    sung = "\n".join(write_lyrics("una canción de amor para mi madre", seed, form)
                     for seed in range(30) for form in FORMS)
    assert "Recuerdo a mi madre" in sung or "Guardé a mi madre" in sung
    assert not re.search(r"\b(Recuerdo|Guardé|recuerdas) mi madre", sung)
    sea = "\n".join(write_lyrics("una canción triste sobre el mar", seed) for seed in range(30))
    assert "al mar" in sea or "del mar" in sea
    # a sad song keeps a quiet mood: none of the lively lines
    assert "llévame más alto" not in sea and "hasta el amanecer" not in sea


def test_titles_in_the_ideas_language():
    assert title_from_idea("una canción triste sobre el mar", 1) == "El mar"
    assert title_from_idea("una canción de amor para mi madre", 1) == "Para mi madre"
    assert title_from_idea("uma canção triste sobre o mar", 1) == "O mar"
    assert title_from_idea("uma canção de amor para a minha avó no verão", 1) == "Para a minha avó"  # not "a minha"
    assert title_from_idea("una canzone sulla notte stellata", 1) == "La notte"
    assert title_from_idea("una canzone d'amore per mia madre", 1) == "Per mia madre"
    assert title_from_idea("une chanson triste sur la mer et la nuit", 1) == "La mer"
    assert title_from_idea("une chanson d'amour pour ma mère", 1) == "Pour ma mère"
    # "sur la plage" is on the beach, not about it: a title of the things ("Toujours la plage")
    assert {title_from_idea("en dansant sur la plage avec mes amis", seed) for seed in range(20)} > {"La plage"}
    titles = {title_from_idea("bailando en la playa con mis amigos", seed) for seed in range(20)}
    assert "Bailando en la playa" in titles and all("la playa" in t for t in titles), titles
    titles = {title_from_idea("dançando na praia com os meus amigos", seed) for seed in range(20)}
    assert "Dançando na praia" in titles and "Sonhos da praia" in titles, titles  # "de a" is "da"
    for idea in ("una canción triste sobre el mar", "uma canção triste sobre o mar", "una canzone sulla notte"):
        sheets = lyric_variants(idea, 3)
        assert len({s.title for s in sheets}) == len(sheets) and not any(ENGLISH.search(s.title) for s in sheets)


def test_style_words_with_accents_and_in_spanish_steer_the_music():
    from studio.engines.local.songwriter import mood_of
    from studio.engines.local.style import parse_style, tokenize
    # "música electrónica" was read as "m", "sica", "electr", "nica": no style at all
    assert tokenize("música electrónica, guitarra española") == ["musica", "electronic", "guitar", "espanola"]
    assert {"latin", "happy", "guitar"} <= set(tokenize("salsa latina, feliz, con guitarra"))
    assert mood_of("una canción triste") == "quiet" and mood_of("fiesta en la playa") == "lively"
    slow = [parse_style("balada triste, piano", seed=s).tempo for s in range(20)]
    assert max(slow) <= 96, slow  # a sad ballad is slow, as "sad piano ballad" is


def test_every_languages_table_is_whole():
    # a line listed with a typo would silently fit nothing; a slot at a line's end breaks its rhyme
    from studio.engines.local.german import GERMAN
    for lang in (*romance.LANGUAGES.values(), GERMAN):
        lines = {line for bank in lang.banks.values() for couplet in bank for line in couplet}
        assert lang.place_lines | lang.lively_lines | lang.quiet_lines <= lines, lang.code
        assert set(lang.banks) == {"verse", "chorus", "pre-chorus", "bridge", "intro", "outro"}
        for bank in lang.banks.values():
            for first, second in bank:
                assert not first.endswith("}") and not second.endswith("}"), (first, second)
                assert first.split()[-1].lower() != second.split()[-1].lower(), (first, second)


def test_a_season_a_time_of_day_or_an_occasion_is_never_sung_as_a_place():
    # "Über dem Sommer ziehen Wolken schwer" sang in one German song in two, "Las calles del
    # verano" and "Dans la nuit il y a un secret" in one in four: lines of a place take no time;
    # nor an occasion ("Hay un rincón de los cumpleaños que es solo mío")
    from studio.engines.local.german import GERMAN
    for lang, idea, time in ((GERMAN, "ein trauriges Lied über den Sommer mit meiner Schwester", "sommer"),
                             (SPANISH, "una canción sobre el verano en la playa", "verano"),
                             (FRENCH, "une chanson sur la nuit à Paris", "nuit"),
                             (SPANISH, "una canción de cumpleaños para mi papá", "cumpleaños"),
                             (GERMAN, "ein Lied zum Geburtstag meiner Mutter", "geburtstag")):
        assert time in lang.times
        place_lines = [re.escape(line).replace(r"\{d\}", ".*").replace(r"\{a\}", ".*")
                       for line in lang.place_lines]
        sung = 0
        for form in FORMS:
            for seed in range(60):
                for line in write_lyrics(idea, seed, form).splitlines():
                    if any(re.fullmatch(p, line, re.I) for p in place_lines):
                        assert time not in line.lower(), (idea, form, seed, line)
                    sung += time in line.lower()
        assert sung, idea  # and it is still sung, elsewhere


def test_a_place_or_a_first_name_in_lower_case_is_sung_and_titled_as_a_name():
    # "une chanson d'amour pour paris" was titled "Pour paris" and sang "Oh paris, emmène-moi
    # plus haut", "Près des paris les heures sont si lentes"
    for idea, name in (("une chanson d'amour pour paris", "Paris"), ("una canción para maria en madrid", "Maria"),
                       ("una canción para maria en madrid", "Madrid")):
        for seed in range(20):
            text = write_lyrics(idea, seed)
            assert name in text and not re.search(rf"\b{name.lower()}\b", text), (idea, seed)
            assert not re.search(rf"\b(des|les|el|la|los) {name}\b", text, re.I), (idea, seed)
            assert name in title_from_idea(idea, seed) or name == "Madrid", (idea, seed)


def says_each_word_once(ideas) -> None:
    """No line of these ideas' lyrics, in any form and 10 seeds, says a word (of more than
    three letters) twice."""
    for idea in ideas:
        for form in FORMS:
            for seed in range(10):
                for line in write_lyrics(idea, seed, form).splitlines():
                    words = [w.lower() for w in re.findall(r"[^\W\d_]+", line) if len(w) > 3]
                    assert len(words) == len(set(words)), (idea, form, seed, line)


def test_italian_lines_do_not_say_a_word_twice():
    # "Balliamo ancora, ancora e ancora", "Oltre la strada, oltre la vetta", "Tutto mi parla
    # della pioggia piano piano", "Penso a mia figlia e penso a te", "Pioggia, pioggia, non
    # lasciarmi andare", and a thing put in a couplet that names it: "Sotto la pioggia cerco la
    # pioggia senza sosta", "Con la notte la notte è sicura"
    ideas = ("una canzone d'amore per mia madre", "una canzone triste sulla pioggia", "una ninna nanna per mia figlia",
             "una canzone sul mio cane", "canzone di notte in città", "ballando sulla spiaggia con gli amici")
    says_each_word_once(ideas)


def test_a_city_in_its_own_languages_spelling_is_a_name():
    # "una canzone d'amore per roma" sang "Sotto la pioggia cerco la roma", "Nient'altro che la
    # roma e te" and was titled "Per roma": Roma was no place the writer knew. No article comes
    # before it, alone or in a preposition ("della roma", "do Lisboa", "au Marseille").
    article = r"\b(il|la|lo|l'|el|los|las|le|les|der|die|das|del|al|della|alla|nella|sulla|do|no|ao|du|au) ?"
    for idea, name in (("una canzone d'amore per roma", "Roma"), ("una canzone su napoli", "Napoli"),
                       ("una canción para sevilla", "Sevilla"), ("uma canção de amor para lisboa", "Lisboa"),
                       ("une chanson d'amour pour marseille", "Marseille"), ("ein Lied für mailand", "Mailand")):
        for form in FORMS:
            for seed in range(8):
                text = write_lyrics(idea, seed, form)
                assert name in text and not re.search(rf"\b{name.lower()}\b", text), (idea, form, seed)
                assert not re.search(article + name + r"\b", text, re.I), (idea, form, seed)
        assert name in title_from_idea(idea, 1), idea


def test_a_short_idea_is_read_in_its_language():
    # "canzone allegra sull'estate al mare" was read as English ("Never let the mare grow cold",
    # "Dust is on the canzone by the door"): of its small words only "canzone" was Italian's
    from studio.engines.local.language import language_of
    short = {"it": ("canzone allegra sull'estate al mare", "una ballata dell'estate", "notte d'estate al mare",
                    "estate al mare con gli amici", "festa in spiaggia", "pioggia sulla città", "canzone dell'addio"),
             "es": ("noche de verano", "amor de verano", "fiesta en la playa", "lluvia en la ciudad"),
             "pt": ("noite de verão", "saudade do mar", "festa na praia", "chuva na cidade", "dançando na praia"),
             "fr": ("nuit d'été", "l'été à la plage", "fête à la plage", "chanson d'amour")}
    for code, ideas in short.items():
        for idea in ideas:
            assert language_of(idea) == code, idea
    # English elides too, and its "I" stays English
    for text in ("I'm in love, I'm in love", "that's all I'd need", "the real estate blues", "a mare in the field",
                 "a song about AI", "all my love"):
        assert language_of(text) == "en", text
    for seed in range(10):
        text = write_lyrics("canzone allegra sull'estate al mare", seed)
        assert not ENGLISH.search(text) and re.search(r"\b(il|al|del|nel|sul) mare\b", text), (seed, text)


def test_spanish_portuguese_french_and_german_lines_do_not_say_a_word_twice():
    # as Italian's did: "Despacio, despacio, empieza a sonar", "Devagar, devagar", "On danse
    # encore, encore et encore", "Quand ta main serrait ma main", "Je pense à ma mère et je
    # pense à toi", "Doucement, doucement", "Langsam, langsam", "Denn du bist alles, alles für
    # mich", and every language's call-out "Mar, mar, no me dejes ir", "Mutter, Mutter, lass
    # mich nicht gehn"
    ideas = ("una canción de amor para mi madre", "una canción triste sobre la lluvia", "una canción sobre mi perro",
             "bailando en la playa con mis amigos", "uma canção de amor para a minha mãe",
             "uma canção triste sobre o mar", "dançando na praia com os meus amigos",
             "une chanson d'amour pour ma mère", "une berceuse pour ma fille", "en dansant sur la plage avec mes amis",
             "une chanson sur la main",
             "ein Lied über meine Mutter", "ein trauriges Lied über den Regen",
             "ein Lied über den Sommer in Berlin mit meiner Schwester")
    says_each_word_once(ideas)


def test_an_italian_idea_about_an_elided_thing_is_titled_by_it():
    # "canzone allegra sull'estate al mare" was titled by a pattern ("Tornare all'estate"),
    # as "sulla notte" is "La notte"
    assert title_from_idea("canzone allegra sull'estate al mare", 1) == "L'estate"
    assert title_from_idea("una canzone sull'amore di mia madre", 1) == "L'amore"


def test_no_two_lines_of_a_song_end_in_the_same_word():
    # two Portuguese couplets end in "devagar" ("e a cidade dorme devagar", "e o céu chora
    # devagar") and met in one song, as "dia", "toi", "corazón" did: a song's lines end in
    # words of their own wherever the bank has couplets that do (a chorus comes back whole)
    from studio.engines.local.german import GERMAN
    ideas = {"uma canção triste sobre o mar": PORTUGUESE, "saudade da praia e da noite": PORTUGUESE,
             "uma canção de amor para a minha avó no verão": PORTUGUESE,
             "una canción de amor para mi madre": SPANISH, "la noche en Madrid con mi perro": SPANISH,
             "une chanson triste sur la mer et la nuit": FRENCH, "une chanson d'amour pour ma mère": FRENCH,
             "una canzone d'amore per mia madre": ITALIAN, "ballando sulla spiaggia con gli amici": ITALIAN,
             "ein Lied über die Nacht und das Meer": GERMAN, "ein trauriges Lied für meine Mutter": GERMAN}
    for idea, lang in ideas.items():
        assert romance.language_for(idea) is lang, idea
        each_line_ends_in_its_own_word(idea, seeds=30)


def test_an_idea_of_two_words_with_one_of_its_languages_is_read_in_it():
    # "viaggio all'alba" and "souvenirs d'enfance" were sung in English ("Every viaggio tells a
    # story of its own"): of their small words only one was Italian's, or French's
    from studio.engines.local.language import language_of
    short = {"it": ("viaggio all'alba", "notte stellata", "storia d'amore", "gli amici", "nel blu", "amore mio"),
             "fr": ("souvenirs d'enfance", "nuit blanche", "l'amour toujours", "été indien"),
             "es": ("canción triste", "noche estrellada", "corazón roto"),
             "pt": ("saudade", "chuva fina", "coração partido")}
    for code, ideas in short.items():
        for idea in ideas:
            assert language_of(idea) == code, idea
    # two English words, or an English idea with a name or a word English borrows, stay English
    for idea in ("ocean eyes", "fiesta time", "festa time", "la la land", "pour decisions", "café racer", "el camino",
                 "los angeles", "las vegas", "el paso", "big sur", "santa fe", "lo-fi beats", "die young", "au pair",
                 "amour fou", "con artist", "mon cheri", "uno reverse", "da club", "summer nights", "deja vu",
                 "naïve résumé"):
        assert language_of(idea) == "en", idea
    assert not ENGLISH.search(write_lyrics("viaggio all'alba", 1)) and "viaggio" in write_lyrics("viaggio all'alba", 1)
    assert not ENGLISH.search(write_lyrics("souvenirs d'enfance", 1)) and "souvenirs" in write_lyrics(
        "souvenirs d'enfance", 1)


def test_a_spanish_noun_in_s_that_is_one_takes_el():
    # "Volveré a los cumpleaños algún día" was sung: a birthday is one, as a weekday is
    texts = " ".join(write_lyrics("una canción de cumpleaños para mi papá", seed).lower() for seed in range(20))
    assert "el cumpleaños" in texts and "los cumpleaños" not in texts
    sung = " ".join(write_lyrics("una canción sobre el autobús y el país", seed).lower() for seed in range(20))
    assert "los autobús" not in sung and "los país" not in sung
