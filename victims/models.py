"""Victims: people executed, killed, disappeared or dead in custody."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.models import (
    Person,
    PublishableQuerySet,
    name_order_indexes,
    partial_date,
    workflow_permissions,
)


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

    def list_columns(self):
        """What a list row shows (names, date and place of death, fate, event), without
        the long text columns a list never needs."""
        return self.select_related("prison", "event").defer(
            "biography", "name_keys", "aliases", "event__description_en", "event__description_fa"
        )

    def for_commissions(self, commission_ids):
        """Published victims a source links to any of these commissions."""
        return self.published().filter(commission_id__in=list(commission_ids))


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
            # Public lists page by name with a keyset (archive.pagination), in the order of
            # the reader's script; filters narrow the published rows by these keys.
            *name_order_indexes("victim"),
            models.Index(fields=["publication_status", "commission"], name="victim_pub_commission"),
            models.Index(fields=["publication_status", "affiliation"], name="victim_pub_affil"),
            models.Index(fields=["publication_status", "gender"], name="victim_pub_gender"),
            # max(updated_at) versions the cached counts and statistics.
            models.Index(fields=["updated_at"], name="victim_updated"),
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
