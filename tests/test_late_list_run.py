"""Who produces the monthly lists: the late-list step of `scorecard run` (every complete month the
plan owes, once) and `scorecard demo` (the months of the period it renders).

The project (tests/late_list_fixtures.py): cases received 01/01–02/07/2025, so the data span the
calendar months January–June 2025; the plan (calendar quarters, valid 2025) sets the II.8 target.
On 02/12/2026 every month of 2025 has ended: January–June are owed, July–December are not
covered by the data. After a load reaching 01/08/2025, July is owed too.
"""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from scorecard.cli import main
from scorecard.evaluate import evaluate
from scorecard.late_list import generations
from scorecard.late_list.schedule import demo_lists, months_to_produce, reads_late_lists
from scorecard.plans import find_plan, load_plan
from scorecard.run import run_quarterly
from scorecard.runfile import load_run_file
from scorecard.store import reading
from tests.late_list_fixtures import CASES_HEADER, PLAN_ID, make_store, write_inputs, write_plan

TODAY = date(2026, 12, 2)
H1 = [f"2025-{m:02d}" for m in range(1, 7)]


def write_project(tmp: Path, *, reports: bool = False) -> Path:
    write_inputs(tmp / "drop")
    plan = write_plan(tmp / f"{PLAN_ID}.yaml")
    run_file = tmp / "run.yaml"
    run_file.write_text(textwrap.dedent(f"""\
        store: {tmp / "store.duckdb"}
        drop: {tmp / "drop"}
        plans: [{plan}]
        period: 2025Q2
        out: {tmp / "out"}
        outputs:
          reports: {str(reports).lower()}
          late_lists: true
          index766: false
          form06: false
        """), encoding="utf-8")
    return run_file


def _log(store: Path) -> list[tuple]:
    with reading(store) as con:
        g = generations(con)
    return sorted(zip(g["month"], g["calendar"], g["issuer_unit_id"], g["plan_id"], strict=True))


def test_run_produces_every_owed_month_once(tmp_path: Path, capsys) -> None:
    run_file = write_project(tmp_path)
    rf = load_run_file(run_file)
    first = run_quarterly(rf, today=TODAY)
    (step,) = first.steps
    assert (step.name, step.status) == (f"late-list {PLAN_ID}", "ok")
    assert step.detail == ("6 list(s) produced (2025-01, 2025-02, 2025-03, 2025-04, 2025-05, "
                           "2025-06); 6 not covered by the data (2025-07 … 2025-12) (calendar)")
    assert step.outputs == [f"{PLAN_ID}/{m}/late-list.html" for m in H1]
    for m in H1:
        assert (tmp_path / "out" / PLAN_ID / m / "late-list.xlsx").is_file()
    assert _log(rf.store) == [(m, "calendar", "P", PLAN_ID) for m in H1]
    assert first.exit_code == 0 and not first.nothing_new

    # a second run: nothing owed, nothing produced, and it says so
    second = run_quarterly(rf, today=TODAY)
    (step,) = second.steps
    assert step.status == "unchanged"
    assert step.detail == ("nothing to produce: 6 produced before (2025-01 … 2025-06); "
                           "6 not covered by the data (2025-07 … 2025-12)")
    assert second.nothing_new and len(_log(rf.store)) == 6
    capsys.readouterr()
    assert main(["run", str(run_file)]) == 0
    out = capsys.readouterr().out
    assert "nothing new since the run of" in out and "nothing done" in out
    assert out.rstrip().endswith(f"{'late-list ' + PLAN_ID:<26} nothing to produce: 6 produced before "
                                 "(2025-01 … 2025-06); 6 not covered by the data (2025-07 … "
                                 "2025-12)")
    assert len(_log(rf.store)) == 6

    # a load reaching 01/08/2025 covers July: the next run produces July only
    (tmp_path / "drop" / "july.csv").write_text(
        CASES_HEADER + "c5,H,PR1,2025-08-01 08:00,2025-08-08 17:00,,pending,online,false\n",
        encoding="utf-8")
    third = run_quarterly(rf, today=TODAY)
    assert [s.status for s in third.steps] == ["ok"]
    assert third.steps[0].detail.startswith("1 list(s) produced (2025-07); 6 produced before")
    assert [m for m, *_ in _log(rf.store)] == [*H1, "2025-07"]


def test_the_owed_months_on_a_given_day(tmp_path: Path) -> None:
    db = make_store(tmp_path)
    plan = load_plan(write_plan(tmp_path / f"{PLAN_ID}.yaml"))
    with reading(db) as con:
        # on 30/06/2025 June has not ended yet (its last day is not before today)
        owed = months_to_produce(con, plan, today=date(2025, 6, 30))
        assert [m.id for m in owed.owed] == H1[:5] and owed.listed == []
        assert owed.issuer_unit_id == "P"
        # under nd09 the plan's months run 15/12/2024–14/01/2025 …: the data (from 01/01/2025)
        # do not span January's nd09 month, and June's (15/05–14/06) has ended on 15/06
        nd09 = plan.model_copy(update={"calendar": "nd09"})
        owed = months_to_produce(con, nd09, today=date(2025, 6, 15))
        assert [m.id for m in owed.owed] == ["2025-02", "2025-03", "2025-04", "2025-05",
                                             "2025-06"]
        assert [m.id for m in owed.uncovered] == ["2025-01"]


def test_the_reports_step_reads_the_lists_as_an_input(tmp_path: Path) -> None:
    """A render step's inputs carry the months listed, so a list produced later re-renders the
    reports that judge II.8 on it (planned only here: nothing is rendered)."""
    from scorecard.run import _late_list_steps, _late_lists, _planned_steps

    rf = load_run_file(write_project(tmp_path, reports=True))
    make_store(tmp_path)  # the store the run file names
    (before,) = _planned_steps(rf, rf.period, TODAY, {})
    assert before.name == f"render {PLAN_ID} 2025Q2" and before.inputs["late_lists"] == []
    (lists,) = _late_list_steps(rf, TODAY)
    assert lists.inputs["months"] == H1
    assert _late_lists(rf, lists).status == "ok"
    (after,) = _planned_steps(rf, rf.period, TODAY, {})
    assert after.inputs["late_lists"] == H1
    # a plan without a target on the list has no such input and no late-list step
    other = find_plan("bac-ninh-2021")
    assert not reads_late_lists(other) and reads_late_lists(find_plan("bac-giang-2025"))


def test_a_run_file_may_turn_the_lists_off(tmp_path: Path) -> None:
    run_file = write_project(tmp_path)
    run_file.write_text(run_file.read_text(encoding="utf-8").replace(
        "late_lists: true", "late_lists: false"), encoding="utf-8")
    rf = load_run_file(run_file)
    assert rf.late_lists is False
    res = run_quarterly(rf, today=TODAY)
    assert res.steps == [] and _log(rf.store) == []


def test_the_demo_produces_the_lists_its_period_needs(tmp_path: Path) -> None:
    """`scorecard demo` produces, before rendering, the lists of the months of the period it
    renders, so the report shows II.8 computed (here on the small store: 2025Q2 passes)."""
    db = make_store(tmp_path)
    plan = load_plan(write_plan(tmp_path / f"{PLAN_ID}.yaml"))
    made = demo_lists(db, plan, "2025Q2", reports_dir=tmp_path / "reports")
    assert [x.late.month.id for x in made] == ["2025-04", "2025-05", "2025-06"]
    page = made[-1].html.read_text(encoding="utf-8")
    assert 'href="../2025Q2/index.html"' in page  # the quarter's reports come next
    df = evaluate(plan, "2025Q2", db)
    p = df[(df.unit_id == "P") & (df.target_id == "monthly") & (df.scope == "own")].iloc[0]
    assert (p.status, int(p.numerator), int(p.denominator)) == ("pass", 3, 3)


@pytest.mark.parametrize(("period", "months"), [("2025Q2", ["2025-04", "2025-05", "2025-06"]),
                                                 ("2025Q1", ["2025-01", "2025-02", "2025-03"])])
def test_the_demo_plan_lists_the_nd09_months_of_its_period(period, months) -> None:
    from scorecard.late_list.schedule import months_of_period

    plan = find_plan("bac-giang-2025")
    assert plan.calendar == "nd09"
    got = months_of_period(plan, period)
    assert [m.id for m in got] == months
    # nd09 2025Q2 ends on 14/06: its last month is June's nd09 month, 15/05–14/06
    assert got[-1].window("nd09")[1].day == 14
