"""All benchmarks in one command: ingest, indicators, render, each beside its baseline in the
same run, with the machine they ran on.

    python bench/run.py --quick     # small sizes, under 2 minutes (CI may run it)
    python bench/run.py             # the full run: 1M and 10M cases, 200 and 1,000 reports

Each part is its own script (bench/ingest.py, bench/indicators.py, bench/render.py) run in a
fresh process; this prints their figures and ratios and writes the whole output to
bench/out/results-<mode>.md. Generated data and stores are cached under bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import OUT, machine  # noqa: E402

QUICK = [
    ("ingest", ["ingest.py", "--cases", "100000"]),
    ("append", ["ingest.py", "--append", "100000", "--store", "1000000"]),
    ("xlsx", ["ingest.py", "--xlsx", "20000"]),
    ("dvcqg", ["dvcqg.py", "--cases", "20000"]),
    ("indicators", ["indicators.py", "--cases", "100000", "--repeat", "1"]),
    ("render", ["render.py", "--units", "40", "--fresh-units", "8"]),
]
FULL = [
    ("ingest 1M", ["ingest.py", "--cases", "1000000"]),
    ("ingest 10M", ["ingest.py", "--cases", "10000000"]),
    ("append 1M into 10M", ["ingest.py", "--append", "1000000", "--store", "10000000"]),
    ("xlsx 200k", ["ingest.py", "--xlsx", "200000"]),
    ("dvcqg 1M", ["dvcqg.py", "--cases", "1000000"]),
    ("indicators 1M", ["indicators.py", "--cases", "1000000"]),
    ("indicators 10M", ["indicators.py", "--cases", "10000000"]),
    ("render 200", ["render.py", "--units", "200", "--fresh-units", "40"]),
    ("render 1000", ["render.py", "--units", "1000", "--fresh-units", "40"]),
    ("render command 1000", ["render.py", "--command", "1000"]),
]


def run_part(name: str, argv: list[str]) -> tuple[str, float, int]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(HERE / argv[0]), *argv[1:]], capture_output=True,
                          text=True)
    dt = time.perf_counter() - t0
    text = proc.stdout.strip()
    if proc.returncode != 0:
        text += "\n" + proc.stderr.strip()[-3000:]
    return text, dt, proc.returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, under 2 minutes")
    ap.add_argument("--only", nargs="*", default=None, help="run only parts whose name starts so")
    args = ap.parse_args(argv)
    parts = QUICK if args.quick else FULL
    if args.only:
        parts = [p for p in parts if any(p[0].startswith(o) for o in args.only)]
    mode = "quick" if args.quick else "full"
    lines = [f"# scorecard benchmarks ({mode})", "", f"machine: {machine()}",
             f"run at: {time.strftime('%Y-%m-%d %H:%M')}", ""]
    print("\n".join(lines), flush=True)
    failed = 0
    t_all = time.perf_counter()
    for name, part in parts:
        text, dt, code = run_part(name, part)
        block = [f"## {name}  ({dt:.0f} s{'' if code == 0 else f', FAILED exit {code}'})", "",
                 text, ""]
        print("\n".join(block), flush=True)
        lines.extend(block[:2] + text.splitlines() + [""])
        failed += code != 0
    goals = [ln for ln in lines if ln.startswith("GOAL")]
    if goals:
        block = ["## goals (issue 14; ratios are wall time in the same run)", "",
                 *(["(quick sizes: the goals are set at 1M/10M cases, a 200k-row workbook, 1M "
                    "into 10M and 1,000 reports; small loads are dominated by fixed costs)", ""]
                   if args.quick else []), *goals, ""]
        print("\n".join(block))
        lines.extend(block)
    lines.append(f"total: {time.perf_counter() - t_all:.0f} s, parts failed: {failed}")
    print(lines[-1])
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"results-{mode}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
