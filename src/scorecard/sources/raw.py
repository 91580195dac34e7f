"""Raw records of a source file, streamed in bounded memory as Arrow tables.

Every chunk has ``_row`` (int64, the record's position in the file) and either ``j`` (the
record's JSON text, for JSON files) or one string column per header (CSV/XLSX):

- **JSON Lines** (``.jsonl``, ``.ndjson``, or ``.json`` whose first line is a whole object): read
  line by line; ``_row`` is the line number (1-based); blank lines are not records. A line that is
  not JSON still becomes a record, which the mapping rejects with its reason.
- **JSON array** (``.json`` starting with ``[``) or a stream of objects: DuckDB's JSON reader
  splits the top-level elements incrementally (a 1 GB array is never held whole); ``_row`` is the
  element's 1-based position. A file that is not valid JSON fails as a whole (:class:`ReadError`).
- **CSV/XLSX** with the same fields as headers: ``_row`` is the spreadsheet line (header = 1);
  list fields hold JSON text in their cell.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from scorecard.readers import ReadError, raw_source

JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
TABLE_SUFFIXES = (".csv", ".xlsx")
SUFFIXES = JSON_SUFFIXES + TABLE_SUFFIXES
_BOM = b"\xef\xbb\xbf"
_SPACE = np.frombuffer(b" \t\r\n", dtype=np.uint8)
#: Bytes read at a time from a JSON Lines file (whole lines are kept together).
BLOCK_BYTES = 4 << 20


def json_layout(path: Path) -> str:
    """``lines`` | ``array`` | ``objects`` (a stream of objects not one per line)."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 16).removeprefix(_BOM).lstrip()
        if not head:
            return "lines"
        if head[:1] == b"[":
            return "array"
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            return "lines"
        fh.seek(0)
        first = b""
        for line in fh:
            first = line.removeprefix(_BOM).strip()
            if first:
                break
    try:
        json.loads(first)
    except ValueError:
        return "objects"
    return "lines"


def json_chunks(path: Path, chunk_rows: int) -> Iterator[pa.Table]:
    """Chunks of ``(_row, j)`` from a JSON Lines file, a JSON array or a stream of objects."""
    layout = json_layout(path)
    if layout == "lines":
        return _rechunk(_line_blocks(path), chunk_rows)
    return _duckdb_chunks(path, "array" if layout == "array" else "unstructured", chunk_rows)


def _rechunk(tables: Iterator[pa.Table], chunk_rows: int) -> Iterator[pa.Table]:
    """Tables of exactly ``chunk_rows`` rows (the last one shorter), without copying."""
    pending: list[pa.Table] = []
    size = 0
    for table in tables:
        pending.append(table)
        size += table.num_rows
        while size >= chunk_rows:
            whole = pa.concat_tables(pending)
            yield whole.slice(0, chunk_rows)
            rest = whole.slice(chunk_rows)
            pending, size = [rest], rest.num_rows
    if size:
        yield pa.concat_tables(pending)


def _line_blocks(path: Path) -> Iterator[pa.Table]:
    """Lines read in blocks: each line's bytes become one Arrow string without a Python object
    per line (its newline kept: JSON ignores it); blank lines are skipped but counted."""
    line_no = 0
    carry = b""
    with open(path, "rb") as fh:
        first = True
        while True:
            block = fh.read(BLOCK_BYTES)
            if first:
                block, first = block.removeprefix(_BOM), False
            if not block:
                break
            data = carry + block
            cut = data.rfind(b"\n") + 1
            carry, body = data[cut:], data[:cut]
            if body:
                table, lines = _block_table(body, line_no)
                yield table
                line_no += lines
    if carry:
        yield _block_table(carry + b"\n", line_no)[0]


def _block_table(body: bytes, line_no: int) -> tuple[pa.Table, int]:
    """The records of ``body`` (whole lines, each ending with a newline) and its line count."""
    arr = np.frombuffer(body, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10) + 1
    starts = np.concatenate(([0], ends[:-1]))
    rows = np.arange(line_no + 1, line_no + 1 + len(ends), dtype=np.int64)
    blank = _blank_lines(arr, starts, ends)
    offsets = np.concatenate(([0], ends)).astype(np.int32)
    text = pa.Array.from_buffers(pa.string(), len(ends),
                                 [None, pa.py_buffer(offsets), pa.py_buffer(body)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        text = pa.array([_utf8_or_marker(body[a:b]) for a, b in zip(starts, ends, strict=True)],
                        type=pa.string())
    table = pa.table({"_row": rows, "j": text})
    return (table.filter(pa.array(~blank)) if blank.any() else table), len(ends)


def _blank_lines(arr: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per line: nothing but spaces, tabs and line ends? Only lines starting with one of those
    can be; they are few, and checked one by one."""
    blank = np.zeros(len(starts), dtype=bool)
    for i in np.flatnonzero(np.isin(arr[starts], _SPACE)):
        blank[i] = not bytes(arr[starts[i]:ends[i]]).strip()
    return blank


def _utf8_or_marker(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return "\x00not UTF-8 text"


def _duckdb_chunks(path: Path, fmt: str, chunk_rows: int) -> Iterator[pa.Table]:
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")  # element order = file order
    con.execute("SET memory_limit = '512MB'")
    query = "SELECT json::VARCHAR AS j FROM read_json_objects(?, format = ?)"
    first = 1
    try:
        reader = con.sql(query, params=[str(path), fmt]).to_arrow_reader(chunk_rows)
        pending: list[pa.RecordBatch] = []
        size = 0
        for batch in reader:
            pending.append(batch)
            size += batch.num_rows
            if size >= chunk_rows:
                yield _numbered(pending, first)
                first += size
                pending, size = [], 0
        if pending:
            yield _numbered(pending, first)
    except (duckdb.Error, OSError, pa.ArrowException) as exc:  # the Arrow stream wraps DuckDB's
        message = str(exc).splitlines()[0].removeprefix("Invalid Input Error: ")
        raise ReadError(f"{path.name}: not valid JSON: {message}") from exc
    finally:
        con.close()


def _numbered(batches: list[pa.RecordBatch], first: int) -> pa.Table:
    table = pa.Table.from_batches(batches)
    rows = pa.array(range(first, first + table.num_rows), type=pa.int64())
    return pa.table({"_row": rows, "j": table.column("j")})


def json_keys(chunk: pa.Table) -> list[str]:
    """The field names of the records in ``chunk`` (top level), in first-seen order."""
    con = duckdb.connect()
    try:
        con.register("chunk", chunk)
        rows = con.execute(
            "SELECT k FROM (SELECT _row, unnest(json_keys(j)) AS k, "
            "generate_subscripts(json_keys(j), 1) AS pos FROM chunk "
            "WHERE try(json_valid(j)) AND json_type(j) = 'OBJECT') "
            "GROUP BY k ORDER BY min({'r': _row, 'p': pos})").fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def table_chunks(path: Path, chunk_rows: int, date_format: str = "%Y%m%d%H%M%S"
                 ) -> tuple[list[str], Iterator[pa.Table]]:
    """Headers and chunks of ``_row`` + one string column per header (CSV/XLSX); Excel date
    cells are written with ``date_format`` (the profile's first timestamp format)."""
    headers, raw = raw_source(path, chunk_rows)
    headers = [str(h) for h in headers]

    def chunks() -> Iterator[pa.Table]:
        for first, frame in raw:
            if "__row__" in frame.columns:
                rows = frame.pop("__row__").to_numpy()
            else:
                rows = range(first, first + len(frame))
            cols = {"_row": pa.array(rows, type=pa.int64())}
            for i, h in enumerate(headers):
                cols[h] = _text_column(frame.iloc[:, i], date_format)
            yield pa.table(cols)

    return headers, chunks()


def _text_column(values: object, date_format: str) -> pa.Array:
    try:
        return pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # Excel numbers and dates
        return pa.array([_cell_text(v, date_format) for v in values],  # type: ignore[attr-defined]
                        type=pa.string())


def _cell_text(value: object, date_format: str) -> str | None:
    """A spreadsheet cell as text: numbers without a spurious '.0', dates in ``date_format``."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() else str(value)
    if hasattr(value, "strftime"):
        return value.strftime(date_format)  # type: ignore[union-attr]
    return str(value)
