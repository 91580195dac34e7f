"""Evidence of worth on the demo province, the way a user runs it.

The demo plants each lead's pattern in the named units of ``demo_leads.PLANTED`` and nowhere
else; every planted unit must be flagged and no other unit, with one documented exception: the
demo's generator resolves every on-time case exactly on its due date and gives its "weak" units
the fewest early results (25-35%), so their results crowd onto the due date by construction;
the due-date spike lead rightly points at them too. Also here: the CLI on the demo store, the
notebook run from notebooks/, and that no ID number reaches the store or any output.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from scorecard.cli import main
from scorecard.config import NOTEBOOKS_DIR, PROJECT_ROOT
from scorecard.demo import XLSX_FILE, build_world, case_chunks, generate_demo
from scorecard.demo_leads import PLANTED, lead_values
from scorecard.ingest import ingest_files
from scorecard.leads import LEADS, compute_leads
from scorecard.store import reading

SEED, CASES, PERIOD = 2025, 100_000, "2024"

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("leads_demo")
    raw, db = tmp / "raw", tmp / "demo.duckdb"
    generate_demo(raw, seed=SEED, cases=CASES)
    reports = ingest_files(sorted(p for p in raw.iterdir() if p.is_file()), db=db)
    assert not [r for r in reports if r.failed]
    return raw, db


def test_every_planted_unit_is_flagged_and_no_clean_unit(demo_store) -> None:
    _, db = demo_store
    with reading(db) as con:
        res = compute_leads(con, PERIOD)
    assert res.status["active"].all(), res.status
    weak = set(build_world(SEED).units_of_tier("weak"))
    for lead in LEADS:
        s = res.scores[res.scores["lead"] == lead]
        flagged = set(s.loc[s["flagged"], "unit_id"])
        assert set(PLANTED[lead]) <= flagged, (lead, set(PLANTED[lead]) - flagged)
        others = flagged - set(PLANTED[lead])
        if lead == "due_date_spike":
            assert others <= weak, (lead, others - weak)  # by construction (module docstring)
        else:
            assert others == set(), (lead, others)
    # the evidence lists the planted units' cases, and only flagged units have evidence
    ev = res.evidence
    assert set(zip(ev["lead"], ev["unit_id"], strict=True)) == set(
        zip(*res.flagged()[["lead", "unit_id"]].T.values, strict=True))
    planted_bulk = ev[(ev["lead"] == "off_hours_bulk") & (ev["unit_id"] == "DEMO-X0803")]
    assert planted_bulk["case_id"].str.startswith("DEMO-HS-L").all()


def test_cli_on_the_demo_store(demo_store, tmp_path: Path, capsys) -> None:
    _, db = demo_store
    assert main(["leads", "--period", PERIOD, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    for units in PLANTED.values():
        for unit in units:
            assert unit in out
    assert "Cần xem xét:" in out and "không phải kết luận vi phạm" in out
    assert main(["leads", "--period", PERIOD, "--db", str(db), "--unit", "DEMO-S06",
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["lead"] for r in rows] == ["supplement_near_due"]
    assert main(["late-list", "--month", "2025-06", "--db", str(db),
                 "--reports", str(tmp_path / "reports")]) == 0
    assert "unit(s) late" in capsys.readouterr().out
    page = (tmp_path / "reports" / "2025-06" / "late-list.html").read_text(encoding="utf-8")
    assert "DỮ LIỆU MẪU" in page and "UBND TỈNH MẪU (DỮ LIỆU MẪU)" in page


def _planted_ids(raw: Path) -> set[str]:
    """Every made-up ID number behind the demo's applicant keys, and the fake CCCD numbers of
    the xlsx export's personal-data column (dropped when read)."""
    world = build_world(SEED)
    ids = {i for chunk in case_chunks(world, SEED, CASES) for i in lead_values(chunk, SEED)[1]}
    import openpyxl

    ws = openpyxl.load_workbook(raw / XLSX_FILE, read_only=True).worksheets[0]
    rows = ws.iter_rows(values_only=True)
    col = next(rows).index("Số CCCD")
    ids |= {str(r[col]) for r in rows if r[col]}
    return ids


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d{9,12}", text))


def test_no_id_number_in_the_store_or_any_output(demo_store, tmp_path: Path, capsys) -> None:
    raw, db = demo_store
    ids = _planted_ids(raw)
    assert len(ids) > CASES * 0.9 and all(len(i) == 12 for i in ids)
    # the outputs a user gets: the late list (page and Excel), the leads (table, csv, evidence)
    reports = tmp_path / "reports"
    assert main(["late-list", "--month", "2025-06", "--db", str(db), "--reports", str(reports)]) == 0
    assert main(["leads", "--period", PERIOD, "--db", str(db)]) == 0
    assert main(["leads", "--period", PERIOD, "--db", str(db), "--format", "csv", "--all"]) == 0
    assert main(["leads", "--period", PERIOD, "--db", str(db), "--format", "csv",
                 "--evidence"]) == 0
    captured = capsys.readouterr()
    texts = {"stdout": captured.out, "stderr": captured.err}
    for path in (reports / "2025-06").iterdir():
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                texts[path.name] = " ".join(z.read(n).decode("utf-8", "replace")
                                            for n in z.namelist())
        else:
            texts[path.name] = path.read_text(encoding="utf-8")
    for name, text in texts.items():
        assert not _numbers(text) & ids, name
    # the store: every text column of every table, and the raw file
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                              "WHERE data_type = 'VARCHAR'").fetchall()
        for table, column in columns:
            found = con.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}" IN '
                                "(SELECT unnest($ids))", {"ids": sorted(ids)}).fetchall()[0][0]
            assert found == 0, (table, column)
        keys = {r[0] for r in con.execute("SELECT applicant_key FROM cases "
                                          "WHERE applicant_key IS NOT NULL").fetchall()}
    finally:
        con.close()
    assert not _numbers(db.read_bytes().decode("latin-1")) & ids
    # the keys are pseudonyms under the demo key: 32 hex digits, none a plain hash of an ID
    import hashlib

    assert all(re.fullmatch(r"[0-9a-f]{32}", k) for k in keys)
    plain = {hashlib.sha256(i.encode()).hexdigest()[:32] for i in list(ids)[:5000]}
    assert not plain & keys


def test_notebook_runs_from_notebooks_folder(demo_store, tmp_path: Path) -> None:
    """Run the way JupyterLab runs it: kernel in notebooks/, the store given relative to the
    project root (as the default is)."""
    import papermill as pm

    _, db = demo_store
    rel = Path("data/processed") / f"_pytest_leads_{tmp_path.name}.duckdb"
    (PROJECT_ROOT / rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(db, PROJECT_ROOT / rel)
    out = tmp_path / "leads.ipynb"
    try:
        pm.execute_notebook(str(NOTEBOOKS_DIR / "leads.ipynb"), str(out), progress_bar=False,
                            cwd=str(NOTEBOOKS_DIR),
                            parameters={"db": str(rel), "period": PERIOD, "unit_id": "DEMO-S06"})
    finally:
        (PROJECT_ROOT / rel).unlink(missing_ok=True)
    nb = json.loads(out.read_text(encoding="utf-8"))
    text = "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                   for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"])
    assert "Sở Giao thông vận tải (DEMO-S06) — Yêu cầu bổ sung sát hạn" in text
    assert "Yêu cầu bổ sung sát hạn:" in text and "hồ sơ xem xét" in text
    kinds = {k for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]
             for k in o.get("data", {})}
    assert "application/vnd.plotly.v1+json" in kinds
