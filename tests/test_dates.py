import datetime

import pytest

from generator.content.dates import DateError, format_date, parse_date


@pytest.mark.parametrize("value, written, key, precision, approx", [
    ("2024", "2024", (2024, 0, 0), "year", False),
    (2024, "2024", (2024, 0, 0), "year", False),
    ("2024-02", "2024-02", (2024, 2, 0), "month", False),
    ("~2023-10", "~2023-10", (2023, 10, 0), "month", True),
    (datetime.date(2025, 1, 21), "2025-01-21", (2025, 1, 21), "day", False),
    ("~2024-04-12", "~2024-04-12", (2024, 4, 12), "day", True),
])
def test_parse(value, written, key, precision, approx):
    date = parse_date(value)
    assert (date.written, date.sort_key, date.precision, date.approximate) == (written, key, precision, approx)


@pytest.mark.parametrize("value", ["2025-13-45", "2024-02-30", "2024-00", "24-01-01", "2024/01/01", "", "soon",
                                   True, 3.5, datetime.datetime(2024, 1, 1, 10, 0), "0000"])
def test_invalid(value):
    with pytest.raises(DateError):
        parse_date(value)


def test_format_at_the_precision_written():
    assert format_date(parse_date("2025-01-21")) == "21 January 2025"
    assert format_date(parse_date("2024-02")) == "February 2024"
    assert format_date(parse_date("~2023-10")) == "c. October 2023"
    assert format_date(parse_date("2024")) == "2024"
    assert format_date(parse_date("2024-03-01"), "fr") == "1er mars 2024"
    assert format_date(parse_date("~2024-08"), "fr") == "vers août 2024"


def test_coarser_dates_sort_before_finer_dates_in_their_period():
    dates = [parse_date(v) for v in ["2024-02-01", "2024", "2024-02", "2023-12-31"]]
    assert [d.written for d in sorted(dates, key=lambda d: d.sort_key)] == ["2023-12-31", "2024", "2024-02", "2024-02-01"]
