"""The Dask executor (``--executor dask``): the client side of rendering on a Dask cluster.

The inputs each job names (its template and the parameters in ``Job.stage``) are snapshotted
once per run (:mod:`scorecard.executors.snapshots`), the warm-kernel worker plugin is registered
(:mod:`scorecard.executors.dask_worker`), one task per job is submitted, and the notebooks and
pages that come back are written where the local executor would write them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from scorecard.executors.dask_worker import DASK_PLUGIN, plugin_class, run_dask_job
from scorecard.executors.jobs import Job, JobResult
from scorecard.executors.snapshots import StagedInput, snapshot_input
from scorecard.outputs import write_bytes_atomic

#: LocalCluster options: everything (scheduler, workers, their HTTP endpoints) on 127.0.0.1,
#: random ports, no dashboard.
LOOPBACK_CLUSTER: dict[str, Any] = {
    "host": "127.0.0.1", "dashboard_address": None,
    "scheduler_kwargs": {"dashboard_address": "127.0.0.1:0"},
    "worker_dashboard_address": "127.0.0.1:0",
}


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
    jobs say, as :class:`~scorecard.executors.local_pool.LocalExecutor` does. Workers need the
    scorecard package installed.
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
    def _client(self) -> Iterator[tuple[Any, bool]]:
        """(client, whether the cluster was started here) for the run."""
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
        """Stage the inputs, register the plugin, run every job; see :class:`Executor`."""
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
            client.register_plugin(plugin_class()(self.kernel_name, self.warm), name=DASK_PLUGIN)
            return self._submit(client, jobs, staged, futures_payloads, on_result)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _stage(jobs: Sequence[Job], shared: Path | None
               ) -> tuple[list[dict[str, StagedInput]], dict[str, dict[str, bytes]]]:
        """Snapshot every distinct input once; per job, its staged inputs by key (``template``
        and the staged parameter names); the payloads to ship by digest."""
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
                    if staged.shared is None:  # shipped, also when empty (an empty folder)
                        payloads[staged.digest] = payload
                mine[key] = cache[src]
            per_job.append(mine)
        return per_job, payloads

    def _submit(self, client: Any, jobs: list[Job], staged: list[dict[str, StagedInput]],
                payloads: dict[str, Any], on_result: Callable[[JobResult], None] | None
                ) -> list[JobResult]:
        """One task per job; results in job order, ``on_result`` as each finishes."""
        import uuid

        from distributed import as_completed

        run_id = uuid.uuid4().hex[:8]
        index, futures = {}, []
        for i, (job, st) in enumerate(zip(jobs, staged, strict=True)):
            mine = {s.digest: payloads[s.digest] for s in st.values() if s.digest in payloads}
            fut = client.submit(run_dask_job, job, st, mine, self.timeout, pure=False,
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
