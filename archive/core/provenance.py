"""What a record's public page shows, and whether each of those facts is cited.

Each cited model declares ``FACTS``, the facts its public page shows, in the page's order.
From them come the claims a citation may make (``citable_claims``: chosen, never typed)
and the publication gate (``publication_gaps``): a record is published only when every
fact its page shows has a citation to a published source. The same rule checks a change to
a published record (the citations inline) and the withdrawal of a source that published
records depend on.

The kernel imports no app: a citation is read by what it has (``.claim``,
``.source_id``, ``.source.publication_status``, ``.source.title``); a record by its
``FACTS``, its ``citations`` relation and, when its page shows records of its own (a
perpetrator's seats, positions and statements), its ``cited_parts()``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from archive.core.display import listed

GENERAL = "general"
PUBLISHED = "published"

# A footnote marker in a text: "… JVMI (2017) [src:2]." (the one home of this rule).
MARKER = re.compile(r"\[src:(\d+)\]")


def markers(text: str) -> list[int]:
    """Source ids named by ``[src:ID]`` markers in a text, in order."""
    return [int(m) for m in MARKER.findall(text or "")]


@cache
def _link_column(model, name: str) -> str | None:
    """The id attribute of ``name`` when it is a record's link to one other record."""
    try:
        f = model._meta.get_field(name)
    except Exception:
        return None
    return f.attname if f.concrete and (f.many_to_one or f.one_to_one) else None


@cache
def _value_plan(model, names: tuple[str, ...]) -> tuple[tuple[str, str | None], ...]:
    """Each of a fact's value fields with its link's id attribute (None: not a link),
    looked up once per model (an import asks the gate about every fact of every row)."""
    if getattr(model, "_meta", None) is None:
        return tuple((name, None) for name in names)
    return tuple((name, _link_column(model, name)) for name in names)


def _shows(record, plan, blank) -> bool:
    """``Fact.shown_on`` for a fact's ``_value_plan`` and ``blank``."""
    for name, column in plan:
        # A link that is not set (no id, no record held) is not read: its descriptor
        # costs several times this test.
        if (
            column is not None
            and getattr(record, column, None) is None
            and name not in record._state.fields_cache
        ):
            continue
        value = getattr(record, name, None)
        # Plain text and whole numbers, most values, decided at once: they carry no
        # publication status. "Empty text" is asked as such: a linked record compared
        # with "" goes through Django's Model.__eq__, an import's most frequent comparison.
        kind = type(value)
        if kind is str or kind is int:
            if value == "" or value in blank:
                continue
            return True
        if value is None or (isinstance(value, str) and not value) or value in blank:
            continue
        if getattr(value, "publication_status", PUBLISHED) != PUBLISHED:
            continue
        return True
    return False


@dataclass(frozen=True)
class Fact:
    """One fact a public page shows.

    ``general``: a citation of the record as a whole ("general") covers it (a person's
    names, every fact of a seat or a position). ``text``: a text whose ``[src:ID]``
    markers place its footnotes (a biography, a description). ``fields``: where the value
    is kept, when not in the field named like the claim (a description in two languages).
    ``blank``: values that the page does not show (a fate "unknown")."""

    claim: str
    label: str
    general: bool = False
    text: bool = False
    fields: tuple[str, ...] = ()
    blank: tuple = ()

    @property
    def value_fields(self) -> tuple[str, ...]:
        return self.fields or (self.claim,)

    def shown_on(self, record) -> bool:
        """Whether the page shows a value for this fact. A link to a publishable record
        (an event, a commission) shows only when that record is published."""
        return _shows(record, _value_plan(type(record), self.value_fields), self.blank)

    def texts(self, record) -> list[str]:
        return [getattr(record, name, "") or "" for name in self.value_fields]


# --- A source's version of a fact ------------------------------------------------------------
#
# A citation may carry ``value``: what its source gives for the claim when it differs from
# the record's. An empty value (or one equal to the record's) supports the record's value;
# another value is that source's version, shown beside the record's with its own footnotes,
# and no support for the record's value (the gate counts only support).

DATE, YEAR_VALUE, CHOICE, RECORD, TEXT = "date", "year", "choice", "record", "text"
NAME_CLAIMS = ("name_latin", "name_fa", "aliases")


@cache
def value_kind(model, claim: str) -> str | None:
    """How a version of ``claim`` is written: DATE (ISO at its precision, "1988-09"),
    YEAR_VALUE (a Gregorian year), CHOICE (one of the field's choices), RECORD (free text
    naming a place or an organisation), TEXT; None when the claim takes no version (general,
    a text with its own footnotes, a claim the model has no field for)."""
    fact = next((f for f in facts_of(model) if f.claim == claim), None)
    if fact is None or fact.text or fact.fields:
        return None
    try:
        field_ = model._meta.get_field(claim)
    except Exception:
        return None
    names = {f.name for f in model._meta.concrete_fields}
    if f"{claim}_precision" in names:
        return DATE
    if field_.is_relation:
        return RECORD
    if field_.choices:
        return CHOICE
    if field_.get_internal_type() in {"PositiveSmallIntegerField", "IntegerField"}:
        return YEAR_VALUE
    return TEXT


def normalise_value(model, claim: str, text: str) -> str:
    """A version as stored: a date as ISO at its precision, a year as its Gregorian
    number, a choice as its key, other text stripped. Raises ``ValueError`` naming what is
    wrong. The readings are the imports' (``parse_partial_date``, ``read_year``)."""
    from django.utils.translation import override

    from archive.core.dates import YearError, read_year
    from archive.core.importing.widgets import parse_partial_date

    text = " ".join(str(text or "").split()) if claim != "aliases" else str(text or "").strip()
    if not text:
        return ""
    kind = value_kind(model, claim)
    if kind is None:
        raise ValueError(
            gettext(
                "a source's own value can be given for a fact such as a date, a place or a "
                "name, not for “%(claim)s”"
            )
            % {"claim": claim}
        )
    if kind == DATE:
        return parse_partial_date(text).iso()
    if kind == YEAR_VALUE:
        try:
            return str(read_year(text).gregorian)
        except YearError as exc:
            raise ValueError(gettext("'%(v)s' is not a plausible year") % {"v": exc.text}) from None
    if kind == CHOICE:
        choices = model._meta.get_field(claim).choices
        lookup = {}
        for key, label in choices:
            lookup[str(key).casefold()] = key
            for lang in ("en", "fa"):
                with override(lang):
                    lookup[str(label).casefold()] = key
        found = lookup.get(text.casefold())
        if found is None:
            raise ValueError(
                gettext("'%(v)s' is not one of: %(allowed)s")
                % {"v": text, "allowed": ", ".join(str(k) for k, _l in choices if k)}
            )
        return str(found)
    return text


def record_value(record, claim: str) -> str:
    """The record's own value of ``claim`` written as a version would be."""
    kind = value_kind(type(record), claim)
    if kind == DATE:
        date = record.partial(claim)
        return date.iso() if date else ""
    if kind == RECORD:
        related = getattr(record, claim, None)
        return str(related) if related is not None else ""
    value = getattr(record, claim, None)
    return "" if value is None else str(value).strip()


def _record_names(record, claim: str) -> set[str]:
    related = getattr(record, claim, None)
    if related is None:
        return set()
    names = {str(related)}
    for attribute in ("name_en", "name_fa", "name_latin"):
        names.add(getattr(related, attribute, "") or "")
    return {" ".join(n.casefold().split()) for n in names if n}


def supports(record, citation) -> bool:
    """Whether ``citation`` supports ``record``'s own value (no value of its own, or the
    same one) rather than giving its source's version."""
    value = (getattr(citation, "value", "") or "").strip()
    if not value or citation.claim == GENERAL:
        return True
    if value_kind(type(record), citation.claim) == RECORD:
        return " ".join(value.casefold().split()) in _record_names(record, citation.claim)
    return value == record_value(record, citation.claim)


def facts_of(model) -> tuple[Fact, ...]:
    return tuple(getattr(model, "FACTS", ()))


def citable_claims(model) -> list[tuple[str, str]]:
    """(claim, label) of every claim a citation of ``model`` may make: "general" and each
    fact its page shows. The one list the admin offers and every write checks."""
    general = (GENERAL, _("General: the record as a whole"))
    return [general, *((fact.claim, fact.label) for fact in facts_of(model))]


def shown_facts(record) -> list[Fact]:
    return [fact for fact, plan, blank in _facts_plan(type(record)) if _shows(record, plan, blank)]


# model -> (its FACTS as read, each fact with its ``_value_plan`` and ``blank``).
_FACT_PLANS: dict = {}


def _facts_plan(model) -> tuple:
    """``model``'s facts, each with its value plan, looked up once per model: the gate
    asks of every row of an import whether each fact (29 of a victim's) is shown. Made
    again when ``FACTS`` is another tuple than the one planned (a test's)."""
    facts = facts_of(model)
    cached = _FACT_PLANS.get(model)
    if cached is None or cached[0] is not facts:
        plan = tuple((f, _value_plan(model, f.value_fields), f.blank) for f in facts)
        cached = _FACT_PLANS[model] = (facts, plan)
    return cached[1]


def isolated(value) -> str:
    """``value`` in Unicode isolates, so that a Latin title in a Persian sentence (or the
    reverse) neither scrambles nor is scrambled by the quotes around it, in plain text
    (messages) as in HTML."""
    return f"\u2068{value}\u2069"


def record_label(record) -> str:
    meta = getattr(record, "_meta", None)
    kind = capfirst(meta.verbose_name) if meta is not None else type(record).__name__
    return f"{kind} “{isolated(record)}”"


@dataclass(frozen=True)
class Gap:
    """A fact shown on a public page that no published source supports."""

    UNCITED = "uncited"
    DRAFT_SOURCE = "draft_source"
    MARKER = "marker"

    record: object
    fact: Fact
    reason: str
    sources: tuple = ()  # the unpublished sources involved (DRAFT_SOURCE)
    source_ids: tuple[int, ...] = ()  # the markers' sources that the record does not cite
    part: bool = False  # a record shown on another's page (a perpetrator's position)

    @property
    def message(self) -> str:
        label = str(self.fact.label)
        if self.part:
            label = f"{record_label(self.record)}, {label}"
        titles = listed(f"«{isolated(s.title)}»" for s in self.sources)
        if self.reason == self.DRAFT_SOURCE:
            return gettext("%(fact)s: cited only to a source not yet published: %(sources)s") % {
                "fact": label,
                "sources": titles,
            }
        if self.reason == self.MARKER:
            return gettext("%(fact)s: %(markers)s names a source this record does not cite") % {
                "fact": label,
                "markers": ", ".join(f"[src:{n}]" for n in self.source_ids),
            }
        return gettext("%(fact)s: no citation") % {"fact": label}

    def __str__(self):
        return self.message


@dataclass
class FactRow:
    """A line of the checklist a reviewer sees before publishing: a fact shown, the
    published sources that support it, and what is missing."""

    record: object
    fact: Fact
    sources: list = field(default_factory=list)
    gap: Gap | None = None
    part: bool = False

    @property
    def label(self) -> str:
        if self.part:
            return f"{record_label(self.record)}, {self.fact.label}"
        return str(self.fact.label)


def _published(citation, unpublished: set[int]) -> bool:
    return (
        citation.source_id not in unpublished
        and getattr(citation.source, "publication_status", None) == PUBLISHED
    )


def _unique_sources(citations) -> list:
    seen, out = set(), []
    for citation in citations:
        if citation.source_id not in seen:
            seen.add(citation.source_id)
            out.append(citation.source)
    return out


def fact_rows(
    record, citations: Iterable, *, unpublished: Iterable[int] = (), part: bool = False
) -> list[FactRow]:
    """The checklist of ``record``'s own facts given its ``citations`` (pure: nothing is
    read from the database). ``unpublished``: source ids to count as not published (a
    source about to be withdrawn)."""
    citations = list(citations)
    unpublished = set(unpublished)
    by_claim = _by_claim(citations)
    rows = []
    for fact in shown_facts(record):
        covering, good = _support(record, fact, citations, by_claim, unpublished)
        row = FactRow(record=record, fact=fact, sources=_unique_sources(good), part=part)
        row.gap = _fact_gap(record, fact, citations, covering, good, unpublished, part)
        rows.append(row)
    return rows


def _by_claim(citations: list) -> dict[str, list]:
    found: dict[str, list] = {}
    for citation in citations:
        found.setdefault(citation.claim, []).append(citation)
    return found


def _support(record, fact, citations, by_claim: dict, unpublished: set) -> tuple[list, list]:
    """The citations that support ``fact``'s value on ``record`` (its own claim, or the
    record as a whole for a name or a text), and those of them to published sources,
    in the citations' order."""
    found = by_claim.get(fact.claim, [])
    if (fact.general or fact.text) and GENERAL in by_claim:
        found = [c for c in citations if c.claim in (fact.claim, GENERAL)]
    # A source's other version of the fact is no support for the record's value.
    covering = [c for c in found if supports(record, c)]
    good = [c for c in covering if _published(c, unpublished)]
    return covering, good


def _fact_gap(record, fact, citations, covering, good, unpublished, part) -> Gap | None:
    if fact.text:
        return _text_gap(record, fact, citations, good, unpublished, part)
    if good:
        return None
    drafts = _unique_sources(covering)
    return Gap(
        record=record,
        fact=fact,
        reason=Gap.DRAFT_SOURCE if drafts else Gap.UNCITED,
        sources=tuple(drafts),
        part=part,
    )


def _text_gap(record, fact, citations, good, unpublished, part) -> Gap | None:
    """A text is cited when every marker names a published source the record cites, and
    it has a marker or a citation of its own."""
    named = [n for text in fact.texts(record) for n in markers(text)]
    by_source = {c.source_id: c for c in citations}
    missing = sorted({n for n in named if n not in by_source})
    if missing:
        return Gap(record, fact, Gap.MARKER, source_ids=tuple(missing), part=part)
    drafts = _unique_sources(
        by_source[n] for n in dict.fromkeys(named) if not _published(by_source[n], unpublished)
    )
    if drafts:
        return Gap(record, fact, Gap.DRAFT_SOURCE, sources=tuple(drafts), part=part)
    if not named and not good:
        covering = [c for c in citations if c.claim in (fact.claim, GENERAL)]
        drafts = _unique_sources(covering)
        reason = Gap.DRAFT_SOURCE if drafts else Gap.UNCITED
        return Gap(record, fact, reason, sources=tuple(drafts), part=part)
    return None


def gaps(record, citations: Iterable, *, unpublished: Iterable[int] = ()) -> list[Gap]:
    """The gaps of ``record``'s own facts given its ``citations`` (pure). The same as
    ``fact_rows``' gaps, without the checklist's rows (an import asks this of each row)."""
    citations = list(citations)
    unpublished = set(unpublished)
    by_claim = _by_claim(citations)
    found = []
    for fact in shown_facts(record):
        covering, good = _support(record, fact, citations, by_claim, unpublished)
        gap = _fact_gap(record, fact, citations, covering, good, unpublished, False)
        if gap:
            found.append(gap)
    return found


def _citations_of(record) -> list:
    return list(record.citations.select_related("source").order_by("pk"))


def checklist(record, *, unpublished: Iterable[int] = (), citations_of=None) -> list[FactRow]:
    """Every fact ``record``'s public page shows, its own and those of the records the
    page shows with it (``cited_parts``), each with its sources or its gap.
    ``citations_of(obj)``: the citations of a record already read in a batch (checks of
    many records at once); by default each record's are read."""
    if not facts_of(type(record)):
        return []
    read = citations_of or _citations_of
    rows = fact_rows(record, read(record), unpublished=unpublished)
    parts = getattr(record, "cited_parts", None)
    for sub in parts() if parts else ():
        rows += fact_rows(sub, read(sub), unpublished=unpublished, part=True)
    return rows


def parts_of(record) -> list:
    """The records ``record``'s page shows with it, each cited on its own."""
    parts = getattr(record, "cited_parts", None)
    return list(parts()) if parts else []


def publication_gaps(record, *, unpublished: Iterable[int] = (), citations_of=None) -> list[Gap]:
    """Why ``record`` may not be published: each fact its public page would show without
    a citation to a published source. Empty: it may be."""
    rows = checklist(record, unpublished=unpublished, citations_of=citations_of)
    return [row.gap for row in rows if row.gap]


# How many linked records a refusal names (the data-quality view lists them all).
LINKED_LIMIT = 20


def linked_gaps(record) -> list[Gap]:
    """The published pages that would start to show ``record`` once it is published (a
    victim's event or commission, a perpetrator's seat on a commission) without a
    citation for that link: publishing ``record`` would put an uncited fact on them.
    Read from the models' ``FACTS`` (the facts that show a link to ``record``'s model),
    one query per such fact for the records, one for their citations."""
    found: list[Gap] = []
    for relation in record._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):  # a foreign key to it
            continue
        model, name = relation.related_model, relation.field.name
        for fact in facts_of(model):
            if name not in fact.value_fields:
                continue
            shown = model._default_manager.filter(**{name: record.pk})
            if hasattr(model, "publication_status"):
                shown = shown.filter(publication_status=PUBLISHED)
            elif hasattr(model, "SHOWN_THROUGH"):  # shown on a page reached through another
                for path in model.SHOWN_THROUGH:  # record (an official: the hearing's victim)
                    shown = shown.filter(**{f"{path}__publication_status": PUBLISHED})
            else:  # a record shown on its owners' pages (a seat on a perpetrator's)
                for other in model._meta.concrete_fields:
                    target = other.related_model
                    if (
                        other.is_relation
                        and other.name != name
                        and hasattr(target, "publication_status")
                    ):
                        shown = shown.filter(**{f"{other.name}__publication_status": PUBLISHED})
            ids = list(shown.values_list("pk", flat=True)[: LINKED_LIMIT + 1])
            if not ids:
                continue
            citations = model._meta.get_field("citations").related_model._default_manager
            claims = [fact.claim, GENERAL] if fact.general else [fact.claim]
            cited = set(
                citations.filter(
                    content_type__app_label=model._meta.app_label,
                    content_type__model=model._meta.model_name,
                    object_id__in=ids,
                    claim__in=claims,
                    source__publication_status=PUBLISHED,
                ).values_list("object_id", flat=True)
            )
            uncited = [pk for pk in ids if pk not in cited]
            for other in model._default_manager.filter(pk__in=uncited[:LINKED_LIMIT]):
                found.append(Gap(record=other, fact=fact, reason=Gap.UNCITED, part=True))
    return found


def gaps_message(gaps_: Iterable[Gap]) -> str:
    return listed((gap.message for gap in gaps_), strong=True)


def draft_sources(gaps_: Iterable[Gap]) -> list:
    """The unpublished sources whose publication would close these gaps."""
    seen, out = set(), []
    for gap in gaps_:
        for source in gap.sources:
            if source.pk not in seen:
                seen.add(source.pk)
                out.append(source)
    return out


def publish_with_sources(record, *, user, reason: str = "") -> list:
    """Publishes ``record`` together with the unpublished sources its facts are cited to,
    in one step: each source through its own workflow (``move_to``, which checks that
    ``user`` may publish it), then the record through the gate. Nothing is published
    unless all of it is. Returns the sources published."""
    from django.db import transaction

    with transaction.atomic():
        sources = draft_sources(record.publication_gaps())
        for source in sources:
            source.move_to(PUBLISHED, user=user, reason=reason or f"published with {record}")
        record.move_to(PUBLISHED, user=user, reason=reason)
    return sources
