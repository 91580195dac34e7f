"""Case files written chunk by chunk (Parquet, English/ISO CSV, Vietnamese CSV, xlsx), with
their planted bad rows; text versions of typed case tables."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from scorecard.demo.arrow_text import _fmt_ts
from scorecard.demo.bad_rows import BAD_KINDS, _bad_id, _plant
from scorecard.demo.constants import (
    BOOL_COLUMNS,
    CASE_COLUMNS,
    CASE_SCHEMA,
    TS_COLUMNS,
    VI_CHANNEL,
    VI_HEADERS,
    VI_RATING,
    VI_STATUS,
)
from scorecard.demo.xlsx_file import _write_cases_xlsx


def _vi_map(arr: pa.ChunkedArray | pa.Array, mapping: dict[str, str]) -> pa.Array:
    keys = list(mapping)
    idx = pc.index_in(arr, value_set=pa.array(keys))
    return pc.take(pa.array([mapping[k] for k in keys]), idx)


def _to_strings(table: pa.Table, style: str) -> pa.Table:
    """All-string version of a typed case table: English/ISO ('iso') or Vietnamese ('vi')."""
    cols, names = [], []
    for name in CASE_COLUMNS:
        col = table.column(name)
        if name in TS_COLUMNS:
            out = _fmt_ts(col, style)
        elif name in BOOL_COLUMNS and style == "vi":
            out = pc.if_else(col, "Có", "Không")
        elif style == "vi" and name in ("status", "channel", "rating"):
            out = _vi_map(col, {"status": VI_STATUS, "channel": VI_CHANNEL,
                                "rating": VI_RATING}[name])
        else:
            out = pc.cast(col, pa.string())
        cols.append(out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out)
        names.append(VI_HEADERS[name] if style == "vi" else name)
    return pa.table(cols, names=names)


def _inject(table: pa.Table, extra: pa.Table, positions: np.ndarray) -> pa.Table:
    n = table.num_rows
    order = np.insert(np.arange(n), positions, n + np.arange(extra.num_rows))
    return pa.concat_tables([table, extra.cast(table.schema)]).take(pa.array(order))


def _typed_extra(extra: list[tuple[dict, dict]]) -> pa.Table:
    return pa.Table.from_pylist([r for r, _ in extra], schema=CASE_SCHEMA)


def _string_extra(extra: list[tuple[dict, dict]], style: str) -> pa.Table:
    table = _to_strings(_typed_extra(extra), style)
    rows = table.to_pylist()
    for row, (_, over) in zip(rows, extra, strict=True):
        for col, (iso_text, vi_text) in over.items():
            if style == "vi":
                row[VI_HEADERS[col]] = vi_text
            else:
                row[col] = iso_text
    return pa.Table.from_pylist(rows, schema=table.schema)


class _CaseSink:
    """One case file being written chunk by chunk; plants its bad rows in its first chunk."""

    def __init__(self, path: Path, fmt: str, kinds: list[str]) -> None:
        self.path, self.fmt, self.kinds = path, fmt, list(kinds)
        self.rows = 0
        self.bad: list[tuple[str, str, str]] = []
        self._writer: pq.ParquetWriter | pacsv.CSVWriter | None = None
        self._fh: io.BufferedWriter | None = None
        self._xlsx_parts: list[pa.Table] = []
        self._xlsx_planted: tuple[list[tuple[dict, dict]], np.ndarray] | None = None

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        extra: list[tuple[dict, dict]] = []
        positions = np.array([], dtype=np.int64)
        if self.kinds:
            extra, positions = _plant(table, self.kinds)
            self.bad = [(self.path.name, _bad_id(k), BAD_KINDS[k]) for k in self.kinds]
            self.kinds = []
        self.rows += table.num_rows + len(extra)
        if self.fmt == "parquet":
            if extra:
                table = _inject(table, _typed_extra(extra), positions)
            if self._writer is None:
                self._writer = pq.ParquetWriter(self.path, CASE_SCHEMA, compression="zstd")
            self._writer.write_table(table)
        elif self.fmt in ("csv_iso", "csv_vi"):
            style = "vi" if self.fmt == "csv_vi" else "iso"
            strings = _to_strings(table, style)
            if extra:
                strings = _inject(strings, _string_extra(extra, style), positions)
            if self._writer is None:
                self._fh = open(self.path, "wb")  # noqa: SIM115 - closed in close()
                if style == "vi":
                    self._fh.write(b"\xef\xbb\xbf")
                options = pacsv.WriteOptions(quoting_style="needed")
                self._writer = pacsv.CSVWriter(self._fh, strings.schema, write_options=options)
            self._writer.write_table(strings)
        else:  # xlsx: keep compact Arrow parts, turn them into cells at close()
            self._xlsx_parts.append(table)
            if extra:
                self._xlsx_planted = (extra, positions)

    def close(self, rng: np.random.Generator, unit_names: dict[str, str]) -> None:
        if self.fmt == "xlsx":
            _write_cases_xlsx(self.path, self._xlsx_parts, self._xlsx_planted, rng, unit_names)
            self._xlsx_parts = []
        if self._writer is not None:
            self._writer.close()
        if self._fh is not None:
            self._fh.close()
