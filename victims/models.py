"""Victims: people executed, killed, disappeared or dead in custody."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.models import Person, PublishableQuerySet, partial_date, workflow_permissions
from victims.attachments import attachment_upload_to, private_storage
from victims.encryption import ContactField


class Fate(models.TextChoices):
    EXECUTED = "executed", _("executed")
    DIED_IN_CUSTODY = "died_in_custody", _("died in custody")
    KILLED_PROTESTING = "killed_protesting", _("killed while protesting")
    DISAPPEARED = "disappeared", _("forcibly disappeared")
    KILLED = "killed", _("killed (other circumstances)")
    UNKNOWN = "unknown", _("unknown")


class VictimQuerySet(PublishableQuerySet):
    def search(self, q: str):
        from archive.search import search

        return search(self, q)

    def with_related(self):
        """What a list or a detail page shows, in a constant number of queries."""
        return self.select_related(
            "prison", "prison__parent", "event", "affiliation", "death_place", "burial_place"
        )


class Victim(Person):
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
        _("fate"), max_length=20, choices=Fate.choices, default=Fate.UNKNOWN, db_index=True
    )
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
    citations = GenericRelation("sources.Citation", related_query_name="victim")
    history = HistoricalRecords()

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
        ]

    def get_absolute_url(self):
        return reverse("victims:victim-detail", kwargs={"ref": self.ref})

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
