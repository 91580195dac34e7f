"""Reading Biểu 06 workbooks back: :func:`read_form06_workbook`.

It turns a filled-in form (ours or typed by hand) into rows of the ``form06`` table plus
``_row``. It finds the column-number row ``(1) … (13)`` (or the ``STT`` header), skips header,
spacer, note and signature rows, takes the ``Tổng cộng`` row as the total, reads cached values of
formulas, checks (3)=(4)+(5)+(6), (7)=(8)+(9)+(10), (11)=(12)+(13) on every line and the total
against the lines. Blank count cells on a line with numbers count as 0 (officials leave zeros
blank); "-" also means 0. Rows whose STT is a Roman numeral (I, II, …) are section subtotals and
are left out of the sums. Every problem raises :class:`Form06FormatError` naming file, sheet and
cell or row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from scorecard.forms.form06 import (
    COUNT_COLUMNS,
    FORM06_COLUMNS,
    META_SHEET,
    SHEET,
    TOTAL_COLUMNS,
    TOTAL_LABEL,
    Form06FormatError,
)
from scorecard.periods import CALENDARS, Period, parse_period

#: Form column number (3..13) → field; (3), (7), (11) are the totals.
_NUMBERED: dict[int, str] = {
    3: "received_total", 4: "received_online", 5: "received_direct_postal", 6: "carried_over",
    7: "resolved_total", 8: "resolved_early", 9: "resolved_on_time", 10: "resolved_late",
    11: "pending_total", 12: "pending_in_time", 13: "pending_overdue",
}
_IDENTITIES = ((3, (4, 5, 6)), (7, (8, 9, 10)), (11, (12, 13)))


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
