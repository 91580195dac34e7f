"""Judging task occurrences and the task indicators, worked by hand on tests/task_fixtures.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from scorecard.plans import load_plan
from scorecard.store import connect_readonly
from scorecard.tasks.progress import TaskError, task_indicators, task_statuses
from tests.task_fixtures import UNITS_CSV, make_world


@pytest.fixture
def world(tmp_path: Path):
    plan_file, db = make_world(tmp_path)
    con = connect_readonly(db)
    yield load_plan(plan_file), con
    con.close()


def _rows(df: pd.DataFrame) -> dict[tuple, dict]:
    return {(r["task_id"], None if pd.isna(r["unit_id"]) else r["unit_id"], r["occurrence"]): r
            for r in df.to_dict("records")}


def _d(x) -> date | None:
    return None if pd.isna(x) else pd.Timestamp(x).date()


def test_each_status_at_the_end_of_the_first_quarter(world):
    plan, con = world
    df = task_statuses(con, plan, "2025Q1")
    got = {k: r["status"] for k, r in _rows(df).items()}
    assert got == {
        ("T1", "D1", ""): "done_on_time",      # done 20/01, due 30/01
        ("T1", "D2", ""): "done_late",         # done 05/02
        ("T2", "P", "2025-03"): "done_on_time",  # done on the due day 31/03
        ("T2", "P", "2025-06"): "not_due",
        ("T2", "P", "2025-09"): "not_due",
        ("T2", "P", "2025-12"): "not_due",
        ("T3", "H1", ""): "not_applicable",    # due 15/12, districts end 30/06/2025
        ("T4", "D2", ""): "continuous",        # only the so_tttt holder leads it
        ("T5", None, ""): "unassigned",        # no lead printed
        ("T6", "H1", ""): "overdue",           # due 28/02, done only on 02/04
    }
    rows = _rows(df)
    assert rows[("T1", "D2", "")]["days_late"] == 6
    assert rows[("T6", "H1", "")]["days_overdue"] == 31 and pd.isna(rows[("T6", "H1", "")]["done_on"])
    assert _d(rows[("T4", "D2", "")]["last_activity"]) == date(2025, 2, 1)
    assert rows[("T4", "D2", "")]["document"] == "Tin bài"
    assert rows[("T2", "P", "2025-03")]["due_in_period"]
    assert rows[("T1", "D1", "")]["due_in_period"]  # 30/01 is inside the first quarter
    assert not rows[("T2", "P", "2025-06")]["due_in_period"]
    assert list(df["task_id"]) == ["T1", "T1", "T2", "T2", "T2", "T2", "T3", "T4", "T5", "T6"]
    assert set(df["period"]) == {"2025Q1"}


def test_second_quarter_reports_done_after_the_first(world):
    plan, con = world
    rows = _rows(task_statuses(con, plan, "2025Q2"))
    t6 = rows[("T6", "H1", "")]
    assert (t6["status"], t6["days_late"], _d(t6["done_on"])) == ("done_late", 33, date(2025, 4, 2))
    june = rows[("T2", "P", "2025-06")]
    assert (june["status"], june["days_overdue"], june["due_in_period"]) == ("overdue", 0, True)
    t4 = rows[("T4", "D2", "")]
    assert (_d(t4["last_activity"]), t4["document"], t4["note"]) == (
        date(2025, 5, 10), "Video hướng dẫn", "quý II")


def test_third_quarter_counts_days_from_the_due_date(world):
    plan, con = world
    rows = _rows(task_statuses(con, plan, "2025Q3"))
    assert rows[("T2", "P", "2025-06")]["days_overdue"] == 92
    assert rows[("T2", "P", "2025-09")]["days_overdue"] == 0
    assert rows[("T3", "H1", "")]["status"] == "not_applicable"


def test_the_nd09_window_ends_on_the_14th(world):
    plan, con = world
    rows = _rows(task_statuses(con, plan, "2025Q1", calendar="nd09"))  # 15/12/2024-14/03/2025
    assert rows[("T2", "P", "2025-03")]["status"] == "not_due"   # done 31/03, after 14/03
    assert rows[("T6", "H1", "")]["days_overdue"] == 14
    assert rows[("T1", "D2", "")]["status"] == "done_late"


def test_one_units_listing_and_unknown_unit(world):
    plan, con = world
    df = task_statuses(con, plan, "2025Q1", unit="H1")
    assert list(zip(df["task_id"], df["status"], strict=True)) == [
        ("T3", "not_applicable"), ("T6", "overdue")]
    assert task_statuses(con, plan, "2025Q1", unit="X1").empty
    with pytest.raises(TaskError, match="unknown unit 'NOPE'"):
        task_statuses(con, plan, "2025Q1", unit="NOPE")


def _ind(df: pd.DataFrame, unit: str, scope: str, period: str, indicator: str) -> tuple:
    r = df[(df["unit_id"] == unit) & (df["scope"] == scope) & (df["period"] == period)
           & (df["indicator"] == indicator)]
    assert len(r) == 1, (unit, scope, period, indicator)
    rec = r.iloc[0]
    return (None if pd.isna(rec["numerator"]) else int(rec["numerator"]),
            None if pd.isna(rec["denominator"]) else int(rec["denominator"]),
            None if pd.isna(rec["value"]) else float(rec["value"]))


def test_task_indicators_own_and_tree(world):
    plan, con = world
    df = task_indicators(con, plan, ["2025Q1", "2025Q2"], "calendar")
    assert list(df.columns) == ["unit_id", "scope", "period", "indicator", "numerator",
                                "denominator", "value"]
    q1, q2 = "2025Q1", "2025Q2"
    assert _ind(df, "D1", "own", q1, "task_on_time_rate") == (1, 1, 1.0)
    assert _ind(df, "D2", "own", q1, "task_on_time_rate") == (0, 1, 0.0)
    assert _ind(df, "P", "own", q1, "task_on_time_rate") == (1, 1, 1.0)
    assert _ind(df, "H1", "own", q1, "task_on_time_rate") == (0, 1, 0.0)
    assert _ind(df, "H1", "own", q1, "tasks_overdue") == (1, None, 1.0)
    assert _ind(df, "X1", "own", q1, "task_on_time_rate") == (0, 0, None)   # nothing due
    assert _ind(df, "X1", "own", q1, "tasks_overdue") == (0, None, 0.0)
    # the province's tree: D1 + P on time, of D1, D2, P, H1 due; H1 overdue
    assert _ind(df, "P", "tree", q1, "task_on_time_rate") == (2, 4, 0.5)
    assert _ind(df, "P", "tree", q1, "tasks_overdue") == (1, None, 1.0)
    assert _ind(df, "H1", "tree", q1, "tasks_overdue") == (1, None, 1.0)
    # second quarter: June's report is overdue, T6 was done late
    assert _ind(df, "P", "own", q2, "task_on_time_rate") == (1, 2, 0.5)
    assert _ind(df, "P", "own", q2, "tasks_overdue") == (1, None, 1.0)
    assert _ind(df, "H1", "own", q2, "tasks_overdue") == (0, None, 0.0)
    assert _ind(df, "P", "tree", q2, "task_on_time_rate") == (2, 5, 0.4)
    # tree rows only for units with children
    assert set(df.loc[df["scope"] == "tree", "unit_id"]) == {"P", "H1"}
    only = task_indicators(con, plan, ["2025Q1"], None, units=["H1"])
    assert set(only["unit_id"]) == {"H1"} and len(only) == 4


def test_a_role_holder_takes_the_task_from_the_province(tmp_path: Path):
    units = UNITS_CSV.replace("D1,Sở Tư pháp,department,P,", "D1,Văn phòng,department,P,van_phong_ubnd")
    units = units.replace("so_tttt", "")
    plan_file, db = make_world(tmp_path, units_csv=units)
    con = connect_readonly(db)
    try:
        df = task_statuses(con, load_plan(plan_file), "2025Q1")
    finally:
        con.close()
    owners = {(t, u) for t, u in zip(df["task_id"], df["unit_id"], strict=True)}
    assert ("T2", "D1") in owners and ("T2", "P") not in owners
    # without a holder of so_tttt, T4 names no unit of the store
    assert df.loc[df["task_id"] == "T4", "status"].tolist() == ["unassigned"]


def test_a_plan_without_register(world, tmp_path: Path):
    plan, con = world
    other = plan.model_copy(update={"plan_id": "khac"})
    other._path = tmp_path / "elsewhere" / "khac.yaml"
    assert task_indicators(con, other, ["2025Q1"]).empty
    with pytest.raises(TaskError, match="plan khac has no task register"):
        task_statuses(con, other, "2025Q1")
