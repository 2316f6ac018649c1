"""The deploy check in the suite: the working tree deployed as docs/deploy.md says
(``migrate`` alone makes the schema), DEBUG off, served by gunicorn, then asked from
Chromium and over HTTP (bench/deploy_check.py). Nothing the test suite's own settings do
(DEBUG, STATIC_MANIFEST=0, the test database) reaches that deployment.

On the PostgreSQL run of the suite it deploys into a throwaway PostgreSQL database; on
the SQLite run, into a temporary SQLite file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.browsing import CHROMIUM

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 900


def test_a_deploy_by_migrate_alone_refuses_no_form_and_answers_no_input_with_a_5xx():
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    database = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    command = [
        sys.executable, str(ROOT / "bench" / "deploy_check.py"),
        "--database", database, "--fuzz", "200", "--head", "20",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        output, _ = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.terminate()  # SIGTERM: the check stops its gunicorn before it exits
        output, _ = process.communicate(timeout=60)
        pytest.fail(f"the deploy check took more than {TIMEOUT} s:\n{output}")
    print(output)
    assert process.returncode == 0, output
