"""The admin's import preview as a Persian reader reads it: each column headed by its
field's name in Persian (the file's column name beneath it, as the file's first row must
give it; "شناسه" over "id"), and in the cells numbers and dates in Persian digits, choices
and yes or no by their Persian label ("پیش‌نویس", not "draft"; "بله", not "yes"; "۱۹۶۱",
not "1961"). Names, refs, places and other text are shown as the file gives them: they
are data. An English screen keeps the
library's preview: the file's column names and values."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export.resources import Diff

from archive.core.digits import number
from archive.core.display import reads_persian
from archive.core.importing.widgets import BooleanWordWidget, ChoiceWidget

# The colour diff_prettyHtml gives an ``ins`` or ``del`` tag. Only its own tags match: it
# escapes "<" in every value (a value may hold ' style="..."' as text, left as it is).
_STYLE = re.compile(r'(<(?:ins|del)) style="[^"]*"')

# The heading of an ``id`` column (the record's number in the archive: a source's, a
# hearing's), the key Django adds to a model.
ID = _("ID")

# Model fields whose cells are numbers or dates ("1961", "1988-08", "35.79052").
_NUMERIC = (models.IntegerField, models.DecimalField, models.FloatField, models.DateField)


def _model_field(resource, column):
    """The model field a column sets, or None (a path "a__b", a column of its own)."""
    attribute = column.attribute or ""
    if not attribute or "__" in attribute:
        return None
    try:
        return resource._meta.model._meta.get_field(attribute)
    except FieldDoesNotExist:
        return None


def _translated(text) -> bool:
    """Whether ``text`` (a lazy translation) reads otherwise in the active language than
    in English: a field named in the catalogue, not only in the code."""
    with translation.override("en"):
        english = str(text)
    return str(text) != english


def headers(resource) -> list[str]:
    """The preview's column headings, in the order of the library's ``diff_headers``
    (which stay the file's column names: the library keys invalid rows' values by them)."""
    columns = resource.get_import_fields()
    if not reads_persian():
        return [str(column.column_name) for column in columns]
    return [_heading(resource, column) for column in columns]


def _heading(resource, column):
    field = _model_field(resource, column)
    name = getattr(field, "verbose_name", None)
    if getattr(field, "auto_created", False) and field.primary_key:
        name = ID  # Django names the key it adds "ID", a name in no catalogue
    if name is None or not _translated(name):
        return str(column.column_name)
    return format_html(
        '{}<br><span class="mini quiet" dir="ltr">{}</span>', capfirst(name), column.column_name
    )


def _reading(resource, column) -> Callable[[str], str] | None:
    """How a Persian reader reads a column's cells, or None: as the file gives them."""
    widget = column.widget
    if isinstance(widget, (ChoiceWidget, BooleanWordWidget)):
        # A choice, or yes or no, by its label; the cell is the value as the widget writes
        # it ("draft", "yes").
        labels = {widget.render(value): label for value, label in widget.choices}
        return lambda text: str(labels.get(text, text))
    field = _model_field(resource, column)
    if isinstance(field, _NUMERIC) and not field.choices:
        return lambda text: number(text, persian=True)
    return None


def _as_read(resource, values: list) -> list:
    """A row's values (the file's, in the order of the import's columns) as the reader
    reads them."""
    if not reads_persian():
        return values
    readings = getattr(resource, "_preview_readings", None)
    if readings is None:
        readings = [_reading(resource, f) for f in resource.get_import_fields()]
        resource._preview_readings = readings
    return [
        value if read is None or value in (None, "") else read(str(value))
        for value, read in zip(values, readings, strict=True)
    ]


class ReaderDiff(Diff):
    """The library's diff of a row (the record before and after), its values read as
    the reader reads them (see the module docstring). The library reads both sides
    through ``Diff._read_field_values`` named by its class: read again here."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.left = _as_read(resource, self.left)

    def compare_with(self, resource, instance):
        super().compare_with(resource, instance)
        self.right = _as_read(resource, self.right)

    def as_html(self) -> list:
        """The library's cells, without the colours it writes as ``style`` attributes,
        which the site's CSP refuses (a console error for each): admin.css colours the
        ``ins`` and ``del`` instead."""
        return [mark_safe(_STYLE.sub(r"\1", cell)) for cell in super().as_html()]
