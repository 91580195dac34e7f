"""Unit tree helpers: closure table, ancestors/descendants, level filter."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from scorecard import store
from scorecard.units import (
    UnitTreeError,
    ancestors,
    at_level,
    closure,
    descendants,
    load_units,
    units_with_children,
)

UNITS = pd.DataFrame(
    [("P", "Tỉnh", "province", None), ("S1", "Sở", "department", "P"),
     ("H1", "Huyện", "district", "P"), ("X1", "Xã 1", "commune", "H1"),
     ("X2", "Xã 2", "commune", "H1"), ("Z", "Xã lẻ", "commune", "GONE")],
    columns=["unit_id", "name", "level", "parent_id"],
)


def test_closure_pairs_and_depths() -> None:
    cl = closure(UNITS)
    pairs = {(a, d): n for a, d, n in cl.itertuples(index=False)}
    # 6 self pairs + P→S1, P→H1, H1→X1, H1→X2 (1) + P→X1, P→X2 (2) = 12
    assert len(pairs) == 12
    assert pairs[("P", "P")] == 0
    assert pairs[("H1", "X1")] == 1
    assert pairs[("P", "X2")] == 2
    assert ("S1", "X1") not in pairs
    assert ("GONE", "Z") not in pairs  # unknown parent: Z is a root


def test_descendants_ancestors() -> None:
    assert descendants(UNITS, "H1") == ["H1", "X1", "X2"]
    assert descendants(UNITS, "P", include_self=False) == ["H1", "S1", "X1", "X2"]
    assert ancestors(UNITS, "X1") == ["H1", "P"]
    assert ancestors(UNITS, "X1", include_self=True) == ["X1", "H1", "P"]
    assert ancestors(UNITS, "P") == []
    with pytest.raises(UnitTreeError, match="unknown unit"):
        descendants(UNITS, "NOPE")


def test_units_with_children_and_levels() -> None:
    assert units_with_children(UNITS) == {"P", "H1"}
    assert list(at_level(UNITS, "commune").unit_id) == ["X1", "X2", "Z"]
    assert list(at_level(UNITS, ["province", "district"]).unit_id) == ["P", "H1"]
    with pytest.raises(UnitTreeError, match="unknown level"):
        at_level(UNITS, "ward")


def test_cycle_is_an_error() -> None:
    cyc = pd.DataFrame([("A", "a", "commune", "B"), ("B", "b", "district", "A")],
                       columns=["unit_id", "name", "level", "parent_id"])
    with pytest.raises(UnitTreeError, match="cycle"):
        closure(cyc)


def test_load_units_from_store() -> None:
    con = duckdb.connect()
    store.create_schema(con)
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)",
                    list(UNITS.itertuples(index=False, name=None)))
    got = load_units(con)
    assert list(got.columns) == ["unit_id", "name", "level", "parent_id"]
    assert list(got.unit_id) == sorted(UNITS.unit_id)
    assert got.set_index("unit_id").parent_id["X1"] == "H1"
