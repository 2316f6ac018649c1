"""``/data/datapackage.json``: the open-data downloads as a Frictionless Data Package
(https://datapackage.org), so that ``frictionless validate`` and every tool that reads
data packages can check and load them.

One home for the columns: each CSV resource's Table Schema lists exactly the columns of
``archive.api.downloads.CSV_COLUMNS`` in their order; this module says only what each
column holds (``FIELDS``: its type, its constraints, read from the models' choices
where there are any). A column without an entry here is an error at once (the test of
the package fails), never a field described as something it is not.

Keys: victims and perpetrators by ``ref``, sources by ``id``; a citation names its
source (``source`` → sources ``id``) and, when it cites a victim or a perpetrator, that
record (``victim`` → victims ``ref``, ``perpetrator`` → perpetrators ``ref``). A
citation of a private testimony has no ``source`` (only the date it was received), and
the sources file lists no private testimony.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import override
from django.views.decorators.http import require_safe

from archive.api import ftm
from archive.api.downloads import CONTENT_TYPES, CSV_COLUMNS
from archive.core.models import Gender, Place
from archive.core.versions import site_version
from sources.models import Confidence, Source
from victims.models import Fate
from victims.person import Answer, CivilStatus, Ethnicity, Occupation, Religion
from victims.relations import Kind

#: The licence of the open data (SPDX id, title, text). The code is AGPL; the data is
#: offered for reuse with attribution, which is what the open-data page asks.
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

PARTIAL_DATE = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"


def _choices(choices) -> list[str]:
    """The stored values of a model's choices (an empty value is a missing cell)."""
    return [value for value, _label in choices if value]


def _partial_date(description: str) -> dict:
    return {
        "type": "string",
        "description": description + " ISO 8601 at the precision the sources give: "
        "1988 (a year), 1988-08 (a month) or 1988-08-19 (a day).",
        "constraints": {"pattern": PARTIAL_DATE},
    }


def _text(description: str) -> dict:
    return {"type": "string", "description": description}


def _choice(description: str, choices) -> dict:
    return {
        "type": "string",
        "description": description,
        "constraints": {"enum": _choices(choices)},
    }


def _place(role: str, script: str) -> dict:
    return _text(f"The name of the {role} in {script} script.")


#: What each column of the downloads holds (by column name; shared names mean the same).
FIELDS: dict[str, dict] = {
    "ref": {
        "type": "string",
        "description": "The record's permanent reference (its address ends with it).",
        "constraints": {"required": True, "unique": True},
    },
    "name_latin": _text("The name in Latin script, as the sources spell it."),
    "name_fa": _text("The name in Persian script."),
    "url": {
        "type": "string",
        "format": "uri",
        "description": "The record's permanent address on the archive.",
    },
    "aliases": _text("Other spellings and names, separated by ' | '."),
    "father_name": _text("The father's name (how Iranian records tell people apart)."),
    "gender": {
        "type": "string",
        "description": "Gender; empty when not known.",
        "constraints": {"enum": _choices(Gender.choices)},
    },
    "birth_year": {
        "type": "integer",
        "description": "Year of birth (Gregorian).",
        "constraints": {"minimum": 1850, "maximum": 2100},
    },
    "fate": {
        "type": "string",
        "description": "What happened to the person.",
        "constraints": {"required": True, "enum": _choices(Fate.choices)},
    },
    "arrest_date": _partial_date("Date of arrest."),
    "death_date": _partial_date("Date of death."),
    "prison_name_en": _place("prison", "Latin"),
    "prison_name_fa": _place("prison", "Persian"),
    "death_place_name_en": _place("place of death", "Latin"),
    "death_place_name_fa": _place("place of death", "Persian"),
    "burial_place_name_en": _place("burial place", "Latin"),
    "burial_place_name_fa": _place("burial place", "Persian"),
    "event": _text("The event (its slug: /events/<slug>/), when published."),
    "commission": _text("The Death Commission that decided the person's fate (its slug)."),
    "affiliation_name_en": _text("The political organisation, in Latin script."),
    "affiliation_name_fa": _text("The political organisation, in Persian script."),
    "id": {
        "type": "integer",
        "description": "The source's number (its address: /sources/<id>/).",
        "constraints": {"required": True, "unique": True},
    },
    "title": {**_text("The source's title."), "constraints": {"required": True}},
    "kind": {
        "type": "string",
        "description": "What kind of source it is.",
        "constraints": {"required": True, "enum": _choices(Source.Kind.choices)},
    },
    "publisher": _text("The organisation, outlet or body that issued it."),
    "author": _text("Its author."),
    "date": _partial_date("Date of publication."),
    "language": _text("Its language (ISO 639-1 code, e.g. en, fa)."),
    "source_url": _text("Where it was published."),
    "archived_url": _text("A copy in a web archive."),
    "record_type": {
        **_text("The kind of record cited (victim, perpetrator, commission, ...)."),
        "constraints": {"required": True},
    },
    "record": {
        **_text("The record cited: its ref, slug or id."),
        "constraints": {"required": True},
    },
    "claim": {
        **_text("The fact the source supports (a column's name), or general."),
        "constraints": {"required": True},
    },
    "value": _text("The source's own value, where it differs from the record's."),
    "source": {
        "type": "integer",
        "description": "The source (id in sources.csv); empty for a private testimony.",
    },
    "private_testimony_received": {
        "type": "date",
        "description": "For a testimony given in confidence: only the date it was received.",
    },
    "locator": _text("Where in the source: page, paragraph, timestamp."),
    "confidence": {
        "type": "string",
        "description": "How sure the researchers are of the citation.",
        "constraints": {"enum": _choices(Confidence.choices)},
    },
    "birth_place_name_en": _place("place of birth", "Latin"),
    "birth_place_name_fa": _place("place of birth", "Persian"),
    "age_at_death_min": {
        "type": "integer",
        "description": "The youngest age at death the dates allow (from the year of birth and "
        "the date of death at its precision); equal to age_at_death_max when exact; empty "
        "when either date is unknown.",
        "constraints": {"minimum": 0},
    },
    "age_at_death_max": {
        "type": "integer",
        "description": "The oldest age at death the dates allow.",
        "constraints": {"minimum": 0},
    },
    "occupation": _choice("The group the person's work belonged to.", Occupation.choices),
    "education_en": _text("Education, as a source gives it, in English."),
    "education_fa": _text("Education, in Persian."),
    "religion": _choice("Religion, as sources give it.", Religion.choices),
    "ethnicity": _choice("Ethnicity, as sources give it.", Ethnicity.choices),
    "civil_status": _choice("Civil status at the time of death.", CivilStatus.choices),
    "children": {
        "type": "integer",
        "description": "How many children the person had; empty when unknown.",
        "constraints": {"minimum": 0},
    },
    "family_told_date": _partial_date("When the family was told of the death."),
    "family_told_how_en": _text("How the family was told, in English."),
    "family_told_how_fa": _text("How the family was told, in Persian."),
    "body_returned": _choice("Whether the body was returned to the family.", Answer.choices),
    "belongings_returned": _choice("Whether the belongings were returned.", Answer.choices),
    "burial_known": _choice("Whether the family knows the burial place.", Answer.choices),
    "grave_en": _text("Visits to the grave and harassment there, in English."),
    "grave_fa": _text("Visits to the grave and harassment there, in Persian."),
    "from_ref": {
        **_text("The first person (ref in victims.csv): the relation of the second."),
        "constraints": {"required": True},
    },
    "relation": {
        "type": "string",
        "description": "What the first person is to the second (parent: from_ref is the "
        "parent of to_ref).",
        "constraints": {"required": True, "enum": _choices(Kind.choices)},
    },
    "to_ref": {
        **_text("The second person (ref in victims.csv)."),
        "constraints": {"required": True},
    },
    "victim": _text("The victim cited (ref in victims.csv), when the record is a victim."),
    "perpetrator": _text("The perpetrator cited (ref in perpetrators.csv), when one is."),
}

#: Where a dataset's column of a shared name means something of its own.
OWN_FIELDS: dict[str, dict[str, dict]] = {
    "relations": {
        "id": {
            "type": "integer",
            "description": "The relation's number (citations.csv names it as record, with "
            "record_type familyrelation).",
            "constraints": {"required": True, "unique": True},
        },
    },
    "places": {
        "ref": {
            "type": "string",
            "description": "The place's slug (its address: /places/<slug>/).",
            "constraints": {"required": True, "unique": True},
        },
        "kind": {
            "type": "string",
            "description": "What kind of place it is.",
            "constraints": {"required": True, "enum": _choices(Place.Kind.choices)},
        },
        "parent": _text("The place it is inside (its slug in places.csv)."),
        "latitude": {
            "type": "number",
            "description": "Decimal degrees; empty unless a published source gives them.",
            "constraints": {"minimum": -90, "maximum": 90},
        },
        "longitude": {
            "type": "number",
            "description": "Decimal degrees; empty unless a published source gives them.",
            "constraints": {"minimum": -180, "maximum": 180},
        },
    },
}


def _hearing_fields() -> dict[str, dict]:
    from perpetrators.models import Role

    text = {
        "charges_en": "The charges as a source states them, in English.",
        "charges_fa": "The charges, in Persian.",
        "questions_en": "The questions asked, where known, in English.",
        "questions_fa": "The questions asked, in Persian.",
        "decision_en": "The decision, as a source states it, in English.",
        "decision_fa": "The decision, in Persian.",
        "sentence_en": "The sentence, as a source states it, in English.",
        "sentence_fa": "The sentence, in Persian.",
        "court_en": "The court, when the body was not a Death Commission (Latin script).",
        "court_fa": "The court, in Persian script.",
        "place_name_en": "Where the hearing was held (a prison or a city), in Latin script.",
        "place_name_fa": "Where the hearing was held, in Persian script.",
    }
    return {
        "hearings": {
            "id": {
                "type": "integer",
                "description": "The hearing's number (hearing_officials.csv names it).",
                "constraints": {"required": True, "unique": True},
            },
            "victim": {
                **_text("The victim heard (ref in victims.csv)."),
                "constraints": {"required": True},
            },
            "date": _partial_date("Date of the hearing."),
            "commission": _text("The Death Commission, when the body was one (its slug)."),
            "charge_categories": _text(
                "Legal categories of the charges as stated (slugs such as moharebeh, "
                "apostasy, membership), separated by ' | ': categories, not facts."
            ),
            "sentence_overridden": {
                "type": "boolean",
                "description": "Whether a later decision overrode the sentence.",
            },
            **{name: _text(description) for name, description in text.items()},
        },
        "hearing_officials": {
            "hearing": {
                "type": "integer",
                "description": "The hearing (id in hearings.csv).",
                "constraints": {"required": True},
            },
            "perpetrator": {
                **_text("The official present (ref in perpetrators.csv)."),
                "constraints": {"required": True},
            },
            "role": {
                "type": "string",
                "description": "The official's role at the hearing.",
                "constraints": {"required": True, "enum": _choices(Role.choices)},
            },
        },
    }


OWN_FIELDS.update(_hearing_fields())

PRIMARY_KEYS = {
    "victims": "ref", "perpetrators": "ref", "sources": "id", "places": "ref", "hearings": "id",
    "relations": "id",
}  # fmt: skip
FOREIGN_KEYS = {
    "relations": [
        {"fields": "from_ref", "reference": {"resource": "victims", "fields": "ref"}},
        {"fields": "to_ref", "reference": {"resource": "victims", "fields": "ref"}},
    ],
    # A public place's parent is public too (``Place.objects.public()``).
    "places": [{"fields": "parent", "reference": {"resource": "", "fields": "ref"}}],
    "citations": [
        {"fields": "source", "reference": {"resource": "sources", "fields": "id"}},
        {"fields": "victim", "reference": {"resource": "victims", "fields": "ref"}},
        {"fields": "perpetrator", "reference": {"resource": "perpetrators", "fields": "ref"}},
    ],
    "hearings": [{"fields": "victim", "reference": {"resource": "victims", "fields": "ref"}}],
    "hearing_officials": [
        {"fields": "hearing", "reference": {"resource": "hearings", "fields": "id"}},
        {"fields": "perpetrator", "reference": {"resource": "perpetrators", "fields": "ref"}},
    ],
}
TITLES = {
    "victims": "Victims",
    "perpetrators": "Perpetrators",
    "sources": "Sources",
    "citations": "Citations: the source of every fact",
    "places": "Places: prisons, cities, cemeteries and mass graves a published record names",
    "hearings": "Hearings: victims' appearances before a court or a Death Commission",
    "hearing_officials": "Officials present at hearings, in their roles",
    "relations": "Family relations between published victims (parent, child, sibling, spouse)",
}


def table_schema(dataset: str) -> dict:
    own = OWN_FIELDS.get(dataset, {})
    fields = [{"name": name, **(own.get(name) or FIELDS[name])} for name in CSV_COLUMNS[dataset]]
    schema: dict = {"fields": fields, "missingValues": [""]}
    if dataset in PRIMARY_KEYS:
        schema["primaryKey"] = [PRIMARY_KEYS[dataset]]
    if dataset in FOREIGN_KEYS:
        schema["foreignKeys"] = FOREIGN_KEYS[dataset]
    return schema


def _path(dataset: str, fmt: str) -> str:
    """A path relative to the descriptor (both are under /data/)."""
    return f"{dataset}.{fmt}"


def descriptor(*, homepage: str = "", version: str = "") -> dict:
    """The Data Package (v1 profile ``data-package``, read by frictionless 5: not every
    file is a table): a CSV resource with its Table Schema per download, and the JSON and
    FollowTheMoney files beside them."""
    resources = []
    for dataset in CSV_COLUMNS:
        resources.append(
            {
                "name": dataset,
                "title": TITLES[dataset],
                "path": _path(dataset, "csv"),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True},
                "schema": table_schema(dataset),
            }
        )
    files = [(f"{dataset}-json", _path(dataset, "json")) for dataset in CSV_COLUMNS]
    files.append(("entities-ftm", ftm.FILENAME))
    for name, path in files:
        is_ftm = name == "entities-ftm"
        resources.append(
            {
                "name": name,
                "path": path,
                "format": "json",
                "mediatype": ftm.CONTENT_TYPE.split(";")[0]
                if is_ftm
                else CONTENT_TYPES["json"].split(";")[0],
                "encoding": "utf-8",
                "profile": "data-resource",
                "description": (
                    "FollowTheMoney entities, one JSON object a line (Aleph, OpenSanctions)."
                    if is_ftm
                    else "The same records as the CSV file, as a JSON array (lists as lists)."
                ),
            }
        )
    with override("en"):
        title = "1988 Massacre Archive: open data"
    return {
        "profile": "data-package",
        "name": "iran-1988-massacre-archive",
        "title": title,
        "description": (
            "Every published record of the archive of the victims of the 1988 mass "
            "execution of political prisoners in Iran and of later killings, and of the "
            "members of the Death Commissions, with the source of every fact. Public fields "
            "only; testimonies given in confidence are named only by the date they were "
            "received. Every record in these files is published (publication_status "
            "'published'); drafts, records in review and withdrawn records are never "
            "included."
        ),
        "homepage": homepage,
        "version": version,
        "licenses": [LICENSE],
        "citation": (
            f"{title}. {homepage or ''} (version {version or 'unversioned'}). "
            "Please cite each record's permanent address and keep every claim attributed "
            "to its source."
        ).replace("  ", " "),
        "keywords": ["Iran", "1988 massacre", "human rights", "victims", "Death Commissions"],
        "resources": resources,
    }


@require_safe
def view(request):
    homepage = request.build_absolute_uri(reverse("archive:open-data"))
    # The data's version (it changes with any record), short: the code's version plus it.
    data = hashlib.sha256(site_version().encode()).hexdigest()[:12]
    return JsonResponse(
        descriptor(homepage=homepage, version=f"{settings.ARCHIVE_VERSION}+data.{data}"),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
