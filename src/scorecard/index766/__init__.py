"""The national service index of QĐ 766/QĐ-TTg, scored from the store with a versioned profile.

A *profile* (``params/index766/<name>.yaml``, :mod:`.profile`) declares groups, metrics, weights,
caps, the zero-denominator rule of each metric, rounding, the supplement-request setting, the
progress rule, bands and ranking scopes (domain.md §6). This package only interprets it:

* **Counts** (:mod:`.counts`, SQL) per unit × scope × period. Case counts are over the cases
  *received* in the period (calendar window); PAKN counts over the PAKN received; procedure
  counts over the procedures in a unit's competence (``unit_procedures``), or, for a unit with
  none listed, the procedures it received cases for in the period (``basis``: ``competence``,
  ``cases``, ``competence+cases`` for a tree mixing both, ``none``). Boolean flags that are NULL
  count as not set.
* **Progress** (:mod:`.progress`): which received cases are on time comes from one replaceable
  rule named by the profile's ``progress_rule`` (default ``period_end``: a case finished by the
  period's last day ``L`` is judged by its finishing date, any other by ``L``, against its due
  date; more than ``max_requests`` supplement requests is late). Case satisfaction counts a case
  as satisfied unless that rule finds it late or it is rated ``dissatisfied`` (each case once).
* **PAKN** metrics judge each PAKN at the period's end the same way; the portal's satisfaction is
  (received − answered "không hài lòng" − late) / received, full marks with no PAKN.
* **Optional columns** (``cases.citizen_data_used``, ``cases.personal_storage_synced``,
  ``procedures.citizen_data_connected``): a metric over one of them names a ``carried_by`` count
  (its denominator's items whose column has a value). The unit's data *carries* the column in
  a period and scope when that count is > 0, i.e. at least one received case (or basis
  procedure) has a value; then NULLs among them count as not set. When every one is NULL (the
  file lacked the column or the system left it empty) the metric falls back to the ``manual``
  table. A zero denominator (no case received) applies the metric's zero rule (0) either way.
* **Manual** metrics (and fallbacks) read the ``manual`` table (``indicator`` = the metric id or
  its ``manual_indicator``; ``value`` = rate as a fraction; same unit and period id); without a
  row the metric is ``no_data``: it scores nothing and its points are out of reach
  (``no_data_points``). In tree scope a parent uses its own manual row (rates cannot be summed).
  ``form06`` rows are not used (they cannot judge cases one by one).
* Every metric row says its ``source``: ``computed``, ``manual`` or ``none``.
* Points per metric: ``max·R`` or, with ``target`` t, ``min(max, max·R/t)``, rounded half-up to
  ``rounding`` decimals, then summed into groups and the total (:mod:`.scoring`).
* Reports (:mod:`.summary`): :func:`summarize_index766` (total, band, rank per unit: units of a
  level ranked by the ``rank_scope`` total), :func:`points_lost` (largest losses first) and
  :func:`points_breakdown` (where the points went, per group and metric, with the source).
"""

from scorecard.config import INDEX766_DIR
from scorecard.index766.counts import COUNTS, OPTIONAL_COLUMNS, PROCEDURE_COUNTS, index_counts
from scorecard.index766.profile import (
    Band,
    Group,
    Metric,
    Profile,
    ProfileError,
    list_profiles,
    load_profile,
)
from scorecard.index766.progress import (
    DEFAULT_PROGRESS_RULE,
    PERIOD_END,
    PROGRESS_RULES,
    ProgressRule,
    ProgressRuleError,
    resolve_progress_rule,
)
from scorecard.index766.scoring import (
    COLUMNS,
    DEDUCTION,
    EXTRA_COLUMNS,
    GROUP_ROW,
    SOURCE_OF_STATUS,
    TOTAL,
    Index766Error,
    compute_index766,
    metric_points,
    round_points,
    score_counts,
    score_metric,
)
from scorecard.index766.summary import (
    BREAKDOWN_COLUMNS,
    points_breakdown,
    points_lost,
    summarize_index766,
)

__all__ = [
    "BREAKDOWN_COLUMNS", "COLUMNS", "COUNTS", "DEDUCTION", "DEFAULT_PROGRESS_RULE",
    "EXTRA_COLUMNS", "GROUP_ROW", "INDEX766_DIR", "OPTIONAL_COLUMNS", "PERIOD_END",
    "PROCEDURE_COUNTS", "PROGRESS_RULES", "SOURCE_OF_STATUS", "TOTAL", "Band", "Group",
    "Index766Error", "Metric", "Profile", "ProfileError", "ProgressRule",
    "ProgressRuleError", "compute_index766",
    "index_counts", "list_profiles", "load_profile", "metric_points", "points_breakdown",
    "points_lost", "resolve_progress_rule", "round_points", "score_counts", "score_metric",
    "summarize_index766",
]
