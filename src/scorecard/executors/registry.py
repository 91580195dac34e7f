"""Executors by name (``scorecard render --executor local|fresh|dask``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scorecard.executors.jobs import Executor
from scorecard.executors.local_pool import FreshKernelExecutor, LocalExecutor


def _dask_executor(**options: Any) -> Executor:
    from scorecard.executors.dask_executor import DaskExecutor

    return DaskExecutor(**options)


#: Name -> factory taking the executor's options.
EXECUTORS: dict[str, Callable[..., Executor]] = {
    "local": LocalExecutor,
    "fresh": FreshKernelExecutor,
    "dask": _dask_executor,
}


def get_executor(name: str = "local", **options: Any) -> Executor:
    """An executor by name (``local``, ``fresh``, ``dask``); options go to its constructor
    (``dask`` also takes ``scheduler`` and ``stage_dir``, see
    :class:`~scorecard.executors.dask_executor.DaskExecutor`)."""
    try:
        factory = EXECUTORS[name]
    except KeyError:
        raise ValueError(f"unknown executor {name!r}: use one of {', '.join(EXECUTORS)}") from None
    return factory(**options)
