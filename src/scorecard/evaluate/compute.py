"""What a plan needs computed, computing it from the store, and :func:`evaluate` (opens it).

The indicators are computed once per distinct series of the plan's computed targets (field
restriction × denominator variant, :attr:`Target.series`), over every window its targets read
in the periods asked (:func:`scorecard.evaluate.windows.target_window`: the period itself, a year
to date, a cumulative span to a deadline, a period cut to a target's validity), with the level
groups of ``level`` targets as pools. Each row is tagged with its ``series``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard.config import DEFAULT_DB
from scorecard.evaluate.core import evaluate_targets
from scorecard.evaluate.scope import UnitTree, plan_units, pool_key
from scorecard.evaluate.windows import target_window
from scorecard.periods import Period, Window, check_calendar, parse_period
from scorecard.plans import Plan, find_plan
from scorecard.store import LEVELS

_TIDY = ["unit_id", "scope", "period", "indicator", "numerator", "denominator", "value",
         "series"]


@dataclass
class IndicatorRequest:
    """One call of compute_indicators: a series key and its arguments."""

    series: str
    fields: list[str] | None
    variants: dict[str, str] | None
    indicators: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    pooled: bool = False  # some target of the series has basis: level


def indicator_requests(plan: Plan) -> list[IndicatorRequest]:
    """The compute_indicators calls a plan needs: one per distinct series of its computed
    targets (field restriction × denominator variant), with the indicators and scopes used."""
    out: dict[str, IndicatorRequest] = {}
    for t in plan.targets:
        if t.measure != "computed":
            continue
        req = out.get(t.series)
        if req is None:
            req = out[t.series] = IndicatorRequest(
                series=t.series,
                fields=sorted(t.fields) or None,
                variants={t.indicator: t.denominator} if t.denominator else None,
            )
        if t.indicator not in req.indicators:
            req.indicators.append(t.indicator)
        req.targets.append(t.id)
        req.pooled = req.pooled or t.basis == "level"
        req.scopes = ["own", "tree"]  # tree: parents' pooled rows and scope: tree targets
    return list(out.values())


def plan_spans(plan: Plan, target_ids: Iterable[str], periods: Sequence[Period],
               calendar: str) -> list[Period | Window]:
    """Every span the given targets read in ``periods`` (each period itself first)."""
    spans: list[Period | Window] = []
    for p in periods:
        if p not in spans:
            spans.append(p)
        for tid in target_ids:
            t = plan.target(tid)
            for level in LEVELS:
                tw = target_window(plan, t, level, p, calendar)
                if tw is not None and tw.span not in spans:
                    spans.append(tw.span)
    return spans


def plan_pools(plan: Plan, units_df: pd.DataFrame) -> dict[str, list[str]]:
    """The level groups of the plan's computed ``level`` targets: pool key → member units."""
    tree = UnitTree.of(plan, units_df)
    pools: dict[str, list[str]] = {}
    for t in plan.targets:
        if t.basis == "level" and t.measure == "computed":
            for level in t.levels or ():
                for head, members in tree.level_groups(level).items():
                    pools[pool_key(head, level)] = members
    return pools


def compute_for_plan(con: Any, plan: Plan, period: Period | Sequence[Period], calendar: str,
                     units: Iterable[str] | None = None) -> pd.DataFrame:
    """Run every :func:`indicator_requests` call over the spans the plan's targets read in
    ``period`` (one period or several, e.g. a trend: each call computes them all in one pass)
    and stack the frames with a ``series`` column. ``units`` restricts the rows returned."""
    from scorecard.indicators import compute_indicators
    from scorecard.units import load_units

    periods = [period] if isinstance(period, Period) else list(period)
    requests = indicator_requests(plan)
    pools = plan_pools(plan, load_units(con)) if any(r.pooled for r in requests) else {}
    frames = []
    for req in requests:
        spans = plan_spans(plan, req.targets, periods, calendar)
        extra = {"pools": pools} if req.pooled and pools else {}
        df = compute_indicators(
            con, [s.id if isinstance(s, Period) else s for s in spans], calendar,
            fields=req.fields, units=list(units) if units is not None else None,
            indicators=req.indicators, variants=req.variants, scopes=tuple(req.scopes),
            **extra,
        )
        frames.append(df.assign(series=req.series))
    if not frames:
        return pd.DataFrame(columns=_TIDY)
    return pd.concat(frames, ignore_index=True)


def stored_field_codes(con: Any) -> set[str]:
    """The field codes of the store's procedures."""
    rows = con.execute("SELECT DISTINCT field FROM procedures WHERE field IS NOT NULL").fetchall()
    return {str(r[0]) for r in rows}


def evaluate(
    plan: Plan | str | Path,
    period: str | Period,
    db: str | Path = DEFAULT_DB,
    *,
    calendar: str | None = None,
    units: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Evaluate ``plan`` (a Plan, a plan file or a plan_id) on the store ``db`` for ``period``.

    Opens the store read-only; ``calendar`` defaults to the plan's; ``units`` keeps the rows of
    those units (unknown ids raise :class:`~scorecard.evaluate.scope.EvaluateError`); pooled
    figures, tallies and shares of units are computed over the plan's whole scope. Returns
    :data:`~scorecard.evaluate.core.COLUMNS`.
    """
    from scorecard.store import reading
    from scorecard.units import load_units

    pl = plan if isinstance(plan, Plan) else find_plan(plan)
    p = parse_period(period)
    cal = check_calendar(calendar or pl.calendar)
    with reading(db) as con:
        units_df = load_units(con)
        plan_units(pl, units_df, units)  # validates units and root_unit early
        manual_df = con.execute(
            "SELECT unit_id, period, indicator, value, source FROM manual").df()
        stored = stored_field_codes(con)
        scope = list(plan_units(pl, units_df)["unit_id"]) if pl.root_unit else None
        indicators_df = compute_for_plan(con, pl, p, cal, scope)
    return evaluate_targets(pl, p, indicators_df, units_df, manual_df, calendar=cal,
                            units=units, stored_fields=stored)
