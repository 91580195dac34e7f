"""Plan targets on the plan-task indicators (task_on_time_rate, tasks_overdue), judged through
`evaluate` on a store loaded the way a user loads it (tests/task_fixtures.py), numbers by hand.

Calendar quarters, 2025; the district level ends 30/06/2025. Who leads a dated task, and what
the reports say (task_fixtures.py):

- D1, D2 (every department): T1 due 30/01; D1 done 20/01 (on time), D2 done 05/02 (late);
- P (the province stands for its office): T2 due 31/03, 30/06, 30/09, 31/12; 31/03 done 31/03;
- H1 (the district): T6 due 28/02, done 02/04 (late); T3 due 15/12 is past the district's end;
- X1 (a commune) leads no dated task: the task indicators do not apply to it.

At the end of 2025Q1 (31/03): on time D1 1/1, D2 0/1, P 1/1, H1 0/1 (T6 overdue); province tree
2/4, one overdue. At the end of 2025Q2 (30/06): P 1/2 (June's report overdue), H1 0/1 (T6 done
late, no longer overdue); province tree 2/5, one overdue. At 31/05: P 1/1 (June not yet due).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
import yaml

from scorecard.evaluate import evaluate, provider_requests
from scorecard.evaluate.compute import compute_for_plan
from scorecard.indicators import CATALOGUE, IndicatorError, compute_indicators
from scorecard.indicators.docs import DOC_PATH, render_markdown
from scorecard.periods import Window, parse_period
from scorecard.plans import PlanError, load_plan, plan_from_dict
from scorecard.store import connect_readonly
from tests.task_fixtures import PLAN, make_world

ALL_LEVELS = ["province", "department", "district", "commune"]


def T(id_, indicator, comparator, threshold, **kw):
    return {"id": id_, "indicator": indicator, "comparator": comparator, "threshold": threshold,
            "clause": "III.2", "text": "thực hiện đúng nội dung, tiến độ các nhiệm vụ", **kw}


TARGETS = [
    T("on_time", "task_on_time_rate", ">=", 1.0, levels=ALL_LEVELS),
    T("no_overdue", "tasks_overdue", "<=", 0, levels=ALL_LEVELS),
    T("tree_overdue", "tasks_overdue", "<=", 0, levels=["province", "district"], scope="tree"),
    T("by_may", "task_on_time_rate", ">=", 0.8, levels=ALL_LEVELS, judged="by_deadline",
      due="2025-05-31"),
    T("departments", "task_on_time_rate", ">=", 0.5, basis="level", levels=["department"]),
    {"id": "share", "basis": "share_of_units", "comparator": ">=", "threshold": 0.5,
     "levels": ["department", "district", "commune"], "clause": "III.2", "text": "t",
     "condition": {"indicator": "task_on_time_rate", "comparator": ">=", "threshold": 1.0}},
]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("task_targets")
    plan_file, db = make_world(tmp)
    plan_file.write_text(yaml.safe_dump({**PLAN, "targets": TARGETS}, allow_unicode=True),
                         encoding="utf-8")
    return load_plan(plan_file), db


@pytest.fixture(scope="module")
def q1(world):
    plan, db = world
    return evaluate(plan, "2025Q1", db)


@pytest.fixture(scope="module")
def q2(world):
    plan, db = world
    return evaluate(plan, "2025Q2", db)


def row(df, unit, target, scope="own", level=None):
    sel = df[(df.unit_id == unit) & (df.target_id == target) & (df.scope == scope)]
    if level is not None:
        sel = sel[sel.level == level]
    assert len(sel) == 1, (unit, target, scope, len(sel))
    return sel.iloc[0]


def figures(r) -> tuple:
    return (r.status, None if pd.isna(r.numerator) else int(r.numerator),
            None if pd.isna(r.denominator) else int(r.denominator),
            None if pd.isna(r.gap_cases) else int(r.gap_cases))


def test_on_time_rate_each_unit_at_the_end_of_the_first_quarter(q1):
    assert figures(row(q1, "D1", "on_time")) == ("pass", 1, 1, 0)
    assert figures(row(q1, "D2", "on_time")) == ("fail", 0, 1, 1)    # done 6 days late
    assert figures(row(q1, "P", "on_time")) == ("pass", 1, 1, 0)     # March report on 31/03
    assert figures(row(q1, "H1", "on_time")) == ("fail", 0, 1, 1)    # T6 overdue at 31/03
    x1 = row(q1, "X1", "on_time")
    assert x1.status == "not_applicable" and "không chủ trì nhiệm vụ" in x1.note
    assert x1.label == CATALOGUE["task_on_time_rate"].label_vi


def test_the_parents_pooled_rows_sum_their_subtree(q1, q2):
    # the target covers every level below the province with one window: judged on 2/4
    p = row(q1, "P", "on_time", scope="tree")
    assert figures(p) == ("fail", 2, 4, 2) and p.value == pytest.approx(0.5)
    assert figures(row(q1, "H1", "on_time", scope="tree")) == ("fail", 0, 1, 1)
    assert figures(row(q2, "P", "on_time", scope="tree")) == ("fail", 2, 5, 3)


def test_tasks_overdue_counts(q1, q2):
    assert figures(row(q1, "H1", "no_overdue")) == ("fail", 1, None, 1)
    assert row(q1, "H1", "no_overdue").value == 1.0
    assert figures(row(q1, "P", "no_overdue")) == ("pass", 0, None, 0)
    assert figures(row(q2, "P", "no_overdue")) == ("fail", 1, None, 1)   # June's report
    assert figures(row(q2, "H1", "no_overdue")) == ("pass", 0, None, 0)  # T6 done 02/04
    assert row(q2, "X1", "no_overdue").status == "not_applicable"


def test_a_tree_scope_target(q1, q2):
    assert figures(row(q1, "P", "tree_overdue", scope="tree")) == ("fail", 1, None, 1)
    assert figures(row(q1, "H1", "tree_overdue", scope="tree")) == ("fail", 1, None, 1)
    assert figures(row(q2, "H1", "tree_overdue", scope="tree")) == ("pass", 0, None, 0)
    assert figures(row(q2, "P", "tree_overdue", scope="tree")) == ("fail", 1, None, 1)


def test_by_deadline_in_progress_then_judged_at_the_due_date(q1, q2):
    # Q1: in progress with the value at 31/03
    p1 = row(q1, "P", "by_may")
    assert figures(p1) == ("in_progress", 1, 1, None)
    assert (str(p1.window_first), str(p1.window_last)) == ("2025-01-01", "2025-03-31")
    # Q2 holds 31/05: judged on the state at 31/05, not at the period's end (30/06), when
    # June's report was not yet due: P 1/1 passes although its Q2 figure is 1/2
    p2 = row(q2, "P", "by_may")
    assert figures(p2) == ("pass", 1, 1, 0)
    assert (str(p2.window_first), str(p2.window_last)) == ("2025-01-01", "2025-05-31")
    assert p2.note.startswith("Đánh giá theo hạn 31/05/2025")
    assert figures(row(q2, "D2", "by_may")) == ("fail", 0, 1, 1)
    assert figures(row(q2, "H1", "by_may")) == ("fail", 0, 1, 1)    # T6 done late, 02/04
    assert figures(row(q2, "P", "by_may", scope="tree")) == ("fail", 2, 4, 2)


def test_level_basis_pools_the_departments(q1):
    lv = row(q1, "P", "departments", scope="level")
    assert figures(lv) == ("pass", 1, 2, 0) and lv.level == "department"   # 50% >= 50%
    assert figures(row(q1, "D2", "departments", scope="member"))[:3] == ("not_applicable", 0, 1)


def test_share_of_units_leaves_out_units_the_indicator_does_not_apply_to(q1):
    dept = row(q1, "P", "share", scope="level", level="department")
    assert (dept.status, dept.units_met, dept.units_judged, dept.denominator) == ("pass", 1, 2, 2)
    dist = row(q1, "P", "share", scope="level", level="district")
    assert (dist.status, dist.units_met, dist.denominator) == ("fail", 0, 1)
    commune = row(q1, "P", "share", scope="level", level="commune")
    assert commune.status == "not_applicable" and "cấp xã" in commune.note
    assert row(q1, "X1", "share", scope="member").status == "not_applicable"


def test_the_provider_is_asked_only_for_the_spans_the_targets_read(world, monkeypatch):
    import scorecard.tasks.progress as progress

    plan, db = world
    calls = []
    real = progress.lead_task_indicators

    def spy(con, pl, spans, calendar, units=None):
        calls.append([s.id for s in spans])
        return real(con, pl, spans, calendar, units)

    monkeypatch.setattr(progress, "lead_task_indicators", spy)
    con = connect_readonly(db)
    try:
        df = compute_for_plan(con, plan, parse_period("2025Q2"), "calendar")
        assert calls == [["2025Q2", "2025-01-01..2025-05-31"]]  # one call, both spans
        assert set(df["indicator"]) == {"task_on_time_rate", "tasks_overdue"}
        pool = df[(df.scope == "level") & (df.period == "2025Q2")
                  & (df.indicator == "task_on_time_rate")]
        assert (int(pool.numerator.iloc[0]), int(pool.denominator.iloc[0])) == (1, 2)
        # a plan whose targets use no task indicator never asks for them
        calls.clear()
        other = plan_from_dict({**PLAN, "targets": [T("x", "on_time_rate", ">=", 0.9)]})
        assert provider_requests(other) == []
        compute_for_plan(con, other, parse_period("2025Q2"), "calendar")
        assert calls == []
    finally:
        con.close()


def test_task_indicators_over_a_window_take_its_last_day(world):
    from scorecard.tasks import task_indicators

    plan, db = world
    con = connect_readonly(db)
    try:
        df = task_indicators(con, plan, [Window(pd.Timestamp("2025-04-01").date(),
                                                pd.Timestamp("2025-05-31").date())])
    finally:
        con.close()
    p = df[(df.unit_id == "P") & (df.scope == "own") & (df.indicator == "task_on_time_rate")]
    assert p.period.iloc[0] == "2025-04-01..2025-05-31"
    # the first day changes nothing: March's report (due 31/03) still counts, June's is not due
    assert (int(p.numerator.iloc[0]), int(p.denominator.iloc[0])) == (1, 1)


def _plan_error(**target) -> str:
    with pytest.raises(PlanError) as exc:
        plan_from_dict({**PLAN, "targets": [target]})
    return str(exc.value)


def test_plan_file_errors_say_why():
    msg = _plan_error(**T("y", "task_on_time_rate", ">=", 1.0, window="ytd"))
    assert "targets[0].window" in msg and "scorecard.tasks.progress:lead_task_indicators" in msg
    assert "a year to date adds nothing" in msg and "leave window out" in msg
    msg = _plan_error(**T("f", "tasks_overdue", "<=", 0, fields=["dat_dai"]))
    assert "targets[0].fields" in msg and "knows no fields" in msg
    # the same rules reach a share-of-units condition
    msg = _plan_error(id="s", basis="share_of_units", comparator=">=", threshold=0.5,
                      clause="c", text="t", window="ytd",
                      condition={"indicator": "task_on_time_rate", "comparator": ">=",
                                 "threshold": 1})
    assert "targets[0].window" in msg


def test_a_provider_without_pools_or_deadlines_refuses_them(monkeypatch):
    ind = CATALOGUE["tasks_overdue"]
    narrow = dataclasses.replace(ind.computed_by, poolable=False, windows=("period",))
    monkeypatch.setitem(CATALOGUE, "tasks_overdue", dataclasses.replace(ind, computed_by=narrow))
    msg = _plan_error(**T("l", "tasks_overdue", "<=", 0, basis="level"))
    assert "targets[0].basis" in msg and "do not add up over units" in msg
    msg = _plan_error(**T("d", "tasks_overdue", "<=", 0, judged="by_deadline",
                          due="2025-06-30"))
    assert "targets[0].judged" in msg and "a cumulative window cannot apply" in msg


def test_a_plan_with_task_targets_and_no_register_is_refused(world, tmp_path, capsys):
    from scorecard.cli import main

    _, db = world
    lone = tmp_path / "khac.yaml"
    lone.write_text(yaml.safe_dump({**PLAN, "plan_id": "khac", "targets": TARGETS[:1]},
                                   allow_unicode=True), encoding="utf-8")
    assert main(["evaluate", "--plan", str(lone), "--period", "2025Q1", "--db", str(db)]) == 2
    assert "plan khac sets targets on task_on_time_rate/tasks_overdue but has no task " \
           "register (khac.tasks.yaml" in capsys.readouterr().err


def test_the_case_engine_refuses_task_indicators(world):
    _, db = world
    con = connect_readonly(db)
    try:
        with pytest.raises(IndicatorError, match="task_on_time_rate is computed by scorecard"):
            compute_indicators(con, ["2025Q1"], indicators=["task_on_time_rate"])
    finally:
        con.close()


def test_the_docs_page_shows_where_task_indicators_come_from():
    text = Path(DOC_PATH).read_text(encoding="utf-8")
    assert text == render_markdown(), "docs/indicators.md is stale: python -m scorecard.indicators.docs"
    section = text.split("## Chỉ số do mô-đun khác tính")[1].split("## Số đo cơ sở")[0]
    for iid in ("task_on_time_rate", "tasks_overdue"):
        assert f"| `{iid}` |" in section
    assert "`scorecard.tasks.progress:lead_task_indicators`" in section
    main_table = text.split("## Chỉ số / Indicators")[1].split("## Chỉ số do mô-đun")[0]
    assert "task_on_time_rate" not in main_table
