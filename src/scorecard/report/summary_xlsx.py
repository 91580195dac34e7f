"""summary.xlsx: the index page's tables for people who work in Excel and for paper (openpyxl).

Sheets (each fits one A4 page wide, its header rows repeated on every printed page):

- "Tổng hợp": one row per target (the compact summary of the index page, from
  :func:`scorecard.evaluate.tally.plan_summary`): number, label, clause, requirement, the
  headline unit's value and verdict — or, where evaluation gave no pooled verdict, its tally
  "Đạt a/b đơn vị cấp xã" —, then per level the units passing, judged (pass + fail), in
  progress and without data, and the level's own verdict for targets judged per level;
- "Theo đơn vị": one row per unit, one narrow column per target holding a short status mark
  (:data:`STATUS_MARKS`, one fill per status; the legend is in every page's footer), pass,
  judged and in-progress counts, 766 points, band and rank, the render outcome;
- "Nhiệm vụ theo đơn vị" and "Nhiệm vụ quá hạn" (plans with a task register): per unit "đúng hạn
  a/b, quá hạn c", and the overdue assignments by lead unit
  (:func:`scorecard.forms.tasks_xlsx.add_task_sheets`);
- "Điểm 766": where each unit's 766 points went, per group
  (:func:`scorecard.forms.index766_xlsx.add_points_sheet`);
- "Nguồn": the provenance and the targets with their ids (for people matching the plan file).

Every cell is set through :mod:`scorecard.forms.workbook` (text stays text: a unit named
``=HYPERLINK(…)`` is a string cell, never a formula) and the file is written atomically.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scorecard.evaluate.tally import plan_summary, status_matrix
from scorecard.forms.index766_xlsx import add_points_sheet
from scorecard.forms.tasks_xlsx import add_task_sheets
from scorecard.forms.workbook import (
    append_row,
    house_font,
    new_workbook,
    put,
    save_workbook,
    setup_page,
    style_header,
    style_status,
)
from scorecard.report.format import (
    BAND_VI,
    LEVEL_VI,
    RUN_STATUS_VI,
    fmt_threshold,
    fmt_value,
    indicator_kind,
    is_missing,
    status_vi,
)
from scorecard.report.site import DEMO_BANNER_TEXT, Provenance

#: Short marks of the statuses in the unit × target matrix (narrow columns fit on paper).
STATUS_MARKS: dict[str, str] = {
    "pass": "Đạt",
    "fail": "KĐ",
    "in_progress": "ĐTH",
    "no_data": "CDL",
    "not_applicable": "–",
}
#: The marks explained (footer of every page of "Theo đơn vị").
MARKS_LEGEND = ("Đạt: đạt; KĐ: không đạt; ĐTH: đang thực hiện (chưa đến hạn đánh giá); "
                "CDL: chưa có dữ liệu; –: không áp dụng")
#: How the units of a level are named in a tally ("Đạt 3/5 đơn vị cấp xã").
LEVEL_UNITS: dict[str, str] = {"province": "đơn vị cấp tỉnh", "department": "sở, ngành",
                               "district": "đơn vị cấp huyện", "commune": "đơn vị cấp xã"}
SUMMARY_NOTES = (
    "Đạt / được đánh giá: số đơn vị đạt trên số đơn vị có kết quả đạt hoặc không đạt; đơn vị "
    "đang thực hiện (chỉ tiêu có thời hạn, chưa đến kỳ đánh giá) và chưa có dữ liệu không được "
    "đánh giá.",
    "Khi các cấp có yêu cầu khác nhau, kết quả chung không được đánh giá: cột kết quả cho biết "
    "số đơn vị đạt ở từng cấp.",
)
LEVEL_SUBHEADERS = ("Đạt", "Được đánh giá", "Đang thực hiện", "Chưa có dữ liệu")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _unique(labels: list[str], ids: list[str]) -> list[str]:
    """Column headers from labels; a label used twice gets its target id in brackets."""
    seen = pd.Series(labels, dtype=object).duplicated(keep=False)
    return [f"{lab} ({tid})" if dup else lab for lab, tid, dup in zip(labels, ids, seen,
                                                                       strict=True)]


def tally_text(row: Mapping[str, Any], levels: list[str]) -> str:
    """The headline's tallies of one plan_summary row: "Đạt 9/15 sở, ngành; Đạt 5/10 đơn vị
    cấp huyện" (levels without a tally left out)."""
    parts = []
    for lv in levels:
        met, judged = row.get(f"{lv}:units_met"), row.get(f"{lv}:units_judged")
        if is_missing(met) or is_missing(judged):
            continue
        parts.append(f"Đạt {int(met)}/{int(judged)} {LEVEL_UNITS.get(lv, LEVEL_VI.get(lv, lv))}")
    return "; ".join(parts)


def _page_title(prov: Provenance, sheet: str) -> str:
    """The text on top of every printed page: the sheet, the plan's id, the period."""
    demo = " — DỮ LIỆU MẪU" if prov.demo else ""
    plan_id = prov.plan.split(" — ")[0]
    return f"{sheet} — Kế hoạch {plan_id} — {prov.period_label}{demo}"


# ------------------------------------------------------------------ sheet 1: targets
def _targets_sheet(ws: Worksheet, evaluation: pd.DataFrame, prov: Provenance) -> None:
    summary, info = plan_summary(evaluation) if len(evaluation) else (pd.DataFrame(), {
        "unit_id": None, "levels": [], "title": ""})
    has_head = info["unit_id"] is not None
    levels: list[str] = list(info["levels"])
    verdict_levels = [lv for lv in levels if len(summary)
                      and summary[f"{lv}:verdict"].notna().any()]
    # two header rows: groups on the first, their columns on the second
    groups: list[tuple[str, list[str]]] = [("STT", [""]), ("Chỉ tiêu", [""]), ("Căn cứ", [""]),
                                           ("Yêu cầu", [""])]
    if has_head:
        groups.append((str(info["title"]), ["Giá trị", "Kết quả"]))
    for lv in levels:
        subs = list(LEVEL_SUBHEADERS) + (["Kết quả cả cấp"] if lv in verdict_levels else [])
        groups.append((LEVEL_VI.get(lv, lv), subs))
    col = 1
    for title, subs in groups:
        put(ws, 1, col, title)
        if subs == [""]:
            ws.merge_cells(start_row=1, start_column=col, end_row=2, end_column=col)
        else:
            for k, sub in enumerate(subs):
                put(ws, 2, col + k, sub)
            if len(subs) > 1:
                ws.merge_cells(start_row=1, start_column=col, end_row=1,
                               end_column=col + len(subs) - 1)
        col += len(subs)
    last_col = col - 1
    for r in (1, 2):
        style_header(ws, r, 1, last_col, size=9)

    row_no = 2
    for n, r in enumerate(summary.to_dict("records"), start=1):
        kind = indicator_kind(r["indicator"])
        req = "" if is_missing(r["threshold"]) else fmt_threshold(str(r["comparator"]),
                                                                  r["threshold"], kind)
        values: list[Any] = [n, r["label"], r["clause"] or "", req]
        head_status = None
        if has_head:
            if r["head_scope"] == "tally":
                values += [None, tally_text(r, levels)]
            else:
                head_status = r["status"] if r["status"] and not is_missing(r["status"]) \
                    else None
                values += [None if is_missing(r["value"]) else float(r["value"]),
                           status_vi(head_status) if head_status else None]
        for lv in levels:
            values += [r[f"{lv}:pass"], r[f"{lv}:judged"], r[f"{lv}:in_progress"],
                       r[f"{lv}:no_data"]]
            if lv in verdict_levels:
                v = r[f"{lv}:verdict"]
                values.append(None if is_missing(v) or v is None else (
                    f"{status_vi(v)} ({fmt_value(r[f'{lv}:value'], kind)})"
                    if not is_missing(r[f"{lv}:value"]) else status_vi(v)))
        row_no = append_row(ws, values)
        for j in range(1, last_col + 1):
            ws.cell(row_no, j).alignment = _WRAP_TOP if j in (2, 3, 4) else _CENTER
            ws.cell(row_no, j).font = house_font(9)
        if has_head:
            ws.cell(row_no, 5).number_format = "0.00%" if kind == "rate" else "#,##0"
            style_status(ws.cell(row_no, 6), head_status, size=9)
        col = 7 if has_head else 5
        for lv in levels:
            col += len(LEVEL_SUBHEADERS)
            if lv in verdict_levels:
                style_status(ws.cell(row_no, col), r[f"{lv}:verdict"], size=9)
                col += 1
    note_row = row_no + 2
    for text in ("Ghi chú:", *SUMMARY_NOTES):
        put(ws, note_row, 1, text).font = house_font(9, italic=True)
        ws.cell(note_row, 1).alignment = _WRAP_TOP
        ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row,
                       end_column=last_col)
        note_row += 1
    widths = {1: 5, 2: 42, 3: 12, 4: 12}
    if has_head:
        widths.update({5: 9, 6: 16})
    for j in range(1, last_col + 1):
        ws.column_dimensions[get_column_letter(j)].width = widths.get(j, 8)
    setup_page(ws, title_rows=(1, 2), freeze="C3", header=_page_title(prov, "Tổng hợp"))


# ------------------------------------------------------------------ sheet 2: units × targets
def _units_sheet(ws: Worksheet, evaluation: pd.DataFrame, prov: Provenance,
                 target_labels: Mapping[str, str], index766: pd.DataFrame | None,
                 run_status: Mapping[str, str]) -> None:
    matrix = status_matrix(evaluation)
    targets = list(dict.fromkeys(evaluation["target_id"])) if len(evaluation) else []
    labels = _unique([str(target_labels.get(t, t)) for t in targets], targets)
    idx = index766.set_index("unit_id") if index766 is not None and len(index766) else None
    header = ["Mã đơn vị", "Đơn vị", "Cấp", *labels, "Số chỉ tiêu đạt",
              "Số chỉ tiêu được đánh giá", "Số chỉ tiêu đang thực hiện", "Chỉ số 766",
              "Xếp loại 766", "Xếp hạng 766", "Báo cáo"]
    append_row(ws, header)
    style_header(ws, 1, 1, 3, size=9)
    style_header(ws, 1, 4, len(header), size=8, rotate=True)
    first_t = 4
    for _, row in matrix.iterrows():
        uid = str(row.unit_id)
        points = band = rank = None
        if idx is not None and uid in idx.index:
            points, band, rank = (idx.at[uid, c] if c in idx.columns else None
                                  for c in ("points", "band", "rank"))
        statuses = [None if is_missing(row[t]) else str(row[t]) for t in targets]
        in_progress = sum(1 for s in statuses if s == "in_progress")
        values = [uid, row.unit_name, LEVEL_VI.get(row.level, row.level),
                  *[None if s is None else STATUS_MARKS.get(s, s) for s in statuses],
                  int(row.passed), int(row.judged), in_progress,
                  None if is_missing(points) else float(points),
                  None if is_missing(band) else BAND_VI.get(str(band), str(band)),
                  None if is_missing(rank) else int(rank),
                  RUN_STATUS_VI.get(run_status.get(uid, ""), run_status.get(uid, ""))]
        r = append_row(ws, values)
        for j in range(1, len(header) + 1):
            ws.cell(r, j).font = house_font(9)
            ws.cell(r, j).alignment = _LEFT if j <= 3 else _CENTER
        for j, st in enumerate(statuses, start=first_t):
            style_status(ws.cell(r, j), st, size=8)
        ws.cell(r, len(header) - 3).number_format = "0.00"
    last = get_column_letter(len(header))
    ws.auto_filter.ref = f"A1:{last}{max(ws.max_row, 1)}"
    widths = {1: 12, 2: 26, 3: 9}
    for j in range(1, len(header) + 1):
        if j in widths:
            w = widths[j]
        elif first_t <= j < first_t + len(targets):
            w = 4.2
        elif j == len(header) - 2:  # band
            w = 9.5
        elif j == len(header) - 3:  # points
            w = 6
        elif j == len(header):  # render outcome
            w = 11
        else:
            w = 5
        ws.column_dimensions[get_column_letter(j)].width = w
    setup_page(ws, title_rows=(1, 1), freeze="D2",
               header=_page_title(prov, "Kết quả theo đơn vị"), footer=MARKS_LEGEND)
    # paper shows the names, not the ids, nor the render outcome (the index page lists failures)
    ws.print_area = f"B1:{get_column_letter(len(header) - 1)}{max(ws.max_row, 1)}"


# ------------------------------------------------------------------ provenance
def _source_sheet(ws: Worksheet, evaluation: pd.DataFrame, prov: Provenance,
                  target_labels: Mapping[str, str], notes: list[str]) -> None:
    if prov.demo:
        r = append_row(ws, [DEMO_BANNER_TEXT])
        ws.cell(r, 1).font = house_font(bold=True, color="B71C1C")
    for k, v in prov.items():
        r = append_row(ws, [k, v])
        ws.cell(r, 1).font = house_font(bold=True)
    for note in notes:
        append_row(ws, ["Ghi chú", note])
    append_row(ws, [])
    head = append_row(ws, ["Mã chỉ tiêu", "Chỉ tiêu"])
    style_header(ws, head, 1, 2, horizontal="left")
    targets = list(dict.fromkeys(evaluation["target_id"])) if len(evaluation) else []
    for t in targets:
        append_row(ws, [t, target_labels.get(t, t)])
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=2):
        for cell in row:
            cell.alignment = _WRAP_TOP
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 80
    setup_page(ws, landscape=False, title_rows=(head, head),
               header=_page_title(prov, "Nguồn số liệu"))


def write_summary_xlsx(path: str | Path, evaluation: pd.DataFrame, prov: Provenance, *,
                       target_labels: Mapping[str, str],
                       index766: pd.DataFrame | None = None,
                       run_status: Mapping[str, str] | None = None,
                       tasks: pd.DataFrame | None = None,
                       period_last: date | None = None,
                       index766_breakdown: pd.DataFrame | None = None) -> Path:
    """Write the summary workbook; returns its path.

    ``index766``: unit_id, points, band, rank, scope (``summarize_index766``);
    ``index766_breakdown``: ``points_breakdown`` rows (the "Điểm 766" sheet, for the units of
    the matrix in their ranking scope); ``tasks``: the plan's task occurrences
    (``scorecard.tasks.LISTING_COLUMNS``; ``attrs['has_register']`` False or None → no task
    sheets) judged at ``period_last``.
    """
    run_status = run_status or {}
    wb = new_workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    _targets_sheet(ws, evaluation, prov)
    _units_sheet(wb.create_sheet("Theo đơn vị"), evaluation, prov, target_labels, index766,
                 run_status)
    units = list(status_matrix(evaluation)["unit_id"]) if len(evaluation) else []
    notes: list[str] = []
    if tasks is not None and tasks.attrs.get("has_register", True) and period_last is not None:
        add_task_sheets(wb, tasks, period_last, header=lambda s: _page_title(prov, s))
    else:
        notes.append("Kế hoạch không có bảng nhiệm vụ (Phụ lục nhiệm vụ) trong phần mềm.")
    if index766_breakdown is not None and index766 is not None and len(index766_breakdown):
        add_points_sheet(wb, index766_breakdown, index766, units=units,
                         header=_page_title(prov, "Điểm Chỉ số 766 theo nhóm"))
    _source_sheet(wb.create_sheet("Nguồn"), evaluation, prov, target_labels, notes)
    return save_workbook(wb, path)
