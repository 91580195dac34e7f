"""Small HTML builders for notebook outputs: tables, key facts, KPI tiles, headings.

Display frames come from :mod:`scorecard.scorecard_data` already formatted (strings); columns
whose name starts with ``_`` are helpers and are not shown. A ``_status`` column colours the
``Kết quả`` cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from scorecard.report.site import e

_NUMERIC_HINT = ("Tiếp nhận", "Đã giải quyết", "Quá hạn", "Giá trị", "Tỷ lệ", "Điểm", "Tối đa",
                 "Mất", "Số", "Tổng", "Trực tuyến", "Trước hạn", "Hạng", "Chỉ số 766",
                 "Không đạt", "Quý", "Chỉ tiêu đạt", "Có phiếu")


def html_table(df: pd.DataFrame, *, status_col: str = "Kết quả", empty: str = "Không có dữ liệu.",
               table_id: str | None = None) -> str:
    """An HTML table of a display frame; right-aligns numeric-looking columns."""
    if df is None or df.empty:
        return f'<p class="sc-note">{e(empty)}</p>'
    cols = [c for c in df.columns if not str(c).startswith("_")]
    has_status = "_status" in df.columns
    numeric = {c for c in cols if any(str(c).startswith(h) for h in _NUMERIC_HINT)}
    head = "".join(f"<th>{e(c)}</th>" for c in cols)
    rows = []
    for rec in df.to_dict("records"):
        cells = []
        for c in cols:
            if has_status and c == status_col:
                st = rec["_status"]
                cells.append(f'<td><span class="st st-{e(st)}">{e(rec[c])}</span></td>')
            elif c in numeric:
                cells.append(f'<td class="num">{e(rec[c])}</td>')
            else:
                cells.append(f"<td>{e(rec[c])}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    tid = f' id="{e(table_id)}"' if table_id else ""
    return f"<table{tid}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def facts_html(pairs: Iterable[tuple[str, str]]) -> str:
    """Key facts as a two-column table."""
    rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in pairs)
    return f'<table class="sc-facts"><tbody>{rows}</tbody></table>'


def kpis_html(items: Sequence[tuple[str, str, str]]) -> str:
    """KPI tiles: (label, value, css status class or '')."""
    tiles = "".join(f'<div class="sc-kpi {("st-" + c) if c else ""}"><b>{e(v)}</b>{e(k)}</div>'
                    for k, v, c in items)
    return f'<div class="sc-kpis">{tiles}</div>'


def heading(text: str, level: int = 2) -> str:
    return f"<h{level}>{e(text)}</h{level}>"


def paragraphs(lines: Iterable[str], css: str = "sc-note") -> str:
    return "".join(f'<p class="{css}">{e(x)}</p>' for x in lines)
