"""The report's sections for the new results, against numbers worked by hand on the render
fixture with the report's extras (tests/report_fixtures.py, over tests/render_fixtures.py: their
docstrings give every figure used here).

- issue 9: verdicts on whole levels (the province's page), tallies "Đạt a/b đơn vị cấp xã",
  contributions without a verdict, a target in progress with its value to date and window,
  the note of a row without a verdict, the fields note;
- issue 10: "Nhiệm vụ theo kế hoạch": due this period, done late, overdue with days overdue,
  continuous with the last activity;
- issue 13: inspection leads, the same numbers as ``scorecard leads``;
- issue 15: every 766 group, where the points went, which metrics used a manual value.
"""

from __future__ import annotations

import contextlib
import csv
import io

import pytest

from scorecard import scorecard_data as sd
from scorecard.cli import main
from tests.report_fixtures import build_level_plan, build_report_store

PERIOD = "2025Q2"
EARLY = "Tỷ lệ hồ sơ giải quyết trước hạn"
ON_TIME = "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn"
E_RESULT = "Tỷ lệ hồ sơ có kết quả điện tử"
SHARE = f"Tỷ lệ đơn vị đạt: {EARLY}"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sections")
    db, plan = build_report_store(tmp)
    return db, plan, build_level_plan(tmp)


@pytest.fixture(scope="module")
def bundle(store):
    db, plan, _ = store
    return sd.compute_bundle(db, plan, PERIOD)


@pytest.fixture(scope="module")
def levels(store):
    db, _, level_plan = store
    return sd.compute_bundle(db, level_plan, PERIOD)


def _rows(df, columns=None):
    cols = columns or [c for c in df.columns if not str(c).startswith("_")]
    return [[r[c] for c in cols] for r in df.to_dict("records")]


def _section(rep, kind):
    return next(s for s in sd.target_sections(rep) if s.kind == kind)


# ------------------------------------------------------------------ issue 9
def test_province_page_shows_the_level_verdicts_and_tallies(levels):
    rep = sd.unit_report("DEMO-P", bundle=levels)
    assert [(s.kind, s.title) for s in sd.target_sections(rep)] == [
        ("verdicts", "Toàn đơn vị (gồm các đơn vị trực thuộc)"),
        ("levels", "Chỉ tiêu chung của từng cấp"),
        ("tallies", "Số đơn vị đạt theo cấp")]
    # communes pooled: 4 early of 6 = 66,67% against >= 70%: 5 of 6 would pass, 1 case short;
    # the share of communes with early >= 60%: Xã Hai only, 1 of 2 = 50% against 100%
    table = sd.section_table(rep, _section(rep, "levels"))
    assert _rows(table, ["Chỉ tiêu", "Cấp", "Kết quả", "Giá trị", "Yêu cầu", "Còn thiếu",
                         "Căn cứ"]) == [
        [EARLY, "Cấp xã", "Không đạt", "66,67% (4/6)", "tối thiểu 70%", "1 hồ sơ", "II.1"],
        [SHARE, "Cấp xã", "Không đạt", "50% (1/2 đơn vị)", "tối thiểu 100%", "1 đơn vị",
         "II.2"]]
    assert list(table["Ghi chú"])[0] == "Số liệu gộp của 2 đơn vị cấp xã"
    # the province's tree holds the department's case, a level on_time_communes does not
    # cover: no pooled verdict, the communes' tally instead (Xã Hai 100%, Xã Một 75% > 90%?)
    tally = sd.section_table(rep, _section(rep, "tallies"))
    assert _rows(tally, ["Chỉ tiêu", "Cấp", "Đơn vị đạt", "Yêu cầu", "Căn cứ"]) == [
        [ON_TIME, "Cấp xã", "Đạt 1/2 đơn vị cấp xã", "trên 90%", "II.3"]]
    assert "Không đánh giá số liệu gộp" in tally["Ghi chú"].iloc[0]
    # level rows count once each in the tiles; the tally does not: 2 fail, the tree's
    # by-deadline target in progress, the land target without data
    assert sd.status_counts(rep) == {"pass": 0, "fail": 2, "in_progress": 1, "no_data": 1,
                                     "not_applicable": 0}
    assert ("chỉ tiêu đang thực hiện (chưa đến hạn)", "1", "in_progress") in sd.kpis(rep)
    charts = [name for name, _, _ in sd.chart_targets(rep, _section(rep, "levels").rows)]
    assert charts == ["early_communes-commune", "early_share-commune"]


def test_commune_page_contributes_without_a_verdict(levels):
    rep = sd.unit_report("DEMO-C1", bundle=levels)
    assert [s.kind for s in sd.target_sections(rep)] == ["verdicts", "members"]
    verdicts = sd.section_table(rep, _section(rep, "verdicts"))
    assert _rows(verdicts, ["Chỉ tiêu", "Kết quả", "Giá trị", "Yêu cầu", "Còn thiếu",
                            "Thời gian số liệu"]) == [
        [ON_TIME, "Không đạt", "75% (3/4)", "trên 90%", "1 hồ sơ", ""],
        # by deadline 15/12/2025: in 2025Q2 in progress, its value from the plan's start
        [E_RESULT, "Đang thực hiện", "100% (4/4)", "tối thiểu 90%", "",
         "01/01/2025 – 30/06/2025"],
        [f"{ON_TIME} — lĩnh vực dat_dai", "Chưa có dữ liệu", "–", "tối thiểu 90%", "", ""]]
    notes = list(verdicts["Ghi chú"])
    assert notes[0] == ""
    assert notes[1] == ("Chưa đến hạn 15/12/2025: số liệu lũy kế 01/01/2025–30/06/2025, "
                        "chưa đánh giá")
    assert "không có TTHC nào thuộc lĩnh vực đất đai (dat_dai)" in notes[2]
    assert sd.WINDOW_NOTE in sd.section_notes(rep, _section(rep, "verdicts"))
    members = sd.section_table(rep, _section(rep, "members"))
    assert "Kết quả" not in members.columns  # no verdict of its own
    assert _rows(members, ["Chỉ tiêu", "Cấp", "Số liệu của đơn vị", "Yêu cầu chung của cấp"]) == [
        [EARLY, "Cấp xã", "50% (2/4)", "tối thiểu 70%"],
        [SHARE, "Cấp xã", "Chưa đạt điều kiện: 50% (2/4)", "tối thiểu 100%"]]
    assert list(members["Ghi chú"])[0] == ("Không đánh giá riêng đơn vị: đóng góp vào chỉ tiêu "
                                          "chung cấp xã (Tỉnh Thử)")
    # Xã Hai meets the share's condition
    other = sd.member_table(sd.unit_report("DEMO-C2", bundle=levels))
    assert list(other["Số liệu của đơn vị"]) == ["100% (2/2)", "Đạt điều kiện: 100% (2/2)"]


def test_district_tree_is_judged_where_only_communes_have_cases(levels):
    rep = sd.unit_report("DEMO-D", bundle=levels)
    head = sd.section_table(rep, _section(rep, "verdicts"))
    assert _rows(head, ["Chỉ tiêu", "Kết quả", "Giá trị"])[0] == [ON_TIME, "Không đạt",
                                                                  "83,33% (5/6)"]
    assert not any(s.kind == "tallies" for s in sd.target_sections(rep))


def test_tally_words():
    assert sd.tally_words(9, 15, "department") == "Đạt 9/15 đơn vị sở, ngành"
    assert sd.tally_words(0, 0, "commune") == "Chưa có đơn vị cấp xã nào được đánh giá"


# ------------------------------------------------------------------ issue 10
def test_tasks_of_a_commune(bundle):
    rep = sd.unit_report("DEMO-C1", bundle=bundle)
    assert sd.task_counts(rep) == {"done_on_time": 0, "done_late": 1, "overdue": 0,
                                   "not_due": 1, "continuous": 1, "due": 1,
                                   "due_in_period": 1, "led": 3}
    assert sd.task_summary(rep) == [
        "Đơn vị chủ trì 3 lượt nhiệm vụ (tính đến cuối kỳ): 1 đã đến hạn, 1 chưa đến hạn, "
        "1 thường xuyên hoặc khi phát sinh (không tính hạn).",
        "Hoàn thành đúng hạn 0/1 (0%); hoàn thành trễ hạn 1; quá hạn chưa hoàn thành 0."]
    tables = {t.title: t for t in sd.task_tables(rep)}
    due = tables["Đến hạn trong kỳ"].table
    assert _rows(due, ["Nhiệm vụ", "Hạn", "Trạng thái", "Ngày hoàn thành", "Văn bản"]) == [
        ["T2", "31/05/2025", "Hoàn thành trễ hạn", "05/06/2025", "5/BC-UBND"]]
    assert list(due["_status"]) == ["in_progress"]
    late = tables["Hoàn thành trễ hạn"].table
    assert _rows(late, ["Nhiệm vụ", "Số ngày trễ"]) == [["T2", "5"]]
    assert tables["Quá hạn chưa hoàn thành"].table.empty
    continuous = tables["Thường xuyên, khi phát sinh (theo dõi hoạt động)"].table
    assert _rows(continuous, ["Nhiệm vụ", "Hoạt động gần nhất", "Văn bản"]) == [
        ["T3", "10/05/2025", "Tin bài 12"]]


def test_overdue_tasks_with_days_overdue(bundle):
    # Xã Hai never reported T2 (due 31/05/2025): 30 days overdue at 30/06; it reported no
    # activity on T3
    rep = sd.unit_report("DEMO-C2", bundle=bundle)
    tables = {t.title: t.table for t in sd.task_tables(rep)}
    assert _rows(tables["Quá hạn chưa hoàn thành"], ["Nhiệm vụ", "Hạn", "Số ngày quá hạn"]) == [
        ["T2", "31/05/2025", "30"]]
    assert _rows(tables["Thường xuyên, khi phát sinh (theo dõi hoạt động)"],
                 ["Nhiệm vụ", "Hoạt động gần nhất"]) == [["T3", "Chưa có báo cáo"]]
    # the district: T5 of Quý I/2025 (due 31/03/2025), overdue by 91 days at 30/06
    district = sd.unit_report("DEMO-D", bundle=bundle)
    overdue = {t.title: t.table for t in sd.task_tables(district)}["Quá hạn chưa hoàn thành"]
    assert _rows(overdue, ["Nhiệm vụ", "Thời hạn (theo kế hoạch)", "Số ngày quá hạn"]) == [
        ["T5", "Quý I/2025", "91"]]
    # the department did T1 on 20/04 for 30/04: on time
    dept = sd.unit_report("DEMO-S", bundle=bundle)
    assert sd.task_summary(dept)[1].startswith("Hoàn thành đúng hạn 1/1 (100%)")


def test_plan_without_a_register_says_so(levels):
    rep = sd.unit_report("DEMO-C1", bundle=levels)
    assert sd.task_tables(rep) == []
    assert sd.task_summary(rep) == [
        "Kế hoạch chưa có danh mục nhiệm vụ (tệp params/plans/test-levels.tasks.yaml): chưa "
        "theo dõi được các nhiệm vụ theo kế hoạch."]


# ------------------------------------------------------------------ issue 13
def _cli_csv(*args: str) -> list[dict[str, str]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(list(args)) == 0
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_leads_section_has_the_numbers_of_scorecard_leads(store, bundle):
    db, *_ = store
    rep = sd.unit_report("DEMO-C1", bundle=bundle)
    table = sd.leads_table(rep)
    # 15 withdrawals of Xã Một, 10 filed again within 30 days; none of the other units' 30:
    # expected 0, so the score is 10 / 0,5 = 20
    assert _rows(table)[0] == ["Rút hoặc từ chối rồi nộp lại", "15", "10", "20,00", "5,9",
                               "Nên xem hồ sơ"]
    assert [r[-1] for r in _rows(table)[1:]] == ["Không nổi bật", "Không nổi bật"]
    cli = _cli_csv("leads", "--period", PERIOD, "--unit", "DEMO-C1", "--all", "--format",
                   "csv", "--db", str(db))
    assert [r["lead_label"] for r in cli] == list(table["Dấu hiệu"])
    for mine, theirs in zip(_rows(table), cli, strict=True):
        assert mine[1:3] == [theirs["cases_examined"], theirs["cases_flagged"]]
        assert mine[3] == f"{float(theirs['score']):.2f}".replace(".", ",")
        assert mine[4] == f"{float(theirs['z_adj']):.1f}".replace(".", ",")
        assert (mine[5] == "Nên xem hồ sơ") == (theirs["flagged"] == "True")
    [finding] = sd.lead_sentences(rep)
    assert finding.sentence == (
        "Cần xem xét: 10 trong 15 hồ sơ rút hoặc bị từ chối (66,67%) được cùng người nộp lại "
        "cùng thủ tục trong vòng 30 ngày, trong khi các đơn vị khác trong tỉnh hầu như không "
        "có (0%).")
    evidence = _cli_csv("leads", "--period", PERIOD, "--unit", "DEMO-C1", "--evidence",
                        "--format", "csv", "--db", str(db))
    assert finding.cases == [r["case_id"] for r in evidence] == [f"w{i}" for i in range(1, 11)]
    assert sd.leads_off(rep) == [
        "Không tính dấu hiệu «Yêu cầu bổ sung sát hạn»: thiếu dữ liệu cột "
        "cases.supplement_requested_at (ngày yêu cầu bổ sung hồ sơ).",
        "Không tính dấu hiệu «Ngày hẹn trả vượt thời hạn quy định»: thiếu dữ liệu cột "
        "procedures.statutory_days (thời hạn giải quyết theo quy định)."]
    # a reason to look, never a verdict
    assert sd.leads_caveat(rep).startswith("Dấu hiệu là lý do để xem xét hồ sơ, không phải "
                                           "kết luận vi phạm")
    words = " ".join([*table["Cần xem xét"], finding.sentence]).lower()
    assert "vi phạm" not in words and "không đạt" not in words


def test_parent_lists_the_units_below_that_a_lead_flags(bundle):
    rep = sd.unit_report("DEMO-D", bundle=bundle)
    assert _rows(sd.subtree_flagged_table(rep)) == [
        ["Xã Một (DEMO-C1)", "Rút hoặc từ chối rồi nộp lại", "10/15", "20,00"]]
    # the district's own withdrawals: none filed again
    assert _rows(sd.leads_table(rep))[0][:3] == ["Rút hoặc từ chối rồi nộp lại", "10", "0"]
    assert sd.lead_sentences(rep) == []


# ------------------------------------------------------------------ issue 15
def test_index766_every_group_with_manual_sources(bundle):
    rep = sd.unit_report("DEMO-C2", bundle=bundle)
    groups = sd.index766_group_tables(rep)
    assert [g.title.split(":")[0] for g in groups] == [
        "Công khai", "Tiến độ giải quyết", "Dịch vụ công trực tuyến", "Thanh toán trực tuyến",
        "Mức độ hài lòng", "Số hóa hồ sơ"]
    # manual 0,9 × 6 = 5,40 and 1 × 4 = 4,00; the other two metrics have no value: 9,40/18
    public = groups[0]
    assert public.title == "Công khai: 9,40/18,00 điểm"
    assert _rows(public.table) == [
        ["Công bố TTHC đúng hạn", "Số liệu nhập tay (bảng manual)", "90%", "5,40", "6,00",
         "0,60"],
        ["Công khai TTHC đúng hạn", "Số liệu nhập tay (bảng manual)", "100%", "4,00", "4,00",
         "0,00"],
        ["Công khai TTHC đầy đủ", "Chưa có số liệu", "–", "–", "2,00", "2,00"],
        ["Đồng bộ hồ sơ lên Cổng DVCQG", "Chưa có số liệu", "–", "–", "6,00", "6,00"]]
    digit = {r[0]: r for r in _rows(groups[-1].table)}
    assert digit["Chứng thực bản sao điện tử"][1:5] == ["Số liệu nhập tay (bảng manual)", "100%",
                                                        "2,00", "2,00"]
    # e-results: 2 of the 12 cases received (c5, c6 and ten withdrawals) → 6 × 2/12 = 1,00
    assert digit["Cấp kết quả điện tử"][1:5] == ["Tính từ dữ liệu hồ sơ", "16,67% (2/12)",
                                                 "1,00", "6,00"]
    # no PAKN received: the portal's rule gives the full points, said as such
    pakn = _rows(groups[4].table)[0]
    assert pakn[1:4] == ["Không phát sinh (áp dụng quy tắc khi không có hồ sơ)", "–", "6,00"]
    note = sd.index766_sources_note(rep)
    assert note[0] == ("3 tiêu chí tính từ số liệu nhập tay (bảng manual): Công bố TTHC đúng "
                       "hạn, Công khai TTHC đúng hạn, Chứng thực bản sao điện tử.")
    assert note[1].startswith("5 tiêu chí chưa có số liệu (không được điểm): Công khai TTHC "
                              "đầy đủ, Đồng bộ hồ sơ lên Cổng DVCQG")
    totals = sd.index766_groups(rep)
    assert list(totals["Điểm"])[0] == "9,40" and list(totals["Mất"])[0] == "8,60"
