"""The 766 progress metric under the portal's formula (issue 16.3), on a store loaded from a DVCQG
export with supplement histories, through `scorecard index766` as a user runs it.

Six cases of Sở Tư pháp (D1) received 03/03/2025, appointment 10/03/2025 (2025Q1 ends 31/03):

====  ==========================================================  ===============  ==========
case  what happened                                                portal-2024      period_end
====  ==========================================================  ===============  ==========
A     one supplement, 04/03 → answered 09/03 (5 days); finished    12 − 5 = 07/03:  12/03 > 10/03:
      12/03                                                        on time          late
B     one supplement asked 05/03, still waiting for the citizen    ends 05/03:      31/03: late
      at the end of March (status 5)                               on time
C     two supplements (04/03 → 05/03, 05/03 → 06/03); finished     more than one    late
      07/03                                                        request: late
D     one supplement, 04/03 → 05/03 (1 day); finished 14/03         14 − 1 = 13/03:  late
                                                                   late
E     no supplement, finished 07/03                                on time          on time
F     no supplement, not finished by 31/03                         31/03: late      late
====  ==========================================================  ===============  ==========

portal-2024 (progress_rule: portal): 3 of 6 on time → 20 · 3/6 = 10.00 points; qd766-2022
(progress_rule: period_end): 1 of 6 → 20 · 1/6 = 3.33 points. Case satisfaction (a late case is
not satisfied; no case is rated dissatisfied here) follows the same verdicts against its target
0.9: min(6, 6 · (3/6) / 0.9) = 3.33 and 6 · (1/6) / 0.9 = 1.11.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from scorecard.cli import main
from tests.test_ingest_dvcqg import load, make_store
from tests.test_sources_dvcqg import record


def _supp(asked: str, answered: str = "") -> dict:
    return {"NgayBoSung": f"202503{asked}090000",
            "NgayTiepNhanBoSung": f"202503{answered}090000" if answered else "",
            "NgayHenTraTruoc": "20250310163000", "NgayHenTraMoi": ""}


def _pending(case_id: str, **over: object) -> dict:
    return record(case_id, **{"TrangThaiHoSo": 4, "NgayKetThucXuLy": "", "NgayTra": "", **over})


RECORDS = [
    record("A", NgayKetThucXuLy="20250312100000", NgayTra="",
           DanhSachHoSoBoSung=[_supp("04", "09")]),
    _pending("B", TrangThaiHoSo=5, DanhSachHoSoBoSung=[_supp("05")]),
    record("C", NgayKetThucXuLy="20250307100000",
           DanhSachHoSoBoSung=[_supp("04", "05"), _supp("05", "06")]),
    record("D", NgayKetThucXuLy="20250314100000", NgayTra="",
           DanhSachHoSoBoSung=[_supp("04", "05")]),
    record("E", NgayKetThucXuLy="20250307100000"),
    _pending("F"),
]


def _index(capsys, db: Path, *args: str) -> pd.DataFrame:
    capsys.readouterr()
    assert main(["index766", "--period", "2025Q1", "--unit", "D1", "--format", "csv",
                 "--db", str(db), *args]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out))
    return df[df["scope"] == "own"].set_index("metric")


def test_the_portals_rule_reads_the_supplement_histories(tmp_path: Path, capsys) -> None:
    db = make_store(tmp_path)
    out = load(capsys, db, tmp_path, RECORDS)
    assert "read 6, accepted 6, rejected 0" in out
    assert "case_supplements: 5 rows" in out
    portal = _index(capsys, db)  # portal-2024, progress_rule: portal
    plain = _index(capsys, db, "--profile", "qd766-2022")  # progress_rule: period_end
    got = {name: (int(df.loc["progress_on_time", "numerator"]),
                  int(df.loc["progress_on_time", "denominator"]),
                  float(df.loc["progress_on_time", "points"]),
                  float(df.loc["case_satisfaction", "points"]))
           for name, df in (("portal", portal), ("plain", plain))}
    assert got == {"portal": (3, 6, 10.0, 3.33), "plain": (1, 6, 3.33, 1.11)}


def test_without_histories_the_portals_rule_is_the_plain_one(tmp_path: Path, capsys) -> None:
    """The same cases with their supplement counts but no dates (as a CSV export carries them):
    the portal's rule has only the count rule left and gives period_end's verdicts."""
    db = make_store(tmp_path)
    csv = tmp_path / "cases.csv"
    rows = ["case_id,unit_id,procedure_id,received_at,due_at,resolved_at,status,channel,"
            "supplement_requests"]
    for case_id, finished, n in (("A", "2025-03-12 10:00", 1), ("B", "", 1),
                                 ("C", "2025-03-07 10:00", 2), ("D", "2025-03-14 10:00", 1),
                                 ("E", "2025-03-07 10:00", 0), ("F", "", 0)):
        status = "resolved" if finished else "pending"
        rows.append(f"{case_id},D1,1.001,2025-03-03 08:30,2025-03-10 16:30,{finished},{status},"
                    f"direct,{n}")
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["ingest", str(csv), "--db", str(db)]) == 0
    portal, plain = _index(capsys, db), _index(capsys, db, "--profile", "qd766-2022")
    for df in (portal, plain):
        assert (df.loc["progress_on_time", "numerator"],
                df.loc["progress_on_time", "points"]) == (1, 3.33)
