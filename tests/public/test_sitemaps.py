"""The sitemaps at any size: a page of a section reads a page of records, the index reads
none (counts and the newest change), and the pages list each record in both languages
exactly as Django's own translated sitemaps do."""

import re

import pytest
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from archive.core.models import PublicationStatus
from archive.public.sitemaps import SITEMAPS, VictimSitemap
from tests.factories import EventFactory, PerpetratorFactory, SourceFactory, VictimFactory
from victims.facet_tallies import BLOCK
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
    # Two records, from the third on, read from their block of ids on (the kept counts
    # say where the third is): no statement passes over the records before it.
    assert "(SELECT" not in page
    assert _start(page) == (0, 2) and page.endswith("LIMIT 2 OFFSET 2")


def _start(sql: str) -> tuple[int, int]:
    """Where a page's statement starts reading: (the lowest id, the rows skipped)."""
    lowest = re.search(r'"id" >= (\d+)', sql)
    skip = re.search(r"OFFSET (\d+)$", sql)
    return int(lowest.group(1)), int(skip.group(1)) if skip else 0


def test_a_page_deep_in_the_table_starts_at_its_block_as_djangos_own(client, monkeypatch):
    # Published victims spread over four blocks of ids, drafts and a withdrawn record
    # between them: each page lists what Django's own does, and reads from the block of
    # its first record, skipping fewer rows than a block holds.
    base = 9_000 * BLOCK  # far above the ids the suite's sequences give
    published = []
    for n, offset in enumerate((3, BLOCK - 1, BLOCK, BLOCK + 7, 3 * BLOCK + 1, 3 * BLOCK + 2)):
        published.append(VictimFactory(id=base + offset, name_latin=f"Testname Deep{n}").ref)
    VictimFactory(id=base + 5, name_latin="Testname Draftdeep", publication_status="draft")
    VictimFactory(id=base + BLOCK + 1, name_latin="Testname Gonedeep",
                  publication_status=PublicationStatus.WITHDRAWN)  # fmt: skip

    # One victim a page: the fourth record is the second published one of its block
    # (the withdrawn record between them is not counted), the sixth the second of its.
    monkeypatch.setattr(VictimSitemap, "limit", 2)
    (fourth,) = _victim_reads(client, "/sitemap-victims.xml?p=4")
    assert _start(fourth) == (base + BLOCK, 1)
    (sixth,) = _victim_reads(client, "/sitemap-victims.xml?p=6")
    assert _start(sixth) == (base + 3 * BLOCK, 1)
    assert client.get("/sitemap-victims.xml?p=7").status_code == 404

    monkeypatch.setattr(VictimSitemap, "limit", 4)  # two victims a page
    for cache in caches.all():
        cache.clear()
    ours = [client.get(f"/sitemap-victims.xml?p={p}").content.decode() for p in (1, 2, 3)]
    theirs = _djangos_own(client, monkeypatch, VictimSitemap, "victims", pages=3)

    assert ours == theirs
    listed = re.findall(r"<loc>http://testserver/victims/([^/<]+)/</loc>", "".join(ours))
    assert listed == published


def test_a_section_lists_each_record_in_both_languages_as_djangos_own_sitemap(client, monkeypatch):
    monkeypatch.setattr(VictimSitemap, "limit", 3)  # pages that split a record's languages
    refs = [VictimFactory(name_latin=f"Testname Paired{n}").ref for n in range(4)]
    ours = [client.get(f"/sitemap-victims.xml?p={p}").content.decode() for p in (1, 2, 3)]
    index = client.get("/sitemap.xml").content.decode()

    theirs = _djangos_own(client, monkeypatch, VictimSitemap, "victims", pages=3)

    assert ours == theirs
    assert index.count("sitemap-victims.xml") == 3
    locations = re.findall(r"<loc>([^<]+)</loc>", "".join(ours))
    for ref in refs:
        assert f"http://testserver/victims/{ref}/" in locations
        assert f"http://testserver/fa/victims/{ref}/" in locations
    assert 'hreflang="x-default" href="http://testserver/victims/' in ours[0]


def test_pages_between_drafts_list_each_published_record_once_as_djangos_own(client, monkeypatch):
    # A page begins at the record its place among the published gives, whatever drafts
    # and withdrawn records lie between them in the table.
    monkeypatch.setattr(VictimSitemap, "limit", 4)  # two victims a page
    published = []
    for n in range(7):
        published.append(VictimFactory(name_latin=f"Testname Shown{n}").ref)
        VictimFactory(name_latin=f"Testname Hidden{n}", publication_status="draft")
    ours = [client.get(f"/sitemap-victims.xml?p={p}").content.decode() for p in (1, 2, 3, 4)]

    theirs = _djangos_own(client, monkeypatch, VictimSitemap, "victims", pages=4)

    assert ours == theirs
    listed = re.findall(r"<loc>http://testserver/victims/([^/<]+)/</loc>", "".join(ours))
    assert listed == published  # in order, each once, no draft


def _djangos_own(client, monkeypatch, sitemap, section: str, *, pages: int) -> list[str]:
    """The section's pages as Django's own translated sitemap makes them: every pair
    listed first, each address reversed in its language."""
    monkeypatch.setattr(sitemap, "_items", Sitemap._items)
    monkeypatch.setattr(sitemap, "_location", Sitemap._location)
    pages_made = []
    for p in range(1, pages + 1):
        request = RequestFactory().get(f"/sitemap-{section}.xml", {"p": p})
        response = sitemap_views.sitemap(request, SITEMAPS, section=section)  # its template
        pages_made.append(response.render().content.decode())
    return pages_made


@pytest.mark.parametrize(
    ("section", "make"),
    [
        ("perpetrators", lambda n: PerpetratorFactory(name_latin=f"Testname Listed{n}")),
        ("sources", lambda n: SourceFactory(title=f"Synthetic list {n}")),
        ("events", lambda n: EventFactory(slug=f"synthetic-event-{n}")),
        ("pages", lambda n: None),  # the site's own pages: written as the template does
    ],
)
def test_every_section_gives_the_addresses_django_would(client, monkeypatch, section, make):
    sitemap = SITEMAPS[section]
    monkeypatch.setattr(sitemap, "limit", 3)
    for n in range(3):
        make(n)
    ours = [client.get(f"/sitemap-{section}.xml?p={p}").content.decode() for p in (1, 2)]

    theirs = _djangos_own(client, monkeypatch, sitemap, section, pages=2)

    assert ours == theirs
    assert ours[0].count("<loc>") == 3


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


def test_a_page_past_the_last_or_not_a_number_is_not_found_and_a_page_says_when_it_changed(
    client,
):
    victim = VictimFactory(name_latin="Testname Dated")

    page = client.get("/sitemap-victims.xml")
    assert page.status_code == 200
    assert page["Content-Type"] == "application/xml"
    assert page["Last-Modified"] == http_date(victim.updated_at.timestamp())
    assert client.get("/sitemap-victims.xml?p=2").status_code == 404
    assert client.get("/sitemap-victims.xml?p=two").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_index_lists_every_page_of_every_section_as_djangos_own_template_does(
    client, monkeypatch
):
    monkeypatch.setattr(VictimSitemap, "limit", 2)  # a victim a page, in both languages
    for n in range(3):
        VictimFactory(name_latin=f"Testname Indexed{n}")
    SourceFactory(title="Synthetic list & <indexed>")

    ours = client.get("/sitemap.xml")
    request = RequestFactory().get("/sitemap.xml")
    theirs = sitemap_views.index(request, SITEMAPS, sitemap_url_name="archive:sitemap-section")

    assert ours.content.decode() == theirs.render().content.decode()
    index = ours.content.decode()
    assert index.count("<sitemap>") == 3 + 4  # three pages of victims; the other sections
    assert "sitemap-victims.xml?p=3</loc><lastmod>" in index
    assert "<loc>http://testserver/sitemap-pages.xml</loc></sitemap>" in index  # no date
