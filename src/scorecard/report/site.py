"""The report folder as a small offline site: shared assets, provenance, the index page.

Layout of ``reports/``::

    reports/assets/plotly.min.js        copied once from the plotly package (no CDN)
    reports/<period>/index.html         every unit, its status per target, sortable; the plan's
                                        overdue tasks, the 766 breakdown, leads, late lists
    reports/<period>/<unit_id>.html     one report per unit (see notebook_html.py)

Pages are opened from disk (``file://``) with no internet: every link is relative and the only
script besides plotly.js is the small inline table sorter (``templates/sort_table.js.j2``).
The HTML comes from the autoescaping templates of ``report/templates/`` (index.html.j2,
provenance.html.j2) through :func:`scorecard.report.templating.render_page`: this module and
:mod:`~scorecard.report.index_targets` / :mod:`~scorecard.report.index_sections` only compute
what the cells say (the rows that count come from :mod:`scorecard.evaluate.tally`).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard.evaluate.tally import (
    headline_unit,
    status_matrix,
    unit_lead_counts,
    unit_task_counts,
)
from scorecard.outputs import atomic_target
from scorecard.report.format import fmt_datetime, short_label
from scorecard.report.index_sections import (
    index766_context,
    inspection_context,
    tasks_context,
)
from scorecard.report.index_targets import pass_cell, summary_context, unit_rows
from scorecard.report.templating import render_page

__all__ = ["ASSETS_DIR", "DEMO_BANNER_TEXT", "PLOTLY_ASSET", "IndexFrames", "Provenance",
           "copy_assets", "index_frames", "index_html", "pass_cell", "provenance_html"]

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


@dataclass(frozen=True)
class IndexFrames:
    """What the index page shows beside the verdicts (the batch's bundle frames, see
    :func:`index_frames`). Every field may be left empty: the page then says so."""

    plan: Any = None                        # scorecard.plans.Plan: each target's timing
    tasks: pd.DataFrame | None = None       # scorecard.tasks.LISTING_COLUMNS
    has_task_register: bool = False
    period_last: Any = None                 # the period's last day (tasks are judged then)
    leads_scores: pd.DataFrame | None = None
    leads_status: pd.DataFrame | None = None
    index766_breakdown: pd.DataFrame | None = None
    late_lists: pd.DataFrame | None = None  # late_list_log rows of the period's months
    months: tuple[str, ...] = ()            # the period's calendar months (YYYY-MM)
    page_dir: Path | None = None            # the index page's folder (relative links)
    meta: Mapping[str, Any] = field(default_factory=dict)  # the bundle's meta


def index_frames(bundle: Any, page_dir: Path | None = None, plan: Any = None) -> IndexFrames:
    """The :class:`IndexFrames` of a report bundle (``scorecard_data.Bundle``) whose index page
    is written into ``page_dir``."""
    from scorecard.late_list.log import period_months
    from scorecard.periods import parse_period

    m = bundle.meta
    frames = getattr(bundle, "frames", {})
    months = tuple(period_months([parse_period(m["period"])])["month"])
    return IndexFrames(
        plan=plan, tasks=frames.get("tasks"),
        has_task_register=bool(m.get("has_task_register", False)),
        period_last=m["window"][1], leads_scores=frames.get("leads_scores"),
        leads_status=frames.get("leads_status"),
        index766_breakdown=frames.get("index766_breakdown"),
        late_lists=frames.get("late_lists"), months=months, page_dir=page_dir, meta=m)


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
    frames: IndexFrames | None = None,
) -> str:
    """The period's index page: the compact summary per target, every unit (targets, pass
    count, plan tasks, inspection leads, 766 total, band and rank in its level), the plan's
    overdue assignments, where the headline unit's 766 points went, and the inspectors' leads
    and late lists.

    ``evaluation``: the evaluate() frame of every unit; ``index766``: the 766 summary
    (unit_id, total, band, rank, units_ranked, scope, …); ``run_status``: unit_id -> ok |
    failed | skipped; ``failures``: (unit_id, error) listed on top; ``frames``: the rest of the
    bundle (:func:`index_frames`).
    """
    fr = frames or IndexFrames()
    matrix = status_matrix(evaluation)
    targets = {t: target_labels.get(t, t) for t in evaluation["target_id"].drop_duplicates()}
    _ = assets_href  # the index page draws no plot; kept for symmetry with the reports
    task_counts = (unit_task_counts(fr.tasks, fr.period_last)
                   if fr.has_task_register and fr.tasks is not None else None)
    lead_counts = unit_lead_counts(fr.leads_scores) if fr.leads_scores is not None else None
    head = headline_unit(evaluation) if len(evaluation) else None
    head_name = (None if head is None else
                 str(evaluation.loc[evaluation["unit_id"] == head, "unit_name"].iloc[0]))
    plan_id = str(fr.meta.get("plan_id") or getattr(fr.plan, "plan_id", "") or "")
    return render_page(
        "index.html.j2", prov=prov, banner_text=DEMO_BANNER_TEXT, title=title or prov.plan,
        n_units=len(matrix), n_targets=len(targets), failures=list(failures),
        summary=summary_context(evaluation, fr.plan) if len(evaluation) else None,
        target_headers=[(str(label), short_label(label)) for label in targets.values()],
        units=unit_rows(matrix, list(targets), index766, run_status or {},
                        task_counts=task_counts, lead_counts=lead_counts),
        has_tasks=task_counts is not None,
        tasks=tasks_context(fr.tasks, task_counts, fr.has_task_register, fr.period_last,
                            plan_id) if fr.period_last is not None else None,
        index766=index766_context(fr.index766_breakdown, index766, head, head_name),
        inspection=inspection_context(fr.late_lists, fr.months, plan_id or None, fr.page_dir,
                                      fr.leads_status, fr.meta) if fr.months else None)
