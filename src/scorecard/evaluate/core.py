"""Judge every target of a plan for every unit it covers in one period (pure).

:func:`evaluate_targets` takes the tidy indicator frame (``compute_indicators``, tagged with a
``series`` column and computed over the windows :mod:`scorecard.evaluate.windows` asks for), the
units and the manual measurements. What it does per target, by ``basis``:

- ``unit``: each unit of the target's levels is judged on its own figure (``scope`` ``own``, or
  its whole subtree for ``scope: tree`` targets). A parent's pooled figure (``tree`` row) is
  judged only when every level whose cases it sums is covered by the target in the same window
  (so the same threshold, the same validity); otherwise the parent gets a ``tally`` row per level
  (units passing / units judged) and no pooled verdict.
- ``level``: one ``level`` row per level and head of the plan's scope, judged on the level's
  pooled figure; each unit of the level gets a ``member`` row with its contribution, no verdict.
- ``share_of_units``: one ``level`` row per level and head, judged on the share of the level's
  units meeting the target's ``condition`` (units without data count as not meeting it); each
  unit gets a ``member`` row saying whether it meets the condition.

Statuses and scopes: :mod:`scorecard.evaluate.statuses`. Output columns: :data:`COLUMNS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from scorecard.evaluate.judging import Judgement, judge, judge_value
from scorecard.evaluate.scope import LEVEL_RANK, UnitTree, check_units, pool_key
from scorecard.evaluate.windows import TargetWindow, target_window
from scorecard.fields import FIELD_NAMES
from scorecard.indicators.catalogue import ComputedBy, computed_by
from scorecard.periods import Period, check_calendar, parse_period
from scorecard.plans import Plan, Target, indicator_label
from scorecard.report.format import LEVEL_VI, fmt_date, fmt_threshold

#: Output columns of evaluate_targets / evaluate (docs/design.md §"Evaluate API").
COLUMNS: list[str] = [
    "unit_id", "unit_name", "level", "scope", "period", "target_id", "indicator", "label",
    "value", "numerator", "denominator", "comparator", "threshold", "status", "gap_cases",
    "clause", "text", "flag", "basis", "window_first", "window_last", "units_met",
    "units_judged", "note",
]

Key = tuple[str, str, str, str, str]  # series, period id, unit id, scope, indicator


@dataclass
class Lookup:
    """The rows of the indicator frame and the manual table, by key."""

    indicators: dict[Key, dict[str, Any]]
    manual: dict[tuple[str, str, str], dict[str, Any]]

    @classmethod
    def of(cls, indicators_df: pd.DataFrame | None, manual_df: pd.DataFrame | None) -> Lookup:
        ind: dict[Key, dict[str, Any]] = {}
        if indicators_df is not None and len(indicators_df):
            series = (indicators_df["series"].fillna("") if "series" in indicators_df.columns
                      else pd.Series("", index=indicators_df.index))
            for rec, s in zip(indicators_df.to_dict("records"), series, strict=True):
                ind[(str(s), str(rec["period"]), rec["unit_id"], rec["scope"],
                     rec["indicator"])] = rec
        man: dict[tuple[str, str, str], dict[str, Any]] = {}
        if manual_df is not None and len(manual_df):
            for rec in manual_df.to_dict("records"):
                man[(rec["unit_id"], rec["indicator"], str(rec["period"]))] = rec
        return cls(ind, man)


def contributes(rec: Mapping[str, Any] | None) -> bool:
    """True when a unit's own row adds something to a pooled figure: a denominator above 0, or a
    value (a count, a ratio) other than 0."""
    if rec is None:
        return False
    den = rec.get("denominator")
    if den is not None and not pd.isna(den):
        return bool(den > 0)
    val = rec.get("value")
    return val is not None and not pd.isna(val) and val != 0


def _level_vi(level: str) -> str:
    return LEVEL_VI.get(level, level).lower()


def _label(target: Target) -> str:
    if target.label:
        return target.label
    base = indicator_label(target.indicator) or target.indicator
    if target.basis == "share_of_units":
        return f"Tỷ lệ đơn vị đạt: {base}"
    if target.fields:
        base += " — lĩnh vực " + ", ".join(target.fields)
    return base


@dataclass
class _Ctx:
    plan: Plan
    period: Period
    calendar: str
    tree: UnitTree
    data: Lookup
    stored_fields: set[str] | None

    def window(self, t: Target, level: str) -> TargetWindow | None:
        return target_window(self.plan, t, level, self.period, self.calendar)

    def value(self, t: Target, unit_id: str, scope: str,
              tw: TargetWindow | None) -> dict[str, Any] | None:
        """The row a target reads for a unit: manual row of its period, or the indicator row of
        its window (a leaf's tree is its own row)."""
        if t.measure == "manual":
            period_id = tw.manual_period if tw is not None else self.period.id
            return self.data.manual.get((unit_id, t.indicator, period_id))
        window_id = tw.id if tw is not None else self.period.id
        rec = self.data.indicators.get((t.series, window_id, unit_id, scope, t.indicator))
        if rec is None and scope == "tree" and not self.tree.is_parent(unit_id):
            rec = self.data.indicators.get((t.series, window_id, unit_id, "own", t.indicator))
        return rec

    def field_note(self, t: Target) -> str | None:
        if not t.fields or self.stored_fields is None:
            return None
        missing = [f for f in t.fields if f not in self.stored_fields]
        if not missing:
            return None
        names = ", ".join(FIELD_NAMES.get(f, f).lower() + f" ({f})" for f in missing)
        return f"không có TTHC nào thuộc lĩnh vực {names} trong dữ liệu thủ tục"


def _window_note(tw: TargetWindow, level: str) -> list[str]:
    span = f"{fmt_date(tw.first)}–{fmt_date(tw.last)}"
    notes = []
    if tw.kind == "cumulative" and tw.state == "in_progress":
        notes.append(f"chưa đến hạn {fmt_date(tw.due)}: số liệu lũy kế {span}, chưa đánh giá")
        if tw.ends_before_due is not None:
            notes.append(f"chỉ tiêu với {_level_vi(level)} hết hiệu lực ngày "
                         f"{fmt_date(tw.ends_before_due)}, trước hạn: không đến kỳ đánh giá")
    elif tw.kind == "cumulative":
        notes.append(f"đánh giá theo hạn {fmt_date(tw.due)} trên số liệu lũy kế {span}")
    elif tw.kind == "ytd":
        notes.append(f"số liệu lũy kế từ đầu năm: {span}")
    if tw.cut and tw.kind == "period":
        notes.append(f"chỉ tính {span}: thời gian chỉ tiêu còn hiệu lực với {_level_vi(level)}")
    return notes


def _not_applicable_note(ctx: _Ctx, t: Target, level: str) -> str:
    if t.levels is not None and level not in t.levels:
        return f"chỉ tiêu không giao cho {_level_vi(level)}"
    first, last = t.validity(level)
    return (f"ngoài thời gian hiệu lực của chỉ tiêu với {_level_vi(level)} "
            f"({fmt_date(first)}–{fmt_date(last)})")


def _provider(t: Target) -> ComputedBy | None:
    """The module computing a computed target's indicator when it is not the case engine."""
    return computed_by(t.indicator) if t.measure == "computed" else None


def _unlisted(t: Target) -> str | None:
    """The note of a unit the target's provider gives no row for, when that means the indicator
    does not apply to it (the task indicators: a unit leading no dated task); else None."""
    cb = _provider(t)
    if cb is None or cb.unlisted != "not_applicable":
        return None
    return cb.unlisted_vi or "chỉ số không áp dụng cho đơn vị"


def _no_data_note(t: Target, tw: TargetWindow | None, period: Period) -> str:
    if t.measure == "manual":
        pid = tw.manual_period if tw is not None else period.id
        return f"chưa có số liệu nhập (bảng manual) của kỳ {pid}"
    cb = _provider(t)
    if cb is not None and cb.no_data_vi:
        return cb.no_data_vi
    return "không có hồ sơ (hoặc đối tượng) nào để tính trong kỳ"


def _row(ctx: _Ctx, t: Target, unit_id: str, level: str, scope: str, j: Judgement, *,
         tw: TargetWindow | None, notes: Sequence[str | None] = (), units_met: int | None = None,
         units_judged: int | None = None) -> dict[str, Any]:
    first, last = (tw.first, tw.last) if tw is not None else ctx.period.window(ctx.calendar)
    note = "; ".join(n for n in (*notes, ctx.field_note(t)) if n)
    return {
        "unit_id": unit_id, "unit_name": ctx.tree.name_of.get(unit_id), "level": level,
        "scope": scope, "period": ctx.period.id, "target_id": t.id, "indicator": t.indicator,
        "label": _label(t), "value": j.value, "numerator": j.numerator,
        "denominator": j.denominator, "comparator": t.comparator, "threshold": t.threshold,
        "status": j.status, "gap_cases": j.gap_cases, "clause": t.clause, "text": t.text,
        "flag": t.flag, "basis": t.basis, "window_first": first, "window_last": last,
        "units_met": units_met, "units_judged": units_judged,
        "note": (note[:1].upper() + note[1:]) if note else None,
    }


def _verdict(ctx: _Ctx, t: Target, rec: Mapping[str, Any] | None,
             tw: TargetWindow) -> tuple[Judgement, list[str]]:
    """Judge a row in its window: in progress before the due period, notes on the window."""
    if t.condition is None:
        j = judge(t, rec)
    else:  # the share of units meeting the condition: a rate of whole units
        j = judge_value(rec, t.comparator, t.threshold_exact, "rate")
    notes = []
    if tw.state == "in_progress":
        j = Judgement("in_progress", j.value, j.numerator, j.denominator, None)
    elif j.status == "no_data":
        notes.append(_no_data_note(t, tw, ctx.period))
    return j, notes


def _not_applicable(ctx: _Ctx, t: Target, unit_id: str, level: str,
                    scope: str) -> dict[str, Any]:
    rec = ctx.value(t, unit_id, scope, None)
    j = judge(t, rec) if t.condition is None else Judgement("no_data")
    j = Judgement("not_applicable", j.value, j.numerator, j.denominator, None)
    return _row(ctx, t, unit_id, level, scope, j, tw=None,
                notes=[_not_applicable_note(ctx, t, level)])


# ---------------------------------------------------------------- basis: unit
def _unit_row(ctx: _Ctx, t: Target, unit_id: str, level: str) -> dict[str, Any]:
    """A unit judged on its own figure (or its subtree's, for scope: tree)."""
    tw = ctx.window(t, level)
    if tw is None:
        return _not_applicable(ctx, t, unit_id, level, t.scope)
    rec = ctx.value(t, unit_id, t.scope, tw)
    unlisted = _unlisted(t) if rec is None else None
    if unlisted:
        return _row(ctx, t, unit_id, level, t.scope, Judgement("not_applicable"), tw=tw,
                    notes=[unlisted])
    j, notes = _verdict(ctx, t, rec, tw)
    return _row(ctx, t, unit_id, level, t.scope, j, tw=tw, notes=[*_window_note(tw, level),
                                                                   *notes])


def _pooled_rows(ctx: _Ctx, t: Target, unit_id: str,
                 own_status: Mapping[str, str]) -> list[dict[str, Any]]:
    """A parent's pooled (tree) row when the pooled figure may be judged against ``t``'s
    threshold, else its tally rows (one per level the target covers below it)."""
    tree = ctx.tree
    level = tree.level_of[unit_id]
    sub = [unit_id, *tree.below(unit_id)]
    by_level: dict[str, list[str]] = {}
    for u in sub:
        by_level.setdefault(tree.level_of[u], []).append(u)
    windows = {lv: ctx.window(t, lv) for lv in sorted(by_level, key=LEVEL_RANK.get)}
    covered = [lv for lv, tw in windows.items() if tw is not None]
    if not covered:
        return [_not_applicable(ctx, t, unit_id, level, "tree")]

    def has_data(lv: str, window_ids: set[str]) -> bool:
        return any(contributes(ctx.data.indicators.get((t.series, wid, u, "own", t.indicator)))
                   for u in by_level[lv] for wid in window_ids)

    covered_ids = {windows[lv].id for lv in covered} | {ctx.period.id}  # type: ignore[union-attr]
    foreign = [lv for lv in windows if lv not in covered and has_data(lv, covered_ids)]
    live = [lv for lv in covered if has_data(lv, {windows[lv].id})] or covered  # type: ignore[union-attr]
    spans = {(windows[lv].first, windows[lv].last, windows[lv].state) for lv in live}  # type: ignore[union-attr]
    if foreign or len(spans) > 1:
        if foreign:
            why = ("không đánh giá số liệu gộp: gồm cả số liệu của "
                   + ", ".join(_level_vi(lv) for lv in foreign)
                   + ", cấp mà chỉ tiêu không giao hoặc giao mức khác")
        else:
            why = "không đánh giá số liệu gộp: thời gian hiệu lực của chỉ tiêu khác nhau giữa các cấp"
        return _tally_rows(ctx, t, unit_id, covered, windows, own_status, why)
    tw = windows[live[0]]
    assert tw is not None
    rec = ctx.data.indicators.get((t.series, tw.id, unit_id, "tree", t.indicator))
    unlisted = _unlisted(t) if rec is None else None
    if unlisted:
        return [_row(ctx, t, unit_id, level, "tree", Judgement("not_applicable"), tw=tw,
                     notes=[unlisted + " (cả các đơn vị cấp dưới)"])]
    j, notes = _verdict(ctx, t, rec, tw)
    return [_row(ctx, t, unit_id, level, "tree", j, tw=tw,
                 notes=[*_window_note(tw, live[0]), *notes])]


def _tally_rows(ctx: _Ctx, t: Target, unit_id: str, covered: list[str],
                windows: Mapping[str, TargetWindow | None], own_status: Mapping[str, str],
                why: str) -> list[dict[str, Any]]:
    tree = ctx.tree
    below = tree.in_scope(tree.below(unit_id))
    rows = []
    for lv in covered:
        members = [u for u in below if tree.level_of[u] == lv]
        if not members:
            continue
        st = [own_status.get(u, "no_data") for u in members]
        met, judged = st.count("pass"), st.count("pass") + st.count("fail")
        words = [why, f"đạt {met}/{judged} đơn vị {_level_vi(lv)} được đánh giá"]
        if st.count("in_progress"):
            words.append(f"{st.count('in_progress')} đơn vị đang thực hiện")
        if st.count("no_data"):
            words.append(f"{st.count('no_data')} đơn vị chưa có dữ liệu")
        rows.append(_row(ctx, t, unit_id, lv, "tally", Judgement("not_applicable"),
                         tw=windows[lv], notes=words, units_met=met, units_judged=judged))
    return rows


# ---------------------------------------------------------------- basis: level, share_of_units
def _condition_text(t: Target) -> str:
    c = t.condition
    assert c is not None
    kind = "count" if c.kind == "count" else "rate"
    return f"{indicator_label(c.indicator) or c.indicator} {fmt_threshold(c.comparator, c.threshold, kind)}"


def _level_row(ctx: _Ctx, t: Target, head: str, level: str,
               members: list[str]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The verdict row of one level under ``head`` and its members' contribution rows."""
    tw = ctx.window(t, level)
    if tw is None:
        return (_row(ctx, t, head, level, "level", Judgement("not_applicable"), tw=None,
                     notes=[_not_applicable_note(ctx, t, level)]), {})
    lv = _level_vi(level)
    head_name = ctx.tree.name_of.get(head, head)
    member_rows: dict[str, dict[str, Any]] = {}
    window_notes = _window_note(tw, level)
    unlisted = _unlisted(t)
    if unlisted:  # units the indicator does not apply to are no members of the level
        outside = [u for u in members if ctx.value(t, u, "own", tw) is None]
        for u in outside:
            member_rows[u] = _row(ctx, t, u, level, "member", Judgement("not_applicable"),
                                  tw=tw, notes=[unlisted])
        members = [u for u in members if u not in set(outside)]
        if not members:
            return (_row(ctx, t, head, level, "level", Judgement("not_applicable"), tw=tw,
                         notes=[f"chỉ số không áp dụng cho đơn vị {lv} nào ({unlisted})"]),
                    member_rows)
    if t.basis == "level":
        if t.measure == "manual":
            rec = ctx.data.manual.get((head, t.indicator, tw.manual_period))
        else:
            rec = ctx.data.indicators.get((t.series, tw.id, pool_key(head, level), "level",
                                           t.indicator))
        j, notes = _verdict(ctx, t, rec, tw)
        row = _row(ctx, t, head, level, "level", j, tw=tw, notes=[
            f"số liệu gộp của {len(members)} đơn vị {lv}", *window_notes, *notes])
        for u in members:
            m = judge(t, ctx.value(t, u, "own", tw))
            member_rows[u] = _row(
                ctx, t, u, level, "member",
                Judgement("not_applicable", m.value, m.numerator, m.denominator), tw=tw,
                notes=[f"không đánh giá riêng đơn vị: đóng góp vào chỉ tiêu chung {lv} "
                       f"({head_name})", *window_notes])
        return row, member_rows
    # share_of_units: the share of the level's units meeting the condition
    met = judged = 0
    cond = _condition_text(t)
    for u in members:
        m = judge(t, ctx.value(t, u, "own", tw))
        ok, has = m.status == "pass", m.status in ("pass", "fail")
        met, judged = met + ok, judged + has
        word = ("đạt điều kiện" if ok else "chưa đạt điều kiện" if has
                else "chưa có dữ liệu, tính là chưa đạt")
        member_rows[u] = _row(
            ctx, t, u, level, "member",
            Judgement("not_applicable", m.value, m.numerator, m.denominator), tw=tw,
            notes=[f"không đánh giá riêng đơn vị: {word} ({cond}) của chỉ tiêu chung {lv} "
                   f"({head_name})", *window_notes],
            units_met=int(ok), units_judged=int(has))
    n = len(members)
    j, notes = _verdict(ctx, t, {"numerator": met, "denominator": n} if judged else None, tw)
    words = [f"{met}/{n} đơn vị {lv} đạt điều kiện ({cond})"]
    if n - judged:
        words.append(f"{n - judged} đơn vị chưa có dữ liệu, tính là chưa đạt")
    if j.status == "fail" and j.gap_cases:
        words.append(f"cần thêm {j.gap_cases} đơn vị đạt (cột gap_cases tính theo đơn vị)")
    row = _row(ctx, t, head, level, "level", j, tw=tw, notes=[*words, *window_notes, *notes],
               units_met=met, units_judged=judged)
    return row, member_rows


# ---------------------------------------------------------------- the whole plan
def _target_rows(ctx: _Ctx, t: Target) -> list[tuple[tuple[int, int, int], dict[str, Any]]]:
    """Every row of one target, each with its sort key (unit, sub-order, level)."""
    tree = ctx.tree
    rank = tree.rank_of
    out: list[tuple[tuple[int, int, int], dict[str, Any]]] = []
    members: dict[str, dict[str, Any]] = {}
    if t.basis != "unit":
        for level in sorted(t.levels or [], key=LEVEL_RANK.get):
            for head, group in tree.level_groups(level).items():
                row, rows = _level_row(ctx, t, head, level, group)
                out.append(((rank[head], 0, LEVEL_RANK[level]), row))
                members.update(rows)
    own_status: dict[str, str] = {}
    in_levels = set(ctx.plan.all_levels)
    for u, level in zip(tree.scope["unit_id"], tree.scope["level"], strict=True):
        parent = tree.is_parent(u)
        if level in in_levels and not (t.scope == "tree" and parent):
            row = members.get(u) or _unit_row(ctx, t, u, level)
            own_status[u] = row["status"]
            out.append(((rank[u], 1, 0), row))
    if t.basis == "unit" and t.measure == "computed":
        # deepest parents first: a scope: tree target tallies the verdicts of the parents below
        for u, level in reversed(list(zip(tree.scope["unit_id"], tree.scope["level"],
                                          strict=True))):
            if tree.is_parent(u):
                pooled = _pooled_rows(ctx, t, u, own_status)
                if t.scope == "tree" and level in in_levels and pooled and pooled[0]["scope"] == "tree":
                    own_status[u] = pooled[0]["status"]
                for i, row in enumerate(pooled):
                    out.append(((rank[u], 0, i), row))
    return out


def evaluate_targets(
    plan: Plan,
    period: Period | str,
    indicators_df: pd.DataFrame,
    units_df: pd.DataFrame,
    manual_df: pd.DataFrame | None = None,
    *,
    calendar: str | None = None,
    units: Sequence[str] | None = None,
    stored_fields: set[str] | None = None,
) -> pd.DataFrame:
    """Judge every target of ``plan`` for every unit it covers in ``period`` (pure).

    ``indicators_df``: tidy ``unit_id, scope, period, indicator, numerator, denominator, value``
    over the windows the plan needs (``period`` = a period id or a window id ``first..last``;
    pooled groups as ``scope='level'`` rows of :func:`scorecard.evaluate.scope.pool_key`),
    optionally with a ``series`` column (see :attr:`Target.series`; rows without one are the
    default series). ``units_df``: ``unit_id, name, level, parent_id``. ``manual_df``:
    ``unit_id, period, indicator, value[, source]``. ``calendar`` (default the plan's) gives the
    windows. ``units`` keeps only the rows of those unit ids (pooled figures and tallies are
    still computed over the plan's whole scope). ``stored_fields``: the field codes of the
    store's procedures, for the note of a target whose fields match none (None: not checked).
    Returns :data:`COLUMNS`.
    """
    p = parse_period(period)
    cal = check_calendar(calendar or plan.calendar)
    check_units(units_df, units)
    ctx = _Ctx(plan, p, cal, UnitTree.of(plan, units_df), Lookup.of(indicators_df, manual_df),
               stored_fields)
    keyed = []
    for ti, t in enumerate(plan.targets):
        for (unit_rank, sub, extra), row in _target_rows(ctx, t):
            keyed.append(((unit_rank, ti, sub, extra), row))
    keyed.sort(key=lambda kr: kr[0])
    out = pd.DataFrame([row for _, row in keyed], columns=COLUMNS)
    if units is not None:
        out = out[out["unit_id"].isin(list(units))].reset_index(drop=True)
    for col in ("numerator", "denominator", "gap_cases", "units_met", "units_judged"):
        out[col] = out[col].astype("Int64")
    for col in ("value", "threshold"):
        out[col] = out[col].astype("float64")
    for col in ("window_first", "window_last"):
        out[col] = pd.Series([d if isinstance(d, date) else None for d in out[col]],
                             index=out.index, dtype="object")
    return out
