"""The dossier tests run with a cache of their own (the PDFs are kept in the cache)."""

import pytest


@pytest.fixture(autouse=True)
def dossier_cache(settings):
    """Each test starts with an empty cache, so that no PDF is carried over."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dossier-tests",
        },
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
