"""The DuckDB store: DDL, connections, and the transactional primitives of a load.

One writer at a time (``open_writer``); every reader (notebooks, renders, inspectors) goes
through :func:`connect_readonly`, which turns a missing or locked store into a clear message.
Timestamps are stored as local wall-clock time in Asia/Ho_Chi_Minh (``TIMESTAMP``, no zone).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from scorecard.config import DEFAULT_DB, WRITER_MEMORY_LIMIT
from scorecard.errors import ScorecardError

LEVELS = ("province", "department", "district", "commune")
ONLINE_SERVICES = ("full", "partial", "none")
STATUSES = ("pending", "resolved", "withdrawn", "refused")
CHANNELS = ("online", "direct", "postal")
RATINGS = ("very_satisfied", "satisfied", "dissatisfied")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


#: Kinds of input, in the order a batch loads them (referenced tables first).
KINDS: tuple[str, ...] = (
    "units",
    "procedures",
    "unit_procedures",
    "cases",
    "case_supplements",
    "feedback",
    "form06",
    "manual",
    "task_status",
)

#: Primary key of each data table (used for replace-on-reload).
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "units": ("unit_id",),
    "procedures": ("procedure_id",),
    "unit_procedures": ("unit_id", "procedure_id"),
    "cases": ("case_id",),
    "feedback": ("feedback_id",),
    "form06": ("unit_id", "period"),
    "manual": ("unit_id", "period", "indicator"),
    "case_supplements": ("case_id", "seq"),
    "task_status": ("plan_id", "task_id", "unit_id", "occurrence"),
}

DDL: dict[str, str] = {
    "units": f"""
        CREATE TABLE IF NOT EXISTS units (
            unit_id   VARCHAR PRIMARY KEY,
            name      VARCHAR NOT NULL,
            level     VARCHAR NOT NULL CHECK (level IN ({_in(LEVELS)})),
            parent_id VARCHAR CHECK (parent_id IS NULL OR parent_id <> unit_id),
            roles     VARCHAR
        )""",
    "procedures": f"""
        CREATE TABLE IF NOT EXISTS procedures (
            procedure_id         VARCHAR PRIMARY KEY,
            name                 VARCHAR NOT NULL,
            field                VARCHAR NOT NULL,
            online_service       VARCHAR NOT NULL CHECK (online_service IN ({_in(ONLINE_SERVICES)})),
            has_fee              BOOLEAN NOT NULL,
            payment_integrated   BOOLEAN NOT NULL,
            at_one_stop          BOOLEAN NOT NULL,
            four_on_spot         BOOLEAN NOT NULL,
            has_sample_dossier   BOOLEAN NOT NULL,
            e_process_configured BOOLEAN NOT NULL,
            statutory_days       DOUBLE CHECK (statutory_days IS NULL OR statutory_days >= 0),
            citizen_data_connected BOOLEAN
        )""",
    "unit_procedures": """
        CREATE TABLE IF NOT EXISTS unit_procedures (
            unit_id      VARCHAR NOT NULL,
            procedure_id VARCHAR NOT NULL,
            PRIMARY KEY (unit_id, procedure_id)
        )""",
    "cases": f"""
        CREATE TABLE IF NOT EXISTS cases (
            case_id             VARCHAR PRIMARY KEY,
            unit_id             VARCHAR NOT NULL,
            procedure_id        VARCHAR NOT NULL,
            received_at         TIMESTAMP NOT NULL,
            due_at              TIMESTAMP NOT NULL,
            resolved_at         TIMESTAMP,
            status              VARCHAR NOT NULL CHECK (status IN ({_in(STATUSES)})),
            channel             VARCHAR NOT NULL CHECK (channel IN ({_in(CHANNELS)})),
            supplement_requests INTEGER NOT NULL DEFAULT 0 CHECK (supplement_requests >= 0),
            digitized           BOOLEAN,
            e_result            BOOLEAN,
            reused_data         BOOLEAN,
            fee_required        BOOLEAN,
            paid_online         BOOLEAN,
            apology_issued      BOOLEAN,
            rating              VARCHAR CHECK (rating IS NULL OR rating IN ({_in(RATINGS)})),
            supplement_requested_at TIMESTAMP,
            applicant_key       VARCHAR,
            citizen_data_used   BOOLEAN,
            personal_storage_synced BOOLEAN,
            CHECK (due_at >= received_at),
            CHECK (resolved_at IS NULL OR resolved_at >= received_at),
            CHECK ((status = 'pending') = (resolved_at IS NULL))
        )""",
    "feedback": """
        CREATE TABLE IF NOT EXISTS feedback (
            feedback_id VARCHAR PRIMARY KEY,
            unit_id     VARCHAR NOT NULL,
            received_at TIMESTAMP NOT NULL,
            due_at      TIMESTAMP NOT NULL,
            resolved_at TIMESTAMP,
            satisfied   BOOLEAN,
            CHECK (due_at >= received_at),
            CHECK (resolved_at IS NULL OR resolved_at >= received_at)
        )""",
    "form06": """
        CREATE TABLE IF NOT EXISTS form06 (
            unit_id                VARCHAR NOT NULL,
            period                 VARCHAR NOT NULL,
            period_start           DATE,
            period_end             DATE,
            received_online        BIGINT NOT NULL CHECK (received_online >= 0),
            received_direct_postal BIGINT NOT NULL CHECK (received_direct_postal >= 0),
            carried_over           BIGINT NOT NULL CHECK (carried_over >= 0),
            resolved_early         BIGINT NOT NULL CHECK (resolved_early >= 0),
            resolved_on_time       BIGINT NOT NULL CHECK (resolved_on_time >= 0),
            resolved_late          BIGINT NOT NULL CHECK (resolved_late >= 0),
            pending_in_time        BIGINT NOT NULL CHECK (pending_in_time >= 0),
            pending_overdue        BIGINT NOT NULL CHECK (pending_overdue >= 0),
            PRIMARY KEY (unit_id, period),
            CHECK (period_start IS NULL OR period_end IS NULL OR period_end >= period_start)
        )""",
    "manual": """
        CREATE TABLE IF NOT EXISTS manual (
            unit_id   VARCHAR NOT NULL,
            period    VARCHAR NOT NULL,
            indicator VARCHAR NOT NULL,
            value     DOUBLE NOT NULL,
            source    VARCHAR,
            PRIMARY KEY (unit_id, period, indicator)
        )""",
    "case_supplements": """
        CREATE TABLE IF NOT EXISTS case_supplements (
            case_id      VARCHAR NOT NULL,
            seq          INTEGER NOT NULL CHECK (seq >= 1),
            requested_at TIMESTAMP NOT NULL,
            returned_at  TIMESTAMP,
            due_before   TIMESTAMP,
            due_after    TIMESTAMP,
            PRIMARY KEY (case_id, seq),
            CHECK (returned_at IS NULL OR returned_at >= requested_at)
        )""",
    "task_status": """
        CREATE TABLE IF NOT EXISTS task_status (
            plan_id    VARCHAR NOT NULL,
            task_id    VARCHAR NOT NULL,
            unit_id    VARCHAR NOT NULL,
            occurrence VARCHAR NOT NULL DEFAULT '',
            done_on    DATE,
            document   VARCHAR,
            note       VARCHAR,
            PRIMARY KEY (plan_id, task_id, unit_id, occurrence)
        )""",
}

#: Columns added after the first release: stores made before them gain them (NULL) when next
#: opened for writing.
MIGRATIONS: tuple[str, ...] = (
    "ALTER TABLE units ADD COLUMN IF NOT EXISTS roles VARCHAR",
    "ALTER TABLE procedures ADD COLUMN IF NOT EXISTS statutory_days DOUBLE",
    "ALTER TABLE procedures ADD COLUMN IF NOT EXISTS citizen_data_connected BOOLEAN",
    "ALTER TABLE cases ADD COLUMN IF NOT EXISTS supplement_requested_at TIMESTAMP",
    "ALTER TABLE cases ADD COLUMN IF NOT EXISTS applicant_key VARCHAR",
    "ALTER TABLE cases ADD COLUMN IF NOT EXISTS citizen_data_used BOOLEAN",
    "ALTER TABLE cases ADD COLUMN IF NOT EXISTS personal_storage_synced BOOLEAN",
)

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
    """Create every table (idempotent)."""
    for kind in KINDS:
        con.execute(DDL[kind])
    for stmt in (*MIGRATIONS, *BOOKKEEPING_DDL):
        con.execute(stmt)


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
    create_schema(con)
    return con


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
    """Columns of a data table, in DDL order."""
    con = duckdb.connect()
    try:
        con.execute(DDL[kind])
        return [r[0] for r in con.execute(f"DESCRIBE {kind}").fetchall()]
    finally:
        con.close()


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
