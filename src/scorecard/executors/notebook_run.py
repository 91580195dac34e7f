"""One notebook job, executed by papermill: :func:`run_job` and :func:`run_with_retry`.

The job's template is read once per process (cached while its mtime is unchanged), copied, given
the failure cell when the job asks for one (tests), executed on a warm kernel
(:class:`~scorecard.executors.warm_kernel.WarmKernel`) or a fresh one through the ``scorecard``
papermill engine (:mod:`~scorecard.executors.papermill_engines`), and written out: the executed
notebook always (also when a cell failed: it is the audit record), the HTML page when the
notebook ran through. Both files are written to a temporary name and renamed
(:mod:`scorecard.outputs`), so a reader never sees half a file.
"""

from __future__ import annotations

import json
import time
import traceback
from pathlib import Path
from typing import Any

from scorecard.executors.failure_injection import with_injected_failure
from scorecard.executors.jobs import Job, JobResult
from scorecard.executors.papermill_engines import execute_in_memory
from scorecard.executors.warm_kernel import KernelDied, WarmKernel
from scorecard.outputs import atomic_target, write_text_atomic


def run_job(job: Job, kernel: WarmKernel | None = None, *, timeout: float | None = None,
            exporter: Any = None) -> JobResult:
    """Execute one job with papermill (on ``kernel`` if given, else a fresh kernel).

    ``timeout`` is the seconds the whole notebook may take (cells included, kernel start
    included); a notebook still running then fails with ``TimeoutError`` and a warm kernel is
    replaced. Writes the executed notebook (also when a cell failed: it is the audit record) and,
    when the notebook ran through, its HTML. Never raises for a notebook error; raises
    :class:`KernelDied` when the kernel died, could not start or could not be reset (the caller
    may retry on a new kernel). ``exporter`` is a
    :func:`scorecard.report.notebook_html.make_exporter` to reuse.
    """
    from papermill.exceptions import PapermillExecutionError

    started = time.monotonic()
    deadline = started + timeout if timeout else None
    template = _load_template(job.template)
    if job.inject_failure:
        template = with_injected_failure(template, job.unit_id)
    capture: dict[str, Any] = {}
    error = None
    try:
        on_kernel: dict[str, Any] = {}
        if kernel is not None:
            kernel.ensure()
            kernel.reset()
            on_kernel = {"km": kernel.km, "kc": kernel.kc}
        nb = execute_in_memory(template, job.parameters, input_path=str(job.template),
                               deadline=deadline, capture=capture, **on_kernel)
    except KernelDied:
        raise
    except PapermillExecutionError as exc:
        nb = capture.get("nb")
        error = f"{exc.ename}: {exc.evalue}"
    except Exception as exc:
        if kernel is not None and not kernel.alive():
            raise KernelDied(str(exc)) from exc
        nb = capture.get("nb")
        error = f"{type(exc).__name__}: {exc}".strip()
        if kernel is not None:  # a broken channel: start afresh next time
            kernel.shutdown()
    if error is not None and deadline is not None and time.monotonic() >= deadline:
        error = f"TimeoutError: the notebook did not finish within {timeout:g} s"
        if kernel is not None:  # it may still be busy with the interrupted cell
            kernel.shutdown()
    if nb is not None:
        _for_the_record(nb)
        _write_notebook(nb, job.notebook_path)
    if error is None and job.html_path is not None:
        from scorecard.report.notebook_html import export_html

        write_text_atomic(job.html_path, export_html(nb, exporter=exporter, **job.html_options))
    return JobResult(job.unit_id, "failed" if error else "ok", time.monotonic() - started,
                     error=error)


def run_with_retry(job: Job, kernel: WarmKernel | None, *, timeout: float | None,
                   exporter: Any = None) -> JobResult:
    """:func:`run_job`, retried once (on a new kernel) when the kernel died, did not start or
    could not be reset (:class:`KernelDied`); a notebook error is not retried.

    Never raises: an error of the runner itself is a failed result with its traceback, so one
    job cannot stop a batch.
    """
    started = time.monotonic()
    for attempt in (1, 2):
        try:
            result = run_job(job, kernel, timeout=timeout, exporter=exporter)
            result.attempts = attempt
            result.duration = time.monotonic() - started
            return result
        except KernelDied as exc:
            if kernel is not None:
                kernel.shutdown()
            if attempt == 2:
                return JobResult(job.unit_id, "failed", time.monotonic() - started,
                                 error=f"kernel failed twice: {exc}", attempts=2)
        except Exception as exc:  # a bug in the runner itself: report, do not stop the batch
            return JobResult(job.unit_id, "failed", time.monotonic() - started,
                             error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}",
                             attempts=attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _write_notebook(nb: Any, path: Path) -> None:
    """Write ``nb`` atomically as plain JSON (``nbformat.write`` re-validates the schema: slow,
    no gain for a notebook papermill just produced), unindented: Python's JSON encoder is C only
    without ``indent`` (indented, it costs a tenth of a report). JupyterLab reads it the same."""
    with atomic_target(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        json.dump(nb, fh, ensure_ascii=False)
        fh.write("\n")


def _for_the_record(nb: Any) -> None:
    """Make the executed notebook a stable audit record: papermill gives its injected-parameters
    cell a random id (made fixed, so two runs of the same unit give the same notebook and page).
    Its record names the template's path as its input (``execute_in_memory``'s ``input_path``)."""
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"


_TEMPLATES: dict[Path, tuple[float, Any]] = {}


def _load_template(path: Path) -> Any:
    """The notebook at ``path``, read once per process while its mtime is unchanged (callers
    copy it before changing it)."""
    import nbformat

    path = Path(path)
    mtime = path.stat().st_mtime
    cached = _TEMPLATES.get(path)
    if cached is None or cached[0] != mtime:
        cached = (mtime, nbformat.read(str(path), as_version=4))
        _TEMPLATES[path] = cached
    return cached[1]
