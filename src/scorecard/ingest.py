"""Loading files into the store: read → type → check → insert, in DuckDB, one transaction per file.

Per file (:func:`load_file`), inside one transaction:

1. the reader opens the file as a relation (:func:`scorecard.readers.open_source`: DuckDB's CSV
   and Parquet readers, fastexcel for Excel) and :func:`scorecard.checks.stage_select` types it
   into a temporary staging table in one pass;
2. field values are matched to codes (``params/fields.yaml``); unknown ones are counted;
3. the checks derived from the declarations (:mod:`scorecard.checks`) select the bad rows, with
   their column, value and reason, into ``rejects`` (one line per row);
4. stored rows with the same keys as the file's valid rows are deleted and the valid rows go in
   with one ``INSERT … SELECT``; ``load_log`` records the counts.

Guarantees:
- all valid rows of a file or nothing: a failed or killed load leaves the store as it was
  (DuckDB's write-ahead log discards an uncommitted transaction);
- nothing is lost: every rejected row lands in ``rejects`` and ``load_log`` records rows_read =
  rows_accepted + rows_rejected (checked before commit);
- loading the same bytes twice changes nothing (content hash), and a corrected file for the same
  keys replaces the old rows;
- the key check costs the file, not the store: duplicates are found among the file's rows, and the
  stored rows it replaces by one join on the key column (no index over millions of keys to load,
  grow and checkpoint: see ``columns.Kind.indexed_key``);
- rows a source carries for another table (a DVCQG case's supplement history,
  ``readers.Source.dependents``) go in with the accepted rows, in the same transaction, replacing
  the stored rows of the same parents (cases);
- an ID-number column is never staged: with a pseudonym key (``ReadOptions``, by default
  ``pseudonym.load_key()``: ``SCORECARD_PSEUDONYM_KEY`` or a key file) the reader selects its
  HMAC as ``applicant_key``; without one the column is dropped.
"""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import duckdb

from scorecard import checks, readers
from scorecard.clock import local_now
from scorecard.columns import SPECS, Kind
from scorecard.config import CHUNK_ROWS, DEFAULT_DB
from scorecard.fields import field_code
from scorecard.pseudonym import load_key
from scorecard.readers import ReadOptions
from scorecard.sqltyping import best_date_parsers, ident, lit
from scorecard.store import KINDS, open_writer

DATA_SUFFIXES = readers.SUFFIXES

#: Value vocabularies (``Column.vocabulary``): name -> the code a written value means, or None.
VOCABULARIES: dict[str, Callable[[str], str | None]] = {"fields": field_code}

_STAGE_ROWS = "_stage_rows"
_STAGE = "_stage"
_PROBLEMS = "_problems"
_DUPLICATES = "_duplicate_candidates"
_HASHES = "_duplicate_hashes"
_KEYS = "_key_hashes"
_OVERLAP = "_stored_overlap"


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
    #: column -> (rows whose value matched no code, a few such values): kept as given
    unknown_values: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    #: ID-number column -> the pseudonym column it became (issue 13.2)
    pseudonymised: dict[str, str] = field(default_factory=dict)
    #: how the file was read when not by its suffix alone ("dvcqg, JSON Lines")
    read_as: str = ""
    #: rows loaded into other tables with the accepted rows (case_supplements -> n)
    dependent_rows: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.status == "failed"


ChunkCallback = Callable[[str, int], None]


# ---------------------------------------------------------------- public API
def ingest_files(
    paths: Iterable[str | Path],
    db: str | Path = DEFAULT_DB,
    kind: str | None = None,
    *,
    chunk_rows: int = CHUNK_ROWS,
    on_chunk: ChunkCallback | None = None,
    source: str | None = None,
    options: ReadOptions | None = None,
) -> list[LoadReport]:
    """Load files into the store, referenced kinds first (units before cases).

    ``on_chunk(file, rows_so_far)`` is called once a file's rows are staged (progress
    reporting). ``source`` names a source format (``readers.SOURCES`` or a profile of
    ``params/sources``; by default JSON files and files with a profile's fields are detected).
    ``options``: the pseudonym key and ``--unit`` (default: the key of
    ``pseudonym.load_key()``, no default unit). ``chunk_rows`` is kept for the earlier API:
    DuckDB reads files in its own vectors.
    """
    if kind is not None and kind not in KINDS:
        raise readers.ReadError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    if source is not None:
        readers.source_opener(source)  # an unknown format fails the batch, naming the known ones
    if options is None:
        options = ReadOptions(pseudonym_key=load_key())
    planned: list[tuple[int, Path, str | None, str | None]] = []
    reports: list[LoadReport] = []
    for p in _expand(paths):
        if p.suffix.lower() not in DATA_SUFFIXES and source is None:
            reports.append(LoadReport(p, None, "skipped",
                                      error=f"not a data file ({p.suffix or 'no extension'})"))
            continue
        k, err = _guess_kind(p, kind, source)
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
                reports.append(load_file(con, p, k, on_chunk=on_chunk, source=source,
                                         options=options))
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
    source: str | None = None,
    options: ReadOptions | None = None,
) -> LoadReport:
    """Load one file in one transaction; never raises for bad data, reports instead.
    ``options``: pseudonym key and default unit (default: none of either)."""
    report = LoadReport(path, kind, "loaded")
    options = options or ReadOptions()
    try:
        digest = content_key(readers.file_hash(path), options)
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
        src = _open_source(con, path, kind, source, options)
    except readers.ReadError as exc:
        report.status, report.error = "failed", str(exc)
        return report
    report.dropped_columns, report.ignored_columns = src.layout.dropped_pii, src.layout.ignored
    report.pseudonymised, report.read_as = dict(src.layout.pseudonymised), src.layout.read_as
    try:
        # typed rows are staged in a temporary table first (nothing of the store changes), then
        # checked and inserted in one transaction
        _stage(con, SPECS[src.kind], src)
        report.rows_read = _scalar(con, f"SELECT count(*) FROM {_STAGE}")
        if on_chunk is not None:
            on_chunk(str(path), report.rows_read)
        con.execute("BEGIN TRANSACTION")
        try:
            _load_in_transaction(con, path, src, digest, report, options)
            con.execute("COMMIT")
        except Exception as exc:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error as lost:
                # DuckDB invalidates a connection after a fatal error (e.g. out of memory while
                # committing): nothing of this file was committed, but the batch cannot go on
                _failed(report, path, exc)
                raise StoreConnectionLost(report) from lost
            raise
    except StoreConnectionLost:
        raise
    except Exception as exc:
        _failed(report, path, exc)
    finally:
        with contextlib.suppress(duckdb.Error):
            src.close()
        with contextlib.suppress(duckdb.Error):
            _drop_work_tables(con)
    return report


def content_key(file_hash: str, options: ReadOptions) -> str:
    """What ``load_log.content_hash`` records: the file's SHA-256, combined with ``--unit``
    when one is given (the same bytes read with another default unit give other rows, so they
    are not "unchanged"). The pseudonym key is not part of it: a file loaded before a key was
    configured stays as loaded until its bytes change (rebuild the store to pseudonymise it)."""
    if options.default_unit is None:
        return file_hash
    import hashlib

    return hashlib.sha256(f"{file_hash}|unit={options.default_unit}".encode()).hexdigest()


def _failed(report: LoadReport, path: Path, exc: BaseException) -> None:
    report.status = "failed"
    report.error = f"{path.name}: {_error_text(exc)}"
    report.rows_accepted = report.rows_rejected = 0
    report.reasons, report.unknown_values, report.dependent_rows = Counter(), {}, {}


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


def _guess_kind(path: Path, kind: str | None,
                source: str | None) -> tuple[str | None, str | None]:
    if kind:
        return kind, None
    k = readers.kind_from_name(path)
    if k:
        return k, None
    if source is not None or path.suffix.lower() in readers.JSON_SUFFIXES:
        # a source format (the national dossier format): case files; JSON files are read
        # through the profile they match (or fail there, naming the profiles)
        return "cases", None
    try:
        headers = readers.read_headers(path)
    except readers.ReadError as exc:
        return None, str(exc)
    k = readers.kind_from_headers(headers)
    if k is None and readers.profile_of_headers(path, headers) is not None:
        return "cases", None
    if k is None:
        return None, (f"{path.name}: cannot tell what kind of data this is from its name or "
                      f"headers; pass --kind ({', '.join(KINDS)})")
    return k, None


def _open_source(con: duckdb.DuckDBPyConnection, path: Path, kind: str,
                 source: str | None, options: ReadOptions) -> readers.Source:
    """The file as a source; a Biểu 06 workbook in the official layout goes through forms.form06.

    The form06 table holds a unit's own cases (what facts use for units without case data). A
    form whose line reports a unit's whole tree (a by-field form of a unit that has children in
    the store) would count the children twice, so such lines are rejected with that reason."""
    try:
        return readers.open_source(con, path, kind, source, options)
    except readers.ReadError:
        if kind != "form06" or path.suffix.lower() != ".xlsx" or source is not None:
            raise
    import pandas as pd

    from scorecard.forms.form06 import read_form06_workbook

    names = dict(con.execute("SELECT name, unit_id FROM units").fetchall())
    parents = {r[0] for r in con.execute(
        "SELECT DISTINCT parent_id FROM units WHERE parent_id IS NOT NULL").fetchall()}
    try:
        frame = read_form06_workbook(path, unit_names=names)
    except Exception as exc:
        raise readers.ReadError(f"{path.name}: {exc}") from exc
    scopes = frame.attrs.get("scopes", {})
    issues = pd.DataFrame(
        [(int(row), "unit_id", str(unit_id),
          "this line reports the unit's whole tree (children included); form06 rows hold "
          "a unit's own cases: submit the form by unit instead")
         for unit_id, row in zip(frame["unit_id"], frame["_row"], strict=True)
         if scopes.get(unit_id) == "tree" and unit_id in parents],
        columns=["_row", "c", "v", "r"])
    return readers.frame_source(con, frame, kind, path, issues)


def _load_in_transaction(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    src: readers.Source,
    digest: str,
    report: LoadReport,
    options: ReadOptions,
) -> None:
    spec = SPECS[src.kind]
    report.unknown_values = _apply_vocabularies(con, spec, src)
    _find_problems(con, spec, src, options)
    load_id = _scalar(con, "SELECT nextval('load_id_seq')")
    lines = checks.rejects_select(_PROBLEMS)
    if src.labels:  # name the file's own fields (a DVCQG file's MaTTHC for procedure_id)
        lines = checks.relabelled_rejects(lines, src.labels)
    con.execute(
        "INSERT INTO rejects (load_id, file, row_number, column_name, value, reason, record_key, "
        f"unit_id) SELECT ?, ?, * FROM ({lines})",
        [load_id, path.name])
    report.rows_rejected = _scalar(con, f"SELECT count(DISTINCT _row) FROM {_PROBLEMS}")
    report.rows_accepted = _insert_valid(con, spec, report.rows_rejected > 0)
    report.dependent_rows = {dep.table: _insert_dependent(con, dep, report.rows_rejected > 0)
                             for dep in src.dependents}
    report.reasons = Counter(dict(con.execute(
        "SELECT reason, count(*) FROM rejects WHERE load_id = ? GROUP BY reason",
        [load_id]).fetchall()))
    report.load_id = int(load_id)
    if report.rows_read != report.rows_accepted + report.rows_rejected:
        raise RuntimeError(
            f"counts do not reconcile: read {report.rows_read}, accepted "
            f"{report.rows_accepted}, rejected {report.rows_rejected}"
        )
    dropped = [*report.dropped_columns,
               *(f"{h} (→ {c})" for h, c in report.pseudonymised.items())]
    con.execute(
        "INSERT INTO load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [load_id, path.name, src.kind, digest, local_now(), report.rows_read,
         report.rows_accepted, report.rows_rejected, ", ".join(dropped) or None],
    )


def _drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"DROP VIEW IF EXISTS {_STAGE}")
    kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables "
                             "WHERE table_schema = 'main' AND table_catalog = 'temp'").fetchall())
    for table in (_STAGE_ROWS, _PROBLEMS, _DUPLICATES, _HASHES, _KEYS, _OVERLAP):
        if table in kinds:
            con.execute(f"DROP {'VIEW' if kinds[table] == 'VIEW' else 'TABLE'} {table}")


def _stage(con: duckdb.DuckDBPyConnection, spec: Kind, src: readers.Source) -> None:
    """The typed rows as ``_stage`` (with ``_row``): a temporary table typed in one pass for a
    source that says so (CSV), else a view over the source (Parquet is read again by each step
    cheaper than copied). Staged outside any transaction: nothing of the store changes.

    A source without a row-number column (CSV) is staged in file order, so a row's position in
    the table (its rowid: 0, 1, … in a table committed whole) gives its number; numbering while
    reading would take a streaming window."""
    likely = best_date_parsers(con, src.relation, checks.text_date_columns(spec, src))
    select = checks.stage_select(spec, src, likely)
    if not src.stage:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {_STAGE_ROWS} AS {select}")
    else:
        if src.row is None:
            con.execute("SET preserve_insertion_order = true")
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {_STAGE_ROWS} AS {select}")
        except duckdb.Error as exc:
            raise readers.ReadError(f"cannot read as {src.layout.kind} data: "
                                    f"{_error_text(exc)}") from exc
        finally:
            if src.row is None:
                con.execute("SET preserve_insertion_order = false")
    _stage_view(con, spec, src)


def _stage_view(con: duckdb.DuckDBPyConnection, spec: Kind, src: readers.Source,
                replace: dict[str, str] | None = None) -> None:
    con.execute(f"CREATE OR REPLACE TEMP VIEW {_STAGE} AS "
                f"{checks.stage_view_select(spec, src, _STAGE_ROWS, replace)}")


def _apply_vocabularies(con: duckdb.DuckDBPyConnection, spec: Kind,
                        src: readers.Source) -> dict[str, tuple[int, list[str]]]:
    """Written values of vocabulary columns become their codes (in the staging view); unknown
    ones are counted and kept as given."""
    unknown: dict[str, tuple[int, list[str]]] = {}
    replace: dict[str, str] = {}
    for col in spec.columns:
        if col.vocabulary is None:
            continue
        code_of = VOCABULARIES[col.vocabulary]
        name = ident(col.name)
        counts = con.execute(f"SELECT {name}, count(*) FROM {_STAGE} WHERE {name} IS NOT NULL "
                             f"GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
        codes = {value: code_of(value) for value, _ in counts}
        changed = {value: code for value, code in codes.items() if code and code != value}
        if changed:
            replace[col.name] = (f"CASE {name} "
                                 + " ".join(f"WHEN {lit(v)} THEN {lit(c)}" for v, c in changed.items())
                                 + f" ELSE {name} END")
        missing = [(value, n) for value, n in counts if codes[value] is None]
        if missing:
            unknown[col.name] = (sum(n for _, n in missing), [v for v, _ in missing[:5]])
    if replace:
        _stage_view(con, spec, src, replace)
    return unknown


def _find_problems(con: duckdb.DuckDBPyConnection, spec: Kind, src: readers.Source,
                   options: ReadOptions) -> None:
    """Fill the problems table: row checks, then checks that need the whole file."""
    bad_values = checks.value_problems(con, spec, _STAGE)
    extra = [sql for check in checks.EXTRA_CHECKS.get(spec.name, [])
             if (sql := check(con, _STAGE, options))]
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_PROBLEMS} AS SELECT 1 AS phase, * FROM "
                f"({checks.problems_select(spec, _STAGE, bad_values, src.issues, extra)})")
    for bad in bad_values.values():
        if bad.table:
            con.execute(f"DROP TABLE {bad.table}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_KEYS} AS {checks.key_hashes_select(spec, _STAGE)}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_HASHES} AS "
                f"{checks.duplicate_hashes_select(_KEYS)}")
    if _scalar(con, f"SELECT count(*) FROM {_HASHES}"):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {_DUPLICATES} AS "
                    f"{checks.duplicate_candidates_select(spec, _STAGE, _PROBLEMS, _HASHES)}")
        con.execute(f"INSERT INTO {_PROBLEMS} SELECT 2, * FROM "
                    f"({checks.duplicate_rows_select(spec, _DUPLICATES)})")
    refs = checks.self_reference_select(spec, _STAGE, _PROBLEMS)
    if refs:
        con.execute(f"INSERT INTO {_PROBLEMS} SELECT 3, * FROM ({refs})")


def _insert_valid(con: duckdb.DuckDBPyConnection, spec: Kind, any_rejected: bool) -> int:
    """Replace the stored rows with the file's keys, then insert the file's valid rows."""
    columns = ", ".join(ident(c.name) for c in spec.stored_columns)
    valid = _valid_rows(any_rejected)
    keys = ", ".join(ident(k) for k in spec.key)
    match = " AND ".join(f"{spec.name}.{ident(k)} = v.{ident(k)}" for k in spec.key)
    if _scalar(con, f"SELECT count(*) FROM (SELECT 1 FROM {spec.name} LIMIT 1)"):
        # one scan of the stored key column against the file's key hashes; only the keys
        # that may match are then compared (the valid rows' keys are unique)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {_OVERLAP} AS "
                    f"{checks.stored_overlap_select(spec, _KEYS)}")
        if _scalar(con, f"SELECT count(*) FROM {_OVERLAP}"):
            con.execute(f"DELETE FROM {spec.name} USING (SELECT {keys} FROM {valid} WHERE "
                        f"{checks.key_hash(spec)} IN (SELECT h FROM {_OVERLAP})) AS v "
                        f"WHERE {match}")
    return _scalar(con, f"INSERT INTO {spec.name} ({columns}) SELECT {columns} FROM {valid}")


def _valid_rows(any_rejected: bool) -> str:
    return (f"(SELECT * FROM {_STAGE} WHERE _row NOT IN (SELECT _row FROM {_PROBLEMS}))"
            if any_rejected else _STAGE)


def _insert_dependent(con: duckdb.DuckDBPyConnection, dep: readers.Dependent,
                      any_rejected: bool) -> int:
    """Replace the stored rows of ``dep.table`` whose parents the file's accepted rows are (a
    case's whole supplement history: none may stay stale), then insert the source's rows."""
    target = SPECS[dep.table]
    key = ident(dep.parent_key)
    valid = _valid_rows(any_rejected)
    if _scalar(con, f"SELECT count(*) FROM (SELECT 1 FROM {target.name} LIMIT 1)"):
        con.execute(f"DELETE FROM {target.name} WHERE {key} IN (SELECT {key} FROM {valid})")
    columns = ", ".join(ident(c.name) for c in target.stored_columns)
    return _scalar(con, f"INSERT INTO {target.name} ({columns}) "
                        f"{dep.select.format(accepted=valid)}")


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> int:
    row = con.execute(sql, params or []).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _error_text(exc: BaseException) -> str:
    """One line from an error: DuckDB's CSV errors keep the line number and what was wrong."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    if not lines:
        return type(exc).__name__
    keep = [lines[0]]
    for ln in lines[1:]:
        if ln.startswith(("Expected Number of Columns", "Invalid unicode", "Maximum line size",
                          "Value with unterminated quote")):
            keep.append(ln)
    return "; ".join(keep)


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
        kind = f"{r.kind}; {r.read_as}" if r.read_as else r.kind
        print(f"{tag} {name} [{kind}]: read {r.rows_read:,}, accepted {r.rows_accepted:,}, "
              f"rejected {r.rows_rejected:,}", file=out)
        for table, n in r.dependent_rows.items():
            print(f"         {table}: {n:,} row{'' if n == 1 else 's'} with the accepted rows "
                  f"(the stored ones of the same cases replaced)", file=out)
        if r.dropped_columns:
            print(f"         personal data dropped: {', '.join(r.dropped_columns)}", file=out)
        if r.pseudonymised:
            shown = ", ".join(f"{h} → {c}" for h, c in r.pseudonymised.items())
            print(f"         ID numbers replaced by pseudonyms (HMAC, never stored): {shown}",
                  file=out)
        if r.ignored_columns:
            print(f"         columns ignored: {', '.join(r.ignored_columns)}", file=out)
        for column, (n, examples) in r.unknown_values.items():
            print(f"         {column} values not in the code table, kept as given: {n:,} rows "
                  f"({', '.join(examples)})", file=out)
        for reason, n in r.reasons.most_common(5):
            print(f"         {n:>6,} × {reason}", file=out)
        total.update(read=r.rows_read, accepted=r.rows_accepted, rejected=r.rows_rejected)
    failed = sum(r.failed for r in reports)
    print(f"total: read {total['read']:,} = accepted {total['accepted']:,} + rejected "
          f"{total['rejected']:,}; files failed: {failed}", file=out)
    if any(r.rows_rejected for r in reports):
        print("rejected rows are in the store's `rejects` table (file, row_number, column_name, "
              "value, reason)", file=out)
