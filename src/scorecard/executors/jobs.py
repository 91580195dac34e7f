"""What every executor takes and gives back: a :class:`Job` in, a :class:`JobResult` out.

An executor is anything with ``run(jobs, on_result=None) -> list[JobResult]`` (the
:class:`Executor` protocol): :class:`~scorecard.executors.local_pool.LocalExecutor`,
:class:`~scorecard.executors.dask_executor.DaskExecutor`, or one to come.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class Job:
    """One notebook to execute: the template, its parameters and where the outputs go.

    ``html_path`` may be None (no HTML). ``html_options`` are passed to
    :func:`scorecard.report.notebook_html.export_html`. ``stage`` names the parameters that hold
    paths of inputs (a file or a folder) that a worker on another machine needs a read-only copy
    of (:class:`~scorecard.executors.dask_executor.DaskExecutor`); the local executors read them
    in place. ``inject_failure`` makes the notebook fail on purpose (tests; see
    :func:`scorecard.executors.failure_injection.with_injected_failure`).
    """

    unit_id: str
    template: Path
    parameters: dict[str, Any]
    notebook_path: Path
    html_path: Path | None = None
    html_options: dict[str, Any] = field(default_factory=dict)
    stage: tuple[str, ...] = ()
    inject_failure: bool = False


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
