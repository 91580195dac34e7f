"""A tiny store and plan for the render tests (hand-worked numbers in the docstrings).

Units: province P (DEMO-P), district D (DEMO-D) with communes C1, C2 (DEMO-C1, DEMO-C2),
department S (DEMO-S). Calendar quarters; the period is 2025Q2 (01/04/2025 – 30/06/2025).

Cases resolved in 2025Q2 (procedure PR1, field ho_tich):
- DEMO-C1: 4 resolved: 3 on or before the due date, 1 late (with an apology)
  → on_time_rate 3/4 = 75% (Không đạt against > 95%), apology_rate 1/1 = 100% (Đạt).
- DEMO-C2: 2 resolved, both early → on_time_rate 100% (Đạt); no late case → apology no data.
- DEMO-S: 1 resolved on time → 100% (Đạt).
- DEMO-D (tree: C1 + C2 + its own 0) → 5/6 = 83,33% (Không đạt), late 1, apology 1/1.

Targets: on_time has the default ``scope: own``, apology ``scope: tree``. So the parents also get
an on_time headline row (scope tree, the whole subtree):
- DEMO-D: own on_time has no resolved case → Chưa có dữ liệu (the plan judges districts);
  headline 5/6 = 83,33% Không đạt; apology (tree target) 1/1 Đạt.
- DEMO-P (province, not a level of the plan): only the on_time headline, C1 + C2 + S =
  6 of 7 resolved on time = 85,71% Không đạt (1 case short of "> 95%": 7/7).
By level for on_time: communes Đạt 1/2, departments Đạt 1/1, the district not judged (no data).

This is the store the batch, index, notebook, path, explore and dask tests were worked on: no
task register, no manual 766 value, no withdrawn case, no late list. Two richer stores build on
it, each for the tests worked on it, so neither moves the other's numbers:
:mod:`tests.report_fixtures` (the unit report's sections: a task register, withdrawals and
refilings, manual 766 rows, a second plan by level) and :mod:`tests.site_fixtures` (the index
page: its own register, planted appointment cases, a manual value, a late list).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

PLAN_YAML = """\
plan_id: test-plan
title: Kế hoạch thử nghiệm
issuer: UBND tỉnh Thử
document_number: "1/KH-UBND"
document_date: 2025-01-10
seed: "001"
calendar: calendar
valid_from: 2025-01-01
valid_to: 2025-12-31
root_unit: null
levels: [department, district, commune]
targets:
  - id: on_time
    indicator: on_time_rate
    comparator: ">"
    threshold: 0.95
    clause: "II.6"
    text: "Bảo đảm trên 95% hồ sơ được giải quyết trước và đúng hạn"
  - id: apology
    indicator: apology_rate
    comparator: ">="
    threshold: 1.0
    scope: tree
    clause: "III.3"
    text: "Xin lỗi đối với 100% hồ sơ quá hạn"
"""


def build_store(tmp: Path) -> tuple[Path, Path]:
    """Write the tiny store and plan into ``tmp``; return (db, plan)."""
    from scorecard.store import open_writer

    db = tmp / "t.duckdb"
    plan = tmp / "test-plan.yaml"
    plan.write_text(PLAN_YAML, encoding="utf-8")
    con = open_writer(db)
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)", [
        ("DEMO-P", "Tỉnh Thử", "province", None),
        ("DEMO-D", "Huyện Một", "district", "DEMO-P"),
        ("DEMO-C1", "Xã Một", "commune", "DEMO-D"),
        ("DEMO-C2", "Xã Hai", "commune", "DEMO-D"),
        ("DEMO-S", "Sở Thử", "department", "DEMO-P"),
    ])
    con.execute("INSERT INTO procedures (procedure_id, name, field, online_service, has_fee, payment_integrated, at_one_stop, four_on_spot, has_sample_dossier, e_process_configured) VALUES ('PR1', 'Đăng ký khai sinh', 'ho_tich', 'full', "
                "false, false, true, false, true, true)")

    def case(cid, unit, rec, due, res, apology=None):
        return (cid, unit, "PR1", datetime(*rec), datetime(*due), datetime(*res), "resolved",
                "online", 0, True, True, False, False, False, apology, None)

    rows = [
        case("c1", "DEMO-C1", (2025, 4, 1, 8), (2025, 4, 10, 17), (2025, 4, 9, 9)),
        case("c2", "DEMO-C1", (2025, 4, 2, 8), (2025, 4, 10, 17), (2025, 4, 10, 9)),
        case("c3", "DEMO-C1", (2025, 4, 3, 8), (2025, 4, 10, 17), (2025, 4, 8, 9)),
        case("c4", "DEMO-C1", (2025, 4, 4, 8), (2025, 4, 10, 17), (2025, 4, 15, 9), True),
        case("c5", "DEMO-C2", (2025, 5, 1, 8), (2025, 5, 10, 17), (2025, 5, 5, 9)),
        case("c6", "DEMO-C2", (2025, 5, 2, 8), (2025, 5, 10, 17), (2025, 5, 6, 9)),
        case("c7", "DEMO-S", (2025, 6, 1, 8), (2025, 6, 10, 17), (2025, 6, 10, 9)),
    ]
    con.executemany("INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at, resolved_at, status, channel, supplement_requests, digitized, e_result, reused_data, fee_required, paid_online, apology_issued, rating) VALUES (" + ", ".join(["?"] * 16) + ")", rows)
    con.execute("INSERT INTO load_log VALUES (1, 'cases.csv', 'cases', 'abc', "
                "TIMESTAMP '2025-07-01 08:00:00', 8, 7, 1, NULL)")
    con.execute("INSERT INTO rejects (load_id, file, row_number, column_name, value, reason) "
                "VALUES (1, 'cases.csv', 9, 'unit_id', 'DEMO-C1', "
                "'due date is before the received date')")
    con.close()
    return db, plan
