"""`scorecard run`: the quarterly job from a run file, its exit codes 0/1/2, its summary, and a
second call that finds nothing new.

The drop folder holds the render fixture's data as CSV files (tests/render_fixtures.py: the
province DEMO-P, district DEMO-D with communes DEMO-C1 and DEMO-C2, department DEMO-S; seven
cases resolved in 2025Q2). Under the plan's calendar (calendar quarters) the district's tree has
5 of 6 cases on time; its Biểu 06 (nd09 2025Q2: 15/03 – 14/06/2025) counts 4 early (c1, c3,
c5, c6), 1 on time (c2) and 1 late (c4).
"""

from __future__ import annotations

import json
import os
import textwrap
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scorecard.cli import main
from tests.render_fixtures import PLAN_YAML

UNITS = """unit_id,name,level,parent_id
DEMO-P,Tỉnh Thử,province,
DEMO-D,Huyện Một,district,DEMO-P
DEMO-C1,Xã Một,commune,DEMO-D
DEMO-C2,Xã Hai,commune,DEMO-D
DEMO-S,Sở Thử,department,DEMO-P
"""
PROCEDURES = (
    "procedure_id,name,field,online_service,has_fee,payment_integrated,at_one_stop,"
    "four_on_spot,has_sample_dossier,e_process_configured\n"
    "PR1,Đăng ký khai sinh,ho_tich,full,false,false,true,false,true,true\n")
CASES_HEADER = ("case_id,unit_id,procedure_id,received_at,due_at,resolved_at,status,channel,"
                "apology_issued\n")
CASES = CASES_HEADER + """c1,DEMO-C1,PR1,2025-04-01 08:00,2025-04-10 17:00,2025-04-09 09:00,resolved,online,false
c2,DEMO-C1,PR1,2025-04-02 08:00,2025-04-10 17:00,2025-04-10 09:00,resolved,online,false
c3,DEMO-C1,PR1,2025-04-03 08:00,2025-04-10 17:00,2025-04-08 09:00,resolved,online,false
c4,DEMO-C1,PR1,2025-04-04 08:00,2025-04-10 17:00,2025-04-15 09:00,resolved,online,true
c5,DEMO-C2,PR1,2025-05-01 08:00,2025-05-10 17:00,2025-05-05 09:00,resolved,online,false
c6,DEMO-C2,PR1,2025-05-02 08:00,2025-05-10 17:00,2025-05-06 09:00,resolved,online,false
c7,DEMO-S,PR1,2025-06-01 08:00,2025-06-10 17:00,2025-06-10 09:00,resolved,online,false
"""


def write_project(tmp: Path, *, outputs: str | None = None, period: str = "2025Q2") -> Path:
    """The drop folder, a plan file and a run file in ``tmp``; returns the run file."""
    drop = tmp / "drop"
    (drop / "2025Q2").mkdir(parents=True)
    (drop / "units.csv").write_text(UNITS, encoding="utf-8")
    (drop / "procedures.csv").write_text(PROCEDURES, encoding="utf-8")
    (drop / "2025Q2" / "cases.csv").write_text(CASES, encoding="utf-8")
    (drop / "README.txt").write_text("not data", encoding="utf-8")
    (drop / ".cases_partial.csv").write_text("being written", encoding="utf-8")
    (tmp / "test-plan.yaml").write_text(PLAN_YAML, encoding="utf-8")
    outputs = outputs or """\
        outputs:
          reports: true
          index766: portal-2024
          form06: {levels: [province, department, district, commune], by: field}"""
    text = textwrap.dedent(f"""\
        store: {tmp / "store.duckdb"}
        drop: {drop}
        plans: [{tmp / "test-plan.yaml"}]
        period: {period}
        out: {tmp / "out"}
        render: {{workers: 2, timeout: 120}}
        """) + textwrap.dedent(outputs) + "\n"
    run_file = tmp / "run.yaml"
    run_file.write_text(text, encoding="utf-8")
    return run_file


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """The first run, with the report of DEMO-C2 failing on purpose."""
    import io
    from contextlib import redirect_stdout

    tmp = tmp_path_factory.mktemp("run")
    run_file = write_project(tmp)
    buf = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SCORECARD_RENDER_FAIL_FOR", "DEMO-C2")
        with redirect_stdout(buf):
            rc = main(["run", str(run_file)])
    return rc, buf.getvalue(), tmp, run_file


@pytest.mark.slow
def test_first_run_loads_renders_and_lists_the_failed_unit(first_run):
    rc, out, tmp, run_file = first_run
    assert rc == 1, out
    assert "ingest   3 file(s) loaded (13 rows read, 0 rejected), 0 already loaded" in out
    assert "render test-plan 2025Q2" in out and "4 rendered, 0 unchanged, 1 failed" in out
    assert f"rerun them with `scorecard run {run_file} --only-failed`" in out
    assert "render test-plan 2025Q2: DEMO-C2: InjectedFailure: injected failure for DEMO-C2" in out
    assert str(tmp / "out" / "test-plan" / "2025Q2" / "DEMO-C2.ipynb") in out
    assert out.rstrip().endswith("some units failed (exit 1)")
    reports = tmp / "out" / "test-plan" / "2025Q2"
    assert (reports / "index.html").exists() and (reports / "summary.xlsx").exists()
    assert (reports / "DEMO-C1.html").exists() and not (reports / "DEMO-C2.html").exists()


@pytest.mark.slow
def test_first_run_writes_766_and_form06(first_run):
    from scorecard.forms.form06 import read_form06_workbook

    _, out, tmp, _ = first_run
    wb = load_workbook(tmp / "out" / "index766" / "2025Q2.xlsx")
    assert wb.sheetnames == ["Tổng điểm", "Chi tiết", "Nguồn"]
    head = [c.value for c in wb["Tổng điểm"][1]]
    assert head[:5] == ["Mã đơn vị", "Đơn vị", "Cấp", "Phạm vi", "Tổng điểm"]
    units = {r[0] for r in wb["Tổng điểm"].iter_rows(min_row=2, values_only=True)}
    assert units == {"DEMO-P", "DEMO-D", "DEMO-C1", "DEMO-C2", "DEMO-S"}
    forms = tmp / "out" / "bieu06" / "2025Q2"
    assert sorted(p.name for p in forms.iterdir()) == [
        "DEMO-C1.xlsx", "DEMO-C2.xlsx", "DEMO-D.xlsx", "DEMO-P.xlsx", "DEMO-S.xlsx"]
    district = read_form06_workbook(forms / "DEMO-D.xlsx").iloc[0]
    assert (district["resolved_early"], district["resolved_on_time"],
            district["resolved_late"]) == (4, 1, 1)
    assert "form06 2025Q2" in out and "5 forms written, 0 failed (nd09, by field)" in out


@pytest.mark.slow
def test_only_failed_then_nothing_new_then_a_new_drop(first_run, capsys):
    _, _, tmp, run_file = first_run
    reports = tmp / "out" / "test-plan" / "2025Q2"
    capsys.readouterr()
    # 1. only the failed unit is rendered again; nothing is loaded, nothing else redone
    assert main(["run", str(run_file), "--only-failed"]) == 0
    out = capsys.readouterr().out
    assert "ingest   skipped (--only-failed" in out
    assert "1 rendered, 4 unchanged, 0 failed" in out
    assert "index766 2025Q2" in out and "unchanged: did not fail last time" in out
    assert (reports / "DEMO-C2.html").exists()
    manifest = json.loads((tmp / "out" / "run-manifest.json").read_text(encoding="utf-8"))
    assert manifest["steps"]["render test-plan 2025Q2"]["status"] == "ok"
    # 2. nothing new: nothing is done, nothing is rewritten, and it says so
    watched = [reports / "index.html", reports / "manifest.json", tmp / "out" / "run-manifest.json",
               tmp / "out" / "bieu06" / "2025Q2" / "DEMO-D.xlsx", tmp / "store.duckdb"]
    before = [p.stat().st_mtime_ns for p in watched]
    assert main(["run", str(run_file)]) == 0
    out = capsys.readouterr().out
    assert "nothing new since the run of" in out and "nothing done" in out
    assert [p.stat().st_mtime_ns for p in watched] == before
    # 3. a new file in the drop folder: loaded, and every output follows the new data
    (tmp / "drop" / "2025Q2" / "cases_late.csv").write_text(
        CASES_HEADER + "c9,DEMO-C2,PR1,2025-05-03 08:00,2025-05-10 17:00,2025-05-20 09:00,"
        "resolved,online,false\n", encoding="utf-8")
    assert main(["run", str(run_file)]) == 0
    out = capsys.readouterr().out
    assert "ingest   1 file(s) loaded (1 rows read, 0 rejected), 3 already loaded" in out
    assert "5 rendered, 0 unchanged, 0 failed" in out
    assert "5 forms written" in out and "index766 2025Q2" in out
    html = (reports / "DEMO-D.html").read_text(encoding="utf-8")
    assert "71,43% (5/7)" in html  # the district's tree now has a 7th case, late


# ------------------------------------------------------------------ usage and data errors: 2
def _run(*argv: str, capsys) -> tuple[int, str]:
    capsys.readouterr()
    rc = main(["run", *argv])
    got = capsys.readouterr()
    return rc, got.out + got.err


NO_OUTPUTS = """\
    outputs:
      reports: false
      index766: false
      form06: false"""


def test_usage_errors_exit_2(tmp_path: Path, capsys) -> None:
    rc, text = _run(str(tmp_path / "nope.yaml"), capsys=capsys)
    assert rc == 2 and "scorecard run: run file not found:" in text
    run_file = write_project(tmp_path, outputs=NO_OUTPUTS)
    rc, text = _run(str(run_file), "--period", "2025Q5", capsys=capsys)
    assert rc == 2 and "unknown period '2025Q5'" in text
    run_file.write_text(run_file.read_text(encoding="utf-8").replace("plans:", "plan:"),
                        encoding="utf-8")
    rc, text = _run(str(run_file), capsys=capsys)
    assert rc == 2 and f"scorecard run: {run_file}: plan: Extra inputs are not permitted" in text
    bad = write_project(tmp_path / "b", outputs="""\
        outputs:
          form06: {levels: [ward]}""")
    rc, text = _run(str(bad), capsys=capsys)
    assert rc == 2 and "outputs.form06.Form06Output.levels" in text and "unknown level ward" in text
    assert "Traceback" not in text


def test_a_drop_file_that_cannot_load_stops_before_rendering(tmp_path: Path, capsys) -> None:
    run_file = write_project(tmp_path)
    (tmp_path / "drop" / "mystery.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    rc, text = _run(str(run_file), capsys=capsys)
    assert rc == 2
    assert "1 file(s) of the drop folder could not be loaded, nothing was rendered" in text
    assert "mystery.csv: cannot tell what kind of data this is" in text
    assert not (tmp_path / "out" / "test-plan").exists()


def test_missing_drop_folder_exits_2(tmp_path: Path, capsys) -> None:
    run_file = write_project(tmp_path, outputs=NO_OUTPUTS)
    text = run_file.read_text(encoding="utf-8").replace(str(tmp_path / "drop"),
                                                         str(tmp_path / "nodrop"))
    run_file.write_text(text, encoding="utf-8")
    rc, out = _run(str(run_file), capsys=capsys)
    assert rc == 2 and f"drop folder not found: {tmp_path / 'nodrop'}" in out


def test_a_second_run_at_the_same_time_exits_2(tmp_path: Path, capsys) -> None:
    import fcntl

    run_file = write_project(tmp_path, outputs=NO_OUTPUTS)
    (tmp_path / "out").mkdir()
    with open(tmp_path / "out" / ".run.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        rc, out = _run(str(run_file), capsys=capsys)
    assert rc == 2 and "another `scorecard run` is writing to" in out


# ------------------------------------------------------------------ periods by default
def test_default_period_and_plan_validity(tmp_path: Path) -> None:
    """No period: the last complete quarter under the plan's calendar (on 02/12/2026: 2026Q3);
    the test plan ends on 31/12/2025, so the step is left out, and a second run finds nothing
    new. The files are loaded once (skipped files: README.txt, the dot-file)."""
    from scorecard.run import drop_files, run_quarterly
    from scorecard.runfile import load_run_file

    run_file = write_project(tmp_path, outputs="""\
        outputs:
          reports: true
          index766: false
          form06: false""", period="null")
    assert [p.name for p in drop_files(tmp_path / "drop")] == ["cases.csv", "procedures.csv",
                                                                "units.csv"]
    rf = load_run_file(run_file)
    assert rf.period is None and rf.plans[0].plan_id == "test-plan"
    res = run_quarterly(rf, today=date(2026, 12, 2))
    (step,) = res.steps
    assert step.name == "render test-plan 2026Q3" and step.status == "not_applicable"
    assert step.detail == "Quý III/2026 is outside the plan's validity (01/01/2025 – 31/12/2025)"
    assert len(res.files_loaded) == 3 and res.exit_code == 0 and not res.nothing_new
    again = run_quarterly(rf, today=date(2026, 12, 2))
    assert again.nothing_new and again.files_unchanged == 3 and again.exit_code == 0
    # a new quarter: on 15/01/2027 the default moves to 2026Q4 (a new step, still outside)
    later = run_quarterly(rf, today=date(2027, 1, 15))
    assert [s.name for s in later.steps] == ["render test-plan 2026Q4"]


def test_relative_paths_in_the_run_file_are_from_the_project(tmp_path: Path) -> None:
    from scorecard.runfile import load_run_file

    (tmp_path / "test-plan.yaml").write_text(PLAN_YAML, encoding="utf-8")
    f = tmp_path / "run.yaml"
    f.write_text("store: data/s.duckdb\ndrop: data/raw/drop\nplans: [test-plan.yaml]\n",
                 encoding="utf-8")
    here = os.getcwd()
    rf = load_run_file(f, home=tmp_path)
    assert os.getcwd() == here
    assert rf.store == tmp_path / "data" / "s.duckdb" and rf.drop == tmp_path / "data/raw/drop"
    assert rf.out == tmp_path / "reports" and rf.index766_profile == "portal-2024"
    assert rf.form06 is not None and rf.form06.levels == ["province", "department", "district",
                                                          "commune"]


def test_a_run_file_belongs_to_its_project(tmp_path: Path, monkeypatch) -> None:
    """Started from anywhere (cron starts in /), a run file's relative paths and plan ids are
    those of the project folder it sits in."""
    from scorecard.runfile import load_run_file

    project = tmp_path / "srv" / "scorecard"
    (project / "params" / "plans").mkdir(parents=True)
    (project / "params" / "plans" / "test-plan.yaml").write_text(PLAN_YAML, encoding="utf-8")
    run_file = project / "params" / "run.yaml"
    run_file.write_text("store: data/s.duckdb\ndrop: data/raw/drop\nplans: [test-plan]\n",
                        encoding="utf-8")
    monkeypatch.delenv("SCORECARD_HOME", raising=False)
    monkeypatch.delenv("SCORECARD_PARAMS", raising=False)
    monkeypatch.chdir(tmp_path)
    rf = load_run_file(run_file)
    assert rf.store == project / "data" / "s.duckdb" and rf.out == project / "reports"
    assert rf.plans[0].path == project / "params" / "plans" / "test-plan.yaml"
    assert rf.index766_profile == "portal-2024"  # no profile in that project: the shipped one


def test_shipped_run_files_parse() -> None:
    from scorecard.config import DEMO_RUN_FILE, PROCESSED_DIR, RUN_FILE
    from scorecard.runfile import load_run_file

    prod, demo = load_run_file(RUN_FILE), load_run_file(DEMO_RUN_FILE)
    assert prod.period is None and [p.plan_id for p in prod.plans] == ["bac-giang-2025"]
    assert demo.store == PROCESSED_DIR / "demo.duckdb" and demo.period.id == "2025Q2"
    assert demo.demo is not None and demo.demo.cases == 200_000
