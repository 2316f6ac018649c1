"""Who may import and export what, per role (a staff account in no group, a researcher, a
reviewer), in the admin and with the commands (--as)."""

import csv

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import signed_in
from tests.factories import SourceFactory, VictimFactory
from tests.imports.conftest import format_value, write_csv
from victims.models import Victim

pytestmark = pytest.mark.django_db

PUBLISHED_BIOGRAPHY = "Executed in August 1988, according to the test report."
DRAFT_ROWS = "ref,name_latin,publication_status\nT-10,Draft One,draft\nT-11,Draft Two,in_review\n"


@pytest.fixture
def viewer(db, django_user_model):
    """A staff account that may only look at victims and sources."""
    user = django_user_model.objects.create_user(
        "viewer", password="a-long-test-password", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_victim", "view_source"])
    )
    return user


@pytest.fixture
def published():
    return VictimFactory(
        ref="V-PUB", name_latin="Published Person", biography=PUBLISHED_BIOGRAPHY,
        publication_status="published",
    )  # fmt: skip


@pytest.fixture
def records(published):
    VictimFactory(ref="V-DRAFT", name_latin="Draft Lead", publication_status="draft")
    SourceFactory(
        title="Testimony sent through the form (submission #1)", kind="testimony",
        is_private=True, received_date="2024-03-01", notes="The family's own words: SECRET-1",
        publication_status="published",
    )  # fmt: skip
    SourceFactory(title="Public report", notes="Page numbers differ: NOTE-2")
    SourceFactory(title="Draft report", publication_status="draft")


def _admin_import(client, text, kind="victims/victim"):
    url = f"/admin/{kind}/import/"
    page = client.post(
        url,
        {
            "format": format_value(client, url),
            "import_file": SimpleUploadedFile("list.csv", text.encode("utf-8"), "text/csv"),
        },
    )
    if page.status_code != 200 or page.context.get("confirm_form") is None:
        return page
    form = page.context["confirm_form"]
    app, model = kind.split("/")
    return client.post(
        reverse(f"admin:{app}_{model}_process_import"),
        {name: form.initial.get(name, "") for name in form.fields},
    )


def _admin_export(client, kind="victims/victim") -> str:
    """The file the admin's export screen gives ``client`` (who must be let in)."""
    url = f"/admin/{kind}/export/"
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    form = page.context["form"]
    data = {
        name: "on"
        for name, field in form.fields.items()
        if getattr(field, "is_selectable_field", False)
    }
    data.update(format=format_value(client, url), resource="0")
    response = client.post(url, data)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode("utf-8")


# --- The admin's import screen ---------------------------------------------------------------


def test_a_staff_account_in_no_group_cannot_import_or_export(nobody_client, records):
    assert nobody_client.get("/admin/victims/victim/import/").status_code == 403
    assert nobody_client.get("/admin/victims/victim/export/").status_code == 403
    assert nobody_client.get("/admin/sources/source/export/").status_code == 403
    response = nobody_client.post(
        "/admin/victims/victim/export/",
        {"format": "0", "resource": "0", "victimresource_ref": "on"},
    )
    assert response.status_code == 403


def test_a_researcher_imports_drafts_through_the_admin(researcher_client, researcher):
    done = _admin_import(researcher_client, DRAFT_ROWS)

    assert done.status_code == 302
    assert Victim.objects.get(ref="T-10").history.get().history_user == researcher


def test_a_researchers_import_may_not_change_a_published_record(researcher_client, published):
    text = (
        "ref,name_latin,biography\n"
        "T-10,Draft One,\n"
        "V-PUB,Published Person,Invented by an unchecked file.\n"
    )

    page = _admin_import(researcher_client, text)

    html = " ".join(page.content.decode().split())
    assert "row 3: Victim &#x27;Published Person&#x27; is published" in html
    assert "this row would change biography" in html
    assert reverse("admin:victims_victim_process_import") not in html
    published.refresh_from_db()
    assert published.biography == PUBLISHED_BIOGRAPHY
    assert not Victim.objects.filter(ref="T-10").exists()


def test_a_re_imported_export_with_unchanged_published_rows_is_fine(researcher_client, published):
    text = f'ref,name_latin,biography\nV-PUB,Published Person,"{PUBLISHED_BIOGRAPHY}"\n'

    assert _admin_import(researcher_client, text).status_code == 302


def test_a_reviewers_import_may_change_a_published_record(reviewer_client, reviewer, published):
    text = "ref,name_latin,biography\nV-PUB,Published Person,Corrected by a reviewer.\n"

    assert _admin_import(reviewer_client, text).status_code == 302

    published.refresh_from_db()
    assert published.biography == "Corrected by a reviewer."
    assert published.history.first().history_user == reviewer


def test_the_admin_numbers_rows_as_the_command_does(tmp_path, manage, researcher_client):
    text = (
        "ref,name_latin,birth_year\nT-1,One,1950\nT-2,Two,1951\nT-3,Three,1952\n"
        "T-4,Four,nineteen-fifty\n"
    )
    path = tmp_path / "four.csv"
    path.write_text(text, encoding="utf-8")

    run = manage("import_records", "victims", path)
    page = _admin_import(researcher_client, text).content.decode()

    assert "row 5, birth_year: 'nineteen-fifty' is not a year" in run.err
    # The same words; the page isolates the column (<bdi>) for a right-to-left reader.
    assert "row 5, <bdi>birth_year</bdi>: &#x27;nineteen-fifty&#x27; is not a year" in page
    assert "row 4," not in page


def test_the_admin_writes_each_error_out_rather_than_counting_it_in_a_badge(researcher_client):
    text = "ref,name_latin,birth_year,gender\nT-1,,nineteen-fifty,yes\n"

    page = _admin_import(researcher_client, text).content.decode()

    assert "validation-error-count" not in page
    for words in ("row 2, <bdi>birth_year</bdi>: &#x27;nineteen-fifty&#x27; is not a year",
                  "row 2, <bdi>gender</bdi>: &#x27;yes&#x27; is not one of: male, female, other",
                  "row 2, <bdi>name_latin/name_fa</bdi>: Give a name"):  # fmt: skip
        assert words in page


# --- The admin's export ------------------------------------------------------------------


def test_a_researcher_exports_drafts_and_staff_notes(researcher_client, records):
    victims = _admin_export(researcher_client)
    sources = _admin_export(researcher_client, "sources/source")

    assert "V-DRAFT" in victims and "V-PUB" in victims
    assert "SECRET-1" in sources and "NOTE-2" in sources


def test_a_viewer_exports_published_records_only_and_no_staff_notes(client, viewer, records):
    viewer_client = signed_in(client, viewer)

    victims = _admin_export(viewer_client)
    sources = _admin_export(viewer_client, "sources/source")

    assert "V-PUB" in victims and "V-DRAFT" not in victims
    assert "Draft report" not in sources and "Public report" in sources
    assert "SECRET-1" not in sources and "NOTE-2" not in sources
    assert "Testimony sent through the form" in sources


# --- The commands ----------------------------------------------------------------------------


def _exported(path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return {row.get("ref") or row.get("title"): row for row in csv.DictReader(handle)}


def test_the_command_line_alone_imports_drafts_but_no_published_record(tmp_path, manage, published):
    path = write_csv(
        tmp_path / "l.csv",
        [
            {"ref": "T-1", "name_latin": "New Draft", "publication_status": ""},
            {"ref": "V-PUB", "name_latin": "Published Person", "biography": "Unchecked."},
            {"ref": "T-2", "name_latin": "New And Public", "publication_status": "published"},
        ],
        header=["ref", "name_latin", "biography", "publication_status"],
    )

    run = manage("import_records", "victims", path)

    assert run.code == 1
    assert "row 3: Victim 'Published Person' is published" in run.err
    assert "row 4, publication_status: only a reviewer may publish" in run.err
    assert "--as" in run.err
    assert not Victim.objects.filter(ref="T-1").exists()  # all or nothing
    published.refresh_from_db()
    assert published.biography == PUBLISHED_BIOGRAPHY

    drafts_only = write_csv(tmp_path / "d.csv", [{"ref": "T-1", "name_latin": "New Draft"}])
    assert manage("import_records", "victims", drafts_only).code == 0


def test_import_as_a_reviewer_changes_a_published_record_and_names_them(
    tmp_path, manage, published, reviewer
):
    path = write_csv(
        tmp_path / "l.csv",
        [{"ref": "V-PUB", "name_latin": "Published Person", "biography": "Corrected."}],
    )

    run = manage("import_records", "victims", path, "--as", "reviewer")

    assert run.code == 0, run.err
    published.refresh_from_db()
    assert published.biography == "Corrected."
    assert published.history.first().history_user == reviewer


def test_import_as_a_researcher_is_refused_on_the_published_rows(
    tmp_path, manage, published, researcher
):
    path = write_csv(
        tmp_path / "l.csv",
        [{"ref": "V-PUB", "name_latin": "Published Person", "biography": "Unchecked."}],
    )

    run = manage("import_records", "victims", path, "--as", "researcher")

    assert run.code == 1
    assert "row 2: Victim 'Published Person' is published" in run.err


def test_import_and_export_as_an_account_in_no_group_are_refused(tmp_path, manage, nobody):
    path = write_csv(tmp_path / "l.csv", [{"ref": "T-1", "name_latin": "New Draft"}])

    imported = manage("import_records", "victims", path, "--as", "nobody")
    exported = manage("export_records", "victims", tmp_path / "out.csv", "--as", "nobody")

    assert imported.code == 1 and "nobody may not import victims" in imported.err
    assert exported.code == 1 and "nobody may not export victims" in exported.err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    ("who", "drafts", "notes"),
    [("researcher", True, True), ("reviewer", True, True), ("viewer", False, False)],
)
def test_what_each_role_exports_from_the_command_line(
    tmp_path, manage, records, researcher, reviewer, viewer, who, drafts, notes
):
    victims, sources = tmp_path / "v.csv", tmp_path / "s.csv"

    assert manage("export_records", "victims", victims, "--as", who).code == 0
    assert manage("export_records", "sources", sources, "--as", who).code == 0

    assert ("V-DRAFT" in _exported(victims)) is drafts
    assert "V-PUB" in _exported(victims)
    text = sources.read_text(encoding="utf-8")
    assert ("SECRET-1" in text) is notes
    assert ("NOTE-2" in text) is notes


def test_the_command_line_alone_exports_everything(tmp_path, manage, records):
    victims, sources = tmp_path / "v.csv", tmp_path / "s.csv"
    manage("export_records", "victims", victims)
    manage("export_records", "sources", sources)

    assert {"V-DRAFT", "V-PUB"} <= set(_exported(victims))
    assert "SECRET-1" in sources.read_text(encoding="utf-8")


def test_an_inactive_account_cannot_be_named(tmp_path, manage, researcher):
    researcher.is_active = False
    researcher.save()
    path = write_csv(tmp_path / "l.csv", [{"ref": "T-1", "name_latin": "New Draft"}])

    run = manage("import_records", "victims", path, "--as", "researcher")

    assert run.code == 1 and "is not active" in run.err
