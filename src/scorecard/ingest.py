"""Loading files into the store: read → validate → stage → one transaction per file.

Guarantees (issue 2):
- all valid rows of a file or nothing: each file is one transaction, so a failed or killed load
  leaves the store as it was (DuckDB's write-ahead log discards an uncommitted transaction);
- nothing is lost: every rejected row lands in ``rejects`` (file, row, column, value, reason), one
  line per bad row, and ``load_log`` records rows_read = rows_accepted + rows_rejected;
- loading the same bytes twice changes nothing (content hash), and a corrected file for the same
  keys replaces the old rows (``INSERT OR REPLACE`` on the primary key).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

import duckdb
import pandas as pd
import pandera.pandas as pandera
import pyarrow as pa
import pyarrow.parquet as pq

from scorecard import readers, schemas
from scorecard.config import CHUNK_ROWS, DEFAULT_DB
from scorecard.store import KINDS, PRIMARY_KEYS, open_writer, table_columns

DATA_SUFFIXES = readers.SUFFIXES


@dataclass
class LoadReport:
    """What happened to one file."""

    file: Path
    kind: str | None
    status: str  # loaded | unchanged | failed | skipped
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    dropped_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)
    load_id: int | None = None
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@dataclass
class _Rejects:
    """Reasons per bad row, merged into one line per row when written."""

    by_row: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)
    keys: dict[int, str] = field(default_factory=dict)  # row -> the record's primary key
    units: dict[int, str] = field(default_factory=dict)  # row -> the record's unit, if readable

    def add(self, row: int, column: str, value: str, reason: str) -> None:
        items = self.by_row.setdefault(int(row), [])
        if any(c == column for c, _, _ in items) and column:
            return  # one reason per cell is enough (a parse error explains the later nulls)
        items.append((column, value, reason))

    def rows(self) -> set[int]:
        return set(self.by_row)

    def frame(self, file: str, load_id: int) -> pd.DataFrame:
        recs = []
        for row in sorted(self.by_row):
            items = self.by_row[row]
            recs.append({
                "load_id": load_id,
                "file": file,
                "row_number": row,
                "column_name": ", ".join(c for c, _, _ in items if c) or None,
                "value": " | ".join(v for _, v, _ in items) or None,
                "reason": "; ".join(dict.fromkeys(r for _, _, r in items)),
                "record_key": self.keys.get(row),
                "unit_id": self.units.get(row),
            })
        return pd.DataFrame.from_records(
            recs, columns=["load_id", "file", "row_number", "column_name", "value", "reason",
                           "record_key", "unit_id"])

    def note_keys(self, frame: pd.DataFrame, key_columns: tuple[str, ...]) -> None:
        """Remember the primary key and the unit of the rejected rows in ``frame`` (for people
        to find them, and for each unit's report to list its own rejected rows)."""
        bad = frame[~frame["_row"].isin(self.keys)]
        for rec in bad[[*key_columns, "_row"]].itertuples(index=False):
            *vals, row = rec
            self.keys[int(row)] = " | ".join("" if pd.isna(v) else str(v) for v in vals)
        if "unit_id" in bad.columns:
            for unit, row in zip(bad["unit_id"], bad["_row"], strict=True):
                if isinstance(unit, str) and unit:
                    self.units[int(row)] = unit


ChunkCallback = Callable[[str, int], None]


# ---------------------------------------------------------------- public API
def ingest_files(
    paths: Iterable[str | Path],
    db: str | Path = DEFAULT_DB,
    kind: str | None = None,
    *,
    chunk_rows: int = CHUNK_ROWS,
    on_chunk: ChunkCallback | None = None,
) -> list[LoadReport]:
    """Load files into the store, referenced kinds first (units before cases).

    ``on_chunk(file, rows_so_far)`` is called after each staged chunk (progress reporting).
    """
    if kind is not None and kind not in KINDS:
        raise readers.ReadError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    planned: list[tuple[int, Path, str | None, str | None]] = []
    reports: list[LoadReport] = []
    for p in _expand(paths):
        if p.suffix.lower() not in DATA_SUFFIXES:
            reports.append(LoadReport(p, None, "skipped",
                                      error=f"not a data file ({p.suffix or 'no extension'})"))
            continue
        k, err = _guess_kind(p, kind)
        order = KINDS.index(k) if k in KINDS else len(KINDS)
        planned.append((order, p, k, err))
    planned.sort(key=lambda t: (t[0], str(t[1])))
    con = open_writer(db)
    try:
        lost: str | None = None
        for _, p, k, err in planned:
            if lost is not None:
                reports.append(LoadReport(p, k, "failed", error=f"not attempted: {lost}"))
                continue
            if err is not None:
                reports.append(LoadReport(p, k, "failed", error=err))
                continue
            assert k is not None
            try:
                reports.append(load_file(con, p, k, chunk_rows=chunk_rows, on_chunk=on_chunk))
            except StoreConnectionLost as exc:
                exc.report.error = (f"{exc.report.error} — nothing of it was stored; if the "
                                    f"store ran out of memory, raise SCORECARD_DB_MEMORY")
                reports.append(exc.report)
                lost = f"the store connection was lost while loading {p.name}"
    finally:
        con.close()
    return reports


def load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str,
    *,
    chunk_rows: int = CHUNK_ROWS,
    on_chunk: ChunkCallback | None = None,
) -> LoadReport:
    """Load one file in one transaction; never raises for bad data, reports instead."""
    report = LoadReport(path, kind, "loaded")
    try:
        digest = readers.file_hash(path)
    except OSError as exc:
        report.status, report.error = "failed", f"{path}: cannot read: {exc.strerror or exc}"
        return report
    prior = con.execute(
        "SELECT load_id, rows_read, rows_accepted, rows_rejected FROM load_log "
        "WHERE content_hash = ? AND kind = ? ORDER BY load_id DESC LIMIT 1",
        [digest, kind],
    ).fetchone()
    if prior:
        report.status = "unchanged"
        report.load_id, report.rows_read, report.rows_accepted, report.rows_rejected = prior
        return report
    try:
        lay, chunks = _open_chunks(con, path, kind, chunk_rows)
    except readers.ReadError as exc:
        report.status, report.error = "failed", str(exc)
        return report
    report.dropped_columns, report.ignored_columns = lay.dropped_pii, lay.ignored
    con.execute("BEGIN TRANSACTION")
    try:
        _load_in_transaction(con, path, kind, chunks, digest, report, on_chunk)
        con.execute("COMMIT")
    except Exception as exc:
        report.status = "failed"
        report.error = f"{path.name}: {exc}".splitlines()[0]
        report.rows_accepted = report.rows_rejected = 0
        try:
            con.execute("ROLLBACK")
        except duckdb.Error as lost:
            # DuckDB invalidates a connection after a fatal error (e.g. out of memory while
            # committing): nothing of this file was committed, but the batch cannot go on
            raise StoreConnectionLost(report) from lost
    return report


class StoreConnectionLost(RuntimeError):
    """The store connection died mid-batch; carries the report of the file that failed."""

    def __init__(self, report: LoadReport) -> None:
        super().__init__(report.error)
        self.report = report


# ---------------------------------------------------------------- internals
def _expand(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.iterdir() if q.is_file()))
        else:
            out.append(p)
    return out


def _guess_kind(path: Path, kind: str | None) -> tuple[str | None, str | None]:
    if kind:
        return kind, None
    k = readers.kind_from_name(path)
    if k:
        return k, None
    try:
        headers, _ = readers.raw_source(path, 16)
    except readers.ReadError as exc:
        return None, str(exc)
    k = readers.kind_from_headers([str(h) for h in headers])
    if k is None:
        return None, (f"{path.name}: cannot tell what kind of data this is from its name or "
                      f"headers; pass --kind ({', '.join(KINDS)})")
    return k, None


def _open_chunks(con: duckdb.DuckDBPyConnection, path: Path, kind: str, chunk_rows: int):  # type: ignore[no-untyped-def]
    """Typed chunks; a Biểu 06 workbook in the official layout goes through forms.form06.

    The form06 table holds a unit's own cases (what facts use for units without case data). A
    form whose line reports a unit's whole tree (a by-field form of a unit that has children in
    the store) would count the children twice, so such lines are rejected with that reason."""
    try:
        return readers.read_chunks(path, kind, chunk_rows)
    except readers.ReadError:
        if kind != "form06" or path.suffix.lower() != ".xlsx":
            raise
    from scorecard.forms.form06 import read_form06_workbook

    names = dict(con.execute("SELECT name, unit_id FROM units").fetchall())
    parents = {r[0] for r in con.execute(
        "SELECT DISTINCT parent_id FROM units WHERE parent_id IS NOT NULL").fetchall()}
    try:
        frame = read_form06_workbook(path, unit_names=names)
    except Exception as exc:
        raise readers.ReadError(f"{path.name}: {exc}") from exc
    scopes = frame.attrs.get("scopes", {})
    rows = frame.pop("_row").to_numpy()
    lay = readers.layout(list(frame.columns), kind, path)
    chunk = readers.parse_chunk(frame, lay, rows)
    for unit_id, row in zip(chunk.frame["unit_id"], chunk.frame["_row"], strict=True):
        if scopes.get(unit_id) == "tree" and unit_id in parents:
            chunk.issues.append(readers.ParseIssue(
                int(row), "unit_id", str(unit_id),
                "this line reports the unit's whole tree (children included); form06 rows hold "
                "a unit's own cases: submit the form by unit instead"))
    return lay, iter([chunk])


def _known_keys(con: duckdb.DuckDBPyConnection, kind: str) -> dict[str, set[str]]:
    targets = set(schemas.REFERENCES.get(kind, {}).values()) - {kind}
    out: dict[str, set[str]] = {}
    for t in targets:
        key = PRIMARY_KEYS[t][0]
        out[t] = {r[0] for r in con.execute(f"SELECT {key} FROM {t}").fetchall()}
    return out


def _load_in_transaction(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str,
    chunks: Iterable[readers.Chunk],
    digest: str,
    report: LoadReport,
    on_chunk: ChunkCallback | None,
) -> None:
    rejects = _Rejects()
    known = _known_keys(con, kind)
    schema = schemas.schema_for(kind, known)
    columns = table_columns(kind)
    # Valid rows are staged in a Parquet file beside the store, not in memory: a 10M-row file
    # loads in bounded memory. The file goes when the load ends, however it ends.
    stage_file = _stage_path(con)
    arrow_schema = _arrow_schema(kind, columns)
    writer = pq.ParquetWriter(stage_file, arrow_schema, compression="lz4")
    try:
        for chunk in chunks:
            frame = chunk.frame
            report.rows_read += len(frame)
            for issue in chunk.issues:
                rejects.add(issue.row, issue.column, issue.value, issue.reason)
            bad_rows = _validate(schema, frame, rejects) | {i.row for i in chunk.issues}
            if bad_rows:
                rejects.note_keys(frame[frame["_row"].isin(bad_rows)], PRIMARY_KEYS[kind])
            keep = frame[~frame["_row"].isin(bad_rows)] if bad_rows else frame
            if len(keep):
                writer.write_table(pa.Table.from_pandas(keep[[*columns, "_row"]],
                                                        schema=arrow_schema, preserve_index=False))
            if on_chunk is not None:
                on_chunk(str(path), report.rows_read)
        writer.close()
        # hand back what the chunks held before DuckDB builds the key index
        _release_memory()
        stage = f"read_parquet('{stage_file}')"
        _reject_in_stage(con, stage, kind, rejects)
        load_id = con.execute("SELECT nextval('load_id_seq')").fetchone()[0]  # type: ignore[index]
        con.execute("CREATE OR REPLACE TEMP TABLE rejected_rows (r BIGINT)")
        if rejects.by_row:
            con.execute("INSERT INTO rejected_rows SELECT unnest(?)", [sorted(rejects.rows())])
        valid = f"(SELECT * FROM {stage} WHERE _row NOT IN (SELECT r FROM rejected_rows))"
        col_list = ", ".join(columns)
        # rows with keys already in the store replace them; a plain INSERT is much cheaper
        # when, as usual, every key is new, so use INSERT OR REPLACE only when keys overlap
        match = " AND ".join(f"t.{k} = s.{k}" for k in PRIMARY_KEYS[kind])
        overlap = con.execute(
            f"SELECT count(*) FROM {valid} AS s JOIN {kind} AS t ON {match}").fetchone()[0]  # type: ignore[index]
        verb = "INSERT OR REPLACE" if overlap else "INSERT"
        accepted = con.execute(
            f"{verb} INTO {kind} ({col_list}) SELECT {col_list} FROM {valid}").fetchone()[0]  # type: ignore[index]
        con.execute("DROP TABLE rejected_rows")
    finally:
        writer.close()
        stage_file.unlink(missing_ok=True)
    rej = rejects.frame(str(path.name), load_id)
    if len(rej):
        con.register("rejects_view", rej)
        con.execute("INSERT INTO rejects SELECT * FROM rejects_view")
        con.unregister("rejects_view")
    report.rows_accepted = int(accepted)
    report.rows_rejected = len(rej)
    report.reasons = Counter(rej["reason"]) if len(rej) else Counter()
    report.load_id = int(load_id)
    if report.rows_read != report.rows_accepted + report.rows_rejected:
        raise RuntimeError(
            f"counts do not reconcile: read {report.rows_read}, accepted "
            f"{report.rows_accepted}, rejected {report.rows_rejected}"
        )
    con.execute(
        "INSERT INTO load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [load_id, path.name, kind, digest, datetime.now(), report.rows_read,
         report.rows_accepted, report.rows_rejected,
         ", ".join(report.dropped_columns) or None],
    )


def _release_memory() -> None:
    """Return freed Python/Arrow heap to the OS (glibc keeps it otherwise), so the peak of a
    large load is the larger of reading and indexing, not their sum."""
    gc.collect()
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


_ARROW_TYPES = {"id": pa.string(), "text": pa.string(), "key": pa.string(), "bool": pa.bool_(), "int": pa.int64(),
                "count": pa.int64(), "float": pa.float64(), "timestamp": pa.timestamp("us"),
                "date": pa.timestamp("us")}


def _arrow_schema(kind: str, columns: list[str]) -> pa.Schema:
    types = readers.COLUMNS[kind]
    fields = [pa.field(c, _ARROW_TYPES.get(types[c], pa.string())) for c in columns]
    return pa.schema([*fields, pa.field("_row", pa.int64())])


def _stage_path(con: duckdb.DuckDBPyConnection) -> Path:
    """A fresh staging file beside the store (same disk); stale ones from a killed load go."""
    row = con.execute("SELECT path FROM duckdb_databases() "
                      "WHERE database_name = current_database()").fetchone()
    store = Path(row[0]) if row and row[0] else Path(tempfile.gettempdir()) / "memory"
    # named after the store, whose write lock we hold: another store's load in the same folder
    # keeps its own staging file
    prefix = f".{store.name}.stage-"
    for stale in store.parent.glob(f"{prefix}*.parquet"):
        stale.unlink(missing_ok=True)
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".parquet", dir=store.parent)
    os.close(fd)
    return Path(name)


def _validate(schema: pandera.DataFrameSchema, frame: pd.DataFrame, rejects: _Rejects) -> set[int]:
    """Run the pandera schema lazily; record one reason per failing cell; return bad rows."""
    try:
        schema.validate(frame, lazy=True)
        return set()
    except pandera.errors.SchemaErrors as err:
        fc = err.failure_cases
    rows = frame["_row"]
    bad: set[int] = set()
    for rec in fc.itertuples(index=False):
        idx = rec.index
        if idx is None or pd.isna(idx):
            # a schema-wide failure (e.g. wrong dtype of a whole column): every row
            raise RuntimeError(f"column {rec.column}: {rec.check} ({rec.failure_case})")
        row = int(rows.iloc[int(idx)])
        check = str(rec.check)
        column = str(rec.column) if rec.column is not None else ""
        if check in schemas.REASONS:
            # dataframe checks report every column of the row: record the rule once, with the
            # columns it concerns and their values
            cols, reason = schemas.REASONS[check]
            column = ", ".join(cols)
            value = " | ".join(_show(frame.at[int(idx), c]) for c in cols)
        else:
            reason = _reason(check, column)
            value = _show(rec.failure_case)
        rejects.add(row, column, value, reason)
        bad.add(row)
    return bad


def _show(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ")
    return str(value)


def _reason(check: str, column: str) -> str:
    if check == "not_nullable":
        return f"{column} is required"
    if check == "multiple_fields_uniqueness" or check.startswith("field_uniqueness"):
        return f"duplicate {column}: already at an earlier row of this file"
    if check.startswith("isin("):
        return f"{column} must be one of {check[5:-1]}"
    if check.startswith("unknown_"):
        return f"{column}: not a known {check.removeprefix('unknown_')[:-1]} id"
    if check.startswith("greater_than_or_equal_to"):
        return f"{column} must not be negative"
    if check.startswith("str_length"):
        return f"{column} is required"
    if check.startswith("str_matches"):
        return f"{column} is not a period id (YYYYQn, YYYY-MM or YYYY)"
    return f"{column}: failed {check}"


def _reject_in_stage(con: duckdb.DuckDBPyConnection, stage: str, kind: str,
                     rejects: _Rejects) -> None:
    """Checks that need the whole file: duplicates across chunks, parents inside the file."""
    keys = PRIMARY_KEYS[kind]
    key_list = ", ".join(keys)
    unit_col = "unit_id" if "unit_id" in readers.COLUMNS[kind] else "NULL"
    dups = con.execute(
        f"SELECT _row, {key_list}, first_row, unit FROM (SELECT _row, {key_list}, "
        f"{unit_col} AS unit, min(_row) OVER (PARTITION BY {key_list}) AS first_row "
        f"FROM {stage}) WHERE _row <> first_row"
    ).fetchall()
    for row, *vals, first, unit in dups:
        key_vals = vals[: len(keys)]
        rejects.add(row, ", ".join(keys), " | ".join(map(str, key_vals)),
                    f"duplicate {', '.join(keys)}: already at row {first} of this file")
        rejects.keys[int(row)] = " | ".join(map(str, key_vals))
        if unit is not None:
            rejects.units[int(row)] = str(unit)
    if kind == "units":
        orphans = con.execute(
            f"SELECT _row, parent_id, unit_id FROM {stage} WHERE parent_id IS NOT NULL "
            f"AND parent_id NOT IN (SELECT unit_id FROM {stage}) "
            f"AND parent_id NOT IN (SELECT unit_id FROM units)"
        ).fetchall()
        for row, parent, unit_id in orphans:
            rejects.add(row, "parent_id", str(parent), "parent_id: not a known unit id")
            rejects.keys[int(row)] = rejects.units[int(row)] = str(unit_id)


# ---------------------------------------------------------------- printing
def print_reports(reports: Sequence[LoadReport], out: TextIO | None = None) -> None:
    """The load summary: one line per file, reasons of rejects, and totals."""
    out = out or sys.stdout
    total = Counter()
    for r in reports:
        name = r.file.name
        if r.status == "failed":
            print(f"FAILED   {name}: {r.error}", file=out)
            continue
        if r.status == "skipped":
            print(f"skipped  {name}: {r.error}", file=out)
            continue
        tag = "loaded  " if r.status == "loaded" else "unchanged"
        print(f"{tag} {name} [{r.kind}]: read {r.rows_read:,}, accepted {r.rows_accepted:,}, "
              f"rejected {r.rows_rejected:,}", file=out)
        if r.dropped_columns:
            print(f"         personal data dropped: {', '.join(r.dropped_columns)}", file=out)
        if r.ignored_columns:
            print(f"         columns ignored: {', '.join(r.ignored_columns)}", file=out)
        for reason, n in r.reasons.most_common(5):
            print(f"         {n:>6,} × {reason}", file=out)
        total.update(read=r.rows_read, accepted=r.rows_accepted, rejected=r.rows_rejected)
    failed = sum(r.failed for r in reports)
    print(f"total: read {total['read']:,} = accepted {total['accepted']:,} + rejected "
          f"{total['rejected']:,}; files failed: {failed}", file=out)
    if any(r.rows_rejected for r in reports):
        print("rejected rows are in the store's `rejects` table (file, row_number, column_name, "
              "value, reason)", file=out)
