"""Imports cite: every filled cell of a row that gives one of the record's citable facts
is cited to the import's source, with the row as locator ("row 5", as the report names
rows).

On a record that exists, a value differing from the record's is that source's version
(a citation with a value, ``archive.core.provenance``): the record keeps its value. With
``prefer_source`` (the command's ``--update``) the source's value replaces the record's,
and the citations that supported the old value keep it as their version, so that it is
not lost. A text (a biography) has no versions: without ``prefer_source`` the record's
stays, and the report says so.

The same for the command (citations written in bulk after each batch) and the admin's
import screen (written as each row is saved). Records of a kind that has no citations
(``citations`` relation) cannot be imported with a source.

The gate: a row that asks to publish a record is refused by its row number when no
source is given, when the source is not published, or when a fact the page would show
has no citation to a published source.
"""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from archive.core import provenance
from archive.core.display import listed
from archive.core.importing.readers import cell_text
from archive.core.models import PublicationStatus, Publishable


def citation_model(model):
    """The model of ``model``'s citations, or None when it has none."""
    try:
        return model._meta.get_field("citations").related_model
    except Exception:
        return None


@cache
def _attnames(model, value_fields: tuple[str, ...]) -> tuple[str, ...]:
    """The attributes holding a fact's value (a date's precision too), once per model and
    fact: a re-import reads them for every fact of every row."""
    names = {f.name: f.attname for f in model._meta.concrete_fields}
    out = []
    for name in value_fields:
        if name in names:
            out.append(names[name])
        if f"{name}_precision" in names:
            out.append(f"{name}_precision")
    return tuple(out)


class RowCiting:
    """Mixed into ``ArchiveResource``: ``source`` (a Source, or None) and
    ``prefer_source`` are set by the command or the admin's form."""

    source = None
    prefer_source = False

    def claim_columns(self) -> dict[str, provenance.Fact]:
        """Column name -> the fact its cell gives (columns of citable facts only)."""
        cached = getattr(self, "_claim_columns", None)
        if cached is None:
            model = self._meta.model
            by_attribute = {
                name: fact for fact in provenance.facts_of(model) for name in fact.value_fields
            }
            cached = {
                column.column_name: by_attribute[column.attribute]
                for column in self.get_import_fields()
                if column.attribute in by_attribute
            }
            self._claim_columns = cached
        return cached

    def source_refused(self) -> str | None:
        """Why this kind cannot be imported with a source (None when it can)."""
        if self.source is not None and citation_model(self._meta.model) is None:
            return _("%(kind)s are not cited one by one: import them without a source.") % {
                "kind": self._meta.model._meta.verbose_name_plural
            }
        return None

    def claimed_facts(self) -> list[provenance.Fact]:
        """The facts the columns give, each once (a fact may have a column per language)."""
        cached = getattr(self, "_claimed_facts", None)
        if cached is None:
            unique = {fact.claim: fact for fact in self.claim_columns().values()}
            cached = self._claimed_facts = list(unique.values())
        return cached

    def before_cells(self, instance, new: bool) -> dict | None:
        """The record's values before a row's cells are read into it (None when new)."""
        if new or self.source is None:
            return None
        model = self._meta.model
        return {
            fact.claim: (
                {a: getattr(instance, a) for a in _attnames(model, fact.value_fields)},
                provenance.record_value(instance, fact.claim) if not fact.text else "",
            )
            for fact in self.claimed_facts()
        }

    def cite_cells(self, instance, row, where: str, before: dict | None) -> None:
        """Decides the citations of one row (kept on the instance until written) and, on
        a record that exists, keeps the record's value where the source's differs."""
        instance._import_citations = []
        instance._import_demoted = {}
        instance._import_kept = []  # (fact, the record's value, the file's) kept
        if self.source is None:
            return
        model = self._meta.model
        seen = set()
        for column, fact in self.claim_columns().items():
            if column not in row or not cell_text(row[column]) or fact.claim in seen:
                continue
            seen.add(fact.claim)
            value = ""
            if before is not None:
                old_raw, old_text = before[fact.claim]
                new_raw = {a: getattr(instance, a) for a in old_raw}
                changed = new_raw != old_raw and any(v not in (None, "") for v in old_raw.values())
                if changed and not self.prefer_source:
                    version = provenance.record_value(instance, fact.claim) if not fact.text else ""
                    for attname, old in old_raw.items():
                        setattr(instance, attname, old)
                    if version:
                        instance._import_kept.append((fact, old_text, version))
                    if provenance.value_kind(model, fact.claim) is None or not version:
                        self.import_warnings.append(
                            _("%(where)s, %(column)s: differs from the record's; the record's "
                              "is kept (to prefer the source's: --update, or “Prefer this "
                              "source's values” in the admin)")
                            % {"where": where, "column": column}
                        )  # fmt: skip
                        continue
                    value = version
                elif changed and old_text:
                    instance._import_demoted[fact.claim] = old_text
            instance._import_citations.append((fact.claim, value, where))

    @staticmethod
    def kept_note(instance) -> str | None:
        """Why a row may be refused by a check across its fields (a death before the
        birth) that its own cells pass: the record kept its values where the file
        differs, and the check read those. None when nothing was kept."""
        kept = getattr(instance, "_import_kept", None)
        if not kept:
            return None
        facts = listed(
            _("%(fact)s %(record)s, not %(file)s")
            % {"fact": fact.label, "record": record, "file": file}
            for fact, record, file in kept
        )
        return _(
            "The record keeps its own values where this file differs, and they were "
            "checked with the row: %(facts)s (to prefer the source's: --update, or “Prefer "
            "this source's values” in the admin)."
        ) % {"facts": facts}

    @property
    def import_warnings(self) -> list[str]:
        if not hasattr(self, "_import_warnings"):
            self._import_warnings = []
        return self._import_warnings

    # --- The gate, per row --------------------------------------------------------------

    def check_gate(self, instance, errors: dict) -> None:
        """A row that publishes a record: every fact the page would show cited to a
        published source, counting the citations this row adds. A row refused for
        another reason (a cell that could not be read) is not checked: its cells were
        not cited, and the gate would only repeat the first reason."""
        if errors or not isinstance(instance, Publishable):
            return
        if instance.publication_status != PublicationStatus.PUBLISHED:
            return
        if getattr(instance, "_status_before_import", None) == PublicationStatus.PUBLISHED:
            return
        # A record whose page shows no fact to cite (a source: it is the evidence) needs no
        # citation; one already cited in full needs no source for this import.
        if citation_model(type(instance)) is None or not provenance.facts_of(type(instance)):
            return
        gaps = provenance.gaps(instance, self._citations_for_gate(instance))
        if not gaps:
            return
        if self.source is None:
            errors.setdefault("publication_status", []).append(
                ValidationError(
                    _(
                        "this row publishes the record, but the import cites no source: "
                        "import with --source ID (in the admin: choose the source) so that "
                        "each filled cell is cited, or leave the status as draft"
                    )
                )
            )
            return
        errors.setdefault("publication_status", []).append(
            ValidationError(_("not published: %(gaps)s") % {"gaps": provenance.gaps_message(gaps)})
        )

    def _citations_for_gate(self, instance) -> list:
        existing = []
        if instance.pk is not None:
            existing = list(instance.citations.select_related("source"))
        # What the gate reads of a citation, without a model instance per cell (the
        # import's speed: a model's __init__ costs more than the check).
        if self.source is None:
            return existing
        source, source_id = self.source, self.source.pk
        pending = [
            _Pending(claim, value, source, source_id)
            for claim, value, _where in getattr(instance, "_import_citations", [])
        ]
        return existing + pending

    # --- Writing ------------------------------------------------------------------------

    # The columns of a new citation that differ from one to the next; the others are
    # the same for the whole import (``citation_rows``).
    VARYING = ("object_id", "claim", "locator", "value")

    def citation_rows(self, instances) -> tuple[type | None, dict, list[tuple]]:
        """The new citations of ``instances`` (saved records) as plain rows: the
        citations' model, the values every new citation shares (by attribute name), and
        one tuple of ``VARYING`` per citation. A citation the same source already gives
        for the same row and claim is not written twice."""
        if self.source is None or not instances:
            return None, {}, []
        model = self._meta.model
        Citation = citation_model(model)
        content_type = ContentType.objects.get_for_model(model)
        ids = [obj.pk for obj in instances if getattr(obj, "_import_new", True) is False]
        done = set()
        if ids:
            done = set(
                Citation.objects.filter(
                    content_type=content_type, object_id__in=ids, source=self.source
                ).values_list("object_id", "claim", "locator", "value")
            )
        shared = {
            **_defaults(Citation),
            "content_type_id": content_type.pk,
            "source_id": self.source.pk,
        }
        for name in self.VARYING:
            shared.pop(name, None)
        rows = [
            (obj.pk, claim, where[:200], value)
            for obj in instances
            for claim, value, where in getattr(obj, "_import_citations", [])
        ]
        if done:
            rows = [row for row in rows if row not in done]
        return Citation, shared, rows

    def demoted_citations(self, instances) -> list:
        """The existing citations whose value becomes a version (``prefer_source``)."""
        if self.source is None or not instances:
            return []
        model = self._meta.model
        Citation = citation_model(model)
        content_type = ContentType.objects.get_for_model(model)
        demoted = []
        wanted = {
            (obj.pk, claim): old
            for obj in instances
            for claim, old in getattr(obj, "_import_demoted", {}).items()
        }
        if wanted:
            condition = models.Q()
            for pk, claim in wanted:
                condition |= models.Q(object_id=pk, claim=claim)
            for citation in Citation.objects.filter(condition, content_type=content_type, value=""):
                citation.value = wanted[(citation.object_id, citation.claim)]
                demoted.append(citation)
        return demoted

    def citations_to_write(self, instances) -> tuple[list, list]:
        """The new citations of ``instances`` (``citation_rows``) as rows with every
        column by attribute name (``bulk.create_with_history`` reads them; the admin
        saves each ``as_model()``), and the existing ones that become versions."""
        Citation, shared, rows = self.citation_rows(instances)
        if Citation is None:
            return [], []
        return citation_objects(Citation, shared, rows), self.demoted_citations(instances)


def citation_objects(model, shared: dict, rows: list[tuple]) -> list:
    """``RowCiting.citation_rows``' rows with every column by attribute name, as
    ``bulk.create_with_history`` reads them: plain namespaces, several times cheaper
    than model instances (the admin saves each ``as_model()``)."""
    varying = RowCiting.VARYING
    return [_row(model, shared, **dict(zip(varying, row, strict=True))) for row in rows]


def _defaults(model) -> dict:
    # A nullable relation the import does not set (a citation's document) is None.
    return {
        f.attname: f.get_default()
        for f in model._meta.concrete_fields
        if not f.primary_key and (not f.is_relation or f.null)
    }


class _Pending(NamedTuple):
    """A citation a row adds, as the gate reads it (a tuple: made for every cell)."""

    claim: str
    value: str
    source: object
    source_id: int


class _Row(SimpleNamespace):
    """A row to insert: the model's column values by attribute name; ``as_model()`` for
    a save through the ORM (the admin's import, with its signals and history)."""

    @property
    def pk(self):
        return self.id

    @pk.setter
    def pk(self, value):
        self.id = value

    def as_model(self):
        values = {k: v for k, v in vars(self).items() if k not in {"model", "_state"}}
        return self.model(**values)


def _row(model, defaults: dict, **values) -> _Row:
    return _Row(model=model, _state=SimpleNamespace(), id=None, **{**defaults, **values})


# --- Search keys: names a source gives (``Person.version_names``) -----------------------


def prefetch_version_names(instances) -> None:
    """Reads the name versions of a batch of existing people in one query, so that
    refreshing their search keys asks nothing per row."""
    instances = [obj for obj in instances if hasattr(obj, "refresh_name_keys")]
    if not instances:
        return
    model = type(instances[0])
    Citation = citation_model(model)
    if Citation is None:
        return
    found: dict[int, list[str]] = {obj.pk: [] for obj in instances}
    rows = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=list(found),
        claim__in=provenance.NAME_CLAIMS,
        source__publication_status=PublicationStatus.PUBLISHED,
    ).exclude(value="")
    for object_id, value in rows.values_list("object_id", "value"):
        found[object_id] += [line.strip() for line in value.splitlines() if line.strip()]
    for obj in instances:
        obj._version_names = found[obj.pk]


def add_version_names(instance, source) -> None:
    """The names this row gives as its source's version count for search too."""
    if source is None or source.publication_status != PublicationStatus.PUBLISHED:
        return
    names = [
        line.strip()
        for claim, value, _where in getattr(instance, "_import_citations", [])
        if claim in provenance.NAME_CLAIMS and value
        for line in value.splitlines()
        if line.strip()
    ]
    if names and getattr(instance, "_version_names", None) is not None:
        instance._version_names = [*instance._version_names, *names]
