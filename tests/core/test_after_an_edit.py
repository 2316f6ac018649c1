"""No stall after an edit: the statistics (and the counts) are computed by one worker
while the others serve the previous figures, marked with their time; a withdrawal is never
hidden behind old figures."""

import datetime
import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection, connections

from archive.core import caching
from archive.core.caching import PREVIOUS_FIGURES, kept
from archive.core.models import PublicationStatus
from tests.factories import VictimFactory
from victims.models import Fate

LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
}


@pytest.fixture
def shared_memory_cache(settings):
    """Caches every thread of this process shares (the database cache's role)."""
    settings.CACHES = {**settings.CACHES, **LOCMEM}
    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.django_db(transaction=True)  # each reader's own connection
def test_one_computation_serves_every_reader_arriving_together(shared_memory_cache):
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.3)
        return {"total": 7}

    results = []

    def reader():
        try:
            results.append(kept("synthetic-figures", "v1", slow, timeout=60))
        finally:
            connections.close_all()  # this thread's own

    readers = [threading.Thread(target=reader) for _ in range(8)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()

    assert len(calls) == 1
    assert results == [{"total": 7}] * 8


@pytest.mark.django_db
def test_while_another_worker_counts_anew_the_previous_figures_are_served_marked(
    shared_memory_cache,
):
    kept("synthetic-figures", "v1", lambda: {"total": 7}, timeout=60)
    cache.add("kept-lock:synthetic-figures", "v2", 60)  # another worker is counting
    token = PREVIOUS_FIGURES.set(None)
    try:
        value = kept("synthetic-figures", "v2", lambda: {"total": 8}, timeout=60)
        marked = PREVIOUS_FIGURES.get()
    finally:
        PREVIOUS_FIGURES.reset(token)

    assert value == {"total": 7}
    assert marked is not None


@pytest.mark.django_db
def test_after_a_withdrawal_the_previous_figures_are_not_served(
    shared_memory_cache, reviewer, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(caching, "WAIT_SECONDS", 0.2)
    kept("synthetic-figures", "v1", lambda: {"total": 7}, timeout=60)
    victim = VictimFactory()
    with django_capture_on_commit_callbacks(execute=True):
        victim.move_to(PublicationStatus.WITHDRAWN, user=reviewer)
    cache.add("kept-lock:synthetic-figures", "v2", 60)  # another worker is counting

    value = kept("synthetic-figures", "v2", lambda: {"total": 6}, timeout=60)

    assert value == {"total": 6}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's parallel workers")
def test_a_recount_leaves_the_readers_a_core_and_the_setting_as_it_found_it(shared_memory_cache):
    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            return cursor.fetchone()[0]

    before = setting()
    during = kept("synthetic-figures", "v1", setting, timeout=60)

    # Counted by one process, not spread over parallel workers that would take every
    # core from the readers served meanwhile; and only for that count.
    assert during == "0"
    assert before != "0"
    assert setting() == before


@pytest.mark.django_db
def test_the_statistics_page_says_its_figures_are_from_before_and_is_not_kept(
    shared_memory_cache, client, settings
):
    settings.PAGE_CACHE_SECONDS = 600
    VictimFactory()
    assert client.get("/stats/").status_code == 200  # the figures are counted and kept
    VictimFactory()  # an edit: the data's version moves
    cache.add("kept-lock:stats", "busy", 60)  # another worker is counting anew

    first = client.get("/stats/")
    second = client.get("/stats/")

    page = first.content.decode()
    assert "These figures were counted at" in page
    assert "Counts over 1 published victim record" in page  # the previous figures
    assert "no-cache" in first["Cache-Control"]
    assert second.get("X-Cache") != "hit"  # the page with old figures was not kept

    cache.delete("kept-lock:stats")
    fresh = client.get("/stats/").content.decode()
    assert "Counts over 2 published victim records" in fresh
    assert "These figures were counted at" not in fresh


@pytest.mark.django_db
def test_a_persian_statistics_page_gives_the_time_in_persian_digits(shared_memory_cache, client):
    VictimFactory()
    client.get("/fa/stats/")
    VictimFactory()
    cache.add("kept-lock:stats", "busy", 60)

    page = client.get("/fa/stats/").content.decode()

    notice = page[page.index('class="notice"') :][:300]
    assert "به وقت جهانی" in notice
    assert not any(c.isascii() and c.isdigit() for c in notice.split(">", 1)[1])


# --- Whole pages ----------------------------------------------------------------------------


def _render_lock(path: str, lang: str = "en") -> str:
    """The lock a worker holds while it renders ``path`` anew (archive.pagecache)."""
    from django.conf import settings

    from archive.core.pagination import cache_key

    return cache_key("page-render", settings.ARCHIVE_VERSION, lang, "http", "testserver", path)


@pytest.fixture
def page_cache(shared_memory_cache, settings):
    """Pages kept as in production, every page worth sharing (none too cheap to keep)."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_SHARED = "default"
    settings.PAGE_CACHE_SHARE_MS = 0
    from django.core.cache import caches

    caches["pages"].clear()
    yield
    caches["pages"].clear()


def _committed(django_capture_on_commit_callbacks, make):
    """``make()`` as a committed transaction (the test runs inside one)."""
    with django_capture_on_commit_callbacks(execute=True):
        return make()


@pytest.mark.django_db
def test_while_another_worker_renders_a_list_anew_readers_get_the_one_it_replaces_unkept(
    page_cache, client, django_capture_on_commit_callbacks, monkeypatch
):
    from archive import pagecache

    monkeypatch.setattr(pagecache, "ASK_AGAIN_SECONDS", 0)  # asks the shared level each time
    _committed(django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname One"))
    assert client.get("/victims/")["X-Cache"] == "miss"
    _committed(django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname Two"))
    cache.add(_render_lock("/victims/"), "busy", 60)  # another worker is rendering it

    previous = client.get("/victims/")

    assert previous["X-Cache"] == "stale"
    assert "no-cache" in previous["Cache-Control"]
    assert "Testname One" in previous.content.decode()
    assert "Testname Two" not in previous.content.decode()

    cache.delete(_render_lock("/victims/"))
    client.get("/victims/")  # this worker renders it (after answering: see below)
    fresh = client.get("/victims/")
    assert fresh["X-Cache"] == "hit"
    assert "Testname Two" in fresh.content.decode()


@pytest.mark.django_db
def test_the_worker_that_renders_a_page_anew_answers_its_reader_first_with_the_one_it_replaces(
    page_cache, client, django_capture_on_commit_callbacks
):
    _committed(django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname One"))
    client.get("/victims/")
    _committed(django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname Two"))

    first = client.get("/victims/")

    # The reader is not kept waiting for the render: they get the page it replaces, marked.
    assert first["X-Cache"] == "stale"
    assert "no-cache" in first["Cache-Control"]
    assert "Testname Two" not in first.content.decode()
    # Rendered once that answer was sent: the next reader gets the new page, and no worker
    # is left holding the render's lock.
    assert cache.get(_render_lock("/victims/")) is None
    after = client.get("/victims/")
    assert after["X-Cache"] == "hit"
    assert "Testname Two" in after.content.decode()


@pytest.mark.django_db
def test_a_page_is_rendered_anew_even_when_its_reader_is_answered_not_modified(
    page_cache, client, django_capture_on_commit_callbacks
):
    _committed(django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname One"))
    etag = client.get("/victims/")["ETag"]
    _committed(django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname Two"))

    # A browser that holds the page it replaces: the answer is a 304 made outside the cache.
    assert client.get("/victims/", HTTP_IF_NONE_MATCH=etag).status_code == 304

    assert cache.get(_render_lock("/victims/")) is None
    after = client.get("/victims/")
    assert after["X-Cache"] == "hit"
    assert "Testname Two" in after.content.decode()


@pytest.mark.django_db
def test_after_a_withdrawal_no_reader_gets_the_page_from_before_it(
    page_cache, client, reviewer, django_capture_on_commit_callbacks
):
    victim = _committed(
        django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname Withdrawn")
    )
    assert "Testname Withdrawn" in client.get("/victims/").content.decode()
    _committed(
        django_capture_on_commit_callbacks,
        lambda: victim.move_to(PublicationStatus.WITHDRAWN, user=reviewer) or victim.save(),
    )
    cache.add(_render_lock("/victims/"), "busy", 60)  # another worker is rendering it

    page = client.get("/victims/")

    assert page["X-Cache"] == "miss"
    assert "Testname Withdrawn" not in page.content.decode()


@pytest.mark.django_db
def test_a_status_set_by_hand_and_saved_counts_as_a_withdrawal_too(
    page_cache, client, django_capture_on_commit_callbacks
):
    victim = _committed(
        django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname Byhand")
    )
    client.get("/victims/")
    victim = type(victim).objects.get(pk=victim.pk)  # read back, as a shell or script would

    def withdraw():
        victim.publication_status = PublicationStatus.WITHDRAWN
        victim.save()

    _committed(django_capture_on_commit_callbacks, withdraw)
    cache.add(_render_lock("/victims/"), "busy", 60)

    assert "Testname Byhand" not in client.get("/victims/").content.decode()


@pytest.mark.django_db
def test_after_a_citation_is_deleted_no_reader_gets_the_page_that_showed_it(
    page_cache, client, django_capture_on_commit_callbacks
):
    from tests.factories import CitationFactory, SourceFactory

    def make():
        victim = VictimFactory()
        citation = CitationFactory(
            content_object=victim, source=SourceFactory(title="Synthetic Deleted Report")
        )
        return victim, citation

    victim, citation = _committed(django_capture_on_commit_callbacks, make)
    url = f"/victims/{victim.ref}/"
    assert "Synthetic Deleted Report" in client.get(url).content.decode()
    _committed(django_capture_on_commit_callbacks, citation.delete)
    cache.add(_render_lock(url), "busy", 60)

    assert "Synthetic Deleted Report" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_when_the_cache_loses_the_withdrawal_epoch_no_page_from_before_is_served(
    page_cache, client, django_capture_on_commit_callbacks
):
    _committed(django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname One"))
    client.get("/victims/")
    cache.delete(caching.EPOCH_KEY)  # culled: the cache keeps a bounded number of entries
    _committed(django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname Two"))
    cache.add(_render_lock("/victims/"), "busy", 60)

    page = client.get("/victims/")

    assert page["X-Cache"] == "miss"
    assert "Testname Two" in page.content.decode()


def _kept_victim_page(django_capture_on_commit_callbacks, client):
    """A published victim's page, read once and so kept by this worker: the victim, the
    page's address, its key in a worker's memory and what this worker keeps there."""
    from django.conf import settings
    from django.core.cache import caches

    from archive.core.pagination import cache_key

    victim = _committed(
        django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname Before")
    )
    url = f"/victims/{victim.ref}/"
    assert client.get(url)["X-Cache"] == "miss"
    local_key = cache_key("page", settings.ARCHIVE_VERSION, "en", "http", "testserver", url)
    return victim, url, local_key, caches["pages"].get(local_key)


@pytest.mark.django_db
def test_a_victims_page_after_an_edit_is_rendered_anew_for_its_next_reader(
    page_cache, client, django_capture_on_commit_callbacks
):
    # A victim's page is kept by its worker; after an edit that worker's next reader gets
    # the new page, not the one it replaces.
    victim, url, _, _ = _kept_victim_page(django_capture_on_commit_callbacks, client)
    _edit(django_capture_on_commit_callbacks, victim, name_latin="Testname After")

    first = client.get(url)

    assert first["X-Cache"] == "miss"
    assert "Testname After" in first.content.decode()
    assert "Testname Before" not in first.content.decode()
    assert client.get(url)["X-Cache"] == "hit"


@pytest.mark.django_db
def test_a_reader_who_saw_a_victims_edit_never_gets_the_page_from_before_it_again(
    page_cache, client, django_capture_on_commit_callbacks
):
    # Two workers kept the page; after a rename the reader's first load reaches a third
    # that never had it (it renders the new page and keeps it to itself), the next one a
    # worker that kept the page from before the rename. Seen in a Chromium walk: new,
    # old, new.
    from django.core.cache import caches

    victim, url, local_key, kept_by_the_other = _kept_victim_page(
        django_capture_on_commit_callbacks, client
    )
    _edit(django_capture_on_commit_callbacks, victim, name_latin="Testname After")
    caches["pages"].delete(local_key)  # the worker that never had it
    assert "Testname After" in client.get(url).content.decode()
    caches["pages"].set(local_key, kept_by_the_other)  # the worker that kept it

    again = client.get(url)

    assert "Testname After" in again.content.decode()
    assert "Testname Before" not in again.content.decode()
    assert again["X-Cache"] != "stale"


@pytest.mark.django_db
def test_a_victims_page_renewed_after_an_edit_is_shared_so_no_worker_serves_it_from_before(
    page_cache, client, django_capture_on_commit_callbacks
):
    from django.core.cache import caches
    from django.test import Client

    # This worker keeps it; so does another (its copy, set back below).
    victim, url, local_key, kept_by_the_other = _kept_victim_page(
        django_capture_on_commit_callbacks, client
    )
    _edit(django_capture_on_commit_callbacks, victim, name_latin="Testname After")

    assert client.get(url)["X-Cache"] == "miss"  # renewed for this reader, and shared
    caches["pages"].set(local_key, kept_by_the_other)  # the other worker's memory
    other = Client().get(url)

    # Not the page from before the edit, which its reader could have seen after the new one.
    assert other["X-Cache"] == "hit"
    assert "Testname After" in other.content.decode()


@pytest.mark.django_db
def test_a_withdrawn_victims_page_is_gone_at_once_for_the_worker_that_kept_it(
    page_cache, client, reviewer, django_capture_on_commit_callbacks
):
    victim = _committed(
        django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname Gone")
    )
    url = f"/victims/{victim.ref}/"
    assert "Testname Gone" in client.get(url).content.decode()
    _committed(
        django_capture_on_commit_callbacks,
        lambda: victim.move_to(PublicationStatus.WITHDRAWN, user=reviewer) or victim.save(),
    )

    assert client.get(url).status_code == 404


# --- Pages keyed on what they show ---------------------------------------------------------


def _edit(django_capture_on_commit_callbacks, victim, **values):
    """A researcher's save of ``victim`` with ``values``, committed."""

    def save():
        for name, value in values.items():
            setattr(victim, name, value)
        victim.save()

    _committed(django_capture_on_commit_callbacks, save)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/stats/", "/", "/map/", "/fa/stats/"])
def test_an_edit_that_changes_nothing_a_page_shows_leaves_it_unrendered(
    page_cache, client, django_capture_on_commit_callbacks, url
):
    victim = _committed(django_capture_on_commit_callbacks, VictimFactory)
    # Published before the others: the home page's latest list does not show it.
    _committed(django_capture_on_commit_callbacks, lambda: VictimFactory.create_batch(8))
    victims = type(victim).objects
    victims.exclude(pk=victim.pk).update(
        published_at=datetime.datetime(2002, 1, 1, tzinfo=datetime.UTC)
    )
    victims.filter(pk=victim.pk).update(
        published_at=datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC)
    )
    victim.refresh_from_db()
    first = client.get(url)
    assert first["X-Cache"] == "miss"

    _edit(django_capture_on_commit_callbacks, victim, biography="Synthetic biography, edited.")
    answered = client.get(url)
    after = client.get(url)

    # The first reader is answered at once; the page is then checked, not rendered again
    # (no template, neither for the answer nor after it), and kept for the new version.
    assert answered["X-Cache"] == "stale"
    assert answered.templates == []
    assert after["X-Cache"] == "hit"
    assert after.content == first.content


@pytest.mark.django_db
def test_an_edit_that_changes_a_count_shows_on_the_statistics_at_the_next_reader(
    page_cache, client, django_capture_on_commit_callbacks
):
    victim = _committed(django_capture_on_commit_callbacks, lambda: VictimFactory(fate="executed"))
    client.get("/stats/")

    _edit(django_capture_on_commit_callbacks, victim, fate="died_in_custody")
    first = client.get("/stats/")  # answered with the page it replaces, then rendered
    after = client.get("/stats/")

    assert first["X-Cache"] == "stale"
    assert after["X-Cache"] == "hit"
    assert str(Fate.DIED_IN_CUSTODY.label) not in first.content.decode()
    assert str(Fate.DIED_IN_CUSTODY.label) in after.content.decode()


@pytest.mark.django_db
def test_a_list_is_left_as_it_is_after_an_edit_of_a_person_it_does_not_list(
    page_cache, client, django_capture_on_commit_callbacks, settings
):
    settings.PAGE_SIZE = 2
    listed = [
        _committed(django_capture_on_commit_callbacks, lambda n=n: VictimFactory(name_latin=n))
        for n in ("Testname Aaa", "Testname Bbb")
    ]
    unlisted = _committed(
        django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname Zzz")
    )
    first = client.get("/victims/")
    assert "Testname Zzz" not in first.content.decode()

    _edit(django_capture_on_commit_callbacks, unlisted, biography="Synthetic, edited.")
    assert client.get("/victims/").templates == []  # checked, not rendered
    assert client.get("/victims/")["X-Cache"] == "hit"

    # A person the page lists: the page is rendered anew and shows the change.
    _edit(django_capture_on_commit_callbacks, listed[0], name_latin="Testname Abc")
    answered = client.get("/victims/")
    assert answered["X-Cache"] == "stale"
    assert "Testname Aaa" in answered.content.decode()
    assert answered.templates != []  # rendered anew once that answer was sent
    after = client.get("/victims/")
    assert after["X-Cache"] == "hit"
    assert "Testname Abc" in after.content.decode()
    assert "Testname Aaa" not in after.content.decode()


@pytest.mark.django_db
def test_publishing_a_person_changes_the_lists_total_even_off_the_page(
    page_cache, client, django_capture_on_commit_callbacks, settings
):
    settings.PAGE_SIZE = 1
    _committed(django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname Aaa"))
    client.get("/victims/")

    _committed(django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname Zzz"))
    client.get("/victims/")
    after = client.get("/victims/").content.decode()

    assert "Testname Zzz" not in after  # on the second page
    assert "2 records" in after


@pytest.mark.django_db
def test_renaming_a_prison_shows_on_the_list_that_names_it(
    page_cache, client, django_capture_on_commit_callbacks
):
    from tests.factories import PlaceFactory

    prison = _committed(
        django_capture_on_commit_callbacks,
        lambda: VictimFactory(prison=PlaceFactory(kind="prison", name_en="Synthetic Prison One")),
    ).prison
    assert "Synthetic Prison One" in client.get("/victims/").content.decode()

    def rename():
        prison.name_en = "Synthetic Prison Renamed"
        prison.save()

    _committed(django_capture_on_commit_callbacks, rename)
    client.get("/victims/")
    after = client.get("/victims/").content.decode()

    assert "Synthetic Prison Renamed" in after
    assert "Synthetic Prison One" not in after


@pytest.mark.django_db
def test_while_another_worker_sees_to_a_page_its_readers_cost_one_query_each(
    page_cache, client, django_capture_on_commit_callbacks, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from archive import pagecache

    monkeypatch.setattr(pagecache, "ASK_AGAIN_SECONDS", 60)  # a slow test machine too

    _committed(django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname One"))
    client.get("/victims/")
    _committed(django_capture_on_commit_callbacks, lambda: VictimFactory(name_latin="Testname Two"))
    cache.add(_render_lock("/victims/"), "busy", 60)  # another worker is seeing to it
    assert client.get("/victims/")["X-Cache"] == "stale"

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/victims/")

    assert again["X-Cache"] == "stale"
    assert "Testname Two" not in again.content.decode()
    assert len(queries) == 1  # the data's version, as for a page kept


@pytest.mark.django_db
def test_a_change_of_fate_leaves_the_map_unrendered_it_counts_places_only(
    page_cache, client, django_capture_on_commit_callbacks
):
    victim = _committed(django_capture_on_commit_callbacks, lambda: VictimFactory(fate="executed"))
    first = client.get("/map/")

    _edit(django_capture_on_commit_callbacks, victim, fate="died_in_custody")

    assert client.get("/map/").templates == []  # checked, not rendered
    after = client.get("/map/")
    assert after["X-Cache"] == "hit"
    assert after.content == first.content
