"""The dossier tests: no background renderer is started (a test renders what is queued
itself, with ``render_pending``), and each test starts with an empty cache."""

import pytest


@pytest.fixture(autouse=True)
def dossier_settings(settings):
    settings.DOSSIER_RENDER_SPAWN = False
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
