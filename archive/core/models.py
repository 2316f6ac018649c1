"""The archive's shared core: places, events, organisations, partial dates, people's
names and the publication workflow that every public record goes through."""

from __future__ import annotations

import datetime
import functools
import secrets

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.core import provenance
from archive.core.caching import forget_previous
from archive.core.dates import DAY, MONTH, YEAR, PartialDate, YearError, read_year


class DatePrecision(models.TextChoices):
    YEAR = YEAR, _("year")
    MONTH = MONTH, _("month")
    DAY = DAY, _("day")


def partial_date(verbose_name, help_text=""):
    """A Gregorian date and its precision, declared as two fields:
    ``death_date, death_date_precision = partial_date(_("date of death"))``."""
    return (
        models.DateField(
            verbose_name,
            null=True,
            blank=True,
            help_text=help_text
            or _("For a month or a year alone, enter its first day and set the precision."),
        ),
        models.CharField(
            _("precision"),
            max_length=5,
            choices=DatePrecision.choices,
            blank=True,
            help_text=_("How much of the date is known."),
        ),
    )


@functools.cache
def _partial_date_fields(model) -> list[str]:
    """The date fields of ``model`` that have a precision beside them (once per model)."""
    names = {f.name for f in model._meta.fields}
    return [
        f.name
        for f in model._meta.fields
        if isinstance(f, models.DateField) and f"{f.name}_precision" in names
    ]


class PartialDatesMixin:
    """Gives a model ``partial("death_date")`` and checks each date/precision pair."""

    def partial(self, field: str) -> PartialDate | None:
        return PartialDate.from_parts(
            getattr(self, field), getattr(self, f"{field}_precision", "") or DAY
        )

    def partial_date_fields(self) -> list[str]:
        return _partial_date_fields(type(self))

    def clean_partial_dates(self) -> dict:
        errors = {}
        for field in self.partial_date_fields():
            value = getattr(self, field)
            precision_field = f"{field}_precision"
            if value is None and getattr(self, precision_field):
                errors[precision_field] = _("A precision was given without a date.")
            elif value is not None and not getattr(self, precision_field):
                setattr(self, precision_field, DAY)
        return errors


# --- Publication -----------------------------------------------------------------------


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class PublishableQuerySet(models.QuerySet):
    """Every public read (pages, API, exports, sitemaps) goes through ``published()``."""

    def published(self):
        return self.filter(publication_status=PublicationStatus.PUBLISHED)

    def delete(self):
        if self.filter(publication_status=PublicationStatus.PUBLISHED).exists():
            raise ProtectedError(
                _("A published record cannot be deleted; withdraw it instead."), set(self)
            )
        return super().delete()


class WorkflowError(ValidationError):
    """A publication step that the record's current status does not allow."""


# The history of the records an import writes in bulk (a victim per row, a citation per
# filled cell). Who made a change is set by the archive's code (the signed-in user, an
# import's --as) and emptied by Django when an account is deleted (SET_NULL), so the
# database does not check the link once more for every history row: at 30,000 rows
# that was 0.1 ms of the server's time a row (docs/benchmarks.md, imports' sixth pass).
IMPORTED_HISTORY = {"user_db_constraint": False}


class Publishable(PartialDatesMixin, models.Model):
    """A record that reaches the public only once a reviewer publishes it.

    Researchers (who hold the model's change permission) write drafts and send them for
    review; reviewers (who hold ``publish_<model>``) publish and withdraw. A published
    record cannot be deleted, only withdrawn, because people have cited it.
    """

    publication_status = models.CharField(
        _("publication status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        # Not indexed alone: the lists' indexes begin with it (``victim_pub_*``,
        # ``name_order_indexes``, ``source_pub_title``), and a plain index of it (with
        # PostgreSQL's pattern copy for LIKE, which nothing asks) was two more entries
        # written for every imported record and read by nothing.
        help_text=_("Only published records are shown to the public."),
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        leaving = (
            getattr(self, "_status_as_read", None) == PublicationStatus.PUBLISHED
            and not self.is_published
        )
        super().save(*args, **kwargs)
        if leaving:
            # Pages and figures kept from while it was public are not served again, not
            # even for the moment another worker takes to compute them anew.
            transaction.on_commit(forget_previous, using=kwargs.get("using") or self._state.db)
        self._status_as_read = self.publication_status

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        # The status as read, so that a save that takes the record out of publication
        # (whichever way it was set) is known (``save``).
        record._status_as_read = record.__dict__.get("publication_status")
        return record

    # Which status may follow which, and whether it needs the reviewer's permission.
    TRANSITIONS = {
        PublicationStatus.IN_REVIEW: (
            {PublicationStatus.DRAFT, PublicationStatus.WITHDRAWN},
            False,
        ),
        PublicationStatus.DRAFT: (
            {PublicationStatus.IN_REVIEW, PublicationStatus.WITHDRAWN},
            False,
        ),
        PublicationStatus.PUBLISHED: (
            {PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.WITHDRAWN},
            True,
        ),
        PublicationStatus.WITHDRAWN: ({PublicationStatus.PUBLISHED}, True),
    }

    @classmethod
    def publish_permission(cls) -> str:
        return f"{cls._meta.app_label}.publish_{cls._meta.model_name}"

    @classmethod
    def change_permission(cls) -> str:
        return f"{cls._meta.app_label}.change_{cls._meta.model_name}"

    @property
    def is_published(self) -> bool:
        return self.publication_status == PublicationStatus.PUBLISHED

    def was_public(self) -> bool:
        """Whether the public ever saw this record: first published at some time, or, for
        records written before that was kept, a published state in its history."""
        if self.is_published or self.published_at is not None:
            return True
        history = getattr(self, "history", None)
        return (
            history is not None
            and history.filter(publication_status=PublicationStatus.PUBLISHED).exists()
        )

    def may_change(self, user) -> bool:
        """Whether ``user`` may change what this record says. Unpublished, anyone with the
        model's change permission; published, only those who may also publish it, since a
        change to a published record is public at once: a researcher's changes go through
        a reviewer (who may withdraw it, or make the change)."""
        return user.has_perm(self.change_permission()) and not locked_for(user, self)

    @classmethod
    def check_move(cls, user, current: str | None, status: str) -> None:
        """The workflow's one rule, for every change of status (``move_to``, the admin's
        buttons through ``can_move_to``, an import, a merge): raises ``WorkflowError``
        when a record that is ``current`` cannot become ``status`` (``TRANSITIONS``),
        ``PermissionDenied`` when ``user`` may not make the move. ``current`` None is a
        new record arriving with its status (an import of an export): no move, only the
        permission that status needs."""
        allowed_from, needs_reviewer = cls.TRANSITIONS[status]
        if current is not None and current not in allowed_from:
            raise WorkflowError(
                _("A record that is %(current)s cannot become %(new)s.")
                % {
                    "current": PublicationStatus(current).label,
                    "new": PublicationStatus(status).label,
                }
            )
        perm = cls.publish_permission() if needs_reviewer else cls.change_permission()
        if not user.has_perm(perm):
            raise PermissionDenied(
                _("You are not allowed to make this record %(new)s.")
                % {"new": PublicationStatus(status).label}
            )

    def can_move_to(self, user, status: str) -> bool:
        try:
            self.check_move(user, self.publication_status, status)
        except (WorkflowError, PermissionDenied):
            return False
        return True

    def move_to(self, status: str, *, user, reason: str = "") -> None:
        """Change the publication status, checking the user's permission and the
        workflow; the change is kept in the record's history with who and why."""
        self.check_move(user, self.publication_status, status)
        self.check_publication_gate(status)
        self._enter_status(status, user=user, reason=reason or f"status: {status}")
        self.full_clean()
        self.save()

    def retire(self, *, user, reason: str) -> None:
        """Withdraw a record that another now stands for (merged into it), whatever its
        status, so that it leaves every list for good; the caller saves it. A published
        record is withdrawn by the workflow's rule (``check_move``: a reviewer); a record
        never public is not a withdrawal from publication, and retiring it needs the
        permission to change it."""
        if self.is_published:
            self.check_move(user, self.publication_status, PublicationStatus.WITHDRAWN)
        elif not user.has_perm(self.change_permission()):
            raise PermissionDenied(
                _("You are not allowed to make this record %(new)s.")
                % {"new": PublicationStatus.WITHDRAWN.label}
            )
        self._enter_status(PublicationStatus.WITHDRAWN, user=user, reason=reason)

    def _enter_status(self, status: str, *, user, reason: str) -> None:
        """The one place a record's status is set, once the move was checked: who and
        why go to the history with the record's next save."""
        # Leaving publication is seen by ``save``, however the status was set.
        self.publication_status = status
        self.stamp_first_publication()
        self._change_reason = reason
        self._history_user = history_user(user)

    def stamp_first_publication(self) -> None:
        """A published record keeps the moment it was first published (also set for
        records an import publishes in bulk)."""
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()

    # The publication gate (archive.core.provenance): every fact the public page shows
    # has a citation to a published source. A hook of its own, apart from the workflow.

    def publication_gaps(self, **kwargs) -> list:
        return provenance.publication_gaps(self, **kwargs)

    def check_publication_gate(self, status: str) -> None:
        """Refuses to publish a record with an uncited fact, naming every one."""
        if status != PublicationStatus.PUBLISHED:
            return
        # Its own page, and the published pages that would start to show it (a victim's
        # page shows its event only once the event is published).
        gaps = [*self.publication_gaps(), *provenance.linked_gaps(self)]
        if gaps:
            raise WorkflowError(
                _(
                    "Not published: every fact the public page shows needs a citation to a "
                    "published source. %(gaps)s."
                )
                % {"gaps": provenance.gaps_message(gaps)}
            )

    def send_for_review(self, *, user):
        self.move_to(PublicationStatus.IN_REVIEW, user=user)

    def publish(self, *, user):
        self.move_to(PublicationStatus.PUBLISHED, user=user)

    def withdraw(self, *, user, reason: str = ""):
        self.move_to(PublicationStatus.WITHDRAWN, user=user, reason=reason)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise ProtectedError(
                _("A published record cannot be deleted; withdraw it instead."), {self}
            )
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = self.clean_partial_dates()
        if errors:
            raise ValidationError(errors)


def history_user(user):
    """The account a history entry names: the user, or None for the command line
    without ``--as`` (``archive.core.groups.CommandLine``, no account)."""
    return user if getattr(user, "pk", None) else None


def public_records_of(obj) -> list[Publishable]:
    """The publishable records whose public page shows ``obj``: the record itself, or for a
    record that hangs from others (a citation, a perpetrator's position, a commission seat,
    a statement), the publishable records it points to."""
    if isinstance(obj, Publishable):
        return [obj]
    shown_on = getattr(obj, "SHOWN_ON", None)
    if shown_on is not None:
        # A record that hangs from one that hangs from others (a citation of a hearing:
        # the hearing's victim) reaches the publishable records at the end of the chain.
        found = []
        for target in (getattr(obj, name, None) for name in shown_on):
            if isinstance(target, Publishable):
                found.append(target)
            elif target is not None:
                found.extend(public_records_of(target))
        return found
    found = []
    for field in obj._meta.concrete_fields:
        if field.is_relation and issubclass(field.related_model, Publishable):
            target = getattr(obj, field.name, None)
            if target is not None:
                found.append(target)
    for field in obj._meta.private_fields:
        if isinstance(field, GenericForeignKey):
            target = getattr(obj, field.name, None)
            if isinstance(target, Publishable):
                found.append(target)
    return found


def locked_for(user, obj) -> list[Publishable]:
    """The published records whose public page a change to ``obj`` would change and that
    ``user`` may not publish: empty when ``user`` may make the change. A record that hangs
    from several (a commission seat: a perpetrator and a commission) is public only when
    all of them are, and is locked only then."""
    records = public_records_of(obj)
    if not records or not all(record.is_published for record in records):
        return []
    return [record for record in records if not user.has_perm(record.publish_permission())]


def workflow_permissions(model_name: str, verbose_plural: str) -> list[tuple[str, str]]:
    return [(f"publish_{model_name}", f"Can publish and withdraw {verbose_plural}")]


# --- Reference data --------------------------------------------------------------------


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


# --- People ----------------------------------------------------------------------------


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


def name_order_annotations() -> dict:
    return {
        "latin_missing": models.Case(
            models.When(name_latin="", then=models.Value(1)),
            default=models.Value(0),
            output_field=models.IntegerField(),
        ),
        "fa_missing": models.Case(
            models.When(name_fa="", then=models.Value(1)),
            default=models.Value(0),
            output_field=models.IntegerField(),
        ),
    }


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


class ChangeCounter(models.Model):
    """One row counting the committed transactions that changed any record.

    Part of the version under which whole public pages are cached
    (``archive.pagecache``): a save, a deletion or a change of links moves it, so a
    cached page never outlives the data it shows. Bulk writes that send no signals
    (imports, ``QuerySet.update``) move the records' ``updated_at`` instead, which the
    version also reads.
    """

    value = models.BigIntegerField(
        _("changes"), default=0, help_text=_("Incremented once per transaction that changed data.")
    )

    class Meta:
        verbose_name = _("change counter")
        verbose_name_plural = _("change counters")

    def __str__(self):
        return str(self.value)
