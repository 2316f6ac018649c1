"""Footnotes as the statement's own: each claim followed by superscript numbers, one
number per source in order of first appearance, its locators joined.

A page gathers the public citations of every record it shows in one query
(``Footnotes.for_objects``), then asks ``cite(obj, claim)`` as it renders each claim;
numbers are handed out in the order the page asks for them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from archive.core.provenance import MARKER, markers  # noqa: F401 (the markers' one home)
from sources.models import GENERAL, Citation, Source


@dataclass
class Note:
    number: int
    source: Source
    locators: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)

    @property
    def locator_text(self) -> str:
        return "; ".join(self.locators)


def _key(obj) -> tuple[int, int]:
    return ContentType.objects.get_for_model(obj, for_concrete_model=False).pk, obj.pk


class Footnotes:
    def __init__(self, citations):
        self._claims: dict[tuple[int, int, str], list[Citation]] = defaultdict(list)
        self._sources_of: dict[tuple[int, int], dict[int, list[Citation]]] = defaultdict(dict)
        for citation in citations:
            owner = (citation.content_type_id, citation.object_id)
            self._claims[(*owner, citation.claim)].append(citation)
            self._sources_of[owner].setdefault(citation.source_id, []).append(citation)
        self._notes: dict[int, Note] = {}

    @classmethod
    def for_objects(cls, objects) -> Footnotes:
        """One query for the public citations of all ``objects`` (of any models)."""
        by_type: dict[int, list[int]] = defaultdict(list)
        for obj in objects:
            if obj is None or obj.pk is None:
                continue
            ct, pk = _key(obj)
            by_type[ct].append(pk)
        if not by_type:
            return cls([])
        condition = Q()
        for ct, pks in by_type.items():
            condition |= Q(content_type_id=ct, object_id__in=pks)
        citations = Citation.objects.public().filter(condition).select_related("source")
        return cls(citations.order_by("pk"))

    def _number(self, citation: Citation) -> int:
        note = self._notes.get(citation.source_id)
        if note is None:
            note = Note(number=len(self._notes) + 1, source=citation.source)
            self._notes[citation.source_id] = note
        locator, quote = citation.public_locator, citation.public_quote
        if locator and locator not in note.locators:
            note.locators.append(locator)
        if quote and quote not in note.quotes:
            note.quotes.append(quote)
        return note.number

    def cite(self, obj, claim: str = GENERAL) -> list[int]:
        """Footnote numbers for one claim of one record (sorted, without repeats)."""
        if obj is None:
            return []
        numbers = {self._number(c) for c in self._claims.get((*_key(obj), claim), [])}
        return sorted(numbers)

    def has(self, obj, claim: str = GENERAL) -> bool:
        return bool(obj is not None and self._claims.get((*_key(obj), claim)))

    def cite_source(self, obj, source_id: int) -> int | None:
        """The number for a ``[src:ID]`` marker in ``obj``'s text, if ``obj`` cites it."""
        citations = self._sources_of.get(_key(obj), {}).get(source_id)
        if not citations:
            return None
        for citation in citations:
            number = self._number(citation)
        return number

    def citations(self, obj, claim: str = GENERAL) -> list[Citation]:
        """The public citations of one claim of one record, in the order entered."""
        if obj is None:
            return []
        return list(self._claims.get((*_key(obj), claim), []))

    def claims(self, obj) -> set[str]:
        """The claims of ``obj`` that have a public citation."""
        if obj is None:
            return set()
        ct, pk = _key(obj)
        return {claim for (c, p, claim) in self._claims if (c, p) == (ct, pk)}

    def attributions(self, obj, claim: str = GENERAL) -> list[tuple[int, Source]]:
        """(footnote number, source) for each source of a claim, to write "identified
        as … by JVMI (2017)¹" from the citations themselves."""
        seen: dict[int, tuple[int, Source]] = {}
        for citation in self.citations(obj, claim):
            if citation.source_id not in seen:
                seen[citation.source_id] = (self._number(citation), citation.source)
            else:
                self._number(citation)
        return sorted(seen.values(), key=lambda item: item[0])

    def quotations(self, obj, claim: str = GENERAL) -> list[tuple[int, str]]:
        """(footnote number, the source's words) for each quotation of a claim, so that
        where sources disagree (two dates of death) the page shows each version with
        its footnote."""
        quoted: dict[str, int] = {}
        for citation in self.citations(obj, claim):
            quote = citation.public_quote
            if quote and quote not in quoted:
                quoted[quote] = self._number(citation)
        return sorted(((n, q) for q, n in quoted.items()), key=lambda item: item[0])

    def notes(self) -> list[Note]:
        return sorted(self._notes.values(), key=lambda n: n.number)

    def sources(self) -> list[Source]:
        return [n.source for n in self.notes()]
