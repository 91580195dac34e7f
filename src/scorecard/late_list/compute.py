"""The monthly list of late units (Bắc Giang 2025 II.8): what goes on it, computed in SQL.

For a month window ``[first, last]`` (dates, inclusive) and each unit's own cases, with the case
classification of docs/design.md (``r``, ``d``, ``f`` the local received, due and finish dates):

- resolved late in the month: ``status = 'resolved' AND first <= f <= last AND f > d``;
- pending past the due date at the month's end: ``r <= last AND (f IS NULL OR f > last) AND
  d < last`` (facts.py's ``pending_overdue``);
- with an apology letter: either of the above with ``apology_issued``.

A unit is on the list when it has at least one such case. Sorted worst first: most late cases,
then the highest late share (late cases over the month's resolved + pending-at-end cases), then
unit id. Counts only: no case id, no applicant, nothing personal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb
import pandas as pd

from scorecard.errors import ScorecardError
from scorecard.periods import Period, parse_period

#: Columns of :attr:`LateList.units` (one row per listed unit, worst first).
UNIT_COLUMNS = ["rank", "unit_id", "unit_name", "level", "parent_name", "resolved_late",
                "pending_overdue", "late_total", "late_with_apology", "late_without_apology",
                "resolved", "pending", "late_share"]
#: Columns of :attr:`LateList.procedures` (one row per listed unit × procedure with late cases).
PROCEDURE_COLUMNS = ["rank", "unit_id", "procedure_id", "procedure_name", "field",
                     "resolved_late", "pending_overdue", "late_total", "late_with_apology"]


class LateListError(ScorecardError, ValueError):
    """A month that is not a month, or an unknown unit."""


# The cases the month touches, with local dates (same rule as facts.py: relevant to a window
# iff r <= last and not finished before first).
_MONTH_CASES = """
SELECT unit_id, procedure_id, status, coalesce(apology_issued, FALSE) AS apology,
       CAST(received_at AS DATE) AS r, CAST(due_at AS DATE) AS d,
       CAST(resolved_at AS DATE) AS f
FROM cases
WHERE CAST(received_at AS DATE) <= $last
  AND (resolved_at IS NULL OR CAST(resolved_at AS DATE) >= $first)
  {unit_filter}"""

_CLASSIFIED = """
SELECT *,
       status = 'resolved' AND f BETWEEN $first AND $last AS resolved_in_month,
       f IS NULL OR f > $last AS pending_at_end
FROM month_cases"""

_LATE_FLAGS = """
SELECT *,
       resolved_in_month AND f > d AS is_resolved_late,
       pending_at_end AND d < $last AS is_pending_overdue
FROM classified"""

_BY_PROCEDURE = """
SELECT unit_id, procedure_id,
       count(*) FILTER (WHERE is_resolved_late) AS resolved_late,
       count(*) FILTER (WHERE is_pending_overdue) AS pending_overdue,
       count(*) FILTER (WHERE (is_resolved_late OR is_pending_overdue) AND apology)
         AS late_with_apology,
       count(*) FILTER (WHERE resolved_in_month) AS resolved,
       count(*) FILTER (WHERE pending_at_end) AS pending
FROM late_flags
GROUP BY unit_id, procedure_id"""


def _query(unit_filter: str) -> str:
    return (f"WITH month_cases AS ({_MONTH_CASES.format(unit_filter=unit_filter)}),\n"
            f"classified AS ({_CLASSIFIED}),\nlate_flags AS ({_LATE_FLAGS})\n{_BY_PROCEDURE}")


@dataclass(frozen=True)
class LateList:
    """One month's list and what it was made from."""

    month: Period
    first: date
    last: date
    calendar: str
    issuer: str                   # the issuing authority's name as printed on the notice
    issuer_unit_id: str | None    # the unit whose list this is (the plan's root or the store's)
    plan_id: str | None
    units: pd.DataFrame           # UNIT_COLUMNS
    procedures: pd.DataFrame      # PROCEDURE_COLUMNS
    generated_at: datetime
    snapshot: str = ""
    demo: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def late_cases(self) -> int:
        return int(self.units["late_total"].sum()) if len(self.units) else 0

    @property
    def with_apology(self) -> int:
        return int(self.units["late_with_apology"].sum()) if len(self.units) else 0


def month_of(text: str | Period) -> Period:
    """``YYYY-MM`` as a month period; :class:`LateListError` for anything else."""
    p = parse_period(text)
    if p.kind != "month":
        raise LateListError(f"--month expects a month YYYY-MM, got {p.id!r}")
    return p


def late_counts(con: duckdb.DuckDBPyConnection, first: date, last: date,
                units: Sequence[str] | None = None) -> pd.DataFrame:
    """Per unit × procedure: ``unit_id, procedure_id, resolved_late, pending_overdue,
    late_with_apology, resolved, pending`` over the window (every pair with a case in it)."""
    params: dict[str, object] = {"first": first, "last": last}
    unit_filter = ""
    if units is not None:
        unit_filter = "AND unit_id IN (SELECT unnest($units))"
        params["units"] = list(units)
    df = con.execute(_query(unit_filter), params).df()
    for col in ("resolved_late", "pending_overdue", "late_with_apology", "resolved", "pending"):
        df[col] = df[col].astype("int64")
    return df


def rank_units(counts: pd.DataFrame, units: pd.DataFrame,
               procedures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The list from :func:`late_counts` (pure): units with a late case, worst first, and their
    procedures with a late case. ``units``: unit_id, name, level, parent_id; ``procedures``:
    procedure_id, name, field."""
    c = counts.assign(late_total=counts["resolved_late"] + counts["pending_overdue"])
    by_unit = (c.groupby("unit_id", as_index=False)[
        ["resolved_late", "pending_overdue", "late_total", "late_with_apology", "resolved",
         "pending"]].sum())
    by_unit = by_unit[by_unit["late_total"] > 0].copy()
    handled = by_unit["resolved"] + by_unit["pending"]
    by_unit["late_share"] = (by_unit["late_total"] / handled.where(handled > 0)).astype(float)
    by_unit["late_without_apology"] = by_unit["late_total"] - by_unit["late_with_apology"]
    names = units.set_index("unit_id")
    by_unit["unit_name"] = by_unit["unit_id"].map(names["name"]).fillna(by_unit["unit_id"])
    by_unit["level"] = by_unit["unit_id"].map(names["level"])
    by_unit["parent_name"] = by_unit["unit_id"].map(names["parent_id"]).map(names["name"])
    by_unit = by_unit.sort_values(["late_total", "late_share", "unit_id"],
                                  ascending=[False, False, True], kind="stable")
    by_unit.insert(0, "rank", range(1, len(by_unit) + 1))
    by_unit = by_unit.reset_index(drop=True)[UNIT_COLUMNS]

    rank = dict(zip(by_unit["unit_id"], by_unit["rank"], strict=True))
    procs = c[(c["late_total"] > 0) & c["unit_id"].isin(rank)].copy()
    pnames = procedures.set_index("procedure_id")
    procs["procedure_name"] = procs["procedure_id"].map(pnames["name"]).fillna(procs["procedure_id"])
    procs["field"] = procs["procedure_id"].map(pnames["field"])
    procs["rank"] = procs["unit_id"].map(rank)
    procs = procs.sort_values(["rank", "late_total", "procedure_id"],
                              ascending=[True, False, True], kind="stable")
    return by_unit, procs.reset_index(drop=True)[PROCEDURE_COLUMNS]


_LEVEL_WORDS = ("Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Quận ", "Xã ", "Phường ",
                "Thị trấn ")


def default_issuer(root_name: str | None) -> str:
    """'UBND tỉnh X' for a territorial unit named 'Tỉnh X'; the name itself otherwise."""
    if not root_name:
        return "Cơ quan ban hành"
    for word in _LEVEL_WORDS:
        if root_name.startswith(word):
            return "UBND " + root_name[0].lower() + root_name[1:]
    return root_name


def _root_of(units: pd.DataFrame) -> str | None:
    roots = units.loc[units["parent_id"].isna(), "unit_id"].sort_values()
    return str(roots.iloc[0]) if len(roots) else None


def build_late_list(con: duckdb.DuckDBPyConnection, month: str | Period, *,
                    generated_at: datetime, calendar: str = "calendar",
                    root_unit: str | None = None, issuer: str | None = None,
                    plan_id: str | None = None) -> LateList:
    """The list of ``month`` for the units under ``root_unit`` (default: every unit; the
    store's root issues it). ``issuer`` is printed on the notice (default from the root's name)."""
    from scorecard.config import DEMO_MARKER
    from scorecard.store import snapshot_id
    from scorecard.units import descendants, load_units

    m = month_of(month)
    first, last = m.window(calendar)
    units = load_units(con)
    scope: list[str] | None = None
    if root_unit is not None:
        if root_unit not in set(units["unit_id"]):
            raise LateListError(f"unknown unit {root_unit!r} (not in the store's units)")
        scope = descendants(units, root_unit)
    issuer_unit = root_unit or _root_of(units)
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    procedures = con.execute("SELECT procedure_id, name, field FROM procedures").df()
    counts = late_counts(con, first, last, scope)
    by_unit, by_proc = rank_units(counts, units, procedures)

    notes = []
    latest = con.execute("SELECT max(CAST(received_at AS DATE)) FROM cases").fetchall()[0][0]
    if latest is None:
        notes.append("Kho dữ liệu chưa có hồ sơ nào.")
    elif latest < last:
        notes.append(f"Dữ liệu hồ sơ chỉ có đến ngày {latest:%d/%m/%Y}: danh sách phản ánh số "
                     "liệu đến ngày đó.")
    only_form06 = [r[0] for r in con.execute(
        "SELECT DISTINCT unit_id FROM form06 WHERE unit_id NOT IN "
        "(SELECT DISTINCT unit_id FROM cases) ORDER BY 1").fetchall()
        if scope is None or r[0] in scope]
    if only_form06:
        notes.append(f"{len(only_form06)} đơn vị chỉ gửi số liệu tổng hợp (Biểu 06), không có dữ "
                     "liệu từng hồ sơ, nên không có trong danh sách: "
                     + ", ".join(names.get(u, u) for u in only_form06) + ".")
    notes.append("Kế hoạch yêu cầu công khai cả cá nhân chậm, muộn; dữ liệu hồ sơ không ghi cán "
                 "bộ xử lý nên danh sách chỉ nêu cơ quan, đơn vị.")
    snapshot = snapshot_id(con)
    con.execute("SELECT 1").fetchall()  # leave no unfinished result behind snapshot_id's fetchone
    demo = bool(units["unit_id"].astype(str).str.startswith(DEMO_MARKER + "-").any())
    return LateList(
        month=m, first=first, last=last, calendar=calendar,
        issuer=issuer or default_issuer(names.get(issuer_unit) if issuer_unit else None),
        issuer_unit_id=issuer_unit, plan_id=plan_id, units=by_unit, procedures=by_proc,
        generated_at=generated_at, snapshot=snapshot, demo=demo, notes=notes)


def latest_month(con: duckdb.DuckDBPyConnection) -> Period:
    """The month of the newest received date in the store (the demo's list month)."""
    latest = con.execute("SELECT max(CAST(received_at AS DATE)) FROM cases").fetchall()[0][0]
    if latest is None:
        raise LateListError("the store has no cases: no month to list")
    return Period(latest.year, "month", latest.month)
