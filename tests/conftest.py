"""Shared fixtures: the personas who use the archive (anonymous reader, researcher,
reviewer, a staff account in no group), the seed records, a private folder per test, and
Debian's Chromium for the tests that need a browser."""

import os

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from archive.core.groups import RESEARCHER, REVIEWER


def _staff(django_user_model, username, group):
    if not Group.objects.filter(name=group).exists():
        # A test that commits (transaction=True) is followed by a flush, which empties the
        # groups the migrations made; a later one of those tests makes them again.
        from tests.e2e.browsing import restore_staff_groups

        restore_staff_groups()
    user = django_user_model.objects.create_user(
        username, password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def researcher(db, django_user_model):
    return _staff(django_user_model, "researcher", RESEARCHER)


@pytest.fixture
def reviewer(db, django_user_model):
    return _staff(django_user_model, "reviewer", REVIEWER)


def signed_in(client, user):
    """A client signed in as ``user`` with a verified second factor, as the admin needs."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def researcher_client(client, researcher):
    return signed_in(client, researcher)


@pytest.fixture
def reviewer_client(client, reviewer):
    return signed_in(client, reviewer)


@pytest.fixture
def nobody(db, django_user_model):
    """A staff account in no group: signed in with two factors, allowed nothing."""
    return django_user_model.objects.create_user(
        "nobody", password="a-long-test-password", is_staff=True
    )


@pytest.fixture
def nobody_client(client, nobody):
    return signed_in(client, nobody)


@pytest.fixture
def anonymous(client):
    return client


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture
def seeded(transactional_db):
    """The seed records, committed, for a live server to read."""
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture
def private_media(settings, tmp_path):
    """Families' attachments and public media written during the test go to this test's
    own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(scope="session", autouse=True)
def _evidence_outside_the_project(tmp_path_factory):
    """Documents (the seed's statement, those tests add) are stored in a folder of the
    test run, never in the project's own evidence store."""
    from django.conf import settings

    settings.EVIDENCE_ROOT = tmp_path_factory.mktemp("evidence")


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (Debian's, never a downloaded one); the tests that
    use it skip, saying why, where it is missing. Playwright's sync API keeps an event
    loop running while the browser is open, and Django refuses database access under one
    unless told it is deliberate: the flag is set only while the browser is open, so that
    no other test inherits it."""
    from tests.e2e.browsing import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(
            "Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _empty_page_cache(settings):
    """Whole pages are cached per process under the data's version; tests that build the
    same data twice must not see each other's pages. The shared level (the database
    cache) is off unless a test turns it on: a test without the database cannot clear
    it."""
    from django.core.cache import caches

    settings.PAGE_CACHE_SHARED = ""
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request activates its language in the thread and nothing resets it: a test of a
    Persian page must not leave the next test speaking Persian."""
    from django.utils import translation

    yield
    translation.deactivate()
