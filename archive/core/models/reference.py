"""Reference data records point to: places (and which of them the public may see),
organisations and events, named in both scripts."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.core import provenance
from archive.core.models.partial_dates import partial_date
from archive.core.models.publication import PublicationStatus, Publishable, workflow_permissions


class BilingualNameMixin:
    """``name`` in the reader's language, falling back to the other script."""

    def display_name(self, lang: str | None = None) -> str:
        lang = lang or get_language() or "en"
        if lang.startswith("fa"):
            return self.name_fa or self.name_en
        return self.name_en or self.name_fa

    def __str__(self):
        return self.display_name("en")


class PlaceQuerySet(models.QuerySet):
    def version(self) -> str:
        """A token of everything pages show of these places (names, kind, where they are):
        places keep no time of change (``rows_version``)."""
        from archive.core.pagination import rows_version

        return rows_version(
            self, "slug", "kind", "name_en", "name_fa", "parent_id", "latitude", "longitude"
        )

    def prisons(self):
        return self.filter(kind=Place.Kind.PRISON)

    def public(self):
        """The places the public may see: those a published record uses (a victim's
        prison, place of death or burial place, the seat of a commission), and the places
        those are inside (the city and province of a public prison). The one home of the
        rule: the map, the place pages, the filters, the API and the downloads read it, so
        that a prison only a draft names is shown nowhere."""
        return self.filter(pk__in=public_place_ids())

    def with_coordinates(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def with_cited_coordinates(self):
        """Each place with ``coordinates_cited``: whether a published source is cited for
        its coordinates. The one home of the rule that a place's coordinates are shown
        (on its page, as a marker on the map, in the API and the downloads) only when
        cited: every fact the archive shows is cited. One ``EXISTS`` per place, in the
        same query."""
        return self.annotate(coordinates_cited=cited_claim("coordinates"))


def cited_claim(claim: str) -> models.Exists:
    """Whether a place has a citation of ``claim`` to a published source (the public
    citations' rule, ``Citation.objects.public()``), as an expression for its query. The
    citation's own value must be blank: a source's other version supports nothing
    (``provenance.supports``)."""
    return models.Exists(
        Place._base_manager.filter(
            pk=models.OuterRef("pk"),
            citations__claim=claim,
            citations__value="",
            citations__source__publication_status=PublicationStatus.PUBLISHED,
        )
    )


def place_uses() -> list[tuple[type[models.Model], str]]:
    """(model, field) of every foreign key from a publishable record to a place, read from
    the models (the kernel names no app): victims' prison, place of death and burial
    place, commissions' seat."""
    uses = []
    for relation in Place._meta.related_objects:
        model = relation.related_model
        if relation.one_to_many and issubclass(model, Publishable):
            uses.append((model, relation.field.name))
    return sorted(uses, key=lambda use: (use[0]._meta.label, use[1]))


def public_place_ids() -> frozenset[int]:
    """Ids of the public places (``PlaceQuerySet.public``): one query with an indexed
    ``EXISTS`` per use (never a scan of the victims), one for the parent chain; kept
    under the data's version."""
    from archive.core.pagination import cache_get, cache_key, cache_set
    from archive.core.versions import current_version, site_version

    key = cache_key("public-places", current_version() or site_version())
    found = cache_get(key)
    if found is not None:
        return found
    used = models.Q(pk__in=[])
    for model, field in place_uses():
        used |= models.Exists(
            model._base_manager.filter(
                **{field: models.OuterRef("pk")},
                publication_status=PublicationStatus.PUBLISHED,
            )
        )
    ids = set(Place.objects.filter(used).values_list("pk", flat=True))
    if ids:
        parents = dict(Place.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
        for pk in list(ids):
            seen = 0
            while pk in parents and seen < 20:  # a cycle cannot hang a page
                pk = parents[pk]
                ids.add(pk)
                seen += 1
    found = frozenset(ids)
    cache_set(key, found, 3600)
    return found


# Iran's bounding box, in decimal degrees, with a margin of a few kilometres: every place
# this archive records is in Iran. Its latitudes (25-40) and longitudes (44-63.5) do not
# overlap, so a pair given the wrong way round is told apart from a mistyped one.
IRAN_BOUNDS = {"south": 24.8, "north": 39.9, "west": 43.9, "east": 63.4}


def in_iran(latitude, longitude) -> bool:
    b = IRAN_BOUNDS
    return (
        b["south"] <= float(latitude) <= b["north"] and b["west"] <= float(longitude) <= b["east"]
    )


def coordinate_errors(latitude, longitude) -> dict:
    """What is wrong with a place's coordinates, by field (empty: nothing). Both or
    neither; inside Iran; latitude first (a swapped pair is named as such)."""
    if latitude is None and longitude is None:
        return {}
    if latitude is None or longitude is None:
        missing = "latitude" if latitude is None else "longitude"
        return {missing: _("Give both the latitude and the longitude, or neither.")}
    if in_iran(latitude, longitude):
        return {}
    if in_iran(longitude, latitude):
        return {
            "latitude": _(
                "%(lat)s, %(lon)s is outside Iran, but %(lon)s, %(lat)s is inside: latitude "
                "and longitude seem swapped (the latitude, north, comes first: 25 to 40 in "
                "Iran; the longitude, east, 44 to 63)."
            )
            % {"lat": latitude, "lon": longitude}
        }
    b = IRAN_BOUNDS
    inside_lat = b["south"] <= float(latitude) <= b["north"]
    field_ = "longitude" if inside_lat else "latitude"
    return {
        field_: _(
            "%(lat)s, %(lon)s is outside Iran's bounding box (latitude %(south)s to %(north)s "
            "north, longitude %(west)s to %(east)s east)."
        )
        % {"lat": latitude, "lon": longitude, **b}
    }


def unique_place_slug(place, taken: set[str] | None = None) -> str:
    """A slug for ``place`` from its Latin name (or "place-N"), unique among places."""
    from django.utils.text import slugify

    base = slugify(place.name_en or "")[:70].strip("-") or "place"
    others = Place._base_manager.exclude(pk=place.pk) if place.pk else Place._base_manager
    taken = set(taken or ()) | set(
        others.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken or slug == "place":
        slug = f"{base}-{n}"
        n += 1
    return slug


class Place(BilingualNameMixin, models.Model):
    """A prison, city, province, cemetery or mass grave, named in both scripts."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("country")
        PROVINCE = "province", _("province")
        CITY = "city", _("city")
        PRISON = "prison", _("prison")
        CEMETERY = "cemetery", _("cemetery")
        MASS_GRAVE = "mass_grave", _("mass grave")
        OTHER = "other", _("other")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, blank=True,
        help_text=_("Stable part of the place's URL; made from the Latin name when left blank."),
    )  # fmt: skip
    name_en = models.CharField(
        _("name (Latin script)"), max_length=200, blank=True, help_text=_("e.g. Evin Prison")
    )
    name_fa = models.CharField(
        _("name (Persian script)"), max_length=200, blank=True, help_text=_("e.g. زندان اوین")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("inside"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The city a prison is in, the province a city is in."),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True,
        help_text=_("Optional, for maps; decimal degrees."),
    )  # fmt: skip
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True,
        help_text=_("Optional, for maps; decimal degrees."),
    )  # fmt: skip
    citations = GenericRelation("sources.Citation", related_query_name="place")
    history = HistoricalRecords()

    # What its public page shows (templates/archive/place_detail.html), each a citable
    # claim: where a place is, and what it was, are facts a source gives like any other.
    FACTS = (
        provenance.Fact("name_en", _("Name in Latin script"), general=True),
        provenance.Fact("name_fa", _("Name in Persian script"), general=True),
        provenance.Fact("kind", _("Kind")),
        provenance.Fact("parent", _("Inside")),
        provenance.Fact(
            "coordinates", _("Coordinates"), fields=("latitude", "longitude")
        ),
    )  # fmt: skip

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name_en", "name_fa"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_en="", name_fa=""), name="place_has_a_name"
            )
        ]

    def get_absolute_url(self):
        return reverse("archive:place-detail", kwargs={"slug": self.slug})

    def clean(self):
        if not self.name_en and not self.name_fa:
            raise ValidationError(_("Give the place a name in at least one script."))
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A place cannot be inside itself.")})
            ancestor = ancestor.parent
        errors = coordinate_errors(self.latitude, self.longitude)
        if errors:
            raise ValidationError(errors)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def shows_coordinates(self) -> bool:
        """Whether its coordinates may be shown: given and cited (read from
        ``PlaceQuerySet.with_cited_coordinates``; a place read without it shows none)."""
        return self.has_coordinates and bool(getattr(self, "coordinates_cited", False))

    def ancestors(self):
        node, chain = self.parent, []
        while node is not None and len(chain) < 10:
            chain.append(node)
            node = node.parent
        return chain


class Organisation(BilingualNameMixin, models.Model):
    """A state body (judiciary, ministry, Revolutionary Guards) or a political
    organisation prisoners were affiliated with."""

    class Kind(models.TextChoices):
        STATE = "state", _("state body")
        POLITICAL = "political", _("political organisation")
        NGO = "ngo", _("non-governmental organisation")
        INTERNATIONAL = "international", _("international body")
        MEDIA = "media", _("media")
        OTHER = "other", _("other")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    name_en = models.CharField(_("name (Latin script)"), max_length=250, blank=True)
    name_fa = models.CharField(_("name (Persian script)"), max_length=250, blank=True)
    abbreviation = models.CharField(
        _("abbreviation"), max_length=30, blank=True, help_text=_("e.g. PMOI, JVMI")
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_en", "name_fa"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_en="", name_fa=""), name="organisation_has_a_name"
            )
        ]

    def clean(self):
        if not self.name_en and not self.name_fa:
            raise ValidationError(_("Give the organisation a name in at least one script."))


class Event(BilingualNameMixin, Publishable):
    """A mass killing or crackdown that victims are linked to (the 1988 massacre,
    the November 2019 protests)."""

    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("Stable part of the event's URL.")
    )
    name_en = models.CharField(_("name (Latin script)"), max_length=200, blank=True)
    name_fa = models.CharField(_("name (Persian script)"), max_length=200, blank=True)
    start_date, start_date_precision = partial_date(_("start"))
    end_date, end_date_precision = partial_date(_("end"))
    description_en = models.TextField(
        _("description (English)"), blank=True,
        help_text=_("What the sources say, attributed; cite each claim below."),
    )  # fmt: skip
    description_fa = models.TextField(_("description (Persian)"), blank=True)
    citations = GenericRelation("sources.Citation", related_query_name="event")
    history = HistoricalRecords()

    # What its public page shows (templates/archive/event_detail.html), each cited.
    FACTS = (
        provenance.Fact("name_en", _("Name in Latin script"), general=True),
        provenance.Fact("name_fa", _("Name in Persian script"), general=True),
        provenance.Fact("start_date", _("From")),
        provenance.Fact("end_date", _("Until")),
        provenance.Fact(
            "description_en", _("Description"), text=True,
            fields=("description_en", "description_fa"),
        ),
    )  # fmt: skip

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start_date", "slug"]
        permissions = workflow_permissions("event", "events")

    def get_absolute_url(self):
        return reverse("archive:event-detail", kwargs={"slug": self.slug})

    def description(self, lang: str | None = None) -> str:
        lang = lang or get_language() or "en"
        if lang.startswith("fa"):
            return self.description_fa or self.description_en
        return self.description_en or self.description_fa
