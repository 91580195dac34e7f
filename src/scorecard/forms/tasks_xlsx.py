"""The workbook of a plan's task occurrences (`scorecard tasks --format xlsx`).

Two sheets: "Nhiệm vụ" (one row per occurrence and lead unit: status in Vietnamese, dates as date
cells shown dd/mm/yyyy) and "Tổng hợp" (per unit: due by the period's end, done on time, done
late, overdue, on-time rate). Every cell goes through :mod:`scorecard.forms.workbook` (text stays
text), and the file is written atomically.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from scorecard.forms.workbook import append_row, save_workbook
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
WIDTHS = {"task_id": 10, "text": 60, "unit_id": 14, "unit_name": 30, "level": 12,
          "deadline": 24, "occurrence": 10, "due": 12, "status": 26, "done_on": 14,
          "days_late": 10, "days_overdue": 12, "last_activity": 14, "document": 24, "note": 30}


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


def write_tasks_workbook(listing: pd.DataFrame, path: str | Path, *, title: str,
                         period_label: str, window: tuple[date, date],
                         demo: bool = False) -> Path:
    """Write ``listing`` (``scorecard.tasks.progress.LISTING_COLUMNS``) to ``path``."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    heading = [title, f"Kỳ báo cáo: {period_label} ({fmt_window(*window)})"]
    if demo:
        heading.append("DỮ LIỆU MẪU - không phải số liệu thật")
    for line in heading:
        ws.cell(append_row(ws, [line]), 1).font = Font(bold=True)
    header_row = append_row(ws, [VI_HEADERS[c] for c in SHEET_COLUMNS])
    for col in range(1, len(SHEET_COLUMNS) + 1):
        ws.cell(header_row, col).font = Font(bold=True)
    for rec in listing[SHEET_COLUMNS].to_dict("records"):
        row = append_row(ws, [_cell_value(c, rec[c]) for c in SHEET_COLUMNS])
        for col, c in enumerate(SHEET_COLUMNS, start=1):
            if c in DATE_COLUMNS:
                ws.cell(row, col).number_format = "dd/mm/yyyy"
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    for col, c in enumerate(SHEET_COLUMNS, start=1):
        ws.column_dimensions[ws.cell(header_row, col).column_letter].width = WIDTHS[c]

    summary = wb.create_sheet("Tổng hợp")
    append_row(summary, [title])
    append_row(summary, [f"Kỳ báo cáo: {period_label} ({fmt_window(*window)})"])
    append_row(summary, SUMMARY_HEADERS)
    for rec in unit_summary(listing, window[1]).to_dict("records"):
        row = append_row(summary, [rec["unit_id"], rec["unit_name"],
                                   LEVEL_VI.get(rec["level"], rec["level"]), rec["due"],
                                   rec["on_time"], rec["late"], rec["overdue"],
                                   None if is_missing(rec["rate"]) else float(rec["rate"])])
        summary.cell(row, len(SUMMARY_HEADERS)).number_format = "0.00%"
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
