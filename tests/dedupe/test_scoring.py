"""The scoring alone (archive.core.linkage, no database): a missing fact is no evidence
against a pair, a disagreement still separates namesakes. Synthetic people only."""

import datetime as dt

from archive.core.linkage import Candidate, compare, find_duplicates, score_pair

EVIN, GOHARDASHT = 1, 2
EVENT_1988, EVENT_2019 = 10, 11


def _tabrizi(ref, name, **facts):
    return Candidate(ref=ref, name_latin=name, father_name="Ali", prison=GOHARDASHT, **facts)


def test_a_pair_in_variant_spellings_with_no_birth_year_is_proposed():
    a = _tabrizi("A", "Mohammad Hosseini Tabrizi")
    b = _tabrizi("B", "Mohamad Hoseini Tabrizi")
    match = compare(a, b)
    assert match is not None
    assert match.reasons == ["same name in another spelling", "same father's name", "same prison"]
    found = find_duplicates([a, b])
    assert [(m.a.ref, m.b.ref, m.score) for m in found] == [("A", "B", match.score)]


def test_compare_and_find_duplicates_agree_on_a_pair_alone():
    a = Candidate(ref="A", name_latin="Reza Karimi", father_name="Hassan", birth_year=1960)
    b = Candidate(ref="B", name_fa="رضا کریمی", father_name="حسن", birth_year=1961)
    alone = compare(a, b)
    assert [m.score for m in find_duplicates([a, b])] == [alone.score]


def test_a_missing_fact_weighs_nothing():
    full = _tabrizi("A", "Mohammad Hosseini Tabrizi", birth_year=1960)
    no_year = _tabrizi("B", "Mohamad Hoseini Tabrizi")
    no_prison = Candidate(ref="C", name_latin="Mohamad Hoseini Tabrizi", father_name="Ali",
                          birth_year=1960)  # fmt: skip
    with_year = score_pair(full, _tabrizi("D", "Mohamad Hoseini Tabrizi", birth_year=1960))
    without = score_pair(full, no_year)
    assert "birth" not in without.levels
    assert without.weight < with_year.weight  # the same year is evidence for
    assert without.weight == score_pair(_tabrizi("E", "Mohammad Hosseini Tabrizi"), no_year).weight
    assert "prison" not in score_pair(full, no_prison).levels


def test_persian_only_and_latin_only_records_are_compared():
    a = Candidate(ref="A", name_fa="محمد حسینی تبریزی", father_name="علی", prison=GOHARDASHT)
    b = _tabrizi("B", "Mohamad Hoseini Tabrizi")
    match = compare(a, b)
    assert match is not None
    assert "same name in another spelling" in match.reasons


def test_a_different_father_separates_namesakes():
    a = _tabrizi("A", "Mohammad Hosseini Tabrizi")
    b = Candidate(ref="B", name_latin="Mohamad Hoseini Tabrizi", father_name="Hassan",
                  prison=GOHARDASHT)  # fmt: skip
    assert score_pair(a, b) is None
    assert find_duplicates([a, b]) == []


def test_birth_years_far_apart_separate_namesakes():
    a = _tabrizi("A", "Mohammad Hosseini Tabrizi", birth_year=1950)
    b = _tabrizi("B", "Mohamad Hoseini Tabrizi", birth_year=1962)
    assert score_pair(a, b) is None


def test_a_different_event_separates_namesakes():
    a = _tabrizi("A", "Mohammad Hosseini Tabrizi", event=EVENT_1988)
    b = _tabrizi("B", "Mohamad Hoseini Tabrizi", event=EVENT_2019)
    assert score_pair(a, b) is None


def test_a_different_prison_and_date_weigh_against():
    a = _tabrizi("A", "Mohammad Hosseini Tabrizi", death_date=dt.date(1988, 8, 1),
                 death_date_precision="day")  # fmt: skip
    b = Candidate(ref="B", name_latin="Mohamad Hoseini Tabrizi", father_name="Ali", prison=EVIN,
                  death_date=dt.date(1988, 9, 5), death_date_precision="day")  # fmt: skip
    assert compare(a, b) is None
    assert score_pair(a, b).weight < score_pair(a, _tabrizi("C", "Mohamad Hoseini Tabrizi")).weight


def test_the_weight_is_the_prior_plus_the_log_ratio_of_each_level():
    import math

    from archive.core.linkage import LEVELS, Frequencies

    a = _tabrizi("A", "Mohammad Hosseini Tabrizi")
    b = _tabrizi("B", "Mohamad Hoseini Tabrizi")
    freq = Frequencies.of([a, b])
    m_prison = LEVELS["prison"]["same"][0]
    u_prison = freq.value_u("prison", "same", a)  # the prison's share of the list, smoothed
    expected = (
        freq.prior()
        + math.log2(LEVELS["name"]["same"][0] / freq.name_u(a, b))
        + math.log2(LEVELS["father"]["same"][0] / freq.father_u(a))
        + math.log2(m_prison / u_prison)
    )
    assert abs(score_pair(a, b).weight - expected) < 0.01


def test_a_family_name_of_three_parts_in_persian_meets_its_one_word_latin_spelling():
    latin = Candidate(ref="A", name_latin="Hassan Fathollahpour", father_name="Reza")
    persian = Candidate(ref="B", name_fa="حسن فتح\u200cالله\u200cپور", father_name="رضا")
    found = find_duplicates([latin, persian])
    assert [(m.a.ref, m.b.ref) for m in found] == [("A", "B")]
