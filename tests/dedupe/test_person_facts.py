"""The person's facts (place of birth, occupation, ethnicity, religion, civil status, date of
arrest) tell namesakes apart, and a fact one record lacks weighs nothing. Synthetic
people only."""

import csv
import datetime as dt

import pytest
from django.core.management import call_command

from archive.core.linkage import Candidate, compare, score_pair
from tests.factories import PlaceFactory, VictimFactory


def _found(tmp_path) -> dict:
    out = tmp_path / "pairs.csv"
    call_command("find_duplicates", "victims", str(out), verbosity=0)
    with out.open(encoding="utf-8") as fh:
        return {frozenset((r["ref_a"], r["ref_b"])): r for r in csv.DictReader(fh)}


@pytest.mark.django_db
def test_namesakes_with_the_same_father_born_in_different_towns_are_not_proposed(tmp_path):
    tabriz = PlaceFactory(kind="city", name_en="Tabriz (test)", name_fa="تبریز آزمایشی")
    rasht = PlaceFactory(kind="city", name_en="Rasht (test)", name_fa="رشت آزمایشی")
    # Two people named alike, sons of a man of one name, neither with a year of birth.
    born_in_tabriz = VictimFactory(
        name_latin="Reza Alipour Kermani", father_name="Hassan", birth_place=tabriz,
        occupation="teacher",
    )  # fmt: skip
    born_in_rasht = VictimFactory(
        name_latin="Reza Alipour Kermani", father_name="Hassan", birth_place=rasht
    )
    # The first again, from a list in Persian that gives no place of birth.
    again = VictimFactory(
        name_latin="", name_fa="رضا علی‌پور کرمانی", father_name="حسن", occupation="teacher"
    )
    found = _found(tmp_path)
    assert frozenset((born_in_tabriz.ref, born_in_rasht.ref)) not in found
    pair = found[frozenset((born_in_tabriz.ref, again.ref))]
    assert "same occupation" in pair["reasons"]
    assert "place of birth" not in pair["reasons"]


def _person(ref, **facts):
    return Candidate(ref=ref, name_latin="Hossein Rezaei Tabrizi", father_name="Ali", **facts)


def test_a_place_of_birth_missing_on_one_side_weighs_nothing():
    with_place = _person("A", birth_place="Tabriz", event=1)
    without = Candidate(ref="B", name_fa="حسین رضایی تبریزی", father_name="علی", event=1)
    alone = _person("C", event=1)
    assert compare(with_place, without).weight == compare(alone, without).weight


def _weight(a, b):
    return score_pair(a, b).weight


def test_a_different_religion_weighs_against_namesakes():
    a = _person("A", religion="bahai")
    unknown = _weight(a, _person("B"))
    assert "same religion" in compare(a, _person("C", religion="bahai")).reasons
    other = score_pair(a, _person("D", religion="shia"))
    assert "different religion" in other.reasons
    assert other.weight < unknown - 2  # more than two bits against


def test_a_different_date_of_arrest_weighs_against_namesakes():
    a = _person("A", arrest_date=dt.date(1981, 6, 20))
    unknown = _weight(a, _person("B"))
    same = score_pair(a, _person("C", arrest_date=dt.date(1981, 6, 20)))
    assert "same date of arrest" in same.reasons
    assert same.weight > unknown + 5
    other = score_pair(a, _person("D", arrest_date=dt.date(1984, 2, 3)))
    assert "different date of arrest" in other.reasons
    assert other.weight < unknown - 2
