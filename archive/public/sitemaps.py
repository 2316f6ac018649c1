"""``/sitemap.xml``: an index of per-kind sitemaps, each paged by Django (1,000 addresses a
page), published records only, with the Persian alternate of every URL."""

from html import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, Subquery
from django.urls import reverse
from django.utils.timezone import template_localtime

from archive.core.models import Event
from archive.core.paths import record_path
from perpetrators.models import Perpetrator
from sources.models import Source
from victims import facet_tallies
from victims.models import Victim


class _I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Items are (record, language) pairs: 500 records a page, 0.36 MB. Twenty crawlers or
    # readers at once pay for a page's size even when it is kept: at 2,500 records a page
    # (1.8 MB) their p95 was 69-103 ms warm and 117-127 ms right after an edit at a
    # million, at 500 it is 26-50 and 42-63 (docs/benchmarks.md). At 20,000 a page was
    # 7 MB and took a worker 3.6 s to render anew. The protocol allows 50,000 addresses
    # a page and 50,000 pages in the index.
    limit = 1_000


class StaticSitemap(_I18nSitemap):
    names = [
        "home",
        "victims:victim-list",
        "perpetrators:perpetrator-list",
        "sources:source-list",
        "archive:event-list",
        "archive:stats",
        "archive:about",
        "archive:open-data",
    ]

    def items(self):
        return self.names

    def location(self, item):
        return reverse(item)


class _InLanguages:
    """A queryset's records (ordered by primary key: ``_records`` pages by it), each once
    per language (``(record, language)``), in the order Django's translated sitemaps pair
    them, read a page at a time: Django makes the list of every pair first
    (``Sitemap._items``), which read every published victim for each page of the sitemap
    and for its index (20 s a request at a million)."""

    def __init__(self, queryset, languages, total, locate=None):
        self.queryset, self.languages, self.total = queryset, list(languages), total
        self.locate = locate

    def count(self) -> int:
        return self.total() * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        n = len(self.languages)
        if not isinstance(key, slice):
            return (self.queryset[key // n], self.languages[key % n])
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        first = start // n
        records = self._records(first, -(-stop // n) - first)
        pairs = [(r, lang) for r in records for lang in self.languages]
        return pairs[start - first * n : stop - first * n]

    def _records(self, first: int, count: int):
        """``count`` records from the ``first``-th on. Where the section knows where its
        records are (``locate``: the victims' kept counts per block of ids), the page
        starts reading at the block of its first record and skips fewer than a block's
        rows. Otherwise the records before it are counted through an index of their
        primary keys alone, not read: a page deep in the sitemap skipped the million
        records before it with OFFSET, reading each (0.3-1 s a page at a million,
        ``victim_published_id``); counting them still passed over each index entry
        (39-47 ms of PostgreSQL for the last page at a million, after every edit)."""
        if not first:
            return self.queryset[:count]
        if self.locate is not None:
            located = self.locate(first)
            if located is None:
                return []
            lowest, skip = located
            return self.queryset.filter(pk__gte=lowest)[skip : skip + count]
        start = self.queryset.values("pk")[first : first + 1]
        return self.queryset.filter(pk__gte=Subquery(start))[:count]


class _RecordSitemap(_I18nSitemap):
    # The record's public page: its URL's name and the keyword that is the record's field.
    url_name = ""
    url_key = "ref"
    # Where the ``n``-th record in the order of primary keys is: ``(lowest pk, rows to
    # skip from it)``, or None past the last (``_InLanguages._records``); None: count.
    locate = None

    def _items(self):
        # Django's hook (private, no public one): the pairs read a page at a time.
        return _InLanguages(self.items(), self._languages(), self.total, self.locate)

    def _location(self, item, force_lang_code=None):
        """The path of ``item``'s (record, language) page, or of the record's page in
        ``force_lang_code`` (``record_path``): Django's hook activates the language and
        reverses the URL for every address and alternate, 20,000 a page."""
        record, language = item
        key = getattr(record, self.url_key)
        return record_path(self.url_name, self.url_key, key, force_lang_code or language)

    def total(self) -> int:
        """How many records the section lists (what its pages are counted from)."""
        return self.items().count()

    def lastmod(self, obj):
        return obj.updated_at

    def get_latest_lastmod(self):
        """The index's date for the section, the newest change of its records, read as
        one aggregate: Django's own asks ``lastmod`` of every record, which loaded every
        published victim into memory for each ``/sitemap.xml`` (31 s at a million)."""
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class VictimSitemap(_RecordSitemap):
    url_name = "victims:victim-detail"
    # The kept counts per block of ids: the last page at a million skips < 10,000 rows.
    locate = staticmethod(facet_tallies.locate)

    def items(self):
        return Victim.objects.published().only("ref", "updated_at").order_by("pk")

    def total(self) -> int:
        # As the database keeps it: the index is made anew after every edit of a victim
        # (its date moves), and counting a million published victims took 37 ms of it.
        return facet_tallies.published_count()


class PerpetratorSitemap(_RecordSitemap):
    url_name = "perpetrators:perpetrator-detail"

    def items(self):
        return Perpetrator.objects.published().only("ref", "updated_at").order_by("pk")


class SourceSitemap(_RecordSitemap):
    url_name, url_key = "sources:source-detail", "pk"

    def items(self):
        return Source.objects.public().only("pk", "updated_at").order_by("pk")


class EventSitemap(_RecordSitemap):
    url_name, url_key = "archive:event-detail", "slug"

    def items(self):
        return Event.objects.published().only("slug", "updated_at").order_by("pk")


SITEMAPS = {
    "pages": StaticSitemap,
    "victims": VictimSitemap,
    "perpetrators": PerpetratorSitemap,
    "sources": SourceSitemap,
    "events": EventSitemap,
}


# --- The index and a section's page, written ----------------------------------------------
#
# Django's view pages the section and reads its addresses; its template then writes them,
# a variable at a time: most of what a page cost at a million once the addresses were
# made once per language (above). ``section`` and ``index`` keep Django's views (paging,
# 404s, Last-Modified) and write the same bytes as the templates (tests hold them equal),
# escaped as the template does (Django's ``escape`` is the standard library's, behind a
# wrapper for lazy text that cost a tenth of a page here).

URLSET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
    'sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
URLSET_CLOSE = "\n</urlset>\n"


def _url_element(url: dict) -> str:
    parts = [f"<url><loc>{escape(url['location'])}</loc>"]
    if url["lastmod"]:
        parts.append(f"<lastmod>{template_localtime(url['lastmod']):%Y-%m-%d}</lastmod>")
    if url["changefreq"]:
        parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
    if url["priority"]:
        parts.append(f"<priority>{escape(url['priority'])}</priority>")
    parts.extend(
        f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
        f'href="{escape(alternate["location"])}"/>'
        for alternate in url["alternates"]
    )
    parts.append("</url>")
    return "".join(parts)


SITEMAPINDEX_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)
SITEMAPINDEX_CLOSE = "\n</sitemapindex>\n"


def index(request):
    """``/sitemap.xml``: Django's index view, written directly as ``section`` writes a
    page. At a million it lists 1,906 pages, and its template took 63-96 ms of CPU to
    write them after every edit of a victim (the index's date moves)."""
    response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="archive:sitemap-section")
    # A section's pages share its date: each is written once.
    dates: dict = {}

    def lastmod(when) -> str:
        if not when:
            return ""
        if when not in dates:
            dates[when] = f"<lastmod>{template_localtime(when).isoformat()}</lastmod>"
        return dates[when]

    response.content = (
        SITEMAPINDEX_OPEN
        + "".join(
            f"<sitemap><loc>{escape(item.location)}</loc>{lastmod(item.last_mod)}</sitemap>"
            for item in response.context_data["sitemaps"]
        )
        + SITEMAPINDEX_CLOSE
    )
    return response


def section(request, section: str):
    """``/sitemap-<section>.xml``: Django's sitemap view, its page written directly."""
    response = sitemap_views.sitemap(request, SITEMAPS, section=section)
    urls = response.context_data["urlset"]
    response.content = URLSET_OPEN + "".join(_url_element(url) for url in urls) + URLSET_CLOSE
    return response
