"""`scorecard tasks` as a user runs it: exit codes, the table, CSV and the workbook read back."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from scorecard.cli import main
from tests.task_fixtures import STATUS_CSV, make_world


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    # a note that a spreadsheet would take for a formula must stay text in the workbook
    status = STATUS_CSV.replace("thu-nghiem,T6,H1,,2025-04-02,3/BC-UBND,",
                                "thu-nghiem,T6,H1,,2025-04-02,3/BC-UBND,=1+1")
    return make_world(tmp_path, status_csv=status)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_table_in_vietnamese(world, capsys):
    plan, db = world
    capsys.readouterr()
    code, out, _ = _run(capsys, "tasks", "--plan", str(plan), "--period", "2025Q1",
                        "--unit", "H1", "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Nhiệm", "vụ", "Mã", "đơn", "vị", "Kỳ", "Hạn", "Trạng", "thái",
                                "Ngày", "hoàn", "thành", "Số", "ngày", "trễ", "Số", "ngày", "quá",
                                "hạn", "Hoạt", "động", "gần", "nhất"]
    assert lines[1].split() == ["T3", "H1", "15/12/2025", "Không", "áp", "dụng"]
    assert lines[2].split() == ["T6", "H1", "28/02/2025", "Quá", "hạn", "chưa", "hoàn", "thành",
                                "31"]


def test_csv_has_codes_and_words(world, capsys):
    plan, db = world
    capsys.readouterr()
    code, out, _ = _run(capsys, "tasks", "--plan", str(plan), "--period", "2025Q2",
                        "--format", "csv", "--db", str(db))
    assert code == 0
    df = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    t6 = df[df["task_id"] == "T6"].iloc[0]
    assert (t6["status"], t6["status_vi"], t6["due"], t6["done_on"], t6["days_late"]) == (
        "done_late", "Hoàn thành trễ hạn", "2025-02-28", "2025-04-02", "33")
    assert len(df) == 10 and df["period"].eq("2025Q2").all()


def test_status_filter_and_csv_file(world, capsys, tmp_path: Path):
    plan, db = world
    out_file = tmp_path / "out" / "overdue.csv"
    code, out, _ = _run(capsys, "tasks", "--plan", str(plan), "--period", "2025Q2",
                        "--status", "overdue", "--format", "csv", "--out", str(out_file),
                        "--db", str(db))
    assert code == 0 and out.strip() == str(out_file)
    df = pd.read_csv(out_file, dtype=str, keep_default_na=False)
    assert list(zip(df["task_id"], df["unit_id"], df["occurrence"], strict=True)) == [
        ("T2", "P", "2025-06")]


def test_workbook_read_back(world, capsys, tmp_path: Path):
    plan, db = world
    xlsx = tmp_path / "nhiem-vu.xlsx"
    code, out, _ = _run(capsys, "tasks", "--plan", str(plan), "--period", "2025Q2",
                        "--format", "xlsx", "--out", str(xlsx), "--db", str(db))
    assert code == 0 and out.strip() == str(xlsx)
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Nhiệm vụ", "Tổng hợp"]
    ws = wb["Nhiệm vụ"]
    assert ws["A1"].value == "Kế hoạch thử nghiệm năm 2025"
    assert ws["A2"].value == "Kỳ báo cáo: Quý II/2025 (01/04/2025 – 30/06/2025)"
    header = [c.value for c in ws[3]]
    assert header[:9] == ["Nhiệm vụ", "Nội dung", "Mã đơn vị", "Đơn vị chủ trì", "Cấp",
                          "Thời hạn (theo kế hoạch)", "Kỳ", "Hạn", "Trạng thái"]
    rows = {(r[0], r[2], r[6]): r for r in ws.iter_rows(min_row=4, values_only=True)}
    t6 = rows[("T6", "H1", None)]
    assert t6[4] == "Cấp huyện" and t6[5] == "Tháng 02/2025"
    assert t6[7] == datetime(2025, 2, 28) and t6[8] == "Hoàn thành trễ hạn"
    assert t6[9] == datetime(2025, 4, 2) and t6[10] == 33 and t6[14] == "=1+1"
    due_cell = next(c for c in ws["H"] if c.value == datetime(2025, 2, 28))
    assert due_cell.number_format == "dd/mm/yyyy"
    note_cell = next(c for c in ws["O"] if c.value == "=1+1")
    assert note_cell.data_type == "s"  # text, never a formula
    assert rows[("T2", "P", "2025-06")][8] == "Quá hạn chưa hoàn thành"
    assert rows[("T5", None, None)][8] == "Chưa xác định đơn vị chủ trì"
    summary = {r[0]: r for r in wb["Tổng hợp"].iter_rows(min_row=4, values_only=True)}
    # unit: (name, level, due by 30/06, on time, late, overdue, rate)
    assert summary["P"][2:] == ("Cấp tỉnh", 2, 1, 0, 1, 0.5)
    assert summary["H1"][2:] == ("Cấp huyện", 1, 0, 1, 0, 0)
    assert summary["D2"][2:] == ("Sở, ngành", 1, 0, 1, 0, 0)


@pytest.mark.parametrize(("argv", "message"), [
    (["--plan", "nope"], "unknown plan 'nope'"),
    (["--unit", "NOPE"], "unknown unit 'NOPE'"),
    (["--format", "xlsx"], "--format xlsx needs --out FILE.xlsx"),
    (["--period", "2025Q5"], "unknown period '2025Q5'"),
])
def test_errors_are_one_line_with_exit_2(world, capsys, argv, message):
    plan, db = world
    args = {"--plan": str(plan), "--period": "2025Q1"}
    rest = list(argv)
    for key in ("--plan", "--period"):
        if key in rest:
            i = rest.index(key)
            args[key] = rest[i + 1]
            del rest[i:i + 2]
    capsys.readouterr()
    code, out, err = _run(capsys, "tasks", "--plan", args["--plan"], "--period", args["--period"],
                          *rest, "--db", str(db))
    assert code == 2 and out == ""
    assert err.startswith("scorecard tasks: ") and message in err and len(err.splitlines()) == 1


def test_missing_store(world, capsys, tmp_path: Path):
    plan, _ = world
    code, _, err = _run(capsys, "tasks", "--plan", str(plan), "--period", "2025Q1",
                        "--db", str(tmp_path / "none.duckdb"))
    assert code == 2 and "store not found" in err
