"""The reasons the archive writes in a record's history: stored in English, shown in the
reader's language with the values they were written with; a typed reason as typed."""

import pytest
from django.utils import translation

from archive.core import reasons

VALUES = {"file": "list of 1988 (synthetic).csv", "other": "TEST-2", "keep": "TEST-1",
          "values": "birth_year=1961, death_date=1988-09", "number": "12", "ref": "TEST-1",
          "field": "death_date"}  # fmt: skip


@pytest.mark.parametrize("reason", reasons.REASONS, ids=lambda r: r.message)
def test_every_reason_reads_back_as_written_in_english_and_is_translated_in_persian(reason):
    names = [n for n in VALUES if f"%({n})s" in reason.message]
    stored = reason(**{n: VALUES[n] for n in names})

    with translation.override("en"):
        assert reasons.shown_reason(stored) == stored
    with translation.override("fa"):
        persian = reasons.shown_reason(stored)
    assert persian != stored
    for name in names:
        shown = "۱۲" if name == "number" else VALUES[name]
        assert shown in persian, name


def test_a_reason_someone_typed_is_shown_as_typed():
    with translation.override("fa"):
        assert reasons.shown_reason("spelling in the 1990 list") == "spelling in the 1990 list"
        assert reasons.shown_reason("merged into two records, see notes") == (
            "merged into two records, see notes"
        )
        assert reasons.shown_reason(None) == ""


def test_a_stored_reason_is_cut_to_what_the_history_keeps():
    stored = reasons.MERGED_NOT_KEPT(other="TEST-2", values="x=" + "9" * 200)
    assert len(stored) == reasons.MAX_LENGTH
    with translation.override("fa"):
        assert "TEST-2" in reasons.shown_reason(stored)
