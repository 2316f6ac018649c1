"""What the archive knows of any person, victim or perpetrator (``Person``): names in both
scripts and their search keys, references, years of birth, merges; and the order of people
by name in either language."""

from __future__ import annotations

import datetime
import functools
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from archive.core import provenance
from archive.core.dates import YearError, read_year
from archive.core.models.publication import Publishable


class Gender(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")
    OTHER = "other", _("other")
    UNKNOWN = "", _("unknown")


def merge_target(record):
    """The published record ``record`` was merged into, following merges of merges; None
    when there is none (never merged, or the kept record is not public)."""
    from archive.core.records import published

    seen = {record.pk}
    target = record.merged_into
    while target is not None and target.merged_into_id and target.pk not in seen:
        seen.add(target.pk)
        target = target.merged_into
    return published(target)


def redirect_for_ref(model, ref: str):
    """The published record a withdrawn, merged ``ref`` of ``model`` now lives at, if any.
    Only a ref that was once public redirects: a draft's ref was never shown, and a
    redirect would tell anyone who guessed it that the archive had a lead on this person."""
    merged = (
        model.objects.filter(ref=ref, merged_into__isnull=False)
        .select_related("merged_into")
        .first()
    )
    return merge_target(merged) if merged and merged.was_public() else None


class Person(Publishable):
    """What the archive knows of any person, victim or perpetrator: names in both scripts
    (two attested spellings, not translations), aliases, father's name, and the search
    keys derived from them."""

    ref = models.CharField(
        _("reference"),
        max_length=40,
        unique=True,
        help_text=_("Stable external identifier used in URLs, citations and imports."),
    )
    name_latin = models.CharField(
        _("name (Latin script)"), max_length=200, blank=True,
        help_text=_("As written in Latin script, given name first."),
    )  # fmt: skip
    name_fa = models.CharField(
        _("name (Persian script)"), max_length=200, blank=True,
        help_text=_("As written in Persian script. Either name may be blank, not both."),
    )  # fmt: skip
    aliases = models.TextField(
        _("other spellings and aliases"),
        blank=True,
        help_text=_("One per line: other spellings in either script, noms de guerre."),
    )
    father_name = models.CharField(
        _("father's name"), max_length=120, blank=True,
        help_text=_("How Iranian records tell namesakes apart."),
    )  # fmt: skip
    # Indexed in the models' Meta (``models.Index``): ``db_index`` on a CharField adds a
    # pattern copy for LIKE on PostgreSQL, which no one asks of a gender.
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, help_text=_("Gregorian year, e.g. 1961.")
    )
    biography = models.TextField(
        _("biography"),
        blank=True,
        help_text=_("Attributed statements only. [src:ID] places a footnote to a cited source."),
    )
    name_keys = models.TextField(
        _("search keys"),
        blank=True,
        editable=False,
        help_text=_("Derived from the names for spelling- and script-independent search."),
    )

    class Meta:
        abstract = True

    # A person's names, shown in the page's heading, cited by the record's general
    # citations or by their own.
    NAME_FACTS = (
        provenance.Fact("name_latin", _("Name in Latin script"), general=True),
        provenance.Fact("name_fa", _("Name in Persian script"), general=True),
        provenance.Fact("aliases", _("Other spellings and aliases"), general=True),
    )

    def __str__(self):
        return self.name_latin or self.name_fa or self.ref

    def save(self, *args, **kwargs):
        # The keys themselves are refreshed by a pre_save receiver (archive.apps), which
        # also runs for fixtures; here we only make sure a partial save writes them.
        update_fields = kwargs.get("update_fields")
        named = {"name_latin", "name_fa", "aliases", "father_name"}
        if update_fields is not None and named & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_keys"}
        super().save(*args, **kwargs)

    # Letters and digits nobody confuses when reading a ref aloud (no 0/O, 1/I/L).
    REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"

    @classmethod
    def new_ref(cls) -> str:
        """A new, unused ref that says nothing of where the record came from ("V-7KQ2M9XA"
        for a victim, "P-..." for a perpetrator): a published ``SUB-123`` would tell
        anyone watching that a family wrote to us about this person."""
        prefix = cls._meta.model_name[0].upper() + "-"
        while True:
            ref = prefix + "".join(secrets.choice(cls.REF_ALPHABET) for _ in range(8))
            if not cls._default_manager.filter(ref=ref).exists():
                return ref

    def display_name(self, lang: str | None = None) -> str:
        lang = lang or get_language() or "en"
        if lang.startswith("fa"):
            return self.name_fa or self.name_latin
        return self.name_latin or self.name_fa

    def other_script_name(self, lang: str | None = None) -> str:
        """The name in the other script, shown beside the first one."""
        first = self.display_name(lang)
        other = self.name_latin if first == self.name_fa else self.name_fa
        return other if other and other != first else ""

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def all_names(self) -> list[str]:
        return [n for n in (self.name_latin, self.name_fa, *self.alias_list()) if n]

    def version_names(self) -> list[str]:
        """The names that published sources give for this person where they differ from
        the record's (citations of a name claim with a value of their own): search finds
        a person by a name only one source gives. Read from the record's ``citations``
        (or set beforehand as ``_version_names`` by a bulk write)."""
        cached = getattr(self, "_version_names", None)
        if cached is not None:
            return cached
        if self.pk is None:  # before the manager: an import asks this of every new row
            return []
        relation = getattr(self, "citations", None)
        if relation is None:
            return []
        values = (
            relation.filter(
                claim__in=provenance.NAME_CLAIMS, source__publication_status="published"
            )
            .exclude(value="")
            .values_list("value", flat=True)
        )
        return [line.strip() for value in values for line in value.splitlines() if line.strip()]

    def refresh_name_keys(self) -> None:
        from archive.core import names

        # The father's keys follow a "|" (``names.score`` reads them as context), so the
        # index can also narrow "Ali Karimi son of Hassan" to the right namesakes.
        keys = names.name_keys(*self.all_names(), *self.version_names())
        father = names.name_keys(self.father_name) if self.father_name else ""
        self.name_keys = f"{keys} | {father}" if father else keys

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.update_error_dict({}))
        if not (self.name_latin or "").strip() and not (self.name_fa or "").strip():
            errors.setdefault("name_latin", []).append(
                _("Give a name in Latin script, in Persian script, or both.")
            )
        if self.birth_year is not None and not is_birth_year(self.birth_year):
            errors.setdefault("birth_year", []).append(
                _("%(year)s is not a plausible year of birth.") % {"year": self.birth_year}
            )
        if errors:
            raise ValidationError(errors)


def is_birth_year(value: int) -> bool:
    """Whether a stored year of birth is one ``read_year`` reads as Gregorian: the
    form and an import store nothing else, and a Solar Hijri year stored by mistake
    (1340) is refused like any other implausible year."""
    return _is_birth_year(value, datetime.date.today().year)


@functools.lru_cache(maxsize=1024)
def _is_birth_year(value: int, this_year: int) -> bool:
    # Remembered with the year it was asked in: an import asks it of every row, and a
    # list repeats its years of birth.
    try:
        return not read_year(value, latest=this_year).is_solar_hijri
    except YearError:
        return False


# --- Ordering people by name -----------------------------------------------------------

# A list in English is ordered by the Latin name, in Persian by the Persian one; a person
# known in the other script only comes after those who have a name in the reader's
# script, not before them all (an empty string sorts first). Each ordering is an index
# (see ``name_order_indexes``) so that a keyset page is one index range scan.
NAME_ORDER = {
    "en": ("latin_missing", "name_latin", "name_fa", "id"),
    "fa": ("fa_missing", "name_fa", "name_latin", "id"),
}


class Missing(models.Func):
    """1 where the text column is empty, else 0: what a list orders by first.

    Its constants are written into the SQL, not sent as parameters. SQLite uses an index
    on an expression only for the same expression, constants included, and a parameter
    is not the constant the index was made with: with ``Case(When(...))`` every page of
    a list not answered from the cache sorted every published person (27-61 ms a page
    at 100,000 victims, 0.2 ms read from the index). PostgreSQL's driver writes the
    parameters in before sending: it used the index either way."""

    template = "CASE WHEN %(expressions)s = '' THEN 1 ELSE 0 END"
    arity = 1
    output_field = models.IntegerField()


def name_order_annotations() -> dict:
    return {"latin_missing": Missing("name_latin"), "fa_missing": Missing("name_fa")}


def name_order_indexes(prefix: str) -> list[models.Index]:
    annotations = name_order_annotations()
    return [
        models.Index(
            models.F("publication_status"),
            annotations["latin_missing"],
            models.F("name_latin"),
            models.F("name_fa"),
            models.F("id"),
            name=f"{prefix}_pub_order_latin",
        ),
        models.Index(
            models.F("publication_status"),
            annotations["fa_missing"],
            models.F("name_fa"),
            models.F("name_latin"),
            models.F("id"),
            name=f"{prefix}_pub_order_fa",
        ),
    ]
