"""A Biểu 06 workbook written by `scorecard form06` loads back through `scorecard ingest`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from scorecard.cli import main


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("f06")
    out, db = root / "demo", root / "demo.duckdb"
    assert main(["demo-data", "--out", str(out), "--cases", "3000"]) == 0
    assert main(["ingest", *map(str, sorted(out.iterdir())), "--db", str(db)]) == 0
    return root, db


def _fresh_store_with_units(root: Path, name: str) -> Path:
    db = root / f"{name}.duckdb"
    assert main(["ingest", str(root / "demo" / "units.csv"), "--db", str(db)]) == 0
    return db


def test_form_by_unit_round_trips_leaf_lines_and_rejects_tree_lines(demo_store, capsys) -> None:
    root, db = demo_store
    xlsx = root / "bieu06_h01.xlsx"
    assert main(["form06", "--period", "2025Q1", "--unit", "DEMO-H01", "--by", "unit",
                 "--out", str(xlsx), "--db", str(db)]) == 0
    target = _fresh_store_with_units(root, "by_unit")
    assert main(["ingest", str(xlsx), "--kind", "form06", "--db", str(target)]) == 0
    con = duckdb.connect(str(target), read_only=True)
    try:
        loaded = con.execute("SELECT unit_id, received_online + received_direct_postal, "
                             "resolved_early + resolved_on_time + resolved_late FROM form06 "
                             "ORDER BY unit_id").fetchall()
        log = con.execute("SELECT rows_read, rows_accepted, rows_rejected FROM load_log "
                          "WHERE kind = 'form06'").fetchone()
    finally:
        con.close()
    # the district's own line and one line per commune (communes have no children)
    assert log[0] == log[1] + log[2] and log[2] == 0
    assert loaded[0][0] == "DEMO-H01" and all(u.startswith("DEMO-X01") for u, *_ in loaded[1:])
    # the same numbers the indicators give for each commune's own cases (nd09 window)
    src = duckdb.connect(str(db), read_only=True)
    try:
        from scorecard.indicators import compute_indicators

        ind = compute_indicators(src, ["2025Q1"], "nd09", scopes=("own",))
    finally:
        src.close()
    want = ind.set_index(["unit_id", "indicator"])["numerator"]
    for unit, received, resolved in loaded:
        assert received == want[(unit, "received")], unit
        assert resolved == want[(unit, "resolved")], unit


def test_form_by_field_of_a_parent_is_rejected_not_double_counted(demo_store, capsys) -> None:
    root, db = demo_store
    xlsx = root / "bieu06_h01_field.xlsx"
    assert main(["form06", "--period", "2025Q1", "--unit", "DEMO-H01", "--out", str(xlsx),
                 "--db", str(db)]) == 0
    target = _fresh_store_with_units(root, "by_field")
    capsys.readouterr()
    assert main(["ingest", str(xlsx), "--kind", "form06", "--db", str(target)]) == 0
    assert "rejected 1" in capsys.readouterr().out
    con = duckdb.connect(str(target), read_only=True)
    try:
        (reason,) = con.execute("SELECT reason FROM rejects").fetchone()
        n = con.execute("SELECT count(*) FROM form06").fetchone()[0]
    finally:
        con.close()
    assert "whole tree" in reason and n == 0
