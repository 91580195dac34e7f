"""The section "Nhiệm vụ theo kế hoạch": the plan's assignments the unit leads (issue 10).

From the bundle's ``tasks`` frame (``scorecard.tasks.LISTING_COLUMNS``: every occurrence with its
status at the period's end, judged by :mod:`scorecard.tasks.judging`): counts as the task
indicators count them (done on time / due by the period's end, overdue), then four tables —
due this period, overdue with days overdue, done late with days late, continuous and on-demand
tasks with their last reported activity. Nothing is judged here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scorecard.report.format import fmt_int, fmt_pct
from scorecard.scorecard_data.unit import UnitReport
from scorecard.tasks.display import VI_HEADERS, display_frame

#: Statuses of an occurrence due by the period's end (the task indicators' denominator).
DUE_STATUSES = ("done_on_time", "done_late", "overdue")
#: A task status as the colour of a target status (the table's status cell).
STATUS_COLOUR = {"done_on_time": "pass", "done_late": "in_progress", "overdue": "fail",
                 "not_due": "no_data", "continuous": "not_applicable",
                 "not_applicable": "not_applicable", "unassigned": "no_data"}


@dataclass
class TaskTable:
    """One table of the section: title, the display frame, the sentence when it is empty."""

    title: str
    table: pd.DataFrame
    empty: str


def _led(rep: UnitReport) -> pd.DataFrame:
    t = rep.tasks
    if t.empty or "status" not in t.columns:
        return t
    return t[~t["status"].isin(["not_applicable", "unassigned"])].reset_index(drop=True)


def task_counts(rep: UnitReport) -> dict[str, int]:
    """Occurrences the unit leads, by status, plus ``due`` (due by the period's end: done on
    time, done late or overdue), ``due_in_period`` and ``led`` (all but not applicable)."""
    t = _led(rep)
    vc = t["status"].value_counts() if len(t) else pd.Series(dtype=int)
    out = {s: int(vc.get(s, 0)) for s in ("done_on_time", "done_late", "overdue", "not_due",
                                          "continuous")}
    out["due"] = sum(out[s] for s in DUE_STATUSES)
    out["due_in_period"] = int(t["due_in_period"].fillna(False).astype(bool).sum()) if len(t) else 0
    out["led"] = len(t)
    return out


def task_summary(rep: UnitReport) -> list[str]:
    """The section's sentences: whether the plan has a register, what the unit leads, how many
    occurrences due by the period's end were done on time, how many are overdue."""
    if not rep.meta.get("has_task_register", False):
        return [f"Kế hoạch chưa có danh mục nhiệm vụ (tệp params/plans/{rep.meta['plan_id']}"
                ".tasks.yaml): chưa theo dõi được các nhiệm vụ theo kế hoạch."]
    c = task_counts(rep)
    if not c["led"]:
        return ["Đơn vị không chủ trì nhiệm vụ nào của kế hoạch trong kỳ."]
    out = [f"Đơn vị chủ trì {fmt_int(c['led'])} lượt nhiệm vụ (tính đến cuối kỳ): "
           f"{fmt_int(c['due'])} đã đến hạn, {fmt_int(c['not_due'])} chưa đến hạn, "
           f"{fmt_int(c['continuous'])} thường xuyên hoặc khi phát sinh (không tính hạn)."]
    if c["due"]:
        out.append(f"Hoàn thành đúng hạn {fmt_int(c['done_on_time'])}/{fmt_int(c['due'])} "
                   f"({fmt_pct(c['done_on_time'] / c['due'])}); hoàn thành trễ hạn "
                   f"{fmt_int(c['done_late'])}; quá hạn chưa hoàn thành {fmt_int(c['overdue'])}.")
    return out


def _frame(rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame()
    out = display_frame(rows, columns)
    if "status" in columns:
        out["_status"] = [STATUS_COLOUR.get(s, "no_data") for s in rows["status"]]
    if "last_activity" in columns:
        last = VI_HEADERS["last_activity"]
        out[last] = [x or "Chưa có báo cáo" for x in out[last]]
    return out


def task_tables(rep: UnitReport) -> list[TaskTable]:
    """The section's tables (none without a register or a task led): occurrences due in the
    period (any status); overdue at the period's end, with days overdue; done late, with days
    late; continuous and on-demand tasks, with their last reported activity."""
    t = _led(rep)
    if not rep.meta.get("has_task_register", False) or t.empty:
        return []
    due_in = t[t["due_in_period"].fillna(False).astype(bool)]
    return [
        TaskTable("Đến hạn trong kỳ",
                  _frame(due_in, ["task_id", "text", "deadline", "occurrence", "due", "status",
                                  "done_on", "document"]),
                  "Không có nhiệm vụ nào đến hạn trong kỳ."),
        TaskTable("Quá hạn chưa hoàn thành",
                  _frame(t[t["status"] == "overdue"],
                         ["task_id", "text", "deadline", "occurrence", "due", "days_overdue"]),
                  "Không có nhiệm vụ quá hạn."),
        TaskTable("Hoàn thành trễ hạn",
                  _frame(t[t["status"] == "done_late"],
                         ["task_id", "text", "occurrence", "due", "done_on", "days_late",
                          "document"]),
                  "Không có nhiệm vụ hoàn thành trễ hạn."),
        TaskTable("Thường xuyên, khi phát sinh (theo dõi hoạt động)",
                  _frame(t[t["status"] == "continuous"],
                         ["task_id", "text", "deadline", "last_activity", "document", "note"]),
                  "Không có nhiệm vụ thường xuyên hoặc khi phát sinh."),
    ]
