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
5. the API's conditional answers: 304 for If-None-Match and If-Modified-Since;
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
import json
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
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote, urlparse, urlsplit, urlunparse

ROOT = Path(__file__).resolve().parent.parent
PORTS = range(8035, 8040)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
LIST_PAGES = ["/victims/", "/perpetrators/", "/sources/", "/events/"]
API_LISTS = ["/api/victims/", "/api/perpetrators/", "/api/sources/"]
# Names that lists and APIs commonly read, beyond those their filter forms show.
EXTRA_PARAMS = ["q", "cursor", "page", "page_size", "per_page", "limit", "offset", "format"]
PDF_TIMEOUT = 120


# --- What was seen ---------------------------------------------------------------------


@dataclass
class Tally:
    requests: int = 0
    posts: int = 0
    refused_posts: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    non_json_api_errors: list[str] = field(default_factory=list)
    missing_304s: list[str] = field(default_factory=list)
    head_mismatches: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    ok_gets: dict[str, str] = field(default_factory=dict)  # url -> content type
    fuzzed: list[str] = field(default_factory=list)  # the endpoints fuzzed

    def failed(self) -> bool:
        return any(
            (self.refused_posts, self.server_errors, self.non_json_api_errors,
             self.missing_304s, self.head_mismatches, self.failures)
        )  # fmt: skip


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def is_json(self) -> bool:
        if not self.content_type.startswith("application/json"):
            return False
        try:
            json.loads(self.body)
        except ValueError:
            return False
        return True


class Site:
    """The deployed site on 127.0.0.1, asked over plain HTTP, one connection a request
    (gunicorn's sync workers close each one)."""

    def __init__(self, port: int, tally: Tally):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.tally = tally

    def ask(self, method: str, target: str, headers: dict | None = None, *, body=None,
            timeout: float = 30) -> Answer:  # fmt: skip
        connection = HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, target, body=body, headers=headers or {})
            response = connection.getresponse()
            answer = Answer(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        finally:
            connection.close()
        self.tally.requests += 1
        self.tally.statuses[answer.status] += 1
        where = f"{method} {target[:200]}"
        if answer.status >= 500:
            self.tally.server_errors.append(f"{where} -> {answer.status}")
        if target.startswith("/api/") and method != "HEAD":
            if answer.status >= 400 and not answer.is_json():
                self.tally.non_json_api_errors.append(
                    f"{where} -> {answer.status} {answer.content_type or 'no content type'}"
                )
            elif answer.status == 200 and not answer.is_json():
                self.tally.failures.append(f"{where} -> 200 but not JSON")
        if method == "GET" and answer.status == 200:
            self.tally.ok_gets.setdefault(target, answer.content_type)
        return answer

    def get(self, target: str, **headers) -> Answer:
        return self.ask("GET", target, {k.replace("_", "-"): v for k, v in headers.items()})


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
    if sent.value.status != 201:
        raise AssertionError(f"answered {sent.value.status}, not 201 with a receipt")
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


# --- 3. Fuzzing the lists and the API ---------------------------------------------------------


class _FormFields(HTMLParser):
    """The names of the fields of a page's GET forms (its filters)."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif self._in_get_form and tag in ("input", "select", "textarea") and attrs.get("name"):
            self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def form_fields(html: bytes) -> set[str]:
    parser = _FormFields()
    parser.feed(html.decode("utf-8", "replace"))
    return parser.names


HOSTILE = [
    "9" * 40, "-1", "0", "2147483648", "9223372036854775808", "-9223372036854775809",
    "1e309", "NaN", "inf", "0x1f", "1.5", "abc", "", "+", "%20", "[]", "%7B%7D", "null",
    "true", "%00", "a%00b", "%ff%fe", "%c0%af", "%ed%a0%80", "%e2%80%ae", "%", "%zz", "%%",
    "'", "%22", "'%20OR%201=1--", "%3Cscript%3E", "..%2F..%2Fetc%2Fpasswd", "1988-13-45",
    "1367-05-01", quote("۱۳۶۷"), quote("محمد حسینی"), quote("ك ي ى ة"), "x" * 3000,
    quote("\u200c\u200f"), "%F0%9F%92%A5", "1,2,3", "-0", "00000000001",
]  # fmt: skip


def cursors(site: Site) -> list[str]:
    """Forged cursors: tampered real ones, another list's, and made-up ones."""
    real = []
    for path in API_LISTS:
        answer = site.get(f"{path}?page_size=1")
        if answer.is_json() and (next_url := json.loads(answer.body).get("next")):
            match = re.search(r"[?&]cursor=([^&]+)", next_url)
            if match:
                real.append(match.group(1))

    def b64(data: bytes) -> str:
        return quote(base64.urlsafe_b64encode(data).decode())

    forged = ["AAAA", "eyJ4Ijp9", "-" * 50, b64(b'{"k":["x"],"pk":"a"}'), b64(b"\x00" * 64),
              b64(json.dumps([10**40, "z"]).encode()), b64(b"[]"), b64(b"null")]  # fmt: skip
    for cursor in real:
        forged += [cursor[:-2], cursor[::-1], cursor + "A", cursor.replace("A", "B", 1),
                   cursor[: len(cursor) // 2]]  # fmt: skip
    return real + forged


def endpoints(site: Site) -> tuple[list[str], list[str]]:
    """The site's pages of one path segment that the home page links to (its lists, and
    the other pages of its menus), with the known lists; the API's lists that its index
    names, with the known ones."""
    home = site.get("/").body.decode("utf-8", "replace")
    pages = set(LIST_PAGES) | set(re.findall(r'href="(/[a-z-]+/)"', home)) - {"/fa/", "/admin/"}
    apis = set(API_LISTS)
    index = site.get("/api/")
    if index.is_json():
        for value in json.loads(index.body).values():
            if isinstance(value, str) and urlsplit(value).path.startswith("/api/"):
                apis.add(urlsplit(value).path)
    return sorted(pages), sorted(apis)


def fuzz(site: Site, count: int, rng: random.Random) -> None:
    pages, apis = endpoints(site)
    targets = [*pages, *[f"/fa{p}" for p in pages], *apis]
    site.tally.fuzzed = targets
    names = set(EXTRA_PARAMS)
    for path in pages:
        answer = site.get(path)
        if answer.status != 200:
            site.tally.failures.append(f"GET {path} -> {answer.status} (a page the site links to)")
        names |= form_fields(answer.body)
    names = sorted(names)
    values = HOSTILE + cursors(site)
    started = time.monotonic()
    for _ in range(count):
        path = rng.choice(targets)
        params = [(rng.choice(names), rng.choice(values)) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            params.append(("cursor", rng.choice(values)))
        target = path + "?" + "&".join(f"{k}={v}" for k, v in params)
        try:
            site.ask("GET", target, timeout=30)
        except (OSError, TimeoutError) as exc:
            site.tally.failures.append(f"GET {target[:200]}: no answer ({exc})")
        if time.monotonic() - started > 600:  # bounded in time as well as in count
            site.tally.failures.append("fuzz stopped after 600 s")
            break


# --- 4. Dossiers ----------------------------------------------------------------------------


def seed_dossiers(site: Site) -> list[str]:
    """The dossier addresses of every published perpetrator and event, in both languages."""
    refs, target = [], "/api/perpetrators/?page_size=100"
    while target:
        page = json.loads(site.get(target).body)
        refs += [row["ref"] for row in page["results"]]
        target = (
            urlsplit(page["next"])._replace(scheme="", netloc="").geturl() if page["next"] else ""
        )
    events = sorted(set(re.findall(rb'href="/events/([^/"]+)/"', site.get("/events/").body)))
    details = [f"/perpetrators/{ref}/" for ref in refs]
    details += [f"/events/{slug.decode()}/" for slug in events]
    return [f"{lang}{detail}dossier.{kind}"
            for lang in ("", "/fa") for detail in details for kind in ("pdf", "json")]  # fmt: skip


def check_dossiers(site: Site) -> int:
    targets = seed_dossiers(site)
    if not targets:
        site.tally.failures.append("the seed has no dossier to fetch (no perpetrator, no event)")
    for target in targets:
        answer = site.ask("GET", target, timeout=PDF_TIMEOUT)
        if answer.status != 200:
            site.tally.failures.append(f"GET {target} -> {answer.status}")
        elif target.endswith(".pdf") and not answer.body.startswith(b"%PDF"):
            site.tally.failures.append(f"GET {target}: not a PDF ({answer.content_type})")
        elif target.endswith(".json") and not answer.is_json():
            site.tally.failures.append(f"GET {target}: not JSON ({answer.content_type})")
    return len(targets)


# --- 5-7. The API's answers, HEAD -------------------------------------------------------------


def check_conditional(site: Site) -> None:
    """A client that holds a copy asks again with its validator and gets 304."""
    sources = json.loads(site.get("/api/sources/?page_size=1").body)["results"]
    targets = [
        "/api/",
        *API_LISTS,
        "/api/victims/?q=Salehi",
        "/api/victims/V-0001/",
        "/api/perpetrators/P-0001/",
        *[f"/api/sources/{s['id']}/" for s in sources],
    ]
    for target in targets:
        first = site.get(target)
        if first.status != 200:
            site.tally.failures.append(f"GET {target} -> {first.status}")
            continue
        for validator, condition in (
            ("etag", "If-None-Match"),
            ("last-modified", "If-Modified-Since"),
        ):
            value = first.headers.get(validator)
            if not value:
                site.tally.missing_304s.append(f"{target}: no {validator.title()} header")
                continue
            again = site.ask("GET", target, {condition: value})
            if again.status != 304:
                site.tally.missing_304s.append(f"{target}: {condition} -> {again.status}")


def check_api_errors(site: Site) -> None:
    """Each must be an error (4xx) in JSON; Site.ask counts those that are not JSON."""
    cases = [
        ("GET", "/api/victims/TEST-NO-SUCH-REF/", 404),
        ("GET", "/api/perpetrators/TEST-NO-SUCH-REF/", 404),
        ("GET", "/api/sources/999999999/", 404),
        ("GET", "/api/sources/not-a-number/", 404),
        ("GET", "/api/no-such-list/", 404),
        ("GET", "/api/victims/?cursor=forged", 400),
        ("GET", "/api/victims/?fate=no-such-fate", 400),
        ("POST", "/api/victims/", None),
        ("DELETE", "/api/victims/V-0001/", None),
    ]
    for method, target, expected in cases:
        body = b"{}" if method == "POST" else None
        answer = site.ask(method, target, {"Content-Type": "application/json"}, body=body)
        if expected is not None and answer.status != expected:
            site.tally.failures.append(f"{method} {target} -> {answer.status}, not {expected}")
        elif expected is None and not 400 <= answer.status < 500:
            site.tally.failures.append(f"{method} {target} -> {answer.status}, not a 4xx")


def check_head(site: Site, sample: int, rng: random.Random) -> int:
    """HEAD on every kind of address GET answered 200 (each distinct path: pages, API,
    dossiers, static files), and on a sample of the fuzz's addresses. A HEAD the page
    cache answers from a GET it holds hides what the view does with HEAD: each fuzzed
    endpoint is also asked HEAD first, at an address not asked before, then GET."""
    gets = dict(site.tally.ok_gets)
    by_path = {}
    for target in sorted(gets, key=len):
        by_path.setdefault(urlsplit(target).path, target)
    chosen = set(by_path.values())
    others = sorted(set(gets) - chosen)
    chosen |= set(rng.sample(others, min(sample, len(others))))
    for target in sorted(chosen):
        compare_head(site, target, gets[target])
    for number, path in enumerate(site.tally.fuzzed):
        target = f"{path}?head-first={number}"
        head = site.ask("HEAD", target)
        get = site.get(target)
        if get.status == 200:
            compare_head(site, target, get.content_type, head)
    return len(chosen) + len(site.tally.fuzzed)


def compare_head(site: Site, target: str, content_type: str, answer: Answer | None = None):
    answer = answer or site.ask("HEAD", target, timeout=PDF_TIMEOUT)
    if answer.status != 200:
        site.tally.head_mismatches.append(f"HEAD {target} -> {answer.status} (GET: 200)")
    elif answer.body:
        site.tally.head_mismatches.append(f"HEAD {target}: a body of {len(answer.body)} bytes")
    elif answer.content_type != content_type:
        site.tally.head_mismatches.append(
            f"HEAD {target}: {answer.content_type!r}, GET gave {content_type!r}"
        )


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


def check_home(site: Site) -> None:
    """The home page, and the stylesheets it names (collectstatic's hashed files)."""
    home = site.get("/")
    if home.status != 200:
        site.tally.failures.append(f"GET / -> {home.status}")
    for stylesheet in re.findall(rb'href="(/static/[^"]+\.css)"', home.body)[:3]:
        if site.get(stylesheet.decode()).status != 200:
            site.tally.failures.append(f"GET {stylesheet.decode()} (static) failed")


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
