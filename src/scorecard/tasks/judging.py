"""Judging task occurrences for a period, and the two task indicators. Pure functions.

For a period window [first, last] (dates, inclusive) each occurrence a unit leads is:

- ``done_on_time``: reported done (``task_status.done_on``) by the period's end, on or before its
  due date;
- ``done_late``: reported done by the period's end, after its due date;
- ``overdue``: due on or before the period's last day and not reported done by then;
- ``not_due``: due after the period's last day and not done yet;
- ``continuous``: no due date (continuous, on demand, per schedule, unspecified): never judged late,
  shown with its last reported activity;
- ``not_applicable``: the unit's level is no longer covered when it falls due (a plan's
  ``level_valid_to``), or a task without a due date whose window does not meet the period;
- ``unassigned``: the task's lead names no unit of the store (listed once, without a unit).

A report done after the period's last day does not count for that period (the status is as of the
period's end, so re-running an old period gives the same answer).

Indicators (own = the unit's own occurrences; tree = summed over the unit and its descendants):
``task_on_time_rate`` = occurrences done on time / occurrences due by the period's end (done on
time, done late or overdue); ``tasks_overdue`` = occurrences overdue at the period's end.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

#: Statuses of a task occurrence, in the order reports list them.
STATUSES: tuple[str, ...] = ("overdue", "done_late", "done_on_time", "not_due", "continuous",
                             "not_applicable", "unassigned")

#: Vietnamese words of the statuses (tables, workbooks, reports).
STATUS_VI: dict[str, str] = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành trễ hạn",
    "overdue": "Quá hạn chưa hoàn thành",
    "not_due": "Chưa đến hạn",
    "continuous": "Không tính hạn (theo dõi hoạt động)",
    "not_applicable": "Không áp dụng",
    "unassigned": "Chưa xác định đơn vị chủ trì",
}

#: Ids of the task indicators (their ``value`` is a rate or a count).
TASK_INDICATORS: dict[str, str] = {"task_on_time_rate": "rate", "tasks_overdue": "count"}

#: Columns :func:`judge` adds to an occurrence frame.
JUDGED_COLUMNS = ["status", "due_in_period", "done_on", "days_late", "days_overdue",
                  "last_activity", "document", "note"]

#: Columns of a task_status frame.
STATUS_COLUMNS = ["plan_id", "task_id", "unit_id", "occurrence", "done_on", "document", "note"]

#: Tidy indicator columns (as ``compute_indicators``).
INDICATOR_COLUMNS = ["unit_id", "scope", "period", "indicator", "numerator", "denominator", "value"]

_KEY = ["plan_id", "task_id", "unit_id", "occurrence"]


def _day(d: date) -> pd.Timestamp:
    return pd.Timestamp(d)


def judge(occurrences: pd.DataFrame, status: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """The occurrences (``scorecard.tasks.occurrences.OCCURRENCE_COLUMNS``) with their status for
    the window [first, last] and the reports of ``status`` (:data:`STATUS_COLUMNS`).

    Adds :data:`JUDGED_COLUMNS`: ``done_on`` only when on or before ``last``; ``days_late`` for
    done_late (done_on − due), ``days_overdue`` for overdue (last − due); ``due_in_period`` when
    the due date is inside the window; ``last_activity`` (a task without a due date: its latest
    report by ``last``, of any occurrence) with that report's document and note.
    """
    lo, hi = _day(first), _day(last)
    occ = occurrences.copy()
    st = status.copy() if status is not None else pd.DataFrame(columns=STATUS_COLUMNS)
    st["done_on"] = pd.to_datetime(st["done_on"])
    st["occurrence"] = st["occurrence"].fillna("")
    st = st[st["done_on"].isna() | (st["done_on"] <= hi)]

    dated = occ["due"].notna()
    merged = occ.merge(st[_KEY + ["done_on", "document", "note"]], on=_KEY, how="left")
    # undated tasks: the latest report of the unit for the task, any occurrence
    activity = (st.dropna(subset=["done_on"]).sort_values("done_on")
                .drop_duplicates(["plan_id", "task_id", "unit_id"], keep="last")
                .rename(columns={"done_on": "last_activity", "document": "_doc", "note": "_note"})
                [["plan_id", "task_id", "unit_id", "last_activity", "_doc", "_note"]])
    merged = merged.merge(activity, on=["plan_id", "task_id", "unit_id"], how="left")
    merged.index = occ.index

    done_on = merged["done_on"].where(dated)
    done = done_on.notna()
    due = occ["due"]
    cap = occ["level_valid_to"]
    unit_missing = occ["unit_id"].isna()
    win_last = occ["window_last"].where(cap.isna() | (occ["window_last"] <= cap), cap)
    outside_window = ~dated & ((occ["window_first"] > hi) | (win_last < lo))
    past_level = dated & cap.notna() & (due > cap)

    status_col = np.select(
        [unit_missing, past_level | outside_window, ~dated,
         done & (done_on <= due), done, due <= hi],
        ["unassigned", "not_applicable", "continuous", "done_on_time", "done_late", "overdue"],
        default="not_due")
    occ["status"] = status_col
    occ["due_in_period"] = dated & (due >= lo) & (due <= hi)
    occ["done_on"] = done_on
    occ["days_late"] = ((done_on - due).dt.days.where(occ["status"] == "done_late")
                        .astype("Int64"))
    occ["days_overdue"] = ((hi - due).dt.days.where(occ["status"] == "overdue").astype("Int64"))
    undated = occ["status"] == "continuous"
    occ["last_activity"] = merged["last_activity"].where(undated)
    occ["document"] = merged["document"].where(dated, merged["_doc"].where(undated))
    occ["note"] = merged["note"].where(dated, merged["_note"].where(undated))
    return occ


def indicator_counts(judged: pd.DataFrame, last: date) -> pd.DataFrame:
    """Per unit: ``on_time`` (done on time and due by ``last``), ``due`` (due by ``last``: done on
    time, done late or overdue), ``late`` (done late) and ``overdue`` counts of a judged frame."""
    hi = _day(last)
    j = judged[judged["unit_id"].notna()]
    due_by_end = j["due"].notna() & (j["due"] <= hi)
    counted = j["status"].isin(["done_on_time", "done_late", "overdue"]) & due_by_end
    frame = pd.DataFrame({
        "unit_id": j["unit_id"],
        "on_time": (counted & (j["status"] == "done_on_time")).astype(int),
        "due": counted.astype(int),
        "late": (j["status"] == "done_late").astype(int),
        "overdue": (j["status"] == "overdue").astype(int),
    })
    return frame.groupby("unit_id", as_index=False).sum()


def indicator_rows(counts: pd.DataFrame, scope: str, period: str) -> pd.DataFrame:
    """Tidy rows of the two task indicators from ``unit_id, on_time, due, overdue`` counts."""
    n = len(counts)
    rate_value = (counts["on_time"] / counts["due"]).where(counts["due"] > 0)
    rate = pd.DataFrame({
        "unit_id": counts["unit_id"], "scope": [scope] * n, "period": [period] * n,
        "indicator": ["task_on_time_rate"] * n, "numerator": counts["on_time"],
        "denominator": counts["due"], "value": rate_value})
    overdue = pd.DataFrame({
        "unit_id": counts["unit_id"], "scope": [scope] * n, "period": [period] * n,
        "indicator": ["tasks_overdue"] * n, "numerator": counts["overdue"],
        "denominator": pd.array([pd.NA] * n, dtype="Int64"), "value": counts["overdue"]})
    out = pd.concat([rate, overdue], ignore_index=True)
    out["numerator"] = out["numerator"].astype("Int64")
    out["denominator"] = out["denominator"].astype("Int64")
    out["value"] = out["value"].astype("Float64")
    return out[INDICATOR_COLUMNS]
