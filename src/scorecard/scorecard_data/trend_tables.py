"""Section 2 of a report: the unit's rate targets over the last quarters."""

from __future__ import annotations

import pandas as pd

from scorecard.periods import parse_period
from scorecard.report.format import fmt_pct, indicator_kind
from scorecard.scorecard_data.target_tables import headline_targets, own_targets
from scorecard.scorecard_data.unit import UnitReport

#: Columns of :func:`trend_frame`.
TREND_COLUMNS = ["series", "period", "period_label", "value", "target_id", "threshold",
                 "comparator", "status"]


def trend_frame(rep: UnitReport) -> pd.DataFrame:
    """Values of the unit's rate targets over the trend periods (series = target label), with
    each period's threshold, comparator and status: a parent's whole-tree rows, a leaf's own
    rows; targets judged (pass or fail) in this period, plan order."""
    return rep.memo("trend", lambda: _trend_frame(rep))


def _trend_frame(rep: UnitReport) -> pd.DataFrame:
    t = rep.trend
    if t.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    if rep.is_parent and "scope" in t.columns:
        t, cur = t[t["scope"] == "tree"], headline_targets(rep)
    else:
        t = t[t["scope"].isin(("own", "tree"))] if "scope" in t.columns else t
        cur = own_targets(rep)
    rates = [tid for tid, ind in zip(cur["target_id"], cur["indicator"], strict=True)
             if indicator_kind(ind) == "rate"]
    judged = set(cur.loc[cur["status"].isin(["pass", "fail"]), "target_id"])
    t = t[t["target_id"].isin([x for x in rates if x in judged])]
    order = {tid: i for i, tid in enumerate(cur["target_id"])}
    out = t.assign(series=t["label"],
                   period_label=t["period"].map(lambda x: parse_period(x).label_vi()),
                   _o=t["target_id"].map(order))
    return out.sort_values(["_o", "period"])[TREND_COLUMNS].reset_index(drop=True)


def trend_table(rep: UnitReport) -> pd.DataFrame:
    """The same trend as a table: one row per target, one column per period."""
    tf = trend_frame(rep)
    if tf.empty:
        return pd.DataFrame()
    periods = rep.meta["trend_periods"]
    wide = tf.pivot_table(index="series", columns="period", values="value", aggfunc="first",
                          sort=False).reindex(columns=periods)
    out = pd.DataFrame({"Chỉ tiêu": wide.index})
    for p in periods:
        out[parse_period(p).label_vi()] = [fmt_pct(v) for v in wide[p]]
    return out
