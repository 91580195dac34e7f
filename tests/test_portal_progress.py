"""The portal's progress rule (issue 16), on hand-made cases in a fresh store.

Period 2025Q1 (calendar): first day 01/01/2025, last day 31/03/2025. Every expected verdict is
worked out by hand in the case's comment.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from scorecard.portal_progress import PORTAL_RULE, ProgressRule, judge_cases, progress_counts
from scorecard.store import create_schema

UNITS = [("P", "Tỉnh", "province", None), ("D1", "Sở A", "department", "P"),
         ("H1", "Huyện B", "district", "P"), ("X1", "Xã C", "commune", "H1"),
         ("X2", "Xã D", "commune", "H1")]

# case_id, unit, received, due, finished (resolved_at), status, supplement_requests
CASES = [
    # A: finished 05/02 before due 10/02, no supplement -> on time
    ("A", "X1", "2025-02-03 08:00", "2025-02-10 17:00", "2025-02-05 10:00", "resolved", 1 - 1),
    # B: finished 13/02 > due 10/02, but the citizen took 04/02 -> 09/02 = 5 days:
    #    13/02 - 5 = 08/02 <= 10/02 -> on time (late without the subtraction)
    ("B", "X1", "2025-02-03 08:00", "2025-02-10 17:00", "2025-02-13 09:00", "resolved", 1),
    # C: two supplement requests -> late, although finished early (06/02 < 20/02)
    ("C", "X1", "2025-02-03 08:00", "2025-02-20 17:00", "2025-02-06 09:00", "resolved", 2),
    # D: pending, waiting for the citizen since 10/03 (never answered): ends 10/03 <= 20/03
    #    -> on time (judged at 31/03 it would be late)
    ("D", "X2", "2025-03-02 08:00", "2025-03-20 17:00", None, "pending", 1),
    # E: waiting since 25/03, after the due date 20/03 -> late
    ("E", "X2", "2025-03-02 08:00", "2025-03-20 17:00", None, "pending", 1),
    # F: pending, no supplement, due 05/04: judged at 31/03 <= 05/04 -> on time
    ("F", "X2", "2025-03-10 08:00", "2025-04-05 17:00", None, "pending", 0),
    # G: asked 10/03, answered 03/04 (after the period): still waiting at 31/03 -> ends 10/03
    #    <= 20/03 -> on time
    ("G", "D1", "2025-03-02 08:00", "2025-03-20 17:00", None, "pending", 1),
    # H: withdrawn 20/02 after due 15/02 -> late (withdrawn cases count as received)
    ("H", "D1", "2025-02-01 08:00", "2025-02-15 17:00", "2025-02-20 09:00", "withdrawn", 0),
    # I: CSV-like: one request counted, no history, pending, due 20/03: judged at 31/03 -> late
    ("I", "D1", "2025-03-02 08:00", "2025-03-20 17:00", None, "pending", 1),
    # J: received in 2024: not in the period
    ("J", "D1", "2024-12-20 08:00", "2025-01-10 17:00", "2025-01-05 09:00", "resolved", 0),
    # K: history's first due_before 10/02 (the original appointment) while due_at says 15/02
    #    (the extended one); asked 05/02, answered 08/02 (3 days); finished 14/02:
    #    14/02 - 3 = 11/02 > 10/02 -> late (on time against 15/02 with appointment='synced')
    ("K", "X1", "2025-02-03 08:00", "2025-02-15 17:00", "2025-02-14 09:00", "resolved", 1),
    # L: finished 25/03 after a request answered 12/03 -> 15/03 (3 days): 25/03 - 3 = 22/03 >
    #    due 20/03 -> late even with the subtraction
    ("L", "X2", "2025-03-02 08:00", "2025-03-20 17:00", "2025-03-25 09:00", "refused", 1),
]

# case_id, seq, requested, returned, due_before, due_after
SUPPLEMENTS = [
    ("B", 1, "2025-02-04 09:00", "2025-02-09 15:00", "2025-02-10 17:00", "2025-02-15 17:00"),
    ("C", 1, "2025-02-04 09:00", "2025-02-04 15:00", "2025-02-20 17:00", "2025-02-20 17:00"),
    ("C", 2, "2025-02-05 09:00", "2025-02-05 11:00", "2025-02-20 17:00", "2025-02-20 17:00"),
    ("D", 1, "2025-03-10 09:00", None, "2025-03-20 17:00", None),
    ("E", 1, "2025-03-25 09:00", None, "2025-03-20 17:00", None),
    ("G", 1, "2025-03-10 09:00", "2025-04-03 10:00", "2025-03-20 17:00", "2025-04-13 17:00"),
    ("K", 1, "2025-02-05 09:00", "2025-02-08 10:00", "2025-02-10 17:00", "2025-02-15 17:00"),
    ("L", 1, "2025-03-12 09:00", "2025-03-15 10:00", "2025-03-20 17:00", "2025-03-23 17:00"),
]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    create_schema(c)
    c.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)",
                  UNITS)
    c.execute("INSERT INTO procedures VALUES ('1.001', 'Thủ tục', 'dat_dai', 'full', true, "
              "true, true, false, true, true, NULL, NULL)")
    c.executemany(
        "INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at, resolved_at, "
        "status, channel, supplement_requests) VALUES (?, ?, '1.001', ?, ?, ?, ?, 'online', ?)",
        CASES)
    c.executemany("INSERT INTO case_supplements VALUES (?, ?, ?, ?, ?, ?)", SUPPLEMENTS)
    return c


def _verdicts(df) -> dict[str, bool]:  # noqa: ANN001
    return dict(zip(df["case_id"], df["on_time"], strict=True))


def test_each_case_is_judged_as_worked_out_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    df = judge_cases(con, "2025Q1")
    assert _verdicts(df) == {"A": True, "B": True, "C": False, "D": True, "E": False,
                             "F": True, "G": True, "H": False, "I": False, "K": False,
                             "L": False}
    row = df.set_index("case_id")
    assert row.loc["B", "supplement_days"] == 5
    assert row.loc["B", "ended"] == pd.Timestamp("2025-02-13")
    assert row.loc["D", "end_reason"] == "waiting"
    assert row.loc["D", "ended"] == pd.Timestamp("2025-03-10")
    assert row.loc["G", "end_reason"] == "waiting"
    assert row.loc["F", "end_reason"] == "period_end"
    assert row.loc["F", "ended"] == pd.Timestamp("2025-03-31")
    assert row.loc["C", "requests"] == 2
    assert not row.loc["I", "dated"] and row.loc["I", "requests"] == 1
    assert row.loc["K", "appointment"] == pd.Timestamp("2025-02-10")
    assert row.loc["L", "supplement_days"] == 3


def test_each_part_of_the_rule_changes_the_verdicts_it_should(
        con: duckdb.DuckDBPyConnection) -> None:
    plain = _verdicts(judge_cases(con, "2025Q1", rule=ProgressRule(
        subtract_supplement_time=False)))
    assert not plain["B"]  # 13/02 > 10/02 without the citizen's days
    assert not plain["K"]
    no_wait = _verdicts(judge_cases(con, "2025Q1", rule=ProgressRule(
        waiting_ends_at_request=False)))
    assert not no_wait["D"] and not no_wait["G"]  # judged at 31/03 > 20/03
    any_count = _verdicts(judge_cases(con, "2025Q1", rule=ProgressRule(max_requests=None)))
    assert any_count["C"]  # finished 06/02 (both answers the same day: 0 days) <= 20/02
    synced = _verdicts(judge_cases(con, "2025Q1", rule=ProgressRule(appointment="synced")))
    assert synced["K"]  # 11/02 <= 15/02


def test_counts_per_unit_and_scope(con: duckdb.DuckDBPyConnection) -> None:
    df = progress_counts(con, "2025Q1").set_index(["unit_id", "scope"])
    # X1: A, B, C, K received; on time A, B
    assert tuple(df.loc[("X1", "own"), ["received_cases", "on_time_cases"]]) == (4, 2)
    # X2: D, E, F, L; on time D, F
    assert tuple(df.loc[("X2", "own"), ["received_cases", "on_time_cases"]]) == (4, 2)
    # D1: G, H, I (J is from 2024); on time G
    assert tuple(df.loc[("D1", "own"), ["received_cases", "on_time_cases"]]) == (3, 1)
    # H1's tree: X1 + X2; the province's tree: everything
    assert tuple(df.loc[("H1", "tree"), ["received_cases", "on_time_cases"]]) == (8, 4)
    assert tuple(df.loc[("H1", "own"), ["received_cases", "on_time_cases"]]) == (0, 0)
    assert tuple(df.loc[("P", "tree"), ["received_cases", "on_time_cases"]]) == (11, 5)
    p = df.loc[("P", "tree")]
    # requests: B, C, D, E, G, I, K, L; only I lacks history; waiting: D, E, G; C has two
    assert (p["supplement_cases"], p["undated_supplement_cases"], p["waiting_cases"],
            p["late_by_requests"]) == (8, 1, 3, 1)


def test_undated_cases_fall_back_to_the_plain_766_rule(con: duckdb.DuckDBPyConnection) -> None:
    """Without history (CSV loads) the rule is index766's: count rule, judged at the end."""
    con.execute("DELETE FROM case_supplements")
    df = judge_cases(con, "2025Q1")
    verdicts = _verdicts(df)
    # B: 13/02 > 10/02 late; C: two requests late; D, E, G, I: pending, due 20/03 < 31/03 late;
    # K: 14/02 <= 15/02 on time (due_at); L: 25/03 > 20/03 late
    assert verdicts == {"A": True, "B": False, "C": False, "D": False, "E": False, "F": True,
                        "G": False, "H": False, "I": False, "K": True, "L": False}
    assert not df["dated"].any()
    from scorecard.index766 import index_counts, load_profile
    from scorecard.units import load_units

    counts = progress_counts(con, "2025Q1").set_index(["unit_id", "scope"])
    plain = index_counts(con, "2025Q1", load_profile("portal-2024"), load_units(con))
    plain = plain.set_index(["unit_id", "scope"])
    for key in counts.index:
        assert counts.loc[key, "received_cases"] == plain.loc[key, "received_cases"]
        assert counts.loc[key, "on_time_cases"] == plain.loc[key, "on_time_cases"]


def test_the_default_rule_is_the_portals() -> None:
    assert (PORTAL_RULE.max_requests, PORTAL_RULE.subtract_supplement_time,
            PORTAL_RULE.waiting_ends_at_request, PORTAL_RULE.appointment) == (
        1, True, True, "original")


def test_as_the_index_progress_rule(con: duckdb.DuckDBPyConnection) -> None:
    """The index's rule protocol: ``judge_sql(profile)`` selects every received case once, all
    its columns plus ``on_time``, inside the index's own ``WITH received AS (…)``."""
    from types import SimpleNamespace

    from scorecard.portal_progress import PORTAL

    sql, params = PORTAL.judge_sql(SimpleNamespace(supplement_rule=True,
                                                   max_supplement_requests=1))
    assert all(f"${name}" in sql for name in params)
    index_sql = ("WITH received AS (SELECT * FROM cases WHERE CAST(received_at AS DATE) "
                 f"BETWEEN $first AND $last), j AS ({sql}) SELECT * FROM j ORDER BY case_id")
    got = con.execute(index_sql, {"first": pd.Timestamp("2025-01-01").date(),
                                  "last": pd.Timestamp("2025-03-31").date(), **params}).df()
    cases_cols = [r[0] for r in con.execute("DESCRIBE cases").fetchall()]
    assert list(got.columns) == [*cases_cols, "on_time"]
    assert _verdicts(got) == _verdicts(judge_cases(con, "2025Q1"))
    # the profile's supplement rule off: no request limit (C, with two requests, is on time)
    sql, params = PORTAL.judge_sql(SimpleNamespace(supplement_rule=False,
                                                   max_supplement_requests=1))
    got = con.execute(("WITH received AS (SELECT * FROM cases WHERE CAST(received_at AS DATE) "
                       f"BETWEEN $first AND $last), j AS ({sql}) SELECT * FROM j"),
                      {"first": pd.Timestamp("2025-01-01").date(),
                       "last": pd.Timestamp("2025-03-31").date(), **params}).df()
    assert _verdicts(got)["C"]
