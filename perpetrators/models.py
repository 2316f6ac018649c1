"""Perpetrators: the members of the Death Commissions, their commissions, their
careers before and since, and what they have said in public."""

from __future__ import annotations

from django.conf import settings
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
    history_user,
    merge_target,
    name_order_indexes,
    partial_date,
    redirect_for_ref,
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

    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="merged_records", editable=False,
        help_text=_("Set when this record was found to be the same person as another and "
                    "merged into it: its old address redirects there."),
    )  # fmt: skip
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

    def merge_target(self) -> Perpetrator | None:
        """The published record this one was merged into, following merges of merges."""
        return merge_target(self)

    @classmethod
    def redirect_for_ref(cls, ref: str) -> Perpetrator | None:
        """The published record a merged ``ref`` now lives at, if it was ever public."""
        return redirect_for_ref(cls, ref)

    def possible_duplicates(self):
        """Review-queue pairs this record is in that nobody has decided yet."""
        return PerpetratorPair.objects.involving(self).filter(
            status=PerpetratorPair.Status.PROPOSED
        )

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
    JUDGE = "judge", _("judge (of a court)")
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


# --- Duplicates and merges ----------------------------------------------------------------


class PerpetratorPairQuerySet(models.QuerySet):
    def involving(self, perpetrator):
        return self.filter(
            models.Q(perpetrator_a=perpetrator) | models.Q(perpetrator_b=perpetrator)
        )

    def proposed(self):
        return self.filter(status=PerpetratorPair.Status.PROPOSED)


class PerpetratorPair(models.Model):
    """Two perpetrator records that may be one official (lists of commission members spell
    names their own way), as ``find_duplicates perpetrators`` proposed them, and a
    researcher's decision. A pair marked "different people" is never proposed again."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        SAME = "same", _("same person")
        DIFFERENT = "different", _("different people")

    perpetrator_a = models.ForeignKey(
        Perpetrator, verbose_name=_("record A"), on_delete=models.CASCADE, related_name="+",
        help_text=_("The record with the lower id."),
    )  # fmt: skip
    perpetrator_b = models.ForeignKey(
        Perpetrator, verbose_name=_("record B"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(
        _("score"), default=0, help_text=_("From 0 to 1: how likely the two are one person.")
    )
    reasons = models.TextField(_("reasons"), blank=True, help_text=_("Why, in words."))
    status = models.CharField(
        _("decision"), max_length=10, choices=Status.choices, default=Status.PROPOSED,
        db_index=True,
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = PerpetratorPairQuerySet.as_manager()

    class Meta:
        verbose_name = _("possible duplicate perpetrator")
        verbose_name_plural = _("possible duplicate perpetrators")
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["perpetrator_a", "perpetrator_b"], name="perpetrator_pair_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(perpetrator_a__lt=models.F("perpetrator_b")),
                name="perpetrator_pair_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.perpetrator_a} / {self.perpetrator_b}"

    @staticmethod
    def ordered(first: Perpetrator, second: Perpetrator) -> tuple[Perpetrator, Perpetrator]:
        return (first, second) if first.pk < second.pk else (second, first)

    def decide(self, status: str, *, user) -> None:
        from django.utils import timezone

        account = history_user(user)
        self.status = status
        self.decided_by = account
        self.decided_at = timezone.now()
        self._history_user = account
        self.save()


class PerpetratorMerge(models.Model):
    """What one merge of perpetrators changed (seats, posts, statements, citations and
    pairs moved; both records' history rows before), so that it can be undone."""

    keep = models.ForeignKey(
        Perpetrator, verbose_name=_("kept record"), on_delete=models.PROTECT, related_name="+"
    )
    other = models.ForeignKey(
        Perpetrator, verbose_name=_("merged record"), on_delete=models.PROTECT, related_name="+"
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("merged by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    keep_history_id = models.PositiveBigIntegerField(
        _("kept record's history row before"), null=True, blank=True
    )
    other_history_id = models.PositiveBigIntegerField(
        _("merged record's history row before"), null=True, blank=True
    )
    moved = models.JSONField(_("what moved"), default=dict, blank=True)
    conflicts = models.JSONField(_("conflicting values"), default=dict, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("undone by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("perpetrator merge")
        verbose_name_plural = _("perpetrator merges")
        ordering = ["-merged_at"]

    def __str__(self):
        return f"{self.other.ref} → {self.keep.ref}"
