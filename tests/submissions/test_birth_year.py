"""The year of birth a family types, in either calendar and any digits, read by the
archive's one reading of a year (``archive.core.dates.read_year``)."""

import pytest

from tests.submissions.test_submission_form import answers
from victims.models import Submission

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1961", 1961), ("1340", 1961), ("۱۳۴۰", 1961), ("١٩٦١", 1961), ("1230", 1851)],
)
def test_a_year_in_either_calendar_is_stored_as_gregorian_and_as_given(client, typed, stored):
    client.post("/submit/", answers(birth_year=typed))

    submission = Submission.objects.get()
    assert (submission.birth_year, submission.birth_year_as_given) == (stored, typed)


@pytest.mark.parametrize("typed", ["¹⁹⁶¹", "1961.5", "1700"])
def test_digits_that_are_no_year_are_named_in_the_message_not_a_server_error(client, typed):
    response = client.post("/submit/", answers(birth_year=typed))

    assert response.status_code == 200
    assert Submission.objects.count() == 0
    assert f"“{typed}” is not a year we can use" in " ".join(
        response.context["form"].errors["birth_year"]
    )
