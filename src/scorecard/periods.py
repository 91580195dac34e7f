"""Period ids and their windows under the two calendars (domain.md §4).

Period ids: ``YYYYQn`` (quarter), ``YYYY-MM`` (month), ``YYYY`` (year).

Calendars:
- ``calendar``: plain calendar months, quarters and years (the 766 portal's).
- ``nd09``: the reporting window of NĐ 09/2019 used by TT 01/2020 reports: from the 15th of
  the month before the period to the 14th of its last month (Q1 = 15/12 of the previous year to
  14/03; the year = 15/12 of the previous year to 14/12).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from scorecard.errors import ScorecardError

Calendar = Literal["calendar", "nd09"]
CALENDARS: tuple[str, ...] = ("calendar", "nd09")

_QUARTER = re.compile(r"^(\d{4})\s*[-/]?\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ScorecardError, ValueError):
    """An unknown period id or calendar."""


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period. ``kind`` is ``year``, ``quarter`` or ``month``."""

    year: int
    kind: str
    number: int  # quarter 1-4, month 1-12, or 0 for a year

    @property
    def id(self) -> str:
        if self.kind == "quarter":
            return f"{self.year}Q{self.number}"
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.id

    @property
    def first_month(self) -> int:
        if self.kind == "quarter":
            return 3 * (self.number - 1) + 1
        if self.kind == "month":
            return self.number
        return 1

    @property
    def last_month(self) -> int:
        if self.kind == "quarter":
            return 3 * self.number
        if self.kind == "month":
            return self.number
        return 12

    def window(self, calendar: str = "calendar") -> tuple[date, date]:
        """First and last day (both inclusive) of the period under ``calendar``."""
        check_calendar(calendar)
        last_day_of_last_month = _month_end(self.year, self.last_month)
        if calendar == "calendar":
            return date(self.year, self.first_month, 1), last_day_of_last_month
        # nd09: 15th of the month before the first month .. 14th of the last month
        y, m = (self.year - 1, 12) if self.first_month == 1 else (self.year, self.first_month - 1)
        return date(y, m, 15), date(self.year, self.last_month, 14)

    def shift_years(self, years: int) -> Period:
        return Period(self.year + years, self.kind, self.number)

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind == "year":
            return Period(self.year - 1, "year", 0)
        size = 4 if self.kind == "quarter" else 12
        if self.number == 1:
            return Period(self.year - 1, self.kind, size)
        return Period(self.year, self.kind, self.number - 1)

    def next(self) -> Period:
        if self.kind == "year":
            return Period(self.year + 1, "year", 0)
        size = 4 if self.kind == "quarter" else 12
        if self.number == size:
            return Period(self.year + 1, self.kind, 1)
        return Period(self.year, self.kind, self.number + 1)

    def label_vi(self) -> str:
        """Vietnamese name: 'Quý I/2025', 'Tháng 03/2025', 'Năm 2025'."""
        if self.kind == "quarter":
            return f"Quý {('I', 'II', 'III', 'IV')[self.number - 1]}/{self.year}"
        if self.kind == "month":
            return f"Tháng {self.number:02d}/{self.year}"
        return f"Năm {self.year}"


@dataclass(frozen=True)
class Window:
    """A window of dates that is not one reporting period: a year to date, a cumulative span to
    a deadline, or a period cut by a target's validity (see ``scorecard.evaluate.windows``).

    It quacks like a :class:`Period` where indicators are computed (``id``, ``window``,
    ``shift_years``): its id is ``"<first>..<last>"`` (ISO dates), its window is the same under
    every calendar, and no form06 row supplies it (``form06 is None``: a Biểu 06 row holds the
    counts of its own period, which cannot be cut by day).
    """

    first: date
    last: date

    @property
    def id(self) -> str:
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.id

    def window(self, calendar: str = "calendar") -> tuple[date, date]:
        """First and last day (inclusive); the calendar does not matter."""
        check_calendar(calendar)
        return self.first, self.last

    def shift_years(self, years: int) -> Window:
        """The same days ``years`` later (29/02 becomes 28/02 in a common year)."""
        return Window(_shift_day(self.first, years), _shift_day(self.last, years))


def _shift_day(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def window_of(first: date, last: date, calendar: str, kinds: tuple[str, ...] = (
        "quarter", "year", "month")) -> Period | Window:
    """The period whose window under ``calendar`` is exactly ``[first, last]``, else a
    :class:`Window`: a span that is a whole reporting period keeps that period's id (so a form06
    row of that period supplies it)."""
    check_calendar(calendar)
    if first > last:
        raise PeriodError(f"empty window {first} .. {last}")
    for kind in kinds:
        p = period_containing(first, kind, calendar)
        if p.window(calendar) == (first, last):
            return p
    return Window(first, last)


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def check_calendar(calendar: str) -> str:
    if calendar not in CALENDARS:
        raise PeriodError(f"unknown calendar {calendar!r}: use one of {', '.join(CALENDARS)}")
    return calendar


def parse_period(text: str | Period) -> Period:
    """Parse ``2024Q1``, ``2019-07`` or ``2024``; raise :class:`PeriodError` otherwise."""
    if isinstance(text, Period):
        return text
    s = str(text).strip()
    if m := _QUARTER.match(s):
        return Period(int(m.group(1)), "quarter", int(m.group(2)))
    if (m := _MONTH.match(s)) and 1 <= int(m.group(2)) <= 12:
        return Period(int(m.group(1)), "month", int(m.group(2)))
    if m := _YEAR.match(s):
        return Period(int(m.group(1)), "year", 0)
    raise PeriodError(f"unknown period {text!r}: expected YYYYQn (2024Q1), YYYY-MM (2024-07) or YYYY")


def period_window(period: str | Period, calendar: str = "calendar") -> tuple[date, date]:
    """First and last day (inclusive) of ``period`` under ``calendar``."""
    return parse_period(period).window(calendar)


def periods_between(first: str | Period, last: str | Period) -> list[Period]:
    """All periods of the same kind from ``first`` to ``last`` inclusive."""
    a, b = parse_period(first), parse_period(last)
    if a.kind != b.kind:
        raise PeriodError(f"{a.id} and {b.id} are periods of different kinds")
    out = []
    p = a
    while p <= b:
        out.append(p)
        p = p.next()
    return out


def last_n(period: str | Period, n: int) -> list[Period]:
    """The ``n`` periods ending with ``period``, oldest first."""
    p = parse_period(period)
    out = [p]
    for _ in range(n - 1):
        out.append(out[-1].previous())
    return list(reversed(out))


def period_containing(day: date, kind: str = "quarter", calendar: str = "calendar") -> Period:
    """The period of ``kind`` whose window under ``calendar`` contains ``day``."""
    check_calendar(calendar)
    if calendar == "nd09" and day.day >= 15:
        # from the 15th on, a day belongs to the next month's reporting window
        y, m = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    else:
        y, m = day.year, day.month
    if kind == "month":
        return Period(y, "month", m)
    if kind == "quarter":
        return Period(y, "quarter", (m - 1) // 3 + 1)
    if kind == "year":
        return Period(y, "year", 0)
    raise PeriodError(f"unknown period kind {kind!r}")


def last_complete_quarter(calendar: str, today: date) -> Period:
    """The latest quarter whose window under ``calendar`` ended before ``today`` (its last day
    is at least yesterday): on 02/12/2026 that is 2026Q3 under both calendars (nd09's 2026Q4
    ends on 14/12/2026)."""
    check_calendar(calendar)
    q = period_containing(today, "quarter", calendar)
    while q.window(calendar)[1] >= today:
        q = q.previous()
    return q
