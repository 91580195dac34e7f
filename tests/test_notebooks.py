"""Notebooks are stored clean, the template has its parameters, explore.ipynb runs."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scorecard.config import NOTEBOOKS_DIR, PROJECT_ROOT
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


# ------------------------------------------------------------------ run as JupyterLab runs them
class _Tables(HTMLParser):
    """The rows (cell texts) of each HTML table, keyed by its caption or id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._name: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._n = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self._n += 1
            self._name = dict(attrs).get("id") or f"table-{self._n}"
            self.tables[self._name] = []
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None and self._name:
            caption = "".join(self._caption).strip()
            self.tables[caption] = self.tables.pop(self._name)
            self._name, self._caption = caption, None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._name:
            self.tables[self._name].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        for buf in (self._cell, self._caption):
            if buf is not None:
                buf.append(data)


def _tables(nb: dict) -> dict[str, list[list[str]]]:
    parser = _Tables()
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            parser.feed("".join(out.get("data", {}).get("text/html", "")))
    return parser.tables


def _figures(nb: dict) -> list[dict]:
    return [out["data"]["application/vnd.plotly.v1+json"] for c in nb["cells"]
            for out in c.get("outputs", []) if "application/vnd.plotly.v1+json" in out.get("data", {})]


@pytest.fixture(scope="module")
def project_home(tmp_path_factory) -> Path:
    """A project folder like a fresh clone after `make demo`: params/ (the fixture plan under
    the NĐ 09 calendar, the 766 profiles) and the demo store at data/processed/demo.duckdb.

    One more case makes the calendars disagree: Xã Hai resolves a case late on 20/06/2025,
    inside calendar 2025Q2 (to 30/06) but after nd09 2025Q2 (to 14/06). Under the plan's nd09
    the district's whole tree is 5 of 6 on time = 83,33%; under calendar it would be 5 of 7.
    """
    from datetime import datetime

    import duckdb

    home = tmp_path_factory.mktemp("project")
    plans = home / "params" / "plans"
    plans.mkdir(parents=True)
    shutil.copytree(PROJECT_ROOT / "params" / "index766", home / "params" / "index766")
    processed = home / "data" / "processed"
    processed.mkdir(parents=True)
    db, plan = build_store(processed)
    plan.rename(plans / "test-plan.yaml")
    text = (plans / "test-plan.yaml").read_text(encoding="utf-8")
    (plans / "test-plan.yaml").write_text(text.replace("calendar: calendar", "calendar: nd09"),
                                          encoding="utf-8")
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at, "
                "resolved_at, status, channel) VALUES ('c8', 'DEMO-C2', 'PR1', ?, ?, ?, "
                "'resolved', 'online')",
                [datetime(2025, 6, 2, 8), datetime(2025, 6, 12, 17), datetime(2025, 6, 20, 9)])
    con.close()
    db.rename(processed / "demo.duckdb")
    return home


def _run_in_notebooks_folder(name: str, out: Path, home: Path, **parameters) -> dict:
    """Execute a shipped notebook with its working directory in notebooks/ (as JupyterLab starts
    the kernel), the project home given by SCORECARD_HOME, the store left to its default."""
    import papermill as pm

    env = {"SCORECARD_HOME": str(home)}
    with pytest.MonkeyPatch.context() as mp:
        for key in ("SCORECARD_DB", "SCORECARD_PARAMS"):
            mp.delenv(key, raising=False)
        for key, value in env.items():
            mp.setenv(key, value)
        pm.execute_notebook(str(NOTEBOOKS_DIR / name), str(out), parameters=parameters,
                            progress_bar=False, cwd=str(NOTEBOOKS_DIR))
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report_nb(project_home, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("run") / "scorecard.ipynb"
    return _run_in_notebooks_folder("scorecard.ipynb", out, project_home, plan="test-plan",
                                    period="2025Q2", unit_id="DEMO-D")


@pytest.fixture(scope="module")
def explore_nb(project_home, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("run") / "explore.ipynb"
    return _run_in_notebooks_folder("explore.ipynb", out, project_home, plan="test-plan",
                                    period="2025Q2", unit_id="DEMO-D")


@pytest.mark.slow
def test_report_template_runs_from_notebooks_folder(report_nb, project_home):
    """Defaults resolve against the project: the demo store, a plan given by its id."""
    assert "db" not in report_nb["metadata"]["papermill"]["parameters"]  # the default
    tables = _tables(report_nb)
    headline = tables["targets"]
    assert headline[0][:3] == ["Chỉ tiêu", "Kết quả", "Giá trị"]
    # the plan's own calendar (nd09): 5 of 6 on time, not 5 of 7
    assert headline[1][:5] == ["Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn", "Không đạt",
                               "83,33% (5/6)", "trên 95%", "1 hồ sơ"]


@pytest.mark.slow
def test_explore_runs_from_notebooks_folder(explore_nb, project_home):
    tables = _tables(explore_nb)
    names = list(tables)
    assert [n.split(".")[0] for n in names] == [f"Bảng {i}" for i in range(1, 7)]
    overview = dict(tuple(r) for r in tables[names[0]][1:])
    assert overview["Kho dữ liệu"] == str(project_home / "data" / "processed" / "demo.duckdb")
    assert overview["Kỳ"] == "Quý II/2025: 15/03/2025 – 14/06/2025"
    assert overview["Cách tính kỳ"].startswith("NĐ 09/2019")
    assert overview["Lọc"] == "đơn vị: Huyện Một và trực thuộc"
    # the trend has Vietnamese quarter names, the table headers are Vietnamese
    trend = next(v for k, v in tables.items() if k.startswith("Bảng 5"))
    assert trend[0] == ["Chỉ tiêu", "Quý III/2024", "Quý IV/2024", "Quý I/2025", "Quý II/2025"]
    assert all("<NA>" not in c and "nan" not in c for r in trend for c in r)


@pytest.mark.slow
def test_explore_numbers_equal_the_report(explore_nb, report_nb):
    """The same unit and period: explore's target table is the report's section 1, row by row."""
    report = _tables(report_nb)
    report_rows = [r[:5] for name in ("targets", "targets-own") for r in report.get(name, [])[1:]]
    explore = _tables(explore_nb)
    unit = next(v for k, v in explore.items() if k.startswith("Bảng 2"))
    assert unit[0][:6] == ["Phạm vi", "Chỉ tiêu", "Kết quả", "Giá trị", "Yêu cầu", "Còn thiếu"]
    assert [r[1:6] for r in unit[1:]] == report_rows
    # by hand (nd09 2025Q2): the district's tree 5/6 on time; the late case of Xã Một had its
    # apology (the late case of Xã Hai falls after 14/06); its own cases: none
    on_time, apology = ("Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn",
                        "Tỷ lệ hồ sơ quá hạn có phiếu xin lỗi")
    assert [r[:6] for r in unit[1:]] == [
        ["Toàn đơn vị", on_time, "Không đạt", "83,33% (5/6)", "trên 95%", "1 hồ sơ"],
        ["Toàn đơn vị", apology, "Đạt", "100% (1/1)", "tối thiểu 100%", ""],
        ["Riêng đơn vị", on_time, "Chưa có dữ liệu", "–", "trên 95%", ""]]
    # the ranking chart: the communes of the district on the on-time target, target line 95%
    ranking = _figures(explore_nb)[0]
    bars = ranking["data"][0]
    assert dict(zip(bars["y"], bars["x"], strict=True)) == {"Xã Hai": 1.0, "Xã Một": 0.75}
    c1 = bars["hovertext"][bars["y"].index("Xã Một")]
    assert "75% (3/4 hồ sơ)" in c1 and "Không đạt — yêu cầu trên 95%" in c1
    assert "Còn thiếu 1 hồ sơ" in c1
    line = ranking["layout"]["shapes"][0]
    assert line["x0"] == 0.95 and line["line"]["dash"] == "dash"
    assert ranking["layout"]["annotations"][0]["text"] == "Yêu cầu: trên 95%"
