"""The statuses and scopes of evaluation rows, their order, and how parts combine.

Statuses (``status`` column):

- ``pass`` / ``fail``: the value was judged against the threshold (a verdict);
- ``in_progress``: a ``by_deadline`` target before the period containing its due date: no verdict
  yet, the row carries the value from the target's start to the period's end;
- ``no_data``: nothing to judge (no row, or a rate with a zero denominator);
- ``not_applicable``: the target does not apply (level not covered, not in force in the period),
  and every row that is not a verdict of its own (``member`` and ``tally`` rows).

Scopes (``scope`` column): ``own`` (the unit's own cases), ``tree`` (a parent and everything
below it, pooled), ``level`` (one pooled or share-of-units figure for a whole level of the plan's
scope, on the unit heading that scope; ``level`` = the level judged) are verdict rows;
``member`` (a unit's contribution to a ``level`` row) and ``tally`` (a parent's count of units
meeting a target at one level, when its pooled figure may not be judged) are information only.
"""

from __future__ import annotations

from collections.abc import Iterable

STATUSES: tuple[str, ...] = ("pass", "fail", "in_progress", "no_data", "not_applicable")
#: Statuses that are a verdict on the threshold.
VERDICTS: tuple[str, ...] = ("pass", "fail")
#: Scopes whose rows carry a verdict of their own.
VERDICT_SCOPES: tuple[str, ...] = ("own", "tree", "level")
#: Scopes whose rows are information for a verdict made elsewhere (status ``not_applicable``).
INFO_SCOPES: tuple[str, ...] = ("member", "tally")
ROW_SCOPES: tuple[str, ...] = VERDICT_SCOPES + INFO_SCOPES
#: Sort key of a status in tables (ascending: worst first is ``-STATUS_ORDER``): a pass above a
#: target still in progress, above a fail, above no data, above not applicable.
STATUS_ORDER: dict[str, int] = {"pass": 3, "in_progress": 2, "fail": 1, "no_data": 0,
                                "not_applicable": -1}


def combine_statuses(statuses: Iterable[str]) -> str:
    """One status for a target judged in parts (e.g. one ``level`` row per level): any fail
    fails; else any in progress is in progress; else any part without data has no data; else
    pass when some part passed; else not applicable."""
    seen = set(statuses)
    for status in ("fail", "in_progress", "no_data", "pass"):
        if status in seen:
            return status
    return "not_applicable"
