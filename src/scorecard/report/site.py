"""The report folder as a small offline site: shared assets, provenance, the index page.

Layout of ``reports/``::

    reports/assets/plotly.min.js        copied once from the plotly package (no CDN)
    reports/<period>/index.html         every unit, its status per target, sortable
    reports/<period>/<unit_id>.html     one report per unit (see notebook_html.py)

Pages are opened from disk (``file://``) with no internet: every link is relative and the only
script besides plotly.js is the small inline table sorter (``templates/sort_table.js.j2``).
The HTML comes from the autoescaping templates of ``report/templates/`` (index.html.j2,
provenance.html.j2) through :func:`scorecard.report.templating.render_page`: this module only
computes what the cells say.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard.outputs import atomic_target
from scorecard.report.format import (
    BAND_VI,
    LEVEL_VI,
    fmt_datetime,
    fmt_int,
    fmt_points,
    fmt_threshold,
    fmt_value,
    indicator_kind,
    is_missing,
    short_label,
)
from scorecard.report.templating import render_page

PLOTLY_ASSET = "plotly.min.js"
ASSETS_DIR = "assets"
DEMO_BANNER_TEXT = "DỮ LIỆU MẪU — số liệu tổng hợp giả lập, không phải số liệu thật"


@dataclass(frozen=True)
class Provenance:
    """What a page was computed from (shown on every page, stored in the manifest)."""

    plan: str
    plan_file: str
    period: str
    period_label: str
    window: str
    snapshot: str
    code_version: str
    generated_at: datetime
    demo: bool = False
    calendar: str = "calendar"

    def items(self) -> list[tuple[str, str]]:
        return [
            ("Kế hoạch", self.plan),
            ("Kỳ báo cáo", f"{self.period_label} ({self.window}, lịch {self.calendar})"),
            ("Dữ liệu", self.snapshot),
            ("Phiên bản mã", self.code_version),
            ("Lập lúc", fmt_datetime(self.generated_at)),
        ]


def provenance_html(prov: Provenance) -> str:
    """The provenance strip (plan, period window, data snapshot, code version, time), after
    the "DỮ LIỆU MẪU" banner on demo data."""
    return render_page("provenance.html.j2", prov=prov, banner_text=DEMO_BANNER_TEXT)


def copy_assets(reports_dir: Path) -> Path:
    """Copy plotly.min.js into ``reports/assets/`` once (kept when already identical)."""
    import plotly

    src = Path(plotly.__file__).parent / "package_data" / PLOTLY_ASSET
    dest_dir = Path(reports_dir) / ASSETS_DIR
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / PLOTLY_ASSET
    if not dest.exists() or dest.stat().st_size != src.stat().st_size:
        with atomic_target(dest) as tmp:
            shutil.copyfile(src, tmp)
    return dest


def counted_mask(evaluation: pd.DataFrame) -> pd.Series:
    """Which rows count for their unit: one row per unit × target.

    ``evaluate`` gives a parent a headline row (``scope='tree'``: the unit and everything below
    it) for each ``scope: own`` target, besides its own row when its level is in the plan. A
    unit's counts (tiles, pass count, ranking, the index) use its own rows when the plan judges
    the unit itself (some own row of a target with a headline row applies to it), and the
    headline rows otherwise (e.g. a province whose plan names only departments, districts and
    communes) together with the own rows of targets without a headline that apply to it (a
    province's own task). Rows without a twin (leaves, ``scope: tree`` targets) always count.
    A frame without a ``scope`` column counts every row.
    """
    if evaluation.empty or "scope" not in evaluation.columns:
        return pd.Series(True, index=evaluation.index)
    ev = evaluation
    own, twin = ev["scope"].eq("own"), _has_twin(ev)
    applies = ev["status"].ne("not_applicable")
    self_unit = ev["unit_id"].isin(judged_units(ev))
    plain_unit = ~ev["unit_id"].isin(set(ev.loc[twin, "unit_id"]))  # no headline rows
    return (~twin & (plain_unit | self_unit | ~own | applies)) | (twin & (own == self_unit))


def _has_twin(ev: pd.DataFrame) -> pd.Series:
    """Rows whose (unit, target) has both an own row and a whole-tree headline row."""
    own = ev["scope"].eq("own")
    pair = ev["unit_id"].astype(str) + "\x1f" + ev["target_id"].astype(str)
    return pair.isin(set(pair[own])) & pair.isin(set(pair[~own]))


def judged_units(evaluation: pd.DataFrame) -> set[str]:
    """Parents the plan judges themselves: some own row of a target that also has a headline
    row applies to them (a district of Bắc Giang 2025, not its province)."""
    ev = evaluation
    if ev.empty or "scope" not in ev.columns:
        return set()
    mask = ev["scope"].eq("own") & _has_twin(ev) & ev["status"].ne("not_applicable")
    return set(ev.loc[mask, "unit_id"])


def counted_rows(evaluation: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`counted_mask` (plan order kept)."""
    return evaluation[counted_mask(evaluation)]


def status_matrix(evaluation: pd.DataFrame) -> pd.DataFrame:
    """One row per unit, one column per target (the status), plus pass and judged counts.

    Columns: unit_id, unit_name, level, <target_id>..., passed, judged (targets with pass or
    fail). Target columns keep the plan's order of first appearance. Each unit shows the rows
    that count for it (:func:`counted_mask`): never two rows of one target.
    """
    if evaluation.empty:
        return pd.DataFrame(columns=["unit_id", "unit_name", "level", "passed", "judged"])
    targets = list(dict.fromkeys(evaluation["target_id"]))
    units = list(dict.fromkeys(evaluation["unit_id"]))
    ev = counted_rows(evaluation)
    wide = ev.pivot_table(index=["unit_id", "unit_name", "level"], columns="target_id",
                          values="status", aggfunc="first")
    wide = wide.reindex(columns=targets).reset_index()
    wide.columns.name = None
    wide = wide.set_index("unit_id").reindex([u for u in units if u in set(wide["unit_id"])])
    wide = wide.reset_index()
    st = wide[targets]
    wide["passed"] = (st == "pass").sum(axis=1).astype(int)
    wide["judged"] = st.isin(["pass", "fail"]).sum(axis=1).astype(int)
    return wide


def level_totals(evaluation: pd.DataFrame) -> pd.DataFrame:
    """Counts of each status per target, for every level and for the whole plan (``level='all'``).

    Columns: level, target_id, pass, fail, no_data, not_applicable (rows that count, see
    :func:`counted_mask`).
    """
    cols = ["pass", "fail", "no_data", "not_applicable"]
    if evaluation.empty:
        return pd.DataFrame(columns=["level", "target_id", *cols])
    evaluation = counted_rows(evaluation)
    both = pd.concat([evaluation, evaluation.assign(level="all")])
    out = (both.groupby(["level", "target_id"], sort=False)["status"].value_counts()
           .unstack(fill_value=0).reindex(columns=cols, fill_value=0).reset_index())
    out.columns.name = None
    return out


#: Tiers of the unit tree for finding the top unit (departments and districts are siblings).
_TIER = {"province": 0, "department": 1, "district": 1, "commune": 2}
_WHOLE = {"province": "Toàn tỉnh", "district": "Toàn huyện"}


def headline_unit(evaluation: pd.DataFrame) -> str | None:
    """The unit whose whole-tree figures head the index: the only unit of the top tier that has
    rows (a province; a district when a plan covers one district), None when there is no single
    one."""
    if evaluation.empty:
        return None
    units = evaluation.drop_duplicates("unit_id")[["unit_id", "level"]]
    tier = units["level"].map(_TIER).fillna(9)
    top = units[tier == tier.min()]
    if len(top) != 1 or len(units) < 2:
        return None
    return str(top["unit_id"].iloc[0])


def plan_summary(evaluation: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The compact summary: one row per target (plan order) with the headline unit's figure and,
    per level below it, how many units pass among those judged.

    Returns (frame, info). Frame columns: target_id, label, clause, indicator, comparator,
    threshold, value, numerator, denominator, status (the headline; NaN/None when there is
    none), then for each level in ``info["levels"]``: ``<level>:pass``, ``<level>:judged``
    (pass + fail), ``<level>:no_data``, ``<level>:units`` (units with a row that counts).
    ``info``: headline unit id, its name, its column title ("Toàn tỉnh"), levels.
    Not-applicable and no-data rows are not judged.
    """
    targets = evaluation.drop_duplicates("target_id")
    head = headline_unit(evaluation)
    levels = [lv for lv in _TIER if lv in set(evaluation["level"])]
    extra = [lv for lv in dict.fromkeys(evaluation["level"]) if lv not in _TIER]
    levels += extra
    head_level = None
    rows_head: dict[str, dict[str, Any]] = {}
    if head is not None:
        hv = evaluation[evaluation["unit_id"] == head]
        head_level = str(hv["level"].iloc[0])
        if "scope" in hv.columns:  # the whole-tree row, else the unit's own applicable row
            hv = hv.assign(_o=hv["scope"].ne("tree").astype(int)).sort_values("_o", kind="stable")
            hv = hv[hv["scope"].eq("tree") | hv["status"].ne("not_applicable")]
        for r in hv.to_dict("records"):
            rows_head.setdefault(str(r["target_id"]), r)
        if evaluation.loc[evaluation["level"] == head_level, "unit_id"].nunique() == 1:
            levels.remove(head_level)  # its only unit is the headline
    counted = counted_rows(evaluation)
    if head is not None:
        counted = counted[counted["unit_id"] != head]
    out = []
    for t in targets.to_dict("records"):
        tid = str(t["target_id"])
        h = rows_head.get(tid, {})
        row: dict[str, Any] = {
            "target_id": tid, "label": t.get("label", tid), "clause": t.get("clause"),
            "indicator": t.get("indicator", ""), "comparator": t.get("comparator"),
            "threshold": t.get("threshold"), "value": h.get("value"),
            "numerator": h.get("numerator"), "denominator": h.get("denominator"),
            "status": h.get("status"),
        }
        sub = counted[counted["target_id"] == t["target_id"]]
        for lv in levels:
            st = sub.loc[sub["level"] == lv, "status"]
            row[f"{lv}:pass"] = int((st == "pass").sum())
            row[f"{lv}:judged"] = int(st.isin(["pass", "fail"]).sum())
            row[f"{lv}:no_data"] = int((st == "no_data").sum())
            row[f"{lv}:units"] = int(len(st))
        out.append(row)
    info = {"unit_id": head, "level": head_level, "levels": levels,
            "name": None if head is None else str(
                evaluation.loc[evaluation["unit_id"] == head, "unit_name"].iloc[0]),
            "title": _WHOLE.get(str(head_level), "Toàn đơn vị")}
    return pd.DataFrame(out), info


def pass_cell(passed: int, judged: int, no_data: int) -> str:
    """The words of one level cell: "Đạt 3/5", "Chưa có dữ liệu (2)" or "–" (nothing judged)."""
    if judged:
        return f"Đạt {fmt_int(passed)}/{fmt_int(judged)}"
    if no_data:
        return f"Chưa có dữ liệu ({fmt_int(no_data)})"
    return "–"


def _summary_context(evaluation: pd.DataFrame) -> dict[str, Any]:
    """What the index page's compact summary table says (one row per target)."""
    summary, info = plan_summary(evaluation)
    levels = info["levels"]
    has_head = info["unit_id"] is not None
    note = ("Cột theo cấp: số đơn vị đạt trên số đơn vị được đánh giá (không tính đơn vị "
            "chưa có dữ liệu hoặc không áp dụng).")
    if has_head:
        note = (f"{info['title']}: số liệu của {info['name']} gồm mọi đơn vị trực thuộc, "
                "so với yêu cầu của chỉ tiêu. " + note)
    rows = []
    for r in summary.to_dict("records"):
        kind = indicator_kind(r["indicator"])
        tip = None
        if not is_missing(r["denominator"]) and not is_missing(r["value"]):
            tip = f"{fmt_int(r['numerator'])}/{fmt_int(r['denominator'])}"
        cells = []
        for lv in levels:
            p, j, nd = (int(r[f"{lv}:{k}"]) for k in ("pass", "judged", "no_data"))
            cells.append({
                "text": pass_cell(p, j, nd),
                "no_data_note": f"{fmt_int(nd)} chưa có dữ liệu" if j and nd else None,
                "css": "num" + (" all-pass" if j and p == j and not nd else ""),
            })
        rows.append({
            "target_id": r["target_id"], "label": _text(r["label"]),
            "clause": _text(r["clause"] or ""),
            "requirement": "" if is_missing(r["threshold"]) else fmt_threshold(
                str(r["comparator"]), r["threshold"], kind),
            "value": fmt_value(r["value"], kind), "tip": tip,
            "status": None if is_missing(r["status"]) else str(r["status"]),
            "levels": cells,
        })
    return {"note": note, "head_title": info["title"] if has_head else None,
            "levels": [LEVEL_VI.get(lv, lv) for lv in levels], "rows": rows}


def _unit_rows(matrix: pd.DataFrame, targets: Sequence[str], index766: pd.DataFrame | None,
               run_status: Mapping[str, str]) -> list[dict[str, Any]]:
    """What each row of the index page's unit table says."""
    idx = index766.set_index("unit_id") if index766 is not None and len(index766) else None
    order = {"pass": 3, "fail": 1, "no_data": 0, "not_applicable": -1}
    rows = []
    for _, row in matrix.iterrows():
        uid = str(row.unit_id)
        st = run_status.get(uid)
        total = band = rank = None
        if idx is not None and uid in idx.index:
            total, band, rank = (idx.at[uid, c] if c in idx.columns else None
                                 for c in ("total", "band", "rank"))
        statuses = [(order.get(row[t], -2), None if is_missing(row[t]) else str(row[t]))
                    for t in targets]
        rows.append({
            "unit_id": uid, "name": _text(row.unit_name), "linked": st in ("ok", "skipped"),
            "level": _text(LEVEL_VI.get(row.level, row.level)), "statuses": statuses,
            "passed": f"{row.passed}/{row.judged}" if row.judged else "–",
            "passed_v": row.passed,
            "total": fmt_points(total), "total_v": "" if is_missing(total) else total,
            "band": _text(BAND_VI.get(str(band), band)),
            "rank": fmt_int(rank), "rank_v": "" if is_missing(rank) else rank,
            "run_status": st or None,
        })
    return rows


def _text(value: Any) -> str:
    """A cell's text: missing values as a dash."""
    return "–" if is_missing(value) else str(value)


def index_html(
    evaluation: pd.DataFrame,
    prov: Provenance,
    *,
    target_labels: Mapping[str, str],
    index766: pd.DataFrame | None = None,
    run_status: Mapping[str, str] | None = None,
    failures: Sequence[tuple[str, str]] = (),
    title: str = "",
    assets_href: str = "../assets",
) -> str:
    """The period's index page: the compact summary per target, then every unit.

    ``evaluation``: the evaluate() frame of every unit; ``index766``: unit_id, total, band, rank;
    ``run_status``: unit_id -> ok | failed | skipped; ``failures``: (unit_id, error) listed on top.
    """
    matrix = status_matrix(evaluation)
    targets = {t: target_labels.get(t, t) for t in evaluation["target_id"].drop_duplicates()}
    _ = assets_href  # the index page draws no plot; kept for symmetry with the reports
    return render_page(
        "index.html.j2", prov=prov, banner_text=DEMO_BANNER_TEXT, title=title or prov.plan,
        n_units=len(matrix), n_targets=len(targets), failures=list(failures),
        summary=_summary_context(evaluation) if len(evaluation) else None,
        target_headers=[(str(label), short_label(label)) for label in targets.values()],
        units=_unit_rows(matrix, list(targets), index766, run_status or {}))
