"""The monthly list of late units (Bắc Giang 2025 II.8) and the record that it was produced.

- :func:`build_late_list` / :func:`late_counts` / :func:`rank_units`: what is on the list;
- :func:`write_late_list_xlsx`, :func:`write_late_list_html`: the notice and the page;
- :func:`produce_late_list`: both files plus a ``late_list_log`` row (`scorecard late-list`);
- :func:`late_list_coverage`: per unit × period, months whose list was produced (II.8's value).
"""

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
from scorecard.late_list.excel import write_late_list_xlsx
from scorecard.late_list.log import (
    COVERAGE_COLUMNS,
    INDICATOR,
    generations,
    late_list_coverage,
    record_generation,
)
from scorecard.late_list.page import write_late_list_html
from scorecard.late_list.produce import LateListOutput, produce_late_list

__all__ = [
    "COVERAGE_COLUMNS", "INDICATOR", "PROCEDURE_COLUMNS", "UNIT_COLUMNS", "LateList",
    "LateListError", "LateListOutput", "build_late_list", "generations", "late_counts",
    "late_list_coverage", "latest_month", "month_of", "produce_late_list", "rank_units",
    "record_generation", "write_late_list_html", "write_late_list_xlsx",
]
