"""Batch rendering: reports, index, summary.xlsx, manifest, failures, reruns, warm = fresh."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from scorecard.evaluate.tally import level_totals, status_matrix
from tests.render_fixtures import build_store

PERIOD = "2025Q2"


# ------------------------------------------------------------------ fast, pure pieces
def _ev() -> pd.DataFrame:
    rows = [("A", "Xã A", "commune", "on_time", "pass"), ("A", "Xã A", "commune", "apology", "fail"),
            ("B", "Xã B", "commune", "on_time", "fail"), ("B", "Xã B", "commune", "apology", "no_data"),
            ("S", "Sở S", "department", "on_time", "pass"),
            ("S", "Sở S", "department", "apology", "not_applicable")]
    df = pd.DataFrame(rows, columns=["unit_id", "unit_name", "level", "target_id", "status"])
    return df.assign(label=df["target_id"])


def test_status_matrix_counts_passes_and_judged():
    m = status_matrix(_ev()).set_index("unit_id")
    assert list(m.columns[2:4]) == ["on_time", "apology"]  # plan order kept
    assert m.loc["A", "passed"] == 1 and m.loc["A", "judged"] == 2
    assert m.loc["B", "passed"] == 0 and m.loc["B", "judged"] == 1
    assert m.loc["S", "passed"] == 1 and m.loc["S", "judged"] == 1


def test_level_totals():
    t = level_totals(_ev()).set_index(["level", "target_id"])
    assert t.loc[("all", "on_time"), "pass"] == 2 and t.loc[("all", "on_time"), "fail"] == 1
    assert t.loc[("commune", "apology"), "no_data"] == 1
    assert t.loc[("department", "apology"), "not_applicable"] == 1


def test_plan_jobs_skips_unchanged_and_reruns_failed(tmp_path):
    from scorecard.render import plan_jobs

    for u in ("A", "B"):
        (tmp_path / f"{u}.html").write_text("x")
        (tmp_path / f"{u}.ipynb").write_text("x")
    inputs = {"data_snapshot": "load 1", "template": "t"}
    prev = {"A": {"status": "ok", "inputs": inputs}, "B": {"status": "failed", "inputs": inputs}}
    assert plan_jobs(["A", "B", "C"], inputs, prev, tmp_path, only_failed=False,
                     force=False) == (["B", "C"], ["A"])
    assert plan_jobs(["A", "B"], inputs, prev, tmp_path, only_failed=False,
                     force=True) == (["A", "B"], [])
    changed = {**inputs, "data_snapshot": "load 2"}
    assert plan_jobs(["A"], changed, prev, tmp_path, only_failed=False, force=False) == (["A"], [])
    assert plan_jobs(["A", "B"], inputs, prev, tmp_path, only_failed=True,
                     force=False) == (["B"], ["A"])


# ------------------------------------------------------------------ end to end
@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module")
def rendered(store, tmp_path_factory, monkeypatch_module):
    """Render every unit with an injected failure for DEMO-C2 through the CLI."""
    from scorecard.cli import main

    db, plan = store
    out = tmp_path_factory.mktemp("reports")
    monkeypatch_module.setenv("SCORECARD_RENDER_FAIL_FOR", "DEMO-C2")
    rc = main(["render", "--plan", str(plan), "--period", PERIOD, "--db", str(db),
               "--out", str(out), "--workers", "2", "--no-progress", "--timeout", "120"])
    monkeypatch_module.delenv("SCORECARD_RENDER_FAIL_FOR")
    return rc, out / PERIOD, db, plan, out


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def _manifest(d: Path) -> dict:
    return json.loads((d / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_batch_with_injected_failure(rendered):
    rc, d, *_ = rendered
    assert rc == 1
    m = _manifest(d)
    status = {u: e["status"] for u, e in m["units"].items()}
    # the province is not a level of the plan but gets its report: the headline (whole tree)
    assert status == {"DEMO-C1": "ok", "DEMO-C2": "failed", "DEMO-D": "ok", "DEMO-S": "ok",
                      "DEMO-P": "ok"}
    assert "injected failure" in m["units"]["DEMO-C2"]["error"]
    assert m["failed"] == ["DEMO-C2"]
    inputs = m["units"]["DEMO-C1"]["inputs"]
    assert inputs["data_snapshot"] == "load 1 (01/07/2025 08:00)"
    assert len(inputs["plan_file"]) == 64 and len(inputs["template"]) == 64
    assert (d / "DEMO-C2.ipynb").exists()  # the failed run is kept as the audit record
    assert not (d / "DEMO-C2.html").exists()
    # the manifest names the files the run wrote: the audit notebook, no page
    assert (m["units"]["DEMO-C2"]["notebook"], m["units"]["DEMO-C2"]["html"]) == (
        "DEMO-C2.ipynb", None)
    assert (m["units"]["DEMO-C1"]["notebook"], m["units"]["DEMO-C1"]["html"]) == (
        "DEMO-C1.ipynb", "DEMO-C1.html")
    # the failure came from a cell the executor added after the parameters, not the template
    failed = json.loads((d / "DEMO-C2.ipynb").read_text(encoding="utf-8"))
    code = [c for c in failed["cells"] if c["cell_type"] == "code"]
    tags = [c["metadata"].get("tags", []) for c in code]
    assert tags[:3] == [["parameters"], ["injected-parameters"], ["injected-failure"]]
    assert code[2]["outputs"][0]["ename"] == "InjectedFailure"
    ok = (d / "DEMO-C1.ipynb").read_text(encoding="utf-8")
    assert "InjectedFailure" not in ok and "fail_for" not in ok


@pytest.mark.slow
def test_commune_report_content(rendered):
    _, d, *_ = rendered
    html = (d / "DEMO-C1.html").read_text(encoding="utf-8")
    assert len(html.encode()) < 400_000
    assert "DỮ LIỆU MẪU" in html
    assert "Xã Một" in html and "01/04/2025 – 30/06/2025" in html
    # on time 3/4 = 75% against "trên 95%": Không đạt, 1 case short; apology 1/1: Đạt
    assert "75% (3/4)" in html and "trên 95%" in html and "Không đạt" in html
    assert "100% (1/1)" in html and "1 hồ sơ" in html
    assert '<script src="../assets/plotly.min.js"></script>' in html
    assert not re.search(r'src="https?://', html)  # no CDN
    assert "sc-target-on_time" in html  # the bullet chart of the target
    assert "import " not in html  # code hidden
    # section headings are the template's markdown cells, shown as plain headings
    assert "<h2>1. Kết quả theo chỉ tiêu của kế hoạch</h2>" in html and "¶" not in html
    nb = json.loads((d / "DEMO-C1.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["papermill"]["parameters"]["unit_id"] == "DEMO-C1"


@pytest.mark.slow
def test_parent_report_ranks_children(rendered):
    _, d, *_ = rendered
    html = (d / "DEMO-D.html").read_text(encoding="utf-8")
    # the district's tree: 5 of 6 resolved cases on time = 83,33%
    assert "83,33% (5/6)" in html
    kids = html[html.index('id="children"'):]
    kids = kids[:kids.index("</table>")]
    # Xã Hai passes on_time (1 judged, 1 passed), Xã Một passes apology only (1 of 2)
    assert kids.index("Xã Hai") < kids.index("Xã Một")


@pytest.mark.slow
def test_index_and_summary(rendered):
    _, d, *_ = rendered
    index = (d / "index.html").read_text(encoding="utf-8")
    assert 'href="./DEMO-C1.html"' in index and "DEMO-C2.html" not in index
    assert "Báo cáo lỗi (1)" in index and "DEMO-C2" in index
    assert "DỮ LIỆU MẪU" in index and "Toàn tỉnh" in index
    assert (d.parent / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    wb = load_workbook(d / "summary.xlsx")
    # the test plan has no task register: no task sheets
    assert wb.sheetnames == ["Tổng hợp", "Theo đơn vị", "Điểm 766", "Nguồn"]
    on_time = "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn"
    apology = "Tỷ lệ hồ sơ quá hạn có phiếu xin lỗi"
    # one row per target: the province's whole tree, 6 of 7 on time, then units per level
    top = list(wb["Tổng hợp"].iter_rows(values_only=True))
    assert top[0][:6] == ("STT", "Chỉ tiêu", "Căn cứ", "Yêu cầu", "Toàn tỉnh", None)
    assert top[1][4:6] == ("Giá trị", "Kết quả")
    assert top[2][:6] == (1, on_time, "II.6", "trên 95%", pytest.approx(6 / 7), "Không đạt")
    ws = wb["Theo đơn vị"]
    assert ws.freeze_panes == "D2" and ws.auto_filter.ref.startswith("A1:")
    header = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["DEMO-C1"][on_time] == "KĐ" and rows["DEMO-C1"][apology] == "Đạt"
    assert rows["DEMO-C2"]["Báo cáo"] == "Lỗi"
    c1 = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "DEMO-C1")
    assert c1[header.index(on_time)].fill.fgColor.rgb.endswith("FBD9D6")


@pytest.mark.slow
def test_rerun_only_failed_then_skip_unchanged(rendered, capsys):
    from scorecard.cli import main

    _, d, db, plan, out = rendered
    before = _manifest(d)["units"]["DEMO-C1"]
    args = ["render", "--plan", str(plan), "--period", PERIOD, "--db", str(db), "--out", str(out),
            "--workers", "1", "--no-progress"]
    capsys.readouterr()
    assert main([*args, "--only-failed"]) == 0
    assert "rendered 1 report" in capsys.readouterr().out
    m = _manifest(d)["units"]
    assert m["DEMO-C2"]["status"] == "ok" and (d / "DEMO-C2.html").exists()
    assert m["DEMO-C1"]["status"] == "skipped" and m["DEMO-C1"]["inputs"] == before["inputs"]
    assert main(args) == 0  # nothing changed: everything skipped
    assert "rendered 0 report(s)" in capsys.readouterr().out
    assert main([*args, "--force", "--units", "DEMO-C1"]) == 0
    assert "rendered 1 report" in capsys.readouterr().out
    # a rerun that fails removes the unit's earlier page: no page of another snapshot is left
    # beside the index, which lists the unit among the failed reports
    assert (d / "DEMO-C2.html").exists()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SCORECARD_RENDER_FAIL_FOR", "DEMO-C2")
        assert main([*args, "--force", "--units", "DEMO-C2"]) == 1
    assert not (d / "DEMO-C2.html").exists() and (d / "DEMO-C2.ipynb").exists()
    assert _manifest(d)["units"]["DEMO-C2"]["html"] is None
    assert "DEMO-C2.html" not in (d / "index.html").read_text(encoding="utf-8")
    assert main([*args, "--only-failed"]) == 0 and (d / "DEMO-C2.html").exists()


@pytest.mark.slow
def test_unknown_unit_is_a_user_error(rendered, capsys):
    from scorecard.cli import main

    _, _, db, plan, out = rendered
    rc = main(["render", "--plan", str(plan), "--period", PERIOD, "--db", str(db), "--out",
               str(out), "--units", "NOPE", "--no-progress"])
    assert rc == 2 and "unknown unit NOPE" in capsys.readouterr().err


def _outputs(nb: dict) -> list:
    return [(c.get("execution_count"), c.get("outputs")) for c in nb["cells"]
            if c["cell_type"] == "code"]


@pytest.mark.slow
def test_warm_kernel_output_equals_fresh(rendered, tmp_path):
    from scorecard.executors import Job, WarmKernel, run_job

    _, d, *_ = rendered
    params = json.loads((d / "DEMO-C1.ipynb").read_text())["metadata"]["papermill"]["parameters"]
    from scorecard.render import TEMPLATE

    def job(unit: str, tag: str) -> Job:
        return Job(unit, TEMPLATE, {**params, "unit_id": unit},
                   tmp_path / f"{tag}-{unit}.ipynb", tmp_path / f"{tag}-{unit}.html")

    kernel = WarmKernel()
    kernel.start()
    try:
        assert run_job(job("DEMO-D", "warm"), kernel).status == "ok"   # A, then
        assert run_job(job("DEMO-C1", "warm"), kernel).status == "ok"  # B in the same kernel
    finally:
        kernel.shutdown()
    assert run_job(job("DEMO-C1", "fresh"), None).status == "ok"     # B in a fresh kernel
    warm = json.loads((tmp_path / "warm-DEMO-C1.ipynb").read_text())
    fresh = json.loads((tmp_path / "fresh-DEMO-C1.ipynb").read_text())
    assert _outputs(warm) == _outputs(fresh)
    assert _outputs(warm)[0][0] == 1  # execution counts restart at 1 in the warm kernel
    assert ((tmp_path / "warm-DEMO-C1.html").read_text()
            == (tmp_path / "fresh-DEMO-C1.html").read_text())


def test_bullet_chart_colour_threshold_and_words():
    import plotly.graph_objects as go

    from scorecard.report.charts import GREEN, RED, figure_bundle, target_bullet

    fail = target_bullet({"value": 0.75, "threshold": 0.95, "comparator": ">", "status": "fail",
                          "label": "Đúng hạn"})
    ind = fail["data"][0]
    assert ind["type"] == "indicator" and ind["gauge"]["shape"] == "bullet"
    assert ind["value"] == 0.75 and ind["gauge"]["threshold"]["value"] == 0.95
    assert ind["gauge"]["bar"]["color"] == RED
    assert "Không đạt" in fail["layout"]["title"]["text"]
    assert "chỉ tiêu: trên 95%" in fail["layout"]["title"]["text"]
    ok = target_bullet({"value": 1.0, "threshold": 0.95, "comparator": ">", "status": "pass",
                        "label": "x"})
    assert ok["data"][0]["gauge"]["bar"]["color"] == GREEN
    go.Figure(fail)  # a valid plotly figure
    html = figure_bundle(fail, "target-on_time")["text/html"]
    assert 'id="sc-target-on_time"' in html and "<script src" not in html
