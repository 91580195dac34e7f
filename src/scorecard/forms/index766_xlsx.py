"""The 766 index of one period as a workbook (``scorecard run`` writes it per period), and the
"where the points went" sheet of summary.xlsx.

``write_index766_workbook``: three sheets, Vietnamese headers, numbers kept as numbers: "Tổng
điểm" (one row per unit: its total in its ranking scope, band and rank within its level, from
:func:`scorecard.index766.summarize_index766`), "Chi tiết" (every metric of every unit and
scope from :func:`scorecard.index766.compute_index766`) and "Nguồn" (profile, period, data).
``add_points_sheet``: per unit (in its ranking scope) the points of each group out of its
maximum, the metrics that lost the most, and which metrics used a manual value or had none
(from :func:`scorecard.index766.points_breakdown`). Cells go through
:mod:`scorecard.forms.workbook` (text never becomes a formula); every sheet gets its print setup.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from scorecard.forms.workbook import (
    append_row,
    house_font,
    new_workbook,
    put,
    save_workbook,
    setup_page,
    style_header,
)
from scorecard.report.format import LEVEL_VI, fmt_num, is_missing

SUMMARY_HEADERS = ["Mã đơn vị", "Đơn vị", "Cấp", "Phạm vi", "Tổng điểm", "Điểm tối đa",
                   "Điểm chưa có dữ liệu", "Xếp loại", "Ngưỡng xếp loại", "Hạng trong cấp",
                   "Số đơn vị cùng cấp"]
DETAIL_HEADERS = ["Mã đơn vị", "Phạm vi", "Nhóm", "Mã tiêu chí", "Tiêu chí", "Tử số", "Mẫu số",
                  "Tỷ lệ", "Điểm", "Điểm tối đa", "Trạng thái"]
SCOPE_VI = {"own": "Riêng đơn vị", "tree": "Toàn đơn vị"}
STATUS_VI = {"computed": "Đã tính", "no_data": "Chưa có dữ liệu",
             "no_denominator": "Không có mẫu số", "group": "Nhóm", "total": "Tổng"}
#: How many metrics "Điểm mất nhiều nhất" names per unit.
TOP_LOST = 2
_WRAP = Alignment(wrap_text=True, vertical="top")
_NUM = Alignment(horizontal="right", vertical="top")


def _cell(value: Any) -> Any:
    if value is None or is_missing(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _sheet(wb: Workbook, title: str, headers: Sequence[str], rows: list[list[Any]],
           formats: dict[int, str], widths: Sequence[float], first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    append_row(ws, headers)
    for r in rows:
        n = append_row(ws, [_cell(v) for v in r])
        for col, fmt in formats.items():
            ws.cell(n, col).number_format = fmt
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for cell in row:
            cell.alignment = _WRAP
            cell.font = house_font(9)
    style_header(ws, 1, 1, len(headers), size=9)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    setup_page(ws, title_rows=(1, 1), freeze="A2", header=f"Chỉ số 766 — {title}")


def write_index766_workbook(path: str | Path, summary: pd.DataFrame, detail: pd.DataFrame,
                            source: Sequence[tuple[str, str]]) -> Path:
    """Write the workbook (atomically). ``summary``: summarize_index766 rows; ``detail``:
    compute_index766 rows; ``source``: (label, text) pairs for the "Nguồn" sheet."""
    wb = new_workbook()
    _sheet(wb, "Tổng điểm", SUMMARY_HEADERS, [
        [r["unit_id"], r["name"], LEVEL_VI.get(r["level"], r["level"]),
         SCOPE_VI.get(r["scope"], r["scope"]), r["points"], r["max_points"],
         r["no_data_points"], r["band"],
         "chính thức" if r["band_confirmed"] else "chưa chính thức", r["rank"],
         r["units_ranked"]] for r in summary.to_dict("records")],
        {5: "0.00", 6: "0.00", 7: "0.00"}, (12, 28, 10, 11, 8, 8, 9, 10, 10, 7, 8), first=True)
    _sheet(wb, "Chi tiết", DETAIL_HEADERS, [
        [r["unit_id"], SCOPE_VI.get(r["scope"], r["scope"]), r["group"], r["metric"],
         r.get("label"), r["numerator"], r["denominator"], r["rate"], r["points"],
         r["max_points"], STATUS_VI.get(r.get("status"), r.get("status"))]
        for r in detail.to_dict("records")],
        {8: "0.00%", 9: "0.00", 10: "0.00"}, (12, 11, 14, 18, 40, 9, 9, 8, 7, 7, 12))
    ws = wb.create_sheet("Nguồn")
    for i, (label, text) in enumerate(source, start=1):
        put(ws, i, 1, label).font = house_font(bold=True)
        put(ws, i, 2, text).alignment = _WRAP
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 70
    setup_page(ws, landscape=False, header="Chỉ số 766 — Nguồn")
    return save_workbook(wb, path)


def _lost_text(metrics: pd.DataFrame) -> str:
    lost = metrics[metrics["points_lost"] > 0].sort_values("points_lost", ascending=False,
                                                          kind="stable")
    return "; ".join(f"{r.label} −{fmt_num(r.points_lost, 2)}"
                     for r in lost.head(TOP_LOST).itertuples())


def points_by_group(breakdown: pd.DataFrame, summary: pd.DataFrame,
                    units: Sequence[str] | None = None) -> tuple[pd.DataFrame, list[tuple[str,
                                                                                    str, float]]]:
    """One row per unit in its ranking scope (``summary``'s ``scope``; order of ``units``, else
    of ``summary``): unit_id, name, level, scope, points, band, one column per group (its
    points), ``lost`` (the :data:`TOP_LOST` metrics that lost the most, in words), ``manual``
    and ``none`` (labels of the metrics whose value came from the manual table, or that had
    none). Also returns the groups as (group, label, max points), in the profile's order."""
    groups = list(breakdown[["group", "group_label", "group_max_points"]]
                  .drop_duplicates("group").itertuples(index=False, name=None))
    keyed = summary.set_index("unit_id")
    order = [u for u in (units if units is not None else summary["unit_id"]) if u in keyed.index]
    by_key = {k: g for k, g in breakdown.groupby(["unit_id", "scope"], sort=False)}
    rows = []
    for uid in order:
        s = keyed.loc[uid]
        m = by_key.get((uid, s["scope"]))
        if m is None:
            continue
        row: dict[str, Any] = {"unit_id": uid, "name": s["name"], "level": s["level"],
                               "scope": s["scope"], "points": s["points"], "band": s["band"]}
        pts = m.drop_duplicates("group").set_index("group")["group_points"]
        for g, _, _ in groups:
            row[g] = pts.get(g)
        row["lost"] = _lost_text(m)
        row["manual"] = "; ".join(m.loc[m["source"] == "manual", "label"])
        row["none"] = "; ".join(m.loc[m["source"] == "none", "label"])
        rows.append(row)
    cols = ["unit_id", "name", "level", "scope", "points", "band", *(g for g, _, _ in groups),
            "lost", "manual", "none"]
    return pd.DataFrame(rows, columns=cols), groups


def add_points_sheet(wb: Workbook, breakdown: pd.DataFrame, summary: pd.DataFrame, *,
                     units: Sequence[str] | None = None, header: str = "") -> None:
    """Add "Điểm 766" to ``wb``: :func:`points_by_group` as a printable sheet. Metrics taken
    from the manual table at every unit are named once, in a note under the table; the column
    "Nhập tay" names the others."""
    table, groups = points_by_group(breakdown, summary, units)
    manual_sets = [set(filter(None, str(m).split("; "))) for m in table["manual"]]
    common = set.intersection(*manual_sets) if manual_sets else set()
    order = list(dict.fromkeys(breakdown["label"]))
    ws = wb.create_sheet("Điểm 766")
    head = ["Mã đơn vị", "Đơn vị", "Cấp", "Phạm vi", "Tổng điểm", "Xếp loại",
            *(f"{label} (tối đa {fmt_num(mx, 0)})" for _, label, mx in groups),
            "Điểm mất nhiều nhất", "Nhập tay", "Chưa có dữ liệu"]
    append_row(ws, head)
    for r, manual in zip(table.to_dict("records"), manual_sets, strict=True):
        own_manual = "; ".join(x for x in order if x in manual - common)
        n = append_row(ws, [r["unit_id"], r["name"], LEVEL_VI.get(r["level"], r["level"]),
                            SCOPE_VI.get(r["scope"], r["scope"]), _cell(r["points"]),
                            r["band"], *(_cell(r[g]) for g, _, _ in groups),
                            r["lost"] or None, own_manual or None, r["none"] or None])
        for j in range(5, 7 + len(groups)):
            ws.cell(n, j).number_format = "0.00"
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for cell in row:
            cell.font = house_font(8)
            cell.alignment = _NUM if isinstance(cell.value, float) else _WRAP
    style_header(ws, 1, 1, len(head), size=8)
    note = ws.max_row + 2
    notes = ["Điểm mất nhiều nhất: các tiêu chí làm mất nhiều điểm nhất của đơn vị (điểm tối đa "
             "trừ điểm đạt)."]
    if common:
        notes.append("Tiêu chí dùng số liệu nhập tay (bảng manual) ở mọi đơn vị: "
                     + "; ".join(x for x in order if x in common) + ".")
    for text in notes:
        put(ws, note, 1, text).font = house_font(8, italic=True)
        ws.cell(note, 1).alignment = _WRAP
        ws.merge_cells(start_row=note, start_column=1, end_row=note, end_column=len(head))
        note += 1
    widths = [11, 22, 8, 9, 6.5, 8, *([8.5] * len(groups)), 44, 16, 14]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    setup_page(ws, title_rows=(1, 1), freeze="C2", header=header)
