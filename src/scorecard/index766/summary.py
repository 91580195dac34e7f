"""Report helpers over a :func:`~scorecard.index766.compute_index766` frame (pure): the ranking
summary, the points lost per metric and the per-group "where the points went" table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scorecard.index766.profile import Profile, load_profile
from scorecard.index766.scoring import DEDUCTION, GROUP_ROW, TOTAL

#: Columns of :func:`points_breakdown` (contract for the reports and the index page).
BREAKDOWN_COLUMNS = [
    "unit_id", "scope", "period", "group", "group_label", "group_points", "group_max_points",
    "metric", "label", "source", "status", "numerator", "denominator", "rate", "points",
    "max_points", "points_lost", "basis",
]


def summarize_index766(df: pd.DataFrame, units: pd.DataFrame,
                       profile: str | Path | Profile = "portal-2024") -> pd.DataFrame:
    """One row per unit × period for reports: the total in the unit's ranking scope, its band
    and its rank among the units of the same level present in ``df``.

    Columns: unit_id, name, level, period, scope, points, max_points, no_data_points, band,
    band_confirmed, rank, units_ranked. A province's tree row is the province roll-up.
    """
    prof = load_profile(profile)
    tot = df[df["group"] == TOTAL].merge(
        units[["unit_id", "name", "level"]], on="unit_id", how="left")
    default = {"province": "tree", "district": "tree"}
    tot = tot[tot["scope"] == tot["level"].map(
        lambda lv: prof.rank_scope.get(lv, default.get(lv, "own")))].copy()
    tot["band"] = tot["points"].map(lambda x: prof.band(x).label)
    tot["band_confirmed"] = tot["points"].map(lambda x: prof.band(x).confirmed)
    grp = tot.groupby(["period", "level"])["points"]
    tot["rank"] = grp.rank(method="min", ascending=False).astype("int64")
    tot["units_ranked"] = grp.transform("size").astype("int64")
    cols = ["unit_id", "name", "level", "period", "scope", "points", "max_points",
            "no_data_points", "band", "band_confirmed", "rank", "units_ranked"]
    return tot[cols].sort_values(["period", "level", "rank", "unit_id"]).reset_index(drop=True)


def _metric_rows(df: pd.DataFrame, unit_id: str | None, scope: str | None) -> pd.DataFrame:
    m = df[~df["metric"].isin([GROUP_ROW, TOTAL]) & ~df["group"].isin([TOTAL, DEDUCTION])]
    if unit_id is not None:
        m = m[m["unit_id"] == unit_id]
    if scope is not None:
        m = m[m["scope"] == scope]
    return m.copy()


def points_lost(df: pd.DataFrame, *, unit_id: str | None = None, scope: str | None = None
                ) -> pd.DataFrame:
    """Metric rows with ``lost = max_points − points`` (all of it when ``no_data``), largest
    first: the biggest losses of a unit."""
    m = _metric_rows(df, unit_id, scope)
    m["lost"] = (m["max_points"] - m["points"].fillna(0.0)).round(2)
    return m.sort_values(["unit_id", "scope", "period", "lost"],
                         ascending=[True, True, True, False]).reset_index(drop=True)


def points_breakdown(df: pd.DataFrame, *, unit_id: str | None = None,
                     scope: str | None = None) -> pd.DataFrame:
    """Where the points went: one row per unit × scope × period × group × metric, every group
    and metric of the profile in its order (:data:`BREAKDOWN_COLUMNS`).

    ``points`` (NULL when there is no value), ``max_points``, ``points_lost`` = max − points (all
    of it without a value), ``rate`` with its ``numerator``/``denominator`` (NULL unless
    computed), ``source`` (``computed`` from the data, ``manual`` from the manual table — a manual
    metric, or a computed one whose column the unit's data does not carry — or ``none``: no value
    anywhere), ``status`` as in :func:`compute_index766`, ``basis`` of procedure metrics, and the
    group's label, points and maximum beside each metric.
    """
    m = _metric_rows(df, unit_id, scope)
    m["_order"] = range(len(m))
    groups = df.loc[df["metric"] == GROUP_ROW, ["unit_id", "scope", "period", "group", "label",
                                                "points", "max_points"]].rename(columns={
        "label": "group_label", "points": "group_points", "max_points": "group_max_points"})
    out = m.merge(groups, on=["unit_id", "scope", "period", "group"], how="left")
    out["points_lost"] = (out["max_points"] - out["points"].fillna(0.0)).round(2)
    out = out.sort_values(["unit_id", "scope", "period", "_order"])
    return out[BREAKDOWN_COLUMNS].reset_index(drop=True)
