"""The synthetic person corpus (bench.synthetic): pure Python, no database."""

import re
from collections import Counter

import pytest

from archive.core.names.lexicon import PRISONS, parse_name
from bench.synthetic import (
    EVENT_1988,
    EVENT_2019,
    FATES,
    duplicate_pairs,
    name_entries,
    synthetic_people,
)

KEYS = {
    "ref",
    "name_latin",
    "name_fa",
    "aliases",
    "father_name",
    "gender",
    "birth_year",
    "fate",
    "death_date",
    "death_date_precision",
    "prison",
    "event",
    "publication_status",
}


@pytest.fixture(scope="module")
def rows():
    return list(synthetic_people(3000, seed=7))


def test_the_same_seed_gives_the_same_people():
    assert list(synthetic_people(50, seed=3)) == list(synthetic_people(50, seed=3))
    assert list(synthetic_people(50, seed=3)) != list(synthetic_people(50, seed=4))


def test_refs_are_numbered_from_start():
    refs = [r["ref"] for r in synthetic_people(3, start=41)]
    assert refs == ["SYN-0000041", "SYN-0000042", "SYN-0000043"]


def test_every_row_has_the_documented_fields_and_values(rows):
    prisons = {latin for latin, _ in PRISONS} | {""}
    for r in rows:
        assert set(r) == KEYS
        assert r["name_latin"] or r["name_fa"]
        assert r["gender"] in ("male", "female")
        assert r["fate"] in FATES
        assert r["event"] in (EVENT_1988, EVENT_2019)
        assert r["prison"] in prisons
        assert r["death_date_precision"] in ("year", "month", "day", "")
        assert bool(r["death_date"]) == bool(r["death_date_precision"])
        assert r["publication_status"] in ("published", "draft")
        assert 1930 <= r["birth_year"] <= 2005
        assert isinstance(r["aliases"], list)
        assert name_entries(r), r


def test_dates_and_birth_years_agree_with_the_event(rows):
    for r in rows:
        if r["event"] == EVENT_1988:
            assert r["death_date"][:4] in ("", "1988")
            assert r["birth_year"] <= 1972
            assert r["fate"] != "killed_protesting"
        else:
            assert r["death_date"][:7] in ("", "2019-11", "2019-12")
            assert r["birth_year"] >= 1970
            assert r["fate"] != "executed"
        if r["death_date_precision"] == "year":
            assert r["death_date"].endswith("-01-01")


def test_most_1988_victims_were_born_1950_to_1970(rows):
    years = [r["birth_year"] for r in rows if r["event"] == EVENT_1988]
    assert sum(1950 <= y <= 1970 for y in years) / len(years) > 0.8


def test_about_a_third_are_known_in_persian_only_and_a_tenth_in_latin_only(rows):
    fa_only = sum(1 for r in rows if not r["name_latin"]) / len(rows)
    latin_only = sum(1 for r in rows if not r["name_fa"]) / len(rows)
    assert 0.25 < fa_only < 0.35
    assert 0.06 < latin_only < 0.14


def test_latin_and_persian_names_spell_the_same_person(rows):
    for r in rows:
        if r["name_latin"] and r["name_fa"]:
            assert parse_name(r["name_latin"]) == parse_name(r["name_fa"]), r


def test_common_names_are_far_commoner_so_namesakes_exist(rows):
    names = Counter(tuple(e.id for e in name_entries(r) if e.kind != "title") for r in rows)
    given = Counter(ids[0] for ids in names.elements())
    assert given.most_common(1)[0][0] == "given:mohammad"
    assert sum(1 for n in names.values() if n > 1) > 100


def test_father_names_are_given_names_in_either_script(rows):
    scripts = Counter(bool(re.search("[a-zA-Z]", r["father_name"])) for r in rows)
    assert scripts[True] and scripts[False]


def test_duplicates_keep_father_prison_and_birth_year_but_change_the_name(rows):
    new_rows, pairs = duplicate_pairs(rows, rate=0.1, seed=1)
    assert len(new_rows) == len(pairs) > 200
    by_ref = {r["ref"]: r for r in rows + new_rows}
    assert len(by_ref) == len(rows) + len(new_rows)
    for original, duplicate in pairs:
        a, b = by_ref[original], by_ref[duplicate]
        assert abs(a["birth_year"] - b["birth_year"]) <= 1
        assert (a["prison"], a["event"], a["fate"], a["gender"]) == (
            b["prison"],
            b["event"],
            b["fate"],
            b["gender"],
        )
        assert (a["name_latin"], a["name_fa"]) != (b["name_latin"], b["name_fa"])
        assert name_entries(a) == name_entries(b)
        assert parse_name(a["father_name"], kinds=("given",)) == parse_name(
            b["father_name"], kinds=("given",)
        )


def test_duplicates_are_deterministic():
    rows = list(synthetic_people(300, seed=2))
    assert duplicate_pairs(rows, 0.2, seed=5) == duplicate_pairs(rows, 0.2, seed=5)
