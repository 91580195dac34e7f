"""Reports per second: plain papermill (a fresh kernel per notebook) vs the warm-kernel executor,
and the whole `scorecard render` command as a user runs it.

    .venv/bin/python bench/render.py --units 200 [--db PATH] [--workers 2] [--fresh-units 40]
    .venv/bin/python bench/render.py --command 1000 [--workers 2]

Both ways execute the same template with the same batch bundle and export HTML, on the same
units, with ``--workers`` processes. ``--units`` may exceed the store's units: the list repeats
(each job writes its own files). Without ``--db`` the demo province is generated and loaded into
bench/out/ first. Prints cores, memory, both rates and the ratio.

``--command N``: a store with at least N units judged by the demo plan (the demo province with its
districts and communes copied, each copy with its own cases), then ``scorecard render --plan …
--period 2025Q2 --workers W`` run as a subprocess and timed whole: bundle computation, kernel
start, every report, index, summary.xlsx, manifest. Reports per second = reports / wall time.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import goal  # noqa: E402

from scorecard import scorecard_data as sd
from scorecard.config import DEFAULT_DEMO_PLAN
from scorecard.executors import Job, LocalExecutor
from scorecard.render import TEMPLATE, code_version

OUT = Path(__file__).resolve().parent / "out"


def demo_store() -> Path:
    from scorecard.demo import generate_demo
    from scorecard.ingest import ingest_files

    db = OUT / "demo.duckdb"
    if not db.exists():
        data = OUT / "demo-data"
        generate_demo(data)
        ingest_files(sorted(p for p in data.iterdir() if p.is_file()), db=db)
    return db


def jobs(units: list[str], n: int, bundle: Path, db: Path, plan: Path, out: Path) -> list[Job]:
    out.mkdir(parents=True, exist_ok=True)
    todo = []
    for i in range(n):
        uid = units[i % len(units)]
        params = {"db": str(db), "plan": str(plan), "period": "2025Q2", "unit_id": uid,
                  "bundle": str(bundle), "generated_at": "2025-07-01T08:00:00",
                  "code_version": code_version()}
        todo.append(Job(uid, TEMPLATE, params, out / f"{i:05d}-{uid}.ipynb",
                        out / f"{i:05d}-{uid}.html", {"title": uid}))
    return todo


def timed(executor: LocalExecutor, todo: list[Job]) -> tuple[float, int]:
    t = time.perf_counter()
    res = executor.run(todo)
    dt = time.perf_counter() - t
    failed = sum(r.status != "ok" for r in res)
    return len(todo) / dt, failed


def large_store(units: int) -> tuple[Path, int]:
    """The demo store with its districts and communes copied until at least ``units`` units are
    judged (departments stay once); each copy has its own unit ids, cases and PAKN. Cached."""
    import duckdb

    base = demo_store()
    con = duckdb.connect(str(base), read_only=True)
    per_copy, fixed = con.execute(
        "SELECT count(*) FILTER (WHERE level IN ('district', 'commune')), "
        "count(*) FILTER (WHERE level = 'department') FROM units").fetchone()
    con.close()
    copies = max(0, -(-(units - fixed - per_copy) // per_copy))
    db = OUT / f"render-{units}.duckdb"
    if db.exists():
        return db, copies
    tmp = db.with_suffix(".part")
    shutil.copyfile(base, tmp)
    con = duckdb.connect(str(tmp))
    # the original districts and communes only (not the copies made in earlier rounds)
    con.execute("CREATE TEMP TABLE originals AS SELECT * FROM units "
                "WHERE level IN ('district', 'commune')")
    lower = "SELECT unit_id FROM originals"
    for k in range(1, copies + 1):
        sfx = f"-K{k}"
        con.execute(f"""INSERT INTO units (unit_id, name, level, parent_id)
            SELECT unit_id || '{sfx}', name || ' ({k})', level,
                   CASE WHEN level = 'commune' THEN parent_id || '{sfx}' ELSE parent_id END
            FROM originals""")
        con.execute(f"""INSERT INTO unit_procedures SELECT unit_id || '{sfx}', procedure_id
            FROM unit_procedures WHERE unit_id IN ({lower})""")
        con.execute(f"""INSERT INTO cases SELECT * REPLACE (case_id || '{sfx}' AS case_id,
            unit_id || '{sfx}' AS unit_id) FROM cases WHERE unit_id IN ({lower})""")
        con.execute(f"""INSERT INTO feedback SELECT * REPLACE (feedback_id || '{sfx}' AS
            feedback_id, unit_id || '{sfx}' AS unit_id) FROM feedback WHERE unit_id IN ({lower})""")
        con.execute(f"""INSERT INTO manual SELECT * REPLACE (unit_id || '{sfx}' AS unit_id)
            FROM manual WHERE unit_id IN ({lower})""")
    con.close()
    tmp.rename(db)
    return db, copies


def time_command(units: int, workers: int, plan: Path) -> dict:
    """``scorecard render`` over a store of at least ``units`` judged units, timed whole."""
    db, copies = large_store(units)
    out = OUT / "render-command"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "scorecard.cli", "render", "--plan", str(plan), "--period",
           "2025Q2", "--workers", str(workers), "--db", str(db), "--out", str(out),
           "--no-progress"]
    load = os.getloadavg()[0]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"render failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n"
                         f"{proc.stderr[-2000:]}")
    reports = len(list((out / "2025Q2").glob("*.html"))) - 1  # index.html
    return {"reports": reports, "seconds": seconds, "rate": reports / seconds, "copies": copies,
            "load_before": load, "load_after": os.getloadavg()[0], "tail": proc.stdout.strip()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--command", type=int, default=None, metavar="N",
                    help="time the whole `scorecard render` over at least N judged units")
    ap.add_argument("--units", type=int, default=200, help="reports per way (default 200)")
    ap.add_argument("--fresh-units", type=int, default=None,
                    help="reports for the fresh-kernel way (default: same as --units)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--plan", type=Path, default=DEFAULT_DEMO_PLAN)
    args = ap.parse_args()
    if args.command:
        r = time_command(args.command, args.workers, args.plan)
        print(f"machine: {os.cpu_count()} cores, load average {r['load_before']:.2f} before, "
              f"{r['load_after']:.2f} after")
        print(f"`scorecard render` (whole command, {args.workers} workers, demo province with "
              f"{r['copies']} copies of its districts and communes): {r['reports']:,} reports in "
              f"{r['seconds']:.1f} s = {r['rate']:.2f} reports/s")
        print(r["tail"].splitlines()[0] if r["tail"] else "")
        goal(f"`scorecard render` of {r['reports']:,} units, whole command, {args.workers} "
             f"workers (reports/s)", r["rate"], 10, higher_is_better=True)
        return

    db = args.db or demo_store()
    t = time.perf_counter()
    bundle = sd.compute_bundle(db, args.plan, "2025Q2")
    bdir = sd.save_bundle(bundle, OUT / "bundle")
    t_bundle = time.perf_counter() - t
    units = bundle.meta["units_judged"]
    mem = psutil.virtual_memory().total / 2**30
    print(f"machine: {os.cpu_count()} cores ({psutil.cpu_count(logical=False)} physical), "
          f"{mem:.1f} GiB RAM, {platform.python_implementation()} {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"store: {db} ({len(units)} units judged); bundle computed once in {t_bundle:.1f} s")

    n_fresh = args.fresh_units or args.units
    warm_rate, warm_failed = timed(LocalExecutor(args.workers, 600, warm=True),
                                   jobs(units, args.units, bdir, db, args.plan, OUT / "warm"))
    print(f"warm kernels ({args.workers} workers): {args.units} reports, {warm_rate:.2f} reports/s"
          f" (failed {warm_failed})")
    fresh_rate, fresh_failed = timed(LocalExecutor(args.workers, 600, warm=False),
                                     jobs(units, n_fresh, bdir, db, args.plan, OUT / "fresh"))
    print(f"fresh kernel per notebook ({args.workers} workers): {n_fresh} reports, "
          f"{fresh_rate:.2f} reports/s (failed {fresh_failed})")
    print(f"ratio warm/fresh: {warm_rate / fresh_rate:.1f}x")


if __name__ == "__main__":
    main()
