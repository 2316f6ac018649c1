"""Deploy the working tree the standard way into a fresh database and check it from the
outside, as a reader, a family and a researcher would meet it.

    .venv/bin/python bench/deploy_check.py [--fuzz 300] [--database sqlite|postgres]

For each database (a temporary SQLite file; and, when DATABASE_URL names a PostgreSQL
server, a throwaway UTF-8 database created there and dropped afterwards):

1. deploy: ``manage.py migrate`` and nothing else for the schema (no createcachetable),
   ``loaddata seed`` for content, ``collectstatic`` and ``compilemessages``; DEBUG off,
   a fresh SECRET_KEY and SUBMISSION_KEY, ALLOWED_HOSTS=127.0.0.1; two staff accounts
   made with ``create_staff_user``; served by ``gunicorn -c gunicorn.conf.py archive.wsgi``
   (2 workers) on a free port (8035-8039 first);
2. Chromium (Debian's) signs in to the admin on one page (username, password, one-time
   code) in English with JavaScript and in Persian without, and sends the families' form
   in both languages (and its receipt look-up): no post may be refused;
3. a bounded fuzz of every list page and API list (huge integers, wrong types, bad
   percent-encodings, NUL, forged cursors, long and Persian text): no 5xx, and every
   API answer JSON;
4. every dossier.pdf and dossier.json of the seed, in both languages;
5. the API's conditional answers: 304 for If-None-Match (and If-Modified-Since where a
   Last-Modified is sent);
6. the API's errors (404, 400, wrong method) in JSON;
7. HEAD answers as GET does, without a body, wherever GET answered 200.

It prints a summary per database and exits non-zero on any failure. gunicorn is stopped
on every exit (its process group; and it dies with this script even if this script is
killed, through the parent-death signal). Only 127.0.0.1 is ever asked.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import ctypes
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlsplit, urlunparse

from deploy_probes import (
    Site,
    Tally,
    check_api_errors,
    check_conditional,
    check_dossiers,
    check_head,
    check_home,
    fuzz,
)

ROOT = Path(__file__).resolve().parent.parent
PORTS = range(8035, 8040)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


# --- Deploying -----------------------------------------------------------------------------


def settings_variables() -> set[str]:
    """Every environment variable archive/settings.py reads: none of the caller's may leak
    into the deployment (the test suite's STATIC_MANIFEST=0, DEBUG, DATABASE_URL...)."""
    text = (ROOT / "archive" / "settings.py").read_text()
    names = set(re.findall(r"env\w*\(\s*\"([A-Z][A-Z0-9_]*)\"", text))
    return names | {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def free_port() -> int:
    for port in [*PORTS, 0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port on 127.0.0.1")


def production_env(tmp: Path, database_url: str, port: int) -> dict:
    from cryptography.fernet import Fernet

    dropped = settings_variables()
    env = {
        k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("GUNICORN_")
    }
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        SUBMISSION_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp / "private"),
        BACKUP_DIR=str(tmp / "backups"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        PYTHONUNBUFFERED="1",
    )
    return env


@contextlib.contextmanager
def database(kind: str, tmp: Path):
    """The URL of an empty database of ``kind``; a PostgreSQL one is dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'deploy.sqlite3'}"
        return
    import psycopg2

    parts = urlparse(os.environ["DATABASE_URL"])
    name = f"deploy_check_{os.getpid()}_{secrets.token_hex(3)}"
    admin = psycopg2.connect(urlunparse(parts._replace(path="/postgres")), connect_timeout=5)
    admin.autocommit = True
    with admin.cursor() as cur:
        # As docs/deploy.md says a production database is made: UTF-8, C.UTF-8.
        cur.execute(
            f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
            f"LC_CTYPE 'C.UTF-8' TEMPLATE template0"
        )
    try:
        yield urlunparse(parts._replace(path=f"/{name}"))
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=600,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@dataclass
class StaffLogin:
    username: str
    password: str
    key: bytes

    def token(self) -> str:
        from django_otp.oath import totp

        return f"{totp(self.key):06d}"


def create_staff(env: dict, username: str, group: str) -> StaffLogin:
    out = manage(env, "create_staff_user", username, "--group", group)
    key = re.search(r"key: ([A-Z2-7]+)", out).group(1)
    password = re.search(r"password: (\S+)", out).group(1)
    return StaffLogin(username, password, base64.b32decode(key))


def _die_with_parent() -> None:
    """gunicorn's master gets SIGTERM if this script dies, however it dies (Linux)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def gunicorn(env: dict, port: int, log: Path):
    executable = Path(sys.executable).with_name("gunicorn")
    command = [str(executable)] if executable.exists() else [sys.executable, "-m", "gunicorn"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "-c", "gunicorn.conf.py", "archive.wsgi"], cwd=ROOT, env=env,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_parent,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{log.read_text()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not listen within 60 s:\n{log.read_text()}")
            time.sleep(0.2)
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


# --- 2. Chromium: the forms ------------------------------------------------------------------


def browser_checks(site: Site, staff: list[StaffLogin]) -> list[str]:
    """Signs in and sends the families' form; returns one line per step."""
    from playwright.sync_api import sync_playwright

    tally = site.tally
    lines = []

    def on_response(response):
        tally.requests += 1
        tally.statuses[response.status] += 1
        method = response.request.method
        where = f"{method} {urlsplit(response.url).path}"
        if method == "POST":
            tally.posts += 1
            if response.status == 403:
                tally.refused_posts.append(f"{where} -> 403 (Chromium)")
        if response.status >= 500:
            tally.server_errors.append(f"{where} -> {response.status} (Chromium)")
        elif response.status >= 400 and response.request.resource_type != "document":
            tally.failures.append(f"{where} -> {response.status} (a page's resource)")

    def step(name, action, *args):
        try:
            result = action(*args)
        except Exception as exc:
            message = str(exc).splitlines()[0][:300]
            tally.failures.append(f"Chromium: {name}: {message}")
            lines.append(f"  FAIL {name}: {message}")
            return None
        lines.append(f"  ok   {name}")
        return result

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def new_page(javascript: bool, locale: str = "en-GB"):
            context = browser.new_context(java_script_enabled=javascript, locale=locale)
            context.set_default_timeout(20_000)
            context.on("response", on_response)
            return context.new_page()

        try:
            # Staff: English with JavaScript; Persian (the browser's language) without.
            for account, javascript, locale in ((staff[0], True, "en-GB"),
                                                (staff[1], False, "fa-IR")):  # fmt: skip
                page = new_page(javascript, locale)
                mode = "on" if javascript else "off"
                step(f"admin sign-in ({locale}, JavaScript {mode})",
                     sign_in, page, site.base, account)  # fmt: skip
                page.context.close()
            # Families: English with JavaScript, Persian without.
            for prefix, javascript in (("", True), ("/fa", False)):
                page = new_page(javascript)
                base = site.base + prefix
                mode = "on" if javascript else "off"
                code = step(f"family form {prefix}/submit/ (JavaScript {mode})",
                            family_form, page, base)  # fmt: skip
                if code:
                    step(f"receipt look-up {prefix}/submit/receipt/", receipt, page, base, code)
                step(f"family form with mistakes {prefix}/submit/", form_with_mistakes, page, base)
                page.context.close()
        finally:
            browser.close()
    return lines


def sign_in(page, base: str, account: StaffLogin) -> None:
    page.goto(base + "/admin/login/")
    page.fill("[name=username]", account.username)
    page.fill("[name=password]", account.password)
    page.fill("[name=otp_token]", account.token())
    with page.expect_navigation():
        page.press("[name=otp_token]", "Enter")
    if "/admin/login/" in page.url:
        errors = page.locator(".errornote, .errorlist").all_inner_texts()
        raise AssertionError(f"still on the sign-in page: {errors or page.title()}")
    page.goto(base + "/admin/victims/victim/")
    if page.locator("#result_list, #changelist").count() == 0:
        raise AssertionError(f"signed in, but the victims' list did not show ({page.url})")


def family_form(page, base: str) -> str:
    page.goto(base + "/submit/")
    page.fill("[name=name_fa]", "نام آزمایشی بررسی استقرار")
    page.fill("[name=name_latin]", "Testname Deploycheck")
    page.fill("[name=account]", "A synthetic account sent by the deploy check.")
    page.check("[name=consent]")
    with page.expect_navigation() as sent:
        page.locator("main form button[type=submit]").last.click()
    # Stored, then redirected (303) to the receipt, so that a reload sends nothing twice.
    if sent.value.status != 200 or not page.url.endswith("/submit/thanks/"):
        raise AssertionError(
            f"answered {sent.value.status} at {page.url}, not the receipt at /submit/thanks/"
        )
    return page.locator(".receipt .code").inner_text().strip()


def receipt(page, base: str, code: str) -> None:
    page.goto(base + "/submit/receipt/")
    page.fill("[name=code]", code)
    with page.expect_navigation() as sent:
        page.locator("main form button[type=submit]").last.click()
    if sent.value.status != 200 or page.get_by_role("status").count() != 1:
        raise AssertionError(f"answered {sent.value.status} without the submission's status")


def form_with_mistakes(page, base: str) -> None:
    page.goto(base + "/submit/")
    page.fill("[name=birth_year]", "not a year")
    with page.expect_navigation() as sent:
        page.locator("main form button[type=submit]").last.click()
    if sent.value.status != 200 or page.locator("#form-errors").count() != 1:
        raise AssertionError(f"answered {sent.value.status} without the list of mistakes")


# --- The run ---------------------------------------------------------------------------------


class Phases:
    """How long each step took, for the summary."""

    def __init__(self):
        self.took: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, name: str):
        started = time.monotonic()
        try:
            yield
        finally:
            self.took[name] = time.monotonic() - started

    def __str__(self) -> str:
        return ", ".join(f"{name} {took:.1f} s" for name, took in self.took.items())


def check_one(kind: str, args) -> bool:
    tally = Tally()
    phase = Phases()
    tmp = Path(tempfile.mkdtemp(prefix=f"deploy-check-{kind}-"))
    started = time.monotonic()
    lines, dossiers, heads, server_log = [], 0, 0, ""
    try:
        with database(kind, tmp) as database_url:
            port = free_port()
            env = production_env(tmp, database_url, port)
            with phase("migrate"):
                manage(env, "migrate", "--noinput")
            with phase("loaddata seed"):
                manage(env, "loaddata", "seed")
            with phase("collectstatic"):
                manage(env, "collectstatic", "--noinput")
            with phase("compilemessages"):
                manage(env, "compilemessages", "--ignore=.venv", "--ignore=node_modules")
            with phase("create_staff_user x2"):
                staff = [create_staff(env, "deploy-researcher", "researcher"),
                         create_staff(env, "deploy-reviewer", "reviewer")]  # fmt: skip
            log = tmp / "gunicorn.log"
            with gunicorn(env, port, log):
                site = Site(port, tally)
                rng = random.Random(args.seed)
                with phase("home and static"):
                    check_home(site)
                with phase("Chromium"):
                    lines += browser_checks(site, staff)
                with phase(f"fuzz ({args.fuzz})"):
                    fuzz(site, args.fuzz, rng)
                with phase("dossiers"):
                    dossiers = check_dossiers(site)
                with phase("304s and API errors"):
                    check_conditional(site)
                    check_api_errors(site)
                with phase("HEAD"):
                    heads = check_head(site, args.head, rng)
                server_log = log.read_text(errors="replace")
    except Exception as exc:
        tally.failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(summary(kind, tally, lines, phase, dossiers, heads, time.monotonic() - started,
                  server_log))  # fmt: skip
    return not tally.failed()


def _listed(title: str, items: list[str], limit: int = 12) -> list[str]:
    out = [f"{title}: {len(items)}"]
    out += [f"    {item}" for item in items[:limit]]
    if len(items) > limit:
        out.append(f"    … and {len(items) - limit} more")
    return out


def summary(kind, tally, lines, phase, dossiers, heads, took, server_log) -> str:
    out = [
        f"== deploy check on {kind}: migrate, loaddata seed, collectstatic, compilemessages;"
        f" gunicorn -c gunicorn.conf.py archive.wsgi (2 workers) =="
    ]
    out += ["browser:", *lines]
    out.append(f"requests sent: {tally.requests} (statuses {dict(sorted(tally.statuses.items()))})")
    out.append(f"form posts from Chromium: {tally.posts}")
    out.append(f"fuzzed ({len(tally.fuzzed)}): {' '.join(tally.fuzzed)}")
    out += _listed("refused posts", tally.refused_posts)
    out += _listed("5xx", tally.server_errors)
    out += _listed("non-JSON API errors", tally.non_json_api_errors)
    out += _listed("missing 304s", tally.missing_304s)
    out += _listed(f"HEAD mismatches (of {heads} HEAD requests)", tally.head_mismatches)
    out.append(f"dossiers fetched: {dossiers}")
    out += _listed("other failures", tally.failures)
    if tally.server_errors and server_log:
        errors = [ln for ln in server_log.splitlines() if "Error" in ln or "ERROR" in ln]
        distinct = list(dict.fromkeys(re.sub(r"^[\d-]+ [\d:,]+ ", "", ln) for ln in errors))
        out += _listed("server log (distinct error lines)", distinct, limit=20)
    out.append(f"took: {phase}")
    out.append(f"{kind}: {'FAIL' if tally.failed() else 'PASS'} in {took:.0f} s")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fuzz", type=int, default=300, help="fuzzed requests (default 300)")
    parser.add_argument(
        "--head", type=int, default=40,
        help="HEAD requests beyond one per path GET answered (default 40)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=1988, help="the fuzz's random seed")
    parser.add_argument(
        "--database", choices=["sqlite", "postgres"], action="append",
        help="which (default: SQLite, and PostgreSQL when DATABASE_URL names one)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    kinds = args.database or ["sqlite"] + (
        ["postgres"] if os.environ.get("DATABASE_URL", "").startswith("postgres") else []
    )
    # A SIGTERM (a test's timeout, CI's end) unwinds like Ctrl-C: gunicorn is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results = [check_one(kind, args) for kind in kinds]
    print(f"deploy check: {'PASS' if all(results) else 'FAIL'} ({', '.join(kinds)})")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
