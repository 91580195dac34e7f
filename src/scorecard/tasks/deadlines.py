"""Deadlines as plans print them, turned into due dates (domain.md §9). Pure: no I/O.

A task table's "Thời gian hoàn thành / thực hiện" cell is one of:

=================  ===============================================  ============================
kind               printed                                          due
=================  ===============================================  ============================
``date``           "Trước ngày 30/01/2025", "Trước 10/2/2025",      the named day (see
                   "Trước ngày 25 tháng 01 năm 2024"                ``named_day_is_last_day``)
``month``          "Tháng 02/2025"                                  the month's last day
``quarter``        "Quý I/2022", "Quý IV- 2021", "Quý IV"           the quarter's last day
``half``           "6 tháng đầu năm 2022"                           30/06 (or 31/12 for cuối)
``year``           "Năm 2022", "Trong năm 2022", "cuối năm 2022"    31/12 of the year
``span``           "Năm 2021 – 2022", "Năm 2021-2023"               31/12 of the span's last year
``recurring``      "Tháng 3, 6, 9, 12/2025", "Quý II, III",         one occurrence per period,
                   "Hằng tháng", "định kỳ hằng quý", "Hàng Quý/     each with its own due date
                   Năm", "6 tháng đầu năm và cuối năm 2022",
                   "Báo cáo Quý I/2022; …; Báo cáo Năm 2022"
``continuous``     "Thường xuyên", "Thường xuyên trong năm 2022"    none (tracked by activity)
``on_demand``      "Khi có phát sinh", "Theo yêu cầu …",            none
                   "Khi có yêu cầu của …", "Khi có hướng dẫn …"
``per_schedule``   "Theo Kế hoạch", "Theo Kế hoạch riêng",          none: the dates are in
                   "Theo hướng dẫn của …", "Thực hiện lồng ghép …"  another document
``unspecified``    "" (the cell is empty)                           none
=================  ===============================================  ============================

A deadline without a year ("Quý IV", "Hằng tháng") takes the ``year`` argument (the register's
``year``). Occurrence ids are period ids: ``2025-03`` (month), ``2025Q1`` (quarter), ``2022H1``
(half year), ``2022`` (year); a deadline with a single due date has one occurrence with id ``''``
(the ``task_status.occurrence`` of a task that is not recurring).

"Trước ngày 30/01/2025" literally reads "before 30/01/2025". Official practice (and the domain
reference) takes the named day as the last day allowed; ``named_day_is_last_day=False`` makes the
day before it the last day instead. Only "trước …" wording is affected: "đến ngày", "chậm nhất" and
a bare date always name the last day. The setting is declared once per plan (the plan file's
``named_day_is_last_day``) and read by both the plan's targets (``due_words``) and its task
register, so the same words give the same date everywhere (:func:`single_due`).
"""

from __future__ import annotations

import calendar as _calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from scorecard.errors import ScorecardError

#: Deadline kinds with one due date.
SINGLE_KINDS: tuple[str, ...] = ("date", "month", "quarter", "half", "year", "span")
#: Deadline kinds without a due date: tracked by reported activity, never judged late.
UNDATED_KINDS: tuple[str, ...] = ("continuous", "on_demand", "per_schedule", "unspecified")
#: Every kind, in the order reports list them.
KINDS: tuple[str, ...] = (*SINGLE_KINDS, "recurring", *UNDATED_KINDS)

#: Vietnamese names of the kinds (for tables and reports).
KIND_VI: dict[str, str] = {
    "date": "Trước ngày", "month": "Trong tháng", "quarter": "Trong quý",
    "half": "Trong 6 tháng", "year": "Trong năm", "span": "Giai đoạn",
    "recurring": "Định kỳ", "continuous": "Thường xuyên", "on_demand": "Khi có phát sinh",
    "per_schedule": "Theo kế hoạch riêng", "unspecified": "Không ghi thời hạn",
}


class DeadlineError(ScorecardError, ValueError):
    """Printed deadline words the parser cannot read; the message quotes them."""


@dataclass(frozen=True)
class Occurrence:
    """One due date of a task: ``id`` is '' for a single deadline, else a period id."""

    id: str
    due: date


@dataclass(frozen=True)
class Deadline:
    """The parsed form of a printed deadline."""

    kind: str
    occurrences: tuple[Occurrence, ...] = ()
    #: first and last day of a stated window ("Thường xuyên trong năm 2022", a span), else None
    window: tuple[date, date] | None = None

    @property
    def has_due(self) -> bool:
        """True when the task has at least one due date (it can be late)."""
        return bool(self.occurrences)

    @property
    def recurring(self) -> bool:
        return self.kind == "recurring"

    @property
    def due(self) -> date | None:
        """The due date of a single deadline; the last one of a recurring deadline."""
        return self.occurrences[-1].due if self.occurrences else None

    def due_by_occurrence(self) -> dict[str, date]:
        """Occurrence id -> due date."""
        return {o.id: o.due for o in self.occurrences}


# ------------------------------------------------------------------ calendar helpers
def month_end(year: int, month: int) -> date:
    """Last day of a month."""
    return date(year, month, _calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, 3 * quarter)


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _quarter_number(text: str, printed: str) -> int:
    try:
        return _ROMAN[text]
    except KeyError:
        raise DeadlineError(f"deadline {printed!r}: {text!r} is not a quarter (I-IV)") from None


def _date(day: int, month: int, year: int, printed: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DeadlineError(f"deadline {printed!r}: {day}/{month}/{year} is not a date") from None


# ------------------------------------------------------------------ wording
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-"})
_BEFORE = r"(?:(?P<word>trước|đến|chậm nhất|hoàn thành trước)\s+)?"
_Q = r"(?:iv|i{1,3}|[1-4])"

_CONTINUOUS = re.compile(r"thường xuyên(?:\s+trong\s+năm\s+(?P<year>\d{4}))?")
_ON_DEMAND = re.compile(r"(?:khi có|khi cần|khi được|theo yêu cầu)\b.*")
_PER_SCHEDULE = re.compile(
    r"(?:theo kế hoạch|theo hướng dẫn|theo lộ trình|thực hiện lồng ghép|theo chỉ đạo)\b.*")

_DATE_NUM = re.compile(_BEFORE + r"(?:ngày\s+)?(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})")
_DATE_WORDS = re.compile(
    _BEFORE + r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})")
_MONTH = re.compile(r"tháng\s+(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})")
_MONTHS = re.compile(r"tháng\s+(?P<ms>\d{1,2}(?:\s*,\s*\d{1,2})+)\s*/\s*(?P<y>\d{4})")
_QUARTER = re.compile(r"quý\s+(?P<q>" + _Q + r")(?:\s*[/-]\s*(?P<y>\d{4}))?")
_QUARTERS = re.compile(
    r"quý\s+(?P<qs>" + _Q + r"(?:\s*,\s*" + _Q + r")+)(?:\s*[/-]\s*(?P<y>\d{4}))?")
_YEAR = re.compile(r"(?:(?:trong|cuối)\s+)?năm(?:\s+(?P<y>\d{4}))?")
_SPAN = re.compile(r"(?:năm|giai đoạn)\s+(?P<a>\d{4})\s*-\s*(?P<b>\d{4})")
_HALF = re.compile(r"6 tháng\s+(?P<h>đầu|cuối)\s+năm(?:\s+(?P<y>\d{4}))?")
_MONTHLY = re.compile(r"(?:định kỳ\s+)?(?:hằng|hàng)\s+tháng(?:\s+năm\s+(?P<y>\d{4}))?")
_QUARTERLY = re.compile(r"(?:định kỳ\s+)?(?:hằng|hàng)\s+quý(?P<and_year>\s*/\s*năm)?"
                        r"(?:\s+năm\s+(?P<y>\d{4}))?")
_REPORT_OF = re.compile(r"^(?:-\s*)?(?:báo cáo\s+)?")
_YEARS = re.compile(r"\b(\d{4})\b")


def _clean(text: str) -> str:
    """NFC, one kind of dash, single spaces, no trailing punctuation, lower case."""
    s = unicodedata.normalize("NFC", text).translate(_DASHES)
    s = re.sub(r"\s+", " ", s).strip().strip(".;, ").strip()
    return s.lower()


def _year_or(default: int | None, found: str | None, printed: str) -> int:
    if found:
        return int(found)
    if default is None:
        raise DeadlineError(f"deadline {printed!r} names no year and no default year is given")
    return default


# A part is a list of (kind, occurrence id, due); kind is the granularity of one occurrence.
_Part = list[tuple[str, str, date]]


def _part(s: str, year: int | None, printed: str, named_day_is_last_day: bool) -> _Part | None:
    """One deadline phrase (no ';' or 'và'), or None when it is not a dated phrase."""
    s = _REPORT_OF.sub("", s).strip()
    for pattern in (_DATE_NUM, _DATE_WORDS):
        if m := pattern.fullmatch(s):
            day = _date(int(m["d"]), int(m["m"]), int(m["y"]), printed)
            if m["word"] in ("trước", "hoàn thành trước") and not named_day_is_last_day:
                day -= timedelta(days=1)
            return [("date", "", day)]
    if m := _MONTHS.fullmatch(s):
        y = int(m["y"])
        months = [int(x) for x in re.split(r"\s*,\s*", m["ms"])]
        if any(not 1 <= x <= 12 for x in months):
            raise DeadlineError(f"deadline {printed!r}: a month is not 1-12")
        return [("month", f"{y}-{x:02d}", month_end(y, x)) for x in months]
    if m := _MONTH.fullmatch(s):
        y, x = int(m["y"]), int(m["m"])
        if not 1 <= x <= 12:
            raise DeadlineError(f"deadline {printed!r}: {x} is not a month")
        return [("month", f"{y}-{x:02d}", month_end(y, x))]
    if m := _QUARTERS.fullmatch(s):
        y = _year_or(year, m["y"], printed)
        qs = [_quarter_number(x, printed) for x in re.split(r"\s*,\s*", m["qs"])]
        return [("quarter", f"{y}Q{q}", quarter_end(y, q)) for q in qs]
    if m := _QUARTER.fullmatch(s):
        y = _year_or(year, m["y"], printed)
        q = _quarter_number(m["q"], printed)
        return [("quarter", f"{y}Q{q}", quarter_end(y, q))]
    if m := _HALF.fullmatch(s):
        y = _year_or(year, m["y"], printed)
        first = m["h"] == "đầu"
        return [("half", f"{y}H{1 if first else 2}", date(y, 6, 30) if first else date(y, 12, 31))]
    if m := _SPAN.fullmatch(s):
        a, b = int(m["a"]), int(m["b"])
        if b < a:
            raise DeadlineError(f"deadline {printed!r}: the span ends before it starts")
        return [("span", f"{a}-{b}", date(b, 12, 31))]
    if m := _MONTHLY.fullmatch(s):
        y = _year_or(year, m["y"], printed)
        return [("month", f"{y}-{x:02d}", month_end(y, x)) for x in range(1, 13)]
    if m := _QUARTERLY.fullmatch(s):
        y = _year_or(year, m["y"], printed)
        out = [("quarter", f"{y}Q{q}", quarter_end(y, q)) for q in range(1, 5)]
        if m["and_year"]:
            out.append(("year", f"{y}", date(y, 12, 31)))
        return out
    if m := _YEAR.fullmatch(s):
        y = _year_or(year, m["y"], printed)
        return [("year", f"{y}", date(y, 12, 31))]
    return None


def parse_deadline(text: str | None, *, year: int | None = None,
                   named_day_is_last_day: bool = True) -> Deadline:
    """The parsed form of printed deadline words (module docstring lists the forms).

    ``year`` is used where the words name none ("Quý IV", "Hằng tháng"). Raises
    :class:`DeadlineError` quoting the words when they match no form.
    """
    printed = "" if text is None else str(text)
    s = _clean(printed)
    if not s:
        return Deadline("unspecified")
    if m := _CONTINUOUS.fullmatch(s):
        if m["year"]:
            y = int(m["year"])
            return Deadline("continuous", window=(date(y, 1, 1), date(y, 12, 31)))
        return Deadline("continuous")
    if _ON_DEMAND.fullmatch(s):
        return Deadline("on_demand")
    if _PER_SCHEDULE.fullmatch(s):
        return Deadline("per_schedule")
    # a year printed once at the end serves every part ("6 tháng đầu năm và cuối năm 2022")
    years = _YEARS.findall(s)
    shared_year = int(years[-1]) if years else year
    pieces = [p.strip() for p in re.split(r"\s*;\s*|\s+và\s+", s) if p.strip()]
    parts: _Part = []
    for piece in pieces:
        got = _part(piece, shared_year if len(pieces) > 1 else year, printed,
                    named_day_is_last_day)
        if got is None:
            raise DeadlineError(
                f"cannot read the deadline {printed!r}: expected a date ('Trước ngày 30/01/2025'), "
                f"a month ('Tháng 02/2025'), a quarter ('Quý I/2022'), a year ('Năm 2022'), a span "
                f"('Năm 2021 - 2022'), a recurring form ('Tháng 3, 6, 9, 12/2025', 'Hằng quý'), "
                f"'Thường xuyên', 'Khi có phát sinh' or 'Theo Kế hoạch …'")
        parts.extend(got)
    if len(parts) == 1:
        kind, _, due = parts[0]
        window = None
        if kind == "span":
            a = int(parts[0][1].split("-")[0])
            window = (date(a, 1, 1), due)
        return Deadline(kind, (Occurrence("", due),), window)
    ids = [p[1] for p in parts]
    if len(set(ids)) != len(ids):
        raise DeadlineError(f"deadline {printed!r} names the same period twice")
    return Deadline("recurring", tuple(Occurrence(i, d) for _, i, d in parts))


def single_due(text: str | None, *, year: int | None = None,
               named_day_is_last_day: bool = True) -> date | None:
    """The one due date printed deadline words name ("Trước 15/12/2025", "Quý III/2024", "Năm
    2022"), read as :func:`parse_deadline` reads them; None when the words name no due date
    (continuous, on demand, …), several (recurring) or cannot be read."""
    try:
        parsed = parse_deadline(text, year=year, named_day_is_last_day=named_day_is_last_day)
    except DeadlineError:
        return None
    return parsed.due if parsed.kind in SINGLE_KINDS else None
