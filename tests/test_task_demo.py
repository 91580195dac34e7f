"""The demo province's task reports: roles the registers need, every status in 2025Q2."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scorecard.cli import main
from scorecard.config import DEFAULT_DEMO_PLAN
from scorecard.demo import build_world
from scorecard.demo.generate import _write_small_csv
from scorecard.plans import load_plan
from scorecard.store import connect_readonly
from scorecard.tasks.demo_data import build_task_status, with_roles
from scorecard.tasks.progress import task_statuses
from scorecard.tasks.register import load_registers, task_key_problem


def test_demo_task_reports_show_every_status(tmp_path: Path, capsys):
    units = build_world(2025).units
    status = build_task_status(units, 2025)
    # same seed, same rows; another seed, other rows
    pd.testing.assert_frame_equal(status, build_task_status(units, 2025))
    assert not status.equals(build_task_status(units, 7))
    regs = load_registers()
    problems = [task_key_problem(r["plan_id"], r["task_id"], r["occurrence"], regs)
                for r in status.to_dict("records")]
    assert problems == [None] * len(status)
    assert (status["done_on"] <= "2025-06-30").all()

    _write_small_csv(with_roles(units), tmp_path / "units.csv", bom=True)
    _write_small_csv(status, tmp_path / "task_status.csv")
    db = tmp_path / "demo.duckdb"
    assert main(["ingest", str(tmp_path / "units.csv"), str(tmp_path / "task_status.csv"),
                 "--db", str(db)]) == 0
    assert f"read {len(status)}, accepted {len(status)}, rejected 0" in capsys.readouterr().out
    con = connect_readonly(db)
    try:
        df = task_statuses(con, load_plan(DEFAULT_DEMO_PLAN), "2025Q2")
    finally:
        con.close()
    assert {"done_on_time", "done_late", "overdue", "not_due", "continuous",
            "not_applicable"} <= set(df["status"])
    # the province stands for its office; the Sở named by the register carry their roles
    assert set(df.loc[df["task_id"] == "I.2", "unit_id"]) == {"DEMO-TINH"}
    assert set(df.loc[df["task_id"] == "III.7", "unit_id"]) == {"DEMO-S13"}
    assert set(df.loc[df["task_id"] == "II.4", "unit_id"]) == {"DEMO-S14"}
    # districts owe nothing due after 30/06/2025
    late_district = df[(df["level"] == "district") & (df["due"] > "2025-06-30")]
    assert (late_district["status"] == "not_applicable").all() and len(late_district) > 0
    assert df["last_activity"].notna().any()
