"""One declaration per column: what is derived from it (DDL, header matching, SQL checks, pandera
schema, README tables), field codes, safe ids, and the cases the SQL checks must get right."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pandas as pd
import pandera.pandas as pa
import pytest
from openpyxl import Workbook

from scorecard import checks, columns, input_formats, readers, schemas
from scorecard.columns import Column
from scorecard.ingest import ingest_files, print_reports
from scorecard.reasons import reason_vi
from scorecard.sqltyping import norm_sql
from scorecard.store import ddl, open_writer

from .conftest import CASE_HEADER, UNITS_CSV, case_line


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _rejects(db: Path, file: str) -> dict[int, tuple[str, str]]:
    return {r: (c, reason) for r, c, reason in _rows(
        db, f"SELECT row_number, column_name, reason FROM rejects WHERE file = '{file}' ORDER BY 1")}


def test_readme_input_tables_are_generated_from_the_declarations() -> None:
    text = input_formats.README.read_text(encoding="utf-8")
    assert input_formats.section(text) == input_formats.render_markdown(), (
        "README input tables are stale: run `python -m scorecard.input_formats`")


def test_a_column_declared_in_one_place_reaches_ddl_reader_checks_schema_and_readme(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old_store = tmp_path / "old.duckdb"
    open_writer(old_store).close()  # a store made before the column existed
    motto = Column("motto", "int", min=0, aliases=("Khẩu hiệu",), description="a unit's motto number")
    monkeypatch.setitem(columns.SPECS, "units", columns.SPECS["units"].with_column(motto))

    assert "motto                    INTEGER CHECK (motto >= 0)" in ddl(columns.SPECS["units"])
    assert readers.alias_lookup("units")["khauhieu"] == "motto"
    assert str(columns.arrow_schema("units").field("motto").type) == "int32"
    schema = schemas.schema_for("units")
    assert "motto" in schema.columns and schema.columns["motto"].checks[0].name == "greater_than_or_equal_to"
    assert "| motto | whole number | ≥ 0; a unit's motto number | Khẩu hiệu |" in input_formats.render_markdown()

    units = tmp_path / "units.csv"
    units.write_text("unit_id,name,level,parent_id,Khẩu hiệu\nP,Tỉnh,province,,7\n"
                     "H1,Huyện,district,P,-2\nH2,Huyện Hai,district,P,\n", encoding="utf-8")
    for db in (tmp_path / "new.duckdb", old_store):
        (rep,) = ingest_files([units], db=db)
        assert (rep.rows_read, rep.rows_accepted, rep.rows_rejected) == (3, 2, 1)
        assert _rows(db, "SELECT unit_id, motto FROM units ORDER BY 1") == [("H2", None), ("P", 7)]
        assert _rejects(db, "units.csv") == {3: ("motto", "motto must not be negative")}


def test_field_values_become_codes_and_unknown_ones_are_counted(tmp_path: Path, db: Path, capsys) -> None:
    procs = tmp_path / "procedures.csv"
    procs.write_text(
        "procedure_id,name,field,online_service,has_fee,payment_integrated,at_one_stop,"
        "four_on_spot,has_sample_dossier,e_process_configured\n"
        "1.1,A,Đất đai,full,có,có,có,không,có,có\n"
        "1.2,B,Lĩnh vực đất đai,full,có,có,có,không,có,có\n"
        "1.3,C,ĐẤT ĐAI ,full,có,có,có,không,có,có\n"
        "1.4,D,Thuế,full,có,có,có,không,có,có\n"
        "1.5,E,ho_tich,full,có,có,có,không,có,có\n", encoding="utf-8")
    (rep,) = ingest_files([procs], db=db)
    assert _rows(db, "SELECT procedure_id, field FROM procedures ORDER BY 1") == [
        ("1.1", "dat_dai"), ("1.2", "dat_dai"), ("1.3", "dat_dai"), ("1.4", "Thuế"),
        ("1.5", "ho_tich")]
    assert rep.unknown_values == {"field": (1, ["Thuế"])}
    print_reports([rep])
    assert "field values not in the code table, kept as given: 1 rows (Thuế)" in capsys.readouterr().out


def test_field_table_is_the_projects_else_the_shipped_one(tmp_path: Path, monkeypatch) -> None:
    """params/fields.yaml comes through config.params_file: a project whose params/ holds only
    its plans gets the shipped table; its own fields.yaml, once there, is the one read."""
    from scorecard import config, fields

    (tmp_path / "plans").mkdir()
    monkeypatch.setattr(config, "PARAMS_DIR", tmp_path)
    assert fields.fields_file() == config.SHIPPED_PARAMS_DIR / "fields.yaml"
    assert fields.field_code("Lĩnh vực Đất đai") == "dat_dai"
    (tmp_path / "fields.yaml").write_text(
        "fields:\n  - code: thue\n    name: Thuế\n    variants: [Thuế phí]\n", encoding="utf-8")
    assert fields.fields_file() == tmp_path / "fields.yaml"
    assert fields.field_code("THUẾ PHÍ") == "thue"
    assert fields.field_code("Đất đai") is None


def test_ids_that_reach_file_names_are_rejected_with_their_reason(tmp_path: Path, base_files,
                                                                  db: Path) -> None:
    units = tmp_path / "units.csv"
    units.write_text(UNITS_CSV + "a..b,Xã Ba,commune,H1\n.hidden,Xã Bốn,commune,H1\n"
                     "a/b,Xã Năm,commune,H1\n" + "x" * 65 + ",Xã Sáu,commune,H1\n"
                     "X7,Xã Bảy,commune,/tmp/abs\n", encoding="utf-8")
    cases = tmp_path / "cases.csv"
    cases.write_text(CASE_HEADER + case_line("C1", unit="../../x"), encoding="utf-8")  # row 2
    tasks = tmp_path / "task_status.csv"
    tasks.write_text("plan_id,task_id,unit_id,done_on\nbg..2025,1,X1,2025-03-01\n"
                     "bac-giang-2025,I.1,X1,01/03/2025\n", encoding="utf-8")
    reports = ingest_files([units, base_files["procedures"], cases, tasks], db=db)
    assert [r.rows_rejected for r in reports] == [5, 0, 1, 1]
    u = _rejects(db, "units.csv")
    assert u == {
        7: ("unit_id", "unit_id is not safe as a file name: id contains '..'"),
        8: ("unit_id", "unit_id is not safe as a file name: id starts with a dot"),
        9: ("unit_id", "unit_id is not safe as a file name: id contains a path separator (/ or \\)"),
        10: ("unit_id", "unit_id is not safe as a file name: id longer than 64 characters"),
        11: ("parent_id", "parent_id is not safe as a file name: id contains a path separator (/ or \\)"),
    }
    assert _rejects(db, "cases.csv") == {
        2: ("unit_id", "unit_id is not safe as a file name: id contains a path separator (/ or \\)")}
    assert _rejects(db, "task_status.csv") == {
        2: ("plan_id", "plan_id is not safe as a file name: id contains '..'")}
    assert _rows(db, "SELECT plan_id, task_id, unit_id, occurrence, done_on FROM task_status") == [
        ("bac-giang-2025", "I.1", "X1", "", pd.Timestamp("2025-03-01").date())]
    assert reason_vi(u[7][1]) == "unit_id không dùng được làm tên tệp: mã chứa '..'"


def test_many_unknown_references_are_checked_by_a_join(tmp_path: Path, base_files, db: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "INLINE_VALUES", 3)
    cases = tmp_path / "cases.csv"
    cases.write_text(CASE_HEADER + case_line("K1") + case_line("K2"), encoding="utf-8")
    sup = tmp_path / "case_supplements.csv"
    sup.write_text("case_id,seq,requested_at,returned_at\nK1,1,2025-02-04,2025-02-05\n"
                   + "".join(f"GHOST{i},1,2025-02-04,\n" for i in range(5))
                   + "K2,0,2025-02-04,\nK2,1,2025-02-04,2025-02-01\n", encoding="utf-8")
    reports = ingest_files([*base_files.values(), cases, sup], db=db)
    assert (reports[-1].rows_accepted, reports[-1].rows_rejected) == (1, 7)
    got = _rejects(db, "case_supplements.csv")
    assert {r for r, (_, reason) in got.items() if reason == "case_id: not a known case id"} == {3, 4, 5, 6, 7}
    assert got[8] == ("seq", "seq must be at least 1")
    assert got[9] == ("returned_at", "supplement returned before it was requested")
    for _, reason in got.values():  # reports show every reason in Vietnamese
        assert reason_vi(reason) != reason


def test_csv_row_numbers_hold_past_one_row_group(tmp_path: Path, base_files, db: Path) -> None:
    lines = [case_line(f"R{i}") for i in range(130_000)]
    lines[3] = case_line("BAD-A", channel="fax")           # line 5
    lines[129_990] = case_line("BAD-B", due="2025-01-01")  # line 129,992
    cases = tmp_path / "cases.csv"
    cases.write_text(CASE_HEADER + "".join(lines), encoding="utf-8")
    reports = ingest_files([*base_files.values(), cases], db=db)
    assert reports[-1].rows_rejected == 2
    assert _rows(db, "SELECT row_number, record_key FROM rejects ORDER BY 1") == [
        (5, "BAD-A"), (129_992, "BAD-B")]


def test_excel_title_rows_spacers_and_sheet_row_numbers(tmp_path: Path, base_files, db: Path) -> None:
    from datetime import datetime

    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH HỒ SƠ"])
    ws.append([])
    ws.append(["Mã hồ sơ", "Mã đơn vị", "Mã thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả",
               "Ngày có kết quả", "Trạng thái", "Kênh tiếp nhận", "Số lần bổ sung", "Họ tên"])
    ws.append(["E1", "X1", 1.001, datetime(2025, 2, 3, 8), datetime(2025, 2, 10), None,
               "Đang giải quyết", "Trực tuyến", 2, "Nguyễn Văn A"])
    ws.append([])
    ws.append([12, "X1", "1.002", "03/02/2025", "10/02/2025", datetime(2025, 2, 1),
               "Đã giải quyết", "  trực TIẾP ", None, "Trần Thị B"])
    p = tmp_path / "hoso_x1.xlsx"
    wb.save(p)
    (*_, rep) = ingest_files([*base_files.values(), p], db=db)
    assert rep.error is None, rep.error
    assert (rep.rows_read, rep.rows_accepted, rep.dropped_columns) == (2, 1, ["Họ tên"])
    assert _rows(db, "SELECT case_id, procedure_id, received_at, status, channel, "
                     "supplement_requests FROM cases") == [
        ("E1", "1.001", datetime(2025, 2, 3, 8), "pending", "online", 2)]
    assert _rejects(db, "hoso_x1.xlsx") == {6: ("resolved_at", "finished before it was received")}


def test_declared_words_have_the_same_key_in_sql_and_python() -> None:
    words = {w for e in (columns.LEVEL, columns.ONLINE_SERVICE, columns.STATUS, columns.CHANNEL,
                         columns.RATING) for v in e.values for w in (v.code, *v.spellings)}
    words |= set(columns.TRUE_WORDS) | set(columns.FALSE_WORDS) | {"Đã Giải  Quyết", "ĐÚNG"}
    con = duckdb.connect()
    got = dict(con.execute(f"SELECT w, {norm_sql('w')} FROM (SELECT unnest(?) AS w)",
                           [sorted(words)]).fetchall())
    assert got == {w: readers.norm(w) for w in words}


def test_dates_numbers_and_words_as_exports_write_them(tmp_path: Path) -> None:
    p = tmp_path / "form06.csv"
    p.write_text(
        "unit_id,period,period_start,period_end,received_online,received_direct_postal,"
        "carried_over,resolved_early,resolved_on_time,resolved_late,pending_in_time,pending_overdue\n"
        "X1,2025Q1,15.12.2024,14-03-2025, 1.234 ,2,3.0,4,5,6,7,8\n"
        "X1,2025Q2,2024-12-14T20:00:00Z,2025-03-14,1.5,2,3,4,5,6,7,8\n", encoding="utf-8")
    lay, chunks = readers.read_chunks(p)
    (chunk,) = list(chunks)
    f = chunk.frame
    assert f.loc[0, "period_start"] == pd.Timestamp("2024-12-15")
    assert f.loc[0, "period_end"] == pd.Timestamp("2025-03-14")
    assert list(f["received_online"].astype("Int64")) == [1234, pd.NA]
    assert f.loc[0, "carried_over"] == 3
    assert f.loc[1, "period_start"] == pd.Timestamp("2024-12-15")  # 20:00 UTC is 03:00 local
    assert [(i.row, i.column, i.value) for i in chunk.issues] == [(3, "received_online", "1.5")]


def test_pandera_schema_and_sql_checks_find_the_same_bad_rows(tmp_path: Path, base_files, db: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text(
        CASE_HEADER + case_line("OK1") + case_line("B1", due="2025-02-01 08:00")
        + case_line("B2", resolved="2025-02-01 09:00") + case_line("B3", unit="NOPE")
        + case_line("B5", resolved="") + case_line("B6", status="pending")
        + case_line("OK1", proc="1.002") + case_line("B9", supp="-1") + case_line("", unit="X2")
        + case_line("OK2", status="withdrawn", rating=""), encoding="utf-8")
    ingest_files([*base_files.values(), cases], db=db)
    sql_bad = {r for (r,) in _rows(db, "SELECT row_number FROM rejects WHERE file = 'cases.csv'")}
    _, chunks = readers.read_chunks(cases)
    (chunk,) = list(chunks)
    known = {"units": {r[0] for r in _rows(db, "SELECT unit_id FROM units")},
             "procedures": {r[0] for r in _rows(db, "SELECT procedure_id FROM procedures")}}
    with pytest.raises(pa.errors.SchemaErrors) as err:
        schemas.schema_for("cases", known).validate(chunk.frame, lazy=True)
    index = err.value.failure_cases["index"].dropna().astype(int)
    pandera_bad = set(chunk.frame.loc[index.unique(), "_row"].astype(int))
    assert pandera_bad == sql_bad == {3, 4, 5, 6, 7, 8, 9, 10}


def test_an_older_store_with_keyed_large_tables_is_rebuilt_once(tmp_path: Path, base_files) -> None:
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    keyed = dataclasses.replace(columns.SPECS["cases"], indexed_key=True)
    con.execute(ddl(keyed))
    con.execute("INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at, status, "
                "channel) VALUES ('A', 'X1', '1.001', '2025-02-03', '2025-02-10', 'pending', 'online')")
    con.close()
    open_writer(db).close()
    assert _rows(db, "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'cases' "
                     "AND constraint_type = 'PRIMARY KEY'") == [(0,)]
    assert _rows(db, "SELECT case_id, status, applicant_key FROM cases") == [("A", "pending", None)]
    # and the loader still replaces by key
    cases = tmp_path / "cases.csv"
    cases.write_text(CASE_HEADER + case_line("A") + case_line("B"), encoding="utf-8")
    ingest_files([*base_files.values(), cases], db=db)
    assert _rows(db, "SELECT case_id, status FROM cases ORDER BY 1") == [("A", "resolved"), ("B", "resolved")]


def test_a_registered_source_and_extra_checks_go_through_the_same_checks(
        tmp_path: Path, base_files, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hooks for the next wave: a source format (issue 16) gives a relation of declared
    columns plus its own rejects; an extra check (issue 10) adds problems to a kind's rows."""
    records = tmp_path / "hoso.jsonl"
    records.write_text(
        '{"MaHoSo": "J1", "DonVi": "X1", "MaTTHC": "1.001", "NgayTiepNhan": "20250203080000", '
        '"NgayHenTra": "20250210170000", "TrangThai": 4, "Kenh": 2}\n'
        '{"MaHoSo": "J2", "DonVi": "X1", "MaTTHC": "1.001", "NgayTiepNhan": "20250203080000", '
        '"NgayHenTra": "20250210170000", "TrangThai": 1, "Kenh": 1}\n'
        '{"MaHoSo": "J3", "DonVi": "X1", "MaTTHC": "9.9", "NgayTiepNhan": "20250203080000", '
        '"NgayHenTra": "20250201170000", "TrangThai": 4, "Kenh": 1}\n', encoding="utf-8")

    def portal(con: duckdb.DuckDBPyConnection, path: Path, kind: str | None,
               options: readers.ReadOptions) -> readers.Source:
        rows = (f"(SELECT row_number() OVER () AS n, * FROM read_json_auto('{path}', "
                f"format = 'newline_delimited'))")
        cols = {"case_id": ("MaHoSo", "VARCHAR"), "unit_id": ("DonVi", "VARCHAR"),
                "procedure_id": ("MaTTHC", "VARCHAR"),
                "received_at": ("strptime(NgayTiepNhan, '%Y%m%d%H%M%S')", "TIMESTAMP"),
                "due_at": ("strptime(NgayHenTra, '%Y%m%d%H%M%S')", "TIMESTAMP"),
                "status": ("CASE TrangThai WHEN 4 THEN 'pending' END", "VARCHAR"),
                "channel": ("CASE Kenh WHEN 1 THEN 'direct' ELSE 'online' END", "VARCHAR")}
        lay = readers.FileLayout("cases", {c: c for c in cols}, [], [])
        issues = (f"SELECT n AS _row, 'TrangThai' AS c, CAST(TrangThai AS VARCHAR) AS v, "
                  f"'not received: status 1' AS r FROM {rows} WHERE TrangThai = 1")
        return readers.Source("cases", lay, rows, "n", cols, issues=issues)

    monkeypatch.setitem(readers.SOURCES, "portal", portal)
    monkeypatch.setitem(checks.EXTRA_CHECKS, "cases", [
        lambda con, stage, options: f"SELECT _row, 'case_id' AS c, case_id AS v, "
                                    f"'test: J3 is on a list' AS r FROM {stage} "
                                    f"WHERE case_id = 'J3'"])
    ingest_files(base_files.values(), db=db)
    (rep,) = ingest_files([records], db=db, source="portal")
    assert rep.error is None, rep.error
    assert (rep.kind, rep.rows_read, rep.rows_accepted, rep.rows_rejected) == ("cases", 3, 1, 2)
    assert _rows(db, "SELECT case_id, status, channel, received_at FROM cases") == [
        ("J1", "pending", "online", pd.Timestamp("2025-02-03 08:00").to_pydatetime())]
    assert _rejects(db, "hoso.jsonl") == {
        2: ("TrangThai", "not received: status 1"),
        3: ("procedure_id, due_at, case_id", "procedure_id: not a known procedure id; "
                                             "due date is before the received date; "
                                             "test: J3 is on a list"),
    }
