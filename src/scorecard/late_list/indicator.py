"""The indicator ``late_list_published_rate`` (Bắc Giang 2025 II.8, "Định kỳ hằng tháng công khai
danh sách … chậm muộn"), as the provider the indicator catalogue names
(``scorecard.indicators.catalogue.ComputedBy``): months of a span whose late list was produced
after the month ended / months of the span, from the store's ``late_list_log``.

**Who is judged.** The list is the issuing authority's duty (the plan's issuer, "UBND tỉnh …"),
and a list is recorded for the unit it was issued for (``issuer_unit_id``: the plan's
``root_unit``, else the store's root). The *issuers* of a plan are that unit and every unit of
its scope a list was issued for; each gets an ``own`` row in every span — 0 months listed when
none was produced (the store shows no list: the duty is not met, not unknown). Every other unit
gets no row: the indicator does not apply to it (``ComputedBy.unlisted = not_applicable``). A parent with an issuer in its subtree
gets a ``tree`` row, the sum of those issuers' own numerators and denominators (the province's
list already covers its whole tree, so with one issuer its tree row is its own row).

**Which rows count.** Every list recorded for the issuer counts, whatever plan it was produced
under (``plan_id``) and whichever calendar's month it covers: the list's contents depend on the
unit and the month, not on the plan file; a list counts for its month when it was produced after
that month's end under its own calendar (:func:`scorecard.late_list.log.listed_months`). No
deadline after the month's end: the plan names none.

**Spans.** A period, a year to date, a span to a deadline or a period cut to a target's validity:
the months whose window under the plan's calendar ends inside the span
(:func:`scorecard.late_list.log.span_months`); a span in which no month ends has no value.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from scorecard.late_list.compute import issuer_unit
from scorecard.late_list.log import (
    COVERAGE_COLUMNS,
    coverage_rows,
    listed_months,
    log_rows,
    span_months,
)
from scorecard.periods import Period, Window, check_calendar
from scorecard.plans import Plan
from scorecard.units import closure, descendants, load_units


def plan_scope(units: pd.DataFrame, root_unit: str | None) -> pd.DataFrame:
    """The units a plan covers: ``root_unit`` and its descendants, else every unit (pure)."""
    if root_unit is None:
        return units
    keep = set(descendants(units, root_unit))
    return units[units["unit_id"].isin(keep)]


def issuing_units(scope: pd.DataFrame, root_unit: str | None,
                  issued: Sequence[str]) -> list[str]:
    """The units judged on the monthly list (pure): the plan's issuing unit (``root_unit``, else
    the scope's root: :func:`~scorecard.late_list.compute.issuer_unit`, as the lists are made)
    and the units of the scope a list was ``issued`` for."""
    main = issuer_unit(scope, root_unit)
    ids = set(scope["unit_id"].astype(str))
    return sorted(({main} if main is not None else set()) | (set(issued) & ids))


def tree_rows(own: pd.DataFrame, scope: pd.DataFrame) -> pd.DataFrame:
    """``tree`` rows (pure): for every parent of ``scope`` with an issuer in its subtree
    (itself included), the sums of those issuers' own numerators and denominators per span."""
    cl = closure(scope[["unit_id", "parent_id"]])
    has_children = set(scope["parent_id"].dropna().astype(str)) & set(scope["unit_id"])
    cl = cl[cl["ancestor_id"].isin(has_children)]
    merged = cl.merge(own, left_on="descendant_id", right_on="unit_id")
    if merged.empty:
        return pd.DataFrame(columns=COVERAGE_COLUMNS)
    tree = (merged.groupby(["ancestor_id", "period", "indicator"], as_index=False, sort=False)
            [["numerator", "denominator"]].sum()
            .rename(columns={"ancestor_id": "unit_id"}))
    tree["scope"] = "tree"
    tree["numerator"] = tree["numerator"].astype("int64")
    tree["denominator"] = tree["denominator"].astype("int64")
    tree["value"] = (tree["numerator"] / tree["denominator"].where(tree["denominator"] > 0)
                     ).astype("float64")
    return tree[COVERAGE_COLUMNS]


def late_list_indicators(con: duckdb.DuckDBPyConnection, plan: Plan,
                         spans: Sequence[Period | Window], calendar: str,
                         units: Sequence[str] | None = None) -> pd.DataFrame:
    """The provider of ``late_list_published_rate`` (see the module docstring): tidy rows
    ``unit_id, scope ('own' | 'tree'), period (= span id), indicator, numerator (months
    listed), denominator (months of the span), value`` for the plan's issuers and the parents
    above them, over ``spans`` under ``calendar``; ``units`` keeps those units' rows."""
    cal = check_calendar(calendar)
    scope = plan_scope(load_units(con), plan.root_unit)
    logs = log_rows(con)
    issuers = issuing_units(scope, plan.root_unit, logs["unit_id"].astype(str).tolist())
    own = coverage_rows([s.id for s in spans], span_months(spans, cal), listed_months(logs),
                        issuers)
    out = pd.concat([own, tree_rows(own, scope)], ignore_index=True) if len(own) else own
    if units is not None:
        out = out[out["unit_id"].isin(set(units))]
    return out.sort_values(["unit_id", "scope", "period"], kind="stable").reset_index(drop=True)
