"""What merging two records of one person does to their facts and their citations, for any
kind of person (``victims.services.merge_victims``, ``perpetrators.services.merge_perpetrators``):
one home for the provenance rules of a merge.

- The kept record takes the other's spellings (a blank script filled, every other spelling
  an alias) and every fact it lacks. The citations of a spelling that becomes an alias cite
  the alias: they never support the kept record's own name, which their source did not
  give.
- Where both give a fact and they differ, the kept record's value stays unless the caller
  chose the other's; the value not kept becomes a *version*: the losing record's citations
  of the fact now give it as their source's value (they move to the kept record with the
  rest). A value no citation supports is returned as "uncited", for the merge's record and
  the history's reason. Nothing a source said is dropped.
- Every citation of the other record moves to the kept one; undoing moves them back and
  restores the values they had.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from archive.core import provenance, reasons
from archive.core.models import history_user
from sources.models import Citation

KEEP, OTHER = "keep", "other"


def same_name(a: str, b: str) -> bool:
    """Two spellings (or scripts) of one name: they share a key."""
    from archive.core import names

    return bool(set(names.name_keys(a).split()) & set(names.name_keys(b).split()))


def is_blank(value) -> bool:
    return value in (None, "")


def field_value(record, field: str, empty: tuple = ()):
    """A fact's value for comparing: a related record's id, a file's name; a value in
    ``empty`` (a fate "unknown") counts as none."""
    concrete = record._meta.get_field(field)
    if concrete.is_relation:
        return getattr(record, concrete.attname)
    value = getattr(record, field)
    if isinstance(concrete, models.FileField):
        return value.name or ""
    if value in empty:
        return ""
    return value


def _shown(record, field: str, precision: str | None) -> str:
    if precision:
        date = record.partial(field)
        return date.iso() if date else ""
    value = getattr(record, field)
    return str(value) if value not in (None, "") else ""


def conflicts(keep, other, fields, *, empty: dict | None = None) -> list[dict]:
    """The facts on which the two records disagree: field, label, and both values as
    text. ``fields`` is [(field, its precision field or None)]."""
    empty = empty or {}
    out = []
    for field, precision in fields:
        kv = field_value(keep, field, empty.get(field, ()))
        ov = field_value(other, field, empty.get(field, ()))
        if precision and not is_blank(kv) and not is_blank(ov):
            kv = (kv, getattr(keep, precision))
            ov = (ov, getattr(other, precision))
        if is_blank(kv) or is_blank(ov) or kv == ov:
            continue
        if field == "father_name" and same_name(kv, ov):
            continue  # one name in two spellings or scripts
        out.append(
            {
                "field": field,
                "label": str(type(keep)._meta.get_field(field).verbose_name),
                "keep": _shown(keep, field, precision),
                "other": _shown(other, field, precision),
            }
        )
    return out


NAME_FIELDS = ("name_latin", "name_fa")


def names_becoming_aliases(keep, other) -> list[str]:
    """The name fields of ``other`` whose spelling ``take_names`` will add to ``keep``'s
    aliases (asked before it): ``keep`` has a name in that script, and not this one."""
    have = {n.casefold() for n in keep.all_names()}
    return [
        field
        for field in NAME_FIELDS
        if getattr(keep, field) and getattr(other, field)
        and getattr(other, field).casefold() not in have
    ]  # fmt: skip


def alias_claims(*, other, fields: list[str]) -> dict[int, str]:
    """The citations of ``other``'s names in ``fields`` (those that support its spelling),
    by id, with their claim: as they move, they cite the alias that spelling becomes
    (``move_citations``), not the kept record's own name, which their source did not
    give. The claims are returned to be restored on undo."""
    record_type = ContentType.objects.get_for_model(type(other))
    return {
        c.pk: c.claim
        for c in Citation.objects.filter(
            content_type=record_type, object_id=other.pk, claim__in=fields
        )
        if provenance.supports(other, c)
    }


def take_names(keep, other) -> list[str]:
    """A blank script of ``keep`` filled from ``other``, every other spelling an alias.
    Returns the fields changed."""
    before = {f: getattr(keep, f) for f in ("name_latin", "name_fa", "aliases")}
    aliases = keep.alias_list()
    for field in ("name_latin", "name_fa"):
        if not getattr(keep, field) and getattr(other, field):
            setattr(keep, field, getattr(other, field))
    have = {n.casefold() for n in keep.all_names()}
    for name in other.all_names():
        if name.casefold() not in have:
            aliases.append(name)
            have.add(name.casefold())
    keep.aliases = "\n".join(aliases)
    return [f for f, v in before.items() if getattr(keep, f) != v]


def take_facts(keep, other, fields, chosen: dict, *, empty: dict | None = None) -> list[str]:
    """Every fact ``keep`` lacks, and those ``chosen`` as OTHER, copied from ``other``.
    Returns the fields changed."""
    empty = empty or {}
    changed = []
    for field, precision in fields:
        kv = field_value(keep, field, empty.get(field, ()))
        ov = field_value(other, field, empty.get(field, ()))
        if is_blank(ov):
            continue
        if is_blank(kv) or chosen.get(field) == OTHER:
            concrete = type(keep)._meta.get_field(field)
            setattr(keep, concrete.attname, getattr(other, concrete.attname))
            changed.append(field)
            if precision:
                setattr(keep, precision, getattr(other, precision))
                changed.append(precision)
    return changed


def keep_lost_values(*, keep, other, settled: dict[str, dict], user) -> tuple[dict, dict, dict]:
    """Every conflicting value not kept becomes a version on its record's citations of the
    fact. ``settled`` maps a field to its conflict with "chosen" (KEEP or OTHER).

    Returns (the citations' values before, by id: restored on undo; the versions to write
    on the other record's citations as they move, by id; the values no citation supports,
    by field)."""
    record_type = ContentType.objects.get_for_model(type(keep))
    before: dict[int, str] = {}
    versions: dict[int, str] = {}
    uncited: dict[str, str] = {}
    for field, conflict in settled.items():
        loser = other if conflict["chosen"] == KEEP else keep
        lost = (
            provenance.record_value(loser, field)
            or conflict[OTHER if conflict["chosen"] == KEEP else KEEP]
        )
        supporting = []
        if provenance.value_kind(type(keep), field) is not None:
            supporting = [
                c
                for c in Citation.objects.filter(
                    content_type=record_type, object_id=loser.pk, claim=field
                )
                if provenance.supports(loser, c)
            ]
        if not supporting:
            uncited[field] = lost
        for citation in supporting:
            before[citation.pk] = citation.value
            if loser is other:
                versions[citation.pk] = lost  # written as the citation moves
                continue
            citation.value = lost
            citation._change_reason = reasons.NOT_KEPT_IN_MERGE(
                other=other.ref, keep=keep.ref, field=field
            )
            citation._history_user = history_user(user)
            citation.save()
    return before, versions, uncited


def move_citations(
    *, keep, other, versions: dict[int, str], user, as_aliases: Iterable[int] = ()
) -> list[int]:
    """Every citation of ``other`` moved to ``keep`` (with its version, if any); those
    ``as_aliases`` (ids, from ``alias_claims``) then cite ``keep``'s aliases."""
    record_type = ContentType.objects.get_for_model(type(keep))
    as_aliases = set(as_aliases)
    moved = []
    for citation in Citation.objects.filter(content_type=record_type, object_id=other.pk):
        citation.value = versions.get(citation.pk, citation.value)
        if citation.pk in as_aliases:
            citation.claim = "aliases"
        citation.object_id = keep.pk
        citation._change_reason = reasons.MOVED_BY_MERGE(other=other.ref, keep=keep.ref)
        citation._history_user = history_user(user)
        citation.save()
        moved.append(citation.pk)
    return moved


def move_citations_back(
    *, keep, other, moved: list[int], values: dict, user, claims: dict | None = None
) -> None:
    """Undo ``move_citations`` and ``keep_lost_values``: the moved citations back on
    ``other``, every citation's value and claim (``claims``, by id) as it was."""
    record_type = ContentType.objects.get_for_model(type(keep))
    claims = {int(pk): claim for pk, claim in (claims or {}).items()}
    for citation in Citation.objects.filter(
        pk__in=moved, content_type=record_type, object_id=keep.pk
    ):
        citation.object_id = other.pk
        citation.claim = claims.get(citation.pk, citation.claim)
        citation._change_reason = reasons.MOVED_BACK(other=other.ref)
        citation._history_user = history_user(user)
        citation.save()
    for pk, value in values.items():
        citation = Citation.objects.filter(pk=int(pk)).first()
        if citation is not None and citation.value != value:
            citation.value = value
            citation._change_reason = reasons.VERSION_REVERTED(other=other.ref)
            citation._history_user = history_user(user)
            citation.save()


def snapshot(record, user) -> int | None:
    """The id of the history row holding the record as it is now (made if missing)."""
    latest = record.history.order_by("-history_id").first()
    if latest is None:
        record._change_reason = reasons.BEFORE_MERGE()
        record._history_user = history_user(user)
        record.save()
        latest = record.history.order_by("-history_id").first()
    return latest.history_id if latest else None


def error_lines(exc: ValidationError, model, where: str = "") -> list[str]:
    """A ValidationError as lines that each name their field: "V-1, date of death
    (death_date): The date of death is before the year of birth."."""
    lines = []
    items = (
        exc.message_dict.items()
        if hasattr(exc, "error_dict")
        else [(NON_FIELD_ERRORS, exc.messages)]
    )
    for field, messages in items:
        label = ""
        if field != NON_FIELD_ERRORS:
            try:
                label = f"{model._meta.get_field(field).verbose_name} ({field})"
            except Exception:
                label = field
        head = ", ".join(part for part in (where, label) if part)
        lines += [f"{head}: {message}" if head else message for message in messages]
    return lines
