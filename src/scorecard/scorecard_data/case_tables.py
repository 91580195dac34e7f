"""Sections on the unit's cases: by field, late cases and apologies, PAKN (display frames)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from scorecard.report.format import FIELD_VI, fmt_int, fmt_pct, is_missing
from scorecard.scorecard_data.bundle import FIELD_INDICATORS
from scorecard.scorecard_data.unit import UnitReport


def fields_table(rep: UnitReport) -> pd.DataFrame:
    """Breakdown by field: received, resolved, late, on-time and online rates."""
    f = rep.fields
    if f.empty:
        return pd.DataFrame()
    wide = f.pivot_table(index="field", columns="indicator", values="value", aggfunc="first")
    wide = fields_with_cases(wide.reindex(columns=list(FIELD_INDICATORS)))
    wide = wide.sort_values(["received", "resolved"], ascending=False)
    return pd.DataFrame(field_columns(wide.index, wide))


def fields_with_cases(wide: pd.DataFrame) -> pd.DataFrame:
    """The rows of a wide field frame (:data:`FIELD_INDICATORS` columns) that received or
    resolved some case."""
    return wide[wide["received"].fillna(0) + wide["resolved"].fillna(0) > 0]


def field_columns(fields: Any, wide: pd.DataFrame) -> dict[str, list[Any]]:
    """The display columns of field figures, one row per row of ``wide`` (its
    :data:`FIELD_INDICATORS` columns) named by ``fields`` (codes): what the report's field section
    and the inspectors' workbench both show."""
    return {
        "Lĩnh vực": [FIELD_VI.get(x, x) for x in fields],
        "Tiếp nhận": [fmt_int(v) for v in wide["received"]],
        "Đã giải quyết": [fmt_int(v) for v in wide["resolved"]],
        "Quá hạn": [fmt_int(v) for v in wide["resolved_late"]],
        "Trước hạn và đúng hạn": [fmt_pct(v) for v in wide["on_time_rate"]],
        "Trực tuyến": [fmt_pct(v) for v in wide["online_rate"]],
        "_on_time": list(wide["on_time_rate"]),
    }


def late_procedures_table(rep: UnitReport, top: int = 10) -> pd.DataFrame:
    """The procedures with the most late cases, with apology coverage."""
    lp = rep.late_procedures.head(top)
    return pd.DataFrame({
        "Thủ tục": [f"{n} ({c})" for n, c in zip(lp["procedure_name"].fillna("?"),
                                                  lp["procedure_id"], strict=True)],
        "Lĩnh vực": [FIELD_VI.get(x, x) if not is_missing(x) else "–" for x in lp["field"]],
        "Đã giải quyết": [fmt_int(v) for v in lp["resolved"]],
        "Quá hạn": [fmt_int(v) for v in lp["late"]],
        "Có phiếu xin lỗi": [f"{fmt_int(a)} ({fmt_pct(a / n if n else None)})"
                             for a, n in zip(lp["apologies"], lp["late"], strict=True)],
    })


def late_totals(rep: UnitReport) -> dict[str, Any]:
    """Late cases of the unit (scope) and how many had an apology letter."""
    lp = rep.late_procedures
    late, apol = int(lp["late"].sum()), int(lp["apologies"].sum())
    return {"late": late, "apologies": apol, "coverage": apol / late if late else None,
            "procedures": len(lp)}


def late_summary(late: dict[str, Any]) -> str:
    """One sentence on late cases and apology coverage (from :func:`late_totals`)."""
    if not late["late"]:
        return "Không có hồ sơ giải quyết quá hạn trong kỳ."
    return (f"{fmt_int(late['late'])} hồ sơ giải quyết quá hạn ở {fmt_int(late['procedures'])} "
            f"thủ tục; {fmt_int(late['apologies'])} hồ sơ có phiếu xin lỗi và hẹn lại "
            f"({fmt_pct(late['coverage'])}).")


def pakn_table(rep: UnitReport) -> pd.DataFrame:
    """PAKN (citizen feedback): on-time and satisfaction rates with their counts."""
    from scorecard.indicators import CATALOGUE

    rows = []
    for r in rep.pakn.to_dict("records"):
        rows.append({
            "Chỉ số": CATALOGUE[r["indicator"]].label_vi if r["indicator"] in CATALOGUE
            else r["indicator"],
            "Tỷ lệ": fmt_pct(r["value"]),
            "Số PAKN đạt": fmt_int(r["numerator"]),
            "Tổng số PAKN": fmt_int(r["denominator"]),
        })
    return pd.DataFrame(rows, columns=["Chỉ số", "Tỷ lệ", "Số PAKN đạt", "Tổng số PAKN"])
