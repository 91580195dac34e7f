"""Applicant pseudonyms inside DuckDB: the ID-number column becomes ``applicant_key`` as it is read.

:func:`register` adds two scalar functions to a connection, one for ID numbers held as text and
one for ID numbers held as numbers (a spreadsheet or Parquet number that lost its leading zeros:
:func:`scorecard.pseudonym.normalise_id` writes them back). A reader selects
``<function>(<ID column>)`` instead of the column, so the staging table, the checks and the
store only ever see the HMAC, never the ID. The key stays in the Python closure: it is not part
of any SQL text, query plan or error message. The functions are vectorised (Arrow arrays in,
Arrow arrays out) and compute each distinct value of a batch once.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from itertools import count

import duckdb
import pyarrow as pa

from scorecard.pseudonym import PseudonymKey, applicant_keys

_names = count()

#: SQL types read as numbers (their text would lose the leading zeros a number lost).
NUMERIC_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                 "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "REAL")


@dataclass(frozen=True)
class KeyFunctions:
    """The names of the registered functions (text IDs, numeric IDs) and their connection."""

    con: duckdb.DuckDBPyConnection
    text: str
    number: str

    def sql(self, column_sql: str, column_type: str) -> str:
        """SQL of the applicant_key of a source column of SQL type ``column_type``."""
        if column_type in NUMERIC_TYPES or column_type.startswith("DECIMAL"):
            return f"{self.number}(CAST({column_sql} AS DOUBLE))"
        if column_type == "VARCHAR":
            return f"{self.text}({column_sql})"
        return f"{self.text}(CAST({column_sql} AS VARCHAR))"

    def remove(self) -> None:
        """Unregister both functions (the connection stays open)."""
        for name in (self.text, self.number):
            # (already gone when the connection was closed)
            with contextlib.suppress(duckdb.Error, ValueError):
                self.con.remove_function(name)


def _keys_of(key: PseudonymKey):  # type: ignore[no-untyped-def]
    def keys(values: pa.Array | pa.ChunkedArray) -> pa.Array:
        items = values.to_pylist()
        distinct = list(dict.fromkeys(v for v in items if v is not None))
        by_value = dict(zip(distinct, applicant_keys(distinct, key), strict=True))
        return pa.array([None if v is None else by_value[v] for v in items], pa.string())

    return keys


def register(con: duckdb.DuckDBPyConnection, key: PseudonymKey,
             name: str | None = None) -> KeyFunctions:
    """Register the applicant-key functions of ``key`` on ``con``: ``name`` (text IDs) and
    ``name_number`` (numeric IDs); by default names unique to this call."""
    text = name or f"_applicant_key_{next(_names)}"
    funcs = KeyFunctions(con, text, f"{text}_number")
    for name, arg in ((funcs.text, "VARCHAR"), (funcs.number, "DOUBLE")):
        con.create_function(name, _keys_of(key), [arg], "VARCHAR", type="arrow",
                            null_handling="special", side_effects=False)
    return funcs
