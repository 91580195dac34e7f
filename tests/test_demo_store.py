"""`scorecard demo` deletes and rebuilds only a store it made itself."""

from __future__ import annotations

import pytest

from scorecard.cli import main
from scorecard.demo_store import (
    DemoStoreError,
    check_demo_store,
    create_demo_store,
    remove_demo_store,
)
from scorecard.store import open_writer


def _demo(tmp_path, db, capsys) -> tuple[int, str]:
    rc = main(["demo", "--db", str(db), "--data", str(tmp_path / "raw"), "--out",
               str(tmp_path / "reports"), "--cases", "1000", "--no-progress"])
    return rc, capsys.readouterr().err


def test_demo_store_is_marked_then_removed(tmp_path):
    db = tmp_path / "demo.duckdb"
    assert check_demo_store(db) == "absent"
    create_demo_store(db)
    assert check_demo_store(db) == "demo"
    with pytest.raises(DemoStoreError, match="already exists"):
        create_demo_store(db)
    remove_demo_store(db)
    assert not db.exists() and check_demo_store(db) == "absent"


def test_store_of_real_data_is_left_alone(tmp_path, capsys):
    db = tmp_path / "scorecard.duckdb"
    con = open_writer(db)
    con.execute("INSERT INTO units (unit_id, name, level) VALUES ('DEMO-P', 'Tỉnh', 'province')")
    con.close()
    before = db.read_bytes()
    rc, err = _demo(tmp_path, db, capsys)
    assert rc == 2
    assert err.strip() == (f"scorecard demo: {db} was not made by `scorecard demo` (it has no "
                           "demo_store mark): left alone; choose another --db for the demo, or "
                           "delete the file yourself if it is an old demo store")
    assert db.read_bytes() == before  # even though every unit id starts with DEMO-
    assert not (tmp_path / "raw").exists()  # stopped before generating anything


@pytest.mark.parametrize("content", [b"", b"unit_id,name\nP,Tinh\n", bytes(range(256)) * 64])
def test_foreign_file_is_left_alone(tmp_path, capsys, content):
    db = tmp_path / "demo.duckdb"
    db.write_bytes(content)
    rc, err = _demo(tmp_path, db, capsys)
    assert rc == 2
    assert err.startswith(f"scorecard demo: {db} cannot be opened as a DuckDB store (")
    assert err.rstrip().endswith("): left alone; choose another --db for the demo")
    assert db.read_bytes() == content


def test_folder_or_symlink_is_left_alone(tmp_path, capsys):
    folder = tmp_path / "demo.duckdb"
    folder.mkdir()
    rc, err = _demo(tmp_path, folder, capsys)
    assert rc == 2 and "is not a regular file: left alone" in err and folder.is_dir()
    target = tmp_path / "real.duckdb"
    create_demo_store(target)  # even a demo store, when reached through a link
    link = tmp_path / "link.duckdb"
    link.symlink_to(target)
    rc, err = _demo(tmp_path, link, capsys)
    assert rc == 2 and "is not a regular file: left alone" in err
    assert link.is_symlink() and check_demo_store(target) == "demo"
