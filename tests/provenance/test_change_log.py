"""The one log of every change (issue 18, item 5): who, when, which record, which fields
with their old and new values, and why; filtered; staff only; private data never shown."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from tests.admin_forms import VICTIM_FORM_REST
from tests.conftest import signed_in
from tests.factories import SourceFactory, SubmissionFactory, VictimFactory
from tests.imports.conftest import import_through_admin
from victims.models import Victim

pytestmark = pytest.mark.django_db

LOG = "/admin/changes/"


def edit(record, user, reason="", **values):
    for name, value in values.items():
        setattr(record, name, value)
    record._history_user = user
    record._change_reason = reason
    record.save()


def log_rows(response) -> list[str]:
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'<tr class="change change-\w+">(.*?)</tr>', html, re.S)


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", password="a-long-test-password")
    return signed_in(client, user)


def test_a_researchers_edit_appears_with_its_old_and_new_value_and_its_reason(
    researcher_client, researcher
):
    victim = VictimFactory(publication_status="draft", name_latin="Testname Karimi")
    edit(victim, researcher, "spelling in the 1990 list", name_latin="Testname Karimy")

    rows = log_rows(researcher_client.get(LOG))

    newest = rows[0]
    assert "researcher" in newest
    assert "Testname Karimy" in newest and victim.ref in newest
    assert re.search(
        r"<del><bdi[^>]*>Testname Karimi</bdi></del> → <ins><bdi[^>]*>Testname Karimy", newest
    )
    assert "spelling in the 1990 list" in newest
    assert "created" in rows[1]  # the record's first version, below


def test_the_log_narrows_to_one_person_one_record_type_and_a_date_range(
    researcher_client, researcher, reviewer
):
    victim = VictimFactory(publication_status="draft", name_latin="Testname Alpha", cited=False)
    source = SourceFactory(publication_status="draft", title="Test report Beta")
    edit(victim, researcher, name_latin="Testname Alpha Researcher")
    edit(source, reviewer, title="Test report Beta Reviewer")
    old = victim.history.earliest()
    old.history_date = timezone.now() - timedelta(days=40)
    old.save()

    by_user = log_rows(researcher_client.get(LOG, {"user": researcher.pk}))
    assert len(by_user) == 1 and "Testname Alpha Researcher" in by_user[0]

    by_type = log_rows(researcher_client.get(LOG, {"model": "sources.source"}))
    assert by_type and all("Test report Beta" in row for row in by_type)

    ten_days_ago = (timezone.now() - timedelta(days=10)).date().isoformat()
    recent = log_rows(
        researcher_client.get(LOG, {"model": "victims.victim", "start": ten_days_ago})
    )
    assert len(recent) == 1 and "Testname Alpha Researcher" in recent[0]
    month = (timezone.now() - timedelta(days=40)).date().isoformat()
    then = log_rows(researcher_client.get(LOG, {"model": "victims.victim", "end": month}))
    assert len(then) == 1 and "created" in then[0]


@pytest.mark.parametrize(
    "query", [{"start": "1988-13-45"}, {"end": "yesterday"}, {"after": "not-a-cursor"}]
)
def test_a_bad_date_or_page_link_is_named_on_the_page_not_a_server_error(researcher_client, query):
    response = researcher_client.get(LOG, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errorlist"' in html
    assert 'id="change-log"' not in html


def test_a_start_after_the_end_is_refused_by_name(researcher_client):
    response = researcher_client.get(LOG, {"start": "2020-02-01", "end": "2020-01-01"})
    assert response.status_code == 200
    assert "The end date comes before the start date." in response.content.decode()


def test_an_anonymous_reader_is_sent_to_the_staff_sign_in(anonymous):
    response = anonymous.get(LOG)
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/changes/"


def test_a_signed_in_user_who_is_not_staff_is_sent_to_the_staff_sign_in(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="a-long-test-password")
    signed_in(client, user)
    response = client.get(LOG)
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/changes/"


def test_staff_without_the_view_permission_on_submissions_see_no_submission_rows(
    client, django_user_model
):
    user = django_user_model.objects.create_user(
        "indexer", password="a-long-test-password", is_staff=True
    )
    user.user_permissions.add(Permission.objects.get(codename="view_victim"))
    signed_in(client, user)
    submission = SubmissionFactory(staff_notes="Test note one")
    submission.staff_notes = "Test note two"
    submission.save()
    VictimFactory(name_latin="Testname Visible")

    html = client.get(LOG).content.decode()
    assert "Testname Visible" in html
    assert "Test note" not in html
    assert "submission" not in html.lower()

    user.user_permissions.add(Permission.objects.get(codename="view_submission"))
    user = django_user_model.objects.get(pk=user.pk)  # permissions are cached per object
    html = client.get(LOG).content.decode()
    assert "Test note two" in html


def test_a_familys_contact_details_never_appear_in_clear(admin_client):
    submission = SubmissionFactory(contact="test-family@example.invalid")
    submission.contact = "test-family-new@example.invalid"
    submission.staff_notes = "Test: called back"
    submission.save()

    html = admin_client.get(LOG).content.decode()
    assert "Test: called back" in html  # the submission's change is in the log
    assert "test-family" not in html
    assert "example.invalid" not in html


def test_the_revert_link_puts_the_record_back_as_it_was(admin_client, django_user_model):
    victim = VictimFactory(publication_status="draft", name_latin="Testname Original")
    chief = django_user_model.objects.get(username="chief")
    edit(victim, chief, "a mistake", name_latin="Testname Mistaken")

    html = admin_client.get(LOG).content.decode()
    history = re.search(r'href="(/admin/victims/victim/\d+/history/)"', html).group(1)
    assert admin_client.get(history).status_code == 200
    revert = re.search(r'href="(/admin/victims/victim/\d+/history/\d+/)" class="revert"', html)
    form = admin_client.get(revert.group(1))
    assert form.status_code == 200
    assert "Testname Original" in form.content.decode()
    data = {
        "ref": victim.ref, "name_latin": "Testname Original", "name_fa": "", "aliases": "",
        "father_name": "", "gender": "", "birth_year": "", "fate": "executed",
        "arrest_date": "", "arrest_date_precision": "", "death_date": "",
        "death_date_precision": "", "biography": "",
        "sources-citation-content_type-object_id-TOTAL_FORMS": "0",
        "sources-citation-content_type-object_id-INITIAL_FORMS": "0",
        **VICTIM_FORM_REST,
    }  # fmt: skip
    response = admin_client.post(revert.group(1), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Victim.objects.get(pk=victim.pk).name_latin == "Testname Original"
    assert "Testname Original" in log_rows(admin_client.get(LOG))[0]


def test_a_page_of_the_log_costs_a_bounded_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    chief = admin_client.session["_auth_user_id"]
    for n in range(30):
        victim = VictimFactory(publication_status="draft")
        edit(victim, None, name_latin=f"Testname Renamed{n}")
        SourceFactory(publication_status="draft")
    assert chief
    # The tracked models (13), at most 3 per model on the page, the session and the user.
    with django_assert_max_num_queries(60):
        first = admin_client.get(LOG)
    assert len(log_rows(first)) == 50
    older = re.search(r'href="\?([^"]+)" rel="next"', first.content.decode()).group(1)
    with django_assert_max_num_queries(60):
        second = admin_client.get(LOG + "?" + older.replace("&amp;", "&"))
    rows = log_rows(second)
    assert rows and not set(rows) & set(log_rows(first))


def test_an_encrypted_field_is_one_whose_values_the_log_never_shows():
    from archive.research.changes import is_secret
    from victims.models import Submission

    assert is_secret(Submission, "contact")
    assert not is_secret(Submission, "staff_notes")
    assert not is_secret(Victim, "name_latin")


def test_a_citation_is_named_by_its_claim_and_a_moment_to_the_minute_in_the_readers_digits(
    researcher_client, researcher
):
    from datetime import UTC, datetime

    from tests.factories import CitationFactory

    victim = VictimFactory(publication_status="draft", name_latin="Testname Karimi")
    CitationFactory(content_object=victim, claim="death_date", source=SourceFactory(title="List"))
    moment = datetime(2026, 11, 30, 19, 59, 38, 765081, tzinfo=UTC)
    Victim.objects.filter(pk=victim.pk).update(published_at=moment)
    edit(Victim.objects.get(pk=victim.pk), researcher, "a test", name_latin="Testname Karimy")
    edit(Victim.objects.get(pk=victim.pk), researcher, "a test", published_at=None)

    english = " ".join(log_rows(researcher_client.get(LOG)))
    persian = " ".join(log_rows(researcher_client.get(LOG, HTTP_ACCEPT_LANGUAGE="fa")))

    assert "List → Date of death" in english and "death_date" not in english
    assert "2026-11-30 19:59 UTC" in english and "765081" not in english
    assert "۲۰۲۶-۱۱-۳۰ ۱۹:۵۹ UTC" in persian and "تاریخ مرگ" in persian


def test_a_reason_the_archive_wrote_is_shown_in_the_readers_language(researcher_client, researcher):
    from archive.core import reasons

    victim = VictimFactory(publication_status="draft", name_latin="Testname Karimi")
    edit(victim, researcher, reasons.IMPORT_FROM(file="list.csv"), name_latin="Testname Karimy")

    english = log_rows(researcher_client.get(LOG))[0]
    persian = log_rows(researcher_client.get(LOG, HTTP_ACCEPT_LANGUAGE="fa"))[0]

    assert "import from list.csv" in english
    assert "درون‌ریزی از list.csv" in persian


def test_a_citations_claim_changed_is_shown_by_its_labels(researcher_client, researcher):
    from tests.factories import CitationFactory

    citation = CitationFactory(content_object=VictimFactory(), claim="name_latin")
    citation._history_user = researcher
    citation.claim = "aliases"
    citation.save()

    newest = log_rows(researcher_client.get(LOG))[0]

    assert "Name in Latin script" in newest and "Other spellings and aliases" in newest
    assert "name_latin" not in newest


def import_people(tmp_path, count, *, reviewer, name="synthetic-list.csv"):
    """``count`` synthetic published people imported from a file by ``reviewer``, each
    filled cell cited to a synthetic source: one statement writes them all at one moment,
    as an import does."""
    from django.core.management import call_command

    path = tmp_path / name
    lines = ["ref,name_latin,birth_year,publication_status"]
    lines += [
        f"TEST-LOG-{n:03},Testname Imported{n},19{50 + n % 40},published" for n in range(count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = SourceFactory(title="Synthetic list for the change log")
    call_command("import_records", "victims", str(path), "--as", reviewer.username,
                 "--source", str(source.pk), verbosity=0)  # fmt: skip


def test_an_import_is_one_line_a_record_type_counted_and_the_hand_edits_before_it_still_show(
    researcher_client, researcher, reviewer, tmp_path
):
    victim = VictimFactory(publication_status="draft", name_latin="Testname Handmade")
    edit(victim, researcher, "spelling in the 1990 list", name_latin="Testname Handmadeh")
    import_people(tmp_path, 60, reviewer=reviewer)

    rows = log_rows(researcher_client.get(LOG))

    people = next(r for r in rows if "TEST-LOG-000" in r)
    assert "<strong>60 created</strong>" in people and "TEST-LOG-059" in people
    assert "import from synthetic-list.csv" in people and "reviewer" in people
    citations = next(r for r in rows if "Citations" in r)
    assert "<strong>120 created</strong>" in citations  # a name and a year of birth, each cited
    assert not any("Testname Imported" in r for r in rows)  # no line a row
    assert any("Testname Handmadeh" in r and "spelling in the 1990 list" in r for r in rows)


def test_the_count_of_an_import_reads_in_persian_digits_on_a_persian_page(
    researcher_client, reviewer, tmp_path
):
    import_people(tmp_path, 12, reviewer=reviewer)

    rows = log_rows(researcher_client.get(LOG, HTTP_ACCEPT_LANGUAGE="fa"))

    people = next(r for r in rows if "TEST-LOG-000" in r)
    assert re.search(r"<strong>۱۲ ساخته شد</strong>", people)
    assert "درون‌ریزی از synthetic-list.csv" in people


def test_no_change_is_shown_twice_or_lost_when_batches_and_edits_fill_many_pages(
    researcher, reviewer, tmp_path
):
    from archive.research import changes

    for n in range(3):
        edit(VictimFactory(publication_status="draft"), researcher, f"edit {n}", name_latin="X")
    import_people(tmp_path, 7, reviewer=reviewer, name="first.csv")
    edit(VictimFactory(publication_status="draft"), researcher, "between", name_latin="Y")
    import_people(tmp_path, 5, reviewer=reviewer, name="second.csv")
    models = changes.tracked_models()
    kept = sum(changes._history(m).objects.count() for m in models)

    counted, lines, cursor = 0, [], None
    for _page in range(100):
        page = changes.changes_page(models, cursor=cursor, size=3)
        for line in page.changes:
            counted += line.count if line.is_batch else 1
            lines.append(line.key)
        cursor = page.next_cursor
        if cursor is None:
            break

    assert counted == kept
    assert len(lines) == len(set(lines))
    assert lines == sorted(lines, reverse=True)  # newest first throughout


def test_an_import_through_the_admin_is_one_line_a_record_type_too(reviewer_client):
    source = SourceFactory(title="Synthetic list the file comes from")
    rows = "".join(f"TEST-ADM-{n},Testname Admin{n},19{60 + n},published\n" for n in range(4))
    done = import_through_admin(
        reviewer_client, "ref,name_latin,birth_year,publication_status\n" + rows,
        source=source.pk,
    )  # fmt: skip
    assert done.status_code == 302

    rows = log_rows(reviewer_client.get(LOG))

    people = next(r for r in rows if "TEST-ADM-0" in r)
    assert "<strong>4 created</strong>" in people and "TEST-ADM-3" in people
    assert "import from list.csv" in people
    assert any("<strong>8 created</strong>" in r for r in rows if "Citations" in r)
    assert not any("Testname Admin" in r for r in rows)
