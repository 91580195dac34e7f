"""The 766 index of one period as a workbook (``scorecard run`` writes it per period).

Three sheets, Vietnamese headers, numbers kept as numbers: "Tổng điểm" (one row per unit: its
total in its ranking scope, band and rank within its level, from
:func:`scorecard.index766.summarize_index766`), "Chi tiết" (every metric of every unit and
scope from :func:`scorecard.index766.compute_index766`) and "Nguồn" (profile, period, data).
Cells go through :mod:`scorecard.forms.workbook` (text never becomes a formula).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from scorecard.forms.workbook import append_row, put, save_workbook
from scorecard.report.format import LEVEL_VI, is_missing

SUMMARY_HEADERS = ["Mã đơn vị", "Đơn vị", "Cấp", "Phạm vi", "Tổng điểm", "Điểm tối đa",
                   "Điểm chưa có dữ liệu", "Xếp loại", "Ngưỡng xếp loại", "Hạng trong cấp",
                   "Số đơn vị cùng cấp"]
DETAIL_HEADERS = ["Mã đơn vị", "Phạm vi", "Nhóm", "Mã tiêu chí", "Tiêu chí", "Tử số", "Mẫu số",
                  "Tỷ lệ", "Điểm", "Điểm tối đa", "Trạng thái"]
SCOPE_VI = {"own": "Riêng đơn vị", "tree": "Toàn đơn vị"}
STATUS_VI = {"computed": "Đã tính", "no_data": "Chưa có dữ liệu",
             "no_denominator": "Không có mẫu số", "group": "Nhóm", "total": "Tổng"}


def _cell(value: Any) -> Any:
    if value is None or is_missing(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _sheet(wb: Workbook, title: str, headers: Sequence[str], rows: list[list[Any]],
           formats: dict[int, str], first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    append_row(ws, headers)
    for c in range(1, len(headers) + 1):
        ws.cell(1, c).font = Font(bold=True)
    for r in rows:
        n = append_row(ws, [_cell(v) for v in r])
        for col, fmt in formats.items():
            ws.cell(n, col).number_format = fmt
    ws.freeze_panes = "A2"
    for i, h in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, min(48, len(h) + 4))


def write_index766_workbook(path: str | Path, summary: pd.DataFrame, detail: pd.DataFrame,
                            source: Sequence[tuple[str, str]]) -> Path:
    """Write the workbook (atomically). ``summary``: summarize_index766 rows; ``detail``:
    compute_index766 rows; ``source``: (label, text) pairs for the "Nguồn" sheet."""
    wb = Workbook()
    _sheet(wb, "Tổng điểm", SUMMARY_HEADERS, [
        [r["unit_id"], r["name"], LEVEL_VI.get(r["level"], r["level"]),
         SCOPE_VI.get(r["scope"], r["scope"]), r["points"], r["max_points"],
         r["no_data_points"], r["band"],
         "chính thức" if r["band_confirmed"] else "chưa chính thức", r["rank"],
         r["units_ranked"]] for r in summary.to_dict("records")],
        {5: "0.00", 6: "0.00", 7: "0.00"}, first=True)
    _sheet(wb, "Chi tiết", DETAIL_HEADERS, [
        [r["unit_id"], SCOPE_VI.get(r["scope"], r["scope"]), r["group"], r["metric"],
         r.get("label"), r["numerator"], r["denominator"], r["rate"], r["points"],
         r["max_points"], STATUS_VI.get(r.get("status"), r.get("status"))]
        for r in detail.to_dict("records")],
        {8: "0.00%", 9: "0.00", 10: "0.00"})
    ws = wb.create_sheet("Nguồn")
    for i, (label, text) in enumerate(source, start=1):
        put(ws, i, 1, label).font = Font(bold=True)
        put(ws, i, 2, text)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 80
    return save_workbook(wb, path)
