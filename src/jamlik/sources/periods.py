"""Period labels: a year, a multi-year span, a school year or a date.

Swedish sources use several spellings for the time an observation covers:
``2024`` (a calendar year), ``2021-2024`` (a pooled survey span, as in the
national public-health survey), ``2023/24`` (a school year), PxWeb's
``2024M03``/``2024K1`` and dates such as ``2024-12-31`` (a point count).
:func:`parse_period` turns all of them into one canonical label plus the
first and last calendar year, which is what the pages sort and filter on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

#: Day zero of Excel's (1900 date system) serial numbers, after its
#: deliberate 1900 leap-year bug is accounted for.
EXCEL_EPOCH = dt.date(1899, 12, 30)


class PeriodKind(StrEnum):
    """What kind of time span a period label stands for."""

    YEAR = "year"
    SPAN = "span"
    SCHOOL_YEAR = "school_year"
    MONTH = "month"
    QUARTER = "quarter"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class Period:
    """A parsed period: its canonical label, kind and covered calendar years."""

    label: str
    kind: PeriodKind
    start_year: int
    end_year: int


_YEAR = re.compile(r"^(\d{4})$")
_SPAN = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")
_SCHOOL = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})$")
_MONTH = re.compile(r"^(\d{4})M(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})[KQ]([1-4])$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def excel_serial_to_date(serial: float) -> dt.date:
    """Convert an Excel serial day number (1900 system) to a date."""
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_period(raw: str | int | dt.date) -> Period:
    """Parse a period label; raise ``ValueError`` with the accepted forms.

    Dates (``datetime.date`` objects, ISO strings or Excel serial numbers
    between 1 and 2 958 465) become a DATE period labelled ``YYYY-MM-DD``.
    """
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return Period(raw.isoformat(), PeriodKind.DATE, raw.year, raw.year)
    text = str(raw).strip()
    if m := _YEAR.match(text):
        year = int(m.group(1))
        return Period(text, PeriodKind.YEAR, year, year)
    if m := _SPAN.match(text):
        first, last = int(m.group(1)), int(m.group(2))
        if last < first:
            raise ValueError(f"period span {text!r} ends before it starts")
        return Period(f"{first}-{last}", PeriodKind.SPAN, first, last)
    if m := _SCHOOL.match(text):
        first = int(m.group(1))
        second = m.group(2)
        last = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
        if last != first + 1:
            raise ValueError(f"school year {text!r} must span two consecutive years")
        return Period(f"{first}/{str(last)[2:]}", PeriodKind.SCHOOL_YEAR, first, last)
    if m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"month period {text!r} has no month {month}")
        return Period(text, PeriodKind.MONTH, year, year)
    if m := _QUARTER.match(text):
        year = int(m.group(1))
        return Period(f"{year}K{m.group(2)}", PeriodKind.QUARTER, year, year)
    if m := _ISO_DATE.match(text):
        return parse_period(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return parse_period(excel_serial_to_date(float(text)))
    raise ValueError(
        f"{text!r} is not a period; use a year (2024), a span (2021-2024), "
        "a school year (2023/24), a month (2024M03), a quarter (2024K1) or a date (2024-12-31)"
    )


def expand_years(spec: str) -> list[int]:
    """Expand ``"2015-2024"``, ``"2019,2021"`` or ``"2024"`` into a list of years."""
    years: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if m := _SPAN.match(part):
            first, last = int(m.group(1)), int(m.group(2))
            if last < first:
                raise ValueError(f"year range {part!r} ends before it starts")
            years.extend(range(first, last + 1))
        elif _YEAR.match(part):
            years.append(int(part))
        else:
            raise ValueError(f"{part!r} is not a year or a year range such as 2015-2024")
    return sorted(set(years))
