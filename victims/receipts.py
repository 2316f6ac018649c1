"""Receipt codes for families' submissions (pure functions, no Django).

A submitter gets a code instead of an account. The code is random (about 78 bits), shown
once, and only its SHA-256 is stored: a copy of the database does not let anyone look a
submission up by code, and the code says nothing about the submission.
"""

from __future__ import annotations

import hashlib
import secrets

from archive.core.digits import ascii_digits

# No 0/O, 1/I/L or U/V look-alikes: codes are copied by hand, often from a phone screen.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
GROUPS = 4
GROUP_LENGTH = 4
CODE_LENGTH = GROUPS * GROUP_LENGTH

# Persian (U+06F0..) and Arabic-Indic (U+0660..) digits, as phones in Iran often type them.


def generate_code() -> str:
    """A new code, grouped for reading: ``7KQ2-M9XD-4TPR-HW3N``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def normalise_code(text: str) -> str | None:
    """The code a person typed, however they typed it (lower case, spaces or dashes,
    Persian digits), or None when it cannot be a code."""
    cleaned = "".join(ch for ch in ascii_digits(text).upper() if ch.isalnum())
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def hash_code(code: str) -> str:
    """The stored form of a code; ``code`` may be formatted or not."""
    normalised = normalise_code(code)
    if normalised is None:
        raise ValueError("not a receipt code")
    return hashlib.sha256(normalised.encode("ascii")).hexdigest()
