"""Each produced list is recorded in the store (``late_list_log``), and the Bắc Giang II.8 target
("định kỳ hằng tháng công khai danh sách … chậm muộn") is computed from those records.

Reading encoded: a month counts for a unit when a list of that month, issued for that unit, was
produced after the month ended — after the last day of the month's window under the calendar the
list was made with (a list made before the end would be incomplete). The other reading, "by a
deadline after each month" (e.g. within 15 days), is ``due_within_days``; the plan names no
deadline, so the default is none. The store can show that a list was *produced*; that it was
then made public (công khai) is the user's step and outside the data.

**Months of a span.** A span (a period, or a :class:`~scorecard.periods.Window`: a year to date, a
span to a deadline, a period cut to a target's validity) holds the months whose window under the
span's calendar *ends* inside it (:func:`span_months`): a quarter's three months under either
calendar (nd09 2025Q2, 15/03–14/06, holds the nd09 months 04–06, which end on the 14th), a
window 15/06–30/06/2025 under ``calendar`` only June. Every month's end falls in exactly one of
consecutive spans, so the months of a year are those of its quarters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from scorecard.facts import as_periods
from scorecard.late_list.compute import LateList
from scorecard.periods import Period, Window, check_calendar, period_containing

LOG_TABLE = "late_list_log"
#: The indicator id of the plan target (bac-giang-2025 ``late_list_published``).
INDICATOR = "late_list_published_rate"
#: Tidy columns, as compute_indicators returns them.
COVERAGE_COLUMNS = ["unit_id", "scope", "period", "indicator", "numerator", "denominator",
                    "value"]

_INSERT = f"""
INSERT INTO {LOG_TABLE} (month, calendar, issuer_unit_id, plan_id, generated_at, data_snapshot,
                         units_listed, cases_late, xlsx_file, html_file)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""


def record_generation(con: duckdb.DuckDBPyConnection, late: LateList, *,
                      xlsx: Path | None = None, html: Path | None = None) -> None:
    """Append one row to ``late_list_log`` (``con`` is a writer connection)."""
    con.execute(_INSERT, [late.month.id, late.calendar, late.issuer_unit_id, late.plan_id,
                          late.generated_at, late.snapshot, len(late.units), late.late_cases,
                          str(xlsx) if xlsx else None, str(html) if html else None])


def has_log(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store has the table (a store made before it does not, until next written)."""
    return bool(con.execute("SELECT count(*) FROM information_schema.tables "
                            "WHERE table_name = ?", [LOG_TABLE]).fetchall()[0][0])


def generations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every recorded generation, newest first (empty frame without the table)."""
    if not has_log(con):
        return pd.DataFrame(columns=["month", "calendar", "issuer_unit_id", "plan_id",
                                     "generated_at", "units_listed", "cases_late"])
    return con.execute(f"SELECT * FROM {LOG_TABLE} ORDER BY generated_at DESC").df()


def month_end(month: str | Period, calendar: str) -> date:
    """The last day of ``month``'s window under ``calendar`` (nd09: the 14th)."""
    m = month if isinstance(month, Period) else Period(int(month[:4]), "month", int(month[5:7]))
    return m.window(calendar)[1]


def months_ending_in(first: date, last: date, calendar: str) -> list[Period]:
    """The months whose window under ``calendar`` ends in ``[first, last]`` (pure)."""
    check_calendar(calendar)
    out: list[Period] = []
    m = period_containing(first, "month", calendar)
    while m.window(calendar)[0] <= last:
        if first <= m.window(calendar)[1] <= last:
            out.append(m)
        m = m.next()
    return out


def span_months(spans: Iterable[Period | Window], calendar: str = "calendar") -> pd.DataFrame:
    """``period, month``: the months of each span (:func:`months_ending_in` its window; a period
    ``2025Q2`` → 2025-04, 2025-05, 2025-06 under either calendar) (pure)."""
    rows = [(s.id, m.id) for s in spans for m in months_ending_in(*s.window(calendar), calendar)]
    return pd.DataFrame(rows, columns=["period", "month"])


def period_months(periods: Iterable[Period]) -> pd.DataFrame:
    """``period, month, m_last``: the calendar months of each period (by id: 2025Q2 → 2025-04,
    2025-05, 2025-06) and each month's last day (pure)."""
    rows = []
    for p in periods:
        for m in range(p.first_month, p.last_month + 1):
            month = Period(p.year, "month", m)
            rows.append((p.id, month.id, month.window("calendar")[1]))
    df = pd.DataFrame(rows, columns=["period", "month", "m_last"])
    df["m_last"] = pd.to_datetime(df["m_last"]).astype("datetime64[s]")
    return df


_LOG_ROWS = f"""
SELECT issuer_unit_id AS unit_id, month, calendar, plan_id,
       CAST(generated_at AS DATE) AS generated_on
FROM {LOG_TABLE}
WHERE issuer_unit_id IS NOT NULL"""


def log_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``unit_id, month, calendar, plan_id, generated_on`` of every recorded list (empty without
    the table)."""
    if not has_log(con):
        return pd.DataFrame(columns=["unit_id", "month", "calendar", "plan_id", "generated_on"])
    return con.execute(_LOG_ROWS).df()


def listed_months(logs: pd.DataFrame, *, plan_id: str | None = None,
                  due_within_days: int | None = None) -> pd.DataFrame:
    """``unit_id, month``, once each: the months whose list was produced after the month's end
    (under the list's own calendar), from :func:`log_rows` (pure). ``plan_id``: only lists made
    for that plan; ``due_within_days``: only lists made at most that many days after the end."""
    rows = logs if plan_id is None else logs[logs["plan_id"] == plan_id]
    keep = []
    for rec in rows.itertuples(index=False):
        end = month_end(rec.month, rec.calendar)
        made = pd.Timestamp(rec.generated_on).date()
        if made > end and (due_within_days is None or (made - end).days <= due_within_days):
            keep.append((rec.unit_id, rec.month))
    return pd.DataFrame(sorted(set(keep)), columns=["unit_id", "month"])


def coverage_rows(span_ids: Sequence[str], months: pd.DataFrame, listed: pd.DataFrame,
                  units: Sequence[str]) -> pd.DataFrame:
    """Tidy rows (:data:`COVERAGE_COLUMNS`, scope ``own``) for each unit × span: months of the
    span (``months``: :func:`span_months`) listed (:func:`listed_months`) over months of the
    span; a span in which no month ends has denominator 0 and value NULL (pure)."""
    done = set(zip(listed["unit_id"], listed["month"], strict=True))
    by_span = {s: months.loc[months["period"] == s, "month"].tolist() for s in span_ids}
    rows = [(u, "own", s, INDICATOR, sum((u, m) in done for m in ms), len(ms))
            for u in units for s, ms in by_span.items()]
    df = pd.DataFrame(rows, columns=COVERAGE_COLUMNS[:-1])
    df["numerator"] = df["numerator"].astype("int64")
    df["denominator"] = df["denominator"].astype("int64")
    df["value"] = (df["numerator"] / df["denominator"].where(df["denominator"] > 0)
                   ).astype("float64")
    return df[COVERAGE_COLUMNS]


def default_issuers(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The store's root units and every unit a list was issued for, sorted."""
    roots = [r[0] for r in con.execute(
        "SELECT unit_id FROM units WHERE parent_id IS NULL ORDER BY 1").fetchall()]
    issued = log_rows(con)["unit_id"].dropna().astype(str)
    return sorted(set(roots) | set(issued))


def late_list_coverage(con: duckdb.DuckDBPyConnection,
                       periods: str | Period | Window | Iterable[str | Period | Window], *,
                       units: Sequence[str] | None = None, plan_id: str | None = None,
                       due_within_days: int | None = None,
                       calendar: str = "calendar") -> pd.DataFrame:
    """Per unit × span: months of the span whose list was produced after the month's end
    (numerator), months of the span (denominator, :func:`span_months` under ``calendar``), and
    their ratio (value; NULL for a span in which no month ends), as tidy rows like
    ``compute_indicators``: ``unit_id, scope ('own'), period (the span's id), indicator
    ('late_list_published_rate'), numerator, denominator, value``.

    ``periods``: period ids, Periods or :class:`~scorecard.periods.Window` objects. ``units``:
    the issuing units (default :func:`default_issuers`). ``plan_id``: count only lists produced
    for that plan. ``due_within_days``: count only lists produced at most that many days after
    the month's end.
    """
    spans = as_periods(periods)
    issuers = list(units) if units is not None else default_issuers(con)
    listed = listed_months(log_rows(con), plan_id=plan_id, due_within_days=due_within_days)
    df = coverage_rows([s.id for s in spans], span_months(spans, calendar), listed, issuers)
    return df.sort_values("unit_id", kind="stable").reset_index(drop=True)[COVERAGE_COLUMNS]
