"""Which monthly lists are owed, and producing them: the late-list step of `scorecard run` and the
lists `scorecard demo` makes for the period it renders.

A plan owes lists when one of its computed targets reads ``late_list_published_rate``
(:func:`reads_late_lists`: Bắc Giang 2025 II.8). Its lists are made the way the target reads
them (:mod:`scorecard.late_list.indicator`): for the plan's issuing unit (its ``root_unit``, else
the store's root), under the plan's calendar (nd09: the month 2025-06 is 15/05–14/06/2025, so
the list exists as soon as the quarter the reports show has ended), with the plan's issuer and
id printed and recorded.

A month is **owed** (:func:`months_to_produce`) when its window under the plan's calendar
overlaps the plan's validity, has ended (its last day is before today), the store's cases span
it (the oldest received date is on or before its first day and the newest on or after its last
day: a month the data do not cover is not listed from part of its data — a later load may cover
it, and the next run lists it then), and no list of that month was recorded for the issuing
unit after the month's end (:func:`scorecard.late_list.log.listed_months`). So producing the
owed months twice produces nothing the second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from scorecard.clock import local_now
from scorecard.late_list.compute import issuer_unit
from scorecard.late_list.log import INDICATOR, listed_months, log_rows, months_ending_in
from scorecard.late_list.produce import LateListOutput, produce_late_list
from scorecard.periods import Period, parse_period, period_containing
from scorecard.plans import Plan
from scorecard.units import load_units


def reads_late_lists(plan: Plan) -> bool:
    """Whether a computed target of ``plan`` (or a share-of-units condition) reads the monthly
    list's indicator."""
    return any(t.measure == "computed" and t.indicator == INDICATOR for t in plan.targets)


def plan_months(plan: Plan) -> list[Period]:
    """The months whose window under the plan's calendar overlaps its validity (pure)."""
    cal = plan.calendar
    months = []
    m = period_containing(plan.valid_from, "month", cal)
    while m.window(cal)[0] <= plan.valid_to:
        months.append(m)
        m = m.next()
    return months


def data_span(con: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    """The oldest and newest received dates of the store's cases (None, None without cases)."""
    first, last = con.execute("SELECT min(CAST(received_at AS DATE)), "
                              "max(CAST(received_at AS DATE)) FROM cases").fetchall()[0]
    return first, last


@dataclass(frozen=True)
class OwedMonths:
    """What :func:`months_to_produce` found for a plan (months in order)."""

    issuer_unit_id: str | None
    owed: list[Period] = field(default_factory=list)       # to produce now
    listed: list[Period] = field(default_factory=list)     # produced already (after their end)
    uncovered: list[Period] = field(default_factory=list)  # ended, but the data do not span it


def months_to_produce(con: duckdb.DuckDBPyConnection, plan: Plan, *, today: date) -> OwedMonths:
    """The months of ``plan`` whose list is owed on ``today`` (see the module docstring)."""
    issuer = issuer_unit(load_units(con), plan.root_unit)
    done = listed_months(log_rows(con))
    done = set(done.loc[done["unit_id"] == issuer, "month"])
    oldest, newest = data_span(con)
    owed, listed, uncovered = [], [], []
    for m in plan_months(plan):
        first, last = m.window(plan.calendar)
        if last >= today:
            continue
        if m.id in done:
            listed.append(m)
        elif oldest is None or newest is None or oldest > first or newest < last:
            uncovered.append(m)
        else:
            owed.append(m)
    return OwedMonths(issuer, owed, listed, uncovered)


@dataclass
class ProducedLists:
    """The lists one call of :func:`produce_missing_lists` made, and the months left."""

    plan_id: str
    owed: OwedMonths
    produced: list[LateListOutput] = field(default_factory=list)
    failed: list[tuple[Period, str]] = field(default_factory=list)


def produce_months(db: str | Path, plan: Plan, months: Sequence[Period], *,
                   reports_dir: str | Path, now: datetime | None = None,
                   quarter_index: bool | None = None) -> list[LateListOutput]:
    """Produce the lists of ``months`` for ``plan`` (its issuer, root unit and calendar) into
    ``reports_dir/<month>/`` and record each generation."""
    return [produce_late_list(db, m, reports_dir=reports_dir, plan=plan,
                              calendar=plan.calendar, now=now, quarter_index=quarter_index)
            for m in months]


def months_of_period(plan: Plan, period: str | Period) -> list[Period]:
    """The months a report of ``period`` judges the monthly list on: those whose window under the
    plan's calendar ends in the period's (2025Q2 → 2025-04, 2025-05, 2025-06)."""
    cal = plan.calendar
    return months_ending_in(*parse_period(period).window(cal), cal)


def demo_lists(db: str | Path, plan: str | Path | Plan, period: str | Period, *,
               reports_dir: str | Path) -> list[LateListOutput]:
    """`scorecard demo`: the lists of the months of the period it renders
    (:func:`months_of_period`, which includes the newest month of the demo's 2025Q2) for the
    plan, produced now, before the reports, each page linked to the quarter's index."""
    from scorecard.paths import resolve_plan

    pl = resolve_plan(plan)
    return produce_months(db, pl, months_of_period(pl, period), reports_dir=reports_dir,
                          quarter_index=True)


def produce_missing_lists(db: str | Path, plan: Plan, *, reports_dir: str | Path,
                          today: date | None = None,
                          owed: OwedMonths | None = None) -> ProducedLists:
    """Produce every list ``plan`` owes (:func:`months_to_produce`; ``owed`` when already
    known). A month that fails is reported and the others still produced."""
    from scorecard.store import reading

    now = local_now()
    day = min(today, now.date()) if today is not None else now.date()
    if owed is None:
        with reading(db) as con:
            owed = months_to_produce(con, plan, today=day)
    res = ProducedLists(plan.plan_id, owed)
    for m in owed.owed:
        try:
            res.produced += produce_months(db, plan, [m], reports_dir=reports_dir, now=now)
        except Exception as exc:  # one month failing does not stop the others
            res.failed.append((m, f"{type(exc).__name__}: {exc}".splitlines()[0]))
    return res


def month_span(months: Sequence[Period]) -> str:
    """'2025-01 … 2025-06' (or the one month, or '-')."""
    if not months:
        return "-"
    return months[0].id if len(months) == 1 else f"{months[0].id} … {months[-1].id}"


def describe(owed: OwedMonths, produced: Sequence[Period] = (), failed: int = 0) -> str:
    """One line for `scorecard run`: what was produced, and the months produced before or
    not covered by the data."""
    words = []
    if produced:
        words.append(f"{len(produced)} list(s) produced ({', '.join(m.id for m in produced)})")
    if failed:
        words.append(f"{failed} failed")
    if owed.listed:
        words.append(f"{len(owed.listed)} produced before ({month_span(owed.listed)})")
    if owed.uncovered:
        words.append(f"{len(owed.uncovered)} not covered by the data "
                     f"({month_span(owed.uncovered)})")
    return "; ".join(words) or "no complete month in the plan's validity yet"
