"""One reading of "Trước <ngày>" per plan, for its targets and its task register, and what it
decides: a Bắc Giang 2025 year-end target and the task row stating it, through `scorecard
evaluate` and `scorecard tasks` on a store loaded with `scorecard ingest`, dates worked by hand.

Bắc Giang 2025 reports on the NĐ 09 calendar (2025Q4 = 15/09–14/12/2025, the year 2025 =
15/12/2024–14/12/2025, 2026Q1 = 15/12/2025–14/03/2026). Its appendix row III.2 asks "Bảo đảm trên
95% hồ sơ … trước và đúng hạn" "Trước 15/12/2025"; the plan reads it as before 15/12
(``named_day_is_last_day: false``): due 14/12/2025, for the target ``on_time`` and the task III.2.

The store: department D1 resolves 19 cases on time from January to September, one late in
November and one on time on 15/12/2025; D1 reports III.2 done on 14/12/2025, D2 on 15/12/2025.

===============================  ======================================  ======================
                                 the plan's reading (due 14/12/2025)     the default (15/12)
===============================  ======================================  ======================
on_time, D1, 2025Q3              in progress, 18/18 to 14/09             in progress, 18/18
on_time, D1, 2025Q4 / year 2025  judged on 15/12/2024–14/12/2025:        in progress, 19/20
                                 19/20 = 95% is not above 95%: fail,
                                 one case short
on_time, D1, 2026Q1              judged as above (fail, 19/20)           judged to 15/12/2025:
                                                                         20/21 = 95.2%: pass
III.2 at 14/12/2025 (Q4, year)   D1 done on time; D2 overdue (0 days)    D1 done on time; D2
                                                                         not due
III.2 at 14/03/2026 (2026Q1)     D2 done late by 1 day                   D2 done on time
===============================  ======================================  ======================
"""

from __future__ import annotations

import io
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from scorecard.cli import main
from scorecard.config import PLANS_DIR
from scorecard.plans import find_plan
from scorecard.tasks.register import find_register

PLAN_ID = "bac-giang-2025"

UNITS = """unit_id,name,level,parent_id
P,Tỉnh Bắc Giang,province,
D1,Sở Tư pháp,department,P
D2,Sở Nội vụ,department,P
"""

PROCEDURES = """procedure_id,name,field,online_service,has_fee,payment_integrated,at_one_stop,four_on_spot,has_sample_dossier,e_process_configured
1.001,Chứng thực bản sao,chung_thuc,full,false,false,true,false,true,true
"""

STATUS = """plan_id,task_id,unit_id,occurrence,done_on,document,note
bac-giang-2025,III.2,D1,,2025-12-14,12/BC-STP,
bac-giang-2025,III.2,D2,,2025-12-15,30/BC-SNV,
"""


def _cases() -> str:
    rows = ["case_id,unit_id,procedure_id,received_at,due_at,resolved_at,status,channel"]
    # 19 on time: received every other Monday from 06/01/2025, due 10 days later, resolved after
    # 3 days; the 19th is received 15/09 and resolved 18/09 (nd09 2025Q4), the 18 before it by
    # 04/09 (2025Q3)
    for i in range(19):
        received = date(2025, 1, 6) + timedelta(days=14 * i)
        rows.append(f"ok{i:02d},D1,1.001,{received} 08:00,{received + timedelta(days=10)} 17:00,"
                    f"{received + timedelta(days=3)} 10:00,resolved,direct")
    rows.append("late,D1,1.001,2025-11-03 08:00,2025-11-10 17:00,2025-11-20 10:00,resolved,direct")
    rows.append("d1512,D1,1.001,2025-12-08 08:00,2025-12-19 17:00,2025-12-15 10:00,resolved,"
                "direct")
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("deadline_readings")
    files = {"units.csv": UNITS, "procedures.csv": PROCEDURES, "cases.csv": _cases(),
             "task_status.csv": STATUS}
    for name, text in files.items():
        (tmp / name).write_text(text, encoding="utf-8")
    db = tmp / "store.duckdb"
    assert main(["ingest", *(str(tmp / n) for n in files), "--db", str(db)]) == 0
    return db


@pytest.fixture(scope="module")
def default_reading(tmp_path_factory) -> Path:
    """The shipped plan and register with the other reading: ``named_day_is_last_day: true``
    and the register's pinned "Trước …" dates left to the parser."""
    folder = tmp_path_factory.mktemp("default_reading") / "plans"
    folder.mkdir()
    plan_text = (PLANS_DIR / f"{PLAN_ID}.yaml").read_text(encoding="utf-8")
    assert plan_text.count("named_day_is_last_day: false\n") == 1
    (folder / f"{PLAN_ID}.yaml").write_text(
        plan_text.replace("named_day_is_last_day: false\n", "named_day_is_last_day: true\n"),
        encoding="utf-8")
    register = (PLANS_DIR / f"{PLAN_ID}.tasks.yaml").read_text(encoding="utf-8")
    unpinned, n = re.subn(r'(printed: "Trước[^"]*", kind: date), due: \d{4}-\d{2}-\d{2}\}',
                          r"\1}", register)
    assert n == 11  # I.1, II.3.1, III.4.2 and the eight "Trước 15/12/2025" rows
    (folder / f"{PLAN_ID}.tasks.yaml").write_text(unpinned, encoding="utf-8")
    return folder / f"{PLAN_ID}.yaml"


def _evaluate(capsys, plan: str | Path, period: str, db: Path) -> pd.DataFrame:
    capsys.readouterr()
    assert main(["evaluate", "--plan", str(plan), "--period", period, "--unit", "D1",
                 "--format", "csv", "--db", str(db)]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str, keep_default_na=False)
    return df[(df["target_id"] == "on_time") & (df["scope"] == "own")]


def _on_time(capsys, plan, period, db) -> tuple[str, str, str, str, str, str]:
    df = _evaluate(capsys, plan, period, db)
    assert len(df) == 1, df
    r = df.iloc[0]
    return (r["status"], r["numerator"], r["denominator"], r["gap_cases"], r["window_first"],
            r["window_last"])


def _task_rows(capsys, plan, period, db) -> dict[str, tuple[str, str, str, str, str]]:
    capsys.readouterr()
    assert main(["tasks", "--plan", str(plan), "--period", period, "--format", "csv",
                 "--db", str(db)]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str, keep_default_na=False)
    rows = df[df["task_id"] == "III.2"]
    return {r.unit_id: (r.due, r.status, r.done_on, r.days_late, r.days_overdue)
            for r in rows.itertuples()}


def test_the_plan_and_its_register_read_trước_15_12_alike():
    plan = find_plan(PLAN_ID)
    register = find_register(plan)
    assert plan.named_day_is_last_day is False and register.named_day_is_last_day is False
    assert plan.target("on_time").due == register.task("III.2").parsed.due == date(2025, 12, 14)


def test_a_year_end_target_is_judged_in_the_plans_q4_and_annual_reports(store, capsys):
    plan = PLANS_DIR / f"{PLAN_ID}.yaml"
    # Q3: in progress on the value to date (15/12/2024–14/09/2025): 18 on time of 18
    assert _on_time(capsys, plan, "2025Q3", store) == (
        "in_progress", "18", "18", "", "2024-12-15", "2025-09-14")
    # Q4 and the year 2025 contain 14/12/2025: judged on 15/12/2024–14/12/2025, 19/20 = 95% is
    # not above 95%: fail, one more on-time case needed (20/21 = 95.2%)
    judged = ("fail", "19", "20", "1", "2024-12-15", "2025-12-14")
    assert _on_time(capsys, plan, "2025Q4", store) == judged
    assert _on_time(capsys, plan, "2025", store) == judged
    # later periods keep the verdict of the due date: the case of 15/12 does not count
    assert _on_time(capsys, plan, "2026Q1", store) == judged


def test_the_task_row_stating_it_at_the_same_period_ends(store, capsys):
    plan = PLANS_DIR / f"{PLAN_ID}.yaml"
    at_year_end = {"D1": ("2025-12-14", "done_on_time", "2025-12-14", "", ""),
                   "D2": ("2025-12-14", "overdue", "", "", "0")}
    assert _task_rows(capsys, plan, "2025Q4", store) == at_year_end
    assert _task_rows(capsys, plan, "2025", store) == at_year_end
    # D2's report of 15/12/2025 counts from 2026Q1 on: done one day late
    assert _task_rows(capsys, plan, "2026Q1", store)["D2"] == (
        "2025-12-14", "done_late", "2025-12-15", "1", "")


def test_the_other_reading_moves_the_verdict_to_2026q1(store, default_reading, capsys):
    # due 15/12/2025: the first day of nd09 2026Q1; the plan's own Q4 and annual reports show
    # the target in progress (19/20 to date), 2026Q1 judges it on 15/12/2024–15/12/2025: 20/21
    in_progress = ("in_progress", "19", "20", "", "2024-12-15", "2025-12-14")
    assert _on_time(capsys, default_reading, "2025Q4", store) == in_progress
    assert _on_time(capsys, default_reading, "2025", store) == in_progress
    assert _on_time(capsys, default_reading, "2026Q1", store) == (
        "pass", "20", "21", "0", "2024-12-15", "2025-12-15")
    # the task: not yet due at 14/12; D2's report of 15/12 is on time
    assert _task_rows(capsys, default_reading, "2025Q4", store) == {
        "D1": ("2025-12-15", "done_on_time", "2025-12-14", "", ""),
        "D2": ("2025-12-15", "not_due", "", "", "")}
    assert _task_rows(capsys, default_reading, "2026Q1", store)["D2"] == (
        "2025-12-15", "done_on_time", "2025-12-15", "", "")


def test_flipping_the_reading_without_the_registers_pinned_dates_fails_naming_them(
        store, tmp_path, capsys):
    for name in (f"{PLAN_ID}.yaml", f"{PLAN_ID}.tasks.yaml"):
        shutil.copy(PLANS_DIR / name, tmp_path / name)
    plan_file = tmp_path / f"{PLAN_ID}.yaml"
    plan_file.write_text(plan_file.read_text(encoding="utf-8").replace(
        "named_day_is_last_day: false\n", "named_day_is_last_day: true\n"), encoding="utf-8")
    capsys.readouterr()
    code = main(["tasks", "--plan", str(plan_file), "--period", "2025Q4", "--db", str(store)])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "scorecard tasks: bac-giang-2025.tasks.yaml: tasks[0].deadline.due: datetime.date(2025, 1, "
        "29), but 'Trước ngày 30/01/2025' reads as datetime.date(2025, 1, 30)\n"), err
