"""``archive.core.dates.read_year``: the one reading of a year that people type, in the
family form, an import and the model's check. Plain Python, no database."""

import pytest

from archive.core.dates import GREGORIAN, SOLAR_HIJRI, Year, YearError, read_year


@pytest.mark.parametrize(
    ("text", "calendar", "gregorian"),
    [
        ("1961", GREGORIAN, 1961),
        (" 1961 ", GREGORIAN, 1961),
        (1961, GREGORIAN, 1961),
        ("1340", SOLAR_HIJRI, 1961),
        ("۱۳۴۰", SOLAR_HIJRI, 1961),  # Persian digits
        ("١٩٦١", GREGORIAN, 1961),  # Arabic-Indic digits
        ("1850", GREGORIAN, 1850),
        ("1229", SOLAR_HIJRI, 1850),
    ],
)
def test_a_year_is_read_in_the_calendar_its_digits_belong_to(text, calendar, gregorian):
    year = read_year(text, latest=2026)

    assert year.calendar == calendar
    assert year.gregorian == gregorian


def test_a_solar_hijri_year_overlaps_two_gregorian_years():
    year = read_year("1367", latest=2026)

    assert year == Year(1367, SOLAR_HIJRI)
    assert year.gregorian_span == (1988, 1989)
    assert read_year("1988", latest=2026).gregorian_span == (1988, 1988)


@pytest.mark.parametrize("text", ["nineteen", "19x0", "196", "19610", "", "¹⁹⁶¹", "1961.5"])
def test_what_is_not_four_digits_is_refused_as_not_a_year(text):
    with pytest.raises(YearError) as refused:
        read_year(text, latest=2026)

    assert refused.value.code == YearError.NOT_A_YEAR
    assert "is not a year" in str(refused.value)


@pytest.mark.parametrize("text", ["1700", "3000", "1406", "1228", "0000", "2027"])
def test_four_digits_in_neither_calendars_span_are_refused_and_the_message_says_which_span(text):
    with pytest.raises(YearError) as refused:
        read_year(text, latest=2026)

    assert refused.value.code == YearError.OUT_OF_RANGE
    assert refused.value.text == text
    assert str(refused.value).startswith(f"'{text}' is not a plausible year")
    assert "1850 to 2026" in str(refused.value) and "1229 to 1405" in str(refused.value)


def test_the_span_is_the_callers_for_a_date_of_an_event():
    assert read_year("1800", earliest=1800, latest=2100).calendar == GREGORIAN
    assert read_year("1420", earliest=1800, latest=2100).calendar == SOLAR_HIJRI
    with pytest.raises(YearError):
        read_year("1799", earliest=1800, latest=2100)


def test_this_year_is_the_latest_unless_another_is_given():
    import datetime

    this_year = datetime.date.today().year
    assert read_year(str(this_year)).calendar == GREGORIAN
    with pytest.raises(YearError):
        read_year(str(this_year + 1))
