"""Hearings: a victim's appearances before a court or a Death Commission, the officials
who sat, the charges as stated, the questions asked, the decision and the sentence.

A hearing is shown on its victim's page and cited as a part of it (``Victim.cited_parts``):
the publication gate refuses a victim whose hearing shows an uncited fact. An official is
named publicly only once their perpetrator record is published; until then the official's
row is neither shown nor checked (``hearing_parts``).

Charge categories are a small vocabulary of neutral legal categories (moharebeh,
apostasy, …) so that the statistics can count victims by charge; they classify the
charges as a source states them and are cited with them (the ``charges`` fact).
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.core.models import BilingualNameMixin, PartialDatesMixin, partial_date
from archive.core.provenance import Fact
from perpetrators.models import Role


def _in_language(record, stem: str, lang: str | None = None) -> str:
    """``stem_fa`` on a Persian page, ``stem_en`` otherwise; the other when one is blank."""
    lang = lang or get_language() or "en"
    english, persian = getattr(record, f"{stem}_en"), getattr(record, f"{stem}_fa")
    if lang.startswith("fa"):
        return persian or english
    return english or persian


class ChargeCategory(BilingualNameMixin, models.Model):
    """A neutral legal category of charge ("moharebeh", "apostasy"): a category used to
    count victims by charge, never a fact about a person by itself."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_fa = models.CharField(_("name (Persian)"), max_length=150)
    description_en = models.CharField(_("explanation (English)"), max_length=300, blank=True)
    description_fa = models.CharField(_("explanation (Persian)"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("charge category")
        verbose_name_plural = _("charge categories")
        ordering = ["name_en"]

    def __str__(self):
        return self.display_name("en")


class HearingQuerySet(models.QuerySet):
    def public(self):
        """Hearings of published victims: the only ones any public page, the API or the
        open data shows."""
        return self.filter(victim__publication_status="published")

    def shown(self):
        """With what a page shows of each (place, body, categories, officials)."""
        return self.select_related(
            "victim", "place", "place__parent", "commission"
        ).prefetch_related(
            "charge_categories",
            models.Prefetch(
                "officials",
                queryset=HearingOfficial.objects.select_related("perpetrator").order_by("pk"),
            ),
        )


class Hearing(PartialDatesMixin, models.Model):
    """One appearance of a victim before a court or a commission, as a source tells it."""

    victim = models.ForeignKey(
        "victims.Victim", verbose_name=_("victim"), on_delete=models.CASCADE,
        related_name="hearings",
    )  # fmt: skip
    date, date_precision = partial_date(_("date of the hearing"))
    place = models.ForeignKey(
        "archive.Place", verbose_name=_("place"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="hearings",
        help_text=_("The prison or city where the hearing was held."),
    )  # fmt: skip
    commission = models.ForeignKey(
        "perpetrators.Commission", verbose_name=_("Death Commission"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="hearings",
        help_text=_("When the body was a Death Commission; otherwise name the court."),
    )  # fmt: skip
    court_en = models.CharField(
        _("court (English)"), max_length=250, blank=True,
        help_text=_("When the body was a court: its name, e.g. Revolutionary Court of Tehran."),
    )  # fmt: skip
    court_fa = models.CharField(_("court (Persian)"), max_length=250, blank=True)
    charges_en = models.TextField(_("charges as stated (English)"), blank=True)
    charges_fa = models.TextField(_("charges as stated (Persian)"), blank=True)
    charge_categories = models.ManyToManyField(
        ChargeCategory, verbose_name=_("charge categories"), blank=True,
        related_name="hearings",
        help_text=_("The legal categories of the charges as stated, for the statistics."),
    )  # fmt: skip
    questions_en = models.TextField(_("questions asked (English)"), blank=True)
    questions_fa = models.TextField(_("questions asked (Persian)"), blank=True)
    decision_en = models.TextField(_("decision (English)"), blank=True)
    decision_fa = models.TextField(_("decision (Persian)"), blank=True)
    sentence_en = models.TextField(_("sentence (English)"), blank=True)
    sentence_fa = models.TextField(_("sentence (Persian)"), blank=True)
    sentence_overridden = models.BooleanField(
        _("sentence overridden"), default=False,
        help_text=_("The sentence was overridden by a later decision (a prison term cut short "
                    "by the 1988 killings)."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    citations = GenericRelation("sources.Citation", related_query_name="hearing")
    history = HistoricalRecords()

    # Shown on the victim's page (templates/victims/includes/hearings.html), in that
    # order; a general citation (a testimony that recounts the hearing) covers every one.
    FACTS = (
        Fact("date", _("Date of the hearing"), general=True),
        Fact("place", _("Place of the hearing"), general=True),
        Fact("body", _("Before"), general=True, fields=("commission", "court_en", "court_fa")),
        Fact(
            "charges", _("Charges as stated"), general=True,
            fields=("charges_en", "charges_fa", "category_names"),
        ),
        Fact("questions", _("Questions asked"), general=True,
             fields=("questions_en", "questions_fa")),
        Fact("decision", _("Decision"), general=True, fields=("decision_en", "decision_fa")),
        Fact("sentence", _("Sentence"), general=True,
             fields=("sentence_en", "sentence_fa", "sentence_overridden"), blank=(False,)),
    )  # fmt: skip
    # Whose page shows it (locks for researchers: ``archive.core.models.public_records_of``).
    SHOWN_ON = ("victim",)

    objects = HearingQuerySet.as_manager()

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["date", "pk"]

    def __str__(self):
        when = self.partial("date")
        body = self.body_name("en") or _("hearing")
        return f"{self.victim} — {body}" + (f" ({when.iso()})" if when else "")

    @property
    def category_names(self) -> str:
        """The charge categories in the reader's language ("" when none): what the page
        shows of them (and what the gate reads: they are part of the ``charges`` fact)."""
        if self.pk is None:
            return ""
        return " · ".join(c.display_name() for c in self.charge_categories.all())

    def body_name(self, lang: str | None = None) -> str:
        """The court's name, or the commission's (published or not: callers that show it
        publicly check ``commission.is_published`` first)."""
        if self.commission_id:
            return self.commission.display_name(lang)
        return _in_language(self, "court", lang)

    def court(self, lang=None) -> str:
        return _in_language(self, "court", lang)

    def charges(self, lang=None) -> str:
        return _in_language(self, "charges", lang)

    def questions(self, lang=None) -> str:
        return _in_language(self, "questions", lang)

    def decision(self, lang=None) -> str:
        return _in_language(self, "decision", lang)

    def sentence(self, lang=None) -> str:
        return _in_language(self, "sentence", lang)

    def public_officials(self) -> list[HearingOfficial]:
        """The officials whose perpetrator record is published: the only ones ever named."""
        return [o for o in self.officials.all() if o.perpetrator.is_published]

    def clean(self):
        errors = self.clean_partial_dates()
        if self.commission_id and (self.court_en or self.court_fa):
            errors["court_en"] = _(
                "A hearing is before a commission or a court, not both: clear the court's name "
                "or the commission."
            )
        victim = self.victim if self.victim_id else None
        hearing = self.partial("date")
        if victim is not None and hearing is not None:
            death = victim.partial("death_date")
            if death is not None and hearing.first_day > death.last_day:
                errors.setdefault("date", []).append(
                    _("The hearing is dated after the date of death (%(death)s).")
                    % {"death": death.iso()}
                )
        if errors:
            raise ValidationError(errors)


class HearingOfficialQuerySet(models.QuerySet):
    def public(self):
        """Seats the public may see: at hearings of published victims, held by published
        perpetrators (a draft official is never named)."""
        return self.filter(
            hearing__victim__publication_status="published",
            perpetrator__publication_status="published",
        )


class HearingOfficial(models.Model):
    """An official present at a hearing, in a role (religious judge, prosecutor, …)."""

    hearing = models.ForeignKey(
        Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE, related_name="officials"
    )
    perpetrator = models.ForeignKey(
        "perpetrators.Perpetrator", verbose_name=_("official"), on_delete=models.PROTECT,
        related_name="hearing_seats",
    )  # fmt: skip
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.MEMBER, db_index=True
    )
    citations = GenericRelation("sources.Citation", related_query_name="hearing_official")
    history = HistoricalRecords()

    # Shown on the victim's page and the official's; a general citation ("X named the
    # judge and the prosecutor") covers both facts.
    FACTS = (
        Fact("perpetrator", _("Official"), general=True),
        Fact("role", _("Role at the hearing"), general=True),
    )
    SHOWN_ON = ("victim", "perpetrator")
    # The publishable record whose page shows it, through the hearing (the publication
    # gate's ``linked_gaps``: publishing the official must not put an uncited seat on a
    # published victim's page).
    SHOWN_THROUGH = ("hearing__victim",)

    objects = HearingOfficialQuerySet.as_manager()

    class Meta:
        verbose_name = _("official at a hearing")
        verbose_name_plural = _("officials at hearings")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "perpetrator", "role"], name="one_hearing_seat_per_role"
            )
        ]

    def __str__(self):
        return f"{self.perpetrator} ({self.get_role_display()})"

    @property
    def victim(self):
        return self.hearing.victim


def hearing_parts(victim) -> list:
    """The records a victim's page shows with it, each cited on its own: its hearings and
    the officials at them whose perpetrator record is published (a draft one is not
    named, so not checked)."""
    cache = getattr(victim, "_prefetched_objects_cache", {})
    if "hearings" in cache:
        hearings = list(victim.hearings.all())
    else:
        hearings = list(
            victim.hearings.prefetch_related("officials__perpetrator", "charge_categories")
        )
    officials = [o for h in hearings for o in h.officials.all() if o.perpetrator.is_published]
    return [*hearings, *officials]


def prefetch_hearing_parts(victims) -> None:
    models.prefetch_related_objects(
        victims, "hearings__officials__perpetrator", "hearings__charge_categories"
    )


def shown_hearings(victim) -> tuple[list[Hearing], list[HearingOfficial]]:
    """A published victim's hearings as its page shows them, and the officials it names
    (those whose perpetrator record is published), in two queries; none when the victim
    was read knowing it has no hearing (``for_page``'s ``any_hearing``)."""
    if not getattr(victim, "any_hearing", True):
        return [], []
    hearings = list(victim.hearings.shown().order_by("date", "pk"))
    officials = [o for h in hearings for o in h.public_officials()]
    return hearings, officials


# How many hearings a perpetrator's page or a commission's section lists (the count says
# how many there are; the open data has them all).
HEARINGS_SHOWN = 100


def public_seats(perpetrator):
    """Every seat ``perpetrator`` held at a hearing of a published victim, by date."""
    return (
        HearingOfficial.objects.filter(
            perpetrator=perpetrator, hearing__victim__publication_status="published"
        )
        .select_related("hearing", "hearing__victim", "hearing__commission", "hearing__place")
        .order_by("hearing__date", "hearing__pk", "pk")
    )


def seats_of(perpetrator, limit: int = HEARINGS_SHOWN) -> tuple[list[HearingOfficial], int]:
    """The seats ``perpetrator`` held at hearings of published victims (each with its
    hearing and victim), the first ``limit`` by date, and how many there are."""
    seats = public_seats(perpetrator)
    shown = list(seats[:limit])
    return shown, (len(shown) if len(shown) < limit else seats.count())


def hearings_before(commissions, limit: int = HEARINGS_SHOWN) -> dict[int, list[Hearing]]:
    """Hearings of published victims before each of ``commissions`` (by id), by date."""
    found: dict[int, list[Hearing]] = {c.pk: [] for c in commissions}
    if not found:
        return found
    hearings = (
        Hearing.objects.public()
        .filter(commission_id__in=list(found))
        .shown()
        .order_by("date", "pk")
    )
    for hearing in hearings:
        if len(found[hearing.commission_id]) < limit:
            found[hearing.commission_id].append(hearing)
    return found


def victims_by_charge() -> list[dict]:
    """Published victims counted by the charge categories of their hearings (a victim
    heard on two charges counts under each; once per category however many hearings),
    largest first: ``[{"id", "slug", "names": {"en", "fa"}, "n"}]``."""
    rows = (
        ChargeCategory.objects.filter(hearings__victim__publication_status="published")
        .annotate(n=models.Count("hearings__victim", distinct=True))
        .order_by("-n", "slug")
    )
    return [
        {"id": c.pk, "slug": c.slug, "names": {"en": c.name_en, "fa": c.name_fa}, "n": c.n}
        for c in rows
    ]
