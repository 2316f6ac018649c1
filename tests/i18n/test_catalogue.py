"""The Persian catalogue: one file for every app and template, translated in full."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.i18n.pofile import parse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fa" / "LC_MESSAGES" / "django.po"
# %(name)s, %s, %d, %%; {name} (str.format); tags such as <bdi> that templates rely on.
PLACEHOLDER = re.compile(
    r"%\(\w+\)[sdif]|%[sdif]|%%|\{\w*\}|</?(?:a|b|i|bdi|em|strong|code|abbr|span)\b[^>]*>"
)


LIBRARIES = Path(settings.BASE_DIR) / "locale" / "libraries" / "fa" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module", params=[CATALOGUE, LIBRARIES], ids=["project", "libraries"])
def entries(request):
    """The project's catalogue, and the Persian it gives the libraries' strings that their
    own catalogues leave empty (the same rules hold for both)."""
    return [entry for entry in parse(request.param) if not entry.is_header]


def test_the_catalogue_is_one_file_for_the_whole_project():
    app_catalogues = [
        path
        for path in Path(settings.BASE_DIR).glob("*/locale/**/*.po")
        if ".venv" not in path.parts
    ]
    assert CATALOGUE.exists()
    assert app_catalogues == []


def test_the_header_declares_persian_and_djangos_plural_rule():
    header = next(entry for entry in parse(CATALOGUE) if entry.is_header).msgstrs[0]
    assert "Language: fa\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header


def test_the_projects_catalogue_is_whole():
    assert len([e for e in parse(CATALOGUE) if not e.is_header]) > 300, "it looks truncated"


def test_at_least_98_percent_of_messages_are_translated(entries):
    untranslated = [entry.msgid for entry in entries if not entry.translated]
    share = 1 - len(untranslated) / len(entries)
    assert share >= 0.98, f"{share:.1%} translated; untranslated: {untranslated[:20]}"


def test_no_entry_is_fuzzy(entries):
    assert [entry.msgid for entry in entries if "fuzzy" in entry.flags] == []


def test_every_translation_keeps_the_placeholders_of_its_message(entries):
    broken = []
    for entry in entries:
        for index, msgstr in enumerate(entry.msgstrs):
            if not msgstr:
                continue
            source = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
            wanted = sorted(PLACEHOLDER.findall(source))
            if sorted(PLACEHOLDER.findall(msgstr)) != wanted:
                broken.append((entry.msgid, msgstr))
    assert broken == []


def test_plural_messages_have_both_forms(entries):
    plurals = [entry for entry in entries if entry.msgid_plural]
    assert plurals
    assert all(len(entry.msgstrs) == 2 for entry in plurals)


def test_translations_are_persian_not_copies_of_the_english(entries):
    # Codes and names kept as they are (SHA-256) are the rare exception.
    copied = [e.msgid for e in entries if e.msgstrs and e.msgstrs[0] == e.msgid]
    assert len(copied) <= 3, copied


def test_every_string_marked_for_translation_is_in_the_catalogue(tmp_path):
    """makemessages over a copy of the project: a string added to a template or to
    Python code since the catalogue was last updated shows up untranslated here."""
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    skip = shutil.ignore_patterns(".venv", ".git", "node_modules", "staticfiles", "media", "*.mo")
    shutil.copytree(base, copy, ignore=skip, symlinks=True)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "fa",
            "--ignore=bench",
            "--ignore=tests",
        ],
        cwd=copy,
        env={**os.environ, "DEBUG": "1", "SECRET_KEY": os.environ.get("SECRET_KEY", "x")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh = [e for e in parse(copy / "locale/fa/LC_MESSAGES/django.po") if not e.is_header]
    missing = [e.msgid for e in fresh if not e.translated]
    assert missing == [], "run makemessages and translate: " + "; ".join(missing[:20])


def test_the_admin_sign_in_asks_for_the_one_time_code_in_persian(client):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "رمز یک‌بارمصرف:" in html
    assert "OTP Token" not in html


def test_a_command_option_in_a_persian_message_is_isolated_so_its_dashes_stay_in_front(entries):
    # In a right-to-left line, "(--update)" shows as "(update--)" unless the option is
    # set apart as left-to-right text (U+2066 ... U+2069, or a left-to-right mark before).
    bare = [
        msgstr
        for entry in entries
        for msgstr in entry.msgstrs
        if re.search(r"(?<![\u2066\u200e])--[a-z]", msgstr)
    ]
    assert bare == []
