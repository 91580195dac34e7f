"""Ingest benchmark: `scorecard ingest` (read, validate, load, with rejects) beside DuckDB's own bare
read_csv / read_parquet into a table, in the same run, each in a fresh process with its peak RSS.

    python bench/ingest.py --cases 1000000            # CSV and Parquet
    python bench/ingest.py --cases 100000 --formats csv
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, demo_data, fmt_rate, machine, run_child  # noqa: E402

OURS = """
import json, sys
from pathlib import Path
from scorecard.ingest import ingest_files
folder, fmt, db = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
ingest_files([folder / "units.csv", folder / "procedures.csv"], db=db)
import time
t0 = time.perf_counter()
(rep,) = ingest_files([folder / f"cases.{fmt}"], db=db)
dt = time.perf_counter() - t0
assert rep.status == "loaded", rep.error
assert rep.rows_read == rep.rows_accepted + rep.rows_rejected
print(json.dumps({"rows": rep.rows_read, "accepted": rep.rows_accepted,
                  "rejected": rep.rows_rejected, "load_seconds": dt}))
"""

BARE = """
import json, sys, time, duckdb
path, fmt, db = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect(db)
t0 = time.perf_counter()
# DuckDB's own reject handling (store_rejects) keeps the bad rows aside, as ours does
source = f"read_csv('{path}', store_rejects = true)" if fmt == "csv" else f"read_parquet('{path}')"
con.execute(f"CREATE TABLE cases AS SELECT * FROM {source}")
n = con.execute("SELECT count(*) FROM cases").fetchone()[0]
con.close()
print(json.dumps({"rows": n, "load_seconds": time.perf_counter() - t0}))
"""


TYPED = """
import json, sys, time, duckdb
from scorecard.store import create_schema
path, fmt, db = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect(db)
create_schema(con)
t0 = time.perf_counter()
# the store's own typed table (primary key, CHECKs); DuckDB aborts a whole INSERT on one bad row,
# so the demo's planted bad rows are left out by id, and CSV cells it cannot parse are skipped
source = (f"read_csv('{path}', ignore_errors = true)" if fmt == "csv"
          else f"read_parquet('{path}')")
con.execute(f"INSERT INTO cases BY NAME SELECT * FROM {source} WHERE case_id NOT LIKE 'DEMO-HS-BAD%'")
n = con.execute("SELECT count(*) FROM cases").fetchone()[0]
con.close()
print(json.dumps({"rows": n, "load_seconds": time.perf_counter() - t0}))
"""


def bench_ingest(cases: int, formats: list[str]) -> list[dict]:
    folder = demo_data(cases)
    rows = []
    for fmt in formats:
        work = OUT / "dbs"
        work.mkdir(parents=True, exist_ok=True)
        for name in (f"ours-{fmt}.duckdb", f"bare-{fmt}.duckdb", f"typed-{fmt}.duckdb"):
            for suffix in ("", ".wal"):
                (work / (name + suffix)).unlink(missing_ok=True)
        ours = run_child(OURS, str(folder), fmt, str(work / f"ours-{fmt}.duckdb"))
        bare = run_child(BARE, str(folder / f"cases.{fmt}"), fmt, str(work / f"bare-{fmt}.duckdb"))
        typed = run_child(TYPED, str(folder / f"cases.{fmt}"), fmt,
                          str(work / f"typed-{fmt}.duckdb"))
        n = ours.output["rows"]
        rows.append({
            "format": fmt, "rows": n, "rejected": ours.output["rejected"],
            "ours_s": ours.output["load_seconds"], "ours_peak_mb": ours.peak_rss_mb,
            "bare_s": bare.output["load_seconds"], "bare_peak_mb": bare.peak_rss_mb,
            "ratio": ours.output["load_seconds"] / bare.output["load_seconds"],
            "typed_s": typed.output["load_seconds"], "typed_peak_mb": typed.peak_rss_mb,
            "typed_ratio": ours.output["load_seconds"] / typed.output["load_seconds"],
        })
    return rows


def print_ingest(rows: list[dict]) -> None:
    print("bare DuckDB = CREATE TABLE AS read_csv/read_parquet (untyped table, no key); "
          "typed = INSERT into the store's cases table (primary key, CHECKs), bad rows left out")
    print("| format | rows | scorecard ingest | peak RSS | bare DuckDB | peak RSS | ratio "
          "| typed DuckDB | peak RSS | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['format']} | {r['rows']:,} | {r['ours_s']:.1f} s ({fmt_rate(r['rows'], r['ours_s'])}) "
              f"| {r['ours_peak_mb']:,.0f} MB | {r['bare_s']:.1f} s ({fmt_rate(r['rows'], r['bare_s'])}) "
              f"| {r['bare_peak_mb']:,.0f} MB | {r['ratio']:.1f}× "
              f"| {r['typed_s']:.1f} s | {r['typed_peak_mb']:,.0f} MB | {r['typed_ratio']:.1f}× |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--formats", default="csv,parquet")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    print_ingest(bench_ingest(args.cases, args.formats.split(",")))


if __name__ == "__main__":
    main()
