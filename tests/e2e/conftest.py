"""Browser tests: Playwright's sync API driving Debian's Chromium (never a downloaded
browser), started by the ``browser`` fixture of tests/conftest.py, which skips, saying why,
where /usr/bin/chromium is missing.

Each test gets its own contexts (cookies, storage, JavaScript on or off), closed after it.
When a test fails, every page it left open is saved as a screenshot under
``test-results/`` (git-ignored), named after the test."""

import re
import threading
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.servers.basehttp import ServerHandler
from django.db import connection

from tests.e2e.browsing import DEFAULT_TIMEOUT_MS

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
_REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test, so that a fixture's teardown knows whether
    the test failed (and takes its screenshots then)."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(autouse=True, scope="session")
def _one_request_at_a_time_on_sqlite():
    """On SQLite the test database lives in memory, and Django's live server hands every
    request thread the test's own connection: two requests at once (a page's search box
    asking the server while the form is sent) share one transaction, and fail with
    "cannot start a transaction within a transaction" or "database table is locked".
    There, the live server answers one request at a time (a request, not a connection:
    the browser keeps connections open between requests), as no production server would
    need to. PostgreSQL keeps a connection per thread and is left alone."""
    if connection.vendor != "sqlite":
        yield
        return
    lock = threading.Lock()
    run = ServerHandler.run  # one request: the application called, its answer written

    def one_at_a_time(self, application):
        with lock:
            run(self, application)

    ServerHandler.run = one_at_a_time
    yield
    ServerHandler.run = run


@pytest.fixture
def new_context(browser, request):
    """``new_context(java_script_enabled=False)``: a fresh browser context (its own
    cookies) for this test, closed after it; screenshots of its pages if the test
    failed."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    report = request.node.stash.get(_REPORTS, {}).get("call")
    if report is not None and report.failed:
        _screenshots(request.node, contexts)
    for context in contexts:
        context.close()


def _screenshots(node, contexts) -> None:
    RESULTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", node.nodeid.split("::", 1)[-1]).strip("-")
    number = 0
    for context in contexts:
        for page in context.pages:
            number += 1
            path = RESULTS / f"{stem}-{number}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
            except Exception as exc:  # a crashed page must not hide the test's own error
                print(f"no screenshot of {page.url}: {exc}")
            else:
                print(f"screenshot of {page.url}: {path}")


@pytest.fixture
def page(new_context):
    """A page with JavaScript on, as most readers have it."""
    return new_context().new_page()


@pytest.fixture
def page_without_js(new_context):
    """A page with JavaScript off, as a family on Tor Browser's safest level has it."""
    return new_context(java_script_enabled=False).new_page()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    """The rate-limit counters live in the database cache table, which no model owns and
    the flush between browser tests leaves alone: each test starts with none counted,
    so that the forms of one test do not use up the next one's allowance."""
    if not {"live_server", "transactional_db"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


@pytest.fixture
def staff(transactional_db, settings):
    """``staff("ana", "researcher")``: a staff account made as ``create_staff_user``
    makes one (a TOTP device and a device of backup codes), with the groups and their
    permissions that migrations make (the flush between browser tests empties them).
    Passwords are hashed with a fast hasher here: the production one takes most of a
    second per hash on this machine, and these tests are about the pages, not the hash."""
    from tests.e2e.browsing import make_staff_account, restore_staff_groups

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    restore_staff_groups()
    return make_staff_account
