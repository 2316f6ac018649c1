"""What every dossier shares: its content in canonical form and the digest of it, its
provenance, the summary of its victims, and the PDF made from its HTML.

A dossier must be checkable long after it was printed. What is digested is the dossier's
*content* (every fact, citation and source it shows, in a fixed order, without the time
it was generated), written as canonical JSON: the same record state gives the same digest
on any day, in English or in Persian, and anyone can recompute it from the JSON the
archive publishes beside the dossier (``sha256(dossier.json) == digest``).

The PDF renderer is given a URL fetcher that serves our own static files from disk and
refuses every other URL, so that making a PDF never reaches a third party.

No app is imported here (the archive core never imports an app): the builders in the
apps hand in their querysets.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import mimetypes
import os
import posixpath
import signal
import tempfile
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Count

from archive.core.dates import MONTH, YEAR, PartialDate
from archive.core.records import iso

logger = logging.getLogger(__name__)

#: Names the format of the canonical content; a change to what is digested changes it.
FORMAT = "archive-1988-dossier/1"

#: How many victims a dossier lists by name; the counts always cover all of them.
VICTIM_NAMES_LIMIT = getattr(settings, "DOSSIER_VICTIM_NAMES_LIMIT", 300)


# --- Canonical content and its digest --------------------------------------------------


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, PartialDate):
        return value.iso()
    raise TypeError(f"{type(value).__name__} has no canonical JSON form")


def canonical_json(content: dict) -> bytes:
    """The content as UTF-8 JSON with sorted keys and no optional whitespace, ending
    with a newline: one byte sequence for one content, whoever writes it."""
    text = json.dumps(
        content,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=_json_default,
    )
    return (text + "\n").encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def partial_iso(obj, field: str) -> str | None:
    """A record's partial date as ISO at its precision (``1988``, ``1988-08``), or None."""
    return iso(getattr(obj, field), getattr(obj, f"{field}_precision", None))


def latest(*timestamps) -> datetime | None:
    """The latest of the timestamps given (None ignored): when the record state last
    changed."""
    present = [t for t in timestamps if t is not None]
    return max(present) if present else None


# --- Provenance -------------------------------------------------------------------------


@dataclass(frozen=True)
class Provenance:
    """Where a dossier comes from and how to check it."""

    digest: str
    record_state: datetime | None
    generated_at: datetime
    version: str
    canonical_url: str
    html_url: str
    pdf_url: str
    json_url: str
    sha256_url: str
    json_name: str
    pdf_name: str
    sha256_name: str

    @property
    def short_digest(self) -> str:
        return self.digest[:16]


def sha256sum_text(entries: list[tuple[str, str]]) -> str:
    """Lines in ``sha256sum``'s own format, so that ``sha256sum -c`` checks them."""
    return "".join(f"{digest}  {name}\n" for digest, name in entries)


# --- Victims in a dossier ---------------------------------------------------------------


@dataclass
class VictimSummary:
    """Counts of a set of published victims by prison, date of death and fate, and the
    first of them by name."""

    total: int
    by_prison: list[tuple[object, int]]
    by_date: list[tuple[PartialDate | None, int]]
    by_fate: list[tuple[str, str, int]]
    listed: list

    @property
    def truncated(self) -> bool:
        return self.total > len(self.listed)

    def content(self) -> dict:
        return {
            "total": self.total,
            "by_prison": [
                {"prison": place.pk if place else None, "count": n} for place, n in self.by_prison
            ],
            "by_date": [{"date": d.iso() if d else None, "count": n} for d, n in self.by_date],
            "by_fate": [{"fate": code, "count": n} for code, _label, n in self.by_fate],
        }


def summarise_victims(queryset, *, limit: int | None = None, fate_choices=None) -> VictimSummary:
    """Group published victims (the caller's queryset) in the database, so that the
    counts cost the same for ten victims or a hundred thousand."""
    limit = VICTIM_NAMES_LIMIT if limit is None else limit
    total = queryset.count()

    prison_rows = queryset.order_by().values("prison").annotate(n=Count("pk"))
    prison_model = queryset.model._meta.get_field("prison").related_model
    places = prison_model.objects.in_bulk([r["prison"] for r in prison_rows if r["prison"]])
    by_prison = sorted(
        ((places.get(r["prison"]), r["n"]) for r in prison_rows),
        key=lambda pair: (pair[0] is None, -pair[1], str(pair[0] or "")),
    )

    date_counts: Counter = Counter()
    date_rows = (
        queryset.order_by()
        .values("death_date__year", "death_date__month", "death_date_precision")
        .annotate(n=Count("pk"))
    )
    for row in date_rows:
        year, month = row["death_date__year"], row["death_date__month"]
        if year is None:
            key = None
        elif row["death_date_precision"] == YEAR:
            key = (year, None)
        else:
            key = (year, month)
        date_counts[key] += row["n"]
    by_date = []

    # Chronological; within a year, the victims known only by the year come after its
    # months; those with no known date come last.
    def order(k):
        return (1, 0, 0, 0) if k is None else (0, k[0], k[1] is None, k[1] or 0)

    for key in sorted(date_counts, key=order):
        if key is None:
            by_date.append((None, date_counts[key]))
        elif key[1] is None:
            by_date.append((PartialDate(date(key[0], 1, 1), YEAR), date_counts[key]))
        else:
            by_date.append((PartialDate(date(key[0], key[1], 1), MONTH), date_counts[key]))

    labels = dict(fate_choices or [])
    fate_rows = queryset.order_by().values("fate").annotate(n=Count("pk"))
    by_fate = sorted(
        ((r["fate"], labels.get(r["fate"], r["fate"]), r["n"]) for r in fate_rows),
        key=lambda t: (-t[2], t[0]),
    )

    listed = list(queryset.order_by("name_latin", "name_fa", "ref")[:limit])
    return VictimSummary(total, by_prison, by_date, by_fate, listed)


def place_content(place) -> dict:
    return {"id": place.pk, "name_en": place.name_en, "name_fa": place.name_fa, "kind": place.kind}


# --- Sources and citations --------------------------------------------------------------


def citations_by_claim(citations) -> dict:
    """``{claim: [citation, ...]}`` in a fixed order, for one record's citations, each as
    the public may see it (``Citation.public_view()``)."""
    out: dict[str, list] = {}
    for citation in sorted(citations, key=lambda c: (c.claim, c.source_id, c.locator, c.pk)):
        out.setdefault(citation.claim, []).append(citation.public_view().record())
    return out


# --- PDF ---------------------------------------------------------------------------------


class RefusedURL(ValueError):
    """A URL the dossier's PDF renderer will not fetch."""


def static_file_for(url: str, base_url: str) -> Path:
    """The file on disk behind one of our static URLs, or ``RefusedURL``.

    Only URLs under ``STATIC_URL`` on the dossier's own origin are accepted, and only
    files that the static file finders or ``STATIC_ROOT`` hold; nothing is fetched over a
    network."""
    parts, base = urlsplit(url), urlsplit(base_url)
    static_url = settings.STATIC_URL
    if urlsplit(static_url).netloc:
        if not url.startswith(static_url):
            raise RefusedURL(f"not one of the archive's static files: {url}")
        path = url[len(static_url) :]
    else:
        if parts.scheme not in ("http", "https") or parts.netloc != base.netloc:
            raise RefusedURL(f"not on the archive's own origin: {url}")
        prefix = "/" + static_url.strip("/") + "/"
        if not parts.path.startswith(prefix):
            raise RefusedURL(f"not one of the archive's static files: {url}")
        path = parts.path[len(prefix) :]
    name = posixpath.normpath(unquote(path.split("?")[0]))
    if name.startswith(("/", "..")) or "\\" in name or "\x00" in name:
        raise RefusedURL(f"not a static file name: {url}")
    found = finders.find(name)
    if found:
        return Path(found)
    root = Path(settings.STATIC_ROOT).resolve()
    candidate = (root / name).resolve()
    if candidate.is_relative_to(root) and candidate.is_file():
        return candidate
    raise RefusedURL(f"no such static file: {url}")


def make_url_fetcher(base_url: str):
    """A WeasyPrint URL fetcher that reads our static files from disk and refuses any
    other URL (which WeasyPrint then skips with a warning)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=("http", "https"), allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            try:
                path = static_file_for(url, base_url)
            except RefusedURL:
                self.refused.append(url)
                raise
            data = path.read_bytes()
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if data[:4] == b"wOF2":
                data, mime_type = _decompressed_font(data), "font/ttf"
            return URLFetcherResponse(url, data, {"Content-Type": mime_type}, status=200)

    return StaticOnlyFetcher()


def _decompressed_font(woff2: bytes) -> bytes:
    """The TrueType font inside a WOFF2 file, decompressed once per machine.

    WeasyPrint decompresses WOFF2 with fontTools, in Python: 0.3-0.6 s of CPU for each of
    the bundled faces, paid by every process that renders its first PDF. Kept on disk
    under the WOFF2's digest, it is a file read."""
    folder = Path(tempfile.gettempdir()) / f"archive-dossier-fonts-{os.getuid()}"
    path = folder / f"{sha256_hex(woff2)[:32]}.ttf"
    try:
        if folder.stat().st_uid == os.getuid():  # never a folder another user made
            return path.read_bytes()
    except OSError:
        pass
    from fontTools.ttLib import woff2 as fonttools_woff2

    out = io.BytesIO()
    fonttools_woff2.decompress(io.BytesIO(woff2), out)
    data = out.getvalue()
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        partial = folder / f"{path.name}.{os.getpid()}.tmp"
        partial.write_bytes(data)
        partial.replace(path)  # atomic: another process never reads half a font
    except OSError:
        logger.warning("cannot keep the decompressed font in %s", folder, exc_info=True)
    return data


class RenderTimeout(RuntimeError):
    """A render ran past its CPU-time bound and was stopped."""


_fonts = threading.local()


def _font_config():
    """One WeasyPrint ``FontConfiguration`` per thread, kept between renders.

    A fresh one per render decompresses the bundled WOFF2 fonts again (fontTools does it
    in Python: about 0.6 s of CPU per face, measured) and starts fontconfig anew; kept, the
    faces are decompressed once per process."""
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


def load_renderer() -> None:
    """Import WeasyPrint and set up its fonts (about 1 s of CPU once per process), so that
    a caller can keep this out of a render's CPU bound."""
    _font_config()


@contextmanager
def cpu_bound(seconds: float | None):
    """Raise ``RenderTimeout`` inside the block once this process has spent ``seconds``
    of CPU time in it (``ITIMER_PROF``, so time waiting for the machine does not count).

    Only the main thread can take signals; elsewhere (the threaded development server)
    the block runs unbounded and the caller's own estimate is the only bound."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise RenderTimeout(f"stopped after {seconds:g} s of CPU")

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def render_pdf(
    html: str,
    *,
    base_url: str,
    identifier: str,
    attachments: list[tuple[str, bytes, str]] = (),
    attachment_time: datetime | None = None,
    url_fetcher=None,
    cpu_seconds: float | None = None,
) -> bytes:
    """The PDF of a dossier's HTML. Deterministic: the same HTML, identifier and
    attachments give the same bytes (WeasyPrint writes no clock time unless asked; the
    document's dates come from its ``dcterms`` meta tags).

    With ``cpu_seconds``, a render that needs more CPU than that stops with
    ``RenderTimeout`` (see ``cpu_bound``)."""
    from weasyprint import HTML, Attachment

    fetcher = url_fetcher or make_url_fetcher(base_url)
    when = attachment_time or datetime(1970, 1, 1)
    files = [
        Attachment(
            string=data,
            name=name,
            description=description,
            created=when,
            modified=when,
            relationship="Source",
            url_fetcher=fetcher,
        )
        for name, data, description in attachments
    ]
    try:
        with cpu_bound(cpu_seconds):
            document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
            return document.write_pdf(
                pdf_identifier=identifier.encode("ascii"),
                attachments=files,
                custom_metadata=True,
                font_config=_font_config(),
            )
    except BaseException:
        # A render stopped half-way may have left a font half-written in the kept
        # configuration: the next render starts from a new one.
        _fonts.config = None
        raise


def renderer_fingerprint() -> str:
    """What else shapes the PDF's bytes: the dossier templates, its stylesheet and fonts,
    and WeasyPrint's version. A deployment that changes any of them makes new PDFs."""
    import weasyprint

    digest = hashlib.sha256(weasyprint.__version__.encode())
    template_dir = Path(settings.BASE_DIR) / "templates" / "dossier"
    files = sorted(template_dir.glob("*.html"))
    files += [Path(p) for p in (finders.find("css/dossier.css"),) if p]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
