"""The contact-encryption key: production refuses to run without one, and a malformed
one stops the server at start-up."""

import os
import secrets
import subprocess
import sys

from cryptography.fernet import Fernet
from django.conf import settings

from victims.encryption import ContactField, key_from_secret, submission_keys


def manage(*args, **env):
    full_env = {**os.environ, "DEBUG": "0", "HTTPS": "1", "ALLOWED_HOSTS": "archive.example",
                "SECRET_KEY": secrets.token_urlsafe(50), **env}  # fmt: skip
    if "SUBMISSION_KEY" not in env:
        full_env.pop("SUBMISSION_KEY", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=full_env,
        capture_output=True, text=True,
    )  # fmt: skip


def test_the_deploy_check_fails_without_a_submission_key():
    result = manage("check", "--deploy")
    assert result.returncode != 0
    assert "victims.E001" in result.stderr + result.stdout


def test_a_malformed_submission_key_stops_the_server_at_start_up():
    result = manage("check", SUBMISSION_KEY="not-a-fernet-key")
    assert result.returncode != 0
    assert "SUBMISSION_KEY must be Fernet keys" in result.stderr


def test_the_first_key_encrypts_and_older_keys_still_decrypt(settings):
    old, new = Fernet.generate_key(), Fernet.generate_key()
    settings.SUBMISSION_KEYS = [old.decode()]
    token = ContactField().get_prep_value("test-contact@example.org")
    settings.SUBMISSION_KEYS = [new.decode(), old.decode()]
    rotated = ContactField()
    assert rotated.to_python(token) == "test-contact@example.org"
    assert Fernet(new).decrypt(rotated.get_prep_value("x").encode()) == b"x"


def test_without_a_key_one_is_derived_from_secret_key_and_differs_from_it(settings):
    settings.SUBMISSION_KEYS = []
    assert submission_keys() == [key_from_secret(settings.SECRET_KEY)]
    assert settings.SECRET_KEY.encode() not in key_from_secret(settings.SECRET_KEY)
