"""The national service index (QĐ 766) on a hand-made store; every expected value is worked by hand
in the comments (period 2024Q1 = 01/01/2024 .. 31/03/2024, calendar)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scorecard import index766 as ix
from scorecard.store import create_schema

# Tree: P (province) -> D1 (department), H (district) -> C1, C2, C3 (communes)
UNITS = [
    ("P", "Tỉnh P", "province", None),
    ("D1", "Sở D1", "department", "P"),
    ("H", "Huyện H", "district", "P"),
    ("C1", "Xã C1", "commune", "H"),
    ("C2", "Xã C2", "commune", "H"),
    ("C3", "Xã C3", "commune", "H"),
]
# procedure_id, online_service, has_fee, payment_integrated
PROCS = [
    ("P1", "full", True, True),
    ("P2", "partial", True, False),
    ("P3", "none", False, False),
    ("P4", "full", False, False),
    ("P5", "none", True, False),
]
UNIT_PROCS = [("C1", "P1"), ("C1", "P2"), ("C1", "P3"), ("C2", "P1"), ("C2", "P4")]
# D1 lists no competence -> falls back to the procedures it received cases for (P5, P3).
# C3 has neither competence nor cases.

# id, unit, proc, received, due, resolved, status, channel, supp, dig, eres, reuse, fee, paid, rating
CASES = [
    # C1: a..j received in Q1; k received in the previous quarter (excluded)
    ("a", "C1", "P1", "2024-01-10", "2024-01-20", "2024-01-19", "resolved", "online", 0,
     True, True, True, True, True, "dissatisfied"),  # early; dissatisfied
    ("b", "C1", "P1", "2024-01-10", "2024-01-20", "2024-01-20", "resolved", "online", 0,
     True, True, False, True, False, "satisfied"),  # on the due date
    ("c", "C1", "P2", "2024-01-10", "2024-01-20", "2024-01-21", "resolved", "direct", 0,
     True, False, False, True, False, "dissatisfied"),  # late AND dissatisfied: counted once
    ("d", "C1", "P2", "2024-03-01", "2024-04-10", None, "pending", "direct", 0,
     False, None, None, True, False, None),  # pending, not yet due at 31/03 -> on time
    ("e", "C1", "P3", "2024-03-01", "2024-03-20", None, "pending", "direct", 0,
     False, None, None, False, None, None),  # pending, overdue at 31/03 -> late
    ("f", "C1", "P3", "2024-03-01", "2024-03-20", "2024-04-05", "resolved", "direct", 0,
     True, True, None, False, None, None),  # finished after the period: unfinished, overdue -> late
    ("g", "C1", "P3", "2024-03-01", "2024-04-10", "2024-04-15", "resolved", "postal", 0,
     None, None, None, False, None, None),  # finished late but after the period: on time at 31/03
    ("h", "C1", "P3", "2024-02-01", "2024-02-10", "2024-02-05", "withdrawn", "direct", 0,
     None, None, None, False, None, None),  # withdrawn before due -> on time
    ("i", "C1", "P1", "2024-02-01", "2024-02-28", "2024-02-10", "resolved", "online", 2,
     True, True, True, True, True, None),  # early but 2 supplement requests -> late
    ("j", "C1", "P3", "2024-02-01", "2024-02-28", "2024-02-10", "resolved", "direct", 1,
     True, False, False, False, False, None),  # 1 supplement request: still on time
    ("k", "C1", "P1", "2023-12-20", "2024-01-05", "2024-01-04", "resolved", "online", 0,
     True, True, True, True, True, None),  # received in 2023Q4: not in 2024Q1's index
    # C2
    ("m", "C2", "P4", "2024-01-05", "2024-01-10", "2024-01-08", "resolved", "online", 0,
     True, True, False, False, None, "satisfied"),
    # D1
    ("n", "D1", "P5", "2024-02-01", "2024-02-15", "2024-02-14", "resolved", "direct", 0,
     True, True, False, True, False, None),
    ("o", "D1", "P3", "2024-02-01", "2024-02-15", "2024-02-16", "resolved", "direct", 0,
     True, True, False, False, None, None),
]
# id, unit, received, due, resolved, satisfied
FEEDBACK = [
    ("f1", "C1", "2024-01-05", "2024-01-15", "2024-01-14", True),   # on time, satisfied
    ("f2", "C1", "2024-01-05", "2024-01-15", "2024-01-20", False),  # late, dissatisfied
    ("f3", "C1", "2024-03-25", "2024-04-05", None, None),           # pending, not yet due
    ("f4", "C1", "2024-03-01", "2024-03-10", None, None),           # pending, overdue
]


def _fill(con: duckdb.DuckDBPyConnection) -> None:
    create_schema(con)
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)", UNITS)
    con.executemany(
        "INSERT INTO procedures (procedure_id, name, field, online_service, has_fee, payment_integrated, at_one_stop, four_on_spot, has_sample_dossier, e_process_configured) VALUES (?, 'TT ' || ?, 'ho_tich', ?, ?, ?, TRUE, FALSE, FALSE, TRUE)",
        [(p, p, o, f, i) for p, o, f, i in PROCS])
    con.executemany("INSERT INTO unit_procedures VALUES (?, ?)", UNIT_PROCS)
    con.executemany(
        "INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at, resolved_at, status, channel, supplement_requests, digitized, e_result, reused_data, fee_required, paid_online, apology_issued, rating) VALUES (?, ?, ?, CAST(? AS TIMESTAMP) + INTERVAL 9 HOUR, "
        "CAST(? AS TIMESTAMP) + INTERVAL 17 HOUR, CAST(? AS TIMESTAMP) + INTERVAL 10 HOUR, "
        "?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)", CASES)
    con.executemany(
        "INSERT INTO feedback VALUES (?, ?, CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), "
        "CAST(? AS TIMESTAMP), ?)", FEEDBACK)
    con.executemany("INSERT INTO manual VALUES (?, ?, ?, ?, 'test')", [
        ("C1", "2024Q1", "announced_on_time", 0.5),
        # C3: four transparency rates whose points round up one by one:
        # 6*0.0015=0.009->0.01, 4*0.00125=0.005->0.01, 2*0.0025=0.005->0.01, 6*0.0005=0.003->0.00
        ("C3", "2024Q1", "announced_on_time", 0.0015),
        ("C3", "2024Q1", "published_on_time", 0.00125),
        ("C3", "2024Q1", "published_complete", 0.0025),
        ("C3", "2024Q1", "synced_national", 0.0005),
    ])


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("idx") / "store.duckdb"
    con = duckdb.connect(str(path))
    _fill(con)
    con.close()
    return path


@pytest.fixture(scope="module")
def result(db: Path) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return ix.compute_index766(con, "2024Q1")
    finally:
        con.close()


def row(df: pd.DataFrame, unit: str, metric: str, scope: str = "own") -> pd.Series:
    sel = df[(df["unit_id"] == unit) & (df["scope"] == scope) & (df["metric"] == metric)]
    assert len(sel) == 1, (unit, metric, scope)
    return sel.iloc[0]


def group(df: pd.DataFrame, unit: str, gid: str, scope: str = "own") -> pd.Series:
    sel = df[(df["unit_id"] == unit) & (df["scope"] == scope) & (df["group"] == gid)
             & (df["metric"] == ix.GROUP_ROW)]
    assert len(sel) == 1
    return sel.iloc[0]


def total(df: pd.DataFrame, unit: str, scope: str = "own") -> pd.Series:
    sel = df[(df["unit_id"] == unit) & (df["scope"] == scope) & (df["group"] == ix.TOTAL)]
    assert len(sel) == 1
    return sel.iloc[0]


# ---------------------------------------------------------------- pure scoring
@pytest.mark.parametrize(("rate", "mx", "target", "expected"), [
    (0.8, 2, 0.8, 2.0),      # min(2, 2R/0.8): exactly at the target
    (0.4, 2, 0.8, 1.0),
    (1.0, 2, 0.8, 2.0),      # capped
    (0.7, 2, 0.8, 1.75),
    (0.25, 6, 0.5, 3.0),     # min(6, 6R/0.5)
    (0.6, 6, 0.5, 6.0),      # capped
    (0.6, 6, 0.9, 4.0),      # min(6, 6R/0.9)
    (0.95, 6, 0.9, 6.0),     # capped
    (0.9, 20, None, 18.0),   # linear 20R
    (2 / 3, 20, None, 13.33),
    (0.0, 6, 0.9, 0.0),
])
def test_metric_points_caps(rate: float, mx: float, target: float | None,
                            expected: float) -> None:
    assert ix.metric_points(rate, mx, target) == expected


def test_round_points_half_up() -> None:
    assert ix.round_points(1.005) == 1.01  # binary 1.00499.. would round down with round()
    assert ix.round_points(1.875) == 1.88
    assert ix.round_points(0.125) == 0.13  # banker's rounding would give 0.12
    assert ix.round_points(2.004) == 2.0


def test_score_metric_zero_denominator_rules() -> None:
    prof = ix.load_profile("portal-2024")
    by_id = {m.id: m for m in prof.metrics}
    assert ix.score_metric(by_id["progress_on_time"], 0, 0) == (None, 0.0, "no_denominator")
    assert ix.score_metric(by_id["pakn_on_time"], 0, 0) == (None, 6.0, "no_denominator")
    assert ix.score_metric(by_id["pakn_satisfaction"], 0, 0) == (None, 6.0, "no_denominator")
    assert ix.score_metric(by_id["case_satisfaction"], 0, 0) == (None, 0.0, "no_denominator")
    assert ix.score_metric(by_id["synced_national"], None, None) == (None, None, "no_data")
    assert ix.score_metric(by_id["synced_national"], None, None, 0.5) == (0.5, 3.0, "manual")


# ---------------------------------------------------------------- profiles
def test_profiles_load_and_differ_in_grouping() -> None:
    new, old = ix.load_profile("portal-2024"), ix.load_profile("qd766-2022")
    assert [g.max_points for g in new.groups] == [18, 20, 12, 10, 18, 22]
    assert [g.max_points for g in old.groups] == [18, 20, 22, 18, 22]
    assert {m.id for m in new.metrics} == {m.id for m in old.metrics}
    assert new.supplement_rule and old.supplement_rule
    assert new.band(90.0).label == "Xuất sắc" and new.band(90.0).confirmed
    assert new.band(89.99).label == "Tốt" and not new.band(89.99).confirmed
    assert new.band(49.99).label == "Yếu"
    assert new.band(50.0).label != "Yếu"


def test_unknown_profile_and_bad_profile(tmp_path: Path) -> None:
    with pytest.raises(ix.ProfileError, match="unknown index profile 'nope'.*portal-2024"):
        ix.load_profile("nope")
    text = (ix.INDEX766_DIR / "portal-2024.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("max_points: 20\n", "max_points: 21\n", 1), encoding="utf-8")
    with pytest.raises(ix.ProfileError, match="group progress: metrics sum to 21"):
        ix.load_profile(bad)


# ---------------------------------------------------------------- case metrics
def test_progress_judged_at_period_end_with_supplement_rule(result: pd.DataFrame) -> None:
    r = row(result, "C1", "progress_on_time")
    # received a..j = 10; on time a, b, d, g, h, j = 6 (c late, e/f overdue at 31/03, i has 2
    # supplement requests) -> 20 * 0.6 = 12
    assert (r.numerator, r.denominator, r.rate, r.points, r.max_points) == (6, 10, 0.6, 12.0, 20)


def test_supplement_rule_switch(db: Path, tmp_path: Path) -> None:
    text = (ix.INDEX766_DIR / "portal-2024.yaml").read_text(encoding="utf-8")
    off = tmp_path / "nosupp.yaml"
    off.write_text(text.replace("supplement_rule:\n  enabled: true",
                                "supplement_rule:\n  enabled: false"), encoding="utf-8")
    con = duckdb.connect(str(db), read_only=True)
    df = ix.compute_index766(con, "2024Q1", off, units=["C1"])
    con.close()
    # i is now on time: 7/10 -> 14; satisfied b,d,g,h,i,j = 6/10 -> min(6, 6*0.6/0.9) = 4
    assert row(df, "C1", "progress_on_time").points == 14.0
    assert row(df, "C1", "case_satisfaction").points == 4.0


def test_case_satisfaction_counts_each_case_once(result: pd.DataFrame) -> None:
    r = row(result, "C1", "case_satisfaction")
    # late c,e,f,i + dissatisfied a (c already late) = 5 -> 1 - 5/10 = 0.5 -> 6*0.5/0.9 = 3.33
    assert (r.numerator, r.denominator, r.points) == (5, 10, 3.33)


def test_other_case_metrics(result: pd.DataFrame) -> None:
    def got(m: str) -> tuple:
        r = row(result, "C1", m)
        return (r.numerator, r.denominator, r.points)

    assert got("online_share") == (3, 10, 3.6)         # a,b,i; min(6, 6*0.3/0.5)
    assert got("cases_paid_online") == (2, 5, 2.4)     # fee a,b,c,d,i; paid a,i; 6*0.4
    assert got("e_result") == (3, 5, 3.6)              # resolved by 31/03 a,b,c,i,j; e a,b,i
    assert got("digitized") == (6, 10, 2.4)            # a,b,c,f,i,j; 4*0.6
    assert got("data_reuse") == (2, 10, 0.5)           # a,i; min(2, 2*0.2/0.8)


def test_feedback_metrics(result: pd.DataFrame) -> None:
    on_time, sat = row(result, "C1", "pakn_on_time"), row(result, "C1", "pakn_satisfaction")
    assert (on_time.numerator, on_time.denominator, on_time.points) == (2, 4, 3.0)  # f1, f3
    assert (sat.numerator, sat.denominator, sat.points) == (1, 2, 3.0)  # rated f1, f2


# ---------------------------------------------------------------- procedure metrics
def test_procedure_metrics_own(result: pd.DataFrame) -> None:
    def got(m: str) -> tuple:
        r = row(result, "C1", m)
        return (r.numerator, r.denominator, r.points, r.basis)

    # competence P1, P2, P3; online P1, P2 -> min(2, 2*(2/3)/0.8) = 1.67
    assert got("proc_online_offered") == (2, 3, 1.67, "competence")
    assert got("proc_online_with_cases") == (1, 2, 2.0, "competence")   # only P1 had online cases
    assert got("proc_fee_online_payment") == (1, 2, 1.25, "competence")  # P1 paid; 2*0.5/0.8
    assert got("proc_fee_integrated") == (1, 2, 1.25, "competence")


def test_procedures_fall_back_to_cases_basis(result: pd.DataFrame) -> None:
    r = row(result, "D1", "proc_online_offered")
    assert (r.numerator, r.denominator, r.basis) == (0, 2, "cases")  # P5, P3 from its cases
    r = row(result, "D1", "proc_fee_integrated")
    assert (r.numerator, r.denominator, r.points) == (0, 1, 0.0)


def test_parent_counts_distinct_procedures_and_sums_cases(result: pd.DataFrame) -> None:
    r = row(result, "H", "proc_online_offered", "tree")
    # C1 {P1,P2,P3} ∪ C2 {P1,P4} = 4 distinct (not 5); online P1,P2,P4 -> 2*0.75/0.8 = 1.875
    assert (r.numerator, r.denominator, r.points) == (3, 4, 1.88)
    r = row(result, "H", "proc_online_with_cases", "tree")
    assert (r.numerator, r.denominator, r.points) == (2, 3, 2.67)  # P1 (C1), P4 (C2)
    r = row(result, "P", "proc_online_offered", "tree")
    assert (r.denominator, r.basis) == (5, "cases+competence")
    # case counts of a parent are the sums of its children's
    assert row(result, "H", "progress_on_time", "tree").denominator == 11
    assert row(result, "H", "progress_on_time", "tree").numerator == 7
    assert row(result, "P", "progress_on_time", "tree").denominator == 13
    assert row(result, "H", "progress_on_time", "own").denominator == 0


# ---------------------------------------------------------------- zero denominators, manual
def test_unit_without_any_data(result: pd.DataFrame) -> None:
    for m in ("progress_on_time", "online_share", "case_satisfaction", "proc_online_offered",
              "cases_paid_online", "e_result"):
        r = row(result, "C3", m)
        assert (r.points, r.status) == (0.0, "no_denominator"), m
        assert pd.isna(r.rate)
    assert row(result, "C3", "pakn_on_time").points == 6.0
    assert row(result, "C3", "pakn_satisfaction").points == 6.0
    assert row(result, "C3", "proc_online_offered").basis == "none"


def test_rounding_before_summing(result: pd.DataFrame) -> None:
    # C3 transparency: 0.01 + 0.01 + 0.01 + 0.00 = 0.03 (raw sum 0.022 would give 0.02)
    assert group(result, "C3", "transparency").points == 0.03
    # total: 0.03 + PAKN 6 + 6 = 12.03; manual digitization metrics missing: 10 out of reach
    t = total(result, "C3")
    assert (t.points, t.no_data_points) == (12.03, 10.0)


def test_manual_metrics_and_no_data(result: pd.DataFrame) -> None:
    r = row(result, "C1", "announced_on_time")
    assert (r.rate, r.points, r.status) == (0.5, 3.0, "manual")
    r = row(result, "C1", "synced_national")
    assert pd.isna(r.points) and r.status == "no_data"
    assert group(result, "C1", "transparency").no_data_points == 12.0


def test_manual_indicator_alias(db: Path, tmp_path: Path) -> None:
    text = (ix.INDEX766_DIR / "portal-2024.yaml").read_text(encoding="utf-8")
    old = "max_points: 6, source: manual}\n"
    assert text.count(old) == 2  # announced_on_time and synced_national
    alias = tmp_path / "alias.yaml"
    alias.write_text(text.replace(old, "max_points: 6, source: manual, "
                                       "manual_indicator: published_on_time}\n", 1),
                     encoding="utf-8")
    con = duckdb.connect(str(db), read_only=True)
    df = ix.compute_index766(con, "2024Q1", alias, units=["C3"])
    con.close()
    # announced_on_time now reads C3's published_on_time row (0.00125): 6 * 0.00125 = 0.0075
    r = row(df, "C3", "announced_on_time")
    assert (r.rate, r.points) == (0.00125, 0.01)


def test_invalid_manual_value_is_an_error(tmp_path: Path) -> None:
    con = duckdb.connect()
    _fill(con)
    con.execute("INSERT INTO manual VALUES ('C2', '2024Q1', 'synced_national', 95, 'x')")
    with pytest.raises(ix.Index766Error, match="95.0 for unit C2.*synced_national"):
        ix.compute_index766(con, "2024Q1")


# ---------------------------------------------------------------- totals, profiles, ranking
def test_total_of_c1_both_profiles(db: Path, result: pd.DataFrame) -> None:
    # transparency 3 + progress 12 + online 1.67+2+3.6 + payment 2.4+1.25+1.25
    # + satisfaction 3+3+3.33 + digitization 3.6+2.4+0.5 = 43.00; 28-6 = 22 points out of reach
    assert group(result, "C1", "online_services").points == 7.27
    assert group(result, "C1", "online_payment").points == 4.9
    assert group(result, "C1", "satisfaction").points == 9.33
    assert group(result, "C1", "digitization").points == 6.5
    t = total(result, "C1")
    assert (t.points, t.max_points, t.no_data_points) == (43.0, 100.0, 22.0)
    con = duckdb.connect(str(db), read_only=True)
    old = ix.compute_index766(con, "2024Q1", "qd766-2022", units=["C1"])
    con.close()
    assert group(old, "C1", "online_services").points == 12.17  # 7.27 + 4.90
    assert group(old, "C1", "online_services").max_points == 22
    assert not (old["group"] == "online_payment").any()
    assert total(old, "C1").points == 43.0


def test_columns_and_row_counts(result: pd.DataFrame) -> None:
    assert list(result.columns[:10]) == ix.COLUMNS
    per_unit_scope = 21 + 6 + 1  # metrics (4+1+3+3+3+7) + groups + total
    assert len(result) == len(UNITS) * 2 * per_unit_scope
    assert set(result["period"]) == {"2024Q1"}


def test_unknown_unit(db: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    with pytest.raises(ix.Index766Error, match="unknown unit.*ZZ"):
        ix.compute_index766(con, "2024Q1", units=["ZZ"])
    con.close()


def test_summary_bands_and_ranks() -> None:
    units = pd.DataFrame(UNITS, columns=["unit_id", "name", "level", "parent_id"])
    rows = []
    for unit, own, tree in [("C1", 90.0, 90.0), ("C2", 89.99, 89.99), ("C3", 90.0, 90.0),
                            ("H", 10.0, 70.0), ("D1", 49.99, 49.99), ("P", 0.0, 75.0)]:
        for scope, pts in (("own", own), ("tree", tree)):
            rows.append({"unit_id": unit, "scope": scope, "period": "2024Q1",
                         "group": ix.TOTAL, "metric": ix.TOTAL, "points": pts,
                         "max_points": 100.0, "no_data_points": 0.0})
    s = ix.summarize_index766(pd.DataFrame(rows), units).set_index("unit_id")
    assert s.loc["C1", "band"] == "Xuất sắc" and bool(s.loc["C1", "band_confirmed"])
    assert s.loc["C2", "band"] == "Tốt"
    assert s.loc["D1", "band"] == "Yếu"
    assert list(s.loc[["C1", "C3", "C2"], "rank"]) == [1, 1, 3]  # ties share the better rank
    assert s.loc["C1", "units_ranked"] == 3
    assert (s.loc["H", "scope"], s.loc["H", "points"]) == ("tree", 70.0)  # parents by tree
    assert (s.loc["P", "scope"], s.loc["P", "points"]) == ("tree", 75.0)


def test_points_lost(result: pd.DataFrame) -> None:
    lost = ix.points_lost(result, unit_id="C1", scope="own")
    assert len(lost) == 21
    first = lost.iloc[0]
    assert (first.metric, first.lost) == ("progress_on_time", 8.0)  # 20 - 12, the biggest loss
    assert lost.set_index("metric").loc["synced_national", "lost"] == 6.0  # no data: all of it
    assert lost["lost"].sum() == pytest.approx(100 - 43.0)


# ---------------------------------------------------------------- CLI
def test_cli_csv(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scorecard.cli import main

    assert main(["index766", "--period", "2024Q1", "--unit", "C1", "--db", str(db),
                 "--format", "csv"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split(",")[:10] == ix.COLUMNS
    assert len(lines) == 1 + 2 * 28
    assert "C1,own,2024Q1,progress,progress_on_time,6,10,0.6,12.0,20.0" in out
    assert "C1,own,2024Q1,__total__,__total__,,,,43.0,100.0" in out


@pytest.mark.parametrize(("args", "reason"), [
    (["--period", "2024Q5"], "unknown period '2024Q5'"),
    (["--period", "2024Q1", "--unit", "ZZ"], "unknown unit(s): ZZ"),
    (["--period", "2024Q1", "--profile", "nope"], "unknown index profile 'nope'"),
])
def test_cli_user_errors(db: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                         reason: str) -> None:
    from scorecard.cli import main

    assert main(["index766", *args, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert reason in err and len(err.strip().splitlines()) == 1
