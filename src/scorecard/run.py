"""`scorecard run`: the quarterly job in one command, safe to repeat.

From a run file (:mod:`scorecard.runfile`) it does, in order:

1. **ingest** every data file in the drop folder (and below; hidden files skipped). Files
   already loaded are recognised by their content hash and skipped by ingest itself. A file
   that cannot be loaded at all stops the run (exit 2) before anything is rendered.
2. **late-list** for each plan with a target on the monthly list of late units (Bắc Giang 2025
   II.8): the list of every complete month of the plan not produced yet
   (:mod:`scorecard.late_list.schedule`: ended, covered by the data, no list recorded after its
   end), into ``<out>/<plan_id>/<YYYY-MM>/late-list.{html,xlsx}``, each recorded in the store's
   ``late_list_log`` — before the reports, which judge the target on those records. A month
   already listed is never produced again (``--force`` included; `scorecard late-list --month`
   remakes one), so a second run finds nothing to produce.
3. **render** each plan's reports for its period (default: the last complete quarter under the
   plan's calendar: a quarter is complete when its window's last day is before today) into
   ``<out>/<plan_id>/<period>/`` (HTML and notebooks per unit, index.html, summary.xlsx,
   manifest.json). A plan whose validity does not reach the period is left out and said so.
4. **index766**: the 766 index of the period (calendar quarters) → ``<out>/index766/<period>.xlsx``.
5. **form06**: Biểu 06 of every unit at the chosen levels (NĐ 09 window by default) →
   ``<out>/bieu06/<period>/<unit_id>.xlsx``.

**What "nothing new" means.** Each step has *inputs*: the store's snapshot id (which changes
with every load), the code version, and its own files (plan file and template hashes, the 766
profile's hash) and settings. ``<out>/run-manifest.json`` keeps, per step, the inputs of its
last run, its status, its outputs and the units that failed. A step whose inputs are unchanged,
whose last run went well and whose outputs are all there is not run again; when no file was
loaded and every step is unchanged the run says "nothing new" and does nothing.

**Failures.** One unit failing (a report that raises, a form that cannot be built) does not stop
the others; the run lists them and exits 1. ``only_failed`` reruns exactly those (no ingest, no
other step); a plain rerun with unchanged inputs also retries them and skips the rest.

Two runs never write the same ``out`` at once (a lock file, ``<out>/.run.lock``).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from scorecard.clock import local_now, local_today
from scorecard.errors import ScorecardError
from scorecard.periods import Period, last_complete_quarter
from scorecard.runfile import FORM06_FOLDER, INDEX766_FOLDER, RunFile

MANIFEST_NAME = "run-manifest.json"
LOCK_NAME = ".run.lock"


class RunError(ScorecardError, RuntimeError):
    """The run cannot go on (missing drop folder, a file that cannot be loaded, a run already
    writing the same folder); nothing after the failing step was done."""


@dataclass
class StepResult:
    """One step of a run. ``status``: ok | failed (some units) | unchanged (not run: inputs as
    last time) | not_applicable (e.g. the period is outside the plan's validity)."""

    name: str
    status: str
    detail: str = ""
    outputs: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    inputs: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    kind: str = ""  # late_list for the late-list step (its line is kept when nothing is new)


@dataclass
class RunResult:
    """What a run did; :attr:`exit_code` is 0 when every step went well, 1 when units failed."""

    run_file: Path
    out: Path
    files_loaded: list[Any] = field(default_factory=list)
    files_unchanged: int = 0
    demo_written: Path | None = None
    steps: list[StepResult] = field(default_factory=list)
    seconds: float = 0.0
    previous_run: str | None = None
    only_failed: bool = False

    @property
    def nothing_new(self) -> bool:
        return (not self.only_failed and not self.files_loaded and self.demo_written is None
                and all(s.status in ("unchanged", "not_applicable") for s in self.steps))

    @property
    def failed_units(self) -> list[tuple[str, dict[str, str]]]:
        return [(s.name, f) for s in self.steps for f in s.failed]

    @property
    def exit_code(self) -> int:
        return 1 if any(s.status == "failed" for s in self.steps) else 0


def default_period(calendar: str, today: date) -> Period:
    """The period a run uses when none is given: the last complete quarter under ``calendar``."""
    return last_complete_quarter(calendar, today)


# ------------------------------------------------------------------ the run
def run_quarterly(rf: RunFile, *, period: str | Period | None = None, only_failed: bool = False,
                  force: bool = False, today: date | None = None) -> RunResult:
    """Run the job of ``rf`` (see the module docstring). ``period`` overrides the run file's and
    the defaults; ``force`` runs every step even when its inputs are unchanged."""
    from scorecard.periods import parse_period

    started = time.monotonic()
    today = today or local_today()
    chosen = parse_period(period) if period else rf.period
    rf.out.mkdir(parents=True, exist_ok=True)
    with _locked(rf.out):
        manifest = _read_manifest(rf.out)
        prev_steps: dict[str, Any] = manifest.get("steps", {})
        res = RunResult(rf.path, rf.out, previous_run=manifest.get("finished_at"),
                        only_failed=only_failed)
        retry = {n for n, s in prev_steps.items() if s.get("status") == "failed"}
        if not only_failed:
            res.demo_written = _ensure_demo(rf)
            res.files_loaded, res.files_unchanged = _ingest(rf)
        if not rf.store.exists():
            raise RunError(f"the store {rf.store} does not exist and the drop folder {rf.drop} "
                           "has no data files: put the files to load there")
        from scorecard.render import code_version
        from scorecard.store import reading, snapshot_id

        with reading(rf.store) as con:
            common = {"snapshot": snapshot_id(con), "code": code_version()}

        def record(step: StepResult) -> None:
            res.steps.append(step)
            if step.status != "unchanged":
                prev_steps[step.name] = {
                    "status": step.status, "inputs": step.inputs, "outputs": step.outputs,
                    "failed": step.failed, "detail": step.detail,
                    "finished_at": local_now().isoformat()}
                _write_manifest(rf, prev_steps)

        def consider(step: _Planned) -> None:
            prev = prev_steps.get(step.name)
            if only_failed and step.name not in retry:
                record(_unchanged(step, prev, "did not fail last time"))
            elif step.kind == "late_list":  # the store says what is owed: nothing = unchanged
                record(_late_lists(rf, step))
            elif not force and not only_failed and _is_unchanged(prev, step, rf.out):
                record(_unchanged(step, prev, "inputs unchanged"))
            else:
                again = step.name in retry and prev is not None and (
                    only_failed or prev.get("inputs") == step.inputs)
                record(_execute(rf, step, prev if again else None))

        for step in _late_list_steps(rf, today):  # first: the reports judge II.8 on them
            consider(step)
        for step in _planned_steps(rf, chosen, today, common):
            consider(step)
    res.seconds = time.monotonic() - started
    return res


@dataclass
class _Planned:
    """A step to consider: its name, kind, period, the plan (render) and its inputs."""

    name: str
    kind: str
    period: Period | None  # None for the late-list step (every owed month)
    inputs: dict[str, Any]
    plan: Any = None
    detail: str = ""
    owed: Any = None  # late-list step: scorecard.late_list.schedule.OwedMonths


def _planned_steps(rf: RunFile, chosen: Period | None, today: date,
                   common: dict[str, str]) -> list[Any]:
    from scorecard.hashing import sha256_file
    from scorecard.late_list.schedule import reads_late_lists
    from scorecard.render import TEMPLATE

    steps: list[_Planned] = []
    if rf.reports:
        template = sha256_file(TEMPLATE)
        for pl in rf.plans:
            p = chosen or default_period(pl.calendar, today)
            inputs = {**common, "plan_file": sha256_file(pl.path), "template": template,
                      "period": p.id, "calendar": pl.calendar, "store": str(rf.store)}
            if reads_late_lists(pl):  # a list produced since changes the II.8 verdicts
                inputs["late_lists"] = _listed(rf, pl, today)
            first, last = p.window(pl.calendar)
            outside = last < pl.valid_from or first > pl.valid_to
            detail = (f"{p.label_vi()} is outside the plan's validity "
                      f"({pl.valid_from:%d/%m/%Y} – {pl.valid_to:%d/%m/%Y})") if outside else ""
            steps.append(_Planned(f"render {pl.plan_id} {p.id}", "render", p, inputs, pl, detail))
    if rf.index766_profile:
        from scorecard.index766 import load_profile

        prof = load_profile(rf.index766_profile)
        p = chosen or default_period("calendar", today)
        src = getattr(prof, "path", None)
        inputs = {**common, "profile": rf.index766_profile, "period": p.id,
                  "profile_file": sha256_file(src) if src else rf.index766_profile}
        steps.append(_Planned(f"index766 {p.id}", "index766", p, inputs))
    if rf.form06:
        f = rf.form06
        p = chosen or default_period(f.calendar, today)
        inputs = {**common, "period": p.id, "levels": list(f.levels), "by": f.by,
                  "calendar": f.calendar}
        steps.append(_Planned(f"form06 {p.id}", "form06", p, inputs))
    return steps


def _late_list_steps(rf: RunFile, today: date) -> list[_Planned]:
    """One late-list step per plan of the run file with a target on the monthly list (none when
    the run file turns them off), with the months it owes on ``today``."""
    from scorecard.late_list.schedule import months_to_produce, reads_late_lists
    from scorecard.store import reading

    plans = [pl for pl in rf.plans if reads_late_lists(pl)] if rf.late_lists else []
    steps = []
    for pl in plans:
        with reading(rf.store) as con:
            owed = months_to_produce(con, pl, today=_list_day(today))
        inputs = {"issuer": owed.issuer_unit_id, "calendar": pl.calendar,
                  "months": [m.id for m in owed.owed]}
        steps.append(_Planned(f"late-list {pl.plan_id}", "late_list", None, inputs, pl,
                              owed=owed))
    return steps


def _list_day(today: date) -> date:
    """The day a month must have ended before: ``today``, never after the clock's today (a list
    is stamped with the clock's time and counts only when made after its month's end)."""
    return min(today, local_today())


def _listed(rf: RunFile, plan: Any, today: date) -> list[str]:
    """The months of ``plan`` whose list the store records (after the month's end)."""
    from scorecard.late_list.schedule import months_to_produce
    from scorecard.store import reading

    with reading(rf.store) as con:
        return [m.id for m in months_to_produce(con, plan, today=_list_day(today)).listed]


def _is_unchanged(prev: dict[str, Any] | None, step: _Planned, out: Path) -> bool:
    return (prev is not None and prev.get("inputs") == step.inputs
            and prev.get("status") in ("ok", "not_applicable")
            and all((out / o).exists() for o in prev.get("outputs", [])))


def _unchanged(step: _Planned, prev: dict[str, Any] | None, why: str) -> StepResult:
    prev = prev or {}
    return StepResult(step.name, "unchanged", why, list(prev.get("outputs", [])),
                      inputs=step.inputs)


def _execute(rf: RunFile, step: _Planned, previous_failure: dict[str, Any] | None) -> StepResult:
    """Run one step; ``previous_failure`` (the last entry of a failed step with the same
    inputs) limits it to the units that failed."""
    if step.detail:
        return StepResult(step.name, "not_applicable", step.detail, inputs=step.inputs)
    retry = [f["unit"] for f in previous_failure["failed"]] if previous_failure else None
    assert step.period is not None
    if step.kind == "render":
        return _render(rf, step, only_failed=retry is not None)
    if step.kind == "index766":
        return _index766(rf, step)
    return _form06(rf, step, retry)


# ------------------------------------------------------------------ steps
def _late_lists(rf: RunFile, step: _Planned) -> StepResult:
    """Produce the months the plan owes into ``<out>/<plan_id>/``; nothing owed = unchanged."""
    from scorecard.late_list.schedule import describe, produce_missing_lists

    owed = step.owed
    if not owed.owed:
        return StepResult(step.name, "unchanged", f"nothing to produce: {describe(owed)}",
                          inputs=step.inputs, kind=step.kind)
    res = produce_missing_lists(rf.store, step.plan, reports_dir=rf.out / step.plan.plan_id,
                                owed=owed)
    outputs = [str(p.html.relative_to(rf.out)) for p in res.produced]
    failed = [{"unit": m.id, "error": err, "file": ""} for m, err in res.failed]
    detail = describe(owed, [p.late.month for p in res.produced], len(failed))
    return StepResult(step.name, "failed" if failed else "ok",
                      f"{detail} ({step.plan.calendar})", outputs, failed, step.inputs,
                      {"produced": len(res.produced), "failed": len(failed)}, step.kind)


def _render(rf: RunFile, step: _Planned, *, only_failed: bool) -> StepResult:
    from scorecard.render import render_batch

    pl, out = step.plan, rf.out / step.plan.plan_id
    r = rf.render
    batch = render_batch(pl.path, step.period.id, db=rf.store, out=out, workers=r.workers,
                         executor=r.executor, timeout=r.timeout, only_failed=only_failed,
                         progress=False)
    rel = batch.out_dir.relative_to(rf.out)
    manifest = json.loads(batch.manifest.read_text(encoding="utf-8"))
    # the audit notebook the render wrote, as its manifest names it (none for a refused id)
    failed = [{"unit": u, "error": _first_line(e.get("error")),
               "file": str(rel / e["notebook"]) if e.get("notebook") else ""}
              for u, e in manifest["units"].items() if e.get("status") == "failed"]
    outputs = [str(rel / n) for n in ("index.html", "summary.xlsx", "manifest.json")]
    counts = {"rendered": sum(r.status == "ok" for r in batch.results),
              "skipped": len(batch.skipped), "failed": len(failed)}
    detail = (f"{counts['rendered']} rendered, {counts['skipped']} unchanged, "
              f"{counts['failed']} failed ({pl.calendar})")
    return StepResult(step.name, "failed" if failed else "ok", detail, outputs, failed,
                      step.inputs, counts)


def _index766(rf: RunFile, step: _Planned) -> StepResult:
    from scorecard.forms.index766_xlsx import write_index766_workbook
    from scorecard.index766 import compute_index766, summarize_index766
    from scorecard.store import reading, snapshot_id
    from scorecard.units import load_units

    profile = rf.index766_profile
    with reading(rf.store) as con:
        detail = compute_index766(con, step.period, profile)
        summary = summarize_index766(detail, load_units(con), profile)
        snapshot = snapshot_id(con)
    path = rf.out / INDEX766_FOLDER / f"{step.period.id}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    name = Path(profile).stem
    write_index766_workbook(path, summary, detail, [
        ("Chỉ số", "Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg)"),
        ("Bộ tiêu chí", name), ("Kỳ", step.period.label_vi()),
        ("Dữ liệu", snapshot), ("Lập lúc", local_now().strftime("%d/%m/%Y %H:%M"))])
    return StepResult(step.name, "ok", f"{len(summary)} units ({name})",
                      [str(path.relative_to(rf.out))], inputs=step.inputs,
                      counts={"units": len(summary)})


def _form06(rf: RunFile, step: _Planned, only_units: list[str] | None) -> StepResult:
    from scorecard.forms.form06 import write_form06_workbook
    from scorecard.forms.form06_lines import Form06Source
    from scorecard.outputs import output_path
    from scorecard.store import reading
    from scorecard.units import load_units

    f = rf.form06
    assert f is not None
    folder = rf.out / FORM06_FOLDER / step.period.id
    folder.mkdir(parents=True, exist_ok=True)
    written, failed = [], []
    with reading(rf.store) as con:
        units = load_units(con)
        ids = [u for u, lv in zip(units["unit_id"], units["level"], strict=True)
               if lv in f.levels]
        if only_units is not None:
            ids = [u for u in ids if u in set(only_units)]
        # the period's facts are read once; each unit's lines are sums over its subtree
        source = Form06Source(con, step.period, by=f.by, calendar=f.calendar, units=ids)
        for uid in ids:
            try:
                path = output_path(folder, uid, ".xlsx")
                write_form06_workbook(path, *source.build(uid))
                written.append(str(path.relative_to(rf.out)))
            except Exception as exc:  # one unit's form failing does not stop the others
                failed.append({"unit": str(uid), "error": _first_line(
                    f"{type(exc).__name__}: {exc}"), "file": ""})
    rel = str(folder.relative_to(rf.out))
    detail = f"{len(written)} forms written, {len(failed)} failed ({f.calendar}, by {f.by})"
    return StepResult(step.name, "failed" if failed else "ok", detail, [rel], failed,
                      step.inputs, {"written": len(written), "failed": len(failed)})


# ------------------------------------------------------------------ ingest and demo
def drop_files(drop: Path) -> list[Path]:
    """The data files of the drop folder and its sub-folders, sorted; names starting with ``.``
    or ``~$`` (files being written, editor locks) are left for a later run."""
    from scorecard.readers import SUFFIXES

    if not drop.is_dir():
        return []
    out = []
    for p in drop.rglob("*"):
        parts = p.relative_to(drop).parts
        if (p.is_file() and p.suffix.lower() in SUFFIXES
                and not any(x.startswith((".", "~$")) for x in parts)):
            out.append(p)
    return sorted(out)


def _ingest(rf: RunFile) -> tuple[list[Any], int]:
    from scorecard.ingest import ingest_files

    if not rf.drop.is_dir():
        raise RunError(f"drop folder not found: {rf.drop} (the run file's `drop`)")
    files = drop_files(rf.drop)
    if not files:
        return [], 0
    reports = ingest_files(files, db=rf.store)
    bad = [r for r in reports if r.failed]
    if bad:
        names = "; ".join(f"{r.file}: {r.error}" for r in bad[:3])
        raise RunError(f"{len(bad)} file(s) of the drop folder could not be loaded, nothing was "
                       f"rendered: {names}")
    loaded = [r for r in reports if r.status == "loaded"]
    return loaded, sum(r.status == "unchanged" for r in reports)


def _ensure_demo(rf: RunFile) -> Path | None:
    """With a ``demo`` section: write the demo province into an empty drop folder (never into
    a store holding real units)."""
    if rf.demo is None or drop_files(rf.drop):
        return None
    from scorecard.config import DEMO_MARKER

    if rf.store.exists():
        from scorecard.store import reading

        with reading(rf.store) as con:
            real = con.execute("SELECT count(*) FROM units WHERE unit_id NOT LIKE ?",
                               [DEMO_MARKER + "-%"]).fetchone()[0]
        if real:
            raise RunError(f"{rf.store} holds non-demo units: the demo run file needs its own "
                           "store")
    from scorecard.demo import generate_demo

    generate_demo(rf.drop, seed=rf.demo.seed, cases=rf.demo.cases)
    return rf.drop


# ------------------------------------------------------------------ manifest and lock
def _read_manifest(out: Path) -> dict[str, Any]:
    path = out / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}  # a damaged manifest: every step runs again


def _write_manifest(rf: RunFile, steps: dict[str, Any]) -> None:
    from scorecard.outputs import write_text_atomic

    doc = {"run_file": str(rf.path),
           "finished_at": local_now().isoformat(),
           "steps": dict(sorted(steps.items()))}
    write_text_atomic(rf.out / MANIFEST_NAME, json.dumps(doc, ensure_ascii=False, indent=1))


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold ``<out>/.run.lock`` for the run (released when the process ends, even killed)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no advisory locks on this platform
        yield
        return
    with open(out / LOCK_NAME, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise RunError(f"another `scorecard run` is writing to {out}; try again when it "
                           "has finished") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _first_line(text: Any) -> str:
    return str(text or "failed").strip().splitlines()[0] if text else "failed"


# ------------------------------------------------------------------ the summary
def summary_lines(res: RunResult, command: str = "scorecard run") -> list[str]:
    """The one summary a run prints (for people reading cron mail and Airflow logs)."""
    lines = [f"{command}: {res.run_file}"]
    if res.nothing_new:
        since = (f" since the run of {datetime.fromisoformat(res.previous_run):%d/%m/%Y %H:%M}"
                 if res.previous_run else "")
        lines.append(f"nothing new{since}: no new file in the drop folder, the store, plans, "
                     "template, settings and code are unchanged and every output is there; "
                     "nothing done")
        lines += [f"{s.name:<26} {s.detail}" for s in res.steps if s.kind == "late_list"]
        return lines
    if res.demo_written:
        lines.append(f"demo     wrote the demo province (DỮ LIỆU MẪU) to {res.demo_written}")
    if res.only_failed:
        lines.append("ingest   skipped (--only-failed reruns the failed units only)")
    else:
        rows = sum(r.rows_read for r in res.files_loaded)
        rej = sum(r.rows_rejected for r in res.files_loaded)
        lines.append(f"ingest   {len(res.files_loaded)} file(s) loaded ({rows:,} rows read, "
                     f"{rej:,} rejected), {res.files_unchanged} already loaded")
        lines += [f"           loaded {r.file.name} [{r.kind}]" for r in res.files_loaded]
    for s in res.steps:
        where = f" -> {res.out / s.outputs[0]}" if s.outputs and s.status in ("ok", "failed") else ""
        lines.append(f"{s.name:<26} {s.status}: {s.detail}{where}")
    if res.failed_units:
        lines.append(f"FAILED units ({len(res.failed_units)}); rerun them with "
                     f"`{command} {res.run_file} --only-failed`:")
        lines += [f"  {name}: {f['unit']}: {f['error']}"
                  + (f" ({res.out / f['file']})" if f.get("file") else "")
                  for name, f in res.failed_units]
    lines.append(f"done in {res.seconds:.1f} s: "
                 + ("some units failed (exit 1)" if res.exit_code else "all went well"))
    return lines
