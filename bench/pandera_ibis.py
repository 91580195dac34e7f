"""Why the loader's checks are SQL from the declarations and not pandera's Ibis backend: pandera
0.35's `pandera.ibis` on the staged cases of a DuckDB table, against the same checks as one SQL
query (bench/README.md has the figures). Needs the optional ``ibis-framework[duckdb]`` (not a
dependency of the project):

    .venv/bin/pip install "ibis-framework[duckdb]==12.0.0"
    .venv/bin/python bench/pandera_ibis.py --cases 1000000

What it shows: pandera.ibis runs one query per check (each a full scan) and, for every failing
check, pulls the check's whole boolean column into pandas to find the failing positions; the
failure cases carry positions in an unordered query result, not the file's row numbers, and a
failed uniqueness check reports an expression, not rows. The SQL checks do all of it in one scan
and name each bad row.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import demo_data, load_average  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1_000_000)
    args = ap.parse_args()
    try:
        import ibis
        import ibis.expr.datatypes as dt
        import pandera.ibis as pa
    except ImportError:
        print("ibis-framework is not installed: pip install 'ibis-framework[duckdb]==12.0.0'")
        return
    folder = demo_data(args.cases)
    con = ibis.duckdb.connect()
    con.raw_sql(f"CREATE TEMP TABLE st AS SELECT row_number() OVER () + 1 AS _row, * "
                f"FROM read_parquet('{folder / 'cases.parquet'}')")
    table = con.table("st")
    statuses = ["pending", "resolved", "withdrawn", "refused"]
    schema = pa.DataFrameSchema({
        "case_id": pa.Column(dt.String, nullable=False, checks=[pa.Check.str_length(min_value=1)]),
        "unit_id": pa.Column(dt.String, nullable=False),
        "procedure_id": pa.Column(dt.String, nullable=False),
        "received_at": pa.Column(dt.Timestamp(scale=6), nullable=False),
        "due_at": pa.Column(dt.Timestamp(scale=6), nullable=False),
        "resolved_at": pa.Column(dt.Timestamp(scale=6), nullable=True),
        "status": pa.Column(dt.String, nullable=False, checks=[pa.Check.isin(statuses)]),
        "channel": pa.Column(dt.String, nullable=False,
                             checks=[pa.Check.isin(["online", "direct", "postal"])]),
        "supplement_requests": pa.Column(dt.Int32, nullable=False, checks=[pa.Check.ge(0)]),
        "rating": pa.Column(dt.String, nullable=True, checks=[pa.Check.isin(
            ["very_satisfied", "satisfied", "dissatisfied"])]),
    }, checks=[
        pa.Check(lambda d: d.table.select(ok=(d.table.due_at >= d.table.received_at)),
                 name="due_before_received"),
        pa.Check(lambda d: d.table.select(ok=(d.table.resolved_at >= d.table.received_at)
                                          | d.table.resolved_at.isnull()),
                 name="resolved_before_received"),
        pa.Check(lambda d: d.table.select(ok=((d.table.status == "pending")
                                              == d.table.resolved_at.isnull())),
                 name="status_vs_resolved_at"),
    ], unique=["case_id"], report_duplicates="exclude_first")
    t, c = time.perf_counter(), os.times()
    try:
        schema.validate(table, lazy=True)
        failures = None
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    ibis_s, ibis_cpu = time.perf_counter() - t, os.times().user - c.user
    sql = ("SELECT _row FROM st WHERE case_id IS NULL OR unit_id IS NULL OR procedure_id IS NULL "
           "OR received_at IS NULL OR due_at IS NULL OR status IS NULL OR channel IS NULL "
           "OR status NOT IN ('pending', 'resolved', 'withdrawn', 'refused') "
           "OR channel NOT IN ('online', 'direct', 'postal') OR supplement_requests < 0 "
           "OR NOT coalesce(due_at >= received_at, TRUE) "
           "OR NOT coalesce(resolved_at >= received_at, TRUE) "
           "OR NOT coalesce((status = 'pending') = (resolved_at IS NULL), TRUE) "
           "UNION ALL SELECT _row FROM (SELECT _row, min(_row) OVER (PARTITION BY case_id) AS f "
           "FROM st) WHERE _row > f")
    t, c = time.perf_counter(), os.times()
    rows = con.raw_sql(sql).fetchall()
    sql_s, sql_cpu = time.perf_counter() - t, os.times().user - c.user
    print(f"cases: {args.cases:,}; load average {load_average()}")
    print(f"pandera.ibis validate(lazy=True): {ibis_s:.2f} s wall, {ibis_cpu:.2f} s CPU; "
          f"failure cases: {0 if failures is None else len(failures)} (positions, not rows)")
    print(f"the same checks as one SQL query: {sql_s:.2f} s wall, {sql_cpu:.2f} s CPU; bad rows "
          f"{len(rows)} with their row numbers")
    if failures is not None:
        print(failures[["column", "check", "index"]].to_string(index=False))


if __name__ == "__main__":
    main()
