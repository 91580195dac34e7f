"""The leads on small stores whose cases are counted by hand (June 2025 unless said; the
Vietnamese calendar: no holiday in June; 26/04/2025 a make-up Saturday, 30/04-04/05 off)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from scorecard.cli import main
from scorecard.leads import compute_leads, lead_cases, load_settings, parse_settings
from scorecard.leads.scoring import excess_z, score_units
from scorecard.leads.settings import Comparison, LeadSettingsError
from scorecard.store import open_writer, reading
from scorecard.workdays import weekdays_only

UNITS = [("P", "Tỉnh Thử", "province", None), ("A", "Sở A", "department", "P"),
         ("B", "Sở B", "department", "P")]
#: Hand-counted tests compare two units: no lower bounds, no dispersion games.
LOOSE = {"comparison": {"min_unit_cases": 1, "min_flagged_cases": 1, "min_ratio": 1.0,
                        "min_z": -100}}


def ts(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def case(cid: str, unit: str, received: str, due: str, resolved: str | None,
         status: str = "resolved", proc: str = "PA", supp_at: str | None = None,
         applicant: str | None = None) -> tuple:
    return (cid, unit, proc, ts(received), ts(due), ts(resolved), status, "direct",
            1 if supp_at else 0, ts(supp_at), applicant)


def build(path: Path, cases: list[tuple], statutory: float | None = 5.0) -> Path:
    con = open_writer(path)
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)",
                    UNITS)
    con.execute("""INSERT INTO procedures (procedure_id, name, field, online_service, has_fee,
        payment_integrated, at_one_stop, four_on_spot, has_sample_dossier, e_process_configured,
        statutory_days) VALUES
        ('PA', 'Thủ tục A', 'tu_phap', 'full', false, false, true, false, true, true, ?),
        ('PB', 'Thủ tục B', 'ho_tich', 'full', false, false, true, false, true, true, NULL)""",
                [statutory])
    con.executemany("""INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at,
        resolved_at, status, channel, supplement_requests, supplement_requested_at, applicant_key)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", cases)
    con.close()
    return path


def run(db: Path, lead: str, period: str = "2025-06", **over) -> tuple[pd.DataFrame, pd.DataFrame]:
    settings = parse_settings({**LOOSE, **over})
    with reading(db) as con:
        res = compute_leads(con, period, settings=settings, leads=[lead])
    return res.scores.set_index("unit_id"), res.evidence


def flagged(db: Path, lead: str, period: str = "2025-06", **over) -> dict[str, str]:
    """case id -> detail of the cases showing the pattern, in the lead's order."""
    with reading(db) as con:
        df = lead_cases(con, period, lead, flagged_only=True, settings=parse_settings(over))
    return dict(zip(df["case_id"], df["detail"], strict=True))


def counts(scores: pd.DataFrame) -> dict[str, tuple[int, int]]:
    return {u: (int(r.cases_examined), int(r.cases_flagged)) for u, r in scores.iterrows()}


def test_supplement_near_due(tmp_path: Path) -> None:
    # all received Mon 02/06, due Mon 09/06 (5 working days)
    db = build(tmp_path / "s.duckdb", [
        case("a1", "A", "2025-06-02 08:00", "2025-06-09 17:00", None, "pending",
             supp_at="2025-06-06 10:00"),   # Fri: 1 working day before the due date -> flagged
        case("a2", "A", "2025-06-02 08:00", "2025-06-09 17:00", None, "pending",
             supp_at="2025-06-03 10:00"),   # Tue: 4 working days before -> not
        case("a3", "A", "2025-06-02 08:00", "2025-06-09 17:00", None, "pending",
             supp_at="2025-06-10 10:00"),   # after the due date -> flagged
        case("b1", "B", "2025-06-02 08:00", "2025-06-09 17:00", None, "pending",
             supp_at="2025-06-04 10:00"),   # Wed: 3 before -> not
        case("b2", "B", "2025-05-26 08:00", "2025-06-02 17:00", None, "pending",
             supp_at="2025-05-30 10:00"),   # requested in May: outside the month
        case("b3", "B", "2025-06-02 08:00", "2025-06-09 17:00", None, "pending"),  # no request
    ])
    scores, evidence = run(db, "supplement_near_due")
    assert counts(scores) == {"A": (3, 2), "B": (1, 0)}
    assert list(evidence["case_id"]) == ["a3", "a1"]  # A is flagged; past the due date first
    ev = flagged(db, "supplement_near_due")
    assert list(ev) == ["a3", "a1"]
    assert ev["a1"] == ("yêu cầu bổ sung lúc 06/06/2025 10:00, hạn trả 09/06/2025 "
                        "(còn 1 ngày làm việc)")
    assert "sau hạn 1 ngày làm việc" in ev["a3"]
    # B's rate (0 of 1) is A's yardstick: expected 0 -> floored at half a case
    assert scores.loc["A", "expected"] == 0 and scores.loc["A", "score"] == 4.0
    assert scores.loc["A", "sentence"] == (
        "Cần xem xét: 2 trong 3 lần yêu cầu bổ sung (66,67%) được đưa ra khi còn không quá 2 ngày "
        "làm việc trước hạn trả, trong khi các đơn vị khác trong tỉnh với hồ sơ cùng thời hạn "
        "hầu như không có (0%).")
    # A is flagged in the first pass and left out of the yardsticks: B has no one to compare with
    assert scores.loc["B", "cases_compared"] == 0 and not scores.loc["B", "flagged"]
    assert scores.loc["B", "sentence"].endswith("không có đơn vị khác trong tỉnh để so sánh.")


def test_refile_after_withdrawal(tmp_path: Path) -> None:
    db = build(tmp_path / "r.duckdb", [
        case("a4", "A", "2025-06-02 08:00", "2025-06-09 17:00", "2025-06-05 09:00", "withdrawn",
             applicant="K1"),
        case("a5", "A", "2025-06-20 08:00", "2025-06-27 17:00", None, "pending", applicant="K1"),
        case("a6", "A", "2025-06-02 08:00", "2025-06-09 17:00", "2025-06-10 09:00", "refused",
             applicant="K2"),
        case("a7", "A", "2025-06-12 08:00", "2025-06-19 17:00", None, "pending", proc="PB",
             applicant="K2"),   # same applicant, other procedure: not a re-filing
        case("b2", "B", "2025-06-02 08:00", "2025-06-09 17:00", "2025-06-11 09:00", "withdrawn",
             applicant="K3"),
        case("b3", "B", "2025-07-20 08:00", "2025-07-27 17:00", None, "pending",
             applicant="K3"),   # 39 days after: beyond 30
        case("b4", "B", "2025-06-02 08:00", "2025-06-09 17:00", "2025-06-11 09:00", "withdrawn"),
    ])
    few = {"min_unit_cases": 1}
    scores, evidence = run(db, "refile_after_withdrawal", leads={"refile_after_withdrawal": few})
    # b4 has no applicant key: not examined
    assert counts(scores) == {"A": (2, 1), "B": (1, 0)}
    row = evidence.iloc[0]
    assert (row["case_id"], row["related_case"], row["amount"]) == ("a4", "a5", 15)
    assert flagged(db, "refile_after_withdrawal") == {
        "a4": "rút hoặc bị từ chối ngày 05/06/2025; nộp lại: hồ sơ a5 sau 15 ngày"}
    scores, _ = run(db, "refile_after_withdrawal",
                    leads={"refile_after_withdrawal": {**few, "within_days": 40}})
    assert counts(scores) == {"A": (2, 1), "B": (1, 1)}


def test_appointment_beyond_statutory_counts_working_days(tmp_path: Path) -> None:
    db = build(tmp_path / "a.duckdb", [
        case("c1", "A", "2025-06-02 08:00", "2025-06-09 17:00", None, "pending"),  # 5: on time
        case("c2", "A", "2025-06-02 08:00", "2025-06-11 17:00", None, "pending"),  # 7: +2
        case("c3", "A", "2025-06-02 08:00", "2025-06-10 17:00", None, "pending"),  # 6: +1
        # received Saturday: counted from Monday 09/06; due Tue 17/06 = 6 working days: +1
        case("c4", "B", "2025-06-07 10:00", "2025-06-17 17:00", None, "pending"),
        # Fri 25/04 -> Tue 06/05: Sat 26/04 (make-up), 28/04, 29/04, 05/05, 06/05 = 5: on time
        case("c6", "B", "2025-04-25 08:00", "2025-05-06 17:00", None, "pending"),
        case("c5", "B", "2025-06-02 08:00", "2025-06-30 17:00", None, "pending", proc="PB"),
    ])
    scores, evidence = run(db, "appointment_beyond_statutory", "2025Q2",
                           leads={"appointment_beyond_statutory": {"tolerance_working_days": 0}})
    assert counts(scores) == {"A": (3, 2), "B": (2, 1)}  # c5: no statutory time, not examined
    strict = {"leads": {"appointment_beyond_statutory": {"tolerance_working_days": 0}}}
    ev = flagged(db, "appointment_beyond_statutory", "2025Q2", **strict)
    assert list(ev) == ["c2", "c3", "c4"]  # most working days over first
    assert ev["c2"] == ("tiếp nhận 02/06/2025, hẹn trả 11/06/2025: 7 ngày làm việc, thời hạn "
                        "quy định 5")
    scores, _ = run(db, "appointment_beyond_statutory", "2025Q2")  # default tolerance: 1 day
    assert counts(scores) == {"A": (3, 1), "B": (2, 0)}
    # with weekends only, c6 would count 7 working days and look two days late
    settings = parse_settings({**LOOSE, "leads": {"appointment_beyond_statutory": {
        "tolerance_working_days": 0}}})
    with reading(db) as con:
        plain = compute_leads(con, "2025Q2", settings=settings, work_calendar=weekdays_only(),
                              leads=["appointment_beyond_statutory"])
    assert counts(plain.scores.set_index("unit_id"))["B"] == (2, 2)


def test_due_date_spike(tmp_path: Path) -> None:
    r, d = "2025-06-04 08:00", "2025-06-11 17:00"  # Wed -> Wed, 5 working days
    db = build(tmp_path / "d.duckdb", [
        case("a1", "A", r, d, "2025-06-11 09:00"), case("a2", "A", r, d, "2025-06-11 16:59"),
        case("a3", "A", r, d, "2025-06-11 23:30"), case("a4", "A", r, d, "2025-06-10 10:00"),
        case("a5", "A", r, d, "2025-06-13 10:00"),   # two working days after: outside
        case("a6", "A", r, d, "2025-06-09 10:00"),   # two before: outside
        case("b1", "B", r, d, "2025-06-11 10:00"), case("b2", "B", r, d, "2025-06-10 10:00"),
        case("b3", "B", r, d, "2025-06-12 10:00"), case("b4", "B", r, d, "2025-06-12 11:00"),
    ])
    scores, evidence = run(db, "due_date_spike", comparison={"min_z": 100})  # one pass only
    assert counts(scores) == {"A": (4, 3), "B": (4, 1)}
    # poisson: A's 3 on the due date against 1 around it; B gives 1 per 3 -> expected 1/3
    assert scores.loc["A", "expected"] == pytest.approx(1 / 3)
    assert scores.loc["B", "expected"] == pytest.approx(9.0)  # A: 3 per 1; B has 3 around
    assert list(flagged(db, "due_date_spike")) == ["a3", "a2", "a1", "b1"]  # latest first
    scores, _ = run(db, "due_date_spike", leads={"due_date_spike": {"window_working_days": 2}})
    assert counts(scores) == {"A": (6, 3), "B": (4, 1)}


def test_off_hours_bulk(tmp_path: Path) -> None:
    r = "2025-06-02 08:00"
    db = build(tmp_path / "o.duckdb", [
        # A: three results on Saturday 14/06 (one batch of 3), two in the night of 10/06 (2)
        case("a1", "A", r, "2025-06-20 17:00", "2025-06-14 09:00"),
        case("a2", "A", r, "2025-06-20 17:00", "2025-06-14 09:10"),
        case("a3", "A", r, "2025-06-20 17:00", "2025-06-14 09:20"),
        case("a4", "A", r, "2025-06-20 17:00", "2025-06-10 23:00"),
        case("a5", "A", r, "2025-06-20 17:00", "2025-06-11 01:00"),
        case("a6", "A", r, "2025-06-20 17:00", "2025-06-10 10:00"),
        # B: three in the night of Mon 02/06, one at 05:59 (the night of Sunday 01/06)
        case("b1", "B", r, "2025-06-20 17:00", "2025-06-02 22:30"),
        case("b2", "B", r, "2025-06-20 17:00", "2025-06-02 22:40"),
        case("b3", "B", r, "2025-06-20 17:00", "2025-06-02 23:50"),
        case("b4", "B", "2025-05-30 08:00", "2025-06-20 17:00", "2025-06-02 05:59"),
    ])
    scores, evidence = run(db, "off_hours_bulk", leads={"off_hours_bulk": {"bulk_min_results": 3}})
    assert counts(scores) == {"A": (6, 3), "B": (4, 3)}
    assert scores.loc["A", "groups"] == 1 and scores.loc["B", "groups"] == 1
    ev = flagged(db, "off_hours_bulk", leads={"off_hours_bulk": {"bulk_min_results": 3}})
    assert sorted(ev) == ["a1", "a2", "a3", "b1", "b2", "b3"]
    assert ev["a1"] == "kết quả lúc 14/06/2025 09:00 (Thứ Bảy), cùng đợt 3 kết quả"
    assert ev["b1"] == "kết quả lúc 02/06/2025 22:30 (ngoài giờ làm việc), cùng đợt 3 kết quả"
    scores, _ = run(db, "off_hours_bulk", leads={"off_hours_bulk": {"bulk_min_results": 2}})
    assert counts(scores) == {"A": (6, 5), "B": (4, 3)}


def test_missing_inputs_turn_leads_off(tmp_path: Path, capsys) -> None:
    db = build(tmp_path / "m.duckdb", [
        case("a1", "A", "2025-06-02 00:00", "2025-06-09 00:00", "2025-06-09 00:00"),
        case("b1", "B", "2025-06-02 00:00", "2025-06-09 00:00", "2025-06-06 00:00"),
    ], statutory=None)
    with reading(db) as con:
        res = compute_leads(con, "2025-06")
    st = res.status.set_index("lead")
    assert list(st.index[st["active"]]) == ["due_date_spike"]
    assert "cases.supplement_requested_at" in st.loc["supplement_near_due", "reason"]
    assert "cases.applicant_key" in st.loc["refile_after_withdrawal", "reason"]
    assert "procedures.statutory_days" in st.loc["appointment_beyond_statutory", "reason"]
    assert "giờ ghi nhận kết quả" in st.loc["off_hours_bulk", "reason"]  # dates without times
    assert set(res.scores["lead"]) == {"due_date_spike"}
    assert main(["leads", "--period", "2025-06", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "supplement_near_due            OFF: thiếu dữ liệu cột cases.supplement_requested_at" in out
    assert "No unit flagged." in out
    assert main(["leads", "--period", "2025-06", "--db", str(db), "--format", "csv", "--all"]) == 0
    captured = capsys.readouterr()
    assert "lead refile_after_withdrawal off" in captured.err
    assert captured.out.startswith("lead,lead_label,period,unit_id")
    assert main(["leads", "--period", "2025-06", "--db", str(db), "--unit", "Z"]) == 2
    assert "unknown unit 'Z'" in capsys.readouterr().err


def test_disabled_lead_and_bad_settings(tmp_path: Path) -> None:
    s = parse_settings({"leads": {"due_date_spike": {"enabled": False}}})
    assert not s.lead("due_date_spike").enabled
    assert s.comparison_for("refile_after_withdrawal").min_unit_cases == 10
    assert s.comparison_for("supplement_near_due").min_unit_cases == 20
    # the file states the defaults: reading it gives what an empty file gives
    assert load_settings().model_dump(exclude={"source"}) == \
        parse_settings({}).model_dump(exclude={"source"})
    with pytest.raises(LeadSettingsError, match="leads.off_hours_bulk.night_from"):
        parse_settings({"leads": {"off_hours_bulk": {"night_from": "25:00"}}}, "x.yaml")
    with pytest.raises(LeadSettingsError, match="comparison.min_ratio"):
        parse_settings({"comparison": {"min_ratio": 0}})
    with pytest.raises(LeadSettingsError, match="x.yaml: leads.nonsense"):
        parse_settings({"leads": {"nonsense": {}}}, "x.yaml")


def test_scoring_by_hand() -> None:
    # strata 1 and 2; A shows the pattern in half its cases, B and C in a tenth
    agg = pd.DataFrame({"unit_id": ["A", "B", "C", "A", "B"], "root_id": "P",
                        "stratum": ["1", "1", "1", "2", "2"], "n": [10, 10, 10, 20, 20],
                        "k": [5, 1, 1, 10, 2], "groups": 0})
    c = Comparison(min_unit_cases=5, min_flagged_cases=5, min_ratio=2.0, min_z=1.0)
    s = score_units(agg, c).set_index("unit_id")
    # pass 1 flags A; pass 2 leaves A out of everyone's yardstick. A against B+C: stratum 1
    # 2/20, stratum 2 2/20 -> expected 10*0.1 + 20*0.1 = 3, variance 0.9 + 1.8 = 2.7 (< 5:
    # Poisson tail of 15 when 3 are expected: Wilson-Hilferty z = 4.738)
    assert s.loc["A", "expected"] == pytest.approx(3.0)
    assert s.loc["A", "score"] == pytest.approx(5.0)
    assert s.loc["A", "z"] == pytest.approx(4.738, abs=1e-3)
    # B against C only (A left out): stratum 1 1/10 -> expected 1; stratum 2 has no one else
    assert s.loc["B", "cases_compared"] == 10 and s.loc["B", "expected"] == pytest.approx(1.0)
    assert s.loc["B", "z"] == 0 and s.loc["C", "expected"] == pytest.approx(1.0)
    # z of A, B, C = 4.738, 0, 0: MAD 0 -> dispersion 1
    assert s.loc["A", "dispersion"] == 1.0 and list(s["flagged"]) == [True, False, False]
    # with min_z 5 nothing is flagged in pass 1, and the yardsticks include A
    s5 = score_units(agg, Comparison(min_unit_cases=5, min_z=5.0)).set_index("unit_id")
    assert not s5["flagged"].any()
    assert s5.loc["B", "expected"] == pytest.approx(10 * 6 / 20 + 20 * 10 / 20)


def test_excess_z_tail_and_normal() -> None:
    import numpy as np

    z = excess_z(np.array([5.0, 30.0, 2.0]), np.array([0.6, 10.0, 3.0]),
                 np.array([0.58, 9.0, 2.7]))
    # 5 where 0.6 are expected: P(X >= 5) = 0.00039 -> z about 3.3, not 5.7
    assert z[0] == pytest.approx(3.25, abs=0.05)
    assert z[1] == pytest.approx((30 - 10 - 0.5) / 3)  # variance 9 >= 5: normal, corrected
    assert z[2] == pytest.approx((2 - 3 + 0.5) / np.sqrt(2.7))
