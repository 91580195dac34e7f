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

from scorecard.evaluate.statuses import STATUS_ORDER
from scorecard.evaluate.tally import plan_summary, status_matrix
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
    order = STATUS_ORDER
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
