"""An import's rows are checked against the archive's people block by block; a block
over its cap (thousands of Mohammad Hosseinis) is searched by the father's name, and
finds the same people whether it is split once or filtered for every row."""

import datetime

from archive.core.linkage import PAIR_BLOCK_CAP, Candidate, Matcher, find_duplicates

FATHERS = ["Ali", "Hassan", "Reza", "Mahmoud", "Jafar"]
FACTS = {"prison": 7, "birth_place": 11, "occupation": "teacher",
         "death_date": datetime.date(1988, 8, 20), "death_date_precision": "day"}  # fmt: skip


def archive_people() -> list[Candidate]:
    """More Mohammad Hosseinis than any block holds, five fathers among them, and the
    one the row is about (born 1960, father Kazem)."""
    people = [
        Candidate(ref=f"SYN-{i}", name_latin="Mohammad Hosseini", father_name=FATHERS[i % 5],
                  birth_year=1940 + i % 40)
        for i in range(PAIR_BLOCK_CAP + 100)
    ]  # fmt: skip
    people.append(
        Candidate(ref="SYN-TARGET", name_latin="Mohammad Hosseini", father_name="Kazem",
                  birth_year=1960, **FACTS)
    )  # fmt: skip
    return people


def test_a_row_in_an_over_full_block_finds_the_person_with_its_fathers_name():
    matcher = Matcher(archive_people())
    row = Candidate(
        ref="row 2", name_latin="Mohamad Hoseini", father_name="Kazem", birth_year=1960, **FACTS
    )
    first = matcher.matches([row])["row 2"]
    assert first[0].b.ref == "SYN-TARGET"
    assert all(match.b.father_name == "Kazem" for match in first)
    # Asked again (the next batch), the block already split gives the same answer.
    again = matcher.matches([row])["row 2"]
    assert [m.b.ref for m in again] == [m.b.ref for m in first]


def test_a_row_whose_father_no_one_in_the_block_has_is_compared_with_none_of_them():
    matcher = Matcher(archive_people())
    row = Candidate(ref="row 3", name_latin="Mohammad Hosseini", father_name="Nasser")
    assert "row 3" not in matcher.matches([row])


def test_a_father_spelt_in_the_other_script_still_meets_in_an_over_full_block():
    # Kazim and کاظم key apart (kzim, kzm); the lexicon reads both as one name. Split by
    # the keys alone, the two records of one man never met among the Mohammad Hosseinis.
    row = Candidate(ref="row 4", name_fa="محمد حسینی", father_name="کاظم", birth_year=1960,
                    **FACTS)  # fmt: skip
    target = Candidate(ref="SYN-TARGET", name_latin="Mohammad Hosseini", father_name="Kazim",
                       birth_year=1960, **FACTS)  # fmt: skip
    people = [*archive_people()[:-1], target]
    assert Matcher(people).matches([row])["row 4"][0].b.ref == "SYN-TARGET"
    found = find_duplicates([*people, row])
    assert ("SYN-TARGET", "row 4") in {(m.a.ref, m.b.ref) for m in found} | {
        (m.b.ref, m.a.ref) for m in found
    }
