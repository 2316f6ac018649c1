"""Victims: people executed, killed, disappeared or dead in custody."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import ExtractYear, Greatest
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.core.compiled import CompiledRead
from archive.core.kept_records import KeptRecords
from archive.core.models import (
    IMPORTED_HISTORY,
    Person,
    Place,
    PublicationStatus,
    PublishableQuerySet,
    history_user,
    merge_target,
    name_order_indexes,
    partial_date,
    redirect_for_ref,
    workflow_permissions,
)
from archive.core.provenance import Fact
from archive.core.versions import for_this_version
from victims.attachments import attachment_upload_to, private_storage
from victims.encryption import ContactField
from victims.hearings import (  # noqa: F401  (the models live there; registered with the app)
    ChargeCategory,
    Hearing,
    HearingOfficial,
    hearing_parts,
    prefetch_hearing_parts,
)
from victims.person import FamilyAftermath, PersonDetails
from victims.relations import FamilyRelation


class Fate(models.TextChoices):
    EXECUTED = "executed", _("executed")
    DIED_IN_CUSTODY = "died_in_custody", _("died in custody")
    KILLED_PROTESTING = "killed_protesting", _("killed while protesting")
    DISAPPEARED = "disappeared", _("forcibly disappeared")
    KILLED = "killed", _("killed (other circumstances)")
    UNKNOWN = "unknown", _("unknown")


class VictimQuerySet(PublishableQuerySet):
    def search(self, q: str):
        """The people search's ranked matches for ``q`` (``archive.core.search.Ranked``):
        the one way into the search for the lists, the API and the admin."""
        from archive.core.search import search

        return search(self, q)

    def page_read(self, ref: str):
        """The published victim ``ref`` as its page reads it (``Victim.for_page``), with
        whether it has any hearing or family relation at all (``any_hearing``,
        ``any_relation``): most have neither, and the queries that read them as the page
        shows them (``shown_hearings``, ``shown_relations``) cost 7 ms of Python to
        build at a million people, a third of the page's, to find nothing."""
        return (
            self.published()
            .annotate(
                any_hearing=models.Exists(Hearing.objects.filter(victim=models.OuterRef("pk"))),
                any_relation=models.Exists(FamilyRelation.objects.of(models.OuterRef("pk"))),
            )
            .filter(ref=ref)
        )

    def list_columns(self):
        """What a list row shows (names, date and place of death, fate, event), without
        the long text columns a list never needs."""
        return self.select_related("prison", "event").defer(
            "biography", "name_keys", "aliases", "event__description_en", "event__description_fa"
        )

    def for_commissions(self, commission_ids):
        """Published victims a source links to any of these commissions."""
        return self.published().filter(commission_id__in=list(commission_ids))

    def with_age(self):
        """``age_low`` and ``age_high``: the age at death as ``archive.core.ages.age_at_death``
        gives it from a year of birth and a date of death at its precision, in SQL (for
        the filter and the statistics; tests/person/test_age.py holds the two together).
        A year of birth alone: the oldest age is the difference of the years; the
        youngest one less, unless the person died on 31 December. Null without both."""
        high = ExtractYear("death_date") - models.F("birth_year")
        last_day = models.Q(
            death_date_precision__in=["day", ""], death_date__month=12, death_date__day=31
        )
        low = models.Case(models.When(last_day, then=high), default=high - 1)
        return self.annotate(
            age_high=models.ExpressionWrapper(high, output_field=models.IntegerField()),
            age_low=Greatest(low, models.Value(0), output_field=models.IntegerField()),
        ).filter(birth_year__isnull=False, death_date__isnull=False)

    def in_age_group(self, group):
        """Victims whose age at death may fall in ``group`` (an ``ages.AgeGroup``): a
        range across a boundary is found in both groups (``archive.core.ages``)."""
        found = self.with_age().filter(age_high__gte=group.low)
        if group.high is not None:
            found = found.filter(age_low__lte=group.high)
        return found


class Victim(PersonDetails, FamilyAftermath, Person):
    """A person killed, executed, disappeared or dead in custody, with every known fact
    cited to a source."""

    affiliation = models.ForeignKey(
        "archive.Organisation", verbose_name=_("affiliation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="affiliated_victims",
        help_text=_("Political organisation the person was said to belong to or support."),
    )  # fmt: skip
    arrest_date, arrest_date_precision = partial_date(_("date of arrest"))
    prison = models.ForeignKey(
        "archive.Place", verbose_name=_("prison"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="prisoners",
        limit_choices_to={"kind": "prison"},
    )  # fmt: skip
    fate = models.CharField(
        _("fate"), max_length=20, choices=Fate.choices, default=Fate.UNKNOWN
    )  # indexed in Meta (no pattern copy for LIKE: nothing asks it of a fate)
    death_date, death_date_precision = partial_date(_("date of death"))
    death_place = models.ForeignKey(
        "archive.Place", verbose_name=_("place of death"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="deaths",
    )  # fmt: skip
    burial_place = models.ForeignKey(
        "archive.Place", verbose_name=_("burial place"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="burials",
        help_text=_("Cemetery or mass grave, where known."),
    )  # fmt: skip
    event = models.ForeignKey(
        "archive.Event", verbose_name=_("event"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="victims",
    )  # fmt: skip
    commission = models.ForeignKey(
        "perpetrators.Commission", verbose_name=_("commission"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="victims",
        help_text=_(
            "The Death Commission that decided this person's fate, where a source says so."
        ),
    )  # fmt: skip
    photo = models.ImageField(
        _("photo"), upload_to="victims/photos/", blank=True,
        help_text=_("Only with the family's consent."),
    )  # fmt: skip
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="merged_records", editable=False,
        help_text=_("Set when this record was found to be the same person as another and "
                    "merged into it: its old address redirects there."),
    )  # fmt: skip
    citations = GenericRelation("sources.Citation", related_query_name="victim")
    # The history is read by record (its id), by date and by who (the change log,
    # a record's history, a merge's undo); an index on its other columns would be
    # written for every saved or imported victim and read by nothing. Who made a change
    # is set by the archive's code (the signed-in user, an import's --as), and a
    # deleted account's rows are emptied by Django (SET_NULL), so the database does not
    # check the link again for every row an import writes (``IMPORTED_HISTORY``).
    history = HistoricalRecords(
        no_db_index=[
            "ref", "publication_status", "gender", "fate", "affiliation", "birth_place",
            "burial_place", "commission", "death_place", "event", "prison", "merged_into",
        ],
        **IMPORTED_HISTORY,
    )  # fmt: skip

    # What its public page shows (templates/victims/victim_detail.html), in that order:
    # each needs a citation to a published source before the record is published.
    FACTS = (
        *Person.NAME_FACTS,
        Fact("father_name", _("Father's name")),
        Fact("gender", _("Gender")),
        Fact("birth_year", _("Year of birth")),
        Fact("affiliation", _("Affiliation")),
        Fact("arrest_date", _("Date of arrest")),
        Fact("prison", _("Prison")),
        Fact("fate", _("Fate"), blank=(Fate.UNKNOWN,)),
        Fact("death_date", _("Date of death")),
        Fact("death_place", _("Place of death")),
        Fact("burial_place", _("Burial place")),
        Fact("event", _("Event")),
        Fact("commission", _("Commission")),
        *PersonDetails.PERSON_FACTS,
        Fact("biography", _("Biography"), text=True),
        *FamilyAftermath.FAMILY_FACTS,
    )

    objects = VictimQuerySet.as_manager()

    class Meta:
        verbose_name = _("victim")
        verbose_name_plural = _("victims")
        ordering = ["name_latin", "name_fa"]
        permissions = workflow_permissions("victim", "victims")
        indexes = [
            models.Index(fields=["publication_status", "death_date"], name="victim_pub_death"),
            models.Index(fields=["publication_status", "prison"], name="victim_pub_prison"),
            models.Index(fields=["publication_status", "event"], name="victim_pub_event"),
            models.Index(fields=["publication_status", "fate"], name="victim_pub_fate"),
            models.Index(fields=["publication_status", "-published_at"], name="victim_pub_latest"),
            # Public lists page by name with a keyset (archive.core.pagination), in the order of
            # the reader's script; filters narrow the published rows by these keys.
            *name_order_indexes("victim"),
            models.Index(fields=["publication_status", "commission"], name="victim_pub_commission"),
            models.Index(fields=["publication_status", "affiliation"], name="victim_pub_affil"),
            models.Index(fields=["publication_status", "gender"], name="victim_pub_gender"),
            # The list's filters and the statistics by occupation, religion, ethnicity.
            models.Index(fields=["publication_status", "occupation"], name="victim_pub_occupation"),
            models.Index(fields=["publication_status", "religion"], name="victim_pub_religion"),
            models.Index(fields=["publication_status", "ethnicity"], name="victim_pub_ethnicity"),
            # The sitemap's pages: the published victims before a page counted in it,
            # not read (``archive.public.sitemaps``).
            models.Index(
                fields=["id"],
                condition=models.Q(publication_status=PublicationStatus.PUBLISHED),
                name="victim_published_id",
            ),
            # max(updated_at) versions the cached counts and statistics.
            models.Index(fields=["updated_at"], name="victim_updated"),
            # The admin's list, in the model's order across every status (Django adds the
            # key, descending, to make the order total): without it each page of the list
            # sorted the whole table, 0.66-0.78 s at a million people.
            models.Index(fields=["name_latin", "name_fa", "-id"], name="victim_admin_order"),
            # The admin's filters, across every status.
            models.Index(fields=["gender"], name="victim_gender"),
            models.Index(fields=["fate"], name="victim_fate"),
        ]

    def get_absolute_url(self):
        return reverse("victims:victim-detail", kwargs={"ref": self.ref})

    def merge_target(self) -> Victim | None:
        """The published record this one was merged into, following merges of merges."""
        return merge_target(self)

    # What a record's page names from other tables, by the victim's field: the places
    # (each with the city it lies in), the event, the affiliation and the commission.
    PAGE_NAMED = (
        "prison", "death_place", "burial_place", "birth_place", "event", "affiliation",
        "commission",
    )  # fmt: skip

    @classmethod
    def for_page(cls, ref: str, *, named: bool = True) -> Victim:
        """The published victim ``ref`` with everything its page shows from other
        tables, in one query of its own (``VictimQuerySet.page_read``, compiled once:
        ``archive.core.compiled``). The places, event, organisation and commission it
        names are kept per worker and data version as pages ask for them
        (``archive.core.kept_records``), instead of joined in or read on every page:
        the joins cost more to compile than the page's query took to run. ``named=False``
        leaves them unread (the API names them from ``VictimLinks``). Raises
        ``DoesNotExist``."""
        found = _PAGE_READ.all(ref)
        if not found:
            raise cls.DoesNotExist(f"no published victim {ref!r}")
        victim = found[0]
        if named:
            kept = for_this_version("victim-page-named", _page_named)
            kept.attach([victim], cls.PAGE_NAMED)
        return victim

    @classmethod
    def redirect_for_ref(cls, ref: str) -> Victim | None:
        """The published record a merged ``ref`` now lives at, if it was ever public."""
        return redirect_for_ref(cls, ref)

    def age_at_death(self):
        """``archive.core.ages.Age``, or None where a date is missing."""
        from archive.core.ages import age_at_death, birth_of_year

        return age_at_death(birth_of_year(self.birth_year), self.partial("death_date"))

    def family_relations(self):
        return FamilyRelation.objects.of(self).select_related("from_victim", "to_victim")

    def possible_duplicates(self):
        """Review-queue pairs this record is in that nobody has decided yet."""
        return DuplicatePair.objects.involving(self).filter(status=DuplicatePair.Status.PROPOSED)

    def cited_parts(self) -> list:
        """The records its public page shows with it, each cited on its own: its hearings
        and the (published) officials who sat at them (``victims.hearings``), and the
        family relations to people who are published (a relation to a draft is not
        shown)."""
        if "_relations" in getattr(self, "_prefetched_parts", {}):
            relations = self._prefetched_parts["_relations"]
        else:
            relations = self.family_relations()
        return [*hearing_parts(self), *(r for r in relations if r.other(self).is_published)]

    @classmethod
    def prefetch_cited_parts(cls, victims) -> None:
        """Reads the hearings and relations of many victims in one query per kind (the
        gate's checks of every record a source supports)."""
        victims = list(victims)
        prefetch_hearing_parts(victims)
        by_pk = {victim.pk: [] for victim in victims}
        found = FamilyRelation.objects.filter(
            models.Q(from_victim__in=list(by_pk)) | models.Q(to_victim__in=list(by_pk))
        ).select_related("from_victim", "to_victim")
        for relation in found:
            for pk in (relation.from_victim_id, relation.to_victim_id):
                if pk in by_pk:
                    by_pk[pk].append(relation)
        for victim in victims:
            victim._prefetched_parts = {"_relations": by_pk[victim.pk]}

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if self.birth_year and self.death_date and self.death_date.year < self.birth_year:
            errors.setdefault("death_date", []).append(
                _("The date of death is before the year of birth.")
            )
        if self.arrest_date and self.death_date and self.death_date < self.arrest_date:
            errors.setdefault("death_date", []).append(
                _("The date of death is before the date of arrest.")
            )
        if errors:
            raise ValidationError(errors)


_PAGE_READ = CompiledRead(Victim, lambda ref: Victim.objects.page_read(ref))


def _page_named() -> KeptRecords:
    return KeptRecords(follow={Place: ("parent",)})  # a place's page names its city


# --- Duplicates and merges -----------------------------------------------------------------


class PlaceTally(models.Model):
    """Published victims per place, kept by the database's triggers as victims are
    written (``victims.tallies``): a place's tally is the sum of its rows (about one;
    one more per transaction writing its victims at that moment). Nothing in Python
    writes it but ``tallies.recount``."""

    place = models.ForeignKey(
        "archive.Place", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    held = models.IntegerField(default=0)
    killed = models.IntegerField(default=0)
    buried = models.IntegerField(default=0)
    victims = models.IntegerField(default=0)

    class Meta:
        db_table = "victims_place_tally"
        default_permissions = ()

    def __str__(self):
        return f"place {self.place_id}: {self.victims} published victims"


class FacetTally(models.Model):
    """Published victims per value of a counted fact (fate, event, year and age at
    death, ...), kept by the database's triggers as victims are written
    (``victims.facet_tallies``): a value's count is the sum of its rows. Nothing in
    Python writes it but ``FACET_TALLIES.recount``."""

    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=64, blank=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        db_table = "victims_facet_tally"
        default_permissions = ()
        indexes = [models.Index(fields=["facet", "value"], name="victim_facet_tally_key")]

    def __str__(self):
        return f"{self.facet} {self.value}: {self.n} published victims"


class DuplicatePairQuerySet(models.QuerySet):
    def involving(self, victim):
        return self.filter(models.Q(victim_a=victim) | models.Q(victim_b=victim))

    def proposed(self):
        return self.filter(status=DuplicatePair.Status.PROPOSED)


class DuplicatePair(models.Model):
    """Two victim records that may be the same person, as ``find_duplicates`` proposed
    them, and a researcher's decision on them. A pair marked "different people" is
    remembered and never proposed again."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        SAME = "same", _("same person")
        DIFFERENT = "different", _("different people")

    victim_a = models.ForeignKey(
        Victim, verbose_name=_("record A"), on_delete=models.CASCADE, related_name="+",
        help_text=_("The record with the lower id."),
    )  # fmt: skip
    victim_b = models.ForeignKey(
        Victim, verbose_name=_("record B"), on_delete=models.CASCADE, related_name="+"
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

    objects = DuplicatePairQuerySet.as_manager()

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["victim_a", "victim_b"], name="duplicate_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(victim_a__lt=models.F("victim_b")), name="duplicate_pair_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.victim_a} / {self.victim_b}"

    @staticmethod
    def ordered(first: Victim, second: Victim) -> tuple[Victim, Victim]:
        return (first, second) if first.pk < second.pk else (second, first)

    def decide(self, status: str, *, user) -> None:
        from django.utils import timezone

        account = history_user(user)
        self.status = status
        self.decided_by = account
        self.decided_at = timezone.now()
        self._history_user = account
        self.save()


class MergeRecord(models.Model):
    """What one merge changed, so that it can be undone: which citations, submissions
    and pairs moved from the merged record to the kept one, and the history rows of both
    records just before the merge."""

    keep = models.ForeignKey(
        Victim, verbose_name=_("kept record"), on_delete=models.PROTECT, related_name="+"
    )
    other = models.ForeignKey(
        Victim, verbose_name=_("merged record"), on_delete=models.PROTECT, related_name="+"
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
    moved = models.JSONField(
        _("what moved"), default=dict,
        help_text=_("Ids of the citations, submissions and pairs moved to the kept record."),
    )  # fmt: skip
    conflicts = models.JSONField(
        _("conflicting values"), default=dict,
        help_text=_("Field: [kept value, other value], and which one was chosen."),
    )  # fmt: skip
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("undone by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at"]

    def __str__(self):
        return f"{self.other.ref} → {self.keep.ref}"


# --- Families' submissions ---------------------------------------------------------------


class SubmissionQuerySet(models.QuerySet):
    def awaiting(self):
        """What the moderation queue still has to look at."""
        return self.filter(status__in=[Submission.Status.NEW, Submission.Status.IN_REVIEW])


class Submission(models.Model):
    """What a family sent through the public form. Never shown publicly: researchers read
    it in the moderation queue and turn what they can verify into records, citing it as a
    private testimony. No IP address or other trace of the sender is kept; contact details
    are optional and encrypted."""

    class Status(models.TextChoices):
        NEW = "new", _("received")
        IN_REVIEW = "in_review", _("in review")
        USED = "used", _("used")
        DECLINED = "declined", _("declined")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True,
        help_text=_("The submitter sees this status, and nothing else, with their receipt code."),
    )  # fmt: skip
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    language = models.CharField(
        _("language of the form"), max_length=8, blank=True,
        help_text=_("The language the submitter used the form in."),
    )  # fmt: skip
    victim = models.ForeignKey(
        Victim, verbose_name=_("about the victim"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="submissions",
        help_text=_("The published victim the submitter wrote about, when sent from their page."),
    )  # fmt: skip
    name_latin = models.CharField(_("name (Latin script)"), max_length=200, blank=True)
    name_fa = models.CharField(_("name (Persian script)"), max_length=200, blank=True)
    father_name = models.CharField(_("father's name"), max_length=200, blank=True)
    gender = models.CharField(
        _("gender"), max_length=10, blank=True,
        choices=[("male", _("male")), ("female", _("female")), ("other", _("other"))],
    )  # fmt: skip
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth (Gregorian)"), null=True, blank=True,
        help_text=_("Converted from the Solar Hijri year when the submitter gave one."),
    )  # fmt: skip
    birth_year_as_given = models.CharField(_("year of birth as given"), max_length=20, blank=True)
    arrest = models.CharField(
        _("arrest"), max_length=500, blank=True, help_text=_("When and where, as given.")
    )
    prison = models.CharField(
        _("prison"), max_length=500, blank=True, help_text=_("Prisons, as given.")
    )
    death = models.CharField(
        _("date and place of death"), max_length=500, blank=True, help_text=_("As given.")
    )
    fate = models.CharField(_("fate"), max_length=20, choices=Fate.choices, blank=True)
    burial = models.CharField(_("burial"), max_length=500, blank=True, help_text=_("As given."))
    account = models.TextField(_("account"), blank=True, help_text=_("The submitter's own words."))
    relation = models.CharField(_("relation to the person"), max_length=200, blank=True)
    # Empty is stored as NULL: the library encrypts "" to None.
    contact = ContactField(
        _("contact details"), null=True, blank=True,
        help_text=_("Encrypted; shown only to staff allowed to see contact details."),
    )  # fmt: skip
    consent = models.BooleanField(_("consent to the use described on the form"), default=False)
    photo_consent = models.BooleanField(
        _("photos may be shown publicly"), default=False,
        help_text=_("The submitter agreed that the photos they sent may be shown on the "
                    "person's public page."),
    )  # fmt: skip
    receipt_hash = models.CharField(
        _("receipt code (hashed)"), max_length=64, unique=True, editable=False
    )
    staff_notes = models.TextField(
        _("staff notes"), blank=True, help_text=_("Never shown to the submitter or the public.")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    created_victim = models.ForeignKey(
        Victim, verbose_name=_("victim record made from it"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    created_source = models.ForeignKey(
        "sources.Source", verbose_name=_("testimony source made from it"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    # The moderation decisions are kept with who made them; the family's words, names and
    # contact details are not copied into the history, so deleting a submission (a family
    # may ask us to) really deletes them.
    history = HistoricalRecords(
        excluded_fields=[
            "name_latin", "name_fa", "father_name", "gender", "birth_year",
            "birth_year_as_given", "arrest", "prison", "death", "fate", "burial", "account",
            "relation", "contact", "receipt_hash", "language", "photo_consent", "consent",
        ]
    )  # fmt: skip

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-received_at"]
        permissions = [
            ("view_submission_contact", "Can see the contact details of submitters"),
        ]

    def __str__(self):
        name = self.name_latin or self.name_fa or (self.victim and str(self.victim)) or "—"
        return f"#{self.pk} {name}"

    @property
    def person_name(self) -> str:
        return self.name_latin or self.name_fa or (self.victim.name_latin if self.victim else "")

    def filled_fields(self) -> list[str]:
        """Which facts the submitter gave (field names), for the staff summary."""
        names = ["name_latin", "name_fa", "father_name", "gender", "birth_year", "arrest",
                 "prison", "death", "fate", "burial", "account", "relation"]  # fmt: skip
        return [n for n in names if getattr(self, n) not in ("", None)]


class SubmissionAttachment(models.Model):
    """A photo or scan a family sent, re-encoded from its pixels (no metadata), stored
    under a random name outside the public media folder."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE,
        related_name="attachments",
    )  # fmt: skip
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=attachment_upload_to, max_length=200
    )
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, db_index=True,
        help_text=_("Of the stored file; the same picture sent twice has the same value."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.submission_id}/{self.pk} ({self.content_type}, {self.width}×{self.height})"

    @property
    def extension(self) -> str:
        return "png" if self.content_type == "image/png" else "jpg"


@receiver(post_delete, sender=SubmissionAttachment)
def _delete_attachment_file(sender, instance, **kwargs):
    # A deleted submission (cascade included) leaves nothing on disk.
    if instance.file:
        instance.file.delete(save=False)
