"""One log of every change: the rows django-simple-history keeps for each tracked model,
merged newest first into one list; the rows a statement wrote at one moment (an import's
batch) are one line, counted.

The cost of a page is bounded whatever the size of the history: each model gives at most
one page of moments after the cursor (one query, served by the index on ``history_date``),
``heapq.merge`` keeps the newest, and the lines shown then cost one query per model for
their rows, one for the versions before them, one for the records themselves, one per kind
of linked record named in a change, and one for the batches' counts. Pages go back in
time with a cursor (date, model, history id), never an offset, so the thousandth page
costs what the first does.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from encrypted_fields.fields import EncryptedFieldMixin

from archive.core.display import localized_digits
from archive.core.reasons import shown_reason

PAGE_SIZE = 50
# Dates the database keeps for itself: a change to them is never what someone did.
_BOOKKEEPING = {"created_at", "updated_at", "received_at", "name_keys"}


def tracked_models() -> list[type[models.Model]]:
    """Every model whose changes are kept (``history = HistoricalRecords()``), in a
    fixed order."""
    found = [
        model
        for model in apps.get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
        and not getattr(model, "instance_type", None)  # not a Historical* model itself
    ]
    return sorted(found, key=label)


def label(model) -> str:
    return model._meta.label_lower


def visible_models(request) -> list[type[models.Model]]:
    """The tracked models ``request.user`` may view: the admin's own answer where the
    model has an admin, the view permission otherwise."""
    shown = []
    for model in tracked_models():
        model_admin = admin.site._registry.get(model)
        if model_admin is not None:
            allowed = model_admin.has_view_permission(request)
        else:
            opts = model._meta
            allowed = request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        if allowed:
            shown.append(model)
    return shown


def is_secret(model, name: str) -> bool:
    """A field whose values the log never shows, only that it changed: the encrypted
    ones (a family's contact details)."""
    try:
        return isinstance(model._meta.get_field(name), EncryptedFieldMixin)
    except Exception:  # a field the history keeps but the model no longer has
        return True


@dataclass
class Cursor:
    """Where a page starts: after the row (date, model label, history id)."""

    date: datetime
    model: str
    history_id: int

    def encode(self) -> str:
        return f"{self.date.isoformat()}~{self.model}~{self.history_id}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Raises ValueError on anything that is not a cursor this module wrote."""
        date, model, history_id = text.split("~")
        parsed = datetime.fromisoformat(date)
        if parsed.tzinfo is None:
            raise ValueError(text)
        return cls(parsed, model, int(history_id))

    def condition(self, model) -> Q | None:
        """Rows of ``model`` that come after the cursor in the order (date, label,
        history id), all descending; None when none can."""
        same_date = Q(history_date=self.date)
        if label(model) < self.model:
            tie = same_date
        elif label(model) == self.model:
            tie = same_date & Q(history_id__lt=self.history_id)
        else:
            tie = None
        after = Q(history_date__lt=self.date)
        return after | tie if tie is not None else after


@dataclass
class FieldChange:
    name: str
    label: str
    old: str = ""
    new: str = ""
    secret: bool = False


@dataclass
class Change:
    model: type[models.Model]
    row: models.Model  # the historical row
    previous: models.Model | None = None
    record: models.Model | None = None  # the record as it is now; None once deleted
    fields: list[FieldChange] = field(default_factory=list)
    is_batch = False

    @property
    def key(self):
        return (self.row.history_date, label(self.model), self.row.history_id)

    @property
    def kind(self) -> str:
        return {"+": "created", "-": "deleted"}.get(self.row.history_type, "changed")

    @property
    def type_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def object_id(self):
        return getattr(self.row, self.model._meta.pk.attname)

    @property
    def ref(self) -> str:
        return getattr(self.row, "ref", "") or ""

    @property
    def reason(self) -> str:
        """Why, in the reader's language where the archive wrote it (``reasons``)."""
        return shown_reason(self.row.history_change_reason)

    @property
    def record_name(self) -> str:
        if self.record is not None:
            return str(self.record)
        # A deleted record: what its last row says of it, without following its links.
        for name in ("ref", "name_latin", "name_fa", "name_en", "title", "slug"):
            value = getattr(self.row, name, "")
            if value:
                return str(value)
        return f"#{self.object_id}"

    def _url(self, view: str, *args) -> str:
        opts = self.model._meta
        try:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
        except NoReverseMatch:
            return ""

    @property
    def change_url(self) -> str:
        return self._url("change", self.object_id) if self.record is not None else ""

    @property
    def history_url(self) -> str:
        return self._url("history", self.object_id)

    @property
    def revert_url(self) -> str:
        """The form that puts the record back as it was before this change."""
        if self.previous is None or self.record is None:
            return ""
        return self._url("simple_history", self.object_id, self.previous.history_id)


@dataclass
class Page:
    changes: list  # of Change and Batch
    next_cursor: Cursor | None


def _diffed_fields(row) -> list[models.Field]:
    return [
        f
        for f in row.tracked_fields
        if f.name not in _BOOKKEEPING and not getattr(f, "auto_now", False)
    ]


@dataclass
class Part:
    """Rows of a batch alike in kind, reason and author."""

    kind: str
    count: int
    reason: str
    user: object = None


@dataclass
class Batch:
    """Rows of one model written at one moment by one statement (an import's batch, a
    bulk action): one line of the log, counted, instead of one line a row. An import of
    10,000 people writes some 90,000 rows (each cited cell is a citation); shown one by
    one, they buried every edit made by hand for a thousand pages."""

    model: type[models.Model]
    date: datetime
    count: int
    top: int  # the highest history id: its place among the log's lines
    low: int  # the lowest: where the next page starts
    first_ref: str = ""
    last_ref: str = ""
    parts: list[Part] = field(default_factory=list)
    is_batch = True

    @property
    def key(self):
        return (self.date, label(self.model), self.top)

    @property
    def type_name(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def users(self) -> list:
        return list(dict.fromkeys(part.user for part in self.parts if part.user is not None))

    @property
    def reasons(self) -> list[str]:
        return list(dict.fromkeys(part.reason for part in self.parts if part.reason))


def _history(model):
    return getattr(model, model._meta.simple_history_manager_attribute).model


def _has_ref(model) -> bool:
    return any(f.name == "ref" for f in model._meta.concrete_fields)


def changes_page(
    models_shown,
    *,
    user=None,
    start: datetime | None = None,
    end: datetime | None = None,
    cursor: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of changes, newest first, of ``models_shown``: by ``user`` (a user or
    None for everyone), from ``start`` (included) to ``end`` (excluded), after ``cursor``.

    A model's rows that share their moment (``history_date``) are one line, a ``Batch``,
    where there are several. A batch is counted whole and never split between pages: the
    cursor after it is its lowest history id, and all its rows have its date."""
    streams, horizon = [], None
    for model in models_shown:
        entries, complete = _model_entries(model, user, start, end, cursor, size)
        streams.append(entries)
        if not complete and (horizon is None or entries[-1].key > horizon):
            # Beyond its last line this model was not read: no line older than that may
            # be shown yet, or the cursor would pass over the model's unread rows.
            horizon = entries[-1].key
    merged = list(heapq.merge(*streams, key=lambda entry: entry.key, reverse=True))
    ready = [e for e in merged if horizon is None or e.key >= horizon]
    shown = ready[:size]
    more = len(merged) > len(shown) or horizon is not None
    _complete([e for e in shown if not e.is_batch])
    next_cursor = None
    if more and shown:
        last = shown[-1]
        low = last.low if last.is_batch else last.row.history_id
        next_cursor = Cursor(last.key[0], label(last.model), low)
    return Page(shown, next_cursor)


READS = 3  # pages of rows a model reads for one page of the log, at most


def _model_entries(model, user, start, end, cursor, size) -> tuple[list, bool]:
    """The newest lines of ``model``'s history after the cursor, and whether they are all
    there are. Each read is two queries at most, served by the index on
    ``history_date``: a page of rows, then the counts of the moments that have several
    (their rows counted whole, wherever they stop). A read that ends in a batch reads on
    below it (``READS`` times at most), so that an import does not fill a page alone."""
    history = _history(model)
    pk_name = model._meta.pk.attname
    rows = history.objects.all()
    if user is not None:
        rows = rows.filter(history_user=user)
    if start is not None:
        rows = rows.filter(history_date__gte=start)
    if end is not None:
        rows = rows.filter(history_date__lt=end)
    if cursor is not None:
        rows = rows.filter(cursor.condition(model))
    earlier = history.objects.filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")),
        **{pk_name: OuterRef(pk_name)},
    ).order_by("-history_date", "-history_id")
    entries: list = []
    below = rows
    for _read in range(READS):
        page = list(
            below.select_related("history_user")
            .annotate(previous_id=Subquery(earlier.values("history_id")[:1]))
            .order_by("-history_date", "-history_id")[: size + 1 - len(entries)]
        )
        complete = len(page) <= size - len(entries)
        by_date: dict[datetime, list] = {}
        for row in page:  # newest first; a moment's rows are side by side
            by_date.setdefault(row.history_date, []).append(row)
        last = page[-1].history_date if page else None
        several = [
            d for d, found in by_date.items() if len(found) > 1 or (d == last and not complete)
        ]
        batches = _batches(model, rows, several) if several else {}
        for moment, found in by_date.items():
            batch = batches.get(moment)
            if batch is not None and batch.count > 1:
                entries.append(batch)
            else:
                entries.append(Change(model, found[0]))
        if complete or len(entries) > size:
            break
        # Every row of the last moment is counted in its line: read on below it.
        below = rows.filter(history_date__lt=last)
    return entries, complete and len(entries) <= size


def _batches(model, rows, moments) -> dict:
    """The batches of ``model`` at ``moments``, counted by kind, reason and author."""
    refs = {"first_ref": Min("ref"), "last_ref": Max("ref")} if _has_ref(model) else {}
    parts = list(
        rows.filter(history_date__in=moments)
        .order_by()
        .values("history_date", "history_type", "history_change_reason", "history_user")
        .annotate(n=Count("history_id"), top=Max("history_id"), low=Min("history_id"), **refs)
        .order_by("history_date", "history_type", "history_change_reason")
    )
    ids = {p["history_user"] for p in parts if p["history_user"] is not None}
    users = get_user_model()._base_manager.in_bulk(ids) if ids else {}
    out: dict[datetime, Batch] = {}
    for p in parts:
        batch = out.setdefault(
            p["history_date"], Batch(model, p["history_date"], 0, p["top"], p["low"])
        )
        batch.count += p["n"]
        batch.top, batch.low = max(batch.top, p["top"]), min(batch.low, p["low"])
        if refs:
            batch.first_ref = min(filter(None, (batch.first_ref, p["first_ref"])), default="")
            batch.last_ref = max(batch.last_ref, p["last_ref"] or "")
        batch.parts.append(
            Part(
                {"+": "created", "-": "deleted"}.get(p["history_type"], "changed"),
                p["n"],
                shown_reason(p["history_change_reason"]),
                users.get(p["history_user"]),
            )
        )
    return out


def _complete(changes: list[Change]) -> None:
    """Give each change the version before it, the record as it is now and its changed
    fields: a fixed number of queries per model on the page, whatever its length."""
    by_model = defaultdict(list)
    for change in changes:
        by_model[change.model].append(change)
    linked = defaultdict(set)  # related model -> ids named in a change
    for model, group in by_model.items():
        history = group[0].row.__class__
        previous_ids = [c.row.previous_id for c in group if c.row.previous_id]
        previous = history.objects.in_bulk(previous_ids) if previous_ids else {}
        relations = [
            f.name
            for f in model._meta.concrete_fields
            if f.many_to_one and not f.null and f.related_model is not model
        ]
        records = model._base_manager.select_related(*relations).in_bulk(
            {c.object_id for c in group}
        )
        for change in group:
            change.previous = previous.get(change.row.previous_id)
            change.record = records.get(change.object_id)
            if change.kind == "changed" and change.previous is not None:
                change.fields = _field_changes(model, change.row, change.previous, linked)
    names = {related: related._base_manager.in_bulk(ids) for related, ids in linked.items() if ids}
    for change in changes:
        for item in change.fields:
            item.old = _shown(item.old, names)
            item.new = _shown(item.new, names)


def _field_changes(model, row, previous, linked) -> list[FieldChange]:
    fields = _diffed_fields(row)
    # diff_against compares the fields a form edits; the others (first published, merged
    # into) are compared here by their stored value.
    delta = row.diff_against(previous, included_fields=[f.name for f in fields if f.editable])
    differences = [(d.field, d.old, d.new) for d in delta.changes] + [
        (f.name, getattr(previous, f.attname), getattr(row, f.attname))
        for f in fields
        if not f.editable and getattr(previous, f.attname) != getattr(row, f.attname)
    ]
    found = []
    for name, old, new in differences:
        model_field = model._meta.get_field(name)
        label_text = str(model_field.verbose_name)
        if is_secret(model, name):
            found.append(FieldChange(name, label_text, secret=True))
            continue
        if name == "claim" and hasattr(model, "label_of_claim"):
            # A citation's claim by its label, as the admin offers it.
            old, new = (model.label_of_claim(row.content_type_id, v) for v in (old, new))
        old, new = _value(model_field, old, linked), _value(model_field, new, linked)
        found.append(FieldChange(name, label_text, old, new))
    return found


def _value(model_field, value, linked):
    """A value as a reader understands it: a choice's label, a linked record by name
    (looked up afterwards, all at once), a long text shortened."""
    if value in (None, ""):
        return ""
    if model_field.many_to_one:
        linked[model_field.related_model].add(value)
        return (model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        # A moment to the minute, in UTC as the log's own column, in the reader's digits.
        return localized_digits(value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    if isinstance(value, (int, float, Decimal, date)):
        return localized_digits(str(value))
    return Truncator(str(value)).chars(200)


def _shown(value, names) -> str:
    if isinstance(value, tuple):
        related, pk = value
        found = names.get(related, {}).get(pk)
        return str(found) if found is not None else f"#{pk}"
    return value
