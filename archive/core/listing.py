"""What every public list and record page shares: the reference read from a URL, people in
the reader's name order, and the filtered, searchable, paged list view the apps' lists are
made of. Every read goes through ``.published()``."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.views.generic import TemplateView

from archive.core.display import reads_persian
from archive.core.models import NAME_ORDER, name_order_annotations
from archive.core.pagination import (
    BadCursor,
    data_version,
    filter_params,
    paginate,
    query_string,
)
from archive.core.search import clean_query

# How many linked records a record page lists before "and N more".
LINKED_LIMIT = 25


def possible_ref(ref: str) -> bool:
    """Whether some record could have ``ref``: no database is asked about one that none
    can have (empty, too long, or with a NUL, which PostgreSQL refuses outright: a 500)."""
    return bool(ref) and len(ref) <= 40 and "\x00" not in ref


def checked_ref(ref: str) -> str:
    """A reference from a URL, or 404 when no record could have it (``possible_ref``)."""
    if not possible_ref(ref):
        raise Http404
    return ref


def name_ordering() -> tuple[str, ...]:
    """People are listed by name in the reader's script (each order has its index)."""
    return NAME_ORDER["fa" if reads_persian() else "en"]


def by_name(queryset):
    """``queryset`` of people in the reader's name order."""
    return queryset.annotate(**name_order_annotations()).order_by(*name_ordering())


class PublicListView(TemplateView):
    """A filtered, searchable, paged list of published records.

    Subclasses give ``model``, ``filterset_class``, ``base_queryset()`` and
    ``ordering()``. Filters and ``q`` survive paging; a value that names nothing shows
    as an error beside its field and is otherwise ignored.
    """

    model = None
    filterset_class = None
    searchable = True
    context_object_name = "object_list"

    def base_queryset(self):
        return self.model.objects.published()

    def ordering(self) -> tuple[str, ...]:
        return name_ordering()

    def annotate(self, queryset):
        """What the ordering needs beyond columns."""
        return queryset.annotate(**name_order_annotations())

    def version(self) -> str:
        return data_version(self.model)

    def known_count(self, filterset) -> int | None:
        """How many records ``filterset`` finds, where that is known without counting
        them (counts the database keeps); None: the list counts them."""
        return None

    def shown_around(self) -> str | None:
        """A token for what the page shows besides its rows and total (the filters'
        choices, the names of the places and events its rows link to), or None when that
        is not known cheaply: the page then has no ``shown()`` token and is rendered anew
        after every change."""
        return None

    def shown(self) -> str | None:
        """What this page of the list shows, as a token (``archive.pagecache``): its rows,
        each as of its last change, its total and ``shown_around()``. Only where the total
        is known without counting (``known_count``); None for a search."""
        around = self.shown_around()
        if around is None:
            return None
        _filters, queryset, options = self._listing()
        if options["q"] or options["count"] is None:
            return None
        page, bad_cursor = self._paged(queryset, {**options, "values": ("id", "updated_at")})
        rows = [(row["id"], row["updated_at"]) for row in page.object_list]
        return repr((around, page.count, rows, bad_cursor, page.next_params, page.previous_params))

    def _listing(self):
        """The filters as read from the request, the rows they find, and the paging's
        options."""
        request = self.request
        filterset = self.filterset_class(
            filter_params(request.GET, self.filterset_class),
            queryset=self.base_queryset(),
            request=request,
        )
        queryset = self.annotate(filterset.qs)
        q = clean_query(request.GET.get("q")) if self.searchable else ""
        tag = f"{self.model._meta.model_name}-{'-'.join(self.ordering())}"
        count = None if q else self.known_count(filterset)
        options = {
            "q": q,
            "ordering": self.ordering(),
            "tag": tag,
            # Only browsing counts rows (cached under the version), and only where the
            # count is not kept; a search does not.
            "version": "" if q or count is not None else self.version(),
            "per_page": settings.PAGE_SIZE,
            "count": count,
        }
        return filterset, queryset, options

    def _paged(self, queryset, options):
        """The page asked for, and whether its cursor was one this site did not give
        (then the first page)."""
        try:
            return paginate(queryset, self.request.GET, **options), False
        except BadCursor:
            return paginate(queryset, {}, **options), True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        filterset, queryset, options = self._listing()
        q = options["q"]
        page, bad_cursor = self._paged(queryset, options)
        if bad_cursor:
            context["bad_cursor"] = True
        params = request.GET
        context.update(
            {
                "filter": filterset,
                "form": filterset.form,
                "q": q,
                "page": page,
                self.context_object_name: page.object_list,
                "next_query": query_string(params, **page.next_params)
                if page.next_params is not None
                else None,
                "previous_query": query_string(params, **page.previous_params)
                if page.previous_params is not None
                else None,
                "first_query": query_string(params) if page.first_params is not None else None,
                "filters_applied": any(
                    v for k, v in params.items() if k not in ("cursor", "page", "q")
                ),
            }
        )
        return context
