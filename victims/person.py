"""The person behind the name, and what happened to the family: the victim's fields that
say who they were (place of birth, occupation, education, religion, ethnicity, civil
status, children) and how the state treated their family after the killing (how and when
the family was told, whether the body and the belongings were returned, whether the
family knows the burial place, visits and harassment at the grave). Abstract models that
``victims.models.Victim`` is made of; each field is a cited fact in ``Victim.FACTS``.

Vocabulary or free text (docs/person.md says more):

- occupation, religion, ethnicity: small vocabularies. They are filters and statistics: a
  free text would split one group into its spellings and its two scripts ("student",
  "Student", «دانشجو»), and a vocabulary is shown in the reader's language. The detail a
  source gives ("mathematics teacher at a Rasht high school") goes in the biography,
  attributed with its marker.
- civil status: the four states a source gives, blank when unknown.
- children: a number, blank when unknown (0 is a fact: no children).
- education, how the family was told, visits and harassment at the grave: free text in
  both scripts. They are never filtered, and what sources say of them is too varied for a
  vocabulary ("a phone call telling them to collect his bag at Evin").
- body and belongings returned, burial place known to the family: yes / no / unknown.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from archive.core.models import partial_date
from archive.core.provenance import Fact


class Occupation(models.TextChoices):
    STUDENT = "student", _("student")
    TEACHER = "teacher", _("teacher")
    WORKER = "worker", _("worker")
    FARMER = "farmer", _("farmer")
    CIVIL_SERVANT = "civil_servant", _("civil servant")
    ENGINEER = "engineer", _("engineer")
    HEALTH = "health", _("doctor or health worker")
    MERCHANT = "merchant", _("shopkeeper or merchant")
    WRITER = "writer", _("writer, journalist or artist")
    LAWYER = "lawyer", _("lawyer")
    MILITARY = "military", _("soldier or officer")
    HOMEMAKER = "homemaker", _("homemaker")
    UNEMPLOYED = "unemployed", _("unemployed")
    OTHER = "other", _("other occupation")


class Religion(models.TextChoices):
    SHIA = "shia", _("Shia Muslim")
    SUNNI = "sunni", _("Sunni Muslim")
    BAHAI = "bahai", _("Baháʼí")
    CHRISTIAN = "christian", _("Christian")
    JEWISH = "jewish", _("Jewish")
    ZOROASTRIAN = "zoroastrian", _("Zoroastrian")
    YARSAN = "yarsan", _("Yarsan (Ahl-e Haqq)")
    MANDAEAN = "mandaean", _("Mandaean")
    NONE = "none", _("no religion")
    OTHER = "other", _("other religion")


class Ethnicity(models.TextChoices):
    PERSIAN = "persian", pgettext_lazy("ethnicity", "Persian")
    AZERBAIJANI = "azerbaijani", _("Azerbaijani")
    KURDISH = "kurdish", _("Kurdish")
    LUR = "lur", _("Lur")
    BALUCH = "baluch", _("Baluch")
    ARAB = "arab", _("Arab")
    TURKMEN = "turkmen", _("Turkmen")
    GILAK = "gilak", _("Gilak")
    MAZANDARANI = "mazandarani", _("Mazandarani")
    QASHQAI = "qashqai", _("Qashqai")
    ARMENIAN = "armenian", _("Armenian")
    ASSYRIAN = "assyrian", _("Assyrian")
    OTHER = "other", _("other ethnicity")


class CivilStatus(models.TextChoices):
    SINGLE = "single", _("single")
    MARRIED = "married", _("married")
    DIVORCED = "divorced", _("divorced")
    WIDOWED = "widowed", _("widowed")


class Answer(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("unknown")


# The age groups of the list's filter and the statistics (``archive.core.ages.AGE_GROUPS``).
AGE_GROUP_LABELS = {
    "under-18": _("under 18"),
    "18-24": _("18 to 24"),
    "25-34": _("25 to 34"),
    "35-49": _("35 to 49"),
    "50-plus": _("50 and over"),
    "boundary": _("across two groups (e.g. 24–25)"),
}


def _answer(verbose_name, help_text=""):
    return models.CharField(
        verbose_name, max_length=7, choices=Answer.choices, default=Answer.UNKNOWN,
        help_text=help_text,
    )  # fmt: skip


def _in_reader_language(record, name: str, lang: str | None = None) -> str:
    """The English or Persian text of ``name``, the other when the reader's is blank."""
    lang = lang or get_language() or "en"
    en, fa = getattr(record, f"{name}_en"), getattr(record, f"{name}_fa")
    return (fa or en) if lang.startswith("fa") else (en or fa)


class PersonDetails(models.Model):
    """Who the person was, beyond the name."""

    birth_place = models.ForeignKey(
        "archive.Place", verbose_name=_("place of birth"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="births",
    )  # fmt: skip
    occupation = models.CharField(
        _("occupation"), max_length=20, choices=Occupation.choices, blank=True,
        help_text=_("The group the person's work belongs to; the detail a source gives goes "
                    "in the biography, attributed."),
    )  # fmt: skip
    education_en = models.CharField(
        _("education (English)"), max_length=250, blank=True,
        help_text=_("As a source gives it, e.g. “third-year student of physics”."),
    )  # fmt: skip
    education_fa = models.CharField(_("education (Persian)"), max_length=250, blank=True)
    religion = models.CharField(_("religion"), max_length=20, choices=Religion.choices, blank=True)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=20, choices=Ethnicity.choices, blank=True
    )
    civil_status = models.CharField(
        _("civil status"), max_length=10, choices=CivilStatus.choices, blank=True,
        help_text=_("Blank when unknown."),
    )  # fmt: skip
    children = models.PositiveSmallIntegerField(
        _("number of children"), null=True, blank=True,
        validators=[MaxValueValidator(40)],
        help_text=_("Blank when unknown; 0 when a source says the person had none."),
    )  # fmt: skip

    PERSON_FACTS = (
        Fact("birth_place", _("Place of birth")),
        Fact("occupation", _("Occupation")),
        Fact("education_en", _("Education"), fields=("education_en", "education_fa")),
        Fact("religion", _("Religion")),
        Fact("ethnicity", _("Ethnicity")),
        Fact("civil_status", _("Civil status")),
        Fact("children", _("Children")),
    )

    class Meta:
        abstract = True

    def education(self, lang: str | None = None) -> str:
        return _in_reader_language(self, "education", lang)

    def person_facts_shown(self) -> bool:
        return any(fact.shown_on(self) for fact in self.PERSON_FACTS)


class FamilyAftermath(models.Model):
    """What happened to the family after the killing."""

    family_told_date, family_told_date_precision = partial_date(_("date the family was told"))
    family_told_how_en = models.TextField(
        _("how the family was told (English)"), blank=True,
        help_text=_("By whom, where, in which words, as a source gives it."),
    )  # fmt: skip
    family_told_how_fa = models.TextField(_("how the family was told (Persian)"), blank=True)
    body_returned = _answer(_("body returned to the family"))
    belongings_returned = _answer(_("belongings returned to the family"))
    burial_known = _answer(
        _("burial place known to the family"),
        help_text=_("Whether the family was told or found where the person is buried."),
    )
    grave_en = models.TextField(
        _("visits and harassment at the grave (English)"), blank=True,
        help_text=_("Whether the family may visit, and what they met there."),
    )  # fmt: skip
    grave_fa = models.TextField(_("visits and harassment at the grave (Persian)"), blank=True)

    FAMILY_FACTS = (
        Fact("family_told_date", _("When the family was told")),
        Fact(
            "family_told_how_en",
            _("How the family was told"),
            fields=("family_told_how_en", "family_told_how_fa"),
        ),
        Fact("body_returned", _("Body returned"), blank=(Answer.UNKNOWN,)),
        Fact("belongings_returned", _("Belongings returned"), blank=(Answer.UNKNOWN,)),
        Fact("burial_known", _("Burial place known to the family"), blank=(Answer.UNKNOWN,)),
        Fact("grave_en", _("Visits and harassment at the grave"), fields=("grave_en", "grave_fa")),
    )

    class Meta:
        abstract = True

    def family_told_how(self, lang: str | None = None) -> str:
        return _in_reader_language(self, "family_told_how", lang)

    def grave(self, lang: str | None = None) -> str:
        return _in_reader_language(self, "grave", lang)

    def family_facts_shown(self) -> bool:
        return any(fact.shown_on(self) for fact in self.FAMILY_FACTS)
