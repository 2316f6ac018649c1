"""The import tests' ``manage`` fixture (run a command as from a terminal)."""

from tests.imports.conftest import manage  # noqa: F401
