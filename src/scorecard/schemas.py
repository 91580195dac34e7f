"""What valid data is, as pandera schemas derived from the declarations (:mod:`scorecard.columns`).

The loader checks files in DuckDB with SQL generated from the same declarations
(:mod:`scorecard.checks`): pandera's own backends either pull every row into pandas or, with the
Ibis backend (pandera 0.35 + ibis-framework 12), run one query per check and still bring each
failing check's whole result column into pandas, without the row numbers a reject needs (measured
in bench/README.md). These schemas are for frames in memory: a typed chunk from
``readers.read_chunks``, a notebook's own frame, and the test that holds the SQL checks and the
schemas to the same verdicts.

- column checks: dtype, nullable (required), allowed values, minimum, pattern, safe ids
  (``outputs.id_problem``);
- row rules: each :class:`~scorecard.columns.Rule`'s SQL, evaluated on the frame by DuckDB;
- the key: unique (first occurrence kept); references: against ``known`` keys when given.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd
import pandera.pandas as pa

from scorecard.columns import FORM06_TOTALS, PERIOD_PATTERN, SPECS, Column, Kind, Rule
from scorecard.outputs import id_problem

__all__ = ["FORM06_TOTALS", "PERIOD_PATTERN", "REASONS", "REFERENCES", "schema_for"]

_DTYPES = {"id": "string", "text": "string", "key": "string", "enum": "string",
           "bool": "boolean", "int": "Int64", "count": "Int64", "float": "Float64",
           "timestamp": "datetime64[us]", "date": "datetime64[us]"}

#: Row rules: name -> (the columns a rejected row names, the reason shown in rejects).
REASONS: dict[str, tuple[tuple[str, ...], str]] = {
    r.name: (r.columns, r.reason) for k in SPECS.values() for r in k.rules}

#: Reference checks: kind -> column -> the kind whose keys it must name.
REFERENCES: dict[str, dict[str, str]] = {
    k.name: {c.name: c.references for c in k.columns if c.references}
    for k in SPECS.values() if any(c.references for c in k.columns)}


def _column(col: Column, known: dict[str, Iterable[str]] | None) -> pa.Column:
    checks: list[pa.Check] = []
    if col.enum is not None:
        checks.append(pa.Check.isin(list(col.enum.codes)))
    if col.min is not None:
        checks.append(pa.Check.ge(col.min))
    if col.pattern is not None:
        checks.append(pa.Check.str_matches(f"^(?:{col.pattern})$"))
    if col.safe_id:
        checks.append(pa.Check(lambda s: s.map(lambda v: pd.isna(v) or id_problem(v) is None),
                               name="safe_id"))
    if col.references and known is not None and col.references in known:
        allowed = set(known[col.references])
        checks.append(pa.Check(lambda s, allowed=allowed: s.isna() | s.isin(allowed),
                               name=f"unknown_{col.references}"))
    if col.type in ("id", "text") and not col.is_nullable:
        checks.append(pa.Check.str_length(min_value=1))
    return pa.Column(_DTYPES[col.type], checks=checks, nullable=col.is_nullable,
                     required=col.required, coerce=True, name=col.name)


def _rule_check(rule: Rule) -> pa.Check:
    """The rule's SQL evaluated by DuckDB on the frame, one verdict per row, in order."""

    def holds(df: pd.DataFrame) -> pd.Series:
        con = duckdb.connect()
        try:
            con.register("frame", df.reset_index(drop=True))
            ok = con.execute(f"SELECT coalesce(({rule.sql}), TRUE) AS ok FROM frame").df()["ok"]
        finally:
            con.close()
        return pd.Series(ok.to_numpy(dtype=bool), index=df.index)

    return pa.Check(holds, name=rule.name)


def schema_for(kind: str | Kind, known: dict[str, Iterable[str]] | None = None) -> pa.DataFrameSchema:
    """The pandera schema of a kind, with reference checks against ``known`` keys (kind ->
    keys) and uniqueness of the key (first occurrence kept)."""
    spec = SPECS[kind] if isinstance(kind, str) else kind
    return pa.DataFrameSchema(
        {c.name: _column(c, known) for c in spec.columns},
        checks=[_rule_check(r) for r in spec.rules],
        unique=list(spec.key),
        report_duplicates="exclude_first",
        strict=False,
        name=spec.name,
    )
