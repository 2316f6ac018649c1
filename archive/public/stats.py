"""Statistics of the published victims: counts by year of death, prison, province, fate
and event, computed once and cached until a victim or an event changes, and drawn as
SVG bar charts on the server (no JavaScript).

The cached figures hold ids and both scripts' names, never labels in one language, so
that English and Persian pages share one computation.
"""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.core.caching import PREVIOUS_FIGURES, kept
from archive.core.digits import number, persian_digits
from archive.core.models import Event, Place
from archive.core.pagination import data_version
from archive.public.person_stats import person_figures, person_headings, person_specs
from victims.hearings import Hearing, victims_by_charge
from victims.models import Victim

STATS_TIMEOUT = 24 * 3600
MAX_BARS = 30


def _names(obj) -> dict:
    return {"en": obj.name_en, "fa": obj.name_fa}


def compute() -> dict:
    """Aggregate the published victims (a handful of GROUP BY queries)."""
    victims = Victim.objects.published()
    total = victims.count()

    by_year = [
        (row["year"], row["n"])
        for row in victims.filter(death_date__isnull=False)
        .annotate(year=ExtractYear("death_date"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("year")
    ]
    prison_rows = list(
        victims.filter(prison__isnull=False)
        .values("prison_id")
        .annotate(n=Count("id"))
        .order_by("-n", "prison_id")
    )
    places = {p.pk: p for p in Place.objects.all()}

    def province_of(place_id):
        node, hops = places.get(place_id), 0
        while node is not None and hops < 10:
            if node.kind == Place.Kind.PROVINCE:
                return node
            node, hops = places.get(node.parent_id), hops + 1
        return None

    by_prison, provinces = [], {}
    for row in prison_rows:
        place = places.get(row["prison_id"])
        if place is None:
            continue
        by_prison.append({"id": place.pk, "names": _names(place), "n": row["n"]})
        province = province_of(place.pk)
        if province is not None:
            entry = provinces.setdefault(
                province.pk, {"id": province.pk, "names": _names(province), "n": 0}
            )
            entry["n"] += row["n"]
    by_province = sorted(provinces.values(), key=lambda e: (-e["n"], e["id"]))

    by_fate = [
        (row["fate"], row["n"])
        for row in victims.values("fate").annotate(n=Count("id")).order_by("-n", "fate")
    ]
    events = {e.pk: e for e in Event.objects.published()}
    by_event = [
        {"id": row["event_id"], "slug": events[row["event_id"]].slug,
         "names": _names(events[row["event_id"]]), "n": row["n"]}
        for row in victims.filter(event__isnull=False)
        .values("event_id")
        .annotate(n=Count("id"))
        .order_by("-n", "event_id")
        if row["event_id"] in events
    ]  # fmt: skip
    return {
        "total": total,
        "without_death_date": total - sum(n for _year, n in by_year),
        "by_year": by_year,
        "by_prison": by_prison,
        "by_province": by_province,
        "by_fate": by_fate,
        "by_event": by_event,
        "event_counts": {e["id"]: e["n"] for e in by_event},
        "by_charge": victims_by_charge(),
        **person_figures(victims),
    }


def stats_version() -> str:
    # A hearing's charges count as well (victims by charge).
    return data_version(Victim, Event, Hearing)


def get_stats() -> dict:
    """The figures, from the cache while no victim or event has changed; after a change,
    computed by one worker while the others serve the previous ones (``kept``), whose
    events are read again so that a withdrawn event's name is never shown."""
    figures = kept("stats", stats_version(), compute, timeout=STATS_TIMEOUT)
    if PREVIOUS_FIGURES.get() is not None:
        published = set(Event.objects.published().values_list("pk", flat=True))
        by_event = [e for e in figures["by_event"] if e["id"] in published]
        figures = {
            **figures,
            "by_event": by_event,
            "event_counts": {e["id"]: e["n"] for e in by_event},
        }
    return figures


# --- Charts ----------------------------------------------------------------------------


def _label(names: dict, lang: str) -> str:
    return (names.get(lang) or names.get("en") or names.get("fa") or "").strip()


def bar_chart_svg(rows: list[tuple[str, int]], *, title: str, rtl: bool, width: int = 680):
    """A horizontal bar chart: one labelled bar per row, mirrored on right-to-left
    pages. The figures are also in the table beside it; the SVG is the picture."""
    label_w, value_w, row_h, pad = 220, 70, 24, 4
    bar_w = width - label_w - value_w
    height = max(row_h, row_h * len(rows)) + pad * 2
    top = max((n for _label_text, n in rows), default=0) or 1

    def x(pos):  # mirror horizontally on right-to-left pages
        return width - pos if rtl else pos

    parts = []
    for i, (label, n) in enumerate(rows):
        y = pad + i * row_h
        length = max(1, round(bar_w * n / top)) if n else 0
        shown = number(n, persian=rtl)
        # About 28 characters fit the label column at the chart's font size.
        short = label if len(label) <= 28 else label[:27] + "…"
        bar_x = x(label_w + length) if rtl else label_w
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"></rect>'
                '<text x="{}" y="{}" text-anchor="start" class="chart-value">{}</text>',
                x(label_w - 8),
                y + row_h - 8,
                short,
                bar_x,
                y + 3,
                length,
                row_h - 6,
                x(label_w + length + 6),
                y + row_h - 8,
                shown,
            )
        )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" '
        'height="{}" xmlns="http://www.w3.org/2000/svg"{}><title>{}</title>{}</svg>',
        title,
        width,
        height,
        width,
        height,
        mark_safe(' direction="rtl"') if rtl else "",
        title,
        format_html_join("", "{}", ((p,) for p in parts)),
    )


def charts(figures: dict, *, rtl: bool) -> list[dict]:
    """The charts of the statistics page, labelled in the reader's language."""
    lang = "fa" if rtl else "en"
    fate_labels = dict(Victim._meta.get_field("fate").flatchoices)
    specs = [
        (
            "year",
            gettext_lazy("Victims by year of death"),
            [(persian_digits(y) if rtl else str(y), n) for y, n in figures["by_year"]],
        ),
        (
            "prison",
            gettext_lazy("Victims by prison"),
            [(_label(e["names"], lang), e["n"]) for e in figures["by_prison"]],
        ),
        (
            "province",
            gettext_lazy("Victims by province"),
            [(_label(e["names"], lang), e["n"]) for e in figures["by_province"]],
        ),
        (
            "fate",
            gettext_lazy("Victims by fate"),
            [(str(fate_labels.get(f, f)), n) for f, n in figures["by_fate"]],
        ),
        (
            "event",
            gettext_lazy("Victims by event"),
            [(_label(e["names"], lang), e["n"]) for e in figures["by_event"]],
        ),
        (
            "charge",
            gettext_lazy("Victims by charge"),
            [(_label(e["names"], lang), e["n"]) for e in figures.get("by_charge", [])],
        ),
        *person_specs(figures),
    ]
    result = []
    for slug, title, rows in specs:
        title = str(title)
        shown = rows[:MAX_BARS]
        result.append(
            {
                "slug": slug,
                "title": title,
                "rows": rows,
                "svg": bar_chart_svg(shown, title=title, rtl=rtl) if rows else "",
                "truncated": len(rows) > MAX_BARS,
                "label_heading": {
                    "year": _("Year"),
                    "prison": _("Prison"),
                    "province": _("Province"),
                    "fate": _("Fate"),
                    "event": _("Event"),
                    "charge": _("Charge category"),
                    **person_headings(),
                }[slug],
            }
        )
    return result
