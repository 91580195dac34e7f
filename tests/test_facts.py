"""Case classification (facts.py): boundaries worked out by hand."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from scorecard import store
from scorecard.facts import (
    B06_MEASURES,
    MEASURES,
    compute_facts,
    form06_overlap,
    periods_frame,
)

COLS = "case_id, unit_id, procedure_id, received_at, due_at, resolved_at, status, channel"


def make(cases: list[tuple], form06: list[tuple] = ()) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    store.create_schema(con)
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)",
                    [("U", "Xã", "commune", None), ("V", "Xã 2", "commune", None)])
    con.executemany(f"INSERT INTO procedures (procedure_id, name, field, online_service, has_fee, payment_integrated, at_one_stop, four_on_spot, has_sample_dossier, e_process_configured) VALUES ({', '.join('?' * 10)})", [
        ("pA", "A", "dat_dai", "full", False, False, True, False, False, False),
        ("pB", "B", "ho_tich", "none", False, False, True, False, False, False)])
    if cases:
        con.executemany(f"INSERT INTO cases ({COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", cases)
    if form06:
        con.executemany(f"INSERT INTO form06 VALUES ({', '.join('?' * 12)})", list(form06))
    return con


def facts_of(con: duckdb.DuckDBPyConnection, period: str, unit: str = "U",
             calendar: str = "calendar") -> dict[str, object]:
    df = compute_facts(con, [period], calendar)
    rec = df[df.unit_id == unit].iloc[0].to_dict()
    return {k: (None if v is None or v != v else v) for k, v in rec.items()}  # NaN → None


def test_periods_frame_windows() -> None:
    pf = periods_frame(["2025Q1", "2025Q2", "2025Q1"], "nd09")
    assert list(pf.period) == ["2025Q1", "2025Q2"]  # duplicates dropped
    assert pf.p_first[0].date() == date(2024, 12, 15)
    assert pf.p_last[0].date() == date(2025, 3, 14)
    assert pf.p_first[1].date() == date(2025, 3, 15)


def test_resolved_at_2359_on_due_date_is_on_time() -> None:
    con = make([
        ("a", "U", "pA", "2025-01-02 08:00", "2025-01-10 17:00", "2025-01-10 23:59", "resolved",
         "online"),
        ("b", "U", "pA", "2025-01-02 08:00", "2025-01-10 17:00", "2025-01-11 00:00", "resolved",
         "direct"),
        ("c", "U", "pA", "2025-01-02 08:00", "2025-01-10 17:00", "2025-01-09 23:59", "resolved",
         "direct"),
    ])
    f = facts_of(con, "2025Q1")
    assert (f["resolved_early"], f["resolved_on_time"], f["resolved_late"]) == (1, 1, 1)
    assert (f["received"], f["received_online"], f["resolved"]) == (3, 1, 3)


def test_case_received_in_q1_resolved_in_q2() -> None:
    con = make([("a", "U", "pA", "2025-03-20 08:00", "2025-04-20 17:00", "2025-04-05 10:00",
                 "resolved", "direct")])
    q1, q2 = facts_of(con, "2025Q1"), facts_of(con, "2025Q2")
    assert (q1["received"], q1["resolved"], q1["pending"], q1["pending_in_time"]) == (1, 0, 1, 1)
    assert (q2["received"], q2["carried_over"], q2["resolved"], q2["resolved_early"]) == \
        (0, 1, 1, 1)
    assert q2["pending"] == 0
    # not relevant to Q3 at all
    q3 = facts_of(con, "2025Q3")
    assert all(q3[m] == 0 for m in B06_MEASURES)
    assert q3["source"] == "none"


def test_pending_due_on_last_day_is_in_time() -> None:
    con = make([
        ("a", "U", "pA", "2025-03-01 08:00", "2025-03-31 08:00", None, "pending", "direct"),
        ("b", "U", "pA", "2025-03-01 08:00", "2025-03-30 17:00", None, "pending", "direct"),
        # finished after the period: still pending at its end
        ("c", "U", "pA", "2025-03-01 08:00", "2025-03-29 17:00", "2025-04-02 09:00",
         "resolved", "direct"),
    ])
    f = facts_of(con, "2025Q1")
    assert (f["pending"], f["pending_in_time"], f["pending_overdue"]) == (3, 1, 2)


def test_nd09_14th_15th_edge() -> None:
    con = make([
        ("a", "U", "pA", "2025-03-14 16:00", "2025-03-20 17:00", "2025-03-18 09:00",
         "resolved", "direct"),
        ("b", "U", "pA", "2025-03-15 08:00", "2025-03-20 17:00", "2025-03-18 09:00",
         "resolved", "direct"),
        ("c", "U", "pA", "2024-12-15 08:00", "2024-12-20 17:00", "2024-12-16 09:00",
         "resolved", "direct"),
        ("d", "U", "pA", "2024-12-14 08:00", "2024-12-20 17:00", "2024-12-16 09:00",
         "resolved", "direct"),
    ])
    nd_q1, nd_q2 = facts_of(con, "2025Q1", calendar="nd09"), facts_of(con, "2025Q2",
                                                                      calendar="nd09")
    # nd09 Q1 = 15/12/2024 .. 14/03/2025: received a (14/03) and c (15/12); d (14/12) is
    # carried over; c and d resolved 16/12 inside the window; a is pending at 14/03
    assert (nd_q1["received"], nd_q1["resolved"], nd_q1["pending"]) == (2, 2, 1)
    assert nd_q1["carried_over"] == 1
    # nd09 Q2 from 15/03: b received; a carried over; both resolved 18/03
    assert (nd_q2["received"], nd_q2["carried_over"], nd_q2["resolved"]) == (1, 1, 2)
    cal_q1 = facts_of(con, "2025Q1")
    assert (cal_q1["received"], cal_q1["resolved"]) == (2, 2)  # a and b, calendar quarter


def test_residual_and_identity() -> None:
    con = make([
        ("a", "U", "pA", "2025-01-02 08:00", "2025-01-10 17:00", "2025-01-05 10:00",
         "withdrawn", "direct"),
        ("b", "U", "pA", "2025-01-02 08:00", "2025-01-10 17:00", "2025-01-20 10:00",
         "refused", "online"),
        ("c", "U", "pA", "2024-12-30 08:00", "2025-01-10 17:00", "2025-01-08 10:00",
         "resolved", "direct"),
        ("d", "U", "pB", "2024-11-30 08:00", "2024-12-10 17:00", "2024-12-08 10:00",
         "resolved", "direct"),  # finished before the period: irrelevant
        ("e", "U", "pB", "2025-02-01 08:00", "2025-02-10 17:00", None, "pending", "direct"),
    ])
    f = facts_of(con, "2025Q1")
    assert (f["received"], f["carried_over"], f["resolved"], f["residual"], f["pending"]) == \
        (3, 1, 1, 2, 1)
    assert f["received"] + f["carried_over"] == f["resolved"] + f["residual"] + f["pending"]
    assert f["received_judged_on_time"] == 1  # a (withdrawn 05/01 by due 10/01); b late; e over


def test_form06_used_only_without_case_data() -> None:
    con = make(
        [("a", "U", "pA", "2025-01-02 08:00", "2025-01-10 17:00", "2025-01-05 10:00",
          "resolved", "direct")],
        form06=[("U", "2025Q1", None, None, 5, 5, 0, 3, 3, 1, 2, 1),
                ("V", "2025Q1", "2025-01-01", "2025-03-31", 5, 5, 1, 3, 3, 1, 3, 1)],
    )
    u, v = facts_of(con, "2025Q1", "U"), facts_of(con, "2025Q1", "V")
    assert (u["source"], u["received"], u["residual"]) == ("cases", 1, 0)
    assert (v["source"], v["received"], v["resolved"], v["pending"]) == ("form06", 10, 7, 4)
    assert v["residual"] is None
    assert v["cases_received"] == 0
    ov = form06_overlap(con, "2025Q1")
    assert list(ov.unit_id) == ["U"]
    assert (int(ov.resolved_cases[0]), int(ov.resolved_form06[0])) == (1, 7)
    # a field restriction drops form06 rows
    vf = compute_facts(con, ["2025Q1"], fields=["dat_dai"])
    assert int(vf[vf.unit_id == "V"].received.iloc[0]) == 0


def test_by_field() -> None:
    con = make([
        ("a", "U", "pA", "2025-01-02 08:00", "2025-01-10 17:00", "2025-01-05 10:00",
         "resolved", "direct"),
        ("b", "U", "pB", "2025-01-02 08:00", "2025-01-10 17:00", "2025-01-15 10:00",
         "resolved", "online"),
        ("c", "U", "pB", "2025-01-03 08:00", "2025-01-10 17:00", None, "pending", "online"),
    ])
    df = compute_facts(con, ["2025Q1"], by_field=True)
    got = {r.field: (r.received, r.resolved_late, r.pending) for r in df.itertuples()}
    assert got == {"dat_dai": (1, 0, 0), "ho_tich": (2, 1, 1)}
    only = compute_facts(con, ["2025Q1"], fields=["ho_tich"], by_field=True)
    assert list(only.field) == ["ho_tich"]


def test_every_measure_is_a_column() -> None:
    con = make([])
    df = compute_facts(con, ["2025Q1"])
    assert set(MEASURES) <= set(df.columns)
    assert len(df) == 2  # both units, zero counts
    assert (df["received"] == 0).all()


@pytest.mark.parametrize("bad", ["2025Q5", "Q1"])
def test_bad_period(bad: str) -> None:
    from scorecard.periods import PeriodError

    with pytest.raises(PeriodError):
        periods_frame([bad])


def _brute_force(cases: list[tuple], first: date, last: date) -> dict[str, int]:
    """The design's classification rules applied case by case in Python (the reference)."""
    out = dict.fromkeys(("received", "received_online", "carried_over", "resolved",
                         "resolved_early", "resolved_on_time", "resolved_late", "residual",
                         "pending", "pending_in_time", "pending_overdue",
                         "received_judged_on_time"), 0)
    for _cid, _u, _p, rec_at, due_at, res_at, status, channel in cases:
        r, d = rec_at.date(), due_at.date()
        f = res_at.date() if res_at is not None else None
        if not (r <= last and (f is None or f >= first)):
            continue
        received = r >= first
        out["received"] += received
        out["received_online"] += received and channel == "online"
        out["carried_over"] += not received
        pending = f is None or f > last
        if pending:
            out["pending"] += 1
            out["pending_in_time" if d >= last else "pending_overdue"] += 1
        elif status == "resolved":
            out["resolved"] += 1
            key = "resolved_early" if f < d else "resolved_on_time" if f == d else "resolved_late"
            out[key] += 1
        else:
            out["residual"] += 1
        judged = (d >= last) if pending else (f <= d)
        out["received_judged_on_time"] += received and judged
    return out


@pytest.mark.parametrize("calendar", ["calendar", "nd09"])
def test_random_cases_match_the_rules_for_overlapping_periods(calendar: str) -> None:
    """Random cases around period edges against the rules, for overlapping mixed periods
    (a year, its quarters, a month and a lag year) in one call."""
    import random
    from datetime import datetime, timedelta

    rng = random.Random(20250214)
    start = datetime(2023, 11, 1, 8, 0)
    cases = []
    for i in range(1500):
        rec = start + timedelta(days=rng.randrange(0, 800), minutes=rng.randrange(0, 900))
        due = rec + timedelta(days=rng.randrange(0, 40), minutes=rng.randrange(0, 600))
        status = rng.choice(["resolved"] * 6 + ["withdrawn", "refused", "pending", "pending"])
        done = None
        if status != "pending":
            done = rec + timedelta(days=rng.choice([0, 1, 5, 20, 40, 100, 200]),
                                   minutes=rng.randrange(0, 900))
        cases.append((f"c{i}", "U", rng.choice(["pA", "pB"]), rec, due, done, status,
                      rng.choice(["online", "direct", "postal"])))
    con = make(cases)
    periods = ["2024", "2024Q1", "2024Q4", "2025Q1", "2024-12", "2025-03", "2023Q4", "2025"]
    df = compute_facts(con, periods, calendar)
    for period in periods:
        first, last = periods_frame([period], calendar).iloc[0][["p_first", "p_last"]]
        want = _brute_force(cases, first.date(), last.date())
        row = df[(df.unit_id == "U") & (df.period == period)].iloc[0]
        got = {k: int(row[k]) for k in want}
        assert got == want, period
