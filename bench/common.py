"""Shared pieces of the benchmarks: machine facts, child-process timing with peak RSS, demo data."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

OUT = Path(__file__).resolve().parent / "out"


def machine() -> str:
    mem = psutil.virtual_memory().total / 2**30
    return (f"{os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()}")


def goal(name: str, value: float, limit: float, higher_is_better: bool = False) -> None:
    """Print one goal line (bench/run.py collects them into the run's summary)."""
    met = value >= limit if higher_is_better else value <= limit
    sign = "≥" if higher_is_better else "≤"
    print(f"GOAL {'met    ' if met else 'MISSED '} {name}: {value:,.2f} ({sign} {limit:g})")


def load_average() -> str:
    """The 1, 5 and 15-minute load averages (other jobs slow wall times down)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


#: The wrapper every benchmark child runs in: it runs the child's code (``argv[1]``) and writes
#: the child's own peak memory (``VmHWM``: the high-water mark of its address space since exec)
#: on stderr at exit. ``ru_maxrss`` from ``wait4`` is not used: Linux carries the parent's peak
#: RSS into a child across fork/exec, so once the parent had generated 10M cases in-process every
#: child "peaked" at the parent's 1.4 GB.
PEAK_TAG = "BENCH_VMHWM_KB"
CHILD = f"""
import atexit, sys
def _peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                sys.stderr.write("\\n{PEAK_TAG} " + line.split()[1] + "\\n")
atexit.register(_peak)
_code = sys.argv.pop(1)
exec(compile(_code, "<benchmark child>", "exec"))
"""


def child_argv(code: str, *args: str) -> list[str]:
    """The command line running ``code`` (with ``args`` as its ``sys.argv[1:]``) in :data:`CHILD`."""
    return [sys.executable, "-c", CHILD, code, *args]


def child_peak_mb(stderr: str) -> float:
    """The child's own peak RSS in MB, from the line :data:`CHILD` writes at exit."""
    for line in reversed(stderr.splitlines()):
        if line.startswith(PEAK_TAG + " "):
            return int(line.split()[1]) / 1024
    raise RuntimeError("benchmark child did not report its peak memory")


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    output: dict


def run_child(code: str, *args: str) -> Run:
    """Run ``code`` in a fresh Python; time it and read its own peak RSS (:data:`CHILD`).

    The child prints one JSON object on its last line of stdout; that is ``Run.output``.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(child_argv(code, *args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({proc.returncode}):\n{err[-3000:]}")
    last = out.strip().splitlines()[-1] if out.strip() else "{}"
    return Run(seconds, child_peak_mb(err), json.loads(last))


def demo_data(cases: int, formats: str = "csv,parquet", seed: int = 7) -> Path:
    """Demo data with ``cases`` cases in single-format files, generated once and cached."""
    folder = OUT / f"data-{cases}"
    marker = folder / ".complete"
    if not marker.exists():
        from scorecard.demo import generate_demo

        folder.mkdir(parents=True, exist_ok=True)
        generate_demo(folder, seed=seed, cases=cases, formats=formats)
        marker.write_text("ok")
    return folder


def fmt_rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f} rows/s" if seconds else "n/a"
