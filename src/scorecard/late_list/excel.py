"""The monthly late list as an Excel sheet in the layout of a public notice: issuing authority,
national motto, title, month, numbered columns, one bold row per unit followed by its procedures,
a total and the notes. Cells go through :mod:`scorecard.forms.workbook` (text never becomes a
formula), the sheet gets the house font and print setup (A4 landscape, one page wide, the
column headers repeated on every page) and the file is written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from scorecard.forms.workbook import house_font, new_workbook, put, save_workbook, setup_page
from scorecard.late_list.compute import LateList

TITLE = "DANH SÁCH CƠ QUAN, ĐƠN VỊ CHẬM, MUỘN TRONG GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
SHEET = "Danh sách chậm, muộn"
DEMO_TEXT = "DỮ LIỆU MẪU — số liệu giả lập, không phải số liệu thật"
#: (header, unit-row field, procedure-row field) of columns (1)..(9).
COLUMNS: tuple[tuple[str, str | None, str | None], ...] = (
    ("STT", None, None),
    ("Cơ quan, đơn vị / Thủ tục hành chính", None, None),
    ("Mã TTHC", None, "procedure_id"),
    ("Số hồ sơ giải quyết quá hạn trong tháng", "resolved_late", "resolved_late"),
    ("Số hồ sơ quá hạn chưa giải quyết đến cuối tháng", "pending_overdue", "pending_overdue"),
    ("Tổng số hồ sơ chậm, muộn (6) = (4) + (5)", "late_total", "late_total"),
    ("Số hồ sơ đã có phiếu xin lỗi và hẹn lại", "late_with_apology", "late_with_apology"),
    ("Số hồ sơ chưa có phiếu xin lỗi (8) = (6) − (7)", "late_without_apology", None),
    ("Tỷ lệ hồ sơ chậm, muộn trên hồ sơ đã và đang giải quyết", "late_share", None),
)
_LAST = get_column_letter(len(COLUMNS))


def _dmy(d: Any) -> str:
    return f"{d:%d/%m/%Y}"


def write_late_list_xlsx(late: LateList, path: str | Path) -> Path:
    """Write ``late`` to ``path`` (.xlsx) and return the path."""
    wb = new_workbook()
    ws = wb.active
    ws.title = SHEET
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    normal, bold = house_font(11), house_font(11, bold=True)
    italic = house_font(11, italic=True)

    def cell(ref: str, value: Any, font: Font = normal, align: Alignment = center,
             merge_to: str | None = None) -> None:
        c = ws[ref]
        put(ws, c.row, c.column, value)
        c.font, c.alignment = font, align
        if merge_to:
            ws.merge_cells(f"{ref}:{merge_to}")

    cell("A1", late.issuer.upper(), bold, center, "C1")
    cell("E1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold, center, f"{_LAST}1")
    cell("E2", "Độc lập - Tự do - Hạnh phúc", bold, center, f"{_LAST}2")
    g = late.generated_at
    cell("E3", f"……, ngày {g:%d} tháng {g:%m} năm {g:%Y}", italic, center, f"{_LAST}3")
    cell("A4", TITLE, house_font(13, bold=True), center, f"{_LAST}4")
    cell("A5", f"{late.month.label_vi()} (từ ngày {_dmy(late.first)} đến ngày {_dmy(late.last)})",
         bold, center, f"{_LAST}5")
    basis = (f"Thực hiện Kế hoạch {late.plan_id}, mục II.8" if late.plan_id else
             "Số liệu từ dữ liệu hồ sơ giải quyết TTHC")
    cell("A6", f"{basis}; dữ liệu: {late.snapshot}", italic, center, f"{_LAST}6")
    row = 7
    if late.demo:
        cell(f"A{row}", DEMO_TEXT, house_font(11, bold=True, color="FFFFFF"), center,
             f"{_LAST}{row}")
        ws[f"A{row}"].fill = PatternFill("solid", fgColor="B71C1C")
        row += 1
    header, numbers = row + 1, row + 2
    for i, (text, _, _) in enumerate(COLUMNS, start=1):
        col = get_column_letter(i)
        cell(f"{col}{header}", text, bold)
        cell(f"{col}{numbers}", f"({i})", italic)
        ws[f"{col}{header}"].border = ws[f"{col}{numbers}"].border = border

    row = numbers
    procs = late.procedures.groupby("unit_id", sort=False)
    for rec in late.units.itertuples(index=False):
        row += 1
        values: list[Any] = [int(rec.rank), rec.unit_name, None]
        values += [getattr(rec, f) for _, f, _ in COLUMNS[3:]]
        _write_row(ws, row, values, bold, border, left)
        ws.cell(row, len(COLUMNS)).number_format = "0.00%"
        sub = procs.get_group(rec.unit_id) if rec.unit_id in procs.groups else None
        for k, p in enumerate([] if sub is None else sub.itertuples(index=False), start=1):
            row += 1
            pvals: list[Any] = [f"{int(rec.rank)}.{k}", f"- {p.procedure_name}", p.procedure_id]
            pvals += [None if f is None else getattr(p, f) for _, _, f in COLUMNS[3:]]
            pvals[7] = int(p.late_total) - int(p.late_with_apology)
            _write_row(ws, row, pvals, normal, border, left)
    if late.units.empty:
        row += 1
        cell(f"A{row}", "Không có cơ quan, đơn vị nào chậm, muộn trong tháng.", italic, center,
             f"{_LAST}{row}")
    else:
        row += 1
        totals: list[Any] = ["", "Tổng cộng", ""]
        totals += [int(late.units[f].sum()) for _, f, _ in COLUMNS[3:8]] + [None]
        _write_row(ws, row, totals, bold, border, left)
    row += 1
    for note in late.notes:
        row += 1
        cell(f"A{row}", f"Ghi chú: {note}", italic, left, f"{_LAST}{row}")
    for col, width in zip("ABCDEFGHI", (7, 48, 11, 13, 13, 13, 13, 13, 13), strict=True):
        ws.column_dimensions[col].width = width
    setup_page(ws, title_rows=(header, numbers), freeze=f"C{numbers + 1}")
    wb.properties.title = f"{TITLE} — {late.month.label_vi()}"
    wb.properties.creator = "scorecard late-list"
    return save_workbook(wb, path)


def _write_row(ws: Any, row: int, values: list[Any], font: Font, border: Border,
               left: Alignment) -> None:
    for col, value in enumerate(values, start=1):
        c = put(ws, row, col, _plain(value))
        c.font, c.border = font, border
        c.alignment = left if col == 2 else Alignment(horizontal="center", vertical="center")


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers; NaN/NA as an empty cell."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value
