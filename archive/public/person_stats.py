"""The statistics of who the victims were: by age at death and by occupation (published
victims only), for ``archive.public.stats``. The figures hold keys, never labels, so
that English and Persian pages share one computation; the labels come with the charts.

An age known as a range across two groups ("24–25") is counted apart, in its own bar,
never in one group or the other (``archive.core.ages``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.core.ages import AGE_GROUPS, BOUNDARY, group_of
from victims.facet_tallies import age_counts, facet_counts
from victims.person import AGE_GROUP_LABELS, Occupation


def person_figures() -> dict:
    """Counts of the published victims by age group at death and by occupation, from
    the counts the database keeps (``victims.facet_tallies``: an age as the range
    "low:high" its dates allow)."""
    by_group: dict[str, int] = {}
    for age, n in age_counts().items():
        key = group_of(age)
        by_group[key] = by_group.get(key, 0) + n
    order = [group.key for group in AGE_GROUPS] + [BOUNDARY]
    occupations = facet_counts("occupation")
    return {
        "by_age": [(key, by_group[key]) for key in order if by_group.get(key)],
        "by_occupation": sorted(occupations.items(), key=lambda item: (-item[1], item[0])),
    }


def person_specs(figures: dict) -> list[tuple]:
    """(slug, title, rows) of the two charts, labelled in the reader's language."""
    occupations = dict(Occupation.choices)
    return [
        (
            "age",
            gettext_lazy("Victims by age at death"),
            [(str(AGE_GROUP_LABELS[key]), n) for key, n in figures.get("by_age", [])],
        ),
        (
            "occupation",
            gettext_lazy("Victims by occupation"),
            [(str(occupations.get(key, key)), n) for key, n in figures.get("by_occupation", [])],
        ),
    ]


def person_headings() -> dict:
    return {"age": _("Age at death"), "occupation": _("Occupation")}
