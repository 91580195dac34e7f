"""Vietnamese formatting (domain.md §8), hand-worked values."""

from datetime import date, datetime

import pandas as pd
import pytest

from scorecard.report.format import (
    STATUS_VI,
    fmt_cases,
    fmt_date,
    fmt_datetime,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_threshold,
    fmt_window,
    status_vi,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(159845, "159.845"), (0, "0"), (999, "999"), (1000, "1.000"), (1234567, "1.234.567"),
     (-4200, "-4.200"), (12.5, "13"), (2.4, "2"), (None, "–"), (float("nan"), "–"), (pd.NA, "–")],
)
def test_fmt_int(value, expected):
    assert fmt_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.98333, "98,33%"), (1, "100%"), (1.0, "100%"), (0.95, "95%"), (0.905, "90,5%"),
     (0, "0%"), (0.000049, "0%"), (0.12345, "12,35%"), (12.3456, "1.234,56%"), (None, "–")],
)
def test_fmt_pct(value, expected):
    assert fmt_pct(value) == expected


def test_fmt_num_decimals_and_sign():
    assert fmt_num(1234.5, 1) == "1.234,5"
    assert fmt_num(-0.001, 2) == "0,00"  # no "-0,00"
    assert fmt_num(87.456, 2) == "87,46"


def test_fmt_date_and_window():
    assert fmt_date(date(2025, 3, 4)) == "04/03/2025"
    assert fmt_date(datetime(2024, 12, 15, 23, 59)) == "15/12/2024"
    assert fmt_date("2025-06-30") == "30/06/2025"
    assert fmt_date(None) == "–"
    assert fmt_datetime(datetime(2025, 7, 1, 8, 5)) == "01/07/2025 08:05"
    assert fmt_window(date(2024, 12, 15), date(2025, 3, 14)) == "15/12/2024 – 14/03/2025"


def test_status_words():
    assert STATUS_VI == {"pass": "Đạt", "fail": "Không đạt", "in_progress": "Đang thực hiện",
                         "no_data": "Chưa có dữ liệu", "not_applicable": "Không áp dụng"}
    assert status_vi("fail") == "Không đạt"
    assert status_vi(None) == "Chưa có dữ liệu"
    assert status_vi("weird") == "weird"


def test_threshold_and_cases():
    assert fmt_threshold(">", 0.95) == "trên 95%"
    assert fmt_threshold(">=", 0.8) == "tối thiểu 80%"
    assert fmt_threshold("==", 0, "count") == "bằng 0"
    assert fmt_cases(159845) == "159.845 hồ sơ"


# ------------------------------------------------------------------ leadership pages
def test_short_label_and_kind():
    from scorecard.report.format import indicator_kind, short_label

    assert short_label("Tỷ lệ hồ sơ được số hóa") == "Hồ sơ được số hóa"
    assert short_label("Mức độ hài lòng — lĩnh vực đất đai") == "Mức độ hài lòng — lĩnh vực đất đai"
    long = short_label("Tỷ lệ bộ phận một cửa và công chức một cửa được đánh giá, chấm điểm")
    assert long == "Bộ phận một cửa và công chức một cửa…" and len(long) <= 40
    assert indicator_kind("on_time_rate") == "rate" and indicator_kind("received") == "count"
    assert indicator_kind("impact_assessment_rate") == "rate"  # manual, not in the catalogue


def _tree_ev() -> pd.DataFrame:
    """Province P (not judged itself: its own row n/a) over district D (judged itself) over
    communes C1, C2; department S. Target t1 (scope own) gives parents a headline row (tree);
    t2 is a province-only task (own, no headline); t3 is a commune-only target."""
    rows = [
        # unit, name, level, scope, target, status, value, num, den
        ("P", "Tỉnh", "province", "tree", "t1", "fail", 0.9, 9, 10),
        ("P", "Tỉnh", "province", "own", "t1", "not_applicable", None, 0, 0),
        ("P", "Tỉnh", "province", "own", "t2", "no_data", None, None, None),
        ("P", "Tỉnh", "province", "own", "t3", "not_applicable", None, None, None),
        ("S", "Sở", "department", "own", "t1", "pass", 1.0, 2, 2),
        ("S", "Sở", "department", "own", "t2", "not_applicable", None, None, None),
        ("S", "Sở", "department", "own", "t3", "not_applicable", None, None, None),
        ("D", "Huyện", "district", "tree", "t1", "fail", 0.875, 7, 8),
        ("D", "Huyện", "district", "own", "t1", "no_data", None, 0, 0),
        ("D", "Huyện", "district", "own", "t2", "not_applicable", None, None, None),
        ("D", "Huyện", "district", "tree", "t3", "pass", 1.0, 3, 3),
        ("D", "Huyện", "district", "own", "t3", "not_applicable", None, None, None),
        ("C1", "Xã 1", "commune", "own", "t1", "fail", 0.75, 3, 4),
        ("C1", "Xã 1", "commune", "own", "t2", "not_applicable", None, None, None),
        ("C1", "Xã 1", "commune", "own", "t3", "pass", 1.0, 1, 1),
        ("C2", "Xã 2", "commune", "own", "t1", "pass", 1.0, 4, 4),
        ("C2", "Xã 2", "commune", "own", "t2", "not_applicable", None, None, None),
        ("C2", "Xã 2", "commune", "own", "t3", "no_data", None, 0, 0),
    ]
    df = pd.DataFrame(rows, columns=["unit_id", "unit_name", "level", "scope", "target_id",
                                     "status", "value", "numerator", "denominator"])
    labels = {"t1": "Tỷ lệ hồ sơ đúng hạn", "t2": "Tỷ lệ tháng công khai", "t3": "Tỷ lệ xã"}
    return df.assign(label=df["target_id"].map(labels), clause="II.1", comparator=">=",
                     threshold=0.95, gap_cases=None, text="", flag=None, period="2025Q2",
                     indicator=df["target_id"].map({"t1": "on_time_rate", "t2": "x_rate",
                                                    "t3": "digitized_rate"}))


def test_counted_rows_one_per_unit_and_target():
    from scorecard.evaluate.tally import counted_rows, status_matrix

    c = counted_rows(_tree_ev())
    assert not c.duplicated(["unit_id", "target_id"]).any()
    got = {(u, t): (sc, st) for u, t, sc, st in
           zip(c["unit_id"], c["target_id"], c["scope"], c["status"], strict=True)}
    # P is not judged itself: its headline (tree) counts, plus its own task t2; t3 n/a dropped
    assert got[("P", "t1")] == ("tree", "fail") and got[("P", "t2")] == ("own", "no_data")
    assert ("P", "t3") not in got
    # D is judged itself (own t1 applies): own rows count, not the headlines
    assert got[("D", "t1")] == ("own", "no_data") and got[("D", "t3")] == ("own", "not_applicable")
    # leaves keep every row, not-applicable ones too
    assert got[("C1", "t2")] == ("own", "not_applicable")
    m = status_matrix(_tree_ev()).set_index("unit_id")
    assert list(m.index) == ["P", "S", "D", "C1", "C2"]
    assert (m.loc["P", "passed"], m.loc["P", "judged"]) == (0, 1)
    assert (m.loc["D", "passed"], m.loc["D", "judged"]) == (0, 0)
    assert (m.loc["C1", "passed"], m.loc["C1", "judged"]) == (1, 2)


def test_plan_summary_headline_and_levels():
    from scorecard.evaluate.tally import plan_summary
    from scorecard.report.site import pass_cell

    s, info = plan_summary(_tree_ev())
    assert info["unit_id"] == "P" and info["title"] == "Toàn tỉnh"
    assert info["levels"] == ["department", "district", "commune"]  # the province is the headline
    s = s.set_index("target_id")
    assert s.loc["t1", "status"] == "fail" and s.loc["t1", "value"] == 0.9
    assert s.loc["t2", "status"] == "no_data"  # the province's own task
    assert pd.isna(s.loc["t3", "status"])  # no headline row for t3 at the province
    # t1: communes C1 fail, C2 pass → Đạt 1/2; department S → Đạt 1/1; district D no data
    assert (s.loc["t1", "commune:pass"], s.loc["t1", "commune:judged"]) == (1, 2)
    assert (s.loc["t1", "department:pass"], s.loc["t1", "department:judged"]) == (1, 1)
    assert (s.loc["t1", "district:judged"], s.loc["t1", "district:no_data"]) == (0, 1)
    assert pass_cell(1, 2, 0) == "Đạt 1/2"
    assert pass_cell(0, 0, 1) == "Chưa có dữ liệu (1)"
    assert pass_cell(0, 0, 0) == "–"  # never "0/0"


def test_index_page_compact_summary():
    from datetime import datetime

    from scorecard.report.site import Provenance, index_html

    prov = Provenance(plan="p — Kế hoạch", plan_file="", period="2025Q2",
                      period_label="Quý II/2025", window="01/04/2025 – 30/06/2025",
                      snapshot="load 1", code_version="x", generated_at=datetime(2025, 7, 1))
    ev = _tree_ev()
    html = index_html(ev, prov, target_labels=dict(zip(ev["target_id"], ev["label"],
                                                       strict=False)))
    summary = html[html.index('id="summary"'):html.index("</table>", html.index('id="summary"'))]
    t1 = summary[summary.index('data-target="t1"'):]
    t1 = t1[:t1.index("</tr>")]
    assert "Tỷ lệ hồ sơ đúng hạn" in t1 and "90%" in t1 and "Không đạt" in t1
    assert "Đạt 1/2" in t1 and "Đạt 1/1" in t1 and "Chưa có dữ liệu (1)" in t1
    assert ">0/0<" not in html and ">t1<" not in html  # no 0/0, no raw ids as headers
    assert 'title="Tỷ lệ hồ sơ đúng hạn"' in html  # full label on the unit table's header


def _report(unit_id: str):
    from scorecard.scorecard_data import UnitReport

    ev = _tree_ev()
    kids = {"P": ["S", "D"], "D": ["C1", "C2"]}.get(unit_id, [])
    children = pd.DataFrame({"unit_id": kids})
    return UnitReport(
        unit={"unit_id": unit_id, "name": unit_id, "level": "x"},
        meta={"window": ["2025-04-01", "2025-06-30"], "trend_periods": ["2025Q2"]},
        targets=ev[ev["unit_id"] == unit_id].reset_index(drop=True),
        trend=ev[ev["unit_id"] == unit_id].reset_index(drop=True),
        fields=pd.DataFrame(), late_procedures=pd.DataFrame(), pakn=pd.DataFrame(),
        children=children, index766=pd.DataFrame(), index766_summary=pd.DataFrame(),
        quality={}, scope="tree" if kids else "own")


def test_parent_report_sections_and_boxes():
    from scorecard import scorecard_data as sd

    p = _report("P")
    secs = sd.target_sections(p)
    assert [s.title for s in secs] == ["Toàn đơn vị (gồm các đơn vị trực thuộc)", "Riêng đơn vị"]
    assert list(secs[0].rows["target_id"]) == ["t1"]
    assert list(secs[1].rows["target_id"]) == ["t2"]  # only the own task that applies
    assert sd.status_counts(p) == {"pass": 0, "fail": 1, "in_progress": 0, "no_data": 1,
                                   "not_applicable": 0}
    assert "toàn đơn vị" in sd.kpis_note(p)
    assert sd.targets_table(p, secs[0].rows)["Giá trị"].tolist() == ["90% (9/10)"]
    assert list(sd.trend_frame(p)["value"]) == [0.9]  # the tree row, once

    d = _report("D")
    secs = sd.target_sections(d)
    assert [list(s.rows["target_id"]) for s in secs] == [["t1", "t3"], ["t1", "t2", "t3"]]
    assert sd.status_counts(d) == {"pass": 0, "fail": 0, "in_progress": 0, "no_data": 1,
                                   "not_applicable": 2}
    assert sd.kpis_note(d) == "Số chỉ tiêu tính trên số liệu riêng đơn vị."
    # no "– (0/0)": a rate without cases shows a dash only
    assert sd.targets_table(d, secs[1].rows)["Giá trị"].tolist() == ["–", "–", "–"]

    c = _report("C1")
    assert [len(s.rows) for s in sd.target_sections(c)] == [3] and sd.kpis_note(c) == ""
