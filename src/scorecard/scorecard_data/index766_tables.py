"""The 766 section of a report (issue 15): total, band and rank; every group with "where the
points went" per metric, and which metrics used a manual value.

From the bundle's ``index766`` / ``index766_summary`` / ``index766_breakdown`` frames
(:mod:`scorecard.index766`), in the unit's ranking scope; nothing is scored here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from scorecard.report.format import LEVEL_VI, fmt_int, fmt_pct, fmt_points, is_missing
from scorecard.scorecard_data.unit import UnitReport

#: Where a metric's value came from (``points_breakdown``'s ``source`` and ``status``).
SOURCE_VI = {"computed": "Tính từ dữ liệu hồ sơ", "manual": "Số liệu nhập tay (bảng manual)",
             "none": "Chưa có số liệu"}
NO_DENOMINATOR_VI = "Không phát sinh (áp dụng quy tắc khi không có hồ sơ)"
#: Columns of a group's table (``_lost`` is the points lost, for the chart).
GROUP_COLUMNS = ["Tiêu chí", "Nguồn số liệu", "Tỷ lệ", "Điểm", "Tối đa", "Mất", "_lost"]


@dataclass
class Index766Group:
    """One group of the index: its title ("Công khai: 17,19/18 điểm"), the metric table."""

    group: str
    title: str
    table: pd.DataFrame


def index766_facts(rep: UnitReport) -> dict[str, str]:
    """Total, band and rank of the unit in the 766 index."""
    s = rep.index766_summary
    if s.empty:
        return {}
    r = s.iloc[0]
    return {
        "Tổng điểm": f"{fmt_points(r['points'])}/{fmt_points(r['max_points'])}",
        "Xếp loại": str(r["band"]) + ("" if r["band_confirmed"] else " (ngưỡng chưa chính thức)"),
        "Xếp hạng": f"{fmt_int(r['rank'])}/{fmt_int(r['units_ranked'])} "
                    f"({LEVEL_VI.get(r['level'], r['level'])})",
        "Điểm chưa có dữ liệu": fmt_points(r["no_data_points"]),
    }


def index766_lost(rep: UnitReport, top: int = 10) -> pd.DataFrame:
    """Where the points went: metrics with points lost, largest first."""
    from scorecard.index766 import points_lost

    ix = rep.index766
    if ix.empty:
        return pd.DataFrame(columns=["Tiêu chí", "Tỷ lệ", "Điểm", "Tối đa", "Mất", "_lost"])
    lost = points_lost(ix)
    lost = lost[lost["lost"] > 0].head(top)
    return pd.DataFrame({
        "Tiêu chí": list(lost["label"]),
        "Tỷ lệ": [fmt_pct(v) for v in lost["rate"]],
        "Điểm": [fmt_points(v) for v in lost["points"]],
        "Tối đa": [fmt_points(v) for v in lost["max_points"]],
        "Mất": [fmt_points(v) for v in lost["lost"]],
        "_lost": list(lost["lost"]),
    })


def source_words(source: Any, status: Any) -> str:
    """Where a metric's value came from, in words."""
    if status == "no_denominator":
        return NO_DENOMINATOR_VI
    return SOURCE_VI.get(str(source), str(source))


def _rate_cell(r: dict[str, Any]) -> str:
    rate = fmt_pct(r["rate"])
    if not is_missing(r["denominator"]) and not is_missing(r["rate"]):
        rate += f" ({fmt_int(r['numerator'])}/{fmt_int(r['denominator'])})"
    return rate


def index766_groups(rep: UnitReport) -> pd.DataFrame:
    """One row per group of the profile: label, points, maximum, points lost (profile order)."""
    b = rep.index766_breakdown
    cols = ["Nhóm tiêu chí", "Điểm", "Tối đa", "Mất", "_lost"]
    if b.empty:
        return pd.DataFrame(columns=cols)
    g = b.drop_duplicates("group")
    lost = (g["group_max_points"] - g["group_points"].fillna(0.0)).round(2)
    return pd.DataFrame({
        "Nhóm tiêu chí": list(g["group_label"]),
        "Điểm": [fmt_points(v) for v in g["group_points"]],
        "Tối đa": [fmt_points(v) for v in g["group_max_points"]],
        "Mất": [fmt_points(v) for v in lost],
        "_lost": list(lost),
    }, columns=cols)


def index766_group_tables(rep: UnitReport) -> list[Index766Group]:
    """Every group of the profile, in its order, with every metric: where its value came from
    (data, the manual table, none), its rate and cases, points, maximum and points lost."""
    b = rep.index766_breakdown
    out = []
    if b.empty:
        return out
    for group, rows in b.groupby("group", sort=False):
        first = rows.iloc[0]
        title = (f"{first['group_label']}: {fmt_points(first['group_points'])}/"
                 f"{fmt_points(first['group_max_points'])} điểm")
        recs = rows.to_dict("records")
        table = pd.DataFrame({
            "Tiêu chí": [r["label"] for r in recs],
            "Nguồn số liệu": [source_words(r["source"], r["status"]) for r in recs],
            "Tỷ lệ": [_rate_cell(r) for r in recs],
            "Điểm": [fmt_points(r["points"]) for r in recs],
            "Tối đa": [fmt_points(r["max_points"]) for r in recs],
            "Mất": [fmt_points(r["points_lost"]) for r in recs],
            "_lost": [r["points_lost"] for r in recs],
        }, columns=GROUP_COLUMNS)
        out.append(Index766Group(str(group), title, table))
    return out


def index766_sources_note(rep: UnitReport) -> list[str]:
    """Sentences naming the metrics scored from a manual value and those without any value."""
    b = rep.index766_breakdown
    if b.empty:
        return []
    out = []
    manual = b[b["source"] == "manual"]
    if len(manual):
        out.append(f"{fmt_int(len(manual))} tiêu chí tính từ số liệu nhập tay (bảng manual): "
                   + ", ".join(manual["label"]) + ".")
    none = b[b["source"] == "none"]
    if len(none):
        out.append(f"{fmt_int(len(none))} tiêu chí chưa có số liệu (không được điểm): "
                   + ", ".join(none["label"]) + ".")
    if not out:
        out.append("Mọi tiêu chí tính từ dữ liệu hồ sơ.")
    return out
