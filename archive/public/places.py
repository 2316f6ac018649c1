"""Places on the public site: the map (``/map/``) and a page for each place
(``/places/<slug>/``). A place is public once a published record uses it
(``Place.objects.public()``, the one home of that rule); the victims counted are published
ones only, as the database keeps them (``victims.tallies``: one query over about a row per
place, whatever the number of victims)."""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Exists,
    Min,
    OuterRef,
    Q,
)
from django.http import Http404
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from archive.core import provenance
from archive.core.digits import number
from archive.core.display import reads_persian
from archive.core.listing import LINKED_LIMIT, by_name
from archive.core.models import Event, Place, place_uses
from archive.core.pagination import cached_count, data_version
from archive.public import maps
from perpetrators.models import Commission, CommissionMembership
from sources.footnotes import Footnotes
from sources.models import Citation
from victims import shown
from victims.models import Victim
from victims.tallies import Tally, place_tallies

# The kinds of place drawn on the map, in the legend's order.
MAPPED_KINDS = (
    Place.Kind.PRISON,
    Place.Kind.MASS_GRAVE,
    Place.Kind.CEMETERY,
    Place.Kind.CITY,
    Place.Kind.OTHER,
)


def public_places() -> list[Place]:
    return list(
        Place.objects.public().with_cited_coordinates().order_by("name_en", "name_fa", "pk")
    )


def located(place: Place, by_id: dict[int, Place]) -> Place | None:
    """The place itself if its coordinates may be shown (given and cited), else the
    nearest place it is inside whose coordinates may be (a prison without them is shaded
    in its city's province)."""
    node, steps = place, 0
    while node is not None and steps < 20:
        if node.shows_coordinates:
            return node
        node, steps = by_id.get(node.parent_id), steps + 1
    return None


def province_of(place: Place, by_id: dict[int, Place]) -> maps.Province | None:
    """The map's province a place is in: where its coordinates (or its parents') fall,
    else the province it is recorded inside, by name."""
    base = maps.base_map()
    spot = located(place, by_id)
    if spot is not None:
        found = base.province_at(float(spot.longitude), float(spot.latitude))
        if found is not None:
            return found
    node, steps = place, 0
    while node is not None and steps < 20:
        if node.kind == Place.Kind.PROVINCE:
            return base.province_named(node.name_en, node.name_fa)
        node, steps = by_id.get(node.parent_id), steps + 1
    return None


@dataclass
class MapRow:
    """A line of the table beside the map (the same data, for screen readers and print)."""

    place: Place
    province: maps.Province | None
    tally: Tally
    on_map: bool
    province_name: str = ""
    url: str = ""
    kind_label: str = ""


def map_data(lang: str) -> dict:
    """Everything the map page shows, from three small queries (the public places, their
    ids, their tallies): none of them reads the victims' rows, so that a page drawn after
    an edit (the page cache emptied) costs the same at a thousand victims or a million."""
    places = public_places()
    by_id = {p.pk: p for p in places}
    tallies = place_tallies()
    killed: dict[str, int] = defaultdict(int)
    rows = []
    # Five hundred rows: each label and address made once, not once per row.
    kinds = {kind: str(label) for kind, label in Place.Kind.choices}
    url = reverse("archive:place-detail", kwargs={"slug": "SLUG"})
    for place in places:
        tally = tallies.get(place.pk, Tally())
        province = province_of(place, by_id)
        if tally.killed and province is not None:
            killed[province.code] += tally.killed
        if place.kind in MAPPED_KINDS or tally.victims:
            name = province.name(lang) if province is not None else ""
            rows.append(
                MapRow(
                    place,
                    province,
                    tally,
                    place.shows_coordinates,
                    name,
                    url.replace("SLUG", place.slug),
                    kinds.get(place.kind, place.kind),
                )
            )
    rows.sort(key=lambda r: (-r.tally.victims, r.place.display_name(lang)))
    return {"rows": rows, "killed": dict(killed)}


def markers_of(rows: list[MapRow], lang: str) -> list[maps.Marker]:
    return [
        maps.Marker(
            lon=float(row.place.longitude),
            lat=float(row.place.latitude),
            kind=row.place.kind,
            name=row.place.display_name(lang),
            kind_label=row.kind_label,
            url=row.url,
            victims=row.tally.victims,
        )
        for row in rows
        if row.on_map
    ]


# A line of the table, written in Python: the 500 lines through the template engine cost
# 80 ms of CPU (8,000 variables resolved and escaped), half of a map drawn after an edit;
# this way, a few ms. The template holds the table around them.
TABLE_ROW = (
    '<tr>\n<th scope="row"><a href="{url}"><bdi dir="auto">{name}</bdi></a>{unmapped}</th>\n'
    '<td data-label="{kind_h}">{kind}</td>\n<td data-label="{province_h}">{province}</td>\n'
    '<td class="number" data-label="{held_h}">{held}</td>\n'
    '<td class="number" data-label="{killed_h}">{killed}</td>\n'
    '<td class="number" data-label="{buried_h}">{buried}</td>\n'
    '<td class="number" data-label="{records_h}">{victims}</td>\n</tr>'
)


def table_rows(rows: list[MapRow], lang: str) -> SafeString:
    """The table's lines (``<tr>``) for ``rows``, every value escaped."""
    persian = lang == "fa"
    labels = {
        "kind_h": escape(_("Kind")),
        "province_h": escape(_("Province")),
        "held_h": escape(_("Held")),
        "killed_h": escape(_("Killed")),
        "buried_h": escape(_("Buried")),
        "records_h": escape(_("Victim records")),
    }
    unmapped = f' <span class="meta">({escape(_("not on the map: no cited coordinates"))})</span>'
    out = []
    for row in rows:
        tally = row.tally
        out.append(
            TABLE_ROW.format(
                url=escape(row.url),
                name=escape(row.place.display_name(lang)),
                unmapped="" if row.on_map else unmapped,
                kind=escape(row.kind_label),
                province=f'<bdi dir="auto">{escape(row.province_name)}</bdi>'
                if row.province_name
                else "",
                held=number(tally.held, persian=persian),
                killed=number(tally.killed, persian=persian),
                buried=number(tally.buried, persian=persian),
                victims=number(tally.victims, persian=persian),
                **labels,
            )
        )
    return mark_safe("\n".join(out))  # every value escaped above


class PlaceMapView(TemplateView):
    template_name = "archive/place_map.html"

    def shown(self) -> str:
        """The places' tallies, the public places, what the map shows of each, and
        whether its coordinates are cited (``archive.pagecache``)."""
        cited = Place.objects.public().with_cited_coordinates().filter(coordinates_cited=True)
        return repr((shown.tokens("place_counts", "places", "public_places"),
                     sorted(cited.values_list("pk", flat=True))))  # fmt: skip

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lang = "fa" if reads_persian() else "en"
        data = map_data(lang)
        title = _("Map of the places where victims were held, killed and buried")
        context.update(
            {
                "rows": data["rows"],
                "table_rows": table_rows(data["rows"], lang),
                "svg": maps.draw(
                    markers_of(data["rows"], lang),
                    killed_by_province=data["killed"],
                    lang=lang,
                    title=title,
                ),
                "map_title": title,
                "provinces_killed": sorted(
                    (
                        (maps.base_map().by_code(code).name(lang), n)
                        for code, n in data["killed"].items()
                        if maps.base_map().by_code(code)
                    ),
                    key=lambda item: -item[1],
                ),
                "legend": maps.legend_shapes(),
                "shades": [maps.shade_swatch(0), maps.shade_swatch(3), maps.shade_swatch(5)],
                "unmapped": [r for r in data["rows"] if not r.on_map],
            }
        )
        return context


# Records of each use read for a place's naming citations before the whole list is: a
# prison of 216,000 victims with every fact cited had its citations read whole, 2.1 s of
# the server for each render at a million people.
NAMING_SAMPLE = 1000


def naming_citations(place: Place, *, limit: int = 12) -> list[Citation]:
    """The public citations of the published facts that name ``place``: a published
    victim's prison, place of death or burial place, a commission's seat, a public place's
    "inside". A source cited for "held in Evin prison" names Evin: the place's names are
    cited by it, and its kind too when the record's fact is the kind (a victim's prison is
    a prison). One citation per source and claim, at most ``limit`` (a prison that holds
    ten thousand victims is named by a few sources, not ten thousand notes).

    The sources are looked for among the first ``NAMING_SAMPLE`` records of each use (by
    their key; every record, for all but the largest places), through the index of each
    record's citations; among every record only when those have no public citation, so
    that a place named by a source is never shown as named by none. A query a use, and
    two or three more."""
    uses = []
    for model, field in [*place_uses(), (Place, "parent")]:
        records = model._base_manager.filter(**{field: place})
        if model is Place:
            records = Place.objects.public().filter(parent=place)
        else:
            records = records.filter(publication_status="published")
        uses.append((ContentType.objects.get_for_model(model), field, records))
    sample = []
    for content_type, field, records in uses:
        ids = list(records.order_by("pk").values_list("pk", flat=True)[:NAMING_SAMPLE])
        if ids:
            sample.append(Q(content_type=content_type, claim=field, object_id__in=ids))
    first = _first_of_each_source(reduce(operator.or_, sample), limit) if sample else []
    if not first:
        every = Q(pk__in=[])
        for content_type, field, records in uses:
            every |= Q(content_type=content_type, claim=field, object_id__in=records.values("pk"))
        first = _first_of_each_source(every, limit)
    return list(Citation.objects.filter(pk__in=first).select_related("source").order_by("pk"))


def _first_of_each_source(uses: Q, limit: int) -> list[int]:
    """The first public citation (its id) of each source and claim among ``uses``."""
    return list(
        Citation.objects.public()
        .filter(uses, value="")
        .values("source_id", "claim")
        .annotate(first=Min("pk"))
        .order_by("source_id", "claim")
        .values_list("first", flat=True)[:limit]
    )


def supported(notes: Footnotes, record, claim: str) -> bool:
    """Whether a published source supports ``record``'s own value of ``claim`` (another
    source's version supports nothing), read from the page's footnotes."""
    return any(provenance.supports(record, c) for c in notes.citations(record, claim))


@dataclass
class Link:
    """One step of a place's "inside" chain: ``child`` is inside ``parent``, cited."""

    child: Place
    parent: Place


def cited_chain(place: Place, by_id: dict[int, Place], notes: Footnotes) -> list[Link]:
    """The places ``place`` is inside, as far as each step is cited to a published source
    and public: a step no source gives is not shown, nor the steps beyond it."""
    chain, child = [], place
    while child.parent_id in by_id and len(chain) < 20:
        if not supported(notes, child, "parent"):
            break
        parent = by_id[child.parent_id]
        chain.append(Link(child, parent))
        child = parent
    return chain


class PlaceDetailView(TemplateView):
    template_name = "archive/place_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slug = kwargs["slug"]
        place = (
            Place.objects.public().with_cited_coordinates().filter(slug=slug).first()
            if len(slug) <= 80
            else None
        )
        if place is None:
            raise Http404
        lang = "fa" if reads_persian() else "en"
        ancestors = [p.pk for p in place.ancestors()]
        by_id = {
            p.pk: p
            for p in Place.objects.public().with_cited_coordinates().filter(pk__in=ancestors)
        }
        inside = list(Place.objects.public().filter(parent=place))
        published = Victim.objects.published()
        groups = []
        version = data_version(Victim)
        for field, heading, filter_param in (
            ("prison", _("Held here"), "prison"),
            ("death_place", _("Killed here"), None),
            ("burial_place", _("Buried here"), None),
        ):
            victims = published.filter(**{field: place})
            count = cached_count(victims, version=version)
            if count:
                groups.append(
                    {
                        "field": field,
                        "heading": heading,
                        "count": count,
                        "victims": list(by_name(victims.list_columns())[:LINKED_LIMIT]),
                        "more": filter_param if count > LINKED_LIMIT else None,
                    }
                )
        commissions = list(
            Commission.objects.published().filter(place=place).order_by("start_date", "pk")
        )
        memberships = list(
            CommissionMembership.objects.filter(
                commission__in=commissions, perpetrator__publication_status="published"
            )
            .select_related("perpetrator")
            .order_by("commission_id", "start_date", "pk")
        )
        for commission in commissions:
            commission.seats = [m for m in memberships if m.commission_id == commission.pk]
        here = Q(prison=place) | Q(death_place=place) | Q(burial_place=place)
        events = list(
            Event.objects.published()
            .filter(
                Exists(published.filter(here, event=OuterRef("pk")))
                | Q(pk__in=[c.event_id for c in commissions if c.event_id])
            )
            .order_by("start_date", "slug")
        )
        naming = naming_citations(place)
        notes = Footnotes([*Citation.objects.public().for_objects(
            [place, *by_id.values(), *inside, *commissions, *memberships]
        ), *naming])  # fmt: skip
        chain = cited_chain(place, by_id, notes)
        # "Places inside it": each one's "inside" is a fact of its own, shown when cited.
        inside = sorted(
            (child for child in inside if supported(notes, child, "parent")),
            key=lambda child: child.display_name(lang).casefold(),
        )
        kind_from = [c for c in naming if c.claim == place.kind]
        kind_cited = bool(kind_from or supported(notes, place, "kind"))
        small_map = None
        spot = located(place, {p.pk: p for p in [place, *(link.parent for link in chain)]})
        if spot is not None:
            small_map = maps.draw(
                [
                    maps.Marker(
                        lon=float(spot.longitude),
                        lat=float(spot.latitude),
                        kind=place.kind if kind_cited else Place.Kind.OTHER,
                        name=place.display_name(lang),
                        kind_label=str(place.get_kind_display()) if kind_cited else _("place"),
                        url=place.get_absolute_url(),
                    )
                ],
                killed_by_province={},
                lang=lang,
                title=_("Where %(place)s is") % {"place": place.display_name(lang)},
                focus=True,
            )
        context.update(
            {
                "place": place,
                "naming": naming,
                "kind_from": kind_from,
                "kind_cited": kind_cited,
                "chain": chain,
                "inside": inside,
                "groups": groups,
                "commissions": commissions,
                "events": events,
                "small_map": small_map,
                "map_located_by": spot if spot is not None and spot.pk != place.pk else None,
                "notes": notes,
            }
        )
        return context
