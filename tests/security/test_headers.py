"""Every response carries the security headers, pages and static files alike."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PATHS = ["/", "/fa/", "/perpetrators/", "/admin/login/", "/no-such-page/", "/static/css/site.css"]


@pytest.mark.parametrize("path", PATHS)
def test_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_hsts_only_over_https(client, settings):
    response = client.get("/")
    assert "Strict-Transport-Security" not in response
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
