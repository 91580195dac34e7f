"""Applicant pseudonyms at read time (issue 13.2), as a user loads files with a key configured:
the ID-number column of a CSV, XLSX, Parquet or DVCQG export becomes `applicant_key` (HMAC) and
the ID itself reaches nothing — not the store (any table), the reports, the CLI output or the
executed notebooks."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook, load_workbook

from scorecard.cli import main
from scorecard.pseudonym import KEY_ENV, applicant_key, key_from_text
from tests.conftest import CASE_HEADER, PROCEDURES_CSV, UNITS_CSV, case_line

KEY_TEXT = "a test key of more than sixteen bytes"
KEY = key_from_text(KEY_TEXT, "test")
ID = "001085012345"
READY = "0" * 32  # a ready-made pseudonym some other export computed


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """The same applicant's ID written four ways in three formats, and another applicant."""
    (tmp_path / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    (tmp_path / "procedures.csv").write_text(PROCEDURES_CSV, encoding="utf-8")
    header = CASE_HEADER.rstrip("\n")
    lines = [f"{header},Số CCCD,Mã bí danh người nộp"]
    for case_id, id_text in (("C1", "001 085 012 345"), ("C2", "001-085-012-345"),
                             ("C3", "'001085012345"), ("C4", "079 190 000 001")):
        lines.append(f"{case_line(case_id).rstrip()},{id_text},{READY}")
    (tmp_path / "cases_a.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã hồ sơ", "Mã đơn vị", "Mã thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả",
               "Ngày có kết quả", "Trạng thái", "Kênh tiếp nhận", "Căn cước công dân"])
    ws.append(["C5", "X1", "1.001", "03/02/2025 08:00", "10/02/2025 17:00", "07/02/2025 10:00",
               "Đã giải quyết", "Trực tuyến", "001.085.012.345"])
    wb.save(tmp_path / "cases_b.xlsx")
    # a number that lost its leading zeros (a spreadsheet saved the ID as a number)
    row = pd.read_csv(tmp_path / "cases_a.csv", dtype=str).iloc[[0]].drop(
        columns=["Số CCCD", "Mã bí danh người nộp"]).assign(case_id="C6")
    table = pa.Table.from_pandas(row, preserve_index=False).append_column(
        "so_cccd", pa.array([1085012345], pa.int64()))
    pq.write_table(table, tmp_path / "cases_c.parquet")
    return {name: tmp_path / name for name in (
        "units.csv", "procedures.csv", "cases_a.csv", "cases_b.xlsx", "cases_c.parquet")}


def _ingest(capsys, db: Path, paths: list[Path], *args: str) -> str:
    capsys.readouterr()
    assert main(["ingest", *map(str, paths), "--db", str(db), *args]) == 0
    return capsys.readouterr().out


def _keys(db: Path) -> dict[str, str | None]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT case_id, applicant_key FROM cases ORDER BY 1").fetchall())
    finally:
        con.close()


def test_same_id_any_spacing_any_format_same_key(files: dict[str, Path], tmp_path: Path,
                                                 capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, KEY_TEXT)
    db = tmp_path / "s.duckdb"
    out = _ingest(capsys, db, list(files.values()))
    key = applicant_key(ID, KEY)
    assert key == applicant_key("001 085 012 345", KEY) == applicant_key(1085012345, KEY)
    assert _keys(db) == {"C1": key, "C2": key, "C3": key, "C4": applicant_key("079190000001", KEY),
                         "C5": key, "C6": key}
    assert "ID numbers replaced by pseudonyms (HMAC, never stored): Số CCCD → applicant_key" in out
    assert "Căn cước công dân → applicant_key" in out and "so_cccd → applicant_key" in out
    # the file also had a ready-made pseudonym: with a key, the one computed here is kept
    assert ("columns ignored: Mã bí danh người nộp (applicant_key computed from Số CCCD "
            "instead)") in out
    con = duckdb.connect(str(db), read_only=True)
    try:
        logged = con.execute("SELECT file, dropped_columns FROM load_log WHERE kind = 'cases' "
                             "ORDER BY file").fetchall()
    finally:
        con.close()
    assert logged == [("cases_a.csv", "Số CCCD (→ applicant_key)"),
                      ("cases_b.xlsx", "Căn cước công dân (→ applicant_key)"),
                      ("cases_c.parquet", "so_cccd (→ applicant_key)")]


def test_without_a_key_the_id_is_dropped(files: dict[str, Path], tmp_path: Path, capsys,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv("SCORECARD_PSEUDONYM_KEY_FILE", raising=False)
    db = tmp_path / "s.duckdb"
    out = _ingest(capsys, db, list(files.values()))
    assert "personal data dropped: Số CCCD" in out and "pseudonyms" not in out
    # the file's ready-made pseudonym is all there is, and it is kept
    assert _keys(db) == {"C1": READY, "C2": READY, "C3": READY, "C4": READY, "C5": None,
                         "C6": None}


def test_a_key_file(files: dict[str, Path], tmp_path: Path, capsys,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    key_file = tmp_path / "key.txt"
    key_file.write_text(KEY_TEXT + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    _ingest(capsys, db, [files["units.csv"], files["procedures.csv"], files["cases_b.xlsx"]],
            "--pseudonym-key-file", str(key_file))
    assert _keys(db) == {"C5": applicant_key(ID, KEY)}
    key_file.write_text("short\n", encoding="utf-8")
    assert main(["ingest", str(files["cases_b.xlsx"]), "--db", str(db),
                 "--pseudonym-key-file", str(key_file)]) == 2
    err = capsys.readouterr().err
    assert "shorter than 16 bytes" in err and "short\n" not in err


# ---------------------------------------------------------------- nothing leaks, anywhere
def _planted_ids(folder: Path) -> set[str]:
    """The made-up ID numbers in the demo's exports (the xlsx's CCCD column, the DVCQG file's
    SoDinhDanh) and in the extra files of the test."""
    ids: set[str] = set()
    wb = load_workbook(folder / "cases_DEMO-H03.xlsx", read_only=True)
    rows = wb.worksheets[0].iter_rows(values_only=True)
    col = next(rows).index("Số CCCD")
    ids |= {str(r[col]) for r in rows if r[col]}
    wb.close()
    for path in folder.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            ids |= set(re.findall(r'"SoDinhDanh": "(\d+)"', line))
    return ids


def _text_of(path: Path) -> str:
    if path.suffix in (".xlsx", ".zip"):
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return path.read_bytes().decode("utf-8", "replace")


def test_no_id_number_reaches_the_store_the_reports_or_the_output(
        tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    from scorecard.demo_leads import DEMO_KEY_TEXT

    monkeypatch.setenv(KEY_ENV, DEMO_KEY_TEXT)
    data, db, reports = tmp_path / "data", tmp_path / "demo.duckdb", tmp_path / "reports"
    assert main(["demo-data", "--out", str(data), "--cases", "1500"]) == 0
    # rows the loader rejects carry IDs too: a record never received, a broken JSON line and an
    # unreadable date in a CSV with an ID column
    extra = [json.dumps({"MaHoSo": "Z1", "MaTTHC": "x", "TrangThaiHoSo": 1,
                         "SoDinhDanh": "099180123456", "DonViXuLy": "Sở Y tế"}),
             '{"MaHoSo": "Z2", "SoDinhDanh": "099180654321", "TrangThai']
    (data / "hoso_dvcqg_extra.jsonl").write_text("\n".join(extra) + "\n", encoding="utf-8")
    (data / "cases_extra.csv").write_text(
        CASE_HEADER.rstrip("\n") + ",Số CCCD\n"
        + case_line("Z3", unit="DEMO-S01", received="31/02/2025").rstrip() + ",099180777777\n",
        encoding="utf-8")
    ids = _planted_ids(data) | {"099180123456", "099180654321", "099180777777"}
    assert len(ids) > 100
    capsys.readouterr()
    assert main(["ingest", *sorted(map(str, data.iterdir())), "--db", str(db)]) == 0
    assert main(["leads", "--period", "2025Q2", "--all", "--evidence", "--format", "csv",
                 "--db", str(db)]) == 0
    assert main(["late-list", "--month", "2025-06", "--plan", "bac-giang-2025",
                 "--out", str(reports / "late.xlsx"), "--reports", str(reports),
                 "--db", str(db)]) == 0
    assert main(["render", "--plan", "bac-giang-2025", "--period", "2025Q2", "--units",
                 "DEMO-S04", "DEMO-H03", "--out", str(reports), "--workers", "1",
                 "--no-progress", "--db", str(db)]) == 0
    printed = capsys.readouterr()
    con = duckdb.connect(str(db), read_only=True)
    try:
        rejected = con.execute("SELECT count(*) FROM rejects WHERE record_key IN "
                               "('Z1', 'Z3') OR file = 'hoso_dvcqg_extra.jsonl'").fetchone()[0]
        keyed = con.execute("SELECT count(*) FROM cases WHERE unit_id IN ('DEMO-S04', "
                            "'DEMO-H03') AND applicant_key IS NOT NULL").fetchone()[0]
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        stored = []
        for table in tables:
            cols = [r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()]
            text = " || '|' || ".join(f"coalesce(CAST(\"{c}\" AS VARCHAR), '')" for c in cols)
            stored += [r[0] for r in con.execute(f'SELECT {text} FROM "{table}"').fetchall()]
    finally:
        con.close()
    assert rejected == 3 and keyed > 50
    assert {"cases", "rejects", "load_log", "case_supplements", "late_list_log"} <= set(tables)
    outputs = [p for p in reports.rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in outputs) and any(p.suffix == ".ipynb" for p in outputs)
    texts = {"store": "\n".join(stored), "stdout": printed.out, "stderr": printed.err,
             **{str(p.relative_to(tmp_path)): _text_of(p) for p in outputs}}
    pattern = re.compile("|".join(sorted(ids)))
    assert pattern.search(_text_of(data / "hoso_dvcqg_DEMO-S04.jsonl"))  # the grep can find them
    leaks = {where: pattern.findall(text)[:3] for where, text in texts.items()
             if pattern.search(text)}
    assert leaks == {}
