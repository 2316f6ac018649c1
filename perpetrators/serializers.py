"""What the public may see of a perpetrator and of their posts, memberships and
statements, in one place. The API's rows and details, the open-data downloads and the
dossiers are made with these; the top floor adds what only it knows (the record's
address, its citations) and names some keys its own way (the API's ``from`` and
``until``).

A perpetrator is read as a row of ``COLUMNS`` (``values()`` or
``archive.core.records.columns``); a post, membership or statement (a handful per
perpetrator) as an instance."""

from __future__ import annotations

from collections.abc import Mapping

from archive.core.records import PERSON_COLUMNS, iso, person_record

#: The columns a perpetrator's public record is made from (``values(*COLUMNS)``).
COLUMNS = PERSON_COLUMNS


def public_perpetrator(row: Mapping, *, url: str | None = None) -> dict:
    return person_record(row, url=url)


def _period(record) -> dict:
    return {
        "start_date": iso(record.start_date, record.start_date_precision),
        "end_date": iso(record.end_date, record.end_date_precision),
    }


def public_position(position) -> dict:
    organisation = position.organisation
    return {
        "title_en": position.title_en,
        "title_fa": position.title_fa,
        "organisation": (
            {"name_en": organisation.name_en, "name_fa": organisation.name_fa}
            if organisation
            else None
        ),
        **_period(position),
        "as_reported": position.as_of,
        "as_reported_fa": position.as_of_fa,
    }


def public_membership(membership) -> dict:
    """A membership of a commission (shown only when the commission is published:
    ``memberships.public()``)."""
    return {
        "commission": membership.commission.slug,
        "role": membership.role,
        **_period(membership),
    }


def public_statement(statement) -> dict:
    return {
        "date": iso(statement.date, statement.date_precision),
        "summary_en": statement.summary_en,
        "summary_fa": statement.summary_fa,
        "quote": statement.quote,
    }
