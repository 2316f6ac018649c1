"""The reasons the archive itself writes in a record's history (an import, a merge, a
family's submission added): stored in English, the same words whoever reads the audit
trail later, and shown in the reader's language (``shown_reason``). A reason someone typed
is shown as they wrote it.

Each reason is one message id: ``IMPORT_FROM(file="list.csv")`` is the stored
"import from list.csv"; ``shown_reason`` reads the values back out of the stored words
with the same message id and puts them into its translation."""

from __future__ import annotations

import re

from django.utils.translation import gettext, gettext_noop

from archive.core.display import localized_digits

# The history keeps a reason of at most this many characters.
MAX_LENGTH = 100
# A file's name and a list of values may hold spaces; a reference or a number does not.
_FREE_TEXT = {"file", "values"}


def _slot(name: str) -> str:
    return f"(?P<{name}>.+)" if name in _FREE_TEXT else f"(?P<{name}>\\S+)"


class Reason:
    """One reason the archive writes: called with its values, the words the history
    stores (English, cut to what the history keeps)."""

    def __init__(self, message: str):
        self.message = message
        parts = re.split(r"%\((\w+)\)s", message)
        self.pattern = re.compile(
            "".join(re.escape(part) if i % 2 == 0 else _slot(part) for i, part in enumerate(parts))
        )

    def __call__(self, **values) -> str:
        return (self.message % values)[:MAX_LENGTH]


IMPORT = Reason(gettext_noop("import"))
IMPORT_FROM = Reason(gettext_noop("import from %(file)s"))
MERGED = Reason(gettext_noop("merged %(other)s"))
MERGED_NOT_KEPT = Reason(gettext_noop("merged %(other)s; values not kept: %(values)s"))
MERGED_INTO = Reason(gettext_noop("merged into %(keep)s"))
MOVED_BY_MERGE = Reason(gettext_noop("moved from %(other)s to %(keep)s by a merge"))
MERGE_INTO_UNDONE = Reason(gettext_noop("merge into %(keep)s undone"))
MERGE_OF_UNDONE = Reason(gettext_noop("merge of %(other)s undone"))
MOVED_BACK = Reason(gettext_noop("moved back to %(other)s: merge undone"))
CREATED_FROM_SUBMISSION = Reason(gettext_noop("created from submission #%(number)s"))
ADDED_FROM_SUBMISSION = Reason(gettext_noop("added from submission #%(number)s"))
ADDED_TO = Reason(gettext_noop("added to %(ref)s"))
TURNED_INTO_RECORDS = Reason(gettext_noop("turned into records"))
HEARING_ENTERED = Reason(gettext_noop("hearing entered in the admin"))
NOT_KEPT_IN_MERGE = Reason(gettext_noop("merge of %(other)s into %(keep)s: %(field)s not kept"))
VERSION_REVERTED = Reason(gettext_noop("merge of %(other)s undone: version reverted"))
BEFORE_MERGE = Reason(gettext_noop("state before a merge"))

# Most specific first: "merged into X" is not "merged" + a record called "into X".
REASONS = (
    IMPORT, IMPORT_FROM, MERGED_NOT_KEPT, MERGED_INTO, MERGED, MOVED_BY_MERGE,
    MERGE_INTO_UNDONE, MERGE_OF_UNDONE, MOVED_BACK, CREATED_FROM_SUBMISSION,
    ADDED_FROM_SUBMISSION, ADDED_TO, TURNED_INTO_RECORDS, HEARING_ENTERED, NOT_KEPT_IN_MERGE,
    VERSION_REVERTED, BEFORE_MERGE,
)  # fmt: skip


def shown_reason(text: str | None) -> str:
    """A stored reason in the reader's language: one the archive wrote, translated with
    its values as stored; any other (typed by someone) as it is."""
    if not text:
        return ""
    for reason in REASONS:
        found = reason.pattern.fullmatch(text)
        if found:
            values = found.groupdict()
            if "number" in values:
                values["number"] = localized_digits(values["number"])
            return gettext(reason.message) % values
    return text
