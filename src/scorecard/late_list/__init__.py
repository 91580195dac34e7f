"""The monthly list of late units (Bắc Giang 2025 II.8) and the record that it was produced.

- :func:`build_late_list` / :func:`late_counts` / :func:`rank_units`: what is on the list;
- :func:`write_late_list_xlsx`, :func:`write_late_list_html`: the notice and the page;
- :func:`produce_late_list`: both files plus a ``late_list_log`` row (`scorecard late-list`);
- :func:`late_list_coverage`: per unit × span, months whose list was produced (II.8's value);
- :func:`late_list_indicators`: the catalogue's provider of ``late_list_published_rate``;
- :func:`months_to_produce` / :func:`produce_missing_lists`: the lists `scorecard run` and
  `scorecard demo` produce.

The writers (openpyxl, the page templates) are imported on first use, so evaluating a plan
through :func:`late_list_indicators` loads neither.
"""

from __future__ import annotations

import importlib
from typing import Any

from scorecard.late_list.compute import (
    PROCEDURE_COLUMNS,
    UNIT_COLUMNS,
    LateList,
    LateListError,
    build_late_list,
    late_counts,
    latest_month,
    month_of,
    rank_units,
)
from scorecard.late_list.indicator import late_list_indicators
from scorecard.late_list.log import (
    COVERAGE_COLUMNS,
    INDICATOR,
    generations,
    late_list_coverage,
    record_generation,
    span_months,
)

#: Names imported from their module on first use (they need openpyxl or the templates).
_LAZY = {
    "write_late_list_xlsx": "scorecard.late_list.excel",
    "write_late_list_html": "scorecard.late_list.page",
    "LateListOutput": "scorecard.late_list.produce",
    "produce_late_list": "scorecard.late_list.produce",
    "months_to_produce": "scorecard.late_list.schedule",
    "produce_missing_lists": "scorecard.late_list.schedule",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "COVERAGE_COLUMNS", "INDICATOR", "PROCEDURE_COLUMNS", "UNIT_COLUMNS", "LateList",
    "LateListError", "LateListOutput", "build_late_list", "generations", "late_counts",
    "late_list_coverage", "late_list_indicators", "latest_month", "month_of",
    "months_to_produce", "produce_late_list", "produce_missing_lists", "rank_units",
    "record_generation", "span_months", "write_late_list_html", "write_late_list_xlsx",
]
