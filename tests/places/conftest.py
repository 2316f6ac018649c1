"""Places as a researcher imports them: a province, its city, a prison and a mass grave
with coordinates, and a prison that only a draft names. Synthetic names throughout."""

import pytest
from django.core.management import call_command

# The import tests' fixtures: run a command as from a terminal, a source to cite.
from tests.imports.conftest import cited, manage  # noqa: F401

HEADER = "slug,name_en,name_fa,kind,parent,latitude,longitude\n"
PLACES = (
    "test-province,Test Province,استان آزمایشی,province,,,\n"
    "test-city,Test City,شهر آزمایشی,city,test-province,35.6892,51.3890\n"
    "test-prison,Test Prison,زندان آزمایشی,prison,Test City,35.79052,51.38640\n"
    "test-grave,Test Mass Grave,گور جمعی آزمایشی,mass_grave,test-city,35.6019,51.5686\n"
    "draft-prison,Draft-only Prison,زندان پیش‌نویس,prison,test-city,36.30,59.60\n"
)


@pytest.fixture
def import_places(tmp_path):
    def run(text: str, name: str = "places.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        call_command("import_records", "places", str(path))
        return path

    return run


@pytest.fixture
def places(db, import_places):
    """The places imported, and victims: one published held in the prison and buried in
    the mass grave, one draft held in the draft-only prison."""
    from archive.core.models import Place
    from tests.factories import VictimFactory, cite_place

    import_places(HEADER + PLACES)
    by_slug = {p.slug: p for p in Place.objects.all()}
    # A gazetteer gives where the prison, the grave and the draft-only prison are, and
    # what the prison and the grave are inside; no source gives the city's coordinates.
    for slug in ("test-prison", "test-grave", "draft-prison"):
        cite_place(by_slug[slug], "coordinates", "parent")
    VictimFactory(
        name_latin="Testname Heldandburied",
        prison=by_slug["test-prison"],
        burial_place=by_slug["test-grave"],
    )
    VictimFactory(
        name_latin="Testname Draftonly",
        prison=by_slug["draft-prison"],
        publication_status="draft",
        cited=False,
    )
    return by_slug
