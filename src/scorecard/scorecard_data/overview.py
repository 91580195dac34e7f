"""The top of a report and its ranking of children: key facts, KPI tiles, provenance.

Display frames and sentences in Vietnamese; the HTML is :mod:`scorecard.report`'s.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from scorecard.clock import local_now
from scorecard.report.format import (
    LEVEL_VI,
    fmt_date,
    fmt_int,
    fmt_points,
    fmt_window,
    is_missing,
)
from scorecard.scorecard_data.target_tables import (
    OWN_VI,
    WHOLE_VI,
    counted_targets,
    judged_itself,
    own_targets,
    status_counts,
)
from scorecard.scorecard_data.unit import UnitReport


def scope_note(rep: UnitReport) -> str:
    """The subtitle of the sections computed on the unit's scope (trend, fields, late, PAKN)."""
    return f"Số liệu {WHOLE_VI}." if rep.scope == "tree" else f"Số liệu {OWN_VI}."


def kpis_note(rep: UnitReport) -> str:
    """Which rows the summary boxes count (a parent: whole tree or own figures)."""
    if not rep.is_parent:
        return ""
    c = counted_targets(rep)
    c = c[c["status"] != "not_applicable"]
    scopes = set(c["scope"]) if "scope" in c.columns else {"own"}
    scopes.discard("level")
    levels = " Chỉ tiêu giao cho cả cấp được tính một lần cho mỗi cấp." if (
        "scope" in c.columns and c["scope"].eq("level").any()) else ""
    if scopes == {"tree"}:
        return f"Số chỉ tiêu tính trên số liệu {WHOLE_VI}.{levels}"
    if scopes == {"own"}:
        return f"Số chỉ tiêu tính trên số liệu {OWN_VI}.{levels}"
    if not scopes:
        return levels.strip()
    if judged_itself(rep):
        return (f"Số chỉ tiêu tính trên số liệu {OWN_VI}; chỉ tiêu kế hoạch giao tính cả các "
                f"đơn vị trực thuộc thì theo số liệu toàn đơn vị.{levels}")
    return (f"Số chỉ tiêu tính trên số liệu {WHOLE_VI}, cùng các chỉ tiêu kế hoạch giao riêng "
            f"cho đơn vị.{levels}")


def header_facts(rep: UnitReport) -> list[tuple[str, str]]:
    """The key facts on top of a report: unit, level, plan, period window, snapshot."""
    m = rep.meta
    doc = " ".join(x for x in (m.get("document_number") or "",
                               f"ngày {fmt_date(m['document_date'])}" if m.get("document_date")
                               else "") if x)
    first, last = rep.window
    return [
        ("Đơn vị", f"{rep.unit['name']} ({rep.unit['unit_id']})"),
        ("Cấp", LEVEL_VI.get(rep.unit["level"], rep.unit["level"])),
        ("Kế hoạch", f"{m['plan_title']} — {m['issuer']}" + (f" ({doc})" if doc else "")),
        ("Kỳ báo cáo", f"{m['period_label']}: {fmt_window(first, last)}"),
        ("Dữ liệu", m["snapshot"]),
        ("Phạm vi số liệu", _scope_fact(rep)),
    ]


def _scope_fact(rep: UnitReport) -> str:
    if rep.scope != "tree":
        return OWN_VI[:1].upper() + OWN_VI[1:]
    if judged_itself(rep) and len(own_targets(rep)):
        return (f"{WHOLE_VI[:1].upper()}{WHOLE_VI[1:]}; mục 1 có thêm kết quả {OWN_VI}")
    return WHOLE_VI[:1].upper() + WHOLE_VI[1:]


def kpis(rep: UnitReport) -> list[tuple[str, str, str]]:
    """KPI tiles on top of a report: targets passed/failed/in progress/without data, 766 total.
    (label, value, status for the tile's colour or '')."""
    c = status_counts(rep)
    items = [("chỉ tiêu đạt", fmt_int(c["pass"]), "pass"),
             ("chỉ tiêu không đạt", fmt_int(c["fail"]), "fail" if c["fail"] else "")]
    if c["in_progress"]:
        items.append(("chỉ tiêu đang thực hiện (chưa đến hạn)", fmt_int(c["in_progress"]),
                      "in_progress"))
    items.append(("chỉ tiêu chưa có dữ liệu", fmt_int(c["no_data"]), "no_data"))
    s = rep.index766_summary
    if len(s):
        items.append(("điểm Chỉ số 766", fmt_points(s.iloc[0]["points"]), ""))
    return items


def provenance(rep: UnitReport, *, plan_file: str = "", code_version: str = "",
               generated_at: str | None = None) -> Any:
    """The provenance strip of a report (see :class:`scorecard.report.site.Provenance`).

    ``generated_at`` (ISO) is passed by the batch so every report of a run carries the same time.
    """
    from datetime import datetime

    from scorecard.report.site import Provenance

    m = rep.meta
    first, last = rep.window
    when = datetime.fromisoformat(generated_at) if generated_at else local_now()
    return Provenance(
        plan=f"{m['plan_id']} — {m['plan_title']}", plan_file=plan_file, period=m["period"],
        period_label=m["period_label"], window=fmt_window(first, last), snapshot=m["snapshot"],
        code_version=code_version or "?", generated_at=when, demo=bool(m["demo"]),
        calendar=m["calendar"],
    )


def children_table(rep: UnitReport) -> pd.DataFrame:
    """Children of a parent unit ranked by targets passed, then 766 points."""
    c = rep.children
    return pd.DataFrame({
        "Hạng": [str(i + 1) for i in range(len(c))],
        "Đơn vị": list(c["name"]),
        "Cấp": [LEVEL_VI.get(x, x) for x in c["level"]],
        "Chỉ tiêu đạt": [f"{p}/{j}" for p, j in zip(c["passed"], c["judged"], strict=True)],
        "Không đạt": [fmt_int(v) for v in c["failed"]],
        "Chỉ số 766": [fmt_points(v) for v in c["points"]],
        "Xếp loại": [x if not is_missing(x) else "–" for x in c["band"]],
    })
