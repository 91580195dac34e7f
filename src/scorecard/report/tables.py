"""Small HTML builders for notebook outputs: tables, key facts, KPI tiles, headings.

Display frames come from :mod:`scorecard.scorecard_data` already formatted (strings); columns
whose name starts with ``_`` are helpers and are not shown. A ``_status`` column colours the
``Kết quả`` cell. The HTML comes from the autoescaping templates ``table.html.j2``,
``facts.html.j2``, ``kpis.html.j2``, ``heading.html.j2`` and ``paragraphs.html.j2``: every value
is escaped, so a unit or field name holding markup shows as text. Their look is inline
(:mod:`scorecard.report.styles`), so they keep it in JupyterLab.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from scorecard.report.format import is_missing
from scorecard.report.templating import render_page

_NUMERIC_HINT = ("Tiếp nhận", "Đã giải quyết", "Quá hạn", "Giá trị", "Tỷ lệ", "Điểm", "Tối đa",
                 "Mất", "Số", "Tổng", "Trực tuyến", "Trước hạn", "Hạng", "Chỉ số 766",
                 "Không đạt", "Quý", "Chỉ tiêu đạt", "Có phiếu", "Hồ sơ xem xét",
                 "Hồ sơ có dấu hiệu", "Gấp", "Độ lệch", "Hạn", "Ngày")


def _text(value: Any) -> str:
    return "–" if is_missing(value) else str(value)


def html_table(df: pd.DataFrame, *, status_col: str = "Kết quả", empty: str = "Không có dữ liệu.",
               table_id: str | None = None) -> str:
    """An HTML table of a display frame; right-aligns numeric-looking columns."""
    if df is None or df.empty:
        return render_page("table.html.j2", rows=None, empty=empty, columns=[], table_id=None)
    cols = [c for c in df.columns if not str(c).startswith("_")]
    has_status = "_status" in df.columns
    numeric = {c for c in cols if any(str(c).startswith(h) for h in _NUMERIC_HINT)}
    rows = [[{"text": _text(rec[c]), "num": c in numeric,
              "status": _text(rec["_status"]) if has_status and c == status_col else None}
             for c in cols] for rec in df.to_dict("records")]
    return render_page("table.html.j2", rows=rows, empty=empty, table_id=table_id,
                       columns=[str(c) for c in cols])


def facts_html(pairs: Iterable[tuple[str, str]]) -> str:
    """Key facts as a two-column table."""
    return render_page("facts.html.j2", pairs=[(_text(k), _text(v)) for k, v in pairs])


def kpis_html(items: Sequence[tuple[str, str, str]]) -> str:
    """KPI tiles: (label, value, css status class or '')."""
    return render_page("kpis.html.j2", items=[(_text(k), _text(v), c) for k, v, c in items])


def heading(text: str, level: int = 2) -> str:
    """A heading ``<h1>``…``<h6>`` holding ``text``."""
    return render_page("heading.html.j2", text=_text(text), level=min(max(int(level), 1), 6))


def paragraphs(lines: Iterable[str], css: str = "sc-note") -> str:
    """One ``<p class=css>`` per line."""
    return render_page("paragraphs.html.j2", lines=[_text(x) for x in lines], css_class=css)
