"""The store of ``scorecard demo``: made and marked by the demo, and the only store it deletes.

``scorecard demo`` rebuilds its store on every run. It deletes a file at ``--db`` only when that
file is a DuckDB store carrying the demo's mark (the table :data:`scorecard.store.DEMO_MARK_TABLE`,
written when the demo created the store). Anything else at the path (a store of real data, a
store made before the mark existed, a file that is no DuckDB store, a folder, a store locked by
another process) is left alone and the demo stops with a message saying why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import duckdb

from scorecard.clock import local_now
from scorecard.errors import ScorecardError
from scorecard.store import DEMO_MARK_DDL, DEMO_MARK_TABLE, open_writer

DemoStoreState = Literal["absent", "demo"]


class DemoStoreError(ScorecardError, RuntimeError):
    """The path of the demo store holds something the demo did not make; it was left alone."""


def check_demo_store(db: str | Path) -> DemoStoreState:
    """``absent`` (nothing at ``db``) or ``demo`` (a store the demo made, safe to delete);
    otherwise :class:`DemoStoreError` naming what is there."""
    path = Path(db)
    if not path.exists() and not path.is_symlink():
        return "absent"
    if path.is_symlink() or not path.is_file():
        raise DemoStoreError(f"{path} is not a regular file: left alone; choose another --db "
                             "for the demo")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise DemoStoreError(
            f"{path} cannot be opened as a DuckDB store ({str(exc).splitlines()[0]}): left "
            "alone; choose another --db for the demo") from None
    try:
        marked = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
            [DEMO_MARK_TABLE]).fetchone()[0]
    finally:
        con.close()
    if not marked:
        raise DemoStoreError(
            f"{path} was not made by `scorecard demo` (it has no {DEMO_MARK_TABLE} mark): left "
            "alone; choose another --db for the demo, or delete the file yourself if it is an "
            "old demo store")
    return "demo"


def remove_demo_store(db: str | Path) -> None:
    """Delete the demo store at ``db`` (and its write-ahead log) after
    :func:`check_demo_store` says it is one."""
    path = Path(db)
    if check_demo_store(path) == "demo":
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)


def create_demo_store(db: str | Path) -> Path:
    """Create an empty store at ``db`` carrying the demo's mark (nothing may be there)."""
    path = Path(db)
    if check_demo_store(path) != "absent":
        raise DemoStoreError(f"{path} already exists")
    con = open_writer(path)
    try:
        con.execute(DEMO_MARK_DDL)
        con.execute(f"INSERT INTO {DEMO_MARK_TABLE} VALUES (?, ?)",
                    [local_now(), "scorecard demo"])
    finally:
        con.close()
    return path
