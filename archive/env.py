"""Read settings from the environment, failing loudly on a value we cannot use.

A typo in a production variable ("DEBUG=flase") must stop the server at start-up, not
silently run it in the wrong mode, so every helper raises ``ImproperlyConfigured``
with the variable's name and the value it got.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envpath(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser().resolve() if raw else default


def parse_database_url(url: str, *, base_dir: Path) -> dict:
    """Turn ``postgres://user:pass@host:port/name?opt=v`` or ``sqlite:///path`` into a
    Django DATABASES entry."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    options = dict(parse_qsl(parts.query))
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL names no database: {url!r}")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"DATABASE_URL has a bad port: {url!r}") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": unquote(parts.hostname or ""),
            "PORT": str(port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if scheme == "sqlite":
        # sqlite:///relative.db is relative to the project; sqlite:////abs/path is absolute.
        path = parts.path
        if path.startswith("//"):
            name = path[1:]
        elif path in {"", "/"}:
            raise ImproperlyConfigured(f"DATABASE_URL names no SQLite file: {url!r}")
        elif path == "/:memory:":
            name = ":memory:"
        else:
            name = str(base_dir / path.lstrip("/"))
        return {
            # Django's, with statistics for SQLite's planner (``archive.sqlite.base``).
            "ENGINE": "archive.sqlite",
            "NAME": name,
            "OPTIONS": {
                # WAL lets readers go on while a writer works (imports, submissions).
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A connection per request cost each request 2.4 ms of CPU (opening the file,
            # the PRAGMAs, Django's functions, reading the schema) and a search 5 ms (its
            # full-text table too): 60 % of an empty API request, a third of a search, at
            # 100,000 victims (docs/benchmarks.md). Kept, a connection holds no snapshot
            # between requests (autocommit), and ``restore`` writes into the open file
            # (SQLite's backup API), which kept connections read.
            "CONN_MAX_AGE": 60,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with postgres:// or sqlite:///; got {scheme or 'nothing'!r}"
    )
