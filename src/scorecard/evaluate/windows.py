"""Which dates a target's value covers in a period, and whether it is judged yet (pure).

A plan's year is read in its calendar's reporting periods: a period belongs to the plan when its
window overlaps the plan's validity, and is then judged on its whole window (under ``nd09`` the
first quarter of a 2025 plan is 15/12/2024–14/03/2025). A target whose own validity for a level
is narrower than the plan's (its ``valid_from``/``valid_to``, or ``level_valid_to``: the district
level ends on 30/06/2025) is judged only on the days it is in force: the window is cut to its
validity (nd09 2025Q3 for a district: 15/06–30/06/2025) and the row's note says so. A form06 row
(the counts of a whole period) cannot be cut by day, so a cut window is computed from case data.

Timing (``judged``) and window (``window``):

- ``each_period`` + ``window: period`` (default): the period's window;
- ``each_period`` + ``window: ytd``: from the start of the reporting year (or of the target's own
  validity, when later) to the period's end;
- ``by_deadline`` with ``due``: before the period (of the same kind) containing the due date the
  target is ``in_progress`` with its value from its start to the period's end; from that period
  on it is judged on the value from its start to the due date. Its start is the first day of the
  reporting period containing its validity start (the plan's first period), or that day itself
  when the target starts later than the plan. A target whose validity for a level ends before
  its due date (a district target due 14/12/2025) never reaches its deadline for that level: it
  stays ``in_progress`` while in force and is not applicable afterwards.

Manual targets read the ``manual`` table by period id: the evaluated period's row, and once a
``by_deadline`` target is due, the row of the period containing the due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scorecard.periods import Period, Window, period_containing, window_of
from scorecard.plans import Plan, Target

#: ``kind`` of a target window: what its value covers.
WINDOW_KINDS: tuple[str, ...] = ("period", "ytd", "cumulative")


@dataclass(frozen=True)
class TargetWindow:
    """The dates a target's value covers for one level in one period, and its state.

    ``first``/``last``: the dates (inclusive). ``span``: the same dates as a :class:`Period` when
    they are exactly one reporting period (its id then matches form06 and manual rows), else a
    :class:`Window`. ``kind``: ``period``, ``ytd`` or ``cumulative`` (from the target's start to
    its due date, or to the period's end while in progress). ``state``: ``judged`` or
    ``in_progress``. ``cut``: the dates were cut to the target's validity. ``manual_period``:
    the period id whose manual row a manual target reads. ``ends_before_due``: the last day of
    the target's validity for the level when that comes before its due date.
    """

    first: date
    last: date
    span: Period | Window
    kind: str
    state: str
    cut: bool
    manual_period: str
    due: date | None = None
    ends_before_due: date | None = None

    @property
    def id(self) -> str:
        """The period id of the value in the indicator frame."""
        return self.span.id


def _make(first: date, last: date, natural: tuple[date, date], calendar: str,
          **kw: object) -> TargetWindow:
    return TargetWindow(first=first, last=last, span=window_of(first, last, calendar),
                        cut=(first, last) != natural, **kw)  # type: ignore[arg-type]


def target_window(plan: Plan, target: Target, level: str, period: Period,
                  calendar: str) -> TargetWindow | None:
    """The window of ``target`` for units of ``level`` in ``period`` (under ``calendar``), or
    None when the target does not apply (level not covered, or not in force in the period)."""
    if target.levels is not None and level not in target.levels:
        return None
    v_first, v_last = target.validity(level)
    p_first, p_last = period.window(calendar)
    if (v_first is not None and p_last < v_first) or (v_last is not None and p_first > v_last):
        return None
    # a validity narrower than the plan's cuts the window; the plan's own edges do not
    cut_first = v_first if v_first is not None and v_first > plan.valid_from else None
    cut_last = v_last if v_last is not None and v_last < plan.valid_to else None
    plan_start = period_containing(plan.valid_from, period.kind, calendar).window(calendar)[0]
    start = cut_first or plan_start
    end = min(p_last, cut_last) if cut_last else p_last
    if target.judged == "by_deadline":
        due = target.due
        assert due is not None  # the plan model requires it
        ends_early = cut_last if cut_last is not None and cut_last < due else None
        due_period = period_containing(due, period.kind, calendar)
        if ends_early is not None or period < due_period:
            return _make(start, end, (plan_start, p_last), calendar, kind="cumulative",
                         state="in_progress", manual_period=period.id, due=due,
                         ends_before_due=ends_early)
        return _make(start, due, (plan_start, due), calendar, kind="cumulative",
                     state="judged", manual_period=due_period.id, due=due)
    if target.value_window == "ytd":
        year_start = Period(period.year, "year", 0).window(calendar)[0]
        return _make(max(start, year_start), end, (max(plan_start, year_start), p_last),
                     calendar, kind="ytd", state="judged", manual_period=period.id)
    first = max(p_first, cut_first) if cut_first else p_first
    return _make(first, end, (p_first, p_last), calendar, kind="period", state="judged",
                 manual_period=period.id)
