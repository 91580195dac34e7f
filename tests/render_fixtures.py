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
"""

from __future__ import annotations

import contextlib
import io
from datetime import date, datetime
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


# ---------------------------------------------------------------- the index page's extras
#: The test plan plus three targets for the index page's summary (build_site_store):
#: ``on_time_year`` judged by deadline (in progress in 2025Q2), ``online_level`` judged once for
#: the commune level, ``e_result_commune`` for communes only (the province's pooled figure
#: holds a department's cases too: a tally, no pooled verdict).
SITE_PLAN_YAML = PLAN_YAML + """\
  - id: on_time_year
    indicator: on_time_rate
    comparator: ">="
    threshold: 0.9
    judged: by_deadline
    due: 2025-12-15
    clause: "II.7"
    text: "Đến 15/12/2025, trên 90% hồ sơ được giải quyết đúng hạn"
  - id: online_level
    indicator: online_rate
    comparator: ">="
    threshold: 0.5
    basis: level
    levels: [commune]
    clause: "III.1"
    text: "50% hồ sơ cấp xã được tiếp nhận trực tuyến"
  - id: e_result_commune
    indicator: e_result_rate
    comparator: ">="
    threshold: 0.9
    levels: [commune]
    clause: "III.2"
    text: "90% hồ sơ cấp xã có kết quả điện tử"
"""

#: The plan's task register (beside the plan file, as params/plans/<plan_id>.tasks.yaml).
SITE_REGISTER_YAML = """\
plan_id: test-plan
year: 2025
groups:
  "I": "NHIỆM VỤ THỬ"
parties:
  "Các sở": [{level: department}]
  "UBND huyện": [{level: district}]
  "UBND cấp xã": [{level: commune}]
tasks:
  - {task_id: "I.1", group: "I", text: "Ban hành kế hoạch kiểm soát TTHC", lead: "Các sở",
     deadline: "Trước ngày 30/04/2025"}
  - {task_id: "I.2", group: "I", text: "Rà soát, đơn giản hóa TTHC", lead: "UBND huyện",
     deadline: "Tháng 05/2025"}
  - {task_id: "I.3", group: "I", text: "Báo cáo tình hình giải quyết TTHC", lead: "UBND cấp xã",
     deadline: "Tháng 2, 5, 8, 11/2025"}
  - {task_id: "I.4", group: "I", text: "Tuyên truyền dịch vụ công trực tuyến", lead: "Các sở",
     deadline: "Thường xuyên"}
"""
SITE_TASK_STATUS = [
    ("test-plan", "I.1", "DEMO-S", "", date(2025, 4, 20), "5/KH-STP", None),
    ("test-plan", "I.3", "DEMO-C1", "2025-02", date(2025, 2, 20), "1/BC-UBND", None),
    ("test-plan", "I.3", "DEMO-C1", "2025-05", date(2025, 5, 30), "2/BC-UBND", None),
    ("test-plan", "I.3", "DEMO-C2", "2025-02", date(2025, 3, 5), "3/BC-UBND", "chậm"),
    ("test-plan", "I.4", "DEMO-S", "", date(2025, 5, 2), "Tin bài", None),
]
#: Pending cases DEMO-C1 received on 02/06/2025 (received at the one-stop desk, no electronic
#: result yet), each due 31/07/2025: 42 working days for a procedure whose legal time is 10.
PLANTED_APPOINTMENTS = 25


def build_site_store(tmp: Path) -> tuple[Path, Path]:
    """The render store with what the index page shows beside the verdicts; (db, plan).

    Everything of :func:`build_store`, with the plan ``SITE_PLAN_YAML`` and:

    - a task register (``SITE_REGISTER_YAML``) and ``task_status`` reports. At 30/06/2025:
      DEMO-S led I.1 (due 30/04, done 20/04: on time) and I.4 (continuous) → đúng hạn 1/1,
      quá hạn 0; DEMO-D led I.2 (due 31/05, not done) → 0/1, 1 overdue (30 days); DEMO-C1
      led I.3 twice by then (due 28/02 done 20/02, due 31/05 done 30/05) → 2/2, 0; DEMO-C2 the
      same (28/02 done 05/03: late; 31/05 not done) → 0/2, 1 overdue (30 days). The province
      leads nothing (–). Overdue by lead unit: Huyện Một (I.2), Xã Hai (I.3 kỳ 2025-05).
    - ``procedures.statutory_days`` = 10 for PR1 and 25 pending cases of DEMO-C1 received on
      02/06/2025 and due 31/07/2025 (42 working days): the appointment lead flags DEMO-C1 (25
      of its 29 cases received; no other unit has such a case). The pending cases change no
      figure of the on_time and apology targets (resolved cases only). DEMO-C1 received 29
      cases, 4 online; DEMO-C2 2 online: online_level = 6/31 = 19,35% (Không đạt, ≥ 50%).
    - e_result_commune: DEMO-C1 4/4, DEMO-C2 2/2 resolved with an electronic result → the
      province's tally "Đạt 2/2 đơn vị cấp xã".
    - on_time_year: in progress at the province, 6 of 7 = 85,71% from 01/01/2025 to 30/06/2025,
      judged on 01/01–15/12/2025.
    - a manual 766 value for the province (certified_copies = 1 in 2025Q2) and the late list of
      04/2025 produced by ``scorecard late-list`` into ``tmp/reports`` (05 and 06: none).
    """
    from scorecard.cli import main
    from scorecard.store import open_writer

    db, plan = build_store(tmp)
    plan.write_text(SITE_PLAN_YAML, encoding="utf-8")
    (tmp / "test-plan.tasks.yaml").write_text(SITE_REGISTER_YAML, encoding="utf-8")
    con = open_writer(db)
    con.executemany("INSERT INTO task_status (plan_id, task_id, unit_id, occurrence, done_on, "
                    "document, note) VALUES (?, ?, ?, ?, ?, ?, ?)", SITE_TASK_STATUS)
    con.execute("UPDATE procedures SET statutory_days = 10 WHERE procedure_id = 'PR1'")
    con.executemany(
        "INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at, resolved_at, "
        "status, channel, supplement_requests, digitized, e_result, reused_data, fee_required, "
        "paid_online, apology_issued, rating) VALUES (?, 'DEMO-C1', 'PR1', ?, ?, NULL, "
        "'pending', 'direct', 0, false, false, false, false, false, NULL, NULL)",
        [(f"p{i}", datetime(2025, 6, 2, 8), datetime(2025, 7, 31, 17))
         for i in range(PLANTED_APPOINTMENTS)])
    con.execute("INSERT INTO manual (unit_id, period, indicator, value, source) VALUES "
                "('DEMO-P', '2025Q2', 'certified_copies', 1, 'Sở Tư pháp')")
    con.close()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = main(["late-list", "--month", "2025-04", "--plan", str(plan), "--db", str(db),
                   "--reports", str(tmp / "reports")])
    assert rc == 0, out.getvalue()
    return db, plan
