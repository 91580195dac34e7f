"""Where a report's time goes: CPU per report in the client and in the kernel, and the kernel's
share by report section.

    .venv/bin/python bench/render_cpu.py [--reports 40] [--profile]

Renders ``--reports`` units of the demo store (``bench/render.py``'s, built once) one after the
other on one warm kernel, as a render worker does, and prints the wall time per report, the CPU
seconds of this process (the client: nbclient's messages, the HTML export, the audit notebook)
and of the kernel process (the template's cells), then the same units' sections built in this
process without a kernel, per section. ``--profile`` adds the client's cProfile (cumulative).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render import demo_store  # noqa: E402

PLAN = "bac-giang-2025"
PERIOD = "2025Q2"
SECTIONS = ("targets", "trend", "tasks", "fields", "late_cases", "leads", "pakn", "children",
            "index766", "quality")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=40)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()

    import psutil

    from scorecard import scorecard_data as sd
    from scorecard.executors import Job, WarmKernel, run_job
    from scorecard.paths import resolve_plan
    from scorecard.render import TEMPLATE
    from scorecard.report import unit_sections
    from scorecard.report.display import outputs
    from scorecard.report.notebook_html import make_exporter

    db = demo_store()
    bundle = sd.compute_bundle(db, resolve_plan(PLAN), PERIOD)
    out = Path(tempfile.mkdtemp(prefix="render-cpu-"))
    data = sd.save_bundle(bundle, out / "_data")
    units = list(bundle.meta["units_judged"])[: args.reports + 1]

    def job(unit: str) -> Job:
        return Job(unit, TEMPLATE, {
            "db": str(db), "plan": PLAN, "period": PERIOD, "calendar": bundle.meta["calendar"],
            "unit_id": unit, "bundle": str(data), "generated_at": "2025-07-01T08:00:00",
            "code_version": "bench"}, out / f"{unit}.ipynb", out / f"{unit}.html",
            {"title": unit, "assets_href": "../assets"})

    kernel = WarmKernel()
    kernel.start()
    exporter = make_exporter()
    try:
        run_job(job(units[0]), kernel, exporter=exporter)  # warm: imports, bundle read
        kproc = psutil.Process(kernel.km.provisioner.process.pid)
        k0, c0, t0 = kproc.cpu_times(), os.times(), time.perf_counter()
        prof = cProfile.Profile() if args.profile else None
        if prof:
            prof.enable()
        for unit in units[1:]:
            res = run_job(job(unit), kernel, exporter=exporter)
            assert res.status == "ok", res.error
        if prof:
            prof.disable()
        dt, c1, k1 = time.perf_counter() - t0, os.times(), kproc.cpu_times()
    finally:
        kernel.shutdown()
    n = len(units) - 1
    client = (c1.user - c0.user + c1.system - c0.system) / n
    kern = (k1.user - k0.user + k1.system - k0.system) / n
    print(f"{n} reports on one warm kernel: {1000 * dt / n:.0f} ms each (wall); CPU per report: "
          f"client {1000 * client:.0f} ms, kernel {1000 * kern:.0f} ms; two workers on two "
          f"cores give at most {2 / (client + kern):.1f} reports/s")

    spent = dict.fromkeys(("unit_report", *SECTIONS), 0.0)
    for unit in units[1:]:
        t = time.perf_counter()
        rep = sd.unit_report(unit, bundle=bundle)
        spent["unit_report"] += time.perf_counter() - t
        for name in SECTIONS:
            t = time.perf_counter()
            outputs(getattr(unit_sections, name)(rep))
            spent[name] += time.perf_counter() - t
    total = sum(spent.values())
    print(f"the same sections in this process, no kernel: {1000 * total / n:.0f} ms per report")
    for name, s in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {name:12s} {1000 * s / n:6.1f} ms  {100 * s / total:4.0f}%")
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
