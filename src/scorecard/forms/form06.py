"""Biểu 06 (TT 01/2020/TT-VPCP): "Tình hình, kết quả giải quyết TTHC" as an Excel workbook.

Writer
    :func:`write_form06_workbook` lays out the 13-column form from a frame of lines (one per field
    or per unit, grouped in sections) and a :class:`Form06Meta`, with a note giving the cases
    withdrawn or refused so that (3) = (7) + (11) + that count is visible;
    :func:`build_form06_lines` gets those lines from the store
    (:mod:`scorecard.forms.form06_lines`, which builds every unit's lines of a period from one
    read); :func:`write_form06` does both. The sheet prints on one A4 page wide (landscape), its
    header rows repeated, rows as tall as their wrapped names.
    Cells hold values, never formulas: every cell is set through
    :func:`scorecard.forms.workbook.put` (a unit named ``=HYPERLINK(…)`` is a text cell and reads
    back unchanged) and the file is written atomically. Numbers use the format ``#,##0``: Excel and LibreOffice
    show the grouping separator of the reader's locale (dots under vi-VN: 1.234; commas under
    en-US) — a literal dot would turn the number into text or a decimal, so the locale-aware
    format is the deliberate choice. Machine-readable metadata (unit_id, period, calendar, by,
    window, which unit each line is) goes in a hidden sheet ``_scorecard`` and in custom
    document properties, so the file reads back exactly.

Reader
    :func:`read_form06_workbook` (:mod:`scorecard.forms.form06_reader`, importable from here)
    turns a filled-in form (ours or typed by hand) into rows of the ``form06`` table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string

from scorecard.errors import ScorecardError
from scorecard.fields import FIELD_NAMES
from scorecard.forms.workbook import (
    append_row,
    clean_text,
    house_font,
    new_workbook,
    put,
    save_workbook,
    setup_page,
)
from scorecard.periods import CALENDARS, Period, parse_period
from scorecard.report.format import fmt_int

#: Count columns of the ``form06`` table, in form order (columns 4, 5, 6, 8, 9, 10, 12, 13).
COUNT_COLUMNS = [
    "received_online", "received_direct_postal", "carried_over",
    "resolved_early", "resolved_on_time", "resolved_late",
    "pending_in_time", "pending_overdue",
]
TOTAL_COLUMNS = ["received_total", "resolved_total", "pending_total"]
#: What :func:`read_form06_workbook` returns (plus ``_row``).
FORM06_COLUMNS = ["unit_id", "period", "period_start", "period_end", *COUNT_COLUMNS,
                  *TOTAL_COLUMNS]

SHEET = "Biểu 06"
META_SHEET = "_scorecard"
TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
TOTAL_LABEL = "Tổng cộng"
UNIT_NOTE = "Đơn vị tính: Số hồ sơ TTHC"
#: Default receiving unit of a unit without a parent (a province reports to the Government).
ROOT_RECEIVER = "Văn phòng Chính phủ"
#: Line of a by-field form holding counts reported without a field (Biểu 06-only units).
NO_FIELD_LABEL = "Chưa phân theo lĩnh vực (đơn vị chỉ gửi Biểu 06 tổng hợp)"
NUMBER_FORMAT = "#,##0"
#: Text size of the form (points).
BODY_SIZE = 10
SECTION_FILL = PatternFill("solid", fgColor="EDEDED")

#: Display names of common field codes (procedures.field); unknown codes show as they are.
FIELD_LABELS: dict[str, str] = FIELD_NAMES


class Form06Error(ScorecardError, ValueError):
    """The form cannot be produced (unknown unit, counts that cannot be split by field)."""


class Form06FormatError(ScorecardError, ValueError):
    """A workbook that is not a readable Biểu 06; the message names file, sheet and cell/row."""


@dataclass(frozen=True)
class Form06Meta:
    """What a Biểu 06 is about. ``by``: ``field`` (one line per field) or ``unit``."""

    unit_id: str
    unit_name: str
    period: str
    calendar: str = "nd09"
    by: Literal["field", "unit"] = "field"
    receiving_unit: str = ""
    period_start: date | None = None
    period_end: date | None = None
    extra: dict[str, str] = field(default_factory=dict)
    #: Cases withdrawn or refused in the window (the ``residual`` measure; in neither (7) nor
    #: (11)); None when not known (lines typed by hand).
    residual: int | None = None
    #: Units of the subtree that sent only the aggregate form (their withdrawn/refused cases
    #: are not known).
    aggregate_only_units: int = 0

    def window(self) -> tuple[date, date]:
        if self.period_start and self.period_end:
            return self.period_start, self.period_end
        return parse_period(self.period).window(self.calendar)


# ================================================================= writer
def _check_lines(lines: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ["label", *COUNT_COLUMNS] if c not in lines.columns]
    if missing:
        raise Form06Error(f"lines frame lacks column(s): {', '.join(missing)}")
    out = lines.copy()
    for c in COUNT_COLUMNS:
        vals = pd.to_numeric(out[c], errors="raise").fillna(0)
        if (vals < 0).any() or (vals != vals.round()).any():
            raise Form06Error(f"column {c} must hold non-negative whole numbers")
        out[c] = vals.astype("int64")
    return out


def _totals(rec: Mapping[str, Any]) -> list[int]:
    """The 11 numbers of columns (3)..(13) of one line."""
    recv = rec["received_online"] + rec["received_direct_postal"] + rec["carried_over"]
    res = rec["resolved_early"] + rec["resolved_on_time"] + rec["resolved_late"]
    pend = rec["pending_in_time"] + rec["pending_overdue"]
    return [int(x) for x in (
        recv, rec["received_online"], rec["received_direct_postal"], rec["carried_over"],
        res, rec["resolved_early"], rec["resolved_on_time"], rec["resolved_late"],
        pend, rec["pending_in_time"], rec["pending_overdue"])]


def _dmy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def residual_note(sums: list[int], meta: Form06Meta) -> str:
    """The note line that makes (3) = (7) + (11) + withdrawn/refused visible, from the
    total row's 11 numbers (columns (3)..(13)) and the form's metadata."""
    received, resolved, pending = sums[0], sums[4], sums[8]
    gap = received - resolved - pending
    what = "hồ sơ trả lại, xin rút, từ chối giải quyết trong kỳ (không thuộc cột (7), (11))"
    equation = (f"(3) = (7) + (11) + {fmt_int(gap)}: {fmt_int(received)} = {fmt_int(resolved)}"
                f" + {fmt_int(pending)} + {fmt_int(gap)}.")
    if meta.residual is None:
        return f"Chênh lệch (3) − (7) − (11) là {what}: {fmt_int(gap)}; {equation}"
    if meta.residual == gap:
        return f"Số {what}: {fmt_int(gap)}; {equation}"
    rest = gap - meta.residual
    return (f"Số {what}: {fmt_int(meta.residual)} theo dữ liệu hồ sơ, và {fmt_int(rest)} là "
            f"chênh lệch trong Biểu 06 tổng hợp của {meta.aggregate_only_units} đơn vị chỉ gửi "
            f"biểu (không tách hồ sơ trả lại, xin rút, từ chối); {equation}")


def write_form06_workbook(path: str | Path, lines: pd.DataFrame, meta: Form06Meta) -> Path:
    """Write the Biểu 06 workbook of ``lines`` (columns ``label``, optional ``unit_id`` and
    ``section``, and :data:`COUNT_COLUMNS`) to ``path``; the ``Tổng cộng`` row is the sum of the
    lines. Lines with a ``section`` are grouped under a row per section (numbered I, II, …,
    holding the section's subtotals; line numbers restart in each), in order of appearance.
    A note under the table gives the cases withdrawn or refused, so that (3) = (7) + (11) +
    that count is visible (:func:`residual_note`)."""
    if meta.by not in ("field", "unit"):
        raise Form06Error(f"by must be field or unit, not {meta.by!r}")
    if meta.calendar not in CALENDARS:
        raise Form06Error(f"unknown calendar {meta.calendar!r}")
    lines = _check_lines(lines)
    period = parse_period(meta.period)
    first, last = meta.window()

    wb = new_workbook()
    ws = wb.active
    ws.title = SHEET
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    f_norm = house_font(BODY_SIZE)
    f_bold = house_font(BODY_SIZE, bold=True)
    f_ital = house_font(BODY_SIZE, italic=True)

    def put_at(ref: str, value: Any, font: Font = f_norm, align: Alignment | None = None,
               merge_to: str | None = None) -> None:
        letters, row_number = coordinate_from_string(ref)
        cell = put(ws, row_number, column_index_from_string(letters), value)
        cell.font = font
        if align is not None:
            cell.alignment = align
        if merge_to:
            ws.merge_cells(f"{ref}:{merge_to}")

    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    put_at("A1", "Biểu số 06", f_bold, left, "D1")
    put_at("A2", "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP", f_ital, left, "D2")
    put_at("I1", f"Đơn vị báo cáo: {meta.unit_name}", f_bold, left, "M1")
    put_at("I2", f"Đơn vị nhận báo cáo: {meta.receiving_unit}", f_norm, left, "M2")
    put_at("A4", f"{TITLE} TẠI {meta.unit_name.upper()}", house_font(BODY_SIZE + 2, bold=True),
           center, "M4")
    put_at("A5", f"Kỳ báo cáo: {period.label_vi()}", f_bold, center, "M5")
    put_at("A6", f"(Từ ngày {_dmy(first)} đến ngày {_dmy(last)})", f_ital, center, "M6")
    put_at("J7", UNIT_NOTE, f_ital, Alignment(horizontal="right"), "M7")

    # two-row header + the row of column numbers
    h1, h2, hn = 8, 9, 10
    label_head = "Lĩnh vực giải quyết" if meta.by == "field" else "Đơn vị giải quyết"
    put_at(f"A{h1}", "STT", f_bold, center, f"A{h2}")
    put_at(f"B{h1}", label_head, f_bold, center, f"B{h2}")
    put_at(f"C{h1}", "Số hồ sơ nhận giải quyết", f_bold, center, f"F{h1}")
    put_at(f"G{h1}", "Kết quả giải quyết", f_bold, center, f"J{h1}")
    put_at(f"K{h1}", "Số hồ sơ đang giải quyết", f_bold, center, f"M{h1}")
    subs = ["Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước chuyển qua",
            "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"]
    for i, text in enumerate(subs):
        put_at(f"{get_column_letter(3 + i)}{h2}", text, f_bold, center)
    for n in range(1, 14):
        put_at(f"{get_column_letter(n)}{hn}", f"({n})", f_ital, center)

    def numbers(row: int, values: list[int], bold: bool) -> None:
        for j, v in enumerate(values):
            cell = put(ws, row, 3 + j, v)
            cell.number_format = NUMBER_FORMAT
            cell.font = f_bold if bold or j in (0, 4, 8) else f_norm
            cell.alignment = Alignment(vertical="center")

    row = hn + 1
    first_line = row
    line_rows: list[tuple[int, str, str]] = []
    sums = [0] * 11
    records = lines.to_dict("records")
    sections = (list(dict.fromkeys(str(r.get("section") or "") for r in records))
                if "section" in lines.columns else [""])
    for k, section in enumerate(sections, start=1):
        part = [r for r in records if str(r.get("section") or "") == section]
        if section:
            put_at(f"A{row}", _roman(k), f_bold, center)
            put_at(f"B{row}", section, f_bold, left)
            numbers(row, [sum(col) for col in zip(*(_totals(r) for r in part), strict=True)]
                    if part else [0] * 11, True)
            for c in range(1, 14):
                ws.cell(row=row, column=c).fill = SECTION_FILL
            row += 1
        for i, rec in enumerate(part, start=1):
            put_at(f"A{row}", i, f_norm, center)
            put_at(f"B{row}", str(rec["label"]), f_norm, left)
            values = _totals(rec)
            numbers(row, values, False)
            sums = [a + b for a, b in zip(sums, values, strict=True)]
            line_rows.append((row, str(rec.get("unit_id") or ""), str(rec["label"])))
            row += 1
    total_row = row
    put_at(f"B{total_row}", TOTAL_LABEL, f_bold, Alignment(horizontal="center", vertical="center"))
    numbers(total_row, sums, True)
    for r in range(h1, total_row + 1):
        for c in range(1, 14):
            ws.cell(row=r, column=c).border = border
    note = total_row + 2
    put_at(f"A{note}",
           "Ghi chú: (3) = (4) + (5) + (6); (7) = (8) + (9) + (10); (11) = (12) + (13).",
           f_ital, left, f"M{note}")
    put_at(f"A{note + 1}", residual_note(sums, meta), f_ital, left, f"M{note + 1}")
    sign = note + 3
    put_at(f"B{sign + 1}", "NGƯỜI LẬP BIỂU", f_bold, Alignment(horizontal="center"))
    put_at(f"I{sign}", f"……, ngày …… tháng …… năm {last.year}", f_ital,
           Alignment(horizontal="center"), f"M{sign}")
    put_at(f"I{sign + 1}", "THỦ TRƯỞNG ĐƠN VỊ", f_bold, Alignment(horizontal="center"),
           f"M{sign + 1}")

    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 36
    for c in range(3, 14):
        ws.column_dimensions[get_column_letter(c)].width = 11
    setup_page(ws, title_rows=(h1, hn), freeze=f"C{first_line}")

    meta_items = {
        "unit_id": meta.unit_id, "unit_name": meta.unit_name, "period": period.id,
        "calendar": meta.calendar, "by": meta.by, "period_start": first.isoformat(),
        "period_end": last.isoformat(), "receiving_unit": meta.receiving_unit,
        "total_row": str(total_row),
        "residual": "" if meta.residual is None else str(meta.residual),
        "aggregate_only_units": str(meta.aggregate_only_units), **meta.extra,
    }
    ms = wb.create_sheet(META_SHEET)
    ms.sheet_state = "hidden"
    append_row(ms, ["key", "value", "label"])
    for k, v in meta_items.items():
        append_row(ms, [k, v, None])
    for r, uid, label in line_rows:
        append_row(ms, [f"line:{r}", uid, label])
    for k in ("unit_id", "period", "calendar", "by", "period_start", "period_end"):
        wb.custom_doc_props.append(StringProperty(name=f"scorecard.{k}",
                                                  value=clean_text(meta_items[k])))
    wb.properties.title = clean_text(f"Biểu 06 – {meta.unit_name} – {period.label_vi()}")
    wb.properties.creator = "scorecard"
    return save_workbook(wb, path)


# ================================================================= lines from the store
def build_form06_lines(con: Any, period: str | Period, unit_id: str, *,
                       by: Literal["field", "unit"] = "field", calendar: str = "nd09",
                       receiving_unit: str | None = None,
                       field_labels: Mapping[str, str] | None = None,
                       ) -> tuple[pd.DataFrame, Form06Meta]:
    """The lines of a unit's Biểu 06 from the store and the form's metadata (see
    :mod:`scorecard.forms.form06_lines`; for many units of one period build a
    :class:`~scorecard.forms.form06_lines.Form06Source` once)."""
    from scorecard.forms.form06_lines import Form06Source

    source = Form06Source(con, period, by=by, calendar=calendar, units=[unit_id],
                          field_labels=field_labels)
    return source.build(unit_id, receiving_unit=receiving_unit)


def write_form06(con: Any, period: str | Period, unit_id: str, out: str | Path, *,
                 by: Literal["field", "unit"] = "field", calendar: str = "nd09",
                 receiving_unit: str | None = None) -> Path:
    """Build a unit's Biểu 06 from the store and write it to ``out``."""
    lines, meta = build_form06_lines(con, period, unit_id, by=by, calendar=calendar,
                                     receiving_unit=receiving_unit)
    return write_form06_workbook(out, lines, meta)


# the reader lives beside the writer; it is imported here so that callers find both in one place
from scorecard.forms.form06_reader import read_form06_workbook  # noqa: E402, F401
