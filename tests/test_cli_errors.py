"""User-fixable errors end in one line on stderr and exit code 2, never a stack trace."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from tests.render_fixtures import build_store


def _cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scorecard.cli", *argv], capture_output=True,
                          text=True)


def test_unknown_kind_and_unreadable_input(tmp_path: Path) -> None:
    f = tmp_path / "f.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    bad_kind = _cli("ingest", str(f), "--kind", "unit", "--db", str(tmp_path / "s.duckdb"))
    assert bad_kind.returncode == 2 and "invalid choice: 'unit'" in bad_kind.stderr
    assert "Traceback" not in bad_kind.stderr
    unknown = _cli("ingest", str(f), "--db", str(tmp_path / "s.duckdb"))
    assert unknown.returncode == 1 and "Traceback" not in unknown.stdout + unknown.stderr
    assert "f.csv: cannot tell what kind of data this is" in unknown.stdout


def test_a_bad_manual_value_stops_render_with_one_line(tmp_path: Path) -> None:
    db, plan = build_store(tmp_path)
    con = duckdb.connect(str(db))
    try:  # a rate written as a percentage (95 instead of 0.95) for a 766 metric
        con.execute("INSERT INTO manual VALUES ('DEMO-P', '2025Q2', 'announced_on_time', 95, 'x')")
    finally:
        con.close()
    run = _cli("render", "--plan", str(plan), "--period", "2025Q2", "--db", str(db),
               "--out", str(tmp_path / "reports"), "--no-progress")
    assert run.returncode == 2, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    (line,) = [x for x in run.stderr.splitlines() if x.startswith("scorecard render:")]
    assert "announced_on_time" in line and "95" in line
