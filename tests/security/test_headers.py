"""Every response carries the security headers, pages and static files alike."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PATHS = ["/", "/fa/", "/perpetrators/", "/admin/login/", "/no-such-page/", "/static/css/site.css",
         "/api/victims/", "/submit/", "/data/victims.csv"]  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
def test_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "interest-cohort", "browsing-topics",
                    "payment", "usb"):  # fmt: skip
        assert f"{feature}=()" in policy


def test_the_csrf_cookie_does_not_stay_on_a_familys_phone(client):
    """The form's CSRF cookie is a trace that the phone opened the form: it lives hours,
    not the year Django gives it by default (renewed by each page with a form)."""
    response = client.get("/fa/submit/")
    cookie = response.cookies["csrftoken"]
    assert 0 < int(cookie["max-age"]) <= 8 * 3600
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_hsts_only_over_https(client, settings):
    response = client.get("/")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_deploy_check_is_clean_with_production_settings():
    import os
    import secrets
    import subprocess
    import sys

    from django.conf import settings

    # The browser tests' switch (DJANGO_ALLOW_ASYNC_UNSAFE) is the runner's, never a deploy's.
    runner = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**runner, "DEBUG": "0", "HTTPS": "1", "ALLOWED_HOSTS": "archive.example",
           "SECRET_KEY": secrets.token_urlsafe(50),
           "SUBMISSION_KEY": "mVJUx0WbgE0y3xbpcbLz0nQKdvbBFYtjrSYJpKnbJo0="}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
