"""Notebooks are stored clean, the template has its parameters, explore.ipynb runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scorecard.config import NOTEBOOKS_DIR
from tests.render_fixtures import build_store

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def test_notebooks_exist():
    names = {p.name for p in NOTEBOOKS}
    assert {"scorecard.ipynb", "explore.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: a cell has outputs"
            assert cell.get("execution_count") is None, f"{path.name}: execution count stored"
    assert "papermill" not in nb["metadata"]


def test_template_parameters():
    nb = json.loads((NOTEBOOKS_DIR / "scorecard.ipynb").read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    src = "".join(tagged[0]["source"])
    for name in ("db", "plan", "period", "calendar", "unit_id", "bundle", "generated_at",
                 "code_version"):
        assert f"\n{name} = " in "\n" + src, name


def test_template_has_no_test_hook():
    """Failures are injected by the executor, never by the template (the audit record)."""
    text = (NOTEBOOKS_DIR / "scorecard.ipynb").read_text(encoding="utf-8")
    for hook in ("fail_for", "injected", "InjectedFailure"):
        assert hook not in text, hook


def test_template_is_thin():
    """No SQL, no pandas arithmetic in the template: numbers come from scorecard functions."""
    nb = json.loads((NOTEBOOKS_DIR / "scorecard.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    for banned in ("SELECT", "groupby", "import duckdb", ".sum(", "import pandas"):
        assert banned not in code, banned


@pytest.mark.slow
def test_template_runs_standalone_from_the_store(tmp_path):
    """Without a batch bundle the template computes from the store (commune of the fixture)."""
    from scorecard.executors import Job, run_job

    db, plan = build_store(tmp_path)
    job = Job("DEMO-C1", NOTEBOOKS_DIR / "scorecard.ipynb",
              {"db": str(db), "plan": str(plan), "period": "2025Q2", "unit_id": "DEMO-C1",
               "generated_at": "2025-07-02T09:00:00"},
              tmp_path / "c1.ipynb", tmp_path / "c1.html")
    res = run_job(job, None, timeout=120)
    assert res.status == "ok", res.error
    html = (tmp_path / "c1.html").read_text(encoding="utf-8")
    assert "75% (3/4)" in html and "02/07/2025 09:00" in html


@pytest.mark.slow
def test_explore_runs_on_a_store(tmp_path):
    import papermill as pm

    db, plan = build_store(tmp_path)
    out = tmp_path / "explore.ipynb"
    pm.execute_notebook(str(NOTEBOOKS_DIR / "explore.ipynb"), str(out), progress_bar=False,
                        parameters={"db": str(db), "plan": str(plan)}, cwd=str(tmp_path))
    nb = json.loads(out.read_text(encoding="utf-8"))
    kinds = {k for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]
             for k in o.get("data", {})}
    assert "application/vnd.plotly.v1+json" in kinds
