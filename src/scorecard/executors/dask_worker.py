"""The worker side of the Dask executor: the warm-kernel worker plugin and the job task.

:data:`DASK_PLUGIN` names the worker plugin (``WarmKernelPlugin``): each Dask worker keeps one
warm kernel per worker thread for the whole run, materialises shipped snapshots under its local
directory and checks each store snapshot read-only once. :func:`run_dask_job` is the task the
client submits for each job: it runs the job there and hands back the result and the output
files' bytes.

``WarmKernelPlugin`` subclasses ``distributed``'s ``WorkerPlugin``; it is built on first use
(module ``__getattr__``) so that importing this module does not import ``distributed``.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scorecard.executors.jobs import Job, JobResult
from scorecard.executors.notebook_run import run_with_retry
from scorecard.executors.snapshots import SNAPSHOT_DIR, StagedInput, write_snapshot
from scorecard.executors.warm_kernel import WarmKernel

#: Name of the worker plugin that holds each Dask worker's warm kernels.
DASK_PLUGIN = "scorecard-warm-kernels"


@dataclass
class _KernelSlot:
    """One warm kernel and the single thread that owns it (every kernel call happens there:
    the kernel client's event loop belongs to one thread)."""

    pool: cf.ThreadPoolExecutor
    kernel: WarmKernel | None


class _WarmKernelPluginBase:
    """Dask worker plugin (:class:`WarmKernelPlugin`): each worker keeps one warm kernel per
    worker thread for the whole run (started lazily by its first job), and shuts them down when
    the worker closes.

    It also materialises shipped snapshots under the worker's local directory and opens each
    store snapshot read-only once (through :func:`scorecard.store.reading`) to check it before
    any notebook reads it.
    """

    name = DASK_PLUGIN

    def __init__(self, kernel_name: str = "python3", warm: bool = True) -> None:
        self.kernel_name = kernel_name
        self.warm = warm

    def setup(self, worker: Any) -> None:
        """Make one kernel slot per worker thread (kernels start with their first job)."""
        import queue
        import threading

        self.worker_name = str(worker.name)
        self.local_dir = Path(worker.local_directory)
        n = max(1, int(getattr(worker.state, "nthreads", 1)))
        self.slots = [_KernelSlot(cf.ThreadPoolExecutor(1, thread_name_prefix="scorecard-kernel"),
                                  WarmKernel(self.kernel_name) if self.warm else None)
                      for _ in range(n)]
        self.free: queue.Queue[_KernelSlot] = queue.Queue()
        for s in self.slots:
            self.free.put(s)
        self.lock = threading.Lock()
        self.checked: dict[str, str] = {}  # store snapshot path -> snapshot id
        self.exporter: Any = None
        self.jobs = 0

    def teardown(self, worker: Any) -> None:  # noqa: ARG002
        """Shut every kernel down (in its own thread) and stop the threads."""
        for s in self.slots:
            if s.kernel is not None:
                with contextlib.suppress(Exception):
                    s.pool.submit(s.kernel.shutdown).result(timeout=30)
            s.pool.shutdown(wait=False)

    def resolve(self, staged: StagedInput, payload: dict[str, bytes] | None) -> Path:
        """The worker-side path of a staged input (writing shipped bytes once)."""
        if staged.shared is not None:
            folder = Path(staged.shared)
            if not folder.is_dir():
                raise FileNotFoundError(
                    f"snapshot {folder} is not visible on worker {self.worker_name}: the stage "
                    "folder must be on a filesystem shared by every worker (same path)")
        else:
            if payload is None:
                raise FileNotFoundError(f"snapshot {staged.digest[:12]} was not shipped")
            with self.lock:
                folder = write_snapshot(self.local_dir / SNAPSHOT_DIR, staged.digest, payload)
        path = folder / staged.member if staged.member else folder
        if path.suffix == ".duckdb":
            self._check_store(path)
        return path

    def _check_store(self, path: Path) -> None:
        from scorecard.store import reading, snapshot_id

        with self.lock:
            if str(path) not in self.checked:
                with reading(path) as con:
                    self.checked[str(path)] = snapshot_id(con)

    def run(self, job: Job, timeout: float | None) -> JobResult:
        """Run ``job`` on a free warm kernel (in the kernel's own thread)."""
        slot = self.free.get()
        try:
            if self.exporter is None:
                from scorecard.report.notebook_html import make_exporter

                self.exporter = make_exporter()
            result = slot.pool.submit(run_with_retry, job, slot.kernel, timeout=timeout,
                                      exporter=self.exporter).result()
        finally:
            self.free.put(slot)
        result.worker = self.worker_name
        with self.lock:
            self.jobs += 1
        return result

    def stats(self) -> dict[str, Any]:
        """Jobs run, kernels started (warm: one per thread, unless one died) and the store
        snapshots opened on this worker (path -> snapshot id)."""
        return {"jobs": self.jobs, "stores": dict(self.checked),
                "kernel_starts": sum(s.kernel.starts for s in self.slots if s.kernel)}


_LAZY: dict[str, Any] = {}


def plugin_class() -> type:
    """``WarmKernelPlugin``: :class:`_WarmKernelPluginBase` as a ``distributed`` worker plugin
    (the class is built once, on first use)."""
    name = "WarmKernelPlugin"
    if name not in _LAZY:
        from distributed.diagnostics.plugin import WorkerPlugin

        _LAZY[name] = type(name, (_WarmKernelPluginBase, WorkerPlugin),
                           {"__module__": __name__, "__qualname__": name})
    return _LAZY[name]


def __getattr__(name: str) -> Any:
    """``WarmKernelPlugin`` (see :func:`plugin_class`); workers unpickle the plugin by it."""
    if name == "WarmKernelPlugin":
        return plugin_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _plugin() -> _WarmKernelPluginBase:
    """This worker's plugin instance."""
    from distributed import get_worker

    worker = get_worker()
    plugin = worker.plugins.get(DASK_PLUGIN)
    if plugin is None:  # pragma: no cover - the executor registers it before submitting
        raise RuntimeError(f"worker plugin {DASK_PLUGIN} is not registered")
    return plugin


def run_dask_job(job: Job, staged: dict[str, StagedInput],
                 payloads: dict[str, dict[str, bytes]], timeout: float | None) -> dict[str, Any]:
    """Dask task: run one job on this worker; hand back its result and output files' bytes.

    ``staged`` maps ``"template"`` and each staged parameter name to its snapshot; the job is
    rewritten to read those and to write into a scratch folder, whose files go back as bytes
    (``{"result": JobResult, "notebook": bytes | None, "html": bytes | None}``).
    """
    import shutil
    import uuid

    plugin = _plugin()
    paths = {key: plugin.resolve(s, payloads.get(s.digest)) for key, s in staged.items()}
    scratch = plugin.local_dir / "scorecard-out" / uuid.uuid4().hex
    scratch.mkdir(parents=True)
    try:
        params = dict(job.parameters)
        for key, p in paths.items():
            if key != "template":
                params[key] = str(p)
        nb_path = scratch / job.notebook_path.name
        html_path = scratch / job.html_path.name if job.html_path is not None else None
        local = replace(job, template=paths.get("template", job.template), parameters=params,
                        notebook_path=nb_path, html_path=html_path)
        result = plugin.run(local, timeout)
        return {
            "result": result,
            "notebook": nb_path.read_bytes() if nb_path.exists() else None,
            "html": html_path.read_bytes() if html_path and html_path.exists() else None,
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
