"""WSGI entry point (``gunicorn archive.wsgi``)."""

import gc
import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - read once the settings module is chosen

if not settings.SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")


def _warm_up() -> None:
    """Load what every request needs (views through the URLconf, the base template, the
    name lexicon; the map's provinces, ~20 ms read once rather than in a reader's first map
    page), then move it all out of the garbage collector's sight: a full collection
    otherwise walks Django's hundred thousand startup objects, a 30-45 ms pause in the
    middle of some request (measured on searches at a million people; 6-13 ms once
    frozen). bench/map_bench.py sends its requests here for that reason: through Django's
    test client, without this freeze and with every rendered context kept alive by the
    client, one cold map in ten paid a 100-220 ms collection that no worker pays."""
    from django.db import connections
    from django.template.loader import get_template
    from django.urls import get_resolver

    from archive.core import names
    from archive.public import maps

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    get_template("base.html")
    names.query_key("warm up")
    maps.base_map()
    # gunicorn forks its workers from this process (``preload_app``): no connection made
    # here may be shared by them.
    connections.close_all()
    gc.freeze()


_warm_up()
