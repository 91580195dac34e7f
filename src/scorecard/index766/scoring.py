"""Scoring: rates to rounded points, metric rows, groups and totals (pure) and the index over
the store (:func:`compute_index766`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from scorecard.errors import ScorecardError
from scorecard.index766.counts import PROCEDURE_COUNTS, index_counts
from scorecard.index766.profile import Metric, Profile, load_profile
from scorecard.periods import Period, parse_period

GROUP_ROW = "__group__"
TOTAL = "__total__"
DEDUCTION = "__deduction__"

#: The leading columns of :func:`compute_index766` (contract); more follow.
COLUMNS = ["unit_id", "scope", "period", "group", "metric", "numerator", "denominator", "rate",
           "points", "max_points"]
EXTRA_COLUMNS = ["label", "status", "basis", "no_data_points", "source"]

#: Where a metric row's value came from, by its status.
SOURCE_OF_STATUS = {"computed": "computed", "no_denominator": "computed", "manual": "manual",
                    "no_data": "none"}


class Index766Error(ScorecardError, ValueError):
    """An index computation that cannot proceed (unknown unit, invalid manual value)."""


# ---------------------------------------------------------------- points (pure)
def round_points(x: float, decimals: int = 2) -> float:
    """Round half up (away from zero for positives) to ``decimals``: 1.005 → 1.01, not 1.0."""
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def metric_points(rate: float, max_points: float, target: float | None = None,
                  decimals: int = 2) -> float:
    """Points of a rate: ``max·R`` or ``min(max, max·R/target)``, rounded to ``decimals``."""
    raw = max_points * rate if target is None else max_points * rate / target
    return round_points(min(max_points, max(0.0, raw)), decimals)


def score_metric(metric: Metric, numerator: int | None, denominator: int | None,
                 manual_value: float | None = None, decimals: int = 2, *,
                 carried: bool = True) -> tuple[float | None, float | None, str]:
    """``(rate, points, status)`` of one metric.

    status: ``computed`` | ``manual`` | ``no_denominator`` (rule applied, rate undefined) |
    ``no_data`` (no value: points None). A computed metric whose column the data does not carry
    (``carried`` False) with a non-zero denominator is scored from ``manual_value`` like a manual
    metric; with a zero denominator the zero-denominator rule applies as usual.
    """
    if metric.source == "manual" or (not carried and denominator):
        if manual_value is None:
            return None, None, "no_data"
        return manual_value, metric_points(manual_value, metric.max_points, metric.target,
                                           decimals), "manual"
    if not denominator:
        pts = metric.max_points if metric.if_no_denominator == "full" else 0.0
        return None, round_points(pts, decimals), "no_denominator"
    rate = (numerator or 0) / denominator
    return rate, metric_points(rate, metric.max_points, metric.target, decimals), "computed"


# ---------------------------------------------------------------- the index
def compute_index766(
    con: duckdb.DuckDBPyConnection,
    period: str | Period | Sequence[str | Period],
    profile: str | Path | Profile = "portal-2024",
    *,
    units: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The index for every unit (or ``units``) × scope (own, tree) × period.

    Returns :data:`COLUMNS` + :data:`EXTRA_COLUMNS`: one row per metric, one per group
    (``metric = '__group__'``), one total per unit × scope × period (``group = metric =
    '__total__'``) and, when the profile enables it, a technical-deduction row (``group =
    '__deduction__'``, negative points). Group and total points are sums of the rounded metric
    points (``no_data`` metrics add 0; ``no_data_points`` says how many points are out of reach).
    ``source`` (metric rows): ``computed`` | ``manual`` | ``none``; NULL on group/total rows.
    """
    prof = load_profile(profile)
    periods = [period] if isinstance(period, (str, Period)) else list(period)
    from scorecard.units import load_units

    all_units = load_units(con)
    wanted = None
    if units is not None:
        wanted = [str(u) for u in units]
        unknown = sorted(set(wanted) - set(all_units["unit_id"]))
        if unknown:
            raise Index766Error(f"unknown unit(s): {', '.join(unknown)}")
    frames = []
    for per in periods:
        p = parse_period(per)
        counts = index_counts(con, p, prof, all_units)
        if wanted is not None:
            counts = counts[counts["unit_id"].isin(wanted)]
        manual = _manual(con, p.id)
        frames.append(score_counts(counts, manual, prof, p.id))
    if not frames:
        return pd.DataFrame(columns=COLUMNS + EXTRA_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _manual(con: duckdb.DuckDBPyConnection, period_id: str) -> dict[tuple[str, str], float]:
    rows = con.execute(
        "SELECT unit_id, indicator, value FROM manual WHERE period = ?", [period_id]
    ).fetchall()
    return {(str(u), str(i)): float(v) for u, i, v in rows}


def _manual_rate(manual: dict[tuple[str, str], float], unit: str, metric: Metric,
                 period_id: str) -> float | None:
    value = manual.get((unit, metric.manual_key))
    if value is not None and not 0 <= value <= 1:
        raise Index766Error(
            f"manual value {value} for unit {unit}, period {period_id}, indicator "
            f"{metric.manual_key} is not a rate between 0 and 1")
    return value


def _metric_row(rec: dict[str, Any], m: Metric, manual: dict[tuple[str, str], float],
                period_id: str, decimals: int) -> dict[str, Any]:
    """One metric row (without the unit/scope/period key) from a counts record."""
    unit = rec["unit_id"]
    num = den = mv = basis = None
    carried = True
    if m.source == "computed":
        num, den = int(rec[m.numerator]), int(rec[m.denominator])
        if m.denominator in PROCEDURE_COUNTS:
            basis = rec["basis"]
        if m.carried_by is not None:
            carried = int(rec[m.carried_by]) > 0
    if m.source == "manual" or (not carried and den):
        mv = _manual_rate(manual, unit, m, period_id)
    rate, pts, status = score_metric(m, num, den, mv, decimals, carried=carried)
    source = SOURCE_OF_STATUS[status]
    if source != "computed":
        num = den = None
    return {"group": m.group, "metric": m.id, "numerator": num, "denominator": den,
            "rate": rate, "points": pts, "max_points": m.max_points, "label": m.label,
            "status": status, "basis": basis,
            "no_data_points": m.max_points if pts is None else 0.0, "source": source}


def score_counts(counts: pd.DataFrame, manual: dict[tuple[str, str], float], prof: Profile,
                 period_id: str) -> pd.DataFrame:
    """The index rows of one period from its counts (:func:`index_counts`) and manual rates
    (``(unit_id, indicator) -> value``); pure."""
    dec = prof.rounding
    rows: list[dict[str, Any]] = []
    for rec in counts.to_dict("records"):
        unit, scope = rec["unit_id"], rec["scope"]
        key = {"unit_id": unit, "scope": scope, "period": period_id}
        group_pts = {g.id: 0.0 for g in prof.groups}
        group_nodata = {g.id: 0.0 for g in prof.groups}
        for m in prof.metrics:
            r = _metric_row(rec, m, manual, period_id, dec)
            group_pts[m.group] += r["points"] or 0.0
            group_nodata[m.group] += r["no_data_points"]
            rows.append({**key, **r})
        total = 0.0
        for g in prof.groups:
            gp = round_points(group_pts[g.id], dec)
            total += gp
            rows.append({**key, "group": g.id, "metric": GROUP_ROW, "points": gp,
                         "max_points": g.max_points, "label": g.label, "status": "group",
                         "no_data_points": group_nodata[g.id]})
        if prof.deduction_enabled:
            d = manual.get((unit, prof.deduction_indicator))
            ded = round_points(min(max(d or 0.0, 0.0), prof.deduction_max), dec)
            total -= ded
            rows.append({**key, "group": DEDUCTION, "metric": prof.deduction_indicator,
                         "points": -ded, "max_points": 0.0, "label": "Trừ điểm kỹ thuật",
                         "status": "manual" if d is not None else "none",
                         "no_data_points": 0.0,
                         "source": "manual" if d is not None else "none"})
        rows.append({**key, "group": TOTAL, "metric": TOTAL,
                     "points": round_points(max(total, 0.0), dec), "max_points": prof.total_max,
                     "label": "Tổng điểm", "status": "total",
                     "no_data_points": sum(group_nodata.values())})
    df = pd.DataFrame(rows, columns=COLUMNS + EXTRA_COLUMNS)
    df["numerator"] = df["numerator"].astype("Int64")
    df["denominator"] = df["denominator"].astype("Int64")
    for col in ("rate", "points", "max_points", "no_data_points"):
        df[col] = df[col].astype("float64")
    return df
