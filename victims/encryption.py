"""Encryption of submitters' contact details.

django-fernet-encrypted-fields derives its key from SECRET_KEY and SALT_KEY. We use its
field but give it our own key, ``SUBMISSION_KEY`` (one or more Fernet keys, comma-separated,
the first encrypting): rotating SECRET_KEY (sessions, CSRF) must not make families' contact
details unreadable, and knowing SECRET_KEY alone must not be enough to read them.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.functional import cached_property
from encrypted_fields.fields import EncryptedTextField

_INFO = b"archive-1988 submission contact details"


def key_from_secret(secret_key: str) -> bytes:
    """The stand-in key used when SUBMISSION_KEY is not set (development, tests): derived
    from SECRET_KEY, so it changes when SECRET_KEY does. ``manage.py check --deploy``
    refuses to pass without a real SUBMISSION_KEY."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret_key.encode("utf-8")
    )
    return base64.urlsafe_b64encode(derived)


def submission_keys() -> list[bytes]:
    keys = [k.encode("ascii") for k in getattr(settings, "SUBMISSION_KEYS", [])]
    return keys or [key_from_secret(settings.SECRET_KEY)]


class ContactField(EncryptedTextField):
    """A text column encrypted with the submission key (Fernet: AES-128-CBC + HMAC)."""

    @cached_property
    def keys(self) -> list[bytes]:
        return submission_keys()

    @cached_property
    def f(self):
        return MultiFernet([Fernet(k) for k in self.keys])
