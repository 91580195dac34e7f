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


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    output: dict


def run_child(code: str, *args: str) -> Run:
    """Run ``code`` in a fresh Python; time it and read its peak RSS from the kernel (wait4).

    The child prints one JSON object on its last line of stdout; that is ``Run.output``.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({proc.returncode}):\n{err[-3000:]}")
    last = out.strip().splitlines()[-1] if out.strip() else "{}"
    return Run(seconds, usage.ru_maxrss / 1024, json.loads(last))


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
