"""Family names made of a town's adjective, written in either of its forms, in either
script (archive.core.names.places, read by archive.core.linkage_keys), and other spellings
a researcher reads as one name; namesakes still told apart. No database; synthetic people
only (the towns are real places)."""

from archive.core.linkage import Candidate, find_duplicates, score_pair
from archive.core.linkage_keys import joined_keys

GOHARDASHT = 2


def _pair(latin: str, persian: str, father_a="Habib", father_b="حبیب", **facts):
    a = Candidate(ref="A", name_latin=latin, father_name=father_a, prison=GOHARDASHT, **facts)
    b = Candidate(ref="B", name_fa=persian, father_name=father_b, prison=GOHARDASHT, **facts)
    return a, b


def _found(a, b):
    return [(m.a.ref, m.b.ref) for m in find_duplicates([a, b])]


def test_urmavi_and_the_persian_adjective_of_orumieh_are_one_family_name():
    # ارموی (Urmavi) is the Arabic form of ارومیه‌ای (Orumiehi): lists use either.
    for latin, persian in (
        ("Mojtaba Sheikhi Urmavi", "مجتبی شیخی ارومیه‌ای"),
        ("Hossein Urmavi", "حسین ارومیه‌ای"),
        ("Hossein Orumiehi", "حسین ارموی"),
    ):
        a, b = _pair(latin, persian)
        assert _found(a, b) == [("A", "B")], latin
        assert score_pair(a, b).levels["name"] == "same", latin


def test_a_town_adjective_in_its_two_forms_is_one_name_in_either_script():
    for latin, persian in (
        ("Ali Lahijani", "علی لاهیجی"),
        ("Ali Lahiji", "علی لاهیجانی"),
        ("Reza Hamadhani", "رضا همدانی"),
        ("Reza Mashadi", "رضا مشهدی"),
        ("Karim Nishapuri", "کریم نیشابوری"),
        ("Javad Dizfuli", "جواد دزفولی"),
        ("Javad Burujirdi", "جواد بروجردی"),
        ("Saeed Savoji", "سعید ساوه‌ای"),
        ("Hamid Ahmadi Jilani", "حمید احمدی گیلانی"),
    ):
        a, b = _pair(latin, persian)
        assert score_pair(a, b).levels["name"] == "same", latin


def test_the_two_forms_are_one_name_within_one_script_too():
    assert joined_keys("Ali Urmavi") & joined_keys("Ali Orumiehi")
    assert joined_keys("علی ارموی") & joined_keys("علی ارومیه‌ای")
    assert joined_keys("Ali Lahiji") & joined_keys("Ali Lahijani")


def test_namesakes_with_a_town_adjective_and_different_fathers_are_kept_apart():
    a, b = _pair("Hossein Urmavi", "حسین ارومیه‌ای", father_a="Ali", father_b="حسن")
    assert score_pair(a, b) is None
    assert _found(a, b) == []


def test_namesakes_with_a_town_adjective_born_years_apart_are_kept_apart():
    a = Candidate(ref="A", name_latin="Ali Lahiji", father_name="Habib", birth_year=1950)
    b = Candidate(ref="B", name_fa="علی لاهیجانی", father_name="حبیب", birth_year=1962)
    assert score_pair(a, b) is None


def test_adjectives_of_two_towns_are_two_family_names():
    # Orumieh and Hamedan, Lahijan and Langarud: another town is another family.
    for one, other in (
        ("Hossein Urmavi", "حسین همدانی"),
        ("Hossein Hosseini Urmavi", "حسین حسینی تبریزی"),
        ("Ali Lahiji", "علی لنگرودی"),
        ("Ali Kashani", "علی کرمانی"),
    ):
        a, b = _pair(one, other)
        assert score_pair(a, b) is None or score_pair(a, b).levels["name"] != "same", one


def test_a_word_keyed_like_a_short_adjective_is_not_read_as_the_town():
    # Kashi (کاشی) is Kashan's adjective; its key (kwe) is too short to read other words by.
    assert not joined_keys("Ali Koshi") & joined_keys("Ali Kashani")
    assert joined_keys("Ali Kashi") & joined_keys("علی کاشانی")


def test_waliullah_is_the_persian_valiollah():
    a, b = _pair("Waliullah Hadifar", "ولی‌الله هادی‌فر")
    assert _found(a, b) == [("A", "B")]
    assert score_pair(a, b).levels["name"] == "same"


def test_a_letter_doubled_where_a_family_name_is_joined_is_one():
    # مصطفی‌فر: Mostafa and -far; the Latin writes one f where the two meet (Mostafafar).
    for latin, persian in (
        ("Hossein Mostafafar", "حسین مصطفی‌فر"),
        ("Leila Mostafafar", "لیلا مصطفی‌فر"),
    ):
        a, b = _pair(latin, persian)
        assert score_pair(a, b).levels["name"] == "same", latin


def test_a_latin_spelling_the_lexicon_knows_is_its_persian_inside_any_name():
    # Kazim, Yusuf and Fatima are the lexicon's spellings of کاظم, یوسف and فاطمه, which the
    # keys read apart (an Arabic-style i or u for the Persian short vowel); in a name the
    # lexicon cannot read whole, or a family name built on them, they are still one name.
    for latin, persian in (
        ("Muhammad Kazimnezhad", "محمد کاظم‌نژاد"),
        ("Masoomeh Kazimzade", "معصومه کاظم‌زاده"),
        ("Seyed Kazim Mohammadtaghifar", "سید کاظم محمدتقی‌فر"),
        ("Yusuf Muhammadian", "یوسف محمد‌یان"),
        ("Fatima Mohammedniya", "فاطمه محمد‌نیا"),
    ):
        a, b = _pair(latin, persian)
        assert score_pair(a, b).levels["name"] == "same", latin


def test_a_lexicon_spelling_and_another_words_long_vowel_are_read_together():
    # Fatima is the lexicon's فاطمه and Kouroshvand's ou the long vowel of کوروش‌وند: the
    # Persian writes both at once, so one reading of the Latin must hold both.
    for latin, persian in (
        ("Fatima Kouroshvand", "فاطمه کوروش‌وند"),
        ("Yusuf Mousavi", "یوسف موسوی"),
    ):
        a, b = _pair(latin, persian)
        assert score_pair(a, b).levels["name"] == "same", latin
        assert _found(a, b) == [("A", "B")], latin


def test_a_name_the_lexicon_reads_is_not_taken_for_another():
    # Kazim is کاظم, never کریم or قاسم; Yusuf is not یونس.
    assert not joined_keys("Ali Kazimzadeh") & joined_keys("علی کریم‌زاده")
    assert not joined_keys("Yusuf Ahmadi") & joined_keys("یونس احمدی")
    a, b = _pair("Muhammad Kazimnezhad", "محمد کاظم‌نژاد", father_a="Ali", father_b="حسن")
    assert score_pair(a, b) is None


def test_the_arabic_article_as_the_latin_writes_it_is_one_name_with_the_persian():
    # Abdul Hossein: the article spaced and written -ul; Shamsoddin, Abdorrahim: before a
    # sun letter the Latin doubles the letter and writes no l.
    for latin, persian in (
        ("Abdul Hossein Karimi", "عبدالحسین کریمی"),
        ("Abdul Rahim Karimi", "عبدالرحیم کریمی"),
        ("Abdorrahim Karimi", "عبدالرحیم کریمی"),
        ("Shamsoddin Karimi", "شمس‌الدین کریمی"),
        ("Nasreddin Karimi", "نصرالدین کریمی"),
    ):
        a, b = _pair(latin, persian)
        assert score_pair(a, b).levels["name"] == "same", latin


def test_a_name_beginning_with_the_letters_of_the_article_keeps_them():
    # الناز (Elnaz) and خالدی (Khaledi) hold ال before a sun letter, and no article.
    assert not joined_keys("الناز کریمی") & joined_keys("Enaz Karimi")
    assert not joined_keys("علی خالدی") & joined_keys("Ali Khadi")


def test_a_family_name_built_on_a_name_ending_in_alef_meets_its_joined_latin_spelling():
    a, b = _pair("Alireza Pouyanejad", "علیرضا پویا‌نژاد")
    assert score_pair(a, b).levels["name"] == "same"
