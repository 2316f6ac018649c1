"""Years in a file are read as the family form reads them (``read_year``): a year of
birth must be Gregorian, and a Solar Hijri one is refused with the years it overlaps."""

import pytest

from tests.imports.conftest import write_csv
from victims.models import Victim

pytestmark = pytest.mark.django_db


def _import(manage, tmp_path, **cells):
    path = write_csv(tmp_path / "y.csv", [{"ref": "T-1", "name_latin": "Test Person", **cells}])
    return manage("import_records", "victims", path)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("1340", "'1340' looks like a Solar Hijri year; give the Gregorian year (1961 or 1962)"),
        ("۱۲۵۰", "'1250' looks like a Solar Hijri year; give the Gregorian year (1871 or 1872)"),
        ("1700", "1700 is not a plausible year of birth."),
        ("19x0", "'19x0' is not a year"),
    ],
)
def test_a_year_of_birth_that_is_not_gregorian_is_a_row_error(tmp_path, manage, cell, message):
    run = _import(manage, tmp_path, birth_year=cell)

    assert run.code == 1
    assert f"row 2, birth_year: {message}" in run.err
    assert not Victim.objects.exists()


def test_a_year_of_birth_in_persian_digits_is_read(tmp_path, manage):
    assert _import(manage, tmp_path, birth_year="۱۹۶۱").code == 0
    assert Victim.objects.get().birth_year == 1961


@pytest.mark.parametrize(
    ("cell", "iso"), [("۱۳۶۷-۰۵-۱۰", "1988-08-01"), ("1988", "1988"), ("1988-08", "1988-08")]
)
def test_a_date_is_read_in_either_calendar(tmp_path, manage, cell, iso):
    assert _import(manage, tmp_path, death_date=cell).code == 0
    assert Victim.objects.get().partial("death_date").iso() == iso


def test_a_date_in_a_year_of_neither_calendar_is_a_row_error(tmp_path, manage):
    run = _import(manage, tmp_path, death_date="1500-01-01")

    assert "row 2, death_date: '1500-01-01' is not a plausible year" in run.err
