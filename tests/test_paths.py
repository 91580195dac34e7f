"""The project home, paths typed by users, and the default quarter: the same meaning wherever a
command or a JupyterLab kernel starts, and misses that say what to do."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scorecard import config, paths
from scorecard.periods import Period, last_complete_quarter
from scorecard.store import StoreError
from tests.render_fixtures import build_store


def _home(tmp: Path) -> Path:
    (tmp / "params" / "plans").mkdir(parents=True)
    return tmp


def test_home_from_env_then_enclosing_folder_then_checkout(tmp_path: Path) -> None:
    home = _home(tmp_path / "project")
    nested = home / "notebooks" / "deep"
    nested.mkdir(parents=True)
    # a kernel started in notebooks/deep finds the project above it
    assert config.find_project_home(nested, env={}) == home.resolve()
    # SCORECARD_HOME wins over the folder
    other = tmp_path / "elsewhere"
    assert config.find_project_home(nested, env={"SCORECARD_HOME": str(other)}) == other
    # outside any project: the checkout the package runs from
    lone = tmp_path / "lone"
    lone.mkdir()
    assert config.find_project_home(lone, env={}) == config.PROJECT_ROOT
    # the checkout's notebooks/ folder (where JupyterLab starts the kernel) is in the checkout
    assert config.find_project_home(config.NOTEBOOKS_DIR, env={}) == config.PROJECT_ROOT


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project home with an empty data/processed, as the process's home; cwd = notebooks/."""
    home = _home(tmp_path / "project")
    processed = home / "data" / "processed"
    processed.mkdir(parents=True)
    (home / "notebooks").mkdir()
    monkeypatch.setattr(config, "PROJECT_HOME", home)
    monkeypatch.setattr(config, "PROCESSED_DIR", processed)
    monkeypatch.setattr(config, "DEMO_DB", processed / "demo.duckdb")
    monkeypatch.setattr(config, "PLANS_DIR", home / "params" / "plans")
    monkeypatch.delenv("SCORECARD_DB", raising=False)
    monkeypatch.chdir(home / "notebooks")
    return home


def test_project_path_tries_the_current_folder_then_the_home(project: Path) -> None:
    (project / "notebooks" / "here.txt").write_text("x")
    (project / "data" / "there.txt").write_text("y")
    assert paths.project_path("here.txt") == project / "notebooks" / "here.txt"
    assert paths.project_path("data/there.txt") == project / "data" / "there.txt"
    assert paths.project_path("/abs/x") == Path("/abs/x")


def test_store_never_built_says_build_it(project: Path) -> None:
    with pytest.raises(StoreError) as err:
        paths.resolve_store("")
    msg = str(err.value)
    assert msg.startswith("no store has been built yet")
    assert str(project / "data" / "processed" / "scorecard.duckdb") in msg
    assert "make demo" in msg and "scorecard run" in msg


def test_empty_store_means_main_store_else_demo(project: Path) -> None:
    processed = project / "data" / "processed"
    demo_db, _ = build_store(processed)
    demo_db.rename(processed / "demo.duckdb")
    assert paths.resolve_store(None) == processed / "demo.duckdb"
    (processed / "scorecard.duckdb").write_bytes((processed / "demo.duckdb").read_bytes())
    assert paths.resolve_store("") == processed / "scorecard.duckdb"


def test_relative_store_from_the_kernel_folder(project: Path) -> None:
    processed = project / "data" / "processed"
    db, _ = build_store(processed)
    # typed as from the project folder, run from notebooks/: found through the home
    assert paths.resolve_store("data/processed/t.duckdb") == processed / "t.duckdb"
    # a path that exists nowhere: the message names both folders and the existing store
    (processed / "demo.duckdb").write_bytes(db.read_bytes())
    with pytest.raises(StoreError) as err:
        paths.resolve_store("data/processed/typo.duckdb")
    msg = str(err.value)
    assert "is relative and exists neither from the current folder" in msg
    assert str(project / "notebooks") in msg and str(project) in msg
    assert f"the project's store is {processed / 'demo.duckdb'} (used when" in msg
    assert "Load data first" not in msg  # not the wrong fix


def test_store_from_env(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, _ = build_store(project)
    monkeypatch.setenv("SCORECARD_DB", str(db))
    assert paths.resolve_store("") == db


def test_plan_by_id_or_by_path_from_the_kernel_folder(project: Path) -> None:
    from scorecard.plans import PlanError
    from tests.render_fixtures import PLAN_YAML

    plan_file = project / "params" / "plans" / "test-plan.yaml"
    plan_file.write_text(PLAN_YAML, encoding="utf-8")
    assert paths.resolve_plan("test-plan").plan_id == "test-plan"
    assert paths.resolve_plan("params/plans/test-plan.yaml").path == plan_file
    with pytest.raises(paths.PathNotFound, match="plan file not found: params/plans/nope.yaml"):
        paths.resolve_plan("params/plans/nope.yaml")
    with pytest.raises(PlanError, match="unknown plan 'nope'"):
        paths.resolve_plan("nope")


@pytest.mark.parametrize(("calendar", "today", "expected"), [
    ("calendar", date(2026, 12, 2), "2026Q3"),
    ("nd09", date(2026, 12, 2), "2026Q3"),    # nd09 2026Q4 runs to 14/12/2026
    ("nd09", date(2026, 12, 15), "2026Q4"),   # its last day was yesterday
    ("nd09", date(2026, 12, 14), "2026Q3"),   # ... not before today
    ("calendar", date(2026, 10, 1), "2026Q3"),
    ("calendar", date(2026, 9, 30), "2026Q2"),
    ("calendar", date(2027, 1, 1), "2026Q4"),
    ("nd09", date(2027, 1, 1), "2026Q4"),
    ("nd09", date(2026, 3, 14), "2025Q4"),    # 2026Q1 = 15/12/2025 – 14/03/2026
    ("nd09", date(2026, 3, 15), "2026Q1"),
])
def test_last_complete_quarter(calendar: str, today: date, expected: str) -> None:
    assert last_complete_quarter(calendar, today).id == expected


def test_latest_data_quarter_follows_the_last_receipt(tmp_path: Path) -> None:
    import duckdb

    from scorecard.explore import latest_data_quarter

    con = duckdb.connect()
    con.execute("CREATE TABLE cases (received_at TIMESTAMP)")
    con.execute("INSERT INTO cases VALUES ('2025-06-30 16:00')")
    assert latest_data_quarter(con, "calendar") == Period(2025, "quarter", 2)
    assert latest_data_quarter(con, "nd09") == Period(2025, "quarter", 2)
    con.execute("DELETE FROM cases")
    con.execute("INSERT INTO cases VALUES ('2025-06-13 09:00')")
    # nd09 2025Q2 ends on 14/06: the store does not cover it yet; calendar Q2 neither
    assert latest_data_quarter(con, "nd09") == Period(2025, "quarter", 1)
    assert latest_data_quarter(con, "calendar") == Period(2025, "quarter", 1)


def test_readers_of_a_missing_store_get_the_same_advice(project: Path) -> None:
    """connect_readonly (every command's --db) tells a wrong path from a store never built."""
    from scorecard.store import connect_readonly

    with pytest.raises(StoreError, match=r"store not found: typo\.duckdb \(relative to the "
                                         r"current folder .*notebooks\): check the path"):
        connect_readonly("typo.duckdb")
    default = project / "data" / "processed" / "scorecard.duckdb"
    with pytest.raises(StoreError, match=f"no store has been built yet at {default}: run `make"):
        connect_readonly(default)
