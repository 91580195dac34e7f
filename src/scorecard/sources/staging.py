"""A file in a source profile's layout as a loader :class:`~scorecard.readers.Source`.

:func:`open_profile_source` is what ``scorecard ingest --source dvcqg`` (and the detection of a
DVCQG file) runs: the profile's mapped batches (:func:`scorecard.sources.open_source`, matching
units against the store's ``units``) are copied once into a temporary table of the store
connection (typed columns, so nothing is typed twice; DuckDB spills it beside the store past its
memory limit), and the loader then treats it like any reader's relation:

- the canonical ``cases`` columns and ``_row`` (the record's line or position in the file);
- ``issues``: the records the source refuses (``_reject``), rejected with those reasons alone,
  naming the file's fields (``TrangThaiHoSo``), so read = accepted + rejected still holds;
- ``labels``: declared column -> the file's field, so the loader's own rejects name the
  user's field (``MaTTHC: not a known procedure id``);
- ``dependents``: the ``case_supplements`` rows of the accepted cases, loaded in the same
  transaction; the stored history of every case the file carries is replaced (a reload leaves
  no stale supplement row).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from scorecard.readers import Dependent, FileLayout, ReadError, ReadOptions, Source
from scorecard.sources import source
from scorecard.sources.mapping import CASE_COLUMNS
from scorecard.sources.profile import SourceProfileError, load_source_profile
from scorecard.sources.source import SCHEMA, SUPPLEMENTS_SQL, open_source
from scorecard.sqltyping import ident

_names = count()

#: How a file's layout reads in the load summary.
FORMAT_NAMES = {"jsonl": "JSON Lines", "json-array": "JSON array",
                "json-objects": "JSON objects", "csv": "CSV", "xlsx": "Excel"}


class _Guarded:
    """An iterator that keeps the exception that ended it (DuckDB reports only its text)."""

    def __init__(self, it: Iterator[pa.RecordBatch]) -> None:
        self.it = it
        self.error: BaseException | None = None

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        try:
            yield from self.it
        except BaseException as exc:
            self.error = exc
            raise


def _store_units(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    try:
        return con.execute("SELECT unit_id, name FROM units").df()
    except duckdb.CatalogException:  # a connection without a store (notebooks, tests)
        return pd.DataFrame({"unit_id": pd.Series(dtype=str), "name": pd.Series(dtype=str)})


def open_profile_source(con: duckdb.DuckDBPyConnection, path: Path, kind: str | None,
                        options: ReadOptions, profile: str = "dvcqg") -> Source:
    """``path`` read with the source profile ``profile`` into a temporary table of ``con``, as a
    :class:`~scorecard.readers.Source` of the profile's kind (ReadError when the file or the
    profile cannot be read, or ``kind`` is not the profile's)."""
    try:
        prof = load_source_profile(profile)
    except SourceProfileError as exc:
        raise ReadError(str(exc)) from exc
    if kind is not None and kind != prof.kind:
        raise ReadError(f"{path.name}: source profile {prof.id!r} gives {prof.kind}, not {kind}")
    read = open_source(path, prof, units=_store_units(con), default_unit=options.default_unit,
                       pseudonym_key=options.pseudonym_key, chunk_rows=source.SOURCE_CHUNK_ROWS)
    n = next(_names)
    table, view = f"_source_rows_{n}", f"_source_stream_{n}"
    stream = _Guarded(read.batches())
    con.register(view, pa.RecordBatchReader.from_batches(SCHEMA, iter(stream)))
    try:
        con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM {view}")
    except duckdb.Error as exc:
        con.execute(f"DROP TABLE IF EXISTS {table}")
        if isinstance(stream.error, ReadError):
            raise stream.error from exc
        cause = stream.error or exc
        text = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        raise ReadError(f"{path.name}: cannot read with source profile {prof.id!r}: "
                        f"{text}") from exc
    finally:
        con.unregister(view)
    lay = read.layout
    labels = {canon: field for canon, field in lay.columns.items() if field}
    layout = FileLayout(prof.kind, {field: canon for canon, field in labels.items()},
                        lay.dropped_pii, lay.ignored,
                        pseudonymised={f: "applicant_key" for f in lay.pseudonymised},
                        read_as=f"{prof.id}, {FORMAT_NAMES.get(lay.format, lay.format)}")
    accepted = f"(SELECT * FROM {table} WHERE _row IN (SELECT _row FROM {{accepted}}))"
    supplements = Dependent("case_supplements", "case_id",
                            SUPPLEMENTS_SQL.format(relation=accepted))
    return Source(
        prof.kind, layout, table, "_row",
        {c: (ident(c), t) for c, t in CASE_COLUMNS.items()},
        issues=(f"SELECT _row, _reject_column AS c, _reject_value AS v, _reject AS r "
                f"FROM {table} WHERE _reject IS NOT NULL"),
        close=lambda: con.execute(f"DROP TABLE IF EXISTS {table}"),
        labels=labels, dependents=(supplements,))
