"""What the public pages built on the victims show beside their own rows, as tokens
(``archive.pagecache``: pages keyed on what they show): the counts the database keeps, the
public places, the events, commissions, hearings and organisations they name.

Read once per data version for every worker (the shared cache), so that after an edit a
worker's check of "did what this page shows change?" is one cache read and the page's own
rows, not a dozen queries: at 1,000,000 victims under 20 readers the dozen took 150-300 ms
a worker, longer than the render it was to save.
"""

from __future__ import annotations

from archive.core.models import Event, Organisation, Place, public_place_ids
from archive.core.pagination import (
    cache_get,
    cache_key,
    cache_set,
    data_version,
    rows_version,
    token,
)
from archive.core.versions import current_version, site_version
from perpetrators.models import Commission, Perpetrator
from victims.facet_tallies import FACET_TALLIES
from victims.hearings import Hearing, victims_by_charge
from victims.tallies import PLACES

TIMEOUT = 3600


def compute() -> dict[str, str]:
    return {
        # The counts the database keeps: per fact (the statistics, the lists' choices and
        # totals) and per place (the map, the prisons' counts), apart.
        "fact_counts": FACET_TALLIES.digest(),
        "place_counts": PLACES.digest(),
        "places": Place.objects.version(),
        "public_places": token(sorted(public_place_ids())),
        "organisations": rows_version(Organisation.objects.all(), "kind", "name_en", "name_fa"),
        "events": data_version(Event),
        "commissions": data_version(Commission),
        "perpetrators": data_version(Perpetrator),
        "hearings": data_version(Hearing),
        # A hearing's charges are links with no time of change: counted (a few rows).
        "charges": token(victims_by_charge()),
    }


def basis() -> dict[str, str]:
    """The tokens (``compute``), kept under the data's version: one cache read."""
    key = cache_key("shown-basis", current_version() or site_version())
    found = cache_get(key)
    if found is None:
        found = compute()
        cache_set(key, found, TIMEOUT)
    return found


def tokens(*names: str) -> str:
    """The tokens ``names`` of ``basis()``, joined."""
    found = basis()
    return "|".join(found[name] for name in names)
