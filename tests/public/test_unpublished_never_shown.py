"""A crawl of every page reachable from / and /fa/, with unpublished records of every
kind linked from published ones: every link leads to a page (no server error, no broken
link), and no unpublished record, private testimony's content or staff note anywhere
(pages, API, downloads, sitemaps)."""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.factories import VictimFactory
from tests.public.conftest import SECRET

HREF = re.compile(r'href="([^"]+)"')
MAX_PAGES = 600


def _body(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        # Compressed PDF streams cannot be searched as text; the dossier tests read the
        # dossiers' text and check them for unpublished records.
        return ""
    return raw.decode()


def crawl(client, starts):
    seen, queue, pages = set(), list(starts), {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        # A link of our own leads to a page or a redirect to one: an error page would be
        # searched for secrets it could never hold.
        # A dossier's PDF not yet rendered answers 503 with Retry-After and a page that
        # says so (archive.dossiers: never a long render in a request); that page is
        # searched like any other.
        preparing = (
            url.endswith("/dossier.pdf")
            and response.status_code == 503
            and int(response["Retry-After"]) > 0
        )
        assert response.status_code in (200, 301, 302) or preparing, (url, response.status_code)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        body = _body(response)
        pages[url] = (response.status_code, body)
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(body):
            href = href.replace("&amp;", "&")
            absolute = urljoin(url, href)
            parts = urlsplit(absolute)
            if parts.netloc not in ("", "testserver") or parts.path.startswith(
                ("/admin", "/static")
            ):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                queue.append(target)
    return pages


@pytest.mark.django_db
def test_crawl_from_home_in_both_languages_finds_no_unpublished_record(client, unpublished):
    pages = crawl(client, ["/", "/fa/"])
    assert len(pages) > 40
    assert "/victims/TEST-LINKED/" in pages
    for url, (_status, body) in pages.items():
        assert SECRET not in body, url
        assert "zzsecret" not in body, url
        assert "ZZSECRET" not in body, url


@pytest.mark.parametrize(
    "url",
    [
        "/api/victims/",
        "/api/victims/?page_size=100",
        "/api/perpetrators/",
        "/api/sources/?page_size=100",
        "/api/victims/TEST-LINKED/",
        "/api/perpetrators/TEST-PERP/",
        "/data/victims.csv",
        "/data/victims.json",
        "/data/perpetrators.csv",
        "/data/sources.json",
        "/data/sources.csv",
        "/sitemap.xml",
        "/sitemap-victims.xml",
        "/sitemap-perpetrators.xml",
        "/sitemap-sources.xml",
        "/sitemap-events.xml",
    ],
)
def test_api_downloads_and_sitemaps_hold_no_unpublished_record(client, unpublished, url):
    response = client.get(url)
    assert response.status_code == 200
    body = _body(response)
    assert SECRET not in body
    assert "zzsecret" not in body.lower()


@pytest.mark.parametrize(
    "url, found",
    [
        ("/victims/?q=victim", "Linked Published Victim"),
        ("/api/victims/?q=withdrawn", "Testname Withdrawn"),
        ("/api/perpetrators/?q=perpetrator", "Published Perpetrator"),
    ],
)
def test_a_search_that_would_match_an_unpublished_record_finds_only_published_ones(
    client, unpublished, url, found
):
    VictimFactory(name_latin="Testname Withdrawn")  # published, a namesake of the withdrawn
    response = client.get(url)
    assert response.status_code == 200
    body = _body(response)
    assert found in body  # the search did run and find: an empty answer proves nothing
    assert SECRET not in body
    assert "zzsecret" not in body.lower()


def test_a_published_victim_linked_to_unpublished_records_shows_them_not(client, unpublished):
    html = client.get("/victims/TEST-LINKED/").content.decode()
    assert "Linked Published Victim" in html
    assert "/events/zzsecret-event/" not in html
    assert "Private testimony, received 2024-03-05" in html
    assert "example.org/zzsecret" not in html


def test_a_perpetrator_on_an_unpublished_commission_shows_no_membership(client, unpublished):
    html = client.get("/perpetrators/TEST-PERP/").content.decode()
    assert "No published source links this person to a commission." in html
