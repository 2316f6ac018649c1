"""A cache is a speed-up, never a condition of a request: with the database cache's table
missing, or a cache server that errors, pages are computed again, a family's submission
is stored, and the failure is logged."""

import logging

import pytest
from django.core.cache.backends.base import BaseCache
from django.db import connection

from tests.factories import VictimFactory
from tests.submissions.test_submission_form import answers
from victims.models import Submission

pytestmark = pytest.mark.django_db


class UnreachableCache(BaseCache):
    """A cache server that cannot be reached (e.g. Redis down): every call raises."""

    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("cache server unreachable")

    add = get = set = touch = delete = incr = has_key = clear = get_many = _down


@pytest.fixture
def no_cache_table():
    """The database cache's table is gone (a deploy that skipped a migration, a restore
    of a dump without it). The test's transaction brings it back."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE archive_cache")


@pytest.fixture
def unreachable_caches(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": f"{__name__}.UnreachableCache"},
        "ratelimit": {"BACKEND": f"{__name__}.UnreachableCache"},
    }


def test_a_familys_submission_is_stored_when_the_cache_table_is_missing(
    client, no_cache_table, caplog
):
    with caplog.at_level(logging.WARNING):
        response = client.post("/fa/submit/", answers())
    assert response.status_code == 303  # to the receipt
    assert response["Location"] == "/fa/submit/thanks/"
    assert Submission.objects.count() == 1
    assert any("cache" in r.getMessage() for r in caplog.records)


def test_a_familys_submission_is_stored_when_the_cache_server_is_unreachable(
    client, unreachable_caches
):
    response = client.post("/submit/", answers())
    assert response.status_code == 303  # to the receipt
    assert Submission.objects.count() == 1


@pytest.mark.parametrize(
    "path",
    ["/", "/victims/", "/fa/victims/", "/api/victims/", "/stats/", "/events/", "/data/"],
)
def test_pages_are_computed_again_when_the_cache_table_is_missing(
    client, settings, no_cache_table, path
):
    settings.PAGE_CACHE_SHARED = "default"
    settings.PAGE_CACHE_SHARE_MS = 0
    VictimFactory(name_latin="Cachetest Degraded")
    response = client.get(path)
    assert response.status_code == 200
    if path.endswith("victims/"):
        assert "Cachetest Degraded" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/victims/", "/api/victims/", "/stats/"])
def test_pages_are_computed_again_when_the_cache_server_is_unreachable(
    client, settings, unreachable_caches, path
):
    settings.PAGE_CACHE_SHARED = "default"
    settings.PAGE_CACHE_SHARE_MS = 0
    VictimFactory(name_latin="Cachetest Unreachable")
    response = client.get(path)
    assert response.status_code == 200


def test_the_rate_limit_still_counts_once_the_table_is_back(client, settings):
    # Degrading is for a missing cache only: a working one still holds the limit.
    settings.SUBMISSION_RATE = "1/h"
    assert client.post("/submit/", answers()).status_code == 303  # stored, to the receipt
    assert client.post("/submit/", answers()).status_code == 429
