"""The DuckDB store: DDL, connections, and the transactional primitives of a load.

One writer at a time (``open_writer``); every reader (notebooks, renders, inspectors) goes
through :func:`connect_readonly`, which turns a missing or locked store into a clear message.
Timestamps are stored as local wall-clock time in Asia/Ho_Chi_Minh (``TIMESTAMP``, no zone).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from scorecard.columns import (
    CHANNEL,
    LEVEL,
    ONLINE_SERVICE,
    RATING,
    SPECS,
    STATUS,
    Kind,
    duckdb_type,
    rule_columns,
)
from scorecard.config import DEFAULT_DB, WRITER_MEMORY_LIMIT
from scorecard.errors import ScorecardError

LEVELS = LEVEL.codes
ONLINE_SERVICES = ONLINE_SERVICE.codes
STATUSES = STATUS.codes
CHANNELS = CHANNEL.codes
RATINGS = RATING.codes


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _literal(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else str(value)


def _column_sql(kind: Kind, name: str) -> str:
    col = kind.column(name)
    parts = [f"{col.name:<24} {duckdb_type(col)}"]
    if kind.indexed_key and kind.key == (col.name,):
        parts.append("PRIMARY KEY")
    elif not col.is_nullable or col.name in kind.key:
        parts.append("NOT NULL")
    if col.empty is not None:
        parts.append(f"DEFAULT {_literal(col.empty)}")
    if col.enum is not None:
        parts.append(f"CHECK ({col.name} IN ({_in(col.enum.codes)}))")
    if col.min is not None:
        parts.append(f"CHECK ({col.name} >= {col.min:g})")
    return " ".join(parts)


def ddl(kind: Kind) -> str:
    """``CREATE TABLE IF NOT EXISTS`` of a kind's table, derived from its declaration: stored
    columns in declaration order, NOT NULL, DEFAULT, enum and minimum CHECKs, the row rules whose
    columns are all stored, and the PRIMARY KEY when the key is indexed (see Kind.indexed_key)."""
    stored = {c.name for c in kind.stored_columns}
    lines = [_column_sql(kind, c.name) for c in kind.stored_columns]
    if kind.indexed_key and len(kind.key) > 1:
        lines.append(f"PRIMARY KEY ({', '.join(kind.key)})")
    elif not kind.indexed_key:
        lines.append(f"-- key ({', '.join(kind.key)}): unique, kept so by the loader (no index)")
    for rule in kind.rules:
        if all(c in stored for c in rule_columns(kind, rule.sql)):
            lines.append(f"CHECK ({rule.sql})")
    body = ",\n    ".join(line for line in lines if not line.startswith("--"))
    comment = "".join(f"\n    {line}" for line in lines if line.startswith("--"))
    return f"CREATE TABLE IF NOT EXISTS {kind.name} ({comment}\n    {body}\n)"


#: Kinds of input, in the order a batch loads them (referenced tables first).
KINDS: tuple[str, ...] = tuple(SPECS)

#: Primary key of each data table (used for replace-on-reload).
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {k: s.key for k, s in SPECS.items()}

#: The DDL of each data table, as derived when this module was imported (create_schema derives
#: it again, so a declaration added later is seen).
DDL: dict[str, str] = {k: ddl(s) for k, s in SPECS.items()}


def migrations(kind: Kind, present: set[str]) -> list[str]:
    """``ALTER TABLE … ADD COLUMN`` for the declared columns an older store lacks: columns added
    after the first release are nullable (or have a default), so old rows read as unknown."""
    out = []
    for col in kind.stored_columns:
        if col.name in present:
            continue
        default = f" DEFAULT {_literal(col.empty)}" if col.empty is not None else ""
        out.append(f"ALTER TABLE {kind.name} ADD COLUMN IF NOT EXISTS {col.name} "
                   f"{duckdb_type(col)}{default}")
    return out


BOOKKEEPING_DDL = (
    "CREATE SEQUENCE IF NOT EXISTS load_id_seq START 1",
    """
    CREATE TABLE IF NOT EXISTS load_log (
        load_id         BIGINT PRIMARY KEY,
        file            VARCHAR NOT NULL,
        kind            VARCHAR NOT NULL,
        content_hash    VARCHAR NOT NULL,
        loaded_at       TIMESTAMP NOT NULL,
        rows_read       BIGINT NOT NULL,
        rows_accepted   BIGINT NOT NULL,
        rows_rejected   BIGINT NOT NULL,
        dropped_columns VARCHAR,
        CHECK (rows_read = rows_accepted + rows_rejected)
    )""",
    """
    CREATE TABLE IF NOT EXISTS rejects (
        load_id     BIGINT NOT NULL,
        file        VARCHAR NOT NULL,
        row_number  BIGINT NOT NULL,
        column_name VARCHAR,
        value       VARCHAR,
        reason      VARCHAR NOT NULL,
        record_key  VARCHAR,         -- the rejected record's primary key, when readable
        unit_id     VARCHAR          -- the unit the rejected record names, when readable
    )""",
    """
    CREATE TABLE IF NOT EXISTS late_list_log (  -- each monthly late list produced (late_list/)
        month          VARCHAR NOT NULL,   -- YYYY-MM
        calendar       VARCHAR NOT NULL,
        issuer_unit_id VARCHAR,            -- the unit whose list it is (plan root or store root)
        plan_id        VARCHAR,
        generated_at   TIMESTAMP NOT NULL,
        data_snapshot  VARCHAR,
        units_listed   INTEGER NOT NULL,
        cases_late     BIGINT NOT NULL,
        xlsx_file      VARCHAR,
        html_file      VARCHAR
    )""",
    # stores made before these columns existed get them when next opened for writing
    "ALTER TABLE rejects ADD COLUMN IF NOT EXISTS record_key VARCHAR",
    "ALTER TABLE rejects ADD COLUMN IF NOT EXISTS unit_id VARCHAR",
)


class StoreError(ScorecardError, RuntimeError):
    """The store is missing, locked by a writer, or otherwise unusable. The message says which."""


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table (idempotent); tables of an older store gain the columns declared since."""
    for kind in SPECS.values():
        con.execute(ddl(kind))
    present: dict[str, set[str]] = {}
    for table, column in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main'").fetchall():
        present.setdefault(table, set()).add(column)
    for kind in SPECS.values():
        for stmt in migrations(kind, present.get(kind.name, set())):
            con.execute(stmt)
    for stmt in BOOKKEEPING_DDL:
        con.execute(stmt)


def drop_key_indexes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Rebuild, once, the large tables that an older store keyed by a PRIMARY KEY index (see
    ``Kind.indexed_key``: appending to an index of tens of millions of keys costs more than the
    load, and the loader keeps those keys unique). Rows are kept; returns the tables rebuilt."""
    rebuilt = []
    for kind in SPECS.values():
        if kind.indexed_key:
            continue
        keyed = con.execute(
            "SELECT count(*) FROM duckdb_constraints() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = ? AND constraint_type = 'PRIMARY KEY'",
            [kind.name]).fetchone()
        if not keyed or not keyed[0]:
            continue
        old = f"{kind.name}__keyed"
        present = [r[0] for r in con.execute(f"DESCRIBE {kind.name}").fetchall()]
        common = ", ".join(c.name for c in kind.stored_columns if c.name in present)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"ALTER TABLE {kind.name} RENAME TO {old}")
            con.execute(ddl(kind))
            con.execute(f"INSERT INTO {kind.name} ({common}) SELECT {common} FROM {old}")
            con.execute(f"DROP TABLE {old}")
            con.execute("COMMIT")
        except duckdb.Error:
            con.execute("ROLLBACK")
            raise
        rebuilt.append(kind.name)
    return rebuilt


def open_writer(db: str | Path = DEFAULT_DB) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the store for writing; the schema is ensured."""
    path = Path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path))
    except duckdb.IOException as exc:
        raise StoreError(_lock_message(path, exc)) from exc
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = '{WRITER_MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = false")
    # what a load spills beyond the memory limit goes beside the store; a killed load's files
    # are removed here (we hold the write lock, so no other load uses them), as are the
    # staging files of earlier versions
    spill = spill_directory(path)
    if spill.is_dir():
        shutil.rmtree(spill, ignore_errors=True)
    for stale in path.parent.glob(f".{path.name}.stage-*"):
        stale.unlink(missing_ok=True)
    con.execute(f"SET temp_directory = '{str(spill).replace(chr(39), chr(39) * 2)}'")
    create_schema(con)
    drop_key_indexes(con)
    return con


def spill_directory(db: Path) -> Path:
    """Where a load of the store ``db`` spills what does not fit in memory."""
    return db.parent / f".{db.name}.tmp"


def connect_readonly(db: str | Path = DEFAULT_DB) -> duckdb.DuckDBPyConnection:
    """Open the store read-only: the one way readers reach it."""
    path = Path(db)
    if not path.exists():
        from scorecard.paths import missing_store_message  # build it, or fix the path

        raise StoreError(missing_store_message(path))
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        raise StoreError(_lock_message(path, exc)) from exc


@contextmanager
def reading(db: str | Path = DEFAULT_DB) -> Iterator[duckdb.DuckDBPyConnection]:
    """``with reading(db) as con:`` read-only connection closed afterwards."""
    con = connect_readonly(db)
    try:
        yield con
    finally:
        con.close()


def _lock_message(path: Path, exc: Exception) -> str:
    text = str(exc)
    if "lock" in text.lower():
        return (
            f"store {path} is locked by another process (a load is probably running); "
            f"try again when it has finished. ({text.splitlines()[0]})"
        )
    return f"cannot open store {path}: {text.splitlines()[0]}"


def table_columns(kind: str) -> list[str]:
    """Stored columns of a data table, in declaration order."""
    return [c.name for c in SPECS[kind].stored_columns]


def snapshot_id(con: duckdb.DuckDBPyConnection) -> str:
    """A short id of the data in the store: the newest load and the count of loads."""
    row = con.execute(
        "SELECT count(*), max(load_id), max(loaded_at) FROM load_log"
    ).fetchone()
    n, last, at = row if row else (0, None, None)
    if not n:
        return "empty"
    return f"load {last} ({at:%d/%m/%Y %H:%M})"


#: The mark of a store made by ``scorecard demo``: only a store holding this table is ever
#: deleted and rebuilt by the demo (see :mod:`scorecard.demo_store`). Not part of the schema.
DEMO_MARK_TABLE = "demo_store"
DEMO_MARK_DDL = f"""
    CREATE TABLE IF NOT EXISTS {DEMO_MARK_TABLE} (
        created_at TIMESTAMP NOT NULL,
        created_by VARCHAR NOT NULL
    )"""
