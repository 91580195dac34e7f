"""Which store units a printed body stands for: the register's parties resolved on the unit tree.

Pure functions over a units frame (``unit_id, name, level, parent_id, roles``); ``roles`` holds role
codes separated by ``,`` or ``;`` (``units.roles``). The rules are those of
:class:`scorecard.tasks.register.Selector`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import duckdb
import pandas as pd

from scorecard.tasks.register import Register, Selector
from scorecard.units import descendants

#: Columns of the units frame these functions read.
UNIT_COLUMNS = ["unit_id", "name", "level", "parent_id", "roles"]

#: Columns of :func:`task_owners`.
OWNER_COLUMNS = ["task_id", "unit_id"]

UNITS_SQL = "SELECT unit_id, name, level, parent_id, roles FROM units ORDER BY unit_id"


def load_units_with_roles(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every unit of the store with its roles (``unit_id, name, level, parent_id, roles``)."""
    return con.execute(UNITS_SQL).df()


def role_codes(value: object) -> frozenset[str]:
    """The role codes of one ``units.roles`` cell ('van_phong_ubnd; trung_tam_hcc')."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return frozenset()
    return frozenset(p.strip() for p in re.split(r"[;,]", str(value)) if p.strip())


def scope_units(units: pd.DataFrame, root_unit: str | None) -> pd.DataFrame:
    """The units a plan covers: ``root_unit``'s subtree, or every unit when it is None."""
    if root_unit is None:
        return units.reset_index(drop=True)
    keep = set(descendants(units, root_unit))
    return units[units["unit_id"].isin(keep)].reset_index(drop=True)


def resolve(selectors: Iterable[Selector], scope: pd.DataFrame) -> list[str]:
    """Unit ids (sorted, unique) the selectors stand for among the ``scope`` units."""
    ids = scope["unit_id"].astype(str).tolist()
    level = dict(zip(ids, scope["level"], strict=True))
    parent = {u: (None if pd.isna(p) else str(p)) for u, p in zip(ids, scope["parent_id"],
                                                                  strict=True)}
    roles = {u: role_codes(r) for u, r in zip(ids, scope["roles"], strict=True)}
    out: set[str] = set()
    for sel in selectors:
        if sel.level is not None:
            out.update(u for u in ids if level[u] == sel.level)
        elif sel.of is None:
            out.update(u for u in ids if sel.role in roles[u])
        else:
            # a holder serves the `of`-level unit it is, or the one it sits directly under
            served: set[str] = set()
            for u in ids:
                if sel.role not in roles[u]:
                    continue
                for owner in (u, parent[u]):
                    if owner is not None and level.get(owner) == sel.of:
                        served.add(owner)
                        out.add(u)
                        break
            if sel.or_self:
                out.update(u for u in ids if level[u] == sel.of and u not in served)
    return sorted(out)


def task_owners(register: Register, scope: pd.DataFrame) -> pd.DataFrame:
    """``task_id, unit_id``: the units that lead each task (a task without a lead unit has none)."""
    cache: dict[str, list[str]] = {}
    rows = []
    for task in register.tasks:
        if not task.lead:
            continue
        if task.lead not in cache:
            cache[task.lead] = resolve(register.parties[task.lead], scope)
        rows += [(task.task_id, u) for u in cache[task.lead]]
    return pd.DataFrame(rows, columns=OWNER_COLUMNS)


def party_units(register: Register, printed: str, scope: pd.DataFrame) -> list[str]:
    """The units a printed lead or support stands for ([] for an empty cell)."""
    return resolve(register.parties.get(printed, []), scope) if printed else []
