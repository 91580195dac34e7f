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
    order = {"pass": 3, "fail": 1, "no_data": 0, "not_applicable": -1}
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
