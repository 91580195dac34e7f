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

:class:`DaskExecutor` runs the same jobs on a Dask distributed cluster (a running scheduler, or a
``LocalCluster`` started for the run): the inputs a job names in ``Job.stage`` and its template
are snapshotted once per run under content-addressed names, every worker keeps one warm kernel
per thread (the :data:`DASK_PLUGIN` worker plugin), and the executed notebooks and pages come
back to the client, which writes them where the local executor would.

Failure injection (tests only): a job with ``inject_failure`` runs a copy of its template with
one extra cell after the parameters that raises :class:`InjectedFailure`, so the failure goes
through the kernel, papermill and the audit notebook exactly as a real one would. The template
itself carries no test hook. :func:`injected_failures` reads the unit ids to fail from the
environment variable :data:`FAIL_FOR_ENV` (comma-separated); ``scorecard render`` marks those
units' jobs.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import copy
import json
import multiprocessing
import os
import subprocess
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from scorecard.outputs import atomic_target, write_bytes_atomic, write_text_atomic

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

#: Comma-separated unit ids whose render fails on purpose (tests of partial failures).
FAIL_FOR_ENV = "SCORECARD_RENDER_FAIL_FOR"
#: Tag of the cell a failing job gets (see :func:`with_injected_failure`).
INJECTED_TAG = "injected-failure"


class InjectedFailure(RuntimeError):
    """Raised on purpose inside the kernel for a job with ``inject_failure`` (tests only)."""


def injected_failures(env: dict[str, str] | None = None) -> frozenset[str]:
    """The unit ids listed in :data:`FAIL_FOR_ENV` (empty in normal use)."""
    env = os.environ if env is None else env
    return frozenset(u.strip() for u in env.get(FAIL_FOR_ENV, "").split(",") if u.strip())


def with_injected_failure(nb: Any, unit_id: str) -> Any:
    """A copy of notebook ``nb`` whose first cell after the parameters raises
    :class:`InjectedFailure` naming ``unit_id`` (the template on disk is left alone)."""
    import nbformat

    out = copy.deepcopy(nb)
    message = f"injected failure for {unit_id} ({FAIL_FOR_ENV})"
    code = f"from scorecard.executors import InjectedFailure\n\nraise InjectedFailure({message!r})"
    cell = nbformat.v4.new_code_cell(code, metadata={"tags": [INJECTED_TAG]})
    cell["id"] = INJECTED_TAG
    at = next((i + 1 for i, c in enumerate(out.cells)
               if "parameters" in c.get("metadata", {}).get("tags", [])), 0)
    out.cells.insert(at, cell)
    return out


@dataclass(frozen=True)
class Job:
    """One notebook to execute: the template, its parameters and where the outputs go.

    ``html_path`` may be None (no HTML). ``html_options`` are passed to
    :func:`scorecard.report.notebook_html.export_html`. ``stage`` names the parameters that hold
    paths of inputs (a file or a folder) that a worker on another machine needs a read-only copy
    of (:class:`DaskExecutor`); the local executors read them in place. ``inject_failure``
    makes the notebook fail on purpose (tests; see :func:`with_injected_failure`).
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
    if job.inject_failure:
        template = with_injected_failure(template, job.unit_id)
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
        with atomic_target(job.notebook_path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
            json.dump(nb, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
    if error is None and job.html_path is not None:
        write_text_atomic(job.html_path, export_html(nb, exporter=exporter, **job.html_options))
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


def _dask_executor(**options: Any) -> Executor:
    return DaskExecutor(**options)


EXECUTORS: dict[str, Callable[..., Executor]] = {
    "local": LocalExecutor,
    "fresh": FreshKernelExecutor,
    "dask": _dask_executor,
}


def get_executor(name: str = "local", **options: Any) -> Executor:
    """An executor by name (``local``, ``fresh``, ``dask``); options go to its constructor
    (``dask`` also takes ``scheduler`` and ``stage_dir``, see :class:`DaskExecutor`)."""
    try:
        factory = EXECUTORS[name]
    except KeyError:
        raise ValueError(f"unknown executor {name!r}: use one of {', '.join(EXECUTORS)}") from None
    return factory(**options)


# ------------------------------------------------------------------ Dask distributed
#: Name of the worker plugin that holds each Dask worker's warm kernels.
DASK_PLUGIN = "scorecard-warm-kernels"
#: LocalCluster options: everything (scheduler, workers, their HTTP endpoints) on 127.0.0.1,
#: random ports, no dashboard.
LOOPBACK_CLUSTER: dict[str, Any] = {
    "host": "127.0.0.1", "dashboard_address": None,
    "scheduler_kwargs": {"dashboard_address": "127.0.0.1:0"},
    "worker_dashboard_address": "127.0.0.1:0",
}
#: Folder (under a worker's local directory) for snapshots shipped as bytes.
SNAPSHOT_DIR = "scorecard-snapshots"


@dataclass(frozen=True)
class StagedInput:
    """A read-only, content-addressed copy of a file or folder a job reads.

    ``digest`` names the copy (sha256 of the names and bytes). ``member`` is the file inside the
    snapshot folder (``""`` when the input is a folder). ``shared`` is the snapshot folder on a
    filesystem every worker sees at the same path; ``None`` means the bytes are shipped through
    the scheduler and each worker writes them under its own local directory once.
    """

    digest: str
    member: str
    shared: str | None = None


def _snapshot_members(path: Path) -> dict[str, Path]:
    """The files of a snapshot of ``path``: a folder's files (relative names), or the file itself
    plus its DuckDB write-ahead log when one is beside it (uncheckpointed data lives there)."""
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p for p in sorted(path.rglob("*")) if p.is_file()}
    members = {path.name: path}
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        members[wal.name] = wal
    return members


def _hash_members(members: dict[str, Path]) -> str:
    import hashlib

    from scorecard.hashing import sha256_file

    h = hashlib.sha256()
    for name, p in sorted(members.items()):
        h.update(f"{name}\0{sha256_file(p)}\n".encode())
    return h.hexdigest()


@contextlib.contextmanager
def _store_held(path: Path) -> Any:
    """Hold a read-only connection to a DuckDB store while it is copied, so that no writer can
    change it half-way (DuckDB's file lock); other files need nothing."""
    if path.is_file() and path.suffix == ".duckdb":
        from scorecard.store import connect_readonly

        con = connect_readonly(path)
        try:
            yield
        finally:
            con.close()
    else:
        yield


def _write_snapshot(root: Path, digest: str, files: dict[str, bytes | Path]) -> Path:
    """Write a snapshot folder ``root/digest`` atomically (read-only files); reuse it if there."""
    import os
    import shutil
    import uuid

    final = root / digest
    if final.is_dir():
        return final
    tmp = root / f".tmp-{digest[:12]}-{uuid.uuid4().hex[:8]}"
    for name, src in files.items():
        dst = tmp / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(src, Path):
            shutil.copyfile(src, dst)
        else:
            dst.write_bytes(src)
        os.chmod(dst, 0o444)
    try:
        tmp.rename(final)
    except OSError:  # another process or thread wrote the same snapshot first
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def snapshot_input(path: str | Path, shared_dir: str | Path | None) -> tuple[StagedInput,
                                                                              dict[str, bytes]]:
    """Snapshot one input for Dask workers.

    With ``shared_dir`` the copy is written there (once: the name is the content hash) and the
    payload is empty; without, the payload holds the bytes to ship.
    """
    path = Path(path).resolve()
    with _store_held(path):
        members = _snapshot_members(path)
        digest = _hash_members(members)
        member = "" if path.is_dir() else path.name
        if shared_dir is not None:
            root = Path(shared_dir).resolve()
            root.mkdir(parents=True, exist_ok=True)
            folder = _write_snapshot(root, digest, dict(members))
            return StagedInput(digest, member, str(folder)), {}
        return StagedInput(digest, member), {n: p.read_bytes() for n, p in members.items()}


@dataclass
class _KernelSlot:
    """One warm kernel and the single thread that owns it (every kernel call happens there:
    the kernel client's event loop belongs to one thread)."""

    pool: cf.ThreadPoolExecutor
    kernel: WarmKernel | None


class _WarmKernelPluginBase:
    """Dask worker plugin (:class:`WarmKernelPlugin`): each worker keeps one warm kernel per worker thread for the whole
    run (started lazily by its first job), and shuts them down when the worker closes.

    It also materialises shipped snapshots under the worker's local directory and opens each
    store snapshot read-only once (through :func:`scorecard.store.connect_readonly`) to check
    it before any notebook reads it.
    """

    name = DASK_PLUGIN

    def __init__(self, kernel_name: str = "python3", warm: bool = True) -> None:
        self.kernel_name = kernel_name
        self.warm = warm

    def setup(self, worker: Any) -> None:
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
                folder = _write_snapshot(self.local_dir / SNAPSHOT_DIR, staged.digest, payload)
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


def __getattr__(name: str) -> Any:
    """``WarmKernelPlugin``: the plugin class, built on first use so that importing this module
    (as every local worker process does) does not import ``distributed``."""
    if name == "WarmKernelPlugin":
        if name not in _LAZY:
            from distributed.diagnostics.plugin import WorkerPlugin

            cls = type(name, (_WarmKernelPluginBase, WorkerPlugin), {"__module__": __name__,
                                                                     "__qualname__": name})
            _LAZY[name] = cls
        return _LAZY[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _dask_plugin() -> _WarmKernelPluginBase:
    from distributed import get_worker

    worker = get_worker()
    plugin = worker.plugins.get(DASK_PLUGIN)
    if plugin is None:  # pragma: no cover - the executor registers it before submitting
        raise RuntimeError(f"worker plugin {DASK_PLUGIN} is not registered")
    return plugin


def _dask_job(job: Job, staged: dict[str, StagedInput], payloads: dict[str, dict[str, bytes]],
              timeout: float | None) -> dict[str, Any]:
    """Dask task: run one job on this worker; hand back its result and output files' bytes.

    ``staged`` maps ``"template"`` and each staged parameter name to its snapshot; the job is
    rewritten to read those and to write into a scratch folder, whose files go back as bytes.
    """
    import shutil
    import uuid

    plugin = _dask_plugin()
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


class DaskExecutor:
    """Jobs on a Dask distributed cluster; each worker keeps one warm kernel per thread.

    ``scheduler`` is the address of a running scheduler (``tcp://host:8786``); without it a
    ``LocalCluster`` of ``workers`` processes (one thread each, on 127.0.0.1) is started for the
    run and closed afterwards.

    Inputs (the template and the parameters named in :attr:`Job.stage`, e.g. the store and the
    batch's data folder) are snapshotted once per run under a content-addressed name and opened
    read-only by the workers, so a load running meanwhile cannot change what they read, and
    workers never rely on the client's paths:

    - ``stage_dir`` given: the snapshot is copied there; it must be a folder every worker sees
      at the same path (a shared filesystem such as NFS). Copies are reused across runs while
      the content is unchanged; delete old ones when you like.
    - no ``stage_dir``, local cluster: as above, in a temporary folder removed after the run.
    - no ``stage_dir``, remote scheduler: the bytes are sent through the scheduler once
      (``scatter``) and each worker writes them under its local directory (they are held in
      memory during the run: for a large store prefer a shared ``stage_dir``).

    Executed notebooks and pages come back to the client as bytes and are written where the
    jobs say, as :class:`LocalExecutor` does. Workers need the scorecard package installed.
    """

    def __init__(self, workers: int = 2, timeout: float | None = 600,
                 kernel_name: str = "python3", warm: bool = True, scheduler: str | None = None,
                 stage_dir: str | Path | None = None) -> None:
        self.workers = max(1, int(workers))
        self.timeout = timeout
        self.kernel_name = kernel_name
        self.warm = warm
        self.scheduler = scheduler
        self.stage_dir = Path(stage_dir) if stage_dir else None

    @contextlib.contextmanager
    def _client(self) -> Any:
        from distributed import Client, LocalCluster

        if self.scheduler:
            with Client(self.scheduler, set_as_default=False) as client:
                yield client, False
            return
        with LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                          **LOOPBACK_CLUSTER) as cluster, \
                Client(cluster, set_as_default=False) as client:
            yield client, True

    def run(self, jobs: Sequence[Job],
            on_result: Callable[[JobResult], None] | None = None) -> list[JobResult]:
        import tempfile

        jobs = list(jobs)
        if not jobs:
            return []
        with contextlib.ExitStack() as stack:
            client, local = stack.enter_context(self._client())
            shared = self.stage_dir
            if shared is None and local:
                shared = Path(stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="scorecard-stage-")))
            staged, payloads = self._stage(jobs, shared)
            # one future per snapshot (a list, so the dict is not scattered value by value)
            futures_payloads = {d: client.scatter([p], hash=False)[0]
                                for d, p in payloads.items()}
            plugin_cls = __getattr__("WarmKernelPlugin")
            client.register_plugin(plugin_cls(self.kernel_name, self.warm), name=DASK_PLUGIN)
            return self._submit(client, jobs, staged, futures_payloads, on_result)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _stage(jobs: Sequence[Job], shared: Path | None
               ) -> tuple[list[dict[str, StagedInput]], dict[str, dict[str, bytes]]]:
        """Snapshot every distinct input once; per job, its staged inputs by key."""
        cache: dict[str, StagedInput] = {}
        payloads: dict[str, dict[str, bytes]] = {}
        per_job = []
        for job in jobs:
            wanted = {"template": job.template}
            wanted.update({k: job.parameters[k] for k in job.stage if job.parameters.get(k)})
            mine = {}
            for key, value in wanted.items():
                src = str(Path(value).resolve())
                if src not in cache:
                    staged, payload = snapshot_input(src, shared)
                    cache[src] = staged
                    if payload:
                        payloads[staged.digest] = payload
                mine[key] = cache[src]
            per_job.append(mine)
        return per_job, payloads

    def _submit(self, client: Any, jobs: list[Job], staged: list[dict[str, StagedInput]],
                payloads: dict[str, Any], on_result: Callable[[JobResult], None] | None
                ) -> list[JobResult]:
        import uuid

        from distributed import as_completed

        run_id = uuid.uuid4().hex[:8]
        index, futures = {}, []
        for i, (job, st) in enumerate(zip(jobs, staged, strict=True)):
            mine = {s.digest: payloads[s.digest] for s in st.values() if s.digest in payloads}
            fut = client.submit(_dask_job, job, st, mine, self.timeout, pure=False,
                                key=f"scorecard-render-{run_id}-{i}-{job.unit_id}")
            index[fut.key] = i
            futures.append(fut)
        results: list[JobResult | None] = [None] * len(jobs)
        for fut in as_completed(futures, loop=client.loop):
            i = index[fut.key]
            job = jobs[i]
            try:
                out = fut.result()
            except Exception as exc:  # the task raised or its workers kept dying
                res = JobResult(job.unit_id, "failed", 0.0,
                                error=f"dask task failed: {type(exc).__name__}: {exc}")
            else:
                res = out["result"]
                _write_back(job, out)
            results[i] = res
            if on_result:
                on_result(res)
        return [r for r in results if r is not None]


def _write_back(job: Job, out: dict[str, Any]) -> None:
    """Write a Dask job's returned files where the local executor would have written them."""
    if out.get("notebook") is not None:
        write_bytes_atomic(job.notebook_path, out["notebook"])
    if out.get("html") is not None and job.html_path is not None:
        write_bytes_atomic(job.html_path, out["html"])
