"""Biểu 06 (TT 01/2020/TT-VPCP): "Tình hình, kết quả giải quyết TTHC" as an Excel workbook.

Writer
    :func:`write_form06_workbook` lays out the 13-column form from a frame of lines (one per field
    or per unit) and a :class:`Form06Meta`; :func:`build_form06_lines` gets those lines from the
    store through :func:`scorecard.indicators.compute_indicators`; :func:`write_form06` does both.
    Cells hold values, never formulas: every cell is set through
    :func:`scorecard.forms.workbook.put` (a unit named ``=HYPERLINK(…)`` is a text cell and reads
    back unchanged) and the file is written atomically. Numbers use the format ``#,##0``: Excel and LibreOffice
    show the grouping separator of the reader's locale (dots under vi-VN: 1.234; commas under
    en-US) — a literal dot would turn the number into text or a decimal, so the locale-aware
    format is the deliberate choice. Machine-readable metadata (unit_id, period, calendar, by,
    window, which unit each line is) goes in a hidden sheet ``_scorecard`` and in custom
    document properties, so the file reads back exactly.

Reader
    :func:`read_form06_workbook` turns a filled-in form (ours or typed by hand) into rows of the
    ``form06`` table plus ``_row``. It finds the column-number row ``(1) … (13)`` (or the ``STT``
    header), skips header, spacer, note and signature rows, takes the ``Tổng cộng`` row as the
    total, reads cached values of formulas, checks (3)=(4)+(5)+(6), (7)=(8)+(9)+(10),
    (11)=(12)+(13) on every line and the total against the lines. Blank count cells on a line
    with numbers count as 0 (officials leave zeros blank); "-" also means 0. Rows whose STT is a
    Roman numeral (I, II, …) are section subtotals and are left out of the sums. Every problem
    raises :class:`Form06FormatError` naming file, sheet and cell or row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from openpyxl import load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.worksheet import Worksheet

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

#: Form column number (3..13) → field; (3), (7), (11) are the totals.
_NUMBERED: dict[int, str] = {
    3: "received_total", 4: "received_online", 5: "received_direct_postal", 6: "carried_over",
    7: "resolved_total", 8: "resolved_early", 9: "resolved_on_time", 10: "resolved_late",
    11: "pending_total", 12: "pending_in_time", 13: "pending_overdue",
}
_IDENTITIES = ((3, (4, 5, 6)), (7, (8, 9, 10)), (11, (12, 13)))

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


# ================================================================= reader
def _norm(text: Any) -> str:
    s = unicodedata.normalize("NFC", str(text or "")).casefold()
    return re.sub(r"\s+", " ", s).strip()


_ROMAN = re.compile(r"^(?=[ivxlc]+\.?$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})\.?$")
_THOUSANDS = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")
_DASHES = {"-", "–", "—"}
_WINDOW = re.compile(
    r"từ\s+ngày\s+(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}).*?đến\s+ngày\s+(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_QUARTER_VI = re.compile(r"quý\s+(iv|iii|ii|i|[1-4])\s*(?:/|năm|-)\s*(\d{4})")
_MONTH_VI = re.compile(r"tháng\s+(\d{1,2})\s*(?:/|năm|-)\s*(\d{4})")
_YEAR_VI = re.compile(r"năm\s+(\d{4})")


@dataclass
class _Ctx:
    file: str
    sheet: str

    def fail(self, where: str, msg: str) -> Form06FormatError:
        return Form06FormatError(f"{self.file}, sheet '{self.sheet}', {where}: {msg}")


def _number(ctx: _Ctx, ref: str, value: Any, formula: Any) -> int | None | str:
    """A count cell → int, None (blank) or the text itself (not a number)."""
    if value is None:
        if isinstance(formula, str) and formula.startswith("="):
            raise ctx.fail(f"cell {ref}", f"formula {formula} has no cached value (open and save "
                                          "the file in Excel or LibreOffice so it is computed)")
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != int(value):
            raise ctx.fail(f"cell {ref}", f"{value} is not a whole number of cases")
        return int(value)
    s = str(value).strip()
    if not s:
        return None
    if s in _DASHES:
        return 0
    if s.isdigit():
        return int(s)
    if _THOUSANDS.match(s):
        return int(re.sub(r"[.,\s]", "", s))
    return s


def _meta_from_sheet(wb: Any) -> dict[str, str] | None:
    if META_SHEET not in wb.sheetnames:
        return None
    out: dict[str, str] = {}
    for key, value, label in wb[META_SHEET].iter_rows(min_row=2, max_col=3, values_only=True):
        if key is None:
            continue
        if str(key).startswith("line:"):
            out[f"label:{_norm(label)}"] = str(value or "")
        else:
            out[str(key)] = "" if value is None else str(value)
    return out


def _meta_from_props(wb: Any) -> dict[str, str] | None:
    try:
        props = {p.name: p.value for p in wb.custom_doc_props.props}
    except AttributeError:  # pragma: no cover - older openpyxl
        return None
    got = {k.removeprefix("scorecard."): str(v) for k, v in props.items()
           if k.startswith("scorecard.")}
    return got if "unit_id" in got and "period" in got else None


def _find_header(ctx: _Ctx, ws: Worksheet) -> tuple[int, dict[int, int]]:
    """(header row, form column number → sheet column) from the (1)…(13) row or 'STT'."""
    stt: tuple[int, int] | None = None
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 60)):
        nums: dict[int, int] = {}
        for cell in row:
            v = cell.value
            if isinstance(v, str):
                m = re.fullmatch(r"\(\s*(\d{1,2})\s*\)", v.strip())
                if m and 1 <= int(m.group(1)) <= 13:
                    nums.setdefault(int(m.group(1)), cell.column)
                elif stt is None and _norm(v) in ("stt", "số tt", "số thứ tự"):
                    stt = (cell.row, cell.column)
        if len(nums) == 13:
            return row[0].row, nums
    if stt is not None:
        r, c = stt
        return r, {n: c + n - 1 for n in range(1, 14)}
    raise ctx.fail("header", "no row of column numbers (1) … (13) and no 'STT' header found")


def _text_above(ws: Worksheet, header_row: int) -> list[tuple[str, str]]:
    out = []
    for row in ws.iter_rows(min_row=1, max_row=header_row):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip():
                out.append((cell.coordinate, cell.value.strip()))
    return out


def _period_from_text(texts: list[tuple[str, str]]) -> tuple[str | None, date | None, date | None]:
    pid = None
    start = end = None
    for _, t in texts:
        n = _norm(t)
        if start is None and (m := _WINDOW.search(n)):
            d1, m1, y1, d2, m2, y2 = (int(x) for x in m.groups())
            start, end = date(y1, m1, d1), date(y2, m2, d2)
        if re.search(r"(^|\D)[69]\s*tháng", n):
            continue  # a 6- or 9-month report: no period id of ours; never read it as the year
        if pid is None and ("kỳ báo cáo" in n or n.startswith(("quý", "tháng"))):
            if mq := _QUARTER_VI.search(n):
                q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(mq.group(1)) or int(mq.group(1))
                pid = f"{mq.group(2)}Q{q}"
            elif mm := _MONTH_VI.search(n):
                pid = f"{mm.group(2)}-{int(mm.group(1)):02d}"
            elif my := _YEAR_VI.search(n):
                pid = my.group(1)
    if pid is None and start is not None and end is not None:
        pid = _period_of_window(start, end)
    return pid, start, end


def _period_of_window(start: date, end: date) -> str | None:
    """The period id whose window (calendar or nd09) is exactly [start, end]."""
    for year in {end.year, start.year}:
        cands = [Period(year, "year", 0)] + [Period(year, "quarter", q) for q in range(1, 5)] \
            + [Period(year, "month", m) for m in range(1, 13)]
        for p in cands:
            for cal in CALENDARS:
                if p.window(cal) == (start, end):
                    return p.id
    return None


def _match_name(name: str, unit_names: Mapping[str, str] | None) -> str | None:
    if not unit_names:
        return None
    table = {_norm(k): v for k, v in unit_names.items()}
    n = _norm(name)
    if n in table:
        return table[n]
    n2 = _norm(re.sub(r"\(.*?\)", "", name))
    return table.get(n2)


def read_form06_workbook(path: str | Path, unit_names: dict[str, str] | None = None
                         ) -> pd.DataFrame:
    """Rows of the ``form06`` table (:data:`FORM06_COLUMNS` + ``_row``) from a Biểu 06 workbook.

    A form by field yields one row for the reporting unit (sum of the field lines, checked
    against the ``Tổng cộng`` row). A form by unit yields one row per unit line (the reporting
    unit's own line is its own cases; every other line is that unit with its subtree, as the
    form shows it). Without the hidden metadata, units are recognised from their names through
    ``unit_names`` (name → unit_id) and the period from the "Kỳ báo cáo"/"Từ ngày … đến ngày …"
    text. ``df.attrs`` holds ``by``, ``calendar``, ``sheet``, ``metadata`` ('sheet', 'properties'
    or 'text') and ``scopes`` (unit_id → 'own' | 'tree').
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"no such file: {p}")
    try:
        wb_v = load_workbook(p, data_only=True)
        wb_f = load_workbook(p, data_only=False)
    except Exception as exc:  # openpyxl raises many types for non-xlsx input
        raise Form06FormatError(f"{p.name}: not a readable .xlsx workbook ({exc})") from exc

    sheets = [ws for ws in wb_v.worksheets if ws.sheet_state == "visible"]
    if SHEET in wb_v.sheetnames:
        sheets = [wb_v[SHEET]] + [s for s in sheets if s.title != SHEET]
    last_error: Form06FormatError | None = None
    for ws in sheets:
        ctx = _Ctx(p.name, ws.title)
        try:
            header_row, cols = _find_header(ctx, ws)
        except Form06FormatError as exc:
            last_error = exc
            continue
        return _read_sheet(ctx, ws, wb_f[ws.title], wb_v, header_row, cols, unit_names)
    raise last_error or Form06FormatError(f"{p.name}: no visible sheet")


def _read_sheet(ctx: _Ctx, ws: Worksheet, wsf: Worksheet, wb_v: Any, header_row: int,
                cols: dict[int, int], unit_names: Mapping[str, str] | None) -> pd.DataFrame:
    lines: list[dict[str, Any]] = []
    total: dict[str, Any] | None = None
    for r in range(header_row + 1, ws.max_row + 1):
        label_v = ws.cell(row=r, column=cols[2]).value
        stt_v = ws.cell(row=r, column=cols[1]).value
        label = "" if label_v is None else str(label_v).strip()
        vals: dict[int, Any] = {}
        for n in range(3, 14):
            c = ws.cell(row=r, column=cols[n])
            vals[n] = _number(ctx, c.coordinate, c.value, wsf[c.coordinate].value)
        present = {n: v for n, v in vals.items() if v is not None}
        if not present or all(isinstance(v, str) for v in present.values()):
            continue  # spacer, repeated header, note or signature row
        bad = [n for n, v in present.items() if isinstance(v, str)]
        if bad:
            ref = ws.cell(row=r, column=cols[bad[0]]).coordinate
            raise ctx.fail(f"cell {ref}", f"{present[bad[0]]!r} is not a number of cases")
        nums = {n: (vals[n] if vals[n] is not None else None) for n in range(3, 14)}
        for tot, parts in _IDENTITIES:
            s = sum(nums[k] or 0 for k in parts)
            if nums[tot] is None:
                nums[tot] = s
            elif nums[tot] != s:
                names = " + ".join(f"({k})" for k in parts)
                raise ctx.fail(f"row {r}", f"column ({tot}) is {nums[tot]} but {names} = {s}")
        rec = {_NUMBERED[n]: int(nums[n] or 0) for n in range(3, 14)}
        rec["_row"] = r
        rec["_label"] = label
        nl = _norm(label)
        if nl in ("tổng", "cộng") or nl.startswith(("tổng cộng", "tổng số", "cộng:")):
            if total is not None:
                raise ctx.fail(f"row {r}", f"a second total row (the first is row {total['_row']})")
            total = rec
        elif _ROMAN.match(_norm(stt_v)) and stt_v is not None:
            continue  # section subtotal
        else:
            lines.append(rec)
    if not lines:
        raise ctx.fail("table", "no data lines below the header")
    if total is not None:
        for n in range(3, 14):
            col = _NUMBERED[n]
            s = sum(line[col] for line in lines)
            if s != total[col]:
                ref = ws.cell(row=total["_row"], column=cols[n]).coordinate
                raise ctx.fail(f"row {total['_row']} ({total['_label'] or TOTAL_LABEL})",
                               f"cell {ref}, column ({n}), is {total[col]} but the lines above "
                               f"sum to {s}")

    meta = _meta_from_sheet(wb_v)
    source = "sheet"
    if meta is None:
        meta = _meta_from_props(wb_v)
        source = "properties"
    texts = _text_above(ws, header_row)
    if meta is None:
        meta = {}
        source = "text"
    if "unit_id" not in meta:
        found = None
        for ref, t in texts:
            m = re.search(r"đơn vị báo cáo\s*:\s*(.+)", _norm(t))
            if m and "nhận" not in _norm(t).split("đơn vị báo cáo")[0]:
                raw_name = t[t.find(":") + 1:].strip()
                uid = _match_name(raw_name, unit_names)
                if uid is None:
                    raise ctx.fail(f"cell {ref}", f"reporting unit {raw_name!r} is not a known "
                                                  "unit name (pass unit_names: name → unit_id)")
                found = uid
                break
        if found is None:
            raise ctx.fail("header", "no 'Đơn vị báo cáo: …' text and no scorecard metadata: "
                                     "cannot tell which unit reports")
        meta["unit_id"] = found
    if "period" not in meta:
        pid, start, end = _period_from_text(texts)
        if pid is None:
            raise ctx.fail("header", "no 'Kỳ báo cáo' period or 'Từ ngày … đến ngày …' window "
                                     "found: cannot tell the period")
        meta["period"] = parse_period(pid).id
        if start and end:
            meta.setdefault("period_start", start.isoformat())
            meta.setdefault("period_end", end.isoformat())
    elif "period_start" not in meta:
        _, start, end = _period_from_text(texts)
        if start and end:
            meta["period_start"], meta["period_end"] = start.isoformat(), end.isoformat()
    by = meta.get("by")
    if by not in ("field", "unit"):
        head = _norm(ws.cell(row=header_row, column=cols[2]).value)
        for r in range(max(1, header_row - 2), header_row + 1):
            head += " " + _norm(ws.cell(row=r, column=cols[2]).value)
        by = "field" if "lĩnh vực" in head else (
            "unit" if "đơn vị" in head or "cơ quan" in head else "field")
    start_d = _as_date(meta.get("period_start"))
    end_d = _as_date(meta.get("period_end"))
    common = {"period": meta["period"], "period_start": start_d, "period_end": end_d}

    out_rows: list[dict[str, Any]] = []
    scopes: dict[str, str] = {}
    if by == "field":
        rec = {c: sum(line[c] for line in lines) for c in [*COUNT_COLUMNS, *TOTAL_COLUMNS]}
        row = total["_row"] if total is not None else lines[0]["_row"]
        out_rows.append({"unit_id": meta["unit_id"], **common, **rec, "_row": row})
        scopes[meta["unit_id"]] = "tree"
    else:
        for line in lines:
            uid = meta.get(f"label:{_norm(line['_label'])}") or _match_name(line["_label"],
                                                                            unit_names)
            if not uid:
                ref = ws.cell(row=line["_row"], column=cols[2]).coordinate
                raise ctx.fail(f"cell {ref}", f"unit {line['_label']!r} is not a known unit "
                                              "name (pass unit_names: name → unit_id)")
            if uid in scopes:
                raise ctx.fail(f"row {line['_row']}", f"unit {uid} appears twice")
            scopes[uid] = "own" if uid == meta["unit_id"] else "tree"
            out_rows.append({"unit_id": uid, **common,
                             **{c: line[c] for c in [*COUNT_COLUMNS, *TOTAL_COLUMNS]},
                             "_row": line["_row"]})
    df = pd.DataFrame(out_rows, columns=[*FORM06_COLUMNS, "_row"])
    for c in [*COUNT_COLUMNS, *TOTAL_COLUMNS, "_row"]:
        df[c] = df[c].astype("int64")
    df.attrs.update({"by": by, "calendar": meta.get("calendar"), "sheet": ws.title,
                     "metadata": source, "scopes": scopes})
    return df


def _as_date(v: Any) -> date | None:
    if v in (None, ""):
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    return date.fromisoformat(str(v)[:10])
