"""Fixtures of the person tests: the import commands run as from a terminal."""

from tests.imports.conftest import manage  # noqa: F401
