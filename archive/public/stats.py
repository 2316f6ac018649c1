"""Statistics of the published victims: counts by year of death, prison, province, fate
and event, computed once and cached until a victim or an event changes, and drawn as
SVG bar charts on the server (no JavaScript).

The cached figures hold ids and both scripts' names, never labels in one language, so
that English and Persian pages share one computation.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.core.caching import PREVIOUS_FIGURES, kept
from archive.core.digits import number, persian_digits
from archive.core.models import Event, Place
from archive.public.person_stats import person_figures, person_headings, person_specs
from victims import shown
from victims.facet_tallies import facet_counts, published_count
from victims.hearings import victims_by_charge
from victims.models import Victim
from victims.tallies import place_tallies

STATS_TIMEOUT = 24 * 3600
MAX_BARS = 30


def _names(obj) -> dict:
    return {"en": obj.name_en, "fa": obj.name_fa}


def _largest_first(counts: dict) -> list[tuple]:
    """(value, n) largest first, then by value: the order the charts list them in."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def compute() -> dict:
    """The figures, from the counts the database keeps as victims are written
    (``victims.facet_tallies``, ``victims.tallies``): a few small queries whatever the
    archive's size, so that the one worker that computes them after an edit is soon free
    again (at 1,000,000 victims the GROUP BY passes took 3.4-3.9 s)."""
    total = published_count()
    by_year = sorted((int(year), n) for year, n in facet_counts("year").items())
    held = {place: tally.held for place, tally in place_tallies().items() if tally.held}
    places = {p.pk: p for p in Place.objects.all()}

    def province_of(place_id):
        node, hops = places.get(place_id), 0
        while node is not None and hops < 10:
            if node.kind == Place.Kind.PROVINCE:
                return node
            node, hops = places.get(node.parent_id), hops + 1
        return None

    by_prison, provinces = [], {}
    for place_id, n in _largest_first(held):
        place = places.get(place_id)
        if place is None:
            continue
        by_prison.append({"id": place.pk, "names": _names(place), "n": n})
        province = province_of(place.pk)
        if province is not None:
            entry = provinces.setdefault(
                province.pk, {"id": province.pk, "names": _names(province), "n": 0}
            )
            entry["n"] += n
    by_province = sorted(provinces.values(), key=lambda e: (-e["n"], e["id"]))

    by_fate = _largest_first(facet_counts("fate"))
    events = {e.pk: e for e in Event.objects.published()}
    event_rows = _largest_first({int(pk): n for pk, n in facet_counts("event").items()})
    by_event = [
        {"id": pk, "slug": events[pk].slug, "names": _names(events[pk]), "n": n}
        for pk, n in event_rows
        if pk in events
    ]
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
        **person_figures(),
    }


def stats_version() -> str:
    """What the figures are computed from, as a token (``victims.shown``): the counts the
    database keeps, the events, hearings and places, and the victims by charge. An edit
    that changes none of them (a biography, a source) leaves the figures, and the page, as
    they are."""
    return shown.tokens("fact_counts", "place_counts", "events", "hearings", "places", "charges")


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
