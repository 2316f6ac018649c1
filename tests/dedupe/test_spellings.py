"""Names a researcher reads as one whatever the script (archive.core.linkage_keys), and
namesakes a fact tells apart (archive.core.linkage). No database; synthetic people only."""

import itertools

from archive.core import names
from archive.core.linkage import Candidate, find_duplicates, score_pair
from archive.core.linkage_keys import joined_keys
from archive.core.names.lexicon import FAMILY_NAMES, GIVEN_NAMES

GOHARDASHT = 2


def _pair(latin: str, persian: str, father_a="Ali", father_b="علی"):
    a = Candidate(ref="A", name_latin=latin, father_name=father_a, prison=GOHARDASHT)
    b = Candidate(ref="B", name_fa=persian, father_name=father_b, prison=GOHARDASHT)
    return a, b


def test_shushtari_and_its_persian_spelling_with_the_same_father_are_proposed():
    a, b = _pair("Reza Shushtari", "رضا شوشتری")
    found = find_duplicates([a, b])
    assert [(m.a.ref, m.b.ref) for m in found] == [("A", "B")]
    assert found[0].reasons[0] == "same name in another spelling"


def test_a_latin_spelling_without_the_long_vowel_is_the_same_name_as_the_persian():
    a, b = _pair("Samad Borojerdi", "صمد بروجردی")
    assert score_pair(a, b).levels["name"] == "same"


def test_a_father_written_mansor_is_the_same_father_as_in_persian():
    a, b = _pair("Reza Karimi", "رضا کریمی", father_a="Mansor", father_b="منصور")
    assert score_pair(a, b).levels["father"] == "same"


def test_a_family_name_the_persian_splits_and_the_latin_joins_is_the_same_name():
    for latin, persian in (
        ("Najme Kavehyan", "نجمه کاوه‌یان"),
        ("Mina Maraghei", "مینا مراغه‌ای"),
        ("Ashraf Abolfazllou", "اشرف ابوالفضل‌لو"),
        ("Sadegh Jamshidi Khoei", "صادق جمشیدی خویی"),
    ):
        a, b = _pair(latin, persian)
        assert score_pair(a, b).levels["name"] == "same", latin


def test_saleh_written_with_a_final_eh_meets_its_persian_spelling():
    a, b = _pair("Saleh Mohammadnia", "صالح محمد‌نیا")
    found = find_duplicates([a, b])
    assert [(m.a.ref, m.b.ref) for m in found] == [("A", "B")]


def test_mahmoud_and_mohammad_are_never_read_as_one_name():
    assert not joined_keys("Mahmoud Ahmadi") & joined_keys("محمد احمدی")
    assert not joined_keys("Mahmud Ahmadi") & joined_keys("Mohammad Ahmadi")
    assert not joined_keys("Hassan Karimi") & joined_keys("حسین کریمی")


def test_no_spelling_of_a_lexicon_name_is_read_as_another_lexicon_name():
    persian_key = {}
    for entry in (*GIVEN_NAMES, *FAMILY_NAMES):
        persian_key.setdefault(names.persian_key(entry.fa), set()).add(entry.fa)
    confused = []
    for entry in (*GIVEN_NAMES, *FAMILY_NAMES):
        for spelling in entry.latin:
            if " " in spelling or "-" in spelling:
                continue
            # Only what the respellings add: the keys themselves read some names alike by
            # design (a final vowel is one mark: Masoumeh and Masoumi).
            for key in joined_keys(spelling) - {names.latin_key(spelling)}:
                others = persian_key.get(key, set()) - {entry.fa}
                confused += [(spelling, other) for other in others]
    assert confused == []


def _crowd(n: int):
    """Strangers in a list, so that "Mohammad" as a father is as common as it is."""
    given = ("Hassan", "Reza", "Mehdi", "Javad", "Saeed", "Majid", "Amir", "Hamid")
    family = ("Rahimi", "Jafari", "Sadeghi", "Moradi", "Rostami", "Kazemi", "Bagheri")
    people = []
    for i, (g, f) in enumerate(itertools.islice(itertools.cycle(
        itertools.product(given, family)), n)):  # fmt: skip
        people.append(Candidate(ref=f"C{i:04}", name_latin=f"{g} {f}", father_name="Mohammad"))
    return people


def test_namesakes_whose_fathers_agree_only_in_part_are_not_proposed_in_a_long_list():
    crowd = _crowd(2000)
    a = Candidate(ref="A", name_latin="Ahmad Shirazi", father_name="Mohammad")
    b = Candidate(ref="B", name_latin="Ahmad Shirazi", father_name="Mohammad-Reza")
    found = find_duplicates([*crowd, a, b])
    assert ("A", "B") not in {(m.a.ref, m.b.ref) for m in found}


def test_a_father_in_part_never_weighs_more_than_the_same_father():
    from archive.core.linkage import Frequencies

    crowd = _crowd(2000)
    a = Candidate(ref="A", name_latin="Ahmad Shirazi", father_name="Mohammad")
    same = Candidate(ref="B", name_latin="Ahmad Shirazi", father_name="Mohammad")
    part = Candidate(ref="C", name_latin="Ahmad Shirazi", father_name="Mohammad-Reza")
    freq = Frequencies.of([*crowd, a, same, part])
    assert score_pair(a, part, freq=freq).weight < score_pair(a, same, freq=freq).weight


def test_namesakes_of_one_town_with_different_family_names_are_not_one_name():
    a = Candidate(ref="A", name_fa="حسین احمدی آملی", father_name="کاظم", prison=GOHARDASHT)
    b = Candidate(ref="B", name_fa="حسین احمدی کاشانی", father_name="کاظم", prison=GOHARDASHT)
    assert score_pair(a, b) is None
    assert find_duplicates([a, b]) == []


def test_a_family_name_with_a_part_dropped_is_still_compared():
    a = Candidate(ref="A", name_latin="Mohammad Hosseini Tabrizi", father_name="Ali")
    b = Candidate(ref="B", name_latin="Mohammad Tabrizi", father_name="Ali")
    assert score_pair(a, b) is not None


def test_a_father_read_as_mahmoud_and_one_read_as_mohammad_separate_namesakes():
    a = Candidate(ref="A", name_latin="Reza Ghorbani", father_name="Mahmoud")
    b = Candidate(ref="B", name_fa="رضا قربانی", father_name="محمد")
    assert score_pair(a, b) is None


def test_a_family_name_built_on_mousa_or_mostafa_meets_its_joined_latin_spelling():
    # موسی and مصطفی end in a ی read as alef; joined to an ending a Latin list writes the a
    # inside the word (Mousapour, Mostafazadeh), where the key drops it.
    for latin, persian in (
        ("Mariam Mousapour", "مریم موسی‌پور"),
        ("Gholamhossein Mostafazadeh", "غلامحسین مصطفی‌زاده"),
        ("Mehdi Mortezafar", "مهدی مرتضی‌فر"),
    ):
        a, b = _pair(latin, persian)
        assert score_pair(a, b).levels["name"] == "same", latin


def test_hasanizadeh_and_hasanzadeh_stay_two_family_names():
    # Only a ی read as alef drops inside a joined word: حسنی‌زاده is not حسن‌زاده.
    assert not joined_keys("علی حسنی‌زاده") & joined_keys("علی حسن‌زاده")
    assert not joined_keys("علی حسنی‌زاده") & joined_keys("Ali Hasanzadeh")


def test_mahmud_written_with_one_u_is_not_read_as_mohammad_once_joined():
    # Run together as one word, "Mahmud Karimi" lost the u its own key keeps, and keyed
    # as "Mohammad Karimi" does: two different men proposed as one name.
    for given in ("Mahmud", "Masud", "Davud"):
        assert not joined_keys(f"{given} Karimi") & joined_keys("Mohammad Karimi")
    a, b = _pair("Mahmud Karimi", "محمد کریمی")
    assert score_pair(a, b) is None or score_pair(a, b).levels["name"] != "same"
    a, b = _pair("Mahmud Karimi", "محمود کریمی")
    assert score_pair(a, b).levels["name"] == "same"
