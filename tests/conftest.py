"""Shared fixtures: the personas who use the archive (anonymous reader, researcher,
reviewer) and the seed records."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from archive.core.groups import RESEARCHER, REVIEWER


def _staff(django_user_model, username, group):
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
def anonymous(client):
    return client


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed", verbosity=0)


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
