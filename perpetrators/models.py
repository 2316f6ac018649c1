"""Perpetrators: the members of the Death Commissions, their commissions, their
careers before and since, and what they have said in public."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.core.models import (
    BilingualNameMixin,
    PartialDatesMixin,
    Person,
    Publishable,
    PublishableQuerySet,
    name_order_indexes,
    partial_date,
    workflow_permissions,
)
from archive.core.provenance import Fact


class PerpetratorQuerySet(PublishableQuerySet):
    def search(self, q: str):
        """The people search's ranked matches for ``q`` (``archive.core.search.Ranked``):
        the one way into the search for the lists, the API and the admin."""
        from archive.core.search import search

        return search(self, q)


class Perpetrator(Person):
    """A person identified by a source as responsible for killings: a member of a Death
    Commission, an official who ordered a crackdown. Every such claim is attributed."""

    citations = GenericRelation("sources.Citation", related_query_name="perpetrator")
    history = HistoricalRecords()

    # What its public page shows (templates/perpetrators/perpetrator_detail.html); its
    # seats, positions and statements are checked as parts of it (``cited_parts``).
    FACTS = (
        *Person.NAME_FACTS,
        Fact("father_name", _("Father's name")),
        Fact("birth_year", _("Year of birth")),
        Fact("biography", _("Biography"), text=True),
    )

    objects = PerpetratorQuerySet.as_manager()

    class Meta:
        verbose_name = _("perpetrator")
        verbose_name_plural = _("perpetrators")
        ordering = ["name_latin", "name_fa"]
        permissions = workflow_permissions("perpetrator", "perpetrators")
        indexes = [
            *name_order_indexes("perp"),
            models.Index(fields=["updated_at"], name="perp_updated"),
        ]

    def get_absolute_url(self):
        return reverse("perpetrators:perpetrator-detail", kwargs={"ref": self.ref})

    def cited_parts(self) -> list:
        """The records its public page shows with it, each cited on its own: seats on
        published commissions, positions, statements."""
        if "memberships" in getattr(self, "_prefetched_objects_cache", {}):
            seats = [m for m in self.memberships.all() if m.commission.is_published]
        else:
            seats = self.memberships.public().select_related("commission")
        return [*seats, *self.positions.all(), *self.statements.all()]

    @classmethod
    def prefetch_cited_parts(cls, perpetrators) -> None:
        """Reads the parts of many perpetrators in one query per kind (the gate's checks
        of every record a source supports)."""
        models.prefetch_related_objects(
            perpetrators, "memberships__commission", "positions", "statements"
        )


class CommissionQuerySet(PublishableQuerySet):
    pass


class MembershipQuerySet(models.QuerySet):
    def public(self):
        """Memberships of published commissions (an unpublished one is not shown)."""
        return self.filter(commission__publication_status="published")


class Commission(BilingualNameMixin, Publishable):
    """A Death Commission: who sat where, and when (the Tehran commission of 1988 at
    Evin and Gohardasht)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_en = models.CharField(_("name (Latin script)"), max_length=200, blank=True)
    name_fa = models.CharField(_("name (Persian script)"), max_length=200, blank=True)
    place = models.ForeignKey(
        "archive.Place", verbose_name=_("sat in"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="commissions",
        help_text=_("The city or prison where the commission sat."),
    )  # fmt: skip
    event = models.ForeignKey(
        "archive.Event", verbose_name=_("event"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="commissions",
    )  # fmt: skip
    start_date, start_date_precision = partial_date(_("from"))
    end_date, end_date_precision = partial_date(_("until"))
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fa = models.TextField(_("description (Persian)"), blank=True)
    members = models.ManyToManyField(
        Perpetrator, through="CommissionMembership", related_name="commissions"
    )
    citations = GenericRelation("sources.Citation", related_query_name="commission")
    history = HistoricalRecords()

    # What the pages that show it say of it (an event's page, a member's page).
    FACTS = (
        Fact("name_en", _("Name in Latin script"), general=True),
        Fact("name_fa", _("Name in Persian script"), general=True),
        Fact("place", _("Sat in")),
        Fact("start_date", _("From")),
        Fact("end_date", _("Until")),
        Fact(
            "description_en", _("Description"), text=True,
            fields=("description_en", "description_fa"),
        ),
    )  # fmt: skip

    objects = CommissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ["start_date", "name_en"]
        permissions = workflow_permissions("commission", "commissions")

    def description(self, lang=None):
        lang = lang or get_language() or "en"
        if lang.startswith("fa"):
            return self.description_fa or self.description_en
        return self.description_en or self.description_fa

    def cited_parts(self) -> list:
        """Its seats that published members' pages show."""
        if "memberships" in getattr(self, "_prefetched_objects_cache", {}):
            return [m for m in self.memberships.all() if m.perpetrator.is_published]
        return list(
            self.memberships.filter(perpetrator__publication_status="published").select_related(
                "perpetrator"
            )
        )

    @classmethod
    def prefetch_cited_parts(cls, commissions) -> None:
        models.prefetch_related_objects(commissions, "memberships__perpetrator")


class Role(models.TextChoices):
    RELIGIOUS_JUDGE = "religious_judge", _("religious judge")
    PROSECUTOR = "prosecutor", _("prosecutor")
    DEPUTY_PROSECUTOR = "deputy_prosecutor", _("deputy prosecutor")
    INTELLIGENCE = "intelligence", _("Intelligence Ministry representative")
    PRISON_OFFICIAL = "prison_official", _("prison official")
    MEMBER = "member", _("member (role not stated)")


class CommissionMembership(PartialDatesMixin, models.Model):
    """Who sat on a commission, in which role, over which period; cited."""

    perpetrator = models.ForeignKey(
        Perpetrator, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("perpetrator"),
    )  # fmt: skip
    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="memberships",
        verbose_name=_("commission"),
    )  # fmt: skip
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.MEMBER, db_index=True
    )
    start_date, start_date_precision = partial_date(_("from"))
    end_date, end_date_precision = partial_date(_("until"))
    citations = GenericRelation("sources.Citation", related_query_name="membership")
    history = HistoricalRecords()

    # Shown on the member's page; a general citation ("identified as a member by …")
    # covers every fact of it.
    FACTS = (
        Fact("commission", _("Commission"), general=True),
        Fact("role", _("Role"), general=True),
        Fact("start_date", _("From"), general=True),
        Fact("end_date", _("Until"), general=True),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("commission membership")
        verbose_name_plural = _("commission memberships")
        ordering = ["start_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["perpetrator", "commission", "role"], name="one_membership_per_role"
            )
        ]

    def __str__(self):
        return f"{self.perpetrator} — {self.commission} ({self.get_role_display()})"

    def clean(self):
        errors = self.clean_partial_dates()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end comes before the start.")
        if errors:
            raise ValidationError(errors)


class PositionQuerySet(models.QuerySet):
    def current(self):
        """Positions with no known end: held, as far as the sources say."""
        return self.filter(end_date__isnull=True)


class Position(PartialDatesMixin, models.Model):
    """One dated post in a perpetrator's career (in the way OpenSanctions models a
    person's occupancies): 1988 and every position held since."""

    perpetrator = models.ForeignKey(
        Perpetrator, on_delete=models.CASCADE, related_name="positions",
        verbose_name=_("perpetrator"),
    )  # fmt: skip
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    title_fa = models.CharField(_("title (Persian)"), max_length=250, blank=True)
    organisation = models.ForeignKey(
        "archive.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="positions",
    )  # fmt: skip
    start_date, start_date_precision = partial_date(_("from"))
    end_date, end_date_precision = partial_date(_("until"))
    as_of = models.CharField(
        _("as reported"), max_length=120, blank=True,
        help_text=_("When dates are unknown: when the source says the post was held."),
    )  # fmt: skip
    as_of_fa = models.CharField(
        _("as reported (Persian)"), max_length=120, blank=True,
        help_text=_("The same words in Persian, for the Persian pages."),
    )  # fmt: skip
    citations = GenericRelation("sources.Citation", related_query_name="position")
    history = HistoricalRecords()

    FACTS = (
        Fact("title_en", _("Title"), general=True, fields=("title_en", "title_fa")),
        Fact("organisation", _("Organisation"), general=True),
        Fact("start_date", _("From"), general=True),
        Fact("end_date", _("Until"), general=True),
        Fact("as_of", _("As reported"), general=True, fields=("as_of", "as_of_fa")),
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["start_date", "pk"]

    def __str__(self):
        return self.title_en or self.title_fa

    def title(self, lang=None):
        lang = lang or get_language() or "en"
        if lang.startswith("fa"):
            return self.title_fa or self.title_en
        return self.title_en or self.title_fa

    def reported(self, lang=None):
        """When the source says the post was held, in the reader's language if given."""
        lang = lang or get_language() or "en"
        if lang.startswith("fa"):
            return self.as_of_fa or self.as_of
        return self.as_of or self.as_of_fa

    def clean(self):
        errors = self.clean_partial_dates()
        if not self.title_en and not self.title_fa:
            errors["title_en"] = _("Give the title in English, in Persian, or both.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end comes before the start.")
        if errors:
            raise ValidationError(errors)


class Statement(PartialDatesMixin, models.Model):
    """Something a perpetrator said in public (an interview, a speech), as reported."""

    perpetrator = models.ForeignKey(
        Perpetrator, on_delete=models.CASCADE, related_name="statements",
        verbose_name=_("perpetrator"),
    )  # fmt: skip
    date, date_precision = partial_date(_("date"))
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fa = models.TextField(_("summary (Persian)"), blank=True)
    quote = models.TextField(_("words as reported"), blank=True)
    citations = GenericRelation("sources.Citation", related_query_name="statement")
    history = HistoricalRecords()

    FACTS = (
        Fact("date", _("Date"), general=True),
        Fact("summary_en", _("Summary"), general=True, fields=("summary_en", "summary_fa")),
        Fact("quote", _("Words as reported"), general=True),
    )

    class Meta:
        verbose_name = _("public statement")
        verbose_name_plural = _("public statements")
        ordering = ["date", "pk"]

    def __str__(self):
        return (self.summary_en or self.summary_fa)[:80]

    def summary(self, lang=None):
        lang = lang or get_language() or "en"
        if lang.startswith("fa"):
            return self.summary_fa or self.summary_en
        return self.summary_en or self.summary_fa

    def clean(self):
        errors = self.clean_partial_dates()
        if not (self.summary_en or self.summary_fa):
            errors["summary_en"] = _("Summarise the statement in English, in Persian, or both.")
        if errors:
            raise ValidationError(errors)


class DossierRendering(models.Model):
    """A dossier's PDF for one record state, language and origin, stored once it is
    rendered, and the lock that lets only one process render it.

    ``key`` names what the bytes depend on (the dossier's content digest, language,
    origin, archive version and renderer: ``archive.dossiers.render.pdf_key``); it is
    unique, so the row a process creates to render a key is a lock that holds across
    workers and machines. Rendering happens outside requests (``render_dossiers``);
    readers are served ``pdf`` or told to come back (see ``dossier_render``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be rendered")
        RENDERING = "rendering", _("being rendered")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    key = models.CharField(_("key"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16)
    ref = models.CharField(_("reference"), max_length=80)
    lang = models.CharField(_("language"), max_length=8)
    origin = models.CharField(
        _("origin"), max_length=255, help_text=_("The site address printed in the PDF.")
    )
    content_digest = models.CharField(_("content digest"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    requested_at = models.DateTimeField(_("requested"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    cpu_seconds = models.FloatField(_("CPU seconds"), null=True, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("dossier rendering")
        verbose_name_plural = _("dossier renderings")
        indexes = [
            models.Index(fields=["kind", "ref", "lang", "origin"], name="dossier_render_which"),
            models.Index(fields=["status", "requested_at"], name="dossier_render_queue"),
        ]

    def __str__(self):
        return f"{self.kind} {self.ref} {self.lang} {self.origin} ({self.status})"
