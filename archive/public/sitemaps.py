"""``/sitemap.xml``: an index of per-kind sitemaps, each paged by Django (50,000 URLs a
page), published records only, with the Persian alternate of every URL."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from archive.core.models import Event
from perpetrators.models import Perpetrator
from sources.models import Source
from victims.models import Victim


class _I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Each item appears once per language: keep a page under the 50,000-URL limit.
    limit = 20_000


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


class VictimSitemap(_I18nSitemap):
    def items(self):
        return Victim.objects.published().only("ref", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class PerpetratorSitemap(VictimSitemap):
    def items(self):
        return Perpetrator.objects.published().only("ref", "updated_at").order_by("pk")


class SourceSitemap(VictimSitemap):
    def items(self):
        return Source.objects.public().only("pk", "updated_at").order_by("pk")


class EventSitemap(VictimSitemap):
    def items(self):
        return Event.objects.published().only("slug", "updated_at").order_by("pk")


SITEMAPS = {
    "pages": StaticSitemap,
    "victims": VictimSitemap,
    "perpetrators": PerpetratorSitemap,
    "sources": SourceSitemap,
    "events": EventSitemap,
}
