"""The judging rules of issue 9, each on numbers worked out by hand.

- basis: level (one pooled figure per level, members without a verdict) and share_of_units;
- pooled (tree) rows judged only where one threshold and one window cover every level they sum;
  a tally otherwise;
- timing: by_deadline (in progress before the due period, then judged on the cumulative value)
  and window: ytd;
- overdue work: pending overdue cases fail "no late cases", unanswered PAKN count against on time,
  on a real store through `scorecard evaluate`;
- a fields target that matches no stored procedure says so in the note.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from scorecard.evaluate import COLUMNS, evaluate, evaluate_targets
from scorecard.plans import PlanError, plan_from_dict
from tests.test_evaluate import UNITS, T, df_rows, make_plan, row, tidy


def S(id_, condition, threshold, **kw):
    """A share_of_units target: its indicator is its condition's."""
    return {"id": id_, "basis": "share_of_units", "condition": condition, "comparator": ">=",
            "threshold": threshold, "clause": "II.1", "text": "t", **kw}


# ------------------------------------------------------------------ basis: level
def test_level_basis_judges_one_pooled_figure_and_members_have_no_verdict():
    # communes X1 (5/50), X2 (25/50) under H1 and X3 (0/0) under H2, pooled under the province:
    # 30/100 = 30% >= 20% → pass; X1 alone (10%) would fail but gets no verdict of its own
    plan = make_plan([T("dig", "digitized_rate", ">=", 0.20, basis="level",
                        levels=["commune"])])
    ind = tidy([("level:commune:P", "digitized_rate", 30, 100, "level"),
                ("X1", "digitized_rate", 5, 50), ("X2", "digitized_rate", 25, 50),
                ("X3", "digitized_rate", 0, 0)])
    df = evaluate_targets(plan, "2025Q1", ind, UNITS)
    assert list(df.columns) == COLUMNS
    lv = row(df, "P", "dig", scope="level")
    assert (lv.level, lv.status, lv.numerator, lv.denominator, lv.gap_cases, lv.basis) == (
        "commune", "pass", 30, 100, 0, "level")
    assert "3 đơn vị cấp xã" in lv.note
    for unit, num in (("X1", 5), ("X2", 25)):
        m = row(df, unit, "dig", scope="member")
        assert (m.status, m.numerator, m.denominator) == ("not_applicable", num, 50)
        assert "Không đánh giá riêng đơn vị" in m.note
    # no pooled tree rows and no tallies for a level target; districts are not covered
    assert df[df.scope.isin(["tree", "tally"])].empty
    assert row(df, "H1", "dig").status == "not_applicable"
    # 19 of 100 would fail by exactly one case
    low = tidy([("level:commune:P", "digitized_rate", 19, 100, "level")])
    lv = row(evaluate_targets(plan, "2025Q1", low, UNITS), "P", "dig", scope="level")
    assert (lv.status, lv.gap_cases) == ("fail", 1)


def test_share_of_units_counts_units_meeting_the_condition():
    # "10% of commune one-stop units": X1 100% (meets), X2 30% (does not), X3 no data (counts
    # as not meeting): 1 of 3 units = 33% >= 10% → pass; against 50% → fail, 1 more unit needed
    def plan(threshold):
        return make_plan([S("share", {"indicator": "e_result_rate", "comparator": ">=",
                                       "threshold": 1.0}, threshold, levels=["commune"])])
    ind = tidy([("X1", "e_result_rate", 10, 10), ("X2", "e_result_rate", 3, 10)])
    df = evaluate_targets(plan(0.10), "2025Q1", ind, UNITS)
    lv = row(df, "P", "share", scope="level")
    assert (lv.status, lv.numerator, lv.denominator, lv.units_met, lv.units_judged) == (
        "pass", 1, 3, 1, 2)
    assert lv.value == pytest.approx(1 / 3) and lv.indicator == "e_result_rate"
    assert "1/3 đơn vị cấp xã đạt điều kiện" in lv.note and "1 đơn vị chưa có dữ liệu" in lv.note
    x1, x2, x3 = (row(df, u, "share", scope="member") for u in ("X1", "X2", "X3"))
    assert (x1.units_met, x1.units_judged, x1.value) == (1, 1, 1.0)
    assert (x2.units_met, x2.units_judged) == (0, 1)
    assert (x3.units_met, x3.units_judged) == (0, 0)
    assert {x1.status, x2.status, x3.status} == {"not_applicable"}
    half = row(evaluate_targets(plan(0.5), "2025Q1", ind, UNITS), "P", "share", scope="level")
    assert (half.status, half.gap_cases) == ("fail", 1)
    # nobody measured at all: no data, not a fail
    none = row(evaluate_targets(plan(0.1), "2025Q1", tidy([("D1", "e_result_rate", 1, 1)]),
                                UNITS), "P", "share", scope="level")
    assert none.status == "no_data"


def test_share_of_units_with_a_manual_condition():
    # Long Thành PL 3.1 style: every one-stop unit (district and communes) has its rules
    plan = make_plan([S("rules", {"measure": "manual", "indicator": "one_stop_rules_issued",
                                  "comparator": ">=", "threshold": 1}, 1.0)],
                     levels=["district", "commune"], root_unit="H1")
    manual = pd.DataFrame([("H1", "2025Q1", "one_stop_rules_issued", 1.0, "x"),
                           ("X1", "2025Q1", "one_stop_rules_issued", 1.0, "x"),
                           ("X2", "2025Q1", "one_stop_rules_issued", 0.0, "x")],
                          columns=["unit_id", "period", "indicator", "value", "source"])
    df = evaluate_targets(plan, "2025Q1", tidy([("H1", "on_time_rate", 1, 1)]), UNITS, manual)
    levels = df_rows(df, "H1", "rules", "level").set_index("level")
    assert (levels.loc["district", "status"], levels.loc["district", "units_met"]) == ("pass", 1)
    assert (levels.loc["commune", "status"], levels.loc["commune", "units_met"],
            levels.loc["commune", "denominator"]) == ("fail", 1, 2)


# ------------------------------------------------------------------ pooled rows: one threshold
def test_pooled_row_not_judged_when_levels_have_different_thresholds():
    # Long Thành 4.2: online ≥ 40% at the district, ≥ 30% at communes. H1 own 45/100 (pass
    # 40%), X1 35/100 (pass 30%), X2 20/100 (fail 30%); H1 pooled 100/300 = 33% would fail 40%
    # and pass 30%: neither verdict is the plan's, so no tree row; the communes are tallied
    plan = make_plan([T("online_district", "online_rate", ">=", 0.40, levels=["district"]),
                      T("online_commune", "online_rate", ">=", 0.30, levels=["commune"]),
                      T("on_time", "on_time_rate", ">=", 0.97)],
                     levels=["district", "commune"], root_unit="H1")
    ind = tidy([("H1", "online_rate", 45, 100), ("X1", "online_rate", 35, 100),
                ("X2", "online_rate", 20, 100), ("H1", "online_rate", 100, 300, "tree"),
                ("H1", "on_time_rate", 98, 100), ("X1", "on_time_rate", 50, 50),
                ("X2", "on_time_rate", 46, 50), ("H1", "on_time_rate", 194, 200, "tree")])
    df = evaluate_targets(plan, "2025Q1", ind, UNITS)
    assert df_rows(df, "H1", "online_district", "tree").empty
    assert df_rows(df, "H1", "online_commune", "tree").empty
    assert row(df, "H1", "online_district").status == "pass"          # its own 45%
    tally = row(df, "H1", "online_commune", scope="tally")
    assert (tally.level, tally.units_met, tally.units_judged, tally.status) == (
        "commune", 1, 2, "not_applicable")
    assert "đạt 1/2 đơn vị cấp xã" in tally.note and "cấp huyện" in tally.note
    # the district level alone has no tally (the district's own row is its verdict)
    assert df_rows(df, "H1", "online_district", "tally").empty
    # on time: one threshold (97%) for both levels → the pooled 194/200 = 97% is judged
    t = row(df, "H1", "on_time", scope="tree")
    assert (t.status, t.numerator, t.denominator) == ("pass", 194, 200)


def test_pooled_row_judged_when_the_uncovered_parent_has_no_cases_of_its_own():
    # a province with no cases of its own adds nothing to its pooled figure: judged
    plan = make_plan([T("on_time")])
    ind = tidy([("P", "on_time_rate", 0, 0), ("D1", "on_time_rate", 9, 10),
                ("P", "on_time_rate", 9, 10, "tree")])
    assert row(evaluate_targets(plan, "2025Q1", ind, UNITS), "P", "on_time",
               scope="tree").status == "fail"
    # once it has one, the pooled figure holds cases the plan set no target for: tallied
    ind2 = tidy([("P", "on_time_rate", 1, 1), ("D1", "on_time_rate", 9, 10),
                 ("P", "on_time_rate", 10, 11, "tree")])
    df = evaluate_targets(plan, "2025Q1", ind2, UNITS)
    assert df_rows(df, "P", "on_time", "tree").empty
    assert set(df_rows(df, "P", "on_time", "tally").level) == {"department", "district",
                                                                "commune"}


def test_long_thanh_district_with_communes_at_other_thresholds():
    # Long Thành PL 4.4: digitized ≥ 40% at the district, ≥ 35% at communes, over the year to
    # date (nd09 2024Q2: 15/12/2023–14/06/2024). H 45/100 passes 40%; X1 36/100 passes 35%; X2
    # 30/100 fails. H's pooled 111/300 = 37% would fail 40% and pass 35%: no pooled verdict.
    from scorecard.plans import find_plan

    units = pd.DataFrame([("H", "Huyện Long Thành", "district", None),
                          ("X1", "Xã An Phước", "commune", "H"),
                          ("X2", "Xã Long An", "commune", "H")],
                         columns=["unit_id", "name", "level", "parent_id"])
    ytd = "2023-12-15..2024-06-14"
    ind = pd.concat([
        tidy([("H", "digitized_rate", 45, 100), ("X1", "digitized_rate", 36, 100),
              ("X2", "digitized_rate", 30, 100), ("H", "digitized_rate", 111, 300, "tree")], ytd),
        tidy([("H", "on_time_rate", 99, 100), ("X1", "on_time_rate", 50, 50),
              ("X2", "on_time_rate", 45, 50), ("H", "on_time_rate", 194, 200, "tree")],
             "2024Q2"),
    ])
    df = evaluate_targets(find_plan("long-thanh-2024"), "2024Q2", ind, units)
    for tid in ("digitized_district", "digitized_commune"):
        assert df_rows(df, "H", tid, "tree").empty, tid
    h = row(df, "H", "digitized_district")
    assert (h.status, h.numerator, str(h.window_first), str(h.window_last)) == (
        "pass", 45, "2023-12-15", "2024-06-14")
    assert row(df, "X1", "digitized_commune").status == "pass"
    assert row(df, "X2", "digitized_commune").status == "fail"
    tally = row(df, "H", "digitized_commune", scope="tally")
    assert (tally.level, tally.units_met, tally.units_judged) == ("commune", 1, 2)
    assert df_rows(df, "H", "digitized_district", "tally").empty
    # on time: 97% for both levels → the pooled 194/200 = 97% is judged
    t = row(df, "H", "on_time", scope="tree")
    assert (t.status, t.numerator, t.denominator) == ("pass", 194, 200)


def test_bac_ninh_level_shares_and_share_of_commune_one_stops():
    from scorecard.plans import find_plan

    plan = find_plan("bac-ninh-2021")
    ind = tidy([
        # the provincial level 30/50 = 60% ≥ 50%; districts 20/100 < 30% (10 cases short);
        # communes 25/100 ≥ 20%
        ("level:department:P", "digitized_rate", 30, 50, "level"),
        ("level:district:P", "digitized_rate", 20, 100, "level"),
        ("level:commune:P", "digitized_rate", 25, 100, "level"),
        ("X1", "digitized_rate", 5, 50), ("X2", "digitized_rate", 20, 50),
        # results: the provincial centre 45/50 < 100%; H1 10/10, H2 8/10 each on their own;
        # communes X1 5/5 (meets), X2 4/5 (does not), X3 no data: 1 of 3 ≥ 10%
        ("level:department:P", "e_result_rate", 45, 50, "level"),
        ("H1", "e_result_rate", 10, 10), ("H2", "e_result_rate", 8, 10),
        ("X1", "e_result_rate", 5, 5), ("X2", "e_result_rate", 4, 5),
    ], "2021Q4")
    df = evaluate_targets(plan, "2021Q4", ind, UNITS)
    lv = df[df.scope == "level"].set_index("target_id")
    assert lv.loc["digitized_q4_2021_department", ["level", "status"]].tolist() == [
        "department", "pass"]
    d = lv.loc["digitized_q4_2021_district"]
    assert (d.level, d.status, d.gap_cases) == ("district", "fail", 10)
    assert lv.loc["digitized_q4_2021_commune", "status"] == "pass"
    e = lv.loc["e_result_q4_2021_province"]
    assert (e.status, e.numerator, e.denominator, e.gap_cases) == ("fail", 45, 50, 5)
    s = lv.loc["e_result_q4_2021_commune"]
    assert (s.status, s.units_met, s.units_judged, s.denominator) == ("pass", 1, 2, 3)
    assert set(lv.unit_id) == {"P"}
    # communes: contributions only; districts judged one by one on their own centre
    x1 = row(df, "X1", "digitized_q4_2021_commune", scope="member")
    assert (x1.status, x1.numerator, x1.denominator) == ("not_applicable", 5, 50)
    assert row(df, "H1", "e_result_q4_2021_district").status == "pass"
    assert row(df, "H2", "e_result_q4_2021_district").status == "fail"
    assert "2 đơn vị cấp huyện" in d.note and "đánh giá theo hạn 31/12/2021" in d.note
    # the 2022 targets are not in force in 2021Q4
    assert set(df[df.target_id == "digitized_2022"].status) == {"not_applicable"}
    # in November the Q4 milestones are still in progress
    nov = evaluate_targets(plan, "2021-11", tidy([("level:district:P", "digitized_rate", 2, 10,
                                                   "level")], "2021-10-01..2021-11-30"), UNITS)
    n = row(nov, "P", "digitized_q4_2021_district", scope="level")
    assert (n.status, n.numerator) == ("in_progress", 2)


# ------------------------------------------------------------------ timing
def _deadline_plan(**kw):
    return make_plan([T("on_time", judged="by_deadline", due="2025-12-14", **kw)],
                     calendar="nd09", levels=["district", "commune"])


def test_a_december_target_is_in_progress_in_q1_and_judged_on_the_year_in_q4():
    # "Trước 15/12/2025": due 14/12/2025, the last day of the nd09 year 2025
    plan = _deadline_plan()
    q1 = evaluate_targets(plan, "2025Q1", tidy([("X1", "on_time_rate", 90, 100)], "2025Q1"),
                          UNITS)
    x1 = row(q1, "X1", "on_time")
    # Q1's year-to-date is the quarter itself (15/12/2024–14/03/2025): 90% shown, no verdict
    assert (x1.status, x1.value, x1.numerator, x1.denominator) == ("in_progress", 0.9, 90, 100)
    assert pd.isna(x1.gap_cases)
    assert "chưa đến hạn 14/12/2025" in x1.note.lower()
    assert (str(x1.window_first), str(x1.window_last)) == ("2024-12-15", "2025-03-14")
    # Q2: year to date 15/12/2024–14/06/2025
    q2 = evaluate_targets(plan, "2025Q2", tidy([("X1", "on_time_rate", 150, 160)],
                                               "2024-12-15..2025-06-14"), UNITS)
    assert row(q2, "X1", "on_time").status == "in_progress"
    assert row(q2, "X1", "on_time").numerator == 150
    # Q4 (15/09–14/12) contains the due date: judged on 15/12/2024–14/12/2025 = the nd09 year
    # 2025: 380/400 = 95% is not above 95% → fail, one case short; the quarter alone is ignored
    q4_ind = pd.concat([tidy([("X1", "on_time_rate", 380, 400)], "2025"),
                        tidy([("X1", "on_time_rate", 100, 100)], "2025Q4")])
    q4 = evaluate_targets(plan, "2025Q4", q4_ind, UNITS)
    x1 = row(q4, "X1", "on_time")
    assert (x1.status, x1.numerator, x1.denominator, x1.gap_cases) == ("fail", 380, 400, 1)
    assert (str(x1.window_first), str(x1.window_last)) == ("2024-12-15", "2025-12-14")
    assert "đánh giá theo hạn 14/12/2025" in x1.note.lower()


def test_a_district_target_that_ends_before_its_deadline_is_never_judged():
    plan = make_plan([T("on_time", judged="by_deadline", due="2025-12-14")], calendar="nd09",
                     levels=["district", "commune"], level_valid_to={"district": "2025-06-30"})
    q3 = evaluate_targets(plan, "2025Q3", tidy([("H1", "on_time_rate", 9, 10)],
                                               "2024-12-15..2025-06-30"), UNITS)
    h1 = row(q3, "H1", "on_time")
    assert (h1.status, h1.numerator) == ("in_progress", 9)
    assert "hết hiệu lực ngày 30/06/2025" in h1.note
    q4 = evaluate_targets(plan, "2025Q4", tidy([("H1", "on_time_rate", 9, 10)], "2025"), UNITS)
    assert row(q4, "H1", "on_time").status == "not_applicable"


def test_ytd_window_for_each_period_targets():
    plan = make_plan([T("on_time", window="ytd")], levels=["district", "commune"])
    ind = pd.concat([tidy([("X1", "on_time_rate", 10, 10)], "2025Q2"),
                     tidy([("X1", "on_time_rate", 18, 20)], "2025-01-01..2025-06-30")])
    x1 = row(evaluate_targets(plan, "2025Q2", ind, UNITS), "X1", "on_time")
    # judged every quarter, on 01/01–30/06: 90% fails "> 95%" although Q2 alone was 100%
    assert (x1.status, x1.numerator, x1.denominator) == ("fail", 18, 20)
    assert "lũy kế từ đầu năm" in x1.note.lower()


def test_plan_keys_are_validated():
    bad = [
        (dict(basis="share_of_units"), "targets[0].condition: a share_of_units target needs"),
        (dict(basis="level", condition={"indicator": "on_time_rate", "comparator": ">=",
                                        "threshold": 1}), "only a share_of_units target"),
        (dict(judged="by_deadline"), "targets[0].due: a by_deadline target needs its due"),
        (dict(due="2025-06-30"), "targets[0].judged: a target with a due date is judged"),
        (dict(judged="by_deadline", due="2025-06-30", window="ytd"), "targets[0].window"),
        (dict(judged="by_deadline", due="2026-01-31"), "after the target's valid_to"),
        (dict(basis="level", scope="tree"), "scope: tree applies to basis: unit only"),
        (dict(basis="pooled"), "targets[0].basis"),
    ]
    for extra, fragment in bad:
        with pytest.raises(PlanError) as exc:
            plan_from_dict({"plan_id": "p", "title": "t", "issuer": "i",
                            "valid_from": "2025-01-01", "valid_to": "2025-12-31",
                            "levels": ["commune"], "targets": [T("x", **extra)]})
        assert fragment in str(exc.value), (extra, str(exc.value))


# ------------------------------------------------------------------ on a real store
@pytest.fixture
def store(tmp_path):
    from scorecard.store import open_writer

    db = tmp_path / "s.duckdb"
    con = open_writer(db)
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)",
                    [("S1", "Ban Dân tộc", "department", None),
                     ("S2", "Sở B", "department", None)])
    con.execute("INSERT INTO procedures (procedure_id, name, field, online_service, has_fee, "
                "payment_integrated, at_one_stop, four_on_spot, has_sample_dossier, "
                "e_process_configured) VALUES ('p1', 'Thủ tục', 'dan_toc', 'full', false, "
                "false, true, false, false, true)")
    cols = "case_id, unit_id, procedure_id, received_at, due_at, resolved_at, status, channel"
    # S1: one case received 01/03/2024, due 10/03, still pending at 14/03 (nd09 Q1 end):
    #     nothing resolved late, but the case is late work. S2: one case resolved on time.
    con.executemany(f"INSERT INTO cases ({cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        ("a", "S1", "p1", "2024-03-01 08:00", "2024-03-10 17:00", None, "pending", "direct"),
        ("b", "S2", "p1", "2024-03-01 08:00", "2024-03-10 17:00", "2024-03-05 09:00",
         "resolved", "direct")])
    # PAKN of S1: f1 answered on time; f2 received 01/02, due 20/02, never answered
    con.executemany("INSERT INTO feedback VALUES (?, ?, ?, ?, ?, ?)", [
        ("f1", "S1", "2024-01-05 08:00", "2024-01-20 17:00", "2024-01-10 08:00", True),
        ("f2", "S1", "2024-02-01 08:00", "2024-02-20 17:00", None, None)])
    con.close()
    return db


def _plan(targets):
    return plan_from_dict({"plan_id": "bdt", "title": "t", "issuer": "i", "calendar": "nd09",
                           "valid_from": "2024-01-01", "valid_to": "2024-12-31",
                           "levels": ["department"], "targets": targets})


def test_only_pending_overdue_cases_fail_no_late_cases(store):
    plan = _plan([
        T("no_late", "late_work", "<=", 0, denominator="resolved_late_or_overdue"),
        T("no_late_resolved_only", "resolved_late", "<=", 0),
        T("apology", "apology_rate", ">=", 1.0, denominator="resolved_late_or_overdue"),
    ])
    df = evaluate(plan, "2024Q1", store)
    s1 = row(df, "S1", "no_late")
    assert (s1.status, s1.value, s1.gap_cases) == ("fail", 1.0, 1)
    assert row(df, "S1", "no_late_resolved_only").status == "pass"   # the old reading
    assert row(df, "S2", "no_late").status == "pass"
    ap = row(df, "S1", "apology")      # the pending overdue case owes an apology: 0/1
    assert (ap.status, ap.numerator, ap.denominator) == ("fail", 0, 1)


def test_unanswered_pakn_count_against_on_time(store):
    plan = _plan([
        T("pakn", "feedback_on_time_rate", ">=", 1.0, denominator="handled_or_overdue"),
        T("pakn_handled_only", "feedback_on_time_rate", ">=", 1.0),
    ])
    df = evaluate(plan, "2024Q1", store)
    p = row(df, "S1", "pakn")
    # handled on time 1 / (handled 1 + open past due at 14/03 1) = 50%
    assert (p.status, p.numerator, p.denominator, p.gap_cases) == ("fail", 1, 2, 1)
    assert row(df, "S1", "pakn_handled_only").status == "pass"


def test_a_fields_target_matching_no_procedure_says_so(store, capsys):
    plan = _plan([T("land", "satisfaction_rate", ">=", 0.85, fields=["dat_dai"]),
                  T("ethnic", "on_time_rate", ">=", 0.5, fields=["dan_toc"])])
    df = evaluate(plan, "2024Q1", store)
    land = row(df, "S1", "land")
    assert land.status == "no_data"
    assert "không có TTHC nào thuộc lĩnh vực đất đai (dat_dai)" in land.note
    assert row(df, "S2", "ethnic").status == "pass" and pd.isna(row(df, "S2", "ethnic").note)


def test_cli_evaluate_prints_the_new_columns(store, capsys, tmp_path):
    import yaml

    from scorecard.cli import main

    plan_file = tmp_path / "bdt.yaml"
    plan_file.write_text(yaml.safe_dump({
        "plan_id": "bdt", "title": "t", "issuer": "i", "calendar": "nd09",
        "valid_from": "2024-01-01", "valid_to": "2024-12-31", "levels": ["department"],
        "targets": [T("no_late", "late_work", "<=", 0),
                    T("year_end", judged="by_deadline", due="2024-12-14")]},
        allow_unicode=True), encoding="utf-8")
    assert main(["evaluate", "--plan", str(plan_file), "--period", "2024Q1", "--db", str(store),
                 "--format", "csv"]) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(out.columns[-6:]) == ["basis", "window_first", "window_last", "units_met",
                                      "units_judged", "note"]
    r = out[(out.unit_id == "S1") & (out.target_id == "year_end")].iloc[0]
    assert (r.status, r.basis, r.window_first, r.window_last) == (
        "in_progress", "unit", "2023-12-15", "2024-03-14")
    assert set(out.status) <= {"pass", "fail", "in_progress", "no_data", "not_applicable"}


def test_store_level_pools_and_year_to_date_windows(tmp_path):
    # on a store: a province P over departments S1, S2. S1 resolved 2 cases in Q1 (1 late) and 1
    # on time in Q2; S2 resolved 1 on time in Q2. nd09 2024Q2 = 15/03–14/06/2024.
    from scorecard.store import open_writer

    db = tmp_path / "p.duckdb"
    con = open_writer(db)
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)",
                    [("P", "Tỉnh", "province", None), ("S1", "Sở A", "department", "P"),
                     ("S2", "Sở B", "department", "P")])
    con.execute("INSERT INTO procedures (procedure_id, name, field, online_service, has_fee, "
                "payment_integrated, at_one_stop, four_on_spot, has_sample_dossier, "
                "e_process_configured) VALUES ('p1', 'Thủ tục', 'ho_tich', 'full', false, false, "
                "true, false, false, true)")
    cols = "case_id, unit_id, procedure_id, received_at, due_at, resolved_at, status, channel"
    con.executemany(f"INSERT INTO cases ({cols}) VALUES (?, ?, ?, ?, ?, ?, 'resolved', 'direct')", [
        ("a", "S1", "p1", "2024-01-02 08:00", "2024-01-10 17:00", "2024-01-09 09:00"),
        ("b", "S1", "p1", "2024-02-02 08:00", "2024-02-10 17:00", "2024-02-20 09:00"),
        ("c", "S1", "p1", "2024-04-02 08:00", "2024-04-10 17:00", "2024-04-10 09:00"),
        ("d", "S2", "p1", "2024-05-02 08:00", "2024-05-10 17:00", "2024-05-08 09:00")])
    con.close()
    plan = _plan([
        T("pooled", basis="level", threshold=0.95),
        T("ytd", window="ytd", comparator=">=", threshold=0.7),
        T("year_end", judged="by_deadline", due="2024-12-14", comparator=">=", threshold=0.7),
    ])
    df = evaluate(plan, "2024Q2", db)
    lv = row(df, "P", "pooled", scope="level")   # Q2: c and d on time: 2/2
    assert (lv.status, lv.numerator, lv.denominator) == ("pass", 2, 2)
    assert row(df, "S1", "pooled", scope="member").numerator == 1
    s1 = row(df, "S1", "ytd")                     # 15/12/2023–14/06/2024: a, c of a, b, c
    assert (s1.status, s1.numerator, s1.denominator) == ("fail", 2, 3)
    assert (str(s1.window_first), str(s1.window_last)) == ("2023-12-15", "2024-06-14")
    ye = row(df, "S1", "year_end")
    assert (ye.status, ye.numerator, ye.denominator) == ("in_progress", 2, 3)
