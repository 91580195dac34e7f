"""The executors' own promises, on real kernels with tiny notebooks: a kernel the reset cannot
clear is replaced and the job retried, ``timeout`` bounds the whole notebook (warm and fresh
kernels alike) and the audit notebook names its template."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.tiny_notebooks import printed, write_notebook


def _job(template: Path, out: Path, name: str):
    from scorecard.executors import Job

    return Job("U1", template, {"unit_id": "U1"}, out / f"{name}.ipynb", out / f"{name}.html")


# ------------------------------------------------------------------ kernels
@pytest.mark.slow
def test_a_kernel_the_reset_cannot_clear_is_replaced_and_the_job_retried(tmp_path):
    """A notebook that deletes IPython's output cache leaves a kernel whose namespace reset
    fails: the next job runs on a new kernel (attempt 2) instead of failing unrun."""
    from scorecard.executors import WarmKernel, run_with_retry

    spoil = write_notebook(tmp_path / "spoil.ipynb", "del _oh")
    plain = write_notebook(tmp_path / "plain.ipynb", "print(unit_id)")
    kernel = WarmKernel()
    kernel.start()
    try:
        first = run_with_retry(_job(spoil, tmp_path, "spoil"), kernel, timeout=60)
        assert (first.status, first.attempts) == ("ok", 1)
        second = run_with_retry(_job(plain, tmp_path, "plain"), kernel, timeout=60)
        assert second.error is None
        assert (second.status, second.attempts, kernel.starts) == ("ok", 2, 2)
    finally:
        kernel.shutdown()
    assert printed(tmp_path / "plain.ipynb") == ["U1\n"]


@pytest.mark.slow
@pytest.mark.parametrize("warm", [True, False], ids=["warm", "fresh"])
def test_timeout_bounds_the_whole_notebook(tmp_path, warm):
    """Three cells of 1.5 s each, 2 s allowed: the notebook fails as a timeout, although no
    single cell takes 2 s (``--timeout``: seconds allowed per notebook)."""
    from scorecard.executors import WarmKernel, run_job

    slow = write_notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(1.5)", "time.sleep(1.5)",
                     "time.sleep(1.5)\nprint('finished')")
    plain = write_notebook(tmp_path / "plain.ipynb", "print(unit_id)")
    kernel = WarmKernel() if warm else None
    try:
        if kernel is not None:
            kernel.start()
        res = run_job(_job(slow, tmp_path, "slow"), kernel, timeout=2)
        assert res.status == "failed"
        assert res.error == "TimeoutError: the notebook did not finish within 2 s"
        assert not (tmp_path / "slow.html").exists()
        # the audit record: the cell running when time ran out was interrupted (the first or
        # the second sleep, as the kernel's start counts too); the third never ran
        cells = [c for c in json.loads((tmp_path / "slow.ipynb").read_text())["cells"]
                 if c["cell_type"] == "code"]
        errors = [i for i, c in enumerate(cells)
                  if any(o.get("ename") == "KeyboardInterrupt" for o in c["outputs"])]
        assert errors in ([2], [3])  # 0 parameters, 1 injected parameters, 2-4 the sleeps
        assert cells[4]["execution_count"] is None and printed(tmp_path / "slow.ipynb") == []
        if kernel is not None:  # the timed-out kernel is replaced, not reused
            assert run_job(_job(plain, tmp_path, "plain"), kernel, timeout=60).status == "ok"
            assert kernel.starts == 2
    finally:
        if kernel is not None:
            kernel.shutdown()


@pytest.mark.slow
def test_the_audit_notebook_names_its_template(tmp_path):
    """papermill records the input it was given: the template's path, not a copy of it."""
    from scorecard.executors import run_job

    plain = write_notebook(tmp_path / "plain.ipynb", "print(unit_id)")
    assert run_job(_job(plain, tmp_path, "plain"), None, timeout=60).status == "ok"
    nb = json.loads((tmp_path / "plain.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["papermill"]["input_path"] == str(plain)
    assert nb["metadata"]["papermill"]["parameters"] == {"unit_id": "U1"}
