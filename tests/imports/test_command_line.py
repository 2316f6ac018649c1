"""The command as a researcher runs it, in its own process on its own database: the exit
status says whether the file was imported."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def _manage(db, *args):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "SECRET_KEY": "x"}
    return subprocess.run(
        [sys.executable, str(MANAGE), *map(str, args)], env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def test_a_bad_file_exits_non_zero_and_a_good_one_zero(tmp_path):
    db = tmp_path / "archive.sqlite3"
    assert _manage(db, "migrate", "-v", "0").returncode == 0
    bad = tmp_path / "three.csv"
    bad.write_text(
        "ref,name_latin,name_fa,father_name,gender,birth_year,publication_status\n"
        "T-1,Ali Karimi,علی کریمی,Hassan,male,1955,draft\n"
        "T-2,Maryam Ahmadi,,,female,nineteen-fifty,draft\n"
        "T-3,,حسین رضایی,,,1960,in_review\n",
        encoding="utf-8",
    )

    run = _manage(db, "import_records", "victims", bad)

    assert run.returncode == 1
    assert "row 3, birth_year: 'nineteen-fifty' is not a year" in run.stderr
    assert "Traceback" not in run.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM victims_victim").fetchone() == (0,)

    good = tmp_path / "good.csv"
    good.write_text(bad.read_text("utf-8").replace("nineteen-fifty", "1950"), "utf-8")
    run = _manage(db, "import_records", "victims", good)
    assert run.returncode == 0, run.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM victims_victim").fetchone() == (3,)
