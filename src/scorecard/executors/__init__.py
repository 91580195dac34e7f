"""Executors: run a batch of notebook jobs and hand back one result per job.

The interface is small so that other executors can sit beside the local one::

    executor = get_executor("local", workers=2, timeout=120)
    results = executor.run(jobs, on_result=callback)   # list[JobResult], one per job

One module per job:

- :mod:`~scorecard.executors.jobs`: :class:`Job`, :class:`JobResult`, the :class:`Executor`
  protocol.
- :mod:`~scorecard.executors.notebook_run`: one notebook through papermill (:func:`run_job`,
  :func:`run_with_retry`), writing the executed notebook and its HTML page atomically, on the
  engines of :mod:`~scorecard.executors.papermill_engines`.
- :mod:`~scorecard.executors.warm_kernel`: :class:`WarmKernel`, one kernel reused for many
  notebooks, its namespace reset between them.
- :mod:`~scorecard.executors.local_pool`: :class:`LocalExecutor` (N worker processes, one warm
  kernel each) and :func:`FreshKernelExecutor` (a new kernel per notebook: the reference).
- :mod:`~scorecard.executors.dask_executor`: :class:`DaskExecutor` on a Dask cluster, with
  :mod:`~scorecard.executors.snapshots` (read-only content-addressed copies of the inputs) and
  :mod:`~scorecard.executors.dask_worker` (the warm-kernel worker plugin and the task).
- :mod:`~scorecard.executors.failure_injection`: failing chosen units on purpose (tests).
- :mod:`~scorecard.executors.registry`: :func:`get_executor` by name.

The names below are importable from this package; each is loaded from its module on first use,
so importing the package (as the kernel does for :class:`InjectedFailure`, or ``render`` for
:func:`injected_failures`) loads neither papermill nor distributed.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> the module of this package defining it.
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(("Job", "JobResult", "Executor"), "jobs"),
    **dict.fromkeys(("FAIL_FOR_ENV", "INJECTED_TAG", "InjectedFailure", "injected_failures",
                     "with_injected_failure"), "failure_injection"),
    **dict.fromkeys(("RESET_CODE", "KernelDied", "WarmKernel"), "warm_kernel"),
    **dict.fromkeys(("run_job", "run_with_retry"), "notebook_run"),
    **dict.fromkeys(("LocalExecutor", "FreshKernelExecutor"), "local_pool"),
    **dict.fromkeys(("SNAPSHOT_DIR", "StagedInput", "snapshot_input"), "snapshots"),
    **dict.fromkeys(("DASK_PLUGIN", "WarmKernelPlugin"), "dask_worker"),
    **dict.fromkeys(("DaskExecutor", "LOOPBACK_CLUSTER"), "dask_executor"),
    **dict.fromkeys(("EXECUTORS", "get_executor"), "registry"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Load a public name from its module (see ``_EXPORTS``)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
