"""A plan's tasks against the store: occurrences with their status, and the task indicators.

The only module of the package that reads the store (through a connection it is given): the
units with their roles and the ``task_status`` reports of one plan. Everything else is the pure
functions of :mod:`scorecard.tasks.owners`, :mod:`~scorecard.tasks.occurrences` and
:mod:`~scorecard.tasks.judging`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import duckdb
import pandas as pd

from scorecard.errors import ScorecardError
from scorecard.periods import Period, Window, check_calendar, parse_period
from scorecard.plans import Plan
from scorecard.tasks.judging import (
    INDICATOR_COLUMNS,
    STATUS_COLUMNS,
    indicator_counts,
    indicator_rows,
    judge,
)
from scorecard.tasks.occurrences import expand_occurrences
from scorecard.tasks.owners import load_units_with_roles, scope_units, task_owners
from scorecard.tasks.register import Register, find_register
from scorecard.units import closure, units_with_children

#: Columns of :func:`task_statuses`.
LISTING_COLUMNS = [
    "plan_id", "period", "task_id", "group", "group_title", "text", "unit_id", "unit_name",
    "level", "lead", "occurrence", "deadline", "deadline_kind", "due", "due_in_period", "status",
    "done_on", "days_late", "days_overdue", "last_activity", "document", "note", "flag",
]

STATUS_SQL = """
SELECT plan_id, task_id, unit_id, occurrence, done_on, document, note
FROM task_status
WHERE plan_id = ?
"""


class TaskError(ScorecardError, ValueError):
    """A plan without a task register, or a unit the store does not know."""


def load_task_status(con: duckdb.DuckDBPyConnection, plan_id: str) -> pd.DataFrame:
    """The ``task_status`` reports of one plan (:data:`STATUS_COLUMNS`); empty for a store made
    before the table existed."""
    try:
        df = con.execute(STATUS_SQL, [plan_id]).df()
    except duckdb.CatalogException:
        return pd.DataFrame(columns=STATUS_COLUMNS)
    df["done_on"] = pd.to_datetime(df["done_on"])
    return df[STATUS_COLUMNS]


def _register(plan: Plan, register: Register | None) -> Register:
    reg = register if register is not None else find_register(plan)
    if reg is None:
        raise TaskError(f"plan {plan.plan_id} has no task register "
                        f"({plan.plan_id}.tasks.yaml beside the plan file)")
    return reg


def plan_occurrences(con: duckdb.DuckDBPyConnection, plan: Plan,
                     register: Register | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every occurrence of the plan's tasks with its lead unit, and the plan's scope units."""
    reg = _register(plan, register)
    units = load_units_with_roles(con)
    scope = scope_units(units, plan.root_unit)
    owners = task_owners(reg, scope)
    return expand_occurrences(reg, plan, owners, scope), scope


def _window(plan: Plan, period: str | Period, calendar: str | None) -> tuple[Period, tuple]:
    p = parse_period(period)
    return p, p.window(check_calendar(calendar or plan.calendar))


def task_statuses(con: duckdb.DuckDBPyConnection, plan: Plan, period: str | Period,
                  calendar: str | None = None, unit: str | None = None, *,
                  register: Register | None = None) -> pd.DataFrame:
    """Every task occurrence of ``plan`` with its status at the end of ``period``
    (:data:`LISTING_COLUMNS`), in register order; only ``unit``'s own when given.

    ``calendar`` defaults to the plan's. Raises :class:`TaskError` for a plan without a register or
    a unit the store does not know.
    """
    p, (first, last) = _window(plan, period, calendar)
    occ, _ = plan_occurrences(con, plan, register)
    if unit is not None:
        known = con.execute("SELECT count(*) FROM units WHERE unit_id = ?", [unit]).fetchone()
        if not known or not known[0]:
            raise TaskError(f"unknown unit {unit!r} (not in the store's units)")
        occ = occ[occ["unit_id"] == unit]
    judged = judge(occ, load_task_status(con, plan.plan_id), first, last)
    judged.insert(1, "period", p.id)
    return judged[LISTING_COLUMNS].reset_index(drop=True)


def _span(item: str | Period | Window, calendar: str) -> tuple[str, date, date]:
    """A period id, Period or Window as (id, first day, last day) under ``calendar``."""
    span = item if isinstance(item, Window) else parse_period(item)
    first, last = span.window(calendar)
    return span.id, first, last


def lead_units(occurrences: pd.DataFrame) -> set[str]:
    """The units that lead at least one occurrence with a due date they owe (not past their
    level's end): the units the task indicators apply to."""
    occ = occurrences[occurrences["unit_id"].notna() & occurrences["due"].notna()]
    cap = occ["level_valid_to"]
    owed = occ[cap.isna() | (occ["due"] <= cap)]
    return set(owed["unit_id"].astype(str))


def task_indicators(con: duckdb.DuckDBPyConnection, plan: Plan,
                    periods: Iterable[str | Period | Window], calendar: str | None = None,
                    units: Sequence[str] | None = None, *,
                    register: Register | None = None, leads_only: bool = False) -> pd.DataFrame:
    """``task_on_time_rate`` and ``tasks_overdue`` per unit × period (:data:`INDICATOR_COLUMNS`,
    as ``compute_indicators``): scope ``own`` for every unit of the plan's scope, ``tree`` (sums
    over the unit and its descendants) for those with children. A rate's value is NULL when
    nothing was due; a count's denominator is NULL. ``units`` keeps only those units' rows.

    ``periods``: period ids, Periods or :class:`~scorecard.periods.Window` objects (a year to
    date, a span to a deadline, a period cut to a target's validity). The value of a span is the
    state at its **last day** of every occurrence due from the plan's start: its first day
    changes nothing (a period's value already runs from the plan's start). ``leads_only``: rows
    only for the units that lead a dated occurrence (:func:`lead_units`) and, in tree scope, the
    parents with such a unit below them: the indicators do not apply to the others.

    A plan without a task register gives no rows (its targets on these indicators have no data).
    """
    reg = register if register is not None else find_register(plan)
    if reg is None:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    cal = check_calendar(calendar or plan.calendar)
    occ, scope = plan_occurrences(con, plan, reg)
    status = load_task_status(con, plan.plan_id)
    scope_ids = scope["unit_id"].astype(str).tolist()
    zero = pd.DataFrame({"unit_id": scope_ids, "on_time": 0, "due": 0, "late": 0,
                         "overdue": 0})
    cl = closure(scope[["unit_id", "parent_id"]])
    parents = units_with_children(scope)
    if leads_only:
        leads = lead_units(occ)
        zero = zero[zero["unit_id"].isin(leads)]
        above = set(cl.loc[cl["descendant_id"].isin(leads), "ancestor_id"])
        parents = [u for u in parents if u in above]
    frames = []
    for item in periods:
        span_id, first, last = _span(item, cal)
        counts = indicator_counts(judge(occ, status, first, last), last)
        counts = counts[counts["unit_id"].isin(set(zero["unit_id"]))]
        own = (pd.concat([counts, zero], ignore_index=True)
               .groupby("unit_id", as_index=False).sum())
        tree = (cl.merge(own, left_on="descendant_id", right_on="unit_id")
                .groupby("ancestor_id", as_index=False)[["on_time", "due", "late", "overdue"]]
                .sum()
                .rename(columns={"ancestor_id": "unit_id"}))
        tree = tree[tree["unit_id"].isin(parents)]
        frames += [indicator_rows(own, "own", span_id), indicator_rows(tree, "tree", span_id)]
    if not frames:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    if units is not None:
        out = out[out["unit_id"].isin(set(units))]
    return out.sort_values(["unit_id", "scope", "period", "indicator"],
                           kind="stable").reset_index(drop=True)[INDICATOR_COLUMNS]


def lead_task_indicators(con: duckdb.DuckDBPyConnection, plan: Plan,
                         spans: Sequence[Period | Window], calendar: str,
                         units: Sequence[str] | None = None) -> pd.DataFrame:
    """The provider the indicator catalogue names for ``task_on_time_rate`` and
    ``tasks_overdue`` (``scorecard.indicators.catalogue.ComputedBy``): :func:`task_indicators`
    over ``spans`` for the units that lead a dated task of the plan (``leads_only``).

    A plan without a task register cannot be judged on its tasks: :class:`TaskError` (a plan
    file setting such targets needs ``<plan_id>.tasks.yaml`` beside it)."""
    reg = find_register(plan)
    if reg is None:
        raise TaskError(f"plan {plan.plan_id} sets targets on task_on_time_rate/tasks_overdue "
                        f"but has no task register ({plan.plan_id}.tasks.yaml beside the plan "
                        "file; params/plans/README.md)")
    return task_indicators(con, plan, spans, calendar, units, register=reg, leads_only=True)
