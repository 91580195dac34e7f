"""Reading the raw exports units really produce: CSV, Excel (.xlsx) and Parquet.

A reader opens a file as a :class:`Source`: a DuckDB relation of the file's rows, which source
column holds each declared column (found by header), the row number of each record, and the
personal-data and unknown columns it left out. It never types or judges a value: the loader types
the relation in SQL (:mod:`scorecard.sqltyping`) and checks it (:mod:`scorecard.checks`).

- CSV: DuckDB's own reader, every cell as text (UTF-8, with or without BOM, ``,`` separated,
  ``"`` quoted); row numbers are the spreadsheet line (header = 1, first record = 2), so values
  must not span lines.
- Parquet: DuckDB's own reader with the file's types; row numbers are record positions from 1.
- Excel: the first sheet through fastexcel (Rust, calamine) as text, dates as ISO text; the first
  non-empty row is the header, blank spacer rows are skipped, row numbers are the sheet's.
- Headers: the English column names of the README or the usual Vietnamese headers of one-stop
  exports ("Mã hồ sơ", "Ngày tiếp nhận", …), matching ignoring case, accents and spacing; all
  derived from :mod:`scorecard.columns`.
- Personal data (:data:`scorecard.columns.PERSONAL`) is never read: its columns are named in the
  load report and left out of the relation.

Other sources plug in through :data:`SOURCES` (issue 16: the national DVCQG dossier format): a
function ``(con, path, kind) -> Source`` whose relation has the canonical columns (any SQL type)
and a row number, optionally with problems it found itself (``Source.issues``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

import duckdb
import pandas as pd
from unidecode import unidecode

from scorecard.columns import PERSONAL, SPECS, Column, Kind
from scorecard.config import CHUNK_ROWS
from scorecard.errors import ScorecardError
from scorecard.hashing import sha256_file
from scorecard.sqltyping import best_date_parsers, ident, lit

SUFFIXES = (".csv", ".xlsx", ".parquet")


class ReadError(ScorecardError, RuntimeError):
    """The file could not be read at all (format, encoding, no known columns)."""


def norm(text: object) -> str:
    """Header key: lower case ASCII letters and digits only ('Mã hồ sơ' -> 'mahoso')."""
    return re.sub(r"[^a-z0-9]", "", unidecode(str(text)).lower())


# ---------------------------------------------------------------- derived from the declarations
def alias_lookup(kind: str | Kind) -> dict[str, str]:
    """Header key -> declared column of ``kind`` (its name first, then its aliases)."""
    spec = SPECS[kind] if isinstance(kind, str) else kind
    out: dict[str, str] = {}
    for col in spec.columns:
        out[norm(col.name)] = col.name
    for col in spec.columns:
        for alias in col.aliases:
            out.setdefault(norm(alias), col.name)
    return out


def personal_column(header: str) -> Column | None:
    """The personal-data column a header holds (its key contains one of the aliases' keys)."""
    key = norm(header)
    for col in PERSONAL:
        if any(norm(a) in key for a in (col.name, *col.aliases)):
            return col
    return None


def _views() -> tuple[dict, dict, dict, tuple]:
    columns = {k: {c.name: c.type for c in s.columns} for k, s in SPECS.items()}
    required = {k: s.required for k, s in SPECS.items()}
    aliases: dict[str, tuple[str, ...]] = {}
    for s in SPECS.values():
        for c in s.columns:
            aliases[c.name] = tuple(dict.fromkeys((*aliases.get(c.name, ()), *c.aliases)))
    pii = tuple(dict.fromkeys(norm(a) for c in PERSONAL for a in c.aliases))
    return columns, required, aliases, pii


#: Views of the declarations for callers of the earlier API (column -> type, required columns,
#: header aliases, personal-data header keys); the declarations are in scorecard.columns.
COLUMNS, REQUIRED, HEADER_ALIASES, PII_KEYS = _views()


# ---------------------------------------------------------------- results
@dataclass
class FileLayout:
    kind: str
    columns: dict[str, str]  # source header -> canonical column
    dropped_pii: list[str]
    ignored: list[str]


@dataclass
class Source:
    """A file opened for loading: its rows as a DuckDB relation, before typing.

    ``columns`` maps each declared column the file has to (SQL of the source column, its SQL
    type); ``row`` is the SQL of a record's row number, or None when rows are numbered by their
    order in the relation (CSV: the staging keeps the file's order and numbers from
    ``first_row``); ``issues`` (optional) a query giving ``(_row, c, v, r)`` (row, column,
    value, reason) of rows the source refuses itself (a Biểu 06 line reporting a whole tree; a
    DVCQG case never received): they are rejected with those reasons alone. ``close`` releases
    what the source registered."""

    kind: str
    layout: FileLayout
    relation: str
    row: str | None
    columns: dict[str, tuple[str, str]]
    skip_blank: tuple[str, ...] = ()  # drop rows whose cells here are all empty (Excel spacers)
    issues: str | None = None
    first_row: int = 1
    #: True: type the rows into a temporary table once (CSV and Excel: typing text is the costly
    #: part); False: the checks and the insert read the typed relation itself (Parquet, frames)
    stage: bool = False
    close: Callable[[], None] = field(default=lambda: None)


def file_hash(path: Path) -> str:
    """SHA-256 of the file's bytes (the load log's content hash)."""
    return sha256_file(path)


# ---------------------------------------------------------------- kind and layout
def kind_from_name(path: Path) -> str | None:
    """Kind from the file name: 'cases_2024.csv' -> cases, 'pakn.xlsx' -> feedback (the longest
    declared prefix that the name starts with)."""
    stem = norm(path.stem)
    best: tuple[int, str] | None = None
    for kind, spec in SPECS.items():
        for prefix in spec.file_prefixes:
            if stem.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), kind)
    return best[1] if best else None


def kind_from_headers(headers: list[str]) -> str | None:
    """The kind whose required columns all appear among ``headers`` (the most specific wins)."""
    best: tuple[int, str] | None = None
    for kind, spec in SPECS.items():
        lookup = alias_lookup(spec)
        mapped = {lookup.get(norm(h)) for h in headers}
        if all(c in mapped for c in spec.required):
            score = len(mapped & {c.name for c in spec.columns})
            if best is None or score > best[0]:
                best = (score, kind)
    return best[1] if best else None


def layout(headers: list[str], kind: str, path: Path) -> FileLayout:
    """Map source headers to declared columns; name personal data and unknown columns; check
    that the kind's required columns are there."""
    spec = SPECS[kind]
    lookup = alias_lookup(spec)
    columns: dict[str, str] = {}
    dropped: list[str] = []
    ignored: list[str] = []
    for h in headers:
        key = norm(h)
        if key in lookup and lookup[key] not in columns.values():
            columns[h] = lookup[key]
        elif personal_column(h) is not None:
            dropped.append(str(h))
        else:
            ignored.append(str(h))
    missing = [c for c in spec.required if c not in columns.values()]
    if missing:
        raise ReadError(
            f"{path.name}: not a {kind} file: missing column(s) {', '.join(missing)} "
            f"(found: {', '.join(map(str, headers))})"
        )
    return FileLayout(kind, columns, dropped, ignored)


def detect_kind(path: Path, headers: list[str], kind: str | None = None) -> str:
    """``kind`` if given, else from the file name, else from the headers (ReadError if none)."""
    kind = kind or kind_from_name(path) or kind_from_headers(headers)
    if kind is None:
        raise ReadError(
            f"{path.name}: cannot tell what kind of data this is from its name or headers; "
            f"pass --kind ({', '.join(SPECS)})"
        )
    if kind not in SPECS:
        raise ReadError(f"unknown kind {kind!r}: use one of {', '.join(SPECS)}")
    return kind


# ---------------------------------------------------------------- headers
def read_headers(path: Path) -> list[str]:
    """The header names of a CSV, XLSX or Parquet file (ReadError when unreadable)."""
    suffix = _suffix(path)
    if suffix == ".csv":
        return _csv_headers(path)
    if suffix == ".parquet":
        return _parquet_names(path)
    headers, _, _ = _xlsx_table(path)
    return headers


def _suffix(path: Path) -> str:
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError(f"{path.name}: unsupported format {suffix!r} (use .csv, .xlsx or .parquet)")
    return suffix


def _csv_headers(path: Path) -> list[str]:
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if len(head) < (1 << 16) or exc.start < len(head) - 4:
            raise ReadError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    text = head.decode("utf-8", errors="ignore").removeprefix("\ufeff")
    line = text.split("\n", 1)[0] if "\n" in text or len(head) < (1 << 16) else None
    if line is None:
        raise ReadError(f"{path.name}: cannot read as CSV: the header line is longer than 64 KB")
    try:
        headers = next(csv.reader(io.StringIO(line.rstrip("\r"))), [])
    except csv.Error as exc:
        raise ReadError(f"{path.name}: cannot read as CSV: {exc}") from exc
    if not any(h.strip() for h in headers):
        raise ReadError(f"{path.name}: cannot read as CSV: no header line")
    return [h.strip() for h in headers]


def _parquet_names(path: Path) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return list(pq.read_schema(path).names)
    except (pa.ArrowInvalid, OSError) as exc:
        raise ReadError(f"{path.name}: cannot read as Parquet: {exc}") from exc


# ---------------------------------------------------------------- sources
_names = count()


def open_source(con: duckdb.DuckDBPyConnection, path: Path, kind: str | None = None,
                source: str | None = None) -> Source:
    """Open ``path`` as a :class:`Source` on ``con`` (ReadError when it cannot be read).

    ``source`` names a registered source format (:data:`SOURCES`); by default the format
    follows the file's suffix."""
    if source is not None:
        if source not in SOURCES:
            raise ReadError(f"unknown source format {source!r}: use one of {', '.join(SOURCES)}")
        return SOURCES[source](con, path, kind)
    suffix = _suffix(path)
    if suffix == ".csv":
        return _csv_source(con, path, kind)
    if suffix == ".parquet":
        return _parquet_source(con, path, kind)
    return _xlsx_source(con, path, kind)


def _csv_source(con: duckdb.DuckDBPyConnection, path: Path, kind: str | None) -> Source:
    headers = _csv_headers(path)
    kind = detect_kind(path, headers, kind)
    lay = layout(headers, kind, path)
    names = [f"c{i}" for i in range(len(headers))]
    spec = ", ".join(f"{lit(n)}: 'VARCHAR'" for n in names)
    relation = (f"read_csv({lit(str(path))}, auto_detect = false, header = true, delim = ',', "
                f"quote = '\"', escape = '\"', columns = {{{spec}}})")
    position = {h: i for i, h in reversed(list(enumerate(headers)))}
    cols = {canon: (ident(names[position[h]]), "VARCHAR") for h, canon in lay.columns.items()}
    # header = line 1: the first record is line 2 (values must not span lines)
    return Source(kind, lay, relation, None, cols, first_row=2, stage=True)


def _parquet_source(con: duckdb.DuckDBPyConnection, path: Path, kind: str | None) -> Source:
    names = _parquet_names(path)
    kind = detect_kind(path, names, kind)
    lay = layout(names, kind, path)
    relation = f"read_parquet({lit(str(path))}, file_row_number = true)"
    try:
        types = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}
    except duckdb.Error as exc:
        raise ReadError(f"{path.name}: cannot read as Parquet: {_first_line(exc)}") from exc
    cols = {canon: (ident(h), types[h]) for h, canon in lay.columns.items()}
    return Source(kind, lay, relation, "file_row_number + 1", cols)


def _xlsx_table(path: Path, kind: str | None = None):  # type: ignore[no-untyped-def]
    """(headers, Arrow table of the data rows as text with ``_row``, header row number).

    The header is the first of the sheet's first filled rows that names the required columns of
    ``kind`` (of some kind, when ``kind`` is None), so a title or a note above it is skipped;
    failing that, the first filled row (whose missing columns the layout then names)."""
    import fastexcel
    import pyarrow as pa

    try:
        reader = fastexcel.read_excel(str(path))
        # every cell as text (dates as ISO text, 12.0 as "12"), from the sheet's first row, so a
        # record's position gives the row number the sheet shows
        sheet = reader.load_sheet(0, header_row=None, skip_rows=0, dtypes="string",
                                  whitespace_as_null=True, skip_whitespace_tail_rows=True)
        table = sheet.to_arrow()
    except Exception as exc:  # fastexcel raises its own kinds for a bad file
        raise ReadError(f"{path.name}: cannot read as Excel (.xlsx): {_first_line(exc)}") from exc
    filled = _filled_rows(table, HEADER_SEARCH)
    if not filled:
        raise ReadError(f"{path.name}: the first sheet is empty")

    def names(index: int) -> list[str]:
        cells = ["" if v is None else str(v).strip()
                 for v in table.slice(index, 1).to_pylist()[0].values()]
        while cells and cells[-1] == "":
            cells.pop()
        return cells

    header_index = filled[0]
    for index in filled:
        found = names(index)
        lookup = alias_lookup(kind) if kind else None
        if (lookup is not None and all(c in {lookup.get(norm(h)) for h in found}
                                       for c in SPECS[kind].required)) \
                or (lookup is None and kind_from_headers(found) is not None):
            header_index = index
            break
    headers = names(header_index)
    data = table.slice(header_index + 1).select(list(range(len(headers))))
    data = data.rename_columns([f"c{i}" for i in range(len(headers))])
    first = header_index + 2  # sheet rows count from 1; the header is at header_index + 1
    data = data.append_column("_row", pa.array(range(first, first + data.num_rows), pa.int64()))
    return headers, data, header_index + 1


#: How many filled rows at the top of a sheet may hold the header (title and notes above it).
HEADER_SEARCH = 20


def _filled_rows(table, limit: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Positions of the first ``limit`` rows with some cell."""
    import pyarrow.compute as pc

    out: list[int] = []
    step = 256
    for start in range(0, table.num_rows, step):
        part = table.slice(start, step)
        filled = None
        for column in part.columns:
            valid = pc.is_valid(column)
            filled = valid if filled is None else pc.or_(filled, valid)
        if filled is None:
            break
        out += [start + i for i, f in enumerate(filled.to_pylist()) if f]
        if len(out) >= limit:
            break
    return out[:limit]


def _xlsx_source(con: duckdb.DuckDBPyConnection, path: Path, kind: str | None) -> Source:
    headers, data, _ = _xlsx_table(path, kind or kind_from_name(path))
    kind = detect_kind(path, headers, kind)
    lay = layout(headers, kind, path)
    view = f"_xlsx_{next(_names)}"
    con.register(view, data)
    position = {h: i for i, h in reversed(list(enumerate(headers)))}
    cols = {canon: (ident(f"c{position[h]}"), "VARCHAR") for h, canon in lay.columns.items()}
    every = tuple(ident(f"c{i}") for i in range(len(headers)))
    # typed once into a staged table: the checks and the insert then read typed columns
    return Source(kind, lay, view, "_row", cols, skip_blank=every, stage=True,
                  close=lambda: con.unregister(view))


def frame_source(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, kind: str, path: Path,
                 issues: pd.DataFrame | None = None) -> Source:
    """A source over an in-memory frame of declared columns plus ``_row`` (the Biểu 06 workbook
    reader's output), with the problems the reader found (``_row, c, v, r``: row, column,
    value, reason)."""
    lay = layout([c for c in frame.columns if c != "_row"], kind, path)
    view = f"_frame_{next(_names)}"
    con.register(view, frame)
    types = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM {view}").fetchall()}
    cols = {canon: (ident(h), types[h]) for h, canon in lay.columns.items()}
    issues_view = None
    if issues is not None and len(issues):
        issues_view = f"{view}_issues"
        con.register(issues_view, issues)

    def close() -> None:
        con.unregister(view)
        if issues_view:
            con.unregister(issues_view)

    return Source(kind, lay, view, "_row", cols, close=close,
                  issues=f"SELECT * FROM {issues_view}" if issues_view else None)


def raw_source(path: Path, chunk_rows: int | None = None):  # type: ignore[no-untyped-def]
    """The earlier reading API: (headers, iterator of (first row number, raw pandas frame));
    see :mod:`scorecard.raw_frames`. Loading does not use it."""
    from scorecard.raw_frames import raw_source as frames

    return frames(Path(path), chunk_rows or CHUNK_ROWS)


#: Named source formats (``scorecard ingest --source NAME``): name -> ``(con, path, kind) ->
#: Source``. Issue 16 registers ``dvcqg`` here.
SOURCES: dict[str, Callable[[duckdb.DuckDBPyConnection, Path, str | None], Source]] = {}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# ---------------------------------------------------------------- typed frames (small files)
@dataclass
class ParseIssue:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class Chunk:
    """Typed declared columns (plus ``_row``) and the values that could not be parsed."""

    frame: pd.DataFrame
    issues: list[ParseIssue] = field(default_factory=list)


def read_chunks(path: Path, kind: str | None = None,
                chunk_rows: int | None = None) -> tuple[FileLayout, Iterator[Chunk]]:
    """Layout of ``path`` and its rows typed as the loader types them, in one pandas chunk, with
    the cells that did not parse (for notebooks and tests; loading never goes through pandas).
    ``chunk_rows`` is accepted for the earlier API and ignored."""
    from scorecard import checks

    con = duckdb.connect()
    try:
        src = open_source(con, Path(path), kind)
        try:
            con.execute("SET preserve_insertion_order = true")
            spec = SPECS[src.kind]
            likely = best_date_parsers(con, src.relation, checks.text_date_columns(spec, src))
            con.execute(f"CREATE TEMP TABLE _typed_rows AS {checks.stage_select(spec, src, likely)}")
            con.execute(f"CREATE TEMP VIEW _typed AS "
                        f"{checks.stage_view_select(spec, src, '_typed_rows')}")
        except duckdb.Error as exc:
            raise ReadError(f"{Path(path).name}: {_first_line(exc)}") from exc
        finally:
            src.close()
        names = [c.name for c in SPECS[src.kind].columns]
        frame = con.execute(f"SELECT {', '.join(names)}, _row FROM _typed ORDER BY _row").df()
        issues = [ParseIssue(int(r), c, v, checks.parse_reason_of(src.kind, c))
                  for r, c, v in con.execute(
                      "SELECT _row, b.c, b.v FROM (SELECT _row, unnest(_bad) AS b FROM _typed) "
                      "ORDER BY _row").fetchall()]
    finally:
        con.close()
    return src.layout, iter([Chunk(frame, issues)])
