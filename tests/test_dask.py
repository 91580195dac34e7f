"""Distributed rendering (``--executor dask``): the same manifest, reports and index as the local
executor, from read-only content-addressed snapshots of the store, one warm kernel per worker."""

from __future__ import annotations

import json
import os
import re
import stat
import time
from pathlib import Path

import psutil
import pytest

from tests.render_fixtures import build_store

PERIOD = "2025Q2"
FAIL = "DEMO-C2"  # injected failure in every run, so failures are compared too
SNAPSHOT = "load 1 (01/07/2025 08:00)"


# ------------------------------------------------------------------ snapshots (fast)
def test_snapshot_is_content_addressed_and_read_only(tmp_path):
    from scorecard.executors import snapshot_input

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.store").write_bytes(b"store bytes")
    staged, payload = snapshot_input(src / "a.store", None)  # shipped: bytes, no folder
    assert staged.shared is None and staged.member == "a.store"
    assert payload == {"a.store": b"store bytes"}

    shared = tmp_path / "stage"
    again, empty = snapshot_input(src / "a.store", shared)
    assert empty == {} and again.digest == staged.digest  # same bytes, same name
    copy = Path(again.shared) / "a.store"
    assert copy.read_bytes() == b"store bytes" and Path(again.shared).name == staged.digest
    assert not copy.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    before = copy.stat().st_mtime_ns
    assert snapshot_input(src / "a.store", shared)[0] == again  # reused, not copied again
    assert copy.stat().st_mtime_ns == before

    (src / "a.store.wal").write_bytes(b"uncheckpointed")  # the WAL belongs to the snapshot
    with_wal, payload = snapshot_input(src / "a.store", None)
    assert with_wal.digest != staged.digest and set(payload) == {"a.store", "a.store.wal"}

    (src / "a.store.wal").unlink()
    (src / "a.store").write_bytes(b"store bytes, changed")
    assert snapshot_input(src / "a.store", None)[0].digest != staged.digest


def test_snapshot_of_a_folder(tmp_path):
    from scorecard.executors import snapshot_input

    d = tmp_path / "_data"
    (d / "sub").mkdir(parents=True)
    (d / "meta.json").write_text("{}")
    (d / "sub" / "x.parquet").write_bytes(b"pq")
    staged, payload = snapshot_input(d, None)
    assert staged.member == "" and payload == {"meta.json": b"{}", "sub/x.parquet": b"pq"}
    shared, _ = snapshot_input(d, tmp_path / "stage")
    assert (Path(shared.shared) / "sub" / "x.parquet").read_bytes() == b"pq"


def test_snapshot_of_an_empty_folder_exists(tmp_path):
    from scorecard.executors import snapshot_input

    empty = tmp_path / "empty"
    empty.mkdir()
    shared, payload = snapshot_input(empty, tmp_path / "stage")
    assert payload == {} and Path(shared.shared).is_dir()
    assert list(Path(shared.shared).iterdir()) == []
    shipped, payload = snapshot_input(empty, None)
    assert shipped.digest == shared.digest and payload == {}


def test_scheduler_needs_the_dask_executor(tmp_path, capsys):
    from scorecard.cli import main

    rc = main(["render", "--plan", "x", "--period", PERIOD, "--db", str(tmp_path / "t.duckdb"),
               "--scheduler", "tcp://127.0.0.1:1"])
    assert rc == 2 and "need --executor dask" in capsys.readouterr().err


# ------------------------------------------------------------------ end to end
@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module")
def fail_env():
    mp = pytest.MonkeyPatch()
    mp.setenv("SCORECARD_RENDER_FAIL_FOR", FAIL)
    yield
    mp.undo()


def _render(store, out: Path, *extra: str, workers: int = 2) -> int:
    from scorecard.cli import main

    db, plan = store
    return main(["render", "--plan", str(plan), "--period", PERIOD, "--db", str(db), "--out",
                 str(out), "--workers", str(workers), "--no-progress", "--timeout", "120",
                 *extra])


@pytest.fixture(scope="module")
def local_run(store, fail_env, tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    assert _render(store, out, "--executor", "local") == 1  # 1: the injected failure
    return out / PERIOD


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    from scorecard.executors import LOOPBACK_CLUSTER

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      **LOOPBACK_CLUSTER) as cl, Client(cl, set_as_default=False) as client:
        yield cl, client


def _worker_stats(client) -> dict[str, dict]:
    from scorecard.executors import DASK_PLUGIN

    def stats(dask_worker):
        return dask_worker.plugins[DASK_PLUGIN].stats()

    return client.run(stats)


def _manifest(d: Path) -> dict:
    return json.loads((d / "manifest.json").read_text(encoding="utf-8"))


def _same_manifest(local: dict, dask: dict) -> None:
    """Status, error, attempts and input hashes per unit equal; durations may differ."""
    keep = ("status", "error", "attempts", "inputs", "notebook", "html")
    assert {u: {k: e.get(k) for k in keep} for u, e in dask["units"].items()} == \
        {u: {k: e.get(k) for k in keep} for u, e in local["units"].items()}
    for key in ("plan", "period", "calendar", "code_version", "data_snapshot", "rendered",
                "skipped", "failed"):
        assert dask[key] == local[key], key
    assert local["executor"] == "local" and dask["executor"] == "dask"


_STAMP = re.compile(r"(Lập lúc:</b> )\d\d/\d\d/\d{4} \d\d:\d\d")


def _page(path: Path) -> str:
    """A page with its generated-at time blanked (each run stamps its own start time)."""
    return _STAMP.sub(r"\1<generated>", path.read_text(encoding="utf-8"))


def _outputs(path: Path) -> list:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c.get("execution_count"), json.loads(_STAMP.sub(r"\1<generated>", json.dumps(
        c.get("outputs"), ensure_ascii=False)))) for c in nb["cells"] if c["cell_type"] == "code"]


def _same_reports(local: Path, dask: Path) -> None:
    units = set(_manifest(local)["units"])
    assert len(units) >= 4 and FAIL in units
    ok = units - {FAIL}
    assert {p.name for p in dask.glob("*.html")} == {f"{u}.html" for u in ok} | {"index.html"}
    assert {p.name for p in dask.glob("*.ipynb")} == {f"{u}.ipynb" for u in units}
    for u in sorted(ok):
        assert _page(dask / f"{u}.html") == _page(local / f"{u}.html"), u
    for u in sorted(units):  # the failed unit's notebook too (its audit record)
        assert _outputs(dask / f"{u}.ipynb") == _outputs(local / f"{u}.ipynb"), u
    assert _page(dask / "index.html") == _page(local / "index.html")
    assert "Báo cáo lỗi (1)" in _page(dask / "index.html")


@pytest.mark.slow
def test_dask_on_a_scheduler_equals_local(store, local_run, cluster, tmp_path):
    """Bytes shipped through the scheduler; the workers read their own snapshot copies."""
    from scorecard.executors.snapshots import hash_members, snapshot_members

    cl, client = cluster
    assert _render(store, tmp_path, "--executor", "dask", "--scheduler",
                   cl.scheduler_address) == 1
    d = tmp_path / PERIOD
    _same_manifest(_manifest(local_run), _manifest(d))
    _same_reports(local_run, d)

    db, _ = store
    digest = hash_members(snapshot_members(db))
    params = json.loads((d / "DEMO-C1.ipynb").read_text())["metadata"]["papermill"]["parameters"]
    used = Path(params["db"])  # the worker's copy, named by the store's content
    assert used.name == db.name and used.parent.name == digest and used != db
    assert Path(params["bundle"]).parent.name == "scorecard-snapshots"

    stats = _worker_stats(client)
    assert sum(s["jobs"] for s in stats.values()) == len(_manifest(d)["units"])
    for s in stats.values():
        if s["jobs"]:
            assert s["kernel_starts"] == 1  # one warm kernel per worker for all its reports
            assert set(s["stores"].values()) == {SNAPSHOT}  # opened read-only on the worker
    assert max(s["jobs"] for s in stats.values()) >= 2  # so some kernel really was reused


@pytest.mark.slow
def test_dask_with_a_shared_stage_dir_equals_local(store, local_run, cluster, tmp_path):
    from scorecard.executors.snapshots import hash_members, snapshot_members

    cl, client = cluster
    stage = tmp_path / "stage"
    assert _render(store, tmp_path / "out", "--executor", "dask", "--scheduler",
                   cl.scheduler_address, "--stage-dir", str(stage)) == 1
    d = tmp_path / "out" / PERIOD
    _same_manifest(_manifest(local_run), _manifest(d))
    _same_reports(local_run, d)

    db, _ = store
    copy = stage / hash_members(snapshot_members(db)) / db.name
    assert copy.read_bytes() == db.read_bytes()
    params = json.loads((d / "DEMO-S.ipynb").read_text())["metadata"]["papermill"]["parameters"]
    assert Path(params["db"]) == copy.resolve()
    assert {str(copy.resolve())} == {p for s in _worker_stats(client).values()
                                     for p in s["stores"]}


@pytest.mark.slow
def test_dask_alone_starts_and_closes_a_local_cluster(store, local_run, tmp_path, capsys):
    me = psutil.Process(os.getpid())
    before = {p.pid for p in me.children(recursive=True)}
    started = time.time()
    capsys.readouterr()
    # one worker process (its cluster is started and closed by the command): 2 cores are shared
    assert _render(store, tmp_path, "--executor", "dask", workers=1) == 1
    out = capsys.readouterr().out
    n = len(_manifest(local_run)["units"])
    assert f"rendered {n} report(s)" in out and f"ok {n - 1}, failed 1" in out
    d = tmp_path / PERIOD
    _same_manifest(_manifest(local_run), _manifest(d))
    _same_reports(local_run, d)
    left = [p for p in me.children(recursive=True) if p.pid not in before and p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE]
    assert left == []  # the cluster's workers and their kernels are gone
    orphans = [p.pid for p in psutil.process_iter(["cmdline", "ppid", "create_time"])
               if "ipykernel_launcher" in " ".join(p.info["cmdline"] or [])
               and p.info["ppid"] == 1 and p.info["create_time"] >= started - 1]
    assert orphans == []  # kernels were shut down, not left behind by their workers


@pytest.mark.slow
@pytest.mark.parametrize("shared", [False, True], ids=["shipped", "stage-dir"])
def test_dask_stages_an_empty_folder(cluster, tmp_path, shared):
    """A staged input that is an empty folder reaches the workers as an empty folder, whether
    its snapshot is shipped through the scheduler or written to a shared stage folder."""
    from scorecard.executors import DaskExecutor, Job
    from tests.tiny_notebooks import printed, write_notebook

    cl, _ = cluster
    empty = tmp_path / "empty"
    empty.mkdir()
    template = write_notebook(tmp_path / "list.ipynb",  # `folder` comes with the parameters
                              "import os\nprint(os.path.isdir(folder), os.listdir(folder))")
    job = Job("U1", template, {"unit_id": "U1", "folder": str(empty)}, tmp_path / "U1.ipynb",
              stage=("folder",))
    executor = DaskExecutor(timeout=60, scheduler=cl.scheduler_address,
                            stage_dir=tmp_path / "stage" if shared else None)
    [result] = executor.run([job])
    assert (result.status, result.error) == ("ok", None)
    assert printed(tmp_path / "U1.ipynb") == ["True []\n"]
