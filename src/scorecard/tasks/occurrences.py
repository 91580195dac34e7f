"""Task occurrences: every (task, lead unit, due date) a plan's register asks for. Pure.

A task with one due date gives one occurrence per lead unit (occurrence id ``''``); a recurring task
one per period it names (``2025-03``, ``2025Q1``, ``2022H1``, ``2022``); a task without a due date
(continuous, on demand, per schedule, unspecified) one row per lead unit with no due date and the
window it runs in (the printed window, else the plan's validity). A task whose lead names no unit of
the store gives one row without a unit (listed as unassigned).
"""

from __future__ import annotations

import pandas as pd

from scorecard.plans import Plan
from scorecard.tasks.register import Register

#: Columns of :func:`expand_occurrences`.
OCCURRENCE_COLUMNS = [
    "plan_id", "task_id", "group", "group_title", "text", "lead", "deadline", "deadline_kind",
    "occurrence", "due", "window_first", "window_last", "unit_id", "unit_name", "level",
    "level_valid_to", "flag",
]


def expand_occurrences(register: Register, plan: Plan, owners: pd.DataFrame,
                       units: pd.DataFrame) -> pd.DataFrame:
    """One row per task occurrence and lead unit (:data:`OCCURRENCE_COLUMNS`).

    ``owners``: ``task_id, unit_id`` (see :func:`scorecard.tasks.owners.task_owners`); ``units``:
    ``unit_id, name, level`` of the store. ``level_valid_to`` is the plan's last day for the unit's
    level (the district level ends 30/06/2025 in Bắc Giang 2025), else empty.
    """
    by_task: dict[str, list[str]] = {}
    for task_id, unit_id in zip(owners["task_id"], owners["unit_id"], strict=True):
        by_task.setdefault(task_id, []).append(unit_id)
    name = dict(zip(units["unit_id"], units["name"], strict=True))
    level = dict(zip(units["unit_id"], units["level"], strict=True))
    rows = []
    for task in register.tasks:
        d = task.parsed
        base = {
            "plan_id": register.plan_id, "task_id": task.task_id, "group": task.group,
            "group_title": register.group_title(task.group), "text": task.words,
            "lead": task.lead, "deadline": task.deadline.printed, "deadline_kind": d.kind,
            "flag": task.flag,
        }
        if d.has_due:
            slots = [(o.id, o.due, None, None) for o in d.occurrences]
        else:
            first, last = d.window or (plan.valid_from, plan.valid_to)
            slots = [("", None, first, last)]
        for unit_id in by_task.get(task.task_id) or [None]:
            lv = level.get(unit_id) if unit_id is not None else None
            cap = plan.level_valid_to.get(lv) if lv is not None else None
            for occ, due, first, last in slots:
                rows.append({**base, "occurrence": occ, "due": due, "window_first": first,
                             "window_last": last, "unit_id": unit_id,
                             "unit_name": name.get(unit_id) if unit_id is not None else None,
                             "level": lv, "level_valid_to": cap})
    df = pd.DataFrame(rows, columns=OCCURRENCE_COLUMNS)
    for col in ("due", "window_first", "window_last", "level_valid_to"):
        df[col] = pd.to_datetime(df[col])
    return df
