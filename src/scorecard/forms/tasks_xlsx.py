"""Workbooks of a plan's task occurrences (`scorecard tasks --format xlsx`) and the task sheets
of summary.xlsx.

``write_tasks_workbook``: two sheets, "Nhiệm vụ" (one row per occurrence and lead unit: status
in Vietnamese, dates as date cells shown dd/mm/yyyy) and "Tổng hợp" (per unit: due by the
period's end, done on time, done late, overdue, on-time rate). ``add_task_sheets`` (summary.xlsx):
"Nhiệm vụ theo đơn vị" (the same counts and "đúng hạn a/b, quá hạn c") and "Nhiệm vụ quá hạn"
(the overdue assignments grouped by lead unit, most overdue first). Every cell goes through
:mod:`scorecard.forms.workbook` (text stays text), every sheet gets its print setup, and the
file is written atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from scorecard.forms.workbook import (
    append_row,
    house_font,
    new_workbook,
    save_workbook,
    setup_page,
    style_header,
)
from scorecard.report.format import LEVEL_VI, fmt_window, is_missing
from scorecard.tasks.display import VI_HEADERS, status_word
from scorecard.tasks.judging import indicator_counts

#: Columns of the "Nhiệm vụ" sheet (listing columns; headers from VI_HEADERS).
SHEET_COLUMNS = ["task_id", "text", "unit_id", "unit_name", "level", "deadline", "occurrence",
                 "due", "status", "done_on", "days_late", "days_overdue", "last_activity",
                 "document", "note"]
DATE_COLUMNS = {"due", "done_on", "last_activity"}
SUMMARY_HEADERS = ["Mã đơn vị", "Đơn vị", "Cấp", "Đến hạn đến cuối kỳ", "Hoàn thành đúng hạn",
                   "Hoàn thành trễ hạn", "Quá hạn chưa hoàn thành", "Tỷ lệ đúng hạn"]
WIDTHS = {"task_id": 9, "text": 48, "unit_id": 12, "unit_name": 22, "level": 10,
          "deadline": 18, "occurrence": 9, "due": 11, "status": 16, "done_on": 11,
          "days_late": 8, "days_overdue": 8, "last_activity": 11, "document": 18, "note": 20}
#: Headers of "Nhiệm vụ quá hạn" (one row per overdue occurrence under its lead unit).
OVERDUE_HEADERS = ["STT", "Nhiệm vụ", "Nội dung", "Thời hạn (theo kế hoạch)", "Kỳ", "Hạn",
                   "Số ngày quá hạn"]
_WRAP = Alignment(wrap_text=True, vertical="top")


def _cell_value(column: str, value: object) -> object:
    if is_missing(value):
        return None
    if column in DATE_COLUMNS:
        return pd.Timestamp(value).date()
    if column in ("days_late", "days_overdue"):
        return int(value)
    if column == "status":
        return status_word(str(value))
    if column == "level":
        return LEVEL_VI.get(str(value), str(value))
    return str(value)


def _wrap_rows(ws: Worksheet, first: int, size: float = 9) -> None:
    for row in ws.iter_rows(min_row=first, max_row=ws.max_row):
        for cell in row:
            cell.alignment = _WRAP
            cell.font = house_font(size, bold=bool(cell.font and cell.font.b))


def write_tasks_workbook(listing: pd.DataFrame, path: str | Path, *, title: str,
                         period_label: str, window: tuple[date, date],
                         demo: bool = False) -> Path:
    """Write ``listing`` (``scorecard.tasks.progress.LISTING_COLUMNS``) to ``path``."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    period_line = f"Kỳ báo cáo: {period_label} ({fmt_window(*window)})"
    heading = [title, period_line]
    if demo:
        heading.append("DỮ LIỆU MẪU - không phải số liệu thật")
    for line in heading:
        ws.cell(append_row(ws, [line]), 1).font = house_font(bold=True)
    header_row = append_row(ws, [VI_HEADERS[c] for c in SHEET_COLUMNS])
    for rec in listing[SHEET_COLUMNS].to_dict("records"):
        row = append_row(ws, [_cell_value(c, rec[c]) for c in SHEET_COLUMNS])
        for col, c in enumerate(SHEET_COLUMNS, start=1):
            if c in DATE_COLUMNS:
                ws.cell(row, col).number_format = "dd/mm/yyyy"
    _wrap_rows(ws, header_row + 1)
    style_header(ws, header_row, 1, len(SHEET_COLUMNS), size=9)
    for col, c in enumerate(SHEET_COLUMNS, start=1):
        ws.column_dimensions[ws.cell(header_row, col).column_letter].width = WIDTHS[c]
    setup_page(ws, title_rows=(header_row, header_row), freeze=f"A{header_row + 1}",
               header=f"{title} — {period_line}")

    summary = wb.create_sheet("Tổng hợp")
    append_row(summary, [title])
    append_row(summary, [period_line])
    head = append_row(summary, SUMMARY_HEADERS)
    for rec in unit_summary(listing, window[1]).to_dict("records"):
        row = append_row(summary, [rec["unit_id"], rec["unit_name"],
                                   LEVEL_VI.get(rec["level"], rec["level"]), rec["due"],
                                   rec["on_time"], rec["late"], rec["overdue"],
                                   None if is_missing(rec["rate"]) else float(rec["rate"])])
        summary.cell(row, len(SUMMARY_HEADERS)).number_format = "0.00%"
    _wrap_rows(summary, head + 1)
    style_header(summary, head, 1, len(SUMMARY_HEADERS), size=9)
    for col, width in zip("ABCDEFGH", (12, 30, 10, 11, 11, 11, 11, 10), strict=True):
        summary.column_dimensions[col].width = width
    setup_page(summary, landscape=False, title_rows=(head, head), freeze=f"A{head + 1}",
               header=f"{title} — {period_line}")
    return save_workbook(wb, path)


def unit_summary(listing: pd.DataFrame, last: date) -> pd.DataFrame:
    """Per lead unit (name and level beside): the counts of
    :func:`scorecard.tasks.judging.indicator_counts` and the on-time rate (NULL when nothing
    was due)."""
    counts = indicator_counts(listing, last)
    names = listing[["unit_id", "unit_name", "level"]].dropna(subset=["unit_id"]).drop_duplicates()
    out = names.merge(counts, on="unit_id").sort_values("unit_id")
    out["rate"] = (out["on_time"] / out["due"]).where(out["due"] > 0)
    return out.reset_index(drop=True)


def progress_text(on_time: int, due: int, overdue: int) -> str:
    """A unit's tasks in words: ``progress_text(3, 4, 1) == "đúng hạn 3/4, quá hạn 1"``."""
    return f"đúng hạn {int(on_time)}/{int(due)}, quá hạn {int(overdue)}"


def overdue_by_unit(listing: pd.DataFrame) -> pd.DataFrame:
    """The overdue occurrences (status ``overdue``) with a lead unit, grouped by unit: units
    with the most overdue first (then by name), each unit's longest overdue first."""
    od = listing[(listing["status"] == "overdue") & listing["unit_id"].notna()].copy()
    if od.empty:
        return od
    od["_n"] = od.groupby("unit_id")["task_id"].transform("size")
    od["_days"] = pd.to_numeric(od["days_overdue"], errors="coerce").fillna(0)
    od = od.sort_values(["_n", "unit_name", "unit_id", "_days", "task_id"],
                        ascending=[False, True, True, False, True], kind="stable")
    return od.drop(columns=["_n", "_days"]).reset_index(drop=True)


def add_task_sheets(wb: Workbook, listing: pd.DataFrame, last: date, *,
                    header: Callable[[str], str] = str) -> None:
    """Add "Nhiệm vụ theo đơn vị" and "Nhiệm vụ quá hạn" to ``wb`` (summary.xlsx): the
    occurrences of ``listing`` judged at ``last``; ``header(sheet title)`` is the text printed
    at the top of each page."""
    ws = wb.create_sheet("Nhiệm vụ theo đơn vị")
    cols = [*SUMMARY_HEADERS, "Nhiệm vụ"]
    append_row(ws, cols)
    for rec in unit_summary(listing, last).to_dict("records"):
        r = append_row(ws, [rec["unit_id"], rec["unit_name"],
                            LEVEL_VI.get(rec["level"], rec["level"]), int(rec["due"]),
                            int(rec["on_time"]), int(rec["late"]), int(rec["overdue"]),
                            None if is_missing(rec["rate"]) else float(rec["rate"]),
                            progress_text(rec["on_time"], rec["due"], rec["overdue"])])
        ws.cell(r, 8).number_format = "0.00%"
    _wrap_rows(ws, 2)
    style_header(ws, 1, 1, len(cols), size=9)
    for col, width in zip("ABCDEFGHI", (12, 30, 10, 10, 10, 10, 10, 9, 22), strict=True):
        ws.column_dimensions[col].width = width
    setup_page(ws, landscape=False, title_rows=(1, 1), freeze="C2",
               header=header("Nhiệm vụ theo kế hoạch: theo đơn vị chủ trì"))

    wo = wb.create_sheet("Nhiệm vụ quá hạn")
    append_row(wo, OVERDUE_HEADERS)
    overdue = overdue_by_unit(listing)
    unit_rows: list[int] = []
    for uid, grp in overdue.groupby("unit_id", sort=False):
        name = grp["unit_name"].iloc[0]
        level = LEVEL_VI.get(str(grp["level"].iloc[0]), str(grp["level"].iloc[0]))
        r = append_row(wo, [f"{name} ({level}, mã {uid}): {len(grp)} nhiệm vụ quá hạn"])
        unit_rows.append(r)
        for k, rec in enumerate(grp.to_dict("records"), start=1):
            row = append_row(wo, [k, rec["task_id"], rec["text"], rec["deadline"],
                                  rec["occurrence"] or None, _cell_value("due", rec["due"]),
                                  _cell_value("days_overdue", rec["days_overdue"])])
            wo.cell(row, 6).number_format = "dd/mm/yyyy"
    if overdue.empty:
        unit_rows.append(append_row(wo, ["Không có nhiệm vụ quá hạn đến cuối kỳ."]))
    _wrap_rows(wo, 2)
    for r in unit_rows:
        wo.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(OVERDUE_HEADERS))
        wo.cell(r, 1).font = house_font(9, bold=True)
    style_header(wo, 1, 1, len(OVERDUE_HEADERS), size=9)
    for col, width in zip("ABCDEFG", (5, 9, 60, 20, 9, 11, 9), strict=True):
        wo.column_dimensions[col].width = width
    setup_page(wo, title_rows=(1, 1), freeze="A2",
               header=header("Nhiệm vụ quá hạn theo đơn vị chủ trì"))
