"""The reasons a pair of records may be one person (``archive.core.linkage``), in the
reader's language. The linkage writes them in English (stored with a proposed pair,
written in the CSV of ``find_duplicates``); staff read them translated: in the review
queue, a record's possible duplicates, a submission's possible records and the import
report."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext

from archive.core import linkage
from archive.core.digits import number
from archive.core.display import listed, localized_number, reads_persian

_COMMON = re.compile(re.escape(linkage.COMMON_NAME_REASON).replace(r"%\(count\)s", r"([\d,]+)"))
SENT_FROM_THE_RECORD = linkage.gettext_noop("sent from this record's page")


def score_text(score: float) -> str:
    """A pair's score to two places, in the reader's digits (0.96; ۰٫۹۶)."""
    return number(f"{score:.2f}", persian=reads_persian())


def reason_text(reason: str) -> str:
    """One reason, translated (a reason the catalogue does not know is shown as it is)."""
    reason = reason.strip()
    if found := _COMMON.fullmatch(reason):
        count = int(found.group(1).replace(",", ""))
        return gettext(linkage.COMMON_NAME_REASON) % {"count": localized_number(count)}
    return gettext(reason) if reason else ""


def reasons_text(reasons: str | Iterable[str]) -> str:
    """Reasons (a list, or as stored: joined by "; "), translated and joined."""
    if isinstance(reasons, str):
        reasons = reasons.split(";")
    return listed((t for r in reasons if (t := reason_text(r))), strong=True)
