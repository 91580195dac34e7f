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


# ---------------------------------------------------------------- what the index page adds
def test_plan_summary_carries_the_headline_note_window_and_the_plans_timing():
    from datetime import date
    from types import SimpleNamespace

    ev = _ev()
    ev = ev.assign(basis=ev["target_id"].map({"t_lvl": "level"}).fillna("unit"),
                   note=None, window_first=date(2025, 4, 1), window_last=date(2025, 6, 30))
    late = (ev["unit_id"] == "P") & (ev["target_id"] == "t_late")
    ev.loc[late, ["note", "window_first"]] = ["Chưa đến hạn 15/12/2025", date(2025, 1, 1)]
    lvl = (ev["scope"] == "level") & (ev["level"] == "commune")
    ev.loc[lvl, ["numerator", "denominator"]] = [3, 30]
    plan = SimpleNamespace(targets=[
        SimpleNamespace(id="t_late", judged="by_deadline", due=date(2025, 12, 15)),
        SimpleNamespace(id="t_unit", judged="each_period", due=None)])
    s, _ = plan_summary(ev, plan)
    s = s.set_index("target_id")
    assert s.loc["t_late", "status"] == "in_progress" and s.loc["t_late", "value"] == 0.5
    assert s.loc["t_late", "note"] == "Chưa đến hạn 15/12/2025"
    assert s.loc["t_late", "window_first"] == date(2025, 1, 1)
    assert (s.loc["t_late", "judged"], s.loc["t_late", "due"]) == ("by_deadline",
                                                                     date(2025, 12, 15))
    assert s.loc["t_unit", "judged"] == "each_period" and pd.isna(s.loc["t_unit", "due"])
    assert pd.isna(s.loc["t_lvl", "judged"])  # not in the plan given
    assert s.loc["t_lvl", "basis"] == "level" and s.loc["t_unit", "basis"] == "unit"
    # the commune level's pooled figure: 3 of 30 = 10%
    assert (s.loc["t_lvl", "commune:numerator"], s.loc["t_lvl", "commune:denominator"]) == (3, 30)
    assert pd.isna(s.loc["t_lvl", "district:numerator"])  # D's level row has no counts
    # without a plan the timing columns are empty
    s2, _ = plan_summary(ev)
    assert s2["judged"].isna().all() and s2["due"].isna().all()


def _listing(rows) -> pd.DataFrame:
    cols = ["unit_id", "unit_name", "level", "task_id", "group_title", "text", "lead",
            "deadline", "occurrence", "due", "status", "days_overdue"]
    df = pd.DataFrame(rows, columns=cols)
    df["due"] = pd.to_datetime(df["due"])
    return df


def test_unit_task_counts_are_the_task_indicators_counts():
    from scorecard.evaluate.tally import unit_task_counts

    # period ending 30/06/2025; A: on time (due 30/04), done early but due 31/08 (not yet owed),
    # done late (due 31/03), overdue (due 31/05), not due, continuous → on time 1 of 3 due,
    # 1 late, 1 overdue. B leads only a continuous task → 0 due. An unassigned row counts nowhere.
    tasks = _listing([
        ("A", "Sở A", "department", "T1", "", "", "", "", "", "2025-04-30", "done_on_time", None),
        ("A", "Sở A", "department", "T2", "", "", "", "", "", "2025-08-31", "done_on_time", None),
        ("A", "Sở A", "department", "T3", "", "", "", "", "", "2025-03-31", "done_late", None),
        ("A", "Sở A", "department", "T4", "", "", "", "", "", "2025-05-31", "overdue", 30),
        ("A", "Sở A", "department", "T5", "", "", "", "", "", "2025-09-30", "not_due", None),
        ("A", "Sở A", "department", "T6", "", "", "", "", "", None, "continuous", None),
        ("B", "Sở B", "department", "T6", "", "", "", "", "", None, "continuous", None),
        (None, None, None, "T7", "", "", "", "", "", "2025-05-31", "unassigned", None),
    ])
    c = unit_task_counts(tasks, "2025-06-30").set_index("unit_id")
    assert list(c.index) == ["A", "B"]
    assert c.loc["A"].tolist() == [1, 3, 1, 1]  # on_time, due, late, overdue
    assert c.loc["B"].tolist() == [0, 0, 0, 0]
    assert unit_task_counts(tasks.iloc[0:0], "2025-06-30").empty


def test_overdue_assignments_by_lead_unit_worst_first():
    from scorecard.evaluate.tally import OVERDUE_COLUMNS, overdue_assignments

    tasks = _listing([
        ("X", "Xã B", "commune", "T1", "", "a", "", "", "", "2025-05-21", "overdue", 40),
        ("X", "Xã B", "commune", "T2", "", "b", "", "", "", "2025-06-20", "overdue", 10),
        ("Y", "Xã A", "commune", "T1", "", "a", "", "", "", "2025-06-25", "overdue", 5),
        ("Y", "Xã A", "commune", "T3", "", "c", "", "", "", "2025-05-21", "overdue", 40),
        ("Z", "Sở Z", "department", "T4", "", "d", "", "", "", "2025-04-01", "overdue", 90),
        ("Z", "Sở Z", "department", "T5", "", "e", "", "", "", "2025-04-01", "done_late", None),
        (None, None, None, "T6", "", "f", "", "", "", "2025-04-01", "unassigned", None),
    ])
    o = overdue_assignments(tasks)
    assert list(o.columns) == OVERDUE_COLUMNS
    # X and Y: 2 overdue each, longest 40 days → by name (Xã A before Xã B); Z: 1 overdue
    assert list(zip(o["unit_id"], o["task_id"], strict=True)) == [
        ("Y", "T3"), ("Y", "T1"), ("X", "T1"),
        ("X", "T2"), ("Z", "T4")]
    assert o["unit_overdue"].tolist() == [2, 2, 2, 2, 1]
    assert overdue_assignments(tasks[tasks["status"] != "overdue"]).empty


def test_unit_lead_counts_count_flagged_leads_only():
    from scorecard.evaluate.tally import unit_lead_counts

    scores = pd.DataFrame({
        "lead": ["a", "b", "c", "a", "b"],
        "lead_label": ["Bổ sung sát hạn", "Nộp lại", "Hẹn trả", "Bổ sung sát hạn", "Nộp lại"],
        "unit_id": ["U1", "U1", "U1", "U2", "U2"],
        "cases_flagged": [25, 3, 40, 1, 0],
        "flagged": [True, False, True, False, False],
    })
    c = unit_lead_counts(scores).set_index("unit_id")
    assert c.loc["U1"].tolist() == [2, 65, "Bổ sung sát hạn; Hẹn trả"]
    assert c.loc["U2"].tolist() == [0, 0, ""]   # examined, nothing seen
    assert unit_lead_counts(scores.iloc[0:0]).empty


def test_index766_headline_uses_the_ranking_scope():
    from scorecard.evaluate.tally import index766_headline

    bd = pd.DataFrame({"unit_id": ["P", "P", "P", "P", "C"],
                       "scope": ["own", "own", "tree", "tree", "own"],
                       "metric": ["m1", "m2", "m1", "m2", "m1"],
                       "points": [0.0, 0.0, 5.0, 3.5, 6.0]})
    summary = pd.DataFrame({"unit_id": ["P", "C"], "scope": ["tree", "own"]})
    h = index766_headline(bd, summary, "P")
    assert h["points"].tolist() == [5.0, 3.5] and set(h["scope"]) == {"tree"}
    assert index766_headline(bd, summary, None).empty
    assert index766_headline(bd, summary, "X").empty


def test_late_list_months_newest_for_the_plan_else_none():
    from scorecard.evaluate.tally import late_list_months

    gens = pd.DataFrame({
        "month": ["2025-05", "2025-05", "2025-06"],
        "plan_id": ["other", "p1", None],
        "generated_at": pd.to_datetime(["2025-06-10 08:00", "2025-06-02 08:00",
                                        "2025-07-01 09:00"]),
        "units_listed": [3, 2, 4], "cases_late": [10, 9, 12],
        "html_file": ["o.html", "reports/2025-05/late-list.html", "x.html"],
        "xlsx_file": [None, None, None],
    })
    m = late_list_months(gens, ["2025-04", "2025-05", "2025-06"], "p1").set_index("month")
    assert m["produced"].tolist() == [False, True, True]
    assert m.loc["2025-05", "html_file"] == "reports/2025-05/late-list.html"  # the plan's own
    assert m.loc["2025-06", "units_listed"] == 4  # another plan's (or none's) when it is all
    assert pd.isna(m.loc["2025-04", "html_file"])
