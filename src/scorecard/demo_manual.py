"""Manual measurements of the demo province (DỮ LIỆU MẪU) for the shipped plans' manual targets.

Case data cannot give some targets (a report sent, a list published, a share of procedures
proposed for simplification): their values come from the store's ``manual`` table. This module
writes demo rows for every manual target of the plans in ``params/plans`` whose year the demo's
data covers (Bắc Giang 2025, Ban Dân tộc 2024, Long Thành 2024), for every unit of the target's
levels and every demo quarter inside the plan's validity (nd09 2024Q1–2025Q2), so a render of
those plans shows verdicts for them, not only "Chưa có dữ liệu". Which indicators, levels and
periods is read from the plan files (declared once there); how a value looks is the small table
:data:`VALUE_STYLES` below.

Values (pure; same seed, same rows; own random stream ``[seed, 6, 1]``, so every other demo file
keeps its values): about 8% of (unit, period, indicator) rows are missing, so "no data" stays
visible. A target judged each period gets a value drawn for each quarter; one judged by a
deadline accumulates: a rate rises quarter by quarter toward the value reached at the due date
(a yes/no fact or a ratio is that value throughout). Keys already written by ``scorecard.demo.build_manual`` are left
to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from scorecard.config import PLANS_DIR
from scorecard.periods import Period, parse_period, period_containing
from scorecard.plans import Plan, Target, list_plans

#: How a demo value of a manual indicator is drawn (indicators not listed: a rate around the
#: target's threshold). ``yes_no``: 1 or 0 (a report sent, rules issued); ``months``: months of
#: the quarter with the duty done / 3; ``ratio``: this year's count over last year's.
VALUE_STYLES: dict[str, str] = {
    "report_submitted": "yes_no",
    "one_stop_rules_issued": "yes_no",
    "one_stop_assessed": "yes_no",
    "e_certification_service": "yes_no",
    "feedback_address_published_rate": "yes_no",
    "late_list_published_rate": "months",
    "results_766_published_rate": "months",
    "e_certified_copies_yoy": "ratio",
}

#: Share of (unit, period, indicator) rows left out: units that did not report.
MISSING_SHARE = 0.08

MANUAL_COLUMNS = ["unit_id", "period", "indicator", "value", "source"]


def manual_targets(plan: Plan) -> list[Target]:
    """The targets of ``plan`` read from the manual table (a share-of-units target whose
    condition is manual included)."""
    return [t for t in plan.targets if t.measure == "manual"]


def plan_quarters(plan: Plan, quarters: Iterable[str]) -> list[Period]:
    """The quarters among ``quarters`` whose window (plan's calendar) overlaps its validity."""
    out = []
    for q in quarters:
        p = parse_period(q)
        first, last = p.window(plan.calendar)
        if first <= plan.valid_to and last >= plan.valid_from:
            out.append(p)
    return out


def _progress(plan: Plan, t: Target, period: Period) -> float:
    """Share of a by-deadline target's final value reached by the end of ``period``: quarters
    elapsed since the plan's first quarter over quarters up to the one holding the due date."""
    if t.judged != "by_deadline" or t.due is None:
        return 1.0
    first_q = _quarter_of(plan.valid_from, plan.calendar)
    due_q = _quarter_of(t.due, plan.calendar)
    total = _index(due_q) - _index(first_q) + 1
    done = _index(period) - _index(first_q) + 1
    return min(1.0, max(done, 1) / max(total, 1))


def _quarter_of(day: date, calendar: str) -> Period:
    return period_containing(day, "quarter", calendar)


def _index(p: Period) -> int:
    return p.year * 4 + p.number


def _final_value(rng: np.random.Generator, style: str, t: Target) -> float:
    """The value a unit reaches (each period, or at the due date)."""
    u = rng.random()
    if style == "yes_no":
        return 1.0 if u < 0.85 else 0.0
    if style == "months":
        return 1.0 if u < 0.8 else (round(2 / 3, 4) if u < 0.95 else round(1 / 3, 4))
    if style == "ratio":
        return round(float(rng.uniform(0.8, 1.6)), 2)
    threshold = float(t.condition.threshold if t.condition is not None else t.threshold)
    if threshold >= 1.0:  # "100% ...": most units there, the others a little short
        return 1.0 if u < 0.6 else round(float(rng.uniform(0.8, 0.995)), 4)
    # a share to reach (10% of procedures, 20% of information): around the threshold
    return round(float(min(1.0, threshold * rng.uniform(0.5, 1.8))), 4)


def build_manual_plans(units: pd.DataFrame, seed: int, quarters: Iterable[str], source: str,
                       plans_dir: str | Path = PLANS_DIR,
                       existing: pd.DataFrame | None = None) -> pd.DataFrame:
    """Demo manual rows (:data:`MANUAL_COLUMNS`) for the manual targets of the plans in
    ``plans_dir`` over the demo ``quarters`` (pure: same seed, same rows).

    ``units``: ``unit_id, level`` of the demo; ``source``: the rows' source words; ``existing``:
    manual rows already written (their keys are skipped). Plans whose validity misses every demo
    quarter give no rows; so does a folder without plans.
    """
    rng = np.random.default_rng([seed, 6, 1])
    taken = set() if existing is None else set(
        zip(existing["unit_id"], existing["period"], existing["indicator"], strict=True))
    by_level = {lv: g["unit_id"].tolist() for lv, g in units.groupby("level", sort=False)}
    rows = []
    plans = list_plans(plans_dir) if Path(plans_dir).is_dir() else []
    for plan in plans:
        periods = plan_quarters(plan, quarters)
        if not periods:
            continue
        for t in manual_targets(plan):
            style = VALUE_STYLES.get(t.indicator, "rate")
            for level in t.levels or []:
                for uid in by_level.get(level, []):
                    final = _final_value(rng, style, t)  # by a deadline: the value at the due date
                    missing = rng.random(len(periods)) < MISSING_SHARE
                    for p, skip in zip(periods, missing, strict=True):
                        key = (uid, p.id, t.indicator)
                        each = _final_value(rng, style, t)  # drawn always: stable streams
                        if skip or key in taken:
                            continue
                        taken.add(key)
                        if t.judged != "by_deadline":
                            value = each
                        elif style == "rate":
                            value = round(final * _progress(plan, t, p), 4)
                        else:
                            value = final
                        rows.append({"unit_id": uid, "period": p.id, "indicator": t.indicator,
                                     "value": value, "source": source})
    return pd.DataFrame(rows, columns=MANUAL_COLUMNS)
