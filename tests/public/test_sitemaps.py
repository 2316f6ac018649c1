"""The sitemaps at any size: a page of a section reads a page of records, the index reads
none (counts and the newest change), and the pages list each record in both languages
exactly as Django's own translated sitemaps do."""

import re

import pytest
from django.contrib.sitemaps import Sitemap
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.core.models import PublicationStatus
from archive.public.sitemaps import VictimSitemap
from tests.factories import VictimFactory
from victims.models import Victim

pytestmark = pytest.mark.django_db


def _victim_reads(client, url) -> list[str]:
    """The statements reading victims' rows (not counting them) while ``url`` renders."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        q["sql"] for q in queries.captured_queries
        if 'FROM "victims_victim"' in q["sql"] and q["sql"].startswith("SELECT")
        and "COUNT(" not in q["sql"] and "MAX(" not in q["sql"]
    ]  # fmt: skip


def test_the_index_reads_no_victim_and_a_section_page_reads_one_page(client, monkeypatch):
    monkeypatch.setattr(VictimSitemap, "limit", 4)  # two victims a page, each in 2 languages
    for n in range(5):
        VictimFactory(name_latin=f"Testname Mapped{n}")

    assert _victim_reads(client, "/sitemap.xml") == []  # every victim, read for a date
    (page,) = _victim_reads(client, "/sitemap-victims.xml?p=2")
    assert "LIMIT 2" in page and "OFFSET 2" in page


def test_a_section_lists_each_record_in_both_languages_as_djangos_own_sitemap(client, monkeypatch):
    monkeypatch.setattr(VictimSitemap, "limit", 3)  # pages that split a record's languages
    refs = [VictimFactory(name_latin=f"Testname Paired{n}").ref for n in range(4)]
    ours = [client.get(f"/sitemap-victims.xml?p={p}").content.decode() for p in (1, 2, 3)]
    index = client.get("/sitemap.xml").content.decode()

    monkeypatch.setattr(VictimSitemap, "_items", Sitemap._items)  # Django's: every pair first
    for cache in caches.all():
        cache.clear()  # the pages anew, not as kept
    theirs = [client.get(f"/sitemap-victims.xml?p={p}").content.decode() for p in (1, 2, 3)]

    assert ours == theirs
    assert index.count("sitemap-victims.xml") == 3
    locations = re.findall(r"<loc>([^<]+)</loc>", "".join(ours))
    for ref in refs:
        assert f"http://testserver/victims/{ref}/" in locations
        assert f"http://testserver/fa/victims/{ref}/" in locations


def test_the_index_pages_the_published_victims_as_the_database_keeps_them_without_counting(
    client, monkeypatch
):
    monkeypatch.setattr(VictimSitemap, "limit", 4)  # two victims a page, each in 2 languages
    victims = [VictimFactory(name_latin=f"Testname Counted{n}") for n in range(5)]
    assert client.get("/sitemap.xml").content.decode().count("sitemap-victims.xml") == 3

    Victim.objects.filter(pk=victims[0].pk).update(publication_status=PublicationStatus.WITHDRAWN)
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        index = client.get("/sitemap.xml").content.decode()

    assert index.count("sitemap-victims.xml") == 2  # four published: two pages
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert not [sql for sql in counts if 'FROM "victims_victim"' in sql]
