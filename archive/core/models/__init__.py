"""The archive's shared core records: places, events, organisations, partial dates, people's
names and the publication workflow that every public record goes through.

Its rooms: ``partial_dates``, ``publication`` (``Publishable``), ``reference`` (places,
organisations, events), ``people`` (``Person``), ``changes`` (``ChangeCounter``); each
imports (directly) only those before it. Everything is imported from here."""

from archive.core.models.changes import (
    ChangeCounter,
)
from archive.core.models.partial_dates import (
    DatePrecision,
    PartialDatesMixin,
    partial_date,
)
from archive.core.models.people import (
    NAME_ORDER,
    Gender,
    Person,
    is_birth_year,
    merge_target,
    name_order_annotations,
    name_order_indexes,
    redirect_for_ref,
)
from archive.core.models.publication import (
    IMPORTED_HISTORY,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    WorkflowError,
    history_user,
    locked_for,
    public_records_of,
    workflow_permissions,
)
from archive.core.models.reference import (
    IRAN_BOUNDS,
    BilingualNameMixin,
    Event,
    Organisation,
    Place,
    PlaceQuerySet,
    cited_claim,
    coordinate_errors,
    in_iran,
    place_uses,
    public_place_ids,
    unique_place_slug,
)

__all__ = [
    "IMPORTED_HISTORY",
    "IRAN_BOUNDS",
    "NAME_ORDER",
    "BilingualNameMixin",
    "ChangeCounter",
    "DatePrecision",
    "Event",
    "Gender",
    "Organisation",
    "PartialDatesMixin",
    "Person",
    "Place",
    "PlaceQuerySet",
    "PublicationStatus",
    "Publishable",
    "PublishableQuerySet",
    "WorkflowError",
    "cited_claim",
    "coordinate_errors",
    "history_user",
    "in_iran",
    "is_birth_year",
    "locked_for",
    "merge_target",
    "name_order_annotations",
    "name_order_indexes",
    "partial_date",
    "place_uses",
    "public_place_ids",
    "public_records_of",
    "redirect_for_ref",
    "unique_place_slug",
    "workflow_permissions",
]
