"""The house's rules (docs/architecture.md), checked where CI runs them: the kernel imports
no app, the apps import nothing of the top floor and each other one way (import-linter's
contracts in pyproject.toml), and no import is hidden behind ``apps.get_model``."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("victims", "perpetrators", "sources")


def test_the_import_contracts_are_kept():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint_imports is None:
        pytest.fail("import-linter is not installed (it is in the dev extras)")
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_the_kernel_reaches_no_app_model_by_name():
    """``apps.get_model("victims", ...)`` is an import that no import graph shows."""
    apps = "|".join(APPS)
    hidden = re.compile(rf"get_model\(\s*[\"']({apps})[\"']")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "archive" / "core").rglob("*.py")
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if hidden.search(line)
    ]
    assert found == []
