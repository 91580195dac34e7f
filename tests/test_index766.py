"""The national service index (QĐ 766) on a hand-made store; every expected value is worked by hand
in the comments (period 2024Q1 = 01/01/2024 .. 31/03/2024, calendar)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scorecard import index766 as ix
from scorecard.store import create_schema
from scorecard.units import load_units

# Tree: P (province) -> D1 (department), H (district) -> C1, C2, C3 (communes)
UNITS = [
    ("P", "Tỉnh P", "province", None),
    ("D1", "Sở D1", "department", "P"),
    ("H", "Huyện H", "district", "P"),
    ("C1", "Xã C1", "commune", "H"),
    ("C2", "Xã C2", "commune", "H"),
    ("C3", "Xã C3", "commune", "H"),
]
# procedure_id, online_service, has_fee, payment_integrated, citizen_data_connected
PROCS = [
    ("P1", "full", True, True, True),
    ("P2", "partial", True, False, False),
    ("P3", "none", False, False, None),
    ("P4", "full", False, False, None),
    ("P5", "none", True, False, True),
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
# The optional population-data columns: case -> (citizen_data_used, personal_storage_synced).
# C1 carries both (with a few empty values, which count as not set); C2's one case carries
# neither (its data falls back to the manual table); D1 carries both.
CITIZEN_DATA = {
    "a": (True, True), "b": (True, False), "c": (False, False), "d": (True, None),
    "e": (None, None), "f": (True, False), "g": (False, False), "h": (True, False),
    "i": (True, True), "j": (None, False), "k": (True, True),
    "m": (None, None),
    "n": (True, False), "o": (False, False),
}
# id, unit, received, due, resolved, satisfied
FEEDBACK = [
    ("f1", "C1", "2024-01-05", "2024-01-15", "2024-01-14", True),   # on time, satisfied
    ("f2", "C1", "2024-01-05", "2024-01-15", "2024-01-20", False),  # late AND dissatisfied
    ("f3", "C1", "2024-03-25", "2024-04-05", None, None),           # pending, not yet due
    ("f4", "C1", "2024-03-01", "2024-03-10", None, None),           # pending, overdue
    # C2: every PAKN handled late and none rated
    ("g1", "C2", "2024-02-01", "2024-02-10", "2024-02-20", None),   # late
    ("g2", "C2", "2024-03-20", "2024-03-25", None, None),           # pending, overdue at 31/03
]


def _fill(con: duckdb.DuckDBPyConnection) -> None:
    create_schema(con)
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)", UNITS)
    con.executemany(
        "INSERT INTO procedures (procedure_id, name, field, online_service, has_fee, payment_integrated, at_one_stop, four_on_spot, has_sample_dossier, e_process_configured, citizen_data_connected) VALUES (?, 'TT ' || ?, 'ho_tich', ?, ?, ?, TRUE, FALSE, FALSE, TRUE, ?)",
        [(p, p, o, f, i, c) for p, o, f, i, c in PROCS])
    con.executemany("INSERT INTO unit_procedures VALUES (?, ?)", UNIT_PROCS)
    con.executemany(
        "INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at, resolved_at, status, channel, supplement_requests, digitized, e_result, reused_data, fee_required, paid_online, apology_issued, rating) VALUES (?, ?, ?, CAST(? AS TIMESTAMP) + INTERVAL 9 HOUR, "
        "CAST(? AS TIMESTAMP) + INTERVAL 17 HOUR, CAST(? AS TIMESTAMP) + INTERVAL 10 HOUR, "
        "?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)", CASES)
    con.executemany("UPDATE cases SET citizen_data_used = ?, personal_storage_synced = ? "
                    "WHERE case_id = ?", [(u, s, c) for c, (u, s) in CITIZEN_DATA.items()])
    con.executemany(
        "INSERT INTO feedback VALUES (?, ?, CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), "
        "CAST(? AS TIMESTAMP), ?)", FEEDBACK)
    con.executemany("INSERT INTO manual VALUES (?, ?, ?, ?, 'test')", [
        ("C1", "2024Q1", "announced_on_time", 0.5),
        ("C1", "2024Q1", "certified_copies", 1.0),
        # C1 carries the population columns: its manual rows for them are not used
        ("C1", "2024Q1", "population_db_case", 0.1),
        # C2's cases do not carry citizen_data_used: this row is used; no citizen_storage row
        ("C2", "2024Q1", "population_db_case", 0.55),
        # C3 received no case: 0 points for the case metrics whatever the manual table says
        ("C3", "2024Q1", "population_db_case", 0.9),
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
    # the same metrics, rules included (the 2022 layout assumes them); only grouping differs
    regroup = {"online_payment": "online_services"}
    assert [replace(m, group=regroup.get(m.group, m.group)) for m in new.metrics] == list(
        old.metrics)
    # the portal's formula (issue 16.3) for the portal's profile; the 2022 layout keeps the plain
    # rule (both give the same verdicts on a store without supplement histories)
    assert (new.progress_rule, old.progress_rule) == ("portal", "period_end")
    assert new.supplement_rule and old.supplement_rule
    assert new.band(90.0).label == "Xuất sắc" and new.band(90.0).confirmed
    assert new.band(89.99).label == "Tốt" and not new.band(89.99).confirmed
    assert new.band(49.99).label == "Yếu"
    assert new.band(50.0).label != "Yếu"


def test_portal_2024_digitization_and_pakn_rules() -> None:
    by_id = {m.id: m for m in ix.load_profile("portal-2024").metrics}
    digit = [m for m in by_id.values() if m.group == "digitization"]
    case_metrics = [m for m in digit if m.source == "computed" and m.denominator != "procedures"]
    assert [m.id for m in case_metrics] == ["e_result", "digitized", "data_reuse",
                                            "citizen_storage", "population_db_case"]
    assert all(m.denominator == "received_cases" and m.if_no_denominator == "zero"
               for m in case_metrics)
    assert [m.target for m in case_metrics] == [None, None, 0.8, None, None]
    assert by_id["population_db_procedure"].denominator == "procedures"
    assert by_id["certified_copies"].source == "manual"
    assert {m.id: m.carried_by for m in digit if m.carried_by} == {
        "citizen_storage": "personal_storage_known_cases",
        "population_db_case": "citizen_data_known_cases",
        "population_db_procedure": "citizen_data_known_procedures"}
    pakn = by_id["pakn_satisfaction"]
    assert (pakn.numerator, pakn.denominator, pakn.if_no_denominator) == (
        "feedback_received_less_late_and_dissatisfied", "feedback_received", "full")


def test_unknown_profile_and_bad_profile(tmp_path: Path) -> None:
    with pytest.raises(ix.ProfileError, match="unknown index profile 'nope'.*portal-2024"):
        ix.load_profile("nope")
    text = (ix.INDEX766_DIR / "portal-2024.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("max_points: 20\n", "max_points: 21\n", 1), encoding="utf-8")
    with pytest.raises(ix.ProfileError, match="group progress: metrics sum to 21"):
        ix.load_profile(bad)
    bad.write_text(text.replace("progress_rule: portal", "progress_rule: nope"),
                   encoding="utf-8")
    with pytest.raises(ix.ProfileError, match="unknown progress rule 'nope'.*period_end"):
        ix.load_profile(bad)
    bad.write_text(text.replace("carried_by: citizen_data_known_cases",
                                "carried_by: citizen_known"), encoding="utf-8")
    with pytest.raises(ix.ProfileError, match="population_db_case: unknown count 'citizen_kn"):
        ix.load_profile(bad)


RULE_MODULE = """
class NoSupplementRule:
    name = "no_supplement"
    description = "on time when no supplement was requested (a test rule)"

    def judge_sql(self, profile):
        return ("SELECT received.*, supplement_requests <= $no_supp_max AS on_time "
                "FROM received", {"no_supp_max": 0})


RULE = NoSupplementRule()
"""


def test_progress_rule_is_replaceable(db: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "idx766_test_rule.py").write_text(RULE_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(ix.PROGRESS_RULES, "no_supplement", "idx766_test_rule:RULE")
    text = (ix.INDEX766_DIR / "portal-2024.yaml").read_text(encoding="utf-8")
    for name, ref in (("named", "no_supplement"), ("dotted", "idx766_test_rule:RULE")):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text.replace("progress_rule: portal", f"progress_rule: {ref}"),
                        encoding="utf-8")
        con = duckdb.connect(str(db), read_only=True)
        df = ix.compute_index766(con, "2024Q1", path, units=["C1"])
        con.close()
        # on time = no supplement request: a..h = 8 of 10 -> 16 points
        r = row(df, "C1", "progress_on_time")
        assert (r.numerator, r.denominator, r.points) == (8, 10, 16.0), name
        # case satisfaction follows the same rule: a..h minus dissatisfied a, c = 6 -> 4.0
        assert row(df, "C1", "case_satisfaction").points == 4.0, name
    assert ix.resolve_progress_rule("period_end") is ix.PERIOD_END


BAD_RULE_MODULE = """
class Duplicating:
    name = "duplicating"
    description = "joins something that repeats cases (a bug)"

    def judge_sql(self, profile):
        return ("SELECT received.*, TRUE AS on_time FROM received, (VALUES (1), (2)) t(x)", {})


RULE = Duplicating()
"""


def test_progress_rule_must_judge_each_case_once(db: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "idx766_bad_rule.py").write_text(BAD_RULE_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    text = (ix.INDEX766_DIR / "portal-2024.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad_rule.yaml"
    path.write_text(text.replace("progress_rule: portal",
                                 "progress_rule: idx766_bad_rule:RULE"), encoding="utf-8")
    con = duckdb.connect(str(db), read_only=True)
    with pytest.raises(ix.ProgressRuleError, match="returned 26 rows for 13 received cases"):
        ix.compute_index766(con, "2024Q1", path)
    con.close()


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


def test_digitization_case_metrics_over_received(result: pd.DataFrame) -> None:
    def got(m: str) -> tuple:
        r = row(result, "C1", m)
        return (r.numerator, r.denominator, r.points, r.source)

    # e-results issued by 31/03 (a, b, i; f's comes after the period) over the 10 RECEIVED
    # (not the 5 resolved): 6*0.3 = 1.8
    assert got("e_result") == (3, 10, 1.8, "computed")
    assert got("digitized") == (6, 10, 2.4, "computed")  # a,b,c,f,i,j; 4*0.6, no 80% threshold
    assert got("data_reuse") == (2, 10, 0.5, "computed")  # a,i; min(2, 2*0.2/0.8)
    # personal data store: a, i (d, e empty = not set) -> 4*0.2 = 0.8
    assert got("citizen_storage") == (2, 10, 0.8, "computed")
    # population data used: a,b,d,f,h,i (e, j empty) -> 2*0.6 = 1.2; C1's manual row unused
    assert got("population_db_case") == (6, 10, 1.2, "computed")
    r = row(result, "C1", "certified_copies")  # manual 1.0 -> the full 2
    assert (r.rate, r.points, r.status, r.source) == (1.0, 2.0, "manual", "manual")


def test_digitization_linear_without_threshold() -> None:
    by_id = {m.id: m for m in ix.load_profile("portal-2024").metrics}
    # digitized 4R, linear: 0.9 -> 3.6 (the written 80% threshold would give 4)
    assert ix.score_metric(by_id["digitized"], 9, 10) == (0.9, 3.6, "computed")
    assert ix.score_metric(by_id["e_result"], 7, 8) == (0.875, 5.25, "computed")  # 6R
    assert ix.score_metric(by_id["data_reuse"], 7, 10)[1] == 1.75  # min(2, 2*0.7/0.8)
    assert ix.score_metric(by_id["data_reuse"], 9, 10)[1] == 2.0
    assert ix.score_metric(by_id["citizen_storage"], 1, 8)[1] == 0.5  # 4R (assumed curve)
    assert ix.score_metric(by_id["population_db_case"], 2, 3)[1] == 1.33  # 2R
    assert ix.score_metric(by_id["population_db_procedure"], 5, 7)[1] == 1.43  # 2R


def test_population_db_procedure(result: pd.DataFrame) -> None:
    def got(unit: str, scope: str = "own") -> tuple:
        r = row(result, unit, "population_db_procedure", scope)
        return (r.numerator, r.denominator, r.points, r.basis, r.source)

    # C1 competence P1, P2, P3; connected P1 (P3 empty = not set): 2*(1/3) = 0.67
    assert got("C1") == (1, 3, 0.67, "competence", "computed")
    assert got("C2") == (1, 2, 1.0, "competence", "computed")  # P1 of P1, P4
    assert got("D1") == (1, 2, 1.0, "cases", "computed")  # P5 of P5, P3 (its cases' basis)


def test_feedback_metrics(result: pd.DataFrame) -> None:
    on_time, sat = row(result, "C1", "pakn_on_time"), row(result, "C1", "pakn_satisfaction")
    assert (on_time.numerator, on_time.denominator, on_time.points) == (2, 4, 3.0)  # f1, f3
    # received 4 - answered "không hài lòng" 1 (f2) - late 2 (f2, f4) = 1 -> 6 * 1/4 = 1.5
    assert (sat.numerator, sat.denominator, sat.points, sat.source) == (1, 4, 1.5, "computed")


def test_feedback_counts_both_readings(db: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    counts = ix.index_counts(con, "2024Q1", ix.load_profile("portal-2024"), load_units(con))
    con.close()
    c1 = counts[(counts["unit_id"] == "C1") & (counts["scope"] == "own")].iloc[0]
    assert (c1.feedback_received, c1.feedback_late, c1.feedback_dissatisfied) == (4, 2, 1)
    # the words: 4 - 1 - 2 = 1 (f2, late and dissatisfied, subtracted twice)
    assert c1.feedback_received_less_late_and_dissatisfied == 1
    # the other reading, each PAKN once: f1, f3 = 2
    assert c1.feedback_neither_late_nor_dissatisfied == 2
    # the older reading (satisfied / rated) is still counted: 1 of 2
    assert (c1.feedback_satisfied, c1.feedback_rated) == (1, 2)


def test_pakn_all_late_never_rated_scores_zero(result: pd.DataFrame) -> None:
    # C2: 2 PAKN, both late, none rated: (2 - 0 - 2) / 2 = 0 -> 0 points, not the full 6
    sat = row(result, "C2", "pakn_satisfaction")
    assert (sat.numerator, sat.denominator, sat.rate, sat.points) == (0, 2, 0.0, 0.0)
    assert row(result, "C2", "pakn_on_time").points == 0.0


def test_zero_pakn_unit_gets_full_marks(result: pd.DataFrame) -> None:
    for m in ("pakn_on_time", "pakn_satisfaction"):
        r = row(result, "C3", m)  # no PAKN received
        assert (r.points, r.status, r.source) == (6.0, "no_denominator", "computed"), m


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


def test_parent_rollup_of_the_digitization_group(result: pd.DataFrame) -> None:
    def got(unit: str, m: str) -> tuple:
        r = row(result, unit, m, "tree")
        return (r.numerator, r.denominator, r.points, r.source)

    # H = C1 + C2 + C3: 11 received cases (10 + 1 + 0)
    assert got("H", "e_result") == (4, 11, 2.18, "computed")  # a,b,i + m: 6*4/11
    # C2's case m carries no value: within the tree it counts as not set (the tree carries it)
    assert got("H", "population_db_case") == (6, 11, 1.09, "computed")  # 2*6/11 = 1.0909
    assert got("H", "citizen_storage") == (2, 11, 0.73, "computed")  # 4*2/11 = 0.7272
    # P = everything: 13 received; population data a,b,d,f,h,i + n = 7: 2*7/13 = 1.0769
    assert got("P", "population_db_case") == (7, 13, 1.08, "computed")
    assert got("P", "citizen_storage") == (2, 13, 0.62, "computed")  # 4*2/13 = 0.615
    # procedures DISTINCT over the subtree: H {P1..P4} connected P1 -> 2*1/4; P {P1..P5}
    # connected P1, P5 -> 2*2/5 (not 1+1+1 of 3+2+2 procedure rows)
    assert got("H", "population_db_procedure") == (1, 4, 0.5, "computed")
    assert got("P", "population_db_procedure") == (2, 5, 0.8, "computed")
    # PAKN of a parent: sums (C1 4 + C2 2 = 6 received; 4 - 1 - 2 + 2 - 0 - 2: 6 - 1 - 4 = 1)
    sat = row(result, "H", "pakn_satisfaction", "tree")
    assert (sat.numerator, sat.denominator, sat.points) == (1, 6, 1.0)


# ---------------------------------------------------------------- zero denominators, manual
def test_unit_without_any_data(result: pd.DataFrame) -> None:
    for m in ("progress_on_time", "online_share", "case_satisfaction", "proc_online_offered",
              "cases_paid_online", "e_result", "digitized", "data_reuse", "citizen_storage",
              "population_db_case", "population_db_procedure"):
        r = row(result, "C3", m)
        assert (r.points, r.status, r.source) == (0.0, "no_denominator", "computed"), m
        assert pd.isna(r.rate)
    # its manual population_db_case row (0.9) is not used: no case received = 0
    assert row(result, "C3", "population_db_case").denominator == 0
    assert row(result, "C3", "pakn_on_time").points == 6.0
    assert row(result, "C3", "pakn_satisfaction").points == 6.0
    assert row(result, "C3", "proc_online_offered").basis == "none"


def test_rounding_before_summing(result: pd.DataFrame) -> None:
    # C3 transparency: 0.01 + 0.01 + 0.01 + 0.00 = 0.03 (raw sum 0.022 would give 0.02)
    assert group(result, "C3", "transparency").points == 0.03
    # total: 0.03 + PAKN 6 + 6 = 12.03; certified copies (manual) missing: 2 out of reach
    t = total(result, "C3")
    assert (t.points, t.no_data_points) == (12.03, 2.0)


def test_manual_metrics_and_no_data(result: pd.DataFrame) -> None:
    r = row(result, "C1", "announced_on_time")
    assert (r.rate, r.points, r.status, r.source) == (0.5, 3.0, "manual", "manual")
    r = row(result, "C1", "synced_national")
    assert pd.isna(r.points) and (r.status, r.source) == ("no_data", "none")
    assert group(result, "C1", "transparency").no_data_points == 12.0


def test_manual_fallback_when_the_data_does_not_carry_the_column(result: pd.DataFrame) -> None:
    # C2's only case has citizen_data_used and personal_storage_synced empty: not carried
    r = row(result, "C2", "population_db_case")
    assert (r.rate, r.points, r.status, r.source) == (0.55, 1.1, "manual", "manual")  # 2*0.55
    assert pd.isna(r.numerator) and pd.isna(r.denominator)
    r = row(result, "C2", "citizen_storage")  # no manual row either: no data
    assert pd.isna(r.points) and (r.status, r.source, r.no_data_points) == ("no_data", "none", 4)
    # digitization of C2: e_result m 6*1 + digitized 4*1 + reuse 0 + storage (none)
    # + population 1.1 + procedures 1.0 + certified copies (none) = 12.1; 6 out of reach
    g = group(result, "C2", "digitization")
    assert (g.points, g.no_data_points) == (12.1, 6.0)


def test_procedure_column_not_carried_falls_back(tmp_path: Path) -> None:
    con = duckdb.connect()
    _fill(con)
    con.execute("UPDATE procedures SET citizen_data_connected = NULL")
    con.execute("INSERT INTO manual VALUES ('C1', '2024Q1', 'population_db_procedure', 0.75, 'x')")
    df = ix.compute_index766(con, "2024Q1", units=["C1", "C2"])
    con.close()
    r = row(df, "C1", "population_db_procedure")
    assert (r.points, r.source, r.basis) == (1.5, "manual", "competence")  # 2*0.75
    r = row(df, "C2", "population_db_procedure")
    assert pd.isna(r.points) and r.source == "none"
    # the case columns are still carried by C1's cases
    assert row(df, "C1", "population_db_case").source == "computed"


def test_store_without_the_optional_columns(tmp_path: Path) -> None:
    # a store made before the columns existed, opened read-only (no migration): all fall back
    con = duckdb.connect()
    _fill(con)
    for table, column in (("cases", "citizen_data_used"), ("cases", "personal_storage_synced"),
                          ("procedures", "citizen_data_connected")):
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    df = ix.compute_index766(con, "2024Q1", units=["C1"])
    con.close()
    assert row(df, "C1", "population_db_case").source == "manual"  # C1's row: 0.1 -> 0.2
    assert row(df, "C1", "population_db_case").points == 0.2
    assert row(df, "C1", "citizen_storage").source == "none"
    assert row(df, "C1", "population_db_procedure").source == "none"
    assert row(df, "C1", "progress_on_time").points == 12.0  # the rest as before


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
    # + satisfaction 3+1.5+3.33 + digitization 1.8+2.4+0.5+0.8+1.2+0.67+2 = 44.37;
    # transparency's three missing metrics: 12 points out of reach
    assert group(result, "C1", "online_services").points == 7.27
    assert group(result, "C1", "online_payment").points == 4.9
    assert group(result, "C1", "satisfaction").points == 7.83
    assert group(result, "C1", "digitization").points == 9.37
    t = total(result, "C1")
    assert (t.points, t.max_points, t.no_data_points) == (44.37, 100.0, 12.0)
    con = duckdb.connect(str(db), read_only=True)
    old = ix.compute_index766(con, "2024Q1", "qd766-2022", units=["C1"])
    con.close()
    assert group(old, "C1", "online_services").points == 12.17  # 7.27 + 4.90
    assert group(old, "C1", "online_services").max_points == 22
    assert not (old["group"] == "online_payment").any()
    assert total(old, "C1").points == 44.37
    assert group(old, "C1", "digitization").points == 9.37


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
    assert lost["lost"].sum() == pytest.approx(100 - 44.37)


def test_points_breakdown_every_group_and_metric(result: pd.DataFrame) -> None:
    b = ix.points_breakdown(result, unit_id="C2", scope="own")
    assert list(b.columns) == ix.BREAKDOWN_COLUMNS == [
        "unit_id", "scope", "period", "group", "group_label", "group_points",
        "group_max_points", "metric", "label", "source", "status", "numerator", "denominator",
        "rate", "points", "max_points", "points_lost", "basis"]
    prof = ix.load_profile("portal-2024")
    assert list(b["metric"]) == [m.id for m in prof.metrics]  # the profile's order, all 21
    assert list(dict.fromkeys(b["group"])) == [g.id for g in prof.groups]
    by = b.set_index("metric")
    # computed: rate with its numerator and denominator
    r = by.loc["progress_on_time"]  # m resolved early: 1/1
    assert (r.numerator, r.denominator, r.rate, r.points, r.points_lost) == (1, 1, 1.0, 20.0, 0)
    # manual fallback: no counts; no value anywhere: all of it lost
    r = by.loc["population_db_case"]
    assert (r.source, r.rate, r.points, r.points_lost) == ("manual", 0.55, 1.1, 0.9)
    r = by.loc["citizen_storage"]
    assert (r.source, r.status, r.points_lost) == ("none", "no_data", 4.0) and pd.isna(r.points)
    r = by.loc["pakn_satisfaction"]  # both PAKN late, never rated
    assert (r.source, r.numerator, r.denominator, r.points_lost) == ("computed", 0, 2, 6.0)
    r = by.loc["e_result"]
    assert (r.group_label, r.group_points, r.group_max_points) == ("Số hóa hồ sơ", 12.1, 22.0)
    assert by.loc["population_db_procedure", "basis"] == "competence"
    assert pd.isna(by.loc["e_result", "basis"])
    # groups: the points lost of their metrics add up to what the group lost
    per_group = b.groupby("group", sort=False).agg(
        lost=("points_lost", "sum"), pts=("group_points", "first"),
        mx=("group_max_points", "first"))
    assert (per_group["mx"] - per_group["pts"] - per_group["lost"]).abs().max() < 1e-9
    assert set(b["source"]) == {"computed", "manual", "none"}
    everything = ix.points_breakdown(result)
    assert len(everything) == len(UNITS) * 2 * 21
    assert everything["source"].isin(["computed", "manual", "none"]).all()


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
    assert "C1,own,2024Q1,__total__,__total__,,,,44.37,100.0" in out


def test_cli_breakdown(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scorecard.cli import main

    assert main(["index766", "--period", "2024Q1", "--unit", "C2", "--db", str(db),
                 "--format", "csv", "--breakdown"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(",") == ix.BREAKDOWN_COLUMNS
    assert len(lines) == 1 + 2 * 21
    # the manual fallback and the metric without a value, as a user reads them
    assert ("C2,own,2024Q1,digitization,Số hóa hồ sơ,12.1,22.0,population_db_case,"
            "Hồ sơ có khai thác CSDL quốc gia về dân cư,manual,manual,,,0.55,1.1,2.0,0.9,")\
        in lines
    assert any(line.startswith("C2,own,2024Q1,digitization,Số hóa hồ sơ,12.1,22.0,"
                               "citizen_storage,") and ",none,no_data,,,,,4.0,4.0," in line
               for line in lines)


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
