"""The monthly late list (II.8): hand-counted store, Excel read back, page, log and coverage.

Store (month 2025-06, window 01/06-30/06/2025), procedures PA (tu_phap) and PB (ho_tich):
- S (Sở Tư pháp): s1 PA resolved 05/06 after due 02/06 (apology); s2 PA resolved 11/06 after
  due 10/06 (no apology); s3 PB pending, due 10/06 (apology); s8 PB resolved 03/07 after due
  20/06 → pending past due at the end of June (no apology); s4 on time; s5 late but resolved in
  May; s6 pending, due 30/06 (in time); s7 withdrawn after its due date (residual, not listed).
  → resolved late 2, pending overdue 2, late 4, with apology 2; resolved in June 3 (s1, s2, s4),
  pending at the end 3 (s3, s6, s8) → late share 4/6. PA: 2 late (1 apology); PB: 2 (1).
- X (Xã An): x1 PB late (apology), x2 early → 1 late of 2, share 1/2.
- H (Huyện Một): h1 PA late (apology unknown), h2 on time, h3 early → 1 of 3, share 1/3.
  X and H both have 1 late case: X (50%) before H (33,33%).
- Z: Biểu 06 rows only → named in a note, never listed. P (the province) issues the list.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from scorecard.cli import main
from scorecard.facts import compute_facts
from scorecard.late_list import (
    build_late_list,
    generations,
    late_list_coverage,
    produce_late_list,
)
from scorecard.store import open_writer, reading

NOW = datetime(2025, 7, 3, 9, 30)
UNITS = [("P", "Tỉnh Thử", "province", None), ("S", "Sở Tư pháp", "department", "P"),
         ("H", "Huyện Một", "district", "P"), ("X", "Xã An", "commune", "H"),
         ("Z", "Sở Z", "department", "P")]


def _case(cid, unit, proc, rec, due, res, status="resolved", apology=None):
    ts = lambda s: None if s is None else datetime.fromisoformat(s)  # noqa: E731
    return (cid, unit, proc, ts(rec), ts(due), ts(res), status, "direct", 0, apology)


CASES = [
    _case("s1", "S", "PA", "2025-05-20 08:00", "2025-06-02 17:00", "2025-06-05 10:00", apology=True),
    _case("s2", "S", "PA", "2025-05-25 08:00", "2025-06-10 17:00", "2025-06-11 09:00", apology=False),
    _case("s3", "S", "PB", "2025-06-01 08:00", "2025-06-10 17:00", None, "pending", True),
    _case("s4", "S", "PA", "2025-06-02 08:00", "2025-06-12 17:00", "2025-06-12 16:00"),
    _case("s5", "S", "PA", "2025-05-01 08:00", "2025-05-10 17:00", "2025-05-20 10:00", apology=True),
    _case("s6", "S", "PA", "2025-06-20 08:00", "2025-06-30 17:00", None, "pending"),
    _case("s7", "S", "PB", "2025-06-01 08:00", "2025-06-05 17:00", "2025-06-20 10:00", "withdrawn"),
    _case("s8", "S", "PB", "2025-06-10 08:00", "2025-06-20 17:00", "2025-07-03 10:00"),
    _case("x1", "X", "PB", "2025-06-02 08:00", "2025-06-04 17:00", "2025-06-05 08:00", apology=True),
    _case("x2", "X", "PB", "2025-06-02 08:00", "2025-06-06 17:00", "2025-06-03 08:00"),
    _case("h1", "H", "PA", "2025-06-03 08:00", "2025-06-13 17:00", "2025-06-16 23:30"),
    _case("h2", "H", "PA", "2025-06-03 08:00", "2025-06-13 17:00", "2025-06-13 23:30"),
    _case("h3", "H", "PA", "2025-06-03 08:00", "2025-06-13 17:00", "2025-06-10 08:00"),
]


def build_store(path: Path, units=UNITS) -> Path:
    con = open_writer(path)
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)",
                    units)
    con.execute("""INSERT INTO procedures (procedure_id, name, field, online_service, has_fee,
        payment_integrated, at_one_stop, four_on_spot, has_sample_dossier, e_process_configured)
        VALUES ('PA', 'Cấp Phiếu lý lịch tư pháp', 'tu_phap', 'full', false, false, true, false,
                true, true),
               ('PB', 'Đăng ký khai sinh', 'ho_tich', 'partial', false, false, true, true, true,
                true)""")
    con.executemany("""INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at,
        resolved_at, status, channel, supplement_requests, apology_issued)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", CASES)
    con.execute("""INSERT INTO form06 VALUES ('Z', '2025Q2', NULL, NULL, 5, 5, 0, 3, 3, 2, 1, 1)""")
    con.close()
    return path


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return build_store(tmp_path / "s.duckdb")


def test_list_counts_by_unit_and_procedure(store: Path) -> None:
    with reading(store) as con:
        late = build_late_list(con, "2025-06", generated_at=NOW)
    u = late.units.set_index("unit_id")
    assert list(late.units["unit_id"]) == ["S", "X", "H"]  # worst first; X's share beats H's
    assert list(late.units["rank"]) == [1, 2, 3]
    assert u.loc["S", ["resolved_late", "pending_overdue", "late_total", "late_with_apology",
                       "late_without_apology", "resolved", "pending"]].tolist() == [2, 2, 4, 2, 2, 3, 3]
    assert u.loc["S", "late_share"] == pytest.approx(4 / 6)
    assert u.loc["X", "late_share"] == 0.5 and u.loc["H", "late_share"] == pytest.approx(1 / 3)
    assert u.loc["H", "late_with_apology"] == 0  # unknown apology counts as none
    assert u.loc["X", "parent_name"] == "Huyện Một" and u.loc["S", "level"] == "department"
    p = late.procedures
    assert p[p["unit_id"] == "S"][["procedure_id", "resolved_late", "pending_overdue",
                                   "late_total", "late_with_apology"]].values.tolist() == [
        ["PA", 2, 0, 2, 1], ["PB", 0, 2, 2, 1]]
    assert late.late_cases == 6 and late.with_apology == 3
    assert late.issuer == "UBND tỉnh Thử" and late.issuer_unit_id == "P"
    assert any("Sở Z" in n for n in late.notes)  # Biểu 06-only unit named, not listed
    assert "Z" not in set(late.units["unit_id"])


def test_list_agrees_with_the_case_classification(store: Path) -> None:
    with reading(store) as con:
        late = build_late_list(con, "2025-06", generated_at=NOW)
        facts = compute_facts(con, "2025-06").set_index("unit_id")
    for rec in late.units.itertuples():
        assert rec.resolved_late == facts.loc[rec.unit_id, "resolved_late"]
        assert rec.pending_overdue == facts.loc[rec.unit_id, "pending_overdue"]


def _read_back(path: Path) -> tuple[list, list[list]]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if r[0] == "(1)")
    return rows[:head + 1], [r for r in rows[head + 1:] if any(v is not None for v in r)]


def test_cli_writes_notice_page_and_log(store: Path, tmp_path: Path, capsys) -> None:
    reports = tmp_path / "reports"
    assert main(["late-list", "--month", "2025-06", "--db", str(store),
                 "--reports", str(reports)]) == 0
    out = capsys.readouterr().out
    assert "3 unit(s) late, 6 late case(s), 3 with an apology letter" in out
    xlsx, html = reports / "2025-06" / "late-list.xlsx", reports / "2025-06" / "late-list.html"
    head, body = _read_back(xlsx)
    assert head[0][0] == "UBND TỈNH THỬ" and head[0][4] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert "DANH SÁCH CƠ QUAN, ĐƠN VỊ CHẬM, MUỘN" in head[3][0]
    assert head[4][0] == "Tháng 06/2025 (từ ngày 01/06/2025 đến ngày 30/06/2025)"
    assert head[-1] == [f"({i})" for i in range(1, 10)]
    assert body[0][:9] == [1, "Sở Tư pháp", None, 2, 2, 4, 2, 2, pytest.approx(4 / 6)]
    assert body[1][:8] == ["1.1", "- Cấp Phiếu lý lịch tư pháp", "PA", 2, 0, 2, 1, 1]
    assert body[2][:8] == ["1.2", "- Đăng ký khai sinh", "PB", 0, 2, 2, 1, 1]
    assert body[3][:2] == [2, "Xã An"] and body[5][:2] == [3, "Huyện Một"]
    total = next(r for r in body if r[1] == "Tổng cộng")
    assert total[3:8] == [4, 2, 6, 3, 3]
    page = html.read_text(encoding="utf-8")
    assert "Sở Tư pháp" in page and 'href="./late-list.xlsx"' in page
    assert "DỮ LIỆU MẪU" not in page  # not demo data
    with reading(store) as con:
        log = generations(con)
    assert len(log) == 1 and log.loc[0, "month"] == "2025-06"
    assert log.loc[0, "issuer_unit_id"] == "P" and log.loc[0, "cases_late"] == 6
    assert log.loc[0, "units_listed"] == 3


def test_coverage_of_the_ii8_target(store: Path, tmp_path: Path) -> None:
    with reading(store) as con:
        before = late_list_coverage(con, ["2025Q2", "2025-06"])
    assert before[["unit_id", "period", "numerator", "denominator", "value"]].values.tolist() == [
        ["P", "2025Q2", 0, 3, 0.0], ["P", "2025-06", 0, 1, 0.0]]
    produce_late_list(store, "2025-06", reports_dir=tmp_path / "r", now=NOW)
    produce_late_list(store, "2025-06", reports_dir=tmp_path / "r", now=NOW)  # again: same month
    produce_late_list(store, "2025-04", reports_dir=tmp_path / "r", now=datetime(2025, 4, 20))
    with reading(store) as con:
        cov = late_list_coverage(con, ["2025Q2", "2025-06", "2025Q3"])
        timely = late_list_coverage(con, "2025Q2", due_within_days=2)
        by_plan = late_list_coverage(con, "2025Q2", plan_id="bac-giang-2025")
    assert list(cov.columns) == ["unit_id", "scope", "period", "indicator", "numerator",
                                 "denominator", "value"]
    # June counts once; April's list was made before April ended: incomplete, not counted
    assert cov[["period", "numerator", "denominator"]].values.tolist() == [
        ["2025Q2", 1, 3], ["2025-06", 1, 1], ["2025Q3", 0, 3]]
    assert cov["value"].tolist() == [pytest.approx(1 / 3), 1.0, 0.0]
    assert set(cov["indicator"]) == {"late_list_published_rate"} and set(cov["scope"]) == {"own"}
    assert timely["numerator"].tolist() == [0]  # made 3 days after June ended: not within 2
    assert by_plan["numerator"].tolist() == [0]


def test_plan_issuer_and_empty_month(store: Path, tmp_path: Path, capsys) -> None:
    assert main(["late-list", "--month", "2025-03", "--plan", "bac-giang-2025", "--db", str(store),
                 "--reports", str(tmp_path / "r"), "--out", str(tmp_path / "t.xlsx")]) == 0
    assert "0 unit(s) late" in capsys.readouterr().out
    head, body = _read_back(tmp_path / "t.xlsx")
    assert head[0][0] == "UBND TỈNH BẮC GIANG"
    assert "Thực hiện Kế hoạch bac-giang-2025, mục II.8" in head[5][0]
    assert body[0][0] == "Không có cơ quan, đơn vị nào chậm, muộn trong tháng."
    page = (tmp_path / "r" / "2025-03" / "late-list.html").read_text(encoding="utf-8")
    assert "Không có cơ quan, đơn vị nào chậm, muộn trong tháng." in page
    assert 'href="./late-list.xlsx"' not in page  # the Excel file is elsewhere: named, not linked
    with reading(store) as con:
        assert generations(con).loc[0, "plan_id"] == "bac-giang-2025"


def test_month_after_the_data_keeps_overdue_pending_cases(store: Path) -> None:
    # in August s3 (due 10/06) and s6 (due 30/06) are still pending, both past due
    with reading(store) as con:
        late = build_late_list(con, "2025-08", generated_at=NOW)
    assert late.units[["unit_id", "resolved_late", "pending_overdue", "late_with_apology"]] \
        .values.tolist() == [["S", 0, 2, 1]]
    assert any("Dữ liệu hồ sơ chỉ có đến ngày 20/06/2025" in n for n in late.notes)


def test_cli_errors(store: Path, tmp_path: Path, capsys) -> None:
    assert main(["late-list", "--month", "2025Q2", "--db", str(store)]) == 2
    assert "expects a month YYYY-MM" in capsys.readouterr().err
    assert main(["late-list", "--month", "2025-06", "--db", str(store), "--out", "x.csv"]) == 2
    assert "--out must be an .xlsx file" in capsys.readouterr().err
    assert main(["late-list", "--month", "2025-06", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "store not found" in capsys.readouterr().err
    assert not (tmp_path / "none.duckdb").exists()


def test_hostile_names_stay_text(tmp_path: Path) -> None:
    units = [("P", "Tỉnh Thử", "province", None),
             ("S", "<script>alert(1)</script>", "department", "P"),
             ("X", '=HYPERLINK("http://x","Bấm")', "commune", "P"), ("H", "H", "district", "P"),
             ("Z", "Z", "department", "P")]
    db = build_store(tmp_path / "h.duckdb", units)
    res = produce_late_list(db, "2025-06", reports_dir=tmp_path / "r", now=NOW)
    page = res.html.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    ws = openpyxl.load_workbook(res.xlsx).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if c.value == units[2][1]]
    assert cells and all(c.data_type == "s" for c in cells)


CHROMIUM = os.environ.get("SCORECARD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.slow
def test_page_opens_in_a_browser(store: Path, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}")
    res = produce_late_list(store, "2025-06", reports_dir=tmp_path / "r", now=NOW)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM,
                                     args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("http*://**/*", lambda route: (errors.append(route.request.url), route.abort()))
        page.goto(res.html.resolve().as_uri())
        assert page.title() == ("DANH SÁCH CƠ QUAN, ĐƠN VỊ CHẬM, MUỘN TRONG GIẢI QUYẾT THỦ TỤC "
                                "HÀNH CHÍNH — Tháng 06/2025")
        units = page.locator("#late-list tr.unit td.name").all_inner_texts()
        assert units == ["Sở Tư pháp", "Xã An", "Huyện Một"]
        first = page.locator("#late-list tr.unit").first.locator("td").all_inner_texts()
        assert first[3:9] == ["2", "2", "4", "2", "2", "66,67%"]
        assert page.locator("#late-list tr.proc").count() == 4
        assert page.locator("#late-list tr.total td").nth(5).inner_text() == "6"
        assert page.locator("a[href='./late-list.xlsx']").count() == 1
        assert errors == []
        browser.close()
