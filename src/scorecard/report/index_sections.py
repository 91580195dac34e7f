"""What the index page says beside the targets: the plan's overdue assignments, where the headline
unit's 766 points went, and what inspectors look at (leads, the monthly late lists). Texts only;
the rows and their order come from :mod:`scorecard.evaluate.tally`."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from scorecard.evaluate.tally import index766_headline, late_list_months, overdue_assignments
from scorecard.periods import parse_period
from scorecard.report.format import (
    LEVEL_VI,
    fmt_date,
    fmt_datetime,
    fmt_int,
    fmt_points,
    fmt_rate,
    is_missing,
)
from scorecard.report.index_targets import ratio_text, text

#: Where a 766 metric's value came from (``points_breakdown.source``).
SOURCE_VI: dict[str, str] = {
    "computed": "Dữ liệu hồ sơ, TTHC",
    "manual": "Nhập tay (bảng manual)",
    "none": "Không có dữ liệu",
}
#: Notes on a 766 metric's status where the points are not a rate of the data.
STATUS_NOTE_VI: dict[str, str] = {
    "no_denominator": "không phát sinh trong kỳ: điểm theo quy tắc khi mẫu số bằng 0",
    "no_data": "không có số liệu: mất toàn bộ điểm",
}


def tasks_context(tasks: pd.DataFrame | None, counts: pd.DataFrame | None,
                  has_register: bool, period_last: Any, plan_id: str) -> dict[str, Any]:
    """The plan-wide list of overdue assignments by lead unit (``tasks``: the bundle's listing,
    ``counts``: ``unit_task_counts``), or the one line saying the plan has no register."""
    if not has_register:
        return {"has_register": False,
                "line": f"Kế hoạch này không có danh mục nhiệm vụ ({plan_id}.tasks.yaml bên "
                        "cạnh tệp kế hoạch): trang này không theo dõi nhiệm vụ."}
    c = counts if counts is not None else pd.DataFrame(columns=["due", "on_time", "late",
                                                                  "overdue"])
    due, on_time, late, overdue = (int(c[k].sum()) for k in ("due", "on_time", "late",
                                                              "overdue"))
    listing = tasks if tasks is not None else pd.DataFrame(columns=["status"])
    unassigned = int((listing["status"] == "unassigned").sum()) if len(listing) else 0
    rows = overdue_assignments(tasks) if tasks is not None else pd.DataFrame()
    units = int(rows["unit_id"].nunique()) if len(rows) else 0
    line = (f"Đến hết ngày {fmt_date(pd.Timestamp(period_last).date())}: "
            f"{fmt_int(due)} lượt nhiệm vụ đến hạn, {fmt_int(on_time)} hoàn thành đúng hạn, "
            f"{fmt_int(late)} hoàn thành trễ hạn, {fmt_int(overdue)} quá hạn chưa hoàn thành"
            + (f" ở {fmt_int(units)} đơn vị chủ trì." if overdue else "."))
    notes = []
    if unassigned:
        notes.append(f"{fmt_int(unassigned)} lượt nhiệm vụ chưa xác định được đơn vị chủ trì "
                     "trong kho dữ liệu (không tính ở đây).")
    groups = []
    for uid, g in (rows.groupby("unit_id", sort=False) if len(rows) else []):
        first = g.iloc[0]
        groups.append({
            "unit_id": str(uid), "name": text(first["unit_name"]),
            "level": text(LEVEL_VI.get(first["level"], first["level"])),
            "count": fmt_int(len(g)),
            "items": [{
                "task_id": text(t["task_id"]),
                "occurrence": "" if is_missing(t["occurrence"]) else str(t["occurrence"]),
                "text": text(t["text"]), "deadline": text(t["deadline"]),
                "due": fmt_date(None if is_missing(t["due"]) else pd.Timestamp(t["due"]).date()),
                "days": fmt_int(t["days_overdue"]),
            } for t in g.to_dict("records")],
        })
    return {"has_register": True, "line": line, "notes": notes, "groups": groups}


def index766_context(breakdown: pd.DataFrame | None, summary: pd.DataFrame | None,
                     unit_id: str | None, unit_name: str | None) -> dict[str, Any] | None:
    """Every group of the 766 index with where the headline unit's points went per metric
    (rate and counts, points, maximum, points lost, where the value came from); None when the
    page has no headline unit with a 766 total. ``summary``: ``summarize_index766`` (its
    ``points`` column may be named ``total``, as the index page's unit table reads it)."""
    rows = index766_headline(breakdown, summary, unit_id) if breakdown is not None else None
    if rows is None or rows.empty or summary is None:
        return None
    total = summary[summary["unit_id"] == unit_id].iloc[0]
    groups = []
    for _, g in rows.groupby("group", sort=False):
        first = g.iloc[0]
        metrics = []
        for m in g.to_dict("records"):
            status = str(m["status"])
            metrics.append({
                "label": text(m["label"]),
                "rate": fmt_rate(m["rate"]),
                "ratio": ratio_text(m["numerator"], m["denominator"]) or "",
                "points": fmt_points(m["points"]), "max": fmt_points(m["max_points"]),
                "lost": fmt_points(m["points_lost"]), "lost_v": float(m["points_lost"] or 0),
                "source": SOURCE_VI.get(str(m["source"]), text(m["source"])),
                "source_key": str(m["source"]),
                "note": STATUS_NOTE_VI.get(status, ""),
            })
        groups.append({"label": text(first["group_label"]),
                       "points": fmt_points(first["group_points"]),
                       "max": fmt_points(first["group_max_points"]), "metrics": metrics})
    manual = sum(m["source_key"] == "manual" for g in groups for m in g["metrics"])
    none = sum(m["source_key"] == "none" for g in groups for m in g["metrics"])
    scope = "gồm mọi đơn vị trực thuộc" if total["scope"] == "tree" else "số liệu riêng"
    return {
        "title": f"{text(unit_name)} ({scope})",
        "total": f"{fmt_points(total.get('total', total.get('points')))}/"
                 f"{fmt_points(total['max_points'])}",
        "band": text(total["band"]),
        "line": (f"{fmt_int(manual)} tiêu chí lấy giá trị nhập tay, {fmt_int(none)} tiêu chí "
                 "không có dữ liệu."),
        "groups": groups,
    }


def link_to(path: Any, page_dir: Path | None) -> str | None:
    """A relative link from the page's folder to an existing file (each path segment
    URL-encoded, so a stored path can only name a file); None when the file is not there."""
    if page_dir is None or is_missing(path) or not str(path):
        return None
    target = Path(str(path))
    if not target.is_file():
        return None
    rel = os.path.relpath(target.resolve(), Path(page_dir).resolve())
    return "/".join(quote(part, safe="") for part in Path(rel).parts)


def inspection_context(late_lists: pd.DataFrame | None, months: Sequence[str],
                       plan_id: str | None, page_dir: Path | None,
                       leads_status: pd.DataFrame | None,
                       meta: Mapping[str, Any]) -> dict[str, Any]:
    """The leads run for the period (which were on, how many units each flagged; a reason to
    look, not a verdict) and the monthly late lists: a link per month produced, else a line."""
    months_df = late_list_months(late_lists, list(months), plan_id)
    lists = []
    for r in months_df.to_dict("records"):
        label = parse_period(r["month"]).label_vi()
        if not r["produced"]:
            lists.append({"label": label, "href": None, "text": "chưa lập"})
            continue
        at = pd.Timestamp(r["generated_at"]).to_pydatetime()
        lists.append({
            "label": label, "href": link_to(r["html_file"], page_dir),
            "text": (f"lập lúc {fmt_datetime(at)}: {fmt_int(r['units_listed'])} đơn vị, "
                     f"{fmt_int(r['cases_late'])} hồ sơ chậm, muộn"),
        })
    produced = any(r["produced"] for r in months_df.to_dict("records"))
    leads = []
    status = leads_status if leads_status is not None else pd.DataFrame()
    for r in status.to_dict("records"):
        if bool(r["active"]):
            words = f"{fmt_int(r['units_flagged'])} đơn vị cần xem xét"
        else:
            words = "không chạy" + (f": {r['reason']}" if not is_missing(r["reason"])
                                    and str(r["reason"]) else "")
        leads.append({"label": text(r["lead_label"]), "text": words})
    return {
        "caveat": str(meta.get("leads_caveat") or ""),
        "notes": [str(n) for n in meta.get("leads_notes") or []],
        "leads": leads,
        "late_lists": lists if produced else [],
        "late_line": None if produced else (
            "Chưa lập danh sách cơ quan, đơn vị chậm, muộn hằng tháng nào cho các tháng của "
            "kỳ này (scorecard late-list --month YYYY-MM)."),
    }
