"""The local executor: N worker processes on this machine, one warm kernel each.

Each worker process (``spawn``) starts **one** Jupyter kernel when it starts and keeps it for the
whole batch (:class:`~scorecard.executors.warm_kernel.WarmKernel`); every job it gets runs
through :func:`~scorecard.executors.notebook_run.run_with_retry` on that kernel.
:func:`FreshKernelExecutor` is the same pool with a new kernel per notebook (plain papermill),
the reference the warm executor is compared with (tests, ``bench/render.py``).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any

from scorecard.executors.jobs import Job, JobResult
from scorecard.executors.notebook_run import run_with_retry
from scorecard.executors.warm_kernel import KernelDied, WarmKernel

#: State of this worker process: its kernel, timeout, HTML exporter and name.
_WORKER: dict[str, Any] = {}


def _worker_init(timeout: float | None, kernel_name: str, warm: bool) -> None:
    """Pool initializer: build the exporter and start the warm kernel (stopped at exit)."""
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
    """Run one job in this worker process, on its kernel."""
    result = run_with_retry(job, _WORKER["kernel"], timeout=_WORKER["timeout"],
                            exporter=_WORKER["exporter"])
    result.worker = _WORKER["name"]
    return result


def _drain(futures: dict[cf.Future, int], jobs: Sequence[Job],
           on_result: Callable[[JobResult], None] | None) -> list[JobResult]:
    """Collect the futures (future -> job index) as they finish; results in job order."""
    results: list[JobResult | None] = [None] * len(jobs)
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

    ``timeout`` is in seconds per notebook; ``warm=False`` gives every notebook a fresh kernel
    (plain papermill), for comparison.
    """

    def __init__(self, workers: int = 2, timeout: float | None = 600,
                 kernel_name: str = "python3", warm: bool = True) -> None:
        self.workers = max(1, int(workers))
        self.timeout = timeout
        self.kernel_name = kernel_name
        self.warm = warm

    def run(self, jobs: Sequence[Job],
            on_result: Callable[[JobResult], None] | None = None) -> list[JobResult]:
        """Run ``jobs`` on ``min(workers, len(jobs))`` processes; see :class:`Executor`."""
        jobs = list(jobs)
        if not jobs:
            return []
        ctx = multiprocessing.get_context("spawn")
        n = min(self.workers, len(jobs))
        with cf.ProcessPoolExecutor(n, mp_context=ctx, initializer=_worker_init,
                                    initargs=(self.timeout, self.kernel_name, self.warm)) as pool:
            futures = {pool.submit(_worker_run, job): i for i, job in enumerate(jobs)}
            return _drain(futures, jobs, on_result)


def FreshKernelExecutor(workers: int = 1, timeout: float | None = 600) -> LocalExecutor:  # noqa: N802
    """Plain papermill: a new kernel per notebook (the reference; slow)."""
    return LocalExecutor(workers, timeout, warm=False)
