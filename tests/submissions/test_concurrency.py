"""Forty families press "Send" at the same moment, against a real multi-process server
(gunicorn, four workers, on the database the suite runs on): each submission is stored
whole or refused with 429; none is lost or half-written, and the per-client limit holds
exactly across workers."""

import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.submissions.conftest import jpeg_with_exif

pytestmark = pytest.mark.django_db(transaction=True)

SENDERS = 40
LIMIT = 15  # per client, per hour
CLIENTS = ["192.0.2.1", "192.0.2.2"]  # twenty senders each, told apart by X-Real-IP


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    env = {
        **os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(40),
        "STATIC_MANIFEST": "0", "ALLOWED_HOSTS": "127.0.0.1", "HTTPS": "0",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"), "MEDIA_ROOT": str(tmp_path / "media"),
        "SUBMISSION_RATE": f"{LIMIT}/h", "SUBMISSION_POST_RATE": "1000/h",
        "RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP",
    }  # fmt: skip
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        # The suite's SQLite database lives in memory; the server gets a file of its own,
        # as in production (WAL, IMMEDIATE transactions).
        env["DATABASE_URL"] = f"sqlite:///{tmp_path}/concurrency.sqlite3"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True,
            cwd=django_settings.BASE_DIR, capture_output=True,
        )  # fmt: skip
    else:
        # The test database itself: this test commits, so the server sees the same tables.
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "archive.wsgi", "-w", "4", "-b", f"127.0.0.1:{port}", "--timeout", "60"],
        cwd=django_settings.BASE_DIR, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/submit/", timeout=30)
            break
        except OSError:  # refused while booting, or a slow first request
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(proc.stderr.read().decode()) from None
            time.sleep(0.3)
    yield base, env, tmp_path
    proc.terminate()
    proc.wait(timeout=30)


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            .encode()
        )  # fmt: skip
    for name, (filename, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def send(base: str, i: int, address: str, barrier, statuses: list) -> None:
    """One family: opens the form (cookie and token), waits for the others, sends."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(base + "/submit/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body, content_type = multipart(
        {"csrfmiddlewaretoken": token, "name_latin": f"Testname Concurrent{i}",
         "account": f"Concurrent synthetic account {i}", "consent": "on"},
        {"attachments": (f"{i}.jpg", jpeg_with_exif())},
    )  # fmt: skip
    request = urllib.request.Request(
        base + "/submit/", data=body, method="POST",
        headers={"Content-Type": content_type, "X-Real-IP": address},
    )  # fmt: skip
    barrier.wait()
    try:
        statuses.append((address, opener.open(request, timeout=120).status))
    except urllib.error.HTTPError as exc:
        statuses.append((address, exc.code))


def stored(env, tmp_path) -> tuple[int, int, set]:
    query = [
        "SELECT COUNT(*) FROM victims_submission",
        "SELECT COUNT(*) FROM victims_submissionattachment",
        "SELECT account FROM victims_submission",
    ]
    if connection.vendor == "sqlite":
        with sqlite3.connect(tmp_path / "concurrency.sqlite3") as db:
            rows = [db.execute(q).fetchall() for q in query]
    else:
        with connection.cursor() as cursor:
            rows = []
            for q in query:
                cursor.execute(q)
                rows.append(cursor.fetchall())
    return rows[0][0][0], rows[1][0][0], {r[0] for r in rows[2]}


def test_forty_simultaneous_submissions_are_each_stored_whole_or_refused(server):
    base, env, tmp_path = server
    barrier = threading.Barrier(SENDERS)
    statuses: list = []
    threads = [
        threading.Thread(target=send, args=(base, i, CLIENTS[i % 2], barrier, statuses))
        for i in range(SENDERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    codes = [code for _, code in statuses]
    # A stored submission redirects to its receipt (urllib follows it): 200 there.
    assert len(codes) == SENDERS and set(codes) <= {200, 429}, codes
    submissions, attachments, accounts = stored(env, tmp_path)
    assert submissions == codes.count(200)  # none lost
    assert attachments == submissions  # none half-written
    assert len(accounts) == submissions
    files = list((tmp_path / "private").rglob("*.jpg"))
    assert len(files) == attachments  # no file without its row
    # The limit holds exactly for each client, across four worker processes.
    for address in CLIENTS:
        assert [c for a, c in statuses if a == address].count(200) == LIMIT
