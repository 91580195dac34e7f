"""Each produced list is recorded in the store (``late_list_log``), and the Bắc Giang II.8 target
("định kỳ hằng tháng công khai danh sách … chậm muộn") is computed from those records.

Reading encoded: a month counts for a unit when a list of that month, issued for that unit, was
produced after the month ended (a list made before the end would be incomplete). The other
reading, "by a deadline after each month" (e.g. within 15 days), is ``due_within_days``; the plan
names no deadline, so the default is none. The store can show that a list was *produced*; that
it was then made public (công khai) is the user's step and outside the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from scorecard.facts import as_periods, registered
from scorecard.late_list.compute import LateList
from scorecard.periods import Period

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


_COVERAGE = f"""
WITH pm AS (SELECT period, month, CAST(m_last AS DATE) AS m_last FROM {{months}}),
issuers AS (SELECT unnest($units) AS unit_id),
done AS (
  SELECT DISTINCT l.issuer_unit_id AS unit_id, l.month
  FROM {LOG_TABLE} l JOIN pm ON pm.month = l.month
  WHERE CAST(l.generated_at AS DATE) > pm.m_last
    AND ($plan_id IS NULL OR l.plan_id = $plan_id)
    AND ($due_days IS NULL OR CAST(l.generated_at AS DATE) <= pm.m_last + CAST($due_days AS INTEGER)))
SELECT i.unit_id, 'own' AS scope, pm.period, '{INDICATOR}' AS indicator,
       count(d.month) AS numerator, count(*) AS denominator
FROM issuers i CROSS JOIN pm
LEFT JOIN done d ON d.unit_id = i.unit_id AND d.month = pm.month
GROUP BY ALL
ORDER BY i.unit_id, pm.period"""


def late_list_coverage(con: duckdb.DuckDBPyConnection,
                       periods: str | Period | Iterable[str | Period], *,
                       units: Sequence[str] | None = None, plan_id: str | None = None,
                       due_within_days: int | None = None) -> pd.DataFrame:
    """Per unit × period: months of the period whose list was produced (numerator), months of
    the period (denominator), and their ratio (value), as tidy rows like ``compute_indicators``:
    ``unit_id, scope ('own'), period, indicator ('late_list_published_rate'), numerator,
    denominator, value``.

    ``units``: the issuing units (default: the store's root units and every unit a list was
    issued for). ``plan_id``: count only lists produced for that plan. ``due_within_days``: count
    only lists produced at most that many days after the month's end.
    """
    ps = as_periods(periods)
    if units is None:
        roots = [r[0] for r in con.execute(
            "SELECT unit_id FROM units WHERE parent_id IS NULL ORDER BY 1").fetchall()]
        issued = [] if not has_log(con) else [r[0] for r in con.execute(
            f"SELECT DISTINCT issuer_unit_id FROM {LOG_TABLE} "
            "WHERE issuer_unit_id IS NOT NULL").fetchall()]
        units = sorted(set(roots) | set(issued))
    months = period_months(ps)
    if not has_log(con) or not units:
        df = months.groupby("period", as_index=False).size().rename(columns={"size": "denominator"})
        df = pd.DataFrame([(u, "own", r.period, INDICATOR, 0, r.denominator)
                           for u in units for r in df.itertuples()],
                          columns=COVERAGE_COLUMNS[:-1])
    else:
        with registered(con, months) as rel:
            df = con.execute(_COVERAGE.format(months=rel),
                             {"units": list(units), "plan_id": plan_id,
                              "due_days": due_within_days}).df()
    df["numerator"] = df["numerator"].astype("int64")
    df["denominator"] = df["denominator"].astype("int64")
    df["value"] = df["numerator"] / df["denominator"]
    order = {p.id: i for i, p in enumerate(ps)}
    df = df.sort_values(["unit_id", "period"], key=lambda s: s.map(order) if s.name == "period"
                        else s, kind="stable")
    return df.reset_index(drop=True)[COVERAGE_COLUMNS]
