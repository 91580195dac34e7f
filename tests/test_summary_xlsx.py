"""summary.xlsx from a hand-made evaluation (tests/summary_fixtures.py): read back with openpyxl
and printed to PDF by LibreOffice."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from scorecard.report.site import Provenance
from scorecard.report.summary_xlsx import write_summary_xlsx
from tests import summary_fixtures as fx
from tests.pdf_pages import overprinted, print_workbook

SHEETS = ["Tổng hợp", "Theo đơn vị", "Nhiệm vụ theo đơn vị", "Nhiệm vụ quá hạn", "Điểm 766",
          "Nguồn"]
PROV = Provenance(plan="test-plan — Kế hoạch thử nghiệm", plan_file="", period="2025Q2",
                  period_label="Quý II/2025", window="01/04/2025 – 30/06/2025",
                  snapshot="load 1", code_version="test", generated_at=datetime(2025, 7, 1, 8),
                  demo=False, calendar="calendar")
LABELS = {t: v[0] for t, v in fx.TARGETS.items()}


def _write(path: Path, evaluation: pd.DataFrame | None = None, **kw) -> Path:  # type: ignore[no-untyped-def]
    summary, breakdown = fx.index766()
    args = {"index766": summary, "run_status": {"P": "ok", "X2": "failed"},
            "tasks": fx.task_listing(), "period_last": datetime(2025, 6, 30).date(),
            "index766_breakdown": breakdown, **kw}
    ev = fx.evaluation() if evaluation is None else evaluation
    return write_summary_xlsx(path, ev, PROV, target_labels=LABELS, **args)


@pytest.fixture(scope="module")
def summary_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("summary") / "summary.xlsx")


def _rows(ws, first: int) -> list[tuple]:  # type: ignore[no-untyped-def]
    return list(ws.iter_rows(min_row=first, values_only=True))


def test_targets_sheet_headline_tallies_and_levels(summary_xlsx: Path) -> None:
    wb = load_workbook(summary_xlsx)
    assert wb.sheetnames == SHEETS
    ws = wb["Tổng hợp"]
    groups = [c.value for c in ws[1]]
    assert groups[:6] == ["STT", "Chỉ tiêu", "Căn cứ", "Yêu cầu", "Toàn tỉnh", None]
    assert [groups[i] for i in (6, 10, 14)] == ["Sở, ngành", "Cấp huyện", "Cấp xã"]
    subs = [c.value for c in ws[2]]
    assert subs[4:19] == ["Giá trị", "Kết quả", *["Đạt", "Được đánh giá", "Đang thực hiện",
                                                  "Chưa có dữ liệu"] * 3, "Kết quả cả cấp"]
    rows = _rows(ws, 3)[:4]
    # on_time: the province's pool 47/50 = 94% fails "> 95%"; 1/1 departments, 1/1 districts,
    # 1 of 2 communes pass
    assert rows[0] == (1, "Tỷ lệ hồ sơ giải quyết đúng hạn", "II.6", "trên 95%",
                       pytest.approx(0.94), "Không đạt", 1, 1, 0, 0, 1, 1, 0, 0, 1, 2, 0, 0, None)
    # apology: by a deadline, in progress everywhere; Xã Bình has no data
    assert rows[1] == (2, "Tỷ lệ hồ sơ quá hạn có phiếu xin lỗi", "III.3", "tối thiểu 100%",
                       pytest.approx(0.5), "Đang thực hiện", 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1,
                       None)
    # online: the levels' thresholds differ: no pooled value nor verdict, the tallies instead
    assert rows[2] == (3, "Tỷ lệ hồ sơ trực tuyến", "II.4", "tối thiểu 50%", None,
                       "Đạt 1/1 đơn vị cấp huyện; Đạt 1/2 đơn vị cấp xã", 0, 0, 0, 0, 1, 1, 0, 0,
                       1, 2, 0, 0, None)
    # digitized: judged once for the communes (11/20 = 55%)
    assert rows[3] == (4, "Tỷ lệ hồ sơ được số hóa", "II.1", "tối thiểu 50%",
                       pytest.approx(0.55), "Đạt", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                       "Đạt (55%)")
    fills = [ws.cell(r, 6).fill.fgColor.rgb[-6:] for r in range(3, 7)]
    assert fills == ["FBD9D6", "FFF1C9", "000000", "D8F0DC"]  # fail, in progress, none, pass
    assert ws.cell(6, 19).fill.fgColor.rgb.endswith("D8F0DC")
    assert ws.cell(3, 5).number_format == "0.00%"
    assert ws.freeze_panes == "C3" and ws.print_title_rows == "$1:$2"


def test_units_sheet_marks_counts_and_766(summary_xlsx: Path) -> None:
    ws = load_workbook(summary_xlsx)["Theo đơn vị"]
    header = [c.value for c in ws[1]]
    assert header == ["Mã đơn vị", "Đơn vị", "Cấp", *LABELS.values(), "Số chỉ tiêu đạt",
                      "Số chỉ tiêu được đánh giá", "Số chỉ tiêu đang thực hiện", "Chỉ số 766",
                      "Xếp loại 766", "Xếp hạng 766", "Báo cáo"]
    rows = {r[0]: r for r in _rows(ws, 2)}
    assert list(rows) == ["P", "S1", "H1", "X1", "X2"]
    assert rows["P"] == ("P", "Tỉnh Thử", "Cấp tỉnh", "KĐ", "ĐTH", None, "Đạt", 1, 2, 1, 32.0,
                         "Khá", 1, "Hoàn thành")
    assert rows["S1"][3:10] == ("Đạt", "ĐTH", "–", None, 1, 1, 1)
    assert rows["X2"] == ("X2", "Xã Bình", "Cấp xã", "Đạt", "CDL", "KĐ", None, 1, 2, 0, None,
                          None, None, "Lỗi")
    x2 = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "X2")
    assert [c.fill.fgColor.rgb[-6:] for c in x2[3:6]] == ["D8F0DC", "EEEEEE", "FBD9D6"]
    assert x2[5].font.b and not x2[3].font.b  # a fail also in bold, for black-and-white print
    p = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "P")
    assert p[4].fill.fgColor.rgb.endswith("FFF1C9")  # in progress has its own fill
    assert ws.freeze_panes == "D2" and ws.auto_filter.ref == "A1:N6"
    assert ws.print_area == "'Theo đơn vị'!$B$1:$M$6"  # names, not ids; no render outcome
    assert "KĐ: không đạt" in ws.oddFooter.left.text


def test_task_sheets(summary_xlsx: Path) -> None:
    wb = load_workbook(summary_xlsx)
    rows = _rows(wb["Nhiệm vụ theo đơn vị"], 2)
    # H1: T1 on time and T2 overdue were due by 30/06; S1: T1 done late (T3 not due, T4
    # continuous are not counted)
    assert rows == [("H1", "Huyện Đông", "Cấp huyện", 2, 1, 0, 1, 0.5, "đúng hạn 1/2, quá hạn 1"),
                    ("S1", "Sở Tư pháp", "Sở, ngành", 1, 0, 1, 0, 0.0,
                     "đúng hạn 0/1, quá hạn 0")]
    overdue = _rows(wb["Nhiệm vụ quá hạn"], 1)
    assert overdue[0] == ("STT", "Nhiệm vụ", "Nội dung", "Thời hạn (theo kế hoạch)", "Kỳ", "Hạn",
                          "Số ngày quá hạn")
    assert overdue[1][0] == "Huyện Đông (Cấp huyện, mã H1): 1 nhiệm vụ quá hạn"
    assert overdue[2] == (1, "T2", "Rà soát quy trình nội bộ", "Tháng 5/2025", None,
                          datetime(2025, 5, 31), 30)
    assert len(overdue) == 3


def test_points_sheet(summary_xlsx: Path) -> None:
    ws = load_workbook(summary_xlsx)["Điểm 766"]
    rows = _rows(ws, 1)
    assert rows[0] == ("Mã đơn vị", "Đơn vị", "Cấp", "Phạm vi", "Tổng điểm", "Xếp loại",
                       "Công khai (tối đa 18)", "Tiến độ (tối đa 20)", "Điểm mất nhiều nhất",
                       "Nhập tay", "Chưa có dữ liệu")
    assert rows[1] == ("P", "Tỉnh Thử", "Cấp tỉnh", "Toàn đơn vị", 32.0, "Khá", 17.0, 15.0,
                       "Đúng hạn −5,00; Công bố đúng hạn −1,00", None, None)
    assert rows[2] == ("S1", "Sở Tư pháp", "Sở, ngành", "Riêng đơn vị", 16.0, "Yếu", 16.0, 0.0,
                       "Đúng hạn −20,00; Công khai đầy đủ −2,00", None, "Đúng hạn")
    notes = [r[0] for r in rows[3:] if r[0]]
    assert notes[-1] == ("Tiêu chí dùng số liệu nhập tay (bảng manual) ở mọi đơn vị: "
                         "Công bố đúng hạn; Công khai đầy đủ.")


def test_without_task_register_or_index(tmp_path: Path) -> None:
    tasks = fx.task_listing().iloc[0:0]
    tasks.attrs["has_register"] = False
    p = _write(tmp_path / "s.xlsx", tasks=tasks, index766_breakdown=None)
    wb = load_workbook(p)
    assert wb.sheetnames == ["Tổng hợp", "Theo đơn vị", "Nguồn"]
    notes = [r[1] for r in wb["Nguồn"].iter_rows(values_only=True) if r[0] == "Ghi chú"]
    assert notes == ["Kế hoạch không có bảng nhiệm vụ (Phụ lục nhiệm vụ) trong phần mềm."]


def test_prints_one_page_per_sheet_in_dejavu(summary_xlsx: Path, tmp_path: Path) -> None:
    printed = print_workbook(summary_xlsx, tmp_path)
    assert printed.pages == len(SHEETS)  # every sheet on one page: none cut by columns
    landscape = [printed.landscape(i) for i in range(printed.pages)]
    assert landscape == [True, True, False, True, True, False]
    assert all(sorted(s) in ([595.3, 841.9],) for s in printed.sizes)  # A4
    assert printed.fonts <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}
    assert overprinted(printed) == []
    first = printed.texts[0]
    assert "Tổng hợp — Kế hoạch test-plan — Quý II/2025" in first and "Trang 1/6" in first
    words = " ".join(first.split())  # the wrapped tally printed whole, over its lines
    assert "Đạt 1/1 đơn vị cấp huyện; Đạt 1/2 đơn vị cấp xã" in words
    units_page = printed.texts[1]
    assert "Xã Bình" in units_page and "X2" not in units_page  # ids are not printed


def test_many_units_print_whole_rows_on_every_page(tmp_path: Path) -> None:
    """150 communes × 26 targets: the unit sheet runs over several pages, each showing whole
    rows (the unit's name and its last target's mark on the same page) under the header."""
    base = fx.evaluation()
    rows = []
    targets = [f"t{k:02d}" for k in range(26)]
    for n in range(150):
        uid = f"C{n:03d}"
        for k, t in enumerate(targets):
            rows.append({"unit_id": uid, "unit_name": f"Xã Số {n:03d}", "level": "commune",
                         "scope": "own", "period": "2025Q2", "target_id": t,
                         "indicator": "on_time_rate",
                         "label": f"Chỉ tiêu thứ {k + 1} về giải quyết hồ sơ đúng hạn",
                         "value": 0.9, "numerator": 9, "denominator": 10, "comparator": ">",
                         "threshold": 0.95, "clause": "II", "units_met": None,
                         "units_judged": None,
                         "status": "no_data" if k == len(targets) - 1 else "fail"})
    ev = pd.DataFrame(rows, columns=base.columns)
    labels = {t: f"Chỉ tiêu thứ {k + 1} về giải quyết hồ sơ đúng hạn"
              for k, t in enumerate(targets)}
    p = write_summary_xlsx(tmp_path / "big.xlsx", ev, PROV, target_labels=labels)
    printed = print_workbook(p, tmp_path)
    unit_pages = [t for t in printed.texts if "Kết quả theo đơn vị" in t]
    assert len(unit_pages) > 1
    names = [t.count("Xã Số ") for t in unit_pages]
    assert sum(names) == 150
    for text, n in zip(unit_pages, names, strict=True):
        assert n > 0 and text.count("CDL") == n + 1  # and once in the legend (footer)
    assert overprinted(printed) == []
    assert all(printed.landscape(i) for i in range(printed.pages - 1))
