"""Family relations between victims' records (siblings, spouses, parent and child, both
killed): stored once, read from either side.

A relation says "``from_victim`` is the ``kind`` of ``to_victim``" ("A is the parent of
B"); B's page reads it the other way ("child of A"). One relation per pair of people,
whichever way it was entered: the database refuses a second (``one_relation_per_pair``)
and a person related to themself (``relation_not_self``); ``clean`` says so in words.

It is a cited record of its own (``FACTS``, ``citations``), shown on a published page only
when both people are published and a published source supports it
(``FamilyRelationQuerySet.shown``); the publication gate counts it as a part of each
person's page once the other is published (``Victim.cited_parts``).
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.core.provenance import GENERAL, PUBLISHED, Fact


class Kind(models.TextChoices):
    PARENT = "parent", _("parent")
    CHILD = "child", _("child")
    SIBLING = "sibling", _("sibling")
    SPOUSE = "spouse", _("spouse")


INVERSE = {Kind.PARENT: Kind.CHILD, Kind.CHILD: Kind.PARENT}

# How a page names the other person: "Child of", as seen from the page's person.
SEEN_AS = {
    Kind.PARENT: _("Parent of"),
    Kind.CHILD: _("Child of"),
    Kind.SIBLING: _("Sibling of"),
    Kind.SPOUSE: _("Spouse of"),
}

# Words a file may use for a kind, besides its value and its labels in both languages:
# gendered words in English and Persian, which the relation itself does not record.
SYNONYMS = {
    "father": Kind.PARENT, "mother": Kind.PARENT, "پدر": Kind.PARENT, "مادر": Kind.PARENT,
    "son": Kind.CHILD, "daughter": Kind.CHILD, "پسر": Kind.CHILD, "دختر": Kind.CHILD,
    "فرزند": Kind.CHILD,
    "brother": Kind.SIBLING, "sister": Kind.SIBLING, "برادر": Kind.SIBLING,
    "خواهر": Kind.SIBLING,
    "husband": Kind.SPOUSE, "wife": Kind.SPOUSE, "شوهر": Kind.SPOUSE, "همسر": Kind.SPOUSE,
}  # fmt: skip


def inverse(kind: str) -> str:
    return INVERSE.get(kind, kind)


class FamilyRelationQuerySet(models.QuerySet):
    def of(self, victim):
        return self.filter(models.Q(from_victim=victim) | models.Q(to_victim=victim))

    def between_published(self):
        return self.filter(
            from_victim__publication_status=PUBLISHED, to_victim__publication_status=PUBLISHED
        )

    def supported(self):
        """Relations a published source supports (a citation of the relation, or of the
        record as a whole, that gives no other value)."""
        from sources.models import Citation

        return self.filter(
            models.Exists(
                Citation.objects.public()
                .filter(
                    content_type__app_label="victims",
                    content_type__model="familyrelation",
                    object_id=models.OuterRef("pk"),
                    claim__in=["kind", GENERAL],
                )
                .filter(models.Q(value="") | models.Q(value=models.OuterRef("kind")))
            )
        )

    def shown(self):
        """What the public sees: both people published, the relation cited."""
        return self.between_published().supported()


class FamilyRelation(models.Model):
    from_victim = models.ForeignKey(
        "victims.Victim", verbose_name=_("person"), on_delete=models.CASCADE,
        related_name="relations_from",
    )  # fmt: skip
    kind = models.CharField(
        _("is the"), max_length=10, choices=Kind.choices,
        help_text=_("Read as: the first person is the parent, child, sibling or spouse of the "
                    "second."),
    )  # fmt: skip
    to_victim = models.ForeignKey(
        "victims.Victim", verbose_name=_("of"), on_delete=models.CASCADE,
        related_name="relations_to",
    )  # fmt: skip
    citations = GenericRelation("sources.Citation", related_query_name="family_relation")
    history = HistoricalRecords()

    # Shown on both people's pages; a general citation ("the sources name them as
    # brothers") covers it as well as one of the relation itself.
    FACTS = (Fact("kind", _("Family relation"), general=True),)

    objects = FamilyRelationQuerySet.as_manager()

    class Meta:
        verbose_name = _("family relation")
        verbose_name_plural = _("family relations")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_victim=models.F("to_victim")), name="relation_not_self"
            ),
            models.UniqueConstraint(
                Least("from_victim", "to_victim"),
                Greatest("from_victim", "to_victim"),
                name="one_relation_per_pair",
            ),
        ]

    def __str__(self):
        return f"{self.from_victim} — {self.get_kind_display()} — {self.to_victim}"

    def other(self, victim):
        """The other person, seen from ``victim``'s page."""
        return self.to_victim if self.from_victim_id == victim.pk else self.from_victim

    def kind_for(self, victim) -> str:
        """What ``victim`` is to the other person: the kind itself from the first
        person's side, its inverse from the second's."""
        return self.kind if self.from_victim_id == victim.pk else inverse(self.kind)

    def label_for(self, victim) -> str:
        return SEEN_AS[self.kind_for(victim)]

    def clean(self):
        errors = {}
        if self.from_victim_id and self.from_victim_id == self.to_victim_id:
            errors["to_victim"] = _(
                "A person cannot be related to themself: choose another record."
            )
        elif self.from_victim_id and self.to_victim_id:
            same_pair = FamilyRelation.objects.filter(
                models.Q(from_victim_id=self.from_victim_id, to_victim_id=self.to_victim_id)
                | models.Q(from_victim_id=self.to_victim_id, to_victim_id=self.from_victim_id)
            ).exclude(pk=self.pk)
            existing = same_pair.select_related("from_victim", "to_victim").first()
            if existing is not None:
                errors["to_victim"] = _(
                    "These two people are already related: %(relation)s. Change that relation "
                    "instead of adding a second."
                ) % {"relation": existing}
        if errors:
            raise ValidationError(errors)
