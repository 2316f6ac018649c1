"""The stored keys' version is a digest of the code that makes them and of no other: a
change to how names are keyed makes every person's keys again (312 s at a million), a
change to how pairs are compared or weighed makes none."""

import inspect
from pathlib import Path

from archive.core import linkage, linkage_store
from archive.core.linkage_keys import joined_keys, lexicon_name, name_blocks
from archive.core.linkage_person import Candidate, _father_facts, block_keys, split_aliases


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
