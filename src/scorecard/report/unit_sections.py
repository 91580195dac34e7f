"""The sections of a unit's report, laid out: each function returns the parts
:func:`scorecard.report.display.show` emits (HTML fragments and charts), in order.

The notebook template (``notebooks/scorecard.ipynb``) has one markdown heading and one
``show(sections.<name>(rep))`` per section; every figure and sentence comes from the display
frames of :mod:`scorecard.scorecard_data`, laid out here with :mod:`scorecard.report.tables`
and :mod:`scorecard.report.charts`. Nothing here computes a figure.
"""

from __future__ import annotations

from typing import Any

from scorecard import scorecard_data as sd
from scorecard.report import charts, tables
from scorecard.report.charts import Chart
from scorecard.report.format import fmt_int

Parts = list[Any]

#: Case ids of a lead shown in a report (the most telling first; the CLI and
#: notebooks/leads.ipynb list them all).
CASES_SHOWN = 10
#: Chart id prefix of each target table (``sc-target-<id>``, ``sc-own-<id>``, …).
_CHART_PREFIX = {"targets": "target", "targets-own": "own", "targets-level": "level"}


def header(rep: sd.UnitReport, prov: Any) -> Parts:
    """Demo banner and provenance strip, the unit's name and period, key facts, KPI tiles."""
    from scorecard.report.site import provenance_html

    return [provenance_html(prov),
            tables.heading(f"{rep.unit['name']} — {rep.meta['period_label']}", 1),
            tables.facts_html(sd.header_facts(rep)), tables.kpis_html(sd.kpis(rep)),
            tables.paragraphs([x for x in [sd.kpis_note(rep)] if x])]


def targets(rep: sd.UnitReport) -> Parts:
    """Section 1: every table of :func:`scorecard_data.target_sections` (verdicts on the unit,
    on whole levels, tallies, contributions), a bullet chart per judged row where the table
    has charts."""
    sections = sd.target_sections(rep)
    if not sections:
        return [tables.paragraphs(["Không có chỉ tiêu nào của kế hoạch áp dụng cho đơn vị này "
                                   "trong kỳ."])]
    parts: Parts = []
    for number, sec in enumerate(sections, start=1):
        if sec.title:
            parts.append(tables.heading(f"1.{number}. {sec.title}", 3))
        parts.append(tables.paragraphs(sd.section_notes(rep, sec)))
        parts.append(tables.html_table(sd.section_table(rep, sec), table_id=sec.table_id))
        if sec.charts:
            prefix = _CHART_PREFIX.get(sec.table_id, sec.table_id)
            parts += [Chart(charts.target_bullet(row, kind), f"{prefix}-{name}")
                      for name, row, kind in sd.chart_targets(rep, sec.rows)]
    return parts


def trend(rep: sd.UnitReport) -> Parts:
    """Section 2: the rate targets over the last quarters, one small chart per target."""
    frame = sd.trend_frame(rep)
    chart = (Chart(charts.trend_small_multiples(frame, title="Các chỉ tiêu tỷ lệ qua các quý "
                                                             "(điểm xanh: đạt, đỏ: không đạt; "
                                                             "nét đứt: yêu cầu)"), "trend")
             if len(frame) else None)
    return [tables.paragraphs([sd.scope_note(rep)]), chart,
            tables.html_table(sd.trend_table(rep),
                              empty="Không có chỉ tiêu tỷ lệ nào được đánh giá trong kỳ.")]


def tasks(rep: sd.UnitReport) -> Parts:
    """Section "Nhiệm vụ theo kế hoạch": what the unit leads, then due this period, overdue,
    done late and continuous tasks."""
    parts: Parts = [tables.paragraphs(sd.task_summary(rep))]
    for table in sd.task_tables(rep):
        parts += [tables.heading(table.title, 3),
                  tables.html_table(table.table, status_col="Trạng thái", empty=table.empty)]
    return parts


def fields(rep: sd.UnitReport) -> Parts:
    """By field: the on-time rate per field as bars, then the table."""
    by_field = sd.fields_table(rep)
    chart = (Chart(charts.bar_chart(by_field["Lĩnh vực"], by_field["_on_time"],
                                    title="Tỷ lệ giải quyết trước hạn và đúng hạn theo lĩnh vực"),
                   "fields") if len(by_field) else None)
    return [tables.paragraphs([sd.scope_note(rep)]), chart, tables.html_table(by_field)]


def late_cases(rep: sd.UnitReport) -> Parts:
    """Late cases and apology letters, by procedure."""
    late = sd.late_totals(rep)
    return [tables.paragraphs([sd.scope_note(rep), sd.late_summary(late)]),
            tables.html_table(sd.late_procedures_table(rep),
                              empty="Không có hồ sơ giải quyết quá hạn trong kỳ.")]


def leads(rep: sd.UnitReport) -> Parts:
    """Inspection leads: the caveat, the unit's scores per lead, each lead that flags it with
    its sentence and the case ids to open first, the units below it that a lead flags, the
    leads that did not run and why."""
    own = ("Số liệu riêng đơn vị (không gồm các đơn vị trực thuộc: xem bảng cuối mục)."
           if rep.is_parent else "")
    parts: Parts = [tables.paragraphs([x for x in (sd.leads_caveat(rep), own) if x])]
    parts.append(tables.html_table(
        sd.leads_table(rep), table_id="leads",
        empty="Đơn vị không có hồ sơ nào để xem xét theo các dấu hiệu trong kỳ."))
    for finding in sd.lead_sentences(rep):
        shown = finding.cases[:CASES_SHOWN]
        rest = finding.cases_flagged - len(shown)
        more = f" (và {fmt_int(rest)} hồ sơ khác có dấu hiệu)" if rest > 0 else ""
        parts += [tables.heading(finding.label, 3), tables.paragraphs([finding.sentence]),
                  tables.paragraphs([("Hồ sơ nên mở trước: " + ", ".join(shown) + more)
                                     if shown else "Không có mã hồ sơ minh chứng."])]
    below = sd.subtree_flagged_table(rep)
    if rep.is_parent:
        parts += [tables.heading("Đơn vị trực thuộc có dấu hiệu cần xem xét", 3),
                  tables.html_table(below, table_id="leads-below",
                                    empty="Không có đơn vị trực thuộc nào nổi bật.")]
    parts.append(tables.paragraphs([*sd.leads_off(rep), *sd.leads_notes(rep)]))
    return parts


def pakn(rep: sd.UnitReport) -> Parts:
    """PAKN: on-time and satisfaction rates with their counts."""
    return [tables.paragraphs([sd.scope_note(rep)]),
            tables.html_table(sd.pakn_table(rep), empty="Không có PAKN trong kỳ.")]


def children(rep: sd.UnitReport) -> Parts:
    """The units directly below, ranked (a leaf: one sentence)."""
    if not rep.is_parent:
        return [tables.paragraphs(["Đơn vị không có đơn vị trực thuộc."])]
    return [tables.html_table(sd.children_table(rep), table_id="children")]


def index766(rep: sd.UnitReport) -> Parts:
    """The 766 index: total, band and rank; the points lost per metric as bars; every group
    with every metric (where its value came from, points, points lost)."""
    lost = sd.index766_lost(rep)
    parts: Parts = [tables.facts_html(sd.index766_facts(rep).items())]
    if len(lost):
        parts.append(Chart(charts.points_lost_chart(lost["Tiêu chí"], lost["_lost"]),
                           "index766-lost"))
    groups = sd.index766_group_tables(rep)
    if not groups:
        return [*parts, tables.paragraphs(["Chưa tính được Chỉ số 766 cho đơn vị."])]
    parts += [tables.paragraphs(sd.index766_sources_note(rep)),
              tables.html_table(sd.index766_groups(rep), table_id="index766-groups")]
    for g in groups:
        parts += [tables.heading(g.title, 3),
                  tables.html_table(g.table, table_id=f"index766-{g.group}")]
    return parts


def quality(rep: sd.UnitReport) -> Parts:
    """Data quality: load counts, rejected rows, Biểu 06 substitutes and overlaps."""
    return [tables.paragraphs(sd.quality_notes(rep)), tables.html_table(sd.rejects_table(rep))]
