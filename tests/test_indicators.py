"""Every indicator on a tiny hand-built store; expected values worked out by hand below.

Units: P (province) ─ S1 (department), H1 (district) ─ X1, X2, F1 (communes; F1 reports only
form06). Procedures: pA dat_dai (full online, fee + integrated payment, one-stop, 4-on-spot,
sample, e-process), pB ho_tich (partial, no fee, one-stop, e-process), pC xay_dung (none, fee not
integrated, sample). S1 has unit_procedures rows {pA, pC}; the communes have none.

X1, 2025Q1 (01/01–31/03), calendar:
  c1 pA recv 06/01 due 10/01 17:00 resolved 10/01 23:59 → on time (online)
  c2 pA recv 07/01 due 20/01 resolved 15/01 → early (2 supplement requests)
  c3 pB recv 01/02 due 05/02 resolved 10/02 → late, apology (online)
  c4 pB recv 02/02 due 06/02 resolved 08/02 → late, no apology
  c5 pA recv 20/03 due 31/03 pending → pending in time (due on the last day) (online)
  c6 pB recv 01/03 due 10/03 pending → pending overdue
  c7 pB recv 25/03 due 15/04 resolved 10/04 → pending in time in Q1; carried over + early in Q2
  c8 pA recv 10/02 due 20/02 withdrawn 12/02 → residual
  c9 pA recv 20/12/2024 due 05/01 resolved 03/01 → carried over, early
  received 8 (online 3), carried 1, resolved 5 (early 2, on time 1, late 2), residual 1,
  pending 3 (in time 2, overdue 1): 8 + 1 = 5 + 1 + 3.
X2, 2025Q1: d1 pA recv 10/01 due 20/01 resolved 25/01 late; d2 pC recv 10/02 due 20/02
  resolved 20/02 on time (online). X2 also has a form06 row for 2025Q1 (ignored: overlap).
S1, 2025Q1: s1 pB recv 15/01 due 30/01 resolved 20/01 early (online).
F1, 2025Q1 (form06): online 4 + direct 6, carried 2, early 5 / on time 3 / late 2,
  pending 1 in time + 1 overdue.
X1, 2024Q1: e1, e2 received and resolved early.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scorecard import store
from scorecard.cli import main
from scorecard.facts import form06_overlap
from scorecard.indicators import (
    CATALOGUE,
    IndicatorError,
    compute_indicators,
    level_totals,
    procedure_basis,
)
from scorecard.indicators.docs import render_markdown
from scorecard.units import load_units

DOCS = Path(__file__).resolve().parents[1] / "docs" / "indicators.md"

UNITS = [("P", "Tỉnh", "province", None), ("S1", "Sở", "department", "P"),
         ("H1", "Huyện", "district", "P"), ("X1", "Xã 1", "commune", "H1"),
         ("X2", "Xã 2", "commune", "H1"), ("F1", "Xã F", "commune", "H1")]
PROCS = [("pA", "A", "dat_dai", "full", True, True, True, True, True, True),
         ("pB", "B", "ho_tich", "partial", False, False, True, False, False, True),
         ("pC", "C", "xay_dung", "none", True, False, False, False, True, False)]
COLS = ("case_id, unit_id, procedure_id, received_at, due_at, resolved_at, status, channel, "
        "supplement_requests, digitized, e_result, reused_data, fee_required, paid_online, "
        "apology_issued, rating")
N = None
CASES = [
    # id, unit, proc, received, due, resolved, status, channel, supp, digitized, e_result,
    # reused, fee, paid, apology, rating
    ("c1", "X1", "pA", "2025-01-06 08:00", "2025-01-10 17:00", "2025-01-10 23:59", "resolved",
     "online", 0, True, True, True, True, True, N, "very_satisfied"),
    ("c2", "X1", "pA", "2025-01-07 09:00", "2025-01-20 17:00", "2025-01-15 10:00", "resolved",
     "direct", 2, True, False, False, True, False, N, "satisfied"),
    ("c3", "X1", "pB", "2025-02-01 09:00", "2025-02-05 17:00", "2025-02-10 10:00", "resolved",
     "online", 0, False, True, N, N, N, True, "dissatisfied"),
    ("c4", "X1", "pB", "2025-02-02 09:00", "2025-02-06 17:00", "2025-02-08 10:00", "resolved",
     "direct", 0, N, N, N, N, N, False, N),
    ("c5", "X1", "pA", "2025-03-20 09:00", "2025-03-31 17:00", N, "pending",
     "online", 0, True, N, N, N, N, N, N),
    ("c6", "X1", "pB", "2025-03-01 09:00", "2025-03-10 17:00", N, "pending",
     "direct", 0, N, N, N, N, N, N, N),
    ("c7", "X1", "pB", "2025-03-25 09:00", "2025-04-15 17:00", "2025-04-10 10:00", "resolved",
     "direct", 0, N, N, N, N, N, N, "very_satisfied"),
    ("c8", "X1", "pA", "2025-02-10 09:00", "2025-02-20 17:00", "2025-02-12 10:00", "withdrawn",
     "direct", 0, N, N, N, True, True, N, N),
    ("c9", "X1", "pA", "2024-12-20 09:00", "2025-01-05 17:00", "2025-01-03 10:00", "resolved",
     "direct", 0, N, True, N, N, N, N, "satisfied"),
    ("d1", "X2", "pA", "2025-01-10 09:00", "2025-01-20 17:00", "2025-01-25 10:00", "resolved",
     "direct", 0, N, N, N, N, N, N, N),
    ("d2", "X2", "pC", "2025-02-10 09:00", "2025-02-20 17:00", "2025-02-20 16:00", "resolved",
     "online", 0, N, N, N, N, N, N, N),
    ("s1", "S1", "pB", "2025-01-15 09:00", "2025-01-30 17:00", "2025-01-20 10:00", "resolved",
     "online", 0, N, N, N, N, N, N, N),
    ("e1", "X1", "pA", "2024-02-01 09:00", "2024-02-10 17:00", "2024-02-05 10:00", "resolved",
     "direct", 0, N, N, N, N, N, N, N),
    ("e2", "X1", "pB", "2024-03-01 09:00", "2024-03-05 17:00", "2024-03-02 10:00", "resolved",
     "direct", 0, N, N, N, N, N, N, N),
]
FEEDBACK = [
    ("fb1", "X1", "2025-01-02 09:00", "2025-01-20 17:00", "2025-01-20 10:00", True),
    ("fb2", "X1", "2025-02-01 09:00", "2025-02-10 17:00", "2025-02-15 10:00", False),
    ("fb3", "X1", "2025-03-01 09:00", "2025-03-20 17:00", "2025-03-10 10:00", None),
    ("fb4", "X1", "2025-03-25 09:00", "2025-04-10 17:00", "2025-04-02 10:00", True),
    ("fb5", "X1", "2025-03-28 09:00", "2025-04-10 17:00", None, None),
]
FORM06 = [
    # unit, period, start, end, online, direct/postal, carried, early, on time, late, in time,
    # overdue
    ("F1", "2025Q1", None, None, 4, 6, 2, 5, 3, 2, 1, 1),
    ("X2", "2025Q1", None, None, 100, 100, 0, 50, 50, 0, 100, 50),
]


def build(con: duckdb.DuckDBPyConnection) -> None:
    store.create_schema(con)
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)", UNITS)
    con.executemany(f"INSERT INTO procedures (procedure_id, name, field, online_service, has_fee, payment_integrated, at_one_stop, four_on_spot, has_sample_dossier, e_process_configured) VALUES ({', '.join('?' * 10)})", PROCS)
    con.executemany("INSERT INTO unit_procedures VALUES (?, ?)", [("S1", "pA"), ("S1", "pC")])
    con.executemany(f"INSERT INTO cases ({COLS}) VALUES ({', '.join('?' * 16)})", CASES)
    con.executemany("INSERT INTO feedback VALUES (?, ?, ?, ?, ?, ?)", FEEDBACK)
    con.executemany(f"INSERT INTO form06 VALUES ({', '.join('?' * 12)})", FORM06)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    build(c)
    yield c
    c.close()


@pytest.fixture(scope="module")
def q1(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return compute_indicators(con, ["2025Q1", "2025Q2"])


def row(df: pd.DataFrame, unit: str, ind: str, scope: str = "own",
        period: str = "2025Q1") -> pd.Series:
    sel = df[(df.unit_id == unit) & (df.indicator == ind) & (df.scope == scope)
             & (df.period == period)]
    assert len(sel) == 1, (unit, ind, scope, period, len(sel))
    return sel.iloc[0]


def check(df: pd.DataFrame, unit: str, ind: str, num: int | None, den: int | None,
          scope: str = "own", period: str = "2025Q1") -> None:
    r = row(df, unit, ind, scope, period)
    assert (None if pd.isna(r.numerator) else int(r.numerator)) == num, (unit, ind, "num")
    assert (None if pd.isna(r.denominator) else int(r.denominator)) == den, (unit, ind, "den")
    kind = CATALOGUE[ind].kind
    if kind == "count":
        assert r.value == pytest.approx(num) if num is not None else pd.isna(r.value)
    elif den:
        assert r.value == pytest.approx(num / den), (unit, ind, "value")
    else:
        assert pd.isna(r.value), (unit, ind, "value should be NULL")


def test_tidy_shape(q1: pd.DataFrame) -> None:
    assert list(q1.columns) == ["unit_id", "scope", "period", "indicator", "numerator",
                                "denominator", "value"]
    # own for every unit, tree only for units with children
    assert set(q1[q1.scope == "tree"].unit_id) == {"P", "H1"}
    assert set(q1[q1.scope == "own"].unit_id) == {u[0] for u in UNITS}
    # every case indicator; the plan-task ones come from scorecard.tasks (computed_by)
    assert set(q1.indicator) == set(CATALOGUE) - {"task_on_time_rate", "tasks_overdue"}
    assert not q1.duplicated(["unit_id", "scope", "period", "indicator"]).any()


def test_bieu06_counts_x1(q1: pd.DataFrame) -> None:
    expected = {"received": 8, "received_online": 3, "carried_over": 1, "resolved": 5,
                "resolved_early": 2, "resolved_on_time": 1, "resolved_late": 2, "pending": 3,
                "pending_in_time": 2, "pending_overdue": 1, "residual": 1}
    for ind, n in expected.items():
        check(q1, "X1", ind, n, None)


def test_next_quarter_carry_over(q1: pd.DataFrame) -> None:
    # Q2: c5, c6, c7 carried over; c7 resolved early; c5 (due 31/03) and c6 now overdue
    expected = {"received": 0, "carried_over": 3, "resolved": 1, "resolved_early": 1,
                "pending": 2, "pending_in_time": 0, "pending_overdue": 2, "residual": 0}
    for ind, n in expected.items():
        check(q1, "X1", ind, n, None, period="2025Q2")
    # c7's rating belongs to Q2, the period in which it was resolved
    check(q1, "X1", "satisfaction_rate", 1, 1, period="2025Q2")


def test_rates_x1(q1: pd.DataFrame) -> None:
    check(q1, "X1", "on_time_rate", 3, 5)          # (early 2 + on time 1) / resolved 5
    check(q1, "X1", "early_rate", 2, 5)
    check(q1, "X1", "late_rate", 2, 5)
    check(q1, "X1", "online_rate", 3, 8)
    check(q1, "X1", "digitized_rate", 3, 8)        # c1, c2, c5
    check(q1, "X1", "reuse_rate", 1, 8)            # c1
    check(q1, "X1", "e_result_rate", 3, 5)         # c1, c3, c9
    check(q1, "X1", "fully_online_rate", 2, 5)     # c1, c3 (c9 direct)
    check(q1, "X1", "online_payment_rate", 2, 3)   # fee: c1, c2, c8; paid: c1, c8
    check(q1, "X1", "apology_rate", 1, 2)          # late c3 (apology), c4 (none)
    check(q1, "X1", "satisfaction_rate", 3, 4)     # c1 c2 c9 of c1 c2 c3 c9 (c7 is Q2)
    check(q1, "X1", "feedback_on_time_rate", 2, 3)  # fb1 (20/01 on its due date), fb3
    check(q1, "X1", "feedback_satisfaction_rate", 1, 2)  # fb1 of fb1, fb2 (fb3 no answer)


def test_zero_denominators_are_null(q1: pd.DataFrame) -> None:
    check(q1, "X2", "feedback_on_time_rate", 0, 0)
    check(q1, "X2", "apology_rate", 0, 1)      # d1 late without apology: 0, not NULL
    check(q1, "S1", "apology_rate", 0, 0)      # no late case
    check(q1, "X2", "satisfaction_rate", 0, 0)  # no rating
    check(q1, "P", "on_time_rate", 0, 0)


def test_form06_fallback_and_overlap(con: duckdb.DuckDBPyConnection, q1: pd.DataFrame) -> None:
    # F1 has no cases: its Biểu 06 counts come from form06
    for ind, n in {"received": 10, "received_online": 4, "carried_over": 2, "resolved": 10,
                   "resolved_early": 5, "resolved_on_time": 3, "resolved_late": 2,
                   "pending": 2, "pending_in_time": 1, "pending_overdue": 1}.items():
        check(q1, "F1", ind, n, None)
    check(q1, "F1", "residual", None, None)       # form06 has no residual
    check(q1, "F1", "on_time_rate", 8, 10)
    check(q1, "F1", "online_rate", 4, 10)
    check(q1, "F1", "digitized_rate", 0, 0)       # form06 supplies only Biểu 06 counts
    check(q1, "F1", "apology_rate", 0, 0)
    # X2 has both: case data wins, the overlap is reported
    check(q1, "X2", "received", 2, None)
    check(q1, "X2", "on_time_rate", 1, 2)
    ov = form06_overlap(con, ["2025Q1", "2025Q2"])
    assert list(zip(ov.unit_id, ov.period, strict=True)) == [("X2", "2025Q1")]
    assert (int(ov.received_cases[0]), int(ov.received_form06[0])) == (2, 200)
    # the form's own window: its period id counts whatever calendar is asked
    nd = compute_indicators(con, ["2025Q1"], "nd09", units=["F1"], indicators=["received"])
    check(nd, "F1", "received", 10, None)


def test_tree_rollup_sums_not_means(q1: pd.DataFrame) -> None:
    # H1 = X1 (3/5) + X2 (1/2) + F1 (8/10) = 12/17, not the mean of the three rates
    check(q1, "H1", "on_time_rate", 12, 17, scope="tree")
    assert row(q1, "H1", "on_time_rate", "tree").value != pytest.approx((0.6 + 0.5 + 0.8) / 3)
    check(q1, "H1", "received", 20, None, scope="tree")
    check(q1, "H1", "residual", 1, None, scope="tree")  # F1's NULL residual adds nothing
    check(q1, "H1", "digitized_rate", 3, 10, scope="tree")  # form06 not in the denominator
    # P = H1 subtree + S1 (1/1)
    check(q1, "P", "on_time_rate", 13, 18, scope="tree")
    check(q1, "P", "received", 21, None, scope="tree")


def test_procedure_rates_and_distinct_tree(con: duckdb.DuckDBPyConnection,
                                           q1: pd.DataFrame) -> None:
    # X1 received pA, pB; X2 pA, pC (case basis); S1 catalogue {pA, pC} although it got pB
    check(q1, "X1", "proc_full_online_rate", 1, 2)
    check(q1, "X1", "proc_one_stop_rate", 2, 2)
    check(q1, "X2", "proc_one_stop_rate", 1, 2)
    check(q1, "X1", "proc_four_on_spot_rate", 1, 2)
    check(q1, "X2", "proc_sample_dossier_rate", 2, 2)
    check(q1, "X1", "proc_e_process_rate", 2, 2)
    check(q1, "X2", "proc_fee_online_payment_rate", 1, 2)
    check(q1, "S1", "proc_full_online_rate", 1, 2)
    check(q1, "S1", "proc_fee_online_payment_rate", 1, 2)
    # tree: distinct procedures {pA, pB, pC} = 3, not 2 + 2 = 4
    check(q1, "H1", "proc_full_online_rate", 1, 3, scope="tree")
    check(q1, "H1", "proc_one_stop_rate", 2, 3, scope="tree")
    check(q1, "P", "proc_sample_dossier_rate", 2, 3, scope="tree")
    check(q1, "H1", "proc_fee_online_payment_rate", 1, 2, scope="tree")
    # Q2: X1 received nothing → no procedures on the case basis; S1 keeps its catalogue
    check(q1, "X1", "proc_one_stop_rate", 0, 0, period="2025Q2")
    check(q1, "S1", "proc_one_stop_rate", 1, 2, period="2025Q2")
    basis = procedure_basis(con)
    got = {(u, s): b for u, s, b in basis.itertuples(index=False)}
    assert got[("S1", "own")] == "catalogue"
    assert got[("X1", "own")] == "cases"
    assert got[("H1", "tree")] == "cases"
    assert got[("P", "tree")] == "mixed"


def test_field_restriction(con: duckdb.DuckDBPyConnection) -> None:
    df = compute_indicators(con, ["2025Q1"], fields=["dat_dai"])
    # X1 pA cases: c1 (on time), c2 (early), c5 (pending), c8 (withdrawn), c9 (carried, early)
    check(df, "X1", "received", 4, None)
    check(df, "X1", "carried_over", 1, None)
    check(df, "X1", "on_time_rate", 3, 3)
    check(df, "X1", "residual", 1, None)
    check(df, "X1", "proc_one_stop_rate", 1, 1)
    # form06 (F1) and feedback carry no field: excluded
    check(df, "F1", "received", 0, None)
    check(df, "X1", "feedback_on_time_rate", 0, 0)
    # H1 = X1 3/3 + X2 d1 0/1
    check(df, "H1", "on_time_rate", 3, 4, scope="tree")
    both = compute_indicators(con, ["2025Q1"], fields=["dat_dai", "xay_dung"],
                              units=["X2"], indicators=["resolved"])
    check(both, "X2", "resolved", 2, None)


def test_variants(con: duckdb.DuckDBPyConnection) -> None:
    df = compute_indicators(con, ["2025Q1"], units=["X1", "F1"], variants={
        "on_time_rate": "processed", "online_rate": "received_and_carried_over",
        "late_rate": "processed", "early_rate": "processed"})
    check(df, "X1", "on_time_rate", 5, 8)   # (2 + 1 + pending in time 2) / (5 + 3)
    check(df, "X1", "early_rate", 2, 8)
    check(df, "X1", "late_rate", 3, 8)      # late 2 + pending overdue 1
    check(df, "X1", "online_rate", 3, 9)    # online / (received 8 + carried 1)
    check(df, "F1", "on_time_rate", 9, 12)  # form06: (5 + 3 + 1) / (10 + 2)
    rec = compute_indicators(con, ["2025Q1"], units=["X1"], indicators=["on_time_rate"],
                             variants={"on_time_rate": "received"})
    # received c1..c8 judged at 31/03: c1 c2 c5 c7 c8 on time; c3 c4 late; c6 overdue
    check(rec, "X1", "on_time_rate", 5, 8)
    r766 = compute_indicators(con, ["2025Q1"], units=["X1"], indicators=["on_time_rate"],
                              variants={"on_time_rate": "received_766"})
    check(r766, "X1", "on_time_rate", 4, 8)  # c2 had 2 supplement requests → late
    with pytest.raises(IndicatorError, match="no denominator variant 'bogus'"):
        compute_indicators(con, ["2025Q1"], variants={"on_time_rate": "bogus"})
    with pytest.raises(IndicatorError, match="unknown indicator"):
        compute_indicators(con, ["2025Q1"], indicators=["nope"])


def test_yoy(con: duckdb.DuckDBPyConnection) -> None:
    df = compute_indicators(con, ["2025Q1"], indicators=["received_yoy", "resolved_yoy"])
    assert set(df.period) == {"2025Q1"}       # the year-earlier period is not returned
    check(df, "X1", "received_yoy", 8, 2)     # 2024Q1: e1, e2
    check(df, "X1", "resolved_yoy", 5, 2)
    check(df, "X2", "received_yoy", 2, 0)     # nothing a year earlier → NULL
    check(df, "H1", "received_yoy", 20, 2, scope="tree")


def test_overdue_work_counts_pending_overdue_cases(con: duckdb.DuckDBPyConnection) -> None:
    df = compute_indicators(con, ["2025Q1", "2025Q2"], units=["X1", "F1"],
                            indicators=["late_work", "apology_rate"],
                            variants={"apology_rate": "resolved_late_or_overdue"})
    # Q1: resolved late c3, c4 + pending overdue at 31/03 c6 = 3; apology only on c3
    check(df, "X1", "late_work", 3, None)
    check(df, "X1", "apology_rate", 1, 3)
    # Q2: nothing resolved late; c5 (due 31/03) and c6 pending and overdue at 30/06
    check(df, "X1", "late_work", 2, None, period="2025Q2")
    check(df, "X1", "apology_rate", 0, 2, period="2025Q2")
    # F1 (form06 only): late 2 + overdue 1; apologies come from case data only: 0/0
    check(df, "F1", "late_work", 3, None)
    check(df, "F1", "apology_rate", 0, 0)
    resolved_only = compute_indicators(con, ["2025Q1"], units=["X1"], indicators=["late_work"],
                                       variants={"late_work": "resolved_late"})
    check(resolved_only, "X1", "late_work", 2, None)


def test_feedback_left_unanswered_counts_against_on_time(
        con: duckdb.DuckDBPyConnection) -> None:
    both = compute_indicators(con, ["2025Q1", "2025Q2"], units=["X1"],
                              indicators=["feedback_on_time_rate"],
                              variants={"feedback_on_time_rate": "handled_or_overdue"})
    # Q1: fb1, fb3 on time of fb1..fb3 handled; fb4, fb5 open at 31/03 but not yet due
    check(both, "X1", "feedback_on_time_rate", 2, 3)
    # Q2: fb4 handled on time; fb5 still open at 30/06, due 10/04: counts against → 1/2
    check(both, "X1", "feedback_on_time_rate", 1, 2, period="2025Q2")
    default = compute_indicators(con, ["2025Q2"], units=["X1"],
                                 indicators=["feedback_on_time_rate"])
    check(default, "X1", "feedback_on_time_rate", 1, 1, period="2025Q2")


def test_late_rate_against_the_same_period_a_year_earlier() -> None:
    c = duckdb.connect()
    store.create_schema(c)
    c.execute("INSERT INTO units (unit_id, name, level, parent_id) VALUES "
              "('H', 'Huyện', 'district', NULL)")
    c.executemany(f"INSERT INTO procedures (procedure_id, name, field, online_service, has_fee, payment_integrated, at_one_stop, four_on_spot, has_sample_dossier, e_process_configured) VALUES ({', '.join('?' * 10)})", PROCS[:1])
    cases = []
    # 2024Q1: 4 resolved, 2 late (1/2); 2025Q1: 5 resolved, 1 late (1/5) → (1/5)/(1/2) = 0.4
    for year, n, late in ((2024, 4, 2), (2025, 5, 1)):
        for i in range(n):
            resolved = "02-20" if i < late else "02-05"
            cases.append((f"{year}-{i}", "H", "pA", f"{year}-02-01 09:00", f"{year}-02-10 17:00",
                          f"{year}-{resolved} 10:00", "resolved", "direct", 0, N, N, N, N, N, N,
                          N))
    c.executemany(f"INSERT INTO cases ({COLS}) VALUES ({', '.join('?' * 16)})", cases)
    df = compute_indicators(c, ["2025Q1", "2024Q1"], indicators=["late_rate_yoy"])
    r = row(df, "H", "late_rate_yoy")
    assert r.value == pytest.approx(0.4) and pd.isna(r.numerator) and pd.isna(r.denominator)
    assert pd.isna(row(df, "H", "late_rate_yoy", period="2024Q1").value)  # nothing in 2023
    c.close()


def test_pools_sum_members_and_count_procedures_once(con: duckdb.DuckDBPyConnection) -> None:
    df = compute_indicators(con, ["2025Q1"], indicators=["on_time_rate", "proc_one_stop_rate"],
                            units=["X1"], pools={"level:commune:H1": ["X1", "X2"]})
    # X1 3/5 + X2 1/2 = 4/7; procedures X1 {pA, pB} ∪ X2 {pA, pC}: pA, pB one-stop of 3
    check(df, "level:commune:H1", "on_time_rate", 4, 7, scope="level")
    check(df, "level:commune:H1", "proc_one_stop_rate", 2, 3, scope="level")
    assert set(df.unit_id) == {"X1", "level:commune:H1"}
    with pytest.raises(IndicatorError, match="pool key 'H1' is a unit id"):
        compute_indicators(con, ["2025Q1"], pools={"H1": ["X1"]})


def test_windows_of_dates_come_from_case_data(con: duckdb.DuckDBPyConnection) -> None:
    from datetime import date

    from scorecard.periods import Window

    jan_feb = Window(date(2025, 1, 1), date(2025, 2, 28))
    df = compute_indicators(con, [jan_feb], units=["X1", "F1"], indicators=["received"])
    assert set(df.period) == {"2025-01-01..2025-02-28"}
    check(df, "X1", "received", 5, None, period=jan_feb.id)   # c1 c2 c3 c4 c8
    check(df, "F1", "received", 0, None, period=jan_feb.id)   # a form06 row cannot be cut


def test_scopes_units_and_indicator_selection(con: duckdb.DuckDBPyConnection) -> None:
    df = compute_indicators(con, "2025Q1", units=["H1"], indicators=["received", "on_time_rate"],
                            scopes=("tree",))
    assert list(zip(df.scope, df.indicator, strict=True)) == [("tree", "received"),
                                                              ("tree", "on_time_rate")]
    with pytest.raises(IndicatorError, match="scope"):
        compute_indicators(con, "2025Q1", scopes=("subtree",))


def test_level_totals(con: duckdb.DuckDBPyConnection, q1: pd.DataFrame) -> None:
    units = load_units(con)
    lt = level_totals(q1, units, "commune")
    r = lt[(lt.indicator == "on_time_rate") & (lt.period == "2025Q1")].iloc[0]
    assert (int(r.numerator), int(r.denominator)) == (12, 17)  # X1 + X2 + F1 own
    assert r.value == pytest.approx(12 / 17)
    rec = lt[(lt.indicator == "received") & (lt.period == "2025Q1")].iloc[0]
    assert (int(rec.numerator), rec.value) == (20, 20.0)
    dist = level_totals(q1, units, "district")
    r = dist[(dist.indicator == "on_time_rate") & (dist.period == "2025Q1")].iloc[0]
    assert int(r.denominator) == 0 and pd.isna(r.value)


def test_docs_page_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == render_markdown()


# ------------------------------------------------------------------ CLI
@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    path = tmp_path / "s.duckdb"
    c = duckdb.connect(str(path))
    build(c)
    c.close()
    return path


def test_cli_unit_own_and_tree(store_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["indicators", "--period", "2025Q1", "--unit", "H1", "--db", str(store_file),
               "--format", "csv"])
    assert rc == 0
    out = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert set(out.scope) == {"own", "tree"} and set(out.unit_id) == {"H1"}
    r = out[(out.scope == "tree") & (out.indicator == "on_time_rate")].iloc[0]
    assert (r.numerator, r.denominator) == (12, 17)


def test_cli_field_and_variant(store_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["indicators", "--period", "2025Q1", "--unit", "X1", "--field", "dat_dai",
               "--variant", "on_time_rate=processed", "--db", str(store_file),
               "--format", "json"])
    assert rc == 0
    out = pd.read_json(__import__("io").StringIO(capsys.readouterr().out))
    r = out[out.indicator == "on_time_rate"].iloc[0]
    assert (r.numerator, r.denominator) == (4, 4)  # (2 + 1 + c5 in time) / (3 + 1)


@pytest.mark.parametrize("args, message", [
    (["--period", "2025Q9"], "unknown period"),
    (["--period", "2025Q1", "--unit", "ZZ"], "unknown unit 'ZZ'"),
    (["--period", "2025Q1", "--variant", "on_time_rate=bogus"], "no denominator variant"),
    (["--period", "2025Q1", "--calendar", "lunar"], "invalid choice"),
])
def test_cli_errors(store_file: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                    message: str) -> None:
    try:
        rc = main(["indicators", *args, "--db", str(store_file)])
    except SystemExit as exc:  # argparse choices
        rc = exc.code
    assert rc != 0
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_empty_fields_means_all(con: duckdb.DuckDBPyConnection, q1: pd.DataFrame) -> None:
    df = compute_indicators(con, ["2025Q1"], fields=[], units=["X1"], indicators=["received"])
    check(df, "X1", "received", 8, None)
    one = compute_indicators(con, ["2025Q1"], fields="ho_tich", units=["X1"],
                             indicators=["received"])
    check(one, "X1", "received", 4, None)  # pB: c3, c4, c6, c7


def test_distinct_procedures_over_many_words() -> None:
    """Procedure sets wider than one 64-bit word: own and tree counts equal Python set sizes.

    P ─ A, B (no unit_procedures: the procedures they received cases for in the quarter) and C
    (unit_procedures rows). 200 procedures p000..p199, full online when the number is even,
    fee-bearing when divisible by 3; A receives p000..p099 in 2025Q1, B p050..p149 in 2025Q1 and
    p190 in 2025Q2; C lists p140..p199.
    """
    c = duckdb.connect()
    store.create_schema(c)
    c.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)",
                  [("P", "Tỉnh", "province", None), ("A", "Xã A", "commune", "P"),
                   ("B", "Xã B", "commune", "P"), ("C", "Sở C", "department", "P")])
    c.executemany(f"INSERT INTO procedures (procedure_id, name, field, online_service, has_fee, payment_integrated, at_one_stop, four_on_spot, has_sample_dossier, e_process_configured) VALUES ({', '.join('?' * 10)})", [
        (f"p{i:03d}", f"T{i}", "ho_tich", "full" if i % 2 == 0 else "none", i % 3 == 0,
         i % 3 == 0 and i % 2 == 0, True, False, False, False) for i in range(200)])
    c.executemany("INSERT INTO unit_procedures VALUES (?, ?)",
                  [("C", f"p{i:03d}") for i in range(140, 200)])
    cases = [(f"a{i}", "A", f"p{i:03d}", "2025-02-03 08:00") for i in range(100)]
    cases += [(f"b{i}", "B", f"p{i:03d}", "2025-03-31 23:00") for i in range(50, 150)]
    cases += [("b190", "B", "p190", "2025-04-01 00:10")]
    c.executemany("INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at, "
                  "status, channel) VALUES (?, ?, ?, ?, ?, 'pending', 'direct')",
                  [(*x, x[3]) for x in cases])
    df = compute_indicators(c, ["2025Q1", "2025Q2"],
                            indicators=["proc_full_online_rate", "proc_fee_online_payment_rate"])

    def expect(procs: set[int]) -> tuple[int, int, int, int]:
        fee = {i for i in procs if i % 3 == 0}
        return (len({i for i in procs if i % 2 == 0}), len(procs),
                len({i for i in fee if i % 2 == 0}), len(fee))

    sets = {("A", "2025Q1"): set(range(100)), ("A", "2025Q2"): set(),
            ("B", "2025Q1"): set(range(50, 150)), ("B", "2025Q2"): {190},
            ("C", "2025Q1"): set(range(140, 200)), ("C", "2025Q2"): set(range(140, 200))}
    for q in ("2025Q1", "2025Q2"):
        sets[("P", q)] = sets[("A", q)] | sets[("B", q)] | sets[("C", q)]
    for (unit, q), procs in sets.items():
        scope = "tree" if unit == "P" else "own"
        a = row(df, unit, "proc_full_online_rate", scope, q)
        b = row(df, unit, "proc_fee_online_payment_rate", scope, q)
        got = (a.numerator, a.denominator, b.numerator, b.denominator)
        assert tuple(int(x) for x in got) == expect(procs), (unit, q)
    assert int(row(df, "P", "proc_full_online_rate", "tree", "2025Q1").denominator) == 200
