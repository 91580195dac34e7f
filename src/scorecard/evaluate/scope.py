"""Which units a plan judges, the parents above them, and the level groups of its scope (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from scorecard.errors import ScorecardError
from scorecard.plans import Plan
from scorecard.store import LEVELS
from scorecard.units import descendants

LEVEL_RANK: dict[str, int] = {lv: i for i, lv in enumerate(LEVELS)}


class EvaluateError(ScorecardError, ValueError):
    """A request evaluate cannot serve (unknown unit, root_unit missing from the store)."""


def subtree_levels(units_df: pd.DataFrame) -> dict[str, set[str]]:
    """For every unit with children: the levels found below it (at any depth)."""
    level = dict(zip(units_df["unit_id"], units_df["level"], strict=True))
    parent_of = dict(zip(units_df["unit_id"], units_df["parent_id"], strict=True))
    out: dict[str, set[str]] = {}
    for uid in level:
        seen: set[str] = set()
        parent = parent_of.get(uid)
        while isinstance(parent, str) and parent not in seen:  # `seen` guards against cycles
            seen.add(parent)
            out.setdefault(parent, set()).add(level[uid])
            parent = parent_of.get(parent)
    return out


def check_units(units_df: pd.DataFrame, units: Sequence[str] | None) -> None:
    """Raise :class:`EvaluateError` naming the ids of ``units`` that are not in the store."""
    if units is None:
        return
    unknown = sorted(set(units) - set(units_df["unit_id"]))
    if unknown:
        raise EvaluateError(f"unknown unit {', '.join(unknown)}: not in the store's units")


def plan_units(plan: Plan, units_df: pd.DataFrame,
               units: Sequence[str] | None = None) -> pd.DataFrame:
    """The units a plan judges: its levels, under ``root_unit`` if set, in ``units`` if given,
    and the parents above them (their pooled figure is the headline); ordered by level
    (province → commune) then unit_id."""
    df = units_df
    if plan.root_unit:
        if plan.root_unit not in set(df["unit_id"]):
            raise EvaluateError(
                f"root_unit {plan.root_unit!r} of plan {plan.plan_id} is not a unit of the store"
            )
        df = df[df["unit_id"].isin(descendants(units_df, plan.root_unit))]
    check_units(units_df, units)
    if units is not None:
        df = df[df["unit_id"].isin(list(units))]
    in_levels = set(df.loc[df["level"].isin(plan.all_levels), "unit_id"])
    heads = {uid for uid, lvls in subtree_levels(units_df).items()
             if uid in set(df["unit_id"]) and lvls & set(plan.all_levels)}
    df = df[df["unit_id"].isin(in_levels | heads)]
    return (df.assign(_r=df["level"].map(LEVEL_RANK))
              .sort_values(["_r", "unit_id"]).drop(columns="_r").reset_index(drop=True))


def pool_key(head: str, level: str) -> str:
    """The id of the pooled group of ``level`` units under ``head`` in an indicator frame."""
    return f"level:{level}:{head}"


@dataclass
class UnitTree:
    """The store's units as a tree, with the plan's scope: who is whose child, which levels each
    subtree holds, and the level groups a ``level``/``share_of_units`` target pools."""

    units: pd.DataFrame
    scope: pd.DataFrame  # plan_units(plan, units): every unit the plan judges
    heads: list[str]     # units heading the plan's scope (root_unit, else the store's roots)
    children: dict[str, list[str]] = field(default_factory=dict)
    level_of: dict[str, str] = field(default_factory=dict)
    name_of: dict[str, str] = field(default_factory=dict)
    rank_of: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, plan: Plan, units_df: pd.DataFrame) -> UnitTree:
        scope = plan_units(plan, units_df)
        known = set(units_df["unit_id"])
        parent_of = {u: (p if isinstance(p, str) and p in known else None)
                     for u, p in zip(units_df["unit_id"], units_df["parent_id"], strict=True)}
        children: dict[str, list[str]] = {}
        for u, p in parent_of.items():
            if p is not None:
                children.setdefault(p, []).append(u)
        heads = [plan.root_unit] if plan.root_unit else sorted(
            u for u, p in parent_of.items() if p is None)
        return cls(
            units=units_df, scope=scope, heads=heads, children=children,
            level_of=dict(zip(units_df["unit_id"], units_df["level"], strict=True)),
            name_of=dict(zip(units_df["unit_id"], units_df["name"], strict=True)),
            rank_of={u: i for i, u in enumerate(scope["unit_id"])},
        )

    def is_parent(self, unit_id: str) -> bool:
        return bool(self.children.get(unit_id))

    def below(self, unit_id: str) -> list[str]:
        """Every descendant of ``unit_id`` (not itself), depth first."""
        out, stack, seen = [], list(self.children.get(unit_id, ())), {unit_id}
        while stack:
            u = stack.pop()
            if u in seen:
                continue
            seen.add(u)
            out.append(u)
            stack.extend(self.children.get(u, ()))
        return out

    def in_scope(self, unit_ids: list[str]) -> list[str]:
        """``unit_ids`` that the plan judges, in the plan's unit order."""
        return sorted((u for u in unit_ids if u in self.rank_of), key=self.rank_of.__getitem__)

    def level_groups(self, level: str) -> dict[str, list[str]]:
        """For every head with units of ``level`` in scope below (or at) it: those units."""
        out = {}
        for head in self.heads:
            members = [u for u in self.in_scope([head, *self.below(head)])
                       if self.level_of.get(u) == level]
            if members:
                out[head] = members
        return out
