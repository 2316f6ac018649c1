"""Places, for import and export (``import_records places FILE``, ``export_records places
FILE``, the admin's screens); ``docs/data-dictionary.md`` is generated from the columns.

One row per place, keyed by ``slug`` (blank: made from ``name_en``, so that a file
imported twice updates its places rather than doubling them). ``parent`` names the place
it is inside, by slug or by name, a place already in the archive or one on an earlier row
of the same file (a province, then its cities, then their prisons). Coordinates are
checked by ``Place.clean`` (inside Iran, latitude first): a bad pair is refused by row and
column like any other cell.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import router
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from import_export import widgets

from archive.core.digits import ascii_digits
from archive.core.importing import (
    ArchiveResource,
    ChoiceWidget,
    Column,
    NamedRecordWidget,
    TextWidget,
    cell_text,
    update_with_history,
)
from archive.core.models import Place, history_user, unique_place_slug


class CoordinateWidget(widgets.Widget):
    """Decimal degrees, in any digits ("35.7905", "۳۵٫۷۹۰۵")."""

    def clean(self, value, row=None, **kwargs):
        text = ascii_digits(cell_text(value)).replace("٫", ".").replace(",", ".").strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                _("'%(v)s' is not a number of degrees (e.g. 35.79052)") % {"v": text}
            ) from None
        if not number.is_finite() or abs(number) > 180:
            raise ValueError(_("'%(v)s' is not a number of degrees (e.g. 35.79052)") % {"v": text})
        return number.quantize(Decimal("0.00001"))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value:.5f}"


class ParentWidget(NamedRecordWidget):
    """The place a place is inside: by slug or by name, in the archive or on an earlier
    row of the file (``remember``). Never created by the import: a misspelt city would
    otherwise become a second city."""

    # A later row may add a place whose slug is a name read earlier: read each cell.
    repeats = False

    def __init__(self):
        super().__init__(Place, noun="place")
        self._slugs: dict[str, Place] | None = None

    def remember(self, place: Place) -> None:
        if self._known is None:
            self._load()
        self._remember(place)
        if self._slugs is not None and place.slug:
            self._slugs[place.slug.lower()] = place

    def known_names(self) -> list[str]:
        # Places of this file have no id yet (unhashable): told apart by identity.
        seen: dict[int, Place] = {}
        for place in (self._known or {}).values():
            seen.setdefault(id(place), place)
        return [str(place) for place in seen.values()]

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        if self._slugs is None:
            self._slugs = {p.slug.lower(): p for p in Place.objects.all() if p.slug}
        found = self._slugs.get(text.lower())
        return found if found is not None else super().clean(value, row, **kwargs)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.slug


class ParentColumn(Column):
    """A parent on an earlier row of the file has no id until its batch is written: it
    is kept aside and linked after the write (``PlaceResource.after_bulk_write``)."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        parent = self.clean(row, **kwargs)
        instance._pending_parent = None
        if parent is not None and parent.pk is None:
            instance._pending_parent = parent
            parent = None
        setattr(instance, self.attribute, parent)


class PlaceResource(ArchiveResource):
    noun = "places"
    key_column = "slug"
    required_columns = (("name_en", "name_fa"), "kind")

    slug = Column(
        attribute="slug", column_name="slug", widget=TextWidget(), kind="slug",
        meaning="The place's address on the site (/places/<slug>/) and the import key: a "
        "known slug updates that place.",
        allowed="Lower-case letters, digits and '-'; blank: made from name_en (and then "
        "name_en is the key).", example="evin-prison",
    )  # fmt: skip
    name_en = Column(
        attribute="name_en", column_name="name_en", widget=TextWidget(),
        meaning="Name in Latin script.",
        allowed="Up to 200 characters. Either name may be blank, not both.",
        example="Evin Prison",
    )  # fmt: skip
    name_fa = Column(
        attribute="name_fa", column_name="name_fa", widget=TextWidget(),
        meaning="Name in Persian script.", allowed="Up to 200 characters.",
        example="زندان اوین",
    )  # fmt: skip
    kind = Column(
        attribute="kind", column_name="kind", kind="choice",
        widget=ChoiceWidget(Place.Kind.choices, required=True), required=True,
        meaning="What the place is; the map draws prisons, cemeteries, mass graves and "
        "cities each in their own way.",
        allowed=", ".join(Place.Kind.values), example="prison",
    )  # fmt: skip
    parent = ParentColumn(
        attribute="parent", column_name="parent", kind="place slug or name",
        widget=ParentWidget(),
        meaning="The place it is inside (a prison's city, a city's province).",
        allowed="The slug or the name (either script) of a place in the archive or on an "
        "earlier row of the file.", example="tehran",
    )  # fmt: skip
    latitude = Column(
        attribute="latitude", column_name="latitude", kind="decimal degrees",
        widget=CoordinateWidget(),
        meaning="Latitude (north), for the map.",
        allowed="Decimal degrees inside Iran (about 25 to 40), with the longitude; any "
        "digits. A pair outside Iran, or given the wrong way round, is refused.",
        example="35.79052",
    )  # fmt: skip
    longitude = Column(
        attribute="longitude", column_name="longitude", kind="decimal degrees",
        widget=CoordinateWidget(),
        meaning="Longitude (east), for the map.",
        allowed="Decimal degrees inside Iran (about 44 to 63.5), with the latitude.",
        example="51.38640",
    )  # fmt: skip

    class Meta:
        model = Place
        fields = ("slug", "name_en", "name_fa", "kind", "parent", "latitude", "longitude")
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._slugs_made: set[str] = set()

    def row_key(self, row) -> str:
        return cell_text(row.get("slug", "")).lower() or slugify(cell_text(row.get("name_en", "")))

    def import_instance(self, instance, row, where=None, **kwargs):
        super().import_instance(instance, row, where=where, **kwargs)
        if not instance.slug:
            instance.slug = self.row_key(row) or ""
        if not instance.slug or (instance.pk is None and instance.slug in self._slugs_made):
            instance.slug = unique_place_slug(instance, self._slugs_made)
        self._slugs_made.add(instance.slug)
        self.fields["parent"].widget.remember(instance)

    def prepare_instance(self, instance) -> None:
        super().prepare_instance(instance)
        if not instance.slug:
            instance.slug = unique_place_slug(instance, self._slugs_made)
            self._slugs_made.add(instance.slug)

    def after_bulk_write(self, created: list, updated: list) -> None:
        """Links the places whose parent was on an earlier row of the file, now that it
        has an id (in the same transaction: nothing is written if a later row fails)."""
        linked = []
        for place in [*created, *updated]:
            parent = getattr(place, "_pending_parent", None)
            if parent is not None and parent.pk is not None:
                place.parent = parent
                linked.append(place)
        if linked:
            update_with_history(
                linked, Place, ["parent"], db=router.db_for_write(Place),
                user=history_user(self.user), reason=self.change_reason(), when=timezone.now(),
            )  # fmt: skip

    def export_queryset(self):
        """Staff who may change places export them all; anyone else the public ones."""
        places = Place.objects.select_related("parent").order_by("slug")
        if self.acting_user.has_perm("archive.change_place"):
            return places
        return places.public()
