"""Judge a store against a plan: one row per unit × target with pass / fail / no_data /
not_applicable and how many cases short a failing unit is.

Two layers:

- :func:`evaluate_targets` is pure: it takes the tidy indicator frame
  (``scorecard.indicators.compute_indicators``), the units and the manual measurements, and
  judges. Comparisons are exact (numerator/denominator as a Fraction, the threshold through
  Decimal), so exactly 95% fails "> 95%" and 19/20 passes ">= 95%".
- :func:`evaluate` opens the store read-only, computes what the plan needs — once per distinct
  series (field restriction, denominator variant; see :func:`indicator_requests`), tagging each
  row with its ``series`` — and calls :func:`evaluate_targets`.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard.config import DEFAULT_DB
from scorecard.errors import ScorecardError
from scorecard.periods import Period, check_calendar, parse_period
from scorecard.plans import Plan, Target, exact, find_plan, indicator_label
from scorecard.store import LEVELS
from scorecard.units import descendants

#: Output columns of evaluate_targets / evaluate (docs/design.md §"Evaluate API").
COLUMNS: list[str] = [
    "unit_id", "unit_name", "level", "scope", "period", "target_id", "indicator", "label",
    "value", "numerator", "denominator", "comparator", "threshold", "status", "gap_cases",
    "clause", "text", "flag",
]
STATUSES: tuple[str, ...] = ("pass", "fail", "no_data", "not_applicable")

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">": operator.gt, ">=": operator.ge, "==": operator.eq, "<=": operator.le, "<": operator.lt,
}


class EvaluateError(ScorecardError, ValueError):
    """A request evaluate cannot serve (unknown unit, root_unit missing from the store)."""


# ---------------------------------------------------------------- exact judging
def compare(value: Fraction, comparator: str, threshold: Fraction) -> bool:
    """``value <comparator> threshold``, exactly."""
    return _OPS[comparator](value, threshold)


def gap_rate(numerator: int, denominator: int, comparator: str, threshold: Fraction) -> int | None:
    """Least whole number of cases that would make ``numerator/denominator`` meet the target.

    ``>``/``>=`` (higher is better): cases moved from the rest of the denominator into the
    numerator, at most ``denominator - numerator``; ``<``/``<=`` (lower is better): cases taken
    out of the numerator (a late case that would have been on time), at most ``numerator``;
    ``==``: whichever direction reaches the threshold exactly. 0 when already met, None when no
    such number exists (e.g. "> 100%"). Example: 90 of 100 against "> 95%" → 6; ">= 95%" → 5.
    """
    if denominator <= 0:
        return None
    num, den, t = Fraction(numerator), Fraction(denominator), threshold
    if compare(num / den, comparator, t):
        return 0
    if comparator in (">", ">="):
        need = t * den - num  # k must satisfy k > need (">") or k >= need (">=")
        k = math.floor(need) + 1 if comparator == ">" else math.ceil(need)
        return k if 0 <= k <= den - num else None
    if comparator in ("<", "<="):
        need = num - t * den
        k = math.floor(need) + 1 if comparator == "<" else math.ceil(need)
        return k if 0 <= k <= num else None
    # "==": reachable only when threshold × denominator is a whole number of cases
    target = t * den
    if target.denominator != 1 or not 0 <= target <= den:
        return None
    return abs(int(target) - numerator)


def gap_count(value: Fraction, comparator: str, threshold: Fraction) -> int | None:
    """Least whole number of cases to add (``>``, ``>=``) or remove (``<``, ``<=``, ``==``) from a
    count to meet the target; 0 when met, None when impossible (a count below 0)."""
    if compare(value, comparator, threshold):
        return 0
    if comparator in (">", ">="):
        need = threshold - value
        return math.floor(need) + 1 if comparator == ">" else math.ceil(need)
    if comparator in ("<", "<="):
        need = value - threshold
        k = math.floor(need) + 1 if comparator == "<" else math.ceil(need)
        return k if k <= value else None
    diff = threshold - value
    return abs(int(diff)) if diff.denominator == 1 and threshold >= 0 else None


def _exact_or_none(x: Any) -> Fraction | None:
    if x is None or x is pd.NA:
        return None
    try:
        if isinstance(x, float) and math.isnan(x):
            return None
    except TypeError:  # pragma: no cover - defensive
        return None
    if isinstance(x, Fraction):
        return x
    if hasattr(x, "item"):  # numpy scalar
        x = x.item()
    if isinstance(x, float) and x.is_integer():
        return Fraction(int(x))
    return exact(x)


@dataclass
class Judgement:
    status: str
    value: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    gap_cases: int | None = None


def judge(target: Target, row: dict[str, Any] | None) -> Judgement:
    """Judge one target on one tidy row (``numerator, denominator, value``) or manual row
    (``value``); None = nothing measured → no_data."""
    if row is None:
        return Judgement("no_data")
    t = target.threshold_exact
    num = _exact_or_none(row.get("numerator"))
    den = _exact_or_none(row.get("denominator"))
    val = _exact_or_none(row.get("value"))
    num_i = int(num) if num is not None and num.denominator == 1 else None
    den_i = int(den) if den is not None and den.denominator == 1 else None
    if target.measure == "manual" or target.kind not in ("rate", "ratio"):
        # counts (value = numerator) and manual measurements: judged on the value
        if val is None:
            val = num if target.kind == "count" else None
        if val is None:
            return Judgement("no_data", numerator=num_i, denominator=den_i)
        ok = compare(val, target.comparator, t)
        gap = None
        if target.kind == "count":
            gap = gap_count(val, target.comparator, t)
        return Judgement("pass" if ok else "fail", float(val), num_i, den_i, gap)
    # rates and ratios: exact numerator / denominator when both are known
    if den is not None:
        if den == 0 or num is None:
            return Judgement("no_data", None, num_i, den_i)
        exact_value = num / den
    elif val is not None:
        exact_value = val
    else:
        return Judgement("no_data", None, num_i, den_i)
    ok = compare(exact_value, target.comparator, t)
    gap = None
    if target.kind == "rate" and num_i is not None and den_i is not None:
        gap = gap_rate(num_i, den_i, target.comparator, t)
    return Judgement("pass" if ok else "fail", float(exact_value), num_i, den_i,
                     0 if ok else gap)


# ---------------------------------------------------------------- units
def subtree_levels(units_df: pd.DataFrame) -> dict[str, set[str]]:
    """For every unit with children: the levels found below it (at any depth)."""
    level = dict(zip(units_df["unit_id"], units_df["level"], strict=True))
    parent_of = dict(zip(units_df["unit_id"], units_df["parent_id"], strict=True))
    out: dict[str, set[str]] = {}
    for uid in level:
        seen: set[str] = set()
        parent = parent_of.get(uid)
        while isinstance(parent, str) and parent not in seen:  # `seen` guards against cycles
            seen.add(parent)
            out.setdefault(parent, set()).add(level[uid])
            parent = parent_of.get(parent)
    return out


def plan_units(plan: Plan, units_df: pd.DataFrame,
               units: Sequence[str] | None = None) -> pd.DataFrame:
    """The units a plan judges: its levels, under ``root_unit`` if set, in ``units`` if given;
    ordered by level (province → commune) then unit_id."""
    df = units_df
    if plan.root_unit:
        if plan.root_unit not in set(df["unit_id"]):
            raise EvaluateError(
                f"root_unit {plan.root_unit!r} of plan {plan.plan_id} is not a unit of the store"
            )
        df = df[df["unit_id"].isin(descendants(units_df, plan.root_unit))]
    if units is not None:
        unknown = sorted(set(units) - set(units_df["unit_id"]))
        if unknown:
            raise EvaluateError(f"unknown unit {', '.join(unknown)}: not in the store's units")
        df = df[df["unit_id"].isin(list(units))]
    # the levels a plan names, and the parents above them (their tree value is the headline)
    in_levels = set(df.loc[df["level"].isin(plan.all_levels), "unit_id"])
    heads = {uid for uid, lvls in subtree_levels(units_df).items()
             if uid in set(df["unit_id"]) and lvls & set(plan.all_levels)}
    df = df[df["unit_id"].isin(in_levels | heads)]
    rank = {lv: i for i, lv in enumerate(LEVELS)}
    return (df.assign(_r=df["level"].map(rank))
              .sort_values(["_r", "unit_id"]).drop(columns="_r").reset_index(drop=True))


# ---------------------------------------------------------------- the pure evaluation
def _label(target: Target) -> str:
    if target.label:
        return target.label
    base = indicator_label(target.indicator) or target.indicator
    if target.fields:
        base += " — lĩnh vực " + ", ".join(target.fields)
    return base


def evaluate_targets(
    plan: Plan,
    period: str | Period,
    indicators_df: pd.DataFrame,
    units_df: pd.DataFrame,
    manual_df: pd.DataFrame | None = None,
    *,
    calendar: str | None = None,
    units: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Judge every target of ``plan`` for every unit it covers in ``period`` (pure).

    ``indicators_df``: tidy ``unit_id, scope, period, indicator, numerator, denominator, value``,
    optionally with a ``series`` column (see :attr:`Target.series`; rows without one are the
    default series: all fields, default denominators). ``units_df``: ``unit_id, name, level,
    parent_id``. ``manual_df``: ``unit_id, period, indicator, value[, source]``. ``calendar``
    (default the plan's) gives the period window used for validity. ``units`` restricts the rows
    to those unit ids. Returns :data:`COLUMNS`.
    """
    p = parse_period(period)
    cal = check_calendar(calendar or plan.calendar)
    first, last = p.window(cal)
    judged = plan_units(plan, units_df, units)
    parents = set(units_df["parent_id"].dropna())

    lookup: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    if indicators_df is not None and len(indicators_df):
        ind = indicators_df[indicators_df["period"].astype(str) == p.id]
        series = ind["series"] if "series" in ind.columns else pd.Series("", index=ind.index)
        for rec, s in zip(ind.to_dict("records"), series.fillna(""), strict=True):
            lookup[(str(s), rec["unit_id"], rec["scope"], rec["indicator"])] = rec
    manual: dict[tuple[str, str], dict[str, Any]] = {}
    if manual_df is not None and len(manual_df):
        man = manual_df[manual_df["period"].astype(str) == p.id]
        for rec in man.to_dict("records"):
            manual[(rec["unit_id"], rec["indicator"])] = rec

    below = subtree_levels(units_df)
    rows = []
    for unit in judged.to_dict("records"):
        uid, level = unit["unit_id"], unit["level"]
        for t in plan.targets:
            if uid in parents and t.scope == "own" and t.measure == "computed":
                rows.append(_headline_row(t, unit, p.id, lookup, below[uid] | {level},
                                          first, last))
            if level not in plan.all_levels:
                # a parent judged only for its headline (e.g. the province): a target about the
                # whole (scope: tree) is judged on its tree as well
                if t.scope == "tree" and t.measure == "computed" and uid in parents:
                    rows.append(_headline_row(t, unit, p.id, lookup, below[uid] | {level},
                                              first, last))
                continue
            if t.measure == "manual":
                data = manual.get((uid, t.indicator))
            else:
                data = lookup.get((t.series, uid, t.scope, t.indicator))
                if data is None and t.scope == "tree" and uid not in parents:
                    data = lookup.get((t.series, uid, "own", t.indicator))  # a leaf's tree = itself
            j = judge(t, data)
            if not t.applies_to(level, first, last):
                j = Judgement("not_applicable", j.value, j.numerator, j.denominator, None)
            rows.append({
                "unit_id": uid, "unit_name": unit.get("name"), "level": level, "scope": t.scope,
                "period": p.id, "target_id": t.id, "indicator": t.indicator, "label": _label(t),
                "value": j.value, "numerator": j.numerator, "denominator": j.denominator,
                "comparator": t.comparator, "threshold": t.threshold, "status": j.status,
                "gap_cases": j.gap_cases, "clause": t.clause, "text": t.text, "flag": t.flag,
            })
    out = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("numerator", "denominator", "gap_cases"):
        out[col] = out[col].astype("Int64")
    out["value"] = out["value"].astype("float64")
    out["threshold"] = out["threshold"].astype("float64")
    return out


def _headline_row(t: Target, unit: dict[str, Any], period_id: str,
                  lookup: dict[tuple[str, str, str, str], dict[str, Any]],
                  levels: set[str], first: date, last: date) -> dict[str, Any]:
    """A parent's tree value judged against the target's threshold: the headline figure of the
    unit and everything below it (e.g. the whole province). It applies when the target applies
    to any level in the subtree."""
    j = judge(t, lookup.get((t.series, unit["unit_id"], "tree", t.indicator)))
    if not any(t.applies_to(lv, first, last) for lv in levels):
        j = Judgement("not_applicable", j.value, j.numerator, j.denominator, None)
    return {
        "unit_id": unit["unit_id"], "unit_name": unit.get("name"), "level": unit["level"],
        "scope": "tree", "period": period_id, "target_id": t.id, "indicator": t.indicator,
        "label": _label(t), "value": j.value, "numerator": j.numerator,
        "denominator": j.denominator, "comparator": t.comparator, "threshold": t.threshold,
        "status": j.status, "gap_cases": j.gap_cases, "clause": t.clause, "text": t.text,
        "flag": t.flag,
    }


# ---------------------------------------------------------------- plumbing: what to compute
@dataclass
class IndicatorRequest:
    """One call of compute_indicators: a series key and its arguments."""

    series: str
    fields: list[str] | None
    variants: dict[str, str] | None
    indicators: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)


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
        req.scopes = ["own", "tree"]  # tree: parents' headline rows and scope: tree targets
    return list(out.values())


def compute_for_plan(con: Any, plan: Plan, period: Period | Sequence[Period], calendar: str,
                     units: Iterable[str] | None = None) -> pd.DataFrame:
    """Run every :func:`indicator_requests` call and stack the frames with a ``series`` column.

    ``period`` may be several periods (e.g. a trend): each call computes them all in one pass."""
    from scorecard.indicators import compute_indicators

    periods = [period] if isinstance(period, Period) else list(period)
    frames = []
    for req in indicator_requests(plan):
        df = compute_indicators(
            con, [q.id for q in periods], calendar, fields=req.fields,
            units=list(units) if units is not None else None, indicators=req.indicators,
            variants=req.variants, scopes=tuple(req.scopes),
        )
        frames.append(df.assign(series=req.series))
    if not frames:
        return pd.DataFrame(columns=["unit_id", "scope", "period", "indicator", "numerator",
                                     "denominator", "value", "series"])
    return pd.concat(frames, ignore_index=True)


def evaluate(
    plan: Plan | str | Path,
    period: str | Period,
    db: str | Path = DEFAULT_DB,
    *,
    calendar: str | None = None,
    units: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Evaluate ``plan`` (a Plan, a plan file or a plan_id) on the store ``db`` for ``period``.

    Opens the store read-only; ``calendar`` defaults to the plan's; ``units`` restricts the
    units judged (unknown ids raise :class:`EvaluateError`). Returns :data:`COLUMNS`.
    """
    from scorecard.store import reading

    pl = plan if isinstance(plan, Plan) else find_plan(plan)
    p = parse_period(period)
    cal = check_calendar(calendar or pl.calendar)
    with reading(db) as con:
        units_df = con.execute("SELECT unit_id, name, level, parent_id FROM units").df()
        judged = plan_units(pl, units_df, units)  # validates units and root_unit early
        manual_df = con.execute(
            "SELECT unit_id, period, indicator, value, source FROM manual WHERE period = ?",
            [p.id],
        ).df()
        ids = list(judged["unit_id"]) if (units is not None or pl.root_unit) else None
        indicators_df = compute_for_plan(con, pl, p, cal, ids)
    return evaluate_targets(pl, p, indicators_df, units_df, manual_df, calendar=cal, units=units)
