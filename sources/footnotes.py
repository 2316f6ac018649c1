"""Footnotes as the statement's own: each claim followed by superscript numbers, one
number per source in order of first appearance, its locators joined.

A page gathers the public citations of every record it shows in one query
(``Footnotes.for_objects``), then asks ``cite(obj, claim)`` as it renders each claim;
numbers are handed out in the order the page asks for them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.html import format_html

from archive.core import provenance
from archive.core.compiled import NUMBER_MARK, CompiledRead
from archive.core.display import format_partial, localized_digits
from archive.core.importing.readers import shown_where
from archive.core.importing.widgets import parse_partial_date
from archive.core.kept_records import KeptRecords
from archive.core.provenance import MARKER, markers  # noqa: F401 (the markers' one home)
from archive.core.versions import for_this_version
from sources.documents import link_locators
from sources.models import GENERAL, Citation, PublicSource, record_key


def version_display(model, claim: str, value: str):
    """A source's version as the record's own value is shown: a date at its precision
    (Solar Hijri first on Persian pages), a year in the reader's digits, a choice by its
    label, a name or a place as written (isolated in its own direction)."""
    kind = provenance.value_kind(model, claim)
    try:
        if kind == provenance.DATE:
            return format_partial(parse_partial_date(value))
        if kind == provenance.YEAR_VALUE:
            return localized_digits(value)
    except ValueError:
        pass  # a value stored before it was checked: shown as written
    if kind == provenance.CHOICE:
        labels = dict(model._meta.get_field(claim).choices)
        value = labels.get(value, value)
    return format_html('<bdi dir="auto">{}</bdi>', value)


@dataclass
class Note:
    """One numbered source of a page: its public view, and the locators and words of its
    citations that the public may see (``Citation.public_view()``)."""

    number: int
    source: PublicSource
    locators: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    # (locator, citation id, document id or None) of each locator's first citation, to
    # open the passage.
    cited: list[tuple[str, int, int | None]] = field(default_factory=list)
    # (locator, address of the passage or "") once ``Footnotes.notes()`` has linked them.
    links: list[tuple[str, str]] = field(default_factory=list)
    # The passage of a quote cited without a locator (a one-page text), or "".
    passage: str = ""

    @property
    def linked(self) -> bool:
        """Whether any locator opens a passage (if none does, the locators are shown as
        one piece of text, as they were before documents)."""
        return any(url for _locator, url in self.links)

    @property
    def locator_text(self) -> str:
        return "; ".join(self.locators)


# Per model of record (and its content type), the read of its citations, compiled once
# (``shown_citations``).
_ONE_RECORD: dict[tuple[type, int], CompiledRead] = {}


def shown_citations(objects) -> list[Citation]:
    """The public citations of ``objects``, each with its source, in the order entered
    (``CitationQuerySet.for_objects``). For a page of one record (most pages: a victim
    with no hearing and no relation), by SQL compiled once per model of record
    (``archive.core.compiled``), and the sources kept per worker and data version
    (``archive.core.kept_records``): the query with its source joined cost a page 0.4
    ms of Python to compile and 0.6 ms of PostgreSQL to plan, against 0.07 to run."""
    records = [obj for obj in objects if obj is not None and obj.pk is not None]
    if len(records) != 1:
        return list(Citation.objects.public().for_objects(records))
    model = type(records[0])
    # The record's content type is written into the SQL: kept under it, as it is now
    # (a database emptied and filled again may number the content types anew).
    key = (model, record_key(records[0])[0])
    read = _ONE_RECORD.get(key)
    if read is None:
        read = _ONE_RECORD[key] = CompiledRead(
            Citation,
            lambda pk: Citation.objects.public().for_objects([model(pk=pk)]).select_related(None),
            mark=NUMBER_MARK,
        )
    citations = read.all(records[0].pk)
    for_this_version("cited-sources", KeptRecords).attach(citations, ("source",))
    return citations


class Footnotes:
    def __init__(self, citations):
        self._claims: dict[tuple[int, int, str], list[Citation]] = defaultdict(list)
        self._sources_of: dict[tuple[int, int], dict[int, list[Citation]]] = defaultdict(dict)
        for citation in citations:
            owner = citation.record_key
            self._claims[(*owner, citation.claim)].append(citation)
            self._sources_of[owner].setdefault(citation.source_id, []).append(citation)
        self._notes: dict[int, Note] = {}

    @classmethod
    def for_objects(cls, objects) -> Footnotes:
        """One query for the public citations of all ``objects`` (of any models)."""
        return cls(shown_citations(objects))

    def _number(self, citation: Citation) -> int:
        note = self._notes.get(citation.source_id)
        shown = citation.public_view()
        if note is None:
            note = Note(number=len(self._notes) + 1, source=shown.source)
            self._notes[citation.source_id] = note
        # An import's locator ("row 5") in the reader's language and digits.
        locator, quote = shown_where(shown.locator), shown.quote
        if locator and locator not in note.locators:
            note.locators.append(locator)
            note.cited.append((locator, citation.pk, citation.document_id))
        elif not locator and shown.quote and not note.cited:
            # A quote without a place: still findable.
            note.cited.append(("", citation.pk, citation.document_id))
        if quote and quote not in note.quotes:
            note.quotes.append(quote)
        return note.number

    def cite(self, obj, claim: str = GENERAL) -> list[int]:
        """Footnote numbers for the record's own value of one claim (sorted, without
        repeats): a source that gives another value is numbered with its version."""
        if obj is None:
            return []
        numbers = {
            self._number(c)
            for c in self._claims.get((*record_key(obj), claim), [])
            if provenance.supports(obj, c)
        }
        return sorted(numbers)

    def cite_these(self, citations) -> list[int]:
        """Footnote numbers for other records' citations that give a fact of this page
        (a place named by the cited prison of the victims held there): sorted, no repeats."""
        return sorted({self._number(c) for c in citations})

    def versions(self, obj, claim: str) -> list[tuple[object, list[int]]]:
        """(the version as shown, its footnote numbers) for each other value that sources
        give for one claim of one record, in the order first cited."""
        if obj is None or claim == GENERAL:
            return []
        by_value: dict[str, set[int]] = {}
        for citation in self._claims.get((*record_key(obj), claim), []):
            if not provenance.supports(obj, citation):
                by_value.setdefault(citation.value.strip(), set()).add(self._number(citation))
        return [
            (version_display(type(obj), claim, value), sorted(numbers))
            for value, numbers in by_value.items()
        ]

    def has(self, obj, claim: str = GENERAL) -> bool:
        return bool(obj is not None and self._claims.get((*record_key(obj), claim)))

    def cite_source(self, obj, source_id: int) -> int | None:
        """The number for a ``[src:ID]`` marker in ``obj``'s text, if ``obj`` cites it."""
        citations = self._sources_of.get(record_key(obj), {}).get(source_id)
        if not citations:
            return None
        for citation in citations:
            number = self._number(citation)
        return number

    def citations(self, obj, claim: str = GENERAL) -> list[Citation]:
        """The public citations of one claim of one record, in the order entered."""
        if obj is None:
            return []
        return list(self._claims.get((*record_key(obj), claim), []))

    def claims(self, obj) -> set[str]:
        """The claims of ``obj`` that have a public citation."""
        if obj is None:
            return set()
        ct, pk = record_key(obj)
        return {claim for (c, p, claim) in self._claims if (c, p) == (ct, pk)}

    def attributions(self, obj, claim: str = GENERAL) -> list[tuple[int, PublicSource]]:
        """(footnote number, source's public view) for each source of a claim, to write
        "identified as … by JVMI (2017)¹" from the citations themselves."""
        seen: dict[int, int] = {}
        for citation in self.citations(obj, claim):
            number = self._number(citation)
            seen.setdefault(citation.source_id, number)
        return sorted(
            ((n, self._notes[source_id].source) for source_id, n in seen.items()),
            key=lambda item: item[0],
        )

    def quotations(self, obj, claim: str = GENERAL) -> list[tuple[int, str]]:
        """(footnote number, the source's words) for each quotation of a claim, so that
        where sources disagree (two dates of death) the page shows each version with
        its footnote."""
        quoted: dict[str, int] = {}
        for citation in self.citations(obj, claim):
            quote = citation.public_view().quote
            if quote and quote not in quoted:
                quoted[quote] = self._number(citation)
        return sorted(((n, q) for q, n in quoted.items()), key=lambda item: item[0])

    def notes(self) -> list[Note]:
        """The page's notes in order, each locator linked to the passage in the source's
        public document where there is one (``documents.link_locators``)."""
        notes = sorted(self._notes.values(), key=lambda n: n.number)
        link_locators(notes)
        return notes

    def sources(self) -> list[PublicSource]:
        return [n.source for n in self.notes()]
