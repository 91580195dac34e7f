"""``task_status`` rows checked against the plans' task registers at ingest (issue 10.2).

A row names a task occurrence: ``plan_id`` must have a register (``params/plans/<plan_id>
.tasks.yaml``), ``task_id`` must be one of its tasks, and ``occurrence`` must fit the task's
deadline (empty for a task with one due date; one of the occurrence ids of a recurring task; empty
or a period id for a continuous or on-demand task): :func:`scorecard.tasks.task_key_problem`
says why not. :func:`register_problems` is the loader's extra check for the kind
(``checks.EXTRA_CHECKS["task_status"]``): each distinct (plan, task, occurrence) is judged once,
and the rows of the bad ones are rejected naming the column at fault, with the register's reason
(English; ``reasons.reason_vi`` gives the Vietnamese).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from scorecard.outputs import id_problem
from scorecard.sqltyping import lit


def _column_at_fault(reason: str) -> tuple[str, int]:
    """The column a register's reason is about, and which key part holds its value."""
    if reason.startswith("unknown plan"):
        return "plan_id", 0
    if " has no task " in reason:
        return "task_id", 1
    return "occurrence", 2


def register_problems(con: duckdb.DuckDBPyConnection, stage: str,
                      plans_dir: Path | None = None) -> str | None:
    """SQL of ``(_row, c, v, r)`` for the staged ``task_status`` rows whose plan, task or
    occurrence the registers of ``plans_dir`` (default: the project's ``params/plans``) do not
    know (None when every row's are known). The registers are read afresh for each file."""
    from scorecard.config import PLANS_DIR
    from scorecard.tasks import load_registers, task_key_problem

    keys = con.execute(f"SELECT DISTINCT plan_id, task_id, occurrence FROM {stage} "
                       f"WHERE plan_id IS NOT NULL AND task_id IS NOT NULL").fetchall()
    if not keys:
        return None
    registers = load_registers(plans_dir or PLANS_DIR)
    bad = []
    for key in keys:
        if id_problem(key[0]) is not None:
            continue  # an unsafe plan id is rejected by the value checks already
        reason = task_key_problem(key[0], key[1], key[2], registers)
        if reason is not None:
            column, part = _column_at_fault(reason)
            bad.append((*key, column, key[part] or "", reason))
    if not bad:
        return None
    values = ", ".join("(" + ", ".join(lit(v) for v in row) + ")" for row in bad)
    return (f"SELECT s._row, b.c, b.v, b.r FROM {stage} AS s JOIN (VALUES {values}) "
            f"AS b(plan_id, task_id, occurrence, c, v, r) ON s.plan_id = b.plan_id "
            f"AND s.task_id = b.task_id AND s.occurrence IS NOT DISTINCT FROM b.occurrence")
