"""Shared fixtures: the personas who use the archive (anonymous reader, researcher,
reviewer, a staff account in no group), the seed records, a private folder per test, and
Debian's Chromium for the tests that need a browser, gunicorn run for real for the tests of
what it does itself."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from archive.core.groups import RESEARCHER, REVIEWER


def _staff(django_user_model, username, group):
    if not Group.objects.filter(name=group).exists():
        # A test that commits (transaction=True) is followed by a flush, which empties the
        # groups the migrations made; a later one of those tests makes them again.
        from tests.e2e.browsing import restore_staff_groups

        restore_staff_groups()
    user = django_user_model.objects.create_user(
        username, password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def nothing_kept(monkeypatch):
    """What a worker keeps per data version (``versions.for_this_version``) starts
    empty: an earlier test's version may match by chance, and its records not."""
    from archive.core import versions

    monkeypatch.setattr(versions, "_KEPT", {})


@pytest.fixture
def researcher(db, django_user_model):
    return _staff(django_user_model, "researcher", RESEARCHER)


@pytest.fixture
def reviewer(db, django_user_model):
    return _staff(django_user_model, "reviewer", REVIEWER)


def signed_in(client, user):
    """A client signed in as ``user`` with a verified second factor, as the admin needs."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def researcher_client(client, researcher):
    return signed_in(client, researcher)


@pytest.fixture
def reviewer_client(client, reviewer):
    return signed_in(client, reviewer)


@pytest.fixture
def nobody(db, django_user_model):
    """A staff account in no group: signed in with two factors, allowed nothing."""
    return django_user_model.objects.create_user(
        "nobody", password="a-long-test-password", is_staff=True
    )


@pytest.fixture
def nobody_client(client, nobody):
    return signed_in(client, nobody)


@pytest.fixture
def anonymous(client):
    return client


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture
def seeded(transactional_db):
    """The seed records, committed, for a live server to read."""
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture
def private_media(settings, tmp_path):
    """Families' attachments and public media written during the test go to this test's
    own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(scope="session", autouse=True)
def _evidence_outside_the_project(tmp_path_factory):
    """Documents (the seed's statement, those tests add) are stored in a folder of the
    test run, never in the project's own evidence store."""
    from django.conf import settings

    settings.EVIDENCE_ROOT = tmp_path_factory.mktemp("evidence")


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (Debian's, never a downloaded one); the tests that
    use it skip, saying why, where it is missing. Playwright's sync API keeps an event
    loop running while the browser is open, and Django refuses database access under one
    unless told it is deliberate: the flag is set only while the browser is open, so that
    no other test inherits it."""
    from tests.e2e.browsing import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(
            "Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _empty_page_cache(settings):
    """Whole pages are cached per process under the data's version; tests that build the
    same data twice must not see each other's pages. The shared level (the database
    cache) is off unless a test turns it on: a test without the database cannot clear
    it."""
    from django.core.cache import caches

    settings.PAGE_CACHE_SHARED = ""
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request activates its language in the thread and nothing resets it: a test of a
    Persian page must not leave the next test speaking Persian."""
    from django.utils import translation

    yield
    translation.deactivate()


class Gunicorn:
    """gunicorn run for real with the project's ``gunicorn.conf.py``, on a free port of
    127.0.0.1, over an empty SQLite database, its log kept in a file."""

    def __init__(self, tmp_path, **env):
        from django.conf import settings

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        env = {
            **os.environ,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_LOGLEVEL": "info",  # the most a deployment would log
            "DEBUG": "0",
            "STATIC_MANIFEST": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3",
            "SECRET_KEY": "gunicorn-test-key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            **env,
        }
        self.out = (tmp_path / "gunicorn.log").open("w+")
        self.master = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--no-control-socket",
             "archive.wsgi"],
            cwd=Path(settings.BASE_DIR), env=env, stdout=self.out, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def send(self, raw: bytes) -> bytes:
        """``raw`` sent as is; the whole answer."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(raw)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
            return b"".join(chunks)

    def get(self, path: str) -> bytes:
        return self.send(f"GET {path} HTTP/1.0\r\n\r\n".encode())

    def wait_until_serving(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                # A worker has loaded the application once a static file is served.
                if b" 200 " in self.get("/static/css/site.css").split(b"\r\n", 1)[0]:
                    return
            except OSError:
                pass
            if self.master.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{self.stop()}")
            time.sleep(0.3)

    def workers(self) -> set[int]:
        """The worker processes' ids: the master's children (Linux's ``/proc``; the
        ``children`` list where the kernel keeps one, else each process's parent)."""
        path = Path(f"/proc/{self.master.pid}/task/{self.master.pid}/children")
        if path.exists():
            return {int(pid) for pid in path.read_text().split()}
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
            if parent == self.master.pid:
                found.add(int(stat.parent.name))
        return found

    def stop(self) -> str:
        """Stops gunicorn (SIGTERM, killed if it lingers); its whole log."""
        if self.master.poll() is None:
            self.master.send_signal(signal.SIGTERM)
            try:
                self.master.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.master.kill()
                self.master.wait()
        self.out.seek(0)
        return self.out.read()


@pytest.fixture
def gunicorn(tmp_path):
    """``start(**env)``: a ``Gunicorn`` serving (one worker unless ``GUNICORN_WORKERS``),
    stopped after the test."""
    started = []

    def start(**env) -> Gunicorn:
        server = Gunicorn(tmp_path, **env)
        started.append(server)
        server.wait_until_serving()
        return server

    yield start
    for server in started:
        server.stop()
        server.out.close()
