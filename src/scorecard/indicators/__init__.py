"""Indicators: the catalogue of declarations and the DuckDB engine computing them.

``compute_indicators(con, periods, calendar, *, fields, units, indicators, variants, scopes)``
returns the tidy frame ``unit_id, scope, period, indicator, numerator, denominator, value``.
"""

from scorecard.indicators.catalogue import (
    CATALOGUE,
    Indicator,
    IndicatorError,
    Variant,
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
    "TIDY_COLUMNS",
    "Indicator",
    "IndicatorError",
    "Variant",
    "compute_indicators",
    "get_indicator",
    "level_totals",
    "procedure_basis",
    "resolve_variants",
]
