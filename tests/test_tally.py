"""Which evaluation rows count for a unit, with the new scopes: level rows count for the head,
member and tally rows never do; the summary reads level verdicts and tallies."""

from __future__ import annotations

import pandas as pd

from scorecard.evaluate.tally import (
    counted_rows,
    headline_unit,
    level_totals,
    plan_summary,
    status_matrix,
)


def _ev() -> pd.DataFrame:
    """Province P heads a plan for districts D and communes C1, C2.

    t_unit: judged per unit, one threshold for both levels → P and D have pooled (tree) rows;
    t_comm: communes only, D's pooled figure holds D's own cases → a tally at D, none judged;
    t_lvl: basis level for communes and districts → P has two level rows, units are members;
    t_late: by deadline, in progress everywhere.
    """
    rows = [
        # unit, level, scope, target, status, value, units_met, units_judged
        ("P", "province", "tree", "t_unit", "fail", 0.9, None, None),
        ("D", "district", "tree", "t_unit", "pass", 0.97, None, None),
        ("D", "district", "own", "t_unit", "pass", 0.98, None, None),
        ("C1", "commune", "own", "t_unit", "fail", 0.8, None, None),
        ("C2", "commune", "own", "t_unit", "pass", 1.0, None, None),
        ("P", "commune", "tally", "t_comm", "not_applicable", None, 1, 2),
        ("D", "commune", "tally", "t_comm", "not_applicable", None, 1, 2),
        ("D", "district", "own", "t_comm", "not_applicable", None, None, None),
        ("C1", "commune", "own", "t_comm", "fail", 0.2, None, None),
        ("C2", "commune", "own", "t_comm", "pass", 0.5, None, None),
        ("P", "district", "level", "t_lvl", "pass", 0.6, None, None),
        ("P", "commune", "level", "t_lvl", "fail", 0.1, None, None),
        ("D", "district", "member", "t_lvl", "not_applicable", 0.6, None, None),
        ("C1", "commune", "member", "t_lvl", "not_applicable", 0.0, None, None),
        ("C2", "commune", "member", "t_lvl", "not_applicable", 0.2, None, None),
        ("P", "province", "tree", "t_late", "in_progress", 0.5, None, None),
        ("D", "district", "tree", "t_late", "in_progress", 0.5, None, None),
        ("D", "district", "own", "t_late", "in_progress", 0.5, None, None),
        ("C1", "commune", "own", "t_late", "in_progress", 0.5, None, None),
        ("C2", "commune", "own", "t_late", "no_data", None, None, None),
    ]
    df = pd.DataFrame(rows, columns=["unit_id", "level", "scope", "target_id", "status", "value",
                                     "units_met", "units_judged"])
    names = {"P": "Tỉnh", "D": "Huyện", "C1": "Xã 1", "C2": "Xã 2"}
    return df.assign(unit_name=df["unit_id"].map(names), label=df["target_id"], clause="1",
                     indicator="on_time_rate", comparator=">=", threshold=0.95,
                     numerator=None, denominator=None)


def test_counted_rows_with_level_member_and_tally_rows():
    c = counted_rows(_ev())
    got = {(u, t, sc) for u, t, sc in zip(c.unit_id, c.target_id, c.scope, strict=True)}
    assert ("P", "t_lvl", "level") in got                      # the head's level verdicts
    assert not (set(c.scope) & {"member", "tally"})            # never a unit's verdict
    assert ("D", "t_unit", "own") in got and ("D", "t_unit", "tree") not in got
    assert ("P", "t_unit", "tree") in got
    assert not any(u == "P" and t == "t_comm" for u, t, _ in got)   # tallied: no verdict


def test_status_matrix_combines_level_rows_and_uses_each_units_own_level():
    m = status_matrix(_ev()).set_index("unit_id")
    assert m.loc["P", "level"] == "province"
    assert m.loc["P", "t_lvl"] == "fail"          # district level passed, communes failed
    assert pd.isna(m.loc["P", "t_comm"]) and pd.isna(m.loc["C1", "t_lvl"])
    assert m.loc["C1", "t_late"] == "in_progress"
    assert (m.loc["P", "passed"], m.loc["P", "judged"]) == (0, 2)   # t_unit fail, t_lvl fail
    assert (m.loc["C2", "passed"], m.loc["C2", "judged"]) == (2, 2)


def test_level_totals_count_in_progress():
    t = level_totals(_ev()).set_index(["level", "target_id"])
    assert list(t.columns) == ["pass", "fail", "in_progress", "no_data", "not_applicable"]
    assert t.loc[("commune", "t_late"), "in_progress"] == 1
    assert t.loc[("commune", "t_late"), "no_data"] == 1
    assert t.loc[("commune", "t_lvl"), "fail"] == 1      # the commune level's own verdict


def test_headline_and_summary_read_level_verdicts_and_tallies():
    ev = _ev()
    assert headline_unit(ev) == "P"
    s, info = plan_summary(ev)
    assert info["unit_id"] == "P" and info["levels"] == ["district", "commune"]
    s = s.set_index("target_id")
    assert (s.loc["t_unit", "status"], s.loc["t_unit", "head_scope"]) == ("fail", "tree")
    assert pd.isna(s.loc["t_comm", "status"]) and s.loc["t_comm", "head_scope"] == "tally"
    assert (s.loc["t_comm", "commune:units_met"], s.loc["t_comm", "commune:units_judged"]) == (
        1, 2)
    assert (s.loc["t_comm", "commune:pass"], s.loc["t_comm", "commune:judged"]) == (1, 2)
    assert s.loc["t_lvl", "head_scope"] == "level" and s.loc["t_lvl", "status"] == "fail"
    assert s.loc["t_lvl", "district:verdict"] == "pass"
    assert s.loc["t_lvl", "commune:verdict"] == "fail" and s.loc["t_lvl", "commune:value"] == 0.1
    assert s.loc["t_lvl", "commune:units"] == 0          # members are not counted as verdicts
    assert s.loc["t_late", "commune:in_progress"] == 1


def test_a_head_with_only_level_rows_is_still_the_headline():
    ev = _ev()
    ev = ev[ev["target_id"] == "t_lvl"]
    assert headline_unit(ev) == "P"
    m = status_matrix(ev).set_index("unit_id")
    assert m.loc["P", "level"] == "province" and m.loc["P", "t_lvl"] == "fail"
