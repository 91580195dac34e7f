"""Indicators: the catalogue of declarations and the DuckDB engine computing them.

``compute_indicators(con, periods, calendar, *, fields, units, indicators, variants, scopes)``
returns the tidy frame ``unit_id, scope, period, indicator, numerator, denominator, value``
for the case indicators; the catalogue also declares indicators another module computes
(``computed_by``, e.g. the plan-task indicators), which ``scorecard.evaluate`` asks that module for.
"""

from scorecard.indicators.catalogue import (
    CATALOGUE,
    SPAN_KINDS,
    ComputedBy,
    Indicator,
    IndicatorError,
    Variant,
    case_indicator_ids,
    computed_by,
    get_indicator,
    resolve_variants,
)
from scorecard.indicators.engine import (
    SCOPES,
    TIDY_COLUMNS,
    compute_indicators,
    level_totals,
    procedure_basis,
)

__all__ = [
    "CATALOGUE",
    "SCOPES",
    "SPAN_KINDS",
    "TIDY_COLUMNS",
    "ComputedBy",
    "Indicator",
    "IndicatorError",
    "Variant",
    "case_indicator_ids",
    "compute_indicators",
    "computed_by",
    "get_indicator",
    "level_totals",
    "procedure_basis",
    "resolve_variants",
]
