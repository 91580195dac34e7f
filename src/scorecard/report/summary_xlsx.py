"""summary.xlsx: the index page's table for people who work in Excel (openpyxl).

One sheet "Tổng hợp" (one row per unit, one column per target, status words coloured, header
styled and frozen, autofilter) and one sheet "Nguồn" with the provenance.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from scorecard.report.format import BAND_VI, LEVEL_VI, STATUS_COLOURS, is_missing, status_vi
from scorecard.report.site import DEMO_BANNER_TEXT, Provenance, status_matrix

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
RUN_WORDS = {"ok": "Hoàn thành", "failed": "Lỗi", "skipped": "Không đổi"}


def write_summary_xlsx(path: str | Path, evaluation: pd.DataFrame, prov: Provenance, *,
                       target_labels: Mapping[str, str],
                       index766: pd.DataFrame | None = None,
                       run_status: Mapping[str, str] | None = None) -> Path:
    """Write the summary workbook; returns its path.

    ``index766``: unit_id, points, band, rank (as from ``summarize_index766``).
    """
    matrix = status_matrix(evaluation)
    targets = list(dict.fromkeys(evaluation["target_id"])) if len(evaluation) else []
    idx = index766.set_index("unit_id") if index766 is not None and len(index766) else None
    run_status = run_status or {}

    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    header = ["Mã đơn vị", "Đơn vị", "Cấp", *targets, "Số chỉ tiêu đạt",
              "Số chỉ tiêu được đánh giá", "Chỉ số 766", "Xếp loại 766", "Xếp hạng 766", "Báo cáo"]
    ws.append(header)
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for j, t in enumerate(targets, start=4):  # the full label as a comment-like second header
        ws.cell(row=1, column=j).value = t
    fills = {s: PatternFill("solid", fgColor=bg.lstrip("#").upper()) for s, (bg, _) in
             STATUS_COLOURS.items()}
    fonts = {s: Font(color=fg.lstrip("#").upper(), bold=s == "fail") for s, (_, fg) in
             STATUS_COLOURS.items()}
    for _, row in matrix.iterrows():
        uid = str(row.unit_id)
        points = band = rank = None
        if idx is not None and uid in idx.index:
            points, band, rank = (idx.at[uid, c] if c in idx.columns else None
                                  for c in ("points", "band", "rank"))
        values = [uid, row.unit_name, LEVEL_VI.get(row.level, row.level),
                  *[status_vi(row[t]) for t in targets], int(row.passed), int(row.judged),
                  None if is_missing(points) else float(points),
                  None if is_missing(band) else BAND_VI.get(str(band), str(band)),
                  None if is_missing(rank) else int(rank),
                  RUN_WORDS.get(run_status.get(uid, ""), run_status.get(uid, ""))]
        ws.append(values)
        r = ws.max_row
        for j, t in enumerate(targets, start=4):
            st = "no_data" if is_missing(row[t]) else str(row[t])
            if st in fills:
                ws.cell(row=r, column=j).fill = fills[st]
                ws.cell(row=r, column=j).font = fonts[st]
        ws.cell(row=r, column=len(header) - 3).number_format = "0.00"
    ws.freeze_panes = "D2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(ws.max_row, 1)}"
    widths = {1: 14, 2: 34, 3: 12}
    for j in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(j)].width = widths.get(j, 14)
    ws.row_dimensions[1].height = 42

    src = wb.create_sheet("Nguồn")
    if prov.demo:
        src.append([DEMO_BANNER_TEXT])
        src["A1"].font = Font(bold=True, color="B71C1C")
    for k, v in prov.items():
        src.append([k, v])
    src.append([])
    src.append(["Mã chỉ tiêu", "Chỉ tiêu"])
    for t in targets:
        src.append([t, target_labels.get(t, t)])
    src.column_dimensions["A"].width = 28
    src.column_dimensions["B"].width = 90
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
