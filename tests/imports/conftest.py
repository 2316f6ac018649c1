"""Helpers for the import tests: write a file, run the command as a researcher would
(exit status, stdout, stderr), read what the database holds."""

import csv
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import ManagementUtility
from django.urls import reverse

HEADER = ["ref", "name_latin", "name_fa", "father_name", "gender", "birth_year",
          "publication_status"]  # fmt: skip


def write_csv(path: Path, rows: list[dict], header: list[str] | None = None) -> Path:
    header = header or list(rows[0]) if rows else header or HEADER
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def write_json(path: Path, rows: list[dict]) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def format_value(client, url, label="csv"):
    """The value of the admin's import or export screen's format option named ``label``."""
    page = client.get(url).content.decode()
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', page)
    return next(value for value, text in options if text.strip().lower() == label)


class Run:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    @property
    def text(self):
        return self.out + self.err


def upload(client, text, name="list.csv", headers=None, **extra):
    """The admin's import screen sent ``text`` as a file: the preview."""
    url = reverse("admin:victims_victim_import")
    return client.post(
        url,
        {
            "format": format_value(client, url),
            "import_file": SimpleUploadedFile(name, text.encode("utf-8"), "text/csv"),
            **extra,
        },
        headers=headers,
    )


def import_through_admin(client, text, **extra):
    """``text`` imported through the admin: the preview, then its confirmation."""
    preview = upload(client, text, **extra)
    form = preview.context["confirm_form"]
    return client.post(
        reverse("admin:victims_victim_process_import"),
        {name: form.initial.get(name, "") for name in form.fields},
    )


@pytest.fixture
def manage(capsys, monkeypatch):
    """``manage("import_records", "victims", path)`` as from a terminal: returns the exit
    status and what was printed (a CommandError exits with status 1, no traceback)."""
    # A command run from the terminal closes the database connections when it ends,
    # which would end the test's own transaction on PostgreSQL.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)

    def run(*args):
        capsys.readouterr()
        code = 0
        try:
            ManagementUtility(["manage.py", *[str(a) for a in args]]).execute()
        except SystemExit as exc:
            code = exc.code
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def rows():
    return [
        {"ref": "T-1", "name_latin": "Ali Karimi", "name_fa": "علی کریمی",
         "father_name": "Hassan", "gender": "male", "birth_year": "1955",
         "publication_status": "draft"},
        {"ref": "T-2", "name_latin": "Maryam Ahmadi", "name_fa": "",
         "father_name": "", "gender": "female", "birth_year": "1962",
         "publication_status": "in_review"},
        {"ref": "T-3", "name_latin": "", "name_fa": "حسین رضایی",
         "father_name": "محمد", "gender": "", "birth_year": "",
         "publication_status": "published"},
    ]  # fmt: skip


@pytest.fixture
def cited(db):
    """``--source ID`` of a published synthetic source: a file that publishes records
    cites each filled cell to it (the publication gate)."""
    from tests.factories import SourceFactory

    return ["--source", str(SourceFactory(title="Synthetic list imported in a test").pk)]
