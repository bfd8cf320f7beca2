"""Partial dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, optionally ``~``.

Researchers often know only the month, or infer a date. The date keeps the
precision written, is shown at that precision, and sorts so that a coarser
date comes before the finer dates inside its period.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

# ASCII digits only: ``\d`` (and ``int()``) also take Arabic-Indic, full-width
# and every other Unicode digit, which would reach ``<time datetime>`` as written.
_DATE = re.compile(r"(~)?([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@dataclass(frozen=True)
class PartialDate:
    written: str
    year: int
    month: int = 0
    day: int = 0
    approximate: bool = False

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def iso(self) -> str:
        """The date without ``~``, as precise as written (for ``<time datetime>``)."""
        return self.written.lstrip("~")

    def first_day(self) -> _dt.date:
        return _dt.date(self.year, self.month or 1, self.day or 1)


class DateError(ValueError):
    pass


def parse_date(value) -> PartialDate:
    """Accept a YAML date object, a year as an integer, or a string."""
    if isinstance(value, _dt.datetime):
        raise DateError(f"expected a date (YYYY, YYYY-MM or YYYY-MM-DD), got a date and time {value}")
    if isinstance(value, _dt.date):
        value = value.isoformat()
    elif isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:04d}" if 0 < value <= 9999 else str(value)
    if not isinstance(value, str):
        raise DateError(f"expected a date (YYYY, YYYY-MM or YYYY-MM-DD), got {type(value).__name__}")
    written = value.strip()
    match = _DATE.fullmatch(written)
    if not match and any(char.isdecimal() and not char.isascii() for char in written):
        raise DateError(f"invalid date {value!r}: digits must be ASCII 0-9 (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    if not match:
        raise DateError(f"invalid date {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD, optionally prefixed by ~")
    tilde, year, month, day = match.groups()
    year_n, month_n, day_n = int(year), int(month or 0), int(day or 0)
    if year_n == 0 or (month and not 1 <= month_n <= 12):
        raise DateError(f"impossible date {written!r}")
    if day:
        try:
            _dt.date(year_n, month_n, day_n)
        except ValueError:
            raise DateError(f"impossible date {written!r}") from None
    return PartialDate(written, year_n, month_n, day_n, bool(tilde))


MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
}
_APPROX = {"en": "c. ", "fr": "vers "}


def format_date(date: PartialDate, language: str = "en") -> str:
    """'21 January 2025', 'February 2024', 'c. October 2023', '2024'."""
    months = MONTHS.get(language, MONTHS["en"])
    if date.day:
        day = "1er" if language == "fr" and date.day == 1 else str(date.day)
        text = f"{day} {months[date.month - 1]} {date.year}"
    elif date.month:
        text = f"{months[date.month - 1]} {date.year}"
    else:
        text = str(date.year)
    if date.approximate:
        text = _APPROX.get(language, _APPROX["en"]) + text
    return text


def format_range(start: PartialDate, end: PartialDate | None, language: str = "en") -> str:
    if end is None:
        return format_date(start, language)
    return f"{format_date(start, language)} – {format_date(end, language)}"
