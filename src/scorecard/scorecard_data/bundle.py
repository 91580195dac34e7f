"""Computing a batch bundle: every frame the reports of one plan × period need, for all units.

:func:`compute_bundle` opens the store read-only once and asks each module for its frames
(evaluation, indicators, the 766 index, tasks, leads, late lists, load bookkeeping); nothing is
judged or scored here. A :class:`Bundle` holds the frames and what they were computed from
(``meta``); :meth:`Bundle.of_unit` slices a frame by unit in constant time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard.config import DEMO_MARKER
from scorecard.periods import last_n, parse_period

#: Indicators of the breakdown by field and of the PAKN section.
FIELD_INDICATORS = ("received", "resolved", "resolved_late", "on_time_rate", "online_rate")
PAKN_INDICATORS = ("feedback_on_time_rate", "feedback_satisfaction_rate")
#: The frames of a bundle (also the parquet files of a saved one).
FRAMES = ("units", "evaluation", "trend", "fields", "late_procedures", "pakn", "index766",
          "index766_summary", "index766_breakdown", "load_log", "rejects_by_reason",
          "rejects_by_unit", "form06_overlap", "form06_only", "tasks", "leads_scores",
          "leads_evidence", "leads_status", "late_lists")

#: Procedures with cases resolved late in the window, per unit (apology letters counted).
LATE_PROCEDURES_SQL = """
SELECT c.unit_id, c.procedure_id, pr.name AS procedure_name, pr.field,
       count(*) AS resolved,
       count(*) FILTER (WHERE CAST(c.resolved_at AS DATE) > CAST(c.due_at AS DATE)) AS late,
       count(*) FILTER (WHERE CAST(c.resolved_at AS DATE) > CAST(c.due_at AS DATE)
                        AND c.apology_issued) AS apologies
FROM cases c LEFT JOIN procedures pr USING (procedure_id)
WHERE c.status = 'resolved'
  AND CAST(c.resolved_at AS DATE) BETWEEN $first AND $last
GROUP BY ALL HAVING late > 0
"""
LOAD_LOG_SQL = """
SELECT load_id, file, kind, loaded_at, rows_read, rows_accepted, rows_rejected, dropped_columns
FROM load_log ORDER BY load_id
"""
REJECTS_BY_REASON_SQL = """
SELECT file, reason, count(*) AS rows FROM rejects
GROUP BY ALL ORDER BY rows DESC, file, reason
"""
REJECTS_BY_UNIT_SQL = """
SELECT unit_id, file, reason, count(*) AS rows FROM rejects
WHERE unit_id IS NOT NULL
GROUP BY ALL ORDER BY rows DESC, file, reason
"""
MANUAL_SQL = "SELECT unit_id, period, indicator, value, source FROM manual"
FIELDS_SQL = "SELECT DISTINCT field FROM procedures"


@dataclass
class Bundle:
    """The frames of one batch and what they were computed from."""

    meta: dict[str, Any]
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    _by_unit: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict, repr=False)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    def of_unit(self, name: str, unit_id: str) -> pd.DataFrame:
        """The rows of frame ``name`` for one unit, in frame order.

        The frame is split by unit once per bundle (a warm kernel renders many units from the
        same bundle), so each report slices in constant time instead of scanning every row."""
        groups = self._by_unit.get(name)
        if groups is None:
            df = self.frames[name]
            groups = {str(k): g for k, g in df.groupby("unit_id", sort=False)} if len(df) else {}
            self._by_unit[name] = groups
        hit = groups.get(unit_id)
        return hit if hit is not None else self.frames[name].iloc[0:0]


def _plan(plan: Any) -> Any:
    from scorecard.paths import resolve_plan

    return resolve_plan(plan)


def compute_bundle(db: str | Path | None, plan: Any, period: str, *, calendar: str | None = None,
                   trend_periods: int = 4, index_profile: str = "portal-2024") -> Bundle:
    """Compute every frame the reports of ``plan`` × ``period`` need, for all its units.

    ``db`` and ``plan`` are what a user typed (see :mod:`scorecard.paths`): an empty ``db`` is
    the project's store, a relative path is found from the project folder too, a plan may be
    its id."""
    from scorecard.evaluate import (
        compute_for_plan,
        evaluate_targets,
        plan_units,
        stored_field_codes,
    )
    from scorecard.facts import compute_facts, form06_overlap
    from scorecard.index766 import compute_index766, points_breakdown, summarize_index766
    from scorecard.indicators import compute_indicators
    from scorecard.late_list import generations
    from scorecard.late_list.log import period_months
    from scorecard.leads import compute_leads
    from scorecard.paths import resolve_store
    from scorecard.store import reading, snapshot_id
    from scorecard.units import load_units

    pl = _plan(plan)
    db = resolve_store(db)
    p = parse_period(period)
    cal = calendar or pl.calendar
    first, last = p.window(cal)
    with reading(db) as con:
        units = load_units(con)
        judged = plan_units(pl, units)
        manual = con.execute(MANUAL_SQL).df()
        trend_ps = [q for q in last_n(p, trend_periods)] if p.kind == "quarter" else [p]
        ind = compute_for_plan(con, pl, trend_ps, cal)  # every trend period in one pass
        stored = stored_field_codes(con)
        trend = pd.concat([evaluate_targets(pl, q, ind, units, manual, calendar=cal,
                                            stored_fields=stored)
                           for q in trend_ps], ignore_index=True)
        evaluation = trend[trend["period"] == p.id].reset_index(drop=True)

        fields = sorted(con.execute(FIELDS_SQL).df()["field"])
        parts = []
        for f in fields:
            df = compute_indicators(con, [p.id], cal, fields=[f], indicators=FIELD_INDICATORS)
            parts.append(df.assign(field=f))
        by_field = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        pakn = compute_indicators(con, [p.id], cal, indicators=PAKN_INDICATORS)
        late = con.execute(LATE_PROCEDURES_SQL, {"first": first, "last": last}).df()
        index766 = compute_index766(con, p.id, index_profile)
        idx_summary = summarize_index766(index766, units, index_profile)
        idx_breakdown = points_breakdown(index766)
        tasks = _plan_tasks(con, pl, p, cal)
        leads = compute_leads(con, p, calendar=cal)
        gens = generations(con)
        late_lists = gens[gens["month"].isin(period_months([p])["month"])].reset_index(drop=True)
        load_log = con.execute(LOAD_LOG_SQL).df()
        rejects_by_reason = con.execute(REJECTS_BY_REASON_SQL).df()
        rejects_by_unit = con.execute(REJECTS_BY_UNIT_SQL).df()
        overlap = form06_overlap(con, [p.id], cal)
        # the same rule the indicators use: a unit-period's counts come from its form06 row
        # only when it has no case data in the period at all
        own = compute_facts(con, [p.id], cal)
        form06_only = own.loc[own["source"] == "form06", ["unit_id"]].reset_index(drop=True)
        snapshot = snapshot_id(con)
    meta = {
        "plan_id": pl.plan_id, "plan_title": pl.title, "issuer": pl.issuer,
        "document_number": pl.document_number,
        "document_date": str(pl.document_date) if pl.document_date else None,
        "period": p.id, "period_label": p.label_vi(), "calendar": cal,
        "window": [first.isoformat(), last.isoformat()], "snapshot": snapshot,
        "demo": bool(units["unit_id"].astype(str).str.startswith(DEMO_MARKER + "-").any()),
        "trend_periods": [q.id for q in trend_ps],
        "units_judged": list(judged["unit_id"]),
        "leads_notes": list(leads.notes),
        "leads_caveat": leads.caveat,
        "has_task_register": tasks.attrs.get("has_register", False),
    }
    frames = {
        "units": units, "evaluation": evaluation, "trend": trend, "fields": by_field,
        "late_procedures": late, "pakn": pakn, "index766": index766,
        "index766_summary": idx_summary, "index766_breakdown": idx_breakdown,
        "load_log": load_log, "rejects_by_reason": rejects_by_reason,
        "rejects_by_unit": rejects_by_unit, "form06_overlap": overlap,
        "form06_only": form06_only, "tasks": tasks, "leads_scores": leads.scores,
        "leads_evidence": leads.evidence, "leads_status": leads.status,
        "late_lists": late_lists,
    }
    return Bundle(meta, frames)


def _plan_tasks(con: Any, plan: Any, period: Any, calendar: str) -> pd.DataFrame:
    """The plan's task occurrences with their status at the period's end (empty, with
    ``attrs['has_register'] = False``, for a plan without a task register)."""
    from scorecard.tasks import LISTING_COLUMNS, find_register, task_statuses

    if find_register(plan) is None:
        empty = pd.DataFrame(columns=LISTING_COLUMNS)
        empty.attrs["has_register"] = False
        return empty
    df = task_statuses(con, plan, period, calendar)
    df.attrs["has_register"] = True
    return df
