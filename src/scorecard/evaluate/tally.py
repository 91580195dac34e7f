"""Which evaluation rows count for a unit, and the counts made of them (pure).

The index page, the summary workbook and the reports count verdicts per unit and per level; the
rules for which rows those are live here, next to the evaluation that produces them, so that
``report/`` only formats what it is given.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from scorecard.evaluate.statuses import INFO_SCOPES, STATUSES, combine_statuses

#: Tiers of the unit tree for finding the top unit (departments and districts are siblings).
_TIER = {"province": 0, "department": 1, "district": 1, "commune": 2}
_WHOLE = {"province": "Toàn tỉnh", "district": "Toàn huyện"}
#: Scopes whose ``level`` is the unit's own level (level and tally rows name the level judged).
_UNIT_LEVEL_SCOPES = ("own", "tree", "member")


def counted_mask(evaluation: pd.DataFrame) -> pd.Series:
    """Which rows count for their unit: one verdict per unit × target (per level for ``level``
    rows).

    ``member`` and ``tally`` rows never count (they are information for a verdict made
    elsewhere); a ``level`` row always counts, for the unit heading the plan's scope.
    ``evaluate`` gives a parent a pooled row (``scope='tree'``: the unit and everything below
    it) for each ``scope: own`` target where one threshold applies, besides its own row when its
    level is in the plan. A unit's counts (tiles, pass count, ranking, the index) use its own
    rows when the plan judges the unit itself (some own row of a target with a pooled row applies
    to it), and the pooled rows otherwise (e.g. a province whose plan names only departments,
    districts and communes) together with the own rows of targets without a pooled row that
    apply to it (a province's own task). Rows without a twin (leaves, ``scope: tree`` targets)
    always count. A frame without a ``scope`` column counts every row.
    """
    if evaluation.empty or "scope" not in evaluation.columns:
        return pd.Series(True, index=evaluation.index)
    ev = evaluation
    scope = ev["scope"]
    base = ~scope.isin((*INFO_SCOPES, "level"))
    own, twin = scope.eq("own"), _has_twin(ev)
    applies = ev["status"].ne("not_applicable")
    self_unit = ev["unit_id"].isin(judged_units(ev))
    plain_unit = ~ev["unit_id"].isin(set(ev.loc[twin, "unit_id"]))  # no pooled rows
    old = (~twin & (plain_unit | self_unit | ~own | applies)) | (twin & (own == self_unit))
    return scope.eq("level") | (base & old)


def _has_twin(ev: pd.DataFrame) -> pd.Series:
    """Rows whose (unit, target) has both an own row and a pooled (tree) row."""
    own, tree = ev["scope"].eq("own"), ev["scope"].eq("tree")
    pair = ev["unit_id"].astype(str) + "\x1f" + ev["target_id"].astype(str)
    return (own | tree) & pair.isin(set(pair[own])) & pair.isin(set(pair[tree]))


def judged_units(evaluation: pd.DataFrame) -> set[str]:
    """Parents the plan judges themselves: some own row of a target that also has a pooled
    row applies to them (a district of Bắc Giang 2025, not its province)."""
    ev = evaluation
    if ev.empty or "scope" not in ev.columns:
        return set()
    mask = ev["scope"].eq("own") & _has_twin(ev) & ev["status"].ne("not_applicable")
    return set(ev.loc[mask, "unit_id"])


def counted_rows(evaluation: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`counted_mask` (plan order kept)."""
    return evaluation[counted_mask(evaluation)]


def status_matrix(evaluation: pd.DataFrame) -> pd.DataFrame:
    """One row per unit, one column per target (the status), plus pass and judged counts.

    Columns: unit_id, unit_name, level, <target_id>..., passed, judged (targets with pass or
    fail). Target columns keep the plan's order of first appearance. Each unit shows the rows
    that count for it (:func:`counted_mask`); a target judged in parts at one unit (``level``
    rows of several levels) shows :func:`~scorecard.evaluate.statuses.combine_statuses` of
    them. ``level`` is the unit's own level.
    """
    if evaluation.empty:
        return pd.DataFrame(columns=["unit_id", "unit_name", "level", "passed", "judged"])
    targets = list(dict.fromkeys(evaluation["target_id"]))
    units = list(dict.fromkeys(evaluation["unit_id"]))
    levels = unit_levels(evaluation)
    ev = counted_rows(evaluation)
    ev = ev.assign(level=ev["unit_id"].map(levels))
    wide = ev.pivot_table(index=["unit_id", "unit_name", "level"], columns="target_id",
                          values="status", aggfunc=combine_statuses)
    wide = wide.reindex(columns=targets).reset_index()
    wide.columns.name = None
    wide = wide.set_index("unit_id").reindex([u for u in units if u in set(wide["unit_id"])])
    wide = wide.reset_index()
    st = wide[targets]
    wide["passed"] = (st == "pass").sum(axis=1).astype(int)
    wide["judged"] = st.isin(["pass", "fail"]).sum(axis=1).astype(int)
    return wide


def unit_levels(evaluation: pd.DataFrame) -> dict[str, str]:
    """Each unit's own level: from its own, tree or member rows; a unit with only level or tally
    rows (a head above the plan's levels) gets the level just above the highest it judges."""
    ev = evaluation
    mine = ev[ev["scope"].isin(_UNIT_LEVEL_SCOPES)] if "scope" in ev.columns else ev
    out = dict(zip(mine["unit_id"], mine["level"], strict=False))
    above = {"commune": "district", "district": "province", "department": "province",
             "province": "province"}
    for uid, grp in ev.groupby("unit_id", sort=False):
        if uid not in out:
            top = min(grp["level"], key=lambda lv: _TIER.get(lv, 9))
            out[str(uid)] = above.get(top, top)
    return out


def level_totals(evaluation: pd.DataFrame) -> pd.DataFrame:
    """Counts of each status per target, for every level and for the whole plan (``level='all'``).

    Columns: level, target_id, pass, fail, in_progress, no_data, not_applicable (rows that
    count, see :func:`counted_mask`; a ``level`` row counts once at the level it judges).
    """
    cols = list(STATUSES)
    if evaluation.empty:
        return pd.DataFrame(columns=["level", "target_id", *cols])
    evaluation = counted_rows(evaluation)
    both = pd.concat([evaluation, evaluation.assign(level="all")])
    out = (both.groupby(["level", "target_id"], sort=False)["status"].value_counts()
           .unstack(fill_value=0).reindex(columns=cols, fill_value=0).reset_index())
    out.columns.name = None
    return out


def headline_unit(evaluation: pd.DataFrame) -> str | None:
    """The unit whose pooled figures head the index: the only unit of the top tier that has
    rows (a province; a district when a plan covers one district), None when there is no single
    one."""
    if evaluation.empty:
        return None
    levels = unit_levels(evaluation)
    units = pd.DataFrame({"unit_id": list(levels), "level": list(levels.values())})
    tier = units["level"].map(_TIER).fillna(9)
    top = units[tier == tier.min()]
    if len(top) != 1 or len(units) < 2:
        return None
    return str(top["unit_id"].iloc[0])


def plan_summary(evaluation: pd.DataFrame, plan: Any = None
                 ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The compact summary: one row per target (plan order) with the headline unit's figure and,
    per level below it, how many units pass among those judged.

    Returns (frame, info). Frame columns: target_id, label, clause, indicator, comparator,
    threshold, value, numerator, denominator, status (the headline: its pooled row, else its own
    applicable row, else its ``level`` rows combined; NaN/None when there is none), head_scope
    (``tree``, ``own``, ``level``, ``tally`` — the headline has only tallies: no pooled verdict
    — or None), then for each level in ``info["levels"]``: ``<level>:pass``,
    ``<level>:judged`` (pass + fail), ``<level>:in_progress``, ``<level>:no_data``,
    ``<level>:units`` (units with a row that counts), and the level's own verdict when the
    target is judged per level (``basis: level`` or ``share_of_units``): ``<level>:verdict``
    (status) and ``<level>:value``; for a tally, ``<level>:units_met`` and
    ``<level>:units_judged`` are the headline's tally at that level. ``info``: headline unit id,
    its level, its name, its column title ("Toàn tỉnh"), levels. Not-applicable and no-data rows
    are not judged.

    Also: ``basis`` (the target's), ``note``, ``window_first``, ``window_last`` (the headline
    row's: why it has no verdict, the dates its value covers — for ``in_progress`` the value to
    date), ``<level>:numerator`` / ``<level>:denominator`` of a ``level`` row (for a share of
    units: units meeting the condition / units of the level), and, when ``plan`` (a
    :class:`scorecard.plans.Plan`) is given, ``judged`` (``each_period`` | ``by_deadline``) and
    ``due`` (the last day allowed, a date; None for each-period targets) from the plan's target.
    """
    targets = evaluation.drop_duplicates("target_id")
    head = headline_unit(evaluation)
    levels_of = unit_levels(evaluation)
    unit_lv = evaluation["unit_id"].map(levels_of)
    levels = [lv for lv in _TIER if lv in set(unit_lv) or lv in set(evaluation["level"])]
    levels += [lv for lv in dict.fromkeys(evaluation["level"]) if lv not in _TIER]
    head_level = None
    rows_head: dict[str, dict[str, Any]] = {}
    level_rows: dict[tuple[str, str], dict[str, Any]] = {}
    tallies: dict[tuple[str, str], dict[str, Any]] = {}
    scoped = "scope" in evaluation.columns
    if head is not None:
        hv = evaluation[evaluation["unit_id"] == head]
        head_level = levels_of[head]
        if scoped:
            for r in hv[hv["scope"] == "level"].to_dict("records"):
                level_rows[(str(r["target_id"]), str(r["level"]))] = r
            for r in hv[hv["scope"] == "tally"].to_dict("records"):
                tallies[(str(r["target_id"]), str(r["level"]))] = r
            # the pooled row, else the unit's own applicable row
            hv = hv[hv["scope"].isin(("tree", "own"))]
            hv = hv.assign(_o=hv["scope"].ne("tree").astype(int)).sort_values("_o", kind="stable")
            hv = hv[hv["scope"].eq("tree") | hv["status"].ne("not_applicable")]
        for r in hv.to_dict("records"):
            rows_head.setdefault(str(r["target_id"]), r)
        if head_level in levels and evaluation.loc[unit_lv == head_level,
                                                   "unit_id"].nunique() == 1:
            levels.remove(head_level)  # its only unit is the headline
    counted = counted_rows(evaluation)
    if scoped:
        counted = counted[counted["scope"] != "level"]
    if head is not None:
        counted = counted[counted["unit_id"] != head]
    timing = _target_timing(plan)
    out = []
    for t in targets.to_dict("records"):
        tid = str(t["target_id"])
        h = rows_head.get(tid, {})
        own_levels = [lv for (x, lv) in level_rows if x == tid]
        head_scope = h.get("scope") if h else None
        if not h and own_levels:
            parts = [level_rows[(tid, lv)] for lv in own_levels]
            h = {"status": combine_statuses(p["status"] for p in parts)}
            if len(parts) == 1:
                h.update({k: parts[0].get(k) for k in ("value", "numerator", "denominator",
                                                        "note", "window_first", "window_last")})
            head_scope = "level"
        elif not h and any(x == tid for (x, _) in tallies):
            head_scope = "tally"
        row: dict[str, Any] = {
            "target_id": tid, "label": t.get("label", tid), "clause": t.get("clause"),
            "indicator": t.get("indicator", ""), "comparator": t.get("comparator"),
            "threshold": t.get("threshold"), "value": h.get("value"),
            "numerator": h.get("numerator"), "denominator": h.get("denominator"),
            "status": h.get("status"), "head_scope": head_scope,
            "basis": t.get("basis", "unit"), "note": h.get("note"),
            "window_first": h.get("window_first"), "window_last": h.get("window_last"),
            "judged": timing.get(tid, (None, None))[0], "due": timing.get(tid, (None, None))[1],
        }
        sub = counted[counted["target_id"] == t["target_id"]]
        sub_lv = sub["unit_id"].map(levels_of)
        for lv in levels:
            st = sub.loc[sub_lv == lv, "status"]
            row[f"{lv}:pass"] = int((st == "pass").sum())
            row[f"{lv}:judged"] = int(st.isin(["pass", "fail"]).sum())
            row[f"{lv}:in_progress"] = int((st == "in_progress").sum())
            row[f"{lv}:no_data"] = int((st == "no_data").sum())
            row[f"{lv}:units"] = int(len(st))
            lr = level_rows.get((tid, lv))
            row[f"{lv}:verdict"] = None if lr is None else lr["status"]
            row[f"{lv}:value"] = None if lr is None else lr.get("value")
            row[f"{lv}:numerator"] = None if lr is None else lr.get("numerator")
            row[f"{lv}:denominator"] = None if lr is None else lr.get("denominator")
            tr = tallies.get((tid, lv))
            row[f"{lv}:units_met"] = None if tr is None else tr.get("units_met")
            row[f"{lv}:units_judged"] = None if tr is None else tr.get("units_judged")
        out.append(row)
    info = {"unit_id": head, "level": head_level, "levels": levels,
            "name": None if head is None else str(
                evaluation.loc[evaluation["unit_id"] == head, "unit_name"].iloc[0]),
            "title": _WHOLE.get(str(head_level), "Toàn đơn vị")}
    return pd.DataFrame(out), info


def _target_timing(plan: Any) -> dict[str, tuple[str | None, Any]]:
    """target_id -> (judged, due) from a plan's targets ({} without a plan)."""
    if plan is None:
        return {}
    return {str(t.id): (t.judged, t.due) for t in plan.targets}


# ---------------------------------------------------------------- beside the verdicts
# The index page also counts things that are not target verdicts: plan tasks, inspection leads,
# the 766 points of the headline unit and the late lists produced. Which rows count and in what
# order is decided here, as for the verdicts; report/ only formats.

#: Columns of :func:`unit_task_counts`.
TASK_COUNT_COLUMNS = ["unit_id", "on_time", "due", "late", "overdue"]
#: Columns of :func:`overdue_assignments`.
OVERDUE_COLUMNS = ["unit_id", "unit_name", "level", "task_id", "group_title", "text", "lead",
                   "deadline", "occurrence", "due", "days_overdue", "unit_overdue"]
#: Columns of :func:`unit_lead_counts`.
LEAD_COUNT_COLUMNS = ["unit_id", "leads_flagged", "cases_flagged", "lead_labels"]
#: Columns of :func:`late_list_months`.
LATE_LIST_COLUMNS = ["month", "produced", "generated_at", "plan_id", "units_listed",
                     "cases_late", "html_file", "xlsx_file"]


def unit_task_counts(tasks: pd.DataFrame, last: Any) -> pd.DataFrame:
    """Per unit leading a task occurrence of the listing ``tasks``
    (``scorecard.tasks.LISTING_COLUMNS``, statuses at the end of the period whose last day is
    ``last``): ``on_time`` (done on time, due by ``last``), ``due`` (due by ``last``: done on
    time, done late or overdue), ``late`` (done late) and ``overdue`` (not done, due by
    ``last``) — the counts of ``task_on_time_rate`` = on_time / due and ``tasks_overdue``
    (``scorecard.tasks.judging.indicator_counts``, the same rule). Units leading only
    occurrences without a due date (or not yet due) have ``due = 0``; units leading nothing are
    absent. Sorted by unit id."""
    from scorecard.tasks.judging import indicator_counts

    if tasks is None or tasks.empty:
        return pd.DataFrame(columns=TASK_COUNT_COLUMNS)
    t = tasks.assign(due=pd.to_datetime(tasks["due"]))
    out = indicator_counts(t, pd.Timestamp(last).date())
    return out[TASK_COUNT_COLUMNS].sort_values("unit_id").reset_index(drop=True)


def overdue_assignments(tasks: pd.DataFrame) -> pd.DataFrame:
    """The plan's task occurrences overdue at the period's end, by lead unit
    (:data:`OVERDUE_COLUMNS`): units with the most overdue occurrences first (then the longest
    overdue, then the unit's name and id), and inside a unit the longest overdue first, then
    register order. ``unit_overdue``: the unit's count. Occurrences whose lead names no unit of
    the store (``unassigned``) are not listed (the listing counts them apart)."""
    if tasks is None or tasks.empty:
        return pd.DataFrame(columns=OVERDUE_COLUMNS)
    t = tasks[(tasks["status"] == "overdue") & tasks["unit_id"].notna()].copy()
    t["_order"] = range(len(t))
    t["_days"] = pd.to_numeric(t["days_overdue"]).fillna(0)
    per_unit = t.groupby("unit_id")["_days"].agg(["size", "max"])
    t["unit_overdue"] = t["unit_id"].map(per_unit["size"]).astype(int)
    t["_unit_max"] = t["unit_id"].map(per_unit["max"])
    t = t.sort_values(["unit_overdue", "_unit_max", "unit_name", "unit_id", "_days", "_order"],
                      ascending=[False, False, True, True, False, True], kind="stable")
    return t[OVERDUE_COLUMNS].reset_index(drop=True)


def unit_lead_counts(scores: pd.DataFrame) -> pd.DataFrame:
    """Per unit the inspection leads examined it for (``scorecard.leads`` scores): how many
    leads flagged it (``leads_flagged``), the cases behind those flags (``cases_flagged``) and
    the leads' labels (``lead_labels``, "; "-joined, catalogue order). Every unit with a score
    row is listed (0 when no lead flagged it); a unit no lead examined is absent. A lead is a
    reason to look, not a verdict: nothing here changes a status."""
    if scores is None or scores.empty:
        return pd.DataFrame(columns=LEAD_COUNT_COLUMNS)
    s = scores.assign(_flag=scores["flagged"].fillna(False).astype(bool))
    rows = []
    for uid, g in s.groupby("unit_id", sort=True):
        f = g[g["_flag"]]
        rows.append({"unit_id": str(uid), "leads_flagged": int(len(f)),
                     "cases_flagged": int(pd.to_numeric(f["cases_flagged"]).fillna(0).sum()),
                     "lead_labels": "; ".join(str(x) for x in f["lead_label"])})
    return pd.DataFrame(rows, columns=LEAD_COUNT_COLUMNS)


def index766_headline(breakdown: pd.DataFrame, summary: pd.DataFrame,
                      unit_id: str | None) -> pd.DataFrame:
    """The 766 "where the points went" rows (``index766.points_breakdown`` columns) of
    ``unit_id`` in the scope it is ranked on (``summary``: ``summarize_index766``; a province's
    roll-up ``tree``), profile order; empty when the unit has no ranked total."""
    if unit_id is None or breakdown is None or summary is None or summary.empty:
        return breakdown.iloc[0:0] if breakdown is not None else pd.DataFrame()
    mine = summary[summary["unit_id"] == unit_id]
    if mine.empty:
        return breakdown.iloc[0:0]
    scope = str(mine["scope"].iloc[0])
    rows = breakdown[(breakdown["unit_id"] == unit_id) & (breakdown["scope"] == scope)]
    return rows.reset_index(drop=True)


def late_list_months(late_lists: pd.DataFrame, months: list[str],
                     plan_id: str | None = None) -> pd.DataFrame:
    """One row per month of ``months`` (:data:`LATE_LIST_COLUMNS`): the newest list produced for
    it (``late_list_log`` rows; a list issued for ``plan_id`` before one for another plan or
    none), ``produced`` False and the rest empty when none was."""
    rows = []
    gens = late_lists if late_lists is not None else pd.DataFrame(columns=["month"])
    for month in months:
        g = gens[gens["month"] == month]
        if g.empty:
            rows.append({"month": month, "produced": False})
            continue
        mine = g["plan_id"].eq(plan_id) if plan_id is not None and "plan_id" in g else False
        g = g.assign(_mine=mine, _at=pd.to_datetime(g["generated_at"]))
        best = g.sort_values(["_mine", "_at"], ascending=[False, False], kind="stable").iloc[0]
        rows.append({"month": month, "produced": True,
                     **{c: best.get(c) for c in LATE_LIST_COLUMNS[2:]}})
    return pd.DataFrame(rows, columns=LATE_LIST_COLUMNS)
