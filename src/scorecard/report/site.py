"""The report folder as a small offline site: shared assets, provenance, the index page.

Layout of ``reports/``::

    reports/assets/plotly.min.js        copied once from the plotly package (no CDN)
    reports/<period>/index.html         every unit, its status per target, sortable
    reports/<period>/<unit_id>.html     one report per unit (see notebook_html.py)

Pages are opened from disk (``file://``) with no internet: every link is relative and the only
script besides plotly.js is the small inline table sorter below.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard.report.format import (
    BAND_VI,
    LEVEL_VI,
    STATUS_COLOURS,
    STATUS_VI,
    fmt_datetime,
    fmt_int,
    fmt_points,
    is_missing,
    status_vi,
)

PLOTLY_ASSET = "plotly.min.js"
ASSETS_DIR = "assets"
DEMO_BANNER_TEXT = "DỮ LIỆU MẪU — số liệu tổng hợp giả lập, không phải số liệu thật"

REPORT_CSS = """
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#1d2733;margin:0;background:#fff}
main{max-width:1180px;margin:0 auto;padding:12px 24px 40px}
.sc-nav{max-width:1180px;margin:0 auto;padding:8px 24px 0;font-size:13px}
h1{font-size:22px;margin:14px 0 6px}h2{font-size:18px;margin:26px 0 8px;border-bottom:2px solid #c9d3de}
h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;font-size:13px;margin:6px 0 12px}
th,td{border:1px solid #d5dce4;padding:4px 7px;vertical-align:top}
th{background:#1f4e79;color:#fff;text-align:left;font-weight:600}
td.num{text-align:right;white-space:nowrap}
.st{font-weight:600;white-space:nowrap;border-radius:3px;padding:1px 5px}
.st-pass{background:#d8f0dc;color:#1b5e20}.st-fail{background:#fbd9d6;color:#8e1b10}
.st-no_data{background:#eeeeee;color:#555555}.st-not_applicable{background:#f6f6f6;color:#888888}
.st-ok{background:#d8f0dc;color:#1b5e20}.st-failed{background:#fbd9d6;color:#8e1b10}
.st-skipped{background:#eef3fa;color:#1f4e79}
.sc-demo{background:#b71c1c;color:#fff;font-weight:700;text-align:center;padding:8px;
 letter-spacing:.5px;font-size:15px}
.sc-prov{font-size:12px;color:#52606d;background:#f4f6f8;border:1px solid #dde3ea;padding:6px 10px;
 margin:8px 0}
.sc-prov span{margin-right:16px;display:inline-block}
.sc-note{font-size:13px;color:#52606d}
.sc-kpis{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}
.sc-kpi{border:1px solid #d5dce4;border-radius:4px;padding:6px 12px;min-width:130px}
.sc-kpi b{display:block;font-size:20px}
th.sortable{cursor:pointer}th.sortable:after{content:" \\2195";opacity:.6}
.output_subarea{max-width:100%;overflow-x:auto}
"""

# Sorts a table when a header is clicked; numbers by data-v, text by Vietnamese collation.
_SORT_JS = """
document.querySelectorAll('table.sortable').forEach(function(t){
 t.querySelectorAll('th.sortable').forEach(function(th,i){
  th.addEventListener('click',function(){
   var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);
   var asc=th.getAttribute('data-dir')!=='asc';th.setAttribute('data-dir',asc?'asc':'desc');
   rows.sort(function(a,b){
    var x=a.cells[i],y=b.cells[i];
    var vx=x.getAttribute('data-v'),vy=y.getAttribute('data-v');
    var r=(vx!==null&&vy!==null&&vx!==''&&vy!=='')?(parseFloat(vx)-parseFloat(vy))
      :x.textContent.localeCompare(y.textContent,'vi');
    return asc?r:-r;});
   rows.forEach(function(r){body.appendChild(r);});
  });});});
"""


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


def e(text: Any) -> str:
    """HTML-escape anything (missing values as a dash)."""
    return html.escape("–" if is_missing(text) else str(text))


def demo_banner_html() -> str:
    return f'<div class="sc-demo">{e(DEMO_BANNER_TEXT)}</div>'


def provenance_html(prov: Provenance) -> str:
    """The provenance strip: plan, period window, data snapshot, code version, time."""
    spans = "".join(f"<span><b>{e(k)}:</b> {e(v)}</span>" for k, v in prov.items())
    banner = demo_banner_html() if prov.demo else ""
    return f'{banner}<div class="sc-prov">{spans}</div>'


def status_html(status: Any) -> str:
    """A coloured status word (``<span class="st st-fail">Không đạt</span>``)."""
    key = "no_data" if is_missing(status) else str(status)
    word = {"ok": "Hoàn thành", "failed": "Lỗi", "skipped": "Không đổi"}.get(key, status_vi(key))
    return f'<span class="st st-{e(key)}">{e(word)}</span>'


def copy_assets(reports_dir: Path) -> Path:
    """Copy plotly.min.js into ``reports/assets/`` once (kept when already identical)."""
    import plotly

    src = Path(plotly.__file__).parent / "package_data" / PLOTLY_ASSET
    dest_dir = Path(reports_dir) / ASSETS_DIR
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / PLOTLY_ASSET
    if not dest.exists() or dest.stat().st_size != src.stat().st_size:
        shutil.copyfile(src, dest)
    return dest


def status_matrix(evaluation: pd.DataFrame) -> pd.DataFrame:
    """One row per unit, one column per target (the status), plus pass and judged counts.

    Columns: unit_id, unit_name, level, <target_id>..., passed, judged (targets with pass or
    fail). Target columns keep the plan's order of first appearance.
    """
    if evaluation.empty:
        return pd.DataFrame(columns=["unit_id", "unit_name", "level", "passed", "judged"])
    targets = list(dict.fromkeys(evaluation["target_id"]))
    wide = evaluation.pivot_table(index=["unit_id", "unit_name", "level"], columns="target_id",
                                  values="status", aggfunc="first")
    wide = wide.reindex(columns=targets).reset_index()
    wide.columns.name = None
    st = wide[targets]
    wide["passed"] = (st == "pass").sum(axis=1).astype(int)
    wide["judged"] = st.isin(["pass", "fail"]).sum(axis=1).astype(int)
    return wide


def level_totals(evaluation: pd.DataFrame) -> pd.DataFrame:
    """Counts of each status per target, for every level and for the whole plan (``level='all'``).

    Columns: level, target_id, pass, fail, no_data, not_applicable.
    """
    cols = ["pass", "fail", "no_data", "not_applicable"]
    if evaluation.empty:
        return pd.DataFrame(columns=["level", "target_id", *cols])
    both = pd.concat([evaluation, evaluation.assign(level="all")])
    out = (both.groupby(["level", "target_id"], sort=False)["status"].value_counts()
           .unstack(fill_value=0).reindex(columns=cols, fill_value=0).reset_index())
    out.columns.name = None
    return out


def _targets_header(targets: Mapping[str, str]) -> str:
    return "".join(f'<th class="sortable" title="{e(label)}">{e(tid)}</th>'
                   for tid, label in targets.items())


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
    """The period's index page.

    ``evaluation``: the evaluate() frame of every unit; ``index766``: unit_id, total, band, rank;
    ``run_status``: unit_id -> ok | failed | skipped; ``failures``: (unit_id, error) listed on top.
    """
    matrix = status_matrix(evaluation)
    targets = {t: target_labels.get(t, t) for t in evaluation["target_id"].drop_duplicates()}
    idx = index766.set_index("unit_id") if index766 is not None and len(index766) else None
    run_status = run_status or {}

    parts = [
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">",
        f"<title>{e(title or prov.plan)} — {e(prov.period_label)}</title>",
        f"<style>{REPORT_CSS}</style></head><body><main>",
        provenance_html(prov),
        f"<h1>{e(title or prov.plan)}</h1>",
        f"<p class=\"sc-note\">{e(prov.period_label)} · {fmt_int(len(matrix))} đơn vị · "
        f"{fmt_int(len(targets))} chỉ tiêu</p>",
    ]
    if failures:
        items = "".join(f"<li><b>{e(u)}</b>: {e(msg)}</li>" for u, msg in failures)
        parts.append(f"<h2>Báo cáo lỗi ({fmt_int(len(failures))})</h2><ul class=\"sc-fail\">"
                     f"{items}</ul>")

    # totals: the whole plan and each level
    totals = level_totals(evaluation)
    parts.append("<h2>Tổng hợp theo cấp</h2><table><thead><tr><th>Cấp</th><th>Chỉ tiêu</th>"
                 + "".join(f"<th>{e(STATUS_VI[s])}</th>" for s in STATUS_VI)
                 + "</tr></thead><tbody>")
    level_order = ["all", *[lv for lv in LEVEL_VI if lv in set(totals["level"])]]
    for lv in level_order:
        sub = totals[totals["level"] == lv]
        for _, row in sub.iterrows():
            name = "Toàn tỉnh" if lv == "all" else LEVEL_VI.get(lv, lv)
            parts.append(
                f"<tr><td>{e(name)}</td><td title=\"{e(targets.get(row.target_id, ''))}\">"
                f"{e(row.target_id)}</td>"
                + "".join(f"<td class=\"num\">{fmt_int(row[s])}</td>" for s in STATUS_VI)
                + "</tr>")
    parts.append("</tbody></table>")

    # the unit table
    parts.append("<h2>Kết quả theo đơn vị</h2>"
                 "<p class=\"sc-note\">Bấm vào tiêu đề cột để sắp xếp.</p>"
                 "<table class=\"sortable\" id=\"units\"><thead><tr>"
                 "<th class=\"sortable\">Đơn vị</th><th class=\"sortable\">Cấp</th>"
                 + _targets_header(targets)
                 + "<th class=\"sortable\">Số chỉ tiêu đạt</th>"
                 "<th class=\"sortable\">Chỉ số 766</th><th class=\"sortable\">Xếp loại</th>"
                 "<th class=\"sortable\">Xếp hạng</th><th class=\"sortable\">Báo cáo</th>"
                 "</tr></thead><tbody>")
    for _, row in matrix.iterrows():
        uid = str(row.unit_id)
        st = run_status.get(uid)
        name = e(row.unit_name)
        link = f'<a href="{e(uid)}.html">{name}</a>' if st in ("ok", "skipped") else name
        cells = [f"<td data-v=\"\">{link}<br><small>{e(uid)}</small></td>",
                 f"<td>{e(LEVEL_VI.get(row.level, row.level))}</td>"]
        order = {"pass": 3, "fail": 1, "no_data": 0, "not_applicable": -1}
        for t in targets:
            cells.append(f"<td data-v=\"{order.get(row[t], -2)}\">{status_html(row[t])}</td>")
        cells.append(f"<td class=\"num\" data-v=\"{row.passed}\">{row.passed}/{row.judged}</td>")
        total = band = rank = None
        if idx is not None and uid in idx.index:
            total, band, rank = (idx.at[uid, c] if c in idx.columns else None
                                 for c in ("total", "band", "rank"))
        cells.append(f"<td class=\"num\" data-v=\"{'' if is_missing(total) else total}\">"
                     f"{fmt_points(total)}</td>")
        cells.append(f"<td>{e(BAND_VI.get(str(band), band))}</td>")
        cells.append(f"<td class=\"num\" data-v=\"{'' if is_missing(rank) else rank}\">"
                     f"{fmt_int(rank)}</td>")
        cells.append(f"<td>{status_html(st) if st else '–'}</td>")
        parts.append(f"<tr data-unit=\"{e(uid)}\">{''.join(cells)}</tr>")
    parts.append("</tbody></table>")
    legend = "".join(f"<li><b>{e(t)}</b>: {e(label)}</li>" for t, label in targets.items())
    parts.append(f"<h2>Chỉ tiêu</h2><ul class=\"sc-note\">{legend}</ul>")
    parts.append(f"<script>{_SORT_JS}</script></main></body></html>")
    _ = assets_href  # the index page draws no plot; kept for symmetry with the reports
    return "".join(parts)


def status_fill(status: str) -> str:
    """Background colour (hex, no '#') of a status, for Excel."""
    return STATUS_COLOURS.get(status, ("#ffffff", "#000000"))[0].lstrip("#")
