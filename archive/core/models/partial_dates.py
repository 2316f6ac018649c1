"""Partial dates on records: a date and how much of it is known (``partial_date``), and
the check of each pair (``PartialDatesMixin``)."""

from __future__ import annotations

import functools

from django.db import models
from django.utils.translation import gettext_lazy as _

from archive.core.dates import DAY, MONTH, YEAR, PartialDate


class DatePrecision(models.TextChoices):
    YEAR = YEAR, _("year")
    MONTH = MONTH, _("month")
    DAY = DAY, _("day")


def partial_date(verbose_name, help_text=""):
    """A Gregorian date and its precision, declared as two fields:
    ``death_date, death_date_precision = partial_date(_("date of death"))``."""
    return (
        models.DateField(
            verbose_name,
            null=True,
            blank=True,
            help_text=help_text
            or _("For a month or a year alone, enter its first day and set the precision."),
        ),
        models.CharField(
            _("precision"),
            max_length=5,
            choices=DatePrecision.choices,
            blank=True,
            help_text=_("How much of the date is known."),
        ),
    )


@functools.cache
def _partial_date_fields(model) -> list[str]:
    """The date fields of ``model`` that have a precision beside them (once per model)."""
    names = {f.name for f in model._meta.fields}
    return [
        f.name
        for f in model._meta.fields
        if isinstance(f, models.DateField) and f"{f.name}_precision" in names
    ]


class PartialDatesMixin:
    """Gives a model ``partial("death_date")`` and checks each date/precision pair."""

    def partial(self, field: str) -> PartialDate | None:
        return PartialDate.from_parts(
            getattr(self, field), getattr(self, f"{field}_precision", "") or DAY
        )

    def partial_date_fields(self) -> list[str]:
        return _partial_date_fields(type(self))

    def clean_partial_dates(self) -> dict:
        errors = {}
        for field in self.partial_date_fields():
            value = getattr(self, field)
            precision_field = f"{field}_precision"
            if value is None and getattr(self, precision_field):
                errors[precision_field] = _("A precision was given without a date.")
            elif value is not None and not getattr(self, precision_field):
                setattr(self, precision_field, DAY)
        return errors
