"""Plan tasks and deadlines (issue 10): every assignment of a plan's task table, tracked and judged.

- :mod:`~scorecard.tasks.deadlines`: printed deadline words → due dates (pure);
- :mod:`~scorecard.tasks.register`: ``params/plans/<plan_id>.tasks.yaml`` (model, loading,
  :func:`known_task_keys` and :func:`task_key_problem` for checking ``task_status`` rows);
- :mod:`~scorecard.tasks.owners`: printed bodies → store units (levels, ``units.roles``);
- :mod:`~scorecard.tasks.occurrences` and :mod:`~scorecard.tasks.judging`: occurrences and their
  status for a period, the indicators ``task_on_time_rate`` and ``tasks_overdue`` (pure);
- :mod:`~scorecard.tasks.progress`: the same against a store connection
  (:func:`task_statuses`, :func:`task_indicators`; :func:`lead_task_indicators` is the provider
  the indicator catalogue names for the two task indicators, which plans can set targets on).
"""

from scorecard.tasks.deadlines import Deadline, DeadlineError, Occurrence, parse_deadline
from scorecard.tasks.judging import STATUS_VI, STATUSES, TASK_INDICATORS
from scorecard.tasks.progress import (
    LISTING_COLUMNS,
    TaskError,
    lead_task_indicators,
    task_indicators,
    task_statuses,
)
from scorecard.tasks.register import (
    Register,
    TaskRegisterError,
    find_register,
    known_task_keys,
    load_register,
    load_registers,
    task_key_problem,
)

__all__ = [
    "LISTING_COLUMNS", "STATUSES", "STATUS_VI", "TASK_INDICATORS", "Deadline", "DeadlineError",
    "Occurrence", "Register", "TaskError", "TaskRegisterError", "find_register",
    "known_task_keys", "lead_task_indicators", "load_register", "load_registers", "parse_deadline", "task_indicators",
    "task_key_problem", "task_statuses",
]
