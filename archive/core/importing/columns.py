"""Columns: a field of a record and the widget that reads its cells; the columns all
people share."""

from __future__ import annotations

from django.db.models.fields import NOT_PROVIDED
from import_export import fields as ie_fields

from archive.core.importing.widgets import (
    AliasesWidget,
    ChoiceWidget,
    PartialDateWidget,
    RefWidget,
    TextWidget,
    YearWidget,
)
from archive.core.models import Gender, PublicationStatus

# --- Columns ----------------------------------------------------------------------------


class Column(ie_fields.Field):
    """A resource field that also documents itself for the data dictionary."""

    def __init__(self, *args, kind="text", allowed="", example="", meaning="", required=False,
                 **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.allowed = allowed
        self.example = example
        self.meaning = meaning
        self.required = required

    # Distinct cells a column keeps the reading of (``clean``): years, dates, choices and
    # places come back thousands of times in a list; names, which do not, are not kept.
    KEPT = 4096

    def clean(self, row, **kwargs):
        """The cell's value through the widget; for a widget whose reading depends on
        the cell alone (``repeats``), each distinct cell is read once per import (a cell
        it refuses is read again each time, so that every row gets its own message)."""
        fresh = self.default is not NOT_PROVIDED and callable(self.default)
        if fresh or not getattr(self.widget, "repeats", False):
            return super().clean(row, **kwargs)
        raw = row.get(self.column_name)
        try:
            key = (type(raw), raw)
            return self._read[key]
        except AttributeError:
            self._read = {}
        except (KeyError, TypeError):
            pass
        value = super().clean(row, **kwargs)
        try:
            if len(self._read) >= self.KEPT:
                self._read.clear()
            self._read[key] = value
        except TypeError:  # a cell that cannot be a key (a JSON list): read each time
            pass
        return value

    def save(self, instance, row, is_m2m=False, **kwargs):
        """``Field.save`` for a column that sets one attribute of the record itself (all
        but a path "a__b" or a many-to-many), without taking the attribute apart again on
        every row."""
        if self.readonly or is_m2m or "__" in self.attribute:
            return super().save(instance, row, is_m2m=is_m2m, **kwargs)
        cleaned = self.clean(row, **kwargs)
        if cleaned is not None or self.saves_null_values:
            setattr(instance, self.attribute, cleaned)
        return None


class PartialDateColumn(Column):
    """One cell for a date and its precision: ``1988``, ``1988-08`` or ``1988-08-15``
    sets the date and the precision (year, month, day); export writes the same form."""

    def __init__(self, attribute, **kwargs):
        kwargs.setdefault("kind", "partial date")
        kwargs.setdefault("allowed", "1988, 1988-08 or 1988-08-15 (a Solar Hijri day such as "
                          "1367-05-10 is converted); the form sets the precision")  # fmt: skip
        super().__init__(
            attribute=attribute, column_name=attribute, widget=PartialDateWidget(), **kwargs
        )

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = self.clean(row, **kwargs)
        setattr(instance, self.attribute, value.value if value else None)
        setattr(instance, f"{self.attribute}_precision", value.precision if value else "")

    def get_value(self, instance):
        return instance.partial(self.attribute)


# --- Columns shared by people ----------------------------------------------------------------

STATUS_HELP = (
    "Blank: draft for a new record, unchanged for an existing one. Only a reviewer may "
    "publish or withdraw (the admin's import screen, or the command with --as)."
)


def person_columns(example_ref: str) -> dict:
    """The columns every person (victim or perpetrator) has."""
    return {
        "ref": Column(
            attribute="ref", column_name="ref", widget=RefWidget(), required=True,
            meaning="Stable identifier of the record, used in its web address and as the "
            "import key: a known ref updates that record, a new ref creates one.",
            allowed="Up to 40 characters; no spaces, '/', '?', '#', '%' or '\\'. Each ref "
            "once per file.",
            example=example_ref,
        ),
        "name_latin": Column(
            attribute="name_latin", column_name="name_latin", widget=TextWidget(),
            meaning="Name as written in Latin script, given name first.",
            allowed="Up to 200 characters. Either name may be blank, not both.",
            example="Mohammad Hosseini",
        ),
        "name_fa": Column(
            attribute="name_fa", column_name="name_fa", widget=TextWidget(),
            meaning="Name as written in Persian script.",
            allowed="Up to 200 characters. Either name may be blank, not both.",
            example="محمد حسینی",
        ),
        "aliases": Column(
            attribute="aliases", column_name="aliases", widget=AliasesWidget(),
            meaning="Other spellings in either script, noms de guerre; found by the search.",
            allowed="Several names in one cell, separated by '|' or by line breaks; exported "
            "separated by ' | '.",
            example="Mohammed Hoseini | محمد حسيني",
        ),
        "father_name": Column(
            attribute="father_name", column_name="father_name", widget=TextWidget(),
            meaning="Father's name, as Iranian records tell namesakes apart.",
            allowed="Up to 120 characters, either script.",
            example="Ali",
        ),
        "gender": Column(
            attribute="gender", column_name="gender", kind="choice",
            widget=ChoiceWidget(Gender.choices, blank=""),
            meaning="Gender as the sources give it.",
            allowed="male, female, other; blank when unknown.",
            example="male",
        ),
        "birth_year": Column(
            attribute="birth_year", column_name="birth_year", widget=YearWidget(),
            kind="year",
            meaning="Gregorian year of birth.",
            allowed="Four digits between 1850 and this year (Persian digits are read too; a "
            "Solar Hijri year such as 1340 is refused with its Gregorian equivalents).",
            example="1961",
        ),
    }  # fmt: skip


def status_column() -> Column:
    return Column(
        attribute="publication_status", column_name="publication_status", kind="choice",
        widget=ChoiceWidget(PublicationStatus.choices, blank=None), saves_null_values=False,
        meaning="Whether the public sees the record. " + STATUS_HELP,
        allowed="draft, in_review, published, withdrawn",
        example="draft",
    )  # fmt: skip


def biography_column() -> Column:
    return Column(
        attribute="biography", column_name="biography", widget=TextWidget(),
        meaning="Attributed statements only; [src:ID] places a footnote to a cited source.",
        allowed="Free text; line breaks are kept.",
        example="Arrested in 1981, according to [src:3].",
    )  # fmt: skip
