"""Whole public pages are cached for anonymous readers, and never outlive the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.core.models import ChangeCounter
from tests.conftest import signed_in
from tests.factories import (
    CitationFactory,
    PerpetratorFactory,
    SourceFactory,
    SubmissionFactory,
    VictimFactory,
)

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_a_second_reader_gets_the_list_for_one_query(client):
    VictimFactory(name_latin="Cachetest Person")
    first, first_queries = _queries(client, "/victims/")
    second, second_queries = _queries(client, "/victims/")
    assert second.content == first.content
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert "Cachetest Person" in second.content.decode()
    assert first_queries > 1
    assert second_queries == 1  # the data's version


def test_english_and_persian_pages_are_kept_apart(client):
    VictimFactory(name_latin="Cachetest Person")
    english = client.get("/victims/").content.decode()
    persian = client.get("/fa/victims/").content.decode()
    assert '<html lang="en"' in english
    assert '<html lang="fa"' in persian
    assert '<html lang="en"' in client.get("/victims/").content.decode()


def test_withdrawing_a_record_takes_it_off_the_cached_list_and_page(client):
    victim = VictimFactory(name_latin="Cachetest Withdrawn")
    assert "Cachetest Withdrawn" in client.get("/victims/").content.decode()
    assert client.get(f"/victims/{victim.ref}/").status_code == 200
    victim.publication_status = "withdrawn"
    victim.save()
    for url in ("/victims/", "/api/victims/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Cachetest Withdrawn" not in response.content.decode(), url
    assert client.get(f"/victims/{victim.ref}/").status_code == 404


def test_deleting_a_citation_refreshes_the_cached_page(client, django_capture_on_commit_callbacks):
    # A citation has no updated_at: the change counter carries its deletion.
    # Each block stands for a committed transaction (the test runs inside one).
    with django_capture_on_commit_callbacks(execute=True):
        victim = VictimFactory()
        source = SourceFactory(title="Cachetest Report")
        citation = CitationFactory(content_object=victim, source=source)
    url = f"/victims/{victim.ref}/"
    assert "Cachetest Report" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        citation.delete()
    response = client.get(url)
    assert response.status_code == 200
    assert "Cachetest Report" not in response.content.decode()


def test_many_saves_in_one_transaction_move_the_counter_once(
    django_capture_on_commit_callbacks,
):
    before = ChangeCounter.objects.get(pk=1).value
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        VictimFactory.create_batch(5)
    assert len(callbacks) == 1
    assert ChangeCounter.objects.get(pk=1).value == before + 1


def test_a_family_submission_does_not_empty_the_cache(django_capture_on_commit_callbacks):
    before = ChangeCounter.objects.get(pk=1).value
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        SubmissionFactory()
    assert callbacks == []
    assert ChangeCounter.objects.get(pk=1).value == before


def test_staff_with_a_session_never_get_a_cached_page(client, researcher):
    victim = VictimFactory(name_latin="Cachetest Draft", publication_status="draft")
    VictimFactory(name_latin="Cachetest Public")
    client.get("/victims/")  # cached for the anonymous
    staff = signed_in(client, researcher)
    response, queries = _queries(staff, "/victims/")
    assert response.status_code == 200
    assert "X-Cache" not in response
    assert queries > 1
    assert "Cachetest Public" in response.content.decode()
    assert victim.name_latin not in response.content.decode()


def test_each_reader_of_the_form_gets_their_own_csrf_token():
    import re

    from django.test import Client

    pattern = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    first = pattern.search(Client().get("/submit/").content.decode()).group(1)
    second = pattern.search(Client().get("/submit/").content.decode()).group(1)
    assert first != second


def test_a_page_rendered_by_one_worker_is_served_by_another_from_the_shared_cache(settings):
    from django.core.cache import caches
    from django.test import Client

    settings.PAGE_CACHE_SHARED = "default"
    settings.PAGE_CACHE_SHARE_MS = 0  # however fast this machine renders the page
    VictimFactory(name_latin="Cachetest Shared")
    first = Client().get("/victims/")
    caches["pages"].clear()  # another worker: its own memory is empty
    with CaptureQueriesContext(connection) as queries:
        second = Client().get("/victims/")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    # The data's version and the shared cache (and the savepoint a test's transaction
    # puts around the latter): nothing of the page's own queries.
    sql = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(sql) == 2 and "archive_cache" in sql[1]


def test_a_broken_shared_cache_costs_speed_not_the_page(settings):
    settings.PAGE_CACHE_SHARED = "broken"
    settings.PAGE_CACHE_SHARE_MS = 0
    settings.CACHES = {
        **settings.CACHES,
        "broken": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "no_such_table",
        },
    }
    VictimFactory(name_latin="Cachetest Broken")
    from django.test import Client

    response = Client().get("/victims/")
    assert response.status_code == 200
    assert "Cachetest Broken" in response.content.decode()


def test_an_import_refreshes_cached_pages_when_it_commits(
    client, tmp_path, django_capture_on_commit_callbacks, reviewer
):
    from django.core.management import call_command

    before = client.get("/victims/")
    assert before.status_code == 200
    assert "Cachetest Imported" not in before.content.decode()
    path = tmp_path / "people.csv"
    path.write_text(
        "ref,name_latin,publication_status\nTEST-IMP-1,Cachetest Imported,published\n",
        encoding="utf-8",
    )
    source = SourceFactory(title="Synthetic list for the cache test")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_records", "victims", str(path), "--as", "reviewer",
                     "--source", str(source.pk), verbosity=0)  # fmt: skip
    assert "Cachetest Imported" in client.get("/victims/").content.decode()


def test_pages_cheaper_to_render_than_to_share_skip_the_shared_level(settings):
    from django.test import Client

    settings.PAGE_CACHE_SHARED = "default"
    settings.PAGE_CACHE_SHARE_MS = 10_000  # every page here renders faster than that
    first, second = PerpetratorFactory(), PerpetratorFactory()
    worker = Client()
    worker.get(f"/perpetrators/{first.ref}/")  # rendered, found cheap, not shared
    with CaptureQueriesContext(connection) as queries:
        response = worker.get(f"/perpetrators/{second.ref}/")
    assert response["X-Cache"] == "miss"
    assert not any("archive_cache" in q["sql"] for q in queries)


def test_after_an_edit_the_statistics_are_made_once_after_an_answer_however_cheap_they_were(
    settings,
):
    from django.test import Client

    settings.PAGE_CACHE_SHARED = "default"
    settings.PAGE_CACHE_SHARE_MS = 10_000  # every render here is cheap by its time alone
    VictimFactory(name_latin="Cachetest Counted", publication_status="published")
    first, second = Client(), Client()  # two workers
    assert first.get("/stats/")["X-Cache"] == "miss"  # the figures computed and kept
    # The other worker renders the Persian page with the figures kept: cheap, yet a page
    # of kept figures.
    assert second.get("/fa/stats/")["X-Cache"] == "miss"
    VictimFactory(name_latin="Cachetest Counted Too", publication_status="published")

    # Its reader right after the edit is answered at once with the page it replaces; the
    # page and its figures are made after that answer, not while the reader waits.
    answered = second.get("/fa/stats/")
    assert answered["X-Cache"] == "stale"
    again = second.get("/fa/stats/")
    assert again["X-Cache"] == "hit"
    assert again.content != answered.content  # the figures with the new person counted


def test_a_search_is_kept_by_its_worker_and_not_written_to_the_shared_cache(settings):
    from django.core.cache import caches
    from django.test import Client

    settings.PAGE_CACHE_SHARED = "default"
    settings.PAGE_CACHE_SHARE_MS = 0  # however fast this machine ranks
    VictimFactory(name_latin="Cachetest Searched")
    worker = Client()
    with CaptureQueriesContext(connection) as queries:
        first = worker.get("/api/victims/", {"q": "Cachetest Searched"})
    assert first["X-Cache"] == "miss"
    assert first.json()["results"][0]["name_latin"] == "Cachetest Searched"
    assert not any("archive_cache" in q["sql"] for q in queries)
    # Asked again of the same worker: from its memory.
    assert worker.get("/api/victims/", {"q": "Cachetest Searched"})["X-Cache"] == "hit"
    # Another worker finds nothing of it in the shared level and renders it itself.
    caches["pages"].clear()
    assert worker.get("/api/victims/", {"q": "Cachetest Searched"})["X-Cache"] == "miss"


def test_the_site_header_kept_between_pages_marks_each_pages_section_in_its_language(client):
    """The header and footer are rendered once per worker, language and section."""
    client.get("/victims/")
    perpetrators = client.get("/perpetrators/").content.decode()
    assert '<a href="/perpetrators/" aria-current="page">Perpetrators</a>' in perpetrators
    assert '<a href="/victims/" aria-current' not in perpetrators
    persian = client.get("/fa/victims/").content.decode()
    assert '<a href="/fa/victims/" aria-current="page">' in persian
    assert '<li><a href="/victims/"' not in persian  # no English nav kept from before


# --- The Host header --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/victims/", "/fa/victims/", "/api/victims/"])
def test_a_request_for_another_of_our_names_does_not_change_the_links_others_get(settings, path):
    from django.test import Client

    # Two names the site answers to (its address and a mirror, or an onion service):
    # each reader gets links to the name they asked for.
    settings.ALLOWED_HOSTS = ["archive.example", "mirror.example"]
    VictimFactory(name_latin="Cachetest Host")
    Client().get(path, HTTP_HOST="mirror.example")
    page = Client().get(path, HTTP_HOST="archive.example").content.decode()
    assert "archive.example" in page
    assert "mirror.example" not in page


def test_a_request_over_https_does_not_change_the_scheme_of_the_links_others_get(settings):
    from django.test import Client

    settings.ALLOWED_HOSTS = ["archive.example"]
    VictimFactory(name_latin="Cachetest Scheme")
    Client().get("/api/victims/", HTTP_HOST="archive.example", secure=True)
    page = Client().get("/api/victims/", HTTP_HOST="archive.example").content.decode()
    assert "http://archive.example/" in page
    assert "https://" not in page


def test_a_host_we_do_not_answer_to_is_refused_before_the_cache_is_read(settings):
    from django.test import Client

    settings.ALLOWED_HOSTS = ["archive.example"]
    settings.PAGE_CACHE_SHARED = "default"
    settings.PAGE_CACHE_SHARE_MS = 0
    VictimFactory(name_latin="Cachetest Refused")
    assert Client().get("/victims/", HTTP_HOST="archive.example")["X-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = Client(raise_request_exception=False).get(
            "/victims/", HTTP_HOST="attacker.example"
        )
    assert response.status_code == 400
    assert "Cachetest Refused" not in response.content.decode()
    assert "X-Cache" not in response
    assert not any("archive_cache" in q["sql"] for q in queries)


def test_the_datas_version_is_planned_once_per_connection_and_still_moves_with_an_edit(
    client, django_capture_on_commit_callbacks
):
    """Every request reads the data's version; PostgreSQL spent 0.7 ms planning that
    read for 0.1 ms of work. It is prepared once per connection, and still current."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL prepares statements")
    from archive.core.versions import site_version

    with CaptureQueriesContext(connection) as queries:
        first = site_version()
        again = site_version()
    with django_capture_on_commit_callbacks(execute=True):
        VictimFactory()
    assert first == again != site_version()
    reads = [q["sql"] for q in queries.captured_queries]
    assert len(reads) == 2
    assert all(sql.startswith("EXECUTE archive_site_version_") for sql in reads), reads


def test_pages_still_answer_when_the_server_connection_lost_the_prepared_version_read(
    client, transactional_db
):
    """A pooler that hands the worker another server connection (docs/deploy.md,
    SEARCH_PREPARED) leaves it without the statements it prepared: the data's version is
    then read plainly, and prepared again afterwards, not a failed page."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL prepares statements")
    VictimFactory(name_latin="Pooled Testperson")
    assert client.get("/victims/").status_code == 200
    with connection.connection.cursor() as cursor:  # as a switched server connection
        cursor.execute("DEALLOCATE ALL")
    response = client.get("/victims/?page=1")
    assert response.status_code == 200
    assert "Pooled Testperson" in response.content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/victims/?n=2").status_code == 200
    assert any("EXECUTE archive_site_version_" in q["sql"] for q in queries.captured_queries)


def test_a_victims_page_is_kept_by_its_worker_and_not_written_to_the_shared_cache(settings):
    from django.core.cache import caches
    from django.test import Client

    settings.PAGE_CACHE_SHARED = "default"
    settings.PAGE_CACHE_SHARE_MS = 0  # however fast this machine renders it
    victim = VictimFactory(name_latin="Cachetest Own Page")
    worker = Client()
    with CaptureQueriesContext(connection) as queries:
        first = worker.get(f"/victims/{victim.ref}/")
    assert first["X-Cache"] == "miss" and "Cachetest Own Page" in first.content.decode()
    written = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    assert not [sql for sql in written if "archive_cache" in sql and ":page" in sql], written
    # Asked again of the same worker: from its memory, for the data's version alone.
    with CaptureQueriesContext(connection) as queries:
        again = worker.get(f"/victims/{victim.ref}/")
    assert again["X-Cache"] == "hit" and again.content == first.content
    assert len([q for q in queries if "SAVEPOINT" not in q["sql"]]) == 1
    # Another worker renders it itself; the list, costlier to render, is still shared.
    caches["pages"].clear()
    assert worker.get(f"/victims/{victim.ref}/")["X-Cache"] == "miss"
    worker.get("/victims/")
    caches["pages"].clear()
    assert worker.get("/victims/")["X-Cache"] == "hit"


def test_a_victims_page_reads_no_hearings_or_relations_of_a_person_who_has_none(client):
    victim = VictimFactory(name_latin="Cachetest Alone", publication_status="published")
    CitationFactory(content_object=victim)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/victims/{victim.ref}/")
    assert response.status_code == 200 and "Cachetest Alone" in response.content.decode()
    read = [q["sql"] for q in queries]
    assert not [sql for sql in read if sql.startswith('SELECT "victims_hearing".')], read
    assert not [sql for sql in read if sql.startswith('SELECT "victims_familyrelation".')], read
