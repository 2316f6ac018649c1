"""Name normalisation, keys and scoring (archive.core.names): pure Python, no database."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.core.names import (
    is_exact,
    latin_key,
    name_keys,
    normalize_latin,
    normalize_persian,
    persian_key,
    query_key,
    score,
)
from archive.core.names.lexicon import FAMILY_NAMES, GIVEN_NAMES

# ------------------------------------------------------------------ normalisation


def test_arabic_yeh_and_kaf_become_persian():
    assert normalize_persian("علي كريمي") == "علی کریمی"
    assert normalize_persian("موسى") == "موسی"


def test_teh_marbuta_and_hamza_seats_become_persian_letters():
    assert normalize_persian("فاطمة") == "فاطمه"
    assert normalize_persian("أحمد") == "احمد"
    assert normalize_persian("إبراهيم") == "ابراهیم"
    assert normalize_persian("رئيسي") == "رییسی"
    assert normalize_persian("مؤمن") == "مومن"


def test_madda_alef_is_kept_as_a_letter():
    assert normalize_persian("آذر") == "آذر"


def test_harakat_shadda_and_tatweel_are_removed():
    assert normalize_persian("مُحَمَّد") == "محمد"
    assert normalize_persian("محـــمد") == "محمد"


def test_zwnj_becomes_a_space_and_other_format_characters_vanish():
    assert normalize_persian("علی\u200cرضا") == "علی رضا"
    assert normalize_persian("\u200fعلی\u200d  \u200eرضا\ufeff") == "علی رضا"


def test_persian_and_arabic_indic_digits_become_ascii():
    assert normalize_persian("۱۳۶۷ و ١٩٨٨") == "1367 و 1988"


def test_latin_normalisation_folds_case_accents_apostrophes_and_hyphens():
    assert normalize_latin("Ja’far  MOHAMMÁD") == "jafar mohammad"
    assert normalize_latin("Pour-Mohammadi") == "pour mohammadi"
    assert normalize_latin("M.Hosseini") == "m hosseini"


# --------------------------------------------------------------------------- keys


def _same_key(*spellings):
    keys = {latin_key(s) for s in spellings}
    assert len(keys) == 1, {s: latin_key(s) for s in spellings}
    return keys.pop()


def test_latin_spellings_of_mohammad_share_one_key():
    assert _same_key("Mohammad", "Mohammed", "Muhammad", "Mohamad", "Mohamed") == "mhmd"


def test_latin_spellings_of_hosseini_share_one_key():
    assert _same_key("Hosseini", "Hoseini", "Husseini", "Hosseyni", "Hossaini") == "hsine"


def test_gh_and_q_share_a_key_letter():
    _same_key("Ghasem", "Qasem", "Qassem", "Ghassem")


def test_ei_ey_and_i_endings_share_a_key():
    _same_key("Rezaei", "Rezaee", "Rezai", "Rezaie")


def test_ou_oo_and_long_u_share_a_key():
    _same_key("Mahmoud", "Mahmood", "Mahmud")


def test_hassan_and_hossein_stay_apart():
    assert latin_key("Hassan") != latin_key("Hossein")
    assert latin_key("Mohammad") != latin_key("Mahmoud")
    assert latin_key("Hassani") != latin_key("Hosseini")


def test_persian_and_latin_spellings_meet_in_one_key():
    pairs = {
        "محمد": "Mohammad",
        "حسینی": "Hosseini",
        "رضا": "Reza",
        "قاسم": "Ghasem",
        "احمدی": "Ahmadi",
        "کریمی": "Karimi",
        "فاطمه": "Fatemeh",
        "موسوی": "Mousavi",
        "ابوالفضل": "Abolfazl",
        "روح‌الله": "Rouhollah",
    }
    for fa, latin in pairs.items():
        assert persian_key(fa) == latin_key(latin), (fa, latin)


def test_arabic_keyboard_spelling_has_the_persian_key():
    assert persian_key("كريمي") == persian_key("کریمی")
    assert persian_key("فاطمة") == persian_key("فاطمه")


def test_lexicon_latin_variants_match_the_persian_key_for_most_entries():
    entries = GIVEN_NAMES + FAMILY_NAMES
    agree = [e for e in entries if all(latin_key(v) == persian_key(e.fa) for v in e.latin)]
    share = len(agree) / len(entries)
    print(f"lexicon entries whose every Latin spelling has the Persian key: {share:.1%}")
    assert share >= 0.95


def test_joined_spaced_and_hyphenated_compounds_match_exactly():
    stored = [
        name_keys("Mohammadreza Karimi"),
        name_keys("Mohammad Reza Karimi"),
        name_keys("محمدرضا کریمی"),
        name_keys("محمد رضا کریمی"),
        name_keys("Mohammad-Reza Karimi"),
    ]
    for query in ("Mohammad Reza Karimi", "Mohammadreza Karimi", "محمد‌رضا کریمی"):
        for keys in stored:
            assert is_exact(query, keys), (query, keys)


def test_pour_prefix_compounds_match_in_every_writing():
    for stored in ("Pourmohammadi", "Pour-Mohammadi", "Pour Mohammadi", "پورمحمدی"):
        keys = name_keys("Mostafa " + stored)
        for query in ("Mostafa Pourmohammadi", "Mostafa Pour Mohammadi", "مصطفی پورمحمدی"):
            assert is_exact(query, keys), (query, stored)


def test_name_keys_skip_empty_names_and_keep_order_without_duplicates():
    keys = name_keys("Ali Karimi", "", "علی کریمی", "Aly Karimi").split()
    assert keys[:2] == ["ale", "krime"]
    assert len(keys) == len(set(keys))


def test_query_key_drops_relation_words_and_keeps_initials():
    assert query_key("M. Hosseini son of Hassan") == "m hsine hsn"
    assert query_key("علي كريمي فرزند حسن") == "ale krime hsn"
    assert query_key("Karimi, Ali s/o Reza") == "krime ale rze"
    assert query_key("Ali pesar-e Reza") == "ale rze"


def test_query_key_tokens_are_at_least_three_letters_for_ordinary_names():
    for name in ("Ali Karimi", "Reza Hosseini", "Zahra Ahmadi", "Hassan Nouri"):
        assert all(len(t) >= 3 for t in query_key(name).split()), name


# ------------------------------------------------------------------------ scoring

ALI_KARIMI = name_keys("Ali Karimi", "علی کریمی")


def test_exact_match_in_either_script_and_order_scores_one():
    for query in ("Ali Karimi", "Karimi, Ali", "علي كريمي", "كريمي علي", "Aly Kareemi"):
        assert score(query, ALI_KARIMI) == 1.0, query


def test_one_letter_typo_scores_high_but_below_exact():
    typo = score("Ali Karini", ALI_KARIMI)
    assert 0.85 < typo < 1.0
    assert typo > score("Ali Rahimi", ALI_KARIMI)


def test_initial_matches_a_name_starting_with_that_letter():
    assert 0.8 < score("A. Karimi", ALI_KARIMI) < 1.0
    assert score("A. Karimi", ALI_KARIMI) > score("M. Karimi", ALI_KARIMI)


def test_an_initial_does_not_reuse_the_family_name():
    keys = name_keys("Gholamhossein Ahmadi")
    assert score("A. Ahmadi", keys) < score("A. Ahmadi", name_keys("Ahmad Ahmadi"))


def test_an_extra_father_name_lowers_the_score_only_mildly():
    assert 0.8 < score("Ali Karimi son of Hassan", ALI_KARIMI) < 1.0


def _sons_of(*fathers: str) -> list[str]:
    """Ali Karimi's keys with each father's name as context."""
    return [ALI_KARIMI + " | " + name_keys(father) for father in fathers]


def test_father_context_picks_the_right_namesake():
    son_of_hassan, son_of_reza = _sons_of("Hassan", "Reza")
    query = "Ali Karimi son of Hassan"
    assert score(query, son_of_hassan) > score(query, son_of_reza)
    assert score(query, son_of_hassan) < 1.0
    # the patronymic comes last: Hassan Karimi, son of Ali, is a worse answer
    hassan_son_of_ali = name_keys("Hassan Karimi") + " | " + name_keys("Ali")
    assert score(query, son_of_hassan) > score(query, hassan_son_of_ali)


def test_a_misspelt_fathers_name_still_picks_the_right_namesake():
    # The father's name asked for last, one letter off the stored one ("Hasan" for
    # Hassan's "hsn" keys is exact; "Hassun" is not): the context is compared loosely.
    son_of_hassan, son_of_reza = _sons_of("Hassan", "Reza")
    assert (
        0
        < score("Ali Karimi Hassun", son_of_reza)
        < score("Ali Karimi Hassun", son_of_hassan)
        < 1.0
    )


def test_a_name_inside_a_longer_name_is_not_exact():
    assert score("Ali Karimi", name_keys("Ali Mohammad Karimi")) < 1.0
    assert score("Mohammad Karimi", name_keys("Mohammad Reza Karimi")) < 1.0
    assert score("Mohammad Karimi", name_keys("Mohammadreza Karimi")) < 1.0


def test_titles_do_not_break_contiguity():
    assert score("Mohammad Hosseini", name_keys("Seyed Mohammad Hosseini")) == 1.0
    assert score("Fatemeh Mousavi", name_keys("Fatemeh Sadat Mousavi", "فاطمه سادات موسوی")) == 1.0


def test_leaving_out_part_of_a_compound_is_not_exact():
    keys = name_keys("Amir Hossein Mohammadi", "امیرحسین محمدی")
    assert score("Amirhossein Mohammadi", keys) == 1.0
    assert 0.95 < score("Hossein Mohammadi", keys) < 1.0


def test_a_repeated_query_token_needs_a_second_match():
    keys = name_keys("Hossein Hosseini")
    assert score("Hossein Hosseini son of Hossein", keys + " | " + name_keys("Hossein")) > score(
        "Hossein Hosseini son of Hossein", keys + " | " + name_keys("Aziz")
    )


def test_empty_or_noise_only_queries_score_zero():
    assert score("", ALI_KARIMI) == 0.0
    assert score("son of", ALI_KARIMI) == 0.0
    assert score("Ali", "") == 0.0


# ------------------------------------------------------------------ properties

ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from("اآأإئؤءيىكةۀیکهوعحسینیمحمد\u200c\u200d\u064e\u0651\u0640 "),
        st.sampled_from(string.ascii_letters + " -.'’"),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_normalisation_is_idempotent_and_never_raises(text):
    p = normalize_persian(text)
    assert normalize_persian(p) == p
    la = normalize_latin(text)
    assert normalize_latin(la) == la


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_keys_are_ascii_lowercase_and_stable(text):
    for key in (latin_key(text), persian_key(text), query_key(text), name_keys(text, text)):
        assert key == key.strip()
        assert all(ch in string.ascii_lowercase + " " for ch in key), key
    assert name_keys(text) == name_keys(text)
    assert query_key(text) == query_key(text)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT, ANY_TEXT)
def test_score_is_between_zero_and_one_and_never_raises(query, name):
    value = score(query, name_keys(name))
    assert 0.0 <= value <= 1.0


def test_nul_and_odd_unicode_do_not_raise():
    odd = "\x00A\u0301li\ud7ff\U0001f600 \u202eكريمي\u2066 ﷲ ﻻ"
    assert isinstance(normalize_persian(odd), str)
    assert isinstance(normalize_latin(odd), str)
    assert isinstance(name_keys(odd), str)
    assert 0.0 <= score(odd, name_keys(odd)) <= 1.0


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_plain_ascii_names_read_exactly_as_the_full_normalisation_reads_them(sample):
    # normalize_latin and normalize_persian read ASCII in one pass (an import normalises
    # every name); what they give must be what every step would give, control
    # characters, apostrophes and punctuation included.
    from archive.core.names import text

    assert text.normalize_latin(sample) == text._fixpoint(text._normalize_latin_once, sample)
    assert text.normalize_persian(sample) == text._fixpoint(text._normalize_persian_once, sample)
    controls_as_spaces = "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in sample)
    assert text._drop_invisible(sample) == controls_as_spaces
