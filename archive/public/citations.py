"""Citations the way people cite: what a record's or a source's page tells a reference
manager, and the record's citation as a file.

Every public record page (victim, perpetrator) and source page carries, in its
``<head>`` (``{% citation_metadata obj %}``, ``archive.templatetags.citing``):

- Highwire Press ``citation_*`` meta tags, which Zotero's "Embedded Metadata" reads
  (``citation_title``, ``citation_publisher`` or ``citation_author``, ``citation_date``,
  ``citation_public_url``, ``citation_language``);
- schema.org JSON-LD: a ``Person`` with the names in both scripts, each tagged with its
  language (``fa`` for Persian script, ``fa-Latn`` for a Persian name in Latin letters),
  the dates of birth and death at their precision (a year stays a year: no day is ever
  made up), ``sameAs`` the record's page in the other language; a source as a
  ``CreativeWork``.

``/victims/<ref>/cite.bib``, ``.ris`` and ``.json`` (and the same under
``/perpetrators/``) give the citation as BibTeX, RIS and CSL-JSON, in UTF-8, each with
the permanent address of the page (in the reader's language) and the date the record
last changed. Published records only (``.published()``); the fields are the public
serialisers' (``victims.serializers``, ``perpetrators.serializers``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.http import Http404, HttpResponse
from django.urls import translate_url
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_safe

from archive.core.listing import checked_ref
from archive.core.records import columns
from perpetrators import serializers as perpetrator_public
from perpetrators.models import Perpetrator
from victims import serializers as victim_public
from victims.models import Victim
from victims.serializers import VictimLinks

# The language tags of a person's two names: both are Persian names, in two scripts.
LATIN_NAME_LANG, PERSIAN_NAME_LANG = "fa-Latn", "fa"
GENDERS = {"male": "https://schema.org/Male", "female": "https://schema.org/Female"}


def site_name() -> str:
    return gettext("1988 Massacre Archive")


@dataclass
class Citable:
    """What a citation of one page says, whatever its format."""

    kind: str  # victim, perpetrator, source
    key: str  # the record's ref (a source's id)
    title: str  # in the reader's script first, the other script after it
    url: str  # the page, in the reader's language
    language: str  # the page's
    changed: date | None  # the record's last change
    names: list[tuple[str, str]] = field(default_factory=list)  # (name, language tag)
    record: dict = field(default_factory=dict)  # the public record
    other_url: str = ""  # the page in the other language

    @property
    def label(self) -> str:
        labels = {"victim": gettext("Victim record"), "perpetrator": gettext("Perpetrator record")}
        return labels.get(self.kind, gettext("Source"))

    @property
    def note(self) -> str:
        text = f"{self.label} {self.key}"
        if self.changed:
            text += ", " + gettext("last changed %(date)s") % {"date": self.changed.isoformat()}
        return text


def _changed(obj) -> date | None:
    updated = getattr(obj, "updated_at", None)
    return timezone.localdate(updated) if updated else None


def _urls(request, path: str) -> tuple[str, str]:
    """The page in the reader's language, and in the other one."""
    other = "en" if (get_language() or "en").startswith("fa") else "fa"
    return request.build_absolute_uri(path), request.build_absolute_uri(translate_url(path, other))


def public_record(obj) -> dict:
    """A victim's or a perpetrator's public record (the apps' serialisers)."""
    if isinstance(obj, Victim):
        row = columns(obj, victim_public.COLUMNS)
        return victim_public.public_victim(row, VictimLinks.current())
    return perpetrator_public.public_perpetrator(columns(obj, perpetrator_public.COLUMNS))


def for_person(request, obj) -> Citable:
    record = public_record(obj)
    lang = get_language() or "en"
    first = obj.display_name(lang)
    other = obj.other_script_name(lang)
    url, other_url = _urls(request, obj.get_absolute_url())
    names = [(record["name_latin"], LATIN_NAME_LANG), (record["name_fa"], PERSIAN_NAME_LANG)]
    return Citable(
        kind="victim" if isinstance(obj, Victim) else "perpetrator",
        key=obj.ref,
        title=f"{first} ({other})" if other else first,
        url=url,
        other_url=other_url,
        language=lang,
        changed=_changed(obj),
        names=[(name, tag) for name, tag in names if name],
        record=record,
    )


def for_source(request, source) -> Citable:
    """A published source's page (``Source.public_view()``: a private testimony has none)."""
    shown = source.public_view()
    if shown.private:
        raise Http404
    url, other_url = _urls(request, shown.get_absolute_url())
    return Citable(
        kind="source",
        key=str(shown.id),
        title=shown.title,
        url=url,
        other_url=other_url,
        language=get_language() or "en",
        changed=_changed(source),
        record=shown.record(),
    )


# --- Embedded metadata -----------------------------------------------------------------


def highwire(c: Citable) -> list[tuple[str, str]]:
    """The ``citation_*`` meta tags, as (name, content)."""
    if c.kind == "source":
        r = c.record
        tags = [("citation_title", c.title)]
        if r.get("author"):
            tags.append(("citation_author", r["author"]))
        if r.get("publisher"):
            tags.append(("citation_publisher", r["publisher"]))
        if r.get("date"):
            tags.append(("citation_date", r["date"]))  # at its precision: 1988, 1988-08
        tags.append(("citation_public_url", c.url))
        tags.append(("citation_language", r.get("language") or c.language))
        return tags
    tags = [("citation_title", c.title), ("citation_publisher", site_name())]
    if c.changed:
        tags.append(("citation_date", c.changed.isoformat()))
    tags += [("citation_public_url", c.url), ("citation_language", c.language)]
    return tags


def _place(value: dict | None) -> dict | None:
    if not value:
        return None
    names = [(value.get("name_en"), "en"), (value.get("name_fa"), "fa")]
    return {"@type": "Place", "name": [{"@value": n, "@language": t} for n, t in names if n]}


def json_ld(c: Citable) -> dict:
    if c.kind == "source":
        r = c.record
        data = {
            "@context": "https://schema.org",
            "@type": "CreativeWork",
            "@id": c.url,
            "name": c.title,
            "url": c.url,
            "sameAs": [u for u in (c.other_url, r.get("url"), r.get("archived_url")) if u],
        }
        if r.get("author"):
            data["author"] = r["author"]
        if r.get("publisher"):
            data["publisher"] = {"@type": "Organization", "name": r["publisher"]}
        if r.get("date"):
            data["datePublished"] = r["date"]
        if r.get("language"):
            data["inLanguage"] = r["language"]
        return data
    r = c.record
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "@id": c.url + "#person",
        "name": [{"@value": name, "@language": tag} for name, tag in c.names],
        "identifier": c.key,
        "url": c.url,
        "sameAs": [c.other_url],
        "mainEntityOfPage": {
            "@type": "WebPage",
            "@id": c.url,
            "dateModified": c.changed.isoformat() if c.changed else None,
            "publisher": {"@type": "Organization", "name": site_name()},
        },
    }
    if r.get("aliases"):
        data["alternateName"] = r["aliases"]
    if r.get("father_name"):
        data["parent"] = {"@type": "Person", "name": r["father_name"]}
    if r.get("gender") in GENDERS:
        data["gender"] = GENDERS[r["gender"]]
    if r.get("birth_year"):
        data["birthDate"] = f"{r['birth_year']:04d}"  # a year, as ISO 8601 writes one
    if r.get("death_date"):
        data["deathDate"] = r["death_date"]  # ISO at its precision (serialisers' iso)
    if _place(r.get("death_place")):
        data["deathPlace"] = _place(r["death_place"])
    if not data["mainEntityOfPage"]["dateModified"]:
        del data["mainEntityOfPage"]["dateModified"]
    return data


# --- Citation files ----------------------------------------------------------------------

_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_^~])")
_BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def _bibtex_text(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACEMENTS.get(m[1], "\\" + m[1]), text)


def bibtex(c: Citable) -> str:
    """A BibTeX ``@misc`` entry (the type every style knows), UTF-8: biber and BibTeX
    with ``inputenc`` read the Persian name as written."""
    key = re.sub(r"[^A-Za-z0-9:_-]", "", f"archive1988:{c.key}")
    fields = [
        ("title", "{" + _bibtex_text(c.title) + "}"),  # double braces: kept as written
        ("author", "{" + _bibtex_text(site_name()) + "}"),  # a body, not "Archive, 1988"
        ("organization", _bibtex_text(site_name())),
        ("howpublished", "\\url{" + c.url + "}"),
        ("url", c.url),
    ]
    if c.changed:
        fields += [("year", str(c.changed.year)), ("date", c.changed.isoformat())]
    fields += [("note", _bibtex_text(c.note)), ("language", c.language)]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def ris(c: Citable) -> str:
    """An RIS record of a web page (``ELEC``), lines ended CRLF as the format asks."""
    lines = [("TY", "ELEC"), ("ID", c.key), ("TI", c.title)]
    lines += [("TT", name) for name, _tag in c.names if name not in c.title.split(" (")[0]]
    lines += [("AU", site_name()), ("PB", site_name()), ("T2", site_name())]
    if c.changed:
        lines += [("PY", str(c.changed.year)), ("DA", c.changed.strftime("%Y/%m/%d/"))]
    lines += [("UR", c.url), ("LA", c.language), ("N1", c.note), ("ER", "")]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def csl(c: Citable) -> list[dict]:
    """CSL-JSON (an array of one item), as Zotero, Pandoc and citeproc read it."""
    item = {
        "id": c.key,
        "type": "webpage",
        "title": c.title,
        "author": [{"literal": site_name()}],
        "publisher": site_name(),
        "container-title": site_name(),
        "URL": c.url,
        "language": c.language,
        "note": c.note,
        "genre": c.label,
    }
    others = [name for name, _tag in c.names if name not in c.title.split(" (")[0]]
    if others:
        item["original-title"] = others[0]
    if c.changed:
        item["issued"] = {"date-parts": [[c.changed.year, c.changed.month, c.changed.day]]}
    return [item]


FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", ris),
    "json": (
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        lambda c: json.dumps(csl(c), ensure_ascii=False, indent=2) + "\n",
    ),
}


def _cite(request, model, ref: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    try:
        obj = model.objects.published().get(ref=checked_ref(ref))
    except model.DoesNotExist:
        raise Http404 from None
    content_type, render = FORMATS[fmt]
    response = HttpResponse(render(for_person(request, obj)), content_type=content_type)
    filename = re.sub(r"[^A-Za-z0-9._-]", "_", obj.ref)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@require_safe
def cite_victim(request, ref: str, fmt: str):
    return _cite(request, Victim, ref, fmt)


@require_safe
def cite_perpetrator(request, ref: str, fmt: str):
    return _cite(request, Perpetrator, ref, fmt)
