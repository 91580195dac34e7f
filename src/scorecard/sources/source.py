"""A source file read through a profile: canonical ``cases`` rows streamed as Arrow batches.

:func:`open_source` checks the file and the profile, works out the layout (which source fields
the file has, which personal fields it drops, which it ignores) and returns a
:class:`SourceRead` whose :meth:`~SourceRead.batches` stream the mapped rows, chunk by chunk, in
bounded memory. Each batch has the canonical ``cases`` columns (:data:`CASE_COLUMNS`), then
``_row``, ``_reject``, ``_reject_column``, ``_reject_value`` and ``_supplements``
(:data:`EXTRA_COLUMNS`); see the package docstring for the contract.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from scorecard.pseudonym import PseudonymKey
from scorecard.readers import PII_KEYS, ReadError, norm
from scorecard.sources import raw
from scorecard.sources.mapping import (
    APPLICANT_KEY_FUNCTION,
    CASE_COLUMNS,
    EXTRA_COLUMNS,
    Fields,
    chunk_query,
    prepare,
    profile_fields,
)
from scorecard.sources.profile import (
    SOURCES_DIR,
    SourceProfile,
    list_source_profiles,
    load_source_profile,
)

#: Records sampled from the start of a JSON file to learn its field names.
SAMPLE_RECORDS = 1000
#: Records mapped at a time (each chunk is one query; ~1 KB a record, the reader's peak stays
#: near 0.6 GB whatever the file's size).
SOURCE_CHUNK_ROWS = 50_000
#: Memory the mapping connection may use (it holds one chunk and its query).
MAPPING_MEMORY = "512MB"


@dataclass
class SourceLayout:
    """What the reader found in the file."""

    profile: str
    format: str                       # jsonl | json-array | json-objects | csv | xlsx
    fields: dict[str, str | None]     # profile's source field -> the file's spelling (None = absent)
    dropped_pii: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # canonical column -> source field(s)
    #: ID-number fields replaced by ``applicant_key`` (a pseudonym key was given)
    pseudonymised: list[str] = field(default_factory=list)


@dataclass
class SourceRead:
    """An opened source: its layout and the stream of mapped batches (one pass)."""

    path: Path
    profile: SourceProfile
    layout: SourceLayout
    _chunks: Iterator[pa.Table]
    _query: str
    _units: pd.DataFrame
    _key: PseudonymKey | None = None

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Mapped batches, in file order (one per chunk; a chunk holds ``chunk_rows`` records)."""
        con = duckdb.connect()
        try:
            con.execute("SET preserve_insertion_order = true")
            con.execute(f"SET memory_limit = '{MAPPING_MEMORY}'")
            prepare(con, self.profile, self._units)
            if self._key is not None:
                from scorecard.pseudonym_sql import register

                register(con, self._key, name=APPLICANT_KEY_FUNCTION)
            for chunk in self._chunks:
                con.register("chunk", chunk)
                try:
                    table = con.sql(self._query).to_arrow_table()
                finally:
                    con.unregister("chunk")
                yield from table.cast(SCHEMA).to_batches()
        finally:
            con.close()

    def reader(self) -> pa.RecordBatchReader:
        """The batches as one Arrow stream (DuckDB scans it as a table: ``con.register``)."""
        return pa.RecordBatchReader.from_batches(SCHEMA, self.batches())


def _arrow_type(sql: str) -> pa.DataType:
    simple = {"VARCHAR": pa.string(), "TIMESTAMP": pa.timestamp("us"), "BIGINT": pa.int64(),
              "BOOLEAN": pa.bool_()}
    if sql in simple:
        return simple[sql]
    supplement = pa.struct([("seq", pa.int64()), ("requested_at", pa.timestamp("us")),
                            ("returned_at", pa.timestamp("us")),
                            ("due_before", pa.timestamp("us")), ("due_after", pa.timestamp("us"))])
    return pa.list_(supplement)


#: The Arrow schema of every batch: canonical columns, then the extra ones.
SCHEMA = pa.schema([(c, _arrow_type(t)) for c, t in {**CASE_COLUMNS, **EXTRA_COLUMNS}.items()])


def spell_fields(profile: SourceProfile, keys: list[str],
                 pseudonymise: bool = False) -> dict[str, str | None]:
    """Each source field the profile reads -> how ``keys`` spell it (exact, else ignoring case,
    accents and spacing), None when the file does not have it. The ID-number fields are read
    only when ``pseudonymise``."""
    by_norm: dict[str, str] = {}
    for k in keys:
        by_norm.setdefault(norm(k), k)
    exact = set(keys)
    return {f: (f if f in exact else by_norm.get(norm(f)))
            for f in profile_fields(profile, pseudonymise)}


def source_columns(profile: SourceProfile) -> dict[str, str]:
    """Canonical column -> the source field(s) it comes from, for messages ("procedure_id" ->
    "MaTTHC"): the loader can name the user's field in its own rejects."""
    out = {col: "/".join(src) for col, src in profile.fields.items()}
    out["resolved_at"] = "/".join(dict.fromkeys(f for fs in profile.finished_at.values()
                                                for f in fs))
    out["unit_id"] = "/".join([*profile.unit.code, *([profile.unit.name] if profile.unit.name
                                                      else [])])
    for col, spec in (("fee_required", profile.fees), ("e_result", profile.result_documents),
                      ("supplement_requests", profile.supplements),
                      ("supplement_requested_at", profile.supplements)):
        if spec is not None:
            out[col] = spec.field
    return out


def split_keys(profile: SourceProfile, keys: list[str],
               spelled: dict[str, str | None]) -> tuple[list[str], list[str]]:
    """(personal fields dropped, other fields ignored) among ``keys``."""
    used = {k for k in spelled.values() if k is not None}
    personal = {norm(p) for p in (*profile.personal, *profile.applicant_id)}
    dropped, ignored = [], []
    for k in keys:
        if k in used:
            continue
        key = norm(k)
        if key in personal or any(p in key for p in PII_KEYS):
            dropped.append(k)
        else:
            ignored.append(k)
    return dropped, ignored


def detect_profile(keys: list[str], directory: Path = SOURCES_DIR) -> str | None:
    """The first profile (by name) whose ``detect`` fields are all among ``keys``."""
    have = {norm(k) for k in keys}
    for name in list_source_profiles(directory):
        prof = load_source_profile(name, directory)
        if all(norm(f) in have for f in prof.detect):
            return name
    return None


def file_keys(path: Path, chunk_rows: int = SAMPLE_RECORDS) -> list[str]:
    """Field names of a source file: a CSV/XLSX header, or the keys of its first JSON records."""
    suffix = path.suffix.lower()
    if suffix in raw.TABLE_SUFFIXES:
        headers, _ = raw.table_chunks(path, chunk_rows)
        return headers
    for chunk in raw.json_chunks(path, chunk_rows):
        return raw.json_keys(chunk)
    return []


def open_source(path: str | Path, profile: str | Path | SourceProfile = "dvcqg", *,
                units: pd.DataFrame, default_unit: str | None = None,
                chunk_rows: int = SOURCE_CHUNK_ROWS,
                pseudonym_key: PseudonymKey | None = None) -> SourceRead:
    """Open ``path`` (JSON Lines, JSON array, CSV or XLSX) with a source profile.

    ``units``: the store's units (``unit_id``, ``name``) for unit matching; ``default_unit``:
    the unit of cases whose unit fields match nothing (``--unit``); ``pseudonym_key``: the
    applicant pseudonym key (issue 13.2): the profile's ID-number fields become
    ``applicant_key``; without it they are dropped like other personal data. Raises
    :class:`ReadError` when the file cannot be read at all or ``default_unit`` is not a unit of
    ``units``.
    """
    path = Path(path)
    prof = load_source_profile(profile)
    if not path.is_file():
        raise ReadError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in raw.SUFFIXES:
        raise ReadError(f"{path.name}: unsupported format {suffix!r} for a source profile "
                        f"(use {', '.join(raw.SUFFIXES)})")
    if default_unit is not None and default_unit not in set(units["unit_id"].astype(str)):
        raise ReadError(f"--unit {default_unit}: not a unit of the store")
    if suffix in raw.TABLE_SUFFIXES:
        keys, chunks = raw.table_chunks(path, chunk_rows, prof.timestamp_formats[0])
        fmt, shown = "table", suffix.lstrip(".")
    else:
        chunks = raw.json_chunks(path, chunk_rows)
        first = next(chunks, None)
        keys = raw.json_keys(first.slice(0, SAMPLE_RECORDS)) if first is not None else []
        chunks = _chain(first, chunks)
        fmt = "json"
        shown = {"lines": "jsonl", "array": "json-array", "objects": "json-objects"}[
            raw.json_layout(path)]
    id_keys = {norm(f) for f in prof.applicant_id}
    pseudonymise = pseudonym_key is not None and any(norm(k) in id_keys for k in keys)
    spelled = spell_fields(prof, keys, pseudonymise)
    if keys and not any(spelled.get(f) for f in prof.detect):
        raise ReadError(f"{path.name}: none of the fields {', '.join(prof.detect)} of source "
                        f"profile {prof.id!r} is in this file (found: {', '.join(keys[:20])})")
    dropped, ignored = split_keys(prof, keys, spelled)
    columns = source_columns(prof)
    replaced: list[str] = []
    if pseudonymise:
        replaced = [k for f in prof.applicant_id if (k := spelled.get(f)) is not None]
        columns["applicant_key"] = "/".join(replaced)
        if "applicant_key" in prof.fields:  # a ready-made pseudonym: not used with a key
            ready = [k for f in prof.fields["applicant_key"] if (k := spelled.get(f))]
            ignored += [f"{k} (applicant_key computed from {'/'.join(replaced)} instead)"
                        for k in ready]
    layout = SourceLayout(prof.id, shown, spelled, dropped, ignored, columns, replaced)
    query = chunk_query(prof, Fields(spelled), fmt, default_unit, pseudonymise)
    return SourceRead(path, prof, layout, chunks, query, units[["unit_id", "name"]].copy(),
                      pseudonym_key if pseudonymise else None)


def _chain(first: pa.Table | None, rest: Iterator[pa.Table]) -> Iterator[pa.Table]:
    if first is not None:
        yield first
        yield from rest


#: The ``case_supplements`` rows of the records a relation keeps (``_reject IS NULL``), in the
#: table's column order; ``{relation}`` is the staged mapped rows (or a filtered view of them).
SUPPLEMENTS_SQL = """
SELECT case_id, s.seq AS seq, s.requested_at AS requested_at, s.returned_at AS returned_at,
       s.due_before AS due_before, s.due_after AS due_after
FROM (SELECT case_id, _row, unnest(_supplements) AS s FROM {relation} WHERE _reject IS NULL)
ORDER BY _row, seq
"""


def read_source_frames(path: str | Path, profile: str | Path | SourceProfile = "dvcqg", *,
                       units: pd.DataFrame, default_unit: str | None = None,
                       chunk_rows: int = SOURCE_CHUNK_ROWS,
                       pseudonym_key: PseudonymKey | None = None,
                       ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The whole file in memory, for small files and tests: (accepted-by-the-source case rows,
    their supplement rows, rejected records with ``_row, case_id, unit_id, _reject,
    _reject_column, _reject_value``)."""
    src = open_source(path, profile, units=units, default_unit=default_unit,
                      chunk_rows=chunk_rows, pseudonym_key=pseudonym_key)
    table = pa.Table.from_batches(list(src.batches()), schema=SCHEMA)
    con = duckdb.connect()
    try:
        con.register("mapped", table)
        cases = con.execute(f"SELECT {', '.join(CASE_COLUMNS)}, _row FROM mapped "
                            "WHERE _reject IS NULL ORDER BY _row").df()
        supps = con.execute(SUPPLEMENTS_SQL.format(relation="mapped")).df()
        rejects = con.execute("SELECT _row, case_id, unit_id, _reject, _reject_column, "
                              "_reject_value FROM mapped WHERE _reject IS NOT NULL "
                              "ORDER BY _row").df()
    finally:
        con.close()
    return cases, supps, rejects
