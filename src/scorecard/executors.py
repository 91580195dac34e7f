"""Executors: run a batch of notebook jobs and hand back one result per job.

The interface is small so that other executors (a Dask one, ``--executor dask``) can sit beside
the local one::

    executor = get_executor("local", workers=2, timeout=120)
    results = executor.run(jobs, on_result=callback)   # list[JobResult], one per job

Every job is executed by papermill. :class:`LocalExecutor` runs N worker processes; each starts
**one** Jupyter kernel when it starts and keeps it for the whole batch (a "warm" kernel):
papermill is told to use it through the ``scorecard-warm`` engine registered below (a papermill
engine whose nbclient client receives the worker's kernel manager and client instead of
starting a new kernel). Between two jobs the worker clears the user namespace and resets the
execution counter, so a notebook's outputs are the same as in a fresh kernel. A kernel that dies,
fails to start or times out is replaced, and the job retried once.

:class:`FreshKernelExecutor` is plain ``papermill.execute_notebook`` with a new kernel per
notebook; it is the reference the warm executor is compared with (tests, ``bench/render.py``).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import copy
import json
import multiprocessing
import subprocess
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

#: Code run (silently, outside history) in a warm kernel before each notebook: drop every
#: user-defined name, the output cache, and restart the execution counter at 1.
RESET_CODE = (
    "(lambda ip, hidden: ("
    "[ip.user_ns.pop(n) for n in [n for n in list(ip.user_ns) if n not in hidden]],"
    " ip.user_ns['_oh'].clear(), ip.user_ns.update(_='', __='', ___=''),"
    " ip.history_manager.input_hist_parsed.__setitem__(slice(None), ['']),"
    " ip.history_manager.input_hist_raw.__setitem__(slice(None), ['']),"
    " setattr(ip, 'execution_count', 1)))(get_ipython(), get_ipython().user_ns_hidden)"
)


@dataclass(frozen=True)
class Job:
    """One notebook to execute: the template, its parameters and where the outputs go.

    ``html_path`` may be None (no HTML). ``html_options`` are passed to
    :func:`scorecard.report.notebook_html.export_html`.
    """

    unit_id: str
    template: Path
    parameters: dict[str, Any]
    notebook_path: Path
    html_path: Path | None = None
    html_options: dict[str, Any] = field(default_factory=dict)


@dataclass
class JobResult:
    """What happened to one job. ``status`` is ``ok`` or ``failed``."""

    unit_id: str
    status: str
    duration: float
    error: str | None = None
    attempts: int = 1
    worker: str = ""


class Executor(Protocol):
    """Runs jobs; calls ``on_result`` as each finishes; returns the results in job order."""

    def run(
        self, jobs: Sequence[Job], on_result: Callable[[JobResult], None] | None = None
    ) -> list[JobResult]: ...


# ------------------------------------------------------------------ the papermill engine
def _register_engine() -> None:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import Engine, papermill_engines

    class WarmKernelEngine(Engine):
        """A papermill engine that executes on an already started kernel (``km``, ``kc``)."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, km=None, kc=None,
                                     deadline=None, capture=None, log_output=False,
                                     start_timeout=60, execution_timeout=None, **kwargs):
            if capture is not None:
                capture["nb"] = nb_man.nb
            timeout_func = None
            if deadline is not None:
                def timeout_func(cell, _deadline=deadline):  # noqa: ARG001
                    return max(1, int(_deadline - time.monotonic() + 0.999))
            client = PapermillNotebookClient(
                nb_man, km=km, kernel_name=kernel_name, log_output=log_output,
                startup_timeout=start_timeout, timeout=execution_timeout,
                timeout_func=timeout_func, interrupt_on_timeout=True,
            )
            client.kc = kc
            return client.execute(cleanup_kc=False)

    papermill_engines.register("scorecard-warm", WarmKernelEngine)


_register_engine()


class KernelDied(RuntimeError):
    """The kernel died or could not be started."""


class WarmKernel:
    """One long-lived kernel (manager and client) reused for many notebooks."""

    def __init__(self, kernel_name: str = "python3", startup_timeout: int = 60) -> None:
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self._client: Any = None
        self.starts = 0

    def start(self) -> None:
        import nbformat
        from nbclient import NotebookClient

        client = NotebookClient(nbformat.v4.new_notebook(), kernel_name=self.kernel_name,
                                startup_timeout=self.startup_timeout)
        client.km = client.create_kernel_manager()
        try:
            client.start_new_kernel(stderr=subprocess.DEVNULL)  # silence ipykernel's warnings
            client.start_new_kernel_client()
        except Exception as exc:
            self._client = client
            self.shutdown()
            raise KernelDied(f"kernel did not start: {exc}") from exc
        self._client = client
        self.starts += 1

    @property
    def km(self) -> Any:
        return self._client.km

    @property
    def kc(self) -> Any:
        return self._client.kc

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self._client is not None and self.km is not None and bool(
            run_sync(self.km.is_alive)())

    def ensure(self) -> None:
        if not self.alive():
            self.shutdown()
            self.start()

    def reset(self) -> None:
        """Clear the user namespace and the execution counter (cheap, unlike ``%reset -f``)."""
        from jupyter_core.utils import run_sync

        kc = self.kc
        msg_id = kc.execute(RESET_CODE, silent=True, store_history=False)
        while True:
            reply = run_sync(kc.get_shell_msg)(timeout=30)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        if reply["content"]["status"] != "ok":
            raise KernelDied(f"namespace reset failed: {reply['content'].get('evalue')}")

    def shutdown(self) -> None:
        if self._client is None:
            return
        try:
            if self._client.km is not None:
                self._client._cleanup_kernel()
        except Exception:  # pragma: no cover - best effort at exit
            pass
        self._client = None


# ------------------------------------------------------------------ running one job
def run_job(job: Job, kernel: WarmKernel | None = None, *, timeout: float | None = None,
            exporter: Any = None) -> JobResult:
    """Execute one job with papermill (on ``kernel`` if given, else a fresh kernel).

    Writes the executed notebook (also when a cell failed: it is the audit record) and, when the
    notebook ran through, its HTML. Never raises for a notebook error; raises
    :class:`KernelDied` when the kernel died or could not start (the caller may retry).
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from scorecard.report.notebook_html import export_html

    started = time.monotonic()
    job.notebook_path.parent.mkdir(parents=True, exist_ok=True)
    template = _load_template(job.template)
    capture: dict[str, Any] = {}
    error = None
    try:
        if kernel is not None:
            kernel.ensure()
            kernel.reset()
            deadline = started + timeout if timeout else None
            nb = pm.execute_notebook(
                copy.deepcopy(template), None, parameters=job.parameters,
                engine_name="scorecard-warm", km=kernel.km, kc=kernel.kc, deadline=deadline,
                capture=capture, progress_bar=False, request_save_on_cell_execute=False,
                cwd=None,
            )
        else:
            nb = pm.execute_notebook(
                copy.deepcopy(template), None, parameters=job.parameters,
                progress_bar=False, request_save_on_cell_execute=False,
                execution_timeout=int(timeout) if timeout else None, capture=capture,
                engine_name="scorecard-capture",
            )
    except PapermillExecutionError as exc:
        nb = capture.get("nb")
        error = f"{exc.ename}: {exc.evalue}"
    except Exception as exc:
        if kernel is not None and not kernel.alive():
            raise KernelDied(str(exc)) from exc
        nb = capture.get("nb")
        error = f"{type(exc).__name__}: {exc}".strip()
        if kernel is not None:  # a timeout or a broken channel: start afresh next time
            kernel.shutdown()
    if nb is not None:
        _stable_cell_ids(nb)
    if nb is not None:  # plain JSON: nbformat.write re-validates the schema (slow, no gain)
        with open(job.notebook_path, "w", encoding="utf-8") as fh:
            json.dump(nb, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
    if error is None and job.html_path is not None:
        job.html_path.write_text(export_html(nb, exporter=exporter, **job.html_options),
                                 encoding="utf-8")
    return JobResult(job.unit_id, "failed" if error else "ok", time.monotonic() - started,
                     error=error)


def _stable_cell_ids(nb: Any) -> None:
    """Papermill gives its injected-parameters cell a random id; make it stable so two runs of
    the same unit give the same notebook and page."""
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"


def _register_capture_engine() -> None:
    """The standard nbclient engine, also handing the notebook back when a cell fails."""
    from papermill.engines import NBClientEngine, papermill_engines

    class CaptureEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, capture=None, **kwargs):
            if capture is not None:
                capture["nb"] = nb_man.nb
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    papermill_engines.register("scorecard-capture", CaptureEngine)


_register_capture_engine()

_TEMPLATES: dict[Path, tuple[float, Any]] = {}


def _load_template(path: Path) -> Any:
    import nbformat

    path = Path(path)
    mtime = path.stat().st_mtime
    cached = _TEMPLATES.get(path)
    if cached is None or cached[0] != mtime:
        cached = (mtime, nbformat.read(str(path), as_version=4))
        _TEMPLATES[path] = cached
    return cached[1]


def run_with_retry(job: Job, kernel: WarmKernel | None, *, timeout: float | None,
                   exporter: Any = None) -> JobResult:
    """:func:`run_job`, retried once (on a new kernel) when the kernel died or did not start."""
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


# ------------------------------------------------------------------ worker processes
_WORKER: dict[str, Any] = {}


def _worker_init(timeout: float | None, kernel_name: str, warm: bool) -> None:
    from multiprocessing import util

    from scorecard.report.notebook_html import make_exporter

    kernel = WarmKernel(kernel_name) if warm else None
    _WORKER.update(kernel=kernel, timeout=timeout, exporter=make_exporter(),
                   name=multiprocessing.current_process().name)
    if kernel is not None:
        with contextlib.suppress(KernelDied):  # if not, the first job starts (and retries) it
            kernel.start()
        util.Finalize(None, kernel.shutdown, exitpriority=20)


def _worker_run(job: Job) -> JobResult:
    result = run_with_retry(job, _WORKER["kernel"], timeout=_WORKER["timeout"],
                            exporter=_WORKER["exporter"])
    result.worker = _WORKER["name"]
    return result


def _drain(futures: dict[cf.Future, int], n: int, jobs: Sequence[Job],
           on_result: Callable[[JobResult], None] | None) -> list[JobResult]:
    results: list[JobResult | None] = [None] * n
    for fut in cf.as_completed(futures):
        i = futures[fut]
        try:
            res = fut.result()
        except Exception as exc:  # a worker process died
            res = JobResult(jobs[i].unit_id, "failed", 0.0, error=f"worker died: {exc}")
        results[i] = res
        if on_result:
            on_result(res)
    return [r for r in results if r is not None]


class LocalExecutor:
    """N worker processes on this machine, each with one warm kernel for the whole batch.

    ``warm=False`` gives every notebook a fresh kernel (plain papermill), for comparison.
    """

    def __init__(self, workers: int = 2, timeout: float | None = 600,
                 kernel_name: str = "python3", warm: bool = True) -> None:
        self.workers = max(1, int(workers))
        self.timeout = timeout
        self.kernel_name = kernel_name
        self.warm = warm

    def run(self, jobs: Sequence[Job],
            on_result: Callable[[JobResult], None] | None = None) -> list[JobResult]:
        jobs = list(jobs)
        if not jobs:
            return []
        ctx = multiprocessing.get_context("spawn")
        n = min(self.workers, len(jobs))
        with cf.ProcessPoolExecutor(n, mp_context=ctx, initializer=_worker_init,
                                    initargs=(self.timeout, self.kernel_name, self.warm)) as pool:
            futures = {pool.submit(_worker_run, job): i for i, job in enumerate(jobs)}
            return _drain(futures, len(jobs), jobs, on_result)


def FreshKernelExecutor(workers: int = 1, timeout: float | None = 600) -> LocalExecutor:  # noqa: N802
    """Plain papermill: a new kernel per notebook (the reference; slow)."""
    return LocalExecutor(workers, timeout, warm=False)


EXECUTORS: dict[str, Callable[..., Executor]] = {
    "local": LocalExecutor,
    "fresh": FreshKernelExecutor,
}


def get_executor(name: str = "local", **options: Any) -> Executor:
    """An executor by name (``local``, ``fresh``); options go to its constructor."""
    try:
        factory = EXECUTORS[name]
    except KeyError:
        raise ValueError(f"unknown executor {name!r}: use one of {', '.join(EXECUTORS)}") from None
    return factory(**options)
