"""Working days (ngày làm việc) under the Vietnamese holiday calendar (domain.md §9).

A working day is Monday to Friday, except the days off of the calendar file (public holidays,
Tết, compensatory days off, swapped days), plus the Saturdays worked in exchange for a swapped
day (làm bù). The calendar is data, announced every year: ``params/holidays/vn.yaml``. Years the
file does not cover count weekends only; :meth:`WorkCalendar.uncovered_years` says which.

Counting convention (the one processing times use): ``working_days_between(a, b)`` is the number
of working days after ``a`` up to and including ``b`` (so a case received on ``a`` with a time
limit of ``n`` working days is due on ``add_working_days(a, n)``); it is negative when ``b`` is
before ``a``.

Everything here is pure except :func:`load_calendar`, which reads the file once at the edge.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from scorecard.config import params_file
from scorecard.errors import ScorecardError

#: The default calendar file.
DEFAULT_CALENDAR = params_file(Path("holidays") / "vn.yaml")

#: Kinds of a day off in the file, and the kind of a worked Saturday.
OFF_KINDS = ("holiday", "tet", "compensatory", "swapped", "weekend")
WORKING_KINDS = ("makeup",)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class CalendarError(ScorecardError, ValueError):
    """The holiday file is unreadable or wrong; the message names the file, year and entry."""


@dataclass(frozen=True)
class CalendarDay:
    """One dated entry of the file."""

    day: date
    name: str
    kind: str
    unsure: str | None = None


@dataclass(frozen=True)
class WorkCalendar:
    """Days off and worked weekend days of the covered years; weekends elsewhere."""

    days_off: tuple[CalendarDay, ...]
    working_days: tuple[CalendarDay, ...]
    years: tuple[int, ...]
    weekend: tuple[int, ...] = (5, 6)  # date.weekday(): Saturday, Sunday
    pending: tuple[CalendarDay, ...] = ()
    source: str = ""
    _off: frozenset[date] = field(init=False, repr=False, compare=False)
    _worked: frozenset[date] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_off", frozenset(d.day for d in self.days_off))
        object.__setattr__(self, "_worked", frozenset(d.day for d in self.working_days))
        both = self._off & self._worked
        if both:
            raise CalendarError(f"{self.source}: {min(both)} is both a day off and a working day")

    # ------------------------------------------------------------------ single days
    def is_working_day(self, day: date) -> bool:
        """True on a working day (Mon-Fri not off, or a make-up Saturday)."""
        if day in self._worked:
            return True
        return day.weekday() not in self.weekend and day not in self._off

    def is_day_off(self, day: date) -> bool:
        return not self.is_working_day(day)

    def day_off_name(self, day: date) -> str | None:
        """Why ``day`` is off ('Thứ Bảy', 'Chủ nhật' or the holiday's name); None on a working day."""
        if self.is_working_day(day):
            return None
        for entry in self.days_off:
            if entry.day == day:
                return entry.name
        return "Thứ Bảy" if day.weekday() == 5 else "Chủ nhật"

    def covers(self, day: date) -> bool:
        """Whether the file lists the holidays of ``day``'s year."""
        return day.year in self.years

    def uncovered_years(self, first: date, last: date) -> list[int]:
        """Years between ``first`` and ``last`` the file does not cover (weekends only there)."""
        return [y for y in range(first.year, last.year + 1) if y not in self.years]

    # ------------------------------------------------------------------ arithmetic
    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        d = day + timedelta(days=1)
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        d = day - timedelta(days=1)
        while not self.is_working_day(d):
            d -= timedelta(days=1)
        return d

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (``n >= 1``); ``n == 0`` gives ``start`` when it
        is a working day, else the next one. Negative ``n`` counts back."""
        if n == 0:
            return start if self.is_working_day(start) else self.next_working_day(start)
        d = start
        step = self.next_working_day if n > 0 else self.previous_working_day
        for _ in range(abs(n)):
            d = step(d)
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``; ``-(working days in (end, start])`` when end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        n, d = 0, start
        while d < end:
            d += timedelta(days=1)
            n += self.is_working_day(d)
        return n

    def day_table(self, first: date, last: date) -> list[tuple[date, bool, int]]:
        """``(day, is_working, wd_index)`` for every day from ``first`` to ``last``: ``wd_index``
        counts the working days from ``first`` up to and including ``day``, so the working days
        in ``(a, b]`` are ``wd_index(b) - wd_index(a)`` (the join SQL uses)."""
        rows, n, d = [], 0, first
        while d <= last:
            working = self.is_working_day(d)
            n += working
            rows.append((d, working, n))
            d += timedelta(days=1)
        return rows

    def days_off_between(self, first: date, last: date) -> list[CalendarDay]:
        """Weekday days off of the file between ``first`` and ``last`` (for notes and tests)."""
        days = sorted(self.days_off, key=lambda e: e.day)
        i = bisect.bisect_left([e.day for e in days], first)
        return [e for e in days[i:] if e.day <= last and e.day.weekday() not in self.weekend]


# ---------------------------------------------------------------------- parsing (the edge)
def _entry(raw: Any, where: str, kinds: tuple[str, ...]) -> CalendarDay:
    if not isinstance(raw, Mapping):
        raise CalendarError(f"{where}: expected a mapping with date, name and kind")
    day = raw.get("date")
    if not isinstance(day, date):
        raise CalendarError(f"{where}: 'date' must be a date written YYYY-MM-DD, got {day!r}")
    kind = raw.get("kind")
    if kind not in kinds:
        raise CalendarError(f"{where} ({day}): 'kind' must be one of {', '.join(kinds)}, "
                            f"got {kind!r}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CalendarError(f"{where} ({day}): 'name' is required")
    unsure = raw.get("unsure")
    return CalendarDay(day, name.strip(), kind, str(unsure) if unsure else None)


def _entries(raw: Any, where: str, kinds: tuple[str, ...], year: int) -> list[CalendarDay]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise CalendarError(f"{where}: expected a list")
    out = [_entry(item, f"{where}[{i}]", kinds) for i, item in enumerate(raw)]
    for item in out:
        if item.day.year != year:
            raise CalendarError(f"{where}: {item.day} is not in {year}")
    return out


def parse_calendar(data: Mapping[str, Any], source: str = "<calendar>") -> WorkCalendar:
    """A :class:`WorkCalendar` from the parsed YAML mapping (see params/holidays/vn.yaml)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("years"), Mapping):
        raise CalendarError(f"{source}: expected a mapping with 'years'")
    weekend_names = data.get("weekend", ["saturday", "sunday"])
    try:
        weekend = tuple(sorted(_WEEKDAYS.index(str(w).lower()) for w in weekend_names))
    except ValueError as exc:
        raise CalendarError(f"{source}: weekend days must be among {', '.join(_WEEKDAYS)}") from exc
    off: list[CalendarDay] = []
    worked: list[CalendarDay] = []
    pending: list[CalendarDay] = []
    years = []
    for year, body in data["years"].items():
        if not isinstance(year, int) or not isinstance(body, Mapping):
            raise CalendarError(f"{source}: years must map a year (2025) to its days")
        where = f"{source}: years.{year}"
        if not str(body.get("source", "")).strip():
            raise CalendarError(f"{where}: 'source' (where the year's calendar comes from) is required")
        years.append(year)
        off += _entries(body.get("days_off"), f"{where}.days_off", OFF_KINDS, year)
        worked += _entries(body.get("working_days"), f"{where}.working_days", WORKING_KINDS, year)
        for i, item in enumerate(body.get("pending") or []):
            if not isinstance(item, Mapping) or not isinstance(item.get("date"), date):
                raise CalendarError(f"{where}.pending[{i}]: expected date, name and note")
            pending.append(CalendarDay(item["date"], str(item.get("name", "")), "pending",
                                       str(item.get("note", "")) or None))
    for entry in worked:
        if entry.day.weekday() not in weekend:
            raise CalendarError(f"{source}: working day {entry.day} is not a weekend day")
    seen: set[date] = set()
    for entry in off:
        if entry.day in seen:
            raise CalendarError(f"{source}: {entry.day} is listed twice")
        seen.add(entry.day)
    return WorkCalendar(tuple(off), tuple(worked), tuple(sorted(years)), weekend,
                        tuple(pending), source)


def load_calendar(path: str | Path | None = None) -> WorkCalendar:
    """Read the holiday file (default ``params/holidays/vn.yaml``)."""
    import yaml

    p = Path(path) if path is not None else DEFAULT_CALENDAR
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CalendarError(f"cannot read holiday calendar {p}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise CalendarError(f"{p}: not valid YAML: {str(exc).splitlines()[0]}") from exc
    return parse_calendar(data, str(p))


def weekdays_only(years: Iterable[int] = ()) -> WorkCalendar:
    """A calendar with weekends only (for tests and for data outside any announced year)."""
    return WorkCalendar((), (), tuple(years), source="<weekends only>")
