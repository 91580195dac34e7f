"""What a plan needs computed, computing it from the store, and :func:`evaluate` (opens it).

The case indicators are computed once per distinct series of the plan's computed targets (field
restriction × denominator variant, :attr:`Target.series`), over every window its targets read
in the periods asked (:func:`scorecard.evaluate.windows.target_window`: the period itself, a year
to date, a cumulative span to a deadline, a period cut to a target's validity), with the level
groups of ``level`` targets as pools. Each row is tagged with its ``series``.

Indicators another module computes (``computed_by`` in the catalogue, e.g. the plan-task
indicators) are asked from that module — only when a target of the plan uses one, once per
provider, over the windows those targets read (:func:`provider_requests`); a level's pooled
figure is the sum of its units' own rows (:func:`pool_rows`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard.config import DEFAULT_DB
from scorecard.evaluate.core import evaluate_targets
from scorecard.evaluate.scope import UnitTree, plan_units, pool_key
from scorecard.evaluate.windows import target_window
from scorecard.indicators.catalogue import ComputedBy, computed_by, get_indicator
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


@dataclass
class ProviderRequest:
    """One call of a module computing indicators the case engine does not (``computed_by``)."""

    function: str
    indicators: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    pooled: bool = False  # some target has basis: level (its pools are summed from own rows)


def _provider(indicator: str) -> ComputedBy | None:
    return computed_by(indicator)


def indicator_requests(plan: Plan) -> list[IndicatorRequest]:
    """The compute_indicators calls a plan needs: one per distinct series of its computed
    targets on case indicators (field restriction × denominator variant), with the indicators
    and scopes used."""
    out: dict[str, IndicatorRequest] = {}
    for t in plan.targets:
        if t.measure != "computed" or _provider(t.indicator) is not None:
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


def provider_requests(plan: Plan) -> list[ProviderRequest]:
    """The provider calls a plan needs: one per module function computing an indicator of the
    plan's computed targets (none when no target uses such an indicator)."""
    out: dict[str, ProviderRequest] = {}
    for t in plan.targets:
        cb = _provider(t.indicator) if t.measure == "computed" else None
        if cb is None:
            continue
        req = out.setdefault(cb.function, ProviderRequest(cb.function))
        if t.indicator not in req.indicators:
            req.indicators.append(t.indicator)
        if t.series not in req.series:
            req.series.append(t.series)
        req.targets.append(t.id)
        req.pooled = req.pooled or t.basis == "level"
    return list(out.values())


def pool_rows(df: pd.DataFrame, pools: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Rows of scope ``level`` for each pool (``unit_id`` = its key): the members' own
    numerators and denominators summed per period and indicator; a rate's value is their
    quotient (NULL when the denominator is 0), a count's value its numerator. Pools without a
    member row give no row."""
    own = df[df["scope"] == "own"]
    frames = []
    for key, members in pools.items():
        part = own[own["unit_id"].isin(set(members))]
        if part.empty:
            continue
        g = (part.groupby(["period", "indicator"], as_index=False, sort=False)
             .agg(numerator=("numerator", lambda x: x.sum(min_count=1)),
                  denominator=("denominator", lambda x: x.sum(min_count=1))))
        frames.append(g.assign(unit_id=key, scope="level"))
    if not frames:
        return pd.DataFrame(columns=list(df.columns))
    out = pd.concat(frames, ignore_index=True)
    out["numerator"] = out["numerator"].astype("Int64")
    out["denominator"] = out["denominator"].astype("Int64")
    kind = out["indicator"].map(lambda i: get_indicator(i).kind)
    num = out["numerator"].astype("Float64")
    den = out["denominator"].astype("Float64")
    out["value"] = num.where(kind == "count", num / den.where(den > 0)).astype("float64")
    return out[[c for c in df.columns if c in out.columns]]


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
    providers = provider_requests(plan)
    pooled = any(r.pooled for r in (*requests, *providers))
    pools = plan_pools(plan, load_units(con)) if pooled else {}
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
    for preq in providers:
        frames += _provided(con, plan, preq, periods, calendar, units, pools)
    if not frames:
        return pd.DataFrame(columns=_TIDY)
    return pd.concat(frames, ignore_index=True)


def _provided(con: Any, plan: Plan, req: ProviderRequest, periods: Sequence[Period],
              calendar: str, units: Iterable[str] | None,
              pools: Mapping[str, list[str]]) -> list[pd.DataFrame]:
    """The rows of one provider over the spans its targets read, pools summed from own rows,
    once per series its targets use."""
    cb = _provider(req.indicators[0])
    assert cb is not None
    spans = plan_spans(plan, req.targets, periods, calendar)
    df = cb.load()(con, plan, spans, calendar, list(units) if units is not None else None)
    df = df[df["indicator"].isin(req.indicators)][_TIDY[:-1]].reset_index(drop=True)
    if req.pooled and pools:
        df = pd.concat([df, pool_rows(df, pools)], ignore_index=True)
    return [df.assign(series=s) for s in req.series]


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
