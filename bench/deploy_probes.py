"""The deploy check's questions over HTTP (bench/deploy_check.py deploys and asks them):
what was seen (Tally), the site asked on 127.0.0.1 (Site), the fuzz of lists and API,
the dossiers, the API's conditional answers and errors, and HEAD."""

from __future__ import annotations

import base64
import json
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.client import HTTPConnection
from urllib.parse import quote, urlsplit

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

    def later(self) -> bool:
        """503 with Retry-After: the site's answer while it makes a dossier's PDF (a
        reader's page reloads itself); not an error unless asking again never gets it."""
        return self.status == 503 and "retry-after" in self.headers

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
        if answer.status >= 500 and not answer.later():
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


def check_home(site: Site) -> None:
    """The home page, and the stylesheets it names (collectstatic's hashed files)."""
    home = site.get("/")
    if home.status != 200:
        site.tally.failures.append(f"GET / -> {home.status}")
    for stylesheet in re.findall(rb'href="(/static/[^"]+\.css)"', home.body)[:3]:
        if site.get(stylesheet.decode()).status != 200:
            site.tally.failures.append(f"GET {stylesheet.decode()} (static) failed")


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
        deadline = time.monotonic() + PDF_TIMEOUT
        while answer.later() and time.monotonic() < deadline:
            # As the reader's page does: ask again after the time the site gives.
            wait = answer.headers["retry-after"]
            time.sleep(min(float(wait), 5.0) if wait.isdigit() else 2.0)
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
        # An ETag is required. A Last-Modified is optional (the API sends none: a deleted
        # record moves no timestamp, so a date could not say that the data changed), but
        # one that is sent must be honoured.
        for validator, condition, required in (
            ("etag", "If-None-Match", True),
            ("last-modified", "If-Modified-Since", False),
        ):
            value = first.headers.get(validator)
            if not value:
                if required:
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
