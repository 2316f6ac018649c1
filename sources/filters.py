"""Filters of the public sources list and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from archive.core.filters import ANY, YearFilter
from sources.evidence import fold
from sources.models import Document, DocumentPage, Source


class SourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Title, publisher, author or words in its documents"),
        method="filter_text",
        max_length=200,
    )
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices, label=_("Kind"),
                                       empty_label=ANY)  # fmt: skip
    language = django_filters.CharFilter(
        label=_("Language"), max_length=8, help_text=_("ISO 639-1 code, e.g. en, fa.")
    )
    year = YearFilter(field_name="date", label=_("Year of publication"))

    class Meta:
        model = Source
        fields = []

    def filter_text(self, queryset, name, value):
        described = Q()
        for word in value.split()[:8]:
            described &= (
                Q(title__icontains=word) | Q(publisher__icontains=word) | Q(author__icontains=word)
            )
        # The sources whose documents hold the phrase, read first on their own: as a
        # subquery OR-ed with the description, PostgreSQL read every page (400 ms over
        # 10,000 pages) instead of the trigram index (25 ms; bench/document_search.py).
        holding = pages_holding(value).order_by().values_list("document__source_id", flat=True)
        in_documents = Q(pk__in=set(holding.distinct()))
        return queryset.filter(described | in_documents)


def pages_holding(phrase: str):
    """The pages of public documents where ``phrase`` stands (folded as the text was when
    the document was added: Persian letter forms, case, accents, punctuation)."""
    key = fold(phrase)
    if not key:
        return DocumentPage.objects.none()
    return DocumentPage.objects.filter(document__in=Document.objects.public(), folded__contains=key)


def first_pages(phrase: str, source_ids) -> dict[int, DocumentPage]:
    """For each of ``source_ids``, the first page of its documents that holds ``phrase``."""
    found: dict[int, DocumentPage] = {}
    pages = (
        pages_holding(phrase)
        .filter(document__source_id__in=list(source_ids))
        .select_related("document")
        .only("number", "document__id", "document__source_id", "document__title", "document__kind")
        .order_by("document__source_id", "document_id", "number")
    )
    for page in pages[:500]:
        found.setdefault(page.document.source_id, page)
    return found
