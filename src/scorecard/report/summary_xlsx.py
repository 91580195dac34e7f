"""summary.xlsx: the index page's tables for people who work in Excel (openpyxl).

Sheets:

- "Tổng hợp": one row per target (the compact summary of the index page): label, clause,
  requirement, the headline unit's value (a number, formatted as a percentage for rates) and
  status, then per level the units passing, judged and without data;
- "Theo đơn vị": one row per unit, one column per target (full Vietnamese label), status words
  coloured, header styled and frozen, autofilter, pass count, 766 points, band and rank;
- "Nguồn": the provenance and the targets with their ids (for people matching the plan file).

Every cell is set through :mod:`scorecard.forms.workbook` (text stays text: a unit named
``=HYPERLINK(…)`` is a string cell, never a formula) and the file is written atomically.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from scorecard.evaluate.tally import plan_summary, status_matrix
from scorecard.forms.workbook import append_row, save_workbook
from scorecard.report.format import (
    BAND_VI,
    LEVEL_VI,
    RUN_STATUS_VI,
    STATUS_COLOURS,
    fmt_threshold,
    indicator_kind,
    is_missing,
    status_vi,
)
from scorecard.report.site import DEMO_BANNER_TEXT, Provenance

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")


def _style_header(ws, height: int = 48) -> None:  # type: ignore[no-untyped-def]
    for cell in ws[1]:
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, WRAP
    ws.row_dimensions[1].height = height


def _unique(labels: list[str], ids: list[str]) -> list[str]:
    """Column headers from labels; a label used twice gets its target id in brackets."""
    seen = pd.Series(labels).duplicated(keep=False)
    return [f"{lab} ({tid})" if dup else lab for lab, tid, dup in zip(labels, ids, seen,
                                                                       strict=True)]


def write_summary_xlsx(path: str | Path, evaluation: pd.DataFrame, prov: Provenance, *,
                       target_labels: Mapping[str, str],
                       index766: pd.DataFrame | None = None,
                       run_status: Mapping[str, str] | None = None) -> Path:
    """Write the summary workbook; returns its path.

    ``index766``: unit_id, points, band, rank (as from ``summarize_index766``).
    """
    matrix = status_matrix(evaluation)
    targets = list(dict.fromkeys(evaluation["target_id"])) if len(evaluation) else []
    labels = _unique([str(target_labels.get(t, t)) for t in targets], targets)
    idx = index766.set_index("unit_id") if index766 is not None and len(index766) else None
    run_status = run_status or {}
    fills = {s: PatternFill("solid", fgColor=bg.lstrip("#").upper()) for s, (bg, _) in
             STATUS_COLOURS.items()}
    fonts = {s: Font(color=fg.lstrip("#").upper(), bold=s == "fail") for s, (_, fg) in
             STATUS_COLOURS.items()}

    wb = Workbook()
    # ---- sheet 1: one row per target
    ws = wb.active
    ws.title = "Tổng hợp"
    summary, info = plan_summary(evaluation) if len(evaluation) else (pd.DataFrame(), {
        "unit_id": None, "levels": [], "title": ""})
    has_head = info["unit_id"] is not None
    header = ["Chỉ tiêu", "Căn cứ", "Yêu cầu"]
    if has_head:
        header += [f"{info['title']}: giá trị", f"{info['title']}: kết quả"]
    for lv in info["levels"]:
        name = LEVEL_VI.get(lv, lv)
        header += [f"{name}: số đơn vị đạt", f"{name}: số đơn vị được đánh giá",
                   f"{name}: chưa có dữ liệu"]
    append_row(ws, header)
    _style_header(ws, 60)
    for r in summary.to_dict("records"):
        kind = indicator_kind(r["indicator"])
        req = "" if is_missing(r["threshold"]) else fmt_threshold(str(r["comparator"]),
                                                                  r["threshold"], kind)
        values: list = [r["label"], r["clause"] or "", req]
        if has_head:
            values += [None if is_missing(r["value"]) else float(r["value"]),
                       status_vi(r["status"]) if r["status"] else None]
        for lv in info["levels"]:
            values += [r[f"{lv}:pass"], r[f"{lv}:judged"], r[f"{lv}:no_data"]]
        row = append_row(ws, values)
        if has_head:
            ws.cell(row=row, column=4).number_format = "0.00%" if kind == "rate" else "#,##0"
            st = r["status"]
            if st in fills:
                ws.cell(row=row, column=5).fill = fills[st]
                ws.cell(row=row, column=5).font = fonts[st]
        for j in range(1, 4):
            ws.cell(row=row, column=j).alignment = WRAP
    ws.freeze_panes = "B2"
    widths = {1: 48, 2: 16, 3: 16}
    for j in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(j)].width = widths.get(j, 13)

    # ---- sheet 2: one row per unit
    wu = wb.create_sheet("Theo đơn vị")
    header = ["Mã đơn vị", "Đơn vị", "Cấp", *labels, "Số chỉ tiêu đạt",
              "Số chỉ tiêu được đánh giá", "Chỉ số 766", "Xếp loại 766", "Xếp hạng 766", "Báo cáo"]
    append_row(wu, header)
    _style_header(wu, 90)
    for _, row in matrix.iterrows():
        uid = str(row.unit_id)
        points = band = rank = None
        if idx is not None and uid in idx.index:
            points, band, rank = (idx.at[uid, c] if c in idx.columns else None
                                  for c in ("points", "band", "rank"))
        values = [uid, row.unit_name, LEVEL_VI.get(row.level, row.level),
                  *[None if is_missing(row[t]) else status_vi(row[t]) for t in targets],
                  int(row.passed), int(row.judged),
                  None if is_missing(points) else float(points),
                  None if is_missing(band) else BAND_VI.get(str(band), str(band)),
                  None if is_missing(rank) else int(rank),
                  RUN_STATUS_VI.get(run_status.get(uid, ""), run_status.get(uid, ""))]
        r = append_row(wu, values)
        for j, t in enumerate(targets, start=4):
            st = None if is_missing(row[t]) else str(row[t])
            if st in fills:
                wu.cell(row=r, column=j).fill = fills[st]
                wu.cell(row=r, column=j).font = fonts[st]
        wu.cell(row=r, column=len(header) - 3).number_format = "0.00"
    wu.freeze_panes = "D2"
    wu.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(wu.max_row, 1)}"
    widths = {1: 14, 2: 34, 3: 12}
    for j in range(1, len(header) + 1):
        wu.column_dimensions[get_column_letter(j)].width = widths.get(j, 16)

    # ---- sheet 3: provenance
    src = wb.create_sheet("Nguồn")
    if prov.demo:
        append_row(src, [DEMO_BANNER_TEXT])
        src["A1"].font = Font(bold=True, color="B71C1C")
    for k, v in prov.items():
        append_row(src, [k, v])
    append_row(src, [])
    append_row(src, ["Mã chỉ tiêu", "Chỉ tiêu"])
    for t in targets:
        append_row(src, [t, target_labels.get(t, t)])
    src.column_dimensions["A"].width = 28
    src.column_dimensions["B"].width = 90
    return save_workbook(wb, path)
