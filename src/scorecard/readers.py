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

- Pseudonyms (issue 13.2): with a key (:class:`ReadOptions`), the ID-number column
  (:data:`scorecard.columns.PERSONAL`'s ``applicant_id_number``) is read through
  :mod:`scorecard.pseudonym_sql` as ``applicant_key``: only the HMAC is staged, never the ID. A
  file that also has a ready-made ``applicant_key`` column then has that column ignored (named
  in the load summary): every pseudonym of the store comes from the one configured key.

Other layouts plug in through :data:`SOURCES` and the source profiles of ``params/sources``
(issue 16: the national DVCQG dossier format; :mod:`scorecard.sources.staging`): a function
``(con, path, kind, options) -> Source`` whose relation has the canonical columns (any SQL type)
and a row number, optionally with problems it found itself (``Source.issues``), labels naming
the file's own fields in rejects, and rows of other tables loaded with the accepted rows
(``Source.dependents``). JSON files, and CSV/XLSX files whose headers are a profile's
(``detect``) rather than a kind's columns, are read through the profile they match.
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
from scorecard.pseudonym import PseudonymKey
from scorecard.sqltyping import best_date_parsers, ident, lit

#: Suffixes of the files the readers take (JSON only through a source profile).
TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
SUFFIXES = TABLE_SUFFIXES + JSON_SUFFIXES


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
@dataclass(frozen=True)
class ReadOptions:
    """What a load knows besides the file.

    ``pseudonym_key``: the applicant-pseudonym key (issue 13.2; None: ID columns are dropped);
    ``default_unit``: the unit of the records of a source file that name none (``--unit``);
    ``plans_dir``: where the plans' task registers are, which ``task_status`` rows are checked
    against (None: the project's ``params/plans``)."""

    pseudonym_key: PseudonymKey | None = None
    default_unit: str | None = None
    plans_dir: Path | None = None


@dataclass
class FileLayout:
    kind: str
    columns: dict[str, str]  # source header -> canonical column
    dropped_pii: list[str]
    ignored: list[str]
    #: source header of an ID number -> the pseudonym column computed from it (with a key)
    pseudonymised: dict[str, str] = field(default_factory=dict)
    #: how the file was read, when not by its suffix alone (e.g. "dvcqg, JSON Lines")
    read_as: str = ""


@dataclass(frozen=True)
class Dependent:
    """Rows of another table that a source carries with its records (a DVCQG case's supplement
    history): loaded in the same transaction as the accepted records, replacing the stored rows
    of the same parents. ``select`` gives the table's stored columns for the accepted records;
    ``{accepted}`` in it stands for a relation of the accepted staged rows (with ``_row``)."""

    table: str
    parent_key: str  # the column naming the parent record in both tables (case_id)
    select: str


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
    #: declared column -> the file's own field name, for rejects ("MaTTHC" for procedure_id)
    labels: dict[str, str] = field(default_factory=dict)
    dependents: tuple[Dependent, ...] = ()


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


def pseudonym_header(headers: list[str], kind: str | Kind) -> tuple[str, str] | None:
    """(the first header holding an ID number that ``kind`` replaces by a pseudonym, the
    pseudonym column), or None."""
    spec = SPECS[kind] if isinstance(kind, str) else kind
    names = {c.name for c in spec.columns}
    for h in headers:
        col = personal_column(h)
        if col is not None and col.replaced_by in names and norm(h) not in alias_lookup(spec):
            return str(h), str(col.replaced_by)
    return None


def layout(headers: list[str], kind: str, path: Path, pseudonymise: bool = False) -> FileLayout:
    """Map source headers to declared columns; name personal data and unknown columns; check
    that the kind's required columns are there. ``pseudonymise`` (a key is configured): the
    ID-number header becomes its pseudonym column (``FileLayout.pseudonymised``), and a
    ready-made pseudonym column of the file is then ignored."""
    spec = SPECS[kind]
    lookup = alias_lookup(spec)
    replaced = pseudonym_header(headers, spec) if pseudonymise else None
    columns: dict[str, str] = {}
    dropped: list[str] = []
    ignored: list[str] = []
    for h in headers:
        key = norm(h)
        if replaced is not None and h == replaced[0]:
            continue
        if replaced is not None and lookup.get(key) == replaced[1]:
            ignored.append(f"{h} ({replaced[1]} computed from {replaced[0]} instead)")
        elif key in lookup and lookup[key] not in columns.values():
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
    return FileLayout(kind, columns, dropped, ignored,
                      pseudonymised=dict([replaced]) if replaced else {})


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
    """The header names of a CSV, XLSX or Parquet file, or the field names of a JSON file's
    first records (ReadError when unreadable)."""
    suffix = _suffix(path)
    if suffix == ".csv":
        return _csv_headers(path)
    if suffix == ".parquet":
        return _parquet_names(path)
    if suffix in JSON_SUFFIXES:
        from scorecard.sources import file_keys

        return file_keys(path)
    headers, _, _ = _xlsx_table(path)
    return headers


def _suffix(path: Path) -> str:
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError(f"{path.name}: unsupported format {suffix!r} (use .csv, .xlsx, .parquet, "
                        f"or .json/.jsonl/.ndjson in a source profile's layout)")
    return suffix


# ---------------------------------------------------------------- source profiles (issue 16)
def profile_of_headers(path: Path, headers: list[str], kind: str | None = None) -> str | None:
    """The source profile (``params/sources``) to read a CSV/XLSX file with: one whose
    ``detect`` fields are all among ``headers``, when the headers are not already a file of the
    kind (``kind``, else the one its name or headers say) that the readers take as it is."""
    from scorecard.sources import detect_profile

    name = detect_profile(headers)
    if name is None:
        return None
    k = kind or kind_from_name(path) or kind_from_headers(headers)
    if k is not None:
        lookup = alias_lookup(k)
        if all(c in {lookup.get(norm(h)) for h in headers} for c in SPECS[k].required):
            return None  # the kind's own columns: read as they are
    return name


def detect_source(path: Path, kind: str | None = None) -> str | None:
    """The source profile a file is read with when none is named: JSON files always go through
    the profile their first records match (ReadError when none does); a CSV whose headers are a
    profile's (:func:`profile_of_headers`); None otherwise (Excel is checked once its header row
    is found, see :func:`_xlsx_source`)."""
    suffix = _suffix(path)
    if suffix in JSON_SUFFIXES:
        from scorecard.sources import detect_profile, file_keys, list_source_profiles

        keys = file_keys(path)
        name = detect_profile(keys)
        if name is None:
            raise ReadError(f"{path.name}: a JSON file is read through a source profile, and "
                            f"none matches its fields (profiles: "
                            f"{', '.join(list_source_profiles()) or 'none'}; found: "
                            f"{', '.join(keys[:20]) or 'no JSON objects'})")
        return name
    if suffix == ".csv":
        return profile_of_headers(path, _csv_headers(path), kind)
    return None


def source_opener(name: str) -> SourceOpener:
    """The opener of a source format: one registered in :data:`SOURCES`, else the profile
    ``params/sources/<name>.yaml`` (ReadError when neither exists)."""
    if name in SOURCES:
        return SOURCES[name]
    from scorecard.sources import list_source_profiles

    if name in list_source_profiles():
        return _profile_opener(name)
    known = sorted({*SOURCES, *list_source_profiles()})
    raise ReadError(f"unknown source format {name!r}: use one of {', '.join(known)}")


def _profile_opener(profile: str) -> SourceOpener:
    def opener(con: duckdb.DuckDBPyConnection, path: Path, kind: str | None,
               options: ReadOptions) -> Source:
        from scorecard.sources.staging import open_profile_source

        return open_profile_source(con, path, kind, options, profile)

    return opener


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
                source: str | None = None, options: ReadOptions | None = None) -> Source:
    """Open ``path`` as a :class:`Source` on ``con`` (ReadError when it cannot be read).

    ``source`` names a source format (:func:`source_opener`: :data:`SOURCES` or a profile of
    ``params/sources``); by default JSON files and files in a profile's layout go through the
    profile they match (:func:`detect_source`), others by their suffix. ``options``: the
    pseudonym key and ``--unit`` (:class:`ReadOptions`)."""
    options = options or ReadOptions()
    if source is None:
        source = detect_source(path, kind)
    if source is not None:
        return source_opener(source)(con, path, kind, options)
    suffix = _suffix(path)
    if suffix == ".csv":
        return _csv_source(con, path, kind, options)
    if suffix == ".parquet":
        return _parquet_source(con, path, kind, options)
    return _xlsx_source(con, path, kind, options)


def _pseudonymised(con: duckdb.DuckDBPyConnection, src: Source, options: ReadOptions,
                   column: Callable[[str], tuple[str, str]]) -> Source:
    """``src`` with its pseudonym column read through the key's functions (issue 13.2):
    ``column(header)`` gives the SQL and SQL type of a source header."""
    if not src.layout.pseudonymised or options.pseudonym_key is None:
        return src
    from scorecard import pseudonym_sql

    funcs = pseudonym_sql.register(con, options.pseudonym_key)
    for header, canon in src.layout.pseudonymised.items():
        sql, sql_type = column(header)
        src.columns[canon] = (funcs.sql(sql, sql_type), "VARCHAR")
    close = src.close

    def closing() -> None:
        try:
            close()
        finally:
            funcs.remove()

    src.close = closing
    return src


def _csv_source(con: duckdb.DuckDBPyConnection, path: Path, kind: str | None,
                options: ReadOptions) -> Source:
    headers = _csv_headers(path)
    kind = detect_kind(path, headers, kind)
    lay = layout(headers, kind, path, pseudonymise=options.pseudonym_key is not None)
    names = [f"c{i}" for i in range(len(headers))]
    spec = ", ".join(f"{lit(n)}: 'VARCHAR'" for n in names)
    relation = (f"read_csv({lit(str(path))}, auto_detect = false, header = true, delim = ',', "
                f"quote = '\"', escape = '\"', columns = {{{spec}}})")
    position = {h: i for i, h in reversed(list(enumerate(headers)))}
    cols = {canon: (ident(names[position[h]]), "VARCHAR") for h, canon in lay.columns.items()}
    # header = line 1: the first record is line 2 (values must not span lines)
    src = Source(kind, lay, relation, None, cols, first_row=2, stage=True)
    return _pseudonymised(con, src, options, lambda h: (ident(names[position[h]]), "VARCHAR"))


def _parquet_source(con: duckdb.DuckDBPyConnection, path: Path, kind: str | None,
                    options: ReadOptions) -> Source:
    names = _parquet_names(path)
    kind = detect_kind(path, names, kind)
    lay = layout(names, kind, path, pseudonymise=options.pseudonym_key is not None)
    relation = f"read_parquet({lit(str(path))}, file_row_number = true)"
    try:
        types = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}
    except duckdb.Error as exc:
        raise ReadError(f"{path.name}: cannot read as Parquet: {_first_line(exc)}") from exc
    cols = {canon: (ident(h), types[h]) for h, canon in lay.columns.items()}
    src = Source(kind, lay, relation, "file_row_number + 1", cols)
    return _pseudonymised(con, src, options, lambda h: (ident(h), types[h]))


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


def _xlsx_source(con: duckdb.DuckDBPyConnection, path: Path, kind: str | None,
                 options: ReadOptions) -> Source:
    headers, data, _ = _xlsx_table(path, kind or kind_from_name(path))
    profile = profile_of_headers(path, headers, kind)
    if profile is not None:  # a workbook in a source profile's layout (DVCQG fields)
        del data
        return source_opener(profile)(con, path, kind, options)
    kind = detect_kind(path, headers, kind)
    lay = layout(headers, kind, path, pseudonymise=options.pseudonym_key is not None)
    view = f"_xlsx_{next(_names)}"
    con.register(view, data)
    position = {h: i for i, h in reversed(list(enumerate(headers)))}
    cols = {canon: (ident(f"c{position[h]}"), "VARCHAR") for h, canon in lay.columns.items()}
    every = tuple(ident(f"c{i}") for i in range(len(headers)))
    # typed once into a staged table: the checks and the insert then read typed columns
    src = Source(kind, lay, view, "_row", cols, skip_blank=every, stage=True,
                 close=lambda: con.unregister(view))
    return _pseudonymised(con, src, options, lambda h: (ident(f"c{position[h]}"), "VARCHAR"))


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


#: How a source format opens a file: ``(con, path, kind, options) -> Source``.
SourceOpener = Callable[[duckdb.DuckDBPyConnection, Path, "str | None", ReadOptions], Source]

#: Named source formats (``scorecard ingest --source NAME``): name -> opener. ``dvcqg`` (the
#: national portal's dossier format, issue 16) is its source profile; any other profile of
#: ``params/sources`` is found by its name too (:func:`source_opener`).
SOURCES: dict[str, SourceOpener] = {"dvcqg": _profile_opener("dvcqg")}


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


def read_chunks(path: Path, kind: str | None = None, chunk_rows: int | None = None,
                options: ReadOptions | None = None) -> tuple[FileLayout, Iterator[Chunk]]:
    """Layout of ``path`` and its rows typed as the loader types them, in one pandas chunk, with
    the cells that did not parse (for notebooks and tests; loading never goes through pandas).
    ``chunk_rows`` is accepted for the earlier API and ignored."""
    from scorecard import checks

    con = duckdb.connect()
    try:
        src = open_source(con, Path(path), kind, options=options)
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
