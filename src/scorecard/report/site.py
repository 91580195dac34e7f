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

from scorecard.evaluate.statuses import STATUS_ORDER
from scorecard.evaluate.tally import plan_summary, status_matrix
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
th.num{text-align:right}th.tg{font-size:11px;font-weight:600;min-width:72px;max-width:120px}
td.all-pass{color:#1b5e20}td.req{white-space:nowrap}
.sc-wide{max-width:100%;overflow-x:auto}
#units td:first-child{min-width:190px}#units .st{white-space:normal;display:inline-block}
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


def pass_cell(passed: int, judged: int, no_data: int) -> str:
    """The words of one level cell: "Đạt 3/5", "Chưa có dữ liệu (2)" or "–" (nothing judged)."""
    if judged:
        return f"Đạt {fmt_int(passed)}/{fmt_int(judged)}"
    if no_data:
        return f"Chưa có dữ liệu ({fmt_int(no_data)})"
    return "–"


def _summary_html(summary: pd.DataFrame, info: Mapping[str, Any]) -> str:
    levels = info["levels"]
    has_head = info["unit_id"] is not None
    head_cols = (f'<th class="num">{e(info["title"])}</th><th>Kết quả</th>' if has_head else "")
    parts = ['<table id="summary"><thead><tr><th>Chỉ tiêu</th><th>Căn cứ</th><th>Yêu cầu</th>',
             head_cols,
             "".join(f'<th class="num">{e(LEVEL_VI.get(lv, lv))}</th>' for lv in levels),
             "</tr></thead><tbody>"]
    for r in summary.to_dict("records"):
        kind = indicator_kind(r["indicator"])
        req = "" if is_missing(r["threshold"]) else fmt_threshold(str(r["comparator"]),
                                                                  r["threshold"], kind)
        cells = [f"<td>{e(r['label'])}</td>",
                 f"<td>{e(r['clause'] or '')}</td>",
                 f"<td class=\"req\">{e(req)}</td>"]
        if has_head:
            value = fmt_value(r["value"], kind)
            tip = ""
            if not is_missing(r["denominator"]) and not is_missing(r["value"]):
                tip = f' title="{fmt_int(r["numerator"])}/{fmt_int(r["denominator"])}"'
            cells.append(f'<td class="num"{tip}>{e(value)}</td>')
            cells.append(f"<td>{'–' if is_missing(r['status']) else status_html(r['status'])}"
                         "</td>")
        for lv in levels:
            p, j, nd = (int(r[f"{lv}:{k}"]) for k in ("pass", "judged", "no_data"))
            text = e(pass_cell(p, j, nd))
            if j and nd:
                text += f"<br><small>{fmt_int(nd)} chưa có dữ liệu</small>"
            cls = "num" + (" all-pass" if j and p == j and not nd else "")
            cells.append(f'<td class="{cls}">{text}</td>')
        parts.append(f"<tr data-target=\"{e(r['target_id'])}\">{''.join(cells)}</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _targets_header(targets: Mapping[str, str]) -> str:
    return "".join(f'<th class="sortable tg" title="{e(label)}">{e(short_label(label))}</th>'
                   for label in targets.values())


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

    # the compact summary: one row per target
    if len(evaluation):
        summary, info = plan_summary(evaluation)
        note = ("Cột theo cấp: số đơn vị đạt trên số đơn vị được đánh giá (không tính đơn vị "
                "chưa có dữ liệu hoặc không áp dụng).")
        if info["unit_id"] is not None:
            note = (f"{info['title']}: số liệu của {info['name']} gồm mọi đơn vị trực thuộc, "
                    "so với yêu cầu của chỉ tiêu. " + note)
        parts.append(f"<h2>Tổng hợp theo chỉ tiêu</h2><p class=\"sc-note\">{e(note)}</p>"
                     + _summary_html(summary, info))

    # the unit table
    parts.append("<h2>Kết quả theo đơn vị</h2>"
                 "<p class=\"sc-note\">Bấm vào tiêu đề cột để sắp xếp; di chuột lên tiêu đề để "
                 "xem đủ tên chỉ tiêu.</p>"
                 "<div class=\"sc-wide\"><table class=\"sortable\" id=\"units\"><thead><tr>"
                 "<th class=\"sortable\">Đơn vị</th><th class=\"sortable\">Cấp</th>"
                 + _targets_header(targets)
                 + "<th class=\"sortable\">Số chỉ tiêu đạt</th>"
                 "<th class=\"sortable\">Chỉ số 766</th><th class=\"sortable\">Xếp loại</th>"
                 "<th class=\"sortable\">Xếp hạng</th><th class=\"sortable\">Báo cáo</th>"
                 "</tr></thead><tbody>")
    order = STATUS_ORDER
    for _, row in matrix.iterrows():
        uid = str(row.unit_id)
        st = run_status.get(uid)
        name = e(row.unit_name)
        link = f'<a href="{e(uid)}.html">{name}</a>' if st in ("ok", "skipped") else name
        cells = [f"<td data-v=\"\">{link}<br><small>{e(uid)}</small></td>",
                 f"<td>{e(LEVEL_VI.get(row.level, row.level))}</td>"]
        for t in targets:
            v = row[t]
            cells.append(f"<td data-v=\"{order.get(v, -2)}\">"
                         f"{'–' if is_missing(v) else status_html(v)}</td>")
        passed = f"{row.passed}/{row.judged}" if row.judged else "–"
        cells.append(f"<td class=\"num\" data-v=\"{row.passed}\">{passed}</td>")
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
    parts.append("</tbody></table></div>")
    parts.append(f"<script>{_SORT_JS}</script></main></body></html>")
    _ = assets_href  # the index page draws no plot; kept for symmetry with the reports
    return "".join(parts)
