"""Judge a store against a plan: verdicts an inspector can trace to the plan's words.

- :mod:`~scorecard.evaluate.judging`: exact comparisons and the gap in cases;
- :mod:`~scorecard.evaluate.windows`: which dates a target's value covers, and when it is judged;
- :mod:`~scorecard.evaluate.scope`: the units a plan judges and its level groups;
- :mod:`~scorecard.evaluate.core`: :func:`evaluate_targets` (pure): one row per unit × target,
  pooled rows only where the plan gives one threshold, level and share-of-units verdicts;
- :mod:`~scorecard.evaluate.compute`: what to compute, from the store (case indicators, and the
  indicators another module computes, asked from it only when a target uses one), and
  :func:`evaluate`;
- :mod:`~scorecard.evaluate.statuses`: statuses, scopes and their order;
- :mod:`~scorecard.evaluate.tally`: which rows count for a unit, status matrices and per-level
  tallies (what the index, the summary workbook and the reports count).
"""

from scorecard.evaluate.compute import (
    IndicatorRequest,
    ProviderRequest,
    compute_for_plan,
    evaluate,
    indicator_requests,
    plan_pools,
    plan_spans,
    pool_rows,
    provider_requests,
    stored_field_codes,
)
from scorecard.evaluate.core import COLUMNS, evaluate_targets
from scorecard.evaluate.judging import Judgement, compare, gap_count, gap_rate, judge, judge_value
from scorecard.evaluate.scope import EvaluateError, UnitTree, plan_units, pool_key, subtree_levels
from scorecard.evaluate.statuses import (
    INFO_SCOPES,
    ROW_SCOPES,
    STATUS_ORDER,
    STATUSES,
    VERDICT_SCOPES,
    VERDICTS,
    combine_statuses,
)
from scorecard.evaluate.windows import TargetWindow, target_window

__all__ = [
    "COLUMNS",
    "INFO_SCOPES",
    "ROW_SCOPES",
    "STATUSES",
    "STATUS_ORDER",
    "VERDICTS",
    "VERDICT_SCOPES",
    "EvaluateError",
    "IndicatorRequest",
    "Judgement",
    "ProviderRequest",
    "TargetWindow",
    "UnitTree",
    "combine_statuses",
    "compare",
    "compute_for_plan",
    "evaluate",
    "evaluate_targets",
    "gap_count",
    "gap_rate",
    "indicator_requests",
    "judge",
    "judge_value",
    "plan_pools",
    "plan_spans",
    "plan_units",
    "pool_key",
    "pool_rows",
    "provider_requests",
    "stored_field_codes",
    "subtree_levels",
    "target_window",
]
