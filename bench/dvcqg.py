"""The national portal's dossier format (DVCQG JSON Lines) beside the same cases as CSV, each loaded
by `scorecard ingest` as a user runs it (issue 16), in a fresh process with its peak RSS.

    python bench/dvcqg.py --cases 1000000      # the 1M-case figures of the README (~1.1 GB JSONL)
    python bench/dvcqg.py --cases 20000        # quick

The cases are the benchmark demo's (bench/common.demo_data, seed 7): ``cases.csv`` (English
headers, ISO dates, with the demo's planted bad rows) and the same cases exported by
``scorecard.demo.export_dvcqg`` (every unit, supplement histories, no planted rows), both cached
under bench/out/. The store holds the units and procedures first; the time is the whole
``scorecard ingest FILE`` command (interpreter start and imports included, ~1 s), wall and CPU.
The load averages (`uptime`) are printed before and after: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    OUT,
    child_argv,
    child_peak_mb,
    demo_data,
    fmt_rate,
    goal,
    load_average,
    machine,
)

SEED = 7
#: ``scorecard ingest`` as the console script runs it (``sys.argv[1:]`` are its arguments).
CLI = "import sys; from scorecard.cli import main; sys.exit(main(sys.argv[1:]))"


GENERATE = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from common import demo_data
from scorecard.demo import export_dvcqg
cases = int(sys.argv[2])
folder = demo_data(cases)
path = folder / "hoso_dvcqg.jsonl"
if not path.exists():
    part = folder / "hoso_dvcqg.jsonl.part"
    export_dvcqg(part, seed=int(sys.argv[3]), cases=cases)
    part.rename(path)
"""


def dvcqg_file(cases: int) -> Path:
    """The benchmark demo's cases as DVCQG JSON Lines (generated once and cached), in a child
    process, so the measuring process stays small."""
    subprocess.run([sys.executable, "-c", GENERATE, str(Path(__file__).resolve().parent),
                    str(cases), str(SEED)], check=True)
    return demo_data(cases) / "hoso_dvcqg.jsonl"


def scorecard_ingest(*args: str) -> tuple[float, float, float, str]:
    """(wall s, CPU s, peak RSS MB, stdout) of ``scorecard ingest ARGS`` in a fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(child_argv(CLI, "ingest", *args),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"scorecard ingest {' '.join(args)} failed:\n{out}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, child_peak_mb(err), out


READ_ONLY = """
import os, sys, time
import pandas as pd
from scorecard.sources import open_source
units = pd.read_csv(sys.argv[2], dtype=str)
t0, c0 = time.perf_counter(), os.times()
rows = sum(b.num_rows for b in open_source(sys.argv[1], units=units).batches())
c1 = os.times()
print(rows, time.perf_counter() - t0, c1.user - c0.user + c1.system - c0.system)
"""


def read_only(path: Path, units: Path) -> tuple[float, float]:
    """(wall s, CPU s) of reading and mapping the file alone (the source's Arrow batches, no
    store), in a fresh process; imports not counted."""
    out = subprocess.run([sys.executable, "-c", READ_ONLY, str(path), str(units)], check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[1]), float(out[2])


def _fresh(db: Path) -> Path:
    import shutil

    for suffix in ("", ".wal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    shutil.rmtree(db.parent / f".{db.name}.tmp", ignore_errors=True)
    return db


def _rows(out: str, name: str) -> tuple[int, int, int]:
    for line in out.splitlines():
        if f" {name} [" in line:
            nums = [int(x.replace(",", "")) for x in line.split(": read ")[1].replace(
                "accepted ", "").replace("rejected ", "").split(", ")]
            return nums[0], nums[1], nums[2]
    raise RuntimeError(f"no summary line for {name}:\n{out}")


def bench(cases: int) -> list[dict]:
    files = {"dvcqg": dvcqg_file(cases)}
    folder = files["dvcqg"].parent
    files = {"csv": folder / "cases.csv", **files}
    work = OUT / "dbs"
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for fmt, path in files.items():
        db = _fresh(work / f"dvcqg-bench-{fmt}.duckdb")
        scorecard_ingest(str(folder / "units.csv"), str(folder / "procedures.csv"),
                         "--db", str(db))
        before = load_average()
        extra = ["--source", "dvcqg"] if fmt == "dvcqg" else []
        wall, cpu, peak, out = scorecard_ingest(str(path), "--kind", "cases", *extra,
                                                "--db", str(db))
        read, accepted, rejected = _rows(out, path.name)
        supplements = [int(line.split("case_supplements: ")[1].split()[0].replace(",", ""))
                       for line in out.splitlines() if "case_supplements: " in line]
        rows.append({"format": fmt, "file": path.name, "mb": path.stat().st_size / 2**20,
                     "read": read, "accepted": accepted, "rejected": rejected, "wall": wall,
                     "cpu": cpu, "peak_mb": peak, "load_before": before,
                     "load_after": load_average(), "supplements": sum(supplements)})
        if fmt == "dvcqg":
            rows[-1]["read_only"] = read_only(path, folder / "units.csv")
        _fresh(db)
    return rows


def report(rows: list[dict]) -> None:
    print("| file | size | read | accepted | scorecard ingest, wall [CPU] | peak RSS "
          "| load avg before → after |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['file']} | {r['mb']:,.0f} MB | {r['read']:,} | {r['accepted']:,} "
              f"| {r['wall']:.1f} s [{r['cpu']:.1f}] ({fmt_rate(r['read'], r['wall'])}) "
              f"| {r['peak_mb']:,.0f} MB | {r['load_before']} → {r['load_after']} |")
    by = {r["format"]: r for r in rows}
    print(f"JSON Lines / CSV, wall: {by['dvcqg']['wall'] / by['csv']['wall']:.2f}×")
    d = by["dvcqg"]
    print(f"case_supplements rows loaded with the DVCQG cases: {d['supplements']:,}; reading and "
          f"mapping the JSON alone (no store): {d['read_only'][0]:.1f} s "
          f"[{d['read_only'][1]:.1f}] = {d['read_only'][0] / d['wall']:.0%} of the ingest's wall")
    print(json.dumps(rows))
    for r in rows:
        if r["mb"] >= 1000:
            goal(f"ingest of a {r['mb'] / 1024:.2f} GB {r['format']} file, peak memory under "
                 f"1 GB (MB)", r["peak_mb"], 1024)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cases", type=int, default=1_000_000)
    args = ap.parse_args()
    print(f"machine: {machine()}; uptime load average: {load_average()}")
    report(bench(args.cases))


if __name__ == "__main__":
    main()
