"""task_status rows checked against the plans' task registers at ingest (issue 10.2), as a user
loads them: `scorecard ingest … --plans DIR`; the register is tests/task_fixtures.py's (T1 one
due date, T2 recurring 2025-03/06/09/12, T4 continuous)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from scorecard.cli import main
from scorecard.reasons import reason_vi
from tests.task_fixtures import make_world

BAD_ROWS = """plan_id,task_id,unit_id,occurrence,done_on,document,note
thu-nghiem,T1,D1,,2025-01-20,12/KH-STP,
khong-co,T1,D1,,2025-01-20,1/KH,
thu-nghiem,T9,D1,,2025-01-20,2/KH,
thu-nghiem,T2,P,2025Q1,2025-03-31,45/BC-UBND,
thu-nghiem,T2,P,,2025-03-31,46/BC-UBND,
thu-nghiem,T1,D2,2025-01,2025-01-25,7/KH,
thu-nghiem,T4,D2,quý 2,2025-05-10,Video,
thu-nghiem,T4,D2,2025Q2,2025-05-10,Video,
thu-nghiem,T2,P,2025-06,2025-06-30,50/BC-UBND,
"""

EXPECTED = {
    3: ("plan_id", "khong-co", "unknown plan 'khong-co': no task register khong-co.tasks.yaml",
        "kế hoạch 'khong-co' không có sổ nhiệm vụ (khong-co.tasks.yaml)"),
    4: ("task_id", "T9", "plan thu-nghiem has no task 'T9'",
        "kế hoạch thu-nghiem không có nhiệm vụ 'T9'"),
    5: ("occurrence", "2025Q1",
        "task T2 of thu-nghiem is recurring: occurrence must be one of "
        "2025-03, 2025-06, 2025-09, 2025-12",
        "nhiệm vụ T2 của thu-nghiem thực hiện định kỳ: kỳ thực hiện phải là một trong "
        "2025-03, 2025-06, 2025-09, 2025-12"),
    6: ("occurrence", None,  # an empty cell: no value shown
        "task T2 of thu-nghiem is recurring: occurrence must be one of "
        "2025-03, 2025-06, 2025-09, 2025-12",
        "nhiệm vụ T2 của thu-nghiem thực hiện định kỳ: kỳ thực hiện phải là một trong "
        "2025-03, 2025-06, 2025-09, 2025-12"),
    7: ("occurrence", "2025-01", "task T1 of thu-nghiem has one due date: leave occurrence empty",
        "nhiệm vụ T1 của thu-nghiem có một thời hạn: để trống kỳ thực hiện"),
    8: ("occurrence", "quý 2",
        "occurrence 'quý 2' of task T4 is not a period id (2025Q1, 2025-03, 2025)",
        "kỳ thực hiện 'quý 2' của nhiệm vụ T4 không phải mã kỳ (2025Q1, 2025-03, 2025)"),
}


def test_rows_naming_no_task_of_the_registers_are_rejected(tmp_path: Path, capsys) -> None:
    plan, db = make_world(tmp_path, status_csv=BAD_ROWS)
    out = capsys.readouterr().out
    assert "loaded   task_status.csv [task_status]: read 9, accepted 3, rejected 6" in out
    con = duckdb.connect(str(db), read_only=True)
    try:
        rejects = {r[0]: r[1:] for r in con.execute(
            "SELECT row_number, column_name, value, reason FROM rejects "
            "WHERE file = 'task_status.csv'").fetchall()}
        kept = con.execute("SELECT task_id, unit_id, occurrence FROM task_status "
                           "ORDER BY task_id, occurrence").fetchall()
    finally:
        con.close()
    assert rejects == {row: (column, value, reason)
                       for row, (column, value, reason, _) in EXPECTED.items()}
    assert kept == [("T1", "D1", ""), ("T2", "P", "2025-06"), ("T4", "D2", "2025Q2")]
    for _, _, reason, vietnamese in EXPECTED.values():
        assert reason_vi(reason) == vietnamese


def test_without_the_register_every_row_is_unknown(tmp_path: Path, capsys) -> None:
    """The registers are those of --plans (default: the project's params/plans, which has no
    plan 'thu-nghiem')."""
    plan, db = make_world(tmp_path)
    raw = tmp_path / "raw"
    other = tmp_path / "other.duckdb"
    assert main(["ingest", str(raw / "units.csv"), str(raw / "task_status.csv"),
                 "--db", str(other)]) == 0
    out = capsys.readouterr().out
    assert "task_status.csv [task_status]: read 6, accepted 0, rejected 6" in out
    assert "6 × unknown plan 'thu-nghiem': no task register thu-nghiem.tasks.yaml" in out
