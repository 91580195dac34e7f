"""Files as chunks of raw cells in pandas frames (the earlier reading API, kept for callers such as
``scorecard.sources.raw``; loading itself reads files through DuckDB, see :mod:`scorecard.readers`).

:func:`raw_source` gives ``(headers, iterator of (first row number, frame))``: CSV cells as text
(pyarrow's streaming reader), Parquet batches as they are, Excel cells as openpyxl gives them
(numbers, dates, text; the sheet's row numbers in a ``__row__`` column, blank rows skipped).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from scorecard.config import CHUNK_ROWS
from scorecard.errors import ScorecardError


def _error(message: str) -> ScorecardError:
    from scorecard.readers import ReadError

    return ReadError(message)


def _raw_csv(path: Path, chunk_rows: int) -> tuple[list[str], Iterator[tuple[int, pd.DataFrame]]]:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if len(head) < (1 << 16) or exc.start < len(head) - 4:
            raise _error(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    try:
        probe = pcsv.open_csv(path, read_options=pcsv.ReadOptions(block_size=1 << 16))
        names = probe.schema.names
    except (pa.ArrowInvalid, OSError) as exc:
        raise _error(f"{path.name}: cannot read as CSV: {_csv_problem(exc)}") from exc
    types = {n: pa.string() for n in names}

    def batches() -> Iterator[pa.RecordBatch]:
        reader = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(block_size=8 << 20),
            convert_options=pcsv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                                quoted_strings_can_be_null=False),
        )
        try:
            yield from reader
        except (pa.ArrowInvalid, OSError) as exc:
            raise _error(f"{path.name}: cannot read as CSV: {_csv_problem(exc)}") from exc

    def chunks() -> Iterator[tuple[int, pd.DataFrame]]:
        first_row = 2
        pending: list = []
        size = 0
        for batch in batches():
            pending.append(batch)
            size += batch.num_rows
            while size >= chunk_rows:
                table = pa.Table.from_batches(pending)
                yield first_row, table.slice(0, chunk_rows).to_pandas()
                first_row += chunk_rows
                rest = table.slice(chunk_rows)
                pending, size = rest.to_batches(), rest.num_rows
        if size:
            yield first_row, pa.Table.from_batches(pending).to_pandas()

    return names, chunks()


def _csv_problem(exc: BaseException) -> str:
    """pyarrow's CSV error without the text of the line it quotes (which may hold personal
    data): 'CSV parse error: Expected 18 columns, got 19'."""
    return re.sub(r"(Expected \d+ columns, got \d+):.*", r"\1", str(exc), flags=re.S)


def _raw_parquet(path: Path, chunk_rows: int) -> tuple[list[str], Iterator[tuple[int, pd.DataFrame]]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise _error(f"{path.name}: cannot read as Parquet: {exc}") from exc
    names = pf.schema_arrow.names

    def chunks() -> Iterator[tuple[int, pd.DataFrame]]:
        first = 1
        for batch in pf.iter_batches(batch_size=chunk_rows):
            frame = batch.to_pandas()
            yield first, frame
            first += batch.num_rows

    return names, chunks()


def _raw_xlsx(path: Path, chunk_rows: int) -> tuple[list[str], Iterator[tuple[int, pd.DataFrame]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise _error(f"{path.name}: cannot read as Excel (.xlsx): {exc}") from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header_row = 0
    headers: list[str] = []
    for header_row, values in enumerate(rows, start=1):  # noqa: B007 - used after the loop
        if values and any(v not in (None, "") for v in values):
            headers = ["" if v is None else str(v).strip() for v in values]
            break
    while headers and headers[-1] == "":
        headers.pop()
    if not headers:
        wb.close()
        raise _error(f"{path.name}: the first sheet is empty")
    width = len(headers)

    def chunks() -> Iterator[tuple[int, pd.DataFrame]]:
        buf: list[tuple] = []
        numbers: list[int] = []
        for n, values in enumerate(rows, start=header_row + 1):
            vals = tuple(values[:width]) + (None,) * max(0, width - len(values))
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in vals):
                continue  # blank spacer row
            buf.append(vals)
            numbers.append(n)
            if len(buf) >= chunk_rows:
                yield _xlsx_frame(buf, numbers, headers)
                buf, numbers = [], []
        if buf:
            yield _xlsx_frame(buf, numbers, headers)
        wb.close()

    return headers, chunks()


def _xlsx_frame(buf: list[tuple], numbers: list[int], headers: list[str]) -> tuple[int, pd.DataFrame]:
    frame = pd.DataFrame.from_records(buf, columns=range(len(headers)), coerce_float=False)
    frame.columns = headers
    frame["__row__"] = numbers
    return -1, frame


def raw_source(path: Path, chunk_rows: int = CHUNK_ROWS):  # type: ignore[no-untyped-def]
    """(headers, iterator of (first row number, raw frame)) for a CSV, XLSX or Parquet file."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise _error(f"{path}: no such file")
    if suffix == ".csv":
        return _raw_csv(path, chunk_rows)
    if suffix == ".parquet":
        return _raw_parquet(path, chunk_rows)
    if suffix == ".xlsx":
        return _raw_xlsx(path, chunk_rows)
    raise _error(f"{path.name}: unsupported format {suffix!r} (use .csv, .xlsx or .parquet)")
