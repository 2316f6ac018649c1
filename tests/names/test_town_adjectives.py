"""Town adjectives as family names (archive.core.names.places) and the lexicon's Persian
for a Latin word (archive.core.names.keys.lexicon_persian): pure Python, no database."""

from archive.core import names
from archive.core.names.keys import lexicon_persian, persian_key
from archive.core.names.lexicon import FAMILY_NAMES, GIVEN_NAMES
from archive.core.names.places import _rows, adjective_place, place_token


def _word(script: str, text: str) -> str:
    return "".join(tok for _s, tok in names.tokens(text))


def test_every_form_of_an_adjective_with_two_forms_reads_as_its_town():
    for latin, persian, town in (
        ("Urmavi", "ارومیه‌ای", "ارومیه"),
        ("Orumiehi", "ارموی", "ارومیه"),
        ("Lahiji", "لاهیجانی", "لاهیجان"),
        ("Hamadhani", "همدانی", "همدان"),
        ("Mashadi", "مشهدی", "مشهد"),
        ("Nishapuri", "نیسابوری", "نیشابور"),
        ("Savoji", "ساوه‌ای", "ساوه"),
        ("Kashi", "کاشانی", "کاشان"),
    ):
        assert adjective_place("la", _word("la", latin)) == town, latin
        assert adjective_place("fa", _word("fa", persian)) == town, persian


def test_no_lexicon_name_reads_as_a_town():
    adjectives = {persian_key(f) for row in _rows() for f in row[2]}
    misread = []
    for entry in (*GIVEN_NAMES, *FAMILY_NAMES):
        if persian_key(entry.fa) in adjectives:
            continue  # Tabrizi, Kermani: a lexicon family name that is a town's adjective
        for script, text in (("fa", entry.fa), *(("la", v) for v in entry.latin)):
            if " " not in text and adjective_place(script, _word(script, text)):
                misread.append(text)
    assert misread == []


def test_each_town_has_its_own_spelling_of_the_adjective():
    towns = {row[0][0] for row in _rows()}
    assert len({persian_key(place_token(t)) for t in towns}) == len(towns)


def test_the_lexicon_gives_its_persian_for_a_latin_spelling_and_its_compounds():
    assert lexicon_persian("kazim") == "کاظم"
    assert lexicon_persian("yusuf") == "یوسف"
    assert lexicon_persian("kazimnezhad") == "کاظمنژاد"
    assert lexicon_persian("tabrizian") is None  # not made of the lexicon's parts
