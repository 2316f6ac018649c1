"""The stored keys' version is a digest of the code that makes them and of no other: a
change to how names are keyed makes every person's keys again (312 s at a million), a
change to how pairs are compared or weighed makes none."""

import inspect
from pathlib import Path

import pytest

from archive.core import linkage, linkage_keys, linkage_person, linkage_store, names
from archive.core.linkage_keys import joined_keys, lexicon_name, name_blocks
from archive.core.linkage_person import Candidate, _father_facts, block_keys, split_aliases
from archive.core.names import scoring


def _file(code) -> Path:
    return Path(inspect.getsourcefile(inspect.unwrap(code))).resolve()


def test_the_code_a_stored_row_is_made_with_is_what_its_version_is_a_digest_of():
    digested = {path.resolve() for path in linkage_store.key_code()}
    # What ``linkage_store._stored_row`` makes a row of: a Candidate's names, joined
    # names and father's name as counted and split by, and its blocks.
    makers = [Candidate, block_keys, split_aliases, _father_facts, name_blocks, joined_keys,
              lexicon_name]  # fmt: skip
    for maker in makers:
        assert _file(maker) in digested, maker
    assert all(path.exists() for path in digested)


def test_the_comparison_is_not_part_of_the_keys_version():
    digested = {path.resolve() for path in linkage_store.key_code()}
    assert _file(linkage.score_pair) not in digested
    assert _file(linkage.Matcher) not in digested


def test_the_names_scoring_is_not_part_of_the_keys_version():
    digested = {path.resolve() for path in linkage_store.key_code()}
    assert _file(names.score) not in digested
    assert _file(names.name_keys) in digested


def test_a_stored_row_is_made_without_scoring_a_name(monkeypatch):
    # What leaving ``names.scoring`` out of the digest rests on: making a row calls none
    # of it (a row made with it would not be made again when it changed).
    def refuse(*args, **kwargs):
        raise AssertionError("a stored row was made with the names' scoring")

    for module in (scoring, names, linkage_keys, linkage_person):
        for name in ("score", "distinct_queries", "initial_letters", "is_exact", "is_exact_score"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, refuse)
    for module in (linkage_keys, linkage_person, names.keys):
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()
    rows = [
        (1, "f", "Seyed Mohammad Hosseini Tabrizi", "سید محمد حسینی تبریزی", "M. Hosseini",
         "Gholamreza", "male", 1, 1960),
        (2, "f", "", "فاطمه سادات موسوی", "", "علی", "female", None, None),
        (3, "f", "Ali Karimi", "", "", "", "", 2, 1971),
    ]  # fmt: skip
    made = [linkage_store._stored_row(*row) for row in rows]
    assert all(row[2] for row in made)  # each filed under blocks
    assert made[0][4] is not None  # and a father's name read where one is given
    # The refusal is in place: comparing two people does score their names.
    with pytest.raises(AssertionError, match="names' scoring"):
        linkage_keys.part_put_for_another(
            linkage_person.Candidate(ref="a", name_latin="Hossein Ahmadi Amoli"),
            linkage_person.Candidate(ref="b", name_latin="Hossein Ahmadi Kashani"),
        )
