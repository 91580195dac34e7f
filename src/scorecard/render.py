"""`scorecard render`: one executed notebook + one HTML report per unit, an index page, a
summary workbook and a manifest, for one plan and period.

Output (``out`` defaults to ``reports/``)::

    reports/assets/plotly.min.js         shared by every report (offline, no CDN)
    reports/<period>/<unit_id>.ipynb      executed notebook: the audit record
    reports/<period>/<unit_id>.html       the report (code hidden)
    reports/<period>/index.html           every unit, status per target, sortable
    reports/<period>/summary.xlsx         the same table for Excel
    reports/<period>/manifest.json        per unit: status, duration, error, input hashes
    reports/<period>/_data/               the batch's computed frames (see scorecard_data)

The batch computes every frame once (:func:`scorecard.scorecard_data.compute_bundle`), then runs
the template notebook for each unit through an executor (:mod:`scorecard.executors`). A unit whose
inputs (data snapshot, plan file, template, code version) are unchanged since its last successful
render is skipped unless ``force``; ``only_failed`` reruns the units that failed last time.

Every output path built from an id (the period folder, each unit's notebook and page) goes through
:func:`scorecard.outputs.output_path`: a unit whose id cannot be a file name inside the period
folder (``../../x``, ``/tmp/x``, a control character… from a store written by an older version)
gets no files; it is reported failed with the reason, in the run summary, the manifest and the
index page, and the other units render. manifest.json, index.html, summary.xlsx and every unit's
notebook and page are written to a temporary name and renamed (:mod:`scorecard.outputs`), so a
render killed at any moment leaves each file whole: the previous one or the new one. A rerun
removes the temporary files a killed run left.

Failure injection (tests): the units named in the environment variable
``SCORECARD_RENDER_FAIL_FOR`` (comma-separated; or the ``fail_for`` argument) get jobs marked
``inject_failure``: the executor runs them with one extra cell that raises, from outside the
template (see :mod:`scorecard.executors`). It is empty in normal use.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from scorecard.clock import local_now
from scorecard.config import DEFAULT_DB, DEFAULT_REPORTS_DIR, NOTEBOOKS_DIR
from scorecard.errors import ScorecardError
from scorecard.executors import FAIL_FOR_ENV, injected_failures  # noqa: F401 (FAIL_FOR_ENV: re-exported)
from scorecard.hashing import sha256_file
from scorecard.outputs import (
    UnsafeIdError,
    id_problem,
    output_path,
    remove_stale_parts,
    write_text_atomic,
)

TEMPLATE = NOTEBOOKS_DIR / "scorecard.ipynb"
MANIFEST = "manifest.json"
DATA_DIR = "_data"


class RenderError(ScorecardError, ValueError):
    """A user-fixable problem with a render request (unknown unit, level, plan...)."""


@dataclass
class BatchResult:
    """What a render did."""

    out_dir: Path
    index: Path
    summary: Path
    manifest: Path
    results: list[Any] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[Any]:
        return [r for r in self.results if r.status != "ok"]

    @property
    def rate(self) -> float:
        """Reports rendered per second (wall clock of the whole batch)."""
        return len(self.results) / self.seconds if self.seconds else 0.0


_CODE_VERSION: str | None = None


def code_version() -> str:
    """``<package version>+<12 hex of the hash of every scorecard source file>``."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            ver = version("scorecard")
        except PackageNotFoundError:  # pragma: no cover
            ver = "0"
        h = hashlib.sha256()
        root = Path(__file__).resolve().parent
        for p in sorted(root.rglob("*.py")):
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
        _CODE_VERSION = f"{ver}+{h.hexdigest()[:12]}"
    return _CODE_VERSION


def read_manifest(out_dir: Path) -> dict[str, Any]:
    path = out_dir / MANIFEST
    if not path.exists():
        return {"units": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def select_units(judged: Sequence[str], units_df: Any, *, units: Sequence[str] | None = None,
                 level: str | None = None) -> list[str]:
    """The units of the plan to render: all judged ones, or those in ``units`` / at ``level``."""
    chosen = list(judged)
    if units:
        known = set(units_df["unit_id"])
        unknown = [u for u in units if u not in known]
        if unknown:
            raise RenderError(f"unknown unit {', '.join(unknown)}: not in the store's units")
        outside = [u for u in units if u not in set(judged)]
        if outside:
            raise RenderError(f"unit {', '.join(outside)} is not covered by the plan "
                              "(its level or root_unit)")
        chosen = [u for u in chosen if u in set(units)]
    if level:
        levels = dict(zip(units_df["unit_id"], units_df["level"], strict=True))
        if level not in set(levels.values()):
            raise RenderError(f"no unit at level {level!r}")
        chosen = [u for u in chosen if levels.get(u) == level]
    return chosen


#: Files of the period folder a unit's page must not replace.
SITE_FILES = frozenset({"index.html"})


def unit_outputs(out_dir: Path, unit_id: str) -> tuple[Path, Path]:
    """(notebook, page) of a unit inside ``out_dir``; :class:`UnsafeIdError` when the id cannot
    name a file there (or its page would replace the index page)."""
    notebook, page = output_path(out_dir, unit_id, ".ipynb"), output_path(out_dir, unit_id, ".html")
    if page.name.casefold() in SITE_FILES:
        raise UnsafeIdError(f"unit id {unit_id!r} would replace the period's {page.name}")
    return notebook, page


def unsafe_units(chosen: Sequence[str], out_dir: Path) -> dict[str, str]:
    """The units of ``chosen`` whose id cannot name a file in ``out_dir``: id -> the reason
    shown in the run summary, the manifest and the index page."""
    refused = {}
    for uid in chosen:
        try:
            unit_outputs(out_dir, uid)
        except UnsafeIdError as exc:
            refused[uid] = (f"UnsafeIdError: unit id {uid[:80]!r} cannot be a file name "
                            f"({id_problem(uid) or exc}); no report written for it: correct "
                            "the id in the source data and load it again")
    return refused


def plan_jobs(chosen: Sequence[str], inputs: dict[str, str], previous: dict[str, Any],
              out_dir: Path, *, only_failed: bool, force: bool) -> tuple[list[str], list[str]]:
    """Split ``chosen`` into (to render, skipped) from the previous manifest's entries."""
    run, skipped = [], []
    for uid in chosen:
        prev = previous.get(uid)
        if only_failed:
            (run if prev is None or prev.get("status") == "failed" else skipped).append(uid)
            continue
        unchanged = (prev is not None and prev.get("status") in ("ok", "skipped")
                     and prev.get("inputs") == inputs
                     and all(p.exists() for p in unit_outputs(out_dir, uid)))
        (skipped if unchanged and not force else run).append(uid)
    return run, skipped


def render_batch(
    plan: str | Path,
    period: str,
    *,
    db: str | Path = DEFAULT_DB,
    units: Sequence[str] | None = None,
    level: str | None = None,
    workers: int = 2,
    out: str | Path = DEFAULT_REPORTS_DIR,
    calendar: str | None = None,
    only_failed: bool = False,
    force: bool = False,
    timeout: float | None = 600,
    executor: str = "local",
    executor_options: dict[str, Any] | None = None,
    template: str | Path = TEMPLATE,
    fail_for: Sequence[str] | None = None,
    progress: bool = True,
    on_result: Callable[[Any], None] | None = None,
) -> BatchResult:
    """Render the reports of ``plan`` × ``period`` (see the module docstring).

    ``executor`` is ``local`` (warm kernels in worker processes), ``fresh`` or ``dask``;
    ``executor_options`` go to it (for ``dask``: ``scheduler``, ``stage_dir``).
    """
    from scorecard import scorecard_data as sd
    from scorecard.executors import Job, get_executor
    from scorecard.periods import check_calendar, parse_period
    from scorecard.plans import find_plan

    started = time.monotonic()
    p = parse_period(period)
    if calendar:
        check_calendar(calendar)
    pl = find_plan(plan)
    plan_path = _plan_path(plan, pl.plan_id)
    template = Path(template)
    out_root = Path(out)
    out_dir = output_path(out_root, p.id)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(out_dir)

    bundle = sd.compute_bundle(db, pl, p.id, calendar=calendar)
    data_dir = sd.save_bundle(bundle, out_dir / DATA_DIR)
    chosen = select_units(bundle.meta["units_judged"], bundle["units"], units=units, level=level)

    inputs = {
        "data_snapshot": bundle.meta["snapshot"],
        "db": str(db),
        "plan_file": sha256_file(plan_path) if plan_path else pl.plan_id,
        "template": sha256_file(template),
        "code_version": code_version(),
        "calendar": bundle.meta["calendar"],
    }
    manifest = read_manifest(out_dir)
    previous = manifest.get("units", {})
    refused = unsafe_units(chosen, out_dir)
    to_run, skipped = plan_jobs([u for u in chosen if u not in refused], inputs, previous,
                                out_dir, only_failed=only_failed, force=force)

    failing = injected_failures() if fail_for is None else frozenset(fail_for)
    generated_at = local_now().isoformat()
    db_abs = str(Path(db).resolve())
    jobs = [
        Job(uid, template, {
            "db": db_abs, "plan": str(plan_path or pl.plan_id), "period": p.id,
            "calendar": bundle.meta["calendar"], "unit_id": uid,
            "bundle": str(data_dir.resolve()), "generated_at": generated_at,
            "code_version": inputs["code_version"],
        }, *unit_outputs(out_dir, uid),
            {"title": f"{uid} — {bundle.meta['period_label']}", "assets_href": "../assets"},
            stage=("db", "bundle"),  # what a remote (Dask) worker needs a snapshot of
            inject_failure=uid in failing)
        for uid in to_run
    ]
    from scorecard.report.site import ASSETS_DIR, copy_assets

    remove_stale_parts(out_root / ASSETS_DIR)
    copy_assets(out_root)

    bar = _progress(len(jobs), progress)

    def _done(res: Any) -> None:
        if bar is not None:
            bar.update(1)
            failed = bar.sc_failed = getattr(bar, "sc_failed", 0) + (res.status != "ok")
            bar.set_postfix_str(f"lỗi {failed}")
        if on_result:
            on_result(res)

    ex = get_executor(executor, workers=workers, timeout=timeout, **(executor_options or {}))
    results = ex.run(jobs, on_result=_done) if jobs else []
    if bar is not None:
        bar.close()
    from scorecard.executors import JobResult

    for uid, reason in refused.items():
        results.append(JobResult(uid, "failed", 0.0, error=reason, attempts=0))
        if on_result:
            on_result(results[-1])

    units_entry = dict(previous)
    for uid in list(units_entry):
        if uid not in set(chosen) and uid not in set(bundle.meta["units_judged"]):
            units_entry.pop(uid)  # a unit the plan no longer covers
    for uid in skipped:
        prev = dict(previous.get(uid, {}))
        prev["status"] = "skipped" if prev.get("status") != "failed" else "failed"
        units_entry[uid] = prev
    for res in results:
        # the files this run wrote: the notebook (also of a failed run: its audit record), the
        # page only when the notebook ran through; nothing for a refused id
        notebook, page = (None, None) if res.unit_id in refused else unit_outputs(out_dir,
                                                                                  res.unit_id)
        if page is not None and res.status != "ok":
            # a page left by an earlier run would show another snapshot's figures beside this
            # batch's index; the failed run's notebook is the unit's record now
            page.unlink(missing_ok=True)
        units_entry[res.unit_id] = {
            "status": res.status, "duration": round(res.duration, 3), "error": res.error,
            "attempts": res.attempts, "inputs": inputs,
            "notebook": notebook.name if notebook else None,
            "html": page.name if page and res.status == "ok" else None,
        }
    seconds = time.monotonic() - started
    manifest = {
        "plan": pl.plan_id, "plan_file": str(plan_path or ""), "period": p.id,
        "calendar": bundle.meta["calendar"], "generated_at": generated_at,
        "code_version": inputs["code_version"], "data_snapshot": inputs["data_snapshot"],
        "executor": executor, "workers": workers, "seconds": round(seconds, 2),
        "rendered": len(results), "skipped": len(skipped),
        "failed": sorted(u for u, e in units_entry.items() if e.get("status") == "failed"),
        "units": dict(sorted(units_entry.items())),
    }
    manifest_path = write_text_atomic(out_dir / MANIFEST,
                                      json.dumps(manifest, ensure_ascii=False, indent=1))

    index, summary = write_site(bundle, out_dir, units_entry, plan_path, generated_at,
                                inputs["code_version"], plan=pl)
    return BatchResult(out_dir, index, summary, manifest_path, results, skipped, seconds)


def write_site(bundle: Any, out_dir: Path, units_entry: dict[str, Any], plan_path: Path | None,
               generated_at: str, version: str, *, plan: Any = None) -> tuple[Path, Path]:
    """index.html and summary.xlsx of a batch, from its bundle and manifest entries (``plan``:
    the loaded plan, for each target's timing)."""
    from scorecard.report.format import fmt_window
    from scorecard.report.site import Provenance, index_frames, index_html
    from scorecard.report.summary_xlsx import write_summary_xlsx

    m = bundle.meta
    ev = bundle["evaluation"]
    ev = ev[ev["unit_id"].isin(m["units_judged"])]
    labels = dict(zip(ev["target_id"], ev["label"], strict=True))
    first, last = (datetime.fromisoformat(x).date() for x in m["window"])
    prov = Provenance(
        plan=f"{m['plan_id']} — {m['plan_title']}", plan_file=str(plan_path or ""),
        period=m["period"], period_label=m["period_label"], window=fmt_window(first, last),
        snapshot=m["snapshot"], code_version=version,
        generated_at=datetime.fromisoformat(generated_at), demo=bool(m["demo"]),
        calendar=m["calendar"])
    status = {u: e.get("status", "") for u, e in units_entry.items()}
    failures = [(u, (e.get("error") or "").splitlines()[0] if e.get("error") else "lỗi")
                for u, e in sorted(units_entry.items()) if e.get("status") == "failed"]
    ixs = bundle["index766_summary"].rename(columns={"points": "total"})
    index = write_text_atomic(out_dir / "index.html", index_html(
        ev, prov, target_labels=labels, index766=ixs, run_status=status, failures=failures,
        title=m["plan_title"], frames=index_frames(bundle, out_dir, plan)))
    summary = write_summary_xlsx(out_dir / "summary.xlsx", ev, prov, target_labels=labels,
                                 index766=bundle["index766_summary"], run_status=status,
                                 tasks=bundle["tasks"] if m.get("has_task_register") else None,
                                 period_last=last,
                                 index766_breakdown=bundle["index766_breakdown"])
    return index, summary


def _plan_path(plan: str | Path, plan_id: str) -> Path | None:
    path = Path(plan)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return path.resolve()
    from scorecard.config import PLANS_DIR

    if id_problem(plan_id) is not None:
        return None  # an id that is no file name names no plan file either
    for cand in (PLANS_DIR / f"{plan_id}.yaml", PLANS_DIR / f"{plan_id}.yml"):
        if cand.exists():
            return cand.resolve()
    return None


def _progress(total: int, enabled: bool) -> Any:
    if not enabled or not total:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="báo cáo", desc="render", smoothing=0.1)

