"""Everything the scorecard notebook shows, as frames: the notebook only arranges and narrates.

One job per module:

- :mod:`~scorecard.scorecard_data.bundle` — **compute**: :func:`compute_bundle` opens the store
  read-only once and computes, for every unit of a plan, the evaluation of the period, the
  trend over the last quarters, the breakdown by field, the procedures with late cases, PAKN,
  the 766 index and its breakdown, the plan's task occurrences, the inspection leads, the late
  lists and the data-quality facts (:class:`Bundle`);
- :mod:`~scorecard.scorecard_data.cache` — **cache**: :func:`save_bundle` (parquet files +
  meta.json) and :func:`load_bundle` (cached per process: a warm kernel reads a bundle once for
  many reports);
- :mod:`~scorecard.scorecard_data.unit` — **slice**: :func:`unit_report` → :class:`UnitReport`,
  the rows of one unit (computing a bundle from the store when none is given: the notebook
  also works on its own);
- **Vietnamese tables** (formatted strings, Vietnamese headers), one module per part of the
  report: :mod:`~.overview` (facts, KPI tiles, provenance, children ranking),
  :mod:`~.target_tables` (section 1: verdicts, verdicts on whole levels, tallies,
  contributions), :mod:`~.trend_tables`, :mod:`~.task_tables` (the plan's assignments),
  :mod:`~.case_tables` (fields, late cases, PAKN), :mod:`~.lead_tables` (inspection leads),
  :mod:`~.index766_tables` (the 766 index, every group), :mod:`~.quality_tables`.

Nothing here formats HTML or draws; see :mod:`scorecard.report` (``report.unit_sections``
lays these tables and the charts out as a report's sections).
"""

from scorecard.scorecard_data.bundle import (
    FIELD_INDICATORS,
    FRAMES,
    PAKN_INDICATORS,
    Bundle,
    compute_bundle,
)
from scorecard.scorecard_data.cache import load_bundle, save_bundle
from scorecard.scorecard_data.case_tables import (
    field_columns,
    fields_table,
    fields_with_cases,
    late_procedures_table,
    late_summary,
    late_totals,
    pakn_table,
)
from scorecard.scorecard_data.index766_tables import (
    Index766Group,
    index766_facts,
    index766_group_tables,
    index766_groups,
    index766_lost,
    index766_sources_note,
)
from scorecard.scorecard_data.lead_tables import (
    LeadFinding,
    lead_cases_to_open,
    lead_scores,
    lead_sentences,
    leads_caveat,
    leads_notes,
    leads_off,
    leads_table,
    subtree_flagged_table,
)
from scorecard.scorecard_data.overview import (
    children_table,
    header_facts,
    kpis,
    kpis_note,
    provenance,
    scope_note,
)
from scorecard.scorecard_data.quality_tables import quality_notes, rejects_table
from scorecard.scorecard_data.target_tables import (
    OWN_VI,
    WHOLE_VI,
    WINDOW_NOTE,
    TargetSection,
    chart_targets,
    counted_targets,
    headline_targets,
    judged_itself,
    level_table,
    level_targets,
    member_rows,
    member_table,
    own_targets,
    section_notes,
    section_table,
    status_counts,
    tally_rows,
    tally_table,
    tally_words,
    target_sections,
    targets_table,
)
from scorecard.scorecard_data.task_tables import TaskTable, task_counts, task_summary, task_tables
from scorecard.scorecard_data.trend_tables import trend_frame, trend_table
from scorecard.scorecard_data.unit import UnitReport, unit_report

__all__ = [
    "FIELD_INDICATORS", "FRAMES", "OWN_VI", "PAKN_INDICATORS", "WHOLE_VI", "WINDOW_NOTE", "Bundle",
    "Index766Group", "LeadFinding", "TargetSection", "TaskTable", "UnitReport", "chart_targets", "children_table", "compute_bundle",
    "counted_targets", "field_columns", "fields_table", "fields_with_cases", "header_facts", "headline_targets", "index766_facts",
    "index766_group_tables", "index766_groups", "index766_lost", "index766_sources_note",
    "judged_itself", "kpis", "kpis_note", "late_procedures_table", "late_summary",
    "late_totals", "lead_cases_to_open", "lead_scores", "lead_sentences", "leads_caveat",
    "leads_notes", "leads_off", "leads_table", "level_table", "level_targets", "load_bundle", "member_rows",
    "member_table", "own_targets", "pakn_table", "provenance", "quality_notes",
    "rejects_table", "save_bundle", "scope_note", "section_notes", "section_table",
    "status_counts", "subtree_flagged_table", "tally_rows", "tally_table", "tally_words",
    "target_sections", "targets_table", "task_counts", "task_summary", "task_tables",
    "trend_frame", "trend_table", "unit_report",
]
