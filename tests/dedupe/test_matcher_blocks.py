"""An import's rows are checked against the archive's people block by block; a block
over its cap (thousands of Mohammad Hosseinis) is searched by the father's name, and
finds the same people whether it is split once or filtered for every row."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

import archive.core.linkage as linkage_module
from archive.core.linkage import (
    PAIR_BLOCK_CAP,
    Candidate,
    Matcher,
    block_keys,
    find_duplicates,
    name_similarity,
    score_pair,
    vetoed,
)
from archive.core.linkage_keys import family_parts, name_blocks
from archive.core.names.lexicon import FAMILY_NAMES, GIVEN_NAMES, TITLES

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


# --- A row that shares no block with the archive ---------------------------------------------

_WORDS = sorted(
    {spelling for entry in (*GIVEN_NAMES, *FAMILY_NAMES, *TITLES) for spelling in entry.latin}
    | {entry.fa for entry in (*GIVEN_NAMES, *FAMILY_NAMES, *TITLES)}
    | {"Pour", "پور", "Zadeh", "زاده", "Ali Reza", "نعمت‌الله", "Seyed", "Haj"}
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5))
def test_every_block_of_a_name_holds_one_of_its_family_keys(words):
    # What lets the matcher pass over a row without making its blocks: a row whose
    # family keys none of the archive's blocks holds shares no block with it.
    name = " ".join(words)
    parts = family_parts(name)
    for block in name_blocks(name):
        assert set(block[2:].split("|")) & parts, (name, block)


def test_a_list_finds_the_same_people_whether_or_not_rows_are_passed_over(monkeypatch):
    archive = [
        Candidate(ref="SYN-1", name_latin="Mostafa Mosavi", father_name="Ali", birth_year=1960),
        Candidate(ref="SYN-2", name_fa="نعمت‌الله حسین‌پور", father_name="رضا"),
        Candidate(ref="SYN-3", name_latin="Seyed Hassan Fathollahpour", father_name="Jafar"),
        Candidate(ref="SYN-4", name_latin="Karimi", father_name="Hassan"),
    ]
    rows = [
        Candidate(ref="row 2", name_fa="مصطفی موسوی", father_name="علی", birth_year=1960),
        Candidate(ref="row 3", name_latin="Nematollah Hossein Pour", father_name="Reza"),
        Candidate(ref="row 4", name_fa="حسن فتح‌الله‌پور", father_name="جعفر"),
        Candidate(ref="row 5", name_latin="Karimi", father_name="Hassan"),
        Candidate(ref="row 6", name_latin="Zahra Tehrani", father_name="Mahmoud"),
    ]
    passing = Matcher(archive).matches(rows)
    assert {ref: found[0].b.ref for ref, found in passing.items()} == {
        "row 2": "SYN-1", "row 3": "SYN-2", "row 4": "SYN-3", "row 5": "SYN-4",
    }  # fmt: skip
    assert not Matcher(archive).may_meet(rows[-1])
    monkeypatch.setattr(Matcher, "may_meet", lambda self, row: True)
    every_row = Matcher(archive).matches(rows)
    assert {ref: [m.b.ref for m in found] for ref, found in every_row.items()} == {
        ref: [m.b.ref for m in found] for ref, found in passing.items()
    }


def many_namesakes() -> list[Candidate]:
    """Hundreds of Ali Rezaeis of both genders, two events and forty years of birth, some
    of each fact unknown, their fathers Hassan or Jafar: more than a block is read whole
    for (``FACTS_FROM``), and the kind of list where most pairs are parted by a fact."""
    people = []
    for i in range(400):
        people.append(
            Candidate(
                ref=f"SYN-{i:04}",
                name_latin="Ali Rezaei",
                father_name=("Hassan", "Jafar")[i % 2],
                gender=("male", "female", "")[i % 3],
                event=(1, 2, None)[i % 5 % 3],
                birth_year=None if i % 7 == 0 else 1940 + i % 40,
                prison=7 if i % 4 == 0 else None,
            )
        )
    return people


ROWS = [
    Candidate(ref="row 2", name_latin="Ali Rezaei", father_name="Hassan", gender="male",
              event=1, birth_year=1960, prison=7),
    Candidate(ref="row 3", name_fa="علی رضایی", father_name="جعفر", gender="female",
              event=2, birth_year=1971),
    Candidate(ref="row 4", name_latin="Ali Rezaei", father_name="Hassan"),
    Candidate(ref="row 5", name_latin="Ali Rezaei", gender="male", birth_year=1941),
]  # fmt: skip


def test_a_long_block_read_again_offers_a_row_none_its_facts_part_it_from():
    people = many_namesakes()
    matcher = Matcher(people)
    row = ROWS[0]
    # Read for a first row (of the same name and father's name, no other fact): whole,
    # as filing costs about what a reading does.
    first = {i for k in name_blocks("Ali Rezaei") for i in matcher._members(k, ROWS[2])}
    assert any(vetoed(row, people[i]) for i in first)
    offered = {i for k in name_blocks("Ali Rezaei") for i in matcher._members(k, row)}
    parted = first - offered
    # Every person left out is parted from the row by a fact it knows, and every person
    # offered is not parted by gender, event or year of birth.
    assert parted
    assert all(vetoed(row, people[i]) for i in parted)
    for i in offered:
        person = people[i]
        assert not (person.gender and person.gender != row.gender)
        assert not (person.event and person.event != row.event)
        assert not (person.birth_year and abs(person.birth_year - row.birth_year) > 2)
    assert len(offered) < len(people) / 4


def test_a_list_finds_the_same_people_whether_or_not_its_blocks_are_filed_by_facts(
    monkeypatch,
):
    def found(matcher):
        return {
            ref: [(m.b.ref, m.score, m.reasons) for m in matches]
            # (Every pair not parted and whose names match, whatever its score.)
            for ref, matches in matcher.matches(ROWS, threshold=0.0).items()
        }

    filed = found(Matcher(many_namesakes()))
    monkeypatch.setattr(linkage_module, "FACTS_FROM", 10**9)
    read_whole = found(Matcher(many_namesakes()))
    assert filed == read_whole
    assert set(filed) == {"row 2", "row 3", "row 4", "row 5"}
    assert sum(len(pairs) for pairs in filed.values()) > 100


# Spellings of a few names, several of which key alike (Mohammad, Mohammed, Mohamad), some
# with the Persian spelling, some a name longer or shorter: the names a row meets in a block.
SPELLINGS = [
    ("Mohammad Rezaei", "محمد رضایی"),
    ("Mohammad Hosseinzadeh", ""),
    ("Mohammad Hosseini Tehrani", ""),
    ("Hossein Mohammadi", "حسین محمدی"),
    ("Mohammad Hosseini", "محمد حسینی"),
    ("Mohammed Hosseini", ""),
    ("Mohamad Hoseini", "محمد حسيني"),
    ("", "محمد حسینی"),
]


def test_a_rows_names_weighed_once_a_key_give_what_each_pair_weighed_alone_gives():
    # Half with no father's name or year of birth, which part nobody: a row weighs every
    # spelling of its blocks among them.
    people = [
        Candidate(ref=f"SYN-{i:03}", name_latin=latin, name_fa=fa,
                  father_name=FATHERS[i % 3] if i % 2 else "",
                  birth_year=1950 + i % 9 if i % 2 else None)
        for i, (latin, fa) in enumerate(SPELLINGS * 6)
    ]  # fmt: skip
    rows = [
        Candidate(ref="row 1", name_latin="Mohammad Hosseini", name_fa="محمد حسینی",
                  father_name="Ali", birth_year=1953),
        Candidate(ref="row 2", name_latin="Mohamad Hosseyni", father_name="Hassan"),
        Candidate(ref="row 3", name_fa="حسین محمدی", birth_year=1956),
    ]  # fmt: skip
    # The row meets more spellings than keys: what is weighed once a key is met again.
    assert len({p.keys for p in people}) < len({p.spelling for p in people})
    matcher = Matcher(people)

    def shown(match):
        return (match.b.ref, match.score, match.weight, match.reasons, match.levels)

    found = {
        ref: [shown(m) for m in matches]
        for ref, matches in matcher.matches(rows, threshold=0.0).items()
    }
    alone = {}
    for row in rows:
        pairs = [
            score_pair(row, person, freq=matcher.freq)
            for person in people
            if block_keys(person) & block_keys(row)
        ]
        pairs = sorted(filter(None, pairs), key=lambda m: (-m.score, -m.weight, m.b.ref))
        alone[row.ref] = [shown(m) for m in pairs]
    assert found == alone
    assert sum(len(matches) for matches in found.values()) > 10


def test_each_person_is_weighed_against_their_own_keys_whatever_was_weighed_before():
    row = Candidate(ref="row 1", name_latin="Mohammad Hosseini", name_fa="محمد حسینی")
    # The row's names are far from the first's keys and near the later ones': a memo
    # that answered for the wrong keys would carry the first's score on.
    met = [Candidate(ref=f"SYN-{i}", name_latin=latin, name_fa=fa)
           for i, (latin, fa) in enumerate(SPELLINGS * 2)]  # fmt: skip
    against: dict = {}
    remembered = [name_similarity(row, person, against) for person in met]
    assert remembered == [name_similarity(row, person) for person in met]
    assert 0 < len(against) < len(met)  # keys met again were read from the memo
    assert min(remembered) < 0.8 and max(remembered) == 1.0
