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


def plan_summary(evaluation: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
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
                h.update({k: parts[0].get(k) for k in ("value", "numerator", "denominator")})
            head_scope = "level"
        elif not h and any(x == tid for (x, _) in tallies):
            head_scope = "tally"
        row: dict[str, Any] = {
            "target_id": tid, "label": t.get("label", tid), "clause": t.get("clause"),
            "indicator": t.get("indicator", ""), "comparator": t.get("comparator"),
            "threshold": t.get("threshold"), "value": h.get("value"),
            "numerator": h.get("numerator"), "denominator": h.get("denominator"),
            "status": h.get("status"), "head_scope": head_scope,
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
            tr = tallies.get((tid, lv))
            row[f"{lv}:units_met"] = None if tr is None else tr.get("units_met")
            row[f"{lv}:units_judged"] = None if tr is None else tr.get("units_judged")
        out.append(row)
    info = {"unit_id": head, "level": head_level, "levels": levels,
            "name": None if head is None else str(
                evaluation.loc[evaluation["unit_id"] == head, "unit_name"].iloc[0]),
            "title": _WHOLE.get(str(head_level), "Toàn đơn vị")}
    return pd.DataFrame(out), info
