"""The realistic make of synthetic list (bench/synthetic_realistic.py): family names beyond
the lexicon's, and the person's facts each record gives some of; the lexicon make stays
as it was."""

from bench.synthetic import list_with_gaps, synthetic_people


def test_the_realistic_make_builds_far_more_family_names_than_the_lexicon_holds():
    rows, _truth, _kinds = list_with_gaps(3000, seed=3, make="realistic")
    families = {row["_entries"][-1].fa for row in rows}
    assert len(families) > 1000  # the lexicon holds 249
    assert any(" " in name for name in families)  # Hosseini Tabrizi
    assert any("\u200c" in name for name in families)  # حسین‌پور


def test_a_second_record_gives_its_own_facts_and_mostly_agrees():
    rows, truth, kinds = list_with_gaps(3000, seed=3, make="realistic")
    by_ref = {row["ref"]: row for row in rows}
    both = agree = 0
    for pair in truth:
        a, b = (by_ref[ref] for ref in sorted(pair))
        if a["birth_place"] and b["birth_place"]:
            both += 1
            agree += a["birth_place"] == b["birth_place"]
    with_place = sum(1 for row in rows if row["birth_place"]) / len(rows)
    assert 0.5 < with_place < 0.6
    assert 0.25 < both / len(truth) < 0.4  # each record draws its own
    assert agree / both > 0.9
    # Still a third of the pairs without a year of birth, a fifth in one script each.
    assert 0.28 < sum(not k["birth"] for k in kinds.values()) / len(kinds) < 0.39
    assert 0.15 < sum(k["one_script"] for k in kinds.values()) / len(kinds) < 0.25


def test_the_lexicon_make_is_unchanged_and_carries_no_person_facts():
    rows = list(synthetic_people(50, seed=3))
    assert rows == list(synthetic_people(50, seed=3, make="lexicon"))
    assert not any("birth_place" in row or "_entries" in row for row in rows)
