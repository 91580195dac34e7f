"""A render killed at any moment leaves every file whole: the previous one or the new one.

A real `scorecard render` subprocess is killed (SIGKILL, with its worker processes and kernels)
at two moments of a forced rerun: as soon as the first unit's page has been replaced (mid-batch,
other units still to come), and while summary.xlsx is being written (its temporary file exists:
after the manifest and index.html were replaced). After each kill every file of the period
folder is either byte-for-byte the previous complete one or a complete new one; a rerun then
completes and leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from openpyxl import load_workbook

from tests.render_fixtures import build_store

pytestmark = [pytest.mark.slow]

UNITS = ["DEMO-P", "DEMO-D", "DEMO-C1", "DEMO-C2", "DEMO-S"]


def _command(db: Path, plan: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "scorecard.cli", "render", "--plan", str(plan), "--period",
            "2025Q2", "--db", str(db), "--out", str(out), "--workers", "1", "--no-progress",
            "--timeout", "120", *extra]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _complete(name: str, data: bytes, tmp: Path) -> bool:
    """Whether ``data`` is a whole file of its kind (parses to its end)."""
    if name.endswith(".html"):
        return data.rstrip().endswith(b"</html>")
    if name.endswith((".json", ".ipynb")):
        try:
            json.loads(data)
        except ValueError:
            return False
        return True
    if name.endswith(".xlsx"):
        probe = tmp / "probe.xlsx"
        probe.write_bytes(data)
        try:
            load_workbook(probe)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return False
        return True
    raise AssertionError(f"unexpected file {name}")


def _kill_when(cmd: list[str], ready: Callable[[], bool], timeout: float = 180) -> str:
    """Start ``cmd``; SIGKILL it and every process it started the moment ``ready()``; return
    how it ended ('killed' or 'finished')."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if ready():
                family = psutil.Process(proc.pid).children(recursive=True)
                proc.send_signal(signal.SIGKILL)
                for child in family:  # workers and their kernels (own sessions): by pid
                    with contextlib.suppress(psutil.NoSuchProcess):
                        child.send_signal(signal.SIGKILL)
                proc.wait(30)
                psutil.wait_procs(family, timeout=30)
                return "killed"
            time.sleep(0.002)
        return "finished"
    finally:
        if proc.poll() is None:  # pragma: no cover - the deadline passed
            proc.kill()
            proc.wait(30)


def _changed(path: Path, before: int) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            return path.stat().st_mtime_ns != before
        except FileNotFoundError:
            return False
    return ready


def _writing(folder: Path, name: str) -> Callable[[], bool]:
    """True while ``name`` is being written (its temporary ``.<name>.<pid>.*.part`` exists)."""
    def ready() -> bool:
        return any(e.name.startswith(f".{name}.") and e.name.endswith(".part")
                   for e in os.scandir(folder))
    return ready


def test_killed_render_leaves_whole_files_and_rerun_completes(tmp_path):
    db, plan = build_store(tmp_path)
    out = tmp_path / "reports"
    first = subprocess.run(_command(db, plan, out), capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr[-3000:]
    folder = out / "2025Q2"
    names = {"index.html", "summary.xlsx", "manifest.json",
             *(f"{u}{s}" for u in UNITS for s in (".html", ".ipynb"))}
    previous = _snapshot(folder)
    assert set(previous) == names

    page = folder / f"{UNITS[0]}.html"
    for moment in (_changed(page, page.stat().st_mtime_ns), _writing(folder, "summary.xlsx")):
        ended = _kill_when(_command(db, plan, out, "--force"), moment)
        assert ended == "killed"
        now = _snapshot(folder)
        whole = {n for n in now if not n.startswith(".")}
        assert whole == names  # nothing missing, nothing half-named
        for name in names:
            assert now[name] == previous[name] or _complete(name, now[name], tmp_path), name
            assert _complete(name, now[name], tmp_path), name
        previous = now

    rerun = subprocess.run(_command(db, plan, out), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    final = _snapshot(folder)
    assert set(final) == names  # the killed runs' temporary files are gone
    assert all(_complete(n, b, tmp_path) for n, b in final.items())
    entries = json.loads(final["manifest.json"])["units"]
    assert sorted(entries) == sorted(UNITS)
    assert all(e["status"] in ("ok", "skipped") for e in entries.values())
    assert os.listdir(out / "assets") == ["plotly.min.js"]
