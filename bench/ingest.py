"""Ingest benchmarks, each run in a fresh process with its peak RSS, beside DuckDB doing the same.

    python bench/ingest.py --cases 1000000                      # CSV and Parquet, with baselines
    python bench/ingest.py --cases 100000 --formats csv
    python bench/ingest.py --append 1000000 --store 10000000    # 1M new cases into a 10M store
    python bench/ingest.py --xlsx 200000                        # a cases workbook vs the same CSV

Baselines (same rows, same machine, same run):
- bare: ``CREATE TABLE AS SELECT * FROM read_csv/read_parquet`` (untyped, no key; CSV with
  ``store_rejects``);
- typed: ``INSERT INTO`` the store's own ``cases`` table (its DDL: types, NOT NULL, CHECKs; the key
  kept by the loader) with the planted bad rows left out by id, since DuckDB aborts a whole INSERT
  on one bad row;
- typed+PK: the same into a ``cases`` table with a PRIMARY KEY index on case_id (the store's
  design before issue 14).
Each child reports the wall and CPU seconds of the load alone (after imports and opening the
store); the load average is printed with the figures (other jobs on the machine slow wall time).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, demo_data, fmt_rate, goal, load_average, machine, run_child  # noqa: E402

OURS = """
import json, os, sys, time
from pathlib import Path
from scorecard.ingest import ingest_files
folder, file, db = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
ingest_files([folder / "units.csv", folder / "procedures.csv"], db=db)
t0, c0 = time.perf_counter(), os.times()
(rep,) = ingest_files([file], db=db, kind="cases")
c1, dt = os.times(), time.perf_counter() - t0
assert rep.status == "loaded", rep.error
assert rep.rows_read == rep.rows_accepted + rep.rows_rejected
print(json.dumps({"rows": rep.rows_read, "accepted": rep.rows_accepted,
                  "rejected": rep.rows_rejected, "load_seconds": dt,
                  "cpu_seconds": c1.user - c0.user + c1.system - c0.system,
                  "reasons": dict(rep.reasons)}))
"""

BARE = """
import json, os, sys, time, duckdb
path, fmt, db = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect(db)
t0, c0 = time.perf_counter(), os.times()
# DuckDB's own reject handling (store_rejects) keeps the bad rows aside, as ours does
source = f"read_csv('{path}', store_rejects = true)" if fmt == "csv" else f"read_parquet('{path}')"
con.execute(f"CREATE TABLE cases AS SELECT * FROM {source}")
n = con.execute("SELECT count(*) FROM cases").fetchone()[0]
con.close()
c1 = os.times()
print(json.dumps({"rows": n, "load_seconds": time.perf_counter() - t0,
                  "cpu_seconds": c1.user - c0.user + c1.system - c0.system}))
"""

TYPED = """
import dataclasses, json, os, sys, time, duckdb
from scorecard.columns import SPECS
from scorecard.store import create_schema, ddl
path, fmt, db, keyed = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "pk"
con = duckdb.connect(db)
if keyed:  # the cases table with a PRIMARY KEY index, as the store had before issue 14
    con.execute(ddl(dataclasses.replace(SPECS["cases"], indexed_key=True)))
create_schema(con)
t0, c0 = time.perf_counter(), os.times()
# DuckDB aborts a whole INSERT on one bad row, so the demo's planted bad rows are left out by id,
# and CSV cells it cannot parse are skipped
source = (f"read_csv('{path}', ignore_errors = true)" if fmt == "csv"
          else f"read_parquet('{path}')")
con.execute(f"INSERT INTO cases BY NAME SELECT * FROM {source} WHERE case_id NOT LIKE 'DEMO-HS-BAD%'"
            )
n = con.execute("SELECT count(*) FROM cases").fetchone()[0]
con.close()
c1 = os.times()
print(json.dumps({"rows": n, "load_seconds": time.perf_counter() - t0,
                  "cpu_seconds": c1.user - c0.user + c1.system - c0.system}))
"""


def _fresh(path: Path) -> Path:
    for suffix in ("", ".wal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.rmtree(path.parent / f".{path.name}.tmp", ignore_errors=True)
    return path


def _work() -> Path:
    work = OUT / "dbs"
    work.mkdir(parents=True, exist_ok=True)
    return work


# ---------------------------------------------------------------- ingest vs DuckDB
def bench_ingest(cases: int, formats: list[str]) -> list[dict]:
    folder = demo_data(cases)
    work = _work()
    rows = []
    for fmt in formats:
        file = folder / f"cases.{fmt}"
        ours = run_child(OURS, str(folder), str(file), str(_fresh(work / f"ours-{fmt}.duckdb")))
        bare = run_child(BARE, str(file), fmt, str(_fresh(work / f"bare-{fmt}.duckdb")))
        typed = run_child(TYPED, str(file), fmt, str(_fresh(work / f"typed-{fmt}.duckdb")), "store")
        keyed = run_child(TYPED, str(file), fmt, str(_fresh(work / f"typedpk-{fmt}.duckdb")), "pk")
        o = ours.output
        rows.append({
            "format": fmt, "rows": o["rows"], "rejected": o["rejected"],
            "ours_s": o["load_seconds"], "ours_cpu": o["cpu_seconds"],
            "ours_peak_mb": ours.peak_rss_mb,
            "bare_s": bare.output["load_seconds"], "bare_cpu": bare.output["cpu_seconds"],
            "typed_s": typed.output["load_seconds"], "typed_cpu": typed.output["cpu_seconds"],
            "pk_s": keyed.output["load_seconds"], "pk_cpu": keyed.output["cpu_seconds"],
            "pk_peak_mb": keyed.peak_rss_mb,
        })
        for name in (f"bare-{fmt}.duckdb", f"typed-{fmt}.duckdb", f"typedpk-{fmt}.duckdb"):
            _fresh(work / name)
    return rows


def print_ingest(rows: list[dict]) -> None:
    print("ratio = scorecard ingest / DuckDB (wall; CPU seconds in brackets). bare = CREATE TABLE "
          "AS read_… (untyped, no key); typed = INSERT into the store's cases table; typed+PK = "
          "the same with a PRIMARY KEY index")
    print("| format | rows | scorecard ingest | peak RSS | bare | ratio | typed | ratio "
          "| typed+PK | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['format']} | {r['rows']:,} | {r['ours_s']:.1f} s [{r['ours_cpu']:.1f}] "
              f"({fmt_rate(r['rows'], r['ours_s'])}) | {r['ours_peak_mb']:,.0f} MB "
              f"| {r['bare_s']:.1f} s [{r['bare_cpu']:.1f}] | {r['ours_s'] / r['bare_s']:.2f}× "
              f"| {r['typed_s']:.1f} s [{r['typed_cpu']:.1f}] | {r['ours_s'] / r['typed_s']:.2f}× "
              f"| {r['pk_s']:.1f} s [{r['pk_cpu']:.1f}] | {r['ours_s'] / r['pk_s']:.2f}× |")
    print(f"load average after the runs: {load_average()}")
    for r in rows:
        n = f"{r['rows'] / 1e6:.0f}M" if r["rows"] >= 1e6 else f"{r['rows']:,}"
        goal(f"ingest {n} {r['format']} within 1.5x of typed DuckDB", r["ours_s"] / r["typed_s"], 1.5)
        goal(f"ingest {n} {r['format']} within 2.5x of bare DuckDB", r["ours_s"] / r["bare_s"], 2.5)
        if r["rows"] >= 5e6:
            goal(f"ingest {n} {r['format']} peak memory under 1 GB (MB)", r["ours_peak_mb"], 1024)


# ---------------------------------------------------------------- appending to a large store
def _append_file(cases: int, fmt: str) -> Path:
    """The ``cases``-row demo file with new ids (a month's drop that adds to the store). The new
    ids sort between the stored ones ('DEMO-HS-0000000001N'), as a real export's would, so no
    zone map lets the key check skip the stored rows."""
    import duckdb

    folder = demo_data(cases)
    out = folder / f"cases_next_{fmt}.{fmt}"
    if not out.exists():
        con = duckdb.connect()
        src = folder / "cases.parquet"
        options = "(FORMAT parquet)" if fmt == "parquet" else "(HEADER, DELIMITER ',')"
        tmp = out.with_suffix(out.suffix + ".part")
        con.execute(f"COPY (SELECT * REPLACE (case_id || 'N' AS case_id) FROM read_parquet('{src}')) "
                    f"TO '{tmp}' {options}")
        con.close()
        tmp.rename(out)
    return out


def bench_append(cases: int, store: int, fmt: str = "parquet") -> dict:
    folder = demo_data(store)
    work = _work()
    base = work / f"store-{store}.duckdb"
    if not base.exists():  # the large store, loaded once by scorecard ingest and kept
        run_child(OURS, str(folder), str(folder / "cases.parquet"), str(_fresh(base)))
    extra = _append_file(cases, fmt)
    target = _fresh(work / f"append-{store}.duckdb")
    shutil.copyfile(base, target)
    with open(target, "rb+") as fh:  # the copy on disk before the clock starts: the load's own
        os.fsync(fh.fileno())        # commit must not flush the copy's pages
    os.sync()
    into_large = run_child(OURS, str(folder), str(extra), str(target))
    into_empty = run_child(OURS, str(folder), str(extra), str(_fresh(work / "append-empty.duckdb")))
    _fresh(target)
    _fresh(work / "append-empty.duckdb")
    return {"format": fmt, "rows": into_large.output["rows"], "store": store,
            "large_s": into_large.output["load_seconds"], "large_cpu": into_large.output["cpu_seconds"],
            "large_peak_mb": into_large.peak_rss_mb,
            "empty_s": into_empty.output["load_seconds"], "empty_cpu": into_empty.output["cpu_seconds"],
            "empty_peak_mb": into_empty.peak_rss_mb}


def print_append(r: dict) -> None:
    print(f"| appending {r['rows']:,} new cases ({r['format']}) | into an empty store "
          f"| into a {r['store']:,}-case store | ratio |")
    print("|---|---:|---:|---:|")
    print(f"| wall [CPU] | {r['empty_s']:.1f} s [{r['empty_cpu']:.1f}] "
          f"| {r['large_s']:.1f} s [{r['large_cpu']:.1f}] | {r['large_s'] / r['empty_s']:.2f}× |")
    print(f"| peak RSS | {r['empty_peak_mb']:,.0f} MB | {r['large_peak_mb']:,.0f} MB | |")
    print(f"load average after the runs: {load_average()}")
    goal(f"append {r['rows']:,} into {r['store']:,} within 1.3x of into empty",
         r["large_s"] / r["empty_s"], 1.3)


# ---------------------------------------------------------------- Excel
def _workbook(rows: int) -> tuple[Path, Path]:
    """A ``rows``-row cases workbook written with openpyxl (Vietnamese headers, Excel date cells,
    a title row and a blank row above the header) and the same rows as CSV; cached."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    folder = demo_data(max(rows, 100_000))
    xlsx, csv = OUT / f"cases_{rows}.xlsx", OUT / f"cases_{rows}.csv"
    if xlsx.exists() and csv.exists():
        return xlsx, csv
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from scorecard.demo import VI_HEADERS

    table = pq.read_table(folder / "cases.parquet").slice(0, rows)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách hồ sơ")
    ws.append(["DANH SÁCH HỒ SƠ (DỮ LIỆU MẪU)"])
    ws.append([])
    ws.append([VI_HEADERS[c] for c in table.column_names])
    stamps = {i for i, f in enumerate(table.schema) if str(f.type).startswith("timestamp")}
    for batch in table.to_batches(50_000):
        for row in zip(*(c.to_pylist() for c in batch.columns), strict=True):
            cells = list(row)
            for i in stamps:
                if cells[i] is not None:
                    cell = WriteOnlyCell(ws, value=cells[i])
                    cell.number_format = "dd/mm/yyyy hh:mm"
                    cells[i] = cell
            ws.append(cells)
    tmp = xlsx.with_suffix(".part")
    wb.save(tmp)
    tmp.rename(xlsx)
    pacsv.write_csv(table, csv)
    return xlsx, csv


def bench_xlsx(rows: int) -> dict:
    folder = demo_data(100_000)
    xlsx, csv = _workbook(rows)
    work = _work()
    x = run_child(OURS, str(folder), str(xlsx), str(_fresh(work / "xlsx.duckdb")))
    c = run_child(OURS, str(folder), str(csv), str(_fresh(work / "xlsx-csv.duckdb")))
    assert x.output["accepted"] == c.output["accepted"], (x.output, c.output)
    _fresh(work / "xlsx.duckdb")
    _fresh(work / "xlsx-csv.duckdb")
    return {"rows": x.output["rows"], "xlsx_s": x.output["load_seconds"],
            "xlsx_cpu": x.output["cpu_seconds"], "xlsx_peak_mb": x.peak_rss_mb,
            "csv_s": c.output["load_seconds"], "csv_cpu": c.output["cpu_seconds"],
            "csv_peak_mb": c.peak_rss_mb, "xlsx_mb": xlsx.stat().st_size / 2**20}


def print_xlsx(r: dict) -> None:
    print(f"| {r['rows']:,} cases | .xlsx ({r['xlsx_mb']:.0f} MB) | same rows as .csv | ratio |")
    print("|---|---:|---:|---:|")
    print(f"| wall [CPU] | {r['xlsx_s']:.1f} s [{r['xlsx_cpu']:.1f}] "
          f"({fmt_rate(r['rows'], r['xlsx_s'])}) | {r['csv_s']:.1f} s [{r['csv_cpu']:.1f}] "
          f"({fmt_rate(r['rows'], r['csv_s'])}) | {r['xlsx_s'] / r['csv_s']:.2f}× |")
    print(f"| peak RSS | {r['xlsx_peak_mb']:,.0f} MB | {r['csv_peak_mb']:,.0f} MB | |")
    print(f"load average after the runs: {load_average()}")
    goal(f"{r['rows']:,}-row .xlsx within 3x of the same CSV", r["xlsx_s"] / r["csv_s"], 3.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cases", type=int, default=None, help="ingest N cases beside DuckDB")
    ap.add_argument("--formats", default="csv,parquet")
    ap.add_argument("--append", type=int, default=None, help="append N new cases …")
    ap.add_argument("--store", type=int, default=10_000_000, help="… to a store of this many")
    ap.add_argument("--append-format", default="parquet")
    ap.add_argument("--xlsx", type=int, default=None, help="an N-row workbook vs the same CSV")
    args = ap.parse_args()
    print(f"machine: {machine()}; load average before: {load_average()}")
    if args.cases:
        print_ingest(bench_ingest(args.cases, args.formats.split(",")))
    if args.append:
        print_append(bench_append(args.append, args.store, args.append_format))
    if args.xlsx:
        print_xlsx(bench_xlsx(args.xlsx))
    if not (args.cases or args.append or args.xlsx):
        ap.error("nothing to run: give --cases, --append or --xlsx")


if __name__ == "__main__":
    main()
