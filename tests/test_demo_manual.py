"""Demo manual rows for the shipped plans' manual targets (scorecard.demo_manual)."""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard import demo
from scorecard.demo_manual import MISSING_SHARE, VALUE_STYLES, build_manual_plans, manual_targets
from scorecard.evaluate import evaluate_targets
from scorecard.plans import find_plan

SEED = 2025


@pytest.fixture(scope="module")
def world():
    return demo.build_world(SEED)


@pytest.fixture(scope="module")
def manual(world):
    existing = pd.concat([demo.build_manual(world, SEED), demo.build_manual_index766(world, SEED)])
    rows = build_manual_plans(world.units, SEED, demo.QUARTERS, demo.MANUAL_SOURCE,
                              existing=existing)
    return existing, rows


# the plans the demo's data covers, and the demo quarters inside each (nd09)
COVERED = {
    "bac-giang-2025": ["2025Q1", "2025Q2"],
    "ban-dan-toc-bac-giang-2024": ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1"],
    "long-thanh-2024": ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1"],
}


def test_every_manual_target_of_the_covered_plans_has_rows(world, manual):
    existing, rows = manual
    both = pd.concat([existing, rows])
    level = dict(zip(world.units["unit_id"], world.units["level"], strict=True))
    for plan_id, quarters in COVERED.items():
        for t in manual_targets(find_plan(plan_id)):
            units = [u for u, lv in level.items() if lv in t.levels]
            for q in quarters:
                got = both[(both.indicator == t.indicator) & (both.period == q)
                           & both.unit_id.isin(units)]
                # at most ~8% of units missing (a province-only target: its one unit)
                assert len(got) >= max(1, int(len(units) * (1 - 3 * MISSING_SHARE))), (
                    plan_id, t.id, q, len(got), len(units))
    # plans of 2021-2022 lie outside the demo's data: nothing for them
    assert not rows.period.str.startswith(("2021", "2022", "2023")).any()
    assert set(rows.period) <= set(demo.QUARTERS)


def test_keys_are_unique_and_existing_rows_are_left_alone(manual):
    existing, rows = manual
    both = pd.concat([existing, rows])
    assert not both.duplicated(["unit_id", "period", "indicator"]).any()
    assert (rows.source == demo.MANUAL_SOURCE).all()
    # build_manual's own rows are what they were: the same function, untouched by the new rows
    again = demo.build_manual(demo.build_world(SEED), SEED)
    pd.testing.assert_frame_equal(again, demo.build_manual(demo.build_world(SEED), SEED))
    assert (again.period == "2025Q2").all()


def test_values_look_like_what_they_measure(manual):
    _, rows = manual
    for ind, style in VALUE_STYLES.items():
        v = rows.loc[rows.indicator == ind, "value"]
        if v.empty:
            continue
        if style == "yes_no":
            assert set(v) <= {0.0, 1.0} and 0 < v.mean() < 1, ind
        elif style == "months":
            assert set(v) <= {1.0, round(2 / 3, 4), round(1 / 3, 4)}, ind
        else:
            assert v.between(0.5, 2.0).all() and (v > 1).any() and (v < 1).any(), ind
    rates = rows[~rows.indicator.isin(VALUE_STYLES)]
    assert rates.value.between(0, 1).all()


def test_a_deadline_target_accumulates_toward_its_due_date(manual):
    # Long Thành PL 2.4 (due 30/09/2024, nd09 2024Q4): quarter after quarter a commune's share
    # of procedures proposed for simplification grows and is complete in the due quarter
    _, rows = manual
    sp = rows[rows.indicator == "simplification_proposed_rate"].pivot(
        index="unit_id", columns="period", values="value").dropna()
    assert len(sp) > 50
    assert (sp["2024Q1"] <= sp["2024Q2"]).all() and (sp["2024Q3"] <= sp["2024Q4"]).all()
    assert ((sp["2024Q4"] - 4 * sp["2024Q1"]).abs() <= 2.5e-4).all()   # 1/4 of the way in Q1
    assert (sp["2024Q4"] == sp["2025Q1"]).all()


def test_the_demo_plan_in_its_rendered_quarter_has_verdicts_not_only_no_data(world, manual):
    existing, rows = manual
    both = pd.concat([existing, rows])
    units = world.units[["unit_id", "name", "level", "parent_id"]]
    empty = pd.DataFrame(columns=["unit_id", "scope", "period", "indicator", "numerator",
                                  "denominator", "value"])
    df = evaluate_targets(find_plan("bac-giang-2025"), "2025Q2", empty, units, both)
    for tid in ("results_766_published", "report_submitted", "late_list_published",
                "one_stop_staff_assessed", "procedures_published"):
        st = df.loc[(df.target_id == tid) & (df.scope == "own"), "status"]
        assert st.isin(["pass", "fail"]).any(), tid
    one_stop = df[(df.target_id == "one_stop_staff_assessed") & (df.scope == "own")
                  & (df.level == "commune")]
    assert {"pass", "fail", "no_data"} <= set(one_stop.status)
    progress = df[(df.target_id == "proc_result_digitized") & (df.scope == "own")]
    assert (progress.status.isin(["in_progress", "no_data", "not_applicable"])).all()
    assert (progress.status == "in_progress").sum() > 50
    # Long Thành 2024's shares of units are judged in every quarter of 2024
    lt = evaluate_targets(find_plan("long-thanh-2024"), "2024Q4", empty, units, both)
    for tid in ("one_stop_rules", "one_stop_assessed", "e_certification_service"):
        lv = lt[(lt.target_id == tid) & (lt.scope == "level")]
        assert set(lv.status) <= {"pass", "fail"} and len(lv) == 2, tid
    approved = lt[(lt.target_id == "simplification_approved") & (lt.scope == "own")]
    assert {"pass", "fail"} <= set(approved.status)
