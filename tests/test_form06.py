"""Biểu 06 workbook: writer, reader, the store path and the CLI, with hand-worked numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from scorecard.forms.form06 import (
    COUNT_COLUMNS,
    FORM06_COLUMNS,
    Form06Error,
    Form06FormatError,
    Form06Meta,
    build_form06_lines,
    read_form06_workbook,
    write_form06_workbook,
)
from scorecard.forms.form06_lines import Form06Source
from scorecard.forms.textwidth import height_for_lines
from scorecard.store import create_schema
from tests.pdf_pages import overprinted, print_workbook
from tests.real_tools import run_libreoffice

# label, then the 8 counts in COUNT_COLUMNS order
LINES = [
    ("Đất đai", 1200, 345, 17, 800, 300, 12, 440, 10),
    ("Hộ tịch", 3, 0, 0, 1, 1, 0, 1, 0),
    ("Xây dựng", 0, 7, 2, 0, 5, 1, 3, 0),
]


def lines_frame(rows=LINES, unit_ids=None) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["label", *COUNT_COLUMNS])
    if unit_ids is not None:
        df.insert(0, "unit_id", unit_ids)
    return df


META = Form06Meta(unit_id="X", unit_name="UBND xã An Bình", period="2025Q1", calendar="nd09",
                  by="field", receiving_unit="UBND tỉnh P")


@pytest.fixture()
def field_xlsx(tmp_path: Path) -> Path:
    return write_form06_workbook(tmp_path / "f06.xlsx", lines_frame(), META)


# ---------------------------------------------------------------- writer layout
def test_layout(field_xlsx: Path) -> None:
    wb = load_workbook(field_xlsx)
    ws = wb["Biểu 06"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A8:A9", "B8:B9", "C8:F8", "G8:J8", "K8:M8"} <= merged
    assert ws["A4"].value.startswith("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    assert ws["I1"].value == "Đơn vị báo cáo: UBND xã An Bình"
    assert ws["I2"].value == "Đơn vị nhận báo cáo: UBND tỉnh P"
    assert ws["A5"].value == "Kỳ báo cáo: Quý I/2025"
    assert ws["A6"].value == "(Từ ngày 15/12/2024 đến ngày 14/03/2025)"  # nd09 window
    assert ws["J7"].value == "Đơn vị tính: Số hồ sơ TTHC"
    assert (ws["C8"].value, ws["G8"].value, ws["K8"].value) == (
        "Số hồ sơ nhận giải quyết", "Kết quả giải quyết", "Số hồ sơ đang giải quyết")
    assert [ws.cell(row=10, column=c).value for c in range(1, 14)] == [
        f"({n})" for n in range(1, 14)]
    # line 1: (3) = 1200+345+17 = 1562, (7) = 800+300+12 = 1112, (11) = 440+10 = 450
    assert [ws.cell(row=11, column=c).value for c in range(1, 14)] == [
        1, "Đất đai", 1562, 1200, 345, 17, 1112, 800, 300, 12, 450, 440, 10]
    # Tổng cộng: column sums of the three lines, values (not formulas)
    assert ws["B14"].value == "Tổng cộng"
    assert [ws.cell(row=14, column=c).value for c in range(3, 14)] == [
        1574, 1203, 352, 19, 1120, 801, 306, 13, 454, 444, 10]
    assert ws["C14"].number_format == "#,##0"
    assert ws["C11"].border.left.style == "thin"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$8:$10" and ws.freeze_panes == "C11"
    assert ws["A16"].value.startswith("Ghi chú: (3) = (4) + (5) + (6)")
    # lines typed by hand carry no withdrawn count: the note gives the difference itself
    assert ws["A17"].value == (
        "Chênh lệch (3) − (7) − (11) là hồ sơ trả lại, xin rút, từ chối giải quyết trong kỳ "
        "(không thuộc cột (7), (11)): 0; (3) = (7) + (11) + 0: 1.574 = 1.120 + 454 + 0.")
    assert {c.font.name for row in ws.iter_rows() for c in row if c.value is not None} == {
        "DejaVu Sans"}
    assert wb["_scorecard"].sheet_state == "hidden"
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["scorecard.unit_id"] == "X" and props["scorecard.period"] == "2025Q1"


def test_calendar_window_and_by_unit_header(tmp_path: Path) -> None:
    meta = Form06Meta(unit_id="X", unit_name="Xã", period="2025Q1", calendar="calendar", by="unit")
    p = write_form06_workbook(tmp_path / "c.xlsx", lines_frame(unit_ids=["X", "Y", "Z"]), meta)
    ws = load_workbook(p)["Biểu 06"]
    assert ws["A6"].value == "(Từ ngày 01/01/2025 đến ngày 31/03/2025)"
    assert ws["B8"].value == "Đơn vị giải quyết"


# ---------------------------------------------------------------- round trips
def test_round_trip_by_field(field_xlsx: Path) -> None:
    df = read_form06_workbook(field_xlsx)
    assert list(df.columns) == [*FORM06_COLUMNS, "_row"]
    assert len(df) == 1
    r = df.iloc[0]
    assert (r.unit_id, r.period, r.period_start, r.period_end, r._row) == (
        "X", "2025Q1", date(2024, 12, 15), date(2025, 3, 14), 14)
    expected = lines_frame()[COUNT_COLUMNS].sum()
    for c in COUNT_COLUMNS:
        assert r[c] == expected[c], c
    assert (r.received_total, r.resolved_total, r.pending_total) == (1574, 1120, 454)
    assert df.attrs["by"] == "field" and df.attrs["calendar"] == "nd09"


def test_round_trip_by_unit(tmp_path: Path) -> None:
    meta = Form06Meta(unit_id="X", unit_name="UBND xã An Bình", period="2025-02",
                      calendar="calendar", by="unit")
    lines = lines_frame(unit_ids=["X", "Y", "Z"])
    p = write_form06_workbook(tmp_path / "u.xlsx", lines, meta)
    df = read_form06_workbook(p)
    assert list(df["unit_id"]) == ["X", "Y", "Z"]
    assert list(df["_row"]) == [11, 12, 13]
    assert set(df["period"]) == {"2025-02"}
    assert df["period_start"].iloc[0] == date(2025, 2, 1)
    for c in COUNT_COLUMNS:
        assert list(df[c]) == list(lines[c]), c
    assert df.attrs["scopes"] == {"X": "own", "Y": "tree", "Z": "tree"}


# ---------------------------------------------------------------- hand-typed submissions
def _submission(path: Path, *, total_c: object = 2473) -> Path:
    """A form typed by hand: no metadata, titles, merged header, blank spacer rows, formulas,
    numbers as text with dot thousands, '-' for zero, a signature block."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "UBND XÃ AN BÌNH"
    ws["H1"] = "Biểu số 06"
    ws["A2"] = "Đơn vị báo cáo: UBND xã An Bình"
    ws["A3"] = "Đơn vị nhận báo cáo: UBND tỉnh P"
    ws["A5"] = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    ws["A6"] = "Kỳ báo cáo: Quý I năm 2025"
    ws["A7"] = "(Từ ngày 15/12/2024 đến ngày 14/3/2025)"
    ws["A9"], ws["B9"] = "STT", "Lĩnh vực, công việc giải quyết theo cấp"
    ws["C9"], ws["G9"], ws["K9"] = ("Số hồ sơ nhận giải quyết", "Kết quả giải quyết",
                                    "Số hồ sơ đang giải quyết")
    for rng in ("A9:A10", "B9:B10", "C9:F9", "G9:J9", "K9:M9"):
        ws.merge_cells(rng)
    for i, t in enumerate(["Tổng số", "Trực tuyến", "Trực tiếp, BCCI", "Kỳ trước chuyển qua",
                           "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số",
                           "Trong hạn", "Quá hạn"]):
        ws.cell(row=10, column=3 + i, value=t)
    for n in range(1, 14):
        ws.cell(row=11, column=n, value=f"({n})")
    # row 12: formulas in the total columns: (3) 1234, (7) 1160, (11) 74
    ws.append([1, "Đất đai", "=SUM(D12:F12)", 1000, 200, 34, "=SUM(H12:J12)", 900, 250, 10,
               "=L12+M12", 60, 14])
    ws.append([])  # row 13: spacer
    ws.append([2, "Hộ tịch", "1.239", "1.234", 5, 0, 8, 4, 4, "-", 2, 2, 0])  # row 14
    ws.append([])  # row 15
    ws.append([None, "Tổng cộng", total_c, 2234, "=SUM(E12:E15)", "=SUM(F12:F15)",
               "=SUM(G12:G15)", 904, 254, "=SUM(J12:J15)", "=SUM(K12:K15)", 62, 14])  # row 16
    ws["B18"] = "Người lập biểu"
    ws["I18"] = "Thủ trưởng đơn vị"
    wb.save(path)
    return path


#: The values of _submission's formula cells.
FORMULA_VALUES = {"C12": 1234, "G12": 1160, "K12": 74, "E16": 205, "F16": 34, "G16": 1168,
                  "J16": 10, "K16": 76}


def _values_only(p: Path, **cells: int) -> Path:
    wb = load_workbook(p)
    for ref, v in {**FORMULA_VALUES, **cells}.items():
        wb.active[ref] = v
    wb.save(p)
    return p


NAMES = {"UBND xã An Bình": "X", "UBND xã Bình Minh": "Y"}


def test_formula_without_cached_value_names_the_cell(tmp_path: Path) -> None:
    p = _submission(tmp_path / "typed.xlsx")
    with pytest.raises(Form06FormatError,
                       match=r"typed\.xlsx, sheet 'Sheet1', cell C12: formula =SUM\(D12:F12\) "
                             r"has no cached value"):
        read_form06_workbook(p, NAMES)


def test_real_submission_with_cached_formula_values(tmp_path: Path) -> None:
    src = _submission(tmp_path / "typed.xlsx")
    out = tmp_path / "calc"
    run_libreoffice(["--convert-to", "xlsx", "--outdir", str(out), str(src)], tmp_path)
    df = read_form06_workbook(out / "typed.xlsx", NAMES)
    assert len(df) == 1
    r = df.iloc[0]
    assert (r.unit_id, r.period, r.period_start, r.period_end, r._row) == (
        "X", "2025Q1", date(2024, 12, 15), date(2025, 3, 14), 16)
    assert [int(r[c]) for c in COUNT_COLUMNS] == [2234, 205, 34, 904, 254, 10, 62, 14]
    assert (r.received_total, r.resolved_total, r.pending_total) == (2473, 1168, 76)
    assert df.attrs["metadata"] == "text" and df.attrs["by"] == "field"


def test_totals_disagreeing_with_lines_name_the_row(tmp_path: Path) -> None:
    # the total row is consistent in itself (2479 = 2240 + 205 + 34) but (3) and (4) disagree
    # with the lines
    p = _values_only(_submission(tmp_path / "bad.xlsx", total_c=2479), D16=2240)
    with pytest.raises(Form06FormatError,
                       match=r"bad\.xlsx, sheet 'Sheet1', row 16 \(Tổng cộng\): cell C16, "
                             r"column \(3\), is 2479 but the lines above sum to 2473"):
        read_form06_workbook(p, NAMES)


def test_line_identity_broken_names_the_row(tmp_path: Path) -> None:
    rows = [list(r) for r in LINES]
    p = write_form06_workbook(tmp_path / "f.xlsx", lines_frame(rows), META)
    wb = load_workbook(p)
    wb["Biểu 06"]["G12"] = 3  # (7) of line 2 should be 1+1+0 = 2
    wb.save(p)
    with pytest.raises(Form06FormatError, match=r"row 12: column \(7\) is 3 but \(8\) \+ \(9\) "
                                                r"\+ \(10\) = 2"):
        read_form06_workbook(p)


def test_unknown_reporting_unit_names_the_cell(tmp_path: Path) -> None:
    p = _values_only(_submission(tmp_path / "typed.xlsx"))
    with pytest.raises(Form06FormatError, match=r"cell A2: reporting unit 'UBND xã An Bình' is "
                                                r"not a known unit name"):
        read_form06_workbook(p, {"Somewhere else": "Q"})


def test_typed_values_without_libreoffice(tmp_path: Path) -> None:
    df = read_form06_workbook(_values_only(_submission(tmp_path / "typed.xlsx")), NAMES)
    assert [int(df.iloc[0][c]) for c in COUNT_COLUMNS] == [2234, 205, 34, 904, 254, 10, 62, 14]
    assert (df.iloc[0]["unit_id"], df.iloc[0]["period"]) == ("X", "2025Q1")


def test_not_a_form(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active["A1"] = "hello"
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(Form06FormatError, match=r"x\.xlsx, sheet 'Sheet', header: no row of "
                                                r"column numbers"):
        read_form06_workbook(tmp_path / "x.xlsx")


def test_prints_on_one_landscape_page_in_dejavu(tmp_path: Path) -> None:
    """A field name and a unit name far longer than their cell wrap inside their rows: the
    whole text is printed and no line of it over the next row."""
    long_field = ("Thành lập và hoạt động của doanh nghiệp, hộ kinh doanh, hợp tác xã và liên "
                  "hiệp hợp tác xã trên địa bàn tỉnh")
    rows = [(long_field, *LINES[0][1:]), *LINES[1:]]
    meta = Form06Meta(unit_id="X", period="2025Q1", by="field",
                      unit_name="Ủy ban nhân dân xã An Bình thuộc huyện Bình Minh, tỉnh P")
    p = write_form06_workbook(tmp_path / "long.xlsx", lines_frame(rows), meta)
    ws = load_workbook(p)["Biểu 06"]
    # the long name wraps to 3 lines in column B (36 wide) at 10 pt: its row is 3 lines high;
    # a short name's row keeps the sheet's default height
    assert ws.row_dimensions[11].height == height_for_lines(3, 10)
    assert ws.row_dimensions[12].height is None
    printed = print_workbook(p, tmp_path)
    assert printed.pages == 1 and printed.landscape(0)
    assert printed.fonts <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}
    assert overprinted(printed) == []
    words = " ".join(printed.texts[0].split())
    assert long_field in words and "(13)" in words and "Tổng cộng" in words


# ---------------------------------------------------------------- from the store
def _store(con: duckdb.DuckDBPyConnection) -> None:
    create_schema(con)
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)", [
        ("P", "UBND tỉnh P", "province", None),
        ("X", "UBND xã An Bình", "commune", "P"),
        ("Y", "UBND xã Bình Minh", "commune", "P"),
    ])
    con.executemany(
        "INSERT INTO procedures (procedure_id, name, field, online_service, has_fee, payment_integrated, at_one_stop, four_on_spot, has_sample_dossier, e_process_configured) VALUES (?, ?, ?, 'none', FALSE, FALSE, TRUE, FALSE, FALSE, TRUE)",
        [("PR1", "TT 1", "dat_dai"), ("PR2", "TT 2", "ho_tich")])
    # 2025Q1 under nd09 = 15/12/2024 .. 14/03/2025
    cases = [
        ("1", "X", "PR1", "2025-01-10", "2025-01-20", "2025-01-15", "resolved", "online"),  # early
        ("2", "X", "PR1", "2025-02-01", "2025-02-10", "2025-02-10", "resolved", "direct"),  # on t.
        ("3", "X", "PR2", "2024-12-01", "2024-12-20", "2025-01-05", "resolved", "direct"),  # carr.
        ("4", "X", "PR2", "2025-03-01", "2025-03-30", None, "pending", "postal"),  # in time
        ("5", "X", "PR2", "2025-03-01", "2025-03-10", None, "pending", "direct"),  # overdue
        ("6", "X", "PR1", "2025-03-10", "2025-03-20", "2025-03-12", "withdrawn", "direct"),
        ("7", "Y", "PR2", "2025-01-02", "2025-01-05", "2025-01-04", "resolved", "online"),  # early
        ("8", "P", "PR1", "2025-02-20", "2025-03-01", "2025-03-02", "resolved", "direct"),  # late
    ]
    con.executemany(
        "INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at, resolved_at, "
        "status, channel) VALUES (?, ?, ?, CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), "
        "CAST(? AS TIMESTAMP), ?, ?)", cases)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("f06") / "s.duckdb"
    con = duckdb.connect(str(path))
    _store(con)
    con.close()
    return path


def _counts(lines: pd.DataFrame) -> dict[str, list[int]]:
    return {str(r["label"]): [int(r[c]) for c in COUNT_COLUMNS] for _, r in lines.iterrows()}


def test_lines_by_field_from_store(store: Path) -> None:
    con = duckdb.connect(str(store), read_only=True)
    lines, meta = build_form06_lines(con, "2025Q1", "P", by="field")
    con.close()
    # online, direct/postal, carried, early, on time, late, in time, overdue
    assert _counts(lines) == {
        "Đất đai": [1, 3, 0, 1, 1, 1, 0, 0],   # cases 1 / 2, 6, 8 ; 6 withdrawn (residual)
        "Hộ tịch": [1, 2, 1, 1, 0, 1, 1, 1],   # 7 / 4, 5 ; 3 carried over and late
    }
    assert (meta.unit_name, meta.calendar, meta.receiving_unit) == ("UBND tỉnh P", "nd09", "Văn phòng Chính phủ")


def test_lines_by_unit_from_store_and_cli(store: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    con = duckdb.connect(str(store), read_only=True)
    lines, meta = build_form06_lines(con, "2025Q1", "P", by="unit")
    con.close()
    assert list(lines["unit_id"]) == ["P", "X", "Y"]
    assert list(lines["section"]) == ["Đơn vị báo cáo trực tiếp giải quyết", "UBND cấp xã",
                                      "UBND cấp xã"]
    assert _counts(lines) == {
        "UBND tỉnh P": [0, 1, 0, 0, 0, 1, 0, 0],       # own: case 8
        "UBND xã An Bình": [1, 4, 1, 1, 1, 1, 1, 1],   # cases 1-6
        "UBND xã Bình Minh": [1, 0, 0, 1, 0, 0, 0, 0],  # case 7
    }
    assert (meta.residual, meta.aggregate_only_units) == (1, 0)  # case 6, withdrawn
    from scorecard.cli import main

    out = tmp_path / "p.xlsx"
    assert main(["form06", "--period", "2025Q1", "--unit", "P", "--by", "unit",
                 "--db", str(store), "--out", str(out)]) == 0
    df = read_form06_workbook(out)
    assert list(df["unit_id"]) == ["P", "X", "Y"]
    assert int(df["received_total"].sum()) == 8  # 7 received in the window + 1 carried over
    ws = load_workbook(out)["Biểu 06"]
    # I: the province's own cases (subtotal), its line; II: the communes (subtotal), theirs
    assert [[ws.cell(r, c).value for c in (1, 2, 3, 7, 11)] for r in range(11, 17)] == [
        ["I", "Đơn vị báo cáo trực tiếp giải quyết", 1, 1, 0],
        [1, "UBND tỉnh P", 1, 1, 0],
        ["II", "UBND cấp xã", 7, 4, 2],
        [1, "UBND xã An Bình", 6, 3, 2],
        [2, "UBND xã Bình Minh", 1, 1, 0],
        [None, "Tổng cộng", 8, 5, 2],
    ]
    assert ws["A19"].value == (
        "Số hồ sơ trả lại, xin rút, từ chối giải quyết trong kỳ (không thuộc cột (7), (11)): 1; "
        "(3) = (7) + (11) + 1: 8 = 5 + 2 + 1.")
    assert main(["form06", "--period", "2025Q1", "--unit", "NOPE", "--db", str(store),
                 "--out", str(out)]) == 2
    assert "unknown unit 'NOPE'" in capsys.readouterr().err


def test_unknown_unit_is_an_error(store: Path) -> None:
    con = duckdb.connect(str(store), read_only=True)
    with pytest.raises(Form06Error, match="unknown unit 'Q'"):
        build_form06_lines(con, "2025Q1", "Q")
    con.close()


def test_by_field_puts_form06_only_units_on_a_line_of_their_own() -> None:
    con = duckdb.connect()
    _store(con)
    con.execute("INSERT INTO units (unit_id, name, level, parent_id) VALUES ('Z', 'UBND xã Cổ Loa', 'commune', 'P')")
    # Z sends only Biểu 06 totals (no field): online 4, direct 6, carried 1, early 5, on time 3,
    # late 1, in time 1, overdue 1
    con.execute("INSERT INTO form06 VALUES ('Z', '2025Q1', DATE '2024-12-15', DATE '2025-03-14',"
                " 4, 6, 1, 5, 3, 1, 1, 1)")
    lines, _ = build_form06_lines(con, "2025Q1", "P", by="field")
    con.close()
    got = _counts(lines)
    assert got["Chưa phân theo lĩnh vực (đơn vị chỉ gửi Biểu 06 tổng hợp)"] == [
        4, 6, 1, 5, 3, 1, 1, 1]
    assert got["Đất đai"] == [1, 3, 0, 1, 1, 1, 0, 0]
    assert len(got) == 3


def _strip_metadata(p: Path) -> Path:
    wb = load_workbook(p)
    del wb["_scorecard"]
    wb.custom_doc_props.props.clear()
    wb.save(p)
    return p


def test_by_unit_without_metadata_uses_unit_names(tmp_path: Path) -> None:
    meta = Form06Meta(unit_id="X", unit_name="UBND xã An Bình", period="2025Q2",
                      calendar="calendar", by="unit")
    lines = lines_frame(unit_ids=["X", "Y", "Z"])
    lines["label"] = ["UBND xã An Bình", "UBND xã Bình Minh", "UBND xã Cổ Loa"]
    p = _strip_metadata(write_form06_workbook(tmp_path / "u.xlsx", lines, meta))
    names = {**NAMES, "UBND xã Cổ Loa": "Z"}
    df = read_form06_workbook(p, names)
    assert df.attrs["metadata"] == "text" and df.attrs["by"] == "unit"  # from "Đơn vị" header
    assert list(df["unit_id"]) == ["X", "Y", "Z"]
    assert list(df["received_online"]) == [1200, 3, 0]
    assert (df["period"].iloc[0], df["period_start"].iloc[0]) == ("2025Q2", date(2025, 4, 1))
    with pytest.raises(Form06FormatError, match=r"cell B13: unit 'UBND xã Cổ Loa' is not a "
                                                r"known unit name"):
        read_form06_workbook(p, NAMES)


def test_period_from_the_window_alone_and_half_years(tmp_path: Path) -> None:
    p = _strip_metadata(write_form06_workbook(tmp_path / "w.xlsx", lines_frame(), META))
    wb = load_workbook(p)
    wb["Biểu 06"]["A5"] = "BÁO CÁO ĐỊNH KỲ"  # no "Kỳ báo cáo": the nd09 window says 2025Q1
    wb.save(p)
    assert read_form06_workbook(p, NAMES)["period"].iloc[0] == "2025Q1"
    wb["Biểu 06"]["A5"] = "Kỳ báo cáo: 6 tháng đầu năm 2025"
    wb["Biểu 06"]["A6"] = "(Từ ngày 15/12/2024 đến ngày 14/6/2025)"
    wb.save(p)
    with pytest.raises(Form06FormatError, match="cannot tell the period"):
        read_form06_workbook(p, NAMES)


# ---------------------------------------------------------------- withdrawn/refused, levels, batch
def test_note_gives_the_withdrawn_count_from_the_store(store: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(store), read_only=True)
    lines, meta = build_form06_lines(con, "2025Q1", "P", by="field")
    con.close()
    # (3) 8 = 7 received + case 3 carried over; (7) 5 resolved (1, 2, 3, 7, 8); (11) 2
    # pending (4, 5); case 6, withdrawn on 12/03, is in neither
    assert (meta.residual, meta.aggregate_only_units) == (1, 0)
    ws = load_workbook(write_form06_workbook(tmp_path / "p.xlsx", lines, meta))["Biểu 06"]
    assert ws["B13"].value == "Tổng cộng" and ws["C13"].value == 8
    assert ws["A16"].value == (
        "Số hồ sơ trả lại, xin rút, từ chối giải quyết trong kỳ (không thuộc cột (7), (11)): 1; "
        "(3) = (7) + (11) + 1: 8 = 5 + 2 + 1.")
    assert read_form06_workbook(tmp_path / "p.xlsx")["received_total"].iloc[0] == 8


def test_note_names_the_gap_of_units_sending_only_the_form(tmp_path: Path) -> None:
    # (3) 10, (7) 3, (11) 2: 5 not in (7) nor (11); the case data knows 2 withdrawn
    rows = [("Đất đai", 10, 0, 0, 3, 0, 0, 2, 0)]
    meta = Form06Meta(unit_id="X", unit_name="Huyện X", period="2025Q1", residual=2,
                      aggregate_only_units=1)
    ws = load_workbook(write_form06_workbook(tmp_path / "g.xlsx", lines_frame(rows), meta))[
        "Biểu 06"]
    assert ws["A15"].value == (
        "Số hồ sơ trả lại, xin rút, từ chối giải quyết trong kỳ (không thuộc cột (7), (11)): 2 "
        "theo dữ liệu hồ sơ, và 3 là chênh lệch trong Biểu 06 tổng hợp của 1 đơn vị chỉ gửi "
        "biểu (không tách hồ sơ trả lại, xin rút, từ chối); (3) = (7) + (11) + 5: "
        "10 = 3 + 2 + 5.")


def _levels_store() -> duckdb.DuckDBPyConnection:
    """Province P with no case of its own; departments and districts whose names sort one way
    by code point and another in Vietnamese (Â after A, before B)."""
    con = duckdb.connect()
    _store(con)
    con.execute("DELETE FROM cases WHERE unit_id = 'P'")
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)", [
        ("S2", "Sở Xây dựng", "department", "P"), ("S1", "Sở Tư pháp", "department", "P"),
        ("H2", "Huyện Bình Giang", "district", "P"), ("H1", "Huyện Ân Thi", "district", "P"),
    ])
    con.execute("UPDATE units SET parent_id = 'H1' WHERE unit_id IN ('X', 'Y')")
    return con


def test_by_unit_rows_grouped_by_level_in_the_official_order() -> None:
    con = _levels_store()
    lines, _ = build_form06_lines(con, "2025Q1", "P", by="unit")
    con.close()
    # no line for the province itself (it has no case); departments, then districts, each by
    # name in Vietnamese order; a district's line holds its communes (cases 1-7)
    assert [(s, name) for s, name in zip(lines["section"], lines["label"], strict=True)] == [
        ("Sở, ban, ngành", "Sở Tư pháp"), ("Sở, ban, ngành", "Sở Xây dựng"),
        ("UBND cấp huyện", "Huyện Ân Thi"), ("UBND cấp huyện", "Huyện Bình Giang")]
    assert _counts(lines)["Huyện Ân Thi"] == [2, 4, 1, 2, 1, 1, 1, 1]
    assert _counts(lines)["Sở Tư pháp"] == [0] * 8


def _indicator_counts(con: duckdb.DuckDBPyConnection, unit: str, scope: str) -> list[int]:
    from scorecard.indicators import compute_indicators

    df = compute_indicators(con, ["2025Q1"], "nd09", units=[unit], scopes=(scope,),
                            indicators=["received", "received_online", "carried_over",
                                        "resolved_early", "resolved_on_time", "resolved_late",
                                        "pending_in_time", "pending_overdue"])
    n = dict(zip(df["indicator"], df["numerator"].fillna(0).astype(int), strict=True))
    return [n["received_online"], n["received"] - n["received_online"], n["carried_over"],
            n["resolved_early"], n["resolved_on_time"], n["resolved_late"],
            n["pending_in_time"], n["pending_overdue"]]


@pytest.mark.parametrize("by", ["field", "unit"])
def test_one_source_for_every_unit_gives_each_unit_its_own_form(by: str) -> None:
    """``scorecard run`` builds every unit's form from one read of the period: each equals the
    form built for that unit alone, and its lines add up to the unit's tree as the indicators
    count it (including Z, which sends only the aggregate form)."""
    con = _levels_store()
    con.execute("INSERT INTO units (unit_id, name, level, parent_id) VALUES "
                "('Z', 'UBND xã Cổ Loa', 'commune', 'H2')")
    con.execute("INSERT INTO form06 VALUES ('Z', '2025Q1', DATE '2024-12-15', DATE '2025-03-14',"
                " 4, 6, 1, 5, 3, 1, 1, 1)")
    source = Form06Source(con, "2025Q1", by=by, calendar="nd09")
    parents = {"P", "H1", "H2"}
    for unit in ["P", "S1", "S2", "H1", "H2", "X", "Y", "Z"]:
        lines, meta = source.build(unit)
        alone, alone_meta = build_form06_lines(con, "2025Q1", unit, by=by)
        pd.testing.assert_frame_equal(lines, alone)
        assert meta == alone_meta
        sums = [int(lines[c].sum()) for c in COUNT_COLUMNS]
        assert sums == _indicator_counts(con, unit, "tree" if unit in parents else "own"), unit
    # Z's withdrawn cases are not known; H2's form says so (1 unit sending only the form)
    assert source.build("H2")[1].aggregate_only_units == 1
    assert source.build("P")[1].residual == 1
    con.close()
