"""The unit tree: load units, the ancestor/descendant closure table, level filters.

Units form a forest through ``units.parent_id`` (province → departments/districts → communes).
The closure table lists every (ancestor, descendant) pair including each unit with itself at
depth 0, which is what "tree" scope aggregates join on. Pure helpers apart from :func:`load_units`.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from scorecard.errors import ScorecardError
from scorecard.store import LEVELS

CLOSURE_COLUMNS = ["ancestor_id", "descendant_id", "depth"]


class UnitTreeError(ScorecardError, ValueError):
    """The unit tree is inconsistent (a cycle in parent_id) or a unit/level is unknown."""


def load_units(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All units of the store: ``unit_id, name, level, parent_id`` sorted by unit_id."""
    return con.execute(
        "SELECT unit_id, name, level, parent_id FROM units ORDER BY unit_id"
    ).df()


def closure(units: pd.DataFrame) -> pd.DataFrame:
    """Closure table ``ancestor_id, descendant_id, depth`` of the forest in ``units``.

    Every unit appears as its own ancestor at depth 0. A parent_id that is not a known unit is
    treated as a root (the unit has no known ancestors). Raises :class:`UnitTreeError` on a cycle.
    """
    parent = {
        str(u): (None if pd.isna(p) else str(p))
        for u, p in zip(units["unit_id"], units["parent_id"], strict=True)
    }
    rows: list[tuple[str, str, int]] = []
    for unit in parent:
        seen = {unit}
        rows.append((unit, unit, 0))
        node, depth = parent[unit], 1
        while node is not None and node in parent:
            if node in seen:
                raise UnitTreeError(f"cycle in the unit tree through {node!r}")
            seen.add(node)
            rows.append((node, unit, depth))
            node, depth = parent[node], depth + 1
    return pd.DataFrame(rows, columns=CLOSURE_COLUMNS)


def descendants(units: pd.DataFrame, unit_id: str, *, include_self: bool = True) -> list[str]:
    """Ids of ``unit_id``'s descendants (and itself unless ``include_self`` is False), sorted."""
    _check_unit(units, unit_id)
    cl = closure(units)
    sel = cl[cl["ancestor_id"] == unit_id]
    if not include_self:
        sel = sel[sel["depth"] > 0]
    return sorted(sel["descendant_id"])


def ancestors(units: pd.DataFrame, unit_id: str, *, include_self: bool = False) -> list[str]:
    """Ids of ``unit_id``'s ancestors, nearest first (itself first when ``include_self``)."""
    _check_unit(units, unit_id)
    cl = closure(units)
    sel = cl[cl["descendant_id"] == unit_id].sort_values("depth")
    if not include_self:
        sel = sel[sel["depth"] > 0]
    return list(sel["ancestor_id"])


def units_with_children(units: pd.DataFrame) -> set[str]:
    """Ids of units that are the parent of at least one unit."""
    known = set(units["unit_id"].astype(str))
    return {str(p) for p in units["parent_id"].dropna() if str(p) in known}


def at_level(units: pd.DataFrame, level: str | Iterable[str]) -> pd.DataFrame:
    """The units of one level (or of several levels); unknown level → :class:`UnitTreeError`."""
    levels = [level] if isinstance(level, str) else list(level)
    for lv in levels:
        if lv not in LEVELS:
            raise UnitTreeError(f"unknown level {lv!r}: use one of {', '.join(LEVELS)}")
    return units[units["level"].isin(levels)].reset_index(drop=True)


def _check_unit(units: pd.DataFrame, unit_id: str) -> None:
    if unit_id not in set(units["unit_id"]):
        raise UnitTreeError(f"unknown unit {unit_id!r}")
