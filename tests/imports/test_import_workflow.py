"""An import changes a record's status by the admin's workflow (``Publishable.check_move``
and ``TRANSITIONS``): the same moves, the same permissions, who and why in the history."""

import pytest

from tests.factories import VictimFactory
from tests.imports.conftest import write_csv
from victims.models import Victim

pytestmark = pytest.mark.django_db


def _import_statuses(manage, tmp_path, *rows, user=None, extra=()):
    cells = [{"ref": r, "name_latin": name, "publication_status": s} for r, name, s in rows]
    path = write_csv(tmp_path / "s.csv", cells)
    return manage("import_records", "victims", path, *(["--as", user] if user else []), *extra)


def test_a_reviewers_import_cannot_take_a_published_record_back_to_draft(
    tmp_path, manage, reviewer
):
    VictimFactory(ref="T-PUB", name_latin="Test Published", publication_status="published")

    run = _import_statuses(manage, tmp_path, ("T-PUB", "Test Published", "draft"), user="reviewer")

    assert run.code == 1
    assert "row 2, publication_status: A record that is published cannot become draft." in run.err
    assert Victim.objects.get(ref="T-PUB").publication_status == "published"


def test_a_reviewers_import_withdraws_and_publishes_as_the_admin_does(
    tmp_path, manage, reviewer, cited
):
    VictimFactory(ref="T-PUB", name_latin="Test Published", publication_status="published")
    VictimFactory(ref="T-REV", name_latin="Test Reviewed", publication_status="in_review")

    run = _import_statuses(
        manage, tmp_path, ("T-PUB", "Test Published", "withdrawn"),
        ("T-REV", "Test Reviewed", "published"), ("T-NEW", "Test Restored", "withdrawn"),
        user="reviewer", extra=cited,
    )  # fmt: skip

    assert run.code == 0, run.err
    statuses = dict(Victim.objects.values_list("ref", "publication_status"))
    assert statuses == {"T-PUB": "withdrawn", "T-REV": "published", "T-NEW": "withdrawn"}
    published = Victim.objects.get(ref="T-REV")
    assert published.published_at is not None
    entry = published.history.first()
    assert (entry.history_user, entry.history_change_reason) == (reviewer, "import from s.csv")


def test_a_draft_cannot_be_withdrawn_by_an_import_either(tmp_path, manage, reviewer):
    VictimFactory(ref="T-DRAFT", name_latin="Test Draft", publication_status="draft")

    run = _import_statuses(
        manage, tmp_path, ("T-DRAFT", "Test Draft", "withdrawn"), user="reviewer"
    )

    assert "A record that is draft cannot become withdrawn." in run.err


def test_a_refused_move_reads_the_same_in_the_admin_and_in_an_import(
    tmp_path, manage, reviewer, reviewer_client
):
    VictimFactory(ref="T-PUB", name_latin="Test Published", publication_status="published")
    refusal = "A record that is published cannot become draft."

    page = reviewer_client.post(
        "/admin/victims/victim/",
        {"action": "return_to_draft", "_selected_action": [Victim.objects.get().pk]},
        follow=True,
    )
    run = _import_statuses(manage, tmp_path, ("T-PUB", "Test Published", "draft"), user="reviewer")

    assert refusal in page.content.decode()
    assert f"row 2, publication_status: {refusal}" in run.err
    assert Victim.objects.get(ref="T-PUB").publication_status == "published"
