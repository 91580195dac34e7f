"""The page setup every workbook shares (forms/workbook.py, forms/textwidth.py), and the late
list, task and 766 workbooks read back and printed through LibreOffice."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font

from scorecard.forms.index766_xlsx import write_index766_workbook
from scorecard.forms.tasks_xlsx import write_tasks_workbook
from scorecard.forms.textwidth import height_for_lines, text_width, wrapped_lines
from scorecard.forms.workbook import new_workbook, put, save_workbook, setup_page
from scorecard.late_list import build_late_list
from scorecard.late_list.excel import write_late_list_xlsx
from scorecard.store import reading
from tests import summary_fixtures as fx
from tests.pdf_pages import overprinted, read_pdf
from tests.real_tools import run_libreoffice
from tests.test_late_list import build_store

DEJAVU = {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}


# ------------------------------------------------------------------ measuring text
def test_widths_and_wrapping_by_hand() -> None:
    # DejaVu Sans: Đ .775, a .613, t .392 em; bold a .675; m .974, space .318
    assert text_width("Đạt", 10) == pytest.approx(17.8)
    assert text_width("a", 10, bold=True) == pytest.approx(6.75)
    # "mm mm" = 19.48 + 3.18 + 19.48 = 42.14 pt; a third word makes 64.8
    assert wrapped_lines("mm mm mm", 45, 10) == 2
    assert wrapped_lines("mm mm mm", 40, 10) == 3
    assert wrapped_lines("mm mm mm", 65, 10) == 1
    assert wrapped_lines("mmmmmmmmmm", 40, 10) == 3  # 97.4 pt cut over ceil(97.4 / 40) lines
    assert wrapped_lines("mm\nmm", 100, 10) == 2  # a line feed starts a line
    assert height_for_lines(2, 10) == pytest.approx(27.4)  # 2 × 1.17 × 10 + 4


def test_save_gives_fonts_and_heights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = new_workbook()
    ws = wb.active
    ws.column_dimensions["A"].width = 10  # 63.5 pt, 57.5 pt of text
    ws.column_dimensions["B"].width = 10
    wrap = Alignment(wrap_text=True)
    put(ws, 1, 1, "mm mm mm mm").alignment = wrap  # "mm mm" fits 57.5 pt, a third does not
    put(ws, 2, 1, "mm mm mm mm mm mm")  # not wrapped: one line, the row keeps its default
    put(ws, 3, 1, "mm mm mm mm mm mm").alignment = wrap  # merged A:B, 121 pt: 5 words a line
    ws.merge_cells("A3:B3")
    put(ws, 4, 1, "Tiêu đề").font = Font(name="Calibri", size=20, bold=True)
    put(ws, 5, 1, "x")
    ws.row_dimensions[5].height = 50  # a taller row the writer wants stays
    put(ws, 6, 1, 123456789.25).alignment = wrap  # numbers never wrap
    setup_page(ws, title_rows=(1, 2), freeze="B2", header="Trang đầu & cuối", footer="Chú thích")
    path = save_workbook(wb, tmp_path / "x.xlsx")

    back = load_workbook(path).active
    heights = [back.row_dimensions[r].height for r in range(1, 7)]
    assert heights == [27.4, None, 27.4, 27.4, 50.0, None]  # 2 lines; 2; 1 line of 20 pt
    fonts = {back.cell(r, 1).font.name for r in range(1, 7)}
    assert fonts == {"DejaVu Sans"}
    assert back.cell(4, 1).font.sz == 20 and back.cell(4, 1).font.b
    ps = back.page_setup
    assert (ps.orientation, ps.paperSize, ps.fitToWidth, ps.fitToHeight) == (
        "landscape", 9, 1, 0)
    assert back.sheet_properties.pageSetUpPr.fitToPage
    assert back.print_title_rows == "$1:$2" and back.freeze_panes == "B2"
    assert back.oddHeader.center.text.endswith("Trang đầu && cuối")  # & is a code there
    assert back.oddFooter.left.text.endswith("Chú thích")
    assert back.oddFooter.right.text.endswith("Trang &P/&N")

    monkeypatch.setenv("SCORECARD_WORKBOOK_FONT", "Liberation Serif")
    wb = new_workbook()
    put(wb.active, 1, 1, "x")
    back = load_workbook(save_workbook(wb, tmp_path / "y.xlsx")).active
    assert back["A1"].font.name == "Liberation Serif"


# ------------------------------------------------------------------ the other workbooks
def _detail(breakdown: pd.DataFrame) -> pd.DataFrame:
    return breakdown.assign(status="computed")[
        ["unit_id", "scope", "group", "metric", "label", "numerator", "denominator", "rate",
         "points", "max_points", "status"]]


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("books")
    with reading(build_store(tmp / "s.duckdb")) as con:
        late = build_late_list(con, "2025-06", generated_at=datetime(2025, 7, 3, 9, 30))
    summary, breakdown = fx.index766()
    summary = summary.assign(band_confirmed=[True, False])
    return {
        "late": write_late_list_xlsx(late, tmp / "late.xlsx"),
        "tasks": write_tasks_workbook(fx.task_listing(), tmp / "tasks.xlsx",
                                      title="Kế hoạch thử nghiệm năm 2025",
                                      period_label="Quý II/2025",
                                      window=(date(2025, 4, 1), date(2025, 6, 30))),
        "index766": write_index766_workbook(tmp / "index766.xlsx", summary, _detail(breakdown),
                                            [("Kỳ", "Quý II/2025"), ("Dữ liệu", "load 1")]),
    }


def test_page_setup_read_back(workbooks: dict[str, Path]) -> None:
    expected = {  # sheet: (orientation, rows repeated on every page)
        "late": {"Danh sách chậm, muộn": ("landscape", "$8:$9")},
        "tasks": {"Nhiệm vụ": ("landscape", "$3:$3"), "Tổng hợp": ("portrait", "$3:$3")},
        "index766": {"Tổng điểm": ("landscape", "$1:$1"), "Chi tiết": ("landscape", "$1:$1"),
                     "Nguồn": ("portrait", None)},
    }
    for book, sheets in expected.items():
        wb = load_workbook(workbooks[book])
        assert wb.sheetnames == list(sheets), book
        for name, (orientation, titles) in sheets.items():
            ws = wb[name]
            assert ws.page_setup.orientation == orientation, name
            assert (ws.page_setup.paperSize, ws.page_setup.fitToWidth) == (9, 1), name
            assert ws.print_title_rows == titles, name
            names = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
            assert names == {"DejaVu Sans"}, name
    # the late list: S's first procedure row, the totals; the headers' row is taller
    ws = load_workbook(workbooks["late"]).worksheets[0]
    assert ws["B10"].value == "Sở Tư pháp" and ws["D10"].value == 2
    assert ws.row_dimensions[8].height >= height_for_lines(4, 11)


def test_print_on_a4_in_dejavu_without_overprint(workbooks: dict[str, Path],
                                                  tmp_path: Path) -> None:
    out = tmp_path / "pdf"
    run_libreoffice(["--convert-to", "pdf", "--outdir", str(out),
                     *(str(p) for p in workbooks.values())], tmp_path)
    pages = {}
    for book, path in workbooks.items():
        printed = read_pdf(out / f"{path.stem}.pdf")
        pages[book] = [printed.landscape(i) for i in range(printed.pages)]
        assert printed.fonts <= DEJAVU, book
        assert all(sorted(s) == [595.3, 841.9] for s in printed.sizes), book
        assert overprinted(printed) == [], book
        words = " ".join(" ".join(printed.texts).split())
        if book == "late":
            assert "DANH SÁCH CƠ QUAN, ĐƠN VỊ CHẬM, MUỘN" in words and "Tổng cộng" in words
        if book == "tasks":
            assert "Rà soát quy trình nội bộ" in words and "Tỷ lệ đúng hạn" in words
    # one page per sheet: none is cut by columns
    assert pages == {"late": [True], "tasks": [True, False], "index766": [True, True, False]}
