"""evaluate_targets on hand-made tidy frames; evaluate() plumbing; the evaluate/plans CLI."""

from __future__ import annotations

import sys
import types
from fractions import Fraction

import pandas as pd
import pytest

from scorecard.evaluate import (
    COLUMNS,
    EvaluateError,
    evaluate,
    evaluate_targets,
    gap_count,
    gap_rate,
    indicator_requests,
)
from scorecard.plans import plan_from_dict

UNITS = pd.DataFrame(
    [("P", "Tỉnh", "province", None), ("D1", "Sở A", "department", "P"),
     ("H1", "Huyện B", "district", "P"), ("X1", "Xã C", "commune", "H1"),
     ("X2", "Xã D", "commune", "H1"), ("H2", "Huyện E", "district", "P"),
     ("X3", "Xã F", "commune", "H2")],
    columns=["unit_id", "name", "level", "parent_id"],
)


def T(id_, indicator="on_time_rate", comparator=">", threshold=0.95, **kw):
    return {"id": id_, "indicator": indicator, "comparator": comparator, "threshold": threshold,
            "clause": kw.pop("clause", "II.6"), "text": kw.pop("text", "t"), **kw}


def make_plan(targets, **over):
    data = {"plan_id": "test", "title": "t", "issuer": "i", "calendar": "calendar",
            "valid_from": "2025-01-01", "valid_to": "2025-12-31",
            "levels": ["department", "district", "commune"], "targets": targets}
    data.update(over)
    return plan_from_dict(data)


def tidy(rows, period="2025Q1"):
    """rows: (unit_id, indicator, numerator, denominator[, scope[, series]])."""
    out = []
    for r in rows:
        unit, ind, num, den = r[:4]
        scope = r[4] if len(r) > 4 else "own"
        series = r[5] if len(r) > 5 else ""
        value = None if den in (None, 0) else num / den
        if den is None:
            value = num
        out.append({"unit_id": unit, "scope": scope, "period": period, "indicator": ind,
                    "numerator": num, "denominator": den, "value": value, "series": series})
    df = pd.DataFrame(out)
    df["numerator"] = df["numerator"].astype("Int64")
    df["denominator"] = df["denominator"].astype("Int64")
    return df


def df_rows(df, unit, target, scope):
    return df[(df.unit_id == unit) & (df.target_id == target) & (df.scope == scope)]


def row(df, unit, target, scope=None):
    """The one row of (unit, target); a parent also has a tree headline row for each own-scope
    target, so ``scope`` picks it (default: the target's own scope, 'own' when both exist)."""
    sel = df[(df.unit_id == unit) & (df.target_id == target)]
    if scope is not None:
        sel = sel[sel.scope == scope]
    elif len(sel) == 2:
        sel = sel[sel.scope == "own"]
    assert len(sel) == 1, (unit, target, len(sel))
    return sel.iloc[0]


# ------------------------------------------------------------------ exact comparisons
def test_exactly_95_percent_fails_strict_and_passes_at_least():
    plan = make_plan([T("gt"), T("ge", comparator=">=")], levels=["department"])
    ind = tidy([("D1", "on_time_rate", 95, 100)])
    df = evaluate_targets(plan, "2025Q1", ind, UNITS)
    assert list(df.columns) == COLUMNS
    assert row(df, "D1", "gt").status == "fail"
    assert row(df, "D1", "gt").gap_cases == 1        # 96/100 > 0.95
    assert row(df, "D1", "ge").status == "pass"
    assert row(df, "D1", "ge").gap_cases == 0
    # 19/20 is exactly 0.95 although 19/20 in binary floating point is not
    df2 = evaluate_targets(plan, "2025Q1", tidy([("D1", "on_time_rate", 19, 20)]), UNITS)
    assert row(df2, "D1", "ge").status == "pass" and row(df2, "D1", "gt").status == "fail"
    assert row(df2, "D1", "ge").value == pytest.approx(0.95)


def test_gap_cases_worked_by_hand():
    plan = make_plan([T("gt"), T("ge", comparator=">="), T("all", comparator=">=", threshold=1.0),
                      T("over", comparator=">", threshold=1.0)], levels=["department"])
    df = evaluate_targets(plan, "2025Q1", tidy([("D1", "on_time_rate", 90, 100)]), UNITS)
    assert row(df, "D1", "gt").gap_cases == 6      # 95/100 is not > 95%, 96/100 is
    assert row(df, "D1", "ge").gap_cases == 5      # 95/100 >= 95%
    assert row(df, "D1", "all").gap_cases == 10    # every one of the 10 others
    over = row(df, "D1", "over")
    assert over.status == "fail" and pd.isna(over.gap_cases)   # "> 100%" cannot be met


def test_gap_for_lower_is_better_and_counts():
    plan = make_plan([
        T("late_le", "late_rate", "<=", 0.01), T("late_none", "late_rate", "==", 0),
        T("late_lt", "late_rate", "<", 0.02),
        T("no_late", "resolved_late", "<=", 0), T("recv", "received", ">=", 100),
        T("recv_gt", "received", ">", 100),
    ], levels=["department"])
    ind = tidy([("D1", "late_rate", 3, 100), ("D1", "resolved_late", 4, None),
                ("D1", "received", 90, None)])
    df = evaluate_targets(plan, "2025Q1", ind, UNITS)
    assert row(df, "D1", "late_le").gap_cases == 2     # 1/100 <= 1%
    assert row(df, "D1", "late_none").gap_cases == 3   # all 3 late cases
    assert row(df, "D1", "late_lt").gap_cases == 2     # 1/100 < 2%, 2/100 is not
    r = row(df, "D1", "no_late")
    assert (r.status, r.value, r.gap_cases) == ("fail", 4.0, 4)
    assert row(df, "D1", "recv").gap_cases == 10
    assert row(df, "D1", "recv_gt").gap_cases == 11


def test_gap_helpers_directly():
    assert gap_rate(90, 100, ">", Fraction(19, 20)) == 6
    assert gap_rate(90, 100, ">=", Fraction(19, 20)) == 5
    assert gap_rate(0, 7, ">=", Fraction(1, 2)) == 4          # 4/7 >= 1/2, 3/7 is not
    assert gap_rate(5, 10, "==", Fraction(1, 3)) is None      # 10/3 cases is not whole
    assert gap_rate(3, 10, "<", Fraction(0)) is None          # a rate cannot go below 0
    assert gap_count(Fraction(2), "<=", Fraction(0)) == 2
    assert gap_count(Fraction(2), "<", Fraction(0)) is None


# ------------------------------------------------------------------ statuses
def test_zero_denominator_and_missing_row_are_no_data():
    plan = make_plan([T("on_time")], levels=["department", "district"])
    ind = tidy([("D1", "on_time_rate", 0, 0)])
    df = evaluate_targets(plan, "2025Q1", ind, UNITS)
    d1 = row(df, "D1", "on_time")
    assert d1.status == "no_data" and pd.isna(d1.value) and d1.denominator == 0
    assert pd.isna(d1.gap_cases)
    assert row(df, "H1", "on_time").status == "no_data"   # no row at all


def test_level_not_in_target_is_not_applicable_and_other_levels_not_listed():
    plan = make_plan([T("on_time"), T("dist_only", levels=["district"])],
                     levels=["department", "district"])
    ind = tidy([("D1", "on_time_rate", 99, 100), ("H1", "on_time_rate", 80, 100)])
    df = evaluate_targets(plan, "2025Q1", ind, UNITS)
    own, tree = df[df.scope == "own"], df[df.scope == "tree"]
    assert set(own.unit_id) == {"D1", "H1", "H2"}         # communes, province: not in the plan
    # parents get a headline row per target: their whole tree (the province only that)
    assert set(tree.unit_id) == {"P", "H1", "H2"}
    assert row(df, "D1", "on_time").status == "pass"
    d = row(df, "D1", "dist_only")
    assert d.status == "not_applicable" and pd.isna(d.gap_cases)
    assert row(df, "H1", "dist_only").status == "fail"


def test_district_targets_end_on_30_june_2025():
    plan = make_plan([T("on_time", levels=["district", "commune"])],
                     level_valid_to={"district": "2025-06-30"})
    ind_q2 = tidy([("H1", "on_time_rate", 99, 100), ("X1", "on_time_rate", 99, 100)], "2025Q2")
    ind_q3 = tidy([("H1", "on_time_rate", 99, 100), ("X1", "on_time_rate", 99, 100)], "2025Q3")
    q2 = evaluate_targets(plan, "2025Q2", ind_q2, UNITS)
    q3 = evaluate_targets(plan, "2025Q3", ind_q3, UNITS)
    assert row(q2, "H1", "on_time").status == "pass"
    assert row(q3, "H1", "on_time").status == "not_applicable"
    assert row(q3, "X1", "on_time").status == "pass"
    # the nd09 window of 2025Q3 (15/06–14/09/2025) overlaps the district validity: the district
    # is judged on the days the target is in force, 15/06–30/06 (issue 9: a window only partly
    # inside a target's validity is cut to it); the whole window's figure is not used
    nd09 = evaluate_targets(plan, "2025Q3", ind_q3, UNITS, calendar="nd09")
    assert row(nd09, "H1", "on_time").status == "no_data"
    cut = pd.concat([ind_q3, tidy([("H1", "on_time_rate", 9, 10)], "2025-06-15..2025-06-30")])
    nd09 = evaluate_targets(plan, "2025Q3", cut, UNITS, calendar="nd09")
    h1 = row(nd09, "H1", "on_time")
    assert (h1.status, h1.numerator, h1.denominator) == ("fail", 9, 10)
    assert (str(h1.window_first), str(h1.window_last)) == ("2025-06-15", "2025-06-30")
    assert h1.note.startswith("Chỉ tính 15/06/2025–30/06/2025")
    x1 = row(nd09, "X1", "on_time")
    assert (x1.status, str(x1.window_first), str(x1.window_last)) == (
        "pass", "2025-06-15", "2025-09-14")
    # H1's pooled figure would mix 16 district days with a commune quarter: not judged, tallied
    tally = df_rows(nd09, "H1", "on_time", "tally")
    assert list(tally.level) == ["commune"] and (tally.units_met.iloc[0],
                                                 tally.units_judged.iloc[0]) == (1, 1)


def test_plan_validity_outside_period_is_not_applicable():
    plan = make_plan([T("on_time")], levels=["department"])
    df = evaluate_targets(plan, "2024Q4", tidy([("D1", "on_time_rate", 99, 100)], "2024Q4"), UNITS)
    assert row(df, "D1", "on_time").status == "not_applicable"


def test_manual_targets_read_the_manual_table():
    plan = make_plan([T("ia", "impact_assessment_rate", ">=", 1.0, measure="manual"),
                      T("copies", "e_certified_copies_yoy", ">", 1.0, measure="manual",
                        kind="ratio")], levels=["department", "district"])
    manual = pd.DataFrame([
        ("D1", "2025Q1", "impact_assessment_rate", 1.0, "báo cáo"),
        ("H1", "2025Q1", "impact_assessment_rate", 0.8, "báo cáo"),
        ("H2", "2024Q4", "impact_assessment_rate", 1.0, "kỳ khác"),
        ("D1", "2025Q1", "e_certified_copies_yoy", 1.0, "sổ"),
        ("H1", "2025Q1", "e_certified_copies_yoy", 1.25, "sổ"),
    ], columns=["unit_id", "period", "indicator", "value", "source"])
    df = evaluate_targets(plan, "2025Q1", tidy([("D1", "on_time_rate", 1, 1)]), UNITS, manual)
    assert row(df, "D1", "ia").status == "pass"
    h1 = row(df, "H1", "ia")
    assert (h1.status, h1.value) == ("fail", 0.8) and pd.isna(h1.gap_cases)
    assert row(df, "H2", "ia").status == "no_data"         # only another period measured
    assert row(df, "D1", "copies").status == "fail"         # equal to 2023 is not "more"
    assert row(df, "H1", "copies").status == "pass"
    assert row(df, "D1", "ia").label == "impact_assessment_rate"


def test_tree_scope_reads_tree_rows_and_a_leaf_uses_its_own():
    plan = make_plan([T("own_t"), T("tree_t", scope="tree")], levels=["district", "commune"])
    ind = tidy([("H1", "on_time_rate", 10, 10, "own"), ("H1", "on_time_rate", 150, 200, "tree"),
                ("X1", "on_time_rate", 96, 100, "own")])
    df = evaluate_targets(plan, "2025Q1", ind, UNITS)
    assert row(df, "H1", "own_t").status == "pass"
    t = row(df, "H1", "tree_t")
    assert (t.status, t.numerator, t.denominator, t.scope) == ("fail", 150, 200, "tree")
    assert t.gap_cases == 41                                # 191/200 = 95.5% > 95%
    assert row(df, "X1", "tree_t").status == "pass"        # leaf: tree = own
    assert row(df, "H2", "tree_t").status == "no_data"     # has children, no tree row


def test_contradictory_targets_both_evaluated_and_flagged():
    plan = make_plan([
        T("on_time_98", threshold=0.98, flag="mâu thuẫn: II.5 vs PL III.2",
          conflicts_with=["on_time_90"]),
        T("on_time_90", threshold=0.90, flag="mâu thuẫn: PL III.2 vs II.5",
          conflicts_with=["on_time_98"]),
    ], levels=["department"])
    df = evaluate_targets(plan, "2025Q1", tidy([("D1", "on_time_rate", 95, 100)]), UNITS)
    a, b = row(df, "D1", "on_time_98"), row(df, "D1", "on_time_90")
    assert (a.status, a.gap_cases) == ("fail", 4)           # 99/100 > 98%
    assert (b.status, b.gap_cases) == ("pass", 0)
    assert a.flag.startswith("mâu thuẫn") and b.flag.startswith("mâu thuẫn")


def test_field_targets_read_their_own_series():
    plan = make_plan([T("sat", "satisfaction_rate", ">=", 0.95),
                      T("sat_land", "satisfaction_rate", ">=", 0.85, fields=["dat_dai"])],
                     levels=["district"])
    ind = tidy([("H1", "satisfaction_rate", 96, 100, "own", ""),
                ("H1", "satisfaction_rate", 8, 10, "own", "fields=dat_dai")])
    df = evaluate_targets(plan, "2025Q1", ind, UNITS)
    assert row(df, "H1", "sat").status == "pass"
    land = row(df, "H1", "sat_land")
    assert (land.status, land.numerator, land.gap_cases) == ("fail", 8, 1)   # 9/10 >= 85%
    # an untagged frame (no series column) is the default series only
    untagged = ind.drop(columns="series").iloc[:1]
    df2 = evaluate_targets(plan, "2025Q1", untagged, UNITS)
    assert row(df2, "H1", "sat").status == "pass"
    assert row(df2, "H1", "sat_land").status == "no_data"


def test_root_unit_and_units_narrow_the_rows():
    plan = make_plan([T("on_time")], levels=["district", "commune"], root_unit="H1")
    df = evaluate_targets(plan, "2025Q1", tidy([("X1", "on_time_rate", 1, 1)]), UNITS)
    assert list(df[df.scope == "own"].unit_id) == ["H1", "X1", "X2"]
    assert list(df[df.scope == "tree"].unit_id) == ["H1"]   # P is outside root_unit
    only = evaluate_targets(plan, "2025Q1", tidy([("X1", "on_time_rate", 1, 1)]), UNITS,
                            units=["X2"])
    assert list(only.unit_id) == ["X2"]
    with pytest.raises(EvaluateError, match="unknown unit ZZ"):
        evaluate_targets(plan, "2025Q1", tidy([("X1", "on_time_rate", 1, 1)]), UNITS,
                         units=["ZZ"])
    bad_root = make_plan([T("on_time")], root_unit="NOPE")
    with pytest.raises(EvaluateError, match="root_unit 'NOPE'"):
        evaluate_targets(bad_root, "2025Q1", tidy([("X1", "on_time_rate", 1, 1)]), UNITS)


def test_indicator_requests_one_per_series():
    plan = make_plan([
        T("a"), T("b", "early_rate", scope="tree"),
        T("c", "satisfaction_rate", fields=["xay_dung", "dat_dai"]),
        T("d", "satisfaction_rate", fields=["dat_dai", "xay_dung"], threshold=0.5),
        T("e", denominator="processed"),
        T("m", "impact_assessment_rate", measure="manual"),
    ])
    reqs = {r.series: r for r in indicator_requests(plan)}
    assert set(reqs) == {"", "fields=dat_dai,xay_dung", "variant=on_time_rate:processed"}
    assert reqs[""].indicators == ["on_time_rate", "early_rate"]
    assert reqs[""].scopes == ["own", "tree"] and reqs[""].fields is None
    assert reqs["fields=dat_dai,xay_dung"].fields == ["dat_dai", "xay_dung"]
    assert reqs["fields=dat_dai,xay_dung"].indicators == ["satisfaction_rate"]
    assert reqs["variant=on_time_rate:processed"].variants == {"on_time_rate": "processed"}


# ------------------------------------------------------------------ evaluate() on a store
@pytest.fixture
def store(tmp_path):
    from scorecard.store import open_writer

    db = tmp_path / "s.duckdb"
    con = open_writer(db)
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)",
                    [tuple(r) for r in UNITS.itertuples(index=False)])
    con.execute("INSERT INTO manual VALUES ('H1', '2025Q1', 'impact_assessment_rate', 1.0, 'x')")
    con.close()
    return db


def test_evaluate_calls_compute_once_per_series(store, monkeypatch):
    calls = []

    def fake_compute(con, periods, calendar="calendar", *, fields=None, units=None,
                     indicators=None, variants=None, scopes=("own", "tree")):
        calls.append({"periods": list(periods), "calendar": calendar, "fields": fields,
                      "indicators": indicators, "variants": variants, "units": units})
        num = 8 if fields else 96
        return tidy([("H1", i, num, 10 if fields else 100) for i in indicators])

    fake = types.ModuleType("scorecard.indicators")
    fake.compute_indicators = fake_compute
    monkeypatch.setitem(sys.modules, "scorecard.indicators", fake)
    plan = make_plan([T("on_time"), T("sat_land", "satisfaction_rate", ">=", 0.85,
                                      fields=["dat_dai"]),
                      T("ia", "impact_assessment_rate", ">=", 1.0, measure="manual")],
                     levels=["district"], calendar="nd09")
    df = evaluate(plan, "2025Q1", store)
    assert len(calls) == 2
    assert calls[0] == {"periods": ["2025Q1"], "calendar": "nd09", "fields": None,
                        "indicators": ["on_time_rate"], "variants": None, "units": None}
    assert calls[1]["fields"] == ["dat_dai"] and calls[1]["indicators"] == ["satisfaction_rate"]
    assert row(df, "H1", "on_time").status == "pass"
    assert row(df, "H1", "sat_land").status == "fail"
    assert row(df, "H1", "ia").status == "pass"
    assert row(df, "H2", "ia").status == "no_data"
    df_cal = evaluate(plan, "2025Q1", store, calendar="calendar", units=["H1"])
    # units keep the rows of those units; the figures are computed over the plan's scope (a
    # parent's tally and a share of units need the units below and beside it)
    assert calls[-1]["calendar"] == "calendar" and calls[-1]["units"] is None
    assert list(df_cal.unit_id.unique()) == ["H1"]


# ------------------------------------------------------------------ CLI
def test_cli_plans_lists_every_plan(capsys):
    from scorecard.cli import main

    assert main(["plans", "--format", "csv"]) == 0
    out = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert set(out.plan_id) == {"ban-dan-toc-bac-giang-2024", "bac-giang-2025", "bac-ninh-2021",
                                "thua-thien-hue-2022", "long-thanh-2024"}
    assert {"target_id", "indicator", "comparator", "threshold", "levels", "clause"} <= set(out.columns)
    r = out[(out.plan_id == "bac-giang-2025") & (out.target_id == "on_time")].iloc[0]
    assert (r.comparator, r.threshold, r.clause) == (">", 0.95, "II.6, PL III.2")


def test_cli_evaluate_columns_and_user_errors(store, capsys, monkeypatch, tmp_path):
    from scorecard.cli import main

    fake = types.ModuleType("scorecard.indicators")
    fake.compute_indicators = lambda con, periods, calendar="calendar", **kw: tidy(
        [("H1", i, 96, 100) for i in kw["indicators"]], "2025Q2")
    monkeypatch.setitem(sys.modules, "scorecard.indicators", fake)
    # Long Thành's 2024 plan in 2025Q2 (nd09: 15/03–14/06/2025): outside its validity. (2025Q1
    # under nd09 starts 15/12/2024 and so overlaps it.)
    rc = main(["evaluate", "--plan", "long-thanh-2024", "--period", "2025Q2", "--db", str(store),
               "--unit", "H1", "--format", "csv"])
    assert rc == 0
    out = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert list(out.columns[:11]) == ["unit_id", "scope", "period", "target_id", "indicator",
                                      "value", "comparator", "threshold", "status", "gap_cases",
                                      "clause"]
    assert set(out.status) == {"not_applicable"}
    assert set(out.unit_id) == {"H1"}
    for scope in ("own", "tree"):   # one row per target and scope (H1 has communes: a headline)
        part = out[out.scope == scope]
        assert len(part) == len(part.target_id.unique()) > 0
    for argv, fragment in [
        (["--plan", "nope", "--period", "2025Q1"], "unknown plan 'nope'"),
        (["--plan", "bac-giang-2025", "--period", "2025Q9"], "unknown period"),
        (["--plan", "bac-giang-2025", "--period", "2025Q1", "--unit", "ZZ"], "unknown unit ZZ"),
    ]:
        assert main(["evaluate", *argv, "--db", str(store)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("scorecard evaluate: ") and fragment in err and "\n" not in err


def test_parents_get_a_headline_row_judged_on_their_tree():
    # the province is not a level of the plan, but its whole tree is the headline figure:
    # 190 of 200 cases on time in the province = 95% → fails "> 95%"; 1 more case → 191/200
    plan = make_plan([T("on_time"), T("dist_only", levels=["district"], valid_to="2025-02-28")])
    own = [("D1", "on_time_rate", 80, 90), ("H1", "on_time_rate", 10, 10),
           ("X1", "on_time_rate", 20, 20), ("X2", "on_time_rate", 20, 20),
           ("H2", "on_time_rate", 30, 30), ("X3", "on_time_rate", 30, 30)]
    districts = [r for r in own if r[0] in ("H1", "H2")]
    ind = pd.concat([
        tidy([("P", "on_time_rate", 190, 200, "tree"), ("H1", "on_time_rate", 50, 50, "tree"),
              *own]),
        tidy(districts, "2025-01-01..2025-02-28"),   # dist_only's days in force
    ])
    df = evaluate_targets(plan, "2025Q1", ind, UNITS)
    p = row(df, "P", "on_time", scope="tree")
    assert (p.status, p.numerator, p.denominator, p.gap_cases) == ("fail", 190, 200, 1)
    assert not len(df[(df.unit_id == "P") & (df.scope == "own")])   # no own rows for P
    h = row(df, "H1", "on_time", scope="tree")
    assert (h.status, h.value) == ("pass", 1.0)
    assert row(df, "H1", "on_time", scope="own").numerator == 10
    # a target for districts only is not judged on the province's pooled figure, which holds
    # departments' and communes' cases (issue 9: "nothing judges a pooled value against a
    # threshold set for another level"): the province gets the tally of its districts instead,
    # judged on the days the target is in force (01/01–28/02/2025)
    assert df_rows(df, "P", "dist_only", "tree").empty
    t = row(df, "P", "dist_only", scope="tally")
    assert (t.level, t.status, t.units_met, t.units_judged) == ("district", "not_applicable", 2, 2)
    assert "cấp xã" in t.note and "sở, ngành" in t.note
    assert (str(t.window_first), str(t.window_last)) == ("2025-01-01", "2025-02-28")
    # a commune has no children: no headline rows
    assert set(df[df.unit_id == "X1"].scope) == {"own"}


def test_a_whole_tree_target_is_judged_for_a_parent_outside_the_plan_levels():
    # scope: tree targets are about the whole: the province (not a plan level) is judged on its
    # tree, 9 of 10 late cases with an apology against 100% → fail, 1 more apology needed
    plan = make_plan([T("apology", indicator="apology_rate", comparator=">=", threshold=1.0,
                        scope="tree")])
    ind = tidy([("P", "apology_rate", 9, 10, "tree"), ("H1", "apology_rate", 4, 4, "tree")])
    df = evaluate_targets(plan, "2025Q1", ind, UNITS)
    p = row(df, "P", "apology")
    assert (p.scope, p.status, p.gap_cases) == ("tree", "fail", 1)
    assert row(df, "H1", "apology").status == "pass"
