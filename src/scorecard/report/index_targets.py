"""What the index page's two target tables say: the compact summary per target and the row of
each unit. Texts only (Vietnamese, vi-VN numbers); which rows count and every count come from
:mod:`scorecard.evaluate.tally`, and the layout is ``templates/index.html.j2``.

One number format on the page: measured rates with exactly two decimals (``fmt_rate``:
"60,50%"), counts with dot thousands, 766 points with two decimals. A target's requirement keeps
the plan's own words ("trên 95%").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from scorecard.evaluate.statuses import STATUS_ORDER
from scorecard.evaluate.tally import plan_summary
from scorecard.report.format import (
    BAND_VI,
    LEVEL_VI,
    fmt_date,
    fmt_int,
    fmt_points,
    fmt_rate,
    fmt_threshold,
    indicator_kind,
    is_missing,
)

#: "đơn vị <level>": the units of a level, as the tally sentence names them.
LEVEL_UNITS_VI: dict[str, str] = {
    "province": "đơn vị cấp tỉnh",
    "department": "đơn vị sở, ngành",
    "district": "đơn vị cấp huyện",
    "commune": "đơn vị cấp xã",
}


def text(value: Any) -> str:
    """A cell's text: missing values as a dash."""
    return "–" if is_missing(value) else str(value)


def value_text(x: Any, kind: str) -> str:
    """A measured value: a rate with two decimals, a count with dot thousands."""
    return fmt_rate(x) if kind == "rate" else fmt_int(x)


def ratio_text(numerator: Any, denominator: Any) -> str | None:
    """"66.660/69.700", or None when either is missing or the denominator is 0."""
    if is_missing(numerator) or is_missing(denominator) or not denominator:
        return None
    return f"{fmt_int(numerator)}/{fmt_int(denominator)}"


def pass_cell(passed: int, judged: int, no_data: int, in_progress: int = 0) -> str:
    """The words of one level cell: "Đạt 3/5", "Đang thực hiện (4)", "Chưa có dữ liệu (2)" or
    "–" (nothing judged)."""
    if judged:
        return f"Đạt {fmt_int(passed)}/{fmt_int(judged)}"
    if in_progress:
        return f"Đang thực hiện ({fmt_int(in_progress)})"
    if no_data:
        return f"Chưa có dữ liệu ({fmt_int(no_data)})"
    return "–"


def _date(x: Any) -> date | None:
    if is_missing(x):
        return None
    return pd.Timestamp(x).date()


def _int(x: Any) -> int | None:
    return None if is_missing(x) else int(x)


def _level_figure(r: Mapping[str, Any], lv: str, kind: str) -> str:
    """A level row's figure: a share of units as "92/120 đơn vị (76,67%)", a pooled rate as
    "10,00% (3/30)", a count as its number."""
    value, num, den = r[f"{lv}:value"], r[f"{lv}:numerator"], r[f"{lv}:denominator"]
    if r.get("basis") == "share_of_units":
        ratio = ratio_text(num, den)
        return f"{ratio} đơn vị ({fmt_rate(value)})" if ratio else fmt_rate(value)
    figure = value_text(value, kind)
    ratio = ratio_text(num, den) if kind == "rate" else None
    return f"{figure} ({ratio})" if ratio and not is_missing(value) else figure


def _timing_lines(r: Mapping[str, Any]) -> list[str]:
    """An in-progress target: the value is to date; when and on what it will be judged."""
    first, last, due = _date(r["window_first"]), _date(r["window_last"]), _date(r.get("due"))
    if first and last and due:
        return [f"Lũy kế {fmt_date(first)} – {fmt_date(last)}, chưa đánh giá; đánh giá khi đến "
                f"hạn {fmt_date(due)} trên lũy kế {fmt_date(first)} – {fmt_date(due)}."]
    return [] if is_missing(r.get("note")) else [str(r["note"])]


def _head(r: Mapping[str, Any], levels: Sequence[str], kind: str) -> dict[str, Any]:
    """The headline cells of one target: its figure and what was decided on it.

    ``tree``/``own``: the pooled (or own) verdict; ``level``: each level's verdict;
    ``tally``: no pooled verdict, "Đạt a/b đơn vị cấp xã" per level; ``in_progress``: the value
    to date and when it will be judged; nothing: a dash."""
    scope = r["head_scope"]
    status = None if is_missing(r["status"]) else str(r["status"])
    lines: list[dict[str, Any]] = []
    value = "–" if scope == "tally" else value_text(r["value"], kind)
    ratio = ratio_text(r["numerator"], r["denominator"]) if kind == "rate" else None
    if scope == "tally":
        lines.append({"status": None, "text": "Không đánh giá số liệu gộp (gồm cả cấp không "
                                             "giao hoặc giao mức khác):"})
        for lv in levels:
            met, judged = _int(r[f"{lv}:units_met"]), _int(r[f"{lv}:units_judged"])
            if met is None:
                continue
            noun = LEVEL_UNITS_VI.get(lv, lv)
            if judged:
                words = f"Đạt {fmt_int(met)}/{fmt_int(judged)} {noun}"
            elif r[f"{lv}:in_progress"]:
                words = f"{fmt_int(r[f'{lv}:in_progress'])} {noun} đang thực hiện"
            else:
                words = f"Chưa có {noun} nào được đánh giá"
            lines.append({"status": None, "text": words})
    elif scope == "level":
        for lv in levels:
            verdict = r[f"{lv}:verdict"]
            if is_missing(verdict):
                continue
            lines.append({"status": str(verdict),
                          "text": f"{LEVEL_VI.get(lv, lv)}: {_level_figure(r, lv, kind)}"})
        ratio = ratio if len(lines) == 1 else None
        if len(lines) > 1:
            value = "–"
        status = None  # each level's verdict is on its own line
    if r["status"] == "in_progress":
        lines += [{"status": None, "text": t} for t in _timing_lines(r)]
    elif scope in ("tree", "own") and not is_missing(r.get("note")):
        lines.append({"status": None, "text": str(r["note"])})
    return {"value": value, "ratio": ratio, "status": status, "lines": lines}


def _level_cell(r: Mapping[str, Any], lv: str, kind: str) -> dict[str, Any]:
    """One level's cell: the level's own verdict where the plan judges the level as a whole,
    else how many of its units pass among those judged."""
    verdict = r[f"{lv}:verdict"]
    if not is_missing(verdict):
        return {"status": str(verdict), "text": _level_figure(r, lv, kind),
                "notes": ["chung cả cấp"], "css": "lv"}
    p, j, ip, nd = (int(r[f"{lv}:{k}"]) for k in ("pass", "judged", "in_progress", "no_data"))
    notes = []
    if j and ip:
        notes.append(f"{fmt_int(ip)} đang thực hiện")
    if j and nd:
        notes.append(f"{fmt_int(nd)} chưa có dữ liệu")
    css = "num" + (" all-pass" if j and p == j and not nd and not ip else "")
    return {"status": None, "text": pass_cell(p, j, nd, ip), "notes": notes, "css": css}


def summary_context(evaluation: pd.DataFrame, plan: Any = None) -> dict[str, Any]:
    """What the index page's compact summary table says (one row per target)."""
    summary, info = plan_summary(evaluation, plan)
    levels = info["levels"]
    has_head = info["unit_id"] is not None
    note = ("Cột theo cấp: số đơn vị đạt trên số đơn vị được đánh giá (không tính đơn vị "
            "chưa có dữ liệu, đang thực hiện hoặc không áp dụng); chỉ tiêu giao chung cho cả "
            "cấp ghi kết quả chung của cấp.")
    if has_head:
        note = (f"{info['title']}: số liệu của {info['name']} gồm mọi đơn vị trực thuộc, "
                "so với yêu cầu của chỉ tiêu; chỉ đánh giá số liệu gộp khi mọi cấp trong đó có "
                "cùng yêu cầu, nếu không thì ghi số đơn vị đạt từng cấp. " + note)
    rows = []
    for r in summary.to_dict("records"):
        # a share of units is a rate whatever its condition's indicator counts
        kind = "rate" if r["basis"] == "share_of_units" else indicator_kind(r["indicator"])
        rows.append({
            "target_id": r["target_id"], "label": text(r["label"]),
            "clause": text(r["clause"] or ""),
            "requirement": "" if is_missing(r["threshold"]) else fmt_threshold(
                str(r["comparator"]), r["threshold"], kind),
            "head": _head(r, levels, kind),
            "levels": [_level_cell(r, lv, kind) for lv in levels],
        })
    return {"note": note, "head_title": info["title"] if has_head else None,
            "levels": [LEVEL_VI.get(lv, lv) for lv in levels], "rows": rows}


def _task_cell(counts: Mapping[str, Any] | None) -> dict[str, Any]:
    """"đúng hạn a/b, quá hạn c" of a unit leading tasks; sorted by the on-time share."""
    if counts is None:
        return {"text": "–", "v": "", "v2": "", "title": "Không chủ trì nhiệm vụ nào"}
    on_time, due, overdue = int(counts["on_time"]), int(counts["due"]), int(counts["overdue"])
    if not due:
        return {"text": "chưa đến hạn", "v": "", "v2": "",
                "title": "Chủ trì nhiệm vụ chưa đến hạn hoặc không tính hạn"}
    return {"text": f"đúng hạn {fmt_int(on_time)}/{fmt_int(due)}, quá hạn {fmt_int(overdue)}",
            "v": round(on_time / due, 6), "v2": -overdue,
            "title": f"{fmt_int(on_time)} nhiệm vụ hoàn thành đúng hạn trên {fmt_int(due)} "
                     f"nhiệm vụ đến hạn; {fmt_int(overdue)} quá hạn chưa hoàn thành"}


def _lead_cell(counts: Mapping[str, Any] | None) -> dict[str, Any]:
    """How many inspection leads point at the unit (a reason to look, not a verdict)."""
    if counts is None:
        return {"n": None, "text": "–", "title": "Không đủ dữ liệu để xem xét"}
    n = int(counts["leads_flagged"])
    if not n:
        return {"n": 0, "text": "0", "title": "Không có dấu hiệu nào cần xem xét"}
    return {"n": n, "text": f"{fmt_int(n)} dấu hiệu",
            "title": f"Cần xem xét: {counts['lead_labels']} "
                     f"({fmt_int(counts['cases_flagged'])} hồ sơ)"}


def unit_rows(matrix: pd.DataFrame, targets: Sequence[str], index766: pd.DataFrame | None,
              run_status: Mapping[str, str], *, task_counts: pd.DataFrame | None = None,
              lead_counts: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """What each row of the index page's unit table says (``matrix``: ``status_matrix``;
    ``task_counts``: ``unit_task_counts`` or None without a register; ``lead_counts``:
    ``unit_lead_counts``)."""
    idx = index766.set_index("unit_id") if index766 is not None and len(index766) else None
    tasks = ({} if task_counts is None else
             {str(r["unit_id"]): r for r in task_counts.to_dict("records")})
    leads = ({} if lead_counts is None else
             {str(r["unit_id"]): r for r in lead_counts.to_dict("records")})
    rows = []
    for _, row in matrix.iterrows():
        uid = str(row.unit_id)
        st = run_status.get(uid)
        total = band = rank = ranked = None
        if idx is not None and uid in idx.index:
            total, band, rank, ranked = (idx.at[uid, c] if c in idx.columns else None
                                         for c in ("total", "band", "rank", "units_ranked"))
        statuses = [(STATUS_ORDER.get(row[t], -2), None if is_missing(row[t]) else str(row[t]))
                    for t in targets]
        passed, judged = int(row.passed), int(row.judged)
        rank_text = fmt_int(rank)
        if not is_missing(rank) and not is_missing(ranked):
            rank_text = f"{fmt_int(rank)}/{fmt_int(ranked)}"
        rows.append({
            "unit_id": uid, "name": text(row.unit_name), "linked": st in ("ok", "skipped"),
            "level": text(LEVEL_VI.get(row.level, row.level)), "statuses": statuses,
            "passed": f"{fmt_int(passed)}/{fmt_int(judged)}" if judged else "–",
            "passed_v": round(passed / judged, 6) if judged else "", "passed_v2": passed,
            "tasks": _task_cell(tasks.get(uid)) if task_counts is not None else None,
            "leads": _lead_cell(leads.get(uid)),
            "total": fmt_points(total), "total_v": "" if is_missing(total) else total,
            "band": text(BAND_VI.get(str(band), band)),
            "rank": rank_text, "rank_v": "" if is_missing(rank) else rank,
            "run_status": st or None,
        })
    return rows
