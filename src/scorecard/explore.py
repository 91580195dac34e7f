"""The inspectors' workbench behind ``notebooks/explore.ipynb``: named Vietnamese tables and
charts over one plan × period, filtered by level, unit and field.

Everything comes from the functions the reports use, so the numbers are the reports' numbers:
:func:`open_workbench` computes the batch frames of :func:`scorecard.scorecard_data.compute_bundle`
(the plan's own calendar unless told otherwise), and the tables are built by the same
``scorecard_data`` functions as each unit's report (value, threshold, status, gap in cases).
This module only selects rows for the filters and lays them out; it adds no rule.

Tables are display frames (formatted strings, Vietnamese headers); :func:`styled` gives them a
caption and status colours for JupyterLab. Charts are plotly figures with the target as a dashed
line and tooltips in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard import scorecard_data as sd
from scorecard.errors import ScorecardError
from scorecard.periods import Period, check_calendar, last_complete_quarter, parse_period
from scorecard.report.format import (
    FIELD_VI,
    LEVEL_VI,
    STATUS_COLOURS,
    fmt_int,
    fmt_threshold,
    fmt_value,
    fmt_window,
    indicator_kind,
    is_missing,
    status_vi,
)
from scorecard.store import LEVELS

#: Scope words of a judged row.
SCOPE_VI = {"tree": "Toàn đơn vị", "own": "Riêng đơn vị"}
#: Bar colours per status (any other status: grey).
STATUS_BAR = {"pass": "#2e7d32", "fail": "#c62828", "in_progress": "#f9a825"}
_GREY = "#9e9e9e"


class ExploreError(ScorecardError, ValueError):
    """A filter of the workbench names a level, unit, field or target that does not exist."""


@dataclass
class Workbench:
    """One plan × period opened read-only, with the inspector's filters."""

    store: Path
    plan: Any
    period: Period
    calendar: str
    bundle: sd.Bundle
    level: str | None = None
    unit_id: str | None = None
    field: str | None = None

    @property
    def units(self) -> pd.DataFrame:
        return self.bundle["units"]

    @property
    def focus(self) -> str:
        """The unit of the single-unit sections: the filter's unit, else the top unit judged."""
        if self.unit_id:
            return self.unit_id
        judged = set(self.bundle.meta["units_judged"])
        u = self.units[self.units["unit_id"].isin(judged)]
        tier = u["level"].map({lv: i for i, lv in enumerate(LEVELS)})
        return str(u.loc[tier.sort_values(kind="stable").index[0], "unit_id"])

    def unit_ids(self) -> list[str]:
        """The units of the by-unit tables: judged by the plan, in the filter's subtree and
        level, in the store's order."""
        from scorecard.units import descendants

        ids = [u for u in self.bundle.meta["units_judged"]]
        if self.unit_id:
            sub = set(descendants(self.units, self.unit_id))
            ids = [u for u in ids if u in sub]
        if self.level:
            lv = dict(zip(self.units["unit_id"], self.units["level"], strict=True))
            ids = [u for u in ids if lv.get(u) == self.level]
        return ids

    def report(self, unit_id: str | None = None) -> sd.UnitReport:
        """The slices of one unit's report (default :attr:`focus`)."""
        return sd.unit_report(unit_id or self.focus, bundle=self.bundle)


def open_workbench(db: str | Path | None = "", plan: Any = "bac-giang-2025",
                   period: str | Period | None = None, calendar: str | None = None, *,
                   level: str | None = None, unit_id: str | None = None,
                   field: str | None = None) -> Workbench:
    """Open the store read-only and compute the plan's frames for ``period``.

    ``db``: empty for the project's store (see :mod:`scorecard.paths`). ``plan``: an id or a
    file. ``period``: None for the latest quarter the store has complete data for.
    ``calendar``: None for the plan's own. Filters: ``level`` (province, department, district,
    commune), ``unit_id`` (the unit and everything below it), ``field`` (a field code).
    """
    from scorecard.paths import resolve_plan, resolve_store
    from scorecard.store import reading

    store = resolve_store(db)
    pl = resolve_plan(plan)
    cal = check_calendar(calendar or pl.calendar)
    with reading(store) as con:
        p = parse_period(period) if period else latest_data_quarter(con, cal)
        fields = [r[0] for r in con.execute(
            "SELECT DISTINCT field FROM procedures ORDER BY 1").fetchall()]
    bundle = sd.compute_bundle(store, pl, p.id, calendar=cal)
    wb = Workbench(store, pl, p, cal, bundle, level or None, unit_id or None, field or None)
    _check_filters(wb, fields)
    return wb


def latest_data_quarter(con: Any, calendar: str) -> Period:
    """The latest quarter whose window under ``calendar`` ends on or before the last day a case
    was received in the store (today's last complete quarter when the store is empty)."""
    row = con.execute("SELECT CAST(max(received_at) AS DATE) FROM cases").fetchone()
    last = row[0] if row and row[0] is not None else date.today() - timedelta(days=1)
    return last_complete_quarter(calendar, last + timedelta(days=1))


def _check_filters(wb: Workbench, fields: list[str]) -> None:
    if wb.level and wb.level not in LEVELS:
        words = ", ".join(f"{lv} ({LEVEL_VI[lv]})" for lv in LEVELS)
        raise ExploreError(f"level {wb.level!r} không có: dùng một trong {words}")
    if wb.unit_id and wb.unit_id not in set(wb.units["unit_id"]):
        raise ExploreError(f"đơn vị {wb.unit_id!r} không có trong kho")
    if wb.field and wb.field not in fields:
        known = ", ".join(fields[:8]) + (" …" if len(fields) > 8 else "")
        raise ExploreError(f"lĩnh vực {wb.field!r} không có trong kho (có: {known})")


# ------------------------------------------------------------------ tables
def overview(wb: Workbench) -> pd.DataFrame:
    """What is being looked at: store, data snapshot, plan, period and window, filters."""
    m = wb.bundle.meta
    first, last = (date.fromisoformat(x) for x in m["window"])
    cal = "NĐ 09/2019 (ngày 15 tháng trước – ngày 14)" if wb.calendar == "nd09" else "tháng dương lịch"
    filters = [f"cấp: {LEVEL_VI.get(wb.level, wb.level)}" if wb.level else "",
               f"đơn vị: {_name(wb, wb.unit_id)} và trực thuộc" if wb.unit_id else "",
               f"lĩnh vực: {FIELD_VI.get(wb.field, wb.field)}" if wb.field else ""]
    rows = [("Kho dữ liệu", str(wb.store)), ("Dữ liệu", m["snapshot"]),
            ("Kế hoạch", f"{m['plan_title']} ({m['plan_id']})"),
            ("Kỳ", f"{m['period_label']}: {fmt_window(first, last)}"),
            ("Cách tính kỳ", cal),
            ("Lọc", "; ".join(x for x in filters if x) or "không lọc (mọi đơn vị, mọi lĩnh vực)"),
            ("Số đơn vị được xem", fmt_int(len(wb.unit_ids())))]
    return pd.DataFrame(rows, columns=["Mục", "Nội dung"])


def unit_targets(wb: Workbench, unit_id: str | None = None) -> pd.DataFrame:
    """One unit's verdicts exactly as its report's section 1 shows them (with the scope): the
    whole tree's and the unit's own (the report's tables of verdicts on whole levels, tallies
    and contributions are not repeated here)."""
    rep = wb.report(unit_id)
    parts = []
    for sec in sd.target_sections(rep):
        if sec.kind != "verdicts":  # verdicts on whole levels, tallies, contributions
            continue
        t = sd.targets_table(rep, sec.rows)
        t.insert(0, "Phạm vi", SCOPE_VI.get(sec.scope, "Đơn vị") if rep.is_parent else "Đơn vị")
        parts.append(t)
    if not parts:
        return pd.DataFrame(columns=["Phạm vi", *sd.target_tables.TARGET_COLUMNS])
    return pd.concat(parts, ignore_index=True)


def judged_rows(wb: Workbench, target_id: str | None = None) -> pd.DataFrame:
    """The rows that count for each unit of the filter (one per unit × target, as the report's
    tiles and the index page count them), raw values; optionally one target only."""
    parts = [sd.counted_targets(wb.report(u)) for u in wb.unit_ids()]
    rows = pd.concat(parts, ignore_index=True) if parts else wb.bundle["evaluation"].iloc[0:0]
    if target_id is not None:
        rows = rows[rows["target_id"] == target_id]
    return rows.reset_index(drop=True)


def results_by_unit(wb: Workbench, target_id: str | None = None) -> pd.DataFrame:
    """Each unit of the filter × target: value, threshold, status and gap in cases, formatted
    as in the reports."""
    rows = judged_rows(wb, target_id)
    table = sd.targets_table(wb.report(), rows)
    if "scope" in rows.columns:
        table.insert(0, "Phạm vi", [SCOPE_VI.get(x, x) for x in rows["scope"]])
    table.insert(0, "Cấp", [LEVEL_VI.get(x, x) for x in rows["level"]])
    table.insert(0, "Đơn vị", list(rows["unit_name"]))
    return table


def level_summary(wb: Workbench) -> pd.DataFrame:
    """Per target and level: how many units of the filter have each status."""
    rows = judged_rows(wb)
    if rows.empty:
        return pd.DataFrame(columns=["Chỉ tiêu", "Cấp"])
    statuses = list(dict.fromkeys(["pass", "fail", "in_progress", "no_data", "not_applicable",
                                   *rows["status"].astype(str)]))
    counts = (rows.groupby(["target_id", "level"], sort=False)["status"].value_counts()
              .unstack(fill_value=0).reindex(columns=statuses, fill_value=0))
    labels = dict(zip(rows["target_id"], rows["label"], strict=False))
    target_order = {t: i for i, t in enumerate(dict.fromkeys(rows["target_id"]))}
    level_order = {lv: i for i, lv in enumerate(LEVELS)}
    counts = counts.reset_index()
    counts = counts.assign(_t=counts["target_id"].map(target_order),
                           _l=counts["level"].map(level_order)).sort_values(["_t", "_l"])
    out = pd.DataFrame({"Chỉ tiêu": [labels[t] for t in counts["target_id"]],
                        "Cấp": [LEVEL_VI.get(x, x) for x in counts["level"]]})
    for s in statuses:
        if s in ("pass", "fail", "no_data") or counts[s].any():
            out[status_vi(s)] = [fmt_int(v) for v in counts[s]]
    return out


def trend_table(wb: Workbench, unit_id: str | None = None) -> pd.DataFrame:
    """The unit's rate targets over the last quarters ("Quý II/2025"), as its report shows."""
    return sd.trend_table(wb.report(unit_id))


def fields_by_unit(wb: Workbench) -> pd.DataFrame:
    """Case figures by field: without a field filter, every field of the focus unit (its
    report's section 3); with one, that field for every unit of the filter. Received, resolved,
    late, on-time and online rates; whole-tree figures for a unit with children."""
    f = wb.bundle["fields"]
    ids = wb.unit_ids() if wb.field else [wb.focus]
    if f.empty or not ids:
        return pd.DataFrame()
    parents = set(wb.units["parent_id"].dropna())
    f = f[f["unit_id"].isin(ids)]
    f = f[f["scope"] == f["unit_id"].map(lambda u: "tree" if u in parents else "own")]
    if wb.field:
        f = f[f["field"] == wb.field]
    wide = f.pivot_table(index=["unit_id", "field"], columns="indicator", values="value",
                         aggfunc="first", sort=False)
    wide = sd.fields_with_cases(wide.reindex(columns=list(sd.FIELD_INDICATORS)).reset_index())
    rank = {u: i for i, u in enumerate(ids)}
    wide = wide.assign(_u=wide["unit_id"].map(rank)).sort_values(
        ["_u", "received"], ascending=[True, False], kind="stable")
    return pd.DataFrame({"Đơn vị": [_name(wb, u) for u in wide["unit_id"]],
                         **sd.field_columns(wide["field"], wide)})


def styled(df: pd.DataFrame, caption: str) -> Any:
    """``df`` for JupyterLab: a caption (the table's name), no index, helper columns (``_…``)
    hidden, status cells coloured, figures right-aligned."""
    show = [c for c in df.columns if not str(c).startswith("_")]
    sty = df.style.hide(axis="index").set_caption(caption)
    if len(show) < len(df.columns):
        sty = sty.hide([c for c in df.columns if c not in show], axis="columns")
    if "_status" in df.columns and "Kết quả" in df.columns:
        colours = {status_vi(s): c for s, c in STATUS_COLOURS.items()}
        sty = sty.map(lambda v: (f"background-color:{colours[v][0]};color:{colours[v][1]}"
                                 if v in colours else ""), subset=["Kết quả"])
    numeric = [c for c in show if df[c].astype(str).str.fullmatch(r"[–\d.,%/() ]+").all()]
    words = [c for c in show if c not in numeric]
    if numeric:
        sty = sty.set_properties(subset=numeric, **{"text-align": "right"})
    if words:
        sty = sty.set_properties(subset=words, **{"text-align": "left"})
    return sty.set_table_styles([
        {"selector": "caption", "props": "caption-side:top;font-weight:bold;text-align:left;"
                                         "font-size:1.05em;padding:4px 0"},
        {"selector": "th", "props": "text-align:left"}])


# ------------------------------------------------------------------ charts
def default_target(wb: Workbench) -> str | None:
    """The target the ranking shows when none is chosen: the plan's on-time target (the
    headline of every plan), else its first target with a value."""
    ev = wb.bundle["evaluation"]
    on_time = ev.loc[ev["indicator"] == "on_time_rate", "target_id"]
    return str(on_time.iloc[0]) if len(on_time) else _first_judged_target(wb)


def ranking_chart(wb: Workbench, target_id: str | None = None) -> Any:
    """The units of the filter on one target (default :func:`default_target`), best first,
    coloured by status, the target as a dashed line; tooltips in words."""
    import plotly.graph_objects as go

    tid = target_id or default_target(wb)
    rows = judged_rows(wb, tid)
    rows = rows[rows["value"].notna()]
    if rows.empty:
        return _empty_figure("Không có đơn vị nào có số liệu cho chỉ tiêu này.")
    r0 = rows.iloc[0]
    kind = indicator_kind(r0["indicator"])
    rows = rows.sort_values("value", ascending=(r0["comparator"] in ("<", "<=")), kind="stable")
    fig = go.Figure(go.Bar(
        x=[float(v) for v in rows["value"]], y=list(rows["unit_name"]), orientation="h",
        marker_color=[STATUS_BAR.get(s, _GREY) for s in rows["status"]],
        text=[fmt_value(v, kind) for v in rows["value"]], textposition="auto",
        hovertext=[_in_words(r, kind) for r in rows.to_dict("records")], hoverinfo="text"))
    _target_line(fig, r0, kind, vertical=True)
    fig.update_layout(
        title=f"{r0['label']} — {wb.bundle.meta['period_label']}",
        height=max(260, 22 * len(rows) + 110), separators=",.", plot_bgcolor="white",
        xaxis=dict(tickformat=".0%" if kind == "rate" else ",.0f", gridcolor="#e6e9ed",
                   range=[0, 1.0] if kind == "rate" else None),
        yaxis=dict(autorange="reversed", automargin=True), margin=dict(l=10, r=20, t=50, b=30))
    return fig


def trend_chart(wb: Workbench, unit_id: str | None = None, target_id: str | None = None) -> Any:
    """One target (default :func:`default_target`) of one unit (default the focus) over the last
    quarters, with the target line; tooltips in words."""
    import plotly.graph_objects as go

    rep = wb.report(unit_id)
    tf = sd.trend_frame(rep)
    tid = target_id or default_target(wb)
    if target_id is None and tid not in set(tf["target_id"]) and len(tf):
        tid = str(tf["target_id"].iloc[0])
    tf = tf[tf["target_id"] == tid]
    row = next((r for r in rep.targets.to_dict("records") if r["target_id"] == tid), None)
    if tf.empty or row is None:
        return _empty_figure("Chỉ tiêu này không có số liệu qua các quý cho đơn vị.")
    kind = indicator_kind(row["indicator"])
    words = [f"{lab}: {fmt_value(v, kind)} (yêu cầu "
             f"{fmt_threshold(row['comparator'], row['threshold'], kind)})"
             for lab, v in zip(tf["period_label"], tf["value"], strict=True)]
    fig = go.Figure(go.Scatter(x=list(tf["period_label"]),
                               y=[None if is_missing(v) else float(v) for v in tf["value"]],
                               mode="lines+markers", hovertext=words, hoverinfo="text",
                               line_color="#1f4e79"))
    _target_line(fig, row, kind, vertical=False)
    fig.update_layout(title=f"{row['label']} — {rep.unit['name']}", height=340,
                      separators=",.", plot_bgcolor="white",
                      yaxis=dict(tickformat=".1%" if kind == "rate" else ",.0f",
                                 gridcolor="#e6e9ed"),
                      margin=dict(l=60, r=20, t=50, b=40))
    return fig


def fields_chart(wb: Workbench) -> Any:
    """On-time rate of :func:`fields_by_unit` (by field, or by unit for one field), with the
    plan's on-time target as a dashed line; tooltips in words."""
    import plotly.graph_objects as go

    t = fields_by_unit(wb)
    if t.empty:
        return _empty_figure("Không có hồ sơ nào trong kỳ.")
    names = list(t["Đơn vị"] if wb.field else t["Lĩnh vực"])
    words = [f"<b>{n}</b><br>Trước hạn và đúng hạn: {r}<br>{s} hồ sơ đã giải quyết, {q} quá hạn"
             for n, r, s, q in zip(names, t["Trước hạn và đúng hạn"], t["Đã giải quyết"],
                                   t["Quá hạn"], strict=True)]
    fig = go.Figure(go.Bar(x=[None if is_missing(v) else float(v) for v in t["_on_time"]],
                           y=names, orientation="h", marker_color="#1f4e79",
                           text=list(t["Trước hạn và đúng hạn"]), textposition="auto",
                           hovertext=words, hoverinfo="text"))
    ev = wb.bundle["evaluation"]
    target = ev[ev["indicator"] == "on_time_rate"]
    if len(target):
        _target_line(fig, target.iloc[0], "rate", vertical=True)
    who = FIELD_VI.get(wb.field, wb.field) if wb.field else _name(wb, wb.focus)
    fig.update_layout(title=f"Tỷ lệ giải quyết trước hạn và đúng hạn — {who}",
                      height=max(240, 22 * len(t) + 110), separators=",.", plot_bgcolor="white",
                      xaxis=dict(tickformat=".0%", range=[0, 1.0], gridcolor="#e6e9ed"),
                      yaxis=dict(autorange="reversed", automargin=True),
                      margin=dict(l=10, r=20, t=50, b=30))
    return fig


def _in_words(r: dict[str, Any], kind: str) -> str:
    value = fmt_value(r["value"], kind)
    if kind == "rate" and not is_missing(r.get("denominator")) and r.get("denominator"):
        value += f" ({fmt_int(r['numerator'])}/{fmt_int(r['denominator'])} hồ sơ)"
    text = (f"<b>{r['unit_name']}</b><br>{r['label']}: {value}<br>"
            f"{status_vi(r['status'])} — yêu cầu "
            f"{fmt_threshold(r['comparator'], r['threshold'], kind)}")
    if r["status"] == "fail" and not is_missing(r.get("gap_cases")):
        text += f"<br>Còn thiếu {fmt_int(r['gap_cases'])} hồ sơ"
    return text


def _target_line(fig: Any, row: Any, kind: str, *, vertical: bool) -> None:
    if is_missing(row["threshold"]):
        return
    label = f"Yêu cầu: {fmt_threshold(row['comparator'], row['threshold'], kind)}"
    line = dict(line_dash="dash", line_color="black", line_width=1.5, annotation_text=label)
    if vertical:
        fig.add_vline(x=float(row["threshold"]), annotation_position="top", **line)
    else:
        fig.add_hline(y=float(row["threshold"]), annotation_position="top left", **line)


def _empty_figure(message: str) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(height=160, xaxis_visible=False, yaxis_visible=False,
                      plot_bgcolor="white")
    return fig


def _first_judged_target(wb: Workbench, unit_id: str | None = None) -> str | None:
    ev = wb.bundle["evaluation"]
    if unit_id is not None:
        ev = ev[ev["unit_id"] == unit_id]
    judged = ev[ev["value"].notna()]
    src = judged if len(judged) else ev
    return str(src["target_id"].iloc[0]) if len(src) else None


def _name(wb: Workbench, unit_id: str | None) -> str:
    hit = wb.units.loc[wb.units["unit_id"] == unit_id, "name"]
    return str(hit.iloc[0]) if len(hit) else str(unit_id)
