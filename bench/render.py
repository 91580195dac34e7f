"""Reports per second: plain papermill (a fresh kernel per notebook) vs the warm-kernel executor.

    .venv/bin/python bench/render.py --units 200 [--db PATH] [--workers 2] [--fresh-units 40]

Both ways execute the same template with the same batch bundle and export HTML, on the same
units, with ``--workers`` processes. ``--units`` may exceed the store's units: the list repeats
(each job writes its own files). Without ``--db`` the demo province is generated and loaded into
bench/out/ first. Prints cores, memory, both rates and the ratio.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import psutil

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=200, help="reports per way (default 200)")
    ap.add_argument("--fresh-units", type=int, default=None,
                    help="reports for the fresh-kernel way (default: same as --units)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--plan", type=Path, default=DEFAULT_DEMO_PLAN)
    args = ap.parse_args()

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
